//! Connector filters, in the order and with the semantics of Microsoft's single-object sync
//! diagnostics (`sync-engine.md` A.2): domain (partition) selection and run-profile steps, OU
//! filtering by longest matching suffix, object type by the last `objectClass` value, group
//! filtering by direct membership. The filters combine with AND; the first that fails is the
//! reason.

use crate::scope::{ends_ci, Groups};
use syncpolicy_model::config::OnPremisesDirectory;

/// Which filter excluded an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FilterKind {
    Domain,
    Ou,
    ObjectType,
    GroupFilter,
}

impl FilterKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FilterKind::Domain => "domain",
            FilterKind::Ou => "ou",
            FilterKind::ObjectType => "objectType",
            FilterKind::GroupFilter => "groupFilter",
        }
    }
}

/// The outcome of the connector filters for one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterOutcome {
    /// In scope, in partition `partition`. `engine_dependent` notes a choice of ours.
    In {
        partition: usize,
        engine_dependent: Option<&'static str>,
    },
    Out {
        kind: FilterKind,
        reason: String,
        engine_dependent: Option<&'static str>,
    },
}

/// The domain component of a DN: the text from the first `DC=`.
pub fn domain_component(dn: &str) -> Option<&str> {
    let bytes = dn.as_bytes();
    let mut i = 0;
    while i + 3 <= bytes.len() {
        let at_start = i == 0 || bytes[i - 1] == b',';
        if at_start && bytes[i..i + 3].eq_ignore_ascii_case(b"DC=") {
            return Some(&dn[i..]);
        }
        i += 1;
    }
    None
}

/// The note of a result that rests on the OU choice for objects neither included nor excluded.
pub const OU_UNMATCHED: &str =
    "OU filter: the DN is under no included and no excluded container (treated as out of scope)";

/// Runs the connector filters. `object_class` is the last `objectClass` value.
pub fn filter(
    dir: &OnPremisesDirectory,
    dn: &str,
    object_class: &str,
    groups: &Groups,
    group_filtering: bool,
) -> FilterOutcome {
    // 1. Domain.
    let Some(domain) = domain_component(dn) else {
        return out(
            FilterKind::Domain,
            format!(
                "the DN has no domain component (DC=); it is outside every partition of `{}`",
                dir.name
            ),
        );
    };
    let Some(pi) = dir.partitions.iter().position(|p| {
        p.distinguished_name
            .as_deref()
            .is_some_and(|d| crate::scope::eq_ci(d.trim(), domain.trim()))
    }) else {
        return out(
            FilterKind::Domain,
            format!("domain `{domain}` is not a partition of `{}`", dir.name),
        );
    };
    let partition = &dir.partitions[pi];
    if !partition.selected {
        return out(
            FilterKind::Domain,
            format!("partition `{domain}` is not selected"),
        );
    }
    let profiles = &dir.connector.run_profiles;
    if !profiles.is_empty() {
        let fqdn = partition.fqdn.as_deref().unwrap_or("");
        let names_partition = |s: &str| {
            crate::scope::eq_ci(s.trim(), domain.trim())
                || (!fqdn.is_empty() && crate::scope::eq_ci(s.trim(), fqdn))
        };
        let covered = profiles
            .iter()
            .any(|p| p.steps.iter().any(|s| names_partition(&s.partition)));
        if !covered {
            return out(
                FilterKind::Domain,
                format!("no run profile has a step for partition `{domain}`"),
            );
        }
    }
    // 2. OU: longest matching inclusion against longest matching exclusion.
    let longest = |list: &[String]| {
        list.iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty() && ends_ci(dn, c))
            .map(str::len)
            .max()
    };
    let inc = longest(&partition.inclusions);
    let exc = longest(&partition.exclusions);
    match (inc, exc) {
        (_, Some(e)) if inc.is_none_or(|i| i < e) => {
            let container = partition
                .exclusions
                .iter()
                .map(|c| c.trim())
                .find(|c| c.len() == e && ends_ci(dn, c))
                .unwrap_or("");
            return out(
                FilterKind::Ou,
                format!("under excluded container `{container}`"),
            );
        }
        (None, None) if !partition.inclusions.is_empty() => {
            return FilterOutcome::Out {
                kind: FilterKind::Ou,
                reason: "not under any included container".to_owned(),
                engine_dependent: Some(OU_UNMATCHED),
            };
        }
        _ => {}
    }
    // 3. Object type: the last objectClass value.
    if let Some(types) = &dir.connector.object_types {
        if !types.iter().any(|t| t.eq_ignore_ascii_case(object_class)) {
            return out(
                FilterKind::ObjectType,
                format!(
                    "object type `{object_class}` is not imported by `{}`",
                    dir.name
                ),
            );
        }
    }
    // 4. Group filtering: direct members only.
    if group_filtering {
        let group = dir.group_filtering_dn.trim();
        let members = groups.get(&group.to_lowercase());
        let is_member = members.is_some_and(|m| m.contains(&dn.to_lowercase()));
        if !is_member {
            let why = if members.is_none() {
                format!(
                    "not a direct member of `{group}` (the group is not among the objects read)"
                )
            } else {
                format!("not a direct member of `{group}`")
            };
            return out(FilterKind::GroupFilter, why);
        }
    }
    FilterOutcome::In {
        partition: pi,
        engine_dependent: None,
    }
}

fn out(kind: FilterKind, reason: String) -> FilterOutcome {
    FilterOutcome::Out {
        kind,
        reason,
        engine_dependent: None,
    }
}
