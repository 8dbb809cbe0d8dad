//! SP007 duplicate-mapping-destination: two mappings of one rule write the same attribute.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use std::collections::HashMap;
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::identity::Keyed;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP007",
    name: "duplicate-mapping-destination",
    severity: Severity::Error,
    category: Category::Structure,
    summary: "two mappings in one rule write the same destination attribute",
    what: "Reports a mapping whose `destination` (compared without regard to case) is already written by an earlier mapping of the same rule.",
    why: "The sync engine allows one flow per target attribute and rule (\"no two mappings may target the same attribute\"); Microsoft's import stops at the rule.",
    example: "\"attributeMappings\": [\n  { \"flowType\": \"Direct\", \"source\": \"title\", \"destination\": \"title\" },\n  { \"flowType\": \"Expression\", \"source\": \"title\", \"destination\": \"Title\", \"expression\": \"Trim([title])\" }\n]",
    fix: "Keep one of the two mappings (combine their logic into one expression), or move one into another rule with its own precedence.",
    help: "keep one mapping per destination attribute; combine the two into one expression",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        if rule.mappings.len() < 2 {
            continue;
        }
        let mut first: HashMap<String, usize> = HashMap::new();
        for (m, mapping) in rule.mappings.iter().enumerate() {
            let key = mapping.key();
            if key.trim().is_empty() {
                continue;
            }
            match first.get(&key) {
                Some(&earlier) => {
                    out.report(
                        &RULE,
                        paths::mapping(at, m, Some(k::DESTINATION)),
                        format!(
                            "{} writes {:?} twice (mappings {earlier} and {m})",
                            describe(config, at, rule),
                            mapping.destination.as_deref().unwrap_or("")
                        ),
                    )
                    .label(
                        paths::mapping(at, earlier, Some(k::DESTINATION)),
                        "first written here",
                    );
                }
                None => {
                    first.insert(key, m);
                }
            }
        }
    }
}
