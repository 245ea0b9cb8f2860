//! View types shared by the server and the browser. None of them carries an answer key:
//! `QuestionPage` is what a pupil sees before submitting; the key only appears in `ResultView`.

use serde::{Deserialize, Serialize};

/// The two things the province measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Track {
    /// Online risks and safe-interaction skills.
    A,
    /// Critical reading and misinformation.
    B,
}

impl Track {
    /// The letter used in content files and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Track::A => "A",
            Track::B => "B",
        }
    }

    /// Parses "A" or "B".
    pub fn parse(code: &str) -> Option<Track> {
        match code {
            "A" => Some(Track::A),
            "B" => Some(Track::B),
            _ => None,
        }
    }
}

/// School levels served by the platform's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    /// Lower secondary (grades 6–9).
    #[serde(rename = "THCS")]
    Thcs,
    /// Upper secondary (grades 10–12).
    #[serde(rename = "THPT")]
    Thpt,
}

impl Level {
    /// The abbreviation used in content files and shown to users.
    pub fn code(self) -> &'static str {
        match self {
            Level::Thcs => "THCS",
            Level::Thpt => "THPT",
        }
    }

    /// Parses "THCS" or "THPT".
    pub fn parse(code: &str) -> Option<Level> {
        match code {
            "THCS" => Some(Level::Thcs),
            "THPT" => Some(Level::Thpt),
            _ => None,
        }
    }
}

/// The levels a school in the directory may serve. A liên cấp school serves several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SchoolLevel {
    /// Primary (tiểu học, grades 1–5); only matters for liên cấp schools.
    #[serde(rename = "TH")]
    TieuHoc,
    /// Lower secondary (grades 6–9).
    #[serde(rename = "THCS")]
    Thcs,
    /// Upper secondary (grades 10–12).
    #[serde(rename = "THPT")]
    Thpt,
    /// Continuing education centres (giáo dục thường xuyên).
    #[serde(rename = "GDTX")]
    Gdtx,
    /// Vocational: trung cấp and cao đẳng.
    #[serde(rename = "TCCD")]
    TrungCapCaoDang,
    /// University (đại học).
    #[serde(rename = "DH")]
    DaiHoc,
}

impl SchoolLevel {
    /// Every level, in display order.
    pub const ALL: [SchoolLevel; 6] = [
        SchoolLevel::TieuHoc,
        SchoolLevel::Thcs,
        SchoolLevel::Thpt,
        SchoolLevel::Gdtx,
        SchoolLevel::TrungCapCaoDang,
        SchoolLevel::DaiHoc,
    ];

    /// The code stored in the database: TH, THCS, THPT, GDTX, TCCD, DH.
    pub fn code(self) -> &'static str {
        match self {
            SchoolLevel::TieuHoc => "TH",
            SchoolLevel::Thcs => "THCS",
            SchoolLevel::Thpt => "THPT",
            SchoolLevel::Gdtx => "GDTX",
            SchoolLevel::TrungCapCaoDang => "TCCD",
            SchoolLevel::DaiHoc => "DH",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<SchoolLevel> {
        SchoolLevel::ALL.into_iter().find(|l| l.code() == code)
    }

    /// How the level is written for people: “THCS”, “Trung cấp/Cao đẳng”…
    pub fn label(self) -> &'static str {
        match self {
            SchoolLevel::TieuHoc => "Tiểu học",
            SchoolLevel::Thcs => "THCS",
            SchoolLevel::Thpt => "THPT",
            SchoolLevel::Gdtx => "GDTX",
            SchoolLevel::TrungCapCaoDang => "Trung cấp/Cao đẳng",
            SchoolLevel::DaiHoc => "Đại học",
        }
    }

    /// The grades taught at this level, for general-education levels.
    pub fn grades(self) -> Option<std::ops::RangeInclusive<u8>> {
        match self {
            SchoolLevel::TieuHoc => Some(1..=5),
            SchoolLevel::Thcs => Some(6..=9),
            SchoolLevel::Thpt | SchoolLevel::Gdtx => Some(10..=12),
            SchoolLevel::TrungCapCaoDang | SchoolLevel::DaiHoc => None,
        }
    }
}

/// A topic with its lessons, for the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicView {
    pub slug: String,
    pub track: Track,
    pub title: String,
    pub title_en: String,
    pub question_count: u32,
    pub lessons: Vec<LessonSummary>,
}

/// A lesson as listed in the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub levels: Vec<Level>,
    pub minutes: u32,
}

/// A source cited by a lesson.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    pub title: String,
    pub url: Option<String>,
}

/// A whole lesson; `body_html` was rendered from Markdown and sanitised on the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonView {
    pub slug: String,
    pub title: String,
    pub track: Track,
    pub topic: String,
    pub topic_title: String,
    pub levels: Vec<Level>,
    pub minutes: u32,
    pub body_html: String,
    pub sources: Vec<SourceRef>,
}

/// One question of an attempt as a pupil sees it before submitting: no key, no explanation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionPage {
    pub attempt_id: String,
    pub scope_title: String,
    pub position: u32,
    pub total: u32,
    pub answered: u32,
    pub stem: String,
    /// Options in the order frozen for this attempt.
    pub options: Vec<String>,
    /// Whether more than one option may be chosen.
    pub multiple: bool,
    /// Display positions already chosen, if the question was answered.
    pub chosen: Vec<u32>,
    pub submitted: bool,
    /// Contest attempts: seconds left before the server's deadline.
    #[serde(default)]
    pub seconds_left: Option<i64>,
}

/// The state of an attempt before it is submitted: which questions have an answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptOverview {
    pub attempt_id: String,
    pub scope_title: String,
    pub answered: Vec<bool>,
    pub submitted: bool,
    /// Contest attempts: seconds left before the server's deadline.
    #[serde(default)]
    pub seconds_left: Option<i64>,
}

/// A submitted attempt with everything the pupil needs to learn from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultView {
    pub attempt_id: String,
    pub scope_title: String,
    pub score: u32,
    pub total: u32,
    pub practice_scope: String,
    pub items: Vec<ResultItem>,
    /// Contest rounds reviewed after closing: when the review opens (items are empty until then).
    #[serde(default)]
    pub review_after: Option<String>,
}

/// One question of a submitted attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultItem {
    pub position: u32,
    pub stem: String,
    pub options: Vec<String>,
    pub chosen: Vec<u32>,
    pub correct: Vec<u32>,
    pub is_correct: bool,
    pub explanation: String,
    pub source: String,
    /// The key is withheld (the question is in a contest round open now) until this time, in
    /// Vietnam time; `correct`, `is_correct` and the explanation are then empty.
    #[serde(default)]
    pub withheld_until: Option<String>,
}

/// A pupil's practice history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressView {
    pub attempts: Vec<AttemptRow>,
    pub tracks: Vec<TrackProgress>,
}

/// One attempt in the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptRow {
    pub attempt_id: String,
    pub scope_title: String,
    /// Start time in Vietnam time, e.g. "28/11/2026 19:05".
    pub started_at: String,
    pub submitted: bool,
    pub score: Option<u32>,
    pub total: u32,
}

/// Totals for one track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackProgress {
    pub track: Track,
    pub submitted_attempts: u32,
    pub correct_answers: u32,
    pub questions_answered: u32,
}

/// Where the quiz goes after an answer is saved (used by the quiz island with JavaScript on).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum QuizStep {
    Question(QuestionPage),
    Review(AttemptOverview),
    Result(ResultView),
}

/// What a person may do. One account may hold several grants, each with its own scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Học sinh: their own learning, in one school.
    Pupil,
    /// Giáo viên phụ trách: their classes in one school.
    Teacher,
    /// Hiệu trưởng: reads everything of one school.
    Principal,
    /// Xã/phường: reads the schools of one commune.
    Commune,
    /// Sở GD&ĐT: reads the province, for the levels it oversees.
    Department,
    /// Ban Tổ chức: contests and content.
    Committee,
    /// Quản trị: users and the school directory.
    Admin,
}

impl Role {
    /// Every role, in the order the interface lists them.
    pub const ALL: [Role; 7] = [
        Role::Pupil,
        Role::Teacher,
        Role::Principal,
        Role::Commune,
        Role::Department,
        Role::Committee,
        Role::Admin,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Pupil => "pupil",
            Role::Teacher => "teacher",
            Role::Principal => "principal",
            Role::Commune => "commune",
            Role::Department => "department",
            Role::Committee => "committee",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Vietnamese name of the role.
    pub fn label(self) -> &'static str {
        match self {
            Role::Pupil => "Học sinh",
            Role::Teacher => "Giáo viên phụ trách",
            Role::Principal => "Hiệu trưởng",
            Role::Commune => "Cán bộ xã/phường",
            Role::Department => "Cán bộ Sở GD&ĐT",
            Role::Committee => "Ban Tổ chức",
            Role::Admin => "Quản trị hệ thống",
        }
    }
}

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
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub ip: String,
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

/// A contest round as a pupil (or a visitor) sees it in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundCard {
    pub id: i32,
    pub contest_title: String,
    pub name: String,
    /// "sap-mo" | "dang-mo" | "da-dong".
    pub phase: String,
    pub phase_label: String,
    pub opens: String,
    pub closes: String,
    pub minutes: u32,
    pub questions: u32,
    pub attempts_allowed: u32,
    pub attempts_used: u32,
    /// The pupil's attempt still running in this round, to resume.
    pub open_attempt: Option<String>,
    /// Whether the signed-in pupil may enter (false for visitors and staff).
    pub eligible: bool,
    pub prediction_question: Option<String>,
}

/// `/cuoc-thi`: the rounds, and whether the visitor is a pupil who can enter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundsView {
    pub rounds: Vec<RoundCard>,
    pub is_pupil: bool,
    pub is_committee: bool,
}

/// A contest in the committee's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestSummary {
    pub id: i32,
    pub title: String,
    pub school_year: String,
    pub rounds: Vec<RoundAdminRow>,
}

/// A round as the committee sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundAdminRow {
    pub id: i32,
    pub name: String,
    pub phase_label: String,
    pub opens: String,
    pub closes: String,
    pub minutes: u32,
    pub attempts_allowed: u32,
    pub draw: String,
    pub entries: u64,
    pub submitted: u64,
}

/// `/cuoc-thi/quan-ly`: the contests and what the round form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestAdminView {
    pub contests: Vec<ContestSummary>,
    /// (slug, title) of the topics, for draw rules.
    pub topics: Vec<(String, String)>,
    pub bank_size: u32,
}

/// One pupil in the committee's results of a round (full name: the committee only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandingRow {
    pub rank: u32,
    pub prize: Option<String>,
    pub full_name: String,
    pub class_name: String,
    pub school: String,
    pub score: u32,
    pub total: u32,
    pub prediction: Option<i64>,
    pub time_used: String,
    pub submitted_at: String,
}

/// The committee's page of a round's results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundResultsView {
    pub round_id: i32,
    pub title: String,
    pub closed: bool,
    pub published_at: Option<String>,
    pub prediction_question: Option<String>,
    /// The real figure the prediction asks for (pupils with full marks).
    pub actual: u64,
    pub rows: Vec<StandingRow>,
}

/// A pupil on the public leaderboard: masked name, class and school.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilStanding {
    pub rank: u32,
    pub prize: Option<String>,
    /// "Nguyễn V. A · 8A · THCS Lê Lợi".
    pub who: String,
    pub score: u32,
    pub total: u32,
}

/// A school or a commune on the leaderboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaStanding {
    pub name: String,
    pub participants: u64,
    pub enrolment: u64,
    /// Participants ÷ enrolment × 100; `None` without enrolment figures.
    pub rate_percent: Option<f64>,
    pub mean_score: Option<f64>,
}

/// The public leaderboards of a published round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardView {
    pub round_id: i32,
    pub title: String,
    pub published_at: String,
    pub pupils: Vec<PupilStanding>,
    pub schools: Vec<AreaStanding>,
    pub communes: Vec<AreaStanding>,
}

/// A certificate (giấy chứng nhận). The full name only for its owner; others see it masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub code: String,
    pub name: String,
    pub class_name: String,
    pub school: String,
    pub contest: String,
    pub round: String,
    pub prize: Option<String>,
    pub score: u32,
    pub total: u32,
    pub rank: u32,
    pub issued: String,
    pub owner: bool,
}

/// One question in the committee's item analysis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRow {
    pub question_id: String,
    pub stem: String,
    pub shown: u32,
    /// "72%".
    pub facility: Option<String>,
    /// "0,35".
    pub discrimination: Option<String>,
    /// "A (đúng): 72%", "B: 10%", …, "bỏ trống: 3%".
    pub options: Vec<String>,
    pub flags: Vec<String>,
}

/// The item analysis of a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAnalysisView {
    pub round_id: i32,
    pub title: String,
    pub attempts: u32,
    pub rows: Vec<ItemRow>,
}

/// Covered schools out of all schools, for one level and track, against the year's target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageCell {
    pub level: SchoolLevel,
    pub track: Track,
    pub covered: u32,
    pub total: u32,
    /// Tenths of a percent.
    pub permille: u32,
    pub target_percent: u32,
    /// "Over" the target rather than "at least".
    pub target_strict: bool,
    pub meets: bool,
    /// Schools still to cover to meet the target.
    pub missing: u32,
}

/// The coverage of a group of schools (a xã/phường, a former district).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupCoverage {
    pub name: String,
    pub cells: Vec<CoverageCell>,
}

/// One school year on the trend chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearCoverage {
    pub school_year: i32,
    pub label: String,
    pub cells: Vec<CoverageCell>,
}

/// A school, at one level, not covered in one track: what it still lacks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UncoveredSchool {
    pub school_id: i32,
    pub code: String,
    pub name: String,
    pub commune: String,
    pub former_district: Option<String>,
    pub level: SchoolLevel,
    pub track: Track,
    pub participants: u32,
    pub enrolled: u32,
    pub rate_permille: Option<u32>,
    /// More pupils needed; `None` when the school has no enrolment recorded.
    pub needed: Option<u32>,
    /// "Cần thêm 37 học sinh", "Chưa có sĩ số…".
    pub lacks: String,
    pub pending_programs: u32,
}

/// Students reached at levels without a school target (universities, vocational schools).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReachRow {
    pub level: SchoolLevel,
    pub schools: u32,
    pub reached: u32,
    pub enrolled: u32,
    pub permille: Option<u32>,
}

/// The coverage rule of a school year, as the department set it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageRuleView {
    pub school_year: i32,
    pub label: String,
    /// ISO dates.
    pub starts_on: String,
    pub ends_on: String,
    pub threshold_percent: u32,
    pub pass_percent: u32,
    pub target_a_percent: u32,
    pub target_a_strict: bool,
    pub target_b_percent: u32,
    pub target_b_strict: bool,
    /// Whether the department saved it (otherwise the plan's defaults apply).
    pub saved: bool,
    /// The rule written out, printed on reports.
    pub text: String,
}

/// The department dashboard (or a commune's view of its schools) for one school year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageView {
    pub school_year: i32,
    pub label: String,
    /// "Toàn tỉnh" or the commune's name.
    pub scope: String,
    /// School years that can be chosen, newest first.
    pub years: Vec<i32>,
    pub rule: CoverageRuleView,
    /// The day the directory is read on (dd/mm/yyyy).
    pub reference_day: String,
    pub generated_at: String,
    pub summary: Vec<CoverageCell>,
    pub by_commune: Vec<GroupCoverage>,
    pub by_district: Vec<GroupCoverage>,
    pub trend: Vec<YearCoverage>,
    pub uncovered: Vec<UncoveredSchool>,
    /// Uncovered rows in all (the list is one page of them).
    pub uncovered_total: u32,
    pub page: u32,
    pub pages: u32,
    pub reach: Vec<ReachRow>,
    pub pending_programs: u32,
    pub can_edit_rule: bool,
    pub can_decide_programs: bool,
}

/// A school's standing in one track at one level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackStandingView {
    pub track: Track,
    pub participants: u32,
    pub enrolled: u32,
    pub rate_permille: Option<u32>,
    pub covered: bool,
    pub by_participation: bool,
    pub approved_programs: u32,
    pub pending_programs: u32,
    pub needed: Option<u32>,
    pub lacks: String,
    /// Participants the year before, at this level and track.
    pub last_year: u32,
}

/// A school at one level in a school year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolLevelCoverage {
    pub level: SchoolLevel,
    pub enrolled: u32,
    pub required: u32,
    /// Schools merged into this one whose pupils are included.
    pub merged: Vec<String>,
    pub tracks: Vec<TrackStandingView>,
}

/// Participants of one class, per track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassParticipation {
    pub class_id: i32,
    pub name: String,
    pub grade: i32,
    pub members: u32,
    pub track_a: u32,
    pub track_b: u32,
}

/// Participants of one grade, this year against last year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeComparison {
    pub grade: i32,
    pub this_a: u32,
    pub this_b: u32,
    pub last_a: u32,
    pub last_b: u32,
}

/// The pupils of a class who have not taken part in a track yet (school staff only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassNotYet {
    pub class_name: String,
    pub track: Track,
    pub names: Vec<String>,
}

/// An offline program a school logged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramRow {
    pub id: i32,
    pub school_id: i32,
    pub school_name: String,
    pub school_year: i32,
    pub track: Track,
    pub levels: Vec<SchoolLevel>,
    /// dd/mm/yyyy.
    pub held_on: String,
    pub title: String,
    pub participants: u32,
    pub evidence_url: Option<String>,
    pub evidence_file: Option<String>,
    /// "cho-duyet" | "da-duyet" | "tu-choi".
    pub status: String,
    pub reason: Option<String>,
    pub submitted_by: String,
    pub submitted_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

/// The school dashboard for one school year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SchoolCoverageView {
    pub school_id: i32,
    pub school_name: String,
    pub school_year: i32,
    pub label: String,
    pub years: Vec<i32>,
    pub rule: CoverageRuleView,
    pub generated_at: String,
    pub levels: Vec<SchoolLevelCoverage>,
    pub classes: Vec<ClassParticipation>,
    pub grades: Vec<GradeComparison>,
    /// `None` for readers who may not see pupils' names (department, commune).
    pub not_yet: Option<Vec<ClassNotYet>>,
    pub programs: Vec<ProgramRow>,
    pub can_log_programs: bool,
}

/// The department's queue of offline programs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramQueueView {
    pub school_year: i32,
    pub label: String,
    pub years: Vec<i32>,
    pub pending: Vec<ProgramRow>,
    pub decided: Vec<ProgramRow>,
}

/// How a school year is written: 2026 → “2026–2027”.
pub fn school_year_label(start: i32) -> String {
    format!("{start}–{}", start + 1)
}

/// "37,5%" from tenths of a percent (Vietnamese decimal comma).
pub fn percent_text(permille: u32) -> String {
    if permille.is_multiple_of(10) {
        format!("{}%", permille / 10)
    } else {
        format!("{},{}%", permille / 10, permille % 10)
    }
}
