//! SP015 unknown-application: app filtering names an application the wizard does not offer.

use super::exported_attributes_path;
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::keys;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::values::{application, application_names};

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP015",
    name: "unknown-application",
    severity: Severity::Warning,
    category: Category::Structure,
    summary: "app filtering names an application the wizard does not offer",
    what: "Checks each entry of `azureDirectoryPolicy.exportedAttributePolicy.applicationRestrictions` against the applications of the wizard's \"Azure AD app and attribute filtering\" page, one per out-of-box `Out to AAD - User <App>` rule: Office 365 ProPlus, Exchange Online, SharePoint Online, Lync Online, Azure RMS, Intune, Dynamics CRM, and 3rd party application. Compared without regard to case or spaces, so the rule spelling (`ExchangeOnline`) is accepted. `syncpolicy feature app-filter --apps` refuses other names with the same check.",
    why: "An application the import does not know selects nothing: the attributes that application needs are filtered out of Entra ID without notice. Microsoft does not publish the stored strings, so this is a warning.",
    example: "\"exportedAttributePolicy\": { \"applicationRestrictions\": [ \"Exchange Online\", \"Bogus App\" ] }",
    fix: "Use the application names the wizard shows; remove entries for applications that are not offered.",
    help: "use an application the wizard offers",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let apps = &cx
        .config
        .azure_directory
        .exported_attributes
        .application_restrictions;
    for (i, a) in apps.iter().enumerate() {
        if application(a).is_none() {
            out.report(
                &RULE,
                exported_attributes_path(keys::EXPORTED_ATTRIBUTES[0], i),
                format!("app filtering names {a:?}, which is not an application the wizard offers"),
            )
            .help(format!("use one of {}", application_names()));
        }
    }
}
