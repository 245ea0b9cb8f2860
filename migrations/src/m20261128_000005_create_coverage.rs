//! Participation and coverage (plan section II.1): one participation record per pupil × track ×
//! school year, tallies per school × year × level × track kept up to date as pupils take part (so
//! dashboards never scan attempts), the department's rule for each school year, and the offline
//! programs schools log for the department to approve.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CoverageRule::Table)
                    .col(integer(CoverageRule::SchoolYear).primary_key())
                    // ISO dates: the year's first and last day for statistics.
                    .col(string(CoverageRule::StartsOn))
                    .col(string(CoverageRule::EndsOn))
                    .col(integer(CoverageRule::ThresholdPercent))
                    .col(integer(CoverageRule::PassPercent))
                    .col(integer(CoverageRule::TargetAPercent))
                    .col(boolean(CoverageRule::TargetAStrict))
                    .col(integer(CoverageRule::TargetBPercent))
                    .col(boolean(CoverageRule::TargetBStrict))
                    .col(integer_null(CoverageRule::UpdatedBy))
                    .col(big_integer(CoverageRule::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Participation::Table)
                    .col(pk_auto(Participation::Id))
                    .col(integer(Participation::AccountId))
                    // "A" | "B".
                    .col(string(Participation::Track))
                    .col(integer(Participation::SchoolYear))
                    // Where the pupil was when they first took part that year.
                    .col(integer(Participation::SchoolId))
                    .col(string(Participation::Level))
                    .col(integer_null(Participation::ClassId))
                    // "lesson" | "contest": what first made the pupil a participant.
                    .col(string(Participation::Via))
                    .col(big_integer(Participation::FirstAt))
                    .col(big_integer(Participation::LastAt))
                    .col(integer(Participation::Activities))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_participation_pupil_track_year")
                    .table(Participation::Table)
                    .col(Participation::AccountId)
                    .col(Participation::Track)
                    .col(Participation::SchoolYear)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_participation_school_year")
                    .table(Participation::Table)
                    .col(Participation::SchoolId)
                    .col(Participation::SchoolYear)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ParticipationTally::Table)
                    .col(integer(ParticipationTally::SchoolId))
                    .col(integer(ParticipationTally::SchoolYear))
                    .col(string(ParticipationTally::Level))
                    // "A", "B", or "*" for pupils who took part in either track.
                    .col(string(ParticipationTally::Track))
                    .col(integer(ParticipationTally::Participants))
                    .primary_key(
                        Index::create()
                            .col(ParticipationTally::SchoolId)
                            .col(ParticipationTally::SchoolYear)
                            .col(ParticipationTally::Level)
                            .col(ParticipationTally::Track),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_participation_tally_year")
                    .table(ParticipationTally::Table)
                    .col(ParticipationTally::SchoolYear)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OfflineProgram::Table)
                    .col(pk_auto(OfflineProgram::Id))
                    .col(integer(OfflineProgram::SchoolId))
                    .col(integer(OfflineProgram::SchoolYear))
                    .col(string(OfflineProgram::Track))
                    // Comma-separated level codes the program was for.
                    .col(string(OfflineProgram::Levels))
                    .col(string(OfflineProgram::HeldOn))
                    .col(string(OfflineProgram::Title))
                    .col(integer(OfflineProgram::Participants))
                    .col(string_null(OfflineProgram::EvidenceUrl))
                    .col(string_null(OfflineProgram::EvidenceName))
                    // "cho-duyet" | "da-duyet" | "tu-choi".
                    .col(string(OfflineProgram::Status))
                    .col(string_null(OfflineProgram::Reason))
                    .col(integer(OfflineProgram::SubmittedBy))
                    .col(big_integer(OfflineProgram::SubmittedAt))
                    .col(integer_null(OfflineProgram::DecidedBy))
                    .col(big_integer_null(OfflineProgram::DecidedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offline_program_year_status")
                    .table(OfflineProgram::Table)
                    .col(OfflineProgram::SchoolYear)
                    .col(OfflineProgram::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_offline_program_school")
                    .table(OfflineProgram::Table)
                    .col(OfflineProgram::SchoolId)
                    .col(OfflineProgram::SchoolYear)
                    .to_owned(),
            )
            .await?;
        // The evidence file apart, so that lists of programs never read it; in the database so
        // that several app servers need no shared disk.
        manager
            .create_table(
                Table::create()
                    .table(OfflineEvidence::Table)
                    .col(integer(OfflineEvidence::ProgramId).primary_key())
                    .col(string(OfflineEvidence::ContentType))
                    .col(blob(OfflineEvidence::Data))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OfflineEvidence::Table, OfflineEvidence::ProgramId)
                            .to(OfflineProgram::Table, OfflineProgram::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OfflineEvidence::Table.into_iden(),
            OfflineProgram::Table.into_iden(),
            ParticipationTally::Table.into_iden(),
            Participation::Table.into_iden(),
            CoverageRule::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum CoverageRule {
    Table,
    SchoolYear,
    StartsOn,
    EndsOn,
    ThresholdPercent,
    PassPercent,
    TargetAPercent,
    TargetAStrict,
    TargetBPercent,
    TargetBStrict,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Participation {
    Table,
    Id,
    AccountId,
    Track,
    SchoolYear,
    SchoolId,
    Level,
    ClassId,
    Via,
    FirstAt,
    LastAt,
    Activities,
}

#[derive(DeriveIden)]
enum ParticipationTally {
    Table,
    SchoolId,
    SchoolYear,
    Level,
    Track,
    Participants,
}

#[derive(DeriveIden)]
enum OfflineProgram {
    Table,
    Id,
    SchoolId,
    SchoolYear,
    Track,
    Levels,
    HeldOn,
    Title,
    Participants,
    EvidenceUrl,
    EvidenceName,
    Status,
    Reason,
    SubmittedBy,
    SubmittedAt,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum OfflineEvidence {
    Table,
    ProgramId,
    ContentType,
    Data,
}
