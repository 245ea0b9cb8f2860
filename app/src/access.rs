//! The one access policy: what a caller's roles let them do, checked here on the server for every
//! server function, page and route.
//!
//! - Roles: [`Caller::has`] and the predicates below (who runs contests, who oversees coverage,
//!   who manages a class); server functions start with [`require_admin`], [`require_committee`] or
//!   [`require_department`], plain routes call the same predicates.
//! - Schools: which schools a caller may read, answered both for one school
//!   ([`may_read_school`], [`readable_school`]) and as the SQL condition for listing them
//!   ([`readable_schools`]), from the same rules, so the two cannot disagree:
//!
//! - administrators: every school;
//! - principals and teachers: their own school;
//! - commune officials: the schools of their xã/phường;
//! - department officials: the schools serving one of their levels — every level when the grant
//!   names none;
//! - pupils and the organising committee: none.

use crate::accounts::auth::{Caller, Grant, SchoolScope};
use crate::codes::{Role, SchoolLevel};
use crate::entities::{school, school_class};
use crate::error::AppError;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection};

impl Caller {
    /// Whether the caller holds `role` anywhere.
    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Whether the caller may create classes and manage pupils at a school.
    pub fn can_manage_school(&self, school_id: i32) -> bool {
        self.grants.iter().any(|g| {
            matches!(g.role, Role::Principal | Role::Teacher) && g.school_id == Some(school_id)
        })
    }

    /// Whether the caller may manage one class: its teacher, the school's principal, or a teacher
    /// of the school when the class has no teacher yet.
    pub fn can_manage_class(&self, class: &school_class::Model) -> bool {
        self.grants.iter().any(|g| {
            g.school_id == Some(class.school_id)
                && match g.role {
                    Role::Principal => true,
                    Role::Teacher => {
                        class.teacher_id.is_none() || class.teacher_id == Some(self.account_id)
                    }
                    _ => false,
                }
        })
    }

    /// Whether the caller is the principal of a school.
    pub fn is_principal_of(&self, school_id: i32) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == Role::Principal && g.school_id == Some(school_id))
    }

    /// Whether the caller may export a school's pupils' data and delete pupils: its principal
    /// or an administrator.
    pub fn can_handle_pupil_data(&self, school_id: i32) -> bool {
        self.is_principal_of(school_id) || self.has(Role::Admin)
    }

    /// Whether the caller runs contests: the organising committee or an administrator.
    pub fn may_run_contests(&self) -> bool {
        self.has(Role::Committee) || self.has(Role::Admin)
    }

    /// Whether the caller sets the coverage rule and decides on offline programs: a department
    /// official or an administrator.
    pub fn may_oversee_coverage(&self) -> bool {
        self.has(Role::Department) || self.has(Role::Admin)
    }
}

/// The signed-in caller if `allowed` says yes: "sign in first" (401) or 403 otherwise.
fn require(allowed: fn(&Caller) -> bool) -> Result<Caller, AppError> {
    let caller = crate::platform::request::require_caller()?;
    if allowed(&caller) {
        Ok(caller)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Administrators only.
pub fn require_admin() -> Result<Caller, AppError> {
    require(|c| c.has(Role::Admin))
}

/// The organising committee or an administrator.
pub fn require_committee() -> Result<Caller, AppError> {
    require(Caller::may_run_contests)
}

/// Department officials or administrators.
pub fn require_department() -> Result<Caller, AppError> {
    require(Caller::may_oversee_coverage)
}

/// A school the caller may read: not found (404) or forbidden (403) otherwise.
pub async fn readable_school(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
) -> Result<school::Model, AppError> {
    let school = crate::schools::service::school_by_id(db, id).await?;
    if may_read_school(caller, &SchoolScope::of(&school)) {
        Ok(school)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The levels a department grant oversees: its own, or every level when it names none.
pub fn department_levels(grant: &Grant) -> Vec<SchoolLevel> {
    if grant.levels.is_empty() {
        SchoolLevel::ALL.to_vec()
    } else {
        grant.levels.clone()
    }
}

/// Every level the caller oversees as a department official (the union of their grants).
pub fn caller_department_levels(caller: &Caller) -> Vec<SchoolLevel> {
    let mut levels: Vec<SchoolLevel> = Vec::new();
    for grant in caller.grants.iter().filter(|g| g.role == Role::Department) {
        for level in department_levels(grant) {
            if !levels.contains(&level) {
                levels.push(level);
            }
        }
    }
    levels
}

/// Whether one grant lets its holder read a school.
fn grant_reads(grant: &Grant, school: &SchoolScope) -> bool {
    match grant.role {
        Role::Admin => true,
        Role::Principal | Role::Teacher => grant.school_id == Some(school.id),
        Role::Commune => grant.commune_id == Some(school.commune_id),
        Role::Department => department_levels(grant)
            .iter()
            .any(|l| school.levels.contains(l)),
        Role::Pupil | Role::Committee => false,
    }
}

/// Whether the caller may read everything about a school.
pub fn may_read_school(caller: &Caller, school: &SchoolScope) -> bool {
    caller.grants.iter().any(|g| grant_reads(g, school))
}

/// `levels` (stored as `THCS,THPT`) contains exactly `level`: a comparison of whole codes, so `TH`
/// never matches `THCS` or `THPT`.
pub fn serves_level(level: SchoolLevel) -> SimpleExpr {
    Expr::cust("(',' || levels || ',')").like(format!("%,{},%", level.code()))
}

/// The condition on the `school` table for the schools the caller may read, or `None` when
/// they may read none.
pub fn readable_schools(caller: &Caller) -> Option<Condition> {
    let mut any = Condition::any();
    let mut some = false;
    for grant in &caller.grants {
        match grant.role {
            Role::Admin => return Some(Condition::all()),
            Role::Principal | Role::Teacher => {
                if let Some(id) = grant.school_id {
                    any = any.add(school::Column::Id.eq(id));
                    some = true;
                }
            }
            Role::Commune => {
                if let Some(id) = grant.commune_id {
                    any = any.add(school::Column::CommuneId.eq(id));
                    some = true;
                }
            }
            Role::Department => {
                for level in department_levels(grant) {
                    any = any.add(serves_level(level));
                }
                some = true;
            }
            Role::Pupil | Role::Committee => {}
        }
    }
    some.then_some(any)
}
