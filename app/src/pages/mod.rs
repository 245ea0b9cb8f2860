//! One module per page.

pub mod home;
pub mod lessons;
pub mod practice;
pub mod progress;

use crate::error::AppError;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for an unknown address; the server answers 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let t = use_texts();
    view! {
        <Title text=t.not_found_title />
        <h1>{t.not_found_title}</h1>
        <p>{t.not_found_text}</p>
        <p><a href="/">{t.nav_home}</a></p>
    }
}

/// A plain message for an error; sets the HTTP status on the server.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(match error {
            AppError::NotFound => http::StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => http::StatusCode::BAD_REQUEST,
            _ => http::StatusCode::INTERNAL_SERVER_ERROR,
        });
    }
    let t = use_texts();
    if error == AppError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    view! {
        <Title text=t.error_title />
        <div class="notice error" role="alert">
            <h1>{t.error_title}</h1>
            <p>{error.to_string()}</p>
        </div>
    }
    .into_any()
}
