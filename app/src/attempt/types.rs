//! What the browser receives about an attempt: a question (never with its key), which questions are
//! answered, and the result — the key only appears in `ResultView`, after submitting.

use serde::{Deserialize, Serialize};

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
    /// A "spot the warning signs" question: the message whose parts (the options, by display
    /// position) are selected in place. `None` for a choice question.
    #[serde(default)]
    pub layout: Option<MessageLayout>,
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
    /// Points in hundredths, out of `total` × 100 (`i18n::points_text` writes them).
    pub points: u32,
    pub total: u32,
    /// The practice to start again (`topic:<slug>` or `track:<A|B>`); `None` for a contest
    /// attempt, which is not repeated from its result.
    pub try_again: Option<String>,
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
    /// A "spot the warning signs" question: its message, parts by display position.
    #[serde(default)]
    pub layout: Option<MessageLayout>,
    /// Warning signs: why each part (by display position) is or is not suspicious; empty while
    /// the key is withheld and for choice questions.
    #[serde(default)]
    pub part_notes: Vec<String>,
    /// Points earned, in hundredths (a question is worth 100; warning signs earn part of it).
    #[serde(default)]
    pub points: u32,
}

/// Where the quiz goes after an answer is saved (used by the quiz island with JavaScript on).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum QuizStep {
    Question(QuestionPage),
    Review(AttemptOverview),
    Result(ResultView),
}

/// How a "spot the warning signs" message is shown: a text message, a chat, an e-mail or a web
/// page with its address bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frame {
    #[serde(rename = "sms")]
    Sms,
    #[serde(rename = "chat")]
    Chat,
    #[serde(rename = "email")]
    Email,
    #[serde(rename = "web")]
    Web,
}

impl Frame {
    /// The code written in content files.
    pub fn code(self) -> &'static str {
        match self {
            Frame::Sms => "sms",
            Frame::Chat => "chat",
            Frame::Email => "email",
            Frame::Web => "web",
        }
    }

    /// The frame written as `code` in a content file.
    pub fn from_code(code: &str) -> Option<Frame> {
        [Frame::Sms, Frame::Chat, Frame::Email, Frame::Web]
            .into_iter()
            .find(|f| f.code() == code)
    }
}

/// A piece of a message: plain text, or the selectable part with this index (an option of the
/// question, in its original order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Segment {
    Text(String),
    Part(usize),
}

/// A realistic message whose parts a pupil may mark as suspicious. It says which text is
/// selectable, never which part is suspicious: that is the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageLayout {
    pub frame: Frame,
    /// The sender's name (text, chat), address (e-mail) or the page's address (web).
    pub sender: Vec<Segment>,
    /// An e-mail's subject (empty otherwise).
    pub subject: Vec<Segment>,
    /// The message, one entry per paragraph (a chat: one per bubble).
    pub body: Vec<Vec<Segment>>,
}

impl MessageLayout {
    /// The same message with each part numbered by its display position (`order[display] =
    /// original`). The order is a permutation of the parts; a part outside it is left out.
    pub fn in_display_order(&self, order: &[usize]) -> MessageLayout {
        let remap = |segments: &[Segment]| -> Vec<Segment> {
            segments
                .iter()
                .map(|s| match s {
                    Segment::Part(original) => order
                        .iter()
                        .position(|o| o == original)
                        .map(Segment::Part)
                        .unwrap_or_else(|| Segment::Text(String::new())),
                    text => text.clone(),
                })
                .collect()
        };
        MessageLayout {
            frame: self.frame,
            sender: remap(&self.sender),
            subject: remap(&self.subject),
            body: self.body.iter().map(|p| remap(p)).collect(),
        }
    }
}
