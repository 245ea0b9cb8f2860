//! Accounts: signing in and out, passwords, sessions, login limits, roles, and staff accounts
//! managed by administrators.

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod identity;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod staff;
pub mod staff_pages;
pub mod types;
