//! SP050 unsupported-connector-type: a directory whose connector is a Generic SQL (G-SQL) or
//! Generic LDAP (G-LDAP) connector, with which the settings feature cannot be used.

use super::connector_path;
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::config::DirectoryRef;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::preserved::PreservedField;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP050",
    name: "unsupported-connector-type",
    severity: Severity::Error,
    category: Category::NotSupported,
    summary: "a directory uses a Generic SQL (G-SQL) or Generic LDAP (G-LDAP) connector",
    what: "Microsoft's settings file has no connector-type field. A file says that a directory's connector is of another type with a key the format does not define, kept by syncpolicy as written: `connectorType`, `type`, `category`, `maType`, `maListName`, `listName`, `assemblyName` or `extensionAssembly` (any case) in the directory's object of `onpremisesDirectoryPolicy` or in its connector entry of the `x-syncpolicy` part. The rule reports such a key whose value names a generic SQL or LDAP connector: `GenericSql`, `GenericLdap`, `G-SQL`, `G-LDAP`, `Generic SQL (Microsoft)`, `Microsoft.IAM.Connector.GenericSql` and the like (compared without case, spaces or punctuation). A legacy server-configuration export carries the same information in the connector's `<ma-listname>` and extension assembly name.",
    why: "Synchronization settings import and export cannot be used on a server with G-SQL or G-LDAP connectors: Microsoft's import does not support them, and syncpolicy's model has no place for their configuration, so nothing about them would be carried over.",
    example: "\"onpremisesDirectoryPolicy\": [ { \"friendlyName\": \"hr-database\", \"connectorType\": \"GenericSql\", \"partitionFilters\": [] } ]",
    fix: "Remove the G-SQL / G-LDAP connectors from the server before exporting its settings (and recreate them by hand on the new server), or migrate that server by hand.",
    help: "remove the G-SQL / G-LDAP connector from the configuration and set it up by hand on the new server",
    file_only: false,
    check,
};

const MARKER_KEYS: &[&str] = &[
    "connectortype",
    "type",
    "category",
    "matype",
    "malistname",
    "listname",
    "assemblyname",
    "extensionassembly",
];

fn squash(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The generic connector a preserved field names, if any.
fn generic_kind(field: &PreservedField) -> Option<&'static str> {
    if !MARKER_KEYS.contains(&squash(&field.key).as_str()) {
        return None;
    }
    let value = squash(&field.raw);
    if value.contains("genericsql") || value == "gsql" {
        Some("Generic SQL (G-SQL)")
    } else if value.contains("genericldap") || value == "gldap" {
        Some("Generic LDAP (G-LDAP)")
    } else {
        None
    }
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (i, d) in config.onpremises_directories.iter().enumerate() {
        let places = d
            .preserved
            .0
            .iter()
            .map(|f| (f, paths::onprem_field(i, &f.key)))
            .chain(d.connector.preserved.0.iter().map(|f| {
                (
                    f,
                    connector_path(config, DirectoryRef::OnPremises(i), Some(&f.key)),
                )
            }));
        for (field, path) in places {
            if let Some(kind) = generic_kind(field) {
                out.report(
                    &RULE,
                    path,
                    format!(
                        "the directory {:?} uses a {kind} connector ({} = {}); settings import and export do not support it",
                        d.name, field.key, field.raw
                    ),
                );
            }
        }
    }
}
