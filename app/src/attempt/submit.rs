//! Submitting an attempt: scoring it, closing a contest entry, and recording participation, all in
//! one transaction. Pupils submit their own; contest attempts whose time is up are submitted by
//! whoever looks next, and by the server's sweep for pupils who closed the tab.

use super::own_attempt;
use super::{items_of, stored_indexes};
use crate::clock::now_ms;
use crate::codes::AttemptKind;
use crate::content::bank::{is_signs, revisions_by_id};
use crate::domain::quiz;
use crate::entities::{attempt, attempt_item, contest_entry};
use crate::error::AppError;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Seconds after the deadline during which answers already on their way are still accepted.
pub const GRACE_MS: i64 = 5_000;

/// The contest entry of an attempt, if it is a contest attempt.
pub async fn entry_of(
    db: &impl ConnectionTrait,
    attempt_id: &str,
) -> Result<Option<contest_entry::Model>, AppError> {
    Ok(contest_entry::Entity::find_by_id(attempt_id.to_owned())
        .one(db)
        .await?)
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

/// Scores and closes an attempt. Submitting twice changes nothing.
pub async fn submit(
    db: &DatabaseConnection,
    learner_id: &str,
    attempt_id: &str,
) -> Result<u32, AppError> {
    own_attempt(db, learner_id, attempt_id).await?;
    submit_any(db, attempt_id).await
}

/// Scores and closes any attempt (the owner's check is the caller's business): a contest attempt
/// also stops being the pupil's open attempt of the round. Submitting twice changes nothing.
pub async fn submit_any(db: &DatabaseConnection, attempt_id: &str) -> Result<u32, AppError> {
    // Everything that does not depend on the answers is read before the write lock is taken: the
    // attempt's questions and keys (items keep their revision), and what participation needs.
    let attempt = attempt::Entity::find_by_id(attempt_id.to_owned())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(score) = attempt.score {
        return Ok(score.max(0) as u32);
    }
    let revision_ids: Vec<i32> = items_of(db, attempt_id)
        .await?
        .iter()
        .map(|i| i.revision_id)
        .collect();
    let revisions = revisions_by_id(db, revision_ids).await?;
    let question_ids: Vec<String> = revisions.values().map(|r| r.question_id.clone()).collect();
    let mut keys: HashMap<i32, (bool, Vec<usize>)> = HashMap::with_capacity(revisions.len());
    for (id, r) in revisions {
        keys.insert(
            id,
            (
                is_signs(&r),
                stored_indexes("question_revision.correct_json", &r.correct_json)?,
            ),
        );
    }
    let now = now_ms();
    let context =
        crate::coverage::service::prepare_attempt(db, &attempt, &question_ids, now).await?;

    let txn = crate::platform::db::begin_write(db).await?;
    // Read again under the lock: another server (or tab) may have submitted it meanwhile, and the
    // answers are read only now, so none saved before this point is missed.
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
    let mut score = 0u32;
    let mut points = 0u32;
    // Positions answered fully right, and the others: two statements, whatever the length.
    let mut right = Vec::new();
    let mut not_right = Vec::new();
    for item in items {
        let chosen = match item.chosen.as_deref() {
            Some(c) => Some(stored_indexes("attempt_item.chosen", c)?),
            None => None,
        };
        let (signs, key) = keys.get(&item.revision_id).ok_or(AppError::Internal)?;
        let earned = quiz::item_points(*signs, chosen.as_deref(), key);
        let correct = earned == quiz::FULL_MARKS;
        score += u32::from(correct);
        points += earned;
        if correct {
            right.push(item.position);
        } else {
            not_right.push(item.position);
        }
    }
    for (correct, positions) in [(true, right), (false, not_right)] {
        if positions.is_empty() {
            continue;
        }
        attempt_item::Entity::update_many()
            .col_expr(attempt_item::Column::IsCorrect, Expr::value(correct))
            .filter(attempt_item::Column::AttemptId.eq(attempt_id))
            .filter(attempt_item::Column::Position.is_in(positions))
            .exec(&txn)
            .await?;
    }
    attempt::Entity::update_many()
        .col_expr(attempt::Column::SubmittedAt, Expr::value(now))
        .col_expr(attempt::Column::Score, Expr::value(score as i32))
        .col_expr(attempt::Column::Points, Expr::value(points as i32))
        .filter(attempt::Column::Id.eq(attempt_id))
        .exec(&txn)
        .await?;
    // Participation (coverage) is written with the submission, or not at all; last, because its
    // tallies are rows every pupil of the school shares (see `write_participation`).
    if let Some(context) = &context {
        crate::coverage::service::record_prepared(&txn, context, &attempt, points, now).await?;
    }
    txn.commit().await?;
    Ok(score)
}

/// Submits every contest attempt whose time ran out (deadline + grace) and that nobody
/// submitted: pupils who closed the tab still get their saved answers scored. Returns how many.
/// Safe to run on several app servers at once (submitting twice changes nothing).
pub async fn submit_expired(db: &DatabaseConnection, now: i64) -> Result<usize, AppError> {
    let expired = contest_entry::Entity::find()
        .filter(contest_entry::Column::OpenKey.is_not_null())
        .filter(contest_entry::Column::DeadlineAt.lt(now - GRACE_MS))
        .all(db)
        .await?;
    for entry in &expired {
        submit_any(db, &entry.attempt_id).await?;
    }
    Ok(expired.len())
}
