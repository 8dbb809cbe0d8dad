//! Precedence resolution per target attribute (`declarative-provisioning.md` §3.6): the lowest
//! precedence number wins; NULL lets a lower rule contribute; AuthoritativeNull clears;
//! IgnoreThisFlow skips; Merge and MergeCaseInsensitive take the union of every contribution.

use crate::name::Name;
use crate::prepare::RuleId;
use syncpolicy_expr::value::Value;
use syncpolicy_model::enums::MergeType;

/// One flow's value for one target attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub dest: Name,
    /// `dest`'s id ([`crate::prepare::PFlow::dest_id`]): ids are in the order of the names,
    /// one per spelling.
    pub dest_id: u32,
    pub rule: RuleId,
    pub precedence: i32,
    /// Connector creation order of the rule's directory, then the source object's rank by
    /// DN: the tie-breaks between rules of equal precedence.
    pub tie: (u32, u32),
    pub merge: Merge,
    /// The flow's result, sentinels included.
    pub value: Value,
}

/// A resolved attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub name: Name,
    pub value: Value,
    /// The rule(s) whose value it is (several for Merge).
    pub rules: Vec<RuleId>,
}

/// The outcome for one attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Set(Value, Vec<RuleId>),
    /// Cleared: every contribution was NULL, or one was AuthoritativeNull (by this rule).
    Clear(Option<RuleId>),
    /// Nothing but IgnoreThisFlow: the existing value stays.
    Unchanged,
}

/// A flow's merge type, in the three behaviours that differ (Replace behaves as Update).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    Update,
    Merge,
    MergeCaseInsensitive,
}

impl Merge {
    pub fn of(m: &MergeType) -> Merge {
        match m {
            MergeType::Merge => Merge::Merge,
            MergeType::MergeCaseInsensitive => Merge::MergeCaseInsensitive,
            _ => Merge::Update,
        }
    }
}

/// Resolution problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// Rules in scope use different merge types for one attribute.
    MixedMerge { attribute: String },
}

/// Choice for an undocumented case, reported as engine-dependent.
pub const MERGE_AUTHORITATIVE_NULL: &str =
    "AuthoritativeNull under a Merge flow is ignored (contributes no value)";

/// Resolves one attribute from its contributions (any order). `notes` receives the
/// engine-dependent choices the result rests on.
pub fn resolve_one(
    contributions: &mut [&Contribution],
    notes: &mut Vec<&'static str>,
) -> Result<Outcome, ResolveError> {
    contributions.sort_by_key(|c| (c.precedence, c.tie, c.rule));
    let Some(first) = contributions.first() else {
        return Ok(Outcome::Unchanged);
    };
    let is_merge = |m: Merge| m != Merge::Update;
    let merge = is_merge(first.merge);
    if contributions.iter().any(|c| is_merge(c.merge) != merge) {
        return Err(ResolveError::MixedMerge {
            attribute: first.dest.to_string(),
        });
    }
    if !merge {
        return Ok(match update(contributions.iter().copied()) {
            Update::Value(i) => {
                let c = contributions[i];
                Outcome::Set(c.value.clone(), vec![c.rule])
            }
            Update::Decided(outcome) => outcome,
        });
    }
    let case_insensitive = contributions
        .iter()
        .all(|c| c.merge == Merge::MergeCaseInsensitive);
    let mut values: Vec<Value> = Vec::new();
    let mut rules: Vec<RuleId> = Vec::new();
    let mut saw_null = false;
    let mut all_ignore = true;
    for c in contributions.iter() {
        match &c.value {
            Value::IgnoreThisFlow => continue,
            Value::AuthoritativeNull => {
                notes.push(MERGE_AUTHORITATIVE_NULL);
                all_ignore = false;
                continue;
            }
            v if is_nothing(v) => {
                saw_null = true;
                all_ignore = false;
            }
            v => {
                all_ignore = false;
                let mut added = false;
                for x in v.values() {
                    if is_nothing(x) {
                        continue;
                    }
                    let dup = values.iter().any(|y| same(x, y, case_insensitive));
                    if !dup {
                        values.push(x.clone());
                        added = true;
                    }
                }
                if added && !rules.contains(&c.rule) {
                    rules.push(c.rule);
                }
            }
        }
    }
    if values.is_empty() {
        return Ok(if all_ignore {
            Outcome::Unchanged
        } else {
            let _ = saw_null;
            Outcome::Clear(None)
        });
    }
    Ok(Outcome::Set(Value::Multi(values), rules))
}

/// What the Update rule decides for contributions in precedence order: the first that is
/// neither IgnoreThisFlow nor NULL wins (AuthoritativeNull clears); all NULL clears; nothing
/// but IgnoreThisFlow leaves the value as it is.
enum Update {
    /// The value of the contribution at this position wins.
    Value(usize),
    /// Cleared or unchanged.
    Decided(Outcome),
}

fn update<'c>(in_order: impl Iterator<Item = &'c Contribution>) -> Update {
    let mut saw_null = false;
    for (i, c) in in_order.enumerate() {
        match &c.value {
            Value::IgnoreThisFlow => continue,
            Value::AuthoritativeNull => return Update::Decided(Outcome::Clear(Some(c.rule))),
            v if is_nothing(v) => saw_null = true,
            _ => return Update::Value(i),
        }
    }
    Update::Decided(if saw_null {
        Outcome::Clear(None)
    } else {
        Outcome::Unchanged
    })
}

/// The number of attributes `sorted` (sorted by `dest_id`) has contributions to.
fn attributes_in<C>(sorted: &[C], id: impl Fn(&C) -> u32) -> usize {
    let first = usize::from(!sorted.is_empty());
    first + sorted.windows(2).filter(|w| id(&w[0]) != id(&w[1])).count()
}

/// Calls `each` with every run of contributions to one attribute (`sorted` is sorted by
/// `dest_id`), in attribute order.
fn for_each_attribute<C>(sorted: &mut [C], id: impl Fn(&C) -> u32, mut each: impl FnMut(&mut [C])) {
    let mut i = 0;
    while i < sorted.len() {
        let run = id(&sorted[i]);
        let mut j = i;
        while j < sorted.len() && id(&sorted[j]) == run {
            j += 1;
        }
        each(&mut sorted[i..j]);
        i = j;
    }
}

/// The error text of an attribute that cannot be resolved.
pub(crate) fn error_text(e: ResolveError) -> String {
    match e {
        ResolveError::MixedMerge { attribute } => {
            format!("rules in scope use different merge types for attribute `{attribute}`")
        }
    }
}

/// Null or an empty text/collection: no value.
pub fn is_nothing(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Str(s) => s.is_empty(),
        Value::Multi(vs) => vs.is_empty(),
        _ => false,
    }
}

/// Two values are the same value of a Merge (MergeCaseInsensitive: text without case).
pub(crate) fn same(a: &Value, b: &Value, case_insensitive: bool) -> bool {
    match (a, b) {
        (Value::Str(x) | Value::Ref(x), Value::Str(y) | Value::Ref(y)) if case_insensitive => {
            crate::scope::eq_ci(x, y)
        }
        _ => a == b,
    }
}

/// Resolves every attribute of a set of contributions, sorted by attribute name. Errors are
/// returned as texts; the attributes they concern are left out.
pub fn resolve_all(
    contributions: &[&Contribution],
    notes: &mut Vec<&'static str>,
    errors: &mut Vec<String>,
) -> Vec<(Name, Outcome)> {
    let mut by_name: Vec<&Contribution> = contributions.to_vec();
    // By name: the ids are in the order of the names.
    by_name.sort_by_key(|c| c.dest_id);
    let mut out = Vec::with_capacity(attributes_in(&by_name, |c| c.dest_id));
    for_each_attribute(
        &mut by_name,
        |c| c.dest_id,
        |group| {
            let name = group[0].dest;
            match resolve_one(group, notes) {
                Ok(o) => out.push((name, o)),
                Err(e) => errors.push(error_text(e)),
            }
        },
    );
    out
}

/// The values [`resolve_all`] sets, attribute by attribute (in the same order), given to
/// `each` with the attribute's name, borrowed: an attribute that one Update contribution
/// decides is not copied (the join index reads its keys this way). Attributes that are
/// cleared, unchanged or in error are left out. Sorts `contributions` (stably, by name).
pub(crate) fn for_each_set<'c>(
    contributions: &mut [&'c Contribution],
    mut each: impl FnMut(&'c str, &Value),
) {
    contributions.sort_by_key(|c| c.dest_id);
    let mut notes = Vec::new();
    for_each_attribute(
        contributions,
        |c| c.dest_id,
        |group| {
            let first: &'c Contribution = group[0];
            if group.iter().all(|c| c.merge == Merge::Update) {
                // As `resolve_one` orders and decides an Update attribute.
                group.sort_by_key(|c| (c.precedence, c.tie, c.rule));
                if let Update::Value(i) = update(group.iter().copied()) {
                    let c: &'c Contribution = group[i];
                    each(first.dest, &c.value);
                }
            } else if let Ok(Outcome::Set(value, _)) = resolve_one(group, &mut notes) {
                each(first.dest, &value);
            }
        },
    );
}

/// [`resolve_all`] of contributions whose values the caller does not need afterwards: the value
/// an Update attribute resolves to is moved out of its contribution instead of copied (Merge
/// attributes copy, as [`resolve_all`] does). Sorts `contributions` (stably, by name and then
/// as [`resolve_one`] orders them, so the outcomes are those of [`resolve_all`]).
pub(crate) fn resolve_all_owned(
    contributions: &mut [Contribution],
    notes: &mut Vec<&'static str>,
    errors: &mut Vec<String>,
) -> Vec<(Name, Outcome)> {
    contributions.sort_by_key(|c| c.dest_id);
    let mut out = Vec::with_capacity(attributes_in(contributions, |c| c.dest_id));
    for_each_attribute(
        contributions,
        |c| c.dest_id,
        |group| {
            let name = group[0].dest;
            if group.iter().any(|c| c.merge != Merge::Update) {
                let mut refs: Vec<&Contribution> = group.iter().collect();
                match resolve_one(&mut refs, notes) {
                    Ok(o) => out.push((name, o)),
                    Err(e) => errors.push(error_text(e)),
                }
                return;
            }
            // Update: as `resolve_one`, the first value by precedence wins, moved out.
            group.sort_by_key(|c| (c.precedence, c.tie, c.rule));
            let outcome = match update(group.iter()) {
                Update::Value(i) => {
                    let c = &mut group[i];
                    Outcome::Set(std::mem::replace(&mut c.value, Value::Null), vec![c.rule])
                }
                Update::Decided(outcome) => outcome,
            };
            out.push((name, outcome));
        },
    );
    out
}
