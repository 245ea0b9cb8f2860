//! Files people upload and download: reading CSV and XLSX (with our own bounded XLSX reader) and
//! writing CSV and XLSX tables.

pub mod export;
pub mod read;
pub mod xlsx;
