//! Staff accounts, for administrators: `/quan-tri/nguoi-dung` (list, search, create) and
//! `/quan-tri/nguoi-dung/:id` (roles, lock, new one-time password). Plain forms that post and
//! redirect, so everything works without JavaScript.

// A form posted without JavaScript arrives as flat fields (one per level box), so the server
// functions take them one by one.
#![allow(clippy::too_many_arguments)]

use crate::accounts::types::*;
use crate::codes::*;
use crate::components::{ErrorMessage, param, query};
use crate::error::AppError;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::accounts::staff::GrantInput;
    use crate::codes::SchoolLevel;

    /// The role fields of a form: empty strings are absent; ticked level boxes become levels.
    pub fn grant_input(
        role: String,
        school_code: Option<String>,
        commune: Option<String>,
        levels: [Option<String>; 6],
    ) -> GrantInput {
        let filled = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        GrantInput {
            role,
            school_code: filled(school_code),
            commune: filled(commune),
            levels: SchoolLevel::ALL
                .into_iter()
                .zip(levels)
                .filter_map(|(level, ticked)| ticked.map(|_| level))
                .collect(),
        }
    }
}

/// A page of staff accounts.
#[server]
pub async fn list_staff(q: Option<String>, page: Option<u64>) -> Result<StaffListView, AppError> {
    crate::access::require_admin()?;
    let db = &crate::platform::app_state()?.db;
    Ok(StaffListView {
        list: crate::accounts::staff::list_staff(db, q.as_deref(), page.unwrap_or(1)).await?,
        communes: crate::accounts::staff::commune_names(db).await?,
    })
}

/// One staff account.
#[server]
pub async fn get_staff(id: i32) -> Result<StaffAccountView, AppError> {
    let caller = crate::access::require_admin()?;
    let db = &crate::platform::app_state()?.db;
    Ok(StaffAccountView {
        account: crate::accounts::staff::staff_detail(db, &caller, id).await?,
        communes: crate::accounts::staff::commune_names(db).await?,
    })
}

/// Creates a staff account with one role, then shows it (with its one-time password).
#[server]
pub async fn create_staff(
    username: String,
    full_name: String,
    role: String,
    school_code: Option<String>,
    commune: Option<String>,
    level_th: Option<String>,
    level_thcs: Option<String>,
    level_thpt: Option<String>,
    level_gdtx: Option<String>,
    level_tccd: Option<String>,
    level_dh: Option<String>,
) -> Result<(), AppError> {
    let caller = crate::access::require_admin()?;
    let db = &crate::platform::app_state()?.db;
    let input = ssr::grant_input(
        role,
        school_code,
        commune,
        [
            level_th, level_thcs, level_thpt, level_gdtx, level_tccd, level_dh,
        ],
    );
    let actor = crate::platform::request::actor(&caller);
    match crate::accounts::staff::create_staff(db, &actor, &username, &full_name, &input).await? {
        Ok(id) => {
            crate::platform::request::redirect(&format!("/quan-tri/nguoi-dung/{id}?xong=tao-moi"))
        }
        Err(problem) => crate::platform::request::redirect(&format!(
            "/quan-tri/nguoi-dung?loi={}",
            problem.code()
        )),
    }
    Ok(())
}

/// Adds a role to a staff account.
#[server]
pub async fn add_staff_role(
    account_id: i32,
    role: String,
    school_code: Option<String>,
    commune: Option<String>,
    level_th: Option<String>,
    level_thcs: Option<String>,
    level_thpt: Option<String>,
    level_gdtx: Option<String>,
    level_tccd: Option<String>,
    level_dh: Option<String>,
) -> Result<(), AppError> {
    let caller = crate::access::require_admin()?;
    let db = &crate::platform::app_state()?.db;
    let input = ssr::grant_input(
        role,
        school_code,
        commune,
        [
            level_th, level_thcs, level_thpt, level_gdtx, level_tccd, level_dh,
        ],
    );
    let actor = crate::platform::request::actor(&caller);
    let outcome = crate::accounts::staff::add_grant(db, &actor, account_id, &input).await?;
    redirect_after(account_id, outcome, "them-vai-tro");
    Ok(())
}

/// Withdraws a role (`revoke` with `grant_id`), locks (`lock`), unlocks (`unlock`) or issues a
/// new one-time password (`reset`).
#[server]
pub async fn staff_action(
    account_id: i32,
    action: String,
    grant_id: Option<i32>,
) -> Result<(), AppError> {
    use crate::accounts::staff;
    let caller = crate::access::require_admin()?;
    let db = &crate::platform::app_state()?.db;
    let actor = crate::platform::request::actor(&caller);
    let (outcome, done) = match action.as_str() {
        "revoke" => {
            let grant =
                grant_id.ok_or_else(|| AppError::BadRequest("Chưa chọn vai trò.".into()))?;
            (
                staff::revoke_grant(db, &caller, &actor, account_id, grant).await?,
                "thu-hoi",
            )
        }
        "lock" => (
            staff::set_disabled(db, &caller, &actor, account_id, true).await?,
            "da-khoa",
        ),
        "unlock" => (
            staff::set_disabled(db, &caller, &actor, account_id, false).await?,
            "mo-khoa",
        ),
        "reset" => (
            staff::reset_staff_password(db, &caller, &actor, account_id).await?,
            "dat-lai",
        ),
        _ => return Err(AppError::BadRequest("Thao tác không hợp lệ.".into())),
    };
    redirect_after(account_id, outcome, done);
    Ok(())
}

#[cfg(feature = "ssr")]
fn redirect_after(
    account_id: i32,
    outcome: Result<(), crate::accounts::staff::StaffProblem>,
    done: &str,
) {
    let query = match outcome {
        Ok(()) => format!("xong={done}"),
        Err(problem) => format!("loi={}", problem.code()),
    };
    crate::platform::request::redirect(&format!("/quan-tri/nguoi-dung/{account_id}?{query}"));
}

/// The message for a `?loi=` code of these pages.
fn problem_text(code: &str) -> &'static str {
    match code {
        "ten-dn" => tr(
            "Tên đăng nhập gồm 3–32 chữ cái không dấu, chữ số, dấu chấm hoặc gạch dưới.",
            "A username is 3–32 letters without accents, digits, dots or underscores.",
        ),
        "trung-ten-dn" => tr(
            "Tên đăng nhập này đã có người dùng; hãy chọn tên khác.",
            "This username is taken; choose another.",
        ),
        "ho-ten" => tr(
            "Hãy ghi họ và tên (2–80 ký tự).",
            "Write the full name (2–80 characters).",
        ),
        "vai-tro" => tr(
            "Hãy chọn một vai trò. Tài khoản học sinh do nhà trường tạo.",
            "Choose a role. Pupil accounts are made by schools.",
        ),
        "truong" => tr(
            "Không có trường nào mang mã này trong danh mục.",
            "No school in the directory has this code.",
        ),
        "xa" => tr(
            "Không có xã/phường này trong danh mục; hãy chọn trong danh sách.",
            "No such commune; choose one from the list.",
        ),
        "trung-vai-tro" => tr(
            "Tài khoản đã có vai trò này với phạm vi này.",
            "The account already has this role with this scope.",
        ),
        "chinh-minh" => tr(
            "Không thể tự khóa, tự cấp lại mật khẩu hay tự thu hồi quyền quản trị của chính mình; hãy nhờ một quản trị viên khác.",
            "You cannot lock yourself, reset your own password or withdraw your own administrator role; ask another administrator.",
        ),
        _ => tr("Có lỗi trong biểu mẫu.", "The form has an error."),
    }
}

/// The role fields shared by “create” and “add a role”: the role and the scope it needs.
#[component]
fn RoleFields(prefix: &'static str, communes: Vec<String>) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    view! {
        <label for=id("role")>{tr("Vai trò", "Role")}</label>
        <select id=id("role") name="role" required>
            {Role::ALL.into_iter().filter(|r| *r != Role::Pupil).map(|r| view! {
                <option value=r.code()>{r.label()}</option>
            }).collect_view()}
        </select>
        <label for=id("school")>{tr("Mã trường (cho giáo viên phụ trách, hiệu trưởng)", "School code (teachers, principals)")}</label>
        <input id=id("school") name="school_code" type="text" maxlength="20" autocomplete="off" spellcheck="false" />
        <label for=id("commune")>{tr("Xã/phường (cho cán bộ xã/phường)", "Commune (commune offices)")}</label>
        <select id=id("commune") name="commune">
            <option value="">{tr("— không áp dụng —", "— not applicable —")}</option>
            {communes.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
        </select>
        <fieldset>
            <legend>{tr("Cấp học phụ trách (cho cán bộ Sở; không chọn = tất cả)", "Levels overseen (department; none = all)")}</legend>
            {SchoolLevel::ALL.into_iter().map(|l| {
                let name = format!("level_{}", l.code().to_lowercase());
                view! {
                    <label class="check"><input type="checkbox" name=name value="1" />{crate::level_name(l)}</label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// `/quan-tri/nguoi-dung`
#[component]
pub fn StaffListPage() -> impl IntoView {
    let q = query("q");
    let page = query("trang").and_then(|p| p.parse().ok());
    let list = Resource::new(move || (q.clone(), page), |(q, page)| list_staff(q, page));
    let title = tr("Người dùng (cán bộ)", "Staff accounts");
    let q_value = query("q").unwrap_or_default();
    let problem = query("loi").map(|code| problem_text(&code));
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <p>{tr(
            "Tài khoản của giáo viên, hiệu trưởng, cán bộ xã/phường, cán bộ Sở, Ban Tổ chức và quản trị viên. Tài khoản học sinh do nhà trường tạo ở trang lớp.",
            "Accounts of teachers, principals, commune and department officials, the committee and administrators. Pupil accounts are made by schools on the class page.",
        )}</p>
        {problem.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
        <form method="get" action="/quan-tri/nguoi-dung" class="inline-actions" role="search">
            <label for="q" class="visually-hidden">{tr("Tìm theo tên đăng nhập hoặc họ tên", "Search by username or name")}</label>
            <input id="q" name="q" type="search" value=q_value placeholder=tr("Tên đăng nhập hoặc họ tên", "Username or name") />
            <button type="submit" class="button secondary">{tr("Tìm", "Search")}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(StaffListView { list, communes }) => view! {
                        <p class="muted">{format!("{} {} · {} {}/{}", list.total, tr("tài khoản", "accounts"), tr("trang", "page"), list.page, list.pages)}</p>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                            <thead><tr>
                                <th scope="col">{tr("Tên đăng nhập", "Username")}</th>
                                <th scope="col">{tr("Họ và tên", "Name")}</th>
                                <th scope="col">{tr("Vai trò", "Roles")}</th>
                                <th scope="col">{tr("Trạng thái", "Status")}</th>
                                <th scope="col">{tr("Đăng nhập gần nhất", "Last sign-in")}</th>
                            </tr></thead>
                            <tbody>
                                {list.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td><a href=format!("/quan-tri/nguoi-dung/{}", r.id)><code>{r.username}</code></a></td>
                                        <td>{r.full_name}</td>
                                        <td>{r.roles.into_iter().map(|g| view! {
                                            <span class="role-line">{g.role.label()}{(!g.scope.is_empty()).then(|| format!(" · {}", g.scope))}</span>
                                        }).collect_view()}</td>
                                        <td>{status_text(r.disabled, r.waiting_first_login)}</td>
                                        <td>{r.last_login.unwrap_or_else(|| "—".to_owned())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                        <nav class="inline-actions" aria-label=tr("Phân trang", "Pages")>
                            {(list.page > 1).then(|| view! { <a href=format!("/quan-tri/nguoi-dung?trang={}", list.page - 1)>{tr("← Trang trước", "← Previous")}</a> })}
                            {(list.page < list.pages).then(|| view! { <a href=format!("/quan-tri/nguoi-dung?trang={}", list.page + 1)>{tr("Trang sau →", "Next →")}</a> })}
                        </nav>
                        <h2 id="tao-moi">{tr("Tạo tài khoản cán bộ", "Create a staff account")}</h2>
                        <p>{tr(
                            "Hệ thống tạo một mật khẩu dùng một lần; người dùng phải đặt mật khẩu riêng ở lần đăng nhập đầu. Có thể thêm vai trò khác sau khi tạo.",
                            "A one-time password is generated; the person sets their own at first sign-in. More roles can be added afterwards.",
                        )}</p>
                        <form method="post" action=CreateStaff::url() class="stack-form">
                            <label for="new-username">{tr("Tên đăng nhập", "Username")}</label>
                            <input id="new-username" name="username" type="text" required minlength="3" maxlength="32" pattern="[a-z0-9._]{3,32}" autocomplete="off" autocapitalize="none" spellcheck="false" />
                            <label for="new-name">{tr("Họ và tên", "Full name")}</label>
                            <input id="new-name" name="full_name" type="text" required maxlength="80" autocomplete="off" />
                            <RoleFields prefix="new" communes />
                            <button type="submit" class="button">{tr("Tạo tài khoản", "Create")}</button>
                        </form>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn status_text(disabled: bool, waiting_first_login: bool) -> &'static str {
    if disabled {
        tr("Đã khóa", "Locked")
    } else if waiting_first_login {
        tr("Chưa đăng nhập lần đầu", "Not signed in yet")
    } else {
        tr("Đang hoạt động", "Active")
    }
}

/// `/quan-tri/nguoi-dung/:id`
#[component]
pub fn StaffAccountPage() -> impl IntoView {
    let id = param("id").unwrap_or(0);
    let account = Resource::new(move || id, get_staff);
    let done = query("xong").map(|code| match code.as_str() {
        "tao-moi" => tr(
            "Đã tạo tài khoản. Hãy trao mật khẩu dùng một lần dưới đây cho người dùng một cách kín đáo.",
            "Account created. Hand over the one-time password below privately.",
        ),
        "them-vai-tro" => tr("Đã thêm vai trò.", "Role added."),
        "thu-hoi" => tr(
            "Đã thu hồi vai trò; có hiệu lực ngay từ lần bấm tiếp theo của người dùng.",
            "Role withdrawn; it takes effect at the person's next request.",
        ),
        "da-khoa" => tr(
            "Đã khóa tài khoản và đăng xuất mọi phiên.",
            "Account locked and signed out everywhere.",
        ),
        "mo-khoa" => tr("Đã mở khóa tài khoản.", "Account unlocked."),
        "dat-lai" => tr(
            "Đã cấp mật khẩu dùng một lần mới và đăng xuất mọi phiên.",
            "A new one-time password was issued; all sessions ended.",
        ),
        _ => tr("Đã lưu.", "Saved."),
    });
    let problem = query("loi").map(|code| problem_text(&code));
    view! {
        <p><a href="/quan-tri/nguoi-dung">{tr("← Người dùng", "← Staff accounts")}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match account.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(StaffAccountView { account: a, communes }) => {
                        let aid = a.id;
                        view! {
                            <Title text=format!("{} · {}", a.username, tr("Người dùng", "Staff")) />
                            <h1>{a.full_name.clone()}</h1>
                            <p class="muted"><code>{a.username.clone()}</code>{format!(" · {}", status_text(a.disabled, a.one_time_password.is_some()))}</p>
                            {done.map(|d| view! { <p class="notice" role="status">{d}</p> })}
                            {problem.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
                            {a.one_time_password.clone().map(|p| view! {
                                <div class="notice">
                                    <p>{tr("Mật khẩu dùng một lần (hiển thị đến khi người dùng đặt mật khẩu riêng):", "One-time password (shown until the person sets their own):")}</p>
                                    <p><strong class="join-code">{p}</strong></p>
                                </div>
                            })}
                            <dl class="facts">
                                <dt>{tr("Tạo lúc", "Created")}</dt><dd>{a.created.clone()}</dd>
                                <dt>{tr("Đăng nhập gần nhất", "Last sign-in")}</dt><dd>{a.last_login.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                            </dl>
                            <h2>{tr("Vai trò", "Roles")}</h2>
                            {a.grants.is_empty().then(|| view! { <p>{tr("Tài khoản chưa có vai trò nào nên không xem được gì.", "No roles: the account can see nothing.")}</p> })}
                            <ul class="plain-list">
                                {a.grants.into_iter().map(|g| view! {
                                    <li>
                                        <form method="post" action=StaffAction::url() class="inline-actions">
                                            <span>{g.role.label()}{(!g.scope.is_empty()).then(|| format!(" · {}", g.scope))}</span>
                                            <input type="hidden" name="account_id" value=aid />
                                            <input type="hidden" name="grant_id" value=g.id />
                                            <button type="submit" name="action" value="revoke" class="button secondary">
                                                {tr("Thu hồi", "Withdraw")}<span class="visually-hidden">{format!(" — {}", g.role.label())}</span>
                                            </button>
                                        </form>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <h2>{tr("Thêm vai trò", "Add a role")}</h2>
                            <form method="post" action=AddStaffRole::url() class="stack-form">
                                <input type="hidden" name="account_id" value=aid />
                                <RoleFields prefix="add" communes />
                                <button type="submit" class="button">{tr("Thêm vai trò", "Add")}</button>
                            </form>
                            {(!a.is_self).then(|| view! {
                                <h2>{tr("Tài khoản", "Account")}</h2>
                                <form method="post" action=StaffAction::url() class="inline-actions">
                                    <input type="hidden" name="account_id" value=aid />
                                    <button type="submit" name="action" value="reset" class="button secondary">{tr("Cấp mật khẩu dùng một lần mới", "Issue a new one-time password")}</button>
                                    {if a.disabled {
                                        view! { <button type="submit" name="action" value="unlock" class="button secondary">{tr("Mở khóa", "Unlock")}</button> }.into_any()
                                    } else {
                                        view! { <button type="submit" name="action" value="lock" class="button secondary">{tr("Khóa tài khoản", "Lock")}</button> }.into_any()
                                    }}
                                </form>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
