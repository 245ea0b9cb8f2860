//! Creating an attempt with the items drawn for it: the one place an attempt and its items are
//! written, for practice quizzes and contest rounds alike. What is drawn, and who may start, is
//! the caller's business (practice, contests).

use crate::codes::{AttemptKind, AttemptScope};
use crate::entities::{attempt, attempt_item};
use crate::error::AppError;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

/// One drawn question: the revision shown, and its options' order (original positions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnItem {
    pub revision_id: i32,
    pub option_order: Vec<usize>,
}

/// Writes a new attempt and its items (inside the caller's transaction) and returns its id. The
/// seed is stored as the same 64 bits, so the draw can be reproduced from the row.
pub async fn create(
    txn: &impl ConnectionTrait,
    learner_id: &str,
    kind: AttemptKind,
    scope: &AttemptScope,
    seed: u64,
    items: &[DrawnItem],
    now: i64,
) -> Result<String, AppError> {
    let attempt_id = uuid::Uuid::new_v4().to_string();
    attempt::ActiveModel {
        id: Set(attempt_id.clone()),
        learner_id: Set(learner_id.to_owned()),
        kind: Set(kind.code().into()),
        scope: Set(scope.code()),
        seed: Set(seed as i64),
        total: Set(items.len() as i32),
        started_at: Set(now),
        submitted_at: Set(None),
        score: Set(None),
        points: Set(None),
    }
    .insert(txn)
    .await?;
    let mut rows = Vec::with_capacity(items.len());
    for (position, item) in items.iter().enumerate() {
        rows.push(attempt_item::ActiveModel {
            attempt_id: Set(attempt_id.clone()),
            position: Set(position as i32 + 1),
            revision_id: Set(item.revision_id),
            option_order: Set(serde_json::to_string(&item.option_order)
                .map_err(|e| AppError::internal("writing an option order", e))?),
            chosen: Set(None),
            answered_at: Set(None),
            is_correct: Set(None),
        });
    }
    attempt_item::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await?;
    Ok(attempt_id)
}
