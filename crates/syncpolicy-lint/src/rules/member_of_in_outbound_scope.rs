//! SP022 member-of-in-outbound-scope: ISMEMBEROF / ISNOTMEMBEROF in an outbound rule's scope.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::enums::Direction;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP022",
    name: "member-of-in-outbound-scope",
    severity: Severity::Error,
    category: Category::RuleSemantics,
    summary: "an outbound rule's scope uses ISMEMBEROF or ISNOTMEMBEROF",
    what: "Reports a scope clause with condition `ISMEMBEROF` or `ISNOTMEMBEROF` in a rule whose direction is Outbound.",
    why: "Group membership is tested in the connector space, which an outbound rule's scope does not see (it tests the metaverse object). The engine refuses such scope conditions on outbound rules, and Microsoft's import stops at the rule.",
    example: "{ \"direction\": \"Outbound\", \"scopeFilters\": [[ { \"attribute\": \"member\", \"condition\": \"ISMEMBEROF\", \"value\": \"CN=Pilot,OU=Groups,DC=contoso,DC=com\" } ]] }",
    fix: "Test membership in an inbound rule instead (for example one that sets `cloudFiltered`), and scope the outbound rule on that metaverse attribute.",
    help: "test group membership in an inbound rule and scope the outbound rule on the metaverse attribute it sets",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        if rule.direction != Some(Direction::Outbound) {
            continue;
        }
        for (g, group) in rule.scope_groups.iter().enumerate() {
            for (c, clause) in group.iter().enumerate() {
                if let Some(op) = clause.operator.as_ref().filter(|o| o.is_member_of()) {
                    out.report(
                        &RULE,
                        paths::scope(at, g, c, Some(k::CONDITION)),
                        format!(
                            "the outbound {} uses {} in its scope",
                            describe(config, at, rule),
                            op.as_str()
                        ),
                    );
                }
            }
        }
    }
}
