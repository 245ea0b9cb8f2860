//! Pure domain logic: no I/O, no framework types.

pub mod assignment;
pub mod contest;
pub mod coverage;
pub mod cues;
pub mod item_analysis;
pub mod quiz;
pub mod ranking;
pub mod signs;
pub mod text;
// `chrono` is only a dependency with the `ssr` feature (the whole of `domain` is ssr-only today,
// but this keeps it so if `domain` is ever compiled for the browser too).
#[cfg(feature = "ssr")]
pub mod school_year;
