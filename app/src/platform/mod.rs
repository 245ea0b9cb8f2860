//! What every server function and route shares: the application state, the request's caller and
//! learner, the database connection, and the limits on heavy work.

pub mod limits;
pub mod notice;

use leptos::config::LeptosOptions;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// Shared by every request: the database pool and Leptos' options.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    pub sessions: crate::accounts::auth::SessionSettings,
    /// The question pool contest draws use, kept for a short while.
    pub pool_cache: crate::contests::service::PoolCache,
    /// The address pupils type (`KHIEN_SO_PUBLIC_URL`), printed on login slips.
    pub public_url: Option<String>,
}

/// The client's address, for login limits and the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub Option<String>);

/// The anonymous learner id from the browser's own cookie, even while signed in (the
/// `LearnerId` extension is then the account's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnonymousLearner(pub String);

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The anonymous identity of a browser, from the `ks_learner` cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LearnerId(pub String);

/// Name of the cookie holding the anonymous learner id.
pub const LEARNER_COOKIE: &str = "ks_learner";

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

/// Sends the browser to `path` after a server function (see `leptos_axum::redirect`), which
/// panics on a value that cannot be a header: bytes other than printable ASCII are
/// percent-encoded first, so no text taken from a request can take the server down.
pub fn redirect(path: &str) {
    let mut safe = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_graphic() {
            safe.push(b as char);
        } else {
            safe.push_str(&format!("%{b:02X}"));
        }
    }
    leptos_axum::redirect(&safe);
}

/// The state provided to server functions and pages.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        crate::error::AppError::Internal
    })
}

/// The calling browser's learner id, set by the server's cookie middleware.
pub fn learner_id() -> Result<LearnerId, crate::error::AppError> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<LearnerId>().cloned())
        .ok_or_else(|| {
            tracing::error!("LearnerId missing from request");
            crate::error::AppError::Internal
        })
}

fn request_parts() -> Option<http::request::Parts> {
    leptos::prelude::use_context::<http::request::Parts>()
}

/// The acting person for the audit log: the caller and their address.
pub fn actor(caller: &crate::accounts::auth::Caller) -> crate::schools::people::Actor {
    crate::schools::people::Actor::from_caller(caller, client_ip())
}

/// The signed-in caller, if any.
pub fn caller() -> Option<crate::accounts::auth::Caller> {
    request_parts().and_then(|parts| {
        parts
            .extensions
            .get::<crate::accounts::auth::Caller>()
            .cloned()
    })
}

/// The signed-in caller, or `Unauthorized`.
pub fn require_caller() -> Result<crate::accounts::auth::Caller, crate::error::AppError> {
    caller().ok_or(crate::error::AppError::Unauthorized)
}

/// The client's address, when known.
pub fn client_ip() -> Option<String> {
    request_parts().and_then(|parts| {
        parts
            .extensions
            .get::<ClientIp>()
            .and_then(|ip| ip.0.clone())
    })
}

/// The browser's anonymous learner id.
pub fn anonymous_learner() -> Option<String> {
    request_parts().and_then(|parts| {
        parts
            .extensions
            .get::<AnonymousLearner>()
            .map(|l| l.0.clone())
    })
}

/// Adds the session `Set-Cookie` to the response (`None` clears it).
pub fn set_session_cookie(token: Option<&str>) {
    let secure = app_state()
        .map(|s| s.sessions.secure_cookies)
        .unwrap_or(false);
    if let (Some(response), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&crate::accounts::auth::session_cookie(token, secure)),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}
