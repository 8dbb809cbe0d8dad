//! Accepted findings: the findings an administrator accepted on purpose, recorded with a
//! reason in the settings file's extension part (`x-syncpolicy.acceptedFindings`), for the
//! whole file or for one synchronization rule. Accepted findings do not count for the exit
//! code; they are listed as accepted with their reason.

use syncpolicy_model::config::Configuration;
use syncpolicy_model::diagnostic::Diagnostic;
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

/// What [`split_accepted`] needs of a configuration, taken out of it: its `acceptedFindings`
/// entries and the JSON paths of the rules each names. `validate` takes it before it frees the
/// configuration (before placing and printing the findings), then splits the placed findings.
#[derive(Debug, Clone, Default)]
pub struct Acceptances {
    entries: Vec<AcceptedFinding>,
    /// The JSON paths of the rules each entry names (none for a file-wide entry).
    scopes: Vec<Option<Vec<String>>>,
}

impl Acceptances {
    /// The acceptances a configuration records.
    pub fn of(config: &Configuration) -> Self {
        let entries = config.extension.accepted_findings.clone();
        let scopes = entries
            .iter()
            .map(|e| {
                e.rule.as_ref().map(|wanted| {
                    config
                        .rules()
                        .filter(|(_, r)| {
                            r.name
                                .as_deref()
                                .is_some_and(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
                        })
                        .map(|(at, _)| syncpolicy_json::paths::rule(at))
                        .collect()
                })
            })
            .collect();
        Acceptances { entries, scopes }
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
            .zip(&self.scopes)
            .map(|(used, scope)| (used, scope.as_ref().is_some_and(Vec::is_empty)))
            .collect()
    }

    /// The first entry that accepts a finding of `code` at `path`.
    fn accepting(&self, code: &str, path: Option<&str>) -> Option<usize> {
        self.entries
            .iter()
            .zip(&self.scopes)
            .position(|(e, scope)| {
                e.code.trim().eq_ignore_ascii_case(code)
                    && match scope {
                        None => true,
                        Some(paths) => path.is_some_and(|p| paths.iter().any(|r| inside(p, r))),
                    }
            })
    }
}

/// True when `path` is `prefix` or a path below it.
fn inside(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

#[cfg(test)]
mod tests {
    use super::*;
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
