//! The classroom: teachers' own quizzes built from the bank (quizzes, quiz_pages), work a teacher
//! sets for classes (assignments: a lesson with its topic quiz, a topic's practice or a teacher's
//! quiz), what pupils see of it, and the teacher's report of who has done it and which questions
//! the class got wrong.

pub mod api;
pub mod pages;
pub mod quiz_pages;
#[cfg(feature = "ssr")]
pub mod quizzes;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
