//! SP021 multiple-case-sensitive-join-conditions: more than one case-sensitive condition in
//! one join group.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP021",
    name: "multiple-case-sensitive-join-conditions",
    severity: Severity::Error,
    category: Category::RuleSemantics,
    summary: "a join group has more than one case-sensitive condition",
    what: "Reports a join group (one inner list of `joinConditions`) in which more than one condition has `caseSensitive: true`.",
    why: "The engine allows only one case-sensitive join condition per join group; Microsoft's import stops at the rule.",
    example: "\"joinConditions\": [[\n  { \"source\": \"sourceAnchor\", \"destination\": \"sourceAnchor\", \"caseSensitive\": true },\n  { \"source\": \"mail\", \"destination\": \"mail\", \"caseSensitive\": true }\n]]",
    fix: "Keep one case-sensitive condition per group; make the others case-insensitive, or put them in a group of their own.",
    help: "keep one case-sensitive condition per join group",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        for (g, group) in rule.join_groups.iter().enumerate() {
            let sensitive: Vec<usize> = group
                .iter()
                .enumerate()
                .filter(|(_, c)| c.case_sensitive)
                .map(|(i, _)| i)
                .collect();
            if let [first, rest @ ..] = sensitive.as_slice() {
                for &c in rest {
                    out.report(
                        &RULE,
                        paths::join(at, g, c, Some(k::CASE_SENSITIVE)),
                        format!(
                            "join group {g} of {} has {} case-sensitive conditions",
                            describe(config, at, rule),
                            sensitive.len()
                        ),
                    )
                    .label(
                        paths::join(at, g, *first, Some(k::CASE_SENSITIVE)),
                        "the first case-sensitive condition",
                    );
                }
            }
        }
    }
}
