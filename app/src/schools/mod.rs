//! Schools, classes and pupils: the school directory, class lists and their accounts, login
//! slips, join codes, the audit log and the synthetic demo province.

#[cfg(feature = "ssr")]
pub mod classes;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod directory;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod people;
#[cfg(feature = "ssr")]
pub mod roster;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
