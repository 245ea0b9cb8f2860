//! Every code the platform stores or shows, as a type. Tracks, levels and roles travel to the
//! browser too; the codes only the server reads (attempt kinds and scopes, program statuses) are
//! parsed once where a row is read, and a value that is not one of ours is a logged error, never a
//! silent default.

#[cfg(feature = "ssr")]
use crate::error::AppError;
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

    /// The levels lessons and questions are written for (and the provincial targets count).
    pub const CONTENT: [SchoolLevel; 2] = [SchoolLevel::Thcs, SchoolLevel::Thpt];

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<SchoolLevel> {
        SchoolLevel::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Parses "THCS" or "THPT", the levels content is written for; `None` for any other.
    pub fn content_level(code: &str) -> Option<SchoolLevel> {
        SchoolLevel::from_code(code).filter(|l| SchoolLevel::CONTENT.contains(l))
    }

    /// Levels as stored in a text column: codes joined by commas ("THCS,THPT").
    pub fn join(levels: &[SchoolLevel]) -> String {
        levels
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Levels stored by [`SchoolLevel::join`]. A code that is not one of ours is logged and
    /// left out.
    #[cfg(feature = "ssr")]
    pub fn parse_stored(text: &str) -> Vec<SchoolLevel> {
        text.split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .filter_map(|c| {
                let level = SchoolLevel::from_code(c);
                if level.is_none() {
                    tracing::error!(value = c, "stored school level is not one of ours");
                }
                level
            })
            .collect()
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

    /// The level's name in English (the codes stay: they are the names schools use).
    pub fn label_en(self) -> &'static str {
        match self {
            SchoolLevel::TieuHoc => "Primary",
            SchoolLevel::Thcs => "THCS (lower secondary)",
            SchoolLevel::Thpt => "THPT (upper secondary)",
            SchoolLevel::Gdtx => "GDTX (continuing education)",
            SchoolLevel::TrungCapCaoDang => "Vocational (intermediate, college)",
            SchoolLevel::DaiHoc => "University",
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

/// A code that did not parse: logged with where it came from.
#[cfg(feature = "ssr")]
pub fn corrupt(column: &str, value: &str) -> AppError {
    tracing::error!(column, value, "stored code is not one of ours");
    AppError::Internal
}

#[cfg(feature = "ssr")]
/// A JSON column as its type. A value that does not read is a logged error, never a silent
/// default: a corrupt key must not score every answer wrong.
pub fn stored_json<T: serde::de::DeserializeOwned>(
    column: &str,
    text: &str,
) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|e| {
        tracing::error!(column, value = text, error = %e, "stored JSON does not read");
        AppError::Internal
    })
}

/// What an attempt is (`attempt.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg(feature = "ssr")]
pub enum AttemptKind {
    /// Practice or a lesson's quiz: keys shown after submitting.
    Practice,
    /// A contest round: deadline, review by the round's setting.
    Contest,
}

#[cfg(feature = "ssr")]
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
#[cfg(feature = "ssr")]
pub enum AttemptScope {
    Topic(String),
    Track(Track),
    Round(i32),
    /// A teacher's quiz (`teacher_quiz`), taken as assigned work.
    Quiz(i32),
}

#[cfg(feature = "ssr")]
impl AttemptScope {
    /// The stored code: `topic:<slug>`, `track:<A|B>`, `round:<id>`, `quiz:<id>`.
    pub fn code(&self) -> String {
        match self {
            AttemptScope::Topic(slug) => format!("topic:{slug}"),
            AttemptScope::Track(track) => format!("track:{}", track.code()),
            AttemptScope::Round(id) => format!("round:{id}"),
            AttemptScope::Quiz(id) => format!("quiz:{id}"),
        }
    }

    /// Reads a code; `None` when it is not one (for input from a request).
    pub fn from_code(code: &str) -> Option<AttemptScope> {
        match code.split_once(':')? {
            ("topic", slug) if !slug.is_empty() => Some(AttemptScope::Topic(slug.to_owned())),
            ("track", track) => Track::parse(track).map(AttemptScope::Track),
            ("round", id) => id.parse().ok().map(AttemptScope::Round),
            ("quiz", id) => id.parse().ok().map(AttemptScope::Quiz),
            _ => None,
        }
    }

    /// Reads a stored code; a value that is not one is a logged error.
    pub fn parse(code: &str) -> Result<AttemptScope, AppError> {
        AttemptScope::from_code(code).ok_or_else(|| corrupt("attempt.scope", code))
    }
}

/// What an assignment asks of pupils (`assignment.work`): a lesson and its topic's quiz, or a
/// topic's practice quiz. Either way the pupil's attempt is a practice attempt on the topic.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg(feature = "ssr")]
pub enum AssignedWork {
    Lesson(String),
    Topic(String),
    /// A teacher's quiz (`teacher_quiz`).
    Quiz(i32),
}

#[cfg(feature = "ssr")]
impl AssignedWork {
    /// The stored code: `lesson:<slug>`, `topic:<slug>` or `quiz:<id>`.
    pub fn code(&self) -> String {
        match self {
            AssignedWork::Lesson(slug) => format!("lesson:{slug}"),
            AssignedWork::Topic(slug) => format!("topic:{slug}"),
            AssignedWork::Quiz(id) => format!("quiz:{id}"),
        }
    }

    /// Reads a code; `None` when it is not one (for input from a request).
    pub fn from_code(code: &str) -> Option<AssignedWork> {
        match code.split_once(':')? {
            ("lesson", slug) if !slug.is_empty() => Some(AssignedWork::Lesson(slug.to_owned())),
            ("topic", slug) if !slug.is_empty() => Some(AssignedWork::Topic(slug.to_owned())),
            ("quiz", id) => id.parse().ok().map(AssignedWork::Quiz),
            _ => None,
        }
    }

    /// Reads a stored code; a value that is not one is a logged error.
    pub fn parse(code: &str) -> Result<AssignedWork, AppError> {
        AssignedWork::from_code(code).ok_or_else(|| corrupt("assignment.work", code))
    }
}

/// Where an offline program stands (`offline_program.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg(feature = "ssr")]
pub enum ProgramStatus {
    /// Waiting for the department.
    Waiting,
    Approved,
    Rejected,
}

#[cfg(feature = "ssr")]
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
            AttemptScope::Quiz(7),
        ] {
            assert_eq!(AttemptScope::parse(&scope.code()), Ok(scope));
        }
        for bad in ["", "round:x", "topic:", "track:C", "lesson:1", "quiz:"] {
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
        for work in [
            AssignedWork::Lesson("mat-khau-manh".into()),
            AssignedWork::Topic("lua-dao".into()),
            AssignedWork::Quiz(3),
        ] {
            assert_eq!(AssignedWork::parse(&work.code()), Ok(work));
        }
        for bad in ["", "lesson:", "round:3", "topic", "quiz:x"] {
            assert_eq!(AssignedWork::parse(bad), Err(AppError::Internal), "{bad}");
        }
    }
}
