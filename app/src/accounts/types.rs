//! What the browser receives about accounts: the signed-in person and staff accounts.

use crate::codes::*;
use serde::{Deserialize, Serialize};

/// One grant as shown to its holder: the role and where it applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    pub role: Role,
    /// "THCS Lê Lợi", "Phường Hạc Thành", "THCS, THPT" or empty for province-wide roles.
    pub scope: String,
}

/// The signed-in person, as pages see them. No password material.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub full_name: String,
    pub grants: Vec<GrantView>,
    pub must_change_password: bool,
    /// The pupil's current class and school, e.g. "8A · THCS Mẫu 0001".
    pub class_label: Option<String>,
    /// (label, href) of the pages the person's roles open.
    pub links: Vec<(String, String)>,
    /// (code, what for) of the person's contest certificates.
    #[serde(default)]
    pub certificates: Vec<(String, String)>,
}

/// A page of staff accounts (administrators).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffList {
    pub rows: Vec<StaffRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// One staff account in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<GrantView>,
    pub disabled: bool,
    /// Still on a one-time password.
    pub waiting_first_login: bool,
    pub last_login: Option<String>,
}

/// One role of a staff account, with the id used to withdraw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffGrant {
    pub id: i32,
    pub role: Role,
    pub scope: String,
}

/// A staff account as its administrator sees it. The one-time password is there only until its
/// owner chooses their own (then it is erased from the database).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDetail {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    pub grants: Vec<StaffGrant>,
    pub disabled: bool,
    pub one_time_password: Option<String>,
    pub last_login: Option<String>,
    pub created: String,
    /// The administrator looking at their own account (no locking themselves out).
    pub is_self: bool,
}

/// The staff list page: a page of accounts and the communes for the role form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffListView {
    pub list: StaffList,
    pub communes: Vec<String>,
}

/// One staff account's page and the communes for the role form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccountView {
    pub account: StaffDetail,
    pub communes: Vec<String>,
}
