//! JSON paths of model items in a settings file, for diagnostics
//! (`onpremisesDirectoryPolicy[1].customSynchronizationRules[0].precedence`).

use crate::keys;
use syncpolicy_model::config::{DirectoryRef, RuleLocation, RuleSet};

/// Path of a directory section.
pub fn directory(dir: DirectoryRef) -> String {
    let mut o = String::with_capacity(48);
    push_directory(&mut o, dir);
    o
}

/// Appends [`directory`] of `dir`.
fn push_directory(o: &mut String, dir: DirectoryRef) {
    match dir {
        DirectoryRef::Azure => o.push_str(keys::TOP[7]),
        DirectoryRef::OnPremises(i) => {
            o.push_str(keys::TOP[8]);
            push_index(o, i);
        }
    }
}

/// Appends `[i]`. Paths are made for every finding and every rule of a large file: pushed
/// by hand, they cost a tenth of `format!`'s instructions (docs/performance.md, perf-report6).
fn push_index(o: &mut String, i: usize) {
    o.push('[');
    push_number(o, i);
    o.push(']');
}

/// Appends the decimal digits of `n`.
fn push_number(o: &mut String, n: usize) {
    o.push_str(itoa::Buffer::new().format(n));
}

/// Appends [`rule`] of `at`.
fn push_rule(o: &mut String, at: RuleLocation) {
    push_directory(o, at.directory);
    o.push_str(match at.set {
        RuleSet::Standard => ".standardSynchronizationRules",
        RuleSet::Custom => ".customSynchronizationRules",
    });
    push_index(o, at.index);
}

/// [`rule`] of `at` with `rest` appended, in one string of the right size.
fn rule_then(at: RuleLocation, rest: &[&str]) -> String {
    let mut o = String::with_capacity(72 + rest.iter().map(|s| s.len()).sum::<usize>());
    push_rule(&mut o, at);
    for s in rest {
        o.push_str(s);
    }
    o
}

/// Path of a rule.
pub fn rule(at: RuleLocation) -> String {
    rule_then(at, &[])
}

/// Path of a rule's field; `field` is a key of [`keys::RULE`].
pub fn rule_field(at: RuleLocation, field: &str) -> String {
    rule_then(at, &[".", field])
}

/// `.list[a][b]` and `.field` after a rule's path: its mappings', scope clauses' and join
/// conditions' paths.
fn rule_item(at: RuleLocation, list: &str, indexes: &[usize], field: Option<&str>) -> String {
    let mut o = rule_then(at, &[list]);
    for &i in indexes {
        push_index(&mut o, i);
    }
    if let Some(f) = field {
        o.push('.');
        o.push_str(f);
    }
    o
}

/// Path of a mapping of a rule, or of one of its fields (`field` from [`keys::MAPPING`]).
pub fn mapping(at: RuleLocation, index: usize, field: Option<&str>) -> String {
    rule_item(at, ".attributeMappings", &[index], field)
}

/// Path of a scope clause (`field` from [`keys::SCOPE`]).
pub fn scope(at: RuleLocation, group: usize, clause: usize, field: Option<&str>) -> String {
    rule_item(at, ".scopeFilters", &[group, clause], field)
}

/// Path of a join condition (`field` from [`keys::JOIN`]).
pub fn join(at: RuleLocation, group: usize, condition: usize, field: Option<&str>) -> String {
    rule_item(at, ".joinConditions", &[group, condition], field)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The paths pushed by hand are the ones `format!` gave.
    #[test]
    fn paths_are_those_format_gives() {
        for directory in [
            DirectoryRef::Azure,
            DirectoryRef::OnPremises(0),
            DirectoryRef::OnPremises(9),
            DirectoryRef::OnPremises(10),
            DirectoryRef::OnPremises(12345),
        ] {
            let dir = match directory {
                DirectoryRef::Azure => keys::TOP[7].to_owned(),
                DirectoryRef::OnPremises(i) => format!("{}[{i}]", keys::TOP[8]),
            };
            assert_eq!(super::directory(directory), dir);
            for (set, list) in [
                (RuleSet::Standard, "standardSynchronizationRules"),
                (RuleSet::Custom, "customSynchronizationRules"),
            ] {
                for index in [0, 7, 100, usize::MAX] {
                    let at = RuleLocation {
                        directory,
                        set,
                        index,
                    };
                    let r = format!("{dir}.{list}[{index}]");
                    assert_eq!(rule(at), r);
                    assert_eq!(rule_field(at, "precedence"), format!("{r}.precedence"));
                    assert_eq!(
                        mapping(at, 3, Some("source")),
                        format!("{r}.attributeMappings[3].source")
                    );
                    assert_eq!(mapping(at, 30, None), format!("{r}.attributeMappings[30]"));
                    assert_eq!(
                        scope(at, 1, 22, Some("attribute")),
                        format!("{r}.scopeFilters[1][22].attribute")
                    );
                    assert_eq!(scope(at, 0, 0, None), format!("{r}.scopeFilters[0][0]"));
                    assert_eq!(
                        join(at, 4, 5, Some("source")),
                        format!("{r}.joinConditions[4][5].source")
                    );
                    assert_eq!(join(at, 10, 0, None), format!("{r}.joinConditions[10][0]"));
                }
            }
        }
    }
}
