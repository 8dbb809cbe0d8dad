//! Helpers shared by the diff tests: the `check` helper, crafted-pair builders, and a GUID
//! regenerator that gives a configuration new identifiers everywhere.

use syncpolicy_diff::{diff, Change, Diff, DiffOptions, Filter};
use syncpolicy_model::config::Configuration;

/// Compares `old` with `new` and returns every change (metadata included) as compact lines
/// `marker kind class area | path | old -> new`, for inline snapshots.
pub(crate) fn check(old: &Configuration, new: &Configuration, options: &DiffOptions) -> String {
    lines(&diff(old, new, options).filtered(&Filter::all()))
}

/// Compact lines of a diff's changes.
pub(crate) fn lines(d: &Diff) -> String {
    d.changes.iter().map(line).collect::<Vec<_>>().join("\n")
}

fn one_line(v: &Option<String>) -> String {
    match v {
        Some(s) => s.replace('\n', " | "),
        None => "(none)".to_owned(),
    }
}

/// One change as a compact line.
pub(crate) fn line(c: &Change) -> String {
    format!(
        "{} {} {} {} | {} | {} -> {}",
        c.kind.marker(),
        c.kind.as_str(),
        c.class.as_str(),
        c.area.as_str(),
        c.path,
        one_line(&c.old),
        one_line(&c.new)
    )
}

/// A deterministic GUID for a counter.
fn guid(n: u64) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        n * 2654435761 % 0xffff_ffff,
        n % 0xffff,
        n % 0xfff,
        (n * 7) % 0xfff,
        n * 97
    )
}

/// Gives every identifier of the configuration a new value, as another server would (rules,
/// directories, connectors, run order, deployment metadata); references stay consistent.
pub(crate) fn regenerate_identifiers(c: &mut Configuration) {
    use std::collections::HashMap;
    let mut map: HashMap<String, String> = HashMap::new();
    let mut next = 1000u64;
    let mut fresh = |old: &str, map: &mut HashMap<String, String>| -> String {
        let key = syncpolicy_model::identity::normalize_guid(old);
        map.entry(key)
            .or_insert_with(|| {
                next += 1;
                guid(next).to_uppercase()
            })
            .clone()
    };
    if let Some(id) = c.azure_directory.connector_id.clone() {
        c.azure_directory.connector_id = Some(fresh(&id, &mut map));
    }
    for d in &mut c.onpremises_directories {
        d.unique_identifier = fresh(&d.unique_identifier.clone(), &mut map);
    }
    let mut rules: Vec<&mut syncpolicy_model::rule::SyncRule> = Vec::new();
    rules.extend(c.azure_directory.standard_rules.iter_mut());
    rules.extend(c.azure_directory.custom_rules.iter_mut());
    for d in c.onpremises_directories.iter_mut() {
        rules.extend(d.standard_rules.iter_mut());
        rules.extend(d.custom_rules.iter_mut());
    }
    for r in rules {
        if let Some(id) = r.unique_identifier.clone() {
            r.unique_identifier = Some(fresh(&id, &mut map));
        }
        r.internal_identifier = fresh(&r.internal_identifier.clone(), &mut map);
        for id in [
            &mut r.extension.connector_id,
            &mut r.extension.precedence_before,
            &mut r.extension.precedence_after,
        ]
        .into_iter()
        .flatten()
        {
            *id = fresh(&id.clone(), &mut map);
        }
    }
    let order: Vec<String> = c
        .extension
        .connector_order
        .iter()
        .map(|id| fresh(id, &mut map))
        .collect();
    c.extension.connector_order = order;
    if let Some(ids) = c.deployment_metadata.connector_ids.as_mut() {
        for id in ids.iter_mut() {
            *id = fresh(&id.clone(), &mut map);
        }
    }
}
