//! Request middleware: the anonymous learner cookie, refusing cross-site writes, security headers.

use app::ssr::{LEARNER_COOKIE, LearnerId};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, StatusCode, header};

/// Gives every browser a random learner id in an HttpOnly cookie, so practice needs no account.
pub async fn learner_cookie(
    State(secure): State<bool>,
    mut request: Request,
    next: Next,
) -> Response {
    let existing = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == LEARNER_COOKIE && uuid::Uuid::parse_str(value).is_ok())
        .map(|(_, value)| value.to_owned());
    let (id, is_new) = match existing {
        Some(id) => (id, false),
        None => (uuid::Uuid::new_v4().to_string(), true),
    };
    request.extensions_mut().insert(LearnerId(id.clone()));
    let mut response = next.run(request).await;
    if is_new {
        let cookie = format!(
            "{LEARNER_COOKIE}={id}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
            if secure { "; Secure" } else { "" }
        );
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
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
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
    // Neither header: not a browser that could be tricked by another site.
    false
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

/// Headers that make the browser stricter with our pages.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
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
    fn same_origin_and_headerless_posts_pass() {
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
        assert!(!is_cross_site(&Method::POST, &headers(&[])));
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
    fn reads_are_never_refused() {
        assert!(!is_cross_site(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
    }
}
