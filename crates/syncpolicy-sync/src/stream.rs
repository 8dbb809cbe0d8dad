//! Streaming runs, for callers that need counts and comparisons but not every object's result
//! at once (`simulate --summary`, `impact`): two passes over the same objects in the same
//! order, so that memory is the join plan plus what is still waiting for its metaverse object.
//!
//! Pass 1 ([`Simulator::plan_batch`], then [`Simulator::plan`]) stages every object lightly,
//! evaluating only what joining needs (link rule, join keys, the flows into join attributes),
//! and runs the join phase exactly as [`Simulator::finish`] does: the plan says, per object,
//! its join outcome and its metaverse object. An object with an error joins nothing, and pass 1
//! does not evaluate the flows into other attributes: when pass 2 finds an error there in an
//! object that the plan joined or projected, the plan is wrong, and
//! [`Streamer::needs_full_plan`] says so; the caller then runs both passes again with
//! [`Simulator::plan_batch_full`], which evaluates every flow that can fail (rare: a
//! configuration whose flows fail for joining objects). Pass 2 ([`Streamer::feed`]) stages the objects again
//! (staging is deterministic), completes each metaverse object as soon as its last member is
//! seen (single-member objects at once), resolves and exports it, and hands the results to the
//! caller, who keeps what it needs and drops the rest. Results are those of
//! [`Simulator::finish`]: same ranks, same tie-breaks, same errors.

use crate::engine::{
    not_provisioned, not_provisioned_why, ExportOutcome, JoinOutcome, MvObject, ObjectResult,
    RuleInfo, Simulator, Summary,
};
use crate::engine::{KeyHasher, SourceInput};
use crate::filter::FilterKind;
use crate::prepare::RuleId;
use crate::scope::Groups;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::BuildHasherDefault;
use syncpolicy_model::config::DirectoryRef;

/// Pass 1's decisions for one object.
#[derive(Debug, Clone)]
struct Planned {
    /// Its position in the run's fixed order.
    rank: u32,
    join: JoinOutcome,
    metaverse: Option<u32>,
    /// Errors the ordering and the join phase added (duplicate DN, ambiguous join).
    errors: Vec<String>,
    /// A duplicate DN: its link rule is dropped.
    duplicate: bool,
    /// A digest of its DN, so that pass 2 notices other objects than pass 1 saw.
    dn_digest: u64,
    /// It took part in the join phase (a link rule and no error): an error that pass 2 finds
    /// in it would have changed the plan.
    joining: bool,
}

/// The join plan of a run: what pass 1 decided for every object, by input sequence number
/// (the position of the object in the stream of pass 1; pass 2 must give the same objects in
/// the same order).
#[derive(Debug, Clone)]
pub struct Plan {
    objects: Vec<Planned>,
    /// Per metaverse object: its type and members (input sequence numbers), projector first.
    metaverse: Vec<(String, Vec<u32>)>,
    /// Per object, the first object (by the run's order) whose DN is the same, ASCII case
    /// aside (the object `impact` names a deletion's reason after).
    same_dn_first: Vec<u32>,
    /// Pass 1 evaluated every flow that can fail ([`Simulator::plan_batch_full`]).
    full: bool,
}

impl Plan {
    /// The number of objects planned.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// True when no object was planned.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// True when the plan gives `seq` what it would have alone, with no other object in the
    /// run: the join outcome `join`, and a metaverse object of type `projects` with no other
    /// member (none when `projects` is none); no error of the ordering or the join phase.
    pub(crate) fn stands(&self, seq: u32, join: &JoinOutcome, projects: Option<&str>) -> bool {
        let Some(p) = self.objects.get(seq as usize) else {
            return false;
        };
        if !p.errors.is_empty() || p.duplicate || p.join != *join {
            return false;
        }
        match (p.metaverse, projects) {
            (None, None) => true,
            (Some(m), Some(t)) => self
                .metaverse
                .get(m as usize)
                .is_some_and(|(object_type, members)| object_type == t && members[..] == [seq]),
            _ => false,
        }
    }

    /// True when `seq` projected its metaverse object (is its first member).
    fn projects(&self, seq: u32) -> bool {
        self.objects[seq as usize]
            .metaverse
            .is_some_and(|m| self.metaverse[m as usize].1.first() == Some(&seq))
    }
}

/// What pass 2 gives back, in the order objects complete.
#[derive(Debug)]
pub enum Streamed {
    /// An object without a metaverse object (filtered, a disconnector, not joined, an error).
    Alone { seq: u32, object: ObjectResult },
    /// A metaverse object whose members have all been seen: resolved and exported.
    Metaverse {
        /// Its attributes resolved; `members` holds input sequence numbers.
        mv: MvObject,
        /// The members' results (projector first), their errors complete.
        members: Vec<ObjectResult>,
        entra: ExportOutcome,
    },
}

impl Simulator<'_> {
    /// Pass 1: stages a batch (on every core) and keeps of each object only what the join
    /// phase needs. Give every object of the run, in the order pass 2 will give them.
    /// Only the flows into join attributes are evaluated (see the module's text for what
    /// happens when another flow of a joining object fails).
    pub fn plan_batch(
        &self,
        inputs: Vec<crate::engine::SourceInput>,
        groups: &crate::scope::Groups,
    ) -> Vec<ObjectResult> {
        self.plan_batch_mode(inputs, groups, false)
    }

    /// Pass 1 as [`Simulator::plan_batch`], evaluating every flow that can fail as well, so
    /// that every object error is known to the plan: what a run does again when
    /// [`Streamer::needs_full_plan`] says so. Give all objects of the run to one or the other.
    pub fn plan_batch_full(
        &self,
        inputs: Vec<crate::engine::SourceInput>,
        groups: &crate::scope::Groups,
    ) -> Vec<ObjectResult> {
        self.plan_batch_mode(inputs, groups, true)
    }

    fn plan_batch_mode(
        &self,
        inputs: Vec<crate::engine::SourceInput>,
        groups: &crate::scope::Groups,
        full: bool,
    ) -> Vec<ObjectResult> {
        let mut staged = self.stage_batch_for_plan(inputs, groups, full);
        staged
            .par_iter_mut()
            .with_min_len(crate::engine::MIN_PER_TASK)
            .for_each(|o| self.strip_for_plan(o, full));
        staged
    }

    /// [`Simulator::plan`] of the batches of pass 1 as [`Simulator::plan_batch`] gave them, in
    /// order: gathered once at their total size (a vector grown batch by batch is copied again
    /// and again, each time into fresh memory).
    pub fn plan_parts(&self, parts: Vec<Vec<ObjectResult>>) -> Plan {
        let mut objects = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        for part in parts {
            objects.extend(part);
        }
        self.plan(objects)
    }

    /// Pass 1, end: orders the objects and joins them, as [`Simulator::finish`] does.
    pub fn plan(&self, mut objects: Vec<ObjectResult>) -> Plan {
        let full = objects.first().is_none_or(|o| o.planned_full);
        let staged_errors: Vec<usize> = objects.iter().map(|o| o.errors.len()).collect();
        // Whether each object takes part in the join phase (as it decides: no error, a link
        // rule; duplicates are marked by the ordering).
        let mut joining = vec![false; objects.len()];
        let seq = self.order(&mut objects);
        for (rank, o) in objects.iter().enumerate() {
            joining[seq[rank] as usize] = o.errors.is_empty() && o.link_rule.is_some();
        }
        let metaverse = self.join_phase(&mut objects);
        let same_dn_first = same_dn_first(&objects, &seq);
        // On every core: what is kept of each object, the rest dropped.
        let mut planned: Vec<Planned> = objects
            .into_par_iter()
            .with_min_len(crate::engine::MIN_PER_TASK * 8)
            .enumerate()
            .map(|(rank, o)| {
                let s = seq[rank];
                let errors = o.errors[staged_errors[s as usize]..].to_vec();
                Planned {
                    rank: rank as u32,
                    dn_digest: digest(&o.dn),
                    duplicate: matches!(o.join, JoinOutcome::NotRun) && o.link_rule.is_none(),
                    joining: joining[s as usize],
                    join: o.join,
                    metaverse: o.metaverse,
                    errors,
                }
            })
            .collect();
        // By sequence number: the order's inverse, followed in place.
        let mut rank_of = vec![0u32; seq.len()];
        for (rank, s) in seq.iter().enumerate() {
            rank_of[*s as usize] = rank as u32;
        }
        crate::engine::permute(&mut planned, &rank_of);
        Plan {
            objects: planned,
            metaverse: metaverse
                .into_iter()
                .map(|m| {
                    let members = m.members.iter().map(|r| seq[*r as usize]).collect();
                    (m.object_type, members)
                })
                .collect(),
            same_dn_first,
            full,
        }
    }

    /// The rules and facts a streamed run's summary names.
    pub fn run_facts(&self) -> RunFacts {
        RunFacts {
            rules: self.rule_infos(),
            warnings: self.prepared().warnings.clone(),
            not_simulated: self.not_simulated(),
        }
    }
}

/// Pass 2 of a streamed run.
pub struct Streamer<'s, 'c> {
    sim: &'s Simulator<'c>,
    plan: Plan,
    next: u32,
    /// Metaverse objects waiting for members: the members seen so far, by member position.
    pending: HashMap<u32, Vec<Option<ObjectResult>>>,
    /// Pass 2 gave an object pass 1 did not see at that place.
    mismatch: bool,
    /// Pass 2 found an error in an object that the (light) plan joined or projected.
    unforeseen: bool,
    /// The exports' attributes are computed (see [`Streamer::outcomes_only`]).
    export_values: bool,
}

impl<'s, 'c> Streamer<'s, 'c> {
    pub fn new(sim: &'s Simulator<'c>, plan: Plan) -> Streamer<'s, 'c> {
        Streamer {
            sim,
            plan,
            next: 0,
            pending: HashMap::new(),
            mismatch: false,
            unforeseen: false,
            export_values: true,
        }
    }

    /// For a caller that counts outcomes only ([`RunSummary`]): the exports to Entra are
    /// given without attributes (their outcome, object type, link rule and errors are those of
    /// a full export), so that the flows that cannot fail are not evaluated and no value is
    /// copied for them.
    pub fn outcomes_only(mut self) -> Self {
        self.export_values = false;
        self
    }

    /// The simulator of this run.
    pub(crate) fn simulator(&self) -> &'s Simulator<'c> {
        self.sim
    }

    /// The plan of pass 1.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Takes the next objects of the run, staged by [`Simulator::stage_batch`] in the order of
    /// pass 1, and gives every object and metaverse object that is complete now to `out`.
    pub fn feed(&mut self, staged: Vec<ObjectResult>, mut out: impl FnMut(Streamed)) {
        let mut complete: Vec<(u32, Vec<ObjectResult>)> = Vec::new();
        for o in staged {
            self.accept(o, &mut complete, &mut out);
        }
        for r in self.complete_all(complete) {
            out(r);
        }
    }

    /// [`Streamer::feed`] for a caller that only looks at the results (counts, comparisons):
    /// `out` borrows each, and the results are dropped afterwards on every core (freeing a
    /// batch's values is a good part of the work; on the caller's thread it would wait
    /// alone).
    pub fn feed_ref(&mut self, staged: Vec<ObjectResult>, mut out: impl FnMut(&Streamed)) {
        let mut done: Vec<Streamed> = Vec::new();
        let mut complete: Vec<(u32, Vec<ObjectResult>)> = Vec::new();
        for o in staged {
            self.accept(o, &mut complete, &mut |x| done.push(x));
        }
        self.lend(done, complete, &mut out);
    }

    /// Completes `complete` (on every core), lends `done` and the completed results to `out`
    /// in that order, and frees them on every core.
    fn lend(
        &self,
        mut done: Vec<Streamed>,
        complete: Vec<(u32, Vec<ObjectResult>)>,
        out: &mut impl FnMut(&Streamed),
    ) {
        done.extend(self.complete_all(complete));
        for x in &done {
            out(x);
        }
        drop_all(done);
    }

    /// [`Streamer::feed_ref`] of the next objects as read, of which only those `needed` names
    /// (by sequence number; objects past it are needed) are staged and given to `out`: the
    /// others are passed over, checked against the plan by their DN only (a single pass
    /// counted them already, [`crate::single_pass`]).
    pub(crate) fn feed_needed(
        &mut self,
        batch: Vec<SourceInput>,
        needed: &[bool],
        groups: &Groups,
        mut out: impl FnMut(&Streamed),
    ) {
        let start = self.next as usize;
        let mut staged = Vec::new();
        let mut passed: Vec<Option<String>> = Vec::with_capacity(batch.len());
        for (i, input) in batch.into_iter().enumerate() {
            if needed.get(start + i).copied().unwrap_or(true) {
                staged.push(input);
                passed.push(None);
            } else {
                passed.push(Some(input.dn));
            }
        }
        let mut staged = self.sim.stage_batch(staged, groups).into_iter();
        let mut done: Vec<Streamed> = Vec::new();
        let mut complete: Vec<(u32, Vec<ObjectResult>)> = Vec::new();
        for dn in passed {
            match dn {
                Some(dn) => {
                    self.check_dn(&dn, false);
                }
                None => {
                    if let Some(o) = staged.next() {
                        self.accept(o, &mut complete, &mut |x| done.push(x));
                    }
                }
            }
        }
        self.lend(done, complete, &mut out);
    }

    /// [`Streamer::feed_ref`] of some of the run's objects, each with its sequence number (in
    /// increasing order, those between passed over unseen): staged and given to `out`.
    pub(crate) fn feed_at(
        &mut self,
        batch: Vec<(u32, SourceInput)>,
        groups: &Groups,
        mut out: impl FnMut(&Streamed),
    ) {
        let (seqs, inputs): (Vec<u32>, Vec<SourceInput>) = batch.into_iter().unzip();
        let staged = self.sim.stage_batch(inputs, groups);
        let mut done: Vec<Streamed> = Vec::new();
        let mut complete: Vec<(u32, Vec<ObjectResult>)> = Vec::new();
        for (seq, o) in seqs.into_iter().zip(staged) {
            self.advance_to(seq);
            self.accept(o, &mut complete, &mut |x| done.push(x));
        }
        self.lend(done, complete, &mut out);
    }

    /// Passes over the objects before `seq` unseen (their results are known already); an
    /// object before the next one breaks the order, so the results are not to be used.
    pub(crate) fn advance_to(&mut self, seq: u32) {
        if seq < self.next {
            self.mismatch = true;
        } else {
            self.next = seq;
        }
    }

    /// Checks the next object against the plan (the one pass 1 saw here; an error in an
    /// object the plan joined) and gives its plan, or `None` when it is not the object pass 1
    /// saw. Advances to the next object.
    fn check_next(&mut self, o: &ObjectResult) -> bool {
        self.check_dn(&o.dn, !o.errors.is_empty())
    }

    /// [`Streamer::check_next`] of an object by its DN and whether it has errors.
    fn check_dn(&mut self, dn: &str, has_errors: bool) -> bool {
        let seq = self.next;
        self.next += 1;
        let p = match self.plan.objects.get(seq as usize) {
            Some(p) if p.dn_digest == digest(dn) => p,
            _ => {
                // Not the object pass 1 saw here: the caller broke the contract
                // ([`Streamer::is_done`] says so).
                self.mismatch = true;
                return false;
            }
        };
        if p.joining && has_errors {
            // The plan joined an object with an error, which joins nothing: a light plan
            // did not evaluate the failing flow (a full plan did: the files changed).
            if self.plan.full {
                self.mismatch = true;
            } else {
                self.unforeseen = true;
            }
        }
        true
    }

    /// Passes over the next object without a result: checked against the plan as
    /// [`Streamer::feed`] checks it, nothing given out (for `impact`'s objects whose result is
    /// the same on both sides).
    pub(crate) fn skip(&mut self, o: &ObjectResult) {
        self.check_next(o);
    }

    /// The next object's sequence number.
    pub(crate) fn next_seq(&self) -> u32 {
        self.next
    }

    /// Takes the next object: given out at once when it has no metaverse object, otherwise
    /// kept until its metaverse object is complete (then pushed to `complete`).
    pub(crate) fn accept(
        &mut self,
        mut o: ObjectResult,
        complete: &mut Vec<(u32, Vec<ObjectResult>)>,
        out: &mut impl FnMut(Streamed),
    ) {
        let seq = self.next;
        if !self.check_next(&o) {
            o.contributions = Vec::new();
            out(Streamed::Alone { seq, object: o });
            return;
        }
        let p = &self.plan.objects[seq as usize];
        o.errors.extend(p.errors.iter().cloned());
        if p.duplicate {
            o.link_rule = None;
        }
        o.join = p.join.clone();
        o.metaverse = p.metaverse;
        o.join_keys = Vec::new();
        let Some(m) = p.metaverse else {
            o.contributions = Vec::new();
            out(Streamed::Alone { seq, object: o });
            return;
        };
        let order = self.sim.dir_order(o.directory).min(u32::MAX as usize) as u32;
        for c in &mut o.contributions {
            c.tie = (order, p.rank);
        }
        let members = &self.plan.metaverse[m as usize].1;
        if members.len() == 1 {
            complete.push((m, vec![o]));
            return;
        }
        let slot = self
            .pending
            .entry(m)
            .or_insert_with(|| (0..members.len()).map(|_| None).collect());
        if let Some(at) = members.iter().position(|x| *x == seq) {
            slot[at] = Some(o);
        }
        if slot.iter().all(Option::is_some) {
            let done = self.pending.remove(&m).unwrap_or_default();
            complete.push((m, done.into_iter().flatten().collect()));
        }
    }

    /// Resolves and exports complete metaverse objects, on every core, in order.
    fn complete_all(&self, complete: Vec<(u32, Vec<ObjectResult>)>) -> Vec<Streamed> {
        let sim = self.sim;
        let plan = &self.plan;
        let values = self.export_values;
        crate::engine::export_all_of(complete, |(m, members)| {
            let (object_type, seqs) = &plan.metaverse[m as usize];
            sim.complete(object_type, seqs, members, values)
        })
    }

    /// [`Streamer::complete_all`] for one metaverse object.
    pub(crate) fn complete_one(&self, m: u32, members: Vec<ObjectResult>) -> Streamed {
        let (object_type, seqs) = &self.plan.metaverse[m as usize];
        self.sim
            .complete(object_type, seqs, members, self.export_values)
    }

    /// True when every planned object was fed, each where pass 1 saw it, and every metaverse
    /// object completed. False means the two passes read different objects (the files
    /// changed between them): the results are not to be used.
    pub fn is_done(&self) -> bool {
        !self.mismatch
            && !self.unforeseen
            && self.next as usize == self.plan.objects.len()
            && self.pending.is_empty()
    }

    /// True when pass 2 found an object error that pass 1 did not evaluate, in an object the
    /// plan joined or projected (an object with an error joins nothing, so the plan is wrong):
    /// the results are not to be used, and the run must be made again, pass 1 with
    /// [`Simulator::plan_batch_full`]. Ask before [`Streamer::is_done`].
    pub fn needs_full_plan(&self) -> bool {
        self.unforeseen && !self.mismatch
    }
}

impl Simulator<'_> {
    /// A metaverse object whose members are all staged: resolved, its errors given to its
    /// members, exported to Entra.
    pub(crate) fn complete(
        &self,
        object_type: &str,
        seqs: &[u32],
        mut members: Vec<ObjectResult>,
        values: bool,
    ) -> Streamed {
        let mut mv = MvObject::new(object_type.to_owned(), (0..members.len() as u32).collect());
        self.resolve_members(&mut mv, &mut members);
        let target = members.iter().find(|o| o.directory == DirectoryRef::Azure);
        let entra = self.export_owned(&mut mv, DirectoryRef::Azure, target, values);
        for o in &mut members {
            o.contributions = Vec::new();
        }
        mv.members = seqs.to_vec();
        Streamed::Metaverse { mv, members, entra }
    }
}

/// Drops results on every core.
pub(crate) fn drop_all<T: Send>(items: Vec<T>) {
    use rayon::prelude::*;
    items
        .into_par_iter()
        .with_min_len(crate::engine::MIN_PER_TASK)
        .for_each(drop);
}

/// The configuration facts of a run that its summary shows.
#[derive(Debug, Clone, Default)]
pub struct RunFacts {
    pub rules: Vec<RuleInfo>,
    pub warnings: Vec<String>,
    /// Outbound rules to on-premises directories that were not run.
    pub not_simulated: Vec<RuleId>,
}

/// A run's summary with what its report names: counts, objects read, the metaverse types and
/// attribute names (which `--redact` keeps).
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub summary: Summary,
    pub objects: usize,
    pub facts: RunFacts,
    /// Metaverse object types and attribute names.
    pub metaverse_names: BTreeSet<String>,
    /// The attribute names already in `metaverse_names`, by the address of their shared text
    /// ([`crate::name`]: one address per text for the life of the process): the configuration's
    /// names come again and again, found without a lookup in `metaverse_names`.
    pub(crate) names_seen: HashSet<usize, BuildHasherDefault<KeyHasher>>,
}

/// At most this many names are remembered by address ([`RunSummary`]).
const NAMES_SEEN_MAX: usize = 4096;

impl RunSummary {
    /// The summary of a streamed run, so far.
    pub fn new(facts: RunFacts) -> RunSummary {
        RunSummary {
            facts,
            ..RunSummary::default()
        }
    }

    /// Counts what pass 2 gave.
    pub fn add(&mut self, streamed: &Streamed) {
        match streamed {
            Streamed::Alone { object, .. } => {
                self.objects += 1;
                self.summary.add_object(object, None);
            }
            Streamed::Metaverse { mv, members, entra } => {
                for o in members {
                    self.objects += 1;
                    self.summary.add_object(o, Some(entra));
                }
                self.summary.add_metaverse(mv, entra);
                if !self.metaverse_names.contains(&mv.object_type) {
                    self.metaverse_names.insert(mv.object_type.clone());
                }
                for a in &mv.attributes {
                    let at = a.name.as_ptr() as usize;
                    if self.names_seen.contains(&at) {
                        continue;
                    }
                    if !self.metaverse_names.contains(a.name) {
                        self.metaverse_names.insert(a.name.to_string());
                    }
                    // Bounded, should names not be shared.
                    if self.names_seen.len() < NAMES_SEEN_MAX {
                        self.names_seen.insert(at);
                    }
                }
            }
        }
    }
}

/// Counts one object into a summary (as [`crate::Simulation::summary`] does).
pub(crate) fn count_object(s: &mut Summary, o: &ObjectResult, entra: Option<&ExportOutcome>) {
    Counted::object(o, entra).add_to(s);
}

/// What one object adds to a summary, kept without the object
/// ([`crate::single_pass`] counts an object before it knows the count stands).
#[derive(Debug, Clone)]
pub(crate) struct Counted {
    /// The directory's key in [`Summary::directories`].
    directory: usize,
    filter: Option<FilterKind>,
    error: bool,
    not_provisioned: bool,
    /// With the metaverse object it is the only member of: that object's type, and the type
    /// of its Entra object when exported.
    metaverse: Option<(String, Option<String>)>,
}

impl Counted {
    /// One object, given its metaverse object's Entra outcome.
    pub(crate) fn object(o: &ObjectResult, entra: Option<&ExportOutcome>) -> Counted {
        let export_errors = matches!(entra, Some(ExportOutcome::Error(e)) if !e.is_empty());
        Counted {
            directory: match o.directory {
                DirectoryRef::OnPremises(i) => i,
                DirectoryRef::Azure => usize::MAX,
            },
            filter: o.filter.as_ref().map(|f| f.kind),
            error: !o.errors.is_empty() || export_errors,
            not_provisioned: o.filter.is_none() && not_provisioned_why(o, entra).is_some(),
            metaverse: None,
        }
    }

    /// A result of pass 2 for one object: the object, and its metaverse object if it is the
    /// only member (`None` for a metaverse object of several members).
    pub(crate) fn single(streamed: &Streamed) -> Option<Counted> {
        match streamed {
            Streamed::Alone { object, .. } => Some(Counted::object(object, None)),
            Streamed::Metaverse { mv, members, entra } => {
                let [o] = members.as_slice() else {
                    return None;
                };
                let mut c = Counted::object(o, Some(entra));
                let exported = match entra {
                    ExportOutcome::Exported(x) => Some(x.object_type.clone()),
                    _ => None,
                };
                c.metaverse = Some((mv.object_type.clone(), exported));
                Some(c)
            }
        }
    }

    /// Adds the object (and its metaverse object) to `s`.
    pub(crate) fn add_to(&self, s: &mut Summary) {
        let d = s.directories.entry(self.directory).or_default();
        d.read += 1;
        match self.filter {
            Some(kind) => *d.filtered.entry(kind).or_default() += 1,
            None => d.in_scope += 1,
        }
        if self.error {
            d.errors += 1;
            s.objects_with_errors += 1;
        }
        if self.not_provisioned {
            s.not_provisioned += 1;
        }
        if let Some((object_type, exported)) = &self.metaverse {
            s.add_types(object_type, exported.as_deref());
        }
    }
}

/// Why a deleted Entra object is not in NEW, from NEW's result of the object: the filter that
/// excluded it, or why it is not provisioned (empty when neither).
pub(crate) fn delete_reason<'r>(
    o: &ObjectResult,
    entra: Option<&ExportOutcome>,
    rule_name: impl Fn(RuleId) -> &'r str,
) -> String {
    o.filter
        .as_ref()
        .map(|f| format!("{}: {}", f.kind.as_str(), f.reason))
        .or_else(|| not_provisioned(o, entra, rule_name))
        .unwrap_or_default()
}

impl Plan {
    /// For `impact`: per object of this (NEW) plan, whether its result names the reason of a
    /// deletion, i.e. it is the first object with the DN of an object that projects in `old`.
    pub(crate) fn reasons_needed(&self, old: &Plan) -> Vec<bool> {
        let mut need = vec![false; self.objects.len()];
        for seq in 0..old.objects.len().min(self.objects.len()) {
            if old.projects(seq as u32) {
                need[self.same_dn_first[seq] as usize] = true;
            }
        }
        need
    }

    /// True when object `seq` has the same outcome in this plan and in `other` such that,
    /// staged the same on both sides, its results on both sides are the same: no metaverse
    /// object on either side, or (with `exports`: the outbound rules are the same) the same
    /// single-member metaverse object, joined the same way.
    pub(crate) fn same_outcome(&self, other: &Plan, seq: u32, exports: bool) -> bool {
        let (Some(a), Some(b)) = (
            self.objects.get(seq as usize),
            other.objects.get(seq as usize),
        ) else {
            return false;
        };
        match (a.metaverse, b.metaverse) {
            (None, None) => true,
            (Some(ma), Some(mb)) => {
                let (x, y) = (&self.metaverse[ma as usize], &other.metaverse[mb as usize]);
                exports
                    && x.1.len() == 1
                    && x == y
                    && a.join == b.join
                    && a.errors == b.errors
                    && a.duplicate == b.duplicate
                    && a.rank == b.rank
            }
            _ => false,
        }
    }

    /// [`Plan::reasons_needed`] for the deletions of other objects than the one itself: per
    /// object, whether another object with its DN projects in `old` (a deletion of that one
    /// names this one's reason).
    pub(crate) fn reasons_needed_by_others(&self, old: &Plan) -> Vec<bool> {
        let mut need = vec![false; self.objects.len()];
        for seq in 0..old.objects.len().min(self.objects.len()) {
            let first = self.same_dn_first[seq] as usize;
            if first != seq && old.projects(seq as u32) {
                need[first] = true;
            }
        }
        need
    }

    /// The first object with the same DN as `seq` (by this plan's order).
    pub(crate) fn same_dn_first(&self, seq: u32) -> u32 {
        self.same_dn_first.get(seq as usize).copied().unwrap_or(seq)
    }
}

/// Per object (by input sequence number), the first object in the run's order (`objects` is in
/// that order, `seq` gives each one's sequence number) whose DN is the same, ASCII case aside.
/// Indexed by a digest of the DN; DNs whose digests collide are told apart by their text.
fn same_dn_first(objects: &[ObjectResult], seq: &[u32]) -> Vec<u32> {
    let mut out = vec![0u32; objects.len()];
    let mut by_digest: HashMap<u64, usize, BuildHasherDefault<KeyHasher>> =
        HashMap::with_capacity_and_hasher(objects.len(), BuildHasherDefault::default());
    let mut by_text: HashMap<String, usize> = HashMap::new();
    let digests: Vec<u64> = objects
        .par_iter()
        .with_min_len(crate::engine::MIN_PER_TASK * 8)
        .map(|o| digest_ascii_lower(&o.dn))
        .collect();
    for (rank, o) in objects.iter().enumerate() {
        let first = match by_digest.entry(digests[rank]) {
            std::collections::hash_map::Entry::Vacant(v) => *v.insert(rank),
            std::collections::hash_map::Entry::Occupied(e) => {
                let f = *e.get();
                if objects[f].dn.eq_ignore_ascii_case(&o.dn) {
                    f
                } else {
                    *by_text.entry(o.dn.to_ascii_lowercase()).or_insert(rank)
                }
            }
        };
        out[seq[rank] as usize] = seq[first];
    }
    out
}

fn digest_ascii_lower(dn: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in dn.bytes() {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// FNV-1a of a DN: what pass 2 checks each object against.
fn digest(dn: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in dn.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
