//! "Spot the warning signs" questions: a revision records its kind, the message its parts sit in
//! (what pupils see) and a note per part (shown only after submitting, like the explanation).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new(QuestionRevision::Kind)
                .string()
                .not_null()
                .default("choice")
                .to_owned(),
            text_null(QuestionRevision::LayoutJson),
            text_null(QuestionRevision::NotesJson),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(QuestionRevision::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            QuestionRevision::NotesJson,
            QuestionRevision::LayoutJson,
            QuestionRevision::Kind,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(QuestionRevision::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum QuestionRevision {
    Table,
    Kind,
    LayoutJson,
    NotesJson,
}
