//! Rules: pairing by owning directory + name + direction (duplicates deterministically,
//! renames by identifier or standard tag), and field-by-field comparison down to the scope
//! clause, join condition and mapping; standard-rule renumbering and tag bumps are gathered
//! into one product entry.

use crate::engine::{opt, pair_keyed, text, Item, Out};
use crate::groups::{self, GroupChange};
use crate::render;
use crate::{Area, ChangeClass, ChangeKind, ValueType};
use std::collections::HashMap;
use syncpolicy_json::{keys, paths};
use syncpolicy_model::config::{Configuration, DirectoryRef, RuleLocation, RuleSet};
use syncpolicy_model::identity::{normalize_guid, Keyed, RuleKey};
use syncpolicy_model::rule::{AttributeMapping, JoinCondition, ScopeCondition, SyncRule};

type Entry<'a> = (RuleLocation, &'a SyncRule);

fn entries(config: &Configuration, dir: Option<DirectoryRef>) -> Vec<Entry<'_>> {
    let Some(dir) = dir else { return Vec::new() };
    let Some((standard, custom)) = config.rule_lists(dir) else {
        return Vec::new();
    };
    let at = |set, index| RuleLocation {
        directory: dir,
        set,
        index,
    };
    standard
        .iter()
        .enumerate()
        .map(|(i, r)| (at(RuleSet::Standard, i), r))
        .chain(
            custom
                .iter()
                .enumerate()
                .map(|(i, r)| (at(RuleSet::Custom, i), r)),
        )
        .collect()
}

fn uid(r: &SyncRule) -> Option<String> {
    r.unique_identifier
        .as_deref()
        .map(normalize_guid)
        .filter(|s| !s.is_empty())
}

/// Readable labels of the rules of one side: `dir / rule 'name' (Direction)`, with ` #n` for
/// the n-th rule of a duplicated name and direction. Made only for the rules a change names
/// (most rules of a large configuration are unchanged).
struct Labels<'a> {
    dir: &'a str,
    /// Per rule: 0 when its name and direction are unique, else its place among them (from 1).
    ordinal: Vec<usize>,
}

impl<'a> Labels<'a> {
    fn of(dir: &'a str, keys: &[RuleKey]) -> Labels<'a> {
        let mut total: HashMap<&RuleKey, usize> = HashMap::with_capacity(keys.len());
        for k in keys {
            *total.entry(k).or_default() += 1;
        }
        let mut seen: HashMap<&RuleKey, usize> = HashMap::new();
        let ordinal = keys
            .iter()
            .map(|k| {
                if total[k] > 1 {
                    let n = seen.entry(k).or_default();
                    *n += 1;
                    *n
                } else {
                    0
                }
            })
            .collect();
        Labels { dir, ordinal }
    }

    fn get(&self, list: &[Entry<'_>], i: usize) -> String {
        let r = list[i].1;
        let base = format!("{} / rule '{}' ({})", self.dir, r.name(), r.direction_str());
        match self.ordinal[i] {
            0 => base,
            n => format!("{base} #{n}"),
        }
    }
}

/// How a pair of rules was made.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Paired {
    Key,
    /// Another name, same identifier.
    Identifier,
    /// Another name, same standard tag (without version) and direction.
    Tag,
}

/// Pairs the rules of two directories. Returns per new rule its partner and how.
fn pair(
    old: &[Entry<'_>],
    new: &[Entry<'_>],
    ok: &[RuleKey],
    nk: &[RuleKey],
) -> Vec<Option<(usize, Paired)>> {
    let mut old_by_key: HashMap<&RuleKey, Vec<usize>> = HashMap::with_capacity(old.len());
    for (i, k) in ok.iter().enumerate() {
        old_by_key.entry(k).or_default().push(i);
    }
    let mut new_by_key: HashMap<&RuleKey, Vec<usize>> = HashMap::with_capacity(new.len());
    let mut key_order: Vec<&RuleKey> = Vec::new();
    for (j, k) in nk.iter().enumerate() {
        let v = new_by_key.entry(k).or_default();
        if v.is_empty() {
            key_order.push(k);
        }
        v.push(j);
    }
    let mut of_new: Vec<Option<(usize, Paired)>> = vec![None; new.len()];
    let mut old_used = vec![false; old.len()];
    for k in key_order {
        let ns = &new_by_key[k];
        let Some(os) = old_by_key.get(k) else {
            continue;
        };
        if let ([o], [n]) = (os.as_slice(), ns.as_slice()) {
            of_new[*n] = Some((*o, Paired::Key));
            old_used[*o] = true;
            continue;
        }
        // Duplicates: same identifier first, then in precedence order (position breaks ties).
        let mut free_new: Vec<usize> = Vec::new();
        for &n in ns {
            let partner = uid(new[n].1).and_then(|id| {
                os.iter()
                    .copied()
                    .find(|&o| !old_used[o] && uid(old[o].1).as_deref() == Some(id.as_str()))
            });
            match partner {
                Some(o) => {
                    of_new[n] = Some((o, Paired::Key));
                    old_used[o] = true;
                }
                None => free_new.push(n),
            }
        }
        let mut free_old: Vec<usize> = os.iter().copied().filter(|&o| !old_used[o]).collect();
        free_old.sort_by_key(|&o| (old[o].1.precedence, o));
        free_new.sort_by_key(|&n| (new[n].1.precedence, n));
        for (o, n) in free_old.into_iter().zip(free_new) {
            of_new[n] = Some((o, Paired::Key));
            old_used[o] = true;
        }
    }
    // Renames: the same identifier (one server over time), or the same standard tag.
    let unpaired_new: Vec<usize> = (0..new.len()).filter(|&j| of_new[j].is_none()).collect();
    if unpaired_new.is_empty() {
        return of_new;
    }
    let mut old_by_id: HashMap<String, usize> = HashMap::new();
    let mut old_by_tag: HashMap<(String, String), usize> = HashMap::new();
    for (i, (_, r)) in old.iter().enumerate() {
        if old_used[i] {
            continue;
        }
        if let Some(id) = uid(r) {
            old_by_id.entry(id).or_insert(i);
        }
        if let Some(tag) = r.standard_tag() {
            old_by_tag
                .entry((tag.base, r.direction_str().to_ascii_lowercase()))
                .or_insert(i);
        }
    }
    for j in unpaired_new {
        let r = new[j].1;
        let by_id = uid(r)
            .and_then(|id| old_by_id.get(&id).copied())
            .filter(|&i| !old_used[i]);
        let by_tag = || {
            r.standard_tag()
                .and_then(|t| {
                    old_by_tag
                        .get(&(t.base, r.direction_str().to_ascii_lowercase()))
                        .copied()
                })
                .filter(|&i| !old_used[i])
        };
        if let Some(i) = by_id {
            of_new[j] = Some((i, Paired::Identifier));
            old_used[i] = true;
        } else if let Some(i) = by_tag() {
            of_new[j] = Some((i, Paired::Tag));
            old_used[i] = true;
        }
    }
    of_new
}

fn rule_item(label: &str, at: RuleLocation, standard: bool, class: ChangeClass) -> Item {
    let mut it = Item::new(Area::Rules, class, label).json(paths::rule(at));
    it.standard = standard;
    it
}

/// Compares the rules of a directory pair (either side may be missing).
pub(crate) fn compare_directory_rules(
    out: &mut Out,
    old: &Configuration,
    old_dir: Option<DirectoryRef>,
    new: &Configuration,
    new_dir: Option<DirectoryRef>,
    dir_label: &str,
) {
    let o = entries(old, old_dir);
    let n = entries(new, new_dir);
    let ok: Vec<RuleKey> = o.iter().map(|(_, r)| r.key()).collect();
    let nk: Vec<RuleKey> = n.iter().map(|(_, r)| r.key()).collect();
    let of_new = pair(&o, &n, &ok, &nk);
    let old_labels = Labels::of(dir_label, &ok);
    let new_labels = Labels::of(dir_label, &nk);
    let mut old_used = vec![false; o.len()];
    for (j, (at, r)) in n.iter().enumerate() {
        match of_new[j] {
            Some((i, how)) => {
                old_used[i] = true;
                // Most rules of a large configuration are unchanged: nothing to say of them.
                if how == Paired::Key && o[i].1 == *r {
                    continue;
                }
                compare_rule(out, o[i], (*at, r), &new_labels.get(&n, j), how);
            }
            None => {
                let it = rule_item(
                    &new_labels.get(&n, j),
                    *at,
                    r.is_standard(),
                    ChangeClass::Configuration,
                );
                out.push(
                    ChangeKind::Added,
                    &it,
                    None,
                    it.json.clone(),
                    None,
                    Some(render::rule(r)),
                );
            }
        }
    }
    for (i, (at, r)) in o.iter().enumerate() {
        if !old_used[i] {
            let it = rule_item(
                &old_labels.get(&o, i),
                *at,
                r.is_standard(),
                ChangeClass::Configuration,
            );
            out.push(
                ChangeKind::Removed,
                &it,
                None,
                it.json.clone(),
                Some(render::rule(r)),
                None,
            );
        }
    }
}

/// Lists the custom rules of an added or removed directory one by one.
pub(crate) fn list_custom_rules(
    out: &mut Out,
    config: &Configuration,
    dir: DirectoryRef,
    dir_label: &str,
    kind: ChangeKind,
) {
    let list = entries(config, Some(dir));
    let keys: Vec<RuleKey> = list.iter().map(|(_, r)| r.key()).collect();
    let names = Labels::of(dir_label, &keys);
    for (i, (at, r)) in list.iter().enumerate() {
        if at.set != RuleSet::Custom {
            continue;
        }
        let label = names.get(&list, i);
        let it = rule_item(&label, *at, r.is_standard(), ChangeClass::Configuration);
        let shown = Some(render::rule(r));
        let (old, new) = if kind == ChangeKind::Added {
            (None, shown)
        } else {
            (shown, None)
        };
        out.push(kind, &it, None, it.json.clone(), old, new);
    }
}

fn compare_rule(
    out: &mut Out,
    (_, o): (RuleLocation, &SyncRule),
    (at, n): (RuleLocation, &SyncRule),
    label: &str,
    how: Paired,
) {
    let rk = keys::RULE;
    let ot = o.standard_tag();
    let nt = n.standard_tag();
    let both_standard = ot.is_some() && nt.is_some();
    let bumped =
        matches!((&ot, &nt), (Some(a), Some(b)) if a.base == b.base && a.version != b.version);
    let class = if bumped || how == Paired::Tag {
        ChangeClass::Product
    } else {
        ChangeClass::Configuration
    };
    let it = rule_item(label, at, o.is_standard() || n.is_standard(), class);
    if how != Paired::Key || o.name() != n.name() {
        out.push(
            ChangeKind::Renamed,
            &it,
            Some("name"),
            it.json.clone().map(|j| format!("{j}.{}", rk[0])),
            Some(o.name().to_owned()),
            Some(n.name().to_owned()),
        );
    }
    if o == n {
        return;
    }
    out.id_field(
        &it,
        "identifier",
        rk[1],
        o.unique_identifier.as_deref(),
        n.unique_identifier.as_deref(),
    );
    out.id_field(
        &it,
        "internal identifier",
        rk[2],
        Some(&o.internal_identifier),
        Some(&n.internal_identifier),
    );
    if o.immutable_tag != n.immutable_tag {
        let (ta, tb) = (opt(&o.immutable_tag), opt(&n.immutable_tag));
        if bumped {
            out.product.bumped.push(format!(
                "{label}: tag {} -> {}",
                ta.as_deref().unwrap_or(""),
                tb.as_deref().unwrap_or("")
            ));
        } else if ta != tb {
            out.modified(&it, "immutable tag", rk[7], ta, tb);
        }
    }
    if o.precedence != n.precedence {
        if both_standard {
            out.product.renumber(
                format!("{label}: precedence {} -> {}", o.precedence, n.precedence),
                o.precedence,
                n.precedence,
            );
        } else {
            out.push(
                ChangeKind::Moved,
                &it,
                Some("precedence"),
                it.json.clone().map(|j| format!("{j}.{}", rk[10])),
                Some(o.precedence.to_string()),
                Some(n.precedence.to_string()),
            );
            out.typed(ValueType::Number);
        }
    }
    out.bool_field(&it, "disabled", rk[8], o.disabled, n.disabled);
    out.str_field(&it, "description", rk[3], &o.description, &n.description);
    let low = |v: &Option<String>| opt(v).map(|s| s.to_lowercase());
    if low(&o.source_object_type) != low(&n.source_object_type) {
        out.modified(
            &it,
            "source object type",
            rk[4],
            opt(&o.source_object_type),
            opt(&n.source_object_type),
        );
    }
    if low(&o.target_object_type) != low(&n.target_object_type) {
        out.modified(
            &it,
            "target object type",
            rk[5],
            opt(&o.target_object_type),
            opt(&n.target_object_type),
        );
    }
    if o.link_type != n.link_type {
        let s = |l: &Option<syncpolicy_model::enums::LinkType>| {
            l.as_ref().map(|l| l.as_str().to_owned())
        };
        out.modified(&it, "link type", rk[6], s(&o.link_type), s(&n.link_type));
    }
    out.bool_field(
        &it,
        "password hash sync target",
        rk[11],
        o.password_hash_sync_target,
        n.password_hash_sync_target,
    );
    let (oe, ne) = (&o.extension, &n.extension);
    out.opt_field(
        &it,
        "soft-delete expiry",
        "",
        &oe.soft_delete_expiry_interval,
        &ne.soft_delete_expiry_interval,
    );
    out.id_field(
        &it,
        "connector identifier",
        "",
        oe.connector_id.as_deref(),
        ne.connector_id.as_deref(),
    );
    out.id_field(
        &it,
        "placed before (identifier)",
        "",
        oe.precedence_before.as_deref(),
        ne.precedence_before.as_deref(),
    );
    out.id_field(
        &it,
        "placed after (identifier)",
        "",
        oe.precedence_after.as_deref(),
        ne.precedence_after.as_deref(),
    );
    if o.scope_groups != n.scope_groups {
        grouped(out, &it, at, &SCOPE, &o.scope_groups, &n.scope_groups);
    }
    if o.join_groups != n.join_groups {
        grouped(out, &it, at, &JOINS, &o.join_groups, &n.join_groups);
    }
    if o.mappings != n.mappings {
        mappings(out, &it, at, &o.mappings, &n.mappings);
    }
    out.preserved(&it, &o.preserved, &n.preserved);
}

type ClauseKey = (String, String, String, Vec<(String, String)>);

fn clause_key(c: &ScopeCondition) -> ClauseKey {
    (
        c.attribute.as_deref().unwrap_or("").to_lowercase(),
        c.operator
            .as_ref()
            .map(|o| o.as_str().to_ascii_uppercase())
            .unwrap_or_default(),
        c.value.clone(),
        c.preserved
            .0
            .iter()
            .map(|f| (f.key.clone(), f.raw.clone()))
            .collect(),
    )
}

type JoinKey = (String, String, bool, Vec<(String, String)>);

fn join_key(c: &JoinCondition) -> JoinKey {
    (
        c.source.as_deref().unwrap_or("").to_lowercase(),
        c.destination.as_deref().unwrap_or("").to_lowercase(),
        c.case_sensitive,
        c.preserved
            .0
            .iter()
            .map(|f| (f.key.clone(), f.raw.clone()))
            .collect(),
    )
}

/// What a rule's list of groups (scope groups of clauses, or join groups of conditions) is
/// called, where it sits in the JSON and how its parts are shown, so that one walk,
/// [`grouped`], can report the changes of either.
struct GroupedList<T, K> {
    /// The word for a group in change labels: `scope group`.
    group: &'static str,
    /// The word for one item of a group in change labels: `clause`.
    item: &'static str,
    /// The rule's JSON key that holds the groups; group `g` is at `<rule>.<key>[g]`.
    json_key: &'static str,
    /// The JSON path of one item, from the rule, the group and the item position (the last
    /// argument names a field of the item; the walk always passes `None`).
    item_path: fn(RuleLocation, usize, usize, Option<&str>) -> String,
    /// An item's identity: two items with equal keys are the same item.
    key: fn(&T) -> K,
    /// What an added and a removed item must share to be reported as one modified item.
    anchor: fn(&T) -> String,
    /// One item as readable text.
    show_item: fn(&T) -> String,
    /// A whole group as readable text.
    show_group: fn(&[T]) -> String,
}

/// Scope groups: clauses on an attribute, paired into a modification by attribute.
const SCOPE: GroupedList<ScopeCondition, ClauseKey> = GroupedList {
    group: "scope group",
    item: "clause",
    json_key: keys::RULE[13],
    item_path: paths::scope,
    key: clause_key,
    anchor: |c| c.attribute.as_deref().unwrap_or("").to_lowercase(),
    show_item: render::clause,
    show_group: render::scope_group,
};

/// Join groups: conditions, paired into a modification by destination attribute.
const JOINS: GroupedList<JoinCondition, JoinKey> = GroupedList {
    group: "join group",
    item: "condition",
    json_key: keys::RULE[12],
    item_path: paths::join,
    key: join_key,
    anchor: |c| c.destination.as_deref().unwrap_or("").to_lowercase(),
    show_item: render::join,
    show_group: render::join_group,
};

/// Reports how the groups of one kind (described by `list`) differ between the old and the
/// new version of the rule `it` at `at`. Groups and items are compared as sets (see
/// [`groups::compare`]); each added or removed group and each added, removed or modified
/// item is one change, in the order `groups::compare` gives them. Labels count from 1;
/// a removed group has no JSON path and a removed item has the path of its new group.
fn grouped<T, K: Ord>(
    out: &mut Out,
    it: &Item,
    at: RuleLocation,
    list: &GroupedList<T, K>,
    old: &[Vec<T>],
    new: &[Vec<T>],
) {
    let (group, item) = (list.group, list.item);
    let group_path = |g: usize| format!("{}.{}[{g}]", paths::rule(at), list.json_key);
    for ch in groups::compare(old, new, list.key, list.anchor) {
        let (kind, field, json, was, now) = match ch {
            GroupChange::GroupAdded { new: g } => (
                ChangeKind::Added,
                format!("{group} {}", g + 1),
                Some(group_path(g)),
                None,
                Some((list.show_group)(&new[g])),
            ),
            GroupChange::GroupRemoved { old: g } => (
                ChangeKind::Removed,
                format!("{group} {} (old)", g + 1),
                None,
                Some((list.show_group)(&old[g])),
                None,
            ),
            GroupChange::ItemAdded {
                new_group,
                new_item,
            } => (
                ChangeKind::Added,
                format!("{group} {} / {item} {}", new_group + 1, new_item + 1),
                Some((list.item_path)(at, new_group, new_item, None)),
                None,
                Some((list.show_item)(&new[new_group][new_item])),
            ),
            GroupChange::ItemRemoved {
                old_group,
                old_item,
                new_group,
            } => (
                ChangeKind::Removed,
                format!("{group} {} / old {item} {}", new_group + 1, old_item + 1),
                Some(group_path(new_group)),
                Some((list.show_item)(&old[old_group][old_item])),
                None,
            ),
            GroupChange::ItemModified {
                old_group,
                old_item,
                new_group,
                new_item,
            } => (
                ChangeKind::Modified,
                format!("{group} {} / {item} {}", new_group + 1, new_item + 1),
                Some((list.item_path)(at, new_group, new_item, None)),
                Some((list.show_item)(&old[old_group][old_item])),
                Some((list.show_item)(&new[new_group][new_item])),
            ),
        };
        out.push(kind, it, Some(&field), json, was, now);
    }
}

fn sources(m: &AttributeMapping) -> Vec<String> {
    let mut v: Vec<String> = m.sources().iter().map(|s| s.to_lowercase()).collect();
    v.sort();
    v.dedup();
    v
}

fn mappings(
    out: &mut Out,
    it: &Item,
    at: RuleLocation,
    old: &[AttributeMapping],
    new: &[AttributeMapping],
) {
    let mk = keys::MAPPING;
    let (of_new, removed) = pair_keyed(old, new);
    for (j, nm) in new.iter().enumerate() {
        let dest = nm.destination.as_deref().unwrap_or("?");
        let Some(i) = of_new[j] else {
            out.push(
                ChangeKind::Added,
                it,
                Some(&format!("mapping '{dest}'")),
                Some(paths::mapping(at, j, None)),
                None,
                Some(render::mapping(nm)),
            );
            continue;
        };
        let om = &old[i];
        if om == nm {
            continue;
        }
        let field = |f: &str| format!("mapping '{dest}' / {f}");
        let json = |k: &str| Some(paths::mapping(at, j, Some(k)));
        if om.flow_type != nm.flow_type {
            let s = |f: &Option<syncpolicy_model::enums::FlowType>| {
                f.as_ref().map(|f| f.as_str().to_owned())
            };
            out.push(
                ChangeKind::Modified,
                it,
                Some(&field("flow type")),
                json(mk[0]),
                s(&om.flow_type),
                s(&nm.flow_type),
            );
        }
        if om.merge_type != nm.merge_type {
            out.push(
                ChangeKind::Modified,
                it,
                Some(&field("merge type")),
                json(mk[1]),
                Some(om.merge_type.as_str().to_owned()),
                Some(nm.merge_type.as_str().to_owned()),
            );
        }
        if om.execute_once != nm.execute_once {
            out.push(
                ChangeKind::Modified,
                it,
                Some(&field("apply once")),
                json(mk[2]),
                Some(om.execute_once.to_string()),
                Some(nm.execute_once.to_string()),
            );
            out.typed(ValueType::Boolean);
        }
        if sources(om) != sources(nm) {
            out.push(
                ChangeKind::Modified,
                it,
                Some(&field("source")),
                json(mk[4]),
                text(&om.source),
                text(&nm.source),
            );
        }
        if om.expression.trim() != nm.expression.trim() {
            out.push(
                ChangeKind::Modified,
                it,
                Some(&field("expression")),
                json(mk[5]),
                text(&om.expression),
                text(&nm.expression),
            );
        }
        if om.value != nm.value {
            out.push(
                ChangeKind::Modified,
                it,
                Some(&field("value")),
                json(mk[6]),
                text(&om.value),
                text(&nm.value),
            );
        }
        if om.preserved != nm.preserved {
            let mit = Item {
                label: format!("{} / mapping '{dest}'", it.label),
                json: Some(paths::mapping(at, j, None)),
                ..it.clone()
            };
            out.preserved(&mit, &om.preserved, &nm.preserved);
        }
    }
    for i in removed {
        let om = &old[i];
        out.push(
            ChangeKind::Removed,
            it,
            Some(&format!(
                "mapping '{}'",
                om.destination.as_deref().unwrap_or("?")
            )),
            None,
            Some(render::mapping(om)),
            None,
        );
    }
}

/// Adds the grouped product entry (standard-rule renumbering and tag bumps), if any.
pub(crate) fn finish_product_group(out: &mut Out) {
    let g = std::mem::take(&mut out.product);
    if g.renumbered.is_empty() && g.bumped.is_empty() {
        return;
    }
    let mut what = Vec::new();
    if !g.renumbered.is_empty() {
        what.push(format!("{} renumbered", g.renumbered.len()));
    }
    if !g.bumped.is_empty() {
        what.push(format!("{} tag versions bumped", g.bumped.len()));
    }
    let range = |r: Option<(i32, i32)>| r.map(|(a, b)| format!("precedence {a}-{b}"));
    let side = |r: Option<(i32, i32)>, tags: &str| {
        let mut parts: Vec<String> = range(r).into_iter().collect();
        if !g.bumped.is_empty() {
            parts.push(tags.to_owned());
        }
        Some(parts.join("; "))
    };
    let mut it = Item::new(
        Area::Rules,
        ChangeClass::Product,
        format!(
            "standard rules ({}; product upgrade or connector change)",
            what.join(", ")
        ),
    );
    it.standard = true;
    let kind = if g.bumped.is_empty() {
        ChangeKind::Moved
    } else {
        ChangeKind::Modified
    };
    out.push(
        kind,
        &it,
        None,
        None,
        side(g.old_range, "earlier tag versions"),
        side(g.new_range, "newer tag versions"),
    );
    if let Some(last) = out.changes.last_mut() {
        last.details = g.renumbered.into_iter().chain(g.bumped).collect();
    }
}
