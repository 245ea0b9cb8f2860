//! What requests cost, per route: how many, their time to the response's head, and the database
//! queries each made (count and time), with the database pool's use — served in Prometheus' text
//! format at `/metrics` (to this machine only). A query is counted for the request whose task ran
//! it; work a page hands to another task (streamed parts of a page) is counted as "no request".

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Upper bounds of the latency histogram, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// At most this many distinct routes are kept; others are counted as `other`.
const MAX_ROUTES: usize = 300;

tokio::task_local! {
    static REQUEST: Tally;
}

/// Queries made by one request so far.
#[derive(Default)]
struct Tally {
    queries: Cell<u64>,
    db_nanos: Cell<u64>,
}

/// Totals for one route.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteStats {
    pub requests: u64,
    /// Responses with a status of 500 or more.
    pub server_errors: u64,
    pub seconds: f64,
    /// Requests whose time was at most each bound of [`BUCKETS`] (cumulative).
    pub buckets: [u64; BUCKETS.len()],
    pub queries: u64,
    pub query_seconds: f64,
}

/// One server's counters (shared by its requests; each app has its own).
#[derive(Debug, Default)]
pub struct Metrics {
    routes: Mutex<HashMap<String, RouteStats>>,
    /// Queries made outside any request.
    stray_queries: AtomicU64,
    stray_query_nanos: AtomicU64,
    /// Answer saves the writer task wrote or refused (`attempt::writer`), and saves turned away
    /// because its queue was full.
    answers_written: AtomicU64,
    answers_shed: AtomicU64,
    starts_shed: AtomicU64,
    submits_shed: AtomicU64,
}

/// Counts every query of `db` for the request that made it.
pub fn watch_queries(db: &mut sea_orm::DatabaseConnection, metrics: &Arc<Metrics>) {
    let metrics = metrics.clone();
    db.set_metric_callback(move |info| metrics.on_query(info));
}

/// The route a request is counted under: `POST /api/record_answer`, `GET /luyen-tap/:id/cau/:id`
/// (a path segment with a digit, or a long one, stands for an id), `GET /pkg`.
pub fn route_label(method: &str, path: &str) -> String {
    if let Some(name) = path.strip_prefix("/api/") {
        let name = name.trim_end_matches(|c: char| c.is_ascii_digit());
        return format!("{method} /api/{name}");
    }
    if path.starts_with("/pkg/") {
        return format!("{method} /pkg");
    }
    let segments: Vec<&str> = path
        .split('/')
        .map(|s| {
            if s.chars().any(|c| c.is_ascii_digit()) || s.len() > 40 {
                ":id"
            } else {
                s
            }
        })
        .collect();
    format!("{method} {}", segments.join("/"))
}

impl Metrics {
    /// Called by the database driver after every query.
    fn on_query(&self, info: &sea_orm::metric::Info<'_>) {
        // `KHIEN_SO_LOG=…,khien_so::queries=trace` prints every query with its time.
        tracing::trace!(target: "khien_so::queries", elapsed_us = info.elapsed.as_micros() as u64, sql = %info.statement);
        let nanos = u64::try_from(info.elapsed.as_nanos()).unwrap_or(u64::MAX);
        let counted = REQUEST
            .try_with(|tally| {
                tally.queries.set(tally.queries.get() + 1);
                tally
                    .db_nanos
                    .set(tally.db_nanos.get().saturating_add(nanos));
            })
            .is_ok();
        if !counted {
            self.stray_queries.fetch_add(1, Ordering::Relaxed);
            self.stray_query_nanos.fetch_add(nanos, Ordering::Relaxed);
        }
    }

    fn record(&self, route: String, elapsed: Duration, status: u16, queries: u64, db_nanos: u64) {
        let seconds = elapsed.as_secs_f64();
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let key = if routes.contains_key(&route) || routes.len() < MAX_ROUTES {
            route
        } else {
            "other".to_owned()
        };
        let stats = routes.entry(key).or_default();
        stats.requests += 1;
        stats.server_errors += u64::from(status >= 500);
        stats.seconds += seconds;
        for (bound, count) in BUCKETS.iter().zip(stats.buckets.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        stats.queries += queries;
        stats.query_seconds += db_nanos as f64 / 1e9;
    }

    /// Runs background work (not a request) counted like one under `label`: its time, its
    /// queries, and whether it failed.
    pub async fn measure_task<T, E>(
        &self,
        label: &str,
        work: impl std::future::Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let started = Instant::now();
        let (outcome, queries, db_nanos) = REQUEST
            .scope(Tally::default(), async move {
                let outcome = work.await;
                let (queries, nanos) = REQUEST.with(|t| (t.queries.get(), t.db_nanos.get()));
                (outcome, queries, nanos)
            })
            .await;
        let status = if outcome.is_ok() { 200 } else { 500 };
        self.record(
            label.to_owned(),
            started.elapsed(),
            status,
            queries,
            db_nanos,
        );
        outcome
    }

    /// Counts answer saves the writer task's statements wrote or refused (a failed statement is
    /// counted as the batch route's server error instead).
    pub fn answers_written(&self, saves: u64) {
        self.answers_written.fetch_add(saves, Ordering::Relaxed);
    }

    /// Counts one save turned away because the writer's queue was full.
    pub fn answers_shed(&self) {
        self.answers_shed.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one contest start turned away because the start writer's queue was full.
    pub fn starts_shed(&self) {
        self.starts_shed.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one submission turned away because the submit writer's queue was full.
    pub fn submits_shed(&self) {
        self.submits_shed.fetch_add(1, Ordering::Relaxed);
    }

    /// A copy of the totals per route, sorted by route.
    pub fn snapshot(&self) -> Vec<(String, RouteStats)> {
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let mut list: Vec<(String, RouteStats)> =
            routes.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        list.sort_by(|a, b| a.0.cmp(&b.0));
        list
    }
}

/// Axum middleware: counts the request, its time and its queries under its route.
pub async fn measure(
    axum::extract::State(metrics): axum::extract::State<Arc<Metrics>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let route = route_label(request.method().as_str(), request.uri().path());
    let started = Instant::now();
    let (response, queries, db_nanos) = REQUEST
        .scope(Tally::default(), async move {
            let response = next.run(request).await;
            let (queries, nanos) = REQUEST.with(|t| (t.queries.get(), t.db_nanos.get()));
            (response, queries, nanos)
        })
        .await;
    metrics.record(
        route,
        started.elapsed(),
        response.status().as_u16(),
        queries,
        db_nanos,
    );
    response
}

/// The database pool now: (connections open, of which idle).
fn pool_use(db: &sea_orm::DatabaseConnection) -> Option<(u32, usize)> {
    use sea_orm::DatabaseConnectionType as Type;
    match &db.inner {
        Type::SqlxSqlitePoolConnection(_) => {
            let pool = db.get_sqlite_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        Type::SqlxPostgresPoolConnection(_) => {
            let pool = db.get_postgres_connection_pool();
            Some((pool.size(), pool.num_idle()))
        }
        _ => None,
    }
}

/// CPU seconds this process has used (user + system), from `/proc/self/stat` on Linux.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after its closing ')'.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    // The kernel counts in clock ticks, 100 a second on every Linux this runs on.
    Some((user + system) / 100.0)
}

/// A label value with `\`, `"` and line breaks escaped.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Everything in Prometheus' text exposition format.
pub fn render(
    metrics: &Metrics,
    db: &sea_orm::DatabaseConnection,
    kept_sessions: usize,
    admission: &super::admission::Admission,
) -> String {
    use std::fmt::Write;
    let routes = metrics.snapshot();
    let mut out = String::new();
    // One series per route: `# HELP`, `# TYPE`, then a line per route (and `none` if given).
    let per_route = |out: &mut String,
                     name: &str,
                     help: &str,
                     value: &dyn Fn(&RouteStats) -> String,
                     none: Option<String>| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
        for (route, s) in &routes {
            let _ = writeln!(out, "{name}{{route=\"{}\"}} {}", label(route), value(s));
        }
        if let Some(none) = none {
            let _ = writeln!(out, "{name}{{route=\"none\"}} {none}");
        }
    };
    per_route(
        &mut out,
        "khien_so_http_requests_total",
        "Requests answered, by route.",
        &|s| s.requests.to_string(),
        None,
    );
    per_route(
        &mut out,
        "khien_so_http_server_errors_total",
        "Requests answered with a status of 500 or more.",
        &|s| s.server_errors.to_string(),
        None,
    );
    let _ = writeln!(
        out,
        "# HELP khien_so_http_request_duration_seconds Time to the response's head, by route.\n# TYPE khien_so_http_request_duration_seconds histogram"
    );
    for (route, s) in &routes {
        let route = label(route);
        for (bound, count) in BUCKETS.iter().zip(s.buckets.iter()) {
            let _ = writeln!(
                out,
                "khien_so_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
            );
        }
        let _ = writeln!(
            out,
            "khien_so_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\nkhien_so_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\nkhien_so_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
            s.requests, s.seconds, s.requests
        );
    }
    per_route(
        &mut out,
        "khien_so_db_queries_total",
        "Database queries, by the route whose request made them (\"none\": background work and streamed page parts).",
        &|s| s.queries.to_string(),
        Some(metrics.stray_queries.load(Ordering::Relaxed).to_string()),
    );
    per_route(
        &mut out,
        "khien_so_db_query_seconds_total",
        "Time spent in database queries, by route.",
        &|s| s.query_seconds.to_string(),
        Some((metrics.stray_query_nanos.load(Ordering::Relaxed) as f64 / 1e9).to_string()),
    );
    let _ = writeln!(
        out,
        "# HELP khien_so_answer_saves_total Answer saves the writer task wrote in shared commits (route \"answer writer: batch\" counts the commits).\n# TYPE khien_so_answer_saves_total counter\nkhien_so_answer_saves_total {}\n# HELP khien_so_answer_saves_shed_total Answer saves refused with 503 because the writer's queue was full (the page retries them).\n# TYPE khien_so_answer_saves_shed_total counter\nkhien_so_answer_saves_shed_total {}",
        metrics.answers_written.load(Ordering::Relaxed),
        metrics.answers_shed.load(Ordering::Relaxed)
    );
    let _ = writeln!(
        out,
        "# HELP khien_so_starts_shed_total Contest starts refused with 503 because the start writer's queue was full (route \"start writer: batch\" counts its commits).\n# TYPE khien_so_starts_shed_total counter\nkhien_so_starts_shed_total {}\n# HELP khien_so_submits_shed_total Submissions refused with 503 because the submit writer's queue was full (route \"submit writer: batch\" counts its commits).\n# TYPE khien_so_submits_shed_total counter\nkhien_so_submits_shed_total {}",
        metrics.starts_shed.load(Ordering::Relaxed),
        metrics.submits_shed.load(Ordering::Relaxed)
    );
    let _ = writeln!(
        out,
        "# HELP khien_so_sessions_kept Signed-in sessions this server keeps instead of reading them per request.\n# TYPE khien_so_sessions_kept gauge\nkhien_so_sessions_kept {kept_sessions}"
    );
    let _ = writeln!(
        out,
        "# HELP khien_so_requests_in_flight Requests being worked on now (at most khien_so_requests_max_in_flight).\n# TYPE khien_so_requests_in_flight gauge\nkhien_so_requests_in_flight {}\n# HELP khien_so_requests_max_in_flight Requests worked on at once (KHIEN_SO_MAX_IN_FLIGHT).\n# TYPE khien_so_requests_max_in_flight gauge\nkhien_so_requests_max_in_flight {}\n# HELP khien_so_requests_waiting Requests waiting for their turn now.\n# TYPE khien_so_requests_waiting gauge\nkhien_so_requests_waiting {}\n# HELP khien_so_requests_shed_total Requests answered busy (503, or a form sent back) because no turn came in time.\n# TYPE khien_so_requests_shed_total counter\nkhien_so_requests_shed_total {}",
        admission.in_flight(),
        admission.max_in_flight(),
        admission.waiting(),
        admission.shed()
    );
    if let Some((open, idle)) = pool_use(db) {
        let _ = writeln!(
            out,
            "# HELP khien_so_db_pool_connections Database pool connections.\n# TYPE khien_so_db_pool_connections gauge\nkhien_so_db_pool_connections{{state=\"open\"}} {open}\nkhien_so_db_pool_connections{{state=\"idle\"}} {idle}"
        );
    }
    if let Some(pages) = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
    {
        // Pages of 4 KiB, as on every x86-64 and arm64 Linux this is built for.
        let _ = writeln!(
            out,
            "# HELP process_resident_memory_bytes Resident memory of this process.\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {}",
            pages * 4096
        );
    }
    if let Some(cpu) = process_cpu_seconds() {
        let _ = writeln!(
            out,
            "# HELP process_cpu_seconds_total CPU time used by this process.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total {cpu}"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_labelled_without_ids_or_server_function_hashes() {
        assert_eq!(
            route_label("POST", "/api/record_answer12345678"),
            "POST /api/record_answer"
        );
        assert_eq!(
            route_label(
                "GET",
                "/luyen-tap/4f1c2b8e-1a2b-4c3d-9e8f-0123456789ab/cau/3"
            ),
            "GET /luyen-tap/:id/cau/:id"
        );
        assert_eq!(route_label("GET", "/pkg/khien-so.js"), "GET /pkg");
        assert_eq!(route_label("GET", "/bai-hoc"), "GET /bai-hoc");
    }

    #[test]
    fn a_request_is_counted_with_its_time_bucket_and_queries() {
        let metrics = Metrics::default();
        metrics.record(
            "GET /test-a".into(),
            Duration::from_millis(40),
            200,
            3,
            2_000_000,
        );
        metrics.record(
            "GET /test-a".into(),
            Duration::from_millis(400),
            503,
            1,
            1_000_000,
        );
        let stats = metrics
            .snapshot()
            .into_iter()
            .find(|(r, _)| r == "GET /test-a")
            .unwrap()
            .1;
        assert_eq!(
            (stats.requests, stats.server_errors, stats.queries),
            (2, 1, 4)
        );
        assert!((stats.query_seconds - 0.003).abs() < 1e-9);
        // 40 ms is within 0.05 s and above; 400 ms only from 0.5 s.
        assert_eq!(stats.buckets[3], 1);
        assert_eq!(stats.buckets[7], 2);
        assert_eq!(stats.buckets[0], 0);
    }
}
