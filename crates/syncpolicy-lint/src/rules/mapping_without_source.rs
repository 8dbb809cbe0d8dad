//! SP006 mapping-without-source: a Direct mapping without a source attribute, or an
//! Expression mapping without an expression.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::enums::FlowType;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP006",
    name: "mapping-without-source",
    severity: Severity::Error,
    category: Category::Structure,
    summary: "a Direct mapping has no source attribute, or an Expression mapping no expression",
    what: "Reports a `Direct` mapping whose `source` names no attribute, and an `Expression` mapping whose `expression` is empty. (An Expression mapping may have an empty `source`: `%Connector.ID%` depends on no attribute. A Constant mapping needs neither.)",
    why: "The sync engine refuses such a mapping (\"AttributeFlowMapping of type '{0}' must have at least one source attribute\"), so Microsoft's import stops at the rule.",
    example: "{ \"flowType\": \"Direct\", \"destination\": \"department\", \"source\": \"\" }",
    fix: "Name the source attribute of a Direct flow; write the expression of an Expression flow; use `Constant` with a `value` for a fixed value.",
    help: "name the source attribute, or use a Constant flow for a fixed value",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        for (m, mapping) in rule.mappings.iter().enumerate() {
            match mapping.flow_type {
                Some(FlowType::Direct) if mapping.sources().is_empty() => {
                    out.report(
                        &RULE,
                        paths::mapping(at, m, Some(k::MAPPING_SOURCE)),
                        format!(
                            "the Direct mapping to {:?} in {} has no source attribute",
                            mapping.destination.as_deref().unwrap_or(""),
                            describe(config, at, rule)
                        ),
                    );
                }
                Some(FlowType::Expression) if mapping.expression.trim().is_empty() => {
                    out.report(
                        &RULE,
                        paths::mapping(at, m, Some(k::EXPRESSION)),
                        format!(
                            "the Expression mapping to {:?} in {} has no expression",
                            mapping.destination.as_deref().unwrap_or(""),
                            describe(config, at, rule)
                        ),
                    )
                    .help("write the expression, or use a Direct flow to copy an attribute");
                }
                _ => {}
            }
        }
    }
}
