//! SP011 custom-precedence-out-of-range: a custom rule outside the 0-99 band.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use std::fmt::Write as _;
use syncpolicy_json::paths;
use syncpolicy_model::config::RuleSet;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP011",
    name: "custom-precedence-out-of-range",
    severity: Severity::Warning,
    category: Category::Precedence,
    summary: "a custom rule's precedence is outside 0-99",
    what: "Reports a custom rule whose `precedence` is below 0 or above 99.",
    why: "Standard rules start at 100. Microsoft's import warns that custom rules outside 0-99 \"may be subject to reordering during deployment\": such a rule may end up winning or losing against different standard rules than on the server it came from.",
    example: "{ \"Name\": \"In from AD - User Sales\", \"precedence\": 150 }",
    fix: "Move the rule into 0-99. For more than 100 custom rules, create them with precedence 0 and `PrecedenceBefore` set to the identifier of `In from AD - User Join` on the target server, then check the resulting order.",
    help: "give the rule a precedence in 0-99, and check the order against the standard rules after import",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        if at.set != RuleSet::Custom || rule.is_standard() {
            continue;
        }
        if !(0..=99).contains(&rule.precedence) {
            // The message pushed onto the rule's description (thousands of rules on a
            // large file; docs/performance.md, perf-report6).
            let mut message = describe(config, at, rule);
            message.push_str(" has precedence ");
            let _ = write!(message, "{}", rule.precedence);
            message.push_str(", outside the custom range 0-99");
            out.report(&RULE, paths::rule_field(at, k::PRECEDENCE), message);
        }
    }
}
