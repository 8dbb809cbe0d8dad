//! SP046 disabled-rule-imported-enabled: a disabled custom rule, which older versions of
//! Microsoft's import enable.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::config::RuleSet;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP046",
    name: "disabled-rule-imported-enabled",
    severity: Severity::Info,
    category: Category::NotCarriedOver,
    summary: "a custom rule is disabled; older versions of Microsoft's import enable it",
    what: "Reports a custom rule with `disabled: true`.",
    why: "\"A disabled custom synchronization rule will be imported as enabled\" (a documented limitation of older versions of Microsoft's import): the rule starts to act at the first synchronization. syncpolicy's own import keeps it disabled.",
    example: "{ \"Name\": \"In from AD - User Legacy Title\", \"disabled\": true, \"precedence\": 52 }",
    fix: "Nothing for syncpolicy's import. After Microsoft's import, check the rule and disable it again before the first synchronization (the server is in staging mode after import), or delete it if it is no longer needed.",
    help: "after Microsoft's import, disable the rule again before the first synchronization; syncpolicy's own import keeps it disabled",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (at, rule) in config.rules() {
        if at.set == RuleSet::Custom && rule.disabled && !rule.is_standard() {
            out.report(
                &RULE,
                paths::rule_field(at, k::DISABLED),
                format!(
                    "{} is disabled; older versions of Microsoft's import enable it",
                    describe(config, at, rule)
                ),
            );
        }
    }
}
