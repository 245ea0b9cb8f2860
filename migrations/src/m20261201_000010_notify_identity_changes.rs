//! PostgreSQL only: every committed change to what a session resolves to — an account's lock,
//! password or name, its roles, its sessions ending — notifies the channel `khien_so_identity`
//! with the account's id, so that every app server forgets what it kept of that account
//! (`app::accounts::identity`). Notifications are sent when the transaction commits, never for
//! one that rolls back. SQLite is served by one process, which forgets its own changes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &[&str] = &[
    r#"CREATE OR REPLACE FUNCTION khien_so_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('khien_so_identity', OLD.id::text);
    RETURN OLD;
  END IF;
  PERFORM pg_notify('khien_so_identity', NEW.id::text);
  RETURN NEW;
END $$"#,
    r#"CREATE OR REPLACE FUNCTION khien_so_account_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('khien_so_identity', OLD.account_id::text);
    RETURN OLD;
  END IF;
  PERFORM pg_notify('khien_so_identity', NEW.account_id::text);
  RETURN NEW;
END $$"#,
    // Signing in writes last_login_at: not something a session shows, so not notified.
    "CREATE TRIGGER account_identity AFTER UPDATE OF username, full_name, learner_id, \
     password_hash, must_change_password, disabled OR DELETE ON account \
     FOR EACH ROW EXECUTE FUNCTION khien_so_account_changed()",
    "CREATE TRIGGER role_grant_identity AFTER INSERT OR UPDATE OR DELETE ON role_grant \
     FOR EACH ROW EXECUTE FUNCTION khien_so_account_part_changed()",
    // A new session and its once-a-minute last_seen_at are not notified; an ended one is.
    "CREATE TRIGGER session_identity AFTER DELETE ON session \
     FOR EACH ROW EXECUTE FUNCTION khien_so_account_part_changed()",
];

const DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS session_identity ON session",
    "DROP TRIGGER IF EXISTS role_grant_identity ON role_grant",
    "DROP TRIGGER IF EXISTS account_identity ON account",
    "DROP FUNCTION IF EXISTS khien_so_account_part_changed()",
    "DROP FUNCTION IF EXISTS khien_so_account_changed()",
];

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    if manager.get_database_backend() != sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    let db = manager.get_connection();
    for statement in statements {
        db.execute_unprepared(statement).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, DOWN).await
    }
}
