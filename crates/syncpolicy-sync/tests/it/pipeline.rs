//! Join, projection, precedence, merge types, execute-once, object errors and the outbound
//! rules, each against `declarative-provisioning.md` §3.4-§3.8 and §4.4.

use crate::support::*;
use syncpolicy_expr::value::Value;
use syncpolicy_model::config::Configuration;
use syncpolicy_model::enums::{LinkType, MergeType};
use syncpolicy_sync::{ExportOutcome, JoinOutcome};

/// Two forests: `contoso.com` (created first) and `fabrikam.com`, each with a user projection
/// rule joining on objectSid and on msExchMasterAccountSid (both ways, as the out-of-box user
/// join does), and a Join rule flowing `displayName` at the given precedences.
fn two_forests(contoso_prec: i32, fabrikam_prec: i32) -> Configuration {
    let mut c = config();
    c.onpremises_directories.push(directory(
        "fabrikam.com",
        "22222222-2222-2222-2222-222222222222",
        "DC=fabrikam,DC=com",
    ));
    for (i, prec) in [(0, contoso_prec), (1, fabrikam_prec)] {
        let mut r = rule(
            &format!("In user join {i}"),
            true,
            "user",
            "person",
            LinkType::Provision,
            100 + i as i32,
        );
        r.join_groups = vec![
            vec![join("objectSid", "objectSid")],
            vec![join("msExchMasterAccountSid", "objectSid")],
            vec![join("objectSid", "msExchMasterAccountSid")],
        ];
        r.mappings = vec![
            direct("objectSid", "objectSid"),
            direct("msExchMasterAccountSid", "msExchMasterAccountSid"),
        ];
        c.onpremises_directories[i].standard_rules.push(r);
        let mut g = rule(
            &format!("In user common {i}"),
            true,
            "user",
            "person",
            LinkType::Join,
            prec,
        );
        g.mappings = vec![direct("displayName", "displayName"), direct("cn", "cn")];
        c.onpremises_directories[i].standard_rules.push(g);
    }
    let mut o = rule(
        "Out person",
        false,
        "person",
        "user",
        LinkType::Provision,
        300,
    );
    o.mappings = vec![
        direct("displayName", "displayName"),
        expression("dn", "\"CN=\" & [cn]"),
    ];
    c.azure_directory.standard_rules.push(o);
    c
}

#[test]
fn account_and_resource_forest_join_in_either_input_order() {
    // dp §4.4 fixture 7: the linked mailbox joins the account-forest user via
    // msExchMasterAccountSid = objectSid; the groups are tried top to bottom.
    let c = two_forests(110, 111);
    let account = in_dir(
        user(
            "CN=jdoe,DC=contoso,DC=com",
            &[
                ("objectSid", "S-1-5-21-1"),
                ("displayName", "John (account)"),
                ("cn", "jdoe"),
            ],
        ),
        0,
    );
    let mailbox = in_dir(
        user(
            "CN=jdoe,DC=fabrikam,DC=com",
            &[
                ("objectSid", "S-1-5-21-9"),
                ("msExchMasterAccountSid", "S-1-5-21-1"),
                ("displayName", "John (mailbox)"),
                ("cn", "jdoe"),
            ],
        ),
        1,
    );
    for objects in [
        vec![account.clone(), mailbox.clone()],
        vec![mailbox.clone(), account.clone()],
    ] {
        let sim = run(&c, objects);
        assert_eq!(sim.metaverse.len(), 1, "one person");
        let a = result(&sim, "CN=jdoe,DC=contoso,DC=com");
        let m = result(&sim, "CN=jdoe,DC=fabrikam,DC=com");
        assert_eq!(a.metaverse, m.metaverse);
        assert!(
            matches!(a.join, JoinOutcome::Projected { .. }),
            "contoso was created first: {:?}",
            a.join
        );
        assert!(
            matches!(m.join, JoinOutcome::Joined { group: 1, .. }),
            "{:?}",
            m.join
        );
        // Precedence 110 (contoso) beats 111 (fabrikam).
        assert_eq!(
            mv_attr(&sim, "CN=jdoe,DC=contoso,DC=com", "displayName").as_deref(),
            Some("John (account)")
        );
    }
}

#[test]
fn lowest_precedence_number_wins_across_forests() {
    // dp §3.6: precedence orders rules across connectors ("mailbox forest wins GAL attributes").
    let c = two_forests(111, 110);
    let sim = run(
        &c,
        vec![
            in_dir(
                user(
                    "CN=jdoe,DC=contoso,DC=com",
                    &[("objectSid", "S-1"), ("displayName", "account")],
                ),
                0,
            ),
            in_dir(
                user(
                    "CN=jdoe,DC=fabrikam,DC=com",
                    &[
                        ("objectSid", "S-9"),
                        ("msExchMasterAccountSid", "S-1"),
                        ("displayName", "mailbox"),
                    ],
                ),
                1,
            ),
        ],
    );
    assert_eq!(
        mv_attr(&sim, "CN=jdoe,DC=contoso,DC=com", "displayName").as_deref(),
        Some("mailbox")
    );
    assert_eq!(
        mv_rule(&sim, "CN=jdoe,DC=contoso,DC=com", "displayName").as_deref(),
        Some("In user common 1")
    );
}

#[test]
fn equal_precedence_ties_go_to_connector_creation_order() {
    // A.3: "the creation order (date/time) of the Connectors (forests) is used".
    let mut c = two_forests(110, 110);
    let sim = run(
        &c,
        vec![
            in_dir(
                user(
                    "CN=jdoe,DC=contoso,DC=com",
                    &[("objectSid", "S-1"), ("displayName", "contoso")],
                ),
                0,
            ),
            in_dir(
                user(
                    "CN=jdoe,DC=fabrikam,DC=com",
                    &[
                        ("objectSid", "S-9"),
                        ("msExchMasterAccountSid", "S-1"),
                        ("displayName", "fabrikam"),
                    ],
                ),
                1,
            ),
        ],
    );
    assert_eq!(
        mv_attr(&sim, "CN=jdoe,DC=contoso,DC=com", "displayName").as_deref(),
        Some("contoso")
    );
    assert!(!result(&sim, "CN=jdoe,DC=contoso,DC=com")
        .engine_dependent
        .is_empty());
    // Fabrikam created first (recorded connector order): fabrikam wins the tie.
    c.extension.connector_order = vec![
        "22222222-2222-2222-2222-222222222222".into(),
        "11111111-1111-1111-1111-111111111111".into(),
    ];
    let sim = run(
        &c,
        vec![
            in_dir(
                user(
                    "CN=jdoe,DC=contoso,DC=com",
                    &[("objectSid", "S-1"), ("displayName", "contoso")],
                ),
                0,
            ),
            in_dir(
                user(
                    "CN=jdoe,DC=fabrikam,DC=com",
                    &[
                        ("objectSid", "S-9"),
                        ("msExchMasterAccountSid", "S-1"),
                        ("displayName", "fabrikam"),
                    ],
                ),
                1,
            ),
        ],
    );
    assert_eq!(
        mv_attr(&sim, "CN=jdoe,DC=contoso,DC=com", "displayName").as_deref(),
        Some("fabrikam")
    );
}

#[test]
fn projection_needs_a_join_attribute_and_join_rules_never_project() {
    // dp §3.4: Provision projects only "if at least one attribute in the join criteria is
    // present"; Join leaves the object disjoined.
    let mut c = config();
    minimal(&mut c);
    // Foreign security principals of the resource forest stand for account-forest users.
    let fabrikam = "DC=fabrikam,DC=com";
    c.onpremises_directories.push(directory(
        "fabrikam.com",
        "22222222-2222-2222-2222-222222222222",
        fabrikam,
    ));
    let mut fsp = rule(
        "In fsp",
        true,
        "foreignSecurityPrincipal",
        "*",
        LinkType::Join,
        118,
    );
    fsp.join_groups = vec![vec![join("objectSid", "objectSid")]];
    c.onpremises_directories[1].standard_rules.push(fsp);
    let no_sid = format!("CN=nosid,{ROOT}");
    let fsp_dn = format!("CN=S-1-5-21-7,CN=ForeignSecurityPrincipals,{fabrikam}");
    let fsp_match = format!("CN=S-1-5-21-1,CN=ForeignSecurityPrincipals,{fabrikam}");
    let u = format!("CN=u,{ROOT}");
    let sim = run(
        &c,
        vec![
            in_dir(
                object(
                    &fsp_match,
                    &["top", "foreignSecurityPrincipal"],
                    &[("objectSid", "S-1-5-21-1")],
                ),
                1,
            ),
            user(&no_sid, &[("cn", "nosid")]),
            in_dir(
                object(
                    &fsp_dn,
                    &["top", "foreignSecurityPrincipal"],
                    &[("objectSid", "S-1-5-21-7")],
                ),
                1,
            ),
            user(&u, &[("cn", "u"), ("objectSid", "S-1-5-21-1")]),
        ],
    );
    assert!(matches!(
        result(&sim, &no_sid).join,
        JoinOutcome::NotJoined { .. }
    ));
    assert!(matches!(
        result(&sim, &fsp_dn).join,
        JoinOutcome::NotJoined { .. }
    ));
    // The FSP joins the user whatever the input order: join-only objects go after projections.
    assert!(matches!(
        result(&sim, &fsp_match).join,
        JoinOutcome::Joined { .. }
    ));
    assert_eq!(
        result(&sim, &fsp_match).metaverse,
        result(&sim, &u).metaverse
    );
    assert!(sim
        .not_provisioned_reason(result(&sim, &no_sid))
        .unwrap()
        .contains("no attribute of the join conditions"));
}

#[test]
fn two_join_rules_in_scope_is_an_object_error() {
    // dp §3.4 / §4.4 fixture 18: exactly one in-scope rule with join conditions may apply.
    let mut c = config();
    minimal(&mut c);
    let mut r = rule(
        "Second join",
        true,
        "user",
        "person",
        LinkType::Provision,
        50,
    );
    r.join_groups = vec![vec![join("mail", "mail")]];
    c.onpremises_directories[0].custom_rules.push(r);
    let dn = format!("CN=u,{ROOT}");
    let sim = run(
        &c,
        vec![user(
            &dn,
            &[("cn", "u"), ("objectSid", "S-1"), ("mail", "u@c.com")],
        )],
    );
    let o = result(&sim, &dn);
    assert!(
        o.errors[0].contains("more than one rule with join conditions"),
        "{:?}",
        o.errors
    );
    assert!(o.metaverse.is_none());
}

#[test]
fn two_objects_of_one_directory_on_one_metaverse_object_is_ambiguous() {
    // dp §3.2: an MV object never links two CS objects of one connector space.
    let mut c = config();
    minimal(&mut c);
    c.onpremises_directories[0].standard_rules[0]
        .join_groups
        .push(vec![join("mail", "mail")]);
    c.onpremises_directories[0].standard_rules[0]
        .mappings
        .push(direct("mail", "mail"));
    let a = format!("CN=a,{ROOT}");
    let b = format!("CN=b,{ROOT}");
    let sim = run(
        &c,
        vec![
            user(
                &a,
                &[("cn", "a"), ("objectSid", "S-1"), ("mail", "x@c.com")],
            ),
            user(
                &b,
                &[("cn", "b"), ("objectSid", "S-2"), ("mail", "x@c.com")],
            ),
        ],
    );
    assert!(result(&sim, &a).errors.is_empty());
    assert!(
        result(&sim, &b).errors[0].contains("ambiguous"),
        "{:?}",
        result(&sim, &b).errors
    );
}

/// One user projected by rule 100; custom rules added by the test.
fn precedence_config(extra: Vec<syncpolicy_model::rule::SyncRule>) -> Configuration {
    let mut c = config();
    let mut r = rule("In join", true, "user", "person", LinkType::Provision, 100);
    r.join_groups = vec![vec![join("objectSid", "objectSid")]];
    r.mappings = vec![direct("objectSid", "objectSid")];
    c.onpremises_directories[0].standard_rules.push(r);
    let mut common = rule("In common", true, "user", "person", LinkType::Join, 106);
    common.mappings = vec![
        expression("extensionAttribute1", "Trim([extensionAttribute1])"),
        direct("department", "department"),
        merge(
            direct("proxyAddresses", "proxyAddresses"),
            MergeType::MergeCaseInsensitive,
        ),
        merge(direct("otherMailbox", "otherMailbox"), MergeType::Merge),
    ];
    c.onpremises_directories[0].standard_rules.push(common);
    c.onpremises_directories[0].custom_rules.extend(extra);
    c
}

const U: &str = "CN=u,DC=contoso,DC=com";

fn u() -> syncpolicy_sync::SourceInput {
    user(
        U,
        &[
            ("objectSid", "S-1"),
            ("extensionAttribute1", " x "),
            ("department", "HR"),
            ("proxyAddresses", "SMTP:u@c.com"),
            ("otherMailbox", "a@c.com"),
        ],
    )
}

#[test]
fn authoritative_null_clears_and_null_lets_a_lower_rule_contribute() {
    // dp §4.4 fixture 13.
    let mut an = rule("Custom AN", true, "user", "person", LinkType::Join, 50);
    an.mappings = vec![expression("extensionAttribute1", "AuthoritativeNull")];
    let sim = run(&precedence_config(vec![an]), vec![u()]);
    assert_eq!(mv_attr(&sim, U, "extensionAttribute1"), None);
    let mut null = rule("Custom NULL", true, "user", "person", LinkType::Join, 50);
    null.mappings = vec![expression("extensionAttribute1", "NULL")];
    let sim = run(&precedence_config(vec![null]), vec![u()]);
    assert_eq!(
        mv_attr(&sim, U, "extensionAttribute1").as_deref(),
        Some("x")
    );
    assert_eq!(
        mv_rule(&sim, U, "extensionAttribute1").as_deref(),
        Some("In common")
    );
}

#[test]
fn ignore_this_flow_skips_and_a_higher_rule_wins() {
    let mut ig = rule("Custom ignore", true, "user", "person", LinkType::Join, 50);
    ig.mappings = vec![expression("department", "IgnoreThisFlow")];
    let mut win = rule("Custom win", true, "user", "person", LinkType::Join, 60);
    win.mappings = vec![constant("department", "Sales")];
    let sim = run(&precedence_config(vec![ig, win]), vec![u()]);
    assert_eq!(mv_attr(&sim, U, "department").as_deref(), Some("Sales"));
    assert_eq!(
        mv_rule(&sim, U, "department").as_deref(),
        Some("Custom win")
    );
}

#[test]
fn merge_types_take_the_union() {
    // dp §3.5: Merge is the union without duplicates; MergeCaseInsensitive treats SMTP:x and
    // smtp:x as duplicates.
    let mut m = rule("Custom merge", true, "user", "person", LinkType::Join, 50);
    m.mappings = vec![
        merge(
            constant("proxyAddresses", "smtp:u@c.com"),
            MergeType::MergeCaseInsensitive,
        ),
        merge(constant("otherMailbox", "A@c.com"), MergeType::Merge),
    ];
    let sim = run(&precedence_config(vec![m]), vec![u()]);
    assert_eq!(
        mv_attr(&sim, U, "proxyAddresses").as_deref(),
        Some("smtp:u@c.com")
    );
    assert_eq!(
        mv_attr(&sim, U, "otherMailbox").as_deref(),
        Some("A@c.com\na@c.com")
    );
    assert_eq!(
        mv_rule(&sim, U, "otherMailbox").as_deref(),
        Some("Custom merge,In common")
    );
}

#[test]
fn mixing_update_and_merge_is_an_error() {
    // dp §3.5: every in-scope rule must use the same merge type for an attribute.
    let mut m = rule("Custom update", true, "user", "person", LinkType::Join, 50);
    m.mappings = vec![constant("proxyAddresses", "SMTP:other@c.com")];
    let sim = run(&precedence_config(vec![m]), vec![u()]);
    assert!(result(&sim, U)
        .errors
        .iter()
        .any(|e| e.contains("different merge types for attribute `proxyAddresses`")));
}

#[test]
fn execute_once_flows_apply_when_the_target_is_created() {
    // dp §3.5 apply once: set only when the target object is first created (projection here;
    // outbound, not on an existing Entra object).
    let mut once = rule("Custom once", true, "user", "person", LinkType::Join, 50);
    let mut m = constant("cloudCreated", "False");
    m.execute_once = true;
    once.mappings = vec![m];
    let sim = run(&precedence_config(vec![once]), vec![u()]);
    assert_eq!(mv_attr(&sim, U, "cloudCreated").as_deref(), Some("False"));
}

#[test]
fn error_function_is_an_object_error_and_stops_the_object() {
    // A.3: Error("...") surfaces as sync-rule-error-function-triggered.
    let mut e = rule("Custom error", true, "user", "person", LinkType::Join, 50);
    e.mappings = vec![expression("userPrincipalName", "IIF(IsPresent([userPrincipalName]), [userPrincipalName], Error(\"AccountName is not present\"))")];
    let mut c = precedence_config(vec![e]);
    let mut o = rule(
        "Out person",
        false,
        "person",
        "user",
        LinkType::Provision,
        300,
    );
    o.mappings = vec![direct("objectSid", "onPremiseSecurityIdentifier")];
    c.azure_directory.standard_rules.push(o);
    let sim = run(&c, vec![u()]);
    let r = result(&sim, U);
    assert_eq!(r.errors, vec!["sync-rule-error-function-triggered: `AccountName is not present` (rule `Custom error`, attribute `userPrincipalName`)".to_owned()]);
    assert!(r.metaverse.is_none());
    assert_eq!(
        sim.not_provisioned_reason(r).as_deref(),
        Some("object error")
    );
}

#[test]
fn outbound_cloud_filtered_is_not_provisioned_and_says_which_rule_set_it() {
    // dp §4.4 fixture 11: a custom negative filter sets cloudFiltered = True; Out to AAD is
    // scoped `cloudFiltered NOTEQUAL True`.
    let mut c = config();
    minimal(&mut c);
    let mut f = rule("Custom NoSync", true, "user", "person", LinkType::Join, 50);
    f.scope_groups = vec![vec![clause("extensionAttribute15", "EQUAL", "NoSync")]];
    f.mappings = vec![constant("cloudFiltered", "True")];
    c.onpremises_directories[0].custom_rules.push(f);
    let a = format!("CN=a,{ROOT}");
    let b = format!("CN=b,{ROOT}");
    let sim = run(
        &c,
        vec![
            user(
                &a,
                &[
                    ("cn", "a"),
                    ("objectSid", "S-1"),
                    ("extensionAttribute15", "NoSync"),
                ],
            ),
            user(&b, &[("cn", "b"), ("objectSid", "S-2")]),
        ],
    );
    assert!(!is_exported(&sim, &a));
    let why = sim.not_provisioned_reason(result(&sim, &a)).unwrap();
    assert!(
        why.contains("[cloudFiltered NOTEQUAL True]") && why.contains("set by `Custom NoSync`"),
        "{why}"
    );
    assert!(is_exported(&sim, &b));
    assert_eq!(entra_attr(&sim, &b, "dn").as_deref(), Some("CN=b"));
    assert_eq!(entra_attr(&sim, &b, "displayName").as_deref(), Some("b"));
    match sim.entra_of(result(&sim, &b)) {
        Some(ExportOutcome::Exported(e)) => assert_eq!(e.object_type, "user"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn outbound_ignore_this_flow_leaves_the_attribute_out_and_null_clears_it() {
    // dp §4.4 fixture 14.
    let mut c = config();
    minimal(&mut c);
    c.azure_directory.standard_rules[0]
        .mappings
        .push(expression(
            "usageLocation",
            "IIF(IsNullOrEmpty([usageLocation]),IgnoreThisFlow,[usageLocation])",
        ));
    let dn = format!("CN=a,{ROOT}");
    let sim = run(&c, vec![user(&dn, &[("cn", "a"), ("objectSid", "S-1")])]);
    assert!(is_exported(&sim, &dn));
    assert_eq!(entra_attr(&sim, &dn, "usageLocation"), None);
}

#[test]
fn positive_filter_syncs_only_sales() {
    // dp §4.4 fixture 12: rule 51 (department EQUAL Sales) -> cloudFiltered False; rule 99
    // (empty scope) -> cloudFiltered True.
    let mut c = config();
    minimal(&mut c);
    let mut sales = rule("Sales only", true, "user", "person", LinkType::Join, 51);
    sales.scope_groups = vec![vec![clause("department", "EQUAL", "Sales")]];
    sales.mappings = vec![constant("cloudFiltered", "False")];
    let mut rest = rule("Everyone else", true, "user", "person", LinkType::Join, 99);
    rest.mappings = vec![constant("cloudFiltered", "True")];
    c.onpremises_directories[0]
        .custom_rules
        .extend([sales, rest]);
    let a = format!("CN=a,{ROOT}");
    let b = format!("CN=b,{ROOT}");
    let sim = run(
        &c,
        vec![
            user(
                &a,
                &[("cn", "a"), ("objectSid", "S-1"), ("department", "Sales")],
            ),
            user(
                &b,
                &[("cn", "b"), ("objectSid", "S-2"), ("department", "HR")],
            ),
        ],
    );
    assert!(is_exported(&sim, &a));
    assert!(!is_exported(&sim, &b));
}

#[test]
fn join_no_flow_prevents_adds() {
    // A.3: JoinNoFlow "prevents object adds, object deletes, and non-reference attribute updates".
    let mut c = config();
    minimal(&mut c);
    c.azure_directory.standard_rules[0].link_type = Some(LinkType::JoinNoFlow);
    c.azure_directory.standard_rules[0].join_groups = vec![vec![join("objectSid", "objectSid")]];
    let dn = format!("CN=a,{ROOT}");
    let sim = run(&c, vec![user(&dn, &[("cn", "a"), ("objectSid", "S-1")])]);
    assert!(!is_exported(&sim, &dn));
    assert!(sim
        .not_provisioned_reason(result(&sim, &dn))
        .unwrap()
        .contains("JoinNoFlow"));
}

/// `Trim([name])` flows: a value Trim leaves as it is is taken as it is (staging moves it
/// instead of evaluating), and every other value is evaluated: trimmed, converted to text, or
/// an object error. One attribute read by two flows (the second also an expression) reaches
/// both.
#[test]
fn trim_flows_give_what_trim_gives_on_every_kind_of_value() {
    let mut c = config();
    let mut r = rule("In join", true, "user", "person", LinkType::Provision, 100);
    r.join_groups = vec![vec![join("objectSid", "objectSid")]];
    r.mappings = vec![
        direct("objectSid", "objectSid"),
        expression("givenName", "Trim([givenName])"),
        expression("sn", "Trim([sn])"),
        expression("otherTelephone", "Trim([otherTelephone])"),
        expression("otherMobile", "Trim([otherMobile])"),
        expression("info", "Trim([info])"),
        expression("snCopy", "[sn] & \"!\""),
        direct("sn", "snDirect"),
    ];
    c.onpremises_directories[0].standard_rules.push(r);
    let mut later = rule("In later", true, "user", "person", LinkType::Join, 110);
    later.mappings = vec![expression("sn", "Trim([sn])")];
    c.onpremises_directories[0].standard_rules.push(later);
    let dn = "CN=t,DC=contoso,DC=com";
    let mut input = user(
        dn,
        &[
            ("objectSid", "S-1"),
            ("givenName", " Ann "),
            ("sn", "Lee"),
            ("otherTelephone", "1"),
            ("otherTelephone", "2"),
            ("otherMobile", "3"),
            ("otherMobile", " 4"),
            ("info", ""),
        ],
    );
    let sim = run(&c, vec![input.clone()]);
    assert_eq!(mv_attr(&sim, dn, "givenName").as_deref(), Some("Ann"));
    assert_eq!(mv_attr(&sim, dn, "sn").as_deref(), Some("Lee"));
    assert_eq!(mv_rule(&sim, dn, "sn").as_deref(), Some("In join"));
    assert_eq!(mv_attr(&sim, dn, "snCopy").as_deref(), Some("Lee!"));
    assert_eq!(mv_attr(&sim, dn, "snDirect").as_deref(), Some("Lee"));
    let phones = &sim.metaverse[result(&sim, dn).metaverse.expect("projected") as usize];
    assert_eq!(
        phones.get("otherTelephone").map(|a| a.value.clone()),
        Some(Value::Multi(vec![
            Value::Str("1".to_owned()),
            Value::Str("2".to_owned())
        ]))
    );
    assert_eq!(
        phones.get("otherMobile").map(|a| a.value.clone()),
        Some(Value::Multi(vec![
            Value::Str("3".to_owned()),
            Value::Str("4".to_owned())
        ]))
    );
    assert_eq!(mv_attr(&sim, dn, "info"), None);
    assert!(result(&sim, dn).errors.is_empty());
    // A number comes back as text; binary is a type error, of both Trim flows of `sn`.
    input.object.insert("givenName", Value::Num(7));
    input.object.insert("sn", Value::Bin(vec![1, 2]));
    let sim = run(&c, vec![input]);
    let o = result(&sim, dn);
    let trim_errors = o
        .errors
        .iter()
        .filter(|e| e.contains("attribute `sn`"))
        .count();
    assert_eq!(trim_errors, 2, "{:?}", o.errors);
    assert!(o.metaverse.is_none());
}
