//! Properties: impact(a, a) is empty; the streamed impact that shares work between the sides is
//! the impact of two full runs; results do not depend on the order of the objects nor on how a
//! directory's objects were split across files; `simulate --summary` counted in one pass
//! where the objects do not meet is the summary of the full run.

use crate::support::*;
use proptest::prelude::*;
use syncpolicy_expr::value::Value;
use syncpolicy_model::enums::LinkType;
use syncpolicy_sync::{impact, Options, Origin, Simulation, Simulator, SourceInput};

fn generated(n: usize, seed: u64) -> Vec<SourceInput> {
    let ous = ["Sales", "HR", "Old", "IT"];
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|i| {
            let ou = ous[(next() % 4) as usize];
            let dn = format!("CN=user{i},OU={ou},{ROOT}");
            let sid = format!("S-1-5-{}", next() % (n as u64 / 2 + 1));
            let mut o = user(
                &dn,
                &[
                    ("cn", &format!("user{i}")),
                    ("objectSid", &sid),
                    ("department", ou),
                    ("mail", &format!("u{}@c.com", next() % 7)),
                ],
            );
            o.origin = Origin {
                file: 0,
                line: i + 1,
            };
            // Some objects have many mail values (more join keys than the join phase's
            // preparation keeps hashes of), some of them shared.
            if next() % 3 == 0 {
                let values = (0..2 + next() % 12)
                    .map(|_| Value::Str(format!("u{}@c.com", next() % 7)))
                    .collect();
                o.object.insert("mail", Value::Multi(values));
            }
            o
        })
        .collect()
}

fn configured(seed: u64) -> syncpolicy_model::config::Configuration {
    let mut c = config();
    minimal(&mut c);
    c.onpremises_directories[0].partitions[0]
        .exclusions
        .push(format!("OU=Old,{ROOT}"));
    c.onpremises_directories[0].standard_rules[0]
        .join_groups
        .push(vec![join("mail", "mail")]);
    let mut r = rule(
        "Custom",
        true,
        "user",
        "person",
        LinkType::Join,
        50 + (seed % 40) as i32,
    );
    r.scope_groups = vec![vec![clause(
        "department",
        if seed % 2 == 0 { "EQUAL" } else { "NOTEQUAL" },
        "HR",
    )]];
    r.mappings = vec![
        constant(
            "cloudFiltered",
            if seed % 3 == 0 { "True" } else { "False" },
        ),
        direct("mail", "mail"),
    ];
    c.onpremises_directories[0].custom_rules.push(r);
    c
}

/// A comparable digest of a simulation: per object, its filter, join, errors, metaverse and
/// Entra attributes.
fn digest(sim: &Simulation) -> Vec<String> {
    sim.objects
        .iter()
        .map(|o| {
            let mv = o
                .metaverse
                .map(|m| format!("{:?}", sim.metaverse[m as usize].attributes));
            let entra = sim.entra_of(o).map(|e| format!("{e:?}"));
            format!(
                "{} {:?} {:?} {:?} {mv:?} {entra:?} {:?}",
                o.dn,
                o.filter,
                o.join,
                o.errors,
                sim.not_provisioned_reason(o)
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn impact_of_a_configuration_against_itself_is_empty(seed in 0u64..1000, n in 1usize..40) {
        let c = configured(seed);
        let a = run(&c, generated(n, seed));
        let b = run(&c, generated(n, seed));
        let i = impact(&c, &a, &c, &b);
        prop_assert!(i.is_empty());
        prop_assert!(i.runs.is_empty());
    }

    #[test]
    fn impact_streamed_with_shared_work_is_the_impact_of_two_runs(seed in 0u64..1000, n in 1usize..40, pick in 0usize..64) {
        // One rule's scope differs (the case `impact` shares work for), or none.
        let old = configured(seed);
        let mut new = old.clone();
        let mut scoped: Vec<&mut syncpolicy_model::rule::SyncRule> = new
            .onpremises_directories
            .iter_mut()
            .flat_map(|d| d.standard_rules.iter_mut().chain(d.custom_rules.iter_mut()))
            .chain(new.azure_directory.standard_rules.iter_mut())
            .filter(|r| r.scope_groups.first().is_some_and(|g| !g.is_empty()))
            .collect();
        let k = scoped.len();
        if k > 0 {
            scoped[pick % k].scope_groups[0][0].value = "a value no object has".into();
        }
        let objects = generated(n, seed);
        let full = impact(&old, &run(&old, objects.clone()), &new, &run(&new, objects.clone()));
        prop_assert_eq!(crate::impact::paired(&old, &new, &objects), full.clone());
        prop_assert_eq!(crate::impact::paired_single(&old, &new, &objects), full);
    }

    #[test]
    fn a_summary_in_one_pass_is_the_summary_of_the_full_run(seed in 0u64..1000, n in 1usize..40, dup in 0usize..40, batch in 1usize..9) {
        // Shared mail values join objects and make ambiguous joins; a copy of one object is a
        // duplicate DN.
        let c = configured(seed);
        let mut objects = generated(n, seed);
        let mut copy = objects[dup % n].clone();
        copy.origin = Origin { file: 1, line: 1 };
        objects.push(copy);
        let full = run(&c, objects.clone());
        let simulator = Simulator::new(&c, Options::default());
        let groups = syncpolicy_sync::scope::Groups::new();
        // A second pass by DN is given those objects only (as the LDIF reader reads them)
        // or, on odd batch sizes, every object (as JSON Lines are read).
        let (single, stats) = syncpolicy_sync::run_summary(&simulator, &groups, |pass, sink| {
            let dns = match pass {
                syncpolicy_sync::SummaryPass::Complete { dns: Some(dns) } if batch % 2 == 0 => Some(dns),
                _ => None,
            };
            for chunk in objects.chunks(batch) {
                sink(chunk.iter().filter(|o| dns.is_none_or(|d| d.contains(&o.dn))).cloned().collect());
            }
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap_or_else(|never| match never {})
        .expect("the same objects in both passes");
        prop_assert_eq!(&single.summary, &full.summary());
        prop_assert_eq!(single.objects, objects.len());
        // The duplicate at least is counted again.
        prop_assert!(stats.completed_again >= 1);
    }

    #[test]
    fn results_do_not_depend_on_object_order(seed in 0u64..1000, n in 1usize..40, rot in 0usize..40) {
        let c = configured(seed);
        let objects = generated(n, seed);
        let mut shuffled = objects.clone();
        shuffled.reverse();
        let k = rot % shuffled.len();
        shuffled.rotate_left(k);
        prop_assert_eq!(digest(&run(&c, objects)), digest(&run(&c, shuffled)));
    }

    #[test]
    fn results_do_not_depend_on_splitting_across_files(seed in 0u64..1000, n in 2usize..40, cut in 1usize..39) {
        let c = configured(seed);
        let objects = generated(n, seed);
        let cut = cut % n;
        // The second part is read as another file, listed first.
        let mut split: Vec<SourceInput> = objects[cut..].iter().cloned().enumerate().map(|(i, mut o)| {
            o.origin = Origin { file: 1, line: i + 1 };
            o
        }).collect();
        split.extend(objects[..cut].iter().cloned());
        prop_assert_eq!(digest(&run(&c, objects)), digest(&run(&c, split)));
    }
}
