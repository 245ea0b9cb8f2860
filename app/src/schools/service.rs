//! Schools as the rest of the server reads them: one school by id, the level of a grade.

use crate::codes::SchoolLevel;
use crate::entities::school;
use crate::error::AppError;
use sea_orm::{ConnectionTrait, EntityTrait};

/// The level of a grade (6 → THCS, 10 → THPT).
pub fn level_of_grade(grade: i32) -> Option<SchoolLevel> {
    [SchoolLevel::TieuHoc, SchoolLevel::Thcs, SchoolLevel::Thpt]
        .into_iter()
        .find(|l| {
            l.grades().is_some_and(|g| {
                (0..=u8::MAX as i32).contains(&grade) && g.contains(&(grade as u8))
            })
        })
}

/// Loads a school or answers 404.
pub async fn school_by_id(db: &impl ConnectionTrait, id: i32) -> Result<school::Model, AppError> {
    school::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}
