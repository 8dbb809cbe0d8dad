//! SP020 provision-without-join: a Provision or StickyJoin rule without join conditions.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::enums::LinkType;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP020",
    name: "provision-without-join",
    severity: Severity::Error,
    category: Category::RuleSemantics,
    summary: "a Provision or StickyJoin rule has no join conditions",
    what: "Reports a rule with `linkType` Provision or StickyJoin whose `joinConditions` hold no condition.",
    why: "The engine requires a join filter on such rules (\"a Provision/StickyJoin rule must have a join filter\"): it tries the join before it provisions, and projects only \"if at least one attribute in the join criteria is present\". Microsoft's import stops at the rule.",
    example: "{ \"Name\": \"In from AD - User Join Clone\", \"linkType\": \"Provision\", \"joinConditions\": [] }",
    fix: "Add the join conditions (for users, typically `objectGUID` or `mS-DS-ConsistencyGuid` to `sourceAnchorBinary`), or use linkType `Join` for a rule that only adds attribute flows.",
    help: "add join conditions, or use linkType Join for a rule that only adds attribute flows",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        let needs = matches!(
            rule.link_type,
            Some(LinkType::Provision | LinkType::StickyJoin)
        );
        if needs && rule.join_groups.iter().all(Vec::is_empty) {
            out.report(
                &RULE,
                paths::rule_field(at, k::JOIN_CONDITIONS),
                format!(
                    "{} has link type {} but no join conditions",
                    describe(config, at, rule),
                    rule.link_type.as_ref().map(LinkType::as_str).unwrap_or("")
                ),
            );
        }
    }
}
