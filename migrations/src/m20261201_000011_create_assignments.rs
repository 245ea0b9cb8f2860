//! Work a teacher sets for classes (bài được giao): a lesson with its topic quiz, or a topic's
//! practice quiz, open from one moment and due by another. The attempts pupils make for it are
//! linked to it, so the teacher sees who has done it and how, class by class.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Assignment::Table)
                    .col(pk_auto(Assignment::Id))
                    .col(integer(Assignment::SchoolId))
                    .col(integer(Assignment::SchoolYear))
                    // "lesson:<slug>" (read the lesson, then its topic quiz) or "topic:<slug>".
                    .col(string(Assignment::Work))
                    // As shown to pupils, fixed when set (a renamed lesson keeps old work's title).
                    .col(string(Assignment::Title))
                    .col(string(Assignment::Note))
                    .col(integer_null(Assignment::CreatedBy))
                    .col(big_integer(Assignment::OpensAt))
                    .col(big_integer(Assignment::DueAt))
                    .col(big_integer(Assignment::CreatedAt))
                    .col(big_integer_null(Assignment::WithdrawnAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Assignment::Table, Assignment::SchoolId)
                            .to(School::Table, School::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_assignment_school_year")
                    .table(Assignment::Table)
                    .col(Assignment::SchoolId)
                    .col(Assignment::SchoolYear)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AssignmentClass::Table)
                    .col(integer(AssignmentClass::AssignmentId))
                    .col(integer(AssignmentClass::ClassId))
                    .primary_key(
                        Index::create()
                            .col(AssignmentClass::AssignmentId)
                            .col(AssignmentClass::ClassId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AssignmentClass::Table, AssignmentClass::AssignmentId)
                            .to(Assignment::Table, Assignment::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AssignmentClass::Table, AssignmentClass::ClassId)
                            .to(SchoolClass::Table, SchoolClass::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_assignment_class_class")
                    .table(AssignmentClass::Table)
                    .col(AssignmentClass::ClassId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AssignmentAttempt::Table)
                    .col(string(AssignmentAttempt::AttemptId).primary_key())
                    .col(integer(AssignmentAttempt::AssignmentId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AssignmentAttempt::Table, AssignmentAttempt::AttemptId)
                            .to(Attempt::Table, Attempt::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AssignmentAttempt::Table, AssignmentAttempt::AssignmentId)
                            .to(Assignment::Table, Assignment::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_assignment_attempt_assignment")
                    .table(AssignmentAttempt::Table)
                    .col(AssignmentAttempt::AssignmentId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AssignmentAttempt::Table.into_iden(),
            AssignmentClass::Table.into_iden(),
            Assignment::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Assignment {
    Table,
    Id,
    SchoolId,
    SchoolYear,
    Work,
    Title,
    Note,
    CreatedBy,
    OpensAt,
    DueAt,
    CreatedAt,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum AssignmentClass {
    Table,
    AssignmentId,
    ClassId,
}

#[derive(DeriveIden)]
enum AssignmentAttempt {
    Table,
    AttemptId,
    AssignmentId,
}

#[derive(DeriveIden)]
enum School {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SchoolClass {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Attempt {
    Table,
    Id,
}
