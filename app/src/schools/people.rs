//! Schools, classes and people in the database: the directory import, staff accounts, the
//! audit log and the demo province. Every write of an import happens in one transaction.

use crate::accounts::auth::{self, Grant, NewAccount};
use crate::clock::now_ms;
use crate::codes::{Role, SchoolLevel};
use crate::entities::{audit_log, commune, school, school_enrolment};
use crate::error::AppError;
use crate::schools::directory::SchoolRecord;
use crate::spreadsheet::read::ImportError;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, NotSet, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Who did something, for the audit log.
#[derive(Clone, Debug)]
pub struct Actor {
    pub account_id: Option<i32>,
    pub username: String,
    pub ip: Option<String>,
}

impl Actor {
    /// The command line, run by whoever has access to the server.
    pub fn command_line() -> Actor {
        Actor {
            account_id: None,
            username: "(dòng lệnh)".to_owned(),
            ip: None,
        }
    }

    /// A signed-in caller at an address.
    pub fn from_caller(caller: &auth::Caller, ip: Option<String>) -> Actor {
        Actor {
            account_id: Some(caller.account_id),
            username: caller.username.clone(),
            ip,
        }
    }
}

/// Records an administrative action.
pub async fn audit(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    audit_log::ActiveModel {
        at: Set(now_ms()),
        actor_id: Set(actor.account_id),
        actor: Set(actor.username.clone()),
        action: Set(action.to_owned()),
        target: Set(target.to_owned()),
        detail: Set(detail.to_string()),
        ip: Set(actor.ip.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The key names are matched on: NFC, lower case, single spaces.
pub fn name_key(name: &str) -> String {
    name.nfc()
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a directory import changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryReport {
    pub schools_added: usize,
    pub schools_updated: usize,
    pub schools_unchanged: usize,
    pub communes_added: usize,
    pub enrolment_rows: usize,
}

/// Follows "merged into" from `start`; returns the codes of the loop if it comes back to a school
/// it has already passed (X-0011 → X-0012 → X-0011), which would make a school count inside itself.
fn merge_cycle(start: &str, next: impl Fn(&str) -> Option<String>) -> Option<Vec<String>> {
    let mut seen = vec![start.to_owned()];
    let mut current = start.to_owned();
    while let Some(target) = next(&current) {
        if let Some(pos) = seen.iter().position(|c| *c == target) {
            let mut cycle = seen[pos..].to_vec();
            cycle.push(target);
            return (pos == 0).then_some(cycle);
        }
        if seen.len() > 10_000 {
            return None;
        }
        seen.push(target.clone());
        current = target;
    }
    None
}

/// Writes a checked directory file: new schools are added, known codes updated, schools not in
/// the file left as they are (absence is not closure: closures and merges are written as end
/// dates, so history stays). Checks against the database first; any error means nothing is
/// written.
pub async fn import_directory(
    db: &DatabaseConnection,
    records: &[SchoolRecord],
    actor: &Actor,
    file_name: &str,
) -> Result<Result<DirectoryReport, Vec<ImportError>>, AppError> {
    let existing: HashMap<String, school::Model> = school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let communes: HashMap<String, commune::Model> = commune::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.name_key.clone(), c))
        .collect();
    let in_file: HashMap<&str, &SchoolRecord> =
        records.iter().map(|r| (r.code.as_str(), r)).collect();

    // Checks against what is already stored.
    let mut errors = Vec::new();
    let commune_of_existing: HashMap<i32, &str> = communes
        .values()
        .map(|c| (c.id, c.name_key.as_str()))
        .collect();
    let mut active_by_name: HashMap<(String, String), &str> = HashMap::new();
    for s in existing.values() {
        if s.valid_to.is_none() && !in_file.contains_key(s.code.as_str()) {
            let commune = commune_of_existing
                .get(&s.commune_id)
                .copied()
                .unwrap_or_default()
                .to_owned();
            active_by_name.insert((name_key(&s.name), commune), s.code.as_str());
        }
    }
    for record in records {
        if let Some(target) = &record.merged_into
            && !in_file.contains_key(target.as_str())
            && !existing.contains_key(target)
        {
            errors.push(ImportError {
                row: record.row,
                column: Some("sáp nhập vào"),
                message: format!(
                    "không có trường mã “{target}” trong tệp này hay trong danh mục hiện có"
                ),
            });
        }
        if let Some(cycle) = merge_cycle(&record.code, |code| {
            in_file
                .get(code)
                .map(|r| r.merged_into.clone())
                .unwrap_or_else(|| existing.get(code).and_then(|s| s.merged_into.clone()))
        }) {
            errors.push(ImportError {
                row: record.row,
                column: Some("sáp nhập vào"),
                message: format!(
                    "sáp nhập vòng tròn: {}; một trường chỉ sáp nhập vào trường còn hoạt động",
                    cycle.join(" → ")
                ),
            });
        }
        if record.valid_to.is_none()
            && let Some(other) =
                active_by_name.get(&(name_key(&record.name), name_key(&record.commune)))
        {
            errors.push(ImportError {
                row: record.row,
                column: Some("tên trường"),
                message: format!(
                    "trùng tên với trường mã “{other}” đã có trong danh mục, cùng {}; nếu là một trường, hãy dùng đúng mã “{other}”",
                    record.commune
                ),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok(Err(errors));
    }

    let txn = crate::platform::db::begin_write(db).await?;
    let mut report = DirectoryReport::default();
    let mut commune_ids: HashMap<String, i32> = communes
        .values()
        .map(|c| (c.name_key.clone(), c.id))
        .collect();
    let now = now_ms();
    for record in records {
        let key = name_key(&record.commune);
        let commune_id = match commune_ids.get(&key) {
            Some(id) => *id,
            None => {
                let kind = if key.starts_with("phường") {
                    "phuong"
                } else {
                    "xa"
                };
                let row = commune::ActiveModel {
                    name: Set(record.commune.clone()),
                    name_key: Set(key.clone()),
                    kind: Set(kind.to_owned()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                report.communes_added += 1;
                commune_ids.insert(key, row.id);
                row.id
            }
        };
        let stored = |id: i32, created_at: i64, updated_at: i64| school::Model {
            id,
            code: record.code.clone(),
            name: record.name.clone(),
            levels: crate::codes::SchoolLevel::join(&record.levels),
            ownership: record.ownership.code().to_owned(),
            commune_id,
            former_district: record.former_district.clone(),
            overseeing_body: record.overseeing_body.clone(),
            valid_from: record.valid_from.map(|d| d.to_string()),
            valid_to: record.valid_to.map(|d| d.to_string()),
            merged_into: record.merged_into.clone(),
            created_at,
            updated_at,
        };
        let school_id = match existing.get(&record.code) {
            Some(old) if stored(old.id, old.created_at, old.updated_at) == *old => {
                report.schools_unchanged += 1;
                old.id
            }
            Some(old) => {
                stored(old.id, old.created_at, now)
                    .into_active_model()
                    .reset_all()
                    .update(&txn)
                    .await?;
                report.schools_updated += 1;
                old.id
            }
            None => {
                let mut row = stored(0, now, now).into_active_model().reset_all();
                row.id = NotSet;
                report.schools_added += 1;
                row.insert(&txn).await?.id
            }
        };
        if let Some(year) = record.school_year {
            for (level, pupils) in &record.enrolment {
                set_enrolment(&txn, school_id, year, *level, *pupils).await?;
                report.enrolment_rows += 1;
            }
        }
    }
    audit(
        &txn,
        actor,
        "directory.import",
        file_name,
        serde_json::to_value(&report).unwrap_or_default(),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(report))
}

/// Sets the enrolment of one school, year and level.
pub async fn set_enrolment(
    db: &impl ConnectionTrait,
    school_id: i32,
    school_year: i32,
    level: SchoolLevel,
    pupils: u32,
) -> Result<(), AppError> {
    school_enrolment::Entity::insert(school_enrolment::ActiveModel {
        school_id: Set(school_id),
        school_year: Set(school_year),
        level: Set(level.code().to_owned()),
        pupils: Set(i32::try_from(pupils).unwrap_or(i32::MAX)),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            school_enrolment::Column::SchoolId,
            school_enrolment::Column::SchoolYear,
            school_enrolment::Column::Level,
        ])
        .update_column(school_enrolment::Column::Pupils)
        .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// A staff or pupil account to create from the command line.
#[derive(Clone, Debug)]
pub struct AccountSpec {
    pub username: String,
    pub full_name: String,
    pub grants: Vec<Grant>,
}

/// Why an account could not be created from the command line.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("tên đăng nhập “{0}” đã có người dùng")]
    UsernameTaken(String),
    #[error(
        "tên đăng nhập “{0}” không hợp lệ: dùng 3–32 chữ cái không dấu, chữ số, dấu chấm hoặc gạch dưới"
    )]
    BadUsername(String),
    #[error("không có trường mã “{0}”")]
    UnknownSchool(String),
    #[error("không có xã/phường “{0}”")]
    UnknownCommune(String),
    #[error("{0}")]
    App(#[from] AppError),
}

/// Whether a username is acceptable: 3–32 of a–z, 0–9, '.', '_'.
pub fn valid_username(username: &str) -> bool {
    (3..=32).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
}

/// Finds a school id by code.
pub async fn school_id_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<i32>, AppError> {
    Ok(school::Entity::find()
        .filter(school::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await?
        .map(|s| s.id))
}

/// Finds a commune id by name.
pub async fn commune_id_by_name(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<i32>, AppError> {
    Ok(commune::Entity::find()
        .filter(commune::Column::NameKey.eq(name_key(name)))
        .one(db)
        .await?
        .map(|c| c.id))
}

/// Creates an account with a one-time password (returned) that must be changed at first login.
pub async fn create_account(
    db: &DatabaseConnection,
    spec: AccountSpec,
    actor: &Actor,
) -> Result<String, AccountError> {
    let username = auth::normalise_username(&spec.username);
    if !valid_username(&username) {
        return Err(AccountError::BadUsername(username));
    }
    if crate::entities::account::Entity::find()
        .filter(crate::entities::account::Column::Username.eq(username.clone()))
        .one(db)
        .await
        .map_err(AppError::from)?
        .is_some()
    {
        return Err(AccountError::UsernameTaken(username));
    }
    let password = auth::generate_password();
    let hash = auth::hash_password(password.clone()).await?;
    let txn = crate::platform::db::begin_write(db)
        .await
        .map_err(AppError::from)?;
    let id = auth::insert_account(
        &txn,
        NewAccount {
            username: username.clone(),
            full_name: spec.full_name.clone(),
            password_hash: hash,
            initial_password: Some(password.clone()),
            must_change_password: true,
            birth_year: None,
            pupil_code: None,
        },
    )
    .await;
    let id = match id {
        Ok(id) => id,
        Err(error) => {
            drop(txn);
            // Two requests for the same new username (a double click): the second finds it taken.
            let taken = crate::entities::account::Entity::find()
                .filter(crate::entities::account::Column::Username.eq(username.clone()))
                .one(db)
                .await
                .map_err(AppError::from)?
                .is_some();
            return Err(if taken {
                AccountError::UsernameTaken(username)
            } else {
                error.into()
            });
        }
    };
    for grant in &spec.grants {
        auth::insert_grant(&txn, id, grant).await?;
    }
    audit(
        &txn,
        actor,
        "account.create",
        &username,
        serde_json::json!({
            "roles": spec.grants.iter().map(|g| g.role.code()).collect::<Vec<_>>(),
        }),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)?;
    Ok(password)
}

/// Grants for a role given on the command line: `school`/`commune`/`levels` as the role needs.
pub async fn grant_from_args(
    db: &DatabaseConnection,
    role: Role,
    school: Option<&str>,
    commune: Option<&str>,
    levels: &[SchoolLevel],
) -> Result<Grant, AccountError> {
    let mut grant = Grant {
        role,
        school_id: None,
        commune_id: None,
        levels: Vec::new(),
    };
    match role {
        Role::Pupil | Role::Teacher | Role::Principal => {
            let code = school.unwrap_or_default();
            grant.school_id = Some(
                school_id_by_code(db, code)
                    .await?
                    .ok_or_else(|| AccountError::UnknownSchool(code.to_owned()))?,
            );
        }
        Role::Commune => {
            let name = commune.unwrap_or_default();
            grant.commune_id = Some(
                commune_id_by_name(db, name)
                    .await?
                    .ok_or_else(|| AccountError::UnknownCommune(name.to_owned()))?,
            );
        }
        Role::Department => {
            grant.levels = if levels.is_empty() {
                SchoolLevel::ALL.to_vec()
            } else {
                levels.to_vec()
            };
        }
        Role::Committee | Role::Admin => {}
    }
    Ok(grant)
}

/// What the demo seed wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub directory: DirectoryReport,
    pub classes: usize,
    pub pupils: usize,
    /// (username, role, scope) of the staff accounts, for the README and the console.
    pub staff: Vec<(String, Role, String)>,
}

/// Usernames of the demo's staff accounts; their presence means the demo is already seeded.
pub const DEMO_ADMIN: &str = "admin";

/// Loads a generated province into an empty database: the directory, staff accounts of every
/// role, classes and pupils. Every demo account gets `password` (not a one-time password: the
/// demo is for trying things out). Returns `None` if the demo is already there.
pub async fn seed_demo(
    db: &DatabaseConnection,
    province: &crate::schools::demo::DemoProvince,
    school_year: i32,
    password: &str,
) -> Result<Option<DemoSummary>, AppError> {
    use crate::entities::{account, class_member, learner, role_grant, school_class};
    if account::Entity::find()
        .filter(account::Column::Username.eq(DEMO_ADMIN))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let actor = Actor::command_line();
    let directory = match import_directory(db, &province.schools, &actor, "demo").await? {
        Ok(report) => report,
        Err(errors) => {
            tracing::error!(?errors, "generated demo directory was refused");
            return Err(AppError::Internal);
        }
    };
    let hash = auth::hash_password(password.to_owned()).await?;
    let schools: HashMap<String, school::Model> = school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let first_code = province
        .classes
        .first()
        .map(|c| c.school_code.clone())
        .unwrap_or_default();
    let first = schools.get(&first_code).ok_or(AppError::Internal)?;
    let commune_name = commune::Entity::find_by_id(first.commune_id)
        .one(db)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let general = [SchoolLevel::Thcs, SchoolLevel::Thpt, SchoolLevel::Gdtx];
    let staff: Vec<(&str, &str, Grant, String)> = vec![
        (
            DEMO_ADMIN,
            "Quản trị (minh họa)",
            Grant {
                role: Role::Admin,
                school_id: None,
                commune_id: None,
                levels: vec![],
            },
            String::new(),
        ),
        (
            "so.gddt",
            "Cán bộ Sở (minh họa)",
            Grant {
                role: Role::Department,
                school_id: None,
                commune_id: None,
                levels: general.to_vec(),
            },
            "THCS, THPT, GDTX".to_owned(),
        ),
        (
            "btc",
            "Ban Tổ chức (minh họa)",
            Grant {
                role: Role::Committee,
                school_id: None,
                commune_id: None,
                levels: vec![],
            },
            String::new(),
        ),
        (
            "canbo.xa",
            "Cán bộ xã (minh họa)",
            Grant {
                role: Role::Commune,
                school_id: None,
                commune_id: Some(first.commune_id),
                levels: vec![],
            },
            commune_name,
        ),
        (
            "hieutruong",
            "Hiệu trưởng (minh họa)",
            Grant {
                role: Role::Principal,
                school_id: Some(first.id),
                commune_id: None,
                levels: vec![],
            },
            first.name.clone(),
        ),
        (
            "giaovien",
            "Giáo viên (minh họa)",
            Grant {
                role: Role::Teacher,
                school_id: Some(first.id),
                commune_id: None,
                levels: vec![],
            },
            first.name.clone(),
        ),
    ];
    let txn = crate::platform::db::begin_write(db).await?;
    let mut summary = DemoSummary {
        directory,
        ..Default::default()
    };
    let mut teacher_id = None;
    for (username, name, grant, scope) in staff {
        let id = auth::insert_account(
            &txn,
            NewAccount {
                username: username.to_owned(),
                full_name: name.to_owned(),
                password_hash: hash.clone(),
                initial_password: None,
                must_change_password: false,
                birth_year: None,
                pupil_code: None,
            },
        )
        .await?;
        auth::insert_grant(&txn, id, &grant).await?;
        if grant.role == Role::Teacher {
            teacher_id = Some(id);
        }
        summary.staff.push((username.to_owned(), grant.role, scope));
    }

    let now = now_ms();
    let mut sequence = 0usize;
    for class in &province.classes {
        let school = schools.get(&class.school_code).ok_or(AppError::Internal)?;
        let class_row = school_class::ActiveModel {
            school_id: Set(school.id),
            school_year: Set(school_year),
            name: Set(class.name.clone()),
            grade: Set(i32::from(class.grade)),
            teacher_id: Set((school.id == first.id).then_some(teacher_id).flatten()),
            join_code: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        summary.classes += 1;
        // Bulk inserts in chunks keep a large province fast on both databases.
        for chunk in class.pupils.chunks(200) {
            let mut learners = Vec::with_capacity(chunk.len());
            let mut accounts = Vec::with_capacity(chunk.len());
            let mut usernames = Vec::with_capacity(chunk.len());
            for pupil in chunk {
                sequence += 1;
                let learner_id = uuid::Uuid::new_v4().to_string();
                let username = format!("hs{sequence:06}");
                learners.push(learner::ActiveModel {
                    id: Set(learner_id.clone()),
                    created_at: Set(now),
                });
                accounts.push(account::ActiveModel {
                    username: Set(username.clone()),
                    full_name: Set(pupil.full_name.clone()),
                    password_hash: Set(hash.clone()),
                    initial_password: Set(None),
                    must_change_password: Set(false),
                    birth_year: Set(Some(pupil.birth_year)),
                    pupil_code: Set(None),
                    learner_id: Set(learner_id),
                    disabled: Set(false),
                    created_at: Set(now),
                    last_login_at: Set(None),
                    ..Default::default()
                });
                usernames.push(username);
            }
            learner::Entity::insert_many(learners).exec(&txn).await?;
            account::Entity::insert_many(accounts).exec(&txn).await?;
            let ids: Vec<i32> = account::Entity::find()
                .filter(account::Column::Username.is_in(usernames))
                .all(&txn)
                .await?
                .into_iter()
                .map(|a| a.id)
                .collect();
            role_grant::Entity::insert_many(ids.iter().map(|id| role_grant::ActiveModel {
                account_id: Set(*id),
                role: Set(Role::Pupil.code().to_owned()),
                school_id: Set(Some(school.id)),
                commune_id: Set(None),
                levels: Set(None),
                created_at: Set(now),
                ..Default::default()
            }))
            .exec(&txn)
            .await?;
            class_member::Entity::insert_many(ids.iter().map(|id| class_member::ActiveModel {
                class_id: Set(class_row.id),
                account_id: Set(*id),
                via: Set("roster".to_owned()),
                joined_at: Set(now),
                left_at: Set(None),
                ..Default::default()
            }))
            .exec(&txn)
            .await?;
            summary.pupils += ids.len();
        }
    }
    audit(
        &txn,
        &actor,
        "demo.seed",
        "demo",
        serde_json::json!({ "classes": summary.classes, "pupils": summary.pupils }),
    )
    .await?;
    txn.commit().await?;
    Ok(Some(summary))
}

/// Where a grant applies, in words: a school's name, a commune's name, levels, or nothing.
pub async fn scope_label(db: &impl ConnectionTrait, grant: &Grant) -> Result<String, AppError> {
    if let Some(id) = grant.school_id {
        return Ok(school::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| s.name)
            .unwrap_or_default());
    }
    if let Some(id) = grant.commune_id {
        return Ok(commune::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| c.name)
            .unwrap_or_default());
    }
    Ok(grant
        .levels
        .iter()
        .map(|l| l.label())
        .collect::<Vec<_>>()
        .join(", "))
}

/// What an audit log action code means, in Vietnamese (`None` for a code this version does not
/// know, which the log then shows as it is).
pub fn action_label(code: &str) -> Option<&'static str> {
    crate::schools::types::AUDIT_ACTIONS
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, label)| *label)
}

/// An audit log detail (a JSON object) as “khóa: giá trị” pairs; anything else as it is.
pub fn readable_detail(detail: &str) -> String {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(detail) {
        Ok(map) => map
            .into_iter()
            .map(|(key, value)| match value {
                serde_json::Value::String(text) => format!("{key}: {text}"),
                other => format!("{key}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Err(_) => detail.to_owned(),
    }
}
