//! JSON paths of model items in a settings file, for diagnostics
//! (`onpremisesDirectoryPolicy[1].customSynchronizationRules[0].precedence`).

use crate::keys;
use syncpolicy_model::config::{DirectoryRef, RuleLocation, RuleSet};

/// Path of a directory section.
pub fn directory(dir: DirectoryRef) -> String {
    match dir {
        DirectoryRef::Azure => keys::TOP[7].to_owned(),
        DirectoryRef::OnPremises(i) => format!("{}[{i}]", keys::TOP[8]),
    }
}

/// Path of a rule.
pub fn rule(at: RuleLocation) -> String {
    let list = match at.set {
        RuleSet::Standard => "standardSynchronizationRules",
        RuleSet::Custom => "customSynchronizationRules",
    };
    format!("{}.{list}[{}]", directory(at.directory), at.index)
}

/// Path of a rule's field; `field` is a key of [`keys::RULE`].
pub fn rule_field(at: RuleLocation, field: &str) -> String {
    format!("{}.{field}", rule(at))
}

/// Path of a mapping of a rule, or of one of its fields (`field` from [`keys::MAPPING`]).
pub fn mapping(at: RuleLocation, index: usize, field: Option<&str>) -> String {
    let base = format!("{}.attributeMappings[{index}]", rule(at));
    match field {
        Some(f) => format!("{base}.{f}"),
        None => base,
    }
}

/// Path of a scope clause (`field` from [`keys::SCOPE`]).
pub fn scope(at: RuleLocation, group: usize, clause: usize, field: Option<&str>) -> String {
    let base = format!("{}.scopeFilters[{group}][{clause}]", rule(at));
    match field {
        Some(f) => format!("{base}.{f}"),
        None => base,
    }
}

/// Path of a join condition (`field` from [`keys::JOIN`]).
pub fn join(at: RuleLocation, group: usize, condition: usize, field: Option<&str>) -> String {
    let base = format!("{}.joinConditions[{group}][{condition}]", rule(at));
    match field {
        Some(f) => format!("{base}.{f}"),
        None => base,
    }
}

/// Path of a partition of an on-premises directory (`field` from [`keys::PARTITION`]).
pub fn partition(directory: usize, partition: usize, field: Option<&str>) -> String {
    let base = format!(
        "{}[{directory}].partitionFilters[{partition}]",
        keys::TOP[8]
    );
    match field {
        Some(f) => format!("{base}.{f}"),
        None => base,
    }
}

/// Path of a field of an on-premises directory (`field` from [`keys::ONPREM`]).
pub fn onprem_field(directory: usize, field: &str) -> String {
    format!("{}[{directory}].{field}", keys::TOP[8])
}

/// Path of a directory extension attribute.
pub fn directory_extension(index: usize) -> String {
    format!("{}.directoryExtensionPolicy[{index}]", keys::TOP[7])
}

/// Path of a metaverse extension attribute.
pub fn metaverse_attribute(index: usize) -> String {
    format!("{}.attributes[{index}]", keys::TOP[6])
}

/// Path of the extension part's connector entry of an on-premises directory.
pub fn extension(field: &str) -> String {
    format!("{}.{field}", keys::EXTENSION)
}
