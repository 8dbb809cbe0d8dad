//! SP030 modified-standard-rule: a standard rule whose content differs from the out-of-box
//! rule with the same immutable tag.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use std::collections::HashMap;
use syncpolicy_json::paths;
use syncpolicy_model::config::RuleLocation;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::rule::{AttributeMapping, SyncRule};
use syncpolicy_model::standard::StandardTag;
use syncpolicy_samples::catalogue::{
    build_standard_rule, has_documented_content, StandardRuleHeader, STANDARD_RULES,
};

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP030",
    name: "modified-standard-rule",
    severity: Severity::Warning,
    category: Category::StandardRules,
    summary: "a standard (out-of-box) rule was modified",
    what: "Compares every standard rule (immutable tag `Microsoft.*`) with the out-of-box rule of the same tag in syncpolicy's catalogue of the documented rule set. Always compared: name, direction, link type, source and target object type. When the tag's version equals the catalogue's and the documentation gives the rule's content, also compared: the scoping filter, the join groups (not for `In from AD - User Join` and `In from AD - InetOrgPerson Join`, whose joins depend on the wizard's user-matching option), and the documented transformations (each must be present unchanged; transformations the documentation does not list are not compared). Precedence and `disabled` are not compared: renumbering and disabling are normal.",
    why: "Microsoft discourages editing out-of-box rules: an edited rule is overwritten at upgrade, and the import may misplace or replace it (\"DISCARDING deprecated standard rule\", \"PLACEHOLDER : this rule will be updated\"). The change is then silently lost.",
    example: "{ \"Name\": \"In from AD - User Join\", \"immutableTag\": \"Microsoft.InfromADUserJoin.003\", \"direction\": \"Inbound\", \"linkType\": \"Join\" }",
    fix: "Restore the out-of-box rule and disable it instead, then clone it as a custom rule (precedence 0-99, no immutable tag) that carries the change.",
    help: "disable the standard rule and clone it as a custom rule instead of editing it",
    file_only: false,
    check,
};

/// Rules whose join groups depend on the wizard's user-matching option.
const JOIN_DEPENDS_ON_MATCHING: &[&str] =
    &["In from AD - User Join", "In from AD - InetOrgPerson Join"];

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    let catalogue: HashMap<String, (usize, &StandardRuleHeader)> = STANDARD_RULES
        .iter()
        .enumerate()
        .filter_map(|(i, h)| StandardTag::parse(h.tag).map(|t| (t.base, (i, h))))
        .collect();
    let mut built: HashMap<usize, SyncRule> = HashMap::new();
    for (at, rule) in config.rules() {
        let Some(tag) = rule.standard_tag() else {
            continue;
        };
        let Some(&(index, h)) = catalogue.get(&tag.base) else {
            continue;
        };
        let mut diffs: Vec<(String, String)> = Vec::new();
        header(at, rule, h, &mut diffs);
        let same_version = StandardTag::parse(h.tag).is_some_and(|t| t.version == tag.version);
        if same_version && has_documented_content(h.name) {
            let expected = built
                .entry(index)
                .or_insert_with(|| build_standard_rule(h, 0, String::new()));
            content(at, rule, expected, &mut diffs);
        }
        if let Some(((_, first_path), rest)) = diffs.split_first() {
            let whats: Vec<&str> = diffs.iter().map(|(w, _)| w.as_str()).collect();
            let finding = out.report(
                &RULE,
                first_path.clone(),
                format!(
                    "{} ({}) differs from the out-of-box rule: {}",
                    describe(config, at, rule),
                    rule.immutable_tag.as_deref().unwrap_or(""),
                    whats.join(", ")
                ),
            );
            for (what, path) in rest {
                if path != first_path {
                    finding.label(path.clone(), format!("{what} differs here"));
                }
            }
        }
    }
}

fn header(
    at: RuleLocation,
    rule: &SyncRule,
    h: &StandardRuleHeader,
    diffs: &mut Vec<(String, String)>,
) {
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    if rule.name().trim() != h.name {
        diffs.push((
            format!("name (out-of-box: {:?})", h.name),
            paths::rule_field(at, k::NAME),
        ));
    }
    if !same(rule.direction_str(), h.direction) {
        diffs.push((
            format!("direction (out-of-box: {})", h.direction),
            paths::rule_field(at, k::DIRECTION),
        ));
    }
    let link = rule.link_type.as_ref().map(|l| l.as_str()).unwrap_or("");
    if !same(link, h.link_type) {
        diffs.push((
            format!("link type (out-of-box: {})", h.link_type),
            paths::rule_field(at, k::LINK_TYPE),
        ));
    }
    if !same(rule.source_object_type.as_deref().unwrap_or(""), h.source) {
        diffs.push((
            format!("source object type (out-of-box: {})", h.source),
            paths::rule_field(at, k::SOURCE),
        ));
    }
    if !same(rule.target_object_type.as_deref().unwrap_or(""), h.target) {
        diffs.push((
            format!("target object type (out-of-box: {})", h.target),
            paths::rule_field(at, k::TARGET),
        ));
    }
}

fn content(
    at: RuleLocation,
    rule: &SyncRule,
    expected: &SyncRule,
    diffs: &mut Vec<(String, String)>,
) {
    let scope = |r: &SyncRule| -> Vec<Vec<(String, String, String)>> {
        r.scope_groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|c| {
                        (
                            c.attribute.as_deref().unwrap_or("").to_ascii_lowercase(),
                            c.operator
                                .as_ref()
                                .map(|o| o.as_str().to_owned())
                                .unwrap_or_default(),
                            c.value.to_ascii_lowercase(),
                        )
                    })
                    .collect()
            })
            .collect()
    };
    if scope(rule) != scope(expected) {
        diffs.push((
            "scoping filter".to_owned(),
            paths::rule_field(at, k::SCOPE_FILTERS),
        ));
    }
    if !JOIN_DEPENDS_ON_MATCHING.contains(&rule.name().trim()) {
        let joins = |r: &SyncRule| -> Vec<Vec<(String, String, bool)>> {
            r.join_groups
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|c| {
                            (
                                c.source.as_deref().unwrap_or("").to_ascii_lowercase(),
                                c.destination.as_deref().unwrap_or("").to_ascii_lowercase(),
                                c.case_sensitive,
                            )
                        })
                        .collect()
                })
                .collect()
        };
        if joins(rule) != joins(expected) {
            diffs.push((
                "join rules".to_owned(),
                paths::rule_field(at, k::JOIN_CONDITIONS),
            ));
        }
    }
    for want in &expected.mappings {
        let dest = want.destination.as_deref().unwrap_or("");
        let found = rule.mappings.iter().enumerate().find(|(_, m)| {
            m.destination
                .as_deref()
                .unwrap_or("")
                .eq_ignore_ascii_case(dest)
        });
        match found {
            None => diffs.push((
                format!("transformation to {dest} missing"),
                paths::rule_field(at, k::ATTRIBUTE_MAPPINGS),
            )),
            Some((i, have)) if !same_mapping(have, want) => diffs.push((
                format!("transformation to {dest}"),
                paths::mapping(at, i, None),
            )),
            Some(_) => {}
        }
    }
}

fn same_mapping(a: &AttributeMapping, b: &AttributeMapping) -> bool {
    let sources = |m: &AttributeMapping| {
        let mut s: Vec<String> = m.sources().iter().map(|s| s.to_ascii_lowercase()).collect();
        s.sort();
        s
    };
    // The expressions' words joined by single spaces are equal exactly when the words are
    // (no word holds a space): compared without the joined copies. The comparisons without
    // a copy come first.
    a.flow_type == b.flow_type
        && a.merge_type == b.merge_type
        && a.execute_once == b.execute_once
        && a.value == b.value
        && a.expression
            .split_whitespace()
            .eq(b.expression.split_whitespace())
        && sources(a) == sources(b)
}

#[cfg(test)]
mod tests {
    use super::same_mapping;
    use syncpolicy_model::rule::AttributeMapping;

    /// Expressions are the same when their words joined by single spaces are (as compared
    /// before by the joined copies).
    #[test]
    fn expressions_compare_by_their_words() {
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let texts = [
            "",
            " ",
            "IIF(a, b)",
            "IIF(a,  b)",
            " IIF(a,\tb)\n",
            "IIF(a,b)",
            "IIF (a, b)",
            "x\u{a0}y",
            "x y",
        ];
        for a in texts {
            for b in texts {
                let m = |e: &str| AttributeMapping {
                    expression: e.to_owned(),
                    source: "B, a".to_owned(),
                    ..AttributeMapping::default()
                };
                assert_eq!(
                    same_mapping(&m(a), &m(b)),
                    squash(a) == squash(b),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
