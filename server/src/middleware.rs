//! Request middleware: who is asking (learner cookie, session), how many requests are worked on at
//! once, refusing cross-site writes, security headers.

use app::accounts::auth::{SESSION_COOKIE, SessionSettings, resolve_session, session_cookie};
use app::{
    platform::request::AnonymousLearner, platform::request::ClientIp,
    platform::request::LEARNER_COOKIE, platform::request::LearnerId,
};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderValue, Method, StatusCode, header};
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;

/// What the identity middleware needs.
#[derive(Clone)]
pub struct IdentityState {
    pub db: DatabaseConnection,
    pub sessions: SessionSettings,
    pub trust_proxy: bool,
    pub identities: std::sync::Arc<app::accounts::identity::IdentityCache>,
}

/// The value of one cookie of the request.
pub fn cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

fn client_ip(request: &Request, trust_proxy: bool) -> Option<String> {
    if trust_proxy
        && let Some(forwarded) = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
        && let Some(last) = forwarded.rsplit(',').next().map(str::trim)
        && !last.is_empty()
    {
        return Some(last.to_owned());
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string())
}

/// Paths a person who must still choose a password may use.
fn allowed_before_password_change(path: &str) -> bool {
    path == "/doi-mat-khau"
        || path.starts_with("/api/change_password")
        || path.starts_with("/api/logout")
        || path.starts_with("/pkg/")
}

/// Works out who is asking. Every browser gets a random anonymous learner id in an HttpOnly
/// cookie, so practice needs no account; a valid session cookie adds the signed-in `Caller`
/// (and practice then belongs to the account). People with a one-time password are sent to
/// choose their own before anything else.
pub async fn identity(
    State(state): State<IdentityState>,
    mut request: Request,
    next: Next,
) -> Response {
    let existing = cookie(request.headers(), LEARNER_COOKIE)
        .filter(|value| uuid::Uuid::parse_str(value).is_ok())
        .map(str::to_owned);
    let (anonymous, is_new) = match existing {
        Some(id) => (id, false),
        None => (uuid::Uuid::new_v4().to_string(), true),
    };
    let ip = client_ip(&request, state.trust_proxy);
    request.extensions_mut().insert(ClientIp(ip));
    request
        .extensions_mut()
        .insert(AnonymousLearner(anonymous.clone()));
    let mut clear_session = false;
    let mut learner = anonymous.clone();
    if let Some(token) = cookie(request.headers(), SESSION_COOKIE).map(str::to_owned) {
        match resolve_session(&state.db, &state.identities, &token, &state.sessions).await {
            Ok(Some(caller)) => {
                learner = caller.learner_id.clone();
                if caller.must_change_password
                    && !allowed_before_password_change(request.uri().path())
                {
                    return if request.uri().path().starts_with("/api/") {
                        (
                            StatusCode::FORBIDDEN,
                            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                            "Bạn cần đặt mật khẩu mới trước khi tiếp tục.",
                        )
                            .into_response()
                    } else {
                        Redirect::to("/doi-mat-khau").into_response()
                    };
                }
                request.extensions_mut().insert(caller);
            }
            Ok(None) => clear_session = true,
            Err(_) => {
                return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
            }
        }
    }
    request.extensions_mut().insert(LearnerId(learner));
    let mut response = next.run(request).await;
    let secure = if state.sessions.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    if is_new {
        let cookie = format!(
            "{LEARNER_COOKIE}={anonymous}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}"
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    if clear_session {
        let cookie = session_cookie(None, state.sessions.secure_cookies);
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Whether a state-changing request comes from another site (by `Sec-Fetch-Site`, else `Origin`).
pub fn is_cross_site(method: &Method, headers: &http::HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if let Some(site) = site
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    // Both are checked when both are sent: either one naming another site is enough.
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .unwrap_or("");
        return origin == "null" || origin_host != host;
    }
    if site.is_some() {
        return false;
    }
    // Neither header: every browser in use sends one of them with a state-changing request, so
    // this is not a page of ours; refusing it costs nothing and closes the gap for old or
    // unusual clients that carry cookies but no origin.
    true
}

/// Refuses state-changing requests from other sites with 403.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if is_cross_site(request.method(), request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            Body::from("Yêu cầu bị từ chối vì được gửi từ một trang web khác."),
        )
            .into_response();
    }
    next.run(request).await
}

/// Largest body a server function accepts; the largest real one (a lesson quiz answer, a staff
/// form) is a few kilobytes.
pub const MAX_SERVER_FN_BODY: usize = 256 * 1024;

fn bad_request(text: &'static str, status: StatusCode) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        Body::from(text),
    )
        .into_response()
}

/// Whether text carries a NUL character, raw, percent-encoded or as a JSON escape.
fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes
            .windows(3)
            .any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
        || bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
}

/// Refuses, with 400, any request whose address or server-function body carries a NUL character
/// (no text of ours contains one, and PostgreSQL refuses it in text: it used to surface as a 500),
/// and server-function bodies over [`MAX_SERVER_FN_BODY`] with 413.
pub async fn refuse_nul(request: Request, next: Next) -> Response {
    let uri = request.uri().to_string();
    if has_nul(uri.as_bytes()) {
        return bad_request("Địa chỉ có ký tự không hợp lệ.", StatusCode::BAD_REQUEST);
    }
    if request.method() != Method::POST || !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_SERVER_FN_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return bad_request("Dữ liệu gửi lên quá lớn.", StatusCode::PAYLOAD_TOO_LARGE);
        }
    };
    if has_nul(&bytes) {
        return bad_request(
            "Dữ liệu gửi lên có ký tự không hợp lệ.",
            StatusCode::BAD_REQUEST,
        );
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether a request waits for a turn (`platform::admission`): pages, downloads and server
/// functions. The health check, the metrics and the browser bundle never wait; neither do the
/// staff's uploads (form posts outside `/api/`), which read their body in the handler — a client
/// sending it slowly must not hold a turn — and are few, behind the heavy-work limit.
fn waits_for_turn(method: &Method, path: &str) -> bool {
    if path == "/healthz" || path == "/metrics" || path.starts_with("/pkg/") {
        return false;
    }
    *method == Method::GET || *method == Method::HEAD || path.starts_with("/api/")
}

/// Works on a request only with a turn of the server's [`Admission`]: the rest wait, first come
/// first served, and are answered “busy, try again” when no turn came within the wait (see
/// [`busy`]). The turn is held until the response's body has been produced, so a page whose parts
/// stream after its head still counts.
///
/// [`Admission`]: app::platform::admission::Admission
pub async fn admit(
    State(admission): State<std::sync::Arc<app::platform::admission::Admission>>,
    request: Request,
    next: Next,
) -> Response {
    if !waits_for_turn(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let Some(turn) = admission.turn().await else {
        return busy(&request);
    };
    next.run(request)
        .await
        .map(|body| Body::new(HoldsTurn { body, _turn: turn }))
}

/// A response body that keeps its request's turn until it is dropped (when the server has taken
/// its last frame, or the client went away).
struct HoldsTurn {
    body: Body,
    _turn: app::platform::admission::Turn,
}

impl http_body::Body for HoldsTurn {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// The answer to a request that got no turn; nothing of it was done. A server function called
/// by the page's script gets 503 with [`AppError::Busy`], which the quiz page's autosave sends
/// again; a form posted without JavaScript goes back to its page with that error in the address
/// (as Leptos does for a server function's error), where the page shows it; a page gets a short
/// 503 page that loads itself again after a few seconds. `Retry-After` is added with the other
/// headers (`security_headers`).
///
/// [`AppError::Busy`]: app::error::AppError::Busy
fn busy(request: &Request) -> Response {
    use app::error::AppError;
    let path = request.uri().path();
    let headers = request.headers();
    if path.starts_with("/api/") {
        let accepts_html = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
        if accepts_html {
            let referer = headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("/");
            if let Ok(url) = leptos::server_fn::error::ServerFnUrlError::new(path, AppError::Busy)
                .to_url(referer)
                && let Ok(location) = HeaderValue::from_str(url.as_str())
            {
                // 302, as Leptos answers a form's server function.
                return (StatusCode::FOUND, [(header::LOCATION, location)]).into_response();
            }
        }
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&AppError::Busy).unwrap_or_default(),
        )
            .into_response();
    }
    let locale = cookie(headers, app::i18n::LANG_COOKIE)
        .map(app::i18n::Locale::from_tag)
        .unwrap_or_default();
    let page = match locale {
        app::i18n::Locale::Vi => {
            "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta http-equiv=\"refresh\" content=\"5\"><title>Máy chủ đang bận — Khiên Số</title></head><body><main><h1>Máy chủ đang bận</h1><p>Rất nhiều người đang dùng Khiên Số cùng lúc. Trang sẽ tự tải lại sau vài giây; bạn cũng có thể <a href=\"\">tải lại ngay</a>.</p><p>Những câu trả lời đã lưu trước đó vẫn còn nguyên.</p></main></body></html>\n"
        }
        app::i18n::Locale::En => {
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta http-equiv=\"refresh\" content=\"5\"><title>The server is busy — Khiên Số</title></head><body><main><h1>The server is busy</h1><p>Very many people are using Khiên Số at once. This page will load again in a few seconds, or you can <a href=\"\">reload it now</a>.</p><p>Answers saved before are all kept.</p></main></body></html>\n"
        }
    };
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

/// Headers that make the browser stricter with our pages. `secure` (the site is served over
/// HTTPS, `KHIEN_SO_SECURE_COOKIES`) adds HSTS, so the browser never tries plain HTTP again.
pub async fn security_headers(
    State(secure): State<bool>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    if secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    // A busy server (a full answer queue) or an unreachable database: try again shortly.
    if status == StatusCode::SERVICE_UNAVAILABLE {
        headers
            .entry(header::RETRY_AFTER)
            .or_insert(HeaderValue::from_static("2"));
    }
    // Same-origin form posts without JavaScript are redirected back using the Referer.
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    headers
        .entry("content-security-policy")
        .or_insert(HeaderValue::from_static(
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
        ));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn same_origin_posts_pass() {
        assert!(!is_cross_site(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(!is_cross_site(
            &Method::POST,
            &headers(&[
                ("origin", "http://localhost:3000"),
                ("host", "localhost:3000")
            ])
        ));
    }

    #[test]
    fn a_state_change_with_neither_origin_nor_fetch_site_is_refused() {
        assert!(is_cross_site(&Method::POST, &headers(&[])));
        assert!(is_cross_site(
            &Method::POST,
            &headers(&[("cookie", "ks_session=x")])
        ));
    }

    #[test]
    fn posts_from_other_sites_are_caught() {
        assert!(is_cross_site(
            &Method::POST,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(is_cross_site(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(is_cross_site(
            &Method::POST,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "localhost:3000")
            ])
        ));
        assert!(is_cross_site(
            &Method::POST,
            &headers(&[("origin", "null"), ("host", "localhost:3000")])
        ));
    }

    #[test]
    fn nul_characters_are_found_in_every_spelling() {
        assert!(has_nul(b"a=%00"));
        assert!(has_nul(b"{\"a\":\"\\u0000\"}"));
        assert!(has_nul(b"a\0b"));
        assert!(!has_nul(b"a=%2000&b=100"));
    }

    #[test]
    fn reads_are_never_refused() {
        assert!(!is_cross_site(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
    }
}
