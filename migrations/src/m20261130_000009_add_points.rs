//! Points in hundredths: a "spot the warning signs" item earns part of its point (suspicious parts
//! chosen minus innocent ones, over the suspicious parts), so an attempt's points are no longer
//! its count of right answers. `score` keeps that count; `points` is what ranks and is shown.
//! Rows written before this migration get `points = score × 100`, which is what they earned.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Attempt::Table)
                    .add_column(integer_null(Attempt::Points))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ContestAward::Table)
                    .add_column(integer_null(ContestAward::Points))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE attempt SET points = score * 100 WHERE score IS NOT NULL")
            .await?;
        db.execute_unprepared("UPDATE contest_award SET points = score * 100")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ContestAward::Table)
                    .drop_column(ContestAward::Points)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Attempt::Table)
                    .drop_column(Attempt::Points)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Attempt {
    Table,
    Points,
}

#[derive(DeriveIden)]
enum ContestAward {
    Table,
    Points,
}
