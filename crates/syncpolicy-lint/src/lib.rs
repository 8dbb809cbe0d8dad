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
pub mod incremental;
mod known;
mod locate;
pub mod registry;
mod rules;

use syncpolicy_model::config::Configuration;
use syncpolicy_model::diagnostic::Diagnostic;

pub use incremental::{check_since, same_for_check};
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
///
/// The rules that need the file (the digest check, which writes and hashes the whole
/// configuration: the longest single check) run on their own thread, beside the other rules
/// and the placing of their findings, which is one scan of the text; the two sets are then
/// merged in the order a single run gives (by place, then registry order).
pub fn check_file(config: &Configuration, text: &str, file: &str) -> Vec<Diagnostic> {
    let placed = |groups: Vec<(usize, Vec<context::Finding>)>| {
        let rule_of: Vec<usize> = groups
            .iter()
            .flat_map(|(i, f)| std::iter::repeat_n(*i, f.len()))
            .collect();
        let findings = groups.into_iter().flat_map(|(_, f)| f).collect();
        rule_of
            .into_iter()
            .zip(locate::place_in_order(findings, text, file))
            .collect::<Vec<_>>()
    };
    let small = config.rule_count() < 500;
    let (mut all, file_only) = std::thread::scope(|s| {
        let file_only =
            (!small).then(|| s.spawn(|| placed(context::run_where(config, |r| r.file_only))));
        let others = placed(context::run_where(config, |r| small || !r.file_only));
        let file_only = match file_only {
            Some(h) => h
                .join()
                .unwrap_or_else(|_| placed(context::run_where(config, |r| r.file_only))),
            None => Vec::new(),
        };
        (others, file_only)
    });
    all.extend(file_only);
    // Registry order first (stable: a rule's findings keep their order), then by place.
    all.sort_by_key(|(rule, _)| *rule);
    let mut out: Vec<Diagnostic> = all.into_iter().map(|(_, d)| d).collect();
    out.sort_by_key(|d| (d.location.line.unwrap_or(0), d.location.column.unwrap_or(0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use syncpolicy_samples::generate::{generate, GenerateOptions};

    /// The concurrent `check_file` gives exactly what one run of every rule, placed and sorted
    /// by place, gives: same findings, same order (ties in registry order).
    #[test]
    fn check_file_merges_in_the_order_of_a_single_run() {
        let mut config = generate(&GenerateOptions {
            forests: 4,
            custom_rules_per_forest: 200,
            ous_per_domain: 3,
            seed: 9,
        });
        let text = String::from_utf8(syncpolicy_json::write_settings(&config)).expect("UTF-8");
        let read = syncpolicy_json::read_settings_str(&text, "f.json").expect("reads");
        // An edit after writing: the digest check reports, at a place other findings share.
        config = read;
        config.policy_metadata.author = Some("edited".to_owned());
        assert!(config.rule_count() >= 500);
        let mut expected = locate::place_in_order(context::run(&config, true), &text, "f.json");
        expected.sort_by_key(|d| (d.location.line.unwrap_or(0), d.location.column.unwrap_or(0)));
        let got = check_file(&config, &text, "f.json");
        assert!(
            got.iter().any(|d| d.code == "SP070"),
            "the digest finding is there"
        );
        assert_eq!(got, expected);
    }
}
