//! The one error type that crosses the wire. Expected outcomes are values, not errors.

use serde::{Deserialize, Serialize};
use server_fn_types::{Bytes, Encodes, FromServerFnError, JsonEncoding, ServerFnErrorErr};

mod server_fn_types {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
    pub use leptos::server_fn::{Bytes, Encodes};
}

/// What went wrong, as the pupil's browser learns it. Internal causes are logged, not sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The thing asked for does not exist or is not the caller's.
    #[error("không tìm thấy")]
    NotFound,
    /// The caller must sign in first.
    #[error("bạn cần đăng nhập để xem trang này")]
    Unauthorized,
    /// The caller is signed in but may not do this.
    #[error("bạn không có quyền xem hoặc thay đổi nội dung này")]
    Forbidden,
    /// The request was malformed; the message is Vietnamese and safe to show.
    #[error("{0}")]
    BadRequest(String),
    /// Something failed on the server; details are in the server log.
    #[error("máy chủ đang gặp sự cố, vui lòng thử lại sau ít phút")]
    Internal,
    /// The server is too busy to take this now and changed nothing (HTTP 503 with
    /// `Retry-After`); the quiz page's autosave sends it again a moment later.
    #[error("máy chủ đang bận nên chưa lưu được, vui lòng thử lại sau vài giây")]
    Busy,
    /// The server function machinery failed (network, encoding).
    #[error("không kết nối được máy chủ: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    #[cfg(feature = "ssr")]
    pub fn status(&self) -> http::StatusCode {
        match self {
            AppError::NotFound => http::StatusCode::NOT_FOUND,
            AppError::Unauthorized => http::StatusCode::UNAUTHORIZED,
            AppError::Forbidden => http::StatusCode::FORBIDDEN,
            AppError::BadRequest(_) | AppError::Transport(_) => http::StatusCode::BAD_REQUEST,
            AppError::Internal => http::StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Busy => http::StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }

    /// Every failed server function passes through here on the server, so this is where the
    /// response gets the status the error deserves (401, 403, 404, 400; 500 only for real
    /// failures) — except plain form posts without JavaScript, which Leptos redirects back.
    fn ser(&self) -> Bytes {
        #[cfg(feature = "ssr")]
        self.set_response_status();
        <JsonEncoding as Encodes<Self>>::encode(self).unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    fn set_response_status(&self) {
        use leptos::prelude::use_context;
        let form_post = use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .map(|accept| accept.contains("text/html"))
            })
            .unwrap_or(false);
        if let (false, Some(response)) = (form_post, use_context::<leptos_axum::ResponseOptions>())
        {
            response.set_status(self.status());
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// An unexpected failure: the cause goes to the log with what was being done, the user gets
    /// the plain [`AppError::Internal`] message.
    pub fn internal(doing: &str, cause: impl std::fmt::Display) -> AppError {
        tracing::error!(%cause, "{doing}");
        AppError::Internal
    }
}

/// Plain HTTP routes (uploads, downloads) answer an error with its status and its Vietnamese
/// message, so they can use `?` like server functions.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let text = self.to_string();
        let mut chars = text.chars();
        let sentence: String = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
            None => String::new(),
        };
        (
            self.status(),
            [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            sentence,
        )
            .into_response()
    }
}

/// A database error that only means "not now" is [`AppError::Busy`] (503, "thử lại", which the
/// quiz page's autosave sends again): a transaction PostgreSQL ended to break a deadlock or a
/// serialization conflict, or a SQLite database busy or locked. Nothing of the transaction was
/// written. Any other is [`AppError::Internal`]; both are logged.
#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        if is_transient(&error) {
            tracing::warn!(%error, "database busy: the request is answered “try again”");
            AppError::Busy
        } else {
            tracing::error!(%error, "database error");
            AppError::Internal
        }
    }
}

/// Whether a database error only means "not now" (see `From<DbErr> for AppError`).
#[cfg(feature = "ssr")]
pub fn is_transient(error: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::{postgres::PgDatabaseError, sqlite::SqliteError};
    use sea_orm::{DbErr, RuntimeErr};
    let (DbErr::Conn(RuntimeErr::SqlxError(e))
    | DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))) = error
    else {
        return false;
    };
    let Some(database) = e.as_database_error() else {
        return false;
    };
    let Some(code) = database.code() else {
        return false;
    };
    if database.try_downcast_ref::<PgDatabaseError>().is_some() {
        // deadlock_detected, serialization_failure
        matches!(&*code, "40P01" | "40001")
    } else if database.try_downcast_ref::<SqliteError>().is_some() {
        // SQLITE_BUSY and SQLITE_LOCKED, with their extended codes
        code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6))
    } else {
        false
    }
}
