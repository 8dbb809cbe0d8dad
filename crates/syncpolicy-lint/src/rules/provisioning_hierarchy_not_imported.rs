//! SP044 provisioning-hierarchy-not-imported: a connector's provisioning hierarchy, which
//! Microsoft's import does not carry.

use super::{connector_path, connectors, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP044",
    name: "provisioning-hierarchy-not-imported",
    severity: Severity::Info,
    category: Category::NotCarriedOver,
    summary: "a connector creates missing parent containers (provisioning hierarchy); Microsoft's import does not carry it",
    what: "Reports a connector with an enabled provisioning hierarchy or hierarchy mappings (syncpolicy's extension part, `provisioningHierarchy` of the connector's entry).",
    why: "The provisioning hierarchy is not part of Microsoft's settings file (a documented limitation); after Microsoft's import, exports that need a missing OU fail. syncpolicy's own import keeps it.",
    example: "\"provisioningHierarchy\": { \"enabled\": true, \"mappings\": [ { \"component\": \"OU\", \"objectClass\": \"organizationalUnit\", \"attribute\": \"ou\" } ] }",
    fix: "Nothing for syncpolicy's import. After Microsoft's import, configure the provisioning hierarchy on the connector by hand.",
    help: "after Microsoft's import, configure the provisioning hierarchy by hand; syncpolicy's own import keeps it",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (dir, connector) in connectors(config) {
        if let Some(h) = &connector.provisioning_hierarchy {
            if h.enabled || !h.mappings.is_empty() {
                let components: Vec<&str> =
                    h.mappings.iter().map(|m| m.component.as_str()).collect();
                out.report(
                    &RULE,
                    connector_path(config, dir, Some(k::EXT_HIERARCHY)),
                    format!(
                        "{} has a provisioning hierarchy ({}{}); Microsoft's import does not carry it",
                        config.directory_name(dir),
                        if h.enabled { "enabled" } else { "disabled" },
                        if components.is_empty() {
                            String::new()
                        } else {
                            format!(", components {}", components.join(", "))
                        }
                    ),
                );
            }
        }
    }
}
