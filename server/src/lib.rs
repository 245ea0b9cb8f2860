//! The Khiên Số server: configuration, start-up (content, migrations), the axum router.
// The server monomorphises every page's view type; the largest (the class page) is deeper than
// the default query depth allows.
#![recursion_limit = "256"]

pub mod config;
pub mod coverage;
pub mod listener;
pub mod middleware;
pub mod uploads;

use app::content::load::{ContentError, load_content};
use app::{App, OUTPUT_NAME, shell};
use app::{content::sync::sync_content, platform::AppState, platform::db::connect};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use config::Config;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::OnceLock;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Why the server could not start.
#[derive(Debug)]
pub enum StartError {
    /// `content/` has errors; each is `file:line: message`.
    Content(Vec<ContentError>),
    /// Anything else (database, migrations).
    Other(anyhow::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Content(errors) => {
                writeln!(f, "Nội dung trong content/ có {} lỗi:", errors.len())?;
                for e in errors {
                    writeln!(f, "{e}")?;
                }
                Ok(())
            }
            StartError::Other(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for StartError {}

impl From<anyhow::Error> for StartError {
    fn from(e: anyhow::Error) -> Self {
        StartError::Other(e)
    }
}

impl From<sea_orm::DbErr> for StartError {
    fn from(e: sea_orm::DbErr) -> Self {
        StartError::Other(e.into())
    }
}

/// Creates the directory of a SQLite file if needed, so the default works on a fresh clone.
fn ensure_sqlite_dir(url: &str) -> anyhow::Result<()> {
    if let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let path = rest.split('?').next().unwrap_or("");
        if !path.is_empty()
            && !path.starts_with(':')
            && let Some(parent) = Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)?;
        }
    }
    Ok(())
}

/// Opens the database and applies pending migrations.
pub async fn open_database(config: &Config) -> Result<DatabaseConnection, StartError> {
    ensure_sqlite_dir(&config.database_url)?;
    let db = connect(&config.database_url, config.db_max_connections).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Validates content, migrates, syncs content: everything `serve` needs before listening.
pub async fn prepare(config: &Config) -> Result<AppState, StartError> {
    let content = load_content(&config.content_dir).map_err(StartError::Content)?;
    // The dummy hash for unknown usernames, computed while the rest starts up.
    tokio::task::spawn_blocking(app::accounts::auth::warm_up);
    let mut db = open_database(config).await?;
    let metrics = std::sync::Arc::new(app::platform::metrics::Metrics::default());
    app::platform::metrics::watch_queries(&mut db, &metrics);
    let report = sync_content(&db, &content).await?;
    app::platform::notice::load_key(&db)
        .await
        .map_err(|e| StartError::Other(anyhow::anyhow!("loading the message key: {e}")))?;
    tracing::info!(
        topics = content.topics.len(),
        lessons = content.lessons.len(),
        questions = content.questions.len(),
        ?report,
        "content synced"
    );
    let leptos_options = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .build();
    let answers = app::attempt::writer::AnswerWriter::start(
        db.clone(),
        config.answer_queue as usize,
        metrics.clone(),
    );
    // On PostgreSQL other app servers change accounts too: their changes arrive by notification.
    let postgres = db.get_database_backend() == sea_orm::DbBackend::Postgres;
    let identities = app::accounts::identity::IdentityCache::new(!postgres);
    if postgres {
        tokio::spawn(app::accounts::identity::listen(
            db.clone(),
            std::sync::Arc::downgrade(&identities),
        ));
    }
    let starts = app::attempt::start::StartWriter::start_writer(db.clone(), metrics.clone());
    let submissions =
        app::attempt::submit::SubmitWriter::submit_writer(db.clone(), metrics.clone());
    Ok(AppState {
        starts,
        submissions,
        identities,
        answers,
        db,
        leptos_options,
        sessions: config.session_settings(),
        pool_cache: Default::default(),
        public_url: config.public_url.clone(),
        attempts: Default::default(),
        metrics,
        admission: std::sync::Arc::new(config.admission()),
    })
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct PreferenceQuery {
    lang: Option<String>,
    level: Option<String>,
}

/// Stores a preference cookie (`None` clears it) and goes back to the same-site page the user
/// was on, so the switch works as a plain link without JavaScript.
fn set_preference(headers: &HeaderMap, secure: bool, name: &str, value: Option<&str>) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Only go back to a page of this site.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            r.strip_prefix("http://")
                .or_else(|| r.strip_prefix("https://"))
        })
        .and_then(|r| r.strip_prefix(host))
        .filter(|path| path.starts_with('/') && !path.starts_with("//"))
        .unwrap_or("/")
        .to_owned();
    let cookie = format!(
        "{name}={}; Path=/; Max-Age={}; SameSite=Lax{}",
        value.unwrap_or(""),
        if value.is_some() { 31_536_000 } else { 0 },
        if secure { "; Secure" } else { "" }
    );
    let mut response = Redirect::to(&back).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// `/ngon-ngu?lang=en`: the interface language.
async fn switch_language(
    State(secure): State<bool>,
    Query(query): Query<PreferenceQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = app::i18n::Locale::from_tag(query.lang.as_deref().unwrap_or("vi"));
    set_preference(&headers, secure, app::i18n::LANG_COOKIE, Some(locale.tag()))
}

/// `/cap-hoc?level=THCS|THPT|all`: which level's questions practice draws from.
async fn switch_level(
    State(secure): State<bool>,
    Query(query): Query<PreferenceQuery>,
    headers: HeaderMap,
) -> Response {
    let level = query
        .level
        .as_deref()
        .and_then(app::codes::SchoolLevel::content_level);
    set_preference(&headers, secure, app::LEVEL_COOKIE, level.map(|l| l.code()))
}

/// The application's routes, generated once per process. While Leptos generates the list it
/// suppresses resource loading for the whole process, and a resource first polled in that window
/// never loads (leptos-rs/leptos#4773): generating it again while another router serves pages —
/// as parallel tests do — could leave a page waiting forever.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application as one router.
pub fn router(state: AppState, config: &Config) -> Router {
    let routes = route_list();
    let pkg_dir = config.site_root.join("pkg");
    let pkg = Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));
    let leptos_state = state.clone();
    let context_state = state.clone();
    let secure = config.secure_cookies;
    let app_routes = Router::new()
        .leptos_routes_with_context(
            &leptos_state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .route(
            "/api/{*fn_name}",
            axum::routing::post({
                let state = state.clone();
                move |req: axum::extract::Request| {
                    let state = state.clone();
                    leptos_axum::handle_server_fns_with_context(
                        move || provide_context(state.clone()),
                        req,
                    )
                }
            }),
        )
        .route(
            "/quan-tri/truong/nhap",
            axum::routing::post(uploads::directory).layer(axum::extract::DefaultBodyLimit::max(
                uploads::MAX_UPLOAD_BYTES,
            )),
        )
        .route(
            "/truong/{id}/nhap-danh-sach",
            axum::routing::post(uploads::roster).layer(axum::extract::DefaultBodyLimit::max(
                uploads::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/mau/{file}", get(uploads::template))
        .route(
            "/truong/{id}/xuat-du-lieu.csv",
            get(uploads::export_pupils_csv),
        )
        .route(
            "/truong/{id}/xuat-du-lieu.xlsx",
            get(uploads::export_pupils_xlsx),
        )
        .route(
            "/cuoc-thi/vong/{id}/ket-qua.csv",
            get(uploads::round_results_csv),
        )
        .route(
            "/cuoc-thi/vong/{id}/ket-qua.xlsx",
            get(uploads::round_results_xlsx),
        )
        .route(
            "/giao-bai/{id}/ket-qua.csv",
            get(uploads::assignment_results_csv),
        )
        .route(
            "/giao-bai/{id}/ket-qua.xlsx",
            get(uploads::assignment_results_xlsx),
        )
        .route(
            "/truong/{id}/chuong-trinh",
            axum::routing::post(coverage::log_program).layer(axum::extract::DefaultBodyLimit::max(
                coverage::MAX_PROGRAM_BODY_BYTES,
            )),
        )
        .route("/chuong-trinh/{id}/minh-chung", get(coverage::evidence))
        .route("/bao-cao/xuat/{file}", get(coverage::report_file))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            middleware::IdentityState {
                db: state.db.clone(),
                sessions: state.sessions,
                trust_proxy: config.trust_proxy,
                identities: state.identities.clone(),
            },
            middleware::identity,
        ))
        .with_state(state.clone());
    Router::new()
        .nest("/pkg", pkg)
        .route("/healthz", get(healthz).with_state(state.clone()))
        .route("/metrics", get(metrics).with_state(state.clone()))
        .route("/ngon-ngu", get(switch_language).with_state(secure))
        .route("/cap-hoc", get(switch_level).with_state(secure))
        .merge(app_routes)
        // Innermost: a request waits for its turn with its body already read (by `refuse_nul`),
        // so a client that sends its body slowly holds no turn.
        .layer(axum::middleware::from_fn_with_state(
            state.admission.clone(),
            middleware::admit,
        ))
        .layer(axum::middleware::from_fn(middleware::refuse_nul))
        .layer(axum::middleware::from_fn(middleware::refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(
            secure,
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            app::platform::metrics::measure,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().on_failure(log_failure))
}

/// Server errors go to the log as errors, except 503: a server shedding load answers "busy" on
/// purpose, many times in its worst minutes (320,487 in one measured 50,000-pupil round), and
/// shed answer saves are counted in `/metrics`. A database that cannot be reached, the other
/// 503, is logged where it is found.
fn log_failure(
    class: tower_http::classify::ServerErrorsFailureClass,
    latency: std::time::Duration,
    _span: &tracing::Span,
) {
    use tower_http::classify::ServerErrorsFailureClass as Class;
    let latency_ms = latency.as_millis() as u64;
    match class {
        Class::StatusCode(StatusCode::SERVICE_UNAVAILABLE) => {
            tracing::debug!(latency_ms, "answered 503: busy or database unavailable");
        }
        other => tracing::error!(classification = %other, latency_ms, "response failed"),
    }
}

/// `/metrics`: what requests cost, in Prometheus' text format — only to a client on this machine
/// that did not come through a proxy (nginx adds `X-Forwarded-For`).
async fn metrics(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<SocketAddr>,
    headers: http::HeaderMap,
) -> Response {
    let proxied = headers.contains_key("x-forwarded-for") || headers.contains_key("forwarded");
    if !peer.ip().is_loopback() || proxied {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        app::platform::metrics::render(
            &state.metrics,
            &state.db,
            state.identities.len(),
            &state.admission,
        ),
    )
        .into_response()
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve(
    config: &Config,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let state = prepare(config).await?;
    tokio::spawn(submit_expired_attempts(state.db.clone()));
    let app = router(state, config);
    let limits = config.connection_limits();
    tracing::info!(
        address = %listener.local_addr().map_err(anyhow::Error::from)?,
        max_connections = limits.max_connections,
        idle_seconds = limits.idle.as_secs(),
        "listening"
    );
    listener::serve(listener, app, limits, shutdown).await;
    tracing::info!("stopped");
    Ok(())
}

/// Every 15 seconds, submits the contest attempts whose time ran out, so a pupil who closed the
/// tab still has their saved answers marked, and prunes old limit counters and expired leases.
/// Each app server runs it; both are idempotent.
async fn submit_expired_attempts(db: DatabaseConnection) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
    loop {
        tick.tick().await;
        match app::attempt::submit::submit_expired(&db, app::clock::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(submitted = n, "expired contest attempts submitted"),
            Err(error) => tracing::warn!(%error, "could not submit expired contest attempts"),
        }
        // Sign-in and practice counters are kept a day past their window (the longest is 15
        // minutes), expired leases not at all.
        if let Err(error) =
            app::platform::limits::prune(&db, app::clock::now_ms(), 24 * 3_600_000).await
        {
            tracing::warn!(%error, "could not prune old counters");
        }
    }
}

/// Writes a consistent copy of the SQLite database to `target` while the server may be running.
pub async fn backup(config: &Config, target: &Path) -> anyhow::Result<()> {
    if !config.is_sqlite() {
        anyhow::bail!(
            "Lệnh backup chỉ dành cho SQLite. Với PostgreSQL hãy dùng: pg_dump --format=custom --file=khien-so.dump \"$KHIEN_SO_DATABASE_URL\""
        );
    }
    if target.exists() {
        anyhow::bail!(
            "Tệp “{}” đã tồn tại; hãy chọn tên khác để không ghi đè bản sao lưu cũ.",
            target.display()
        );
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let db = connect(&config.database_url, 1).await?;
    let path = target.to_string_lossy().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{path}'"))
        .await?;
    Ok(())
}
