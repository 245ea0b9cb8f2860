//! Reading the question bank as stored: revisions by id, and what kind of question a revision is.

use crate::entities::question_revision;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

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

/// Whether a revision is a "spot the warning signs" question (its options are the parts of a
/// message, kept in place and scored per part).
pub fn is_signs(revision: &question_revision::Model) -> bool {
    revision.kind == crate::content::load::QuestionKind::Signs.code()
}
