//! SP007 duplicate-mapping-destination: two mappings of one rule write the same attribute.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use std::collections::HashMap;
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::identity::Keyed;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP007",
    name: "duplicate-mapping-destination",
    severity: Severity::Error,
    category: Category::Structure,
    summary: "two mappings in one rule write the same destination attribute",
    what: "Reports a mapping whose `destination` (compared without regard to case) is already written by an earlier mapping of the same rule.",
    why: "The sync engine allows one flow per target attribute and rule (\"no two mappings may target the same attribute\"); Microsoft's import stops at the rule.",
    example: "\"attributeMappings\": [\n  { \"flowType\": \"Direct\", \"source\": \"title\", \"destination\": \"title\" },\n  { \"flowType\": \"Expression\", \"source\": \"title\", \"destination\": \"Title\", \"expression\": \"Trim([title])\" }\n]",
    fix: "Keep one of the two mappings (combine their logic into one expression), or move one into another rule with its own precedence.",
    help: "keep one mapping per destination attribute; combine the two into one expression",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        if rule.mappings.len() < 2 {
            continue;
        }
        let mut report = |m: usize, earlier: usize| {
            out.report(
                &RULE,
                paths::mapping(at, m, Some(k::DESTINATION)),
                format!(
                    "{} writes {:?} twice (mappings {earlier} and {m})",
                    describe(config, at, rule),
                    rule.mappings[m].destination.as_deref().unwrap_or("")
                ),
            )
            .label(
                paths::mapping(at, earlier, Some(k::DESTINATION)),
                "first written here",
            );
        };
        if rule.mappings.len() <= PAIRWISE {
            // A few mappings (almost every rule): each compared with the ones before it,
            // without a lower-cased copy or a map per rule.
            let destinations: Vec<&str> = rule
                .mappings
                .iter()
                .map(|m| m.destination.as_deref().unwrap_or(""))
                .collect();
            for (m, d) in destinations.iter().enumerate() {
                if blank_key(d) {
                    continue;
                }
                if let Some(earlier) = destinations[..m].iter().position(|e| same_key(e, d)) {
                    report(m, earlier);
                }
            }
            continue;
        }
        let mut first: HashMap<String, usize> = HashMap::new();
        for (m, mapping) in rule.mappings.iter().enumerate() {
            let key = mapping.key();
            if key.trim().is_empty() {
                continue;
            }
            match first.get(&key) {
                Some(&earlier) => report(m, earlier),
                None => {
                    first.insert(key, m);
                }
            }
        }
    }
}

/// Rules with at most this many mappings compare each destination with the earlier ones
/// (at most 120 comparisons); rules with more look them up in a map (any number stays
/// linear).
const PAIRWISE: usize = 16;

/// Whether a destination's key ([`Keyed::key`] of its mapping: the destination lower-cased)
/// is blank.
fn blank_key(d: &str) -> bool {
    if d.is_ascii() {
        d.trim().is_empty()
    } else {
        d.to_lowercase().trim().is_empty()
    }
}

/// Whether two destinations have the same key ([`Keyed::key`]: lower-cased, as Unicode
/// lower-cases them; ASCII ones compared without a copy).
fn same_key(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syncpolicy_model::rule::AttributeMapping;

    fn mapping(destination: Option<&str>) -> AttributeMapping {
        AttributeMapping {
            destination: destination.map(str::to_owned),
            ..AttributeMapping::default()
        }
    }

    /// The comparisons without a copy say what the keys say, on ASCII, non-ASCII (whose
    /// lower case is longer or shorter), blank and missing destinations.
    #[test]
    fn destinations_compare_as_their_keys() {
        let names = [
            None,
            Some(""),
            Some("  "),
            Some("\u{a0}"),
            Some("mail"),
            Some("Mail"),
            Some(" MAIL "),
            Some("maiL"),
            Some("İx"),
            Some("i\u{307}x"),
            Some("ÄÖ"),
            Some("äö"),
            Some("Straße"),
            Some("STRASSE"),
            Some("Σ"),
            Some("σ"),
            Some("\u{2126}"),
            Some("ω"),
        ];
        for a in names {
            let ka = mapping(a).key();
            let a = a.unwrap_or("");
            assert_eq!(blank_key(a), ka.trim().is_empty(), "{a:?}");
            for b in names {
                let kb = mapping(b).key();
                let b = b.unwrap_or("");
                assert_eq!(same_key(a, b), ka == kb, "{a:?} {b:?}");
            }
        }
    }

    /// A rule of a few mappings (compared pairwise) and one of many (looked up in a map)
    /// report the same duplicates, each against the first mapping of its destination.
    #[test]
    fn few_and_many_mappings_report_the_same_duplicates() {
        let findings = |extra: usize| {
            let mut config = syncpolicy_samples::generate::generate(
                &syncpolicy_samples::generate::GenerateOptions {
                    forests: 1,
                    custom_rules_per_forest: 1,
                    ous_per_domain: 1,
                    seed: 3,
                },
            );
            let rule = config.onpremises_directories[0]
                .custom_rules
                .first_mut()
                .expect("a custom rule");
            let mut destinations = vec!["a", "A", "b", "", "c", "B", "a", " ", "Ä", "ä"];
            let unique: Vec<String> = (0..extra).map(|i| format!("unique{i}")).collect();
            destinations.extend(unique.iter().map(String::as_str));
            rule.mappings = destinations.into_iter().map(|d| mapping(Some(d))).collect();
            crate::check(&config)
                .into_iter()
                .filter(|d| d.code == RULE.code)
                .map(|d| (d.location.json_path, d.message))
                .collect::<Vec<_>>()
        };
        let few = findings(0);
        assert_eq!(few.len(), 4, "{few:?}");
        const { assert!(PAIRWISE < 10 + 10, "the second rule is looked up in a map") };
        assert_eq!(findings(10), few);
    }
}
