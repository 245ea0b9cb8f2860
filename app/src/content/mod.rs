//! Lessons and questions as data: loading and validating `content/`, copying it into the
//! database, reading the stored bank, and importing questions from a spreadsheet.

pub mod bank;
pub mod import;
pub mod load;
pub mod sync;
