//! Submitting an attempt: scoring it, closing a contest entry, and recording participation, all in
//! one transaction. Pupils submit their own; contest attempts whose time is up are submitted by
//! whoever looks next, and by the server's sweep for pupils who closed the tab.

use super::own_attempt;
use super::writer::{Batch, SharedCommits};
use super::{items_of, stored_indexes};
use crate::clock::now_ms;
use crate::codes::AttemptKind;
use crate::content::bank::{is_signs, revisions_by_id};
use crate::domain::quiz;
use crate::entities::{attempt, attempt_item, contest_entry};
use crate::error::AppError;
use crate::platform::metrics::Metrics;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Value};
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

/// Submissions written in one transaction at most: their attempts fit in one `IN` list.
const MAX_SUBMISSIONS: usize = 100;
/// Submissions that may wait for the submit writer.
pub const SUBMIT_QUEUE: usize = 2_000;
/// Items marked in one statement at most (3 parameters each): a batch of long rounds is split.
const MARKS_PER_STATEMENT: usize = 3_000;

/// What submitting an attempt needs that does not depend on its answers, read before the write
/// lock is taken: the keys of its questions (items keep their revision) and what participation
/// needs.
pub struct Submission {
    attempt_id: String,
    keys: HashMap<i32, (bool, Vec<usize>)>,
    context: Option<crate::coverage::service::AttemptContext>,
    now: i64,
}

/// An attempt found already submitted (its score), or what submitting it needs.
enum Prepared {
    Submitted(u32),
    Ready(Box<Submission>),
}

/// Reads, for `attempt` as just read, what submitting it needs.
async fn prepare(
    db: &DatabaseConnection,
    attempt: attempt::Model,
    now: i64,
) -> Result<Prepared, AppError> {
    let attempt_id = attempt.id.as_str();
    if let Some(score) = attempt.score {
        return Ok(Prepared::Submitted(score.max(0) as u32));
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
    let context =
        crate::coverage::service::prepare_attempt(db, &attempt, &question_ids, now).await?;
    Ok(Prepared::Ready(Box::new(Submission {
        attempt_id: attempt.id,
        keys,
        context,
        now,
    })))
}

/// Scores and closes any attempt (the owner's check is the caller's business) in a transaction of
/// its own: a contest attempt also stops being the pupil's open attempt of the round. Submitting
/// twice changes nothing. Pupils' own submissions go through the [`SubmitWriter`] instead; this is
/// for the rarer ones (time up, the sweep).
pub async fn submit_any(db: &DatabaseConnection, attempt_id: &str) -> Result<u32, AppError> {
    let attempt = attempt::Entity::find_by_id(attempt_id.to_owned())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    match prepare(db, attempt, now_ms()).await? {
        Prepared::Submitted(score) => Ok(score),
        Prepared::Ready(job) => {
            let txn = crate::platform::db::begin_write(db).await?;
            let done = write_submissions(&txn, std::slice::from_ref(&*job)).await?;
            txn.commit().await?;
            done.into_iter().next().ok_or(AppError::Internal)?
        }
    }
}

/// Pupils' submissions in shared commits: the reads that do not depend on the answers are made by
/// each request, then the writer task scores and closes every submission waiting, together, in
/// one transaction ([`write_submissions`]).
pub type SubmitWriter = SharedCommits<Submission>;

impl SubmitWriter {
    pub fn submit_writer(db: DatabaseConnection, metrics: std::sync::Arc<Metrics>) -> Self {
        SharedCommits::start(db, SUBMIT_QUEUE, metrics)
    }

    /// Scores and closes this learner's attempt (someone else's is not found) and waits for the
    /// commit. Submitting twice changes nothing. A full queue is [`AppError::Busy`] at once
    /// (nothing written).
    pub async fn submit(
        &self,
        db: &DatabaseConnection,
        learner_id: &str,
        attempt_id: &str,
    ) -> Result<u32, AppError> {
        let attempt = own_attempt(db, learner_id, attempt_id).await?;
        match prepare(db, attempt, now_ms()).await? {
            Prepared::Submitted(score) => Ok(score),
            Prepared::Ready(job) => self.run(*job).await?,
        }
    }
}

impl Batch for Submission {
    type Done = Result<u32, AppError>;
    const LABEL: &'static str = "submit writer: batch";
    const MAX: usize = MAX_SUBMISSIONS;

    async fn write_all(
        db: &DatabaseConnection,
        jobs: &[Submission],
    ) -> Result<Vec<Self::Done>, AppError> {
        let txn = crate::platform::db::begin_write(db).await?;
        let done = write_submissions(&txn, jobs).await?;
        txn.commit().await?;
        Ok(done)
    }

    fn count(metrics: &Metrics, written: Option<u64>) {
        if written.is_none() {
            metrics.submits_shed();
        }
    }
}

/// Scores and closes submissions inside the caller's write transaction, in a few statements for
/// the lot whatever their number: the attempts and their items are read again under the lock
/// (another server or tab may have submitted one meanwhile, and answers are read only now, so
/// none saved before this point is missed); then the contest entries are closed, the items marked,
/// the attempts scored, and participation recorded. Says, for each job in order, its score, or
/// why it has none (an attempt gone, or a stored key that cannot be read): a bad job does not
/// keep the others from being written. One attempt twice in `jobs` is written once.
async fn write_submissions(
    db: &impl ConnectionTrait,
    jobs: &[Submission],
) -> Result<Vec<Result<u32, AppError>>, AppError> {
    let mut ids: Vec<&str> = jobs.iter().map(|j| j.attempt_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let attempts: HashMap<String, attempt::Model> = attempt::Entity::find()
        .filter(attempt::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let open: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| attempts.get(*id).is_some_and(|a| a.score.is_none()))
        .collect();
    let mut items: HashMap<String, Vec<attempt_item::Model>> = HashMap::with_capacity(open.len());
    if !open.is_empty() {
        for item in attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.is_in(open))
            .all(db)
            .await?
        {
            items.entry(item.attempt_id.clone()).or_default().push(item);
        }
    }

    // Score each open attempt once (the first job naming it), in memory.
    let mut outcome: HashMap<&str, Result<u32, AppError>> = HashMap::with_capacity(ids.len());
    let mut closing: Vec<&str> = Vec::new();
    let mut marks: Vec<Vec<Value>> = Vec::new();
    let mut scored: Vec<Vec<Value>> = Vec::new();
    let mut taking = Vec::new();
    for job in jobs {
        let id = job.attempt_id.as_str();
        if outcome.contains_key(id) {
            continue;
        }
        let Some(attempt) = attempts.get(id) else {
            outcome.insert(id, Err(AppError::NotFound));
            continue;
        };
        if let Some(score) = attempt.score {
            outcome.insert(id, Ok(score.max(0) as u32));
            continue;
        }
        let Scored {
            score,
            points,
            marks: attempt_marks,
        } = match score_items(
            items.get(id).map(Vec::as_slice).unwrap_or_default(),
            &job.keys,
        ) {
            Ok(scored) => scored,
            Err(error) => {
                tracing::error!(attempt = id, %error, "an attempt could not be scored");
                outcome.insert(id, Err(error));
                continue;
            }
        };
        let kind = match AttemptKind::parse(&attempt.kind) {
            Ok(kind) => kind,
            Err(error) => {
                outcome.insert(id, Err(error));
                continue;
            }
        };
        if kind == AttemptKind::Contest {
            closing.push(id);
        }
        taking.extend(job.context.as_ref().and_then(|context| {
            crate::coverage::service::participation_of(context, kind, attempt, points, job.now)
        }));
        marks.extend(
            attempt_marks
                .into_iter()
                .map(|(position, right)| vec![id.into(), position.into(), right.into()]),
        );
        scored.push(vec![
            id.into(),
            job.now.into(),
            (score as i32).into(),
            (points as i32).into(),
        ]);
        outcome.insert(id, Ok(score));
    }

    if !closing.is_empty() {
        contest_entry::Entity::update_many()
            .col_expr(
                contest_entry::Column::OpenKey,
                Expr::value(Option::<String>::None),
            )
            .filter(contest_entry::Column::AttemptId.is_in(closing))
            .exec(db)
            .await?;
    }
    let backend = db.get_database_backend();
    for chunk in marks.chunks(MARKS_PER_STATEMENT) {
        db.execute_raw(crate::platform::db::with_values(
            backend,
            "UPDATE attempt_item SET is_correct = v.column3 FROM (VALUES {values}) AS v \
             WHERE attempt_item.attempt_id = v.column1 AND attempt_item.\"position\" = v.column2",
            chunk.to_vec(),
        ))
        .await?;
    }
    if !scored.is_empty() {
        db.execute_raw(crate::platform::db::with_values(
            backend,
            "UPDATE attempt SET submitted_at = v.column2, score = v.column3, points = v.column4 \
             FROM (VALUES {values}) AS v WHERE attempt.id = v.column1",
            scored,
        ))
        .await?;
    }
    // Participation (coverage) is written with the submissions, or not at all; last, because its
    // tallies are rows every pupil of a school shares (see `write_participations`).
    crate::coverage::service::write_participations(db, &taking).await?;
    Ok(jobs
        .iter()
        .map(|j| {
            outcome
                .get(j.attempt_id.as_str())
                .cloned()
                .unwrap_or(Err(AppError::Internal))
        })
        .collect())
}

/// What an attempt's answers earned.
struct Scored {
    /// Questions answered fully right.
    score: u32,
    /// Points in hundredths.
    points: u32,
    /// Per position, whether it was answered fully right.
    marks: Vec<(i32, bool)>,
}

fn score_items(
    items: &[attempt_item::Model],
    keys: &HashMap<i32, (bool, Vec<usize>)>,
) -> Result<Scored, AppError> {
    let mut score = 0u32;
    let mut points = 0u32;
    let mut marks = Vec::with_capacity(items.len());
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
        marks.push((item.position, correct));
    }
    Ok(Scored {
        score,
        points,
        marks,
    })
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
