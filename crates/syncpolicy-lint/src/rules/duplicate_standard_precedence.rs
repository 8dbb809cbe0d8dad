//! SP012 duplicate-standard-precedence: two standard rules share a precedence.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use std::collections::HashMap;
use syncpolicy_json::paths;
use syncpolicy_model::config::RuleLocation;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP012",
    name: "duplicate-standard-precedence",
    severity: Severity::Warning,
    category: Category::Precedence,
    summary: "two standard rules share a precedence",
    what: "Reports every standard rule (immutable tag `Microsoft.*`) whose `precedence` an earlier standard rule of any directory already has.",
    why: "The wizard numbers standard rules uniquely. Equal numbers mean the file was edited; the import renumbers the standard rules (\"Precedence has changed for the following imported sync rules\"), so which rule wins a conflict on the new server is not what the file says.",
    example: "\"standardSynchronizationRules\": [\n  { \"Name\": \"In from AD - User Join\", \"immutableTag\": \"Microsoft.InfromADUserJoin.003\", \"precedence\": 100 },\n  { \"Name\": \"In from AD - InetOrgPerson Join\", \"immutableTag\": \"Microsoft.InfromADInetOrgPersonJoin.003\", \"precedence\": 100 }\n]",
    fix: "Export the configuration again from the server rather than editing standard rules' precedence by hand; to change which rule wins, add a custom rule in 0-99.",
    help: "export the configuration again; do not renumber standard rules by hand",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    let mut first: HashMap<i32, RuleLocation> = HashMap::new();
    for (at, rule) in config.rules() {
        if !rule.is_standard() {
            continue;
        }
        match first.get(&rule.precedence) {
            Some(&earlier) => {
                let other = config
                    .rule(earlier)
                    .map(|r| describe(config, earlier, r))
                    .unwrap_or_default();
                out.report(
                    &RULE,
                    paths::rule_field(at, k::PRECEDENCE),
                    format!(
                        "{} has precedence {}, like {other}",
                        describe(config, at, rule),
                        rule.precedence
                    ),
                )
                .label(
                    paths::rule_field(earlier, k::PRECEDENCE),
                    "the same precedence is used here",
                );
            }
            None => {
                first.insert(rule.precedence, at);
            }
        }
    }
}
