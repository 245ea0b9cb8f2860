//! What the browser receives about participation and coverage: dashboards, the annual report,
//! the year's rule and offline programs.

use crate::codes::*;
use serde::{Deserialize, Serialize};

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
    /// What it still lacks ("Cần thêm 37 học sinh", "Chưa có sĩ số…").
    pub lacks: Lacks,
    pub pending_programs: u32,
}

/// What a school still lacks in one track at one level, written in either language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lacks {
    /// Covered; `by_participation` is false when an approved in-person program covers it.
    Nothing { by_participation: bool },
    /// More pupils needed, with the in-person programs waiting for approval.
    Pupils { needed: u32, pending: u32 },
    /// No enrolment recorded for the year.
    NoEnrolment { pending: u32 },
}

impl Lacks {
    /// The words shown on pages and written in exports.
    pub fn text(self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::Locale::{En, Vi};
        let pending = |n: u32| match (n, locale) {
            (0, _) => String::new(),
            (n, Vi) => format!(" ({n} hoạt động trực tiếp đang chờ Sở duyệt)"),
            (n, En) => format!(" ({n} in-person programs awaiting the Department's approval)"),
        };
        match (self, locale) {
            (
                Lacks::Nothing {
                    by_participation: true,
                },
                Vi,
            ) => "Đã đạt".to_owned(),
            (
                Lacks::Nothing {
                    by_participation: true,
                },
                En,
            ) => "Reached".to_owned(),
            (Lacks::Nothing { .. }, Vi) => "Đã đạt (hoạt động trực tiếp được duyệt)".to_owned(),
            (Lacks::Nothing { .. }, En) => "Reached (approved in-person program)".to_owned(),
            (Lacks::Pupils { needed, pending: p }, Vi) => {
                format!("Cần thêm {needed} học sinh tham gia{}", pending(p))
            }
            (Lacks::Pupils { needed, pending: p }, En) => {
                format!("{needed} more pupils need to take part{}", pending(p))
            }
            (Lacks::NoEnrolment { pending: p }, Vi) => format!(
                "Chưa có sĩ số năm học này: cần nhập sĩ số hoặc có hoạt động trực tiếp được duyệt{}",
                pending(p)
            ),
            (Lacks::NoEnrolment { pending: p }, En) => format!(
                "No enrolment for this school year: enter it, or have an in-person program approved{}",
                pending(p)
            ),
        }
    }
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
    /// The plan or decision the year's report answers to; empty when none is recorded.
    pub basis: String,
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
    /// The commune's name, or empty for the whole province (pages write “Toàn tỉnh”).
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
    /// Uncovered rows (school × level × track) in all; the list is one page of them.
    pub uncovered_total: u32,
    /// Schools with at least one uncovered row.
    pub uncovered_schools: u32,
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
    pub lacks: Lacks,
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

/// Participants counted first by one kind of activity (`participation.via`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityParticipation {
    /// The stored code: "lesson", "assignment", "contest"…
    pub via: String,
    pub track_a: u32,
    pub track_b: u32,
}

impl ActivityParticipation {
    /// The activity as a school reads it.
    pub fn label(&self) -> &'static str {
        match self.via.as_str() {
            "lesson" => crate::tr("Tự học: bài kiểm tra chủ đề", "Self-study: topic quiz"),
            "assignment" => crate::tr("Bài được giao", "Assigned work"),
            "contest" => crate::tr("Vòng thi", "Contest round"),
            _ => crate::tr("Khác", "Other"),
        }
    }
}

/// Participants of one grade, the chosen year against the year before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeComparison {
    /// `None`: pupils who belonged to no class of the school when they took part (so every
    /// participant is counted once and the grades add up to the totals above them).
    pub grade: Option<i32>,
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
    /// The school's enrolment at the program's levels that school year; `None` when not known.
    pub enrolled: Option<u32>,
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
    /// Participants of the year by the activity that first counted them.
    pub activities: Vec<ActivityParticipation>,
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
