//! The one access policy for schools: which schools a caller may read, answered both for one
//! school ([`may_read_school`]) and as the SQL condition for listing them ([`readable_schools`]),
//! from the same rules, so the two cannot disagree.
//!
//! - administrators: every school;
//! - principals and teachers: their own school;
//! - commune officials: the schools of their xã/phường;
//! - department officials: the schools serving one of their levels — every level when the grant
//!   names none;
//! - pupils and the organising committee: none.

use crate::accounts::auth::{Caller, Grant, SchoolScope};
use crate::codes::{Role, SchoolLevel};
use crate::entities::school;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, Condition};

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
