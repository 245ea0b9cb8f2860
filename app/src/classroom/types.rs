//! What the browser receives of assignments. The report carries answer keys only for attempts
//! already submitted, and only to the class's teachers.

use serde::{Deserialize, Serialize};

/// A lesson or topic a teacher may set, grouped by topic for the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkGroup {
    /// The topic's title.
    pub label: String,
    /// (stored code, label): `lesson:<slug>` for each lesson, `topic:<slug>` for the practice.
    pub choices: Vec<(String, String)>,
}

/// A class the teacher may set work for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassChoice {
    pub id: i32,
    pub name: String,
    pub pupils: u64,
    pub checked: bool,
}

/// The new-assignment form of a school, opened from one of its classes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentForm {
    pub school_id: i32,
    pub school_name: String,
    pub from_class: i32,
    pub classes: Vec<ClassChoice>,
    pub groups: Vec<WorkGroup>,
    /// `datetime-local` defaults, Vietnam time: now and a week from now at 21:00.
    pub opens_at: String,
    pub due_at: String,
}

/// Where a pupil stands with an assignment (see `domain::assignment::Standing`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PupilStanding {
    NotOpenYet,
    ToDo,
    InProgress,
    Done,
    DoneLate,
}

impl PupilStanding {
    /// As shown to pupils and teachers.
    pub fn label(self) -> &'static str {
        match self {
            PupilStanding::NotOpenYet => crate::tr("Chưa mở", "Not open yet"),
            PupilStanding::ToDo => crate::tr("Chưa làm", "Not started"),
            PupilStanding::InProgress => crate::tr("Đang làm", "In progress"),
            PupilStanding::Done => crate::tr("Đã nộp", "Handed in"),
            PupilStanding::DoneLate => crate::tr("Nộp muộn", "Handed in late"),
        }
    }

    /// In Vietnamese, for exported files.
    pub fn label_vi(self) -> &'static str {
        match self {
            PupilStanding::NotOpenYet => "Chưa mở",
            PupilStanding::ToDo => "Chưa làm",
            PupilStanding::InProgress => "Đang làm",
            PupilStanding::Done => "Đã nộp",
            PupilStanding::DoneLate => "Nộp muộn",
        }
    }

    /// Whether the pupil has handed it in.
    pub fn is_done(self) -> bool {
        matches!(self, PupilStanding::Done | PupilStanding::DoneLate)
    }
}

/// An assignment as a pupil sees it ("Bài được giao").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedToMe {
    pub id: i32,
    pub title: String,
    /// The lesson to read first, when the work is a lesson.
    pub lesson_href: Option<String>,
    pub opens_at: String,
    pub due_at: String,
    pub overdue: bool,
    pub standing: PupilStanding,
    /// The best handed-in result, e.g. "8/10".
    pub best: Option<String>,
    /// The attempt to continue (in progress) or the best one's result page.
    pub attempt_href: Option<String>,
    pub note: String,
}

/// An assignment as listed on a class's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassAssignment {
    pub id: i32,
    pub title: String,
    pub opens_at: String,
    pub due_at: String,
    pub overdue: bool,
    pub done: u32,
    pub pupils: u32,
}

/// One answer in the pupil × question grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GridCell {
    Right,
    Wrong,
    /// Shown, left blank.
    Blank,
    /// Not among the questions drawn for this pupil.
    NotDrawn,
}

/// A pupil's row of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub account_id: i32,
    pub full_name: String,
    pub standing: PupilStanding,
    pub attempts: u32,
    /// The counted attempt's points, e.g. "7,5/10".
    pub points: Option<String>,
    pub submitted_at: Option<String>,
    /// One cell per question of [`AssignmentReport::questions`].
    pub cells: Vec<GridCell>,
}

/// A question's answers across the class, for "the questions most missed".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSummary {
    /// Column number in the grid (1-based).
    pub column: u32,
    pub stem: String,
    pub shown: u32,
    pub right: u32,
    /// Share right, in whole percent.
    pub percent_right: u32,
    /// (letter, option text, percent of those shown who chose it, whether it is a right one).
    /// Empty while an open contest round holds the question back.
    pub options: Vec<(String, String, u32, bool)>,
    pub blank_percent: u32,
    /// An open contest round uses the question: its key is not shown until the round closes.
    pub held_back: bool,
    /// A "spot the warning signs" question: its options are the message's parts, the right
    /// ones the suspicious parts.
    pub signs: bool,
}

/// The teacher's report of one assignment for one class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentReport {
    pub id: i32,
    pub title: String,
    pub lesson_href: Option<String>,
    pub note: String,
    pub opens_at: String,
    pub due_at: String,
    pub class_id: i32,
    pub class_name: String,
    pub school_id: i32,
    /// Every class it was set for (id, name), to switch between them.
    pub classes: Vec<(i32, String)>,
    pub done: u32,
    pub rows: Vec<ReportRow>,
    /// The grid's questions, by column.
    pub questions: Vec<QuestionSummary>,
    /// Column numbers of the questions most missed, worst first (at most five, only questions
    /// someone got wrong).
    pub most_missed: Vec<u32>,
    pub withdrawn: bool,
}

/// A teacher's quiz as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizSummary {
    pub id: i32,
    pub title: String,
    pub questions: u32,
    pub author: String,
    pub shared: bool,
    /// Assigned at least once: its questions are fixed.
    pub used: bool,
}

/// The quizzes of a school a teacher sees: their own, and those colleagues share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizList {
    pub school_id: i32,
    pub school_name: String,
    pub mine: Vec<QuizSummary>,
    pub shared: Vec<QuizSummary>,
}

/// A question of the bank or of a quiz, as a teacher sees it (with its key: staff only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankQuestion {
    pub revision_id: i32,
    pub question_id: String,
    pub topic: String,
    pub difficulty: i32,
    pub levels: String,
    pub stem: String,
    /// (letter, text, right) — the parts of a warning-signs message, the right ones suspicious.
    pub options: Vec<(String, String, bool)>,
    pub signs: bool,
}

/// The bank search on a quiz's page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BankFilter {
    pub track: String,
    pub topic: String,
    pub level: String,
    pub difficulty: String,
    pub text: String,
}

/// A teacher's quiz with its questions, and the bank search when its owner may still edit it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizView {
    pub id: i32,
    pub school_id: i32,
    pub title: String,
    pub author: String,
    pub shared: bool,
    pub used: bool,
    /// The caller wrote it and it was never assigned.
    pub editable: bool,
    /// The caller wrote it.
    pub mine: bool,
    pub questions: Vec<BankQuestion>,
    /// (slug, title) of every topic, for the filter.
    pub topics: Vec<(String, String)>,
    pub filter: BankFilter,
    /// Bank questions matching the filter and not in the quiz yet (at most 20).
    pub found: Vec<BankQuestion>,
    /// How many matched in all.
    pub found_total: u32,
    /// Questions an open contest round can draw are left out of the search.
    pub held_back: u32,
}
