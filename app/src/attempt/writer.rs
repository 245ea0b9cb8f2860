//! Answer saves share their commits: each app server has one writer task that takes every save
//! waiting for it and writes them in one statement (one commit), then acknowledges each. A save is
//! acknowledged only after the commit that holds it, so an acknowledged answer survives the
//! process being killed at any moment. Nothing waits on purpose: saves that arrive while a batch
//! is being written form the next batch, so batches grow with the load and stay single saves when
//! the server is quiet.
//!
//! The queue is bounded: when it is full the save is refused at once with [`AppError::Busy`]
//! (HTTP 503, "thử lại"), which the quiz page's autosave retries a moment later. Nothing is
//! queued without limit, and nothing refused was written.
//!
//! One statement per batch matters most on SQLite, where every statement costs two hand-offs
//! between threads and every commit takes the database's one write lock: a burst of 1,500 saves a
//! second is a few hundred statements instead of 1,500 (issue 17's note has the figures).

use super::submit::GRACE_MS;
use crate::error::AppError;
use crate::platform::metrics::Metrics;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Saves written in one statement at most (5 parameters each, far below both databases' limits).
pub const MAX_BATCH: usize = 500;
/// Saves that may wait for the writer by default (`KHIEN_SO_ANSWER_QUEUE`).
pub const DEFAULT_QUEUE: usize = 2_000;

/// One answer to write: the attempt's item at `position` gets `chosen` (JSON of original option
/// indexes) unless the attempt is submitted or its stored deadline passed before `now - grace`.
#[derive(Debug)]
struct Save {
    attempt_id: String,
    position: i32,
    chosen: String,
    now: i64,
    done: oneshot::Sender<Result<bool, AppError>>,
}

/// The handle requests use; cloning it is cheap.
#[derive(Clone, Debug)]
pub struct AnswerWriter {
    queue: mpsc::Sender<Save>,
    metrics: Arc<Metrics>,
}

impl AnswerWriter {
    /// Starts the writer task for `db` with room for `capacity` waiting saves. Needs a Tokio
    /// runtime; the task ends when every handle is dropped.
    pub fn start(db: DatabaseConnection, capacity: usize, metrics: Arc<Metrics>) -> AnswerWriter {
        let (queue, waiting) = mpsc::channel(capacity.max(1));
        tokio::spawn(write_batches(db, waiting, metrics.clone()));
        AnswerWriter { queue, metrics }
    }

    /// Writes one answer and waits for its commit: `Ok(true)` = stored, `Ok(false)` = refused
    /// because the attempt is submitted or its time is up (nothing written). A full queue is
    /// [`AppError::Busy`] at once (nothing written).
    pub async fn save(
        &self,
        attempt_id: &str,
        position: u32,
        chosen: String,
        now: i64,
    ) -> Result<bool, AppError> {
        let (done, acknowledged) = oneshot::channel();
        let save = Save {
            attempt_id: attempt_id.to_owned(),
            position: position as i32,
            chosen,
            now,
            done,
        };
        match self.queue.try_send(save) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.metrics.answers_shed();
                return Err(AppError::Busy);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                tracing::error!("the answer writer has stopped");
                return Err(AppError::Internal);
            }
        }
        acknowledged.await.map_err(|_| {
            tracing::error!("the answer writer dropped a save");
            AppError::Internal
        })?
    }
}

/// The writer task: takes what is waiting (up to [`MAX_BATCH`]), writes it in one statement,
/// answers each save, and starts again.
async fn write_batches(
    db: DatabaseConnection,
    mut waiting: mpsc::Receiver<Save>,
    metrics: Arc<Metrics>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while waiting.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let saves = std::mem::take(&mut batch);
        let outcome = metrics
            .measure_task("answer writer: batch", write(&db, &saves))
            .await;
        match outcome {
            Ok(stored) => {
                metrics.answers_written(saves.len() as u64);
                for save in saves {
                    let key = (save.attempt_id, save.position);
                    let _ = save.done.send(Ok(stored.contains(&key)));
                }
            }
            Err(error) => {
                tracing::error!(%error, saves = saves.len(), "writing answers failed");
                for save in saves {
                    let _ = save.done.send(Err(AppError::Internal));
                }
            }
        }
    }
}

/// Writes a batch in one `UPDATE … FROM (VALUES …) … RETURNING` and returns the items it wrote.
/// Two saves of one item in a batch: the later one is written (the earlier is answered as the
/// later is, having been replaced by it).
async fn write(
    db: &DatabaseConnection,
    saves: &[Save],
) -> Result<HashSet<(String, i32)>, AppError> {
    let mut newest: HashMap<(&str, i32), &Save> = HashMap::with_capacity(saves.len());
    for save in saves {
        newest.insert((save.attempt_id.as_str(), save.position), save);
    }
    let backend = db.get_database_backend();
    let mut rows = Vec::with_capacity(newest.len());
    let mut values = Vec::with_capacity(newest.len() * 5);
    for save in newest.values() {
        let n = values.len();
        rows.push(format!(
            "(${}, ${}, ${}, ${}, ${})",
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 5
        ));
        values.push(Value::from(save.attempt_id.clone()));
        values.push(Value::from(save.position));
        values.push(Value::from(save.chosen.clone()));
        values.push(Value::from(save.now));
        values.push(Value::from(save.now - GRACE_MS));
    }
    // VALUES' columns are column1 … column5 on both databases: attempt, position, chosen, time,
    // and the cutoff a contest deadline must not be before. The write checks, in the same
    // statement, that the attempt is not submitted and that its stored deadline has not passed.
    let text = format!(
        "UPDATE attempt_item SET chosen = v.column3, answered_at = v.column4 \
         FROM (VALUES {}) AS v \
         WHERE attempt_item.attempt_id = v.column1 AND attempt_item.\"position\" = v.column2 \
         AND EXISTS (SELECT 1 FROM attempt a WHERE a.id = v.column1 AND a.submitted_at IS NULL) \
         AND NOT EXISTS (SELECT 1 FROM contest_entry e WHERE e.attempt_id = v.column1 AND e.deadline_at < v.column5) \
         RETURNING attempt_item.attempt_id, attempt_item.\"position\"",
        rows.join(", ")
    );
    // On SQLite, in turn with the server's other writers (`platform::db::write_turn`).
    let turn = crate::platform::db::write_turn(db).await;
    let stored = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            crate::platform::limits::sql(backend, &text),
            values,
        ))
        .await?;
    drop(turn);
    let mut written = HashSet::with_capacity(stored.len());
    for row in stored {
        let attempt: String = row.try_get("", "attempt_id")?;
        let position: i32 = row.try_get("", "position")?;
        written.insert((attempt, position));
    }
    Ok(written)
}
