//! The result of a submitted attempt: the score, and the keys, explanations and sources when they
//! may be shown (a contest round's own review setting; questions an open round can still draw keep
//! their keys hidden from every other attempt).

use super::answer::{as_u32, current_attempt, layout_of, scope_title};
use super::submit::entry_of;
use super::{items_of, stored_indexes};
use crate::attempt::types::{ResultItem, ResultView};
use crate::clock::{format_vietnam_time, now_ms};
use crate::codes::AttemptScope;
use crate::codes::stored_json;
use crate::content::bank::{is_signs, revisions_by_id};
use crate::domain::quiz;
use crate::entities::{contest_entry, contest_round};
use crate::error::AppError;
use crate::i18n::Locale;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use std::collections::HashMap;

/// The questions that rounds open now can draw. While a round is open none of them appears in
/// practice, and no other attempt's review shows their keys: the bank is shared, and 216
/// anonymous practice attempts were enough to collect every key of a 24-question round.
#[derive(Clone, Debug, Default)]
pub struct Reserved(pub(crate) HashMap<String, Vec<(i32, i64)>>);

impl Reserved {
    /// Whether an open round can draw the question.
    pub fn contains(&self, question_id: &str) -> bool {
        self.0.contains_key(question_id)
    }

    /// Until when the key of `question_id` is withheld from an attempt of `own_round` (an
    /// attempt's own round follows its own review setting): the latest close of the other open
    /// rounds that can draw it.
    pub fn withheld_until(&self, question_id: &str, own_round: Option<i32>) -> Option<i64> {
        self.0
            .get(question_id)?
            .iter()
            .filter(|(round, _)| Some(*round) != own_round)
            .map(|(_, closes_at)| *closes_at)
            .max()
    }
}

/// The practice a result offers to start again: the attempt's own scope, unless it was a round.
fn try_again(scope: &str) -> Result<Option<String>, AppError> {
    Ok(match AttemptScope::parse(scope)? {
        // A round, or a teacher's quiz (taken again from the assignment, not from practice).
        AttemptScope::Round(_) | AttemptScope::Quiz(_) => None,
        practice => Some(practice.code()),
    })
}

/// Whether the review (keys, explanations) of a contest attempt may be shown now.
pub async fn review_allowed(
    db: &impl ConnectionTrait,
    entry: &contest_entry::Model,
    now: i64,
) -> Result<Result<(), String>, AppError> {
    let round = contest_round::Entity::find_by_id(entry.round_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    if round.review == "ngay" || now >= round.closes_at {
        Ok(Ok(()))
    } else {
        Ok(Err(format_vietnam_time(round.closes_at)))
    }
}

/// The result of a submitted attempt, with keys, explanations and sources.
pub async fn result(
    db: &DatabaseConnection,
    learner_id: &str,
    attempt_id: &str,
    locale: Locale,
    reserved: &Reserved,
) -> Result<Option<ResultView>, AppError> {
    let (attempt, _) = current_attempt(db, learner_id, attempt_id).await?;
    let Some(points) = super::points_of(&attempt) else {
        return Ok(None);
    };
    let entry = entry_of(db, attempt_id).await?;
    let own_round = entry.as_ref().map(|e| e.round_id);
    let review_after = match entry {
        Some(entry) => review_allowed(db, &entry, now_ms()).await?.err(),
        None => None,
    };
    if review_after.is_some() {
        // Keys and explanations wait until the round closes: nobody may pass them on.
        return Ok(Some(ResultView {
            scope_title: scope_title(db, &attempt.scope, locale).await?,
            try_again: try_again(&attempt.scope)?,
            attempt_id: attempt.id,
            points,
            total: attempt.total as u32,
            items: vec![],
            review_after,
        }));
    }
    let items = items_of(db, attempt_id).await?;
    let revisions = revisions_by_id(db, items.iter().map(|i| i.revision_id)).await?;
    let mut result_items = Vec::with_capacity(items.len());
    for item in &items {
        let revision = revisions.get(&item.revision_id).ok_or(AppError::Internal)?;
        let options: Vec<String> =
            stored_json("question_revision.options_json", &revision.options_json)?;
        let order = stored_indexes("attempt_item.option_order", &item.option_order)?;
        let chosen = match item.chosen.as_deref() {
            Some(c) => stored_indexes("attempt_item.chosen", c)?,
            None => vec![],
        };
        let key = stored_indexes("question_revision.correct_json", &revision.correct_json)?;
        let withheld_until = reserved
            .withheld_until(&revision.question_id, own_round)
            .map(format_vietnam_time);
        let shown = withheld_until.is_none();
        let signs = is_signs(revision);
        let part_notes: Vec<String> = match (&revision.notes_json, shown && signs) {
            (Some(notes), true) => {
                let notes: Vec<String> = stored_json("question_revision.notes_json", notes)?;
                order
                    .iter()
                    .map(|&o| notes.get(o).cloned().unwrap_or_default())
                    .collect()
            }
            _ => vec![],
        };
        let earned = quiz::item_points(signs, item.chosen.is_some().then_some(&chosen[..]), &key);
        result_items.push(ResultItem {
            position: item.position as u32,
            stem: revision.stem.clone(),
            options: order
                .iter()
                .filter_map(|&o| options.get(o).cloned())
                .collect(),
            chosen: as_u32(quiz::to_display(&order, &chosen)),
            // While an open round can draw the question, nothing tells its key.
            correct: if shown {
                as_u32(quiz::to_display(&order, &key))
            } else {
                vec![]
            },
            is_correct: shown && item.is_correct.unwrap_or(false),
            explanation: if shown {
                revision.explanation.clone()
            } else {
                String::new()
            },
            source: if shown {
                revision.source.clone()
            } else {
                String::new()
            },
            withheld_until,
            layout: layout_of(revision, &order)?,
            part_notes,
            points: if shown { earned } else { 0 },
        });
    }
    Ok(Some(ResultView {
        scope_title: scope_title(db, &attempt.scope, locale).await?,
        try_again: try_again(&attempt.scope)?,
        attempt_id: attempt.id,
        points,
        total: attempt.total as u32,
        items: result_items,
        review_after: None,
    }))
}
