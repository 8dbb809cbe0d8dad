//! Validation rules for configurations: everything `syncpolicy validate` reports.
//!
//! Two entry points, both pure (no I/O):
//!
//! - [`check`] runs every rule on a [`Configuration`] and returns all findings, each with the
//!   JSON path of the place it is about (no file, line or column).
//! - [`check_file`] does the same for a configuration read from a settings file, adds the
//!   file-only checks (the digest integrity check) and fills in file, line and column by
//!   locating every path in the file's text in one pass.
//!
//! Each rule lives in its own file under `rules/`, with its documentation as data; the one
//! table [`registry::registry`] lists them all, and `syncpolicy validate --explain CODE` and
//! `docs/rules.md` are produced from it.

mod context;
mod known;
mod locate;
pub mod registry;
mod rules;

use syncpolicy_model::config::Configuration;
use syncpolicy_model::diagnostic::Diagnostic;

pub use registry::{registry, Category, RuleInfo};

/// Runs every rule that applies to a configuration and returns all findings, in rule order.
/// Locations carry JSON paths only (no file, line or column). The digest integrity check is
/// not part of it (see [`check_file`]).
pub fn check(config: &Configuration) -> Vec<Diagnostic> {
    context::run(config, false)
        .into_iter()
        .map(|f| f.diagnostic)
        .collect()
}

/// Runs every rule on a configuration read from a settings file, including the digest
/// integrity check, and fills in `file`, `line` and `column` of every finding from the file's
/// decoded `text` (the text the configuration was read from). Findings are sorted by their
/// place in the file.
pub fn check_file(config: &Configuration, text: &str, file: &str) -> Vec<Diagnostic> {
    let findings = context::run(config, true);
    locate::place(findings, text, file)
}
