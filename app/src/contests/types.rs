//! What the browser receives about contests: rounds, standings, leaderboards, certificates and
//! item analysis.

use serde::{Deserialize, Serialize};

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
    /// The pupil's submitted attempts in this round, oldest first (to see their results).
    pub submitted_attempts: Vec<String>,
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
    /// Points in hundredths, out of `total` × 100.
    pub points: u32,
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
    /// Points in hundredths, out of `total` × 100.
    pub points: u32,
    pub total: u32,
}

/// A school or a commune on the leaderboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaStanding {
    pub name: String,
    pub participants: u64,
    pub enrolment: u64,
    /// Participants ÷ enrolment in tenths of a percent (rounded half up); `None` without
    /// enrolment figures.
    pub rate_permille: Option<u32>,
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
    /// Points in hundredths, out of `total` × 100.
    pub points: u32,
    pub total: u32,
    pub rank: u32,
    pub issued: String,
    pub owner: bool,
    /// Where anyone checks the certificate (`<public address>/chung-nhan/<code>`); only the path
    /// when no public address is configured.
    pub verify_url: String,
    /// A QR code of `verify_url` as SVG, made on the server; `None` without a public address
    /// (a QR code of a bare path would lead nowhere).
    pub qr_svg: Option<String>,
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
