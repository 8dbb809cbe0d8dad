//! `impact` in one pass where the objects do not meet, as [`crate::single_pass`] counts
//! `simulate --summary`: each object is staged for both configurations as it is read (once
//! where they cannot differ, [`crate::pair`]), completed on each side as if it were alone,
//! and its two results compared at once ([`LoneComparer`]); both join plans are made
//! alongside (one, when every object gives both the same plan input). After the plans, an
//! object's comparison stands when each side's plan gives it what it had alone and no other
//! object shares its DN (whose NEW result names a deletion's reason) or its Entra key; only
//! the others are read again and compared as [`run_pair`](crate::pair_run::run_pair)'s second
//! pass compares them. The changes are those of two full runs.

use crate::engine::{ObjectResult, Origin, Simulator, SourceInput, MIN_PER_TASK};
use crate::impact::{Change, ImpactStream, LoneComparer};
use crate::pair::{stage_pair, PairStreamer};
use crate::pair_run::{PairRun, PairSide};
use crate::single_pass::{pick, Again, LoneOutcome, SummaryPass};
use crate::stream::{drop_all, Streamer};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use syncpolicy_model::config::DirectoryRef;

/// A pass over the objects that [`run_pair_single`] asks its caller to read: the passes of
/// [`crate::single_pass`] (the objects in OLD's directories; `Stage` compares each alone).
pub type PairPass<'a> = SummaryPass<'a>;

/// One object as the first pass compared it alone.
struct LonePair {
    old: LoneOutcome,
    /// NEW's outcome, when it is not OLD's.
    new: Option<LoneOutcome>,
    changes: Vec<Change>,
    origin: Origin,
    dn: Box<str>,
    /// A digest of its DN lower-cased (Entra keys are made of it).
    key: u64,
}

/// What the first pass keeps of one object: the comparison and each side's plan input
/// (NEW's `None` when it is the same as OLD's).
type Staged = (LonePair, ObjectResult, Option<ObjectResult>);

/// Runs `impact` of OLD to NEW over the objects that `objects` reads, as
/// [`run_pair`](crate::pair_run::run_pair) does, in one pass where the objects do not meet
/// (see the module's text). `new_directory` gives an object's directory in NEW's
/// configuration.
pub fn run_pair_single<'a, E>(
    old: PairSide<'a, '_>,
    new: PairSide<'a, '_>,
    new_directory: impl Fn(&SourceInput) -> DirectoryRef + Sync + Send,
    mut objects: impl FnMut(PairPass<'_>, &mut dyn FnMut(Vec<SourceInput>)) -> Result<(), E>,
) -> Result<PairRun<'a>, E> {
    let (a, b) = (old.simulator, new.simulator);
    let differs = a.scope_differences(b);
    // Staged the same and exported by the same rules, an object has one result.
    let exports_shared = differs.as_ref().is_some_and(|d| {
        d.iter()
            .enumerate()
            .all(|(id, x)| !x || a.is_inbound(id as u32))
    });
    let comparer = LoneComparer::new(old.config, a, new.config, b);
    let mut lone: Vec<LonePair> = Vec::new();
    let mut parts_old: Vec<Vec<ObjectResult>> = Vec::new();
    let mut parts_new: Vec<Vec<Option<ObjectResult>>> = Vec::new();
    objects(PairPass::Stage, &mut |batch| {
        let first = u32::try_from(lone.len()).unwrap_or(u32::MAX);
        let staged: Vec<Staged> = batch
            .into_par_iter()
            .with_min_len(MIN_PER_TASK)
            .enumerate()
            .map(|(i, input)| {
                let seq = first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                let to = new_directory(&input);
                let (origin, key) = (input.origin, lower_digest(&input.dn));
                let (o, other) =
                    stage_pair(a, b, differs.as_deref(), old.groups, new.groups, input, to);
                let dn = o.dn.clone().into_boxed_str();
                if other.is_none() && exports_shared {
                    // The same result on both sides: nothing changes.
                    let (outcome, planned, streamed) = a.lone_streamed(o, seq, false);
                    drop(streamed);
                    let pair = LonePair {
                        old: outcome,
                        new: None,
                        changes: Vec::new(),
                        origin,
                        dn,
                        key,
                    };
                    return (pair, planned, None);
                }
                let n = other.unwrap_or_else(|| o.clone());
                let (old_outcome, old_planned, x) = a.lone_streamed(o, seq, true);
                let (new_outcome, new_planned, y) = b.lone_streamed(n, seq, true);
                let changes = comparer.changes(&x, &y);
                drop((x, y));
                // What is the same on both sides is kept once.
                let same_outcome = new_outcome.join == old_outcome.join
                    && new_outcome.projects == old_outcome.projects;
                let pair = LonePair {
                    old: old_outcome,
                    new: (!same_outcome).then_some(new_outcome),
                    changes,
                    origin,
                    dn,
                    key,
                };
                let new_planned =
                    (!Simulator::same_planned(&old_planned, &new_planned)).then_some(new_planned);
                (pair, old_planned, new_planned)
            })
            .collect();
        let mut part_old = Vec::with_capacity(staged.len());
        let mut part_new = Vec::with_capacity(staged.len());
        for (pair, o, n) in staged {
            lone.push(pair);
            part_old.push(o);
            part_new.push(n);
        }
        parts_old.push(part_old);
        parts_new.push(part_new);
    })?;
    // NEW's plan is OLD's when every object gives both the same plan input.
    let shared = parts_new.iter().flatten().all(Option::is_none);
    let new_parts: Option<Vec<Vec<ObjectResult>>> = (!shared).then(|| {
        parts_old
            .iter()
            .zip(parts_new)
            .map(|(o, n)| {
                o.iter()
                    .zip(n)
                    .map(|(o, n)| n.unwrap_or_else(|| o.clone()))
                    .collect()
            })
            .collect()
    });
    let old_plan = a.plan_parts(parts_old);
    let new_plan = match new_parts {
        Some(parts) => b.plan_parts(parts),
        None => old_plan.clone(),
    };
    let total = lone.len();
    // Objects that share their DN (ASCII case aside) or their Entra key's DN with another.
    let mut dn_group = vec![0u32; total];
    for seq in 0..total {
        let first = new_plan.same_dn_first(seq as u32) as usize;
        if let Some(n) = dn_group.get_mut(first) {
            *n += 1;
        }
    }
    let mut keys: HashMap<u64, u32> = HashMap::with_capacity(total);
    for l in &lone {
        *keys.entry(l.key).or_default() += 1;
    }
    let mut compare = ImpactStream::new(old.config, a, &old_plan, new.config, b, &new_plan);
    let mut again = Again::new();
    for (seq, l) in lone.iter_mut().enumerate() {
        let at = u32::try_from(seq).unwrap_or(u32::MAX);
        let alone_by_dn = new_plan.same_dn_first(at) == at && dn_group[seq] == 1;
        let stands = alone_by_dn
            && keys.get(&l.key) == Some(&1)
            && l.old.stands_in(&old_plan, at)
            && l.new.as_ref().unwrap_or(&l.old).stands_in(&new_plan, at);
        if stands {
            for c in std::mem::take(&mut l.changes) {
                compare.push_change(c);
            }
        }
        again.note(at, l.origin, &mut l.dn, !stands);
    }
    drop_all(lone);
    if again.is_empty() {
        return Ok(PairRun {
            compare,
            complete: true,
            full_plans: 0,
        });
    }
    let mut pair = PairStreamer::new(Streamer::new(a, old_plan), Streamer::new(b, new_plan));
    let mut fed = 0;
    let mut feed = |pair: &mut PairStreamer<'_, '_>, picked: Vec<(u32, SourceInput)>| {
        fed += picked.len();
        pair.feed_at(
            old.groups,
            new.groups,
            picked,
            &new_directory,
            |side, x| match side {
                crate::pair::Side::Old => compare.add_old(x),
                crate::pair::Side::New => compare.add_new(x),
            },
        );
    };
    if again.by_dn() {
        let (dns, at) = (again.dns(), again.by_origin());
        objects(PairPass::Complete { dns: Some(&dns) }, &mut |batch| {
            feed(&mut pair, pick(&at, batch));
        })?;
    } else {
        let needed = again.needed();
        let mut next = 0u32;
        objects(PairPass::Complete { dns: None }, &mut |batch| {
            let mut picked = Vec::new();
            for input in batch {
                if needed.get(next as usize).copied().unwrap_or(true) {
                    picked.push((next, input));
                }
                next = next.saturating_add(1);
            }
            feed(&mut pair, picked);
        })?;
    }
    pair.advance_to(again.end());
    let complete = fed == again.len() && pair.is_done();
    drop(pair);
    Ok(PairRun {
        compare,
        complete,
        full_plans: 0,
    })
}

/// A digest of `dn` lower-cased as the comparison's keys lower-case it.
fn lower_digest(dn: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for c in dn.chars().flat_map(char::to_lowercase) {
        c.hash(&mut h);
    }
    h.finish()
}
