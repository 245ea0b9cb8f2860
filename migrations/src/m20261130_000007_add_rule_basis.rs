//! The document a school year's report answers to (a plan or decision), per school year: the
//! 2021–2025 plan has ended, and a successor plan is data, not code.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CoverageRule::Table)
                    .add_column(text_null(CoverageRule::Basis))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CoverageRule::Table)
                    .drop_column(CoverageRule::Basis)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum CoverageRule {
    Table,
    Basis,
}
