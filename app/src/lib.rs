//! Khiên Số: the Leptos application (pages, server functions) and its pure domain logic.

#[cfg(feature = "ssr")]
pub mod access;
pub mod accounts;
pub mod attempt;
pub mod classroom;
#[cfg(feature = "ssr")]
pub mod clock;
pub mod codes;
mod components;
#[cfg(feature = "ssr")]
pub mod content;
pub mod contests;
pub mod coverage;
#[cfg(feature = "ssr")]
pub mod domain;
#[cfg(feature = "ssr")]
pub mod entities;
pub mod error;
#[cfg(all(test, feature = "ssr"))]
mod fuzz;
mod home;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod platform;
pub mod practice;
pub mod schools;
#[cfg(feature = "ssr")]
pub mod spreadsheet;

/// Escapes text for HTML (for the places where markup is written by hand, such as `<title>`).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes text for a query string.
pub use accounts::pages::{query_string, urlencode};

use i18n::{Locale, Texts};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{A, Route, Router, Routes},
    path,
};

/// File names under `/pkg` (set by the build: `khien-so.js`, `khien-so_bg.wasm`, `khien-so.css`).
pub const OUTPUT_NAME: &str = "khien-so";

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = detect_locale();
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    let css = format!("/{}/{}.css", options.site_pkg_dir, OUTPUT_NAME);
    // Only pages with an island need the scripts and the wasm; the others stay plain HTML.
    let scripts = page_has_islands().then(|| view! { <HydrationScripts options islands=true /> });
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="stylesheet" href=css />
                <link rel="icon" href="data:," />
                {scripts}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Only scripts carrying this response's nonce may run (Leptos' hydration scripts do); the wasm
/// may be compiled; everything else comes from this origin.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Whether the requested page contains an island: the quiz's question and review pages.
/// A new island elsewhere must be added here, or it will not come alive in the browser.
pub fn page_has_islands() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| is_island_path(parts.uri.path()))
            .unwrap_or(true)
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

/// Paths of the pages that render the quiz island.
pub fn is_island_path(path: &str) -> bool {
    path.strip_prefix("/luyen-tap/")
        .is_some_and(|rest| rest.contains("/cau/") || rest.ends_with("/nop-bai"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_quiz_pages_carry_islands() {
        assert!(super::is_island_path("/luyen-tap/abc/cau/3"));
        assert!(super::is_island_path("/luyen-tap/abc/nop-bai"));
        for path in [
            "/",
            "/bai-hoc",
            "/bai-hoc/x",
            "/luyen-tap",
            "/luyen-tap/abc/ket-qua",
            "/tien-do",
        ] {
            assert!(!super::is_island_path(path), "{path}");
        }
    }
}

/// The language of this request: the `ks_lang` cookie on the server, `<html lang>` in the browser.
pub fn detect_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Locale::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .map(|lang| Locale::from_tag(&lang))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Locale::default()
        }
    }
}

/// Cookie holding the level a pupil practises at ("THCS" or "THPT"); absent means every level.
pub const LEVEL_COOKIE: &str = "ks_level";

/// The practice level chosen in this browser, if any (server side; the browser never needs it).
#[cfg(feature = "ssr")]
pub fn detect_level() -> Option<crate::codes::SchoolLevel> {
    let parts = use_context::<http::request::Parts>()?;
    let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LEVEL_COOKIE)
        .and_then(|(_, value)| crate::codes::SchoolLevel::content_level(value))
}

/// The interface strings for the current request.
pub fn use_texts() -> &'static Texts {
    use_context::<Locale>().unwrap_or_default().texts()
}

/// Picks the Vietnamese or English text for the current request (pages added after the
/// `Texts` table keep both languages side by side).
pub fn tr(vi: &'static str, en: &'static str) -> &'static str {
    match use_locale() {
        Locale::Vi => vi,
        Locale::En => en,
    }
}

/// A school level's name in the language of the current request.
pub fn level_name(level: codes::SchoolLevel) -> &'static str {
    match use_locale() {
        Locale::Vi => level.label(),
        Locale::En => level.label_en(),
    }
}

/// The language of the current request.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// "Sign in", or "My account" for a signed-in person (no name in the header: school computers
/// are shared and screens are seen by others). Rendered on the server only: pages outside
/// islands are never re-rendered in the browser.
fn account_link() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let signed_in = crate::platform::request::caller().is_some();
    #[cfg(not(feature = "ssr"))]
    let signed_in = false;
    if signed_in {
        view! { <a class="account-link" href="/tai-khoan">{tr("Tài khoản", "My account")}</a> }
            .into_any()
    } else {
        view! { <a class="account-link" href="/dang-nhap">{tr("Đăng nhập", "Sign in")}</a> }
            .into_any()
    }
}

/// Navigation entries to a staff member's work pages, from their roles (rendered on the server;
/// pupils and visitors get none).
fn work_links() -> Vec<(&'static str, String)> {
    #[cfg(feature = "ssr")]
    {
        use crate::codes::Role;
        let Some(caller) = crate::platform::request::caller() else {
            return Vec::new();
        };
        let mut links: Vec<(&'static str, String)> = Vec::new();
        for grant in &caller.grants {
            let link = match (grant.role, grant.school_id) {
                (Role::Teacher | Role::Principal, Some(id)) => {
                    (tr("Trường của tôi", "My school"), format!("/truong/{id}"))
                }
                (Role::Commune | Role::Department, _) => {
                    (tr("Báo cáo", "Report"), "/bao-cao".to_owned())
                }
                (Role::Committee, _) => (
                    tr("Quản lý cuộc thi", "Run contests"),
                    "/cuoc-thi/quan-ly".to_owned(),
                ),
                (Role::Admin, _) => (tr("Quản trị", "Administration"), "/quan-tri".to_owned()),
                _ => continue,
            };
            if !links.iter().any(|(_, href)| *href == link.1) {
                links.push(link);
            }
        }
        links
    }
    #[cfg(not(feature = "ssr"))]
    Vec::new()
}

/// The application: header, routes, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = detect_locale();
    provide_context(locale);
    let t = locale.texts();
    view! {
        // leptos_meta writes the title into the page without escaping it: a contest or school
        // named `…</title><meta http-equiv=refresh …>` would otherwise add markup to every page.
        <Title formatter=|page: String| if page.is_empty() { "Khiên Số".to_owned() } else { crate::escape_html(&format!("{page} · Khiên Số")) } />
        <Router>
            <a class="skip-link" href="#main">{t.skip_to_content}</a>
            <header class="site-header">
                <div class="wrap header-row">
                    <A href="/" attr:class="brand">
                        <svg class="brand-mark" aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
                            <path fill="currentColor" d="M12 2 4 5v6c0 5 3.4 9.6 8 11 4.6-1.4 8-6 8-11V5l-8-3Zm0 2.2 6 2.25V11c0 3.9-2.5 7.6-6 8.9-3.5-1.3-6-5-6-8.9V6.45l6-2.25Z" />
                        </svg>
                        <span class="brand-name">{t.app_name}</span>
                    </A>
                    {account_link()}
                    <a class="lang-switch" rel="external" href=format!("/ngon-ngu?lang={}", locale.other().tag()) lang=locale.other().tag()>
                        {t.switch_language}
                    </a>
                </div>
                <nav class="wrap main-nav" aria-label=t.main_nav_label>
                    <A href="/" exact=true>{t.nav_home}</A>
                    <A href="/bai-hoc">{t.nav_lessons}</A>
                    <A href="/luyen-tap" exact=true>{t.nav_practice}</A>
                    <A href="/cuoc-thi">{tr("Cuộc thi", "Contests")}</A>
                    <A href="/tien-do">{t.nav_progress}</A>
                    {work_links().into_iter().map(|(label, href)| view! { <A href=href>{label}</A> }).collect_view()}
                </nav>
            </header>
            <main id="main" class="wrap" tabindex="-1">
                <components::FormError />
                <Routes fallback=components::NotFound>
                    <Route path=path!("/") view=home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/bai-hoc") view=practice::lessons::CataloguePage ssr=SsrMode::Async />
                    <Route path=path!("/bai-hoc/:slug") view=practice::lessons::LessonPage ssr=SsrMode::Async />
                    <Route path=path!("/luyen-tap") view=practice::quiz::PracticePage ssr=SsrMode::Async />
                    <Route path=path!("/luyen-tap/:attempt/cau/:n") view=practice::quiz::QuestionPageView ssr=SsrMode::Async />
                    <Route path=path!("/luyen-tap/:attempt/nop-bai") view=practice::quiz::ReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/luyen-tap/:attempt/ket-qua") view=practice::quiz::ResultPage ssr=SsrMode::Async />
                    <Route path=path!("/tien-do") view=practice::progress::ProgressPage ssr=SsrMode::Async />
                    <Route path=path!("/dang-nhap") view=accounts::pages::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/doi-mat-khau") view=accounts::pages::ChangePasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/tai-khoan") view=accounts::pages::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/tham-gia") view=schools::pages::JoinPage ssr=SsrMode::Async />
                    <Route path=path!("/cuoc-thi") view=contests::pages::RoundsPage ssr=SsrMode::Async />
                    <Route path=path!("/cuoc-thi/quan-ly") view=contests::pages::ContestAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/cuoc-thi/vong/:id/ket-qua") view=contests::pages::RoundResultsPage ssr=SsrMode::Async />
                    <Route path=path!("/cuoc-thi/vong/:id/bang-xep-hang") view=contests::pages::LeaderboardPage ssr=SsrMode::Async />
                    <Route path=path!("/cuoc-thi/vong/:id/phan-tich") view=contests::pages::ItemAnalysisPage ssr=SsrMode::Async />
                    <Route path=path!("/chung-nhan") view=contests::pages::CertificateLookupPage ssr=SsrMode::Async />
                    <Route path=path!("/chung-nhan/:code") view=contests::pages::CertificatePage ssr=SsrMode::Async />
                    <Route path=path!("/truong/:id") view=schools::pages::SchoolPage ssr=SsrMode::Async />
                    <Route path=path!("/truong/:id/tham-gia") view=coverage::pages::SchoolCoveragePage ssr=SsrMode::Async />
                    <Route path=path!("/bao-cao") view=coverage::pages::CoveragePage ssr=SsrMode::Async />
                    <Route path=path!("/bao-cao/in") view=coverage::pages::CoverageReportPage ssr=SsrMode::Async />
                    <Route path=path!("/bao-cao/quy-tac") view=coverage::pages::CoverageRulePage ssr=SsrMode::Async />
                    <Route path=path!("/bao-cao/chuong-trinh") view=coverage::pages::ProgramQueuePage ssr=SsrMode::Async />
                    <Route path=path!("/lop/:id") view=schools::pages::ClassPage ssr=SsrMode::Async />
                    <Route path=path!("/lop/:id/phieu") view=schools::pages::SlipsPage ssr=SsrMode::Async />
                    <Route path=path!("/lop/:id/giao-bai") view=classroom::pages::NewAssignmentPage ssr=SsrMode::Async />
                    <Route path=path!("/giao-bai/:id") view=classroom::pages::AssignmentReportPage ssr=SsrMode::Async />
                    <Route path=path!("/giao-bai/:id/chua-lam") view=classroom::pages::NotDonePage ssr=SsrMode::Async />
                    <Route path=path!("/truong/:id/de") view=classroom::quiz_pages::QuizListPage ssr=SsrMode::Async />
                    <Route path=path!("/de/:id") view=classroom::quiz_pages::QuizPage ssr=SsrMode::Async />
                    <Route path=path!("/nhap/:id") view=schools::pages::ImportReportPage ssr=SsrMode::Async />
                    <Route path=path!("/quan-tri") view=schools::pages::DirectoryPage ssr=SsrMode::Async />
                    <Route path=path!("/quan-tri/nhat-ky") view=schools::pages::AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/quan-tri/nguoi-dung") view=accounts::staff_pages::StaffListPage ssr=SsrMode::Async />
                    <Route path=path!("/quan-tri/nguoi-dung/:id") view=accounts::staff_pages::StaffAccountPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <div class="wrap"><p>{t.footer}</p></div>
            </footer>
        </Router>
    }
}

#[cfg(test)]
mod escape_tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape_html("a</title><meta content=\"0;url=x\">&'"),
            "a&lt;/title&gt;&lt;meta content=&quot;0;url=x&quot;&gt;&amp;&#39;"
        );
    }
}
