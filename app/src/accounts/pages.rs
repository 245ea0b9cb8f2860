//! Signing in and out, choosing a password, "my account". Plain forms posting to server
//! functions; outcomes come back as a redirect with a short code the page turns into a message.

use crate::accounts::types::Me;
use crate::components::{ErrorMessage, query};
use crate::error::AppError;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
mod ssr {
    /// A same-site path to go to after signing in; anything else becomes `/tai-khoan`.
    /// The page to go to after signing in: a path on this site, or `/tai-khoan`.
    ///
    /// Browsers drop tabs and line breaks from a URL and read `\\` as `/`, so `/\t/evil.example`
    /// would become `//evil.example`, another site. Only printable ASCII is accepted (a path
    /// with other characters arrives percent-encoded), and it must not begin with two slashes
    /// in any spelling.
    pub fn safe_next(next: Option<&str>) -> String {
        next.filter(|p| {
            p.len() <= 2_000
                && p.starts_with('/')
                && p.bytes().all(|b| b.is_ascii_graphic())
                && !p.contains('\\')
                && !p[1..].starts_with('/')
        })
        .filter(|p| !p.starts_with("/api/") && !p.starts_with("/dang-nhap"))
        .unwrap_or("/tai-khoan")
        .to_owned()
    }
}

/// Signs in with a username and password, then goes to `next` (or to the password page first
/// when the password is a one-time one). Failures go back to the form with a reason code.
#[server]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::accounts::auth::{self, LoginOutcome};
    let state = crate::platform::app_state()?;
    let outcome = auth::login(
        &state.db,
        &username,
        &password,
        crate::platform::request::client_ip().as_deref(),
        crate::platform::request::anonymous_learner().as_deref(),
        &state.sessions,
    )
    .await?;
    let next_query = next
        .as_deref()
        .map(|n| format!("&next={}", urlencode(&ssr::safe_next(Some(n)))))
        .unwrap_or_default();
    match outcome {
        LoginOutcome::SignedIn {
            token,
            must_change_password,
        } => {
            if let Some(old) = crate::platform::request::caller() {
                // The session that was there before ends: a new id at every sign-in.
                auth::end_session(&state.db, &old.session_id).await?;
            }
            crate::platform::set_session_cookie(Some(&token));
            if must_change_password {
                crate::platform::request::redirect("/doi-mat-khau?lan-dau=1");
            } else {
                crate::platform::request::redirect(&ssr::safe_next(next.as_deref()));
            }
        }
        LoginOutcome::WrongCredentials => {
            crate::platform::request::redirect(&format!("/dang-nhap?loi=sai{next_query}"))
        }
        LoginOutcome::Disabled => {
            crate::platform::request::redirect(&format!("/dang-nhap?loi=khoa-tk{next_query}"))
        }
        LoginOutcome::Throttled { minutes } => crate::platform::request::redirect(&format!(
            "/dang-nhap?loi=nhieu-lan&phut={minutes}{next_query}"
        )),
    }
    Ok(())
}

/// Percent-encodes a path for a query value.
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `key=value&…` for the pairs whose value is not empty, values percent-encoded: a form sent
/// back keeps what was typed, a filtered list keeps its filter across pages.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", urlencode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Ends the session.
#[server]
pub async fn logout() -> Result<(), AppError> {
    let state = crate::platform::app_state()?;
    if let Some(caller) = crate::platform::request::caller() {
        crate::accounts::auth::end_session(&state.db, &caller.session_id).await?;
    }
    crate::platform::set_session_cookie(None);
    crate::platform::request::redirect("/dang-nhap?da-dang-xuat=1");
    Ok(())
}

/// Replaces the password (the one-time one at first sign-in).
#[server]
pub async fn change_password(
    current: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::accounts::auth::{self, PasswordProblem};
    let caller = crate::platform::request::require_caller()?;
    let state = crate::platform::app_state()?;
    let outcome = if new_password != confirm {
        Err(PasswordProblem::Mismatch)
    } else {
        auth::change_password(&state.db, &caller, &current, &new_password).await?
    };
    match outcome {
        Ok(()) => crate::platform::request::redirect("/tai-khoan?doi-mat-khau=1"),
        Err(problem) => {
            crate::platform::request::redirect(&format!("/doi-mat-khau?loi={}", problem.code()))
        }
    }
    Ok(())
}

/// The signed-in person.
#[server]
pub async fn get_me() -> Result<Me, AppError> {
    use crate::accounts::types::GrantView;
    use crate::codes::Role;
    let caller = crate::platform::request::require_caller()?;
    let state = crate::platform::app_state()?;
    let db = &state.db;
    let mut grants = Vec::new();
    let mut links: Vec<(String, String)> = Vec::new();
    for grant in &caller.grants {
        let scope = crate::schools::people::scope_label(db, grant).await?;
        let mut add = |label: String, href: String| {
            if !links.iter().any(|(_, h)| *h == href) {
                links.push((label, href));
            }
        };
        match (grant.role, grant.school_id) {
            (Role::Admin, _) => {
                add(
                    "Báo cáo kết quả triển khai".to_owned(),
                    "/bao-cao".to_owned(),
                );
                add("Danh mục trường".to_owned(), "/quan-tri".to_owned());
                add("Người dùng".to_owned(), "/quan-tri/nguoi-dung".to_owned());
                add(
                    "Nhật ký quản trị".to_owned(),
                    "/quan-tri/nhat-ky".to_owned(),
                );
            }
            (Role::Department | Role::Commune, _) => {
                add(
                    "Báo cáo kết quả triển khai".to_owned(),
                    "/bao-cao".to_owned(),
                );
                add(
                    "Các trường trong phạm vi phụ trách".to_owned(),
                    "/quan-tri".to_owned(),
                )
            }
            (Role::Principal | Role::Teacher, Some(id)) => {
                add(format!("Trường: {scope}"), format!("/truong/{id}"));
                add(
                    format!("Tham gia và hoạt động trực tiếp: {scope}"),
                    format!("/truong/{id}/tham-gia"),
                );
                add(
                    format!("Đề kiểm tra của giáo viên: {scope}"),
                    format!("/truong/{id}/de"),
                )
            }
            _ => {}
        }
        grants.push(GrantView {
            role: grant.role,
            scope,
        });
    }
    let class_label = match crate::accounts::auth::current_class(db, caller.account_id).await? {
        Some(class) => {
            let school = crate::entities::school::Entity::find_by_id(class.school_id)
                .one(db)
                .await?;
            Some(format!(
                "{} · {}",
                class.name,
                school.map(|s| s.name).unwrap_or_default()
            ))
        }
        None => None,
    };
    let certificates = crate::contests::results::my_certificates(db, caller.account_id).await?;
    Ok(Me {
        links,
        certificates,
        username: caller.username,
        full_name: caller.full_name,
        grants,
        must_change_password: caller.must_change_password,
        class_label,
    })
}

#[cfg(feature = "ssr")]
use sea_orm::EntityTrait;

/// `/dang-nhap`
#[component]
pub fn LoginPage() -> impl IntoView {
    let title = tr("Đăng nhập", "Sign in");
    let message = match query("loi").as_deref() {
        Some("sai") => Some(tr(
            "Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra lại (chú ý chữ hoa, chữ thường).",
            "Wrong username or password. Check them again (letters are case-sensitive).",
        ).to_owned()),
        Some("khoa-tk") => Some(tr(
            "Tài khoản này đang bị khóa. Hãy liên hệ giáo viên phụ trách hoặc nhà trường.",
            "This account is disabled. Ask your teacher or school.",
        ).to_owned()),
        Some("nhieu-lan") => {
            let minutes = query("phut").and_then(|m| m.parse::<u32>().ok()).unwrap_or(15);
            Some(match crate::use_locale() {
                crate::i18n::Locale::Vi => format!("Bạn đã nhập sai quá nhiều lần. Hãy thử lại sau {minutes} phút, hoặc nhờ giáo viên đặt lại mật khẩu."),
                crate::i18n::Locale::En => format!("Too many failed attempts. Try again in {minutes} minutes, or ask your teacher to reset your password."),
            })
        }
        _ => None,
    };
    let logged_out = query("da-dang-xuat").is_some();
    let next = query("next").unwrap_or_default();
    view! {
        <Title text=title />
        <h1>{title}</h1>
        {logged_out.then(|| view! { <p class="notice" role="status">{tr("Bạn đã đăng xuất.", "You have signed out.")}</p> })}
        {message.map(|m| view! { <p class="notice error" role="alert" id="login-error">{m}</p> })}
        <form method="post" action=Login::url() class="stack-form">
            <input type="hidden" name="next" value=next />
            <label for="username">{tr("Tên đăng nhập", "Username")}</label>
            <input id="username" name="username" type="text" required autocomplete="username"
                autocapitalize="none" spellcheck="false" maxlength="64" />
            <label for="password">{tr("Mật khẩu", "Password")}</label>
            <input id="password" name="password" type="password" required autocomplete="current-password" maxlength="128" />
            <button type="submit" class="button">{title}</button>
        </form>
        <p class="muted">{tr(
            "Học sinh nhận tên đăng nhập và mật khẩu lần đầu trên phiếu đăng nhập do giáo viên phát, hoặc tự tạo tài khoản bằng mã lớp.",
            "Pupils get their username and first password on a login slip from their teacher, or sign up with a class code.",
        )}</p>
        <p><a href="/tham-gia">{tr("Tham gia lớp bằng mã lớp", "Join a class with a class code")}</a></p>
        <p class="muted">{tr(
            "Không cần tài khoản để đọc bài học và luyện tập.",
            "You do not need an account to read lessons and practise.",
        )}</p>
    }
}

/// `/doi-mat-khau`
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| get_me());
    let title = tr("Đặt mật khẩu mới", "Choose a new password");
    let first_time = query("lan-dau").is_some();
    let problem = query("loi").map(|code| match code.as_str() {
        "ngan" => tr(
            "Mật khẩu mới cần ít nhất 8 ký tự.",
            "The new password needs at least 8 characters.",
        ),
        "dai" => tr(
            "Mật khẩu mới dài quá 128 ký tự.",
            "The new password is longer than 128 characters.",
        ),
        "trung-ten" => tr(
            "Mật khẩu mới không được trùng tên đăng nhập.",
            "The new password must differ from the username.",
        ),
        "lap" => tr(
            "Mật khẩu mới không được chỉ gồm một ký tự lặp lại.",
            "The new password cannot be one repeated character.",
        ),
        "pho-bien" => tr(
            "Mật khẩu này quá phổ biến hoặc dễ đoán (dãy số, dãy phím, tên đăng nhập). Hãy ghép ba, bốn từ dễ nhớ, ví dụ meo-vang-an-com.",
            "This password is too common or easy to guess (digits only, a keyboard run, the username). Join three or four words you remember.",
        ),
        "ngan-can-bo" => tr(
            "Tài khoản cán bộ xem được dữ liệu của học sinh nên cần mật khẩu ít nhất 12 ký tự.",
            "Staff accounts can see pupils' data, so they need at least 12 characters.",
        ),
        "giong-cu" => tr(
            "Mật khẩu mới phải khác mật khẩu hiện tại.",
            "The new password must differ from the current one.",
        ),
        "sai" => tr(
            "Mật khẩu hiện tại không đúng.",
            "The current password is wrong.",
        ),
        "khong-khop" => tr(
            "Hai lần nhập mật khẩu mới không khớp nhau.",
            "The two new passwords do not match.",
        ),
        _ => tr("Không đổi được mật khẩu.", "The password was not changed."),
    });
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(me) => view! {
                        {(first_time || me.must_change_password).then(|| view! {
                            <p class="notice" role="status">{tr(
                                "Đây là lần đăng nhập đầu tiên. Hãy đặt một mật khẩu chỉ mình bạn biết; mật khẩu trên phiếu sẽ hết dùng được.",
                                "This is your first sign-in. Choose a password only you know; the one on the slip will stop working.",
                            )}</p>
                        })}
                        {problem.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
                        <form method="post" action=ChangePassword::url() class="stack-form">
                            <input type="text" name="username" autocomplete="username" value=me.username hidden />
                            <label for="current">{tr("Mật khẩu hiện tại (hoặc mật khẩu trên phiếu)", "Current password (or the one on your slip)")}</label>
                            <input id="current" name="current" type="password" required autocomplete="current-password" maxlength="128" />
                            <label for="new_password">{tr("Mật khẩu mới (ít nhất 8 ký tự)", "New password (at least 8 characters)")}</label>
                            <input id="new_password" name="new_password" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
                            <label for="confirm">{tr("Nhập lại mật khẩu mới", "New password again")}</label>
                            <input id="confirm" name="confirm" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
                            <button type="submit" class="button">{tr("Lưu mật khẩu", "Save password")}</button>
                        </form>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/tai-khoan`
#[component]
pub fn AccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| get_me());
    let title = tr("Tài khoản của tôi", "My account");
    let changed = query("doi-mat-khau").is_some();
    let new_username = query("moi");
    let done = query("xong").map(|code| match code.as_str() {
        "chuyen-truong" => tr(
            "Em đã vào lớp ở trường mới. Kết quả học tập trước đây vẫn được giữ trong tài khoản.",
            "You joined a class at your new school. Your earlier results stay with your account.",
        ),
        "da-o-lop" => tr(
            "Em đã ở trong lớp này rồi.",
            "You are already in this class.",
        ),
        _ => tr("Em đã vào lớp mới.", "You joined the new class."),
    });
    view! {
        <Title text=title />
        <h1>{title}</h1>
        {changed.then(|| view! { <p class="notice" role="status">{tr("Đã lưu mật khẩu mới.", "Your new password is saved.")}</p> })}
        {new_username.map(|u| view! { <p class="notice" role="status">{tr("Em đã vào lớp. Hãy ghi nhớ tên đăng nhập của em: ", "You joined the class. Remember your username: ")}<strong>{u}</strong></p> })}
        {done.map(|d| view! { <p class="notice" role="status">{d}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(me) => { let is_pupil = me.grants.iter().any(|g| g.role == crate::codes::Role::Pupil); view! {
                        <dl class="facts">
                            <dt>{tr("Họ và tên", "Name")}</dt><dd>{me.full_name}</dd>
                            <dt>{tr("Tên đăng nhập", "Username")}</dt><dd><code>{me.username}</code></dd>
                            {me.class_label.map(|c| view! { <dt>{tr("Lớp", "Class")}</dt><dd>{c}</dd> })}
                        </dl>
                        {is_pupil.then(|| view! { <crate::classroom::pages::AssignedWorkList always=true /> })}
                        {(!me.links.is_empty()).then(|| view! {
                            <h2>{tr("Công việc", "Your pages")}</h2>
                            <ul>{me.links.into_iter().map(|(label, href)| view! { <li><a href=href>{label}</a></li> }).collect_view()}</ul>
                        })}
                        {(!me.certificates.is_empty()).then(|| view! {
                            <h2>{tr("Giấy chứng nhận", "Certificates")}</h2>
                            <ul>{me.certificates.into_iter().map(|(code, what)| view! { <li><a href=format!("/chung-nhan/{code}")>{what}</a></li> }).collect_view()}</ul>
                        })}
                        <h2>{tr("Vai trò", "Roles")}</h2>
                        <ul>
                            {me.grants.into_iter().map(|g| view! {
                                <li>{g.role.label()}{(!g.scope.is_empty()).then(|| format!(" — {}", g.scope))}</li>
                            }).collect_view()}
                        </ul>
                        {is_pupil.then(|| view! {
                            <p><a href="/tham-gia">{tr("Vào lớp khác bằng mã lớp (khi chuyển lớp, chuyển trường)", "Join another class with a code (new class or new school)")}</a></p>
                        })}
                        <p><a href="/doi-mat-khau">{tr("Đổi mật khẩu", "Change password")}</a></p>
                        <form method="post" action=Logout::url()>
                            <button type="submit" class="button secondary">{tr("Đăng xuất", "Sign out")}</button>
                        </form>
                    }.into_any() }
                }
            })}
        </Suspense>
    }
}
