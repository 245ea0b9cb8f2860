//! Lessons and practice: the catalogue, a lesson, practice quizzes (by topic or track) and a
//! learner's progress. Attempts themselves (items, submitting) are `crate::attempt`.

pub mod api;
pub mod lessons;
pub mod progress;
pub mod quiz;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
