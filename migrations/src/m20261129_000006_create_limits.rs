//! Counters for rate limits other than sign-in (anonymous practice starts), short leases that
//! keep one long job of a kind running at a time across app servers (one class-list import per
//! school), and settings the app servers share (the key that signs messages in redirects).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RateLimit::Table)
                    .col(string(RateLimit::Key).primary_key())
                    .col(big_integer(RateLimit::WindowStart))
                    .col(integer(RateLimit::Hits))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Lease::Table)
                    .col(string(Lease::Key).primary_key())
                    .col(string(Lease::Holder))
                    .col(big_integer(Lease::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Setting::Table)
                    .col(string(Setting::Name).primary_key())
                    .col(string(Setting::Value))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Setting::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Lease::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RateLimit::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RateLimit {
    Table,
    Key,
    WindowStart,
    Hits,
}

#[derive(DeriveIden)]
enum Lease {
    Table,
    Key,
    Holder,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Setting {
    Table,
    Name,
    Value,
}
