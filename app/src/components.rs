//! View pieces every page uses: messages, the not-found page, reading the address.

use crate::error::AppError;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A query parameter of the current address (`?loi=…`).
pub(crate) fn query(name: &'static str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name))
}

/// A problem the server worded and signed into the address (`?loi-chi-tiet=…&loi-chi-tiet-ky=…`);
/// `None` when the signature is not ours, so a crafted link shows nothing.
pub(crate) fn signed_query(name: &'static str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let text = query(name)?;
        let signature = use_query_map().with_untracked(|q| q.get(&format!("{name}-ky")))?;
        crate::platform::notice::verify(&text, &signature).then_some(text)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = name;
        None
    }
}

/// A numeric route parameter (`/lop/:id`).
pub(crate) fn param(name: &'static str) -> Option<i32> {
    use_params_map().with_untracked(|p| p.get(name).and_then(|v| v.parse().ok()))
}

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
        response.set_status(error.status());
    }
    let t = use_texts();
    if error == AppError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    if error == AppError::Unauthorized {
        let next = current_path();
        return view! {
            <Title text=crate::tr("Cần đăng nhập", "Sign-in needed") />
            <div class="notice" role="alert">
                <h1>{crate::tr("Cần đăng nhập", "Sign-in needed")}</h1>
                <p>{crate::tr("Trang này chỉ dành cho người đã đăng nhập.", "This page is for signed-in users.")}</p>
                <p><a class="button" href=format!("/dang-nhap?next={}", crate::accounts::pages::urlencode(&next))>{crate::tr("Đăng nhập", "Sign in")}</a></p>
            </div>
        }
        .into_any();
    }
    if error == AppError::Forbidden {
        return view! {
            <Title text=crate::tr("Không có quyền xem trang này", "No access to this page") />
            <div class="notice" role="alert">
                <h1>{crate::tr("Không có quyền xem trang này", "No access to this page")}</h1>
                <p>{crate::tr(
                    "Tài khoản của bạn không có vai trò được dùng trang này. Nếu bạn cần, hãy nhờ quản trị của trường hoặc của Sở cấp quyền.",
                    "Your account has no role that uses this page. Ask your school's or the department's administrator if you need it.",
                )}</p>
                <p><a class="button secondary" href="/tai-khoan">{crate::tr("Về trang tài khoản", "Back to my account")}</a></p>
            </div>
        }
        .into_any();
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

/// The error of a form posted without JavaScript: the server answers such a post by going back
/// to the page it came from with the error in the address (`?__err=…`), and this shows it at the
/// top of that page (e.g. “the server is busy, nothing was saved, send it again”).
#[component]
pub fn FormError() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    move || {
        let encoded = query.with(|q| q.get("__err"))?;
        let error = leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&encoded);
        let text = error.to_string().trim_end_matches('.').to_owned();
        let mut chars = text.chars();
        let text = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
            None => text,
        };
        Some(view! {
            <div class="notice error" role="alert">
                <p><strong>{crate::tr("Chưa thực hiện được: ", "Not done: ")}</strong>{text}.</p>
            </div>
        })
    }
}

/// The path of the page being rendered.
pub fn current_path() -> String {
    leptos_router::hooks::use_location()
        .pathname
        .get_untracked()
}

/// A button for an action that cannot be undone: the first press only opens a short warning with
/// the real button, so one tap never does it. Plain HTML (`<details>`), so it works without
/// JavaScript, by keyboard and with a screen reader; put it inside the action's form.
#[component]
pub fn ConfirmButton(
    /// What the first button says (“Công bố kết quả”).
    label: String,
    /// What will happen, said before it does.
    warning: String,
    /// What the real button says (“Xác nhận công bố”).
    confirm: String,
    /// `name` and `value` of the real submit button, when the form has several actions.
    #[prop(optional)]
    action: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    let (name, value) = action.unwrap_or(("", ""));
    view! {
        <details class="confirm">
            <summary class="button secondary">{label}</summary>
            <div class="confirm-box" role="group">
                <p>{warning}</p>
                {if name.is_empty() {
                    view! { <button type="submit" class="button">{confirm}</button> }.into_any()
                } else {
                    view! { <button type="submit" name=name value=value class="button">{confirm}</button> }.into_any()
                }}
            </div>
        </details>
    }
}
