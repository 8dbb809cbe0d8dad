//! SP008 rule-without-name: a rule with no name.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP008",
    name: "rule-without-name",
    severity: Severity::Error,
    category: Category::Structure,
    summary: "a rule has no name",
    what: "Reports a rule whose `Name` (capital N) is missing or blank.",
    why: "The sync engine requires a rule name (\"a rule must have a name\"); rules are also identified by name and direction when configurations are compared, so a nameless rule cannot be matched.",
    example: "{ \"Name\": \"\", \"direction\": \"Inbound\", \"linkType\": \"Join\", \"precedence\": 50 }",
    fix: "Give the rule a unique, descriptive name such as `In from AD - User Cost Center`.",
    help: "give the rule a name (the key is \"Name\" with a capital N)",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        if rule.name().trim().is_empty() {
            out.report(
                &RULE,
                paths::rule_field(at, k::NAME),
                format!("{} has no name", describe(config, at, rule)),
            );
        }
    }
}
