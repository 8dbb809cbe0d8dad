//! SP002 unknown-enum-value: a direction, link type, flow type, merge type or scope operator
//! that Microsoft's import does not know.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::enums::{Direction, FlowType, LinkType, MergeType, ScopeOperator};

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP002",
    name: "unknown-enum-value",
    severity: Severity::Error,
    category: Category::Structure,
    summary: "a direction, link type, flow type, merge type or scope operator has an unknown value",
    what: "Checks the values of a rule's `direction` (Inbound, Outbound), `linkType` (Provision, StickyJoin, Join, JoinNoFlow), each mapping's `flowType` (Direct, Constant, Expression) and `mergeType` (Update, Replace, MergeCaseInsensitive, Merge), and each scope clause's `condition` (EQUAL ... ISNOTMEMBEROF). Values are matched without regard to case.",
    why: "Microsoft's import rejects the file (\"invalid direction value\", \"invalid link type\", \"invalid attribute flow merge type\", \"invalid scope condition comparison type\").",
    example: "\"scopeFilters\": [[ { \"attribute\": \"userAccountControl\", \"condition\": \"ISNOTBITSET\", \"value\": \"2\" } ]]",
    fix: "Use one of the listed values. The negated bit test is spelled `ISBITNOTSET` (some documentation writes `ISNOTBITSET`, which the product does not accept).",
    help: "use one of the known values",
    file_only: false,
    check,
};

fn known<T>(values: &[T], spell: fn(&T) -> &str) -> String {
    values.iter().map(spell).collect::<Vec<_>>().join(", ")
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        if let Some(Direction::Unknown(v)) = &rule.direction {
            out.report(
                &RULE,
                paths::rule_field(at, k::DIRECTION),
                format!("unknown direction {v:?} in {}", describe(config, at, rule)),
            )
            .help(format!(
                "use one of: {}",
                known(Direction::KNOWN, Direction::as_str)
            ));
        }
        if let Some(LinkType::Unknown(v)) = &rule.link_type {
            out.report(
                &RULE,
                paths::rule_field(at, k::LINK_TYPE),
                format!("unknown link type {v:?} in {}", describe(config, at, rule)),
            )
            .help(format!(
                "use one of: {}",
                known(LinkType::KNOWN, LinkType::as_str)
            ));
        }
        for (m, mapping) in rule.mappings.iter().enumerate() {
            if let Some(FlowType::Unknown(v)) = &mapping.flow_type {
                out.report(
                    &RULE,
                    paths::mapping(at, m, Some(k::FLOW_TYPE)),
                    format!(
                        "unknown flow type {v:?} in mapping {m} of {}",
                        describe(config, at, rule)
                    ),
                )
                .help(format!(
                    "use one of: {}",
                    known(FlowType::KNOWN, FlowType::as_str)
                ));
            }
            if let MergeType::Unknown(v) = &mapping.merge_type {
                out.report(
                    &RULE,
                    paths::mapping(at, m, Some(k::MERGE_TYPE)),
                    format!(
                        "unknown merge type {v:?} in mapping {m} of {}",
                        describe(config, at, rule)
                    ),
                )
                .help(format!(
                    "use one of: {}",
                    known(MergeType::KNOWN, MergeType::as_str)
                ));
            }
        }
        for (g, group) in rule.scope_groups.iter().enumerate() {
            for (c, clause) in group.iter().enumerate() {
                if let Some(ScopeOperator::Unknown(v)) = &clause.operator {
                    let help = if v.eq_ignore_ascii_case("ISNOTBITSET") {
                        "write ISBITNOTSET: that is the product's spelling of the negated bit test"
                            .to_owned()
                    } else {
                        format!(
                            "use one of: {}",
                            known(ScopeOperator::KNOWN, ScopeOperator::as_str)
                        )
                    };
                    out.report(
                        &RULE,
                        paths::scope(at, g, c, Some(k::CONDITION)),
                        format!(
                            "unknown scope operator {v:?} in {}",
                            describe(config, at, rule)
                        ),
                    )
                    .help(help);
                }
            }
        }
    }
}
