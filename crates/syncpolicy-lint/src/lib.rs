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

pub mod accept;
mod context;
pub mod incremental;
mod known;
mod locate;
pub mod registry;
mod rules;
pub mod select;

use syncpolicy_model::config::Configuration;
use syncpolicy_model::diagnostic::Diagnostic;

pub use accept::Acceptances;
pub use incremental::{check_since, same_for_check};
pub use registry::{registry, Category, RuleInfo};
pub use syncpolicy_json::digest::SectionSpans;

/// Runs every rule that applies to a configuration and returns all findings, in rule order.
/// Locations carry JSON paths only (no file, line or column). The digest integrity check is
/// not part of it (see [`check_file`]).
pub fn check(config: &Configuration) -> Vec<Diagnostic> {
    context::run(config, false)
        .into_iter()
        .map(|f| f.into_diagnostic(|l| l))
        .collect()
}

/// Runs every rule on a configuration read from a settings file, including the digest
/// integrity check, and fills in `file`, `line` and `column` of every finding from the file's
/// decoded `text` (the text the configuration was read from). Findings are sorted by their
/// place in the file. Without the section spans of the read, the digest check writes the
/// sections again to hash them (see [`check_file_spans`]).
pub fn check_file(config: &Configuration, text: &str, file: &str) -> Vec<Diagnostic> {
    check_file_spans(config, text, &SectionSpans::default(), file)
}

/// [`check_file`] of a configuration that [`syncpolicy_json::read_settings_spans`] read from
/// `text` and whose digested sections it found at `spans`: the digest check hashes the
/// sections' own bytes first and writes them again only when those differ
/// ([`syncpolicy_json::digest::check_text`]), with the same findings either way.
///
/// Every rule runs in one pass spread over the cores (the costly ones first), then their
/// findings are placed in one scan of the text and sorted by place (ties in registry order).
pub fn check_file_spans(
    config: &Configuration,
    text: &str,
    spans: &SectionSpans,
    file: &str,
) -> Vec<Diagnostic> {
    check_file_unplaced(config, text, spans).place(text, file)
}

/// The first half of [`check_file_spans`]: every rule run, their findings not yet placed in
/// the file. The configuration is not needed for the second half ([`Unplaced::place`]), so a
/// caller that is done with it can free it first (the findings carry what they need).
pub fn check_file_unplaced(config: &Configuration, text: &str, spans: &SectionSpans) -> Unplaced {
    Unplaced {
        groups: context::run_where(config, Some((text, spans)), |_| true),
        anchors: spans.anchors().clone(),
    }
}

/// Findings of every rule of [`check_file_unplaced`], in registry order, before their places
/// in the file are known.
#[derive(Debug)]
pub struct Unplaced {
    groups: Vec<(usize, Vec<context::Finding>)>,
    /// Where the reader met the directories and rules in the text: a finding in a rule is
    /// placed by a scan of that rule only.
    anchors: syncpolicy_json::locate::Anchors,
}

impl Unplaced {
    /// How many findings there are.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|(_, g)| g.len()).sum()
    }

    /// True when no rule found anything.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fills in `file`, line and column of every finding from `text` (the text the
    /// configuration was read from) in one scan, and sorts them by place (ties in registry
    /// order): exactly what [`check_file_spans`] returns.
    pub fn place(self, text: &str, file: &str) -> Vec<Diagnostic> {
        let mut out = locate::place(self.groups, text, file, &self.anchors);
        // Stable: findings at one place keep registry order.
        out.sort_by_key(|d| (d.location.line.unwrap_or(0), d.location.column.unwrap_or(0)));
        out
    }
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
        let mut expected = locate::place_in_order(
            context::run_where(&config, None, |_| true)
                .into_iter()
                .flat_map(|(_, f)| f)
                .collect(),
            &text,
            "f.json",
        );
        expected.sort_by_key(|d| (d.location.line.unwrap_or(0), d.location.column.unwrap_or(0)));
        let got = check_file(&config, &text, "f.json");
        assert!(
            got.iter().any(|d| d.code == "SP070"),
            "the digest finding is there"
        );
        assert_eq!(got, expected);
    }

    /// With the reader's section spans (the quick digest check), the findings are exactly
    /// those of the check that writes the sections again: for the file as written and for
    /// hand edits of a rule, a top-level section, the digest record and the whitespace.
    #[test]
    fn findings_with_spans_are_those_without() {
        let config = generate(&GenerateOptions {
            forests: 3,
            custom_rules_per_forest: 200,
            ous_per_domain: 2,
            seed: 4,
        });
        let written = String::from_utf8(syncpolicy_json::write_settings(&config)).expect("UTF-8");
        let first_rule = written.find("\"name\": \"").expect("a name") + 9;
        let edits: Vec<(&str, String)> = vec![
            ("as written", written.clone()),
            (
                "a rule renamed",
                format!(
                    "{}Edited {}",
                    &written[..first_rule],
                    &written[first_rule..]
                ),
            ),
            (
                "a section's value changed",
                written.replacen("\"hostName\": \"", "\"hostName\": \"X", 1),
            ),
            (
                "the digest record changed",
                written.replacen("\"content\": \"", "\"content\": \"0", 1),
            ),
            ("re-indented", written.replace("\n  \"", "\n    \"")),
            ("CRLF line ends", written.replace('\n', "\r\n")),
        ];
        let mut differs = 0;
        for (what, text) in &edits {
            let (read, spans) =
                syncpolicy_json::read_settings_spans(text, "f.json").expect("reads");
            let quick = check_file_spans(&read, text, &spans, "f.json");
            let exact = check_file(&read, text, "f.json");
            assert_eq!(quick, exact, "{what}");
            differs += usize::from(quick.iter().any(|d| d.code == "SP070"));
        }
        assert!(
            differs >= 2,
            "the edits of content are reported ({differs})"
        );
    }
}
