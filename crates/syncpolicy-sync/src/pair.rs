//! `impact`'s pass 2: both configurations over each object at once, sharing the work where
//! the two sides cannot differ. When the configurations are the same apart from some rules'
//! scoping filters ([`Simulator::scope_differences`]), an object is staged once: the rules
//! whose scope differs are evaluated for both sides, and when each is in (or out of) scope
//! the same way on both, the other side's staging is the same result. An object staged the
//! same whose plan is the same on both sides (no metaverse object on either, or the same
//! single-member metaverse object when the outbound rules are the same too) gives the same
//! export on both sides, so it is neither resolved nor exported: it cannot change. Results
//! are those of two [`Streamer`]s fed separately.

use crate::engine::{ObjectResult, Simulator, SourceInput, Stage, Staging, MIN_PER_TASK};
use crate::scope::Groups;
use crate::stream::{Streamed, Streamer};
use rayon::prelude::*;
use syncpolicy_model::config::DirectoryRef;

/// Which configuration a result is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Old,
    New,
}

/// NEW's staging of an object: `None` when it is the same as OLD's.
type Other = Option<ObjectResult>;

/// Pass 2 of `impact` over both plans (see the module's text).
pub struct PairStreamer<'s, 'c> {
    old: Streamer<'s, 'c>,
    new: Streamer<'s, 'c>,
    /// Per rule id, whether its scope differs between the sides; `None` when the
    /// configurations differ in more (every object is staged for each side).
    differs: Option<Vec<bool>>,
    /// Per object (input sequence number): staged the same on both sides, its results are
    /// the same on both sides and name nothing that the comparison needs.
    skippable: Vec<bool>,
}

impl<'s, 'c> PairStreamer<'s, 'c> {
    /// Both sides' pass 2, from their plans (pass 1 over the same objects).
    pub fn new(old: Streamer<'s, 'c>, new: Streamer<'s, 'c>) -> PairStreamer<'s, 'c> {
        let (a, b) = (old.simulator(), new.simulator());
        let differs = a.scope_differences(b);
        let exports_shared = differs.as_ref().is_some_and(|d| {
            d.iter()
                .enumerate()
                .all(|(id, x)| !x || a.is_inbound(id as u32))
        });
        let skippable = match &differs {
            None => Vec::new(),
            Some(_) => {
                let (pa, pb) = (old.plan(), new.plan());
                // An object whose NEW result names the reason of another object's deletion
                // is given out (its own Entra object is the same on both sides when skipped).
                let reasons = pb.reasons_needed_by_others(pa);
                (0..pa.len().min(pb.len()))
                    .map(|seq| !reasons[seq] && pa.same_outcome(pb, seq as u32, exports_shared))
                    .collect()
            }
        };
        PairStreamer {
            old,
            new,
            differs,
            skippable,
        }
    }

    /// Takes the next objects of the run (in the order of pass 1), stages them for both sides
    /// (on every core), and gives every result that is complete now to `out`, with its side:
    /// OLD's results of the batch first, then NEW's, each in the order a [`Streamer`] gives
    /// them. Objects whose results cannot differ between the sides are not given.
    /// `new_directory` gives an object's directory in NEW's configuration.
    pub fn feed(
        &mut self,
        old_groups: &Groups,
        new_groups: &Groups,
        batch: Vec<SourceInput>,
        new_directory: impl Fn(&SourceInput) -> DirectoryRef + Sync + Send,
        out: impl FnMut(Side, &Streamed),
    ) {
        let start = self.old.next_seq();
        let batch = (start..).zip(batch).collect();
        self.feed_at(old_groups, new_groups, batch, new_directory, out);
    }

    /// [`PairStreamer::feed`] of some of the run's objects, each with its sequence number (in
    /// increasing order, those between passed over unseen).
    pub(crate) fn feed_at(
        &mut self,
        old_groups: &Groups,
        new_groups: &Groups,
        batch: Vec<(u32, SourceInput)>,
        new_directory: impl Fn(&SourceInput) -> DirectoryRef + Sync + Send,
        mut out: impl FnMut(Side, &Streamed),
    ) {
        let (a, b) = (self.old.simulator(), self.new.simulator());
        let differs = self.differs.as_deref();
        let staged: Vec<(u32, (ObjectResult, Other))> = batch
            .into_par_iter()
            .with_min_len(MIN_PER_TASK)
            .map(|(seq, input)| {
                let to = new_directory(&input);
                (
                    seq,
                    stage_pair(a, b, differs, old_groups, new_groups, input, to),
                )
            })
            .collect();
        let (mut old_alone, mut new_alone) = (Vec::new(), Vec::new());
        let (mut old_complete, mut new_complete) = (Vec::new(), Vec::new());
        for (at, (o, other)) in staged {
            self.old.advance_to(at);
            self.new.advance_to(at);
            let seq = self.old.next_seq() as usize;
            let same = other.is_none();
            if same && self.skippable.get(seq) == Some(&true) {
                self.old.skip(&o);
                self.new.skip(&o);
                continue;
            }
            let n = other.unwrap_or_else(|| o.clone());
            self.old
                .accept(o, &mut old_complete, &mut |x| old_alone.push(x));
            self.new
                .accept(n, &mut new_complete, &mut |x| new_alone.push(x));
        }
        let work: Vec<(Side, u32, Vec<ObjectResult>)> = old_complete
            .into_iter()
            .map(|(m, v)| (Side::Old, m, v))
            .chain(new_complete.into_iter().map(|(m, v)| (Side::New, m, v)))
            .collect();
        let (old, new) = (&self.old, &self.new);
        let done = crate::engine::export_all_of(work, |(side, m, members)| {
            let s = match side {
                Side::Old => old,
                Side::New => new,
            };
            (side, s.complete_one(m, members))
        });
        for x in &old_alone {
            out(Side::Old, x);
        }
        for (_, x) in done.iter().filter(|(s, _)| *s == Side::Old) {
            out(Side::Old, x);
        }
        for x in &new_alone {
            out(Side::New, x);
        }
        for (_, x) in done.iter().filter(|(s, _)| *s == Side::New) {
            out(Side::New, x);
        }
        crate::stream::drop_all(old_alone);
        crate::stream::drop_all(new_alone);
        crate::stream::drop_all(done);
    }

    /// Per side, [`Streamer::needs_full_plan`]: that side's run must be made again with a
    /// full pass 1.
    pub fn needs_full_plan(&self) -> [bool; 2] {
        [self.old.needs_full_plan(), self.new.needs_full_plan()]
    }

    /// Passes over the objects before `seq` on both sides ([`Streamer::advance_to`]).
    pub(crate) fn advance_to(&mut self, seq: u32) {
        self.old.advance_to(seq);
        self.new.advance_to(seq);
    }

    /// [`Streamer::is_done`] of both sides.
    pub fn is_done(&self) -> bool {
        self.old.is_done() && self.new.is_done()
    }
}

/// Stages one object for both sides: once when the configurations differ only in scoping
/// filters and the differing rules are in or out of scope the same way on both sides.
pub(crate) fn stage_pair(
    a: &Simulator<'_>,
    b: &Simulator<'_>,
    differs: Option<&[bool]>,
    old_groups: &Groups,
    new_groups: &Groups,
    input: SourceInput,
    new_directory: DirectoryRef,
) -> (ObjectResult, Other) {
    let Some(differs) = differs.filter(|_| new_directory == input.directory) else {
        let mut copy = input.clone();
        copy.directory = new_directory;
        return (
            a.stage(input, old_groups, Stage::All),
            Some(b.stage(copy, new_groups, Stage::All)),
        );
    };
    match a.stage_head(input, old_groups, Stage::All) {
        // Filtered, or no inbound rule: the filters and rules' object types are the same.
        Staging::Done(r) => (r, None),
        Staging::Scoped(mut head) => {
            a.scope_head(&mut head, old_groups);
            let mut failed = Vec::new();
            let same = a
                .inbound_rules_of(&head)
                .iter()
                .filter(|id| differs.get(**id as usize) == Some(&true))
                .all(|&id| {
                    failed.clear();
                    let in_b = b.rule_in_scope(id, &head, new_groups, &mut failed);
                    let r = &head.result;
                    let in_a = r.applied.contains(&id);
                    let failed_a = r
                        .out_of_scope
                        .iter()
                        .filter(|(rule, _, _)| *rule == id)
                        .map(|(_, g, c)| (*g, *c));
                    in_a == in_b && failed_a.eq(failed.iter().copied())
                });
            if same {
                (a.stage_tail(head, Stage::All), None)
            } else {
                let mut other = head.clone();
                b.scope_head(&mut other, new_groups);
                (
                    a.stage_tail(head, Stage::All),
                    Some(b.stage_tail(other, Stage::All)),
                )
            }
        }
    }
}
