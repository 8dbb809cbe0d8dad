//! SP010 duplicate-custom-precedence: two custom rules share a precedence.

use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::values::PrecedenceClash;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP010",
    name: "duplicate-custom-precedence",
    severity: Severity::Error,
    category: Category::Precedence,
    summary: "two custom rules share a precedence",
    what: "Reports every custom rule (no `Microsoft.*` immutable tag) whose `precedence` an earlier custom rule of any directory already has. Precedence is one number space for the whole server.",
    why: "Microsoft's import fails on it (\"Custom sychronization rules have duplicate precedence\"), and the engine could not tell which of the two rules wins a conflict.",
    example: "\"customSynchronizationRules\": [\n  { \"Name\": \"In from AD - User Sales\", \"precedence\": 50 },\n  { \"Name\": \"In from AD - User Legal\", \"precedence\": 50 }\n]",
    fix: "Give each custom rule its own precedence in 0-99; the lower number wins a conflict.",
    help: "give each custom rule its own precedence in 0-99 (lower wins)",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    super::report_shared_precedence(cx, out, &RULE, PrecedenceClash::Custom);
}
