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
