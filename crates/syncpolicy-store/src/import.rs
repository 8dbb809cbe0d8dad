//! What an import refuses before anything is written: connectors a settings file cannot
//! create (Generic SQL, Generic LDAP and other non-AD connectors), and the preserved
//! credential marker the store puts on directories.

use syncpolicy_model::config::Configuration;
use syncpolicy_model::identity::same_guid;
use syncpolicy_model::preserved::Preserved;

/// Key of the marker on a directory's connector settings saying a credential was chosen at
/// install (`"credential": "set"`). The secret itself is never in the configuration.
pub const CREDENTIAL_MARKER_KEY: &str = "credential";
/// Value of the marker.
pub const CREDENTIAL_MARKER_VALUE: &str = "set";

fn mentions_generic(text: &str) -> Option<&'static str> {
    let t: String = text
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if t.contains("genericsql") || t == "gsql" || t.contains("odbc") {
        Some("G-SQL (Generic SQL)")
    } else if t.contains("genericldap") || t == "gldap" {
        Some("G-LDAP (Generic LDAP)")
    } else {
        None
    }
}

fn preserved_kind(p: &Preserved) -> Option<(&str, &'static str)> {
    p.0.iter().find_map(|f| {
        let key = f.key.to_ascii_lowercase();
        let names_kind = [
            "type",
            "category",
            "subtype",
            "connectortype",
            "listname",
            "ma-listname",
            "kind",
        ]
        .iter()
        .any(|k| key == *k || key.ends_with(k));
        if names_kind {
            mentions_generic(&f.raw).map(|kind| (f.key.as_str(), kind))
        } else {
            None
        }
    })
}

/// Reasons an import must refuse this configuration because it holds connectors other than
/// Active Directory forests and the one Entra connector, e.g. G-SQL or G-LDAP: each a
/// message naming where it was found.
pub fn unsupported_connectors(config: &Configuration) -> Vec<String> {
    let mut out = Vec::new();
    for (i, d) in config.onpremises_directories.iter().enumerate() {
        for p in [&d.preserved, &d.connector.preserved] {
            if let Some((key, kind)) = preserved_kind(p) {
                out.push(format!(
                    "onpremisesDirectoryPolicy[{i}] ({}) is a {kind} connector (field {key:?})",
                    d.name
                ));
            }
        }
    }
    if let Some((key, kind)) = preserved_kind(&config.azure_directory.connector.preserved) {
        out.push(format!(
            "the Entra connector entry names a {kind} connector (field {key:?})"
        ));
    }
    let known = |id: &str| {
        config
            .azure_directory
            .connector_id
            .as_deref()
            .is_some_and(|a| same_guid(a, id))
            || config
                .onpremises_directories
                .iter()
                .any(|d| same_guid(&d.unique_identifier, id))
    };
    let listed: Vec<(&str, &String)> = config
        .deployment_metadata
        .connector_ids
        .iter()
        .flatten()
        .map(|id| ("deploymentMetadata.connectorIds", id))
        .chain(
            config
                .extension
                .connector_order
                .iter()
                .map(|id| ("x-syncpolicy.connectorOrder", id)),
        )
        .collect();
    let has_entra_id = config.azure_directory.connector_id.is_some();
    let mut seen: Vec<&String> = Vec::new();
    for (place, id) in listed {
        if known(id) || seen.iter().any(|s| same_guid(s, id)) {
            continue;
        }
        // Without the Entra connector's identifier, one unknown identifier may be it.
        let unknown_count = config
            .deployment_metadata
            .connector_ids
            .iter()
            .flatten()
            .filter(|i| !known(i))
            .count();
        if !has_entra_id && unknown_count <= 1 {
            continue;
        }
        seen.push(id);
        out.push(format!(
            "{place} lists connector {id}, which is neither the Entra connector nor one of the file's Active Directory forests (a G-SQL, G-LDAP or other connector the settings file cannot carry)"
        ));
    }
    out
}

/// Marks a directory's connector settings as having a credential set (or removes the mark).
pub fn mark_credential(config: &mut Configuration, directory_index: usize, set: bool) {
    let Some(d) = config.onpremises_directories.get_mut(directory_index) else {
        return;
    };
    let p = &mut d.connector.preserved;
    p.0.retain(|f| f.key != CREDENTIAL_MARKER_KEY);
    if set {
        p.push(
            CREDENTIAL_MARKER_KEY,
            format!("\"{CREDENTIAL_MARKER_VALUE}\""),
            usize::MAX,
        );
    }
}

/// True when a directory's connector settings carry the credential marker.
pub fn credential_marked(config: &Configuration, directory_index: usize) -> bool {
    config
        .onpremises_directories
        .get(directory_index)
        .is_some_and(|d| {
            d.connector
                .preserved
                .0
                .iter()
                .any(|f| f.key == CREDENTIAL_MARKER_KEY)
        })
}
