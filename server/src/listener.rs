//! Accepting connections. Every connection costs an open file, and so do SQLite's database files:
//! a server that lets connections take every file it may open can then no longer open its
//! database ("unable to open database file", measured with 50,000 pupils on one machine). So:
//!
//! - at start the process raises its open-files limit to the most it is allowed
//!   ([`raise_open_files_limit`]; systemd's default soft limit is 1,024, its hard limit 524,288);
//! - at most `max_connections` connections are open at once, by default the open-files limit less
//!   a reserve for the database, content and logs ([`default_max_connections`]); the next client
//!   waits in the kernel's queue of pending connections until one closes: slower, nothing fails;
//! - a connection that has not sent a whole request head within `idle` of being opened or of its
//!   last response (a kept-alive browser between pages, or a client that opens a connection and
//!   says nothing) is closed, so idle connections do not hold the places of pupils who are
//!   answering. A request being worked on is never cut: the time counts only while the server
//!   waits for the next request's head.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

/// Open files kept for the database (SQLite's file, journal and shared memory per pooled
/// connection, or PostgreSQL's sockets), content, logs and the runtime: at least this many, and at
/// least a tenth of the limit.
pub const RESERVED_FILES: u64 = 256;
/// Default `KHIEN_SO_IDLE_SECONDS`.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(60);

/// Raises this process's soft limit on open files to its hard limit (at most 1,048,576) and
/// returns the limit now in force; `None` where it cannot be read.
pub fn raise_open_files_limit() -> Option<u64> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).ok()?;
    let wanted = hard.min(1 << 20);
    if wanted > soft && setrlimit(Resource::RLIMIT_NOFILE, wanted, hard).is_ok() {
        return Some(wanted);
    }
    Some(soft)
}

/// This process's limit on open files now; `None` where it cannot be read.
pub fn open_files_limit() -> Option<u64> {
    use nix::sys::resource::{Resource, getrlimit};
    getrlimit(Resource::RLIMIT_NOFILE)
        .ok()
        .map(|(soft, _)| soft)
}

/// Connections kept open at most by a server allowed `open_files` files with `pool` database
/// connections: the files less the reserve and three per pooled connection (SQLite's file,
/// journal and shared memory).
pub fn default_max_connections(open_files: u64, pool: u32) -> usize {
    let reserve = RESERVED_FILES.max(open_files / 10) + 3 * u64::from(pool);
    open_files.saturating_sub(reserve).max(16) as usize
}

/// How many connections a server keeps open and how long one may wait for a request.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub idle: Duration,
}

/// Serves `router` on `listener` (HTTP/1.1, with each request's peer address as
/// [`ConnectInfo<SocketAddr>`]) within `limits` until `shutdown` resolves; then stops accepting,
/// lets the requests being worked on finish and closes idle connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let places = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (closing, closing_seen) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        // A place first: while every place is taken, new clients wait in the kernel's queue.
        let place = tokio::select! {
            place = places.clone().acquire_owned() => place.expect("the places are never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    if !matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionRefused
                            | io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::ConnectionReset
                    ) {
                        // Out of open files or the like: files close as requests end; try again
                        // in a moment instead of spinning.
                        tracing::error!(error = %e, "accept error");
                        tokio::time::sleep(Duration::from_millis(250)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(
            move |request: axum::http::Request<hyper::body::Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            },
        );
        let mut closing_seen = closing_seen.clone();
        tokio::spawn(async move {
            let _place = place;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.idle);
            let mut connection = pin!(
                builder
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                    .with_upgrades()
            );
            let mut closing_now = false;
            loop {
                tokio::select! {
                    outcome = connection.as_mut() => {
                        if let Err(error) = outcome {
                            tracing::trace!(%error, "connection ended");
                        }
                        break;
                    }
                    _ = closing_seen.changed(), if !closing_now => {
                        closing_now = true;
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(closing_seen);
        });
    }
    drop(listener);
    drop(closing_seen);
    // Tell every connection, then wait until each has ended.
    let _ = closing.send(());
    closing.closed().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_keeps_files_for_the_database_and_the_rest() {
        // systemd's hard limit: a tenth kept, and three files per pooled connection.
        assert_eq!(default_max_connections(524_288, 8), 524_288 - 52_428 - 24);
        // A machine allowing 20,000: 2,000 kept.
        assert_eq!(default_max_connections(20_000, 8), 20_000 - 2_000 - 24);
        // A small limit keeps at least 256 files.
        assert_eq!(default_max_connections(1_024, 8), 1_024 - 256 - 24);
        // Never fewer than 16 connections.
        assert_eq!(default_max_connections(100, 8), 16);
    }
}
