//! Comparison of sets of sets (scope groups of clauses, join groups of conditions): groups
//! are paired by equal content first, then by largest overlap; within a pair, clauses are
//! compared as sets and an added and a removed clause on the same attribute are reported as
//! one modified clause.

use std::collections::BTreeSet;

/// One difference between two lists of groups; indices are 0-based positions in the old or
/// new list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GroupChange {
    GroupAdded {
        new: usize,
    },
    GroupRemoved {
        old: usize,
    },
    ItemAdded {
        new_group: usize,
        new_item: usize,
    },
    ItemRemoved {
        old_group: usize,
        old_item: usize,
        new_group: usize,
    },
    ItemModified {
        old_group: usize,
        old_item: usize,
        new_group: usize,
        new_item: usize,
    },
}

/// Compares two lists of groups as sets of sets. `key` gives an item's identity (equal keys:
/// the same clause); `anchor` what pairs a removed and an added item into a modification
/// (the attribute).
pub(crate) fn compare<T, K, A>(
    old: &[Vec<T>],
    new: &[Vec<T>],
    key: impl Fn(&T) -> K,
    anchor: impl Fn(&T) -> A,
) -> Vec<GroupChange>
where
    K: Ord,
    A: PartialEq,
{
    let old_sets: Vec<BTreeSet<K>> = old.iter().map(|g| g.iter().map(&key).collect()).collect();
    let new_sets: Vec<BTreeSet<K>> = new.iter().map(|g| g.iter().map(&key).collect()).collect();
    let mut old_used = vec![false; old.len()];
    let mut pair_of_new: Vec<Option<usize>> = vec![None; new.len()];
    // Equal groups first (a multiset: each old group pairs once).
    for (j, ns) in new_sets.iter().enumerate() {
        if let Some(i) = (0..old.len()).find(|&i| !old_used[i] && old_sets[i] == *ns) {
            old_used[i] = true;
            pair_of_new[j] = Some(i);
        }
    }
    let exact: Vec<bool> = pair_of_new.iter().map(Option::is_some).collect();
    // Then the largest overlap, ties to the lowest old position.
    for (j, ns) in new_sets.iter().enumerate() {
        if pair_of_new[j].is_some() {
            continue;
        }
        let best = (0..old.len())
            .filter(|&i| !old_used[i])
            .map(|i| (old_sets[i].intersection(ns).count(), i))
            .filter(|(n, _)| *n > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((_, i)) = best {
            old_used[i] = true;
            pair_of_new[j] = Some(i);
        }
    }
    let mut out = Vec::new();
    for (j, pair) in pair_of_new.iter().enumerate() {
        let Some(i) = *pair else {
            out.push(GroupChange::GroupAdded { new: j });
            continue;
        };
        if exact[j] {
            continue;
        }
        let removed: Vec<usize> = first_of_each(&old[i], &key)
            .into_iter()
            .filter(|&c| !new_sets[j].contains(&key(&old[i][c])))
            .collect();
        let added: Vec<usize> = first_of_each(&new[j], &key)
            .into_iter()
            .filter(|&c| !old_sets[i].contains(&key(&new[j][c])))
            .collect();
        let mut removed_used = vec![false; removed.len()];
        for &a in &added {
            let anchor_new = anchor(&new[j][a]);
            let partner = (0..removed.len())
                .find(|&r| !removed_used[r] && anchor(&old[i][removed[r]]) == anchor_new);
            match partner {
                Some(r) => {
                    removed_used[r] = true;
                    out.push(GroupChange::ItemModified {
                        old_group: i,
                        old_item: removed[r],
                        new_group: j,
                        new_item: a,
                    });
                }
                None => out.push(GroupChange::ItemAdded {
                    new_group: j,
                    new_item: a,
                }),
            }
        }
        for (r, &c) in removed.iter().enumerate() {
            if !removed_used[r] {
                out.push(GroupChange::ItemRemoved {
                    old_group: i,
                    old_item: c,
                    new_group: j,
                });
            }
        }
    }
    for (i, used) in old_used.iter().enumerate() {
        if !used {
            out.push(GroupChange::GroupRemoved { old: i });
        }
    }
    out
}

/// Positions of the first item of each distinct key (a group is a set: repeats collapse).
fn first_of_each<T, K: Ord>(items: &[T], key: &impl Fn(&T) -> K) -> Vec<usize> {
    let mut seen = BTreeSet::new();
    (0..items.len())
        .filter(|&i| seen.insert(key(&items[i])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &&str) -> String {
        s.to_string()
    }
    fn a(s: &&str) -> char {
        s.chars().next().unwrap_or(' ')
    }

    #[test]
    fn reordered_groups_and_clauses_are_equal() {
        let old = vec![vec!["a1", "b1"], vec!["c1"]];
        let new = vec![vec!["c1"], vec!["b1", "a1"]];
        assert!(compare(&old, &new, k, a).is_empty());
    }

    #[test]
    fn a_changed_clause_is_one_modification() {
        let old = vec![vec!["a1", "b1"], vec!["c1"]];
        let new = vec![vec!["c1"], vec!["a1", "b2"]];
        assert_eq!(
            compare(&old, &new, k, a),
            vec![GroupChange::ItemModified {
                old_group: 0,
                old_item: 1,
                new_group: 1,
                new_item: 1
            }]
        );
    }

    #[test]
    fn disjoint_groups_are_added_and_removed() {
        let old = vec![vec!["a1"]];
        let new = vec![vec!["b1"]];
        assert_eq!(
            compare(&old, &new, k, a),
            vec![
                GroupChange::GroupAdded { new: 0 },
                GroupChange::GroupRemoved { old: 0 }
            ]
        );
    }
}
