//! The classroom: work a teacher sets for classes (assignments: a lesson with its topic quiz, or
//! a topic's practice), what pupils see of it, and the teacher's report of who has done it and
//! which questions the class got wrong.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
