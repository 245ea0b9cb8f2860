//! Reading the question bank as stored: revisions by id, levels as stored.

use crate::codes::Level;
use crate::entities::question_revision;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Joins level codes as stored in the database ("THCS,THPT").
pub fn levels_to_db(levels: &[Level]) -> String {
    levels
        .iter()
        .map(|l| l.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// Parses levels stored by [`levels_to_db`].
pub fn levels_from_db(levels: &str) -> Vec<Level> {
    levels.split(',').filter_map(Level::parse).collect()
}

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
