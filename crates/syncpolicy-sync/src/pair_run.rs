//! `impact`'s whole streamed run over objects read again for each pass: pass 1 (the join
//! plan) of each side, or of one side when NEW's light plan cannot differ from OLD's
//! ([`Simulator::same_light_plan`]), then both sides' pass 2 together ([`PairStreamer`]),
//! compared as their Entra objects complete ([`ImpactStream`]), and the passes made again
//! with a full pass 1 for a side whose light plan proved wrong ([`Streamer::needs_full_plan`]).
//! The caller reads the objects; the command, the benchmark and the tests share this one
//! sequence.

use crate::engine::{Simulator, SourceInput};
use crate::impact::{Impact, ImpactStream};
use crate::pair::{PairStreamer, Side};
use crate::scope::Groups;
use crate::stream::{Plan, Streamer};
use syncpolicy_model::config::{Configuration, DirectoryRef};

/// One configuration of an `impact` run: the configuration, its simulator and the group
/// members its group filters read.
#[derive(Clone, Copy)]
pub struct PairSide<'a, 'c> {
    pub config: &'a Configuration,
    pub simulator: &'a Simulator<'c>,
    pub groups: &'a Groups,
}

/// A pass over the objects that [`run_pair`] asks its caller to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Pass 1 of one side: its join plan; `full` when every flow that can fail is evaluated
    /// (the side's light plan proved wrong).
    Plan { side: Side, full: bool },
    /// Pass 2 of both sides at once, compared as the objects complete.
    Compare,
}

/// What [`run_pair`] ran: the comparison, to finish, and how the passes went.
pub struct PairRun<'a> {
    pub(crate) compare: ImpactStream<'a>,
    pub(crate) complete: bool,
    /// How many times the passes were made again with a full pass 1.
    pub full_plans: usize,
}

/// The passes read different objects (the object files changed while they were read), so
/// the comparison would be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectsChanged;

impl std::fmt::Display for ObjectsChanged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the passes over the objects read different objects")
    }
}

impl std::error::Error for ObjectsChanged {}

impl PairRun<'_> {
    /// The impact: the changes per object, in their order. An error when the last pass 2
    /// did not see every object that pass 1 planned.
    pub fn finish(self) -> Result<Impact, ObjectsChanged> {
        if self.complete {
            Ok(self.compare.finish())
        } else {
            Err(ObjectsChanged)
        }
    }
}

/// Runs `impact` of OLD to NEW over the objects that `objects` reads: called once per pass
/// with the pass and a sink, it must give the sink the same objects in the same order each
/// time (each in OLD's directory; `new_directory` gives an object's directory in NEW's
/// configuration). `same_directories`: every object is in the same directory on both sides,
/// so that NEW's plan may be OLD's. An error of `objects` ends the run with it.
pub fn run_pair<'a, E>(
    old: PairSide<'a, '_>,
    new: PairSide<'a, '_>,
    same_directories: bool,
    new_directory: impl Fn(&SourceInput) -> DirectoryRef + Sync + Send,
    mut objects: impl FnMut(Pass, &mut dyn FnMut(Vec<SourceInput>)) -> Result<(), E>,
) -> Result<PairRun<'a>, E> {
    let (a, b) = (old.simulator, new.simulator);
    let one_plan = same_directories && a.same_light_plan(b);
    let mut full = [false, false];
    let mut full_plans = 0;
    loop {
        let old_plan = plan_of(old, Side::Old, full[0], &new_directory, &mut objects)?;
        let new_plan = if one_plan && full == [false, false] {
            old_plan.clone()
        } else {
            plan_of(new, Side::New, full[1], &new_directory, &mut objects)?
        };
        let mut compare = ImpactStream::new(old.config, a, &old_plan, new.config, b, &new_plan);
        let mut pair = PairStreamer::new(Streamer::new(a, old_plan), Streamer::new(b, new_plan));
        objects(Pass::Compare, &mut |batch| {
            pair.feed(
                old.groups,
                new.groups,
                batch,
                &new_directory,
                |side, x| match side {
                    Side::Old => compare.add_old(x),
                    Side::New => compare.add_new(x),
                },
            );
        })?;
        let needs = pair.needs_full_plan();
        debug_assert!(
            !((needs[0] && full[0]) || (needs[1] && full[1])),
            "a full plan is never wrong"
        );
        let again = [needs[0] && !full[0], needs[1] && !full[1]];
        if again.contains(&true) {
            full_plans += 1;
            full = [full[0] || again[0], full[1] || again[1]];
            continue;
        }
        return Ok(PairRun {
            complete: pair.is_done(),
            compare,
            full_plans,
        });
    }
}

/// Pass 1 of one side over the objects `objects` reads: its join plan.
fn plan_of<E>(
    side: PairSide<'_, '_>,
    which: Side,
    full: bool,
    new_directory: &(impl Fn(&SourceInput) -> DirectoryRef + Sync + Send),
    objects: &mut impl FnMut(Pass, &mut dyn FnMut(Vec<SourceInput>)) -> Result<(), E>,
) -> Result<Plan, E> {
    let (sim, groups) = (side.simulator, side.groups);
    let mut staged = Vec::new();
    objects(Pass::Plan { side: which, full }, &mut |mut batch| {
        if which == Side::New {
            for input in &mut batch {
                input.directory = new_directory(input);
            }
        }
        staged.push(if full {
            sim.plan_batch_full(batch, groups)
        } else {
            sim.plan_batch(batch, groups)
        });
    })?;
    Ok(sim.plan_parts(staged))
}
