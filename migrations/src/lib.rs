//! Database migrations, portable between SQLite and PostgreSQL.
//!
//! Times are stored as Unix milliseconds (`BIGINT`) and structured values as JSON text so the
//! same schema and queries work unchanged on both backends.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_learning;
mod m20261128_000002_create_people;
mod m20261128_000003_create_contests;
mod m20261128_000004_create_contest_awards;
mod m20261128_000005_create_coverage;
mod m20261129_000006_create_limits;
mod m20261130_000007_add_rule_basis;
mod m20261130_000008_add_question_kind;
mod m20261130_000009_add_points;
mod m20261201_000010_notify_identity_changes;
mod m20261201_000011_create_assignments;
mod m20261201_000012_create_teacher_quizzes;

/// The ordered list of migrations, applied at start-up.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_learning::Migration),
            Box::new(m20261128_000002_create_people::Migration),
            Box::new(m20261128_000003_create_contests::Migration),
            Box::new(m20261128_000004_create_contest_awards::Migration),
            Box::new(m20261128_000005_create_coverage::Migration),
            Box::new(m20261129_000006_create_limits::Migration),
            Box::new(m20261130_000007_add_rule_basis::Migration),
            Box::new(m20261130_000008_add_question_kind::Migration),
            Box::new(m20261130_000009_add_points::Migration),
            Box::new(m20261201_000010_notify_identity_changes::Migration),
            Box::new(m20261201_000011_create_assignments::Migration),
            Box::new(m20261201_000012_create_teacher_quizzes::Migration),
        ]
    }
}
