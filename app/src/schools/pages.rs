//! Staff pages: the school directory, a school, a class with its pupils, login slips, the result
//! of an upload, class join codes and the audit log. Every server function checks the caller.

use crate::codes::*;
use crate::components::{ConfirmButton, ErrorMessage, param, query};
use crate::error::AppError;
use crate::schools::types::*;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::codes::SchoolLevel;
    use crate::entities::commune;
    use crate::error::AppError;

    use sea_orm::{DatabaseConnection, EntityTrait};

    pub fn levels_label(text: &str) -> String {
        SchoolLevel::parse_stored(text)
            .iter()
            .map(|l: &SchoolLevel| l.label())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub async fn commune_name(db: &DatabaseConnection, id: i32) -> Result<String, AppError> {
        Ok(commune::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| c.name)
            .unwrap_or_default())
    }
}

/// A school with its classes for the current school year.
#[server]
pub async fn get_school(id: i32) -> Result<SchoolView, AppError> {
    use crate::clock::current_school_year;
    use crate::entities::school_enrolment;
    use crate::schools::classes::classes_of_school;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    let school = crate::access::readable_school(db, &caller, id).await?;
    let year = current_school_year();
    let enrolment = school_enrolment::Entity::find()
        .filter(school_enrolment::Column::SchoolId.eq(id))
        .filter(school_enrolment::Column::SchoolYear.eq(year))
        .all(db)
        .await?
        .into_iter()
        .map(|e| {
            (
                SchoolLevel::from_code(&e.level)
                    .map(|l| l.label().to_owned())
                    .unwrap_or(e.level),
                e.pupils,
            )
        })
        .collect();
    let classes = classes_of_school(db, id, year)
        .await?
        .into_iter()
        .map(|(c, pupils)| ClassRow {
            can_open: caller.can_manage_class(&c) || caller.has(Role::Admin),
            id: c.id,
            name: c.name,
            grade: c.grade,
            pupils,
        })
        .collect();
    let status_note = match (&school.merged_into, &school.valid_to) {
        (Some(target), Some(date)) => Some(format!("Đã sáp nhập vào trường mã {target} từ {date}")),
        (None, Some(date)) => Some(format!("Ngừng hoạt động từ {date}")),
        _ => None,
    };
    Ok(SchoolView {
        id: school.id,
        code: school.code,
        name: school.name,
        levels: ssr::levels_label(&school.levels),
        ownership: crate::schools::directory::Ownership::from_code(&school.ownership)
            .map(|o| o.label().to_owned())
            .unwrap_or(school.ownership),
        commune: ssr::commune_name(db, school.commune_id).await?,
        former_district: school.former_district,
        overseeing_body: school.overseeing_body,
        status_note,
        school_year: crate::domain::school_year::label(year),
        enrolment,
        classes,
        can_manage: caller.can_manage_school(id),
        can_export: caller.can_handle_pupil_data(id),
    })
}

/// Creates an empty class; goes to it, or back with a reason code.
#[server]
pub async fn create_class(school_id: i32, name: String, grade: String) -> Result<(), AppError> {
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    let Ok(grade) = grade.trim().parse::<u8>() else {
        crate::platform::request::redirect(&format!("/truong/{school_id}?loi=khoi"));
        return Ok(());
    };
    match crate::schools::classes::create_class(
        db,
        &caller,
        &crate::platform::request::actor(&caller),
        school_id,
        &name,
        grade,
    )
    .await?
    {
        Ok(class_id) => crate::platform::request::redirect(&format!("/lop/{class_id}")),
        Err(problem) => crate::platform::request::redirect(&format!(
            "/truong/{school_id}?loi={}",
            problem.code()
        )),
    }
    Ok(())
}

/// A class with its pupils, for the people who manage it.
#[server]
pub async fn get_class(id: i32) -> Result<ClassView, AppError> {
    use crate::schools::classes::{class_pupils, classes_of_school, managed_class};
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    let class = managed_class(db, &caller, id).await?;
    let school = crate::schools::service::school_by_id(db, class.school_id).await?;
    let pupils = class_pupils(db, id)
        .await?
        .into_iter()
        .map(|(a, m)| PupilRow {
            account_id: a.id,
            full_name: a.full_name,
            username: a.username,
            birth_year: a.birth_year,
            activated: !a.must_change_password,
            via: m.via,
        })
        .collect();
    let other_classes = classes_of_school(db, class.school_id, class.school_year)
        .await?
        .into_iter()
        .filter(|(c, _)| c.id != id)
        .map(|(c, _)| (c.id, c.name))
        .collect();
    Ok(ClassView {
        id,
        name: class.name,
        grade: class.grade,
        school_id: school.id,
        school_name: school.name,
        school_year: crate::domain::school_year::label(class.school_year),
        join_code: class.join_code,
        pupils,
        other_classes,
        can_delete: caller.can_handle_pupil_data(school.id),
    })
}

/// Acts on one pupil of a class: `reset` (new one-time password), `remove` (leave the class),
/// `move` (to `to_class`).
#[server]
pub async fn pupil_action(
    class_id: i32,
    account_id: i32,
    action: String,
    to_class: Option<i32>,
) -> Result<(), AppError> {
    use crate::schools::classes;
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    let actor = crate::platform::request::actor(&caller);
    let done = match action.as_str() {
        "reset" => {
            classes::reset_password(db, &caller, &actor, class_id, account_id).await?;
            "dat-lai"
        }
        "remove" => {
            classes::remove_from_class(db, &caller, &actor, class_id, account_id).await?;
            "da-xoa"
        }
        "move" => {
            let to = to_class.ok_or_else(|| AppError::BadRequest("Chưa chọn lớp mới.".into()))?;
            classes::move_pupil(db, &caller, &actor, class_id, account_id, to).await?;
            "da-chuyen"
        }
        _ => return Err(AppError::BadRequest("Thao tác không hợp lệ.".into())),
    };
    crate::platform::request::redirect(&format!("/lop/{class_id}?xong={done}"));
    Ok(())
}

/// Turns the class join code on (a new code) or off.
#[server]
pub async fn set_join_code(class_id: i32, enable: bool) -> Result<(), AppError> {
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    crate::schools::classes::set_join_code(
        db,
        &caller,
        &crate::platform::request::actor(&caller),
        class_id,
        enable,
    )
    .await?;
    crate::platform::request::redirect(&format!("/lop/{class_id}"));
    Ok(())
}

/// Login slips of the pupils of a class who have not chosen a password yet.
#[server]
pub async fn get_slips(class_id: i32) -> Result<SlipsView, AppError> {
    use crate::schools::classes::{class_pupils, managed_class};
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    let class = managed_class(db, &caller, class_id).await?;
    let school = crate::schools::service::school_by_id(db, class.school_id).await?;
    let pupils = class_pupils(db, class_id).await?;
    let activated = pupils
        .iter()
        .filter(|(a, _)| a.initial_password.is_none())
        .count();
    let slips = pupils
        .into_iter()
        .filter_map(|(a, _)| {
            a.initial_password.map(|password| Slip {
                full_name: a.full_name,
                class_name: class.name.clone(),
                username: a.username,
                password,
            })
        })
        .collect();
    Ok(SlipsView {
        class_id,
        class_name: class.name,
        school_name: school.name,
        slips,
        // The configured public address, never the request's Host header (anyone can send any).
        sign_in_address: crate::platform::app_state()?
            .public_url
            .map(|url| format!("{url}/dang-nhap"))
            .unwrap_or_default(),
        activated,
    })
}

/// The stored result of an upload; only the person who uploaded it may read it.
#[server]
pub async fn get_import_report(id: String) -> Result<ImportReportView, AppError> {
    use crate::entities::import_report;
    use sea_orm::EntityTrait;
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    let report = import_report::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| r.account_id == caller.account_id)
        .ok_or(AppError::NotFound)?;
    let mut view: ImportReportView =
        serde_json::from_str(&report.body_json).map_err(|_| AppError::Internal)?;
    view.created_at = crate::clock::format_vietnam_time(report.created_at);
    Ok(view)
}

/// Signs a pupil up with a class join code and signs them in.
#[server]
pub async fn join_class(
    code: String,
    full_name: String,
    birth_year: Option<String>,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::schools::classes::{JoinOutcome, join_with_code};
    let state = crate::platform::app_state()?;
    let birth_year = birth_year
        .as_deref()
        .map(str::trim)
        .filter(|y| !y.is_empty())
        .map(|y| y.parse::<i32>().ok().filter(|y| (1990..=2030).contains(y)));
    let Some(birth_year) = birth_year.map_or(Some(None), |y| y.map(Some)) else {
        crate::platform::request::redirect("/tham-gia?loi=nam-sinh");
        return Ok(());
    };
    let outcome = join_with_code(
        &state.db,
        &code,
        &full_name,
        birth_year,
        &password,
        &confirm,
        crate::platform::request::client_ip().as_deref(),
        crate::platform::request::anonymous_learner().as_deref(),
        &state.sessions,
    )
    .await?;
    match outcome {
        JoinOutcome::Joined { username, token } => {
            crate::platform::set_session_cookie(Some(&token));
            crate::platform::request::redirect(&format!("/tai-khoan?moi={username}"));
        }
        JoinOutcome::UnknownCode => crate::platform::request::redirect("/tham-gia?loi=ma"),
        JoinOutcome::BadName => crate::platform::request::redirect("/tham-gia?loi=ten"),
        JoinOutcome::BadPassword(p) => {
            crate::platform::request::redirect(&format!("/tham-gia?loi=mk-{}", p.code()))
        }
        JoinOutcome::Throttled => crate::platform::request::redirect("/tham-gia?loi=nhieu-lan"),
    }
    Ok(())
}

/// A signed-in pupil enters a class code: a new class, or a new school after a transfer. The
/// account and its history stay.
#[server]
pub async fn join_class_signed_in(code: String) -> Result<(), AppError> {
    use crate::schools::classes::{TransferOutcome, join_with_account};
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    let outcome = join_with_account(
        db,
        &caller,
        &crate::platform::request::actor(&caller),
        &code,
        crate::platform::request::client_ip().as_deref(),
    )
    .await?;
    crate::platform::request::redirect(match outcome {
        TransferOutcome::Moved {
            school_changed: true,
        } => "/tai-khoan?xong=chuyen-truong",
        TransferOutcome::Moved { .. } => "/tai-khoan?xong=vao-lop",
        TransferOutcome::AlreadyThere => "/tai-khoan?xong=da-o-lop",
        TransferOutcome::UnknownCode => "/tham-gia?loi=ma",
        TransferOutcome::Throttled => "/tham-gia?loi=nhieu-lan",
    });
    Ok(())
}

/// Schools the caller may read: all (administrator), by levels (department), by commune
/// (commune office). `q` searches code and name.
#[server]
pub async fn list_schools(q: Option<String>, page: Option<u64>) -> Result<SchoolList, AppError> {
    use crate::entities::{commune, school};
    use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    // Commune officials, department officials and administrators list schools; the one access
    // policy says which.
    let lists = caller
        .grants
        .iter()
        .any(|g| matches!(g.role, Role::Admin | Role::Commune | Role::Department));
    let scope = crate::access::readable_schools(&caller)
        .filter(|_| lists)
        .ok_or(AppError::Forbidden)?;
    let mut filter = Condition::all().add(scope);
    if let Some(q) = q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        filter = filter.add(
            Condition::any()
                .add(school::Column::Code.contains(q.to_uppercase()))
                .add(school::Column::Name.contains(q)),
        );
    }
    let paginator = school::Entity::find()
        .filter(filter)
        .order_by_asc(school::Column::Code)
        .paginate(db, 50);
    let counts = paginator.num_items_and_pages().await?;
    // A page number from the request is bounded by the real page count: a huge one overflowed
    // the offset and ended the request with a panic.
    let page = page.unwrap_or(1).clamp(1, counts.number_of_pages.max(1));
    let rows = paginator.fetch_page(page - 1).await?;
    let mut names = std::collections::HashMap::new();
    for c in commune::Entity::find().all(db).await? {
        names.insert(c.id, c.name);
    }
    Ok(SchoolList {
        can_import: caller.has(Role::Admin),
        total: counts.number_of_items,
        page,
        pages: counts.number_of_pages.max(1),
        rows: rows
            .into_iter()
            .map(|s| SchoolListRow {
                id: s.id,
                code: s.code,
                levels: ssr::levels_label(&s.levels),
                commune: names.get(&s.commune_id).cloned().unwrap_or_default(),
                active: s.valid_to.is_none(),
                name: s.name,
            })
            .collect(),
    })
}

/// The highest page number a list accepts without counting its rows first.
#[cfg(feature = "ssr")]
const MAX_PAGE: u64 = 1_000_000;

/// Rows of the audit log on one page.
#[cfg(feature = "ssr")]
const AUDIT_PAGE: u64 = 100;

/// The audit log, newest first, for administrators: filtered by who (part of the name or
/// username, any case), the action, and a range of days in Vietnam time (`YYYY-MM-DD`, both
/// ends included). An unreadable day is an error that names the field.
#[server]
pub async fn get_audit_log(
    page: Option<u64>,
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<AuditPageView, AppError> {
    use crate::entities::audit_log;
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    crate::access::require_admin()?;
    let db = &crate::platform::app_state()?.db;
    let day_start = |text: &str, field: &str| -> Result<i64, AppError> {
        crate::clock::parse_vietnam_datetime(&format!("{}T00:00", text.trim())).ok_or_else(|| {
            AppError::BadRequest(format!(
                "“{field}”: “{}” không phải một ngày dạng năm-tháng-ngày.",
                text.trim()
            ))
        })
    };
    let mut query = audit_log::Entity::find();
    if let Some(actor) = actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        // LIKE wildcards typed in the box are taken as nothing, not as patterns.
        let typed = actor.to_lowercase().replace(['%', '_', '\\'], "");
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(audit_log::Column::Actor))).like(format!("%{typed}%")),
        );
    }
    if let Some(action) = action.as_deref().filter(|a| !a.is_empty()) {
        query = query.filter(audit_log::Column::Action.eq(action));
    }
    if let Some(day) = from.as_deref().filter(|d| !d.trim().is_empty()) {
        query = query.filter(audit_log::Column::At.gte(day_start(day, "Từ ngày")?));
    }
    if let Some(day) = to.as_deref().filter(|d| !d.trim().is_empty()) {
        let end = day_start(day, "Đến ngày")? + 24 * 3600 * 1000;
        query = query.filter(audit_log::Column::At.lt(end));
    }
    let page = page.unwrap_or(1).clamp(1, MAX_PAGE);
    // One row more than a page says whether a next page exists, without counting the log.
    let rows = query
        .order_by_desc(audit_log::Column::Id)
        .offset((page - 1) * AUDIT_PAGE)
        .limit(AUDIT_PAGE + 1)
        .all(db)
        .await?;
    let has_next = rows.len() as u64 > AUDIT_PAGE;
    Ok(AuditPageView {
        page,
        has_next,
        rows: rows
            .into_iter()
            .take(AUDIT_PAGE as usize)
            .map(|r| AuditRow {
                at: crate::clock::format_vietnam_time(r.at),
                actor: r.actor,
                action: crate::schools::people::action_label(&r.action)
                    .map(str::to_owned)
                    .unwrap_or(r.action),
                target: r.target,
                detail: crate::schools::people::readable_detail(&r.detail),
                ip: r.ip.unwrap_or_default(),
            })
            .collect(),
    })
}

/// `/truong/:id`
#[component]
pub fn SchoolPage() -> impl IntoView {
    let id = param("id").unwrap_or(0);
    let school = Resource::new(move || id, get_school);
    let problem = query("loi").map(|code| match code.as_str() {
        "khoi" => tr(
            "Khối không hợp lệ hoặc trường không dạy khối này.",
            "Grade not taught at this school.",
        ),
        "ten" => tr(
            "Tên lớp gồm 1–10 chữ cái, chữ số, “/” hoặc “-”, ví dụ 8A.",
            "A class name is 1–10 letters, digits, '/' or '-', e.g. 8A.",
        ),
        "trung" => tr(
            "Lớp này đã có trong năm học.",
            "This class already exists this school year.",
        ),
        _ => tr("Không tạo được lớp.", "The class was not created."),
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match school.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(s) => {
                        let sid = s.id;
                        view! {
                            <Title text=s.name.clone() />
                            <h1>{s.name.clone()}</h1>
                            {s.status_note.map(|n| view! { <p class="notice warning">{n}</p> })}
                            <dl class="facts">
                                <dt>{tr("Mã trường", "School code")}</dt><dd><code>{s.code}</code></dd>
                                <dt>{tr("Cấp học", "Levels")}</dt><dd>{s.levels}</dd>
                                <dt>{tr("Loại hình", "Ownership")}</dt><dd>{s.ownership}</dd>
                                <dt>{tr("Xã/phường", "Commune")}</dt><dd>{s.commune}</dd>
                                {s.former_district.map(|d| view! { <dt>{tr("Huyện cũ", "Former district")}</dt><dd>{d}</dd> })}
                                <dt>{tr("Cơ quan quản lý", "Overseeing body")}</dt><dd>{s.overseeing_body}</dd>
                            </dl>
                            <p><a class="button secondary" href=format!("/truong/{sid}/tham-gia")>{tr("Tham gia mạch A, B và hoạt động trực tiếp", "Participation in tracks A and B, offline programs")}</a></p>
                            <h2>{format!("{} {}", tr("Sĩ số năm học", "Enrolment"), s.school_year)}</h2>
                            {if s.enrolment.is_empty() {
                                view! { <p class="muted">{tr("Chưa có số liệu sĩ số cho năm học này.", "No enrolment figures for this year.")}</p> }.into_any()
                            } else {
                                view! { <ul>{s.enrolment.into_iter().map(|(l, n)| view! { <li>{format!("{l}: {n}")}</li> }).collect_view()}</ul> }.into_any()
                            }}
                            <h2>{tr("Các lớp", "Classes")}</h2>
                            {if s.classes.is_empty() {
                                view! { <p class="muted">{tr("Chưa có lớp nào trong năm học này.", "No classes yet this year.")}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                                        <thead><tr><th scope="col">{tr("Lớp", "Class")}</th><th scope="col">{tr("Khối", "Grade")}</th><th scope="col">{tr("Số học sinh có tài khoản", "Pupils with accounts")}</th></tr></thead>
                                        <tbody>
                                            {s.classes.into_iter().map(|c| view! {
                                                <tr>
                                                    <td>{if c.can_open { view! { <a href=format!("/lop/{}", c.id)>{c.name}</a> }.into_any() } else { view! { <span>{c.name}</span> }.into_any() }}</td>
                                                    <td>{c.grade}</td>
                                                    <td>{c.pupils}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table></div>
                                }.into_any()
                            }}
                            {s.can_export.then(|| view! {
                                <h2>{tr("Dữ liệu học sinh", "Pupils' data")}</h2>
                                <p>{tr("Tải về mọi dữ liệu nền tảng lưu về học sinh của trường (tài khoản, lớp, bài làm) để đáp ứng yêu cầu của học sinh hoặc cha mẹ. Việc tải được ghi vào nhật ký.", "Download everything stored about the school's pupils (accounts, classes, attempts), e.g. for a pupil's or parent's request. Downloads are logged.")}</p>
                                <p class="inline-actions">
                                    <a class="button secondary" href=format!("/truong/{sid}/xuat-du-lieu.xlsx") download>{tr("Tải dữ liệu học sinh (Excel)", "Download pupils' data (Excel)")}</a>
                                    <a class="button secondary" href=format!("/truong/{sid}/xuat-du-lieu.csv") download>{tr("Tải dữ liệu học sinh (CSV)", "Download pupils' data (CSV)")}</a>
                                </p>
                            })}
                            {s.can_manage.then(|| view! {
                                <h2 id="tao-lop">{tr("Tạo lớp", "Create a class")}</h2>
                                {problem.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
                                <form method="post" action=CreateClass::url() class="stack-form">
                                    <input type="hidden" name="school_id" value=sid />
                                    <label for="class-name">{tr("Tên lớp (ví dụ 8A)", "Class name (e.g. 8A)")}</label>
                                    <input id="class-name" name="name" type="text" required maxlength="10" />
                                    <label for="class-grade">{tr("Khối", "Grade")}</label>
                                    <input id="class-grade" name="grade" type="number" required min="1" max="12" inputmode="numeric" />
                                    <button type="submit" class="button">{tr("Tạo lớp", "Create class")}</button>
                                </form>
                                <h2 id="nhap-danh-sach">{tr("Nhập danh sách học sinh", "Import a class list")}</h2>
                                <p>{tr(
                                    "Tệp CSV (UTF-8) hoặc Excel (.xlsx) với các cột: họ và tên, lớp, khối, mã học sinh (không bắt buộc), năm sinh (không bắt buộc). Mỗi học sinh mới nhận một tài khoản và mật khẩu dùng một lần để in phiếu đăng nhập. Không ghi số điện thoại, e-mail hay số định danh.",
                                    "CSV (UTF-8) or Excel (.xlsx) with columns: full name, class, grade, pupil code (optional), birth year (optional). Each new pupil gets an account and a one-time password for a login slip. No phone, e-mail or ID number.",
                                )}</p>
                                <p><a href="/mau/danh-sach-lop.csv" download>{tr("Tải tệp mẫu", "Download the template")}</a></p>
                                <form method="post" action=format!("/truong/{sid}/nhap-danh-sach") enctype="multipart/form-data" class="stack-form">
                                    <label for="roster-file">{tr("Tệp danh sách", "Class list file")}</label>
                                    <input id="roster-file" name="file" type="file" required accept=".csv,.xlsx" />
                                    <button type="submit" class="button">{tr("Nhập danh sách", "Import")}</button>
                                </form>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/lop/:id`
#[component]
pub fn ClassPage() -> impl IntoView {
    let id = param("id").unwrap_or(0);
    let class = Resource::new(move || id, get_class);
    let done = query("xong").map(|code| match code.as_str() {
        "dat-lai" => tr(
            "Đã cấp mật khẩu mới; in lại phiếu đăng nhập cho học sinh.",
            "A new one-time password was issued; print the slip again.",
        ),
        "da-xoa" => tr(
            "Đã đưa học sinh ra khỏi lớp. Tài khoản và lịch sử học tập vẫn được giữ.",
            "The pupil left the class. The account and its history are kept.",
        ),
        "da-chuyen" => tr(
            "Đã chuyển học sinh sang lớp mới; lịch sử học tập vẫn được giữ.",
            "The pupil moved class; the history is kept.",
        ),
        "thu-hoi" => tr(
            "Đã thu hồi bài được giao. Bài học sinh đã làm vẫn được giữ.",
            "The work was withdrawn. Work already done is kept.",
        ),
        _ => tr("Đã lưu.", "Saved."),
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match class.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(c) => {
                        let cid = c.id;
                        let others = c.other_classes.clone();
                        let can_delete = c.can_delete;
                        let title = format!("{} {} · {}", tr("Lớp", "Class"), c.name, c.school_name);
                        view! {
                            <Title text=title.clone() />
                            <p><a href=format!("/truong/{}", c.school_id)>{c.school_name.clone()}</a></p>
                            <h1>{format!("{} {}", tr("Lớp", "Class"), c.name)}</h1>
                            <p class="muted">{format!("{} {} · {} {}", tr("Khối", "Grade"), c.grade, tr("Năm học", "School year"), c.school_year)}</p>
                            {done.map(|d| view! { <p class="notice" role="status">{d}</p> })}
                            <p class="inline-actions">
                                <a class="button" href=format!("/lop/{cid}/phieu")>{tr("In phiếu đăng nhập", "Print login slips")}</a>
                                <a class="button secondary" href=format!("/truong/{}#nhap-danh-sach", c.school_id)>{tr("Nhập thêm học sinh", "Import more pupils")}</a>
                                <a class="button secondary" href=format!("/truong/{}/de", c.school_id)>{tr("Đề kiểm tra của giáo viên", "Teachers' quizzes")}</a>
                            </p>
                            <h2>{tr("Mã tham gia lớp", "Class join code")}</h2>
                            {match c.join_code {
                                Some(code) => view! {
                                    <p>{tr("Học sinh vào ", "Pupils go to ")}<code>"/tham-gia"</code>{tr(" và nhập mã: ", " and enter the code: ")}<strong class="join-code">{code}</strong></p>
                                    <form method="post" action=SetJoinCode::url() class="inline-actions">
                                        <input type="hidden" name="class_id" value=cid />
                                        <button type="submit" name="enable" value="true" class="button secondary">{tr("Đổi mã mới", "New code")}</button>
                                        <button type="submit" name="enable" value="false" class="button secondary">{tr("Tắt mã", "Turn off")}</button>
                                    </form>
                                }.into_any(),
                                None => view! {
                                    <p>{tr("Thay cho việc nhập danh sách, học sinh có thể tự tạo tài khoản bằng mã lớp. Thầy cô xem và có thể xóa các em khỏi lớp.", "Instead of importing a list, pupils can sign up with a class code. You see them and can remove them.")}</p>
                                    <form method="post" action=SetJoinCode::url()>
                                        <input type="hidden" name="class_id" value=cid />
                                        <button type="submit" name="enable" value="true" class="button secondary">{tr("Tạo mã tham gia", "Create a join code")}</button>
                                    </form>
                                }.into_any(),
                            }}
                            <h2>{format!("{} ({})", tr("Học sinh", "Pupils"), c.pupils.len())}</h2>
                            <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                                <thead><tr>
                                    <th scope="col">{tr("Họ và tên", "Name")}</th>
                                    <th scope="col">{tr("Tên đăng nhập", "Username")}</th>
                                    <th scope="col">{tr("Năm sinh", "Born")}</th>
                                    <th scope="col">{tr("Trạng thái", "Status")}</th>
                                    <th scope="col">{tr("Thao tác", "Actions")}</th>
                                </tr></thead>
                                <tbody>
                                    {c.pupils.into_iter().map(|p| {
                                        let others = others.clone();
                                        view! {
                                            <tr>
                                                <td>{p.full_name.clone()}</td>
                                                <td><code>{p.username}</code></td>
                                                <td>{p.birth_year.map(|y| y.to_string()).unwrap_or_default()}</td>
                                                <td>{if p.activated { tr("Đã đặt mật khẩu", "Active") } else { tr("Chưa đăng nhập", "Not signed in yet") }}</td>
                                                <td>
                                                    <details class="row-actions">
                                                    <summary>{tr("Thao tác", "Actions")}<span class="visually-hidden">{format!(" — {}", p.full_name)}</span></summary>
                                                    <form method="post" action=PupilAction::url() class="inline-actions">
                                                        <input type="hidden" name="class_id" value=cid />
                                                        <input type="hidden" name="account_id" value=p.account_id />
                                                        <ConfirmButton
                                                            label=tr("Cấp lại mật khẩu", "Reset password").to_owned()
                                                            warning=format!("{} {}", p.full_name, tr("sẽ không đăng nhập được bằng mật khẩu cũ nữa; hãy in phiếu đăng nhập mới cho em.", "can no longer sign in with the old password; print a new login slip."))
                                                            confirm=tr("Xác nhận cấp lại", "Confirm: reset").to_owned()
                                                            action=("action", "reset")
                                                        />
                                                        <ConfirmButton
                                                            label=tr("Đưa khỏi lớp", "Remove").to_owned()
                                                            warning=format!("{} {}", p.full_name, tr("sẽ rời lớp này; bài làm và tài khoản của em vẫn được giữ.", "leaves this class; the account and attempts are kept."))
                                                            confirm=tr("Xác nhận đưa khỏi lớp", "Confirm: remove").to_owned()
                                                            action=("action", "remove")
                                                        />
                                                        {can_delete.then(|| view! {
                                                            <label class="inline-actions"><input type="checkbox" name="confirm" value="1" />{tr("xác nhận xóa", "confirm deletion")}</label>
                                                            <button type="submit" formaction=DeletePupil::url() class="button secondary">{tr("Xóa tài khoản", "Delete account")}</button>
                                                        })}
                                                        {(!others.is_empty()).then(|| view! {
                                                            <label class="visually-hidden" for=format!("to-{}", p.account_id)>{tr("Chuyển sang lớp", "Move to class")}</label>
                                                            <select id=format!("to-{}", p.account_id) name="to_class">
                                                                {others.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                                            </select>
                                                            <button type="submit" name="action" value="move" class="button secondary">{tr("Chuyển lớp", "Move")}</button>
                                                        })}
                                                    </form>
                                                    </details>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                            <crate::classroom::pages::ClassAssignments class_id=cid />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/lop/:id/phieu`: printable login slips.
#[component]
pub fn SlipsPage() -> impl IntoView {
    let id = param("id").unwrap_or(0);
    let slips = Resource::new(move || id, get_slips);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match slips.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(s) => view! {
                        <Title text=format!("{} {}", tr("Phiếu đăng nhập lớp", "Login slips, class"), s.class_name) />
                        <div class="no-print">
                            <p><a href=format!("/lop/{}", s.class_id)>{tr("← Về trang lớp", "← Back to the class")}</a></p>
                            <h1>{format!("{} {}", tr("Phiếu đăng nhập lớp", "Login slips, class"), s.class_name)}</h1>
                            <p>{tr("In trang này (Ctrl+P), cắt theo đường viền và phát cho từng học sinh. Mỗi mật khẩu chỉ dùng để đăng nhập lần đầu; sau đó học sinh tự đặt mật khẩu mới và phiếu hết giá trị.", "Print this page (Ctrl+P), cut along the lines and hand each pupil their slip. Each password only works for the first sign-in.")}</p>
                            {(s.activated > 0).then(|| view! { <p class="muted">{format!("{} {}", s.activated, tr("học sinh đã tự đặt mật khẩu nên không có phiếu.", "pupils already chose a password and have no slip."))}</p> })}
                        </div>
                        {if s.slips.is_empty() {
                            view! { <p class="notice">{tr("Không còn phiếu nào cần in.", "No slips left to print.")}</p> }.into_any()
                        } else {
                            let school = s.school_name.clone();
                            let address = s.sign_in_address.clone();
                            view! {
                                <div class="slips">
                                    {s.slips.into_iter().map(|slip| view! {
                                        <div class="slip">
                                            <p><strong>{slip.full_name}</strong>{format!(" · {} {}", tr("Lớp", "Class"), slip.class_name)}</p>
                                            <p class="muted">{school.clone()}</p>
                                            <p>{tr("Tên đăng nhập: ", "Username: ")}<code>{slip.username}</code></p>
                                            <p>{tr("Mật khẩu lần đầu: ", "First password: ")}<code>{slip.password}</code></p>
                                            {if address.is_empty() {
                                                view! { <p>{tr("Đăng nhập tại trang “Đăng nhập” của Khiên Số.", "Sign in on the Khiên Số sign-in page.")}</p> }.into_any()
                                            } else {
                                                view! { <p>{tr("Đăng nhập tại: ", "Sign in at: ")}<code>{address.clone()}</code></p> }.into_any()
                                            }}
                                            <p class="muted">{tr("Lần đầu đăng nhập, em sẽ đặt mật khẩu của riêng mình.", "At the first sign-in you choose your own password.")}</p>
                                        </div>
                                    }).collect_view()}
                                </div>
                            }.into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/nhap/:id`: what an upload did.
#[component]
pub fn ImportReportPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let report = Resource::new(move || id.clone(), get_import_report);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match report.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(r) => {
                        let title = if r.ok { tr("Đã nhập xong", "Import done") } else { tr("Chưa nhập được", "Nothing was imported") };
                        view! {
                            <Title text=title />
                            <h1>{title}</h1>
                            <p class="muted">{format!("{} · {}", r.file_name, r.created_at)}</p>
                            {if r.ok {
                                view! { <div class="notice" role="status"><ul>{r.summary.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul></div> }.into_any()
                            } else {
                                view! {
                                    <p class="notice error" role="alert">{format!("{} {} {}", tr("Tệp có", "The file has"), r.errors.len(), tr("lỗi, nên chưa có gì được ghi. Sửa các lỗi dưới đây rồi nhập lại cả tệp.", "errors, so nothing was written. Fix them and import the whole file again."))}</p>
                                    <ol class="error-list">{r.errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ol>
                                }.into_any()
                            }}
                            <ul>{r.links.into_iter().map(|(label, href)| view! { <li><a href=href>{label}</a></li> }).collect_view()}</ul>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/tham-gia`: sign up with a class code.
#[component]
pub fn JoinPage() -> impl IntoView {
    let title = tr("Tham gia lớp bằng mã lớp", "Join a class with a code");
    let problem = query("loi").map(|code| match code.as_str() {
        "ma" => tr(
            "Không có lớp nào dùng mã này, hoặc lớp đã tắt mã. Hãy hỏi lại thầy cô.",
            "No class uses this code, or it was turned off. Ask your teacher.",
        ),
        "ten" => tr(
            "Hãy ghi đầy đủ họ và tên (ít nhất hai chữ), chỉ gồm chữ cái.",
            "Write your full name (at least two words), letters only.",
        ),
        "nam-sinh" => tr(
            "Năm sinh cần là năm có 4 chữ số, ví dụ 2013.",
            "Birth year must be a 4-digit year, e.g. 2013.",
        ),
        "nhieu-lan" => tr(
            "Đã nhập sai mã quá nhiều lần. Hãy thử lại sau 15 phút.",
            "Too many wrong codes. Try again in 15 minutes.",
        ),
        "mk-khong-khop" => tr(
            "Hai lần nhập mật khẩu không khớp nhau.",
            "The two passwords do not match.",
        ),
        "mk-ngan" => tr(
            "Mật khẩu cần ít nhất 8 ký tự.",
            "The password needs at least 8 characters.",
        ),
        "mk-pho-bien" => tr(
            "Mật khẩu này quá dễ đoán (dãy số, dãy phím hoặc mật khẩu nhiều người dùng). Hãy ghép ba, bốn từ em dễ nhớ, ví dụ meo-vang-an-com.",
            "This password is too easy to guess. Join three or four words you remember.",
        ),
        _ => tr(
            "Mật khẩu chưa đạt yêu cầu (ít nhất 8 ký tự, không lặp một ký tự).",
            "The password is not acceptable (at least 8 characters).",
        ),
    });
    let me = Resource::new(|| (), |_| crate::accounts::pages::get_me());
    view! {
        <Title text=title />
        <h1>{title}</h1>
        {problem.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(me) if me.grants.iter().any(|g| g.role == Role::Pupil) => view! {
                        <p>{tr(
                            "Em đã có tài khoản. Nhập mã lớp mới mà thầy cô cho (khi chuyển lớp hoặc chuyển trường); kết quả học tập trước đây vẫn được giữ.",
                            "You already have an account. Enter the new class code from your teacher (new class or new school); your earlier results are kept.",
                        )}</p>
                        <form method="post" action=JoinClassSignedIn::url() class="stack-form">
                            <label for="code">{tr("Mã lớp", "Class code")}</label>
                            <input id="code" name="code" type="text" required maxlength="12" autocapitalize="characters" autocomplete="off" spellcheck="false" />
                            <button type="submit" class="button">{tr("Vào lớp", "Join")}</button>
                        </form>
                    }.into_any(),
                    Ok(_) => view! {
                        <p>{tr(
                            "Mã lớp dành cho học sinh. Tài khoản của thầy cô không cần vào lớp bằng mã.",
                            "Class codes are for pupils; staff accounts do not join classes.",
                        )}</p>
                    }.into_any(),
                    Err(_) => view! { <SignUpForm /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The sign-up form of `/tham-gia` for someone without an account.
#[component]
fn SignUpForm() -> impl IntoView {
    view! {
        <p>{tr("Thầy cô sẽ cho em một mã gồm 6 ký tự. Em chỉ cần ghi họ tên và tự đặt mật khẩu; không cần số điện thoại hay e-mail.", "Your teacher gives you a 6-character code. You only need your name and a password; no phone or e-mail.")}</p>
        <p class="muted">{tr("Em đã có tài khoản? ", "Already have an account? ")}<a href="/dang-nhap">{tr("Đăng nhập", "Sign in")}</a>{tr(" rồi quay lại trang này.", " and come back to this page.")}</p>
        <form method="post" action=JoinClass::url() class="stack-form">
            <label for="code">{tr("Mã lớp", "Class code")}</label>
            <input id="code" name="code" type="text" required maxlength="12" autocapitalize="characters" autocomplete="off" spellcheck="false" />
            <label for="full_name">{tr("Họ và tên", "Full name")}</label>
            <input id="full_name" name="full_name" type="text" required maxlength="80" autocomplete="name" />
            <label for="birth_year">{tr("Năm sinh (không bắt buộc)", "Birth year (optional)")}</label>
            <input id="birth_year" name="birth_year" type="number" min="1990" max="2030" inputmode="numeric" />
            <label for="password">{tr("Mật khẩu (ít nhất 8 ký tự)", "Password (at least 8 characters)")}</label>
            <input id="password" name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
            <label for="confirm">{tr("Nhập lại mật khẩu", "Password again")}</label>
            <input id="confirm" name="confirm" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
            <button type="submit" class="button">{tr("Tham gia lớp", "Join")}</button>
        </form>
    }
}

/// `/quan-tri`: the school directory (scoped to the caller) and, for administrators, its import.
#[component]
pub fn DirectoryPage() -> impl IntoView {
    let q = query("q");
    let page = query("trang").and_then(|p| p.parse().ok());
    let list = Resource::new(move || (q.clone(), page), |(q, page)| list_schools(q, page));
    let title = tr("Danh mục trường", "School directory");
    let q_value = query("q").unwrap_or_default();
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <Suspense fallback=|| ()>
            {move || { let q_value = q_value.clone(); Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(list) => view! {
                        <form method="get" action="/quan-tri" class="inline-actions" role="search">
                            <label for="q" class="visually-hidden">{tr("Tìm theo mã hoặc tên trường", "Search by code or name")}</label>
                            <input id="q" name="q" type="search" value=q_value placeholder=tr("Mã hoặc tên trường", "Code or name") />
                            <button type="submit" class="button secondary">{tr("Tìm", "Search")}</button>
                        </form>
                        <p class="muted">{format!("{} {} · {} {}/{}", list.total, tr("trường", "schools"), tr("trang", "page"), list.page, list.pages)}</p>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                            <thead><tr><th scope="col">{tr("Mã", "Code")}</th><th scope="col">{tr("Tên trường", "Name")}</th><th scope="col">{tr("Cấp học", "Levels")}</th><th scope="col">{tr("Xã/phường", "Commune")}</th></tr></thead>
                            <tbody>
                                {list.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td><code>{r.code}</code></td>
                                        <td><a href=format!("/truong/{}", r.id)>{r.name}</a>{(!r.active).then(|| format!(" ({})", tr("ngừng hoạt động", "closed")))}</td>
                                        <td>{r.levels}</td>
                                        <td>{r.commune}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                        <nav class="inline-actions" aria-label=tr("Phân trang", "Pages")>
                            {(list.page > 1).then(|| view! { <a href=format!("/quan-tri?trang={}", list.page - 1)>{tr("← Trang trước", "← Previous")}</a> })}
                            {(list.page < list.pages).then(|| view! { <a href=format!("/quan-tri?trang={}", list.page + 1)>{tr("Trang sau →", "Next →")}</a> })}
                        </nav>
                        {list.can_import.then(|| view! { <DirectoryImportForm /> })}
                    }.into_any(),
                }
            })}}
        </Suspense>
    }
}

/// The directory import form (administrators only).
#[component]
fn DirectoryImportForm() -> impl IntoView {
    view! {
        <h2>{tr("Nhập hoặc cập nhật danh mục (quản trị)", "Import or update the directory (administrators)")}</h2>
        <p>{tr(
            "Tệp CSV (UTF-8) hoặc Excel (.xlsx), mỗi dòng một trường. Trường đã có (cùng mã) được cập nhật; trường sáp nhập hoặc ngừng hoạt động ghi ngày “hiệu lực đến”, không xóa. Có lỗi thì không ghi gì.",
            "CSV (UTF-8) or Excel (.xlsx), one school per row. Known codes are updated; merged or closed schools get an end date, never deleted. Any error means nothing is written.",
        )}</p>
        <p><a href="/mau/danh-muc-truong.csv" download>{tr("Tải tệp mẫu", "Download the template")}</a></p>
        <form method="post" action="/quan-tri/truong/nhap" enctype="multipart/form-data" class="stack-form">
            <label for="directory-file">{tr("Tệp danh mục trường", "Directory file")}</label>
            <input id="directory-file" name="file" type="file" required accept=".csv,.xlsx" />
            <button type="submit" class="button">{tr("Nhập danh mục", "Import")}</button>
        </form>
    }
}

/// `/quan-tri/nhat-ky`: the audit log, with a filter by person, action and days (a plain GET
/// form: it works without JavaScript and the filtered address can be shared).
#[component]
pub fn AuditPage() -> impl IntoView {
    let page = query("trang").and_then(|p| p.parse().ok());
    let actor = query("nguoi").unwrap_or_default();
    let action = query("thao-tac").unwrap_or_default();
    let from = query("tu").unwrap_or_default();
    let to = query("den").unwrap_or_default();
    let filter = (actor.clone(), action.clone(), from.clone(), to.clone());
    let rows = Resource::new(
        move || (page, filter.clone()),
        |(page, (actor, action, from, to))| {
            get_audit_log(page, Some(actor), Some(action), Some(from), Some(to))
        },
    );
    let title = tr("Nhật ký quản trị", "Audit log");
    let link_to = {
        let (actor, action, from, to) = (actor.clone(), action.clone(), from.clone(), to.clone());
        move |page: u64| {
            let page = page.to_string();
            let query = crate::query_string([
                ("nguoi", actor.as_str()),
                ("thao-tac", action.as_str()),
                ("tu", from.as_str()),
                ("den", to.as_str()),
                ("trang", page.as_str()),
            ]);
            format!("/quan-tri/nhat-ky?{query}")
        }
    };
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <form method="get" action="/quan-tri/nhat-ky" class="filters">
            <label for="audit-actor">{tr("Người thực hiện", "Who")}</label>
            <input id="audit-actor" name="nguoi" type="search" value=actor />
            <label for="audit-action">{tr("Thao tác", "Action")}</label>
            <select id="audit-action" name="thao-tac">
                <option value="" selected=action.is_empty()>{tr("Mọi thao tác", "Every action")}</option>
                {crate::schools::types::AUDIT_ACTIONS.iter().map(|(code, label)| view! {
                    <option value=*code selected=action == *code>{*label}</option>
                }).collect_view()}
            </select>
            <label for="audit-from">{tr("Từ ngày", "From")}</label>
            <input id="audit-from" name="tu" type="date" value=from />
            <label for="audit-to">{tr("Đến ngày", "To")}</label>
            <input id="audit-to" name="den" type="date" value=to />
            <button type="submit" class="button">{tr("Lọc", "Filter")}</button>
            <a href="/quan-tri/nhat-ky">{tr("Bỏ lọc", "Clear")}</a>
        </form>
        <Suspense fallback=|| ()>
            {move || {
                let link_to = link_to.clone();
                Suspend::new(async move {
                match rows.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(view) if view.rows.is_empty() => view! {
                        <p>{tr("Không có dòng nào khớp bộ lọc.", "No entry matches the filter.")}</p>
                    }.into_any(),
                    Ok(view) => {
                        let previous = (view.page > 1).then(|| link_to(view.page - 1));
                        let next = view.has_next.then(|| link_to(view.page + 1));
                        view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                            <caption>{format!("{} {}", tr("Trang", "Page"), view.page)}</caption>
                            <thead><tr>
                                <th scope="col">{tr("Thời gian", "When")}</th>
                                <th scope="col">{tr("Người thực hiện", "Who")}</th>
                                <th scope="col">{tr("Thao tác", "Action")}</th>
                                <th scope="col">{tr("Đối tượng", "Target")}</th>
                                <th scope="col">{tr("Chi tiết", "Detail")}</th>
                                <th scope="col">{tr("Địa chỉ", "Address")}</th>
                            </tr></thead>
                            <tbody>
                                {view.rows.into_iter().map(|r| view! {
                                    <tr><td>{r.at}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.target}</td><td>{r.detail}</td><td>{r.ip}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                        <nav class="pager" aria-label=tr("Trang của nhật ký", "Audit log pages")>
                            {previous.map(|href| view! { <a href=href rel="prev">{tr("← Trang trước", "← Previous")}</a> })}
                            {next.map(|href| view! { <a href=href rel="next">{tr("Trang sau →", "Next →")}</a> })}
                        </nav>
                    }.into_any()
                    }
                }
            })
            }}
        </Suspense>
    }
}

/// Deletes a pupil's account; their attempts stay, anonymised, for the statistics.
#[server]
pub async fn delete_pupil(
    class_id: i32,
    account_id: i32,
    confirm: Option<String>,
) -> Result<(), AppError> {
    if confirm.is_none() {
        return Err(AppError::BadRequest(
            "Hãy đánh dấu ô xác nhận trước khi xóa tài khoản.".into(),
        ));
    }
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    crate::schools::classes::delete_pupil(
        db,
        &caller,
        &crate::platform::request::actor(&caller),
        account_id,
    )
    .await?;
    crate::platform::request::redirect(&format!("/lop/{class_id}?xong=da-xoa-tk"));
    Ok(())
}
