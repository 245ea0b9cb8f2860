//! What the browser receives for lessons, practice quizzes and progress. None of them carries an
//! answer key (attempts are `crate::attempt::types`).

use crate::codes::*;
use serde::{Deserialize, Serialize};

/// A topic with its lessons, for the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicView {
    pub slug: String,
    pub track: Track,
    pub title: String,
    pub title_en: String,
    pub question_count: u32,
    /// Of those, questions an open contest round holds back from practice now.
    pub held_back: HeldBack,
    pub lessons: Vec<LessonSummary>,
}

/// Questions an open contest round keeps out of practice, and when the last such round closes
/// (Vietnam time, e.g. "14/12/2026 19:05").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldBack {
    pub questions: u32,
    pub until: Option<String>,
}

/// A lesson as listed in the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub levels: Vec<SchoolLevel>,
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
    pub levels: Vec<SchoolLevel>,
    pub minutes: u32,
    pub body_html: String,
    pub sources: Vec<SourceRef>,
    /// The topic's questions, and those an open round holds back from practice now.
    pub question_count: u32,
    pub held_back: HeldBack,
}

/// A pupil's practice history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressView {
    pub attempts: Vec<AttemptRow>,
    pub tracks: Vec<TrackProgress>,
    /// Whether these are a signed-in pupil's attempts (every device), or only this browser's.
    pub signed_in: bool,
}

/// One attempt in the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptRow {
    pub attempt_id: String,
    pub scope_title: String,
    /// Start time in Vietnam time, e.g. "28/11/2026 19:05".
    pub started_at: String,
    pub submitted: bool,
    /// Points in hundredths, out of `total` × 100, once submitted.
    pub points: Option<u32>,
    pub total: u32,
}

/// Totals for one track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackProgress {
    pub track: Track,
    /// Submitted attempts (practice and contest rounds) with at least one question of the track.
    pub submitted_attempts: u32,
    /// Of the questions of the track in those attempts: how many were right, out of how many.
    pub correct_answers: u32,
    pub questions_answered: u32,
}
