//! The impact of changing a configuration: both configurations' simulations over the same
//! objects, compared per Entra object (adds, deletes, updates with old -> new values and the
//! responsible rules), the deletions against NEW's export deletion threshold, and the
//! synchronization runs the change needs per connector (`sync-engine.md` A.3).

use crate::engine::{ExportOutcome, Simulation};
use crate::resolve::Resolved;
use std::collections::BTreeMap;
use syncpolicy_expr::value::Value;
use syncpolicy_model::config::{Configuration, OnPremisesDirectory};
use syncpolicy_model::rule::SyncRule;

/// What happens to one Entra object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Add,
    Delete,
    Update,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Delete => "delete",
            Action::Update => "update",
        }
    }
}

/// One attribute that changes.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeChange {
    pub name: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
    pub old_rules: Vec<String>,
    pub new_rules: Vec<String>,
}

/// One Entra object that changes, named by the source object that projected it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub directory: String,
    pub dn: String,
    pub object_type: String,
    pub action: Action,
    pub attributes: Vec<AttributeChange>,
    /// For a delete: why NEW does not provision it.
    pub reason: Option<String>,
}

/// A synchronization run a connector needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Run {
    pub directory: String,
    /// `Full Import` or `Full Synchronization`.
    pub run: &'static str,
    pub why: String,
}

/// The whole comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Impact {
    /// Sorted by directory, then DN.
    pub changes: Vec<Change>,
    /// Per Entra object type: adds, deletes, updates.
    pub by_type: BTreeMap<String, [usize; 3]>,
    pub deletion_threshold: Option<u64>,
    pub runs: Vec<Run>,
}

impl Impact {
    pub fn count(&self, action: Action) -> usize {
        self.changes.iter().filter(|c| c.action == action).count()
    }

    /// True when NEW's deletions exceed its threshold.
    pub fn exceeds_threshold(&self) -> bool {
        self.deletion_threshold
            .is_some_and(|t| self.count(Action::Delete) as u64 > t)
    }

    /// "would stop: 612 deletions exceed the threshold of 500", when they do.
    pub fn threshold_message(&self) -> Option<String> {
        let t = self.deletion_threshold?;
        let d = self.count(Action::Delete);
        (d as u64 > t).then(|| format!("would stop: {d} deletions exceed the threshold of {t}"))
    }

    /// True when no Entra object changes.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

struct Exported<'a> {
    object_type: &'a str,
    attributes: &'a [Resolved],
    sim: &'a Simulation,
    mv: &'a crate::engine::MvObject,
}

fn exported(
    sim: &Simulation,
    dir_name: impl Fn(usize) -> String,
) -> BTreeMap<(String, String), (String, Exported<'_>)> {
    let mut out = BTreeMap::new();
    for (m, mv) in sim.metaverse.iter().enumerate() {
        let Some(ExportOutcome::Exported(e)) = sim.entra.get(m) else {
            continue;
        };
        let Some(first) = mv.members.first() else {
            continue;
        };
        let o = &sim.objects[*first as usize];
        let dir = match o.directory {
            syncpolicy_model::config::DirectoryRef::OnPremises(i) => dir_name(i),
            syncpolicy_model::config::DirectoryRef::Azure => "Entra ID".to_owned(),
        };
        out.insert(
            (dir.to_lowercase(), o.dn.to_lowercase()),
            (
                o.dn.clone(),
                Exported {
                    object_type: &e.object_type,
                    attributes: &e.attributes,
                    sim,
                    mv,
                },
            ),
        );
    }
    out
}

/// Compares OLD's and NEW's simulations of the same objects.
pub fn impact(
    old_config: &Configuration,
    old: &Simulation,
    new_config: &Configuration,
    new: &Simulation,
) -> Impact {
    let old_name = |i: usize| {
        old_config
            .onpremises_directories
            .get(i)
            .map(|d| d.name.clone())
            .unwrap_or_default()
    };
    let new_name = |i: usize| {
        new_config
            .onpremises_directories
            .get(i)
            .map(|d| d.name.clone())
            .unwrap_or_default()
    };
    let a = exported(old, old_name);
    let b = exported(new, new_name);
    let mut changes = Vec::new();
    let mut by_type: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let display_dir = |key: &str, cfg: &Configuration| {
        cfg.onpremises_directories
            .iter()
            .find(|d| d.name.to_lowercase() == key)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| key.to_owned())
    };
    for (key, (dn, x)) in &a {
        match b.get(key) {
            None => {
                by_type.entry(x.object_type.to_owned()).or_default()[1] += 1;
                let reason = new
                    .objects
                    .iter()
                    .find(|o| o.dn.eq_ignore_ascii_case(dn))
                    .map(|o| {
                        o.filter
                            .as_ref()
                            .map(|f| format!("{}: {}", f.kind.as_str(), f.reason))
                            .or_else(|| new.not_provisioned_reason(o))
                            .unwrap_or_default()
                    });
                changes.push(Change {
                    directory: display_dir(&key.0, old_config),
                    dn: dn.clone(),
                    object_type: x.object_type.to_owned(),
                    action: Action::Delete,
                    attributes: diff_attributes(Some(x), None),
                    reason,
                });
            }
            Some((_, y)) => {
                let attributes = diff_attributes(Some(x), Some(y));
                if !attributes.is_empty() || x.object_type != y.object_type {
                    by_type.entry(y.object_type.to_owned()).or_default()[2] += 1;
                    changes.push(Change {
                        directory: display_dir(&key.0, new_config),
                        dn: dn.clone(),
                        object_type: y.object_type.to_owned(),
                        action: Action::Update,
                        attributes,
                        reason: None,
                    });
                }
            }
        }
    }
    for (key, (dn, y)) in &b {
        if !a.contains_key(key) {
            by_type.entry(y.object_type.to_owned()).or_default()[0] += 1;
            changes.push(Change {
                directory: display_dir(&key.0, new_config),
                dn: dn.clone(),
                object_type: y.object_type.to_owned(),
                action: Action::Add,
                attributes: diff_attributes(None, Some(y)),
                reason: None,
            });
        }
    }
    changes.sort_by(|p, q| {
        (p.directory.to_lowercase(), p.dn.to_lowercase())
            .cmp(&(q.directory.to_lowercase(), q.dn.to_lowercase()))
    });
    Impact {
        changes,
        by_type,
        deletion_threshold: new_config
            .azure_directory
            .export_deletion_limit
            .trim()
            .parse()
            .ok(),
        runs: runs_needed(old_config, new_config),
    }
}

/// The rules behind an exported value: the inbound rules that set the metaverse attribute of
/// the same name (where there is one), then the outbound rules that exported it.
fn rule_names(x: &Exported<'_>, a: &Resolved) -> Vec<String> {
    let inbound = x.mv.get(&a.name).map(|m| m.rules.as_slice()).unwrap_or(&[]);
    let mut names: Vec<String> = Vec::new();
    for r in inbound.iter().chain(a.rules.iter()) {
        let n = x.sim.rule_name(*r).to_owned();
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}

fn diff_attributes(old: Option<&Exported<'_>>, new: Option<&Exported<'_>>) -> Vec<AttributeChange> {
    let mut names: Vec<&str> = Vec::new();
    for x in old.iter().chain(new.iter()) {
        names.extend(x.attributes.iter().map(|a| &*a.name));
    }
    names.sort_unstable();
    names.dedup();
    let find = |x: Option<&Exported<'_>>, n: &str| -> Option<(Value, Vec<String>)> {
        let x = x?;
        let a = x.attributes.iter().find(|a| &*a.name == n)?;
        Some((a.value.clone(), rule_names(x, a)))
    };
    names
        .into_iter()
        .filter_map(|n| {
            let o = find(old, n);
            let w = find(new, n);
            if o.as_ref().map(|p| &p.0) == w.as_ref().map(|p| &p.0) {
                return None;
            }
            let (old_v, old_rules) = o.map_or((None, Vec::new()), |(v, r)| (Some(v), r));
            let (new_v, new_rules) = w.map_or((None, Vec::new()), |(v, r)| (Some(v), r));
            Some(AttributeChange {
                name: n.to_owned(),
                old: old_v,
                new: new_v,
                old_rules,
                new_rules,
            })
        })
        .collect()
}

/// A rule without its identifiers: what a rename of identifiers leaves unchanged.
fn normalized(rule: &SyncRule) -> SyncRule {
    let mut r = rule.clone();
    r.internal_identifier.clear();
    r.unique_identifier = None;
    r.extension.connector_id = None;
    r.extension.precedence_before = None;
    r.extension.precedence_after = None;
    r
}

fn same_rules(a: &[&SyncRule], b: &[&SyncRule]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let nb: Vec<SyncRule> = b.iter().map(|r| normalized(r)).collect();
    let mut used = vec![false; nb.len()];
    a.iter().all(|r| {
        let n = normalized(r);
        match nb.iter().enumerate().position(|(i, x)| !used[i] && *x == n) {
            Some(i) => {
                used[i] = true;
                true
            }
            None => false,
        }
    })
}

/// A partition's filter: DN, selected, inclusions, exclusions (normalized).
type PartitionFilter = (String, bool, Vec<String>, Vec<String>);

fn filters_of(d: &OnPremisesDirectory) -> (Vec<PartitionFilter>, String) {
    let mut parts: Vec<PartitionFilter> = d
        .partitions
        .iter()
        .map(|p| {
            let mut inc: Vec<String> = p
                .inclusions
                .iter()
                .map(|s| s.trim().to_lowercase())
                .collect();
            let mut exc: Vec<String> = p
                .exclusions
                .iter()
                .map(|s| s.trim().to_lowercase())
                .collect();
            inc.sort();
            exc.sort();
            (
                p.distinguished_name
                    .clone()
                    .unwrap_or_default()
                    .to_lowercase(),
                p.selected,
                inc,
                exc,
            )
        })
        .collect();
    parts.sort();
    (parts, d.group_filtering_dn.trim().to_lowercase())
}

fn sorted_lower(list: &Option<Vec<String>>) -> Option<Vec<String>> {
    list.as_ref().map(|l| {
        let mut v: Vec<String> = l.iter().map(|s| s.to_lowercase()).collect();
        v.sort();
        v
    })
}

/// The runs a change needs, per connector (`sync-engine.md` A.3): filter, object-type and
/// attribute changes need a Full Import on that connector; a rule change needs a Full
/// Synchronization on the rule's connector.
pub fn runs_needed(old: &Configuration, new: &Configuration) -> Vec<Run> {
    let mut runs = Vec::new();
    for d in &new.onpremises_directories {
        let before = old
            .onpremises_directories
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(&d.name));
        let Some(o) = before else {
            runs.push(Run {
                directory: d.name.clone(),
                run: "Full Import",
                why: "new directory".to_owned(),
            });
            runs.push(Run {
                directory: d.name.clone(),
                run: "Full Synchronization",
                why: "new directory".to_owned(),
            });
            continue;
        };
        let mut import_why = Vec::new();
        if filters_of(o) != filters_of(d) {
            import_why.push("domain, OU or group filtering changed");
        }
        if sorted_lower(&o.connector.object_types) != sorted_lower(&d.connector.object_types) {
            import_why.push("object types changed");
        }
        if sorted_lower(&o.connector.attribute_inclusions)
            != sorted_lower(&d.connector.attribute_inclusions)
        {
            import_why.push("imported attributes changed");
        }
        if !import_why.is_empty() {
            runs.push(Run {
                directory: d.name.clone(),
                run: "Full Import",
                why: import_why.join("; "),
            });
        }
        let ra: Vec<&SyncRule> = o.standard_rules.iter().chain(&o.custom_rules).collect();
        let rb: Vec<&SyncRule> = d.standard_rules.iter().chain(&d.custom_rules).collect();
        if !same_rules(&ra, &rb) {
            runs.push(Run {
                directory: d.name.clone(),
                run: "Full Synchronization",
                why: "synchronization rules changed".to_owned(),
            });
        } else if !import_why.is_empty() {
            runs.push(Run {
                directory: d.name.clone(),
                run: "Delta Synchronization",
                why: "after the full import".to_owned(),
            });
        }
    }
    let ea: Vec<&SyncRule> = old
        .azure_directory
        .standard_rules
        .iter()
        .chain(&old.azure_directory.custom_rules)
        .collect();
    let eb: Vec<&SyncRule> = new
        .azure_directory
        .standard_rules
        .iter()
        .chain(&new.azure_directory.custom_rules)
        .collect();
    if !same_rules(&ea, &eb) {
        runs.push(Run {
            directory: "Entra ID".to_owned(),
            run: "Full Synchronization",
            why: "synchronization rules changed".to_owned(),
        });
    }
    runs
}
