//! Incremental validation (`check_since`: the prior findings kept when a change touched
//! nothing the rules read) against checking everything, over random sequences of edits of
//! parts the rules read (rules, identity mapping, metaverse, directories, Entra filters) and
//! of parts they do not (metadata, deletion threshold, staging, Exchange, writeback), and of
//! the accepted findings (which SP071 judges against the other findings).

use proptest::prelude::*;
use syncpolicy_lint::{check, check_since, same_for_check};
use syncpolicy_model::config::Configuration;
use syncpolicy_samples::generate::{generate, GenerateOptions};

fn start() -> Configuration {
    generate(&GenerateOptions {
        forests: 2,
        custom_rules_per_forest: 4,
        ous_per_domain: 2,
        seed: 3,
    })
}

/// Applies edit `kind` at positions chosen by `a`, `b`.
fn edit(c: &mut Configuration, kind: u8, a: usize, b: usize) {
    let dirs = c.onpremises_directories.len();
    match kind % 15 {
        // What the rules do not read.
        0 => c.azure_directory.export_deletion_limit = format!("{}", a % 5000),
        1 => c.policy_metadata.author = Some(format!("author {a}")),
        2 => c.extension.staging_mode = Some(a % 2 == 0),
        3 => c.exchange.hybrid_deployment = !c.exchange.hybrid_deployment,
        4 => c.password_writeback = !c.password_writeback,
        5 => c.deployment_metadata.service_account = format!("svc{b}"),
        // What they read, including edits that make or remove findings.
        6 => {
            let d = &mut c.onpremises_directories[a % dirs];
            if !d.custom_rules.is_empty() {
                let i = b % d.custom_rules.len();
                d.custom_rules[i].name = if b % 2 == 0 {
                    None
                } else {
                    Some(format!("r{b}"))
                };
            }
        }
        7 => {
            let d = &mut c.onpremises_directories[a % dirs];
            if !d.custom_rules.is_empty() {
                let i = b % d.custom_rules.len();
                d.custom_rules[i].precedence = (b % 120) as i32;
            }
        }
        8 => {
            c.identity_mapping.user_matching_policy =
                Some(if a % 2 == 0 { "Bogus" } else { "None" }.to_owned());
        }
        9 => {
            if let Some(m) = c.metaverse_extensions.attributes.get_mut(b % 7) {
                m.data_type = Some(if a % 2 == 0 { "Banana" } else { "String" }.to_owned());
            }
        }
        10 => c.onpremises_directories[a % dirs].name = format!("forest{b}.example"),
        11 => {
            let apps = &mut c
                .azure_directory
                .exported_attributes
                .application_restrictions;
            if a % 2 == 0 {
                apps.push("Bogus App".to_owned());
            } else {
                apps.clear();
            }
        }
        12 => {
            let d = &mut c.onpremises_directories[a % dirs];
            let n = d.standard_rules.len().max(1);
            if let Some(r) = d.standard_rules.get_mut(b % n) {
                r.disabled = !r.disabled;
                r.description = format!("edited {b}");
            }
        }
        // Accepted findings: SP071 reports those that accept nothing.
        13 => {
            if a % 3 == 0 {
                c.extension.accepted_findings.clear();
            } else {
                c.extension
                    .accepted_findings
                    .push(syncpolicy_model::extension::AcceptedFinding {
                        code: ["SP010", "SP011", "SP008", "SP999"][b % 4].to_owned(),
                        rule: (a % 2 == 0).then(|| format!("r{b}")),
                        reason: "r".to_owned(),
                        ..Default::default()
                    });
            }
        }
        _ => {
            let d = &mut c.onpremises_directories[a % dirs];
            if let Some(r) = d.custom_rules.first().cloned() {
                d.custom_rules.push(r);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn incremental_validation_finds_what_a_full_check_finds(
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..10)
    ) {
        let mut before = start();
        let mut findings = check(&before);
        for (kind, a, b) in edits {
            let mut after = before.clone();
            edit(&mut after, kind, a, b);
            let got = check_since(&before, &findings, &after);
            prop_assert_eq!(&got, &check(&after), "after edit {} at {}/{}", kind % 14, a, b);
            findings = got;
            before = after;
        }
    }
}

#[test]
fn a_change_the_rules_do_not_read_keeps_the_findings_and_one_they_read_does_not() {
    let before = start();
    let mut after = before.clone();
    after.azure_directory.export_deletion_limit = "4321".to_owned();
    after.policy_metadata.author = Some("someone else".to_owned());
    assert!(same_for_check(&before, &after));
    let mut edited = after.clone();
    edited.onpremises_directories[0].custom_rules[0].name = None;
    assert!(!same_for_check(&after, &edited));
    let findings = check(&after);
    let got = check_since(&after, &findings, &edited);
    assert_eq!(got, check(&edited));
    assert!(got.len() > findings.len(), "the nameless rule is reported");
}
