//! Quizzes a teacher builds from the official bank (đề của giáo viên): their questions as the
//! revisions chosen, so a quiz already used keeps the wording its pupils saw. Visible to the
//! teacher's school only when shared; never drawn into practice or contest rounds.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TeacherQuiz::Table)
                    .col(pk_auto(TeacherQuiz::Id))
                    .col(integer(TeacherQuiz::SchoolId))
                    .col(string(TeacherQuiz::Title))
                    .col(integer_null(TeacherQuiz::CreatedBy))
                    .col(boolean(TeacherQuiz::Shared))
                    .col(big_integer(TeacherQuiz::CreatedAt))
                    .col(big_integer(TeacherQuiz::UpdatedAt))
                    // Set when first assigned: from then on its questions are fixed.
                    .col(big_integer_null(TeacherQuiz::UsedAt))
                    .col(big_integer_null(TeacherQuiz::DeletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TeacherQuiz::Table, TeacherQuiz::SchoolId)
                            .to(School::Table, School::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_teacher_quiz_school")
                    .table(TeacherQuiz::Table)
                    .col(TeacherQuiz::SchoolId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TeacherQuizItem::Table)
                    .col(integer(TeacherQuizItem::QuizId))
                    .col(integer(TeacherQuizItem::Position))
                    .col(integer(TeacherQuizItem::RevisionId))
                    .primary_key(
                        Index::create()
                            .col(TeacherQuizItem::QuizId)
                            .col(TeacherQuizItem::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TeacherQuizItem::Table, TeacherQuizItem::QuizId)
                            .to(TeacherQuiz::Table, TeacherQuiz::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TeacherQuizItem::Table, TeacherQuizItem::RevisionId)
                            .to(QuestionRevision::Table, QuestionRevision::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TeacherQuizItem::Table.into_iden(),
            TeacherQuiz::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TeacherQuiz {
    Table,
    Id,
    SchoolId,
    Title,
    CreatedBy,
    Shared,
    CreatedAt,
    UpdatedAt,
    UsedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum TeacherQuizItem {
    Table,
    QuizId,
    Position,
    RevisionId,
}

#[derive(DeriveIden)]
enum School {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum QuestionRevision {
    Table,
    Id,
}
