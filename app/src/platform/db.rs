//! The database connection and the limit on CPU-heavy work: what every service needs and nothing
//! else, so services depend on this and on no request or state.

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// Opens a pool. SQLite gets WAL, `synchronous=NORMAL`, a busy timeout and foreign keys.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    }
    Database::connect(options).await
}

/// Starts a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: it takes the write
/// lock at once (waiting up to the busy timeout), instead of starting as a read and failing with
/// "database is locked" when it tries to write after another connection did — which a load test
/// showed under a few hundred concurrent pupils. PostgreSQL ignores the option.
pub async fn begin_write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// CPU-heavy jobs (reading an uploaded spreadsheet, hashing an imported class's passwords) run
/// on the blocking pool, at most this many at a time per app server, so they never hold up the
/// requests of a contest round.
pub const HEAVY_WORK_AT_ONCE: usize = 2;

static HEAVY_WORK: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HEAVY_WORK_AT_ONCE);

/// Waits for a turn to do heavy work; keep the permit while it runs.
pub async fn heavy_work_permit()
-> Result<tokio::sync::SemaphorePermit<'static>, crate::error::AppError> {
    HEAVY_WORK.acquire().await.map_err(|e| {
        tracing::error!(%e, "heavy-work semaphore closed");
        crate::error::AppError::Internal
    })
}

/// Runs CPU-heavy work on the blocking pool, one of [`HEAVY_WORK_AT_ONCE`] at a time.
pub async fn run_heavy<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, crate::error::AppError> {
    let _permit = heavy_work_permit().await?;
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!(%e, "heavy work failed");
        crate::error::AppError::Internal
    })
}
