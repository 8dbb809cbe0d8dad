//! SP045 federation-parameters-not-imported: federated sign-in, whose parameters Microsoft's
//! import asks for again.

use super::k;
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP045",
    name: "federation-parameters-not-imported",
    severity: Severity::Info,
    category: Category::NotCarriedOver,
    summary: "sign-in is federated (AD FS or PingFederate); Microsoft's import asks for its parameters again",
    what: "Reports an `authenticationPolicy` whose sign-in method is federation with AD FS or PingFederate.",
    why: "Microsoft's import only pre-selects the sign-in method; the federation parameters (farm, servers, certificates, PingFederate settings) are asked for interactively. syncpolicy's own import keeps the method and what the file records.",
    example: "\"authenticationPolicy\": [ \"FederationWithADFS\" ]",
    fix: "Nothing for syncpolicy's import. Have the federation parameters at hand when running Microsoft's import.",
    help: "have the federation parameters at hand for Microsoft's import; syncpolicy's own import keeps the sign-in settings",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    if let Some(method) = cx.config.sign_in.method().filter(|m| m.is_federated()) {
        out.report(
            &RULE,
            k::AUTHENTICATION_POLICY,
            format!(
                "sign-in is {}; Microsoft's import asks for the federation parameters again",
                method.label()
            ),
        );
    }
}
