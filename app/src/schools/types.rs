//! What the browser receives about schools, classes, pupils, imports and the audit log.

use serde::{Deserialize, Serialize};

/// A school as its staff and overseers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolView {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub levels: String,
    pub ownership: String,
    pub commune: String,
    pub former_district: Option<String>,
    pub overseeing_body: String,
    /// "Đã sáp nhập vào … từ …" or "Ngừng hoạt động từ …".
    pub status_note: Option<String>,
    pub school_year: String,
    /// (level label, enrolled pupils) for the school year.
    pub enrolment: Vec<(String, i32)>,
    pub classes: Vec<ClassRow>,
    /// Whether the caller may create classes and import rosters here.
    pub can_manage: bool,
    /// Whether the caller may export the pupils' data (principal, administrator).
    pub can_export: bool,
}

/// A class in a school's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRow {
    pub id: i32,
    pub name: String,
    pub grade: i32,
    pub pupils: u64,
    /// Whether the caller may open the class (its pupils' names).
    pub can_open: bool,
}

/// A class with its pupils, for the teacher in charge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassView {
    pub id: i32,
    pub name: String,
    pub grade: i32,
    pub school_id: i32,
    pub school_name: String,
    pub school_year: String,
    pub join_code: Option<String>,
    pub pupils: Vec<PupilRow>,
    /// Other classes of the school this year, for moving a pupil.
    pub other_classes: Vec<(i32, String)>,
    /// Whether the caller may delete pupils' accounts (principal, administrator).
    pub can_delete: bool,
}

/// One pupil of a class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilRow {
    pub account_id: i32,
    pub full_name: String,
    pub username: String,
    pub birth_year: Option<i32>,
    /// Has chosen their own password.
    pub activated: bool,
    /// "roster", "join-code" or "move".
    pub via: String,
}

/// One login slip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slip {
    pub full_name: String,
    pub class_name: String,
    pub username: String,
    pub password: String,
}

/// Slips of a class, to print.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlipsView {
    pub class_id: i32,
    pub class_name: String,
    pub school_name: String,
    pub slips: Vec<Slip>,
    /// Where to sign in, as typed into a phone: "khienso.example.vn/dang-nhap".
    pub sign_in_address: String,
    /// Pupils who already chose a password (no slip).
    pub activated: usize,
}

/// The stored outcome of an upload, shown after the redirect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReportView {
    pub kind: String,
    pub file_name: String,
    pub created_at: String,
    pub ok: bool,
    /// Each error already phrased as "dòng 4, cột “khối”: …".
    pub errors: Vec<String>,
    /// Lines of the summary when it worked.
    pub summary: Vec<String>,
    /// (label, href) links to go on with.
    pub links: Vec<(String, String)>,
}

/// A school in the directory list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolListRow {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub levels: String,
    pub commune: String,
    pub active: bool,
}

/// A page of the directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolList {
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub rows: Vec<SchoolListRow>,
    /// Whether the caller may import the directory (administrators).
    pub can_import: bool,
}

/// Every action the audit log records, with how it reads (the filter lists them in this order).
pub const AUDIT_ACTIONS: &[(&str, &str)] = &[
    ("account.create", "Tạo tài khoản"),
    ("account.grant", "Cấp vai trò"),
    ("account.revoke", "Thu hồi vai trò"),
    ("account.reset_password", "Cấp lại mật khẩu (cán bộ)"),
    ("account.disable", "Khóa tài khoản"),
    ("account.enable", "Mở khóa tài khoản"),
    ("assignment.create", "Giao bài cho lớp"),
    ("assignment.export", "Tải kết quả bài được giao"),
    ("assignment.withdraw", "Thu hồi bài được giao"),
    ("bao-cao.quy-tac", "Lưu quy tắc tính kết quả"),
    ("chuong-trinh.gui", "Gửi hoạt động trực tiếp"),
    ("chuong-trinh.duyet", "Duyệt hoạt động trực tiếp"),
    ("chuong-trinh.tu-choi", "Từ chối hoạt động trực tiếp"),
    ("class.create", "Tạo lớp"),
    ("class.join_code.new", "Tạo mã vào lớp"),
    ("class.join_code.off", "Tắt mã vào lớp"),
    ("contest.create", "Tạo cuộc thi"),
    ("contest.round.create", "Thêm vòng thi"),
    ("contest.round.publish", "Công bố kết quả vòng thi"),
    ("demo.seed", "Tạo dữ liệu mẫu"),
    ("directory.import", "Nhập danh mục trường"),
    ("pupil.delete", "Xóa tài khoản học sinh"),
    ("quiz.create", "Tạo đề kiểm tra"),
    ("quiz.edit", "Sửa đề kiểm tra"),
    ("pupil.join", "Học sinh vào lớp bằng mã"),
    ("pupil.move", "Chuyển lớp học sinh"),
    ("pupil.remove_from_class", "Đưa học sinh khỏi lớp"),
    ("pupil.reset_password", "Cấp lại mật khẩu học sinh"),
    ("roster.import", "Nhập danh sách lớp"),
    ("school.export_pupils", "Xuất dữ liệu học sinh"),
];

/// A page of the audit log, after the filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPageView {
    pub page: u64,
    pub has_next: bool,
    pub rows: Vec<AuditRow>,
}

/// One line of the audit log, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub ip: String,
}
