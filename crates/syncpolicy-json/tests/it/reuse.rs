//! Writing with a [`WriteCache`] (only the rules and sections a change touched written again)
//! against writing everything: byte for byte the same over random sequences of edits
//! (rules changed, added, removed, moved between lists and directories, directories added
//! and removed, unknown keys, strings that need escaping), and unchanged rules are copied.

use proptest::prelude::*;
use syncpolicy_json::{write_settings, write_settings_reusing, WriteCache};
use syncpolicy_model::config::Configuration;
use syncpolicy_model::rule::SyncRule;
use syncpolicy_samples::generate::{generate, GenerateOptions};

fn start() -> Configuration {
    let mut c = generate(&GenerateOptions {
        forests: 2,
        custom_rules_per_forest: 6,
        ous_per_domain: 2,
        seed: 5,
    });
    // Azure custom rules too, so that rules move between depths.
    let r = c.onpremises_directories[0].custom_rules[0].clone();
    c.azure_directory.custom_rules.push(r);
    c
}

/// The rule lists of a configuration, Entra's first.
fn lists(c: &mut Configuration) -> Vec<&mut Vec<SyncRule>> {
    let mut out = vec![
        &mut c.azure_directory.standard_rules,
        &mut c.azure_directory.custom_rules,
    ];
    for d in &mut c.onpremises_directories {
        out.push(&mut d.standard_rules);
        out.push(&mut d.custom_rules);
    }
    out
}

/// Applies edit `kind` (at positions chosen by `a`, `b`) with text `s`.
fn edit(c: &mut Configuration, kind: u8, a: usize, b: usize, s: &str) {
    match kind % 10 {
        0 => c.azure_directory.export_deletion_limit = s.to_owned(),
        1 => c.policy_metadata.author = Some(s.to_owned()),
        2 => {
            let mut l = lists(c);
            let n = l.len();
            let list = &mut l[a % n];
            if !list.is_empty() {
                let i = b % list.len();
                list[i].description = s.to_owned();
            }
        }
        3 => {
            // A copy of a rule somewhere else (other list, other depth).
            let mut l = lists(c);
            let n = l.len();
            let from = a % n;
            if let Some(r) = l[from].get(b % l[from].len().max(1)).cloned() {
                let to = (a / 3 + 1) % n;
                let at = b % (l[to].len() + 1);
                l[to].insert(at, r);
            }
        }
        4 => {
            let mut l = lists(c);
            let n = l.len();
            let list = &mut l[a % n];
            if !list.is_empty() {
                let i = b % list.len();
                list.remove(i);
            }
        }
        5 => {
            let mut l = lists(c);
            let n = l.len();
            let list = &mut l[a % n];
            if !list.is_empty() {
                let i = b % list.len();
                let raw = format!("[{}, {{\"k\": true}}]", b % 1000);
                list[i].preserved.push(format!("x{}", s.len()), raw, b % 16);
            }
        }
        6 => {
            if !c.onpremises_directories.is_empty() {
                let i = a % c.onpremises_directories.len();
                let d = c.onpremises_directories[i].clone();
                c.onpremises_directories
                    .insert(b % (c.onpremises_directories.len() + 1), d);
            }
        }
        7 => {
            if c.onpremises_directories.len() > 1 {
                let i = a % c.onpremises_directories.len();
                c.onpremises_directories.remove(i);
            }
        }
        8 => {
            let mut l = lists(c);
            let n = l.len();
            let list = &mut l[a % n];
            if !list.is_empty() {
                let i = b % list.len();
                list[i].precedence = (b % 200) as i32;
                list[i].disabled = !list[i].disabled;
            }
        }
        _ => c.extension.staging_mode = Some(a % 2 == 0),
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,12}",
        "\\PC{0,8}",
        Just("quote \" back \\ tab \t nl \n ctrl \u{1}".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn reusing_writes_what_a_full_write_gives(
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), text()), 1..12)
    ) {
        let mut cache = WriteCache::default();
        let mut previous = start();
        prop_assert_eq!(&*write_settings_reusing(&previous, None, &mut cache), &write_settings(&previous));
        for (kind, a, b, s) in edits {
            let mut next = previous.clone();
            edit(&mut next, kind, a, b, &s);
            let got = write_settings_reusing(&next, Some(&previous), &mut cache);
            let full = write_settings(&next);
            prop_assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&full),
                "after edit {} at {}/{}", kind % 10, a, b
            );
            previous = next;
        }
    }
}

#[test]
fn a_change_outside_the_rules_copies_every_rule() {
    let mut cache = WriteCache::default();
    let before = start();
    let rules = before.rule_count();
    drop(write_settings_reusing(&before, None, &mut cache));
    assert_eq!(
        cache.last_write(),
        (rules, 0),
        "a first write writes every rule"
    );
    let mut after = before.clone();
    after.azure_directory.export_deletion_limit = "1234".to_owned();
    let bytes = write_settings_reusing(&after, Some(&before), &mut cache);
    assert_eq!(*bytes, write_settings(&after));
    assert_eq!(cache.last_write(), (0, rules), "no rule is written again");
    // One rule edited: that one is written, the others copied.
    let mut third = after.clone();
    third.onpremises_directories[1].custom_rules[2].description = "edited".to_owned();
    let bytes = write_settings_reusing(&third, Some(&after), &mut cache);
    assert_eq!(*bytes, write_settings(&third));
    assert_eq!(cache.last_write(), (1, rules - 1));
}

#[test]
fn a_cache_given_another_previous_configuration_reuses_nothing_it_should_not() {
    // The contract is that `previous` is what the cache was written from; given nothing, no
    // text is reused even when the cache is full.
    let mut cache = WriteCache::default();
    let a = start();
    drop(write_settings_reusing(&a, None, &mut cache));
    let mut b = a.clone();
    b.onpremises_directories[0].standard_rules[0].description = "other".to_owned();
    let bytes = write_settings_reusing(&b, None, &mut cache);
    assert_eq!(*bytes, write_settings(&b));
    assert_eq!(cache.last_write().1, 0);
}

#[test]
fn an_equal_rule_that_moves_to_another_depth_is_written_at_its_depth() {
    // The last Entra rule and the first rule of the first directory are equal; removing the
    // Entra one puts the directory's copy (one level deeper) at its place in the order.
    let mut before = start();
    let r = before.onpremises_directories[0].standard_rules[0].clone();
    before.azure_directory.custom_rules.push(r);
    let mut cache = WriteCache::default();
    drop(write_settings_reusing(&before, None, &mut cache));
    let mut after = before.clone();
    after.azure_directory.custom_rules.pop();
    let bytes = write_settings_reusing(&after, Some(&before), &mut cache);
    assert_eq!(
        String::from_utf8_lossy(&bytes),
        String::from_utf8_lossy(&write_settings(&after))
    );
}
