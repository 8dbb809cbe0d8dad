//! Impact of a configuration change: the exact objects added, deleted and updated, the
//! deletion threshold, the runs needed (`sync-engine.md` A.3).

use crate::support::*;
use syncpolicy_model::config::Configuration;
use syncpolicy_model::enums::LinkType;
use syncpolicy_sync::impact::Action;
use syncpolicy_sync::{
    impact, run_pair, run_pair_single, Impact, ObjectsChanged, Options, PairPass, PairRun,
    PairSide, Pass, Side, Simulator, SourceInput,
};

fn objects() -> Vec<SourceInput> {
    vec![
        user(
            &format!("CN=a,OU=Sales,{ROOT}"),
            &[("cn", "a"), ("objectSid", "S-1"), ("department", "Sales")],
        ),
        user(
            &format!("CN=b,OU=Sales,{ROOT}"),
            &[("cn", "b"), ("objectSid", "S-2"), ("department", "Sales")],
        ),
        user(
            &format!("CN=c,OU=HR,{ROOT}"),
            &[("cn", "c"), ("objectSid", "S-3"), ("department", "HR")],
        ),
    ]
}

fn base() -> Configuration {
    let mut c = config();
    minimal(&mut c);
    c
}

fn compare(old: &Configuration, new: &Configuration) -> Impact {
    compare_on(old, new, objects())
}

/// The impact of two full runs, checked against `impact`'s streamed pass 2 over both sides at
/// once ([`run_pair`], in batches of 2), which must give the same.
fn compare_on(old: &Configuration, new: &Configuration, objects: Vec<SourceInput>) -> Impact {
    let a = run(old, objects.clone());
    let b = run(new, objects.clone());
    let full = impact(old, &a, new, &b);
    assert_eq!(
        paired(old, new, &objects),
        full,
        "the paired streamed impact"
    );
    assert_eq!(
        paired_single(old, new, &objects),
        full,
        "the impact in one pass where the objects do not meet"
    );
    full
}

/// [`run_pair_single`] over `objects` in batches of 3; a second pass by DN is given only the
/// objects of those DNs, as the LDIF reader reads them.
pub(crate) fn paired_single(
    old: &Configuration,
    new: &Configuration,
    objects: &[SourceInput],
) -> Impact {
    paired_single_with(old, new, objects, 3, Options::default())
}

/// [`paired_single`] in batches of `batch`, with `options`.
pub(crate) fn paired_single_with(
    old: &Configuration,
    new: &Configuration,
    objects: &[SourceInput],
    batch: usize,
    options: Options,
) -> Impact {
    let (a, b) = (
        Simulator::new(old, options.clone()),
        Simulator::new(new, options),
    );
    let groups = syncpolicy_sync::scope::Groups::new();
    let side = |config, simulator| PairSide {
        config,
        simulator,
        groups: &groups,
    };
    run_pair_single(
        side(old, &a),
        side(new, &b),
        |o| o.directory,
        |pass, sink| {
            let dns = match pass {
                PairPass::Complete { dns: Some(dns) } => Some(dns),
                _ => None,
            };
            for chunk in objects.chunks(batch) {
                sink(
                    chunk
                        .iter()
                        .filter(|o| dns.is_none_or(|d| d.contains(&o.dn)))
                        .cloned()
                        .collect(),
                );
            }
            Ok::<(), ObjectsChanged>(())
        },
    )
    .and_then(PairRun::finish)
    .expect("every object completes")
}

pub(crate) fn paired(old: &Configuration, new: &Configuration, objects: &[SourceInput]) -> Impact {
    let (a, b) = (
        Simulator::new(old, Options::default()),
        Simulator::new(new, Options::default()),
    );
    let groups = syncpolicy_sync::scope::Groups::new();
    let side = |config, simulator| PairSide {
        config,
        simulator,
        groups: &groups,
    };
    run_pair(
        side(old, &a),
        side(new, &b),
        true,
        |o| o.directory,
        |_, sink| {
            for chunk in objects.chunks(2) {
                sink(chunk.to_vec());
            }
            Ok::<(), ObjectsChanged>(())
        },
    )
    .and_then(PairRun::finish)
    .expect("every object completes")
}

fn dns(i: &Impact, action: Action) -> Vec<String> {
    i.changes
        .iter()
        .filter(|c| c.action == action)
        .map(|c| c.dn.clone())
        .collect()
}

#[test]
fn a_configuration_against_itself_has_no_impact() {
    let c = base();
    let i = compare(&c, &c);
    assert!(i.is_empty());
    assert!(i.runs.is_empty());
}

#[test]
fn objects_that_change_between_the_passes_are_an_error_not_an_impact() {
    let c = base();
    let (a, b) = (
        Simulator::new(&c, Options::default()),
        Simulator::new(&c, Options::default()),
    );
    let groups = syncpolicy_sync::scope::Groups::new();
    let side = |simulator| PairSide {
        config: &c,
        simulator,
        groups: &groups,
    };
    let all = objects();
    let mut passes = Vec::new();
    let run = run_pair(
        side(&a),
        side(&b),
        true,
        |o| o.directory,
        |pass, sink| {
            passes.push(pass);
            // Pass 2 reads one object fewer than pass 1 planned (a file written meanwhile).
            let n = if pass == Pass::Compare {
                all.len() - 1
            } else {
                all.len()
            };
            sink(all[..n].to_vec());
            Ok::<(), ObjectsChanged>(())
        },
    )
    .expect("the reads succeed");
    assert_eq!(run.finish().unwrap_err(), ObjectsChanged);
    // One light plan serves both sides of the same configuration.
    assert_eq!(
        passes,
        [
            Pass::Plan {
                side: Side::Old,
                full: false
            },
            Pass::Compare
        ]
    );
}

#[test]
fn an_error_reading_the_objects_ends_the_run_with_it() {
    let c = base();
    let a = Simulator::new(&c, Options::default());
    let groups = syncpolicy_sync::scope::Groups::new();
    let side = PairSide {
        config: &c,
        simulator: &a,
        groups: &groups,
    };
    let mut calls = 0;
    let run = run_pair(
        side,
        side,
        true,
        |o| o.directory,
        |_, _| {
            calls += 1;
            Err("unreadable")
        },
    );
    assert_eq!(run.err(), Some("unreadable"));
    assert_eq!(calls, 1);
}

#[test]
fn renaming_identifiers_only_is_no_impact() {
    let old = base();
    let mut new = base();
    for r in new.onpremises_directories[0]
        .standard_rules
        .iter_mut()
        .chain(new.azure_directory.standard_rules.iter_mut())
    {
        r.internal_identifier = format!("{}-renamed", r.internal_identifier);
        r.unique_identifier = Some("9a0b8c7d-0000-4000-8000-000000000001".into());
    }
    let i = compare(&old, &new);
    assert!(i.is_empty());
    assert!(i.runs.is_empty(), "{:?}", i.runs);
}

#[test]
fn an_ou_exclusion_deletes_exactly_the_objects_below_it() {
    let old = base();
    let mut new = base();
    new.onpremises_directories[0].partitions[0]
        .exclusions
        .push(format!("OU=Sales,{ROOT}"));
    let i = compare(&old, &new);
    assert_eq!(
        dns(&i, Action::Delete),
        vec![
            format!("CN=a,OU=Sales,{ROOT}"),
            format!("CN=b,OU=Sales,{ROOT}")
        ]
    );
    assert_eq!(i.count(Action::Add) + i.count(Action::Update), 0);
    assert_eq!(i.by_type["user"], [0, 2, 0]);
    let runs: Vec<(&str, &str)> = i
        .runs
        .iter()
        .map(|r| (r.directory.as_str(), r.run))
        .collect();
    assert_eq!(
        runs,
        vec![
            ("contoso.com", "Full Import"),
            ("contoso.com", "Delta Synchronization")
        ]
    );
    assert!(i.changes[0]
        .reason
        .as_deref()
        .unwrap_or("")
        .contains("excluded container"));
}

/// The base configuration with an inbound Join rule `name` (in scope for the Sales
/// department, setting `attribute` to `value`), and the same with its scope changed to HR.
fn sales_to_hr(name: &str, attribute: &str, value: &str) -> (Configuration, Configuration) {
    let mut old = base();
    let mut r = rule(name, true, "user", "person", LinkType::Join, 50);
    r.scope_groups = vec![vec![clause("department", "EQUAL", "Sales")]];
    r.mappings = vec![constant(attribute, value)];
    old.onpremises_directories[0].custom_rules.push(r);
    let mut new = old.clone();
    new.onpremises_directories[0].custom_rules[0].scope_groups =
        vec![vec![clause("department", "EQUAL", "HR")]];
    (old, new)
}

/// Two settings files written by syncpolicy differ in their recorded digests (and may in
/// their policy metadata and accepted findings), which say nothing of what a synchronization
/// does: read back from their text, a scope change still shares the plan and the staging.
#[test]
fn files_that_differ_in_their_digests_still_share_the_work() {
    let (old, mut new) = sales_to_hr("Custom dept", "displayName", "Sales person");
    new.policy_metadata.author = Some("someone else".into());
    let read_back = |c: &Configuration| {
        syncpolicy_json::read_settings(&syncpolicy_json::write_settings(c), "f.json")
            .expect("reads what was written")
    };
    let (old_file, new_file) = (read_back(&old), read_back(&new));
    assert!(old_file.extension.recorded_digest.is_some());
    assert_ne!(
        old_file.extension.recorded_digest,
        new_file.extension.recorded_digest
    );
    let o = Options::default();
    let (a, b) = (
        Simulator::new(&old_file, o.clone()),
        Simulator::new(&new_file, o.clone()),
    );
    let differs = a.scope_differences(&b).expect("only a scope differs");
    assert_eq!(differs.iter().filter(|d| **d).count(), 1);
    assert!(a.same_light_plan(&b));
    // The same files with nothing but their digests apart: nothing differs.
    let mut same = new_file.clone();
    same.onpremises_directories[0].custom_rules[0].scope_groups =
        old_file.onpremises_directories[0].custom_rules[0]
            .scope_groups
            .clone();
    let c = Simulator::new(&same, o.clone());
    assert_eq!(a.scope_differences(&c), Some(vec![false; differs.len()]));
    // A change beyond scoping filters is still seen.
    let mut other = new_file.clone();
    other.onpremises_directories[0].custom_rules[0].precedence = 51;
    assert_eq!(a.scope_differences(&Simulator::new(&other, o)), None);
    // And the impact of the files is the impact of the configurations.
    assert_eq!(
        format!("{:?}", compare(&old_file, &new_file).changes),
        format!("{:?}", compare(&old, &new).changes)
    );
}

#[test]
fn a_scoping_clause_change_changes_exactly_its_objects() {
    let (old, new) = sales_to_hr("Custom dept", "displayName", "Sales person");
    // The rule neither links nor flows into a join attribute: one plan serves both sides.
    let o = Options::default();
    assert!(Simulator::new(&old, o.clone()).same_light_plan(&Simulator::new(&new, o)));
    let i = compare(&old, &new);
    let updated = dns(&i, Action::Update);
    assert_eq!(
        updated,
        vec![
            format!("CN=a,OU=Sales,{ROOT}"),
            format!("CN=b,OU=Sales,{ROOT}"),
            format!("CN=c,OU=HR,{ROOT}")
        ]
    );
    let a = &i.changes[0];
    assert_eq!(a.attributes.len(), 1);
    assert_eq!(a.attributes[0].name, "displayName");
    assert_eq!(
        a.attributes[0]
            .old
            .as_ref()
            .map(|v| v.to_string())
            .as_deref(),
        Some("Sales person")
    );
    assert_eq!(
        a.attributes[0]
            .new
            .as_ref()
            .map(|v| v.to_string())
            .as_deref(),
        Some("a")
    );
    // The rules responsible: the inbound rule that set the metaverse value, then the outbound
    // rule that exported it.
    assert_eq!(
        a.attributes[0].old_rules,
        vec!["Custom dept".to_owned(), "Out person".to_owned()]
    );
    assert_eq!(
        a.attributes[0].new_rules,
        vec!["In user join".to_owned(), "Out person".to_owned()]
    );
    assert_eq!(
        i.runs.iter().map(|r| r.run).collect::<Vec<_>>(),
        vec!["Full Synchronization"]
    );
}

#[test]
fn disabling_a_rule_reverts_its_values() {
    let mut old = base();
    let mut r = rule("Custom dept", true, "user", "person", LinkType::Join, 50);
    r.scope_groups = vec![vec![clause("department", "EQUAL", "HR")]];
    r.mappings = vec![constant("displayName", "HR person")];
    old.onpremises_directories[0].custom_rules.push(r);
    let mut new = old.clone();
    new.onpremises_directories[0].custom_rules[0].disabled = true;
    let i = compare(&old, &new);
    assert_eq!(dns(&i, Action::Update), vec![format!("CN=c,OU=HR,{ROOT}")]);
}

#[test]
fn a_cloud_filtered_rule_deletes_its_objects_and_the_threshold_stops_it() {
    let mut old = base();
    old.azure_directory.export_deletion_limit = "1".into();
    let mut new = old.clone();
    let mut f = rule(
        "Custom filter Sales",
        true,
        "user",
        "person",
        LinkType::Join,
        50,
    );
    f.scope_groups = vec![vec![clause("department", "EQUAL", "Sales")]];
    f.mappings = vec![constant("cloudFiltered", "True")];
    new.onpremises_directories[0].custom_rules.push(f);
    let i = compare(&old, &new);
    assert_eq!(
        dns(&i, Action::Delete),
        vec![
            format!("CN=a,OU=Sales,{ROOT}"),
            format!("CN=b,OU=Sales,{ROOT}")
        ]
    );
    assert_eq!(i.deletion_threshold, Some(1));
    assert!(i.exceeds_threshold());
    assert_eq!(
        i.threshold_message().as_deref(),
        Some("would stop: 2 deletions exceed the threshold of 1")
    );
    // Not over the threshold: no message.
    new.azure_directory.export_deletion_limit = "500".into();
    let i = compare(&old, &new);
    assert!(!i.exceeds_threshold());
    assert_eq!(i.threshold_message(), None);
}

#[test]
fn removing_an_exclusion_adds_objects() {
    let mut old = base();
    old.onpremises_directories[0].partitions[0]
        .exclusions
        .push(format!("OU=HR,{ROOT}"));
    let new = base();
    let i = compare(&old, &new);
    assert_eq!(dns(&i, Action::Add), vec![format!("CN=c,OU=HR,{ROOT}")]);
}

#[test]
fn an_outbound_scoping_clause_change_changes_exactly_its_objects() {
    // Only the outbound rule's scope differs: staging is shared, the exports are not.
    let old = base();
    let mut new = base();
    new.azure_directory.standard_rules[0].scope_groups = vec![vec![
        clause("cloudFiltered", "NOTEQUAL", "True"),
        clause("displayName", "NOTEQUAL", "c"),
    ]];
    let i = compare(&old, &new);
    assert_eq!(dns(&i, Action::Delete), vec![format!("CN=c,OU=HR,{ROOT}")]);
    assert_eq!(i.changes.len(), 1);
}

#[test]
fn a_scoping_change_that_moves_an_object_out_of_its_join_rule_is_seen() {
    // The scope of the rule that provisions differs: objects out of it on one side are
    // disconnectors there (deleted), the others are the same on both sides (shared).
    let old = base();
    let mut new = base();
    new.onpremises_directories[0].standard_rules[0].scope_groups =
        vec![vec![clause("department", "NOTEQUAL", "Sales")]];
    // The rule that differs provisions: each side plans its own joins.
    let o = Options::default();
    assert!(!Simulator::new(&old, o.clone()).same_light_plan(&Simulator::new(&new, o)));
    let i = compare(&old, &new);
    assert_eq!(
        dns(&i, Action::Delete),
        vec![
            format!("CN=a,OU=Sales,{ROOT}"),
            format!("CN=b,OU=Sales,{ROOT}")
        ]
    );
    // And back: the same objects are added.
    let i = compare(&new, &old);
    assert_eq!(dns(&i, Action::Add).len(), 2);
}

#[test]
fn a_scoping_change_of_a_rule_flowing_into_a_join_attribute_plans_each_side() {
    // A rule that flows into `objectSid` (which the join condition reads) in scope on one side
    // only can change the joins: one plan may not serve both sides.
    let (old, new) = sales_to_hr("Custom sid", "objectSid", "S-9");
    let o = Options::default();
    assert!(!Simulator::new(&old, o.clone()).same_light_plan(&Simulator::new(&new, o)));
    compare(&old, &new);
}

/// One DN in two directories: a deletion in the second names its reason after NEW's result
/// of the first object with that DN (the first directory's), so neither is compared alone;
/// with origins that increase, the second pass reads them by DN.
#[test]
fn a_deletion_names_the_reason_of_the_first_object_with_its_dn() {
    let mut c = base();
    c.onpremises_directories.push(directory(
        "fabrikam.com",
        "22222222-2222-2222-2222-222222222222",
        ROOT,
    ));
    let rule = c.onpremises_directories[0].standard_rules[0].clone();
    c.onpremises_directories[1].standard_rules.push(rule);
    let mut new = c.clone();
    // NEW filters the first directory's OU and changes nothing in the second but the rule's
    // join attribute, so that the second's object is not provisioned.
    new.onpremises_directories[0].partitions[0]
        .exclusions
        .push(format!("OU=Sales,{ROOT}"));
    new.onpremises_directories[1].standard_rules[0].join_groups =
        vec![vec![join("employeeID", "employeeID")]];
    let dn = format!("CN=a,OU=Sales,{ROOT}");
    let mut objects = vec![
        user(&dn, &[("cn", "a"), ("objectSid", "S-1")]),
        in_dir(user(&dn, &[("cn", "a2"), ("objectSid", "S-9")]), 1),
        user(
            &format!("CN=c,OU=HR,{ROOT}"),
            &[("cn", "c"), ("objectSid", "S-3")],
        ),
    ];
    for (i, o) in objects.iter_mut().enumerate() {
        o.origin = syncpolicy_sync::Origin {
            file: u32::from(i == 1),
            line: i + 1,
        };
    }
    let i = compare_on(&c, &new, objects);
    let deleted = dns(&i, Action::Delete);
    assert_eq!(deleted.len(), 2, "{:?}", i.changes);
}
