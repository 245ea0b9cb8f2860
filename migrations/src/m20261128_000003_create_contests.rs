//! Contests (cuộc thi) and their rounds (vòng/đợt), and the contest side of an attempt: which
//! round, whose, the server's deadline and the prediction. The questions, answers and score stay
//! in `attempt` / `attempt_item`, shared with practice.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Contest::Table)
                    .col(pk_auto(Contest::Id))
                    .col(string(Contest::Title))
                    .col(text(Contest::Description))
                    .col(integer(Contest::SchoolYear))
                    // Tie-break codes in order, e.g. "diem,du-doan,thoi-gian,nop-luc".
                    .col(string(Contest::RankingOrder))
                    // "cao-nhat" | "lan-cuoi" | "lan-dau".
                    .col(string(Contest::CountedAttempt))
                    .col(integer(Contest::PrizeFirst))
                    .col(integer(Contest::PrizeSecond))
                    .col(integer(Contest::PrizeThird))
                    .col(integer(Contest::PrizeConsolation))
                    .col(integer_null(Contest::PrizeMinScore))
                    .col(integer_null(Contest::CreatedBy))
                    .col(big_integer(Contest::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContestRound::Table)
                    .col(pk_auto(ContestRound::Id))
                    .col(integer(ContestRound::ContestId))
                    .col(string(ContestRound::Name))
                    .col(big_integer(ContestRound::OpensAt))
                    .col(big_integer(ContestRound::ClosesAt))
                    .col(big_integer(ContestRound::TimeAllowedMs))
                    .col(integer(ContestRound::AttemptsAllowed))
                    // JSON: the draw rules (track/topic/difficulty/count).
                    .col(text(ContestRound::DrawRules))
                    // JSON: levels, school ids, commune ids (empty = everyone).
                    .col(text(ContestRound::Eligibility))
                    .col(string_null(ContestRound::PredictionQuestion))
                    // "ngay" (review right after submitting) | "sau-vong" (after the round closes).
                    .col(string(ContestRound::Review))
                    .col(big_integer_null(ContestRound::ResultsPublishedAt))
                    .col(big_integer(ContestRound::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContestRound::Table, ContestRound::ContestId)
                            .to(Contest::Table, Contest::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contest_round_contest")
                    .table(ContestRound::Table)
                    .col(ContestRound::ContestId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContestEntry::Table)
                    .col(string(ContestEntry::AttemptId).primary_key())
                    .col(integer(ContestEntry::RoundId))
                    .col(integer(ContestEntry::AccountId))
                    // Where the pupil was when they started: rankings and coverage use it even
                    // if they move later.
                    .col(integer_null(ContestEntry::SchoolId))
                    .col(integer_null(ContestEntry::CommuneId))
                    .col(string_null(ContestEntry::ClassName))
                    .col(string_null(ContestEntry::Level))
                    .col(integer(ContestEntry::AttemptNo))
                    .col(big_integer(ContestEntry::DeadlineAt))
                    .col(big_integer_null(ContestEntry::Prediction))
                    // "<round>:<account>" while the attempt is open, NULL once submitted: the
                    // unique index allows one open attempt per pupil per round on both backends.
                    .col(string_null(ContestEntry::OpenKey).unique_key())
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContestEntry::Table, ContestEntry::AttemptId)
                            .to(Attempt::Table, Attempt::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContestEntry::Table, ContestEntry::RoundId)
                            .to(ContestRound::Table, ContestRound::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contest_entry_round_account")
                    .table(ContestEntry::Table)
                    .col(ContestEntry::RoundId)
                    .col(ContestEntry::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contest_entry_open_deadline")
                    .table(ContestEntry::Table)
                    .col(ContestEntry::OpenKey)
                    .col(ContestEntry::DeadlineAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ContestEntry::Table.into_iden(),
            ContestRound::Table.into_iden(),
            Contest::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Contest {
    Table,
    Id,
    Title,
    Description,
    SchoolYear,
    RankingOrder,
    CountedAttempt,
    PrizeFirst,
    PrizeSecond,
    PrizeThird,
    PrizeConsolation,
    PrizeMinScore,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ContestRound {
    Table,
    Id,
    ContestId,
    Name,
    OpensAt,
    ClosesAt,
    TimeAllowedMs,
    AttemptsAllowed,
    DrawRules,
    Eligibility,
    PredictionQuestion,
    Review,
    ResultsPublishedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ContestEntry {
    Table,
    AttemptId,
    RoundId,
    AccountId,
    SchoolId,
    CommuneId,
    ClassName,
    Level,
    AttemptNo,
    DeadlineAt,
    Prediction,
    OpenKey,
}

#[derive(DeriveIden)]
enum Attempt {
    Table,
    Id,
}
