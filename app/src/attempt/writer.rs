//! Writes that share their commits. Answer saves ([`Save`]), contest starts
//! ([`super::start::NewStart`]) and submissions ([`super::submit::Submission`]) each have one
//! writer task per app server that takes every job waiting for it and writes them together (one
//! statement, or one transaction of a few statements), then acknowledges each. A job is
//! acknowledged only after the commit that holds it, so an acknowledged answer, start or
//! submission survives the process being killed at any moment. A batch that lost a deadlock
//! (nothing of it written) is written again, twice at most, before its jobs hear "busy".
//! Nothing waits on purpose: jobs that arrive while a batch is being written form the next batch,
//! so batches grow with the load and stay single jobs when the server is quiet.
//!
//! The queues are bounded: when one is full the job is refused at once with [`AppError::Busy`]
//! (HTTP 503, "thử lại"), which the quiz page's autosave and the start form retry a moment later.
//! Nothing is queued without limit, and nothing refused was written.
//!
//! Shared commits matter most on SQLite, where every statement costs two hand-offs between
//! threads and every commit takes the database's one write lock: a burst of 1,500 saves a second
//! is a few hundred statements instead of 1,500 (issue 17's note has the figures).

use super::answer::{Answers, answers_of_many};
use super::submit::GRACE_MS;
use crate::error::AppError;
use crate::platform::metrics::Metrics;
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Saves written in one statement at most (5 parameters each, far below both databases' limits).
pub const MAX_BATCH: usize = 500;
/// Saves that may wait for the writer by default (`KHIEN_SO_ANSWER_QUEUE`).
pub const DEFAULT_QUEUE: usize = 2_000;

/// Jobs written together: how a batch of them is written, and what each comes to.
pub trait Batch: Sized + Send + Sync + 'static {
    /// What each job comes to, in the order of the jobs.
    type Done: Send + 'static;
    /// The name its batches are counted under in `/metrics`.
    const LABEL: &'static str;
    /// Jobs written together at most.
    const MAX: usize;
    /// Writes the jobs (committed when it returns `Ok`) and says what each came to.
    fn write_all(
        db: &DatabaseConnection,
        jobs: &[Self],
    ) -> impl Future<Output = Result<Vec<Self::Done>, AppError>> + Send;
    /// Counts jobs written, or one job turned away.
    fn count(metrics: &Metrics, written: Option<u64>);
}

struct Job<B: Batch> {
    job: B,
    done: oneshot::Sender<Result<B::Done, AppError>>,
}

/// The handle requests use to have jobs written in shared commits; cloning it is cheap.
pub struct SharedCommits<B: Batch> {
    queue: mpsc::Sender<Job<B>>,
    metrics: Arc<Metrics>,
}

impl<B: Batch> Clone for SharedCommits<B> {
    fn clone(&self) -> Self {
        SharedCommits {
            queue: self.queue.clone(),
            metrics: self.metrics.clone(),
        }
    }
}

impl<B: Batch> std::fmt::Debug for SharedCommits<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedCommits")
            .field("label", &B::LABEL)
            .finish()
    }
}

impl<B: Batch> SharedCommits<B> {
    /// Starts the writer task for `db` with room for `capacity` waiting jobs. Needs a Tokio
    /// runtime; the task ends when every handle is dropped.
    pub fn start(db: DatabaseConnection, capacity: usize, metrics: Arc<Metrics>) -> Self {
        let (queue, waiting) = mpsc::channel(capacity.max(1));
        tokio::spawn(write_batches::<B>(db, waiting, metrics.clone()));
        SharedCommits { queue, metrics }
    }

    /// Has one job written and waits for its commit. A full queue is [`AppError::Busy`] at once
    /// (nothing written).
    pub async fn run(&self, job: B) -> Result<B::Done, AppError> {
        let (done, acknowledged) = oneshot::channel();
        match self.queue.try_send(Job { job, done }) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                B::count(&self.metrics, None);
                return Err(AppError::Busy);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                tracing::error!(writer = B::LABEL, "a writer task has stopped");
                return Err(AppError::Internal);
            }
        }
        acknowledged.await.map_err(|_| {
            tracing::error!(writer = B::LABEL, "a writer task dropped a job");
            AppError::Internal
        })?
    }
}

/// The writer task: takes what is waiting (up to `B::MAX`), writes it, answers each job, and
/// starts again.
async fn write_batches<B: Batch>(
    db: DatabaseConnection,
    mut waiting: mpsc::Receiver<Job<B>>,
    metrics: Arc<Metrics>,
) {
    let mut batch = Vec::with_capacity(B::MAX);
    while waiting.recv_many(&mut batch, B::MAX).await > 0 {
        let (jobs, done): (Vec<B>, Vec<_>) = std::mem::take(&mut batch)
            .into_iter()
            .map(|j| (j.job, j.done))
            .unzip();
        let mut outcome = metrics
            .measure_task(B::LABEL, B::write_all(&db, &jobs))
            .await;
        // A batch that lost a deadlock (PostgreSQL, against another writer or server) wrote
        // nothing: it is written again, twice at most, before its jobs are answered "try again".
        for pause_ms in [10, 50] {
            if !matches!(outcome, Err(AppError::Busy)) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(pause_ms)).await;
            outcome = metrics
                .measure_task(B::LABEL, B::write_all(&db, &jobs))
                .await;
        }
        match outcome {
            Ok(results) if results.len() == jobs.len() => {
                B::count(&metrics, Some(jobs.len() as u64));
                for (done, result) in done.into_iter().zip(results) {
                    let _ = done.send(Ok(result));
                }
            }
            Ok(_) => {
                tracing::error!(
                    writer = B::LABEL,
                    "a batch answered for the wrong number of jobs"
                );
                for done in done {
                    let _ = done.send(Err(AppError::Internal));
                }
            }
            Err(AppError::Busy) => {
                for done in done {
                    let _ = done.send(Err(AppError::Busy));
                }
            }
            Err(error) => {
                tracing::error!(writer = B::LABEL, %error, jobs = jobs.len(), "writing a batch failed");
                for done in done {
                    let _ = done.send(Err(AppError::Internal));
                }
            }
        }
    }
}

/// One answer to write: the attempt's item at `position` gets `chosen` (JSON of original option
/// indexes) unless the attempt is submitted or its stored deadline passed before `now - grace`.
#[derive(Debug)]
pub struct Save {
    attempt_id: String,
    position: i32,
    chosen: String,
    now: i64,
    /// Read where the attempt stands once the batch is written.
    then_read: bool,
}

/// What a save came to.
#[derive(Debug)]
pub struct Saved {
    /// Stored; `false` = refused because the attempt is submitted or its time is up.
    pub stored: bool,
    /// Where the attempt stands after the batch, if asked for and stored.
    pub answers: Option<Answers>,
}

/// Answer saves in shared commits.
pub type AnswerWriter = SharedCommits<Save>;

impl SharedCommits<Save> {
    /// Writes one answer and waits for its commit (see [`Saved`]); with `then_read`, also reads
    /// where the attempt stands after it, in one query for every such save of the batch. A full
    /// queue is [`AppError::Busy`] at once (nothing written).
    pub async fn save(
        &self,
        attempt_id: &str,
        position: u32,
        chosen: String,
        now: i64,
        then_read: bool,
    ) -> Result<Saved, AppError> {
        self.run(Save {
            attempt_id: attempt_id.to_owned(),
            position: position as i32,
            chosen,
            now,
            then_read,
        })
        .await
    }
}

impl Batch for Save {
    type Done = Saved;
    const LABEL: &'static str = "answer writer: batch";
    const MAX: usize = MAX_BATCH;

    async fn write_all(db: &DatabaseConnection, saves: &[Save]) -> Result<Vec<Saved>, AppError> {
        let stored = write(db, saves).await?;
        let is_stored = |s: &Save| stored.contains(&(s.attempt_id.clone(), s.position));
        let wanted: HashSet<&str> = saves
            .iter()
            .filter(|s| s.then_read && is_stored(s))
            .map(|s| s.attempt_id.as_str())
            .collect();
        let standing = if wanted.is_empty() {
            HashMap::new()
        } else {
            answers_of_many(db, &wanted).await?
        };
        Ok(saves
            .iter()
            .map(|s| {
                let stored = is_stored(s);
                Saved {
                    stored,
                    answers: (stored && s.then_read)
                        .then(|| standing.get(s.attempt_id.as_str()).cloned())
                        .flatten(),
                }
            })
            .collect())
    }

    fn count(metrics: &Metrics, written: Option<u64>) {
        match written {
            Some(n) => metrics.answers_written(n),
            None => metrics.answers_shed(),
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
    let rows = newest
        .values()
        .map(|save| {
            vec![
                Value::from(save.attempt_id.clone()),
                Value::from(save.position),
                Value::from(save.chosen.clone()),
                Value::from(save.now),
                Value::from(save.now - GRACE_MS),
            ]
        })
        .collect();
    // VALUES' columns are column1 … column5 on both databases: attempt, position, chosen, time,
    // and the cutoff a contest deadline must not be before. The write checks, in the same
    // statement, that the attempt is not submitted and that its stored deadline has not passed.
    let statement = crate::platform::db::with_values(
        db.get_database_backend(),
        "UPDATE attempt_item SET chosen = v.column3, answered_at = v.column4 \
         FROM (VALUES {values}) AS v \
         WHERE attempt_item.attempt_id = v.column1 AND attempt_item.\"position\" = v.column2 \
         AND EXISTS (SELECT 1 FROM attempt a WHERE a.id = v.column1 AND a.submitted_at IS NULL) \
         AND NOT EXISTS (SELECT 1 FROM contest_entry e WHERE e.attempt_id = v.column1 AND e.deadline_at < v.column5) \
         RETURNING attempt_item.attempt_id, attempt_item.\"position\"",
        rows,
    );
    // On SQLite, in turn with the server's other writers (`platform::db::write_turn`).
    let turn = crate::platform::db::write_turn(db).await;
    let stored = db.query_all_raw(statement).await?;
    drop(turn);
    let mut written = HashSet::with_capacity(stored.len());
    for row in stored {
        let attempt: String = row.try_get("", "attempt_id")?;
        let position: i32 = row.try_get("", "position")?;
        written.insert((attempt, position));
    }
    Ok(written)
}
