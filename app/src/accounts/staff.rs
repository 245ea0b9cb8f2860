//! Staff accounts in the web interface (administrators): the list, one account with its roles,
//! creating an account, adding and withdrawing a role, locking and unlocking, a new one-time
//! password. Pupils are managed by their schools (`classes`), not here. Every change is audited.

use crate::accounts::auth::{self, Caller, Grant};
use crate::accounts::types::{GrantView, StaffDetail, StaffGrant, StaffList, StaffRow};
use crate::clock::format_vietnam_time;
use crate::codes::{Role, SchoolLevel};
use crate::entities::{account, commune, role_grant, school, session};
use crate::error::AppError;
use crate::schools::people::{
    AccountError, AccountSpec, Actor, audit, create_account, grant_from_args,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use std::collections::HashMap;

/// Rows per page of the staff list.
pub const PAGE_SIZE: u64 = 50;

/// Accounts that are staff: any grant other than pupil, or no grant at all (a person whose
/// roles were all withdrawn stays findable).
fn staff_condition() -> Condition {
    let non_pupil = Query::select()
        .column(role_grant::Column::AccountId)
        .from(role_grant::Entity)
        .and_where(role_grant::Column::Role.ne(Role::Pupil.code()))
        .to_owned();
    let any_grant = Query::select()
        .column(role_grant::Column::AccountId)
        .from(role_grant::Entity)
        .to_owned();
    Condition::any()
        .add(account::Column::Id.in_subquery(non_pupil))
        .add(account::Column::Id.not_in_subquery(any_grant))
}

/// Labels of the scopes of many grants with two queries (schools, communes), not one per grant.
async fn scope_labels(
    db: &impl ConnectionTrait,
    grants: &[role_grant::Model],
) -> Result<HashMap<i32, String>, AppError> {
    let school_ids: Vec<i32> = grants.iter().filter_map(|g| g.school_id).collect();
    let commune_ids: Vec<i32> = grants.iter().filter_map(|g| g.commune_id).collect();
    let schools: HashMap<i32, String> = if school_ids.is_empty() {
        HashMap::new()
    } else {
        school::Entity::find()
            .filter(school::Column::Id.is_in(school_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, format!("{} ({})", s.name, s.code)))
            .collect()
    };
    let communes: HashMap<i32, String> = if commune_ids.is_empty() {
        HashMap::new()
    } else {
        commune::Entity::find()
            .filter(commune::Column::Id.is_in(commune_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect()
    };
    Ok(grants
        .iter()
        .map(|g| {
            let label = if let Some(id) = g.school_id {
                schools.get(&id).cloned().unwrap_or_default()
            } else if let Some(id) = g.commune_id {
                communes.get(&id).cloned().unwrap_or_default()
            } else {
                crate::codes::SchoolLevel::parse_stored(g.levels.as_deref().unwrap_or_default())
                    .iter()
                    .map(|l| l.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            (g.id, label)
        })
        .collect())
}

/// A page of staff accounts; `q` searches the username and the name.
pub async fn list_staff(
    db: &DatabaseConnection,
    q: Option<&str>,
    page: u64,
) -> Result<StaffList, AppError> {
    let mut query = account::Entity::find().filter(staff_condition());
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        query = query.filter(
            Condition::any()
                .add(account::Column::Username.contains(q.to_lowercase()))
                .add(account::Column::FullName.contains(q)),
        );
    }
    let paginator = query
        .order_by_asc(account::Column::Username)
        .paginate(db, PAGE_SIZE);
    let counts = paginator.num_items_and_pages().await?;
    let page = page.clamp(1, counts.number_of_pages.max(1));
    let accounts = paginator.fetch_page(page - 1).await?;
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.is_in(accounts.iter().map(|a| a.id)))
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await?;
    let labels = scope_labels(db, &grants).await?;
    let rows = accounts
        .into_iter()
        .map(|a| StaffRow {
            id: a.id,
            roles: grants
                .iter()
                .filter(|g| g.account_id == a.id)
                .filter_map(|g| {
                    Some(GrantView {
                        role: Role::from_code(&g.role)?,
                        scope: labels.get(&g.id).cloned().unwrap_or_default(),
                    })
                })
                .collect(),
            username: a.username,
            full_name: a.full_name,
            disabled: a.disabled,
            waiting_first_login: a.initial_password.is_some(),
            last_login: a.last_login_at.map(format_vietnam_time),
        })
        .collect();
    Ok(StaffList {
        rows,
        total: counts.number_of_items,
        page,
        pages: counts.number_of_pages.max(1),
    })
}

/// Loads an account for the staff pages: 404 when missing, and pupils are not handled here.
async fn staff_account(db: &impl ConnectionTrait, id: i32) -> Result<account::Model, AppError> {
    account::Entity::find_by_id(id)
        .filter(staff_condition())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// One staff account with its roles.
pub async fn staff_detail(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
) -> Result<StaffDetail, AppError> {
    let account = staff_account(db, id).await?;
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(id))
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await?;
    let labels = scope_labels(db, &grants).await?;
    Ok(StaffDetail {
        id,
        username: account.username,
        full_name: account.full_name,
        disabled: account.disabled,
        one_time_password: account.initial_password,
        last_login: account.last_login_at.map(format_vietnam_time),
        created: format_vietnam_time(account.created_at),
        is_self: caller.account_id == id,
        grants: grants
            .iter()
            .filter_map(|g| {
                Some(StaffGrant {
                    id: g.id,
                    role: Role::from_code(&g.role)?,
                    scope: labels.get(&g.id).cloned().unwrap_or_default(),
                })
            })
            .collect(),
    })
}

/// A role as typed in the staff form: the role code and the scope fields it needs.
#[derive(Clone, Debug, Default)]
pub struct GrantInput {
    pub role: String,
    pub school_code: Option<String>,
    pub commune: Option<String>,
    pub levels: Vec<SchoolLevel>,
}

/// Why a staff form was refused, as a code for the page's `?loi=` message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffProblem {
    BadUsername,
    UsernameTaken,
    BadName,
    BadRole,
    UnknownSchool,
    UnknownCommune,
    DuplicateGrant,
    /// An administrator may not lock themselves out or withdraw their own administrator role.
    OwnAccount,
}

impl StaffProblem {
    /// The code in the page address.
    pub fn code(self) -> &'static str {
        match self {
            StaffProblem::BadUsername => "ten-dn",
            StaffProblem::UsernameTaken => "trung-ten-dn",
            StaffProblem::BadName => "ho-ten",
            StaffProblem::BadRole => "vai-tro",
            StaffProblem::UnknownSchool => "truong",
            StaffProblem::UnknownCommune => "xa",
            StaffProblem::DuplicateGrant => "trung-vai-tro",
            StaffProblem::OwnAccount => "chinh-minh",
        }
    }
}

/// The form problem behind an account error; database failures stay errors.
fn problem_of(error: AccountError) -> Result<StaffProblem, AppError> {
    match error {
        AccountError::UsernameTaken(_) => Ok(StaffProblem::UsernameTaken),
        AccountError::BadUsername(_) => Ok(StaffProblem::BadUsername),
        AccountError::UnknownSchool(_) => Ok(StaffProblem::UnknownSchool),
        AccountError::UnknownCommune(_) => Ok(StaffProblem::UnknownCommune),
        AccountError::App(e) => Err(e),
    }
}

/// Turns the form's role into a grant (pupil accounts are made by schools, not here).
async fn grant_of(
    db: &DatabaseConnection,
    input: &GrantInput,
) -> Result<Result<Grant, StaffProblem>, AppError> {
    let Some(role) = Role::from_code(&input.role).filter(|r| *r != Role::Pupil) else {
        return Ok(Err(StaffProblem::BadRole));
    };
    match grant_from_args(
        db,
        role,
        input.school_code.as_deref().map(str::trim),
        input.commune.as_deref().map(str::trim),
        &input.levels,
    )
    .await
    {
        Ok(grant) => Ok(Ok(grant)),
        Err(error) => problem_of(error).map(Err),
    }
}

/// Creates a staff account with one role; returns its id. The one-time password is shown on the
/// account's page until its owner sets their own.
pub async fn create_staff(
    db: &DatabaseConnection,
    actor: &Actor,
    username: &str,
    full_name: &str,
    input: &GrantInput,
) -> Result<Result<i32, StaffProblem>, AppError> {
    let full_name = crate::domain::text::clean_name(full_name);
    if full_name.chars().count() < 2 || full_name.chars().count() > 80 {
        return Ok(Err(StaffProblem::BadName));
    }
    let grant = match grant_of(db, input).await? {
        Ok(grant) => grant,
        Err(problem) => return Ok(Err(problem)),
    };
    let spec = AccountSpec {
        username: username.to_owned(),
        full_name,
        grants: vec![grant],
    };
    let username = auth::normalise_username(&spec.username);
    if let Err(error) = create_account(db, spec, actor).await {
        return problem_of(error).map(Err);
    }
    let id = account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(db)
        .await?
        .ok_or(AppError::Internal)?
        .id;
    Ok(Ok(id))
}

/// Adds a role to a staff account.
pub async fn add_grant(
    db: &DatabaseConnection,
    actor: &Actor,
    account_id: i32,
    input: &GrantInput,
) -> Result<Result<(), StaffProblem>, AppError> {
    let account = staff_account(db, account_id).await?;
    let grant = match grant_of(db, input).await? {
        Ok(grant) => grant,
        Err(problem) => return Ok(Err(problem)),
    };
    if auth::grants_of(db, account_id).await?.contains(&grant) {
        return Ok(Err(StaffProblem::DuplicateGrant));
    }
    let txn = crate::platform::db::begin_write(db).await?;
    auth::insert_grant(&txn, account_id, &grant).await?;
    audit(
        &txn,
        actor,
        "account.grant",
        &account.username,
        serde_json::json!({
            "role": grant.role.code(),
            "school": grant.school_id,
            "commune": grant.commune_id,
            "levels": crate::codes::SchoolLevel::join(&grant.levels),
        }),
    )
    .await?;
    txn.commit().await?;
    crate::accounts::identity::forget_account(account_id);
    Ok(Ok(()))
}

/// Withdraws one role. Takes effect at the person's next request (roles are read per request).
pub async fn revoke_grant(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    account_id: i32,
    grant_id: i32,
) -> Result<Result<(), StaffProblem>, AppError> {
    let account = staff_account(db, account_id).await?;
    let grant = role_grant::Entity::find_by_id(grant_id)
        .filter(role_grant::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if account_id == caller.account_id && grant.role == Role::Admin.code() {
        return Ok(Err(StaffProblem::OwnAccount));
    }
    let txn = crate::platform::db::begin_write(db).await?;
    role_grant::Entity::delete_by_id(grant_id)
        .exec(&txn)
        .await?;
    audit(
        &txn,
        actor,
        "account.revoke",
        &account.username,
        serde_json::json!({
            "role": grant.role,
            "school": grant.school_id,
            "commune": grant.commune_id,
            "levels": grant.levels,
        }),
    )
    .await?;
    txn.commit().await?;
    crate::accounts::identity::forget_account(account_id);
    Ok(Ok(()))
}

/// Locks (ending every session) or unlocks a staff account.
pub async fn set_disabled(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    account_id: i32,
    disabled: bool,
) -> Result<Result<(), StaffProblem>, AppError> {
    let account = staff_account(db, account_id).await?;
    if account_id == caller.account_id {
        return Ok(Err(StaffProblem::OwnAccount));
    }
    let txn = crate::platform::db::begin_write(db).await?;
    account::Entity::update_many()
        .col_expr(account::Column::Disabled, Expr::value(disabled))
        .filter(account::Column::Id.eq(account_id))
        .exec(&txn)
        .await?;
    if disabled {
        session::Entity::delete_many()
            .filter(session::Column::AccountId.eq(account_id))
            .exec(&txn)
            .await?;
    }
    audit(
        &txn,
        actor,
        if disabled {
            "account.disable"
        } else {
            "account.enable"
        },
        &account.username,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    crate::accounts::identity::forget_account(account_id);
    Ok(Ok(()))
}

/// Gives a staff account a new one-time password (shown on its page until used) and ends its
/// sessions.
pub async fn reset_staff_password(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    account_id: i32,
) -> Result<Result<(), StaffProblem>, AppError> {
    let account = staff_account(db, account_id).await?;
    if account_id == caller.account_id {
        return Ok(Err(StaffProblem::OwnAccount));
    }
    let password = auth::OneTimePassword::new().await?;
    let txn = crate::platform::db::begin_write(db).await?;
    password.store(&txn, account_id).await?;
    audit(
        &txn,
        actor,
        "account.reset_password",
        &account.username,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    crate::accounts::identity::forget_account(account_id);
    Ok(Ok(()))
}

/// Names of the current communes, for the role form.
pub async fn commune_names(db: &DatabaseConnection) -> Result<Vec<String>, AppError> {
    Ok(commune::Entity::find()
        .order_by_asc(commune::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect())
}
