//! SP024 invalid-expression: an Expression mapping whose expression does not parse or check.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_expr::diagnostic::Severity as ExprSeverity;
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::enums::FlowType;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP024",
    name: "invalid-expression",
    severity: Severity::Error,
    category: Category::RuleSemantics,
    summary: "an expression does not parse, or calls an unknown function or parameter",
    what: "Parses and checks the `expression` of every Expression mapping with the declarative-provisioning expression language (see `syncpolicy expr check`): syntax errors (unbalanced brackets or quotes, a missing operator), unknown functions, wrong argument counts, unknown `%Parameter%` names. The finding points at the character where the problem is.",
    why: "Microsoft's import stores the expression as text; the engine rejects the rule when it compiles it, or the flow fails for every object at the first synchronization.",
    example: "{ \"flowType\": \"Expression\", \"destination\": \"displayName\", \"expression\": \"IIF(IsNullOrEmpty([displayName]), [cn], [displayName]\" }",
    fix: "Correct the expression; `syncpolicy expr check 'EXPRESSION'` shows every problem in it.",
    help: "correct the expression; `syncpolicy expr check` shows every problem in it",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    report(cx, out, &RULE, ExprSeverity::Error);
}

/// Reports the expression checker's findings of one severity as findings of `rule`.
pub(super) fn report(cx: &Context<'_>, out: &mut Sink, rule: &RuleInfo, wanted: ExprSeverity) {
    let config = cx.config;
    for (at, r) in config.rules() {
        for (m, mapping) in r.mappings.iter().enumerate() {
            if mapping.flow_type != Some(FlowType::Expression)
                || mapping.expression.trim().is_empty()
            {
                continue;
            }
            for d in cx.expression_diagnostics(&mapping.expression) {
                if d.severity != wanted {
                    continue;
                }
                let text = &mapping.expression;
                let mut start = d.span.start.min(text.len());
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                let offset = text[..start].chars().count();
                let finding = out.report(
                    rule,
                    paths::mapping(at, m, Some(k::EXPRESSION)),
                    format!(
                        "the expression for {:?} in {}: {} (at character {})",
                        mapping.destination.as_deref().unwrap_or(""),
                        describe(config, at, r),
                        d.message,
                        offset + 1
                    ),
                );
                finding.at_char(offset);
                if let Some(hint) = &d.hint {
                    finding.help(hint.clone());
                }
            }
        }
    }
}
