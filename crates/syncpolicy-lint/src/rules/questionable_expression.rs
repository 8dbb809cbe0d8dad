//! SP025 questionable-expression: an expression that works but probably does not do what was
//! meant (the expression checker's warnings).

use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_expr::diagnostic::Severity as ExprSeverity;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP025",
    name: "questionable-expression",
    severity: Severity::Warning,
    category: Category::RuleSemantics,
    summary: "an expression compiles but probably does not do what was meant",
    what: "Reports the expression checker's warnings on the `expression` of Expression mappings, such as arithmetic that mixes `+`/`-` with `*`/`/` without brackets: the engine applies them left to right, not multiplication first.",
    why: "Such an expression is accepted, but its result is probably not the intended one: `1 + 2 * 3` is 9, not 7.",
    example: "{ \"flowType\": \"Expression\", \"destination\": \"info\", \"expression\": \"[a] = [b] = [c]\" }",
    fix: "Add brackets that say what is meant; `syncpolicy expr check 'EXPRESSION'` explains each warning.",
    help: "add brackets that say what is meant; `syncpolicy expr check` explains the warning",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    super::invalid_expression::report(cx, out, &RULE, ExprSeverity::Warning);
}
