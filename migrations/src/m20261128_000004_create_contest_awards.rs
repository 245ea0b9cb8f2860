//! Published results of a round: one row per pupil ranked, with the prize (if any) and the code
//! printed on their certificate (giấy chứng nhận), which anyone can verify at `/chung-nhan/<code>`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContestAward::Table)
                    .col(pk_auto(ContestAward::Id))
                    .col(integer(ContestAward::RoundId))
                    .col(integer(ContestAward::AccountId))
                    .col(string(ContestAward::AttemptId))
                    .col(integer(ContestAward::Rank))
                    // "nhat" | "nhi" | "ba" | "khuyen-khich", or NULL for taking part.
                    .col(string_null(ContestAward::Prize))
                    .col(integer(ContestAward::Score))
                    .col(integer(ContestAward::Total))
                    .col(big_integer(ContestAward::TimeUsedMs))
                    // As printed, so a certificate stays true if the pupil moves or is renamed.
                    .col(string(ContestAward::DisplayName))
                    .col(string(ContestAward::SchoolName))
                    .col(string_null(ContestAward::ClassName))
                    .col(string_uniq(ContestAward::Code))
                    .col(big_integer(ContestAward::IssuedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContestAward::Table, ContestAward::RoundId)
                            .to(ContestRound::Table, ContestRound::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contest_award_round_rank")
                    .table(ContestAward::Table)
                    .col(ContestAward::RoundId)
                    .col(ContestAward::Rank)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contest_award_account")
                    .table(ContestAward::Table)
                    .col(ContestAward::AccountId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ContestAward::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ContestAward {
    Table,
    Id,
    RoundId,
    AccountId,
    AttemptId,
    Rank,
    Prize,
    Score,
    Total,
    TimeUsedMs,
    DisplayName,
    SchoolName,
    ClassName,
    Code,
    IssuedAt,
}

#[derive(DeriveIden)]
enum ContestRound {
    Table,
    Id,
}
