//! Finding what a change names: a directory by name or identifier, a partition by DN or FQDN,
//! a rule by name (optionally with its directory and direction) or identifier.

use crate::error::EditError;
use syncpolicy_model::config::{Configuration, DirectoryRef, RuleLocation};
use syncpolicy_model::identity::{normalize_dn, normalize_guid, same_guid};
use syncpolicy_model::suggest;

/// The name used for the Entra directory on the command line.
pub const ENTRA: &str = "entra";

/// Finds a directory by name, forest or identifier (`entra` or the Entra connector's name for
/// the cloud directory).
pub fn directory(config: &Configuration, name: &str) -> Result<DirectoryRef, EditError> {
    let n = name.trim();
    if n.eq_ignore_ascii_case(ENTRA)
        || n.eq_ignore_ascii_case("azure")
        || n.eq_ignore_ascii_case("aad")
        || config
            .azure_directory
            .connector
            .name
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(n))
        || config
            .azure_directory
            .connector_id
            .as_deref()
            .is_some_and(|c| same_guid(c, n))
    {
        return Ok(DirectoryRef::Azure);
    }
    onprem_directory(config, n).map(DirectoryRef::OnPremises)
}

/// Finds an on-premises directory by name, forest or identifier.
pub fn onprem_directory(config: &Configuration, name: &str) -> Result<usize, EditError> {
    let n = name.trim();
    let found: Vec<usize> = config
        .onpremises_directories
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.name.eq_ignore_ascii_case(n)
                || d.forest
                    .as_deref()
                    .is_some_and(|f| f.eq_ignore_ascii_case(n))
                || (!d.unique_identifier.is_empty() && same_guid(&d.unique_identifier, n))
        })
        .map(|(i, _)| i)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let names = config
                .onpremises_directories
                .iter()
                .flat_map(|d| [Some(d.name.as_str()), d.forest.as_deref()])
                .flatten();
            let hint = match suggest::hint(n, names, "directory names") {
                Some(h) => format!("{h} (the directories are: {})", directory_names(config)),
                None => format!("the directories are: {}", directory_names(config)),
            };
            Err(EditError::not_found(
                format!("on-premises directory {n:?}"),
                hint,
            ))
        }
        _ => Err(EditError::refused(
            format!("{n:?} names more than one directory"),
            "name the directory by its identifier",
        )),
    }
}

/// A hint for text that starts one or more rule identifiers (as git names the objects an
/// ambiguous short identifier could mean).
fn rule_id_hint(config: &Configuration, typed: &str) -> Option<String> {
    let want = normalize_guid(typed);
    if want.len() < 4 || !want.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return None;
    }
    let ids: Vec<String> = config
        .rules()
        .filter_map(|(_, r)| {
            let id = r.unique_identifier.as_deref()?;
            normalize_guid(id)
                .starts_with(&want)
                .then(|| format!("{id} ({})", r.name()))
        })
        .collect();
    match ids.as_slice() {
        [] => None,
        [one] => Some(format!(
            "did you mean rule {one}? identifiers are matched whole"
        )),
        many => Some(format!(
            "{typed:?} is the start of {} rule identifiers: {}\nhint: give the whole identifier",
            many.len(),
            suggest::listing(many)
        )),
    }
}

fn directory_names(config: &Configuration) -> String {
    let names: Vec<&str> = config
        .onpremises_directories
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    if names.is_empty() {
        "(none)".to_owned()
    } else {
        names.join(", ")
    }
}

/// Finds a partition of an on-premises directory by DN or FQDN.
pub fn partition(config: &Configuration, dir: usize, name: &str) -> Result<usize, EditError> {
    let d = &config.onpremises_directories[dir];
    let want = normalize_dn(name);
    d.partitions
        .iter()
        .position(|p| {
            p.distinguished_name
                .as_deref()
                .is_some_and(|dn| normalize_dn(dn) == want)
                || p.fqdn
                    .as_deref()
                    .is_some_and(|f| f.eq_ignore_ascii_case(name.trim()))
        })
        .ok_or_else(|| {
            let names: Vec<String> = d
                .partitions
                .iter()
                .filter_map(|p| p.distinguished_name.clone().or_else(|| p.fqdn.clone()))
                .collect();
            let listed = format!("the partitions are: {}", names.join(", "));
            let near = d
                .partitions
                .iter()
                .flat_map(|p| [p.distinguished_name.as_deref(), p.fqdn.as_deref()])
                .flatten();
            EditError::not_found(
                format!("partition {name:?} in {}", d.name),
                match suggest::hint(name, near, "partitions") {
                    Some(h) => format!("{h} ({listed})"),
                    None => listed,
                },
            )
        })
}

/// Which rules a selector may match.
#[derive(Debug, Clone, Default)]
pub struct RuleSelector {
    /// Rule name (exact, case-insensitive) or identifier.
    pub rule: String,
    /// Limit to one directory.
    pub directory: Option<String>,
    /// Limit to one direction (`inbound` / `outbound`).
    pub direction: Option<String>,
}

/// Finds exactly one rule.
pub fn rule(config: &Configuration, sel: &RuleSelector) -> Result<RuleLocation, EditError> {
    let dir = match &sel.directory {
        Some(d) => Some(directory(config, d)?),
        None => None,
    };
    let want = sel.rule.trim();
    let by_id = normalize_guid(want);
    let matches: Vec<RuleLocation> = config
        .rules()
        .filter(|(loc, r)| {
            dir.is_none_or(|d| d == loc.directory)
                && sel
                    .direction
                    .as_deref()
                    .is_none_or(|x| r.direction_str().eq_ignore_ascii_case(x))
                && (r.name().eq_ignore_ascii_case(want)
                    || r.unique_identifier
                        .as_deref()
                        .is_some_and(|id| normalize_guid(id) == by_id))
        })
        .map(|(loc, _)| loc)
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => {
            let list = "list the rules with `syncpolicy rule list`; names are matched whole, case-insensitively";
            let names = config
                .rules()
                .filter(|(loc, _)| dir.is_none_or(|d| d == loc.directory))
                .map(|(_, r)| r.name());
            let hint = match suggest::suggest(want, names) {
                suggest::Suggestion::Nothing => {
                    rule_id_hint(config, want).unwrap_or_else(|| list.to_owned())
                }
                s => format!(
                    "{}\nhint: {list}",
                    s.hint(want, "rule names").unwrap_or_default()
                ),
            };
            Err(EditError::not_found(format!("rule {want:?}"), hint))
        }
        many => {
            let places: Vec<String> = many
                .iter()
                .map(|l| {
                    let r = config
                        .rule(*l)
                        .map(|r| r.direction_str().to_owned())
                        .unwrap_or_default();
                    format!("{} ({r})", config.directory_name(l.directory))
                })
                .collect();
            Err(EditError::refused(
                format!("{want:?} names {} rules: {}", many.len(), places.join(", ")),
                "add --directory and/or --direction, or name the rule by its identifier",
            ))
        }
    }
}
