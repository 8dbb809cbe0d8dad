//! The impact of changing a configuration: both configurations' simulations over the same
//! objects, compared per Entra object (adds, deletes, updates with old -> new values and the
//! responsible rules), the deletions against NEW's export deletion threshold, and the
//! synchronization runs the change needs per connector (`sync-engine.md` A.3).

use crate::engine::{Export, ExportOutcome, MvObject, ObjectResult, Simulation, Simulator};
use crate::prepare::RuleId;
use crate::resolve::Resolved;
use crate::stream::{delete_reason, Plan, Streamed};
use std::collections::{BTreeMap, HashMap};
use syncpolicy_expr::value::Value;
use syncpolicy_model::config::DirectoryRef;
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

/// An Entra object as the comparison sees it: the DN of the source object that projected it,
/// its type, and its attributes, each with the rules responsible (the inbound rules that set
/// the metaverse attribute of the same name, then the outbound rules that exported it).
#[derive(Debug, Clone)]
struct Entry {
    dn: String,
    object_type: String,
    attributes: Vec<Resolved>,
}

impl Entry {
    fn new(dn: &str, mv: &MvObject, e: &Export) -> Entry {
        Entry {
            dn: dn.to_owned(),
            object_type: e.object_type.clone(),
            attributes: e
                .attributes
                .iter()
                .map(|a| {
                    let inbound = mv.get(a.name).map(|m| m.rules.as_slice()).unwrap_or(&[]);
                    Resolved {
                        name: a.name,
                        value: a.value.clone(),
                        rules: inbound.iter().chain(a.rules.iter()).copied().collect(),
                    }
                })
                .collect(),
        }
    }
}

/// The comparison key of an Entra object: its projector's directory name and DN, lower-cased.
type Key = (String, String);

fn directory_label(config: &Configuration, d: DirectoryRef) -> String {
    match d {
        DirectoryRef::OnPremises(i) => config
            .onpremises_directories
            .get(i)
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        DirectoryRef::Azure => "Entra ID".to_owned(),
    }
}

fn key_of(config: &Configuration, o: &ObjectResult) -> Key {
    (
        directory_label(config, o.directory).to_lowercase(),
        o.dn.to_lowercase(),
    )
}

fn exported(sim: &Simulation, config: &Configuration) -> BTreeMap<Key, Entry> {
    let mut out = BTreeMap::new();
    for (m, mv) in sim.metaverse.iter().enumerate() {
        let Some(ExportOutcome::Exported(e)) = sim.entra.get(m) else {
            continue;
        };
        let Some(first) = mv.members.first() else {
            continue;
        };
        let o = &sim.objects[*first as usize];
        out.insert(key_of(config, o), Entry::new(&o.dn, mv, e));
    }
    out
}

fn display_dir(key: &str, cfg: &Configuration) -> String {
    cfg.onpremises_directories
        .iter()
        .find(|d| d.name.to_lowercase() == key)
        .map(|d| d.name.clone())
        .unwrap_or_else(|| key.to_owned())
}

/// The changes of one key, given OLD's and NEW's rule names.
struct Sides<'a> {
    old_config: &'a Configuration,
    new_config: &'a Configuration,
    /// Rule names by rule id.
    old_names: &'a [String],
    new_names: &'a [String],
}

impl Sides<'_> {
    fn delete(&self, key: &Key, x: &Entry, reason: Option<String>) -> Change {
        Change {
            directory: display_dir(&key.0, self.old_config),
            dn: x.dn.clone(),
            object_type: x.object_type.clone(),
            action: Action::Delete,
            attributes: diff_attributes(Some((x, self.old_names)), None),
            reason,
        }
    }

    fn add(&self, key: &Key, y: &Entry) -> Change {
        Change {
            directory: display_dir(&key.0, self.new_config),
            dn: y.dn.clone(),
            object_type: y.object_type.clone(),
            action: Action::Add,
            attributes: diff_attributes(None, Some((y, self.new_names))),
            reason: None,
        }
    }

    /// `dn` is OLD's spelling (the key matched).
    fn update(&self, key: &Key, x: &Entry, y: &Entry) -> Option<Change> {
        let attributes = diff_attributes(Some((x, self.old_names)), Some((y, self.new_names)));
        (!attributes.is_empty() || x.object_type != y.object_type).then(|| Change {
            directory: display_dir(&key.0, self.new_config),
            dn: x.dn.clone(),
            object_type: y.object_type.clone(),
            action: Action::Update,
            attributes,
            reason: None,
        })
    }
}

fn count(by_type: &mut BTreeMap<String, [usize; 3]>, c: &Change) {
    let i = match c.action {
        Action::Add => 0,
        Action::Delete => 1,
        Action::Update => 2,
    };
    by_type.entry(c.object_type.clone()).or_default()[i] += 1;
}

fn finish_impact(
    old_config: &Configuration,
    new_config: &Configuration,
    mut changes: Vec<Change>,
    by_type: BTreeMap<String, [usize; 3]>,
) -> Impact {
    // Stable, as a comparison of the lower-cased texts would be; each key made once.
    changes.sort_by_cached_key(|c| (c.directory.to_lowercase(), c.dn.to_lowercase()));
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

/// Compares OLD's and NEW's simulations of the same objects.
pub fn impact(
    old_config: &Configuration,
    old: &Simulation,
    new_config: &Configuration,
    new: &Simulation,
) -> Impact {
    let a = exported(old, old_config);
    let b = exported(new, new_config);
    let names =
        |s: &Simulation| -> Vec<String> { s.rules.iter().map(|r| r.name.clone()).collect() };
    let (old_names, new_names) = (names(old), names(new));
    let sides = Sides {
        old_config,
        new_config,
        old_names: &old_names,
        new_names: &new_names,
    };
    let mut changes = Vec::new();
    let mut by_type: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for (key, x) in &a {
        let change = match b.get(key) {
            None => {
                let reason = new
                    .objects
                    .iter()
                    .find(|o| o.dn.eq_ignore_ascii_case(&x.dn))
                    .map(|o| delete_reason(o, new.entra_of(o), |r| new.rule_name(r)));
                Some(sides.delete(key, x, reason))
            }
            Some(y) => sides.update(key, x, y),
        };
        if let Some(c) = change {
            count(&mut by_type, &c);
            changes.push(c);
        }
    }
    for (key, y) in &b {
        if !a.contains_key(key) {
            let c = sides.add(key, y);
            count(&mut by_type, &c);
            changes.push(c);
        }
    }
    finish_impact(old_config, new_config, changes, by_type)
}

/// `impact` over two streamed runs of the same objects ([`crate::stream`]): each side's
/// results are given as pass 2 completes them ([`ImpactStream::add_old`],
/// [`ImpactStream::add_new`]); an Entra object is compared as soon as both sides have it and
/// forgotten unless it changes.
pub struct ImpactStream<'a> {
    /// The configurations and their rule names.
    sides: LoneComparer<'a>,
    /// Entra objects of one side whose key the other side has not given (yet).
    old_waiting: HashMap<Key, (u32, Entry)>,
    new_waiting: HashMap<Key, Entry>,
    /// NEW's objects whose result names a deletion's reason, and those reasons.
    reasons_needed: Vec<bool>,
    reasons: HashMap<u32, String>,
    new_same_dn_first: Vec<u32>,
    changes: Vec<Change>,
    by_type: BTreeMap<String, [usize; 3]>,
}

impl<'a> ImpactStream<'a> {
    /// Both plans of pass 1, over the same objects.
    pub fn new(
        old_config: &'a Configuration,
        old: &Simulator<'_>,
        old_plan: &Plan,
        new_config: &'a Configuration,
        new: &Simulator<'_>,
        new_plan: &Plan,
    ) -> ImpactStream<'a> {
        ImpactStream {
            sides: LoneComparer::new(old_config, old, new_config, new),
            old_waiting: HashMap::new(),
            new_waiting: HashMap::new(),
            reasons_needed: new_plan.reasons_needed(old_plan),
            reasons: HashMap::new(),
            new_same_dn_first: (0..new_plan.len() as u32)
                .map(|s| new_plan.same_dn_first(s))
                .collect(),
            changes: Vec::new(),
            by_type: BTreeMap::new(),
        }
    }

    fn sides(&self) -> Sides<'_> {
        self.sides.sides()
    }

    /// One result of OLD's pass 2.
    pub fn add_old(&mut self, streamed: &Streamed) {
        let Streamed::Metaverse {
            mv,
            members,
            entra: ExportOutcome::Exported(e),
        } = streamed
        else {
            return;
        };
        let (Some(o), Some(seq)) = (members.first(), mv.members.first()) else {
            return;
        };
        let key = key_of(self.sides.old_config, o);
        let x = Entry::new(&o.dn, mv, e);
        match self.new_waiting.remove(&key) {
            Some(y) => {
                let change = self.sides().update(&key, &x, &y);
                self.push(change);
            }
            None => {
                self.old_waiting.insert(key, (*seq, x));
            }
        }
    }

    /// One result of NEW's pass 2.
    pub fn add_new(&mut self, streamed: &Streamed) {
        let rules = &self.sides.new_rules;
        let name = |r: RuleId| rules[r as usize].as_str();
        match streamed {
            Streamed::Alone { seq, object } => {
                if self.reasons_needed.get(*seq as usize) == Some(&true) {
                    let why = delete_reason(object, None, name);
                    self.reasons.insert(*seq, why);
                }
            }
            Streamed::Metaverse { mv, members, entra } => {
                for (seq, o) in mv.members.iter().zip(members) {
                    if self.reasons_needed.get(*seq as usize) == Some(&true) {
                        let why = delete_reason(o, Some(entra), name);
                        self.reasons.insert(*seq, why);
                    }
                }
                let (ExportOutcome::Exported(e), Some(o)) = (entra, members.first()) else {
                    return;
                };
                let key = key_of(self.sides.new_config, o);
                let y = Entry::new(&o.dn, mv, e);
                match self.old_waiting.remove(&key) {
                    Some((_, x)) => {
                        let change = self.sides().update(&key, &x, &y);
                        self.push(change);
                    }
                    None => {
                        self.new_waiting.insert(key, y);
                    }
                }
            }
        }
    }

    /// A change found without the stream (an object compared alone on both sides,
    /// [`crate::pair_single`]).
    pub(crate) fn push_change(&mut self, change: Change) {
        self.push(Some(change));
    }

    fn push(&mut self, change: Option<Change>) {
        if let Some(c) = change {
            count(&mut self.by_type, &c);
            self.changes.push(c);
        }
    }

    /// After every object of both sides: what only OLD exports is deleted, what only NEW
    /// exports is added.
    pub fn finish(mut self) -> Impact {
        let old: Vec<(Key, (u32, Entry))> =
            std::mem::take(&mut self.old_waiting).into_iter().collect();
        let new: Vec<(Key, Entry)> = std::mem::take(&mut self.new_waiting).into_iter().collect();
        let mut changes = Vec::new();
        {
            let sides = self.sides();
            for (key, (seq, x)) in &old {
                let first = self
                    .new_same_dn_first
                    .get(*seq as usize)
                    .copied()
                    .unwrap_or(*seq);
                let reason = self.reasons.get(&first).cloned();
                changes.push(sides.delete(key, x, reason));
            }
            for (key, y) in &new {
                changes.push(sides.add(key, y));
            }
        }
        for c in changes {
            self.push(Some(c));
        }
        finish_impact(
            self.sides.old_config,
            self.sides.new_config,
            self.changes,
            self.by_type,
        )
    }
}

/// The two configurations and their rule names, as a comparison names them; compares the
/// results of one object that is alone on both sides (its own metaverse object or none, and no
/// other object with its DN or Entra key): the changes [`ImpactStream`] finds for it.
pub(crate) struct LoneComparer<'a> {
    old_config: &'a Configuration,
    new_config: &'a Configuration,
    old_rules: Vec<String>,
    new_rules: Vec<String>,
}

impl<'a> LoneComparer<'a> {
    pub(crate) fn new(
        old_config: &'a Configuration,
        old: &Simulator<'_>,
        new_config: &'a Configuration,
        new: &Simulator<'_>,
    ) -> LoneComparer<'a> {
        let names = |s: &Simulator<'_>| s.prepared().rules.iter().map(|r| r.name.clone()).collect();
        LoneComparer {
            old_config,
            new_config,
            old_rules: names(old),
            new_rules: names(new),
        }
    }

    /// The changes as they name the configurations and rules.
    fn sides(&self) -> Sides<'_> {
        Sides {
            old_config: self.old_config,
            new_config: self.new_config,
            old_names: &self.old_rules,
            new_names: &self.new_rules,
        }
    }

    /// The changes of the object OLD gives `old` and NEW gives `new`: an update when both
    /// export it under the same key, else a deletion (its reason from NEW's result) and an
    /// addition.
    pub(crate) fn changes(&self, old: &Streamed, new: &Streamed) -> Vec<Change> {
        let sides = self.sides();
        let exported = |s: &Streamed, config: &Configuration| match s {
            Streamed::Metaverse {
                mv,
                members,
                entra: ExportOutcome::Exported(e),
            } => members
                .first()
                .map(|o| (key_of(config, o), Entry::new(&o.dn, mv, e))),
            _ => None,
        };
        match (
            exported(old, self.old_config),
            exported(new, self.new_config),
        ) {
            (Some((kx, x)), Some((ky, y))) if kx == ky => {
                sides.update(&kx, &x, &y).into_iter().collect()
            }
            (x, y) => {
                let mut out = Vec::new();
                if let Some((kx, x)) = x {
                    let name = |r: RuleId| self.new_rules[r as usize].as_str();
                    let reason = match new {
                        Streamed::Alone { object, .. } => delete_reason(object, None, name),
                        Streamed::Metaverse { members, entra, .. } => members
                            .first()
                            .map(|o| delete_reason(o, Some(entra), name))
                            .unwrap_or_default(),
                    };
                    out.push(sides.delete(&kx, &x, Some(reason)));
                }
                if let Some((ky, y)) = y {
                    out.push(sides.add(&ky, &y));
                }
                out
            }
        }
    }
}

fn diff_attributes(
    old: Option<(&Entry, &[String])>,
    new: Option<(&Entry, &[String])>,
) -> Vec<AttributeChange> {
    let mut names: Vec<&str> = Vec::new();
    if let Some((x, _)) = old {
        names.extend(x.attributes.iter().map(|a| a.name));
    }
    if let Some((x, _)) = new {
        names.extend(x.attributes.iter().map(|a| a.name));
    }
    names.sort_unstable();
    names.dedup();
    fn find<'e>(x: &'e Entry, rule_names: &[String], n: &str) -> Option<(&'e Value, Vec<String>)> {
        let a = x.attributes.iter().find(|a| a.name == n)?;
        let mut names: Vec<String> = Vec::new();
        for r in &a.rules {
            let n = rule_names.get(*r as usize).map_or("", String::as_str);
            if !names.iter().any(|x| x == n) {
                names.push(n.to_owned());
            }
        }
        Some((&a.value, names))
    }
    names
        .into_iter()
        .filter_map(|n| {
            let o = old.and_then(|(x, f)| {
                x.attributes
                    .iter()
                    .find(|a| a.name == n)
                    .map(|a| (&a.value, x, f))
            });
            let w = new.and_then(|(x, f)| {
                x.attributes
                    .iter()
                    .find(|a| a.name == n)
                    .map(|a| (&a.value, x, f))
            });
            if o.map(|p| p.0) == w.map(|p| p.0) {
                return None;
            }
            let (old_v, old_rules) = o
                .and_then(|(_, x, f)| find(x, f, n))
                .map_or((None, Vec::new()), |(v, r)| (Some(v.clone()), r));
            let (new_v, new_rules) = w
                .and_then(|(_, x, f)| find(x, f, n))
                .map_or((None, Vec::new()), |(v, r)| (Some(v.clone()), r));
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
