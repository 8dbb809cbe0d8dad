//! Which directory a rule read from a script belongs to: the Entra connector by its fixed
//! identifier, an AD connector by the identifier of a directory of the configuration, else by
//! a `--map CONNECTOR=DIRECTORY` entry (as `diff --map`); an unknown connector is an error
//! naming it. Also builds a configuration out of a rules file alone (a source of its own).

use crate::read::ReadRule;
use crate::ENTRA_CONNECTOR_ID;
use syncpolicy_model::config::{Configuration, DirectoryRef, OnPremisesDirectory};
use syncpolicy_model::identity::same_guid;
use syncpolicy_model::rule::SyncRule;

/// A connector of the script that no directory of the configuration has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: the rule '{rule}' belongs to the connector {connector}, which is no directory of the configuration\nhint: {hint}")]
pub struct ConnectError {
    pub file: String,
    pub line: u32,
    pub rule: String,
    pub connector: String,
    pub hint: String,
}

/// The directory a connector identifier names: Entra, a directory with that identifier, or
/// the directory a map entry `CONNECTOR=DIRECTORY` (directory name or identifier) names.
pub fn resolve_connector(
    config: &Configuration,
    connector: &str,
    map: &[(String, String)],
) -> Option<DirectoryRef> {
    if same_guid(connector, ENTRA_CONNECTOR_ID)
        || config
            .azure_directory
            .connector_id
            .as_deref()
            .is_some_and(|id| same_guid(id, connector))
    {
        return Some(DirectoryRef::Azure);
    }
    let by_id = |id: &str| {
        config
            .onpremises_directories
            .iter()
            .position(|d| !d.unique_identifier.is_empty() && same_guid(&d.unique_identifier, id))
    };
    if let Some(i) = by_id(connector) {
        return Some(DirectoryRef::OnPremises(i));
    }
    for (from, to) in map {
        if !same_guid(from, connector) {
            continue;
        }
        if to.eq_ignore_ascii_case("entra") {
            return Some(DirectoryRef::Azure);
        }
        if let Some(i) = config
            .onpremises_directories
            .iter()
            .position(|d| d.name.eq_ignore_ascii_case(to))
            .or_else(|| by_id(to))
        {
            return Some(DirectoryRef::OnPremises(i));
        }
    }
    None
}

/// The identifier the rules of a directory carry as their connector: for Entra ID the fixed
/// identifier of the Entra connector (the same on every server, whatever a configuration
/// recorded), for an on-premises directory its identifier.
pub fn connector_of(config: &Configuration, dir: DirectoryRef) -> String {
    match dir {
        DirectoryRef::Azure => ENTRA_CONNECTOR_ID.to_owned(),
        DirectoryRef::OnPremises(i) => config
            .onpremises_directories
            .get(i)
            .map(|d| d.unique_identifier.clone())
            .unwrap_or_default(),
    }
}

/// Places every read rule into a directory of `config`; its connector becomes that
/// directory's identifier. The first rule whose connector names no directory is an error.
pub fn place_rules(
    config: &Configuration,
    rules: &[ReadRule],
    map: &[(String, String)],
    file: &str,
) -> Result<Vec<(DirectoryRef, SyncRule)>, ConnectError> {
    let mut out = Vec::with_capacity(rules.len());
    for r in rules {
        let Some(dir) = resolve_connector(config, &r.connector, map) else {
            let names: Vec<String> = config
                .onpremises_directories
                .iter()
                .map(|d| format!("{} ({})", d.name, d.unique_identifier))
                .collect();
            return Err(ConnectError {
                file: file.to_owned(),
                line: r.line,
                rule: r.rule.name().to_owned(),
                connector: r.connector.clone(),
                hint: format!(
                    "connector identifiers differ per server; say which directory it is with --map {}=DIRECTORY (the directories: {})",
                    r.connector,
                    if names.is_empty() { "none".to_owned() } else { names.join(", ") }
                ),
            });
        };
        let mut rule = r.rule.clone();
        rule.extension.connector_id = Some(connector_of(config, dir));
        out.push((dir, rule));
    }
    Ok(out)
}

/// A configuration holding only the rules of a file: Entra rules in the Entra directory, the
/// rules of every other connector in a directory named and identified by that connector's
/// identifier; standard (`Microsoft.*` tag) and custom rules in their lists.
pub fn to_configuration(rules: &[ReadRule]) -> Configuration {
    let mut config = Configuration::default();
    config.azure_directory.connector_id = Some(ENTRA_CONNECTOR_ID.to_owned());
    for r in rules {
        let lists = if same_guid(&r.connector, ENTRA_CONNECTOR_ID) {
            (
                &mut config.azure_directory.standard_rules,
                &mut config.azure_directory.custom_rules,
            )
        } else {
            let i = match config
                .onpremises_directories
                .iter()
                .position(|d| same_guid(&d.unique_identifier, &r.connector))
            {
                Some(i) => i,
                None => {
                    config.onpremises_directories.push(OnPremisesDirectory {
                        name: r.connector.clone(),
                        unique_identifier: r.connector.clone(),
                        ..OnPremisesDirectory::default()
                    });
                    config.onpremises_directories.len() - 1
                }
            };
            let d = &mut config.onpremises_directories[i];
            (&mut d.standard_rules, &mut d.custom_rules)
        };
        if r.rule.is_standard() {
            lists.0.push(r.rule.clone());
        } else {
            lists.1.push(r.rule.clone());
        }
    }
    config
}
