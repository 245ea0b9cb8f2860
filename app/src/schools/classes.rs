//! Classes and their pupils: roster imports with generated accounts, login slips, class join
//! codes, removing and moving pupils. Callers are checked here, on the server, every time.

use crate::accounts::auth::{self, Caller, Grant, NewAccount};
use crate::clock::current_school_year;
use crate::clock::now_ms;
use crate::codes::Role;
use crate::domain::text::{ascii_fold, clean_name};
use crate::entities::{account, class_member, role_grant, school_class};
use crate::error::AppError;
use crate::schools::people::{Actor, audit, name_key};
use crate::schools::roster::RosterRow;
use crate::schools::service::school_by_id;
use crate::spreadsheet::export::Table;
use crate::spreadsheet::read::ImportError;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use unicode_normalization::UnicodeNormalization;

/// A username a pupil can type on a phone: given name, initials of the other names, 4 digits
/// ("Nguyễn Văn An" → "annv4821").
pub fn username_candidate(full_name: &str, rng: &mut impl Rng) -> String {
    let folded = ascii_fold(full_name);
    let words: Vec<&str> = folded.split_whitespace().collect();
    let given: String = words
        .last()
        .map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect())
        .unwrap_or_default();
    let initials: String = words[..words.len().saturating_sub(1)]
        .iter()
        .filter_map(|w| w.chars().find(char::is_ascii_alphanumeric))
        .collect();
    let mut base = format!("{given}{initials}");
    base.truncate(20);
    if base.is_empty() {
        base.push_str("hs");
    }
    format!("{base}{:04}", rng.random_range(0..10_000))
}

/// Masks a name for places other people see: "Nguyễn Văn An" → "Nguyễn V. A".
pub fn mask_name(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    match words.as_slice() {
        [] => String::new(),
        [only] => format!("{}.", only.chars().next().unwrap_or(' ')),
        [family, rest @ ..] => {
            let initials: Vec<String> = rest
                .iter()
                .map(|w| format!("{}.", w.chars().next().unwrap_or(' ')))
                .collect();
            let mut text = format!("{family} {}", initials.join(" "));
            if text.ends_with('.') {
                text.pop();
            }
            text
        }
    }
}

/// Picks a free username for each name, inside the write transaction that creates the accounts.
/// On PostgreSQL, writers run side by side, so two imports could pick the same free name and one
/// would fail on the unique index: a transaction-scoped advisory lock makes account creators take
/// turns (SQLite's `BEGIN IMMEDIATE` already does). Logins and reads are not held up.
async fn unique_usernames(
    db: &impl ConnectionTrait,
    names: &[&str],
) -> Result<Vec<String>, AppError> {
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        /// An arbitrary key, used only for this lock.
        const ACCOUNT_CREATION_LOCK: i64 = 0x6b73_6163_636f;
        db.execute_unprepared(&format!(
            "SELECT pg_advisory_xact_lock({ACCOUNT_CREATION_LOCK})"
        ))
        .await?;
    }
    // Draw a candidate for everyone, ask the database once which are taken, redraw only those.
    let mut out: Vec<Option<String>> = vec![None; names.len()];
    let mut chosen = HashSet::new();
    let mut round = 0;
    while out.iter().any(Option::is_none) {
        round += 1;
        if round > 50 {
            return Err(AppError::internal(
                "choosing usernames",
                "no free username after 50 rounds",
            ));
        }
        let mut batch = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if out[i].is_none() {
                let mut candidate = username_candidate(name, &mut rand::rng());
                if round > 5 {
                    // A very common name whose 10,000 four-digit endings are (nearly) all taken.
                    candidate.push_str(&format!("{:02}", rand::rng().random_range(0..100)));
                }
                // A candidate drawn twice in this import is simply drawn again next round (it
                // used to end the loop early, leaving a pupil without an account).
                if chosen.insert(candidate.clone()) {
                    batch.push((i, candidate));
                }
            }
        }
        if batch.is_empty() {
            continue;
        }
        let taken: HashSet<String> = account::Entity::find()
            .filter(account::Column::Username.is_in(batch.iter().map(|(_, c)| c.clone())))
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.username)
            .collect();
        for (i, candidate) in batch {
            if !taken.contains(&candidate) {
                out[i] = Some(candidate);
            }
        }
    }
    Ok(out.into_iter().flatten().collect())
}

/// Loads a class the caller may manage: 404 if it does not exist, 403 if it is not theirs.
pub async fn managed_class(
    db: &impl ConnectionTrait,
    caller: &Caller,
    class_id: i32,
) -> Result<school_class::Model, AppError> {
    let class = school_class::Entity::find_by_id(class_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if caller.can_manage_class(&class) || caller.has(Role::Admin) {
        Ok(class)
    } else {
        Err(AppError::Forbidden)
    }
}

/// What a roster import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterReport {
    pub accounts_created: usize,
    pub already_there: usize,
    /// (class id, class name) of the classes touched, for links to their slips.
    pub classes: Vec<(i32, String)>,
    pub classes_created: usize,
}

/// Creates pupil accounts for a checked roster at one school: classes named in the file are
/// created if needed; pupils already in their class (same pupil code, or same name and birth
/// year) are left alone. Any error means nothing is written.
pub async fn import_roster(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    school_id: i32,
    school_year: i32,
    rows: &[RosterRow],
    file_name: &str,
) -> Result<Result<RosterReport, Vec<ImportError>>, AppError> {
    if !caller.can_manage_school(school_id) {
        return Err(AppError::Forbidden);
    }
    let classes: HashMap<String, school_class::Model> = school_class::Entity::find()
        .filter(school_class::Column::SchoolId.eq(school_id))
        .filter(school_class::Column::SchoolYear.eq(school_year))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.name.clone(), c))
        .collect();
    // Pupils of the school now, with their class, to recognise people already imported.
    let pupils_here: Vec<account::Model> = account::Entity::find()
        .filter(
            account::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(role_grant::Column::AccountId)
                    .from(role_grant::Entity)
                    .and_where(role_grant::Column::SchoolId.eq(school_id))
                    .and_where(role_grant::Column::Role.eq(Role::Pupil.code()))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?;
    let memberships: HashMap<i32, i32> = class_member::Entity::find()
        .filter(class_member::Column::LeftAt.is_null())
        .filter(
            class_member::Column::ClassId.is_in(classes.values().map(|c| c.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.account_id, m.class_id))
        .collect();
    let by_code: HashMap<&str, &account::Model> = pupils_here
        .iter()
        .filter_map(|a| a.pupil_code.as_deref().map(|c| (c, a)))
        .collect();

    // Who is in which class now, by normalised name and birth year: one look-up per row (a
    // scan of the school for each row took minutes for a large file).
    let present: HashSet<(String, Option<i32>, i32)> = pupils_here
        .iter()
        .filter_map(|a| {
            memberships
                .get(&a.id)
                .map(|class_id| (name_key(&a.full_name), a.birth_year, *class_id))
        })
        .collect();
    let mut errors = Vec::new();
    let mut to_create = Vec::new();
    let mut already = 0;
    for row in rows {
        if let Some(class) = classes.get(&row.class_name)
            && !caller.can_manage_class(class)
        {
            errors.push(ImportError {
                row: row.row,
                column: Some("lớp"),
                message: format!(
                    "lớp {} do giáo viên khác phụ trách; nhờ giáo viên đó hoặc hiệu trưởng nhập",
                    row.class_name
                ),
            });
            continue;
        }
        if let Some(class) = classes.get(&row.class_name)
            && class.grade != i32::from(row.grade)
        {
            errors.push(ImportError {
                row: row.row,
                column: Some("khối"),
                message: format!(
                    "lớp {} đã có trong năm học này ở khối {}, không phải khối {}",
                    row.class_name, class.grade, row.grade
                ),
            });
            continue;
        }
        if let Some(code) = &row.pupil_code
            && let Some(existing) = by_code.get(code.as_str())
        {
            if name_key(&existing.full_name) == name_key(&row.full_name) {
                already += 1;
            } else {
                errors.push(ImportError {
                    row: row.row,
                    column: Some("mã học sinh"),
                    message: format!(
                        "mã học sinh “{code}” đã dùng cho một học sinh khác của trường ({})",
                        mask_name(&existing.full_name)
                    ),
                });
            }
            continue;
        }
        let same_person = classes
            .get(&row.class_name)
            .is_some_and(|c| present.contains(&(name_key(&row.full_name), row.birth_year, c.id)));
        if same_person {
            already += 1;
            continue;
        }
        to_create.push(row);
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok(Err(errors));
    }

    let passwords: Vec<String> = to_create
        .iter()
        .map(|_| auth::generate_password())
        .collect();
    let hashes = auth::hash_one_time_passwords(passwords.clone()).await?;
    let txn = crate::platform::db::begin_write(db).await?;
    let usernames = unique_usernames(
        &txn,
        &to_create
            .iter()
            .map(|r| r.full_name.as_str())
            .collect::<Vec<_>>(),
    )
    .await?;
    let now = now_ms();
    let mut class_ids: HashMap<String, i32> =
        classes.iter().map(|(n, c)| (n.clone(), c.id)).collect();
    let mut report = RosterReport {
        already_there: already,
        ..Default::default()
    };
    let teacher_id = (!caller.has(Role::Principal)).then_some(caller.account_id);
    for row in rows {
        if !class_ids.contains_key(&row.class_name) {
            let class = school_class::ActiveModel {
                school_id: Set(school_id),
                school_year: Set(school_year),
                name: Set(row.class_name.clone()),
                grade: Set(i32::from(row.grade)),
                teacher_id: Set(teacher_id),
                join_code: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            report.classes_created += 1;
            class_ids.insert(row.class_name.clone(), class.id);
        }
    }
    for ((row, password), (hash, username)) in to_create
        .iter()
        .zip(&passwords)
        .zip(hashes.into_iter().zip(usernames))
    {
        let id = auth::insert_account(
            &txn,
            NewAccount {
                username,
                full_name: row.full_name.clone(),
                password_hash: hash,
                initial_password: Some(password.clone()),
                must_change_password: true,
                birth_year: row.birth_year,
                pupil_code: row.pupil_code.clone(),
            },
        )
        .await?;
        auth::insert_grant(
            &txn,
            id,
            &Grant {
                role: Role::Pupil,
                school_id: Some(school_id),
                commune_id: None,
                levels: vec![],
            },
        )
        .await?;
        class_member::ActiveModel {
            class_id: Set(class_ids[&row.class_name]),
            account_id: Set(id),
            via: Set("roster".to_owned()),
            joined_at: Set(now),
            left_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        report.accounts_created += 1;
    }
    let mut touched: Vec<(i32, String)> = rows
        .iter()
        .map(|r| (class_ids[&r.class_name], r.class_name.clone()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    touched.sort_by(|a, b| a.1.cmp(&b.1));
    report.classes = touched;
    audit(
        &txn,
        actor,
        "roster.import",
        &format!("school:{school_id}"),
        serde_json::json!({
            "file": file_name,
            "created": report.accounts_created,
            "already": report.already_there,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(report))
}

/// Why a class could not be created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassProblem {
    /// The school does not teach that grade.
    Grade,
    /// The name is not 1–10 letters, digits, '/' or '-'.
    Name,
    /// A class of that name exists this school year.
    Exists,
}

impl ClassProblem {
    /// Code carried in the redirect URL.
    pub fn code(self) -> &'static str {
        match self {
            ClassProblem::Grade => "khoi",
            ClassProblem::Name => "ten",
            ClassProblem::Exists => "trung",
        }
    }
}

/// Creates an empty class at a school for the current school year.
pub async fn create_class(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    school_id: i32,
    name: &str,
    grade: u8,
) -> Result<Result<i32, ClassProblem>, AppError> {
    if !caller.can_manage_school(school_id) {
        return Err(AppError::Forbidden);
    }
    let school = school_by_id(db, school_id).await?;
    let levels = crate::codes::SchoolLevel::parse_stored(&school.levels);
    if !levels
        .iter()
        .filter_map(|l| l.grades())
        .any(|g| g.contains(&grade))
    {
        return Ok(Err(ClassProblem::Grade));
    }
    let name: String = name.nfc().collect::<String>().trim().to_uppercase();
    if name.is_empty()
        || name.chars().count() > 10
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '/' || c == '-')
    {
        return Ok(Err(ClassProblem::Name));
    }
    let year = current_school_year();
    let exists = school_class::Entity::find()
        .filter(school_class::Column::SchoolId.eq(school_id))
        .filter(school_class::Column::SchoolYear.eq(year))
        .filter(school_class::Column::Name.eq(name.clone()))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(Err(ClassProblem::Exists));
    }
    let class = school_class::ActiveModel {
        school_id: Set(school_id),
        school_year: Set(year),
        name: Set(name.clone()),
        grade: Set(i32::from(grade)),
        teacher_id: Set((!caller.has(Role::Principal)).then_some(caller.account_id)),
        join_code: Set(None),
        created_at: Set(now_ms()),
        ..Default::default()
    }
    .insert(db)
    .await;
    let class = match class {
        Ok(class) => class,
        // The same class created twice at once (a double click): the second finds it there.
        Err(error)
            if matches!(
                error.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            return Ok(Err(ClassProblem::Exists));
        }
        Err(error) => return Err(error.into()),
    };
    audit(
        db,
        actor,
        "class.create",
        &format!("class:{}", class.id),
        serde_json::json!({ "school": school_id, "name": name }),
    )
    .await?;
    Ok(Ok(class.id))
}

/// Current pupils of a class, by name.
pub async fn class_pupils(
    db: &impl ConnectionTrait,
    class_id: i32,
) -> Result<Vec<(account::Model, class_member::Model)>, AppError> {
    let members = class_member::Entity::find()
        .filter(class_member::Column::ClassId.eq(class_id))
        .filter(class_member::Column::LeftAt.is_null())
        .all(db)
        .await?;
    let ids: Vec<i32> = members.iter().map(|m| m.account_id).collect();
    let accounts: HashMap<i32, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut pupils: Vec<_> = members
        .into_iter()
        .filter_map(|m| accounts.get(&m.account_id).cloned().map(|a| (a, m)))
        .collect();
    // Vietnamese class lists are ordered by given name, then the whole name.
    pupils.sort_by_key(|(a, _)| {
        let folded = ascii_fold(&a.full_name);
        let given = folded.split_whitespace().last().unwrap_or("").to_owned();
        (given, folded)
    });
    Ok(pupils)
}

/// Sets a fresh join code for a class (or turns joining off with `enable = false`).
pub async fn set_join_code(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    class_id: i32,
    enable: bool,
) -> Result<(), AppError> {
    let class = managed_class(db, caller, class_id).await?;
    let code = if enable {
        const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
        loop {
            let code: String = {
                let mut rng = rand::rng();
                (0..6)
                    .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                    .collect()
            };
            let taken = school_class::Entity::find()
                .filter(school_class::Column::JoinCode.eq(code.clone()))
                .one(db)
                .await?
                .is_some();
            if !taken {
                break Some(code);
            }
        }
    } else {
        None
    };
    school_class::Entity::update_many()
        .col_expr(school_class::Column::JoinCode, Expr::value(code.clone()))
        .filter(school_class::Column::Id.eq(class.id))
        .exec(db)
        .await?;
    audit(
        db,
        actor,
        if enable {
            "class.join_code.new"
        } else {
            "class.join_code.off"
        },
        &format!("class:{class_id}"),
        serde_json::json!({}),
    )
    .await?;
    Ok(())
}

/// Finds the pupil in a class the caller manages: 404 if the pupil is not in that class.
async fn pupil_in_class(
    db: &impl ConnectionTrait,
    class_id: i32,
    account_id: i32,
) -> Result<account::Model, AppError> {
    let member = class_member::Entity::find()
        .filter(class_member::Column::ClassId.eq(class_id))
        .filter(class_member::Column::AccountId.eq(account_id))
        .filter(class_member::Column::LeftAt.is_null())
        .one(db)
        .await?;
    if member.is_none() {
        return Err(AppError::NotFound);
    }
    account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Gives a pupil a new one-time password (shown on their slip) and ends their sessions.
pub async fn reset_password(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    class_id: i32,
    account_id: i32,
) -> Result<(), AppError> {
    managed_class(db, caller, class_id).await?;
    let pupil = pupil_in_class(db, class_id, account_id).await?;
    let password = auth::OneTimePassword::new().await?;
    let txn = crate::platform::db::begin_write(db).await?;
    password.store(&txn, pupil.id).await?;
    audit(
        &txn,
        actor,
        "pupil.reset_password",
        &pupil.username,
        serde_json::json!({ "class": class_id }),
    )
    .await?;
    txn.commit().await?;
    crate::accounts::identity::forget_account(pupil.id);
    Ok(())
}

/// Takes a pupil out of a class; the account and its history stay.
pub async fn remove_from_class(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    class_id: i32,
    account_id: i32,
) -> Result<(), AppError> {
    managed_class(db, caller, class_id).await?;
    let pupil = pupil_in_class(db, class_id, account_id).await?;
    let txn = crate::platform::db::begin_write(db).await?;
    class_member::Entity::update_many()
        .col_expr(class_member::Column::LeftAt, Expr::value(Some(now_ms())))
        .filter(class_member::Column::ClassId.eq(class_id))
        .filter(class_member::Column::AccountId.eq(pupil.id))
        .filter(class_member::Column::LeftAt.is_null())
        .exec(&txn)
        .await?;
    audit(
        &txn,
        actor,
        "pupil.remove_from_class",
        &pupil.username,
        serde_json::json!({ "class": class_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Moves a pupil to another class of the same school; history (attempts, past membership) stays.
pub async fn move_pupil(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    class_id: i32,
    account_id: i32,
    to_class_id: i32,
) -> Result<(), AppError> {
    let from = managed_class(db, caller, class_id).await?;
    let to = school_class::Entity::find_by_id(to_class_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::BadRequest("Không có lớp này.".into()))?;
    if to.school_id != from.school_id || !caller.can_manage_school(to.school_id) {
        return Err(AppError::Forbidden);
    }
    let pupil = pupil_in_class(db, class_id, account_id).await?;
    let txn = crate::platform::db::begin_write(db).await?;
    enter_class(&txn, pupil.id, &to, "move").await?;
    audit(
        &txn,
        actor,
        "pupil.move",
        &pupil.username,
        serde_json::json!({ "from": from.id, "to": to.id }),
    )
    .await?;
    txn.commit().await?;
    crate::accounts::identity::forget_account(pupil.id);
    Ok(())
}

/// Puts a pupil in a class: their current membership ends (kept as history) and a new one
/// starts; if the class is in another school, the pupil's school changes with it.
async fn enter_class(
    db: &impl ConnectionTrait,
    account_id: i32,
    class: &school_class::Model,
    via: &str,
) -> Result<(), AppError> {
    let now = now_ms();
    class_member::Entity::update_many()
        .col_expr(class_member::Column::LeftAt, Expr::value(Some(now)))
        .filter(class_member::Column::AccountId.eq(account_id))
        .filter(class_member::Column::LeftAt.is_null())
        .exec(db)
        .await?;
    class_member::ActiveModel {
        class_id: Set(class.id),
        account_id: Set(account_id),
        via: Set(via.to_owned()),
        joined_at: Set(now),
        left_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    role_grant::Entity::update_many()
        .col_expr(
            role_grant::Column::SchoolId,
            Expr::value(Some(class.school_id)),
        )
        .filter(role_grant::Column::AccountId.eq(account_id))
        .filter(role_grant::Column::Role.eq(Role::Pupil.code()))
        .exec(db)
        .await?;
    Ok(())
}

/// What a signed-in pupil's class code came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransferOutcome {
    /// Now in the class (`school_changed` when it is another school).
    Moved { school_changed: bool },
    /// Already in this class.
    AlreadyThere,
    /// No class has this code (or joining is off).
    UnknownCode,
    /// Too many wrong codes from this address.
    Throttled,
}

/// A signed-in pupil enters a class code — a new class at the same school or a new school after
/// a transfer. The account, its attempts and its past classes stay; the old class's teacher sees
/// the pupil as having left.
pub async fn join_with_account(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    code: &str,
    ip: Option<&str>,
) -> Result<TransferOutcome, AppError> {
    if !caller.has(Role::Pupil) {
        return Err(AppError::Forbidden);
    }
    let throttle_key = format!("join:{}", ip.unwrap_or("?"));
    if auth::reserve_attempt(db, &throttle_key, 20, now_ms())
        .await?
        .is_some()
    {
        return Ok(TransferOutcome::Throttled);
    }
    let Some(class) = school_class::Entity::find()
        .filter(school_class::Column::JoinCode.eq(code.trim().to_uppercase()))
        .one(db)
        .await?
    else {
        return Ok(TransferOutcome::UnknownCode);
    };
    auth::release_attempt(db, &throttle_key).await?;
    let current = auth::current_class(db, caller.account_id).await?;
    if current.as_ref().is_some_and(|c| c.id == class.id) {
        return Ok(TransferOutcome::AlreadyThere);
    }
    let previous_school = caller
        .grants
        .iter()
        .find(|g| g.role == Role::Pupil)
        .and_then(|g| g.school_id);
    let txn = crate::platform::db::begin_write(db).await?;
    enter_class(&txn, caller.account_id, &class, "join-code").await?;
    audit(
        &txn,
        actor,
        "pupil.join",
        &caller.username,
        serde_json::json!({
            "from_class": current.map(|c| c.id),
            "to_class": class.id,
            "from_school": previous_school,
            "to_school": class.school_id,
        }),
    )
    .await?;
    txn.commit().await?;
    crate::accounts::identity::forget_account(caller.account_id);
    Ok(TransferOutcome::Moved {
        school_changed: previous_school != Some(class.school_id),
    })
}

/// What signing up with a class code came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JoinOutcome {
    /// The account was created; the username to remember and the session token.
    Joined { username: String, token: String },
    /// No class has this code (or joining is off).
    UnknownCode,
    /// The name is not a plausible full name.
    BadName,
    /// The password is refused.
    BadPassword(auth::PasswordProblem),
    /// Too many wrong codes from this address.
    Throttled,
}

/// A pupil signs up with a class join code: an account is created in that class and signed in.
/// The pupil chooses the password; nothing but name and (optional) birth year is asked.
#[allow(clippy::too_many_arguments)]
pub async fn join_with_code(
    db: &DatabaseConnection,
    code: &str,
    full_name: &str,
    birth_year: Option<i32>,
    password: &str,
    confirm: &str,
    ip: Option<&str>,
    anonymous_learner: Option<&str>,
    settings: &auth::SessionSettings,
) -> Result<JoinOutcome, AppError> {
    let throttle_key = format!("join:{}", ip.unwrap_or("?"));
    if auth::reserve_attempt(db, &throttle_key, 20, now_ms())
        .await?
        .is_some()
    {
        return Ok(JoinOutcome::Throttled);
    }
    let code = code.trim().to_uppercase();
    let Some(class) = school_class::Entity::find()
        .filter(school_class::Column::JoinCode.eq(code))
        .one(db)
        .await?
    else {
        return Ok(JoinOutcome::UnknownCode);
    };
    auth::release_attempt(db, &throttle_key).await?;
    let name = clean_name(full_name);
    if name.split(' ').count() < 2
        || name.chars().count() > 80
        || !name
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '-')
    {
        return Ok(JoinOutcome::BadName);
    }
    if password != confirm {
        return Ok(JoinOutcome::BadPassword(auth::PasswordProblem::Mismatch));
    }
    let hash = auth::hash_password(password.to_owned()).await?;
    let txn = crate::platform::db::begin_write(db).await?;
    let username = unique_usernames(&txn, &[name.as_str()])
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    if let Some(problem) = auth::password_problem(password, &username, false) {
        return Ok(JoinOutcome::BadPassword(problem));
    }
    let id = auth::insert_account(
        &txn,
        NewAccount {
            username: username.clone(),
            full_name: name,
            password_hash: hash,
            initial_password: None,
            must_change_password: false,
            birth_year,
            pupil_code: None,
        },
    )
    .await?;
    auth::insert_grant(
        &txn,
        id,
        &Grant {
            role: Role::Pupil,
            school_id: Some(class.school_id),
            commune_id: None,
            levels: vec![],
        },
    )
    .await?;
    class_member::ActiveModel {
        class_id: Set(class.id),
        account_id: Set(id),
        via: Set("join-code".to_owned()),
        joined_at: Set(now_ms()),
        left_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let learner = account::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?
        .learner_id;
    if let Some(anonymous) = anonymous_learner {
        auth::hand_over_practice(&txn, anonymous, &learner).await?;
    }
    let token = auth::create_session(&txn, id, ip.map(str::to_owned), settings).await?;
    txn.commit().await?;
    Ok(JoinOutcome::Joined { username, token })
}

/// Classes of a school in a school year, with their pupil counts, by name.
pub async fn classes_of_school(
    db: &impl ConnectionTrait,
    school_id: i32,
    school_year: i32,
) -> Result<Vec<(school_class::Model, u64)>, AppError> {
    let classes = school_class::Entity::find()
        .filter(school_class::Column::SchoolId.eq(school_id))
        .filter(school_class::Column::SchoolYear.eq(school_year))
        .order_by_asc(school_class::Column::Grade)
        .order_by_asc(school_class::Column::Name)
        .all(db)
        .await?;
    let ids: Vec<i32> = classes.iter().map(|c| c.id).collect();
    let mut counts: HashMap<i32, u64> = HashMap::new();
    for m in class_member::Entity::find()
        .filter(class_member::Column::ClassId.is_in(ids))
        .filter(class_member::Column::LeftAt.is_null())
        .all(db)
        .await?
    {
        *counts.entry(m.class_id).or_default() += 1;
    }
    Ok(classes
        .into_iter()
        .map(|c| {
            let n = counts.get(&c.id).copied().unwrap_or(0);
            (c, n)
        })
        .collect())
}

/// Deletes a pupil's account (principal of the pupil's school, or administrator). The pupil's
/// attempts are kept for the statistics but moved to a fresh anonymous learner id, so nothing
/// links them to the person any more.
pub async fn delete_pupil(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    account_id: i32,
) -> Result<(), AppError> {
    use crate::entities::{attempt, learner, session};
    // Refuse people who may never delete before saying whether the account exists.
    if !(caller.has(Role::Principal) || caller.has(Role::Admin)) {
        return Err(AppError::Forbidden);
    }
    let pupil = account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let grants = auth::grants_of(db, account_id).await?;
    let school_id = grants
        .iter()
        .find(|g| g.role == Role::Pupil)
        .and_then(|g| g.school_id)
        .ok_or(AppError::NotFound)?;
    if !caller.can_handle_pupil_data(school_id) || grants.iter().any(|g| g.role != Role::Pupil) {
        return Err(AppError::Forbidden);
    }
    let txn = crate::platform::db::begin_write(db).await?;
    let anonymous = uuid::Uuid::new_v4().to_string();
    learner::ActiveModel {
        id: Set(anonymous.clone()),
        created_at: Set(now_ms()),
    }
    .insert(&txn)
    .await?;
    attempt::Entity::update_many()
        .col_expr(attempt::Column::LearnerId, Expr::value(anonymous))
        .filter(attempt::Column::LearnerId.eq(pupil.learner_id.clone()))
        .exec(&txn)
        .await?;
    class_member::Entity::delete_many()
        .filter(class_member::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    role_grant::Entity::delete_many()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    account::Entity::delete_by_id(account_id).exec(&txn).await?;
    learner::Entity::delete_by_id(pupil.learner_id)
        .exec(&txn)
        .await?;
    audit(
        &txn,
        actor,
        "pupil.delete",
        &format!("account:{account_id}"),
        serde_json::json!({ "school": school_id }),
    )
    .await?;
    txn.commit().await?;
    crate::accounts::identity::forget_account(account_id);
    Ok(())
}

/// Everything stored about the current pupils of a school, as a table to download: one row per
/// attempt, and one row for a pupil without attempts. The export is audited.
pub async fn export_school_pupils(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    school_id: i32,
) -> Result<Table, AppError> {
    use crate::entities::attempt;
    if !caller.can_handle_pupil_data(school_id) {
        return Err(AppError::Forbidden);
    }
    school_by_id(db, school_id).await?;
    let ids: Vec<i32> = role_grant::Entity::find()
        .filter(role_grant::Column::SchoolId.eq(school_id))
        .filter(role_grant::Column::Role.eq(Role::Pupil.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.account_id)
        .collect();
    let pupils = account::Entity::find()
        .filter(account::Column::Id.is_in(ids.clone()))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?;
    let classes: HashMap<i32, String> = school_class::Entity::find()
        .filter(school_class::Column::SchoolId.eq(school_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            (
                c.id,
                format!(
                    "{} ({})",
                    c.name,
                    crate::domain::school_year::label(c.school_year)
                ),
            )
        })
        .collect();
    let mut memberships: HashMap<i32, Vec<String>> = HashMap::new();
    for m in class_member::Entity::find()
        .filter(class_member::Column::AccountId.is_in(ids))
        .all(db)
        .await?
    {
        if let Some(name) = classes.get(&m.class_id) {
            memberships
                .entry(m.account_id)
                .or_default()
                .push(name.clone());
        }
    }
    let mut table = Table::new(
        "Học sinh",
        &[
            "tên đăng nhập",
            "họ và tên",
            "năm sinh",
            "mã học sinh",
            "các lớp",
            "tạo tài khoản",
            "đăng nhập gần nhất",
            "bài làm",
            "loại",
            "phạm vi",
            "bắt đầu",
            "nộp bài",
            "điểm",
            "số câu",
        ],
    );
    let time = |ms: Option<i64>| {
        ms.map(crate::clock::format_vietnam_time)
            .unwrap_or_default()
    };
    // What each attempt was, in words: "Luyện tập" / "Vòng thi", and the topic, track or round.
    let topics: HashMap<String, String> = crate::entities::topic::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.slug, t.title))
        .collect();
    let rounds: HashMap<i32, String> = crate::entities::contest_round::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let kind_label = |code: &str| -> Result<&'static str, AppError> {
        Ok(match crate::codes::AttemptKind::parse(code)? {
            crate::codes::AttemptKind::Practice => "Luyện tập",
            crate::codes::AttemptKind::Contest => "Vòng thi",
        })
    };
    let scope_label = |code: &str| -> Result<String, AppError> {
        use crate::codes::AttemptScope;
        Ok(match AttemptScope::parse(code)? {
            AttemptScope::Topic(slug) => {
                format!("Chủ đề: {}", topics.get(&slug).cloned().unwrap_or(slug))
            }
            AttemptScope::Track(track) => format!("Mạch {}", track.code()),
            AttemptScope::Round(id) => rounds
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("Vòng thi số {id}")),
            AttemptScope::Quiz(id) => format!("Đề của giáo viên số {id}"),
        })
    };
    let mut attempts_of: HashMap<String, Vec<attempt::Model>> = HashMap::new();
    for a in attempt::Entity::find()
        .filter(attempt::Column::LearnerId.is_in(pupils.iter().map(|p| p.learner_id.clone())))
        .order_by_asc(attempt::Column::StartedAt)
        .all(db)
        .await?
    {
        attempts_of.entry(a.learner_id.clone()).or_default().push(a);
    }
    for pupil in &pupils {
        let attempts = attempts_of.remove(&pupil.learner_id).unwrap_or_default();
        let person = [
            pupil.username.clone(),
            pupil.full_name.clone(),
            pupil.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            pupil.pupil_code.clone().unwrap_or_default(),
            memberships
                .get(&pupil.id)
                .map(|c| c.join("; "))
                .unwrap_or_default(),
            time(Some(pupil.created_at)),
            time(pupil.last_login_at),
        ];
        let rows: Vec<[String; 7]> = if attempts.is_empty() {
            vec![Default::default()]
        } else {
            let mut rows = Vec::with_capacity(attempts.len());
            for a in attempts {
                rows.push([
                    a.id.clone(),
                    kind_label(&a.kind)?.to_owned(),
                    scope_label(&a.scope)?,
                    time(Some(a.started_at)),
                    time(a.submitted_at),
                    crate::attempt::points_of(&a)
                        .map(crate::i18n::points_text)
                        .unwrap_or_default(),
                    a.total.to_string(),
                ]);
            }
            rows
        };
        for attempt_cells in rows {
            table.push(person.iter().chain(attempt_cells.iter()).cloned().collect());
        }
    }
    audit(
        db,
        actor,
        "school.export_pupils",
        &format!("school:{school_id}"),
        serde_json::json!({ "pupils": pupils.len() }),
    )
    .await?;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn names_are_masked_to_family_name_and_initials() {
        assert_eq!(mask_name("Nguyễn Văn An"), "Nguyễn V. A");
        assert_eq!(mask_name("Lê Thị Thu Hà"), "Lê T. T. H");
        assert_eq!(mask_name("An"), "A.");
    }

    #[test]
    fn usernames_are_typeable_ascii_from_the_name() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let u = username_candidate("Nguyễn Đức Anh", &mut rng);
        assert!(u.starts_with("anhnd"), "{u}");
        assert_eq!(u.len(), "anhnd".len() + 4);
        assert!(
            u.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
    }

    #[test]
    fn cells_excel_would_run_as_formulas_are_neutralised() {
        use crate::spreadsheet::export::neutralise_formula;
        assert_eq!(neutralise_formula("=1+1"), "'=1+1");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("-2"), "'-2");
        assert_eq!(neutralise_formula("Nguyễn Văn An"), "Nguyễn Văn An");
    }

    #[test]
    fn folding_removes_vietnamese_marks() {
        assert_eq!(ascii_fold("Trần Thị Ngọc Ánh ĐÀO"), "tran thi ngoc anh dao");
    }
}
