//! SP014 unknown-user-matching-option: `userMatchingPolicy` is not one of the wizard's
//! user-matching options, or the specific-attribute option has no attribute.

use super::identity_path;
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::keys;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::values::{matching_option, matching_values};

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP014",
    name: "unknown-user-matching-option",
    severity: Severity::Warning,
    category: Category::Structure,
    summary: "the user-matching policy is not one of the wizard's options",
    what: "Checks `identityMappingPolicy.userMatchingPolicy` against the wizard's user-matching options: `UsersRepresentedOnce`, `MailAttribute`, `ObjectSIDAndMsExchMasterAccountSID` (also read: the engine's `ObjectSID`), `SAMAccountNameAndMailNickname` and `SpecificAttribute`, without regard to case; `SpecificAttribute` also needs `userMatchingAttribute`. An empty or absent policy is not reported. `syncpolicy identity --matching` refuses other values with the same check.",
    why: "The import pre-selects the matching option from the file; a value it does not know leaves the choice to chance, and users of several forests may be joined differently than on the old server. Microsoft does not publish the strings, so a value a newer version writes is reported as a warning, not an error.",
    example: "\"identityMappingPolicy\": { \"userMatchingPolicy\": \"Bogus\" }",
    fix: "Use one of the listed options; with `SpecificAttribute`, set `userMatchingAttribute`.",
    help: "use one of the wizard's user-matching options",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let idm = &cx.config.identity_mapping;
    let Some(policy) = idm
        .user_matching_policy
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    else {
        return;
    };
    match matching_option(policy) {
        None => {
            out.report(
                &RULE,
                identity_path(keys::IDENTITY_MAPPING[2]),
                format!("user matching {policy:?} is not one of the wizard's options"),
            )
            .help(format!("use one of {}", matching_values()));
        }
        Some(o) if o.needs_attribute && idm.user_matching_attribute.trim().is_empty() => {
            out.report(
                &RULE,
                identity_path(keys::IDENTITY_MAPPING[2]),
                format!("user matching {policy:?} needs a matching attribute, and userMatchingAttribute is empty"),
            )
            .help("set userMatchingAttribute to the attribute users are joined on");
        }
        Some(_) => {}
    }
}
