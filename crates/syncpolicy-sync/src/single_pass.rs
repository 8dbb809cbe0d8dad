//! `simulate --summary` counted in one pass over the objects, wherever the objects do not
//! meet: each object is staged in full as it is read and counted at once as if it were the
//! only object of the run (its own metaverse object, or none), and the join plan is made
//! alongside. After the plan, an object's count stands when the plan gives it exactly what it
//! would have alone ([`Plan::stands`](crate::stream::Plan): the same join outcome, a metaverse
//! object of the same type with no other member, no error of the ordering or the join phase).
//! Only the objects whose count does not stand (they joined another object's metaverse
//! object, another joined theirs, a duplicate DN, an ambiguous join) are staged again, in a
//! second pass over the objects, and completed as [`Streamer`] completes them. In one forest
//! that is a handful of objects or none, and the second pass is not made at all when none.
//!
//! The counts are those of the two-pass run ([`crate::stream`]): an object alone goes through
//! the same staging, the same completion ([`Simulator::complete`] of a one-member metaverse
//! object, the exports' attributes left out) and the same counting ([`Counted`]); its rank only
//! breaks ties between its own contributions, which all carry it, so it is not needed.
//! [`RunSummary::metaverse_names`] is left empty: a redacted run (which names them) takes the
//! two-pass run.

use crate::engine::{
    projected_type, JoinOutcome, ObjectResult, Origin, Simulator, SourceInput, Stage, MIN_PER_TASK,
    NO_JOIN_ATTRIBUTE, NO_MATCH,
};
use crate::pair_run::ObjectsChanged;
use crate::scope::Groups;
use crate::stream::{drop_all, Counted, RunSummary, Streamed, Streamer};
use rayon::prelude::*;
use std::collections::HashMap;
use syncpolicy_model::enums::LinkType;

/// A pass over the objects that [`run_summary`] (and, as
/// [`PairPass`](crate::pair_single::PairPass), `run_pair_single`) asks its caller to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryPass<'a> {
    /// Every object: staged, counted (or compared) as if alone, and planned.
    Stage,
    /// The same objects again, for those whose result did not stand. With `dns`, a reader may
    /// give only the objects of those DNs (`syncpolicy_objects::Wanted::with_entries`): the
    /// objects are matched by their origin, and the others are dropped. Without, it must give
    /// every object, in the same order.
    Complete { dns: Option<&'a [String]> },
}

/// How a [`run_summary`] went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SinglePassStats {
    /// Objects staged again in the second pass (none: no second pass was made).
    pub completed_again: usize,
    /// The second pass named the objects it needs by DN ([`SummaryPass::Complete`]).
    pub by_dn: bool,
}

/// A second pass names its objects by DN when they are at most this share of the run
/// (1/`BY_DN_SHARE`): for more, a reader gains little by passing the others over.
const BY_DN_SHARE: usize = 4;

/// The objects of the first pass that a second pass reads again (by sequence number, with
/// their origin and DN), and how it names them.
pub(crate) struct Again {
    objects: Vec<(u32, Origin, Box<str>)>,
    /// Objects of the first pass.
    total: usize,
    /// The origins increased from object to object (one reading of files in order), so that
    /// an origin names one object.
    increasing: bool,
    last: Option<Origin>,
}

impl Again {
    pub(crate) fn new() -> Again {
        Again {
            objects: Vec::new(),
            total: 0,
            increasing: true,
            last: None,
        }
    }

    /// Notes the first pass's next object (sequence number `seq`), to be read again when
    /// `again` (its DN is taken).
    pub(crate) fn note(&mut self, seq: u32, origin: Origin, dn: &mut Box<str>, again: bool) {
        self.total += 1;
        self.increasing &= self.last.is_none_or(|o| o < origin);
        self.last = Some(origin);
        if again {
            self.objects.push((seq, origin, std::mem::take(dn)));
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.objects.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Whether the second pass names its objects by DN ([`SummaryPass::Complete`]).
    pub(crate) fn by_dn(&self) -> bool {
        self.increasing && self.objects.len() <= self.total / BY_DN_SHARE
    }

    /// The DNs to read again.
    pub(crate) fn dns(&self) -> Vec<String> {
        self.objects
            .iter()
            .map(|(_, _, dn)| dn.to_string())
            .collect()
    }

    /// The sequence number of each object read again, by origin.
    pub(crate) fn by_origin(&self) -> HashMap<Origin, u32> {
        self.objects.iter().map(|(seq, o, _)| (*o, *seq)).collect()
    }

    /// Per object of the first pass, whether it is read again.
    pub(crate) fn needed(&self) -> Vec<bool> {
        let mut needed = vec![false; self.total];
        for (seq, _, _) in &self.objects {
            needed[*seq as usize] = true;
        }
        needed
    }

    /// The sequence number one past the first pass's last object.
    pub(crate) fn end(&self) -> u32 {
        u32::try_from(self.total).unwrap_or(u32::MAX)
    }
}

/// The objects of `batch` that `at` names by origin ([`Again::by_origin`]), with their
/// sequence numbers; the others are dropped.
pub(crate) fn pick(at: &HashMap<Origin, u32>, batch: Vec<SourceInput>) -> Vec<(u32, SourceInput)> {
    batch
        .into_iter()
        .filter_map(|i| at.get(&i.origin).map(|seq| (*seq, i)))
        .collect()
}

/// What an object has when it is alone in the run: its join outcome and the type of the
/// metaverse object it projects.
#[derive(Debug, Clone)]
pub(crate) struct LoneOutcome {
    pub(crate) join: JoinOutcome,
    pub(crate) projects: Option<String>,
}

impl LoneOutcome {
    /// Whether `plan` gives object `seq` this outcome ([`crate::stream::Plan::stands`]).
    pub(crate) fn stands_in(&self, plan: &crate::stream::Plan, seq: u32) -> bool {
        plan.stands(seq, &self.join, self.projects.as_deref())
    }
}

/// One object as the first pass counted it alone.
struct Lone {
    outcome: LoneOutcome,
    /// Its count alone (`None` when it cannot be counted alone).
    counted: Option<Counted>,
    origin: Origin,
    dn: Box<str>,
}

/// Runs `simulate --summary` over the objects that `objects` reads: called once per pass with
/// the pass and a sink, it must give the sink the same objects in the same order each time
/// (but see [`SummaryPass::Complete`]). The summary is that of the two-pass run (without
/// metaverse names); `Err(ObjectsChanged)` when the second pass did not read the objects the
/// first did. An error of `objects` ends the run with it.
pub fn run_summary<E>(
    sim: &Simulator<'_>,
    groups: &Groups,
    mut objects: impl FnMut(SummaryPass<'_>, &mut dyn FnMut(Vec<SourceInput>)) -> Result<(), E>,
) -> Result<Result<(RunSummary, SinglePassStats), ObjectsChanged>, E> {
    let mut parts: Vec<Vec<ObjectResult>> = Vec::new();
    let mut lone: Vec<Lone> = Vec::new();
    objects(SummaryPass::Stage, &mut |batch| {
        let first = u32::try_from(lone.len()).unwrap_or(u32::MAX);
        let (counted, planned): (Vec<Lone>, Vec<ObjectResult>) =
            sim.stage_lone(batch, groups, first).into_iter().unzip();
        parts.push(planned);
        lone.extend(counted);
    })?;
    let plan = sim.plan_parts(parts);
    let mut run = RunSummary::new(sim.run_facts());
    let mut again = Again::new();
    for (seq, l) in lone.iter_mut().enumerate() {
        let seq = u32::try_from(seq).unwrap_or(u32::MAX);
        let stands = match &l.counted {
            Some(c) if l.outcome.stands_in(&plan, seq) => {
                run.objects += 1;
                c.add_to(&mut run.summary);
                true
            }
            _ => false,
        };
        again.note(seq, l.origin, &mut l.dn, !stands);
    }
    drop_all(lone);
    let by_dn = again.by_dn();
    let stats = SinglePassStats {
        completed_again: again.len(),
        by_dn,
    };
    if again.is_empty() {
        return Ok(Ok((run, stats)));
    }
    let mut streamer = Streamer::new(sim, plan).outcomes_only();
    let fed = if by_dn {
        let (dns, at) = (again.dns(), again.by_origin());
        let mut fed = 0;
        objects(SummaryPass::Complete { dns: Some(&dns) }, &mut |batch| {
            let picked = pick(&at, batch);
            fed += picked.len();
            streamer.feed_at(picked, groups, |x| run.add(x));
        })?;
        streamer.advance_to(again.end());
        fed
    } else {
        let needed = again.needed();
        objects(SummaryPass::Complete { dns: None }, &mut |batch| {
            streamer.feed_needed(batch, &needed, groups, |x| run.add(x));
        })?;
        again.len()
    };
    if fed != again.len() || !streamer.is_done() {
        return Ok(Err(ObjectsChanged));
    }
    run.metaverse_names.clear();
    Ok(Ok((run, stats)))
}

impl Simulator<'_> {
    /// Stages a batch in full, on every core: per object, what the join plan keeps of it (as a
    /// full pass 1 keeps it) and its count as if it were alone. `first` is the sequence number
    /// of the batch's first object.
    fn stage_lone(
        &self,
        inputs: Vec<SourceInput>,
        groups: &Groups,
        first: u32,
    ) -> Vec<(Lone, ObjectResult)> {
        inputs
            .into_par_iter()
            .with_min_len(MIN_PER_TASK)
            .enumerate()
            .map(|(i, input)| {
                let seq = first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                self.lone(self.stage(input, groups, Stage::All), seq)
            })
            .collect()
    }

    /// The object counted alone, and what the plan keeps of it ([`Simulator::lone_streamed`]).
    fn lone(&self, o: ObjectResult, seq: u32) -> (Lone, ObjectResult) {
        let (outcome, planned, streamed) = self.lone_streamed(o, seq, false);
        let counted = Counted::single(&streamed);
        (
            Lone {
                outcome,
                counted,
                origin: planned.origin,
                dn: planned.dn.clone().into_boxed_str(),
            },
            planned,
        )
    }

    /// A staged object alone in the run: its outcome, what the plan keeps of it (as a full
    /// pass 1 keeps it), and its result as [`Streamer`] completes it with the plan it would
    /// have alone (with the exports' attributes when `values`).
    pub(crate) fn lone_streamed(
        &self,
        mut o: ObjectResult,
        seq: u32,
        values: bool,
    ) -> (LoneOutcome, ObjectResult, Streamed) {
        let mut planned = ObjectResult {
            directory: o.directory,
            dn: o.dn.clone(),
            object_type: o.object_type.clone(),
            origin: o.origin,
            filter: o.filter.as_ref().map(|f| crate::engine::FilterReason {
                kind: f.kind,
                reason: String::new(),
            }),
            applied: Vec::new(),
            out_of_scope: Vec::new(),
            disabled: Vec::new(),
            join: o.join.clone(),
            metaverse: o.metaverse,
            errors: o.errors.clone(),
            engine_dependent: Vec::new(),
            contributions: o
                .contributions
                .iter()
                .filter(|c| self.join_targets[c.dest_id as usize])
                .cloned()
                .collect(),
            join_keys: std::mem::take(&mut o.join_keys),
            link_rule: o.link_rule,
            target_values: Vec::new(),
            planned_full: true,
            join_prep: None,
        };
        self.strip_for_plan(&mut planned, true);
        let (join, projects) = self.lone_outcome(&planned);
        o.join = join.clone();
        o.metaverse = projects.as_ref().map(|_| seq);
        let streamed = match &projects {
            None => {
                o.contributions = Vec::new();
                Streamed::Alone { seq, object: o }
            }
            Some(object_type) => {
                let order = self.dir_order(o.directory).min(u32::MAX as usize) as u32;
                for c in &mut o.contributions {
                    c.tie = (order, 0);
                }
                self.complete(object_type, &[seq], vec![o], values)
            }
        };
        (LoneOutcome { join, projects }, planned, streamed)
    }

    /// Whether a plan made of `a` is the plan made of `b` (what the join phase and the plan
    /// read of them is the same).
    pub(crate) fn same_planned(a: &ObjectResult, b: &ObjectResult) -> bool {
        a.directory == b.directory
            && a.dn == b.dn
            && a.object_type == b.object_type
            && a.origin == b.origin
            && a.filter.as_ref().map(|f| f.kind) == b.filter.as_ref().map(|f| f.kind)
            && a.join == b.join
            && a.metaverse == b.metaverse
            && a.errors == b.errors
            && a.contributions == b.contributions
            && a.join_keys == b.join_keys
            && a.link_rule == b.link_rule
    }

    /// The join outcome of a staged object alone in the run, as the join phase decides it
    /// with no metaverse object to join, and the type of the metaverse object it projects.
    fn lone_outcome(&self, o: &ObjectResult) -> (JoinOutcome, Option<String>) {
        let Some(link) = o.link_rule.filter(|_| o.errors.is_empty()) else {
            return (o.join.clone(), None);
        };
        let rule = self.rule(link);
        let not_joined = |reason: &str| JoinOutcome::NotJoined {
            rule: link,
            reason: reason.to_owned(),
        };
        if rule.link != LinkType::Provision {
            return (not_joined(NO_MATCH), None);
        }
        if !rule.joins.is_empty() && o.join_keys.is_empty() {
            return (not_joined(NO_JOIN_ATTRIBUTE), None);
        }
        (
            JoinOutcome::Projected { rule: link },
            Some(projected_type(rule, o).to_owned()),
        )
    }
}
