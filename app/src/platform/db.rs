//! The database connection and the limit on CPU-heavy work: what every service needs and nothing
//! else, so services depend on this and on no request or state.

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, ExecResult,
    QueryResult, Statement,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Opens a pool. SQLite gets WAL, `synchronous=NORMAL`, a busy timeout, foreign keys and reads
/// through a memory map of up to 256 MiB.
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
                // Pages are read from the mapped file instead of copied into each connection's
                // cache: under a stream of writes every other connection finds its cache stale
                // and reads its pages again on its next query.
                .pragma("mmap_size", "268435456")
        });
    }
    Database::connect(options).await
}

/// Starts a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: it takes the write
/// lock at once, instead of starting as a read and failing with "database is locked" when it tries
/// to write after another connection did — which a load test showed under a few hundred
/// concurrent pupils. PostgreSQL ignores the option.
///
/// On SQLite the transaction first waits for this server's turn to write ([`write_turn`]), so the
/// server's writers take the database's one write lock in the order they asked for it.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    let turn = write_turn(db).await;
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(WriteTxn { txn, _turn: turn })
}

/// The writers of one SQLite file in this process, in the order they asked.
type Turns = std::sync::Mutex<std::collections::HashMap<std::path::PathBuf, Arc<Mutex<()>>>>;
static TURNS: std::sync::LazyLock<Turns> = std::sync::LazyLock::new(Default::default);

/// On SQLite, waits for this process's turn to write to the database file (first come, first
/// served) and holds it until the guard is dropped; `None` on PostgreSQL, whose row locks need no
/// such order. Without it, writers that find the file locked sleep in SQLite's busy handler for
/// 1, 2, 5 … 100 ms at a time and may wake long after the lock was free: measured, the 3,000
/// submissions of a burst then waited up to a second each.
pub async fn write_turn(db: &DatabaseConnection) -> Option<OwnedMutexGuard<()>> {
    use sea_orm::DatabaseConnectionType as Type;
    let Type::SqlxSqlitePoolConnection(_) = &db.inner else {
        return None;
    };
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let turn = TURNS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(file)
        .or_default()
        .clone();
    Some(turn.lock_owned().await)
}

/// A transaction from [`begin_write`]: used like a `DatabaseTransaction` (it is a
/// `ConnectionTrait`), and on SQLite holding the server's turn to write until it ends.
pub struct WriteTxn {
    txn: sea_orm::DatabaseTransaction,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

#[sea_orm::prelude::async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
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

/// A statement over a list of rows: `text` holds `{values}` where the rows go, written
/// `($1, $2), ($3, $4) …` (turned into `?` on SQLite), and reads them as `v.column1 …` from
/// `FROM (VALUES {values}) AS v` on both databases. Every row must have the same width; keep rows ×
/// width well below both databases' limits on parameters (SQLite 32,766, PostgreSQL 65,535).
pub fn with_values(backend: DbBackend, text: &str, rows: Vec<Vec<sea_orm::Value>>) -> Statement {
    let mut list = String::with_capacity(rows.len() * 16);
    let mut values = Vec::with_capacity(rows.iter().map(Vec::len).sum());
    for (r, row) in rows.into_iter().enumerate() {
        if r > 0 {
            list.push_str(", ");
        }
        list.push('(');
        for (c, value) in row.into_iter().enumerate() {
            if c > 0 {
                list.push_str(", ");
            }
            values.push(value);
            list.push_str(&format!("${}", values.len()));
        }
        list.push(')');
    }
    let text = text.replace("{values}", &list);
    Statement::from_sql_and_values(
        backend,
        crate::platform::limits::sql(backend, &text),
        values,
    )
}
