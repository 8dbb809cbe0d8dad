//! SP003 missing-rule-field: a rule, mapping, scope clause or join condition lacks a value it
//! cannot do without.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP003",
    name: "missing-rule-field",
    severity: Severity::Error,
    category: Category::Structure,
    summary: "a rule, mapping, scope clause or join condition lacks a required value",
    what: "Reports a rule without `direction`, `linkType`, `source` or `target` (object types), a mapping without `flowType`, a scope clause without `attribute` or `condition`, and a join condition without `source` or `destination`.",
    why: "The sync engine cannot create such a rule; Microsoft's import stops when it reaches it, half-way through the configuration.",
    example: "{ \"Name\": \"In from AD - User Sales\", \"source\": \"user\", \"target\": \"person\", \"direction\": \"Inbound\", \"precedence\": 50 }",
    fix: "Fill in the missing value (for example `\"linkType\": \"Join\"` for a rule that only adds attribute flows).",
    help: "fill in the missing value",
    file_only: false,
    check,
};

fn blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        let fields: [(&str, bool, &str); 4] = [
            (
                k::DIRECTION,
                rule.direction.is_none(),
                "set \"direction\" to Inbound or Outbound",
            ),
            (
                k::LINK_TYPE,
                rule.link_type.is_none(),
                "set \"linkType\" to Join, Provision, StickyJoin or JoinNoFlow",
            ),
            (
                k::SOURCE,
                blank(&rule.source_object_type),
                "set \"source\" to the source object type (e.g. user, person)",
            ),
            (
                k::TARGET,
                blank(&rule.target_object_type),
                "set \"target\" to the target object type (e.g. person, user)",
            ),
        ];
        for (field, missing, help) in fields {
            if missing {
                out.report(
                    &RULE,
                    paths::rule_field(at, field),
                    format!("{} has no {field}", describe(config, at, rule)),
                )
                .help(help);
            }
        }
        for (m, mapping) in rule.mappings.iter().enumerate() {
            if mapping.flow_type.is_none() {
                out.report(
                    &RULE,
                    paths::mapping(at, m, Some(k::FLOW_TYPE)),
                    format!(
                        "mapping {m} of {} has no flowType",
                        describe(config, at, rule)
                    ),
                )
                .help("set \"flowType\" to Direct, Constant or Expression");
            }
        }
        for (g, group) in rule.scope_groups.iter().enumerate() {
            for (c, clause) in group.iter().enumerate() {
                if blank(&clause.attribute) {
                    out.report(
                        &RULE,
                        paths::scope(at, g, c, Some(k::SCOPE_ATTRIBUTE)),
                        format!(
                            "a scope clause of {} names no attribute",
                            describe(config, at, rule)
                        ),
                    )
                    .help("name the attribute the clause tests");
                }
                if clause.operator.is_none() {
                    out.report(
                        &RULE,
                        paths::scope(at, g, c, Some(k::CONDITION)),
                        format!(
                            "a scope clause of {} has no condition",
                            describe(config, at, rule)
                        ),
                    )
                    .help("set \"condition\" to an operator such as EQUAL or ISNOTNULL");
                }
            }
        }
        for (g, group) in rule.join_groups.iter().enumerate() {
            for (c, cond) in group.iter().enumerate() {
                for (field, value) in [
                    (k::JOIN_SOURCE, &cond.source),
                    (k::JOIN_DESTINATION, &cond.destination),
                ] {
                    if blank(value) {
                        out.report(
                            &RULE,
                            paths::join(at, g, c, Some(field)),
                            format!("a join condition of {} has no {field} attribute", describe(config, at, rule)),
                        )
                        .help("name the connector-space attribute (source) and the metaverse attribute (destination) to compare");
                    }
                }
            }
        }
    }
}
