//! An attempt's whole life, for practice quizzes and contest rounds alike:
//!
//! - [`start`]: an attempt is created with the items drawn for it (one path for every kind);
//! - [`answer`]: its questions are shown (never with their keys) and answered; [`writer`] writes
//!   the answers arriving together in one commit;
//! - [`submit`]: it is scored and closed by the pupil, or when its time is up (contest attempts),
//!   and participation is recorded with it;
//! - [`result`]: the score, and the keys and explanations when they may be shown;
//! - [`types`]: what the browser receives of it (a question never carries its key).
//!
//! Practice and contests decide what is drawn and who may start; they call this module, and it
//! calls neither of them.

#[cfg(feature = "ssr")]
pub mod answer;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod result;
#[cfg(feature = "ssr")]
pub mod start;
#[cfg(feature = "ssr")]
pub mod submit;
pub mod types;
#[cfg(feature = "ssr")]
pub mod writer;

#[cfg(feature = "ssr")]
use crate::entities::{attempt, attempt_item};
#[cfg(feature = "ssr")]
use crate::error::AppError;
#[cfg(feature = "ssr")]
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The items of an attempt, in order.
#[cfg(feature = "ssr")]
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

/// The answers of many attempts side by side, question by question: what item analysis and a
/// teacher's pupil × question grid read.
#[cfg(feature = "ssr")]
pub struct AnswerGrid {
    /// One per question id seen, with its latest revision seen, in question id order.
    pub questions: Vec<crate::entities::question_revision::Model>,
    /// Per attempt id, its answer to each of `questions` (`None`: not among its items).
    pub by_attempt:
        std::collections::HashMap<String, Vec<Option<crate::domain::item_analysis::ItemAnswer>>>,
}

#[cfg(feature = "ssr")]
impl AnswerGrid {
    /// Puts the questions (and every attempt's answers) in the order of `key`; ties keep their
    /// question id order.
    pub fn sort_by_key<K: Ord>(
        &mut self,
        key: impl Fn(&crate::entities::question_revision::Model) -> K,
    ) {
        let mut order: Vec<usize> = (0..self.questions.len()).collect();
        order.sort_by_key(|&i| key(&self.questions[i]));
        self.questions = order.iter().map(|&i| self.questions[i].clone()).collect();
        for row in self.by_attempt.values_mut() {
            *row = order.iter().map(|&i| row[i].clone()).collect();
        }
    }

    /// An attempt's row (all `None` for an attempt without items).
    pub fn row(&self, attempt_id: &str) -> Vec<Option<crate::domain::item_analysis::ItemAnswer>> {
        self.by_attempt
            .get(attempt_id)
            .cloned()
            .unwrap_or_else(|| vec![None; self.questions.len()])
    }
}

/// Reads the items of these attempts and the revisions they show, and lines them up by question.
#[cfg(feature = "ssr")]
pub async fn answer_grid(
    db: &impl ConnectionTrait,
    attempt_ids: impl IntoIterator<Item = String>,
) -> Result<AnswerGrid, AppError> {
    use crate::domain::item_analysis::ItemAnswer;
    use std::collections::{BTreeMap, HashMap};
    let items = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.is_in(attempt_ids))
        .all(db)
        .await?;
    let revisions =
        crate::content::bank::revisions_by_id(db, items.iter().map(|i| i.revision_id)).await?;
    let mut latest: BTreeMap<&str, &crate::entities::question_revision::Model> = BTreeMap::new();
    for revision in revisions.values() {
        let slot = latest
            .entry(revision.question_id.as_str())
            .or_insert(revision);
        if revision.revision > slot.revision {
            *slot = revision;
        }
    }
    let column: HashMap<&str, usize> = latest.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut by_attempt: HashMap<String, Vec<Option<ItemAnswer>>> = HashMap::new();
    for item in &items {
        let Some(revision) = revisions.get(&item.revision_id) else {
            continue;
        };
        let chosen = match item.chosen.as_deref() {
            Some(c) => stored_indexes("attempt_item.chosen", c)?,
            None => vec![],
        };
        by_attempt
            .entry(item.attempt_id.clone())
            .or_insert_with(|| vec![None; latest.len()])[column[revision.question_id.as_str()]] =
            Some(ItemAnswer {
                correct: item.is_correct.unwrap_or(false),
                chosen,
            });
    }
    Ok(AnswerGrid {
        questions: latest.into_values().cloned().collect(),
        by_attempt,
    })
}

/// Option positions stored as JSON (`[2,0,1,3]`).
#[cfg(feature = "ssr")]
pub fn stored_indexes(column: &str, text: &str) -> Result<Vec<usize>, AppError> {
    crate::codes::stored_json(column, text)
}

/// Points in hundredths as stored with a score (`attempt`, `contest_award`): rows scored by a
/// server older than points in hundredths have only the count of right answers, 100 points each,
/// which is what they earned.
pub fn stored_points(points: Option<i32>, right_answers: Option<i32>) -> Option<u32> {
    points
        .or(right_answers.map(|s| s.saturating_mul(100)))
        .map(|p| p.max(0) as u32)
}

/// The points (hundredths) of a submitted attempt; `None` before it is submitted.
#[cfg(feature = "ssr")]
pub fn points_of(attempt: &attempt::Model) -> Option<u32> {
    stored_points(attempt.points, attempt.score)
}

/// An attempt of this learner: someone else's is reported as not found.
#[cfg(feature = "ssr")]
async fn own_attempt(
    db: &impl ConnectionTrait,
    learner_id: &str,
    attempt_id: &str,
) -> Result<attempt::Model, AppError> {
    attempt::Entity::find_by_id(attempt_id.to_owned())
        .filter(attempt::Column::LearnerId.eq(learner_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}
