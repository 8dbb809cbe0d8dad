//! SP040 device-writeback-not-imported: device writeback, which Microsoft's import does not
//! apply.

use super::k;
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP040",
    name: "device-writeback-not-imported",
    severity: Severity::Info,
    category: Category::NotCarriedOver,
    summary: "device writeback is configured; Microsoft's import does not apply it",
    what: "Reports an on-premises directory with a `deviceWritebackDistinguishedName`.",
    why: "Microsoft's import catalogs device writeback but does not configure it (\"Device Writeback Policy is not implemented and must be applied manually\"). syncpolicy's own import (`syncpolicy install --import`) keeps it.",
    example: "{ \"friendlyName\": \"contoso.com\", \"deviceWritebackDistinguishedName\": \"CN=RegisteredDevices,DC=contoso,DC=com\" }",
    fix: "Nothing for syncpolicy's import. After Microsoft's import, enable device writeback in the wizard and choose the same container.",
    help: "after Microsoft's import, enable device writeback in the wizard by hand; syncpolicy's own import keeps it",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for (i, d) in cx.config.onpremises_directories.iter().enumerate() {
        if !d.device_writeback_dn.trim().is_empty() {
            out.report(
                &RULE,
                paths::onprem_field(i, k::DEVICE_WRITEBACK),
                format!(
                    "{} writes devices back to {:?}; Microsoft's import does not apply device writeback",
                    d.name, d.device_writeback_dn
                ),
            );
        }
    }
}
