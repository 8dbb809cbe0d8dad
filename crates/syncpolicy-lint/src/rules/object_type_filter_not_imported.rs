//! SP041 object-type-filter-not-imported: a connector's object-type selection differs from
//! the default, and Microsoft's settings file cannot carry it.

use super::{connector_path, connectors, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use std::collections::BTreeSet;
use syncpolicy_model::config::DirectoryRef;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_samples::generate::DEFAULT_OBJECT_TYPES;

/// Object types the Entra ID connector imports by default.
const ENTRA_OBJECT_TYPES: &[&str] = &["user", "group", "contact", "device", "publicFolder"];

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP041",
    name: "object-type-filter-not-imported",
    severity: Severity::Info,
    category: Category::NotCarriedOver,
    summary: "a connector's object-type filter differs from the default; Microsoft's import does not carry it",
    what: "Reports a connector whose recorded object types (syncpolicy's extension part, `objectTypes` of the connector's entry) differ from the default selection (AD: computer, contact, foreignSecurityPrincipal, group, inetOrgPerson, msDS-Device, user, container, domainDNS, organizationalUnit; Entra ID: user, group, contact, device, publicFolder).",
    why: "Microsoft's settings file has no place for it (\"Synchronized object types ... isn't currently supported via synchronization settings\"), so after Microsoft's import the connector synchronizes the default types. syncpolicy's own import keeps the selection.",
    example: "\"x-syncpolicy\": { \"onpremisesConnectors\": [ { \"friendlyName\": \"contoso.com\", \"objectTypes\": [\"user\", \"group\"] } ] }",
    fix: "Nothing for syncpolicy's import. After Microsoft's import, select the same object types on the connector by hand.",
    help: "after Microsoft's import, select these object types on the connector by hand; syncpolicy's own import keeps them",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (dir, connector) in connectors(config) {
        let Some(types) = &connector.object_types else {
            continue;
        };
        let defaults = match dir {
            DirectoryRef::Azure => ENTRA_OBJECT_TYPES,
            DirectoryRef::OnPremises(_) => DEFAULT_OBJECT_TYPES,
        };
        let have: BTreeSet<String> = types
            .iter()
            .map(|t| t.trim().to_ascii_lowercase())
            .collect();
        let want: BTreeSet<String> = defaults.iter().map(|t| t.to_ascii_lowercase()).collect();
        if have != want {
            let added: Vec<&str> = types
                .iter()
                .map(String::as_str)
                .filter(|t| !want.contains(&t.trim().to_ascii_lowercase()))
                .collect();
            let removed: Vec<&str> = defaults
                .iter()
                .copied()
                .filter(|t| !have.contains(&t.to_ascii_lowercase()))
                .collect();
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("added {}", added.join(", ")));
            }
            if !removed.is_empty() {
                parts.push(format!("left out {}", removed.join(", ")));
            }
            out.report(
                &RULE,
                connector_path(config, dir, Some(k::EXT_OBJECT_TYPES)),
                format!(
                    "the object-type filter of {} differs from the default ({}); Microsoft's import does not carry it",
                    config.directory_name(dir),
                    parts.join("; ")
                ),
            );
        }
    }
}
