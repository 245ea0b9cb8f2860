//! What every server function and route shares: the application state (below), how many requests
//! are worked on at once ([`admission`]), the request being answered ([`request`]), the database
//! connection and heavy-work limit ([`db`]), counters and leases shared by app servers
//! ([`limits`]), signed messages in redirects ([`notice`]) and what requests cost ([`metrics`]).

pub mod admission;
pub mod db;
pub mod limits;
pub mod metrics;
pub mod notice;
pub mod request;

use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

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
    /// What attempts' pages and saves keep instead of reading it again (`attempt::cache`).
    pub attempts: std::sync::Arc<crate::attempt::cache::AttemptCache>,
    /// Writes answer saves in shared commits (`attempt::writer`).
    pub answers: crate::attempt::writer::AnswerWriter,
    /// Who is behind each session, kept by this server (`accounts::identity`).
    pub identities: std::sync::Arc<crate::accounts::identity::IdentityCache>,
    /// Writes contest starts in shared commits (`attempt::start`).
    pub starts: crate::attempt::start::StartWriter,
    /// Writes pupils' submissions in shared commits (`attempt::submit`).
    pub submissions: crate::attempt::submit::SubmitWriter,
    /// What requests cost (`/metrics`).
    pub metrics: std::sync::Arc<metrics::Metrics>,
    /// How many requests are worked on at once (`platform::admission`).
    pub admission: std::sync::Arc<admission::Admission>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state provided to server functions and pages.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        crate::error::AppError::Internal
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
