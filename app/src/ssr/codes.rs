//! Codes stored in text columns, as types: each is parsed once where a row is read, and a value
//! that is not one of ours is a logged error, never a silent default.

use crate::error::AppError;
use crate::model::Track;

/// A code that did not parse: logged with where it came from.
fn corrupt(column: &str, value: &str) -> AppError {
    tracing::error!(column, value, "stored code is not one of ours");
    AppError::Internal
}

/// What an attempt is (`attempt.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptKind {
    /// Practice or a lesson's quiz: keys shown after submitting.
    Practice,
    /// A contest round: deadline, review by the round's setting.
    Contest,
}

impl AttemptKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            AttemptKind::Practice => "practice",
            AttemptKind::Contest => "contest",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Result<AttemptKind, AppError> {
        match code {
            "practice" => Ok(AttemptKind::Practice),
            "contest" => Ok(AttemptKind::Contest),
            other => Err(corrupt("attempt.kind", other)),
        }
    }
}

/// What an attempt draws from (`attempt.scope`): a topic, a track, or a contest round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttemptScope {
    Topic(String),
    Track(Track),
    Round(i32),
}

impl AttemptScope {
    /// The stored code: `topic:<slug>`, `track:<A|B>`, `round:<id>`.
    pub fn code(&self) -> String {
        match self {
            AttemptScope::Topic(slug) => format!("topic:{slug}"),
            AttemptScope::Track(track) => format!("track:{}", track.code()),
            AttemptScope::Round(id) => format!("round:{id}"),
        }
    }

    /// Reads a code; `None` when it is not one (for input from a request).
    pub fn from_code(code: &str) -> Option<AttemptScope> {
        match code.split_once(':')? {
            ("topic", slug) if !slug.is_empty() => Some(AttemptScope::Topic(slug.to_owned())),
            ("track", track) => Track::parse(track).map(AttemptScope::Track),
            ("round", id) => id.parse().ok().map(AttemptScope::Round),
            _ => None,
        }
    }

    /// Reads a stored code; a value that is not one is a logged error.
    pub fn parse(code: &str) -> Result<AttemptScope, AppError> {
        AttemptScope::from_code(code).ok_or_else(|| corrupt("attempt.scope", code))
    }
}

/// Where an offline program stands (`offline_program.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramStatus {
    /// Waiting for the department.
    Waiting,
    Approved,
    Rejected,
}

impl ProgramStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ProgramStatus::Waiting => "cho-duyet",
            ProgramStatus::Approved => "da-duyet",
            ProgramStatus::Rejected => "tu-choi",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Result<ProgramStatus, AppError> {
        match code {
            "cho-duyet" => Ok(ProgramStatus::Waiting),
            "da-duyet" => Ok(ProgramStatus::Approved),
            "tu-choi" => Ok(ProgramStatus::Rejected),
            other => Err(corrupt("offline_program.status", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_a_foreign_one_is_an_error() {
        for kind in [AttemptKind::Practice, AttemptKind::Contest] {
            assert_eq!(AttemptKind::parse(kind.code()), Ok(kind));
        }
        assert_eq!(AttemptKind::parse("Practice"), Err(AppError::Internal));
        for scope in [
            AttemptScope::Topic("otp".into()),
            AttemptScope::Track(Track::B),
            AttemptScope::Round(12),
        ] {
            assert_eq!(AttemptScope::parse(&scope.code()), Ok(scope));
        }
        for bad in ["", "round:x", "topic:", "track:C", "lesson:1"] {
            assert_eq!(AttemptScope::parse(bad), Err(AppError::Internal), "{bad}");
        }
        for status in [
            ProgramStatus::Waiting,
            ProgramStatus::Approved,
            ProgramStatus::Rejected,
        ] {
            assert_eq!(ProgramStatus::parse(status.code()), Ok(status));
        }
        assert_eq!(ProgramStatus::parse("duyet"), Err(AppError::Internal));
    }
}
