//! Command-line actions on the database: directory import, accounts, the demo province.

use app::codes::{Role, SchoolLevel};
use app::schools::people::{self, AccountSpec, Actor};
use server::config::Config;
use std::path::Path;

/// `import-schools FILE`.
pub async fn import_schools(config: &Config, file: &Path) -> Result<(), String> {
    let bytes =
        std::fs::read(file).map_err(|e| format!("{}: không đọc được tệp: {e}", file.display()))?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let records = app::schools::directory::parse_directory(name, &bytes).map_err(|errors| {
        for e in &errors {
            outln!("{}: {e}", file.display());
        }
        format!("{} lỗi; chưa ghi trường nào.", errors.len())
    })?;
    let db = server::open_database(config)
        .await
        .map_err(|e| e.to_string())?;
    match people::import_directory(&db, &records, &Actor::command_line(), name)
        .await
        .map_err(|e| e.to_string())?
    {
        Ok(report) => {
            outln!(
                "Đã nhập danh mục: thêm {} trường, cập nhật {}, giữ nguyên {}; thêm {} xã/phường; {} dòng sĩ số.",
                report.schools_added,
                report.schools_updated,
                report.schools_unchanged,
                report.communes_added,
                report.enrolment_rows
            );
            Ok(())
        }
        Err(errors) => {
            for e in &errors {
                outln!("{}: {e}", file.display());
            }
            Err(format!("{} lỗi; chưa ghi trường nào.", errors.len()))
        }
    }
}

/// Arguments of `add-user`.
pub struct NewUser {
    pub username: String,
    pub name: String,
    pub role: String,
    pub school: Option<String>,
    pub commune: Option<String>,
    pub levels: Option<String>,
}

/// `add-user USERNAME --name … --role …`: prints the one-time password.
pub async fn add_user(config: &Config, user: NewUser) -> Result<(), String> {
    let role = Role::from_code(user.role.trim()).ok_or_else(|| {
        format!(
            "vai trò “{}” không có; chọn một trong: {}",
            user.role,
            Role::ALL.map(|r| r.code()).join(", ")
        )
    })?;
    let mut levels = Vec::new();
    for code in user
        .levels
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|c| !c.trim().is_empty())
    {
        levels.push(
            SchoolLevel::from_code(&code.trim().to_uppercase()).ok_or_else(|| {
                format!("cấp học “{code}” không có; dùng TH, THCS, THPT, GDTX, TCCD, DH")
            })?,
        );
    }
    let db = server::open_database(config)
        .await
        .map_err(|e| e.to_string())?;
    let grant = people::grant_from_args(
        &db,
        role,
        user.school.as_deref(),
        user.commune.as_deref(),
        &levels,
    )
    .await
    .map_err(|e| e.to_string())?;
    let password = people::create_account(
        &db,
        AccountSpec {
            username: user.username.clone(),
            full_name: user.name,
            grants: vec![grant],
        },
        &Actor::command_line(),
    )
    .await
    .map_err(|e| e.to_string())?;
    outln!(
        "Đã tạo tài khoản “{}” ({}). Mật khẩu dùng một lần: {password}\nNgười dùng phải đặt mật khẩu mới ở lần đăng nhập đầu tiên.",
        app::accounts::auth::normalise_username(&user.username),
        role.label()
    );
    Ok(())
}

/// `seed-demo`: the synthetic province with accounts of every role.
pub async fn seed_demo(config: &Config, populated: &str, password: &str) -> Result<(), String> {
    let populated_schools = match populated.trim() {
        "all" => None,
        n => Some(
            n.parse::<usize>()
                .map_err(|_| format!("--populated “{n}” phải là một số hoặc all"))?,
        ),
    };
    if password.chars().count() < 8 {
        return Err("mật khẩu minh họa cần ít nhất 8 ký tự".to_owned());
    }
    let options = app::schools::demo::DemoOptions {
        populated_schools,
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let province = app::schools::demo::generate(&options);
    let db = server::open_database(config)
        .await
        .map_err(|e| e.to_string())?;
    match people::seed_demo(&db, &province, options.school_year, password)
        .await
        .map_err(|e| e.to_string())?
    {
        None => outln!("Dữ liệu minh họa đã có sẵn; không tạo thêm."),
        Some(summary) => {
            outln!(
                "Đã tạo dữ liệu minh họa trong {:.1} giây: {} xã/phường, {} trường, {} lớp, {} học sinh (tài khoản hs000001…).",
                started.elapsed().as_secs_f64(),
                summary.directory.communes_added,
                summary.directory.schools_added,
                summary.classes,
                summary.pupils
            );
            outln!("Tài khoản minh họa (mật khẩu: {password}):");
            for (username, role, scope) in &summary.staff {
                if scope.is_empty() {
                    outln!("  {username:<12} {}", role.label());
                } else {
                    outln!("  {username:<12} {} — {scope}", role.label());
                }
            }
            outln!("  hs000001     {}", Role::Pupil.label());
        }
    }
    // The demo contest needs the question bank in the database.
    let content =
        app::content::load::load_content(&config.content_dir).map_err(|e| format!("{e:?}"))?;
    app::content::sync::sync_content(&db, &content)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(rounds) = app::contests::service::seed_demo_contest(&db, app::clock::now_ms())
        .await
        .map_err(|e| e.to_string())?
    {
        outln!(
            "Cuộc thi minh họa: {} vòng (vòng 1 mở từ bây giờ trong 14 ngày) — xem /cuoc-thi.",
            rounds.len()
        );
    }
    if let Some(id) = app::classroom::service::seed_demo_assignment(&db, app::clock::now_ms())
        .await
        .map_err(|e| e.to_string())?
    {
        outln!(
            "Bài được giao minh họa: giáo viên giaovien giao cho lớp của hs000001 — xem /giao-bai/{id}."
        );
    }
    if let Some(records) = app::coverage::service::seed_demo_participation(
        &db,
        options.school_year,
        app::clock::now_ms(),
    )
    .await
    .map_err(|e| e.to_string())?
    {
        outln!(
            "Số liệu tham gia minh họa: {records} bản ghi (năm nay và năm trước) — xem /bao-cao (tài khoản so.gddt)."
        );
    }
    Ok(())
}

/// The stem-blind guessers' figures per bank, for `check-content`: points above chance for each
/// strategy (a negative figure means the strategy does worse than guessing).
pub fn cue_table(cues: &[(std::path::PathBuf, app::domain::cues::CueReport)]) -> String {
    use app::domain::cues::Strategy;
    let mut out = String::from(
        "\nNgười không đọc câu hỏi, chỉ nhìn hình thức phương án (câu một đáp án; điểm hơn đoán may rủi):\n",
    );
    out.push_str(&format!(
        "{:<48} {:>4} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
        "tệp",
        "câu",
        "may rủi",
        "dài nhất",
        "ngắn nhất",
        "≠dài nhất",
        "≠ngắn nhất",
        "dấu ;:(,",
        "bỏ t.đối",
        "từ chối"
    ));
    for (file, report) in cues {
        out.push_str(&format!(
            "{:<48} {:>4} {:>7.1}%",
            file.display(),
            report.questions,
            report.chance
        ));
        for strategy in Strategy::ALL {
            let score = report
                .scores
                .iter()
                .find(|(s, _)| *s == strategy)
                .map_or(0.0, |(_, v)| *v);
            out.push_str(&format!(" {:>+9.1}", score - report.chance));
        }
        out.push('\n');
    }
    out
}
