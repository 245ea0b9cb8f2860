//! Configuration, read once from the environment. Every variable is documented in README.md.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// `KHIEN_SO_DATABASE_URL`: `sqlite://…?mode=rwc` (default `sqlite://data/khien-so.db?mode=rwc`)
    /// or `postgres://user@host/db`.
    pub database_url: String,
    /// `KHIEN_SO_LISTEN` (default `127.0.0.1:3000`).
    pub listen: SocketAddr,
    /// `KHIEN_SO_SITE_ROOT` or cargo-leptos' `LEPTOS_SITE_ROOT` (default `target/site`): holds `pkg/`.
    pub site_root: PathBuf,
    /// `KHIEN_SO_CONTENT_DIR` (default `content`).
    pub content_dir: PathBuf,
    /// `KHIEN_SO_DB_MAX_CONNECTIONS` (default 8 for SQLite, 16 for PostgreSQL).
    pub db_max_connections: u32,
    /// `KHIEN_SO_SECURE_COOKIES` = `true` behind HTTPS: cookies get the `Secure` flag.
    pub secure_cookies: bool,
    /// `KHIEN_SO_LOG_FORMAT` = `text` (default) or `json`.
    pub log_json: bool,
    /// `KHIEN_SO_SESSION_IDLE_MINUTES` (default 120): a session unused this long ends.
    pub session_idle_minutes: u32,
    /// `KHIEN_SO_SESSION_HOURS` (default 12): a session ends this long after sign-in.
    pub session_hours: u32,
    /// `KHIEN_SO_TRUST_PROXY` = `true` behind a reverse proxy: the client address (for login
    /// limits and the audit log) is the last entry of `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// `KHIEN_SO_PUBLIC_URL` (e.g. `https://khienso.example.edu.vn`): the address pupils type,
    /// printed on login slips. Unset: slips say “the sign-in page of Khiên Số” without an address
    /// (the request's Host header is never printed: anyone can send any Host).
    pub public_url: Option<String>,
    /// `KHIEN_SO_ANSWER_QUEUE` (default 2000): answer saves that may wait for the writer, which
    /// commits them together; when that many wait, a save is answered 503 “thử lại” and the
    /// quiz page sends it again a moment later.
    pub answer_queue: u32,
    /// `KHIEN_SO_MAX_IN_FLIGHT` (default 256): requests worked on at once; the others wait their
    /// turn (`platform::admission`).
    pub max_in_flight: u32,
    /// `KHIEN_SO_MAX_WAIT_SECONDS` (default 5): how long a request waits for its turn before it
    /// is answered “busy, try again” (503 with `Retry-After`).
    pub max_wait_seconds: u32,
    /// `KHIEN_SO_MAX_CONNECTIONS`: connections kept open at once (the next client waits until one
    /// closes). Unset: the open-files limit less a reserve for the database and the rest
    /// (`listener::default_max_connections`).
    pub max_connections: Option<u32>,
    /// `KHIEN_SO_IDLE_SECONDS` (default 60): a connection that has not sent a whole request head
    /// this long after it opened or after its last response is closed.
    pub idle_seconds: u32,
}

impl Config {
    /// Reads the environment; a malformed value is an error that names the variable.
    pub fn from_env() -> anyhow::Result<Config> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let database_url = var("KHIEN_SO_DATABASE_URL")
            .unwrap_or_else(|| "sqlite://data/khien-so.db?mode=rwc".to_owned());
        let listen = var("KHIEN_SO_LISTEN")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        let listen: SocketAddr = listen.parse().map_err(|_| {
            anyhow::anyhow!(
                "KHIEN_SO_LISTEN=“{listen}” không phải địa chỉ hợp lệ (ví dụ 127.0.0.1:3000)"
            )
        })?;
        let is_sqlite = database_url.starts_with("sqlite:");
        let db_max_connections = match var("KHIEN_SO_DB_MAX_CONNECTIONS") {
            Some(v) => v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                anyhow::anyhow!("KHIEN_SO_DB_MAX_CONNECTIONS=“{v}” phải là số nguyên dương")
            })?,
            None if is_sqlite => 8,
            None => 16,
        };
        let flag = |name: &str| -> anyhow::Result<bool> {
            match var(name).as_deref() {
                None | Some("false") | Some("0") => Ok(false),
                Some("true") | Some("1") => Ok(true),
                Some(other) => Err(anyhow::anyhow!("{name}=“{other}” phải là true hoặc false")),
            }
        };
        let log_json = match var("KHIEN_SO_LOG_FORMAT").as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => anyhow::bail!("KHIEN_SO_LOG_FORMAT=“{other}” phải là text hoặc json"),
        };
        let number = |name: &str, default: u32| -> anyhow::Result<u32> {
            match var(name) {
                Some(v) => v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| anyhow::anyhow!("{name}=“{v}” phải là số nguyên dương")),
                None => Ok(default),
            }
        };
        Ok(Config {
            session_idle_minutes: number("KHIEN_SO_SESSION_IDLE_MINUTES", 120)?,
            session_hours: number("KHIEN_SO_SESSION_HOURS", 12)?,
            answer_queue: number(
                "KHIEN_SO_ANSWER_QUEUE",
                app::attempt::writer::DEFAULT_QUEUE as u32,
            )?,
            max_in_flight: number(
                "KHIEN_SO_MAX_IN_FLIGHT",
                app::platform::admission::DEFAULT_MAX_IN_FLIGHT as u32,
            )?,
            max_wait_seconds: number(
                "KHIEN_SO_MAX_WAIT_SECONDS",
                app::platform::admission::DEFAULT_WAIT.as_secs() as u32,
            )?,
            max_connections: var("KHIEN_SO_MAX_CONNECTIONS")
                .map(|_| number("KHIEN_SO_MAX_CONNECTIONS", 0))
                .transpose()?,
            idle_seconds: number(
                "KHIEN_SO_IDLE_SECONDS",
                crate::listener::DEFAULT_IDLE.as_secs() as u32,
            )?,
            trust_proxy: flag("KHIEN_SO_TRUST_PROXY")?,
            public_url: match var("KHIEN_SO_PUBLIC_URL") {
                None => None,
                Some(url) => {
                    let url = url.trim().trim_end_matches('/').to_owned();
                    if !(url.starts_with("https://") || url.starts_with("http://"))
                        || !url.bytes().all(|b| b.is_ascii_graphic())
                    {
                        anyhow::bail!(
                            "KHIEN_SO_PUBLIC_URL=“{url}” phải là địa chỉ bắt đầu bằng https://, ví dụ https://khienso.example.edu.vn"
                        );
                    }
                    Some(url)
                }
            },
            database_url,
            listen,
            site_root: var("KHIEN_SO_SITE_ROOT")
                .or_else(|| var("LEPTOS_SITE_ROOT"))
                .unwrap_or_else(|| "target/site".to_owned())
                .into(),
            content_dir: var("KHIEN_SO_CONTENT_DIR")
                .unwrap_or_else(|| "content".to_owned())
                .into(),
            db_max_connections,
            secure_cookies: flag("KHIEN_SO_SECURE_COOKIES")?,
            log_json,
        })
    }

    /// Session lifetimes and cookie flags.
    pub fn session_settings(&self) -> app::accounts::auth::SessionSettings {
        app::accounts::auth::SessionSettings {
            idle_ms: i64::from(self.session_idle_minutes) * 60_000,
            absolute_ms: i64::from(self.session_hours) * 3_600_000,
            secure_cookies: self.secure_cookies,
        }
    }

    /// How many requests are worked on at once, and how long the others wait.
    pub fn admission(&self) -> app::platform::admission::Admission {
        app::platform::admission::Admission::new(
            self.max_in_flight as usize,
            std::time::Duration::from_secs(u64::from(self.max_wait_seconds)),
        )
    }

    /// How many connections the server keeps open and how long one may wait for a request: the
    /// configured number, or what the open-files limit in force leaves.
    pub fn connection_limits(&self) -> crate::listener::ConnectionLimits {
        crate::listener::ConnectionLimits {
            max_connections: match self.max_connections {
                Some(n) => n as usize,
                None => crate::listener::default_max_connections(
                    crate::listener::open_files_limit().unwrap_or(1_024),
                    self.db_max_connections,
                ),
            },
            idle: std::time::Duration::from_secs(u64::from(self.idle_seconds)),
        }
    }

    /// Whether the database is the embedded SQLite.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}
