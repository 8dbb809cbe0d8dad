//! SP012 duplicate-standard-precedence: two standard rules share a precedence.

use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::values::PrecedenceClash;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP012",
    name: "duplicate-standard-precedence",
    severity: Severity::Error,
    category: Category::Precedence,
    summary: "two standard rules share a precedence",
    what: "Reports every standard rule (immutable tag `Microsoft.*`) whose `precedence` an earlier standard rule of any directory already has.",
    why: "The wizard numbers standard rules uniquely. Equal numbers mean the file was edited; the engine cannot tell which of the two wins a conflict, and the import renumbers the standard rules (\"Precedence has changed for the following imported sync rules\"), so which rule wins on the new server is not what the file says. Like every shared precedence, it is an error.",
    example: "\"standardSynchronizationRules\": [\n  { \"Name\": \"In from AD - User Join\", \"immutableTag\": \"Microsoft.InfromADUserJoin.003\", \"precedence\": 100 },\n  { \"Name\": \"In from AD - InetOrgPerson Join\", \"immutableTag\": \"Microsoft.InfromADInetOrgPersonJoin.003\", \"precedence\": 100 }\n]",
    fix: "Export the configuration again from the server rather than editing standard rules' precedence by hand; to change which rule wins, add a custom rule in 0-99.",
    help: "export the configuration again; do not renumber standard rules by hand",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    super::report_shared_precedence(cx, out, &RULE, PrecedenceClash::Standard);
}
