//! Accepted findings: the findings an administrator accepted on purpose, recorded with a
//! reason in the settings file's extension part (`x-syncpolicy.acceptedFindings`), for the
//! whole file or for one synchronization rule. Accepted findings do not count for the exit
//! code; they are listed as accepted with their reason.

use std::collections::HashMap;
use syncpolicy_model::config::Configuration;
use syncpolicy_model::diagnostic::{Diagnostic, Severity};
use syncpolicy_model::extension::AcceptedFinding;

/// A finding that an entry of `acceptedFindings` accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub diagnostic: Diagnostic,
    /// The entry that accepts it (code, rule, reason, who and when).
    pub acceptance: AcceptedFinding,
}

/// Splits the findings of one configuration into those still reported and those its
/// `acceptedFindings` accept (both in their original order). An entry without `rule` accepts
/// every finding of its code; with `rule`, the findings whose place is inside a rule of that
/// name (ignoring case), in any directory.
pub fn split_accepted(
    config: &Configuration,
    diags: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Accepted>) {
    Acceptances::of(config).split(diags)
}

/// The errors among `findings` of `config` that its `acceptedFindings` do not accept: what
/// refuses an install, an apply or a deployment's change (exactly when `validate` of it would
/// fail for errors).
pub fn unaccepted_errors(config: &Configuration, findings: &[Diagnostic]) -> Vec<Diagnostic> {
    let errors: Vec<Diagnostic> = findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if errors.is_empty() {
        return errors;
    }
    split_accepted(config, errors).0
}

/// What [`split_accepted`] needs of a configuration, taken out of it: its `acceptedFindings`
/// entries and, indexed, the JSON paths of the rules each names. `validate` takes it before it
/// frees the configuration (before placing and printing the findings), then splits the placed
/// findings. Finding the entry that accepts a finding costs a few lookups, however many
/// entries and rules there are.
#[derive(Debug, Clone, Default)]
pub struct Acceptances {
    entries: Vec<AcceptedFinding>,
    /// Per entry: true when it names a rule that the configuration does not have.
    no_such_rule: Vec<bool>,
    /// The first file-wide entry of each code (upper-case).
    wide: HashMap<String, usize>,
    /// The first entry of each code that names each rule, by `CODE`, NUL, the rule's JSON path.
    scoped: HashMap<String, usize>,
}

impl Acceptances {
    /// The acceptances a configuration records.
    pub fn of(config: &Configuration) -> Self {
        let entries = config.extension.accepted_findings.clone();
        // The rules' JSON paths by name (trimmed, ASCII case ignored), when an entry names one.
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        if entries.iter().any(|e| e.rule.is_some()) {
            for (at, rule) in config.rules() {
                if let Some(name) = rule.name.as_deref() {
                    by_name
                        .entry(name.trim().to_ascii_lowercase())
                        .or_default()
                        .push(syncpolicy_json::paths::rule(at));
                }
            }
        }
        let mut no_such_rule = vec![false; entries.len()];
        let mut wide = HashMap::new();
        let mut scoped = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let code = e.code.trim().to_ascii_uppercase();
            match &e.rule {
                None => {
                    wide.entry(code).or_insert(i);
                }
                Some(name) => match by_name.get(&name.trim().to_ascii_lowercase()) {
                    None => no_such_rule[i] = true,
                    Some(paths) => {
                        for path in paths {
                            scoped.entry(scoped_key(&code, path)).or_insert(i);
                        }
                    }
                },
            }
        }
        Acceptances {
            entries,
            no_such_rule,
            wide,
            scoped,
        }
    }

    /// [`split_accepted`] with these acceptances.
    pub fn split(&self, diags: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Accepted>) {
        if self.entries.is_empty() {
            return (diags, Vec::new());
        }
        let mut kept = Vec::with_capacity(diags.len());
        let mut accepted = Vec::new();
        for d in diags {
            match self.accepting(&d.code, d.location.json_path.as_deref()) {
                Some(i) => accepted.push(Accepted {
                    diagnostic: d,
                    acceptance: self.entries[i].clone(),
                }),
                None => kept.push(d),
            }
        }
        (kept, accepted)
    }

    /// For each entry, in order: whether it accepts one of `findings` (their code and JSON
    /// path), and whether it names a rule the configuration does not have.
    pub fn used_by<'f>(
        &self,
        findings: impl Iterator<Item = (&'f str, Option<&'f str>)>,
    ) -> Vec<(bool, bool)> {
        let mut used = vec![false; self.entries.len()];
        for (code, path) in findings {
            if let Some(i) = self.accepting(code, path) {
                used[i] = true;
            }
        }
        used.into_iter()
            .zip(self.no_such_rule.iter().copied())
            .collect()
    }

    /// The first entry that accepts a finding of `code` at `path`: the first file-wide entry
    /// of the code, or the first that names a rule the path is inside of, whichever comes
    /// first in the file.
    fn accepting(&self, code: &str, path: Option<&str>) -> Option<usize> {
        let code = code.trim().to_ascii_uppercase();
        let mut first = self.wide.get(&code).copied();
        if let (Some(path), false) = (path, self.scoped.is_empty()) {
            // A rule's path ends with `]`; the path is inside it when it goes on with `.` or
            // `[`, or ends there.
            let bytes = path.as_bytes();
            for k in 1..=bytes.len() {
                if bytes[k - 1] == b']' && matches!(bytes.get(k), None | Some(b'.' | b'[')) {
                    if let Some(&i) = self.scoped.get(&scoped_key(&code, &path[..k])) {
                        first = Some(first.map_or(i, |f| f.min(i)));
                    }
                }
            }
        }
        first
    }
}

/// The key of [`Acceptances::scoped`].
fn scoped_key(code: &str, rule_path: &str) -> String {
    format!("{code}\0{rule_path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// True when `path` is `prefix` or a path below it (the meaning of "inside a rule").
    fn inside(path: &str, prefix: &str) -> bool {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
    }

    /// The first entry that accepts a finding, by reading every entry and every rule.
    fn accepting_by_scan(config: &Configuration, code: &str, path: Option<&str>) -> Option<usize> {
        config.extension.accepted_findings.iter().position(|e| {
            e.code.trim().eq_ignore_ascii_case(code)
                && match &e.rule {
                    None => true,
                    Some(wanted) => path.is_some_and(|p| {
                        config.rules().any(|(at, r)| {
                            r.name
                                .as_deref()
                                .is_some_and(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
                                && inside(p, &syncpolicy_json::paths::rule(at))
                        })
                    }),
                }
        })
    }

    #[test]
    fn the_index_finds_what_a_scan_of_every_entry_finds() {
        let plain = config_with(Vec::new());
        let names: Vec<String> = plain.rules().map(|(_, r)| r.name().to_owned()).collect();
        let paths: Vec<String> = plain
            .rules()
            .map(|(at, _)| syncpolicy_json::paths::rule(at))
            .collect();
        let mut entries = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let code = ["SP011", "sp046 ", "SP010"][i % 3];
            let spelt = if i % 2 == 0 {
                format!("  {}", name.to_uppercase())
            } else {
                name.clone()
            };
            entries.push(entry(code, Some(&spelt)));
        }
        entries.push(entry("SP010", None));
        entries.push(entry("SP011", Some("No Such Rule")));
        entries.push(entry("SP046", None));
        let config = config_with(entries);
        let index = Acceptances::of(&config);
        let mut places: Vec<Option<String>> = vec![None, Some(String::new())];
        for p in &paths {
            places.push(Some(p.clone()));
            places.push(Some(format!("{p}.precedence")));
            places.push(Some(format!("{p}.attributeMappings[3].source")));
            places.push(Some(format!("{p}0.name")));
            places.push(Some(format!("{p}x")));
        }
        let mut accepted = 0;
        for code in ["SP010", "SP011", "SP046", "sp046", "XX999"] {
            for place in &places {
                let found = index.accepting(code, place.as_deref());
                assert_eq!(
                    found,
                    accepting_by_scan(&config, code, place.as_deref()),
                    "{code} at {place:?}"
                );
                accepted += usize::from(found.is_some_and(|i| i < names.len()));
            }
        }
        assert!(
            paths.len() > 1 && accepted >= 3 * paths.len(),
            "rule-scoped entries accept findings inside their rules ({accepted})"
        );
    }
    use syncpolicy_model::diagnostic::{Location, Severity};

    fn config_with(entries: Vec<AcceptedFinding>) -> Configuration {
        let text = std::str::from_utf8(include_bytes!(
            "../tests/data/invalid/SP011-custom-precedence-out-of-range.json"
        ))
        .expect("UTF-8 fixture");
        let mut config = syncpolicy_json::read_settings_str(text, "f.json").expect("reads");
        config.extension.accepted_findings = entries;
        config
    }

    fn entry(code: &str, rule: Option<&str>) -> AcceptedFinding {
        AcceptedFinding {
            code: code.to_owned(),
            rule: rule.map(str::to_owned),
            reason: "known".to_owned(),
            ..AcceptedFinding::default()
        }
    }

    #[test]
    fn file_wide_and_per_rule_acceptance() {
        let config = config_with(Vec::new());
        let found = crate::check(&config);
        let sp011: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "SP011").collect();
        assert_eq!(sp011.len(), 1, "{found:#?}");
        let rule_path = sp011[0].location.json_path.clone().expect("a path");
        let (rule_name, _) = config
            .rules()
            .map(|(at, r)| {
                (
                    r.name.clone().unwrap_or_default(),
                    syncpolicy_json::paths::rule(at),
                )
            })
            .find(|(_, p)| inside(&rule_path, p))
            .expect("the finding is inside a rule");

        let (kept, accepted) =
            split_accepted(&config_with(vec![entry("sp011", None)]), found.clone());
        assert!(kept.iter().all(|d| d.code != "SP011"));
        assert_eq!(accepted.len(), 1);
        assert_eq!(accepted[0].acceptance.reason, "known");

        let upper = rule_name.to_uppercase();
        let (kept, accepted) = split_accepted(
            &config_with(vec![entry("SP011", Some(&upper))]),
            found.clone(),
        );
        assert_eq!((kept.len(), accepted.len()), (found.len() - 1, 1));

        let (kept, accepted) = split_accepted(
            &config_with(vec![entry("SP011", Some("No Such Rule"))]),
            found.clone(),
        );
        assert_eq!((kept.len(), accepted.len()), (found.len(), 0));
        let (kept, _) = split_accepted(&config_with(vec![entry("SP010", None)]), found.clone());
        assert_eq!(kept, found, "another code accepts nothing");
    }

    #[test]
    fn entries_that_accept_nothing_are_found() {
        let config = config_with(Vec::new());
        let found = crate::check(&config);
        let rule_name = {
            let path = found
                .iter()
                .find(|d| d.code == "SP011")
                .and_then(|d| d.location.json_path.clone())
                .expect("an SP011 finding with a path");
            config
                .rules()
                .find(|(at, _)| inside(&path, &syncpolicy_json::paths::rule(*at)))
                .and_then(|(_, r)| r.name.clone())
                .expect("the finding's rule")
        };
        let entries = vec![
            entry("SP011", Some(&rule_name)),
            entry("SP011", None),
            entry("SP010", None),
            entry("SP011", Some("No Such Rule")),
        ];
        let findings = || {
            found
                .iter()
                .map(|d| (d.code.as_str(), d.location.json_path.as_deref()))
        };
        let used = Acceptances::of(&config_with(entries)).used_by(findings());
        assert_eq!(
            used,
            vec![(true, false), (false, false), (false, false), (false, true)],
            "the first entry that matches accepts the finding"
        );
        assert!(Acceptances::of(&config).used_by(findings()).is_empty());
    }

    #[test]
    fn paths_match_only_whole_steps() {
        assert!(inside("a.rules[1].x", "a.rules[1]"));
        assert!(inside("a.rules[1]", "a.rules[1]"));
        assert!(!inside("a.rules[10].x", "a.rules[1]"));
        let d = Diagnostic::new("SP011", "x", Severity::Warning, "m", Location::default());
        let (kept, _) = split_accepted(&config_with(vec![entry("SP011", Some("r"))]), vec![d]);
        assert_eq!(
            kept.len(),
            1,
            "a finding without a path is not inside a rule"
        );
    }
}
