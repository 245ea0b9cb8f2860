//! Pure domain logic: no I/O, no framework types.

pub mod quiz;
