//! Contests and their rounds: setting them up, sitting a round, standings, prizes, leaderboards,
//! certificates and item analysis.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod results;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
