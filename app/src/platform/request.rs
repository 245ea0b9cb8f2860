//! The request a server function or page is answering: its caller, learner, address and cookies,
//! and the redirect after a form post.

/// The client's address, for login limits and the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub Option<String>);

/// The anonymous learner id from the browser's own cookie, even while signed in (the
/// `LearnerId` extension is then the account's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnonymousLearner(pub String);

/// The anonymous identity of a browser, from the `ks_learner` cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LearnerId(pub String);

/// Name of the cookie holding the anonymous learner id.
pub const LEARNER_COOKIE: &str = "ks_learner";

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
