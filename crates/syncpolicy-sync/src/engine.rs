//! The pipeline over all objects: stage every object on its own (filters, inbound scope, flows;
//! independent of every other object), then join and project in a fixed order (connector
//! creation order, then DN), then resolve the metaverse and run the outbound rules.
//!
//! Results do not depend on the order of the input objects nor on how they were split across
//! files: the only order-sensitive phase, joining, runs in an order computed from the objects
//! themselves.

use crate::filter::{self, FilterKind, FilterOutcome};
use crate::key_filter::KeyFilter;
use crate::name::Name;
use crate::prepare::{attributes_read, FlowKind, PFlow, PRule, Prepared, RuleId};
use crate::resolve::{resolve_all, Contribution, Merge, Outcome, Resolved};
use crate::scope::{clause_text, in_scope, in_scope_with, Failed, Groups, ScopeInput};
use crate::stream::drop_all;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::BuildHasherDefault;
use syncpolicy_expr::env::NameHasher;
use syncpolicy_expr::env::{Env, Parameters, SourceObject};
use syncpolicy_expr::eval::EvalErrorKind;
use syncpolicy_expr::time::DateTime;
use syncpolicy_expr::value::Value;
use syncpolicy_model::config::{Configuration, DirectoryRef};
use syncpolicy_model::enums::LinkType;

/// Where an object was read: the caller's file number and the line of its first line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub file: u32,
    pub line: usize,
}

/// One object of one directory, as exported.
#[derive(Debug, Clone)]
pub struct SourceInput {
    /// `OnPremises(i)` for an AD object, `Azure` for an existing Entra object (`--entra`).
    pub directory: DirectoryRef,
    pub dn: String,
    pub object: SourceObject,
    pub origin: Origin,
}

/// Run settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The time `Now()` returns (one clock for the whole run).
    pub now: Option<DateTime>,
    /// Run the outbound rules to the on-premises directories (writeback); needs Entra objects.
    pub writeback: bool,
}

/// Why the connector filters excluded an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterReason {
    pub kind: FilterKind,
    pub reason: String,
}

/// How an object got (or did not get) a metaverse object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinOutcome {
    /// Not considered: filtered, or an object error.
    NotRun,
    /// No in-scope inbound rule has join conditions or provisions: a disconnector.
    NoLinkRule,
    Projected {
        rule: RuleId,
    },
    Joined {
        rule: RuleId,
        group: usize,
    },
    NotJoined {
        rule: RuleId,
        reason: String,
    },
}

/// The result for one source object.
#[derive(Debug, Clone)]
pub struct ObjectResult {
    pub directory: DirectoryRef,
    pub dn: String,
    pub object_type: String,
    pub origin: Origin,
    pub filter: Option<FilterReason>,
    /// In-scope inbound rules, in precedence order.
    pub applied: Vec<RuleId>,
    /// Out-of-scope enabled inbound rules, one entry per failing clause (rule, group, clause).
    pub out_of_scope: Vec<(RuleId, u16, u16)>,
    /// Disabled inbound rules of the object's directory and type.
    pub disabled: Vec<RuleId>,
    pub join: JoinOutcome,
    pub metaverse: Option<u32>,
    pub errors: Vec<String>,
    /// Choices of ours (where Microsoft documents nothing) that this result rests on.
    pub engine_dependent: Vec<&'static str>,
    pub(crate) contributions: Vec<Contribution>,
    /// For the link rule: per join group, per condition, the value keys.
    /// (join group, condition, key): the key is the metaverse attribute's index id (two
    /// bytes) followed by the value key.
    pub(crate) join_keys: Vec<(u16, u16, HashedKey)>,
    pub(crate) link_rule: Option<RuleId>,
    /// With writeback: the object's own values of the attributes that outbound Merge flows to
    /// its directory target (an export merges with them, as the sync engine merges with the
    /// connector space object).
    pub(crate) target_values: Vec<(Name, Value)>,
    /// Staged for a plan with every flow that can fail evaluated ([`Simulator::plan_batch_full`]).
    pub(crate) planned_full: bool,
    /// What the join phase computes of the object alone, when it was computed while the object
    /// was stripped for a plan ([`Simulator::strip_for_plan`]).
    pub(crate) join_prep: Option<JoinPrep>,
}

/// What the join phase computes of one object before it joins any, made on every core while
/// the object is staged and its values are at hand (the join phase meets the objects again
/// long after they were staged, each a cache miss): the hashes of the index keys it would give
/// the metaverse object it projects, so that the join phase makes the keys only for an object
/// that may give one some other object looks up.
#[derive(Debug, Clone, Copy)]
pub(crate) enum JoinPrep {
    /// Its link rule does not provision (or there are no join attributes): no keys.
    NoProjection,
    /// At most [`FEW_KEYS`] keys: their hashes as the join phase's filters read them
    /// ([`KeyFilter::short`]), and by bit whether the object looks the key up itself.
    Few {
        hashes: [u32; FEW_KEYS],
        len: u8,
        own: u8,
    },
    /// More keys: the join phase makes and looks at them all.
    Many,
}

/// The most projected keys whose hashes a [`JoinPrep`] holds.
const FEW_KEYS: usize = 8;

/// A join index key ([`index_key`]) with its hash ([`KeyFilter::hash`]), computed once where
/// the key is made: the join phase decides most lookups from the hash and the filters alone,
/// without reading the key, which on a large directory is a cache miss.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HashedKey {
    pub(crate) hash: u64,
    pub(crate) bytes: Box<[u8]>,
}

impl HashedKey {
    fn new(bytes: Box<[u8]>) -> HashedKey {
        HashedKey {
            hash: KeyFilter::hash(&bytes),
            bytes,
        }
    }
}

/// A metaverse object.
#[derive(Debug, Clone)]
pub struct MvObject {
    pub object_type: String,
    /// Source objects joined to it (indexes into [`Simulation::objects`]), projector first.
    pub members: Vec<u32>,
    /// Attributes sorted by name, each with the rule(s) that contributed it.
    pub attributes: Vec<Resolved>,
    pub errors: Vec<String>,
    pub engine_dependent: Vec<&'static str>,
}

impl MvObject {
    pub(crate) fn new(object_type: String, members: Vec<u32>) -> MvObject {
        MvObject {
            object_type,
            members,
            attributes: Vec::new(),
            errors: Vec::new(),
            engine_dependent: Vec::new(),
        }
    }

    /// An attribute's value.
    pub fn get(&self, name: &str) -> Option<&Resolved> {
        self.attributes
            .binary_search_by(|a| (*a.name).cmp(name))
            .ok()
            .map(|i| &self.attributes[i])
    }
}

/// An object as the outbound rules would export it.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub directory: DirectoryRef,
    pub object_type: String,
    /// The DN from the `dn` flow, when there is one.
    pub dn: Option<String>,
    pub attributes: Vec<Resolved>,
    /// The rule that provisioned or joined it.
    pub link_rule: RuleId,
    /// In-scope outbound rules.
    pub applied: Vec<RuleId>,
    /// True when it joined an existing object (given with the Entra objects).
    pub existing: bool,
}

/// The outcome of the outbound rules to one directory for one metaverse object.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportOutcome {
    Exported(Export),
    NotProvisioned(String),
    Error(Vec<String>),
}

/// Counts of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Per on-premises directory (by index, plus `usize::MAX` for Entra objects): objects read,
    /// filtered per filter kind, in scope.
    pub directories: BTreeMap<usize, DirectorySummary>,
    pub metaverse_by_type: BTreeMap<String, usize>,
    pub entra_by_type: BTreeMap<String, usize>,
    pub not_provisioned: usize,
    pub objects_with_errors: usize,
}

impl Summary {
    /// Counts one source object, given its metaverse object's Entra outcome.
    pub fn add_object(&mut self, o: &ObjectResult, entra: Option<&ExportOutcome>) {
        crate::stream::count_object(self, o, entra);
    }

    /// Counts one metaverse object and its Entra outcome.
    pub fn add_metaverse(&mut self, m: &MvObject, entra: &ExportOutcome) {
        let exported = match entra {
            ExportOutcome::Exported(x) => Some(x.object_type.as_str()),
            _ => None,
        };
        self.add_types(&m.object_type, exported);
    }

    /// Counts a metaverse object of type `metaverse` and its Entra object of type `entra`,
    /// when exported.
    pub(crate) fn add_types(&mut self, metaverse: &str, entra: Option<&str>) {
        count_by_type(&mut self.metaverse_by_type, metaverse);
        if let Some(t) = entra {
            count_by_type(&mut self.entra_by_type, t);
        }
    }
}

/// Adds one to the count of `t` (its name copied only the first time).
fn count_by_type(counts: &mut BTreeMap<String, usize>, t: &str) {
    match counts.get_mut(t) {
        Some(n) => *n += 1,
        None => {
            counts.insert(t.to_owned(), 1);
        }
    }
}

/// Counts of one directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectorySummary {
    pub read: usize,
    pub filtered: BTreeMap<FilterKind, usize>,
    pub in_scope: usize,
    pub errors: usize,
}

/// Rule facts the results name.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub name: String,
    pub directory: DirectoryRef,
    pub precedence: i32,
    pub inbound: bool,
}

/// The results of a run.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub rules: Vec<RuleInfo>,
    /// Sorted by directory (connector creation order) and DN.
    pub objects: Vec<ObjectResult>,
    pub metaverse: Vec<MvObject>,
    /// Per metaverse object, the outcome towards Entra.
    pub entra: Vec<ExportOutcome>,
    /// Per metaverse object, the outcomes towards on-premises directories (writeback).
    pub writeback: Vec<Vec<ExportOutcome>>,
    /// Configuration-level findings.
    pub warnings: Vec<String>,
    /// Outbound rules to on-premises directories that were not run (no Entra objects given).
    pub not_simulated: Vec<RuleId>,
    /// Scope clause texts per rule, per group (for reasons).
    clauses: Vec<Vec<Vec<String>>>,
}

/// The engine, prepared for one configuration.
pub struct Simulator<'c> {
    config: &'c Configuration,
    prepared: Prepared,
    options: Options,
    /// Enabled inbound rules per (directory, lower-cased source type), by precedence.
    inbound: RuleMap,
    /// Disabled inbound rules per (directory, type).
    inbound_disabled: RuleMap,
    /// Enabled outbound rules per (target directory, lower-cased metaverse type).
    outbound: RuleMap,
    /// Metaverse attributes used by join conditions: their index id, and whether a
    /// case-sensitive condition uses them (then exact keys are indexed too).
    join_attrs: HashMap<String, (u16, bool), BuildHasherDefault<NameHasher>>,
    /// Per on-premises directory: attribute inclusion set (lower-cased), if recorded.
    inclusions: Vec<Option<ByteNameSet>>,
    /// Per on-premises directory with an inclusion set: the names it keeps as spelled (the
    /// list's spellings, their schema spellings, `dn`, `objectClass`), checked before the
    /// lower-cased set (object names are mostly in schema spelling).
    included_spellings: Vec<SpellingTable>,
    /// Per on-premises directory with an inclusion list: the schema spellings of the
    /// attributes it does not import (the spelling readers store those names in), so that
    /// most names dropped are dropped without lower-casing them.
    excluded_spellings: Vec<SpellingTable>,
    /// Per on-premises directory: the attributes that enabled outbound rules to it flow with
    /// Merge or MergeCaseInsensitive (one name per attribute, as the first flow spells it).
    writeback_merge: Vec<Vec<Name>>,
    /// Scope clause texts per rule, per group (for reasons).
    clauses: Vec<Vec<Vec<String>>>,
    /// Per flow target id (`Prepared::targets`): whether a join condition reads it.
    pub(crate) join_targets: Vec<bool>,
}

/// Rules per directory and lower-cased object type (looked up for every object without a
/// key to build).
#[derive(Debug, Default)]
struct RuleMap(FastMap<DirectoryRef, FastMap<String, Vec<RuleId>>>);

/// A map with [`NameHasher`] (short keys from the configuration; nothing iterates these in an
/// order that shows).
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<NameHasher>>;

impl RuleMap {
    fn entry(&mut self, directory: DirectoryRef, object_type: String) -> &mut Vec<RuleId> {
        self.0
            .entry(directory)
            .or_default()
            .entry(object_type)
            .or_default()
    }

    /// The rules of `directory` for `object_type`, ASCII case aside.
    fn get(&self, directory: DirectoryRef, object_type: &str) -> Option<&Vec<RuleId>> {
        let by_type = self.0.get(&directory)?;
        if object_type.bytes().any(|b| b.is_ascii_uppercase()) {
            by_type.get(&object_type.to_ascii_lowercase())
        } else {
            by_type.get(object_type)
        }
    }

    fn lists_mut(&mut self) -> impl Iterator<Item = &mut Vec<RuleId>> {
        self.0.values_mut().flat_map(|m| m.values_mut())
    }
}

/// A set of attribute names as bytes, hashed for short names (the connector's attribute
/// inclusion list, looked up with the bytes of every name of every object).
type ByteNameSet =
    HashSet<Box<[u8]>, std::hash::BuildHasherDefault<syncpolicy_expr::env::NameHasher>>;

/// Attribute names looked up by the hash a [`SourceObject`] keeps of each of its names
/// ([`syncpolicy_expr::env::name_hash_of`]): no hashing per lookup, one comparison of hashes
/// per name in the slot, the text compared only when they are equal.
#[derive(Debug)]
struct SpellingTable {
    slots: Vec<Vec<(u32, Box<[u8]>)>>,
}

impl SpellingTable {
    fn new(names: ByteNameSet) -> SpellingTable {
        let size = (names.len() * 2).next_power_of_two().max(16);
        let mut slots: Vec<Vec<(u32, Box<[u8]>)>> = (0..size).map(|_| Vec::new()).collect();
        for n in names {
            let h = syncpolicy_expr::env::name_hash_of(&n);
            slots[h as usize & (size - 1)].push((h, n));
        }
        SpellingTable { slots }
    }

    /// True when `name` (whose hash is `hash`) is in the table.
    fn contains(&self, name: &[u8], hash: u32) -> bool {
        self.slots[hash as usize & (self.slots.len() - 1)]
            .iter()
            .any(|(h, n)| *h == hash && **n == *name)
    }
}

const REFERENCE_ATTRIBUTES: &[&str] = &[
    "member",
    "manager",
    "assistant",
    "managedBy",
    "secretary",
    "msExchCoManagedByLink",
    "directReports",
];

/// The note of a result where precedence tied and connector order decided.
const TIE_NOTE: &str = "rules of equal precedence: connector creation order decided";

impl<'c> Simulator<'c> {
    pub fn new(config: &'c Configuration, options: Options) -> Simulator<'c> {
        let mut prepared = Prepared::new(config);
        let mut inbound = RuleMap::default();
        let mut inbound_disabled = RuleMap::default();
        let mut outbound = RuleMap::default();
        let mut join_attrs: HashMap<String, (u16, bool), BuildHasherDefault<NameHasher>> =
            HashMap::default();
        for (id, r) in prepared.rules.iter().enumerate() {
            let (d, t) = (r.directory, r.source_type.clone());
            let list = match (r.inbound, r.disabled) {
                (true, false) => inbound.entry(d, t),
                (true, true) => inbound_disabled.entry(d, t),
                (false, false) => outbound.entry(d, t),
                (false, true) => continue,
            };
            list.push(id as RuleId);
            if r.inbound && !r.disabled {
                for g in &r.joins {
                    for j in g {
                        let n = join_attrs.len() as u16;
                        let e = join_attrs.entry(j.mv.clone()).or_insert((n, false));
                        e.1 |= j.case_sensitive;
                    }
                }
            }
        }
        let rules = &prepared.rules;
        for list in inbound
            .lists_mut()
            .chain(inbound_disabled.lists_mut())
            .chain(outbound.lists_mut())
        {
            list.sort_by_key(|id| {
                (
                    rules[*id as usize].precedence,
                    rules[*id as usize].directory_order,
                    *id,
                )
            });
        }
        let inclusions: Vec<Option<ByteNameSet>> = config
            .onpremises_directories
            .iter()
            .map(|d| {
                d.connector.attribute_inclusions.as_ref().map(|list| {
                    list.iter()
                        .map(|a| a.to_ascii_lowercase().into_bytes().into())
                        .collect()
                })
            })
            .collect();
        let included_spellings: Vec<SpellingTable> = config
            .onpremises_directories
            .iter()
            .map(|d| {
                let list = d.connector.attribute_inclusions.iter().flatten();
                let mut set = ByteNameSet::default();
                for a in list.map(String::as_str).chain(["dn", "objectClass"]) {
                    set.insert(a.as_bytes().into());
                    if let (_, Some(schema)) = syncpolicy_expr::object::attribute_kind(a) {
                        set.insert(schema.as_bytes().into());
                    }
                }
                SpellingTable::new(set)
            })
            .collect();
        let excluded_spellings: Vec<SpellingTable> = inclusions
            .iter()
            .map(|inc| {
                let mut set = ByteNameSet::default();
                if let Some(inc) = inc {
                    for (name, _) in syncpolicy_expr::object::ATTRIBUTE_KINDS {
                        let lower = name.to_ascii_lowercase();
                        if !inc.contains(lower.as_bytes())
                            && !ALWAYS_IMPORTED.contains(&lower.as_str())
                        {
                            set.insert(name.as_bytes().into());
                        }
                    }
                }
                SpellingTable::new(set)
            })
            .collect();
        // Rules reading attributes their connector does not import.
        for (i, inc) in inclusions.iter().enumerate() {
            let Some(inc) = inc else { continue };
            for r in prepared.rules.iter() {
                if !r.inbound || r.disabled || r.directory != DirectoryRef::OnPremises(i) {
                    continue;
                }
                for a in attributes_read(r) {
                    let l = a.to_ascii_lowercase();
                    if !inc.contains(l.as_bytes()) && !ALWAYS_IMPORTED.contains(&l.as_str()) {
                        prepared.warnings.push(format!(
                            "rule `{}` ({}) reads `{a}`, which the connector does not import: it is always absent",
                            r.name,
                            config.directory_name(r.directory)
                        ));
                    }
                }
            }
        }
        let mut writeback_merge: Vec<Vec<Name>> =
            vec![Vec::new(); config.onpremises_directories.len()];
        for r in &prepared.rules {
            let DirectoryRef::OnPremises(i) = r.directory else {
                continue;
            };
            if r.inbound || r.disabled || i >= writeback_merge.len() {
                continue;
            }
            for f in &r.flows {
                let list = &mut writeback_merge[i];
                if Merge::of(&f.merge) != Merge::Update
                    && !list.iter().any(|d| d.eq_ignore_ascii_case(f.dest))
                {
                    list.push(f.dest);
                }
            }
        }
        let clauses = prepared
            .rules
            .iter()
            .map(|r| {
                r.scope
                    .iter()
                    .map(|g| g.iter().map(clause_text).collect())
                    .collect()
            })
            .collect();
        let mut join_targets = vec![false; prepared.targets];
        for r in &prepared.rules {
            for f in &r.flows {
                if join_attrs.contains_key(f.dest) {
                    join_targets[f.dest_id as usize] = true;
                }
            }
        }
        Simulator {
            join_targets,
            config,
            prepared,
            options,
            inbound,
            inbound_disabled,
            outbound,
            join_attrs,
            inclusions,
            included_spellings,
            excluded_spellings,
            writeback_merge,
            clauses,
        }
    }

    /// The attributes that a light pass 1 ([`Simulator::plan_batch`]) reads of an object: those
    /// of every inbound rule's scoping filter and join conditions and of its flows into join
    /// attributes, lower-cased, with `dn` and `objectclass` (which the connector filters read).
    /// An object read with only these is planned as with all of them. (`ImportedValue` and
    /// `ValueCount` read the attribute they are given as a quoted name.) `None` when a flow
    /// reads an attribute whose name is not known before the run: then every one is needed.
    pub fn plan_attributes(&self) -> Option<Vec<String>> {
        self.attributes_read_by(|f| self.join_targets[f.dest_id as usize])
    }

    /// The attributes that any staging reads of an object ([`Simulator::plan_attributes`] for
    /// every flow, and those that writeback merges): for a caller that counts or compares
    /// results (`simulate --summary`, `impact`) and never shows the source objects, an object
    /// read with only these gives the same results. `None` as for
    /// [`Simulator::plan_attributes`].
    pub fn staged_attributes(&self) -> Option<Vec<String>> {
        let mut names = self.attributes_read_by(|_| true)?;
        names.extend(
            self.writeback_merge
                .iter()
                .flatten()
                .map(|n| n.to_ascii_lowercase()),
        );
        names.sort_unstable();
        names.dedup();
        Some(names)
    }

    /// The attributes of the inbound rules' scoping filters and join conditions and of their
    /// flows that `flows` selects, with `dn` and `objectclass`, lower-cased and sorted.
    fn attributes_read_by(&self, flows: impl Fn(&PFlow) -> bool) -> Option<Vec<String>> {
        let mut names: Vec<&str> = vec!["dn", "objectClass"];
        for rule in self.prepared.rules.iter().filter(|r| r.inbound) {
            names.extend(rule.scope.iter().flatten().map(|c| c.attribute.as_str()));
            names.extend(rule.joins.iter().flatten().map(|j| j.cs.as_str()));
            for flow in rule.flows.iter().filter(|f| flows(f)) {
                match &flow.kind {
                    FlowKind::Direct(name, _) => names.push(name),
                    FlowKind::Expression(c) => names.extend(c.attributes_read()?),
                    FlowKind::Constant(_) | FlowKind::Broken(_) => {}
                }
            }
        }
        let names: BTreeSet<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
        Some(names.into_iter().collect())
    }

    /// What pass 1 of a streamed run keeps of a staged object: what the join phase reads.
    pub(crate) fn strip_for_plan(&self, o: &mut ObjectResult, full: bool) {
        o.planned_full = full;
        o.contributions
            .retain(|c| self.join_targets[c.dest_id as usize]);
        o.contributions.shrink_to_fit();
        o.applied = Vec::new();
        o.out_of_scope = Vec::new();
        o.disabled = Vec::new();
        o.engine_dependent = Vec::new();
        o.target_values = Vec::new();
        if let Some(f) = &mut o.filter {
            f.reason = String::new();
        }
        o.join_prep = Some(self.join_prep(o));
    }

    /// The join phase's [`JoinPrep`] of an object.
    fn join_prep(&self, o: &ObjectResult) -> JoinPrep {
        let Some(keys) = self.projected_keys(o) else {
            return JoinPrep::NoProjection;
        };
        if keys.len() > FEW_KEYS {
            return JoinPrep::Many;
        }
        let (mut hashes, mut own) = ([0u32; FEW_KEYS], 0u8);
        for (at, k) in keys.iter().enumerate() {
            hashes[at] = KeyFilter::short(k.hash);
            if o.join_keys.iter().any(|(_, _, mine)| mine == k) {
                own |= 1 << at;
            }
        }
        JoinPrep::Few {
            hashes,
            len: keys.len() as u8,
            own,
        }
    }

    /// When `o`'s link rule provisions (and there are join attributes): the index keys of the
    /// metaverse object it would project alone.
    fn projected_keys(&self, o: &ObjectResult) -> Option<Vec<HashedKey>> {
        let rule = self.rule(o.link_rule?);
        (rule.link == LinkType::Provision && !self.join_attrs.is_empty()).then(|| {
            let object_type = projected_type(rule, o);
            self.join_index_keys_of(object_type, std::iter::once(o))
        })
    }

    /// Per rule id, whether its scoping filter differs from `other`'s, when the two
    /// configurations and run settings are the same apart from rules' scoping filters (then
    /// rule ids, flows, filters and parameters are the same on both sides); `None` otherwise.
    pub fn scope_differences(&self, other: &Simulator<'_>) -> Option<Vec<bool>> {
        if self.options.now != other.options.now
            || self.options.writeback != other.options.writeback
            || self.prepared.rules.len() != other.prepared.rules.len()
        {
            return None;
        }
        let differs: Vec<bool> = self
            .config
            .rules()
            .zip(other.config.rules())
            .map(|((_, a), (_, b))| a.scope_groups != b.scope_groups)
            .collect();
        if differs.len() != self.prepared.rules.len() {
            return None;
        }
        // What describes the file and not the synchronization (its recorded digest, the
        // policy metadata, accepted validation findings) is left out: two files written by
        // syncpolicy always differ in their digests.
        let behaviour = |c: &Configuration, without_scope: bool| {
            let mut c = c.clone();
            c.extension.recorded_digest = None;
            c.extension.accepted_findings = Vec::new();
            c.policy_metadata = Default::default();
            if without_scope {
                let lists = c
                    .onpremises_directories
                    .iter_mut()
                    .flat_map(|d| [&mut d.standard_rules, &mut d.custom_rules])
                    .chain([
                        &mut c.azure_directory.standard_rules,
                        &mut c.azure_directory.custom_rules,
                    ]);
                for list in lists {
                    for r in list.iter_mut() {
                        r.scope_groups = Vec::new();
                    }
                }
            }
            c
        };
        let without_scope = differs.contains(&true);
        if self.config != other.config
            && behaviour(self.config, without_scope) != behaviour(other.config, without_scope)
        {
            return None;
        }
        Some(differs)
    }

    /// True when a light join plan ([`Simulator::plan_batch`], then [`Simulator::plan`]) of
    /// `other` over any objects is the same as this simulator's: the configurations differ
    /// only in scoping filters ([`Simulator::scope_differences`]), and no inbound rule whose
    /// scope differs can change what a light pass 1 keeps: it neither links (no join
    /// conditions, not Provision), nor flows into an attribute a join condition reads, nor
    /// flows into an attribute that other inbound rules flow into with another kind of merge
    /// (which would make an object error depend on its scope). `impact` then plans once for
    /// both sides.
    pub fn same_light_plan(&self, other: &Simulator<'_>) -> bool {
        let Some(differs) = self.scope_differences(other) else {
            return false;
        };
        let update_kinds = |dest_id: u32| {
            let mut kinds = self
                .prepared
                .rules
                .iter()
                .filter(|r| r.inbound)
                .flat_map(|r| &r.flows)
                .filter(|f| f.dest_id == dest_id)
                .map(|f| Merge::of(&f.merge) == Merge::Update);
            let first = kinds.next();
            kinds.all(|k| Some(k) == first)
        };
        differs.iter().enumerate().all(|(id, d)| {
            let r = self.rule(id as RuleId);
            !d || !r.inbound
                || (!r.links()
                    && r.flows
                        .iter()
                        .all(|f| !self.join_targets[f.dest_id as usize] && update_kinds(f.dest_id)))
        })
    }

    /// True when rule `id` is an inbound rule.
    pub(crate) fn is_inbound(&self, id: RuleId) -> bool {
        self.rule(id).inbound
    }

    /// The rules as results name them.
    pub(crate) fn rule_infos(&self) -> Vec<RuleInfo> {
        self.prepared
            .rules
            .iter()
            .map(|r| RuleInfo {
                name: r.name.clone(),
                directory: r.directory,
                precedence: r.precedence,
                inbound: r.inbound,
            })
            .collect()
    }

    /// Outbound rules to on-premises directories that a run without Entra objects does not run.
    pub(crate) fn not_simulated(&self) -> Vec<RuleId> {
        let mut out = Vec::new();
        for (ri, r) in self.prepared.rules.iter().enumerate() {
            if !r.inbound
                && !r.disabled
                && matches!(r.directory, DirectoryRef::OnPremises(_))
                && !self.options.writeback
            {
                out.push(ri as RuleId);
            }
        }
        out
    }

    /// The prepared rules.
    pub fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    pub(crate) fn rule(&self, id: RuleId) -> &PRule {
        &self.prepared.rules[id as usize]
    }

    /// Runs every object through the pipeline.
    pub fn run(&self, inputs: Vec<SourceInput>) -> Simulation {
        let groups = self.group_index(&inputs);
        let objects: Vec<ObjectResult> = stage_all(self, inputs, &groups, Stage::All);
        self.finish(objects)
    }

    /// Joins, projects and exports staged objects (every object of the run, staged by
    /// [`Simulator::stage_batch`]).
    pub fn finish(&self, mut objects: Vec<ObjectResult>) -> Simulation {
        self.order(&mut objects);
        let mut metaverse = self.join_phase(&mut objects);
        self.resolve_phase(&mut metaverse, &mut objects);
        // The metaverse holds the resolved values now; the flow values are not needed again.
        for o in &mut objects {
            o.contributions = Vec::new();
            o.join_keys = Vec::new();
        }
        let mut sim = Simulation {
            rules: self.rule_infos(),
            objects,
            metaverse,
            entra: Vec::new(),
            writeback: Vec::new(),
            warnings: self.prepared.warnings.clone(),
            not_simulated: self.not_simulated(),
            clauses: self.clauses.clone(),
        };
        // Exports look at one metaverse object each: on every core, in chunks, in order.
        let member_in = |mv: &MvObject, to: DirectoryRef| {
            mv.members
                .iter()
                .map(|i| &sim.objects[*i as usize])
                .find(|o| o.directory == to)
        };
        let outcomes = export_all(&sim.metaverse, |mv| {
            let entra = self.export(mv, DirectoryRef::Azure, member_in(mv, DirectoryRef::Azure));
            let writeback = if self.options.writeback {
                (0..self.config.onpremises_directories.len())
                    .filter(|i| {
                        self.outbound
                            .get(DirectoryRef::OnPremises(*i), &mv.object_type)
                            .is_some()
                    })
                    .map(|i| {
                        let to = DirectoryRef::OnPremises(i);
                        self.export(mv, to, member_in(mv, to))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            (entra, writeback)
        });
        let (entra, writeback): (Vec<ExportOutcome>, Vec<Vec<ExportOutcome>>) =
            outcomes.into_iter().unzip();
        sim.entra = entra;
        sim.writeback = writeback;
        sim
    }

    /// The groups (lower-cased DNs) whose membership group filtering and `ISMEMBEROF`
    /// clauses need.
    fn wanted_groups(&self) -> HashSet<String> {
        let mut wanted: HashSet<String> = HashSet::new();
        for d in &self.config.onpremises_directories {
            if !d.group_filtering_dn.trim().is_empty() {
                wanted.insert(d.group_filtering_dn.trim().to_lowercase());
            }
        }
        for r in &self.prepared.rules {
            for g in &r.scope {
                for c in g {
                    if matches!(
                        c.op,
                        crate::prepare::Op::IsMemberOf | crate::prepare::Op::IsNotMemberOf
                    ) {
                        wanted.insert(c.value.trim().to_lowercase());
                    }
                }
            }
        }
        wanted
    }

    /// True when staging needs group membership first ([`Simulator::collect_groups`] over
    /// every object, before [`Simulator::stage_batch`]).
    pub fn needs_groups(&self) -> bool {
        !self.wanted_groups().is_empty()
    }

    /// Adds the membership of `input` when it is a group that staging needs.
    pub fn collect_groups(
        &self,
        wanted: &HashSet<String>,
        groups: &mut Groups,
        input: &SourceInput,
    ) {
        let dn = input.dn.to_lowercase();
        if wanted.contains(&dn) {
            let members = groups.entry(dn).or_default();
            if let Some(v) = input.object.get("member") {
                for m in v.values() {
                    if let Value::Str(s) | Value::Ref(s) = m {
                        members.insert(s.to_lowercase());
                    }
                }
            }
        }
    }

    /// The group DNs [`Simulator::collect_groups`] looks for.
    pub fn group_dns(&self) -> HashSet<String> {
        self.wanted_groups()
    }

    fn group_index(&self, inputs: &[SourceInput]) -> Groups {
        let wanted = self.wanted_groups();
        let mut groups = Groups::new();
        if !wanted.is_empty() {
            for input in inputs {
                self.collect_groups(&wanted, &mut groups, input);
            }
        }
        groups
    }

    /// Stages a batch of objects (on every core). Staging an object looks at nothing but the
    /// object (and the group membership), so batches may come in any order and size.
    pub fn stage_batch(&self, inputs: Vec<SourceInput>, groups: &Groups) -> Vec<ObjectResult> {
        stage_all(self, inputs, groups, Stage::All)
    }

    /// Stages a batch for a join plan (pass 1 of [`crate::stream`]): as
    /// [`Simulator::stage_batch`], but only the flows into attributes a join condition reads
    /// are evaluated and kept, and none for an object without a link rule (it joins nothing).
    /// With `full`, every flow that can fail (an expression) is evaluated too, so that the
    /// errors are those of a full staging; without, an object error from another flow is found
    /// by pass 2 ([`crate::stream::Streamer::needs_full_plan`]).
    pub(crate) fn stage_batch_for_plan(
        &self,
        inputs: Vec<SourceInput>,
        groups: &Groups,
        full: bool,
    ) -> Vec<ObjectResult> {
        stage_all(
            self,
            inputs,
            groups,
            if full { Stage::FullPlan } else { Stage::Plan },
        )
    }

    /// Stages one object: filters, inbound scope, the link rule, join keys, flow values.
    pub(crate) fn stage(&self, input: SourceInput, groups: &Groups, mode: Stage) -> ObjectResult {
        match self.stage_head(input, groups, mode) {
            Staging::Done(result) => result,
            Staging::Scoped(mut head) => {
                self.scope_head(&mut head, groups);
                self.stage_tail(head, mode)
            }
        }
    }

    /// The first part of staging: the connector filters and the attribute inclusion, up to
    /// the inbound rules' scope (see [`Simulator::scope_head`], then
    /// [`Simulator::stage_tail`]).
    pub(crate) fn stage_head(&self, input: SourceInput, groups: &Groups, mode: Stage) -> Staging {
        let plan = mode != Stage::All;
        let SourceInput {
            directory,
            dn,
            mut object,
            origin,
        } = input;
        if object.get("dn").is_none() {
            object.insert("dn", Value::Ref(dn.clone()));
        }
        let object_type = last_object_class(&object);
        let mut result = ObjectResult {
            directory,
            dn,
            object_type,
            origin,
            filter: None,
            applied: Vec::new(),
            out_of_scope: Vec::new(),
            disabled: Vec::new(),
            join: JoinOutcome::NotRun,
            metaverse: None,
            errors: Vec::new(),
            engine_dependent: Vec::new(),
            contributions: Vec::new(),
            join_keys: Vec::new(),
            link_rule: None,
            target_values: Vec::new(),
            planned_full: false,
            join_prep: None,
        };
        let partition: Option<usize> = match directory {
            DirectoryRef::OnPremises(i) => {
                let Some(dir) = self.config.onpremises_directories.get(i) else {
                    result.errors.push("unknown directory".to_owned());
                    return Staging::Done(result);
                };
                let group_filtering = !dir.group_filtering_dn.trim().is_empty();
                match filter::filter(
                    dir,
                    &result.dn,
                    &result.object_type,
                    groups,
                    group_filtering,
                ) {
                    FilterOutcome::Out {
                        kind,
                        reason,
                        engine_dependent,
                    } => {
                        result.filter = Some(FilterReason { kind, reason });
                        result.engine_dependent.extend(engine_dependent);
                        return Staging::Done(result);
                    }
                    FilterOutcome::In {
                        partition,
                        engine_dependent,
                    } => {
                        result.engine_dependent.extend(engine_dependent);
                        if let Some(Some(inc)) = self.inclusions.get(i) {
                            let mut lower = Vec::new();
                            let exact = &self.included_spellings[i];
                            let dropped = &self.excluded_spellings[i];
                            object.retain_hashed(|name, hash| {
                                if exact.contains(name, hash) {
                                    return true;
                                }
                                if dropped.contains(name, hash) {
                                    return false;
                                }
                                lower.clear();
                                lower.extend_from_slice(name);
                                lower.make_ascii_lowercase();
                                inc.contains(&lower[..])
                                    || ALWAYS_IMPORTED.iter().any(|a| a.as_bytes() == &lower[..])
                            });
                        }
                        if self.options.writeback && !plan {
                            for name in &self.writeback_merge[i] {
                                if let Some(v) = object.get(name) {
                                    result.target_values.push((*name, v.clone()));
                                }
                            }
                        }
                        Some(partition)
                    }
                }
            }
            DirectoryRef::Azure => None,
        };
        if let Some(d) = self.inbound_disabled.get(directory, &result.object_type) {
            result.disabled = d.clone();
        }
        if self.inbound.get(directory, &result.object_type).is_none() {
            result.join = JoinOutcome::NoLinkRule;
            return Staging::Done(result);
        }
        let dn_lower = result.dn.to_lowercase();
        Staging::Scoped(Head {
            result,
            object,
            partition,
            dn_lower,
        })
    }

    /// The `%Parameter%` values of an object of `directory` in `partition`.
    fn parameters_of(&self, directory: DirectoryRef, partition: Option<usize>) -> &Parameters {
        static EMPTY: std::sync::OnceLock<Parameters> = std::sync::OnceLock::new();
        let empty = || EMPTY.get_or_init(Parameters::new);
        match directory {
            DirectoryRef::OnPremises(i) => self
                .prepared
                .partition_parameters
                .get(i)
                .and_then(|p| p.get(partition?))
                .unwrap_or_else(empty),
            DirectoryRef::Azure => &self.prepared.entra_parameters,
        }
    }

    /// The scope input of a staged object's head.
    fn scope_input<'a>(&'a self, head: &'a Head, groups: &'a Groups) -> ScopeInput<'a> {
        ScopeInput {
            object: &head.object,
            dn_lower: &head.dn_lower,
            parameters: self.parameters_of(head.result.directory, head.partition),
            groups,
        }
    }

    /// The inbound rules' scope of a staged object: the rules in scope (`applied`) and the
    /// failing clauses of the others (`out_of_scope`).
    pub(crate) fn scope_head(&self, head: &mut Head, groups: &Groups) {
        let Some(rules) = self
            .inbound
            .get(head.result.directory, &head.result.object_type)
        else {
            return;
        };
        let mut failed = Vec::new();
        let (mut applied, mut out_of_scope) = (Vec::new(), Vec::new());
        {
            let scope_input = self.scope_input(head, groups);
            let mut memo = vec![0u8; self.prepared.shared_clauses];
            for &id in rules {
                failed.clear();
                if in_scope_with(self.rule(id), &scope_input, &mut failed, &mut memo) {
                    applied.push(id);
                } else {
                    out_of_scope.extend(failed.iter().map(|(g, c)| (id, *g, *c)));
                }
            }
        }
        head.result.applied = applied;
        head.result.out_of_scope = out_of_scope;
    }

    /// One rule's scope on a staged object's head: in scope, or the failing clauses (pushed
    /// to `failed`).
    pub(crate) fn rule_in_scope(
        &self,
        id: RuleId,
        head: &Head,
        groups: &Groups,
        failed: &mut Vec<Failed>,
    ) -> bool {
        in_scope(self.rule(id), &self.scope_input(head, groups), failed)
    }

    /// The enabled inbound rules of a staged object's directory and type.
    pub(crate) fn inbound_rules_of(&self, head: &Head) -> &[RuleId] {
        self.inbound
            .get(head.result.directory, &head.result.object_type)
            .map_or(&[], Vec::as_slice)
    }

    /// The rest of staging, after the scope: the link rule, join keys, flow values.
    pub(crate) fn stage_tail(&self, head: Head, mode: Stage) -> ObjectResult {
        let plan = mode != Stage::All;
        let Head {
            mut result,
            object,
            partition,
            dn_lower,
        } = head;
        let parameters = self.parameters_of(result.directory, partition);
        let set = Prepared::parameter_set(partition);
        // The link rule: at most one in-scope rule with join conditions.
        let with_join: Vec<RuleId> = result
            .applied
            .iter()
            .copied()
            .filter(|id| !self.rule(*id).joins.is_empty())
            .collect();
        if with_join.len() > 1 {
            let names: Vec<String> = with_join
                .iter()
                .map(|id| format!("`{}`", self.rule(*id).name))
                .collect();
            result.errors.push(format!(
                "more than one rule with join conditions is in scope: {}",
                names.join(", ")
            ));
            return result;
        }
        result.link_rule = with_join.first().copied().or_else(|| {
            result
                .applied
                .iter()
                .copied()
                .find(|id| self.rule(*id).link == LinkType::Provision)
        });
        let Some(link) = result.link_rule else {
            result.join = JoinOutcome::NoLinkRule;
            return result;
        };
        // A plan without errors from other flows: those of the flows into join attributes
        // only, and none for an object without a link rule (above: it joins nothing).
        let light = mode == Stage::Plan;
        for (gi, g) in self.rule(link).joins.iter().enumerate() {
            for (ci, j) in g.iter().enumerate() {
                let (Some(v), Some((attr, _))) = (object.get(&j.cs), self.join_attrs.get(&j.mv))
                else {
                    continue;
                };
                for x in v.values() {
                    if let Some(k) = index_key(*attr, x, j.case_sensitive) {
                        result.join_keys.push((gi as u16, ci as u16, k));
                    }
                }
            }
        }
        result.join_keys.shrink_to_fit();
        // Flows of every in-scope rule.
        let env = Env {
            object: &object,
            parameters,
            imported: None,
            now: self.options.now,
            seed: seed_of(&dn_lower),
        };
        // Per target attribute of this object: its merge behaviour and whether an Update flow
        // already decided it (a later flow of the same object can never win: the rules are in
        // precedence order). NULL and IgnoreThisFlow results are not kept: with no metaverse
        // object before the run, "cleared" and "unchanged" are the same absence.
        // Indexed by the flow's target id (`Prepared::targets`).
        let mut seen: Vec<Option<(Merge, bool)>> = vec![None; self.prepared.targets];
        // Direct flows' contributions wait for their value (by contribution, the source
        // attribute's position in the object): the values are moved out of the object once
        // every flow has read it, instead of copied.
        let mut direct: Vec<(usize, usize)> = Vec::new();
        if !plan {
            // At most one contribution per flow (growing by doubling would copy them again and
            // again, and end with as much room or more).
            let flows = result.applied.iter().map(|id| self.rule(*id).flows.len());
            result.contributions.reserve_exact(flows.sum());
        }
        for &id in &result.applied {
            let rule = self.rule(id);
            for flow in &rule.flows {
                if rule.link == LinkType::JoinNoFlow && !is_reference(flow.dest) {
                    continue;
                }
                let merge = Merge::of(&flow.merge);
                let slot = flow.dest_id as usize;
                match seen[slot] {
                    Some((first, _)) => {
                        if (first == Merge::Update) != (merge == Merge::Update) {
                            let e = format!(
                                "rules in scope use different merge types for attribute `{}`",
                                flow.dest
                            );
                            if !result.errors.contains(&e) {
                                result.errors.push(e);
                            }
                        }
                    }
                    None => seen[slot] = Some((merge, false)),
                }
                let kept = !plan || self.join_targets[slot];
                if !kept && light {
                    continue;
                }
                // `Trim([name])` of a value it leaves as it is: that value, as a direct flow
                // gives it (the flow cannot fail).
                let untrimmed = flow
                    .trim_of
                    .as_ref()
                    .and_then(|probe| object.find(probe))
                    .filter(|(_, v)| syncpolicy_expr::eval::trim_leaves(v))
                    .map(|(at, _)| at);
                if !kept
                    && (untrimmed.is_some()
                        || matches!(flow.kind, FlowKind::Direct(..) | FlowKind::Constant(_)))
                {
                    continue;
                }
                let mut source = None;
                let value = if let Some(at) = untrimmed {
                    source = Some(at);
                    Value::Null
                } else if let FlowKind::Direct(_, probe) = &flow.kind {
                    // As `eval_flow` (the source value, or NULL), without the copy.
                    match object.find(probe) {
                        Some((at, v))
                            if !matches!(v, Value::IgnoreThisFlow)
                                && !crate::resolve::is_nothing(v) =>
                        {
                            source = Some(at);
                            Value::Null
                        }
                        _ => continue,
                    }
                } else {
                    match eval_flow(flow, &env, set) {
                        Ok(v) => v,
                        Err(e) => {
                            result.errors.push(format!(
                                "{e} (rule `{}`, attribute `{}`)",
                                rule.name, flow.dest
                            ));
                            continue;
                        }
                    }
                };
                if !kept
                    || (source.is_none()
                        && (matches!(value, Value::IgnoreThisFlow)
                            || crate::resolve::is_nothing(&value)))
                {
                    continue;
                }
                if merge == Merge::Update {
                    if let Some((_, decided)) = &mut seen[slot] {
                        if *decided {
                            continue;
                        }
                        *decided = true;
                    }
                }
                if let Some(at) = source {
                    direct.push((result.contributions.len(), at));
                }
                result.contributions.push(Contribution {
                    dest: flow.dest,
                    dest_id: flow.dest_id,
                    rule: id,
                    precedence: rule.precedence,
                    tie: (0, 0),
                    merge,
                    value,
                });
            }
        }
        if !direct.is_empty() {
            let mut values: Vec<Value> = object.into_values().collect();
            for (i, &(c, at)) in direct.iter().enumerate() {
                // Moved by its last reader, copied for the others.
                let last = !direct[i + 1..].iter().any(|(_, a)| *a == at);
                let value = match values.get_mut(at) {
                    Some(v) if last => std::mem::replace(v, Value::Null),
                    Some(v) => v.clone(),
                    None => Value::Null,
                };
                if let Some(slot) = result.contributions.get_mut(c) {
                    slot.value = value;
                }
            }
        }
        result
    }

    /// Puts staged objects in the run's fixed order (connector creation order, Entra objects
    /// last, then DN, then origin), marks duplicate DNs and sets the tie-break ranks. Returns,
    /// per position, the object's index before ordering.
    pub(crate) fn order(&self, objects: &mut [ObjectResult]) -> Vec<u32> {
        let dir_order = |d: DirectoryRef| self.dir_order(d);
        let items: Vec<(usize, &str, Origin)> = objects
            .par_iter()
            .with_min_len(MIN_PER_TASK * 8)
            .map(|o| (dir_order(o.directory), o.dn.as_str(), o.origin))
            .collect();
        let seq = sort_order(&items);
        drop(items);
        permute(objects, &seq);
        // Duplicate DNs within one directory: the first (by origin) stands.
        for i in 1..objects.len() {
            let (a, b) = objects.split_at_mut(i);
            let prev = &a[i - 1];
            let this = &mut b[0];
            if prev.directory == this.directory && prev.dn.eq_ignore_ascii_case(&this.dn) {
                this.errors.push(format!(
                    "duplicate DN: the object is also given at line {} of input file {}",
                    prev.origin.line,
                    prev.origin.file + 1
                ));
                this.link_rule = None;
                this.join = JoinOutcome::NotRun;
            }
        }
        // DN ranks as tie-breaks between contributions (on every core: shrinking reallocates).
        objects
            .par_iter_mut()
            .with_min_len(MIN_PER_TASK * 8)
            .enumerate()
            .for_each(|(rank, o)| {
                let order = dir_order(o.directory).min(u32::MAX as usize) as u32;
                for c in &mut o.contributions {
                    c.tie = (order, rank as u32);
                }
                o.contributions.shrink_to_fit();
                o.applied.shrink_to_fit();
            });
        seq
    }

    /// A directory's place in the run's order: connector creation order, Entra last.
    pub(crate) fn dir_order(&self, d: DirectoryRef) -> usize {
        match d {
            DirectoryRef::OnPremises(i) => self
                .prepared
                .directory_order
                .iter()
                .position(|x| *x == i)
                .unwrap_or(usize::MAX - 1),
            DirectoryRef::Azure => usize::MAX,
        }
    }

    /// Joins and projects every staged object, in a fixed order: objects whose link rule
    /// provisions first (connector order, DN), then those that may only join.
    pub(crate) fn join_phase(&self, objects: &mut [ObjectResult]) -> Vec<MvObject> {
        let provisions = |o: &ObjectResult| {
            o.link_rule
                .is_some_and(|r| self.rule(r).link == LinkType::Provision)
        };
        let joining = |o: &ObjectResult| o.errors.is_empty() && o.link_rule.is_some();
        // Provisioning objects first, each part in index order.
        let order: Vec<usize> = {
            let shared: &[ObjectResult] = objects;
            let first =
                (0..shared.len()).filter(|i| joining(&shared[*i]) && provisions(&shared[*i]));
            let then =
                (0..shared.len()).filter(|i| joining(&shared[*i]) && !provisions(&shared[*i]));
            first.chain(then).collect()
        };
        // The keys that objects look up (`looked_up`), and those that two objects or more look
        // up (`shared_lookups`): an index key that no object looks up is never inserted (see
        // `key_filter`), nor is a projecting object's key that only it looks up (it looked
        // it up before its metaverse object existed).
        let (looked_up, shared_lookups) = {
            let shared: &[ObjectResult] = objects;
            let hashes: Vec<Vec<u64>> = order
                .par_iter()
                .with_min_len(MIN_PER_TASK * 8)
                .map(|&i| {
                    let mut own: Vec<u64> =
                        shared[i].join_keys.iter().map(|(_, _, k)| k.hash).collect();
                    own.sort_unstable();
                    own.dedup();
                    own
                })
                .collect();
            let total = hashes.iter().map(Vec::len).sum();
            let mut all = KeyFilter::with_capacity(total);
            let mut again = KeyFilter::with_capacity(total / 8);
            for own in &hashes {
                for &h in own {
                    if all.may_contain(h) {
                        again.insert(h);
                    }
                }
                for &h in own {
                    all.insert(h);
                }
            }
            drop_all(hashes);
            (all, again)
        };
        // Whether an object other than this one may look up a key of this hash (`own`: this
        // object looks the key up itself).
        let others_look_up = |own: bool, hash: u64| {
            looked_up.may_contain(hash) && (shared_lookups.may_contain(hash) || !own)
        };
        // The index keys each provisioning object would give the metaverse object it projects
        // (those of a one-member metaverse object: the object's own) that another object may
        // look up, made on every core beforehand; an object that joins instead does not use
        // them. Where staging left the keys' hashes, the keys are made only when one of them
        // may be kept.
        let mut projected_keys: Vec<Option<Vec<HashedKey>>> = {
            let shared: &[ObjectResult] = objects;
            order
                .par_iter()
                .with_min_len(MIN_PER_TASK * 8)
                .map(|&i| {
                    let o = &shared[i];
                    match o.join_prep {
                        Some(JoinPrep::NoProjection) => return None,
                        Some(JoinPrep::Few { hashes, len, own }) => {
                            let kept = (0..usize::from(len)).any(|at| {
                                let hash = u64::from(hashes[at]);
                                others_look_up(own & (1 << at) != 0, hash)
                            });
                            if !kept {
                                return Some(Vec::new());
                            }
                        }
                        Some(JoinPrep::Many) | None => {}
                    }
                    let mut keys = self.projected_keys(o)?;
                    keys.retain(|k| {
                        let own = o.join_keys.iter().any(|(_, _, mine)| mine == k);
                        others_look_up(own, k.hash)
                    });
                    Some(keys)
                })
                .collect()
        };
        let mut mv: Vec<MvObject> = Vec::new();
        let projected: usize = projected_keys.iter().flatten().map(Vec::len).sum();
        let mut index = JoinIndex::new(looked_up, projected);
        let (mut found, mut candidates): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
        for (at, &i) in order.iter().enumerate() {
            let link = objects[i].link_rule.unwrap_or_default();
            let rule = self.rule(link);
            let directory = objects[i].directory;
            let mut joined: Option<(u32, usize)> = None;
            let mut ambiguous: Option<String> = None;
            for (gi, group) in rule.joins.iter().enumerate() {
                // The metaverse objects every condition of the group matches (none when the
                // group has no condition).
                candidates.clear();
                for (ci, cond) in group.iter().enumerate() {
                    if !self.join_attrs.contains_key(&cond.mv) {
                        candidates.clear();
                        break;
                    }
                    found.clear();
                    for (_, _, k) in objects[i]
                        .join_keys
                        .iter()
                        .filter(|(g, c, _)| usize::from(*g) == gi && usize::from(*c) == ci)
                    {
                        if let Some(slot) = index.get(k) {
                            slot.extend_into(&mut found);
                        }
                    }
                    found.sort_unstable();
                    found.dedup();
                    if ci == 0 {
                        std::mem::swap(&mut candidates, &mut found);
                    } else {
                        candidates.retain(|m| found.binary_search(m).is_ok());
                    }
                    if candidates.is_empty() {
                        // An intersection with nothing stays empty.
                        break;
                    }
                }
                candidates.retain(|m| rule.targets(&mv[*m as usize].object_type));
                if candidates.len() == 1 {
                    let m = candidates[0];
                    if let Some(other) = mv[m as usize]
                        .members
                        .iter()
                        .find(|x| objects[**x as usize].directory == directory)
                    {
                        ambiguous = Some(objects[*other as usize].dn.clone());
                    } else {
                        joined = Some((m, gi));
                    }
                    break;
                }
            }
            if let Some(other) = ambiguous {
                objects[i].errors.push(format!(
                    "ambiguous join: the metaverse object is already joined to `{}` of the same directory",
                    other.replace('`', "'")
                ));
                objects[i].join = JoinOutcome::NotJoined {
                    rule: link,
                    reason: "ambiguous join".to_owned(),
                };
                continue;
            }
            let m = match joined {
                Some((m, gi)) => {
                    objects[i].join = JoinOutcome::Joined {
                        rule: link,
                        group: gi,
                    };
                    // Re-index, by the join attributes alone: the whole object is resolved
                    // once every object has joined (on every core), the join attributes
                    // resolve the same way. The keys it had are those of its members so far.
                    let target = &mv[m as usize];
                    let members = target.members.iter().map(|x| &objects[*x as usize]);
                    for key in self.join_index_keys_of(&target.object_type, members) {
                        if let Some(slot) = index.get_mut(&key) {
                            slot.remove(m);
                        }
                    }
                    m
                }
                None => {
                    let any_key = !objects[i].join_keys.is_empty();
                    if rule.link != LinkType::Provision {
                        objects[i].join = JoinOutcome::NotJoined {
                            rule: link,
                            reason: NO_MATCH.to_owned(),
                        };
                        continue;
                    }
                    if !rule.joins.is_empty() && !any_key {
                        objects[i].join = JoinOutcome::NotJoined {
                            rule: link,
                            reason: NO_JOIN_ATTRIBUTE.to_owned(),
                        };
                        continue;
                    }
                    let object_type = projected_type(rule, &objects[i]).to_owned();
                    mv.push(MvObject::new(object_type, Vec::new()));
                    objects[i].join = JoinOutcome::Projected { rule: link };
                    (mv.len() - 1) as u32
                }
            };
            objects[i].metaverse = Some(m);
            let target = &mut mv[m as usize];
            target.members.push(i as u32);
            let keys = match projected_keys[at].take() {
                Some(keys) if target.members.len() == 1 => keys,
                _ => {
                    let members = target.members.iter().map(|x| &objects[*x as usize]);
                    self.join_index_keys_of(&target.object_type, members)
                }
            };
            for key in keys {
                index.push(key, m);
            }
        }
        drop_all(std::mem::take(&mut projected_keys));
        drop_all(index.into_entries());
        mv
    }

    /// Resolves one metaverse object whose members (`mv.members` indexes `members`) are
    /// staged, and gives its errors and notes to them.
    /// Their flow values are moved into it (the members' contributions are emptied).
    pub(crate) fn resolve_members(&self, mv: &mut MvObject, members: &mut [ObjectResult]) {
        self.resolve_mv_owned(mv, members);
        self.resolve_phase_notes(std::slice::from_ref(mv), members);
    }

    /// Resolves every metaverse object (on every core) and gives its errors and notes to its
    /// members.
    fn resolve_phase(&self, mv: &mut [MvObject], objects: &mut [ObjectResult]) {
        let shared: &[ObjectResult] = objects;
        resolve_each(mv, |target| self.resolve_mv(target, shared));
        self.resolve_phase_notes(mv, objects);
    }

    /// Errors of a metaverse object concern every member, and so do its notes.
    fn resolve_phase_notes(&self, mv: &[MvObject], objects: &mut [ObjectResult]) {
        for m in mv.iter() {
            if !m.errors.is_empty() {
                for i in &m.members {
                    objects[*i as usize].errors.extend(m.errors.iter().cloned());
                }
            }
            for i in &m.members {
                let o = &mut objects[*i as usize];
                for n in &m.engine_dependent {
                    if !o.engine_dependent.contains(n) {
                        o.engine_dependent.push(n);
                    }
                }
            }
        }
    }

    /// The join index keys of a metaverse object of type `object_type` with these members:
    /// its join attributes resolved from the members' contributions (as
    /// [`Simulator::resolve_mv`] resolves them).
    fn join_index_keys_of<'o>(
        &self,
        object_type: &str,
        members: impl Iterator<Item = &'o ObjectResult>,
    ) -> Vec<HashedKey> {
        let mut keys = Vec::new();
        if self.join_attrs.is_empty() {
            return keys;
        }
        let mut contributions: Vec<&Contribution> = members
            .flat_map(|o| o.contributions.iter())
            .filter(|c| {
                self.join_targets[c.dest_id as usize] && self.rule(c.rule).targets(object_type)
            })
            .collect();
        if contributions.is_empty() {
            return keys;
        }
        crate::resolve::for_each_set(&mut contributions, |name, value| {
            let Some((id, exact)) = self.join_attrs.get(name) else {
                return;
            };
            for v in value.values() {
                keys.extend(index_key(*id, v, false));
                if *exact {
                    keys.extend(index_key(*id, v, true));
                }
            }
        });
        keys
    }

    /// The tie note, when members of several directories contribute one attribute at one
    /// precedence (then the directory order decides).
    fn tie_notes<'x>(
        &self,
        target: &MvObject,
        contributions: impl Iterator<Item = &'x Contribution>,
    ) -> Vec<&'static str> {
        if target.members.len() > 1 {
            let mut seen: HashMap<(&str, i32), usize> = HashMap::new();
            for c in contributions {
                let order = self.rule(c.rule).directory_order;
                let e = seen.entry((c.dest, c.precedence)).or_insert(order);
                if *e != order {
                    return vec![TIE_NOTE];
                }
            }
        }
        Vec::new()
    }

    /// Resolves a metaverse object's attributes from its members' contributions.
    fn resolve_mv(&self, target: &mut MvObject, objects: &[ObjectResult]) {
        let contributions: Vec<&Contribution> = target
            .members
            .iter()
            .flat_map(|i| objects[*i as usize].contributions.iter())
            .filter(|c| self.rule(c.rule).targets(&target.object_type))
            .collect();
        let mut notes = self.tie_notes(target, contributions.iter().copied());
        let mut errors = Vec::new();
        let resolved = resolve_all(&contributions, &mut notes, &mut errors);
        set_resolved(target, resolved, notes, errors);
    }

    /// [`Simulator::resolve_mv`] of a metaverse object whose members (`target.members` indexes
    /// `members`) are not needed afterwards with their flow values: the values are moved into
    /// the metaverse object instead of copied, and the members' contributions are emptied.
    fn resolve_mv_owned(&self, target: &mut MvObject, members: &mut [ObjectResult]) {
        let mut contributions: Vec<Contribution> = Vec::new();
        for i in &target.members {
            if let Some(o) = members.get_mut(*i as usize) {
                let taken = std::mem::take(&mut o.contributions);
                contributions.extend(
                    taken
                        .into_iter()
                        .filter(|c| self.rule(c.rule).targets(&target.object_type)),
                );
            }
        }
        let mut notes = self.tie_notes(target, contributions.iter());
        let mut errors = Vec::new();
        let resolved =
            crate::resolve::resolve_all_owned(&mut contributions, &mut notes, &mut errors);
        set_resolved(target, resolved, notes, errors);
    }

    /// The outbound rules of `to` for one metaverse object.
    /// `target` is the object of `to` joined to the metaverse object, if any.
    pub(crate) fn export(
        &self,
        mv: &MvObject,
        to: DirectoryRef,
        target: Option<&ObjectResult>,
    ) -> ExportOutcome {
        if self.outbound.get(to, &mv.object_type).is_none() {
            return self.export_from(mv, &SourceObject::new(), to, target, true);
        }
        let mut object = SourceObject::new();
        for a in &mv.attributes {
            object.insert(a.name, a.value.clone());
        }
        self.export_from(mv, &object, to, target, true)
    }

    /// [`Simulator::export`] of a metaverse object held mutably: its values are lent to the
    /// outbound rules' evaluation instead of copied, then given back. Without `values`, the
    /// export's attributes are left empty (the caller counts outcomes only): flows that cannot
    /// fail (Direct, Constant) are not evaluated, and what the others give is dropped; the
    /// outcome, link rule, object type and errors are those of a full export.
    pub(crate) fn export_owned(
        &self,
        mv: &mut MvObject,
        to: DirectoryRef,
        target: Option<&ObjectResult>,
        values: bool,
    ) -> ExportOutcome {
        // The object keeps every value but a null or an empty list (and the names are
        // distinct): with one of those, copy as `export` does.
        let kept = |v: &Value| !v.is_null() && !matches!(v, Value::Multi(x) if x.is_empty());
        if !mv.attributes.iter().all(|a| kept(&a.value)) {
            let mut object = SourceObject::new();
            for a in &mv.attributes {
                object.insert(a.name, a.value.clone());
            }
            return self.export_from(mv, &object, to, target, values);
        }
        let mut object = SourceObject::with_capacity(mv.attributes.len());
        for a in &mut mv.attributes {
            object.push_distinct(a.name, std::mem::replace(&mut a.value, Value::Null));
        }
        // The attributes are sorted by name with one entry per name, so the object holds one
        // entry per attribute, in the same order: the values go back by position.
        let outcome = self.export_from(mv, &object, to, target, values);
        for (a, v) in mv.attributes.iter_mut().zip(object.into_values()) {
            a.value = v;
        }
        outcome
    }

    /// The outbound rules of `to` for `mv`, whose attributes `object` holds; without `values`,
    /// as [`Simulator::export_owned`] says.
    fn export_from(
        &self,
        mv: &MvObject,
        object: &SourceObject,
        to: DirectoryRef,
        target: Option<&ObjectResult>,
        values: bool,
    ) -> ExportOutcome {
        let Some(rules) = self.outbound.get(to, &mv.object_type) else {
            return ExportOutcome::NotProvisioned(format!(
                "no enabled outbound rule to {} for metaverse type `{}`",
                self.config.directory_name(to),
                mv.object_type
            ));
        };
        let existing = target.is_some();
        let parameters = match to {
            DirectoryRef::Azure => &self.prepared.entra_parameters,
            DirectoryRef::OnPremises(i) => &self.prepared.directory_parameters[i],
        };
        let groups = Groups::new();
        let scope_input = ScopeInput {
            object,
            dn_lower: "",
            parameters,
            groups: &groups,
        };
        let mut applied = Vec::new();
        let mut out_of_scope = Vec::new();
        let mut failed = Vec::new();
        let mut memo = vec![0u8; self.prepared.shared_clauses];
        for &id in rules {
            failed.clear();
            if in_scope_with(self.rule(id), &scope_input, &mut failed, &mut memo) {
                applied.push(id);
            } else {
                out_of_scope.push((id, failed.clone()));
            }
        }
        let with_join: Vec<RuleId> = applied
            .iter()
            .copied()
            .filter(|id| !self.rule(*id).joins.is_empty())
            .collect();
        if with_join.len() > 1 {
            let names: Vec<String> = with_join
                .iter()
                .map(|id| format!("`{}`", self.rule(*id).name))
                .collect();
            return ExportOutcome::Error(vec![format!(
                "more than one outbound rule with join conditions is in scope: {}",
                names.join(", ")
            )]);
        }
        let link = with_join.first().copied().or_else(|| {
            applied
                .iter()
                .copied()
                .find(|id| self.rule(*id).link == LinkType::Provision)
        });
        let link = match link {
            Some(l) if existing || self.rule(l).link == LinkType::Provision => l,
            Some(l) if self.rule(l).link == LinkType::JoinNoFlow => {
                return ExportOutcome::NotProvisioned(format!(
                    "`{}` is in scope with link type JoinNoFlow, which prevents object adds",
                    self.rule(l).name
                ))
            }
            Some(l) => {
                return ExportOutcome::NotProvisioned(format!(
                    "`{}` may only join and there is no existing {} object to join",
                    self.rule(l).name,
                    self.config.directory_name(to)
                ))
            }
            None => {
                let reasons: Vec<String> = out_of_scope
                    .iter()
                    .filter(|(id, _)| self.rule(*id).links())
                    .map(|(id, f)| {
                        format!(
                            "`{}`: {}",
                            self.rule(*id).name,
                            scope_reason_text(
                                &self.clauses,
                                |r| &self.prepared.rules[r as usize].name,
                                *id,
                                f,
                                Some((mv, Some(object)))
                            )
                        )
                    })
                    .collect();
                return ExportOutcome::NotProvisioned(if reasons.is_empty() {
                    format!(
                        "no outbound rule to {} that provisions metaverse type `{}` is in scope",
                        self.config.directory_name(to),
                        mv.object_type
                    )
                } else {
                    format!("no provisioning rule in scope: {}", reasons.join("; "))
                });
            }
        };
        let link_rule = self.rule(link);
        let no_flow = link_rule.link == LinkType::JoinNoFlow;
        let env = Env {
            object,
            parameters,
            imported: None,
            now: self.options.now,
            seed: 0,
        };
        let flows = || {
            applied.iter().flat_map(|&id| {
                let rule = self.rule(id);
                let targeted = rule.targets(&link_rule.target_type) || link_rule.target_type == "*";
                rule.flows
                    .iter()
                    .filter(move |flow| {
                        targeted
                            && !(existing && flow.execute_once)
                            && (!no_flow || is_reference(flow.dest))
                    })
                    .map(move |flow| (id, rule, flow))
            })
        };
        let mut errors = Vec::new();
        if !values {
            // Only the outcome counts: whether a flow fails, and whether the merge types of
            // the flows that do not agree per attribute (as resolution checks them). Flows
            // that cannot fail (Direct, Constant) are not evaluated.
            // Per target id: 0 no flow yet, 1 Update, 2 a Merge type, 3 both.
            let mut kinds = vec![0u8; self.prepared.targets];
            let mut mixed: Vec<(u32, Name)> = Vec::new();
            for (_, rule, flow) in flows() {
                if !matches!(flow.kind, FlowKind::Direct(..) | FlowKind::Constant(_)) {
                    if let Err(e) = eval_flow(flow, &env, 0) {
                        errors.push(format!(
                            "{e} (rule `{}`, attribute `{}`)",
                            rule.name, flow.dest
                        ));
                        continue;
                    }
                }
                let kind = if Merge::of(&flow.merge) == Merge::Update {
                    1
                } else {
                    2
                };
                let Some(seen) = kinds.get_mut(flow.dest_id as usize) else {
                    continue;
                };
                if *seen | kind == 3 && *seen != 3 {
                    mixed.push((flow.dest_id, flow.dest));
                }
                *seen |= kind;
            }
            // Resolution's errors come by attribute, in the order of the ids.
            mixed.sort_unstable_by_key(|(id, _)| *id);
            errors.extend(mixed.into_iter().map(|(_, name)| {
                crate::resolve::error_text(crate::resolve::ResolveError::MixedMerge {
                    attribute: name.to_owned(),
                })
            }));
            if !errors.is_empty() {
                return ExportOutcome::Error(errors);
            }
            return ExportOutcome::Exported(Export {
                directory: to,
                object_type: link_rule.target_type.clone(),
                dn: None,
                attributes: Vec::new(),
                link_rule: link,
                applied,
                existing,
            });
        }
        let mut contributions = Vec::new();
        for (id, rule, flow) in flows() {
            match eval_flow(flow, &env, 0) {
                Ok(value) => contributions.push(Contribution {
                    dest: flow.dest,
                    dest_id: flow.dest_id,
                    rule: id,
                    precedence: rule.precedence,
                    tie: (rule.directory_order.min(u32::MAX as usize) as u32, 0),
                    merge: Merge::of(&flow.merge),
                    value,
                }),
                Err(e) => errors.push(format!(
                    "{e} (rule `{}`, attribute `{}`)",
                    rule.name, flow.dest
                )),
            }
        }
        let refs: Vec<&Contribution> = contributions.iter().collect();
        let mut notes = Vec::new();
        let resolved = resolve_all(&refs, &mut notes, &mut errors);
        if !errors.is_empty() {
            return ExportOutcome::Error(errors);
        }
        let mut attributes: Vec<Resolved> = resolved
            .into_iter()
            .filter_map(|(name, o)| match o {
                Outcome::Set(value, rules) => Some(Resolved { name, value, rules }),
                _ => None,
            })
            .collect();
        // Merge flows add to the values the existing object holds (dp §3.5: the out-of-box
        // `proxyAddresses += "x500:..."` keeps the other addresses): its values first, then
        // the contributed ones not among them.
        if let Some(t) = target {
            for a in &mut attributes {
                let merge = contributions
                    .iter()
                    .find(|c| *c.dest == *a.name)
                    .map_or(Merge::Update, |c| c.merge);
                if merge == Merge::Update {
                    continue;
                }
                let Some((_, old)) = t
                    .target_values
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(a.name))
                else {
                    continue;
                };
                let ci = merge == Merge::MergeCaseInsensitive;
                let mut values: Vec<Value> = Vec::new();
                for x in old.values().iter().chain(a.value.values()) {
                    if !crate::resolve::is_nothing(x)
                        && !values.iter().any(|y| crate::resolve::same(x, y, ci))
                    {
                        values.push(x.clone());
                    }
                }
                a.value = Value::Multi(values);
            }
        }
        attributes.shrink_to_fit();
        let dn = attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case("dn"))
            .map(|a| a.value.to_string());
        ExportOutcome::Exported(Export {
            directory: to,
            object_type: link_rule.target_type.clone(),
            dn,
            attributes,
            link_rule: link,
            applied,
            existing,
        })
    }
}

/// A metaverse object's attributes from its resolution, with its errors and notes.
fn set_resolved(
    target: &mut MvObject,
    resolved: Vec<(Name, Outcome)>,
    mut notes: Vec<&'static str>,
    errors: Vec<String>,
) {
    target.attributes = resolved
        .into_iter()
        .filter_map(|(name, o)| match o {
            Outcome::Set(value, rules) => Some(Resolved { name, value, rules }),
            Outcome::Clear(_) | Outcome::Unchanged => None,
        })
        .collect();
    // Collected in place: give back the capacity of the dropped and larger entries.
    target.attributes.shrink_to_fit();
    target.errors = errors;
    notes.dedup();
    target.engine_dependent = notes;
}

/// Attributes every connector imports whatever its inclusion list says.
const ALWAYS_IMPORTED: &[&str] = &["dn", "objectclass"];

/// Objects per task when work is split across cores (rayon's pool, whose threads live for the
/// whole run, so that each thread's allocator heap is reused from batch to batch).
pub(crate) const MIN_PER_TASK: usize = 32;

/// What staging evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Everything (a full run, pass 2).
    All,
    /// A join plan: the flows into join attributes, of objects with a link rule.
    Plan,
    /// A join plan whose errors are those of a full staging: every flow that can fail too.
    FullPlan,
}

/// An object staged up to its inbound rules' scope ([`Simulator::stage_head`]).
pub(crate) enum Staging {
    /// Staging ends here (filtered, an unknown directory, no inbound rule of its type).
    Done(ObjectResult),
    Scoped(Head),
}

/// An object past the connector filters and the attribute inclusion.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub(crate) result: ObjectResult,
    pub(crate) object: SourceObject,
    /// The object's partition (on-premises objects).
    partition: Option<usize>,
    dn_lower: String,
}

/// Stages every object, on every core: staging an object looks at nothing but the object.
fn stage_all(
    sim: &Simulator<'_>,
    inputs: Vec<SourceInput>,
    groups: &Groups,
    mode: Stage,
) -> Vec<ObjectResult> {
    inputs
        .into_par_iter()
        .with_min_len(MIN_PER_TASK)
        .map(|i| sim.stage(i, groups, mode))
        .collect()
}

/// `each` over every metaverse object (mutably), on every core.
fn resolve_each(metaverse: &mut [MvObject], each: impl Fn(&mut MvObject) + Sync + Send) {
    metaverse
        .par_iter_mut()
        .with_min_len(MIN_PER_TASK)
        .for_each(each);
}

/// `each` over every metaverse object, on every core, the results in the objects' order.
fn export_all<T: Send>(
    metaverse: &[MvObject],
    each: impl Fn(&MvObject) -> T + Sync + Send,
) -> Vec<T> {
    metaverse
        .par_iter()
        .with_min_len(MIN_PER_TASK)
        .map(each)
        .collect()
}

/// The words of a DN's lower-cased head in its sort key (see [`sort_order`]).
const HEAD_WORDS: usize = 3;

/// The run's fixed order of `objects` (directory order, then the DN lower-cased, then origin,
/// then the index: a total order), as the indexes of the objects in that order. The DN
/// compares as `str::to_lowercase` makes it; an ASCII DN is compared byte by byte, lower-cased
/// on the fly (the same bytes), so only other DNs are lower-cased (on every core). The first
/// [`HEAD_WORDS`] × 8 bytes lower-cased, as big-endian numbers, decide most comparisons
/// without a look at the text (DNs share their first words: `CN=David Nelson 30,...`).
fn sort_order(items: &[(usize, &str, Origin)]) -> Vec<u32> {
    struct Key<'a> {
        dir: usize,
        head: [u64; HEAD_WORDS],
        /// The DN, or its lower-cased text when it is not ASCII.
        text: &'a str,
        origin: Origin,
        index: u32,
    }
    let lowered: Vec<Option<String>> = items
        .par_iter()
        .with_min_len(MIN_PER_TASK * 8)
        .map(|(_, dn, _)| (!dn.is_ascii()).then(|| dn.to_lowercase()))
        .collect();
    let mut keys: Vec<Key<'_>> = items
        .par_iter()
        .zip(lowered.par_iter())
        .with_min_len(MIN_PER_TASK * 8)
        .enumerate()
        .map(|(i, ((dir, dn, origin), l))| {
            let text = l.as_deref().unwrap_or(dn);
            let mut head = [0u8; HEAD_WORDS * 8];
            for (h, b) in head.iter_mut().zip(text.bytes()) {
                *h = b.to_ascii_lowercase();
            }
            Key {
                dir: *dir,
                head: std::array::from_fn(|w| {
                    let mut word = [0u8; 8];
                    word.copy_from_slice(&head[w * 8..w * 8 + 8]);
                    u64::from_be_bytes(word)
                }),
                text,
                origin: *origin,
                index: i as u32,
            }
        })
        .collect();
    keys.par_sort_unstable_by(|a, b| {
        a.dir
            .cmp(&b.dir)
            .then(a.head.cmp(&b.head))
            .then_with(|| {
                // Lower-case text has no ASCII capitals: lower-casing its bytes again is the
                // identity, so one comparison serves both kinds. The heads are equal: when
                // both texts are longer, their first bytes are; otherwise the shorter text is
                // where the longer one has zero bytes, its prefix.
                let skip = HEAD_WORDS * 8;
                if a.text.len() < skip || b.text.len() < skip {
                    return a.text.len().cmp(&b.text.len());
                }
                let x = a.text.bytes().skip(skip).map(|c| c.to_ascii_lowercase());
                let y = b.text.bytes().skip(skip).map(|c| c.to_ascii_lowercase());
                x.cmp(y)
            })
            .then(a.origin.cmp(&b.origin))
            .then(a.index.cmp(&b.index))
    });
    keys.into_iter().map(|k| k.index).collect()
}

/// Reorders `items` in place so that position `i` holds the item that was at `from[i]` (a
/// permutation), without a second copy of the items.
pub(crate) fn permute<T>(items: &mut [T], from: &[u32]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done[start] {
            continue;
        }
        // Follow the cycle: position `at` takes the item at `from[at]`.
        let mut at = start;
        loop {
            done[at] = true;
            let next = from[at] as usize;
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// `each` over owned items, on every core, the results in the items' order.
pub(crate) fn export_all_of<I: Send, T: Send>(
    items: Vec<I>,
    each: impl Fn(I) -> T + Sync + Send,
) -> Vec<T> {
    items
        .into_par_iter()
        .with_min_len(MIN_PER_TASK)
        .map(each)
        .collect()
}

fn is_reference(attr: &str) -> bool {
    REFERENCE_ATTRIBUTES
        .iter()
        .any(|r| r.eq_ignore_ascii_case(attr))
}

/// The last value of `objectClass` (the structural class as AD lists it).
pub fn last_object_class(object: &SourceObject) -> String {
    let v = object
        .get("objectClass")
        .or_else(|| object.get("objectclass"));
    match v.map(Value::values).and_then(<[Value]>::last) {
        Some(Value::Str(s)) | Some(Value::Ref(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn seed_of(dn_lower: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in dn_lower.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Why a rule that may only join did not: nothing matched.
pub(crate) const NO_MATCH: &str = "the join conditions matched no metaverse object";
/// Why a provisioning rule with join conditions did not project.
pub(crate) const NO_JOIN_ATTRIBUTE: &str =
    "no projection: no attribute of the join conditions is present";

/// The type of the metaverse object `o` projects by `rule`.
pub(crate) fn projected_type<'a>(rule: &'a PRule, o: &'a ObjectResult) -> &'a str {
    if rule.target_type == "*" || rule.target_type.is_empty() {
        &o.object_type
    } else {
        &rule.target_type
    }
}

/// The join index: per key, the metaverse objects that have it (mostly one).
/// The join index: the metaverse objects of each key, without the keys that no object looks up
/// (see [`crate::key_filter`]). A lookup of a key never stored does not touch the table.
struct JoinIndex {
    /// By key hash: the key and its holders; a second key of the same hash goes to `more`.
    map: HashMap<u64, (Box<[u8]>, Holders), BuildHasherDefault<KeyHasher>>,
    more: HashMap<Box<[u8]>, Holders, BuildHasherDefault<KeyHasher>>,
    /// The keys objects look up: no other key is stored.
    looked_up: KeyFilter,
    /// The keys stored.
    stored: KeyFilter,
}

impl JoinIndex {
    /// An empty index of the keys `looked_up` may hold, room made for `keys` keys.
    fn new(looked_up: KeyFilter, keys: usize) -> JoinIndex {
        let mut map = HashMap::default();
        map.reserve(keys);
        JoinIndex {
            map,
            more: HashMap::default(),
            looked_up,
            stored: KeyFilter::with_capacity(keys),
        }
    }

    fn get(&self, key: &HashedKey) -> Option<&Holders> {
        if !self.stored.may_contain(key.hash) {
            return None;
        }
        match self.map.get(&key.hash) {
            Some((k, holders)) if *k == key.bytes => Some(holders),
            Some(_) => self.more.get(&key.bytes),
            None => None,
        }
    }

    fn get_mut(&mut self, key: &HashedKey) -> Option<&mut Holders> {
        if !self.stored.may_contain(key.hash) {
            return None;
        }
        match self.map.get_mut(&key.hash) {
            Some((k, holders)) if *k == key.bytes => Some(holders),
            Some(_) => self.more.get_mut(&key.bytes),
            None => None,
        }
    }

    /// Adds metaverse object `m` to the holders of `key`, when some object may look it up.
    fn push(&mut self, key: HashedKey, m: u32) {
        if !self.looked_up.may_contain(key.hash) {
            return;
        }
        self.stored.insert(key.hash);
        match self.map.entry(key.hash) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((key.bytes, Holders::default())).1.push(m);
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let (k, holders) = o.get_mut();
                if *k == key.bytes {
                    holders.push(m);
                } else {
                    self.more.entry(key.bytes).or_default().push(m);
                }
            }
        }
    }

    fn into_entries(self) -> Vec<(Box<[u8]>, Holders)> {
        self.map.into_values().chain(self.more).collect()
    }
}

/// A fast hasher for keys that differ anywhere (join keys, digests): eight bytes at a time,
/// multiply-rotate mixing, and a final mix (so that the low bits, which place an entry in a
/// table, depend on every byte; without it, keys that differ only in their high bytes collide).
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        // The finalizer of MurmurHash3.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = syncpolicy_expr::env::mix_words(self.0, bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(syncpolicy_expr::env::MIX);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// The metaverse objects of one join index key, in no particular order: the first inline.
#[derive(Debug)]
struct Holders {
    first: u32,
    rest: Vec<u32>,
}

impl Default for Holders {
    fn default() -> Holders {
        Holders {
            first: u32::MAX,
            rest: Vec::new(),
        }
    }
}

impl Holders {
    fn push(&mut self, m: u32) {
        if self.first == u32::MAX {
            self.first = m;
        } else {
            self.rest.push(m);
        }
    }

    fn remove(&mut self, m: u32) {
        self.rest.retain(|x| *x != m);
        if self.first == m {
            self.first = self.rest.pop().unwrap_or(u32::MAX);
        }
    }

    fn extend_into(&self, out: &mut Vec<u32>) {
        if self.first != u32::MAX {
            out.push(self.first);
        }
        out.extend_from_slice(&self.rest);
    }
}

/// A join key as the join index holds it (the object's keys and the metaverse objects' keys
/// are both made here, so that they compare byte for byte): the metaverse attribute's id, then
/// the value: text lower-cased (or, for a case-sensitive condition, exact and marked with a
/// leading 0x01 byte), binary as is. `None` for a value that joins nothing.
fn index_key(attr: u16, v: &Value, exact: bool) -> Option<HashedKey> {
    // Room for the whole key (as a boxed slice it must not be shrunk, which copies it).
    let room = match v {
        Value::Str(s) | Value::Ref(s) => s.len() + usize::from(exact),
        Value::Bin(b) => b.len(),
        _ => 20,
    };
    let mut k = Vec::with_capacity(2 + room);
    k.extend_from_slice(&attr.to_le_bytes());
    match v {
        Value::Str(s) | Value::Ref(s) if !s.is_empty() => {
            if exact {
                k.push(1);
                k.extend_from_slice(s.as_bytes());
            } else if s.is_ascii() {
                // What `to_lowercase` gives an ASCII text, without the copy it makes.
                k.extend(s.bytes().map(|b| b.to_ascii_lowercase()));
            } else {
                k.extend_from_slice(s.to_lowercase().as_bytes());
            }
        }
        Value::Num(n) => k.extend_from_slice(n.to_string().as_bytes()),
        Value::Bool(b) => k.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Bin(b) if !b.is_empty() => k.extend_from_slice(b),
        _ => return None,
    }
    Some(HashedKey::new(k.into_boxed_slice()))
}

/// A flow's value on `env`'s object, evaluated with parameter set `set` of its rule
/// ([`Prepared::parameter_set`]).
fn eval_flow(flow: &PFlow, env: &Env<'_>, set: usize) -> Result<Value, String> {
    match &flow.kind {
        FlowKind::Direct(_, probe) => Ok(env
            .object
            .find(probe)
            .map_or(Value::Null, |(_, v)| v.clone())),
        FlowKind::Constant(v) => Ok(v.clone()),
        FlowKind::Expression(c) => match flow.absent.get(set) {
            Some(kept) => c.eval_kept(env, kept),
            None => c.eval(env),
        }
        .map_err(|e| match e.kind {
            // The message is data (it is built from attribute values): back-quoted, as every
            // value in a message is, so that `--redact` can replace it.
            EvalErrorKind::Raised => {
                format!(
                    "sync-rule-error-function-triggered: `{}`",
                    e.message.replace('`', "'")
                )
            }
            _ => e.to_string(),
        }),
        FlowKind::Broken(msg) => Err(msg.clone()),
    }
}

/// The reason a rule was out of scope, each failing clause on an attribute `mv` holds with the
/// rule that set it.
pub(crate) fn scope_reason_text<'r>(
    clauses: &[Vec<Vec<String>>],
    rule_name: impl Fn(RuleId) -> &'r str,
    rule: RuleId,
    failed: &[Failed],
    mv: Option<(&MvObject, Option<&SourceObject>)>,
) -> String {
    let clauses = &clauses[rule as usize];
    let texts: Vec<String> = failed
        .iter()
        .filter_map(|(g, c)| {
            let text = clauses.get(*g as usize)?.get(*c as usize)?.clone();
            let attr = text.trim_start_matches('[').split(' ').next().unwrap_or("");
            // The value from the object the rules read (the metaverse object may have lent
            // its values to it), the rules from the metaverse object.
            let provenance = mv.and_then(|(m, values)| {
                let a = m.get(attr)?;
                Some((a, values.map_or(Some(&a.value), |o| o.get(attr))?))
            });
            let provenance = provenance.map(|(a, value)| {
                let rules: Vec<String> = a
                    .rules
                    .iter()
                    .map(|r| format!("`{}`", rule_name(*r)))
                    .collect();
                format!(
                    " ({attr} = `{}` set by {})",
                    value.to_string().replace('`', "'"),
                    rules.join(", ")
                )
            });
            Some(format!("{text}{}", provenance.unwrap_or_default()))
        })
        .collect();
    format!("Scope conditions not satisfied: {}", texts.join(", "))
}

/// Why an in-scope object has no Entra object, before the reason's text is made (counting
/// needs only whether there is one).
pub(crate) enum NotProvisioned<'o> {
    ObjectError,
    Disconnector,
    NotJoined { rule: RuleId, reason: &'o str },
    Entra(&'o str),
    ExportError(&'o [String]),
    NoMetaverse,
}

impl NotProvisioned<'_> {
    /// The reason as the results give it.
    pub(crate) fn text<'r>(&self, rule_name: impl Fn(RuleId) -> &'r str) -> String {
        match self {
            NotProvisioned::ObjectError => "object error".to_owned(),
            NotProvisioned::Disconnector => {
                "no inbound rule that joins or projects is in scope: the object stays a disconnector"
                    .to_owned()
            }
            NotProvisioned::NotJoined { rule, reason } => {
                format!("`{}`: {reason}", rule_name(*rule))
            }
            NotProvisioned::Entra(r) => (*r).to_owned(),
            NotProvisioned::ExportError(e) => format!("export error: {}", e.join("; ")),
            NotProvisioned::NoMetaverse => "no metaverse object".to_owned(),
        }
    }
}

/// Why an in-scope object has no Entra object (`None` when it has one, or is filtered), given
/// its Entra outcome.
pub(crate) fn not_provisioned_why<'o>(
    object: &'o ObjectResult,
    entra: Option<&'o ExportOutcome>,
) -> Option<NotProvisioned<'o>> {
    if object.filter.is_some() {
        return None;
    }
    if !object.errors.is_empty() && object.metaverse.is_none() {
        return Some(NotProvisioned::ObjectError);
    }
    match &object.join {
        JoinOutcome::NotRun => return Some(NotProvisioned::ObjectError),
        JoinOutcome::NoLinkRule => return Some(NotProvisioned::Disconnector),
        JoinOutcome::NotJoined { rule, reason } => {
            return Some(NotProvisioned::NotJoined {
                rule: *rule,
                reason,
            })
        }
        _ => {}
    }
    match entra {
        Some(ExportOutcome::Exported(_)) => None,
        Some(ExportOutcome::NotProvisioned(r)) => Some(NotProvisioned::Entra(r)),
        Some(ExportOutcome::Error(e)) => Some(NotProvisioned::ExportError(e)),
        None => Some(NotProvisioned::NoMetaverse),
    }
}

/// [`not_provisioned_why`] as text.
pub(crate) fn not_provisioned<'r>(
    object: &ObjectResult,
    entra: Option<&ExportOutcome>,
    rule_name: impl Fn(RuleId) -> &'r str,
) -> Option<String> {
    not_provisioned_why(object, entra).map(|w| w.text(rule_name))
}

impl Simulation {
    /// The reason a rule was out of scope: `Scope conditions not satisfied: [a OP v], ...`.
    pub fn scope_reason(&self, rule: RuleId, failed: &[Failed]) -> String {
        self.scope_reason_with_provenance(rule, failed, None)
    }

    /// Like [`Simulation::scope_reason`]; with a metaverse object, each failing clause on an
    /// attribute it holds says which rule set it.
    pub fn scope_reason_with_provenance(
        &self,
        rule: RuleId,
        failed: &[Failed],
        mv: Option<&MvObject>,
    ) -> String {
        scope_reason_text(
            &self.clauses,
            |r| &self.rules[r as usize].name,
            rule,
            failed,
            mv.map(|m| (m, None)),
        )
    }

    /// The out-of-scope inbound rules of an object with their reasons, disabled rules included
    /// ("Sync rule disabled").
    pub fn out_of_scope_reasons(&self, object: &ObjectResult) -> Vec<(RuleId, String)> {
        let mut out: Vec<(RuleId, String)> = Vec::new();
        let mut i = 0;
        let list = &object.out_of_scope;
        while i < list.len() {
            let rule = list[i].0;
            let mut failed = Vec::new();
            while i < list.len() && list[i].0 == rule {
                failed.push((list[i].1, list[i].2));
                i += 1;
            }
            out.push((rule, self.scope_reason(rule, &failed)));
        }
        out.extend(
            object
                .disabled
                .iter()
                .map(|r| (*r, "Sync rule disabled".to_owned())),
        );
        out
    }

    /// The Entra outcome of a source object: through its metaverse object.
    pub fn entra_of(&self, object: &ObjectResult) -> Option<&ExportOutcome> {
        object.metaverse.and_then(|m| self.entra.get(m as usize))
    }

    /// Why an in-scope object has no Entra object (`None` when it has one, or is filtered).
    pub fn not_provisioned_reason(&self, object: &ObjectResult) -> Option<String> {
        not_provisioned(object, self.entra_of(object), |r| {
            &self.rules[r as usize].name
        })
    }

    /// All errors of an object: its own and those of its export to Entra.
    pub fn errors_of(&self, object: &ObjectResult) -> Vec<String> {
        let mut errors = object.errors.clone();
        if let Some(ExportOutcome::Error(e)) = self.entra_of(object) {
            for x in e {
                if !errors.contains(x) {
                    errors.push(x.clone());
                }
            }
        }
        errors
    }

    /// Counts.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for o in &self.objects {
            s.add_object(o, self.entra_of(o));
        }
        for (m, e) in self.metaverse.iter().zip(&self.entra) {
            s.add_metaverse(m, e);
        }
        s
    }

    /// The summary with the facts its report names.
    pub fn run_summary(&self) -> crate::stream::RunSummary {
        let mut names = std::collections::BTreeSet::new();
        for m in &self.metaverse {
            names.insert(m.object_type.clone());
            names.extend(m.attributes.iter().map(|a| a.name.to_string()));
        }
        crate::stream::RunSummary {
            summary: self.summary(),
            objects: self.objects.len(),
            facts: crate::stream::RunFacts {
                rules: self.rules.clone(),
                warnings: self.warnings.clone(),
                not_simulated: self.not_simulated.clone(),
            },
            metaverse_names: names,
            ..crate::stream::RunSummary::default()
        }
    }

    /// The rule's name.
    pub fn rule_name(&self, id: RuleId) -> &str {
        &self.rules[id as usize].name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_join_index_tells_apart_keys_of_the_same_hash() {
        // Keys of one forged hash: the index finds each by its bytes, not by the hash.
        let key = |bytes: &[u8]| HashedKey {
            hash: 42,
            bytes: bytes.into(),
        };
        let mut looked_up = KeyFilter::with_capacity(4);
        looked_up.insert(42);
        let mut index = JoinIndex::new(looked_up, 4);
        let holders = |index: &JoinIndex, k: &HashedKey| {
            let mut out = Vec::new();
            if let Some(h) = index.get(k) {
                h.extend_into(&mut out);
            }
            out.sort_unstable();
            out
        };
        index.push(key(b"a"), 1);
        index.push(key(b"b"), 2);
        index.push(key(b"a"), 3);
        index.push(key(b"b"), 4);
        assert_eq!(holders(&index, &key(b"a")), [1, 3]);
        assert_eq!(holders(&index, &key(b"b")), [2, 4]);
        assert!(index.get(&key(b"c")).is_none());
        index.get_mut(&key(b"b")).expect("held").remove(2);
        index.get_mut(&key(b"a")).expect("held").remove(3);
        assert_eq!(holders(&index, &key(b"a")), [1]);
        assert_eq!(holders(&index, &key(b"b")), [4]);
        // A key no object looks up is not stored; one of another hash is not found.
        index.push(HashedKey::new(b"d".to_vec().into()), 5);
        assert!(index.get(&HashedKey::new(b"d".to_vec().into())).is_none());
        assert!(index.get(&HashedKey::new(b"a".to_vec().into())).is_none());
        assert_eq!(index.into_entries().len(), 2);
    }

    /// The order as it was defined: a sort of (directory, `to_lowercase` DN, origin, index).
    fn reference(items: &[(usize, &str, Origin)]) -> Vec<u32> {
        let mut keys: Vec<(usize, String, Origin, u32)> = items
            .iter()
            .enumerate()
            .map(|(i, (d, dn, o))| (*d, dn.to_lowercase(), *o, i as u32))
            .collect();
        keys.sort_unstable();
        keys.into_iter().map(|k| k.3).collect()
    }

    fn origin(line: usize) -> Origin {
        Origin { file: 0, line }
    }

    #[test]
    fn sort_order_is_that_of_the_lower_cased_keys() {
        let dns = [
            "CN=a,DC=x",
            "cn=A,dc=X",
            "CN=ab",
            "CN=a",
            "",
            "CN=a\0",
            "CN=\u{0}",
            "CN=Ärger",
            "cn=ärger",
            "CN=ΟΔΟΣ",
            "CN=οδος",
            "CN=İstanbul",
            "CN=i̇stanbul",
            "CN=KELVIN\u{212a}",
            "CN=kelvink",
            "CN=\u{10400}",
            "CN=\u{10428}",
            "CN=Zeta",
            "cn=zeta",
            "CN=abcdefgh",
            "CN=abcdefgH1",
            "CN=ABCDEFGH",
            "abcdefg",
            "abcdefg\u{0}",
            // Around the sort key's head of 24 bytes.
            "CN=David Nelson 30,OU=Sa",
            "CN=David Nelson 30,OU=Sa\u{0}",
            "cn=david nelson 30,ou=sa",
            "CN=David Nelson 30,OU=Sb",
            "CN=David Nelson 30,OU=S",
            "CN=David Nelson 30,OU=S\u{0}",
            "CN=David Nelson 30,OU=S\u{0}\u{0}",
            "CN=David Nelson 30,OU=Sales",
            "CN=David Nelson 30,OU=SALES,DC=x",
            "CN=David Nelson 30,OU=Sales,DC=x",
            "CN=David Nelson 30,OU=Säles",
            "CN=David Nelson 30,OU=SÄles",
            "CN=Dävid Nelson 30,OU=Sales",
        ];
        let dns: Vec<String> = dns.iter().map(|d| d.to_string()).collect();
        let items: Vec<(usize, &str, Origin)> = dns
            .iter()
            .enumerate()
            .flat_map(|(i, d)| [(0, d.as_str(), origin(i)), (1, d.as_str(), origin(0))])
            .collect();
        assert_eq!(sort_order(&items), reference(&items));
    }

    proptest! {
        #[test]
        fn sort_order_matches_the_reference(
            items in proptest::collection::vec(
                (0usize..3, 0usize..3, "[a-cA-CäÄσΣς\\x00İ=,]{0,12}", 0usize..3),
                0..200,
            )
        ) {
            // Prefixes about as long as the sort key's head, so that heads tie.
            const PREFIXES: [&str; 3] = ["", "CN=David Nelson 3", "cn=DAVID nelson 30,ou=Sä"];
            let dns: Vec<String> = items
                .iter()
                .map(|(_, p, dn, _)| format!("{}{dn}", PREFIXES[*p]))
                .collect();
            let items: Vec<(usize, &str, Origin)> = items
                .iter()
                .zip(&dns)
                .map(|((d, _, _, l), dn)| (*d, dn.as_str(), origin(*l)))
                .collect();
            prop_assert_eq!(sort_order(&items), reference(&items));
        }
    }
}
