//! SP023 soft-delete-expiry-not-allowed: a soft-delete expiry interval on a rule that may not
//! have one.

use super::describe;
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::enums::{Direction, LinkType};

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP023",
    name: "soft-delete-expiry-not-allowed",
    severity: Severity::Error,
    category: Category::RuleSemantics,
    summary: "a soft-delete expiry interval is set on a rule that is not an outbound Provision or StickyJoin rule",
    what: "Reports a rule with a soft-delete expiry interval (kept in syncpolicy's extension part, `softDeleteExpiryInterval` of the rule's entry) unless the rule is Outbound with linkType Provision or StickyJoin.",
    why: "The engine allows the interval only on outbound Provision/StickyJoin rules (it delays the deletion of objects those rules provisioned); on other rules it refuses the rule.",
    example: "\"x-syncpolicy\": { \"rules\": [ { \"at\": \"onpremisesDirectoryPolicy[0].customSynchronizationRules[0]\", \"softDeleteExpiryInterval\": \"7.00:00:00\" } ] }",
    fix: "Remove the interval, or set it on the outbound Provision rule whose deletions it should delay.",
    help: "remove the soft-delete expiry interval from this rule",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        let Some(interval) = &rule.extension.soft_delete_expiry_interval else {
            continue;
        };
        let allowed = rule.direction == Some(Direction::Outbound)
            && matches!(
                rule.link_type,
                Some(LinkType::Provision | LinkType::StickyJoin)
            );
        if !allowed {
            out.report(
                &RULE,
                paths::rule(at),
                format!(
                    "{} ({} {}) has a soft-delete expiry interval ({interval}), allowed only on outbound Provision or StickyJoin rules",
                    describe(config, at, rule),
                    rule.direction_str(),
                    rule.link_type.as_ref().map(LinkType::as_str).unwrap_or("")
                ),
            );
        }
    }
}
