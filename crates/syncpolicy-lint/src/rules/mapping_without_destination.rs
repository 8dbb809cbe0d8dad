//! SP005 mapping-without-destination: an attribute mapping that names no target attribute.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP005",
    name: "mapping-without-destination",
    severity: Severity::Error,
    category: Category::Structure,
    summary: "an attribute mapping has no destination attribute",
    what: "Reports a mapping in `attributeMappings` whose `destination` is missing or empty.",
    why: "A flow needs a target attribute; the sync engine refuses the rule (\"a mapping needs a target attribute\") and Microsoft's import stops there.",
    example: "\"attributeMappings\": [ { \"flowType\": \"Direct\", \"source\": \"department\", \"destination\": \"\" } ]",
    fix: "Name the attribute the mapping writes to, or remove the mapping.",
    help: "set \"destination\" to the attribute the mapping writes, or remove the mapping",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        for (m, mapping) in rule.mappings.iter().enumerate() {
            if mapping
                .destination
                .as_deref()
                .is_none_or(|d| d.trim().is_empty())
            {
                out.report(
                    &RULE,
                    paths::mapping(at, m, Some(k::DESTINATION)),
                    format!(
                        "mapping {m} of {} has no destination attribute",
                        describe(config, at, rule)
                    ),
                );
            }
        }
    }
}
