//! Precedence of custom rules: they share the band 0-99 across the whole server (the engine
//! compares precedence across connectors), each number held by one rule, and never take a
//! number a standard rule of the same direction has. New rules get the
//! lowest free number; `before`/`after` placement renumbers as few rules as possible.

use crate::error::EditError;
use syncpolicy_model::config::{Configuration, RuleLocation, RuleSet};
use syncpolicy_model::rule::SyncRule;
use syncpolicy_model::values::{self, PrecedenceClash};

/// The lowest and highest precedence of the custom band.
pub const CUSTOM_BAND: (i32, i32) = (0, 99);

/// The rule holding a precedence that `rule` (at `at`, or a new rule when `None`) may not
/// share: another custom rule anywhere, or a standard rule of the same direction (the one
/// definition is [`syncpolicy_model::values::precedence_taken_by`], which `validate` uses too).
pub fn holder(
    config: &Configuration,
    precedence: i32,
    at: Option<RuleLocation>,
    rule: &SyncRule,
) -> Option<RuleLocation> {
    values::precedence_taken_by(config, at, rule, precedence).map(|(loc, _)| loc)
}

/// The lowest precedence in 0-99 that `rule` may take.
pub fn lowest_free(config: &Configuration, rule: &SyncRule) -> Result<i32, EditError> {
    (CUSTOM_BAND.0..=CUSTOM_BAND.1)
        .find(|p| holder(config, *p, None, rule).is_none())
        .ok_or_else(|| {
            EditError::refused(
                "every custom precedence from 0 to 99 is taken",
                "delete or merge custom rules, or give --precedence outside 0-99 (validate warns that the product may reorder it)",
            )
        })
}

/// Checks that a precedence is free for `rule` (at `at`, or a new rule when `None`): no other
/// custom rule and no standard rule of the same direction holds it.
pub fn ensure_free(
    config: &Configuration,
    precedence: i32,
    at: Option<RuleLocation>,
    rule: &SyncRule,
) -> Result<(), EditError> {
    match values::precedence_taken_by(config, at, rule, precedence) {
        None => Ok(()),
        Some((loc, clash)) => {
            let r = config
                .rule(loc)
                .map(|r| r.name().to_owned())
                .unwrap_or_default();
            let kind = match clash {
                PrecedenceClash::Custom => "custom rule".to_owned(),
                PrecedenceClash::Standard | PrecedenceClash::CustomWithStandard => {
                    let dir = config.rule(loc).map(|r| r.direction_str()).unwrap_or("");
                    if dir.is_empty() {
                        "standard rule".to_owned()
                    } else {
                        format!("{} standard rule", dir.to_lowercase())
                    }
                }
            };
            Err(EditError::refused(
                format!(
                    "precedence {precedence} is taken by {kind} {r:?} in {}",
                    config.directory_name(loc.directory)
                ),
                "choose a free precedence (custom rules belong in 0-99), leave it out to get the lowest free one, or use --before/--after",
            ))
        }
    }
}

/// Where to place a rule relative to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Directly in front of (wins over) this rule.
    Before(RuleLocation),
    /// Directly behind this rule.
    After(RuleLocation),
}

/// New precedences so that `moving` (or a new rule when `None`) sits right before/after the
/// anchor, renumbering as few custom rules in 0-99 as possible. Returns the precedence for the
/// moving rule and the renumbering of others as (location, new precedence).
pub fn place(
    config: &Configuration,
    moving: Option<RuleLocation>,
    placement: Placement,
) -> Result<(i32, Vec<(RuleLocation, i32)>), EditError> {
    let anchor = match placement {
        Placement::Before(a) | Placement::After(a) => a,
    };
    if Some(anchor) == moving {
        return Err(EditError::refused(
            "a rule cannot be placed relative to itself",
            "name another rule in --before/--after",
        ));
    }
    let anchor_rule = config.rule(anchor).ok_or_else(|| {
        EditError::not_found(
            "the anchor rule",
            "list the rules with `syncpolicy rule list`",
        )
    })?;
    if anchor.set != RuleSet::Custom || !in_band(anchor_rule.precedence) {
        return Err(EditError::refused(
            format!(
                "{:?} is not a custom rule in 0-99 (precedence {})",
                anchor_rule.name(),
                anchor_rule.precedence
            ),
            "place custom rules relative to other custom rules; standard rules start at 100 and every custom rule in 0-99 already wins over them",
        ));
    }
    // The custom band in order, without the moving rule.
    let mut order: Vec<(RuleLocation, i32)> = config
        .rules()
        .filter(|(loc, r)| {
            loc.set == RuleSet::Custom && in_band(r.precedence) && Some(*loc) != moving
        })
        .map(|(loc, r)| (loc, r.precedence))
        .collect();
    order.sort_by_key(|(_, p)| *p);
    let at = order
        .iter()
        .position(|(loc, _)| *loc == anchor)
        .map(|i| {
            if matches!(placement, Placement::After(_)) {
                i + 1
            } else {
                i
            }
        })
        .unwrap_or(order.len());
    // Try a gap between the neighbours first.
    let low = if at == 0 {
        CUSTOM_BAND.0 - 1
    } else {
        order[at - 1].1
    };
    let high = if at == order.len() {
        CUSTOM_BAND.1 + 1
    } else {
        order[at].1
    };
    if high - low > 1 {
        let p = if matches!(placement, Placement::Before(_)) {
            high - 1
        } else {
            low + 1
        };
        return Ok((p, Vec::new()));
    }
    // No gap: shift the rules after the slot up while they collide, or those before it down.
    let mut renumber = Vec::new();
    let new_p = order.get(at).map_or(CUSTOM_BAND.1, |(_, p)| *p);
    let mut ok_up = true;
    let mut up = Vec::new();
    for (next, (loc, p)) in (new_p + 1..).zip(&order[at..]) {
        if *p >= next {
            break;
        }
        if next > CUSTOM_BAND.1 {
            ok_up = false;
            break;
        }
        up.push((*loc, next));
    }
    if ok_up && at < order.len() {
        renumber.extend(up);
        return Ok((new_p, renumber));
    }
    let new_p = if at == 0 {
        CUSTOM_BAND.0
    } else {
        order[at - 1].1
    };
    let mut prev = new_p - 1;
    for (loc, p) in order[..at].iter().rev() {
        if *p <= prev {
            break;
        }
        if prev < CUSTOM_BAND.0 {
            return Err(EditError::refused(
                "there is no room in 0-99 to place the rule there",
                "delete unused custom rules first",
            ));
        }
        renumber.push((*loc, prev));
        prev -= 1;
    }
    Ok((new_p, renumber))
}

fn in_band(p: i32) -> bool {
    (CUSTOM_BAND.0..=CUSTOM_BAND.1).contains(&p)
}

/// Numbers the standard rules as the wizard does when a forest is added (declarative
/// provisioning §3.7): rules are numbered in groups (one group per out-of-box rule, in the
/// order of the existing numbering), each group holds that rule of every connector in the
/// order the connectors were added, and the new forest's rule goes last in its group. The
/// new forest's rules (standard rules of on-premises directory `added`, in catalogue order)
/// that start a group of their own come right after the group of the rule before them.
/// Numbering starts at the lowest existing standard precedence (100 when there is none) and
/// skips numbers custom rules hold. Returns how many existing standard rules got a new number.
pub fn number_standard_rules_for_new_forest(config: &mut Configuration, added: usize) -> usize {
    use syncpolicy_model::config::DirectoryRef;
    type Key = (String, String);
    let key = |r: &SyncRule| -> Key {
        (
            r.name().trim().to_lowercase(),
            r.direction_str().to_ascii_lowercase(),
        )
    };
    let new_dir = DirectoryRef::OnPremises(added);
    let mut existing: Vec<(RuleLocation, Key, i32)> = Vec::new();
    let mut fresh: Vec<(RuleLocation, Key)> = Vec::new();
    let mut custom_held = std::collections::HashSet::new();
    for (at, r) in config.rules() {
        if !values::counts_as_standard(at, r) {
            custom_held.insert(r.precedence);
        } else if at.directory == new_dir {
            fresh.push((at, key(r)));
        } else {
            existing.push((at, key(r), r.precedence));
        }
    }
    existing.sort_by_key(|(at, _, p)| (*p, *at));
    let mut groups: Vec<(Key, Vec<RuleLocation>)> = Vec::new();
    for (at, k, _) in &existing {
        match groups.iter_mut().find(|(g, _)| g == k) {
            Some((_, members)) => members.push(*at),
            None => groups.push((k.clone(), vec![*at])),
        }
    }
    let mut last: Option<usize> = None;
    for (at, k) in fresh {
        let i = match groups.iter().position(|(g, _)| *g == k) {
            Some(i) => {
                groups[i].1.push(at);
                i
            }
            None => {
                let i = last.map_or(groups.len(), |l| l + 1);
                groups.insert(i, (k, vec![at]));
                i
            }
        };
        last = Some(i);
    }
    let mut next = existing.iter().map(|(_, _, p)| *p).min().unwrap_or(100);
    let mut renumbered = 0;
    for (_, members) in &groups {
        for at in members {
            while custom_held.contains(&next) {
                next += 1;
            }
            if let Some(r) = crate::rules::rule_mut(config, *at) {
                if r.precedence != next && at.directory != new_dir {
                    renumbered += 1;
                }
                r.precedence = next;
            }
            next += 1;
        }
    }
    renumbered
}
