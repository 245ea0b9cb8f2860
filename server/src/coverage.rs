//! Coverage files: the report as CSV/XLSX, offline programs posted with their evidence file
//! (multipart, so the form works without JavaScript), and the evidence download.

use crate::uploads::{download, plain, signed_in};
use app::accounts::auth::{Caller, SchoolScope};
use app::coverage::service::{MAX_EVIDENCE_BYTES, NewProgram};
use app::error::AppError;
use app::schools::people::Actor;
use app::spreadsheet::export::Format;
use app::urlencode;
use app::{platform::AppState, platform::request::ClientIp};
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::{StatusCode, header};

/// Room for the evidence file and the form's other fields.
pub const MAX_PROGRAM_BODY_BYTES: usize = MAX_EVIDENCE_BYTES + 256 * 1024;

/// `GET /bao-cao/xuat/phu-song-<year>.csv|xlsx`: every school row of a year's report.
pub async fn report_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    caller: Option<Extension<Caller>>,
) -> Result<Response, AppError> {
    let caller = signed_in(caller)?;
    let Ok((scope, levels)) = app::coverage::service::coverage_scope(&caller) else {
        return Ok(plain(
            StatusCode::FORBIDDEN,
            "Chỉ Sở GD&ĐT, xã/phường và quản trị viên tải được báo cáo này.",
        ));
    };
    let (stem, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let format = match ext {
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        _ => return Err(AppError::NotFound),
    };
    let current = app::clock::current_school_year();
    let Some(year) = stem
        .strip_prefix("phu-song-")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=current).contains(y))
    else {
        return Err(AppError::NotFound);
    };
    let today = app::clock::vietnam_date(app::clock::now_ms());
    let table =
        app::coverage::service::report_table(&state.db, scope, &levels, year, &today).await?;
    download(&table, format, &format!("phu-song-{year}"))
}

/// The form's fields as typed, to put back in the form when something is wrong.
fn echo(new: &NewProgram) -> String {
    format!(
        "&noi-dung={}&ten={}&ngay={}&so={}&lien-ket={}",
        new.track.map(|t| t.code()).unwrap_or(""),
        urlencode(&new.title),
        urlencode(&new.held_on),
        urlencode(&new.participants),
        urlencode(&new.evidence_url)
    )
}

/// `POST /truong/{id}/chuong-trinh`: a teacher in charge or the principal logs an offline program.
pub async fn log_program(
    State(state): State<AppState>,
    Path(school_id): Path<i32>,
    caller: Option<Extension<Caller>>,
    Extension(ip): Extension<ClientIp>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let caller = signed_in(caller)?;
    if !caller.can_manage_school(school_id) {
        return Ok(plain(
            StatusCode::FORBIDDEN,
            "Chỉ giáo viên phụ trách và hiệu trưởng của trường gửi được hoạt động.",
        ));
    }
    let back = format!("/truong/{school_id}/tham-gia");
    let mut new = NewProgram {
        track: None,
        levels: vec![],
        held_on: String::new(),
        title: String::new(),
        participants: String::new(),
        evidence_url: String::new(),
        evidence_file: None,
    };
    let mut broken = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                broken =
                    Some("Tệp minh chứng quá lớn (tối đa 5 MB) hoặc việc tải lên bị gián đoạn.");
                break;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            match field.bytes().await {
                Ok(bytes) if !bytes.is_empty() => {
                    new.evidence_file = Some((file_name, bytes.to_vec()));
                }
                Ok(_) => {}
                Err(_) => {
                    broken = Some(
                        "Tệp minh chứng quá lớn (tối đa 5 MB) hoặc việc tải lên bị gián đoạn.",
                    );
                    break;
                }
            }
            continue;
        }
        let Ok(text) = field.text().await else {
            broken = Some("Biểu mẫu gửi lên không đọc được.");
            break;
        };
        match name.as_str() {
            "track" => new.track = app::codes::Track::parse(text.trim()),
            "level" => new
                .levels
                .extend(app::codes::SchoolLevel::from_code(text.trim())),
            "title" => new.title = text,
            "held_on" => new.held_on = text,
            "participants" => new.participants = text,
            "evidence_url" => new.evidence_url = text,
            _ => {}
        }
    }
    if let Some(message) = broken {
        return Ok(Redirect::to(&format!(
            "{back}?{}{}#chuong-trinh",
            app::platform::notice::signed_param("loi-chi-tiet", message),
            echo(&new)
        ))
        .into_response());
    }
    let actor = Actor::from_caller(&caller, ip.0.clone());
    let today = app::clock::vietnam_date(app::clock::now_ms());
    let echoed = echo(&new);
    Ok(
        match app::coverage::service::log_program(
            &state.db,
            &actor,
            caller.account_id,
            school_id,
            new,
            &today,
        )
        .await?
        {
            Ok(_) => Redirect::to(&format!("{back}?xong=1#chuong-trinh")).into_response(),
            Err(message) => Redirect::to(&format!(
                "{back}?{}{echoed}#chuong-trinh",
                app::platform::notice::signed_param("loi-chi-tiet", &message)
            ))
            .into_response(),
        },
    )
}

/// `GET /chuong-trinh/{id}/minh-chung`: the evidence file, for the school's readers (its staff,
/// its commune, the department, administrators).
pub async fn evidence(
    State(state): State<AppState>,
    Path(program_id): Path<i32>,
    caller: Option<Extension<Caller>>,
) -> Result<Response, AppError> {
    let caller = signed_in(caller)?;
    let Some((school_id, name, content_type, bytes)) =
        app::coverage::service::evidence(&state.db, program_id).await?
    else {
        return Ok(plain(
            StatusCode::NOT_FOUND,
            "Không tìm thấy tệp minh chứng.",
        ));
    };
    let school = app::schools::service::school_by_id(&state.db, school_id).await?;
    if !app::access::may_read_school(&caller, &SchoolScope::of(&school)) {
        return Ok(plain(
            StatusCode::FORBIDDEN,
            "Bạn không có quyền xem minh chứng của trường này.",
        ));
    }
    // ASCII fallback name plus the UTF-8 one (RFC 6266).
    let ascii: String = app::domain::text::ascii_fold(&name)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    urlencode(&name)
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
