//! Integration tests of the validation rules: fixtures of every rule, the shipped samples,
//! corrupted samples, and the generated rule documentation.
#![allow(
    clippy::result_large_err,
    reason = "a read error is kept as the diagnostic the CLI would show"
)]

mod corrupt;
mod docs;
mod fixtures;
mod incremental;
mod samples;
mod support;
