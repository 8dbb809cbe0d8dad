//! Writeback (outbound rules to an on-premises directory, run when Entra objects are given):
//! Merge and MergeCaseInsensitive flows add to the values the directory object already holds,
//! as the out-of-box `proxyAddresses += "x500:" & [cloudLegacyExchangeDN]` does
//! (`declarative-provisioning.md` §3.5); Update flows replace them.

use crate::support::*;
use syncpolicy_expr::value::Value;
use syncpolicy_model::enums::{LinkType, MergeType};
use syncpolicy_sync::{ExportOutcome, Options, Simulation, Simulator};

const DN: &str = "CN=John Doe,OU=Users,DC=contoso,DC=com";

/// The minimal configuration plus `mail` to the metaverse and an outbound rule to AD that
/// flows `"smtp:" & [mail]` to `proxyAddresses` and `"x500:/o=Contoso/cn=" & [cn]` to
/// `otherMailbox`, with the given merge type, and `"Updated " & [cn]` to `info` (Update).
fn simulate(merge_type: MergeType) -> Simulation {
    let mut c = config();
    minimal(&mut c);
    c.onpremises_directories[0].standard_rules[0]
        .mappings
        .push(direct("mail", "mail"));
    let mut out = rule(
        "Out to AD - User Exchange Hybrid",
        false,
        "person",
        "user",
        LinkType::Join,
        50,
    );
    out.join_groups = vec![vec![join("objectSid", "objectSid")]];
    out.mappings = vec![
        merge(
            expression("proxyAddresses", "\"smtp:\" & [mail]"),
            merge_type.clone(),
        ),
        merge(
            expression("otherMailbox", "\"x500:/o=Contoso/cn=\" & [cn]"),
            merge_type,
        ),
        expression("info", "\"Updated \" & [cn]"),
    ];
    c.onpremises_directories[0].standard_rules.push(out);
    let o = user(
        DN,
        &[
            ("cn", "John Doe"),
            ("objectSid", "S-1-5-21-1"),
            ("mail", "jdoe@contoso.com"),
            ("proxyAddresses", "SMTP:JDoe@contoso.com"),
            ("proxyAddresses", "smtp:john.doe@contoso.com"),
            ("info", "old note"),
        ],
    );
    Simulator::new(
        &c,
        Options {
            writeback: true,
            ..Options::default()
        },
    )
    .run(vec![o])
}

fn exported(sim: &Simulation, name: &str) -> Option<Vec<String>> {
    let m = result(sim, DN).metaverse.expect("projected") as usize;
    let outcomes = &sim.writeback[m];
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    let ExportOutcome::Exported(e) = &outcomes[0] else {
        panic!("not exported: {:?}", outcomes[0]);
    };
    assert!(e.existing);
    e.attributes
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.value.values().iter().map(Value::to_string).collect())
}

#[test]
fn merge_case_insensitive_adds_to_the_existing_values_without_case_duplicates() {
    let sim = simulate(MergeType::MergeCaseInsensitive);
    // `smtp:jdoe@contoso.com` is `SMTP:JDoe@contoso.com` but for case: nothing added.
    assert_eq!(
        exported(&sim, "proxyAddresses"),
        Some(vec![
            "SMTP:JDoe@contoso.com".to_owned(),
            "smtp:john.doe@contoso.com".to_owned()
        ])
    );
    // An attribute the object does not hold: the contributed value alone.
    assert_eq!(
        exported(&sim, "otherMailbox"),
        Some(vec!["x500:/o=Contoso/cn=John Doe".to_owned()])
    );
    // Update replaces.
    assert_eq!(
        exported(&sim, "info"),
        Some(vec!["Updated John Doe".to_owned()])
    );
}

#[test]
fn merge_adds_to_the_existing_values_case_sensitively() {
    let sim = simulate(MergeType::Merge);
    assert_eq!(
        exported(&sim, "proxyAddresses"),
        Some(vec![
            "SMTP:JDoe@contoso.com".to_owned(),
            "smtp:john.doe@contoso.com".to_owned(),
            "smtp:jdoe@contoso.com".to_owned()
        ])
    );
}

#[test]
fn update_replaces_the_existing_values() {
    let sim = simulate(MergeType::Update);
    assert_eq!(
        exported(&sim, "proxyAddresses"),
        Some(vec!["smtp:jdoe@contoso.com".to_owned()])
    );
}
