//! Participation and coverage (plan section II.1): recording who took part, the yearly rule,
//! dashboards for the department, communes and schools, offline programs and the annual report.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
