//! Creating an attempt with the items drawn for it: the one place an attempt and its items are
//! written, for practice quizzes and contest rounds alike. What is drawn, and who may start, is
//! the caller's business (practice, contests). Contest starts arrive together right after a
//! round opens, so they share their commits ([`NewStart`], written by `writer`).

use super::writer::{Batch, SharedCommits};
use crate::codes::{AttemptKind, AttemptScope};
use crate::entities::{attempt, attempt_item, contest_entry};
use crate::error::AppError;
use crate::platform::metrics::Metrics;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryTrait, Set,
};
use std::collections::HashSet;

/// Contest starts that may wait for their writer (about two seconds of the hardest minute).
pub const START_QUEUE: usize = 2_000;
/// Contest starts written in one transaction at most.
const MAX_STARTS: usize = 200;

/// One drawn question: the revision shown, and its options' order (original positions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnItem {
    pub revision_id: i32,
    pub option_order: Vec<usize>,
}

/// What to write for a new attempt: its row and its items' rows.
fn rows(
    attempt_id: &str,
    learner_id: &str,
    kind: AttemptKind,
    scope: &AttemptScope,
    seed: u64,
    items: &[DrawnItem],
    now: i64,
) -> Result<(attempt::ActiveModel, Vec<attempt_item::ActiveModel>), AppError> {
    let attempt = attempt::ActiveModel {
        id: Set(attempt_id.to_owned()),
        learner_id: Set(learner_id.to_owned()),
        kind: Set(kind.code().into()),
        scope: Set(scope.code()),
        seed: Set(seed as i64),
        total: Set(items.len() as i32),
        started_at: Set(now),
        submitted_at: Set(None),
        score: Set(None),
        points: Set(None),
    };
    let mut rows = Vec::with_capacity(items.len());
    for (position, item) in items.iter().enumerate() {
        rows.push(attempt_item::ActiveModel {
            attempt_id: Set(attempt_id.to_owned()),
            position: Set(position as i32 + 1),
            revision_id: Set(item.revision_id),
            option_order: Set(serde_json::to_string(&item.option_order)
                .map_err(|e| AppError::internal("writing an option order", e))?),
            chosen: Set(None),
            answered_at: Set(None),
            is_correct: Set(None),
        });
    }
    Ok((attempt, rows))
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
    let (attempt, items) = rows(&attempt_id, learner_id, kind, scope, seed, items, now)?;
    attempt.insert(txn).await?;
    attempt_item::Entity::insert_many(items)
        .exec_without_returning(txn)
        .await?;
    Ok(attempt_id)
}

/// A contest attempt to start: the attempt, its items, and its entry in the round, whose open
/// key (one open attempt per pupil and round) decides between two starts of the same pupil.
#[derive(Debug)]
pub struct NewStart {
    attempt: attempt::ActiveModel,
    items: Vec<attempt_item::ActiveModel>,
    entry: contest_entry::ActiveModel,
    attempt_id: String,
    open_key: String,
}

impl NewStart {
    /// A contest attempt for `entry` (its `attempt_id` and `open_key` are set here).
    pub fn contest(
        learner_id: &str,
        round_id: i32,
        seed: u64,
        items: &[DrawnItem],
        mut entry: contest_entry::ActiveModel,
        open_key: String,
        now: i64,
    ) -> Result<NewStart, AppError> {
        let attempt_id = uuid::Uuid::new_v4().to_string();
        let (attempt, items) = rows(
            &attempt_id,
            learner_id,
            AttemptKind::Contest,
            &AttemptScope::Round(round_id),
            seed,
            items,
            now,
        )?;
        entry.attempt_id = Set(attempt_id.clone());
        entry.open_key = Set(Some(open_key.clone()));
        Ok(NewStart {
            attempt,
            items,
            entry,
            attempt_id,
            open_key,
        })
    }

    pub fn attempt_id(&self) -> &str {
        &self.attempt_id
    }
}

/// Contest starts in shared commits: `Ok(true)` = started (committed); `Ok(false)` = the pupil
/// already has an open attempt in the round (another tab or device got there first; nothing of
/// this one was kept).
pub type StartWriter = SharedCommits<NewStart>;

impl StartWriter {
    pub fn start_writer(db: DatabaseConnection, metrics: std::sync::Arc<Metrics>) -> StartWriter {
        SharedCommits::start(db, START_QUEUE, metrics)
    }
}

impl Batch for NewStart {
    type Done = bool;
    const LABEL: &'static str = "start writer: batch";
    const MAX: usize = MAX_STARTS;

    /// One transaction: the attempts, their items, then the entries — an entry whose open key is
    /// taken is not written (`ON CONFLICT DO NOTHING`), and its attempt and items are removed
    /// again before the commit.
    async fn write_all(
        db: &DatabaseConnection,
        starts: &[NewStart],
    ) -> Result<Vec<bool>, AppError> {
        // Two starts of one pupil in one batch: the first is written, the second loses at once.
        let mut keys = HashSet::with_capacity(starts.len());
        let first: Vec<bool> = starts
            .iter()
            .map(|s| keys.insert(s.open_key.as_str()))
            .collect();
        let chosen: Vec<&NewStart> = starts
            .iter()
            .zip(&first)
            .filter_map(|(s, first)| first.then_some(s))
            .collect();
        let txn = crate::platform::db::begin_write(db).await?;
        // Chunks keep each statement well below both databases' limits on parameters.
        for chunk in chosen.chunks(100) {
            attempt::Entity::insert_many(chunk.iter().map(|s| s.attempt.clone()))
                .exec_without_returning(&txn)
                .await?;
        }
        let items: Vec<attempt_item::ActiveModel> = chosen
            .iter()
            .flat_map(|s| s.items.iter().cloned())
            .collect();
        for chunk in items.chunks(1_000) {
            attempt_item::Entity::insert_many(chunk.iter().cloned())
                .exec_without_returning(&txn)
                .await?;
        }
        let mut entered: HashSet<String> = HashSet::with_capacity(chosen.len());
        for chunk in chosen.chunks(100) {
            let mut insert =
                contest_entry::Entity::insert_many(chunk.iter().map(|s| s.entry.clone()))
                    .on_conflict(
                        OnConflict::column(contest_entry::Column::OpenKey)
                            .do_nothing()
                            .to_owned(),
                    )
                    .into_query();
            insert.returning_col(contest_entry::Column::AttemptId);
            for row in txn.query_all(&insert).await? {
                entered.insert(row.try_get("", "attempt_id")?);
            }
        }
        let lost: Vec<&str> = chosen
            .iter()
            .map(|s| s.attempt_id.as_str())
            .filter(|id| !entered.contains(*id))
            .collect();
        if !lost.is_empty() {
            attempt_item::Entity::delete_many()
                .filter(attempt_item::Column::AttemptId.is_in(lost.iter().copied()))
                .exec(&txn)
                .await?;
            attempt::Entity::delete_many()
                .filter(attempt::Column::Id.is_in(lost.iter().copied()))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(starts
            .iter()
            .zip(first)
            .map(|(s, first)| first && entered.contains(&s.attempt_id))
            .collect())
    }

    fn count(metrics: &Metrics, written: Option<u64>) {
        if written.is_none() {
            metrics.starts_shed();
        }
    }
}
