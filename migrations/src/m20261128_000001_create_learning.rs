//! Content (topics, lessons, questions with revisions), anonymous learners and practice attempts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Topic::Table)
                    .col(string(Topic::Slug).primary_key())
                    .col(string_len(Topic::Track, 1))
                    .col(string(Topic::Title))
                    .col(string(Topic::TitleEn))
                    .col(integer(Topic::Position))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Lesson::Table)
                    .col(string(Lesson::Slug).primary_key())
                    .col(string_len(Lesson::Track, 1))
                    .col(string(Lesson::Topic))
                    .col(string(Lesson::Title))
                    .col(text(Lesson::Summary))
                    .col(string(Lesson::Levels))
                    .col(integer(Lesson::Minutes))
                    .col(text(Lesson::BodyHtml))
                    .col(text(Lesson::SourcesJson))
                    .col(string(Lesson::ContentHash))
                    .col(boolean(Lesson::Active))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Lesson::Table, Lesson::Topic)
                            .to(Topic::Table, Topic::Slug),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Question::Table)
                    .col(string(Question::Id).primary_key())
                    .col(string_len(Question::Track, 1))
                    .col(string(Question::Topic))
                    .col(integer(Question::Difficulty))
                    .col(string(Question::Levels))
                    .col(boolean(Question::Active))
                    .col(integer(Question::CurrentRevision))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Question::Table, Question::Topic)
                            .to(Topic::Table, Topic::Slug),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_question_track_topic")
                    .table(Question::Table)
                    .col(Question::Track)
                    .col(Question::Topic)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(QuestionRevision::Table)
                    .col(pk_auto(QuestionRevision::Id))
                    .col(string(QuestionRevision::QuestionId))
                    .col(integer(QuestionRevision::Revision))
                    .col(string(QuestionRevision::ContentHash))
                    .col(text(QuestionRevision::Stem))
                    .col(text(QuestionRevision::OptionsJson))
                    .col(string(QuestionRevision::CorrectJson))
                    .col(text(QuestionRevision::Explanation))
                    .col(text(QuestionRevision::Source))
                    .col(big_integer(QuestionRevision::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(QuestionRevision::Table, QuestionRevision::QuestionId)
                            .to(Question::Table, Question::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_question_revision")
                    .table(QuestionRevision::Table)
                    .col(QuestionRevision::QuestionId)
                    .col(QuestionRevision::Revision)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Learner::Table)
                    .col(string(Learner::Id).primary_key())
                    .col(big_integer(Learner::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attempt::Table)
                    .col(string(Attempt::Id).primary_key())
                    .col(string(Attempt::LearnerId))
                    .col(string(Attempt::Kind))
                    .col(string(Attempt::Scope))
                    .col(big_integer(Attempt::Seed))
                    .col(integer(Attempt::Total))
                    .col(big_integer(Attempt::StartedAt))
                    .col(big_integer_null(Attempt::SubmittedAt))
                    .col(integer_null(Attempt::Score))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attempt::Table, Attempt::LearnerId)
                            .to(Learner::Table, Learner::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attempt_learner")
                    .table(Attempt::Table)
                    .col(Attempt::LearnerId)
                    .col(Attempt::StartedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttemptItem::Table)
                    .col(string(AttemptItem::AttemptId))
                    .col(integer(AttemptItem::Position))
                    .col(integer(AttemptItem::RevisionId))
                    .col(string(AttemptItem::OptionOrder))
                    .col(string_null(AttemptItem::Chosen))
                    .col(big_integer_null(AttemptItem::AnsweredAt))
                    .col(boolean_null(AttemptItem::IsCorrect))
                    .primary_key(
                        Index::create()
                            .col(AttemptItem::AttemptId)
                            .col(AttemptItem::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AttemptItem::Table, AttemptItem::AttemptId)
                            .to(Attempt::Table, Attempt::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AttemptItem::Table, AttemptItem::RevisionId)
                            .to(QuestionRevision::Table, QuestionRevision::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AttemptItem::Table.into_iden(),
            Attempt::Table.into_iden(),
            Learner::Table.into_iden(),
            QuestionRevision::Table.into_iden(),
            Question::Table.into_iden(),
            Lesson::Table.into_iden(),
            Topic::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Topic {
    Table,
    Slug,
    Track,
    Title,
    TitleEn,
    Position,
}

#[derive(DeriveIden)]
enum Lesson {
    Table,
    Slug,
    Track,
    Topic,
    Title,
    Summary,
    Levels,
    Minutes,
    BodyHtml,
    SourcesJson,
    ContentHash,
    Active,
}

#[derive(DeriveIden)]
enum Question {
    Table,
    Id,
    Track,
    Topic,
    Difficulty,
    Levels,
    Active,
    CurrentRevision,
}

#[derive(DeriveIden)]
enum QuestionRevision {
    Table,
    Id,
    QuestionId,
    Revision,
    ContentHash,
    Stem,
    OptionsJson,
    CorrectJson,
    Explanation,
    Source,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Learner {
    Table,
    Id,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attempt {
    Table,
    Id,
    LearnerId,
    Kind,
    Scope,
    Seed,
    Total,
    StartedAt,
    SubmittedAt,
    Score,
}

#[derive(DeriveIden)]
enum AttemptItem {
    Table,
    AttemptId,
    Position,
    RevisionId,
    OptionOrder,
    Chosen,
    AnsweredAt,
    IsCorrect,
}
