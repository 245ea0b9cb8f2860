//! The integration suite: one test binary (linking the whole app once, not once per file), one
//! module per area, the helpers in `khien_so_tests` (`tests/src/lib.rs`). Every test starts the
//! real server on a fresh database — SQLite, or PostgreSQL with `KHIEN_SO_TEST_DB=postgres`.
//!
//! Run one area with `cargo test -p khien-so-tests --test suite security::`.

mod access;
mod browser;
mod classroom;
mod contests;
mod coverage;
mod http;
mod people;
mod security;
