//! SP016 directory-extension-not-offered: a directory extension of an object class or data
//! type the wizard does not offer.

use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::{keys, paths};
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::values::check_extension;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP016",
    name: "directory-extension-not-offered",
    severity: Severity::Warning,
    category: Category::Structure,
    summary: "a directory extension has an object class or data type the wizard does not offer",
    what: "Checks each `directoryExtensionPolicy` entry: the object class is `user` or `group`; a single-valued attribute is String, Boolean, Integer or Binary, a multi-valued one String or Binary (the candidates the wizard's directory extensions page shows). `syncpolicy feature extension-add` refuses others with the same check.",
    why: "The wizard only offers these attributes for synchronization to Entra ID; an extension outside them cannot be selected on the new server and is dropped at import.",
    example: "\"directoryExtensionPolicy\": [ { \"attribute\": \"employeeType\", \"objectClass\": \"contact\", \"dataType\": \"DateTime\", \"multiValued\": false } ]",
    fix: "Synchronize user or group attributes of the offered data types; map other values into such an attribute with a custom rule.",
    help: "use a user or group attribute of an offered data type",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for (i, e) in cx
        .config
        .azure_directory
        .directory_extensions
        .iter()
        .enumerate()
    {
        let (Some(class), Some(data_type)) = (e.object_class.as_deref(), e.data_type.as_deref())
        else {
            continue;
        };
        if let Err((message, hint)) = check_extension(class, data_type, e.multi_valued) {
            let field = if message.contains("object class") {
                keys::DIRECTORY_EXTENSION[1]
            } else {
                keys::DIRECTORY_EXTENSION[2]
            };
            out.report(
                &RULE,
                format!("{}.{field}", paths::directory_extension(i)),
                format!(
                    "directory extension {class}.{}: {message}",
                    e.attribute.as_deref().unwrap_or("?")
                ),
            )
            .help(hint);
        }
    }
}
