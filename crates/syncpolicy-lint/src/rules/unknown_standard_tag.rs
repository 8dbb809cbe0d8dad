//! SP031 unknown-standard-tag: a `Microsoft.*` immutable tag that is not in the catalogue of
//! out-of-box rules.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use std::collections::HashSet;
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::standard::StandardTag;
use syncpolicy_samples::catalogue::STANDARD_RULES;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP031",
    name: "unknown-standard-tag",
    severity: Severity::Info,
    category: Category::StandardRules,
    summary: "a standard rule's tag is not in the catalogue of out-of-box rules",
    what: "Reports a rule whose immutable tag starts with `Microsoft.` but whose tag (without its version) is not one of the documented out-of-box rules that syncpolicy knows.",
    why: "Newer product versions add standard rules (for example `Out to AAD - Group Writeup Member Limit`), and a tag may have been typed by hand. syncpolicy cannot tell whether such a rule was modified; Microsoft's import treats it as a standard rule and may replace it with its own version.",
    example: "{ \"Name\": \"Out to AAD - Group Writeup Member Limit\", \"immutableTag\": \"Microsoft.OuttoAADGroupWriteupMemberLimit.002\" }",
    fix: "Nothing, if the file comes from a newer server. If the rule is your own, remove the `Microsoft.` tag: custom rules must not carry one.",
    help: "nothing to do if the file comes from a newer product version; a custom rule must not carry a Microsoft.* tag",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    let known: HashSet<String> = STANDARD_RULES
        .iter()
        .filter_map(|h| StandardTag::parse(h.tag).map(|t| t.base))
        .collect();
    for (at, rule) in config.rules() {
        let Some(tag) = rule.standard_tag() else {
            continue;
        };
        if !known.contains(&tag.base) {
            out.report(
                &RULE,
                paths::rule_field(at, k::IMMUTABLE_TAG),
                format!(
                    "{} has the tag {:?}, which is not a known out-of-box rule; it cannot be checked for modifications",
                    describe(config, at, rule),
                    rule.immutable_tag.as_deref().unwrap_or("")
                ),
            );
        }
    }
}
