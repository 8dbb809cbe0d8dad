//! SP013 precedence-taken-by-standard-rule: a custom rule has the precedence of a standard
//! rule of the same direction.

use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::values::PrecedenceClash;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP013",
    name: "precedence-taken-by-standard-rule",
    severity: Severity::Error,
    category: Category::Precedence,
    summary: "a custom rule has the precedence of a standard rule of the same direction",
    what: "Reports every custom rule whose `precedence` a standard rule (immutable tag `Microsoft.*`, or a place in `standardSynchronizationRules`) of the same direction also has, and every standard rule whose precedence an earlier custom rule of its direction has. The change commands refuse such a precedence with the same check.",
    why: "Two rules of one direction with one precedence leave the engine unable to tell which wins a conflict. Standard rules start at 100 and are renumbered when a forest is added, so a custom rule at such a number silently competes with an out-of-box rule.",
    example: "\"standardSynchronizationRules\": [ { \"Name\": \"In from AD - User AccountEnabled\", \"direction\": \"Inbound\", \"precedence\": 102 } ],\n\"customSynchronizationRules\": [ { \"Name\": \"In from AD - User Office\", \"direction\": \"Inbound\", \"precedence\": 102 } ]",
    fix: "Give the custom rule a free precedence in 0-99 (`syncpolicy rule edit RULE --precedence N`, or leave the number out to get the lowest free one).",
    help: "give the custom rule a free precedence in 0-99",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    super::report_shared_precedence(cx, out, &RULE, PrecedenceClash::CustomWithStandard);
}
