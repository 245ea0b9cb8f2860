//! File uploads from plain HTML forms (multipart): the school directory and class rosters. The
//! outcome is stored and the browser is sent to `/nhap/<id>`, which shows it — so the forms work
//! without JavaScript and a reload does not import twice.

use app::accounts::auth::Caller;
use app::codes::Role;
use app::entities::import_report;
use app::error::AppError;
use app::schools::people::Actor;
use app::schools::types::ImportReportView;
use app::spreadsheet::export::{Format, Table};
use app::spreadsheet::read::ImportError;
use app::{clock::now_ms, platform::AppState, platform::request::ClientIp};
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::{StatusCode, header};
use sea_orm::{ActiveModelTrait, Set};

/// How long a school's import lease lasts if the server holding it dies mid-import.
const IMPORT_LEASE_MS: i64 = 10 * 60 * 1000;

/// Largest accepted upload: a province directory or a school's roster fits easily.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

pub(crate) fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

async fn read_file(mut multipart: Multipart) -> Result<(String, Vec<u8>), Response> {
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("tep").to_owned();
            return match field.bytes().await {
                Ok(bytes) => Ok((name, bytes.to_vec())),
                Err(_) => Err(plain(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Tệp quá lớn (tối đa 10 MB) hoặc tải lên bị gián đoạn.",
                )),
            };
        }
    }
    Err(plain(StatusCode::BAD_REQUEST, "Chưa chọn tệp để tải lên."))
}

async fn store(
    state: &AppState,
    caller: &Caller,
    kind: &str,
    view: ImportReportView,
) -> Result<Response, AppError> {
    let id = uuid::Uuid::new_v4().to_string();
    import_report::ActiveModel {
        id: Set(id.clone()),
        account_id: Set(caller.account_id),
        kind: Set(kind.to_owned()),
        file_name: Set(view.file_name.clone()),
        ok: Set(view.ok),
        body_json: Set(serde_json::to_string(&view)
            .map_err(|e| AppError::internal("writing an import report", e))?),
        created_at: Set(now_ms()),
    }
    .insert(&state.db)
    .await?;
    Ok(Redirect::to(&format!("/nhap/{id}")).into_response())
}

fn failed(
    file_name: &str,
    kind: &str,
    errors: Vec<ImportError>,
    back: (String, String),
) -> ImportReportView {
    ImportReportView {
        kind: kind.to_owned(),
        file_name: file_name.to_owned(),
        created_at: String::new(),
        ok: false,
        errors: app::spreadsheet::read::report_lines(&errors),
        summary: vec![],
        links: vec![back],
    }
}

/// The signed-in caller, or the one “sign in first” answer.
pub(crate) fn signed_in(caller: Option<Extension<Caller>>) -> Result<Caller, AppError> {
    caller.map(|Extension(c)| c).ok_or(AppError::Unauthorized)
}

/// `POST /quan-tri/truong/nhap`: administrators import the school directory.
pub async fn directory(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    Extension(ip): Extension<ClientIp>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let caller = signed_in(caller)?;
    if !caller.has(Role::Admin) {
        return Ok(plain(
            StatusCode::FORBIDDEN,
            "Chỉ quản trị hệ thống được nhập danh mục trường.",
        ));
    }
    let (file_name, bytes) = match read_file(multipart).await {
        Ok(file) => file,
        Err(response) => return Ok(response),
    };
    let back = ("Về danh mục trường".to_owned(), "/quan-tri".to_owned());
    let parsed = {
        let name = file_name.clone();
        app::platform::db::run_heavy(move || {
            app::schools::directory::parse_directory(&name, &bytes)
        })
        .await?
    };
    let view = match parsed {
        Err(errors) => failed(&file_name, "directory", errors, back),
        Ok(records) => {
            let actor = Actor::from_caller(&caller, ip.0.clone());
            match app::schools::people::import_directory(&state.db, &records, &actor, &file_name)
                .await?
            {
                Err(errors) => failed(&file_name, "directory", errors, back),
                Ok(r) => ImportReportView {
                    kind: "directory".to_owned(),
                    file_name: file_name.clone(),
                    created_at: String::new(),
                    ok: true,
                    errors: vec![],
                    summary: vec![
                        format!(
                            "Thêm mới {} trường, cập nhật {}, giữ nguyên {}.",
                            r.schools_added, r.schools_updated, r.schools_unchanged
                        ),
                        format!(
                            "Thêm {} xã/phường; ghi {} dòng sĩ số.",
                            r.communes_added, r.enrolment_rows
                        ),
                    ],
                    links: vec![back],
                },
            }
        }
    };
    store(&state, &caller, "directory", view).await
}

/// `POST /truong/{id}/nhap-danh-sach`: a teacher in charge or principal imports a roster.
pub async fn roster(
    State(state): State<AppState>,
    Path(school_id): Path<i32>,
    caller: Option<Extension<Caller>>,
    Extension(ip): Extension<ClientIp>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let caller = signed_in(caller)?;
    if !caller.can_manage_school(school_id) {
        return Ok(plain(
            StatusCode::FORBIDDEN,
            "Bạn không phụ trách lớp nào ở trường này.",
        ));
    }
    let school = app::schools::service::school_by_id(&state.db, school_id).await?;
    let (file_name, bytes) = match read_file(multipart).await {
        Ok(file) => file,
        Err(response) => return Ok(response),
    };
    // One import per school at a time, across app servers: a second upload while the first is
    // still creating accounts would race it for the same pupils.
    let lease_key = format!("import:school:{school_id}");
    let holder = uuid::Uuid::new_v4().to_string();
    if !app::platform::limits::take_lease(&state.db, &lease_key, &holder, now_ms(), IMPORT_LEASE_MS)
        .await?
    {
        return Ok(plain(
            StatusCode::CONFLICT,
            "Một danh sách lớp khác của trường đang được nhập. Hãy chờ ít phút rồi tải tệp lên lại.",
        ));
    }
    let actor = Actor::from_caller(&caller, ip.0.clone());
    let view = import_roster_file(&state, &caller, &actor, &school, file_name, bytes).await;
    let _ = app::platform::limits::release_lease(&state.db, &lease_key, &holder).await;
    store(&state, &caller, "roster", view?).await
}

/// Reads a class list (on the blocking pool) and creates its pupils; the report to show.
async fn import_roster_file(
    state: &AppState,
    caller: &Caller,
    actor: &Actor,
    school: &app::entities::school::Model,
    file_name: String,
    bytes: Vec<u8>,
) -> Result<ImportReportView, AppError> {
    let year = app::clock::current_school_year();
    let context = app::schools::roster::RosterContext {
        school_levels: app::codes::SchoolLevel::parse_stored(&school.levels),
        school_year: year,
    };
    let back = (
        format!("Về trang {}", school.name),
        format!("/truong/{}", school.id),
    );
    let parsed = {
        let name = file_name.clone();
        app::platform::db::run_heavy(move || {
            app::schools::roster::parse_roster(&name, &bytes, &context)
        })
        .await?
    };
    let rows = match parsed {
        Ok(rows) => rows,
        Err(errors) => return Ok(failed(&file_name, "roster", errors, back)),
    };
    let report = match app::schools::classes::import_roster(
        &state.db, caller, actor, school.id, year, &rows, &file_name,
    )
    .await?
    {
        Ok(report) => report,
        Err(errors) => return Ok(failed(&file_name, "roster", errors, back)),
    };
    let mut links: Vec<(String, String)> = report
        .classes
        .iter()
        .map(|(id, name)| {
            (
                format!("In phiếu đăng nhập lớp {name}"),
                format!("/lop/{id}/phieu"),
            )
        })
        .collect();
    links.push(back);
    Ok(ImportReportView {
        kind: "roster".to_owned(),
        file_name,
        created_at: String::new(),
        ok: true,
        errors: vec![],
        summary: vec![
            format!(
                "Tạo {} tài khoản học sinh mới; {} học sinh đã có nên giữ nguyên.",
                report.accounts_created, report.already_there
            ),
            format!("Tạo {} lớp mới.", report.classes_created),
        ],
        links,
    })
}

/// `GET /mau/{file}`: the import templates.
pub async fn template(Path(file): Path<String>) -> Response {
    let (body, name): (&'static [u8], &str) = match file.as_str() {
        "danh-muc-truong.csv" => (
            include_bytes!("../../content/templates/danh-muc-truong.csv"),
            "danh-muc-truong.csv",
        ),
        "danh-sach-lop.csv" => (
            include_bytes!("../../content/templates/danh-sach-lop.csv"),
            "danh-sach-lop.csv",
        ),
        _ => return plain(StatusCode::NOT_FOUND, "Không có tệp mẫu này."),
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /truong/{id}/xuat-du-lieu.csv` and `.xlsx`: everything stored about a school's pupils
/// (principal, administrator); logged.
pub async fn export_pupils_csv(
    state: State<AppState>,
    path: Path<i32>,
    caller: Option<Extension<Caller>>,
    ip: Extension<ClientIp>,
) -> Result<Response, AppError> {
    export_pupils(state, path, caller, ip, Format::Csv).await
}

/// The XLSX twin of [`export_pupils_csv`].
pub async fn export_pupils_xlsx(
    state: State<AppState>,
    path: Path<i32>,
    caller: Option<Extension<Caller>>,
    ip: Extension<ClientIp>,
) -> Result<Response, AppError> {
    export_pupils(state, path, caller, ip, Format::Xlsx).await
}

async fn export_pupils(
    State(state): State<AppState>,
    Path(school_id): Path<i32>,
    caller: Option<Extension<Caller>>,
    Extension(ip): Extension<ClientIp>,
    format: Format,
) -> Result<Response, AppError> {
    let caller = signed_in(caller)?;
    let actor = Actor::from_caller(&caller, ip.0.clone());
    let table =
        app::schools::classes::export_school_pupils(&state.db, &caller, &actor, school_id).await?;
    download(
        &table,
        format,
        &format!("du-lieu-hoc-sinh-truong-{school_id}"),
    )
}

/// A table as a file download that no cache keeps.
pub fn download(table: &Table, format: Format, file_stem: &str) -> Result<Response, AppError> {
    let bytes = table.render(format)?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{file_stem}.{}\"",
                    format.extension()
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /cuoc-thi/vong/{id}/ket-qua.csv` and `.xlsx`: a round's full results (committee,
/// administrators).
pub async fn round_results_csv(
    state: State<AppState>,
    path: Path<i32>,
    caller: Option<Extension<Caller>>,
) -> Result<Response, AppError> {
    round_results(state, path, caller, Format::Csv).await
}

/// The XLSX twin of [`round_results_csv`].
pub async fn round_results_xlsx(
    state: State<AppState>,
    path: Path<i32>,
    caller: Option<Extension<Caller>>,
) -> Result<Response, AppError> {
    round_results(state, path, caller, Format::Xlsx).await
}

async fn round_results(
    State(state): State<AppState>,
    Path(round_id): Path<i32>,
    caller: Option<Extension<Caller>>,
    format: Format,
) -> Result<Response, AppError> {
    let caller = signed_in(caller)?;
    if !caller.may_run_contests() {
        return Ok(plain(
            StatusCode::FORBIDDEN,
            "Chỉ Ban Tổ chức tải được kết quả đầy đủ.",
        ));
    }
    let table = app::contests::results::results_table(&state.db, round_id).await?;
    download(&table, format, &format!("ket-qua-vong-{round_id}"))
}

/// Which class of an assignment to export (`?lop=<class id>`).
#[derive(serde::Deserialize)]
pub struct ClassQuery {
    lop: Option<i32>,
}

/// `GET /giao-bai/{id}/ket-qua.csv?lop=<class>` and `.xlsx`: an assignment's report for one
/// class, a row per pupil and a column per question (the class's teachers). Audited.
pub async fn assignment_results_csv(
    state: State<AppState>,
    path: Path<i32>,
    query: axum::extract::Query<ClassQuery>,
    caller: Option<Extension<Caller>>,
    ip: Extension<ClientIp>,
) -> Result<Response, AppError> {
    assignment_results(state, path, query, caller, ip, Format::Csv).await
}

/// The XLSX twin of [`assignment_results_csv`].
pub async fn assignment_results_xlsx(
    state: State<AppState>,
    path: Path<i32>,
    query: axum::extract::Query<ClassQuery>,
    caller: Option<Extension<Caller>>,
    ip: Extension<ClientIp>,
) -> Result<Response, AppError> {
    assignment_results(state, path, query, caller, ip, Format::Xlsx).await
}

async fn assignment_results(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    axum::extract::Query(query): axum::extract::Query<ClassQuery>,
    caller: Option<Extension<Caller>>,
    Extension(ip): Extension<ClientIp>,
    format: Format,
) -> Result<Response, AppError> {
    let caller = signed_in(caller)?;
    let class_id = query.lop.ok_or(AppError::NotFound)?;
    let now = now_ms();
    let reserved =
        app::contests::service::reserved_questions(&state.db, &state.pool_cache, now).await?;
    let report =
        app::classroom::service::report(&state.db, &caller, id, class_id, &reserved, now).await?;
    let actor = Actor::from_caller(&caller, ip.0.clone());
    app::schools::people::audit(
        &state.db,
        &actor,
        "assignment.export",
        &format!("assignment:{id}"),
        serde_json::json!({ "class": class_id }),
    )
    .await?;
    let table = app::classroom::service::report_table(&report);
    download(
        &table,
        format,
        &format!("bai-duoc-giao-{id}-lop-{class_id}"),
    )
}
