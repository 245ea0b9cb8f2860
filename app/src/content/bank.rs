//! Reading the question bank as stored: revisions by id.

use crate::entities::{question, question_revision};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

/// Question revisions by id, in one query.
pub async fn revisions_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, question_revision::Model>, sea_orm::DbErr> {
    Ok(question_revision::Entity::find()
        .filter(question_revision::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect())
}

/// The questions quizzes can draw now: a warning-signs item (content issue, item 6) is stored but
/// not drawn until the quiz shows it. Practice, its counts and the contest pool all ask here.
pub async fn drawable(
    db: &impl ConnectionTrait,
    questions: Vec<question::Model>,
) -> Result<Vec<question::Model>, crate::error::AppError> {
    use sea_orm::QuerySelect;
    let not_drawn: HashSet<i32> = question_revision::Entity::find()
        .select_only()
        .column(question_revision::Column::Id)
        .filter(
            question_revision::Column::Kind.ne(crate::content::load::QuestionKind::Choice.code()),
        )
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(questions
        .into_iter()
        .filter(|q| !not_drawn.contains(&q.current_revision))
        .collect())
}
