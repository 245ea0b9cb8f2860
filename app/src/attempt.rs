//! What every attempt shares, practice and contest alike: its items, and submitting it (scoring,
//! closing a contest entry, recording participation, all in one transaction). Practice and
//! contests both call this module; it calls neither.

use crate::clock::now_ms;
use crate::codes::AttemptKind;
use crate::content::bank::revisions_by_id;
use crate::domain::quiz;
use crate::entities::{attempt, attempt_item, contest_entry};
use crate::error::AppError;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use std::collections::HashMap;

pub async fn items_of(
    db: &impl ConnectionTrait,
    attempt_id: &str,
) -> Result<Vec<attempt_item::Model>, AppError> {
    Ok(attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(attempt_id))
        .order_by_asc(attempt_item::Column::Position)
        .all(db)
        .await?)
}

pub fn json_indexes(text: &str) -> Vec<usize> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Marks a contest attempt as no longer open (part of submitting it).
pub async fn close_entry(db: &impl ConnectionTrait, attempt_id: &str) -> Result<(), AppError> {
    contest_entry::Entity::update_many()
        .col_expr(
            contest_entry::Column::OpenKey,
            Expr::value(Option::<String>::None),
        )
        .filter(contest_entry::Column::AttemptId.eq(attempt_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Scores and closes any attempt (the owner's check is the caller's business): a contest attempt
/// also stops being the pupil's open attempt of the round. Submitting twice changes nothing.
pub async fn submit_any(db: &DatabaseConnection, attempt_id: &str) -> Result<u32, AppError> {
    let txn = crate::platform::begin_write(db).await?;
    let attempt = attempt::Entity::find_by_id(attempt_id.to_owned())
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(score) = attempt.score {
        return Ok(score.max(0) as u32);
    }
    if AttemptKind::parse(&attempt.kind)? == AttemptKind::Contest {
        close_entry(&txn, attempt_id).await?;
    }
    let items = items_of(&txn, attempt_id).await?;
    let revisions = revisions_by_id(&txn, items.iter().map(|i| i.revision_id)).await?;
    let question_ids: Vec<String> = revisions.values().map(|r| r.question_id.clone()).collect();
    let keys: HashMap<i32, Vec<usize>> = revisions
        .into_iter()
        .map(|(id, r)| (id, json_indexes(&r.correct_json)))
        .collect();
    let mut score = 0u32;
    for item in items {
        let chosen = item.chosen.as_deref().map(json_indexes);
        let key = keys.get(&item.revision_id).cloned().unwrap_or_default();
        let correct = chosen.as_deref().is_some_and(|c| quiz::is_correct(c, &key));
        score += u32::from(correct);
        let mut active: attempt_item::ActiveModel = item.into();
        active.is_correct = Set(Some(correct));
        active.update(&txn).await?;
    }
    let now = now_ms();
    // Participation (coverage) is written with the submission, or not at all.
    crate::coverage::service::record_attempt(&txn, &attempt, score, &question_ids, now).await?;
    let mut active: attempt::ActiveModel = attempt.into();
    active.submitted_at = Set(Some(now));
    active.score = Set(Some(score as i32));
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(score)
}
