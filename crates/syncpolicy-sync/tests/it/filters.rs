//! Connector filters, each against `sync-engine.md` A.2 (Microsoft's ADSyncSingleObjectSync.ps1
//! scoping checks, `[K-sos-ps]`; `[K-filter]`).

use crate::support::*;
use syncpolicy_model::config::Partition;
use syncpolicy_sync::filter::FilterKind;

fn kind(sim: &syncpolicy_sync::Simulation, dn: &str) -> Option<FilterKind> {
    result(sim, dn).filter.as_ref().map(|f| f.kind)
}

#[test]
fn domain_must_be_a_selected_partition() {
    // A.2 Domain filter: the substring from the first DC= must equal a partition's DN.
    let mut c = config();
    minimal(&mut c);
    c.onpremises_directories[0].partitions.push(Partition {
        fqdn: Some("emea.contoso.com".into()),
        distinguished_name: Some("DC=emea,DC=contoso,DC=com".into()),
        selected: false,
        inclusions: vec!["DC=emea,DC=contoso,DC=com".into()],
        ..Partition::default()
    });
    let sim = run(
        &c,
        vec![
            user(
                "CN=a,OU=Sales,DC=Contoso,DC=com",
                &[("cn", "a"), ("objectSid", "S-1")],
            ),
            user("CN=b,DC=fabrikam,DC=com", &[("cn", "b")]),
            user("CN=c,DC=emea,DC=contoso,DC=com", &[("cn", "c")]),
            user("CN=d,OU=x", &[("cn", "d")]),
        ],
    );
    assert_eq!(
        kind(&sim, "CN=a,OU=Sales,DC=Contoso,DC=com"),
        None,
        "case-insensitive match"
    );
    assert_eq!(
        kind(&sim, "CN=b,DC=fabrikam,DC=com"),
        Some(FilterKind::Domain)
    );
    let c_reason = &result(&sim, "CN=c,DC=emea,DC=contoso,DC=com")
        .filter
        .as_ref()
        .unwrap()
        .reason;
    assert!(c_reason.contains("not selected"), "{c_reason}");
    assert_eq!(kind(&sim, "CN=d,OU=x"), Some(FilterKind::Domain));
}

#[test]
fn ou_filter_longest_match_wins_and_nested_inclusion_re_includes() {
    // A.2 OU filter: longest inclusion vs longest exclusion; an inclusion nested under an
    // exclusion re-includes its subtree.
    let mut c = config();
    minimal(&mut c);
    let p = &mut c.onpremises_directories[0].partitions[0];
    p.inclusions = vec![ROOT.into(), format!("OU=Keep,OU=Old,{ROOT}")];
    p.exclusions = vec![
        format!("OU=Old,{ROOT}"),
        format!("OU=Temp,OU=Keep,OU=Old,{ROOT}"),
    ];
    let dns = [
        format!("CN=u1,OU=Sales,{ROOT}"),
        format!("CN=u2,OU=Old,{ROOT}"),
        format!("CN=u3,OU=Keep,OU=Old,{ROOT}"),
        format!("CN=u4,OU=Temp,OU=Keep,OU=Old,{ROOT}"),
        "CN=u5,ou=keep,ou=old,dc=contoso,dc=com".to_owned(),
    ];
    let sim = run(
        &c,
        dns.iter()
            .map(|d| user(d, &[("cn", "x"), ("objectSid", d)]))
            .collect(),
    );
    assert_eq!(kind(&sim, &dns[0]), None);
    assert_eq!(kind(&sim, &dns[1]), Some(FilterKind::Ou));
    assert_eq!(kind(&sim, &dns[2]), None, "nested inclusion re-includes");
    assert_eq!(
        kind(&sim, &dns[3]),
        Some(FilterKind::Ou),
        "exclusion under the nested inclusion"
    );
    assert_eq!(kind(&sim, &dns[4]), None, "EndsWith is case-insensitive");
    let why = &result(&sim, &dns[1]).filter.as_ref().unwrap().reason;
    assert!(why.contains("OU=Old"), "{why}");
}

#[test]
fn ou_filter_nothing_matching_is_engine_dependent() {
    // A.2: neither list matching is [U]; our choice is recorded on the result.
    let mut c = config();
    minimal(&mut c);
    c.onpremises_directories[0].partitions[0].inclusions = vec![format!("OU=Sales,{ROOT}")];
    let dn = format!("CN=u,OU=HR,{ROOT}");
    let sim = run(&c, vec![user(&dn, &[("cn", "u")])]);
    assert_eq!(kind(&sim, &dn), Some(FilterKind::Ou));
    assert!(!result(&sim, &dn).engine_dependent.is_empty());
}

#[test]
fn object_type_is_the_last_object_class_value() {
    // A.2 Object type: the last value of objectClass must be in ObjectInclusionList.
    let mut c = config();
    minimal(&mut c);
    c.onpremises_directories[0].connector.object_types = Some(vec!["user".into(), "group".into()]);
    let computer = format!("CN=PC1,OU=Computers,{ROOT}");
    let u = format!("CN=u,{ROOT}");
    let sim = run(
        &c,
        vec![
            object(
                &computer,
                &["top", "person", "organizationalPerson", "user", "computer"],
                &[("cn", "PC1")],
            ),
            user(&u, &[("cn", "u"), ("objectSid", "S-1")]),
        ],
    );
    assert_eq!(result(&sim, &computer).object_type, "computer");
    assert_eq!(kind(&sim, &computer), Some(FilterKind::ObjectType));
    assert_eq!(kind(&sim, &u), None);
}

#[test]
fn group_filter_takes_direct_members_only() {
    // A.2 Group filter: the object's DN must be in the group's member values; direct only.
    let mut c = config();
    minimal(&mut c);
    let pilot = format!("CN=Pilot,OU=Groups,{ROOT}");
    let nested = format!("CN=Nested,OU=Groups,{ROOT}");
    c.onpremises_directories[0].group_filtering_dn = pilot.clone();
    let direct_member = format!("CN=direct,{ROOT}");
    let nested_member = format!("CN=nested,{ROOT}");
    let other = format!("CN=other,{ROOT}");
    let sim = run(
        &c,
        vec![
            object(
                &pilot,
                &["top", "group"],
                &[("member", &direct_member), ("member", &nested)],
            ),
            object(&nested, &["top", "group"], &[("member", &nested_member)]),
            user(&direct_member, &[("cn", "d"), ("objectSid", "S-1")]),
            user(&nested_member, &[("cn", "n"), ("objectSid", "S-2")]),
            user(&other, &[("cn", "o"), ("objectSid", "S-3")]),
        ],
    );
    assert_eq!(kind(&sim, &direct_member), None);
    assert_eq!(
        kind(&sim, &nested),
        None,
        "a direct member group is in scope"
    );
    assert_eq!(kind(&sim, &nested_member), Some(FilterKind::GroupFilter));
    assert_eq!(kind(&sim, &other), Some(FilterKind::GroupFilter));
    assert!(is_exported(&sim, &direct_member));
}

#[test]
fn attributes_not_imported_are_absent_and_warned_about() {
    // A.2 Attribute inclusion list: attributes not selected are never imported.
    let mut c = config();
    minimal(&mut c);
    c.onpremises_directories[0].connector.attribute_inclusions = Some(vec!["objectSid".into()]);
    let dn = format!("CN=u,{ROOT}");
    let sim = run(&c, vec![user(&dn, &[("cn", "u"), ("objectSid", "S-1")])]);
    assert_eq!(mv_attr(&sim, &dn, "cn"), None, "cn is not imported");
    assert_eq!(mv_attr(&sim, &dn, "objectSid").as_deref(), Some("S-1"));
    assert!(
        sim.warnings
            .iter()
            .any(|w| w.contains("`cn`") && w.contains("does not import")),
        "{:?}",
        sim.warnings
    );
    // The list's names in any case: `CN` imports `cn` (the schema spelling objects hold), and
    // a name in neither spelling stays absent.
    c.onpremises_directories[0].connector.attribute_inclusions =
        Some(vec!["objectSid".into(), "CN".into()]);
    let sim = run(&c, vec![user(&dn, &[("cn", "u"), ("objectSid", "S-1")])]);
    assert_eq!(mv_attr(&sim, &dn, "cn").as_deref(), Some("u"));
    c.onpremises_directories[0].connector.attribute_inclusions = Some(vec!["OBJECTSID".into()]);
    let sim = run(&c, vec![user(&dn, &[("cn", "u"), ("objectSid", "S-1")])]);
    assert_eq!(mv_attr(&sim, &dn, "cn"), None);
    assert_eq!(mv_attr(&sim, &dn, "objectSid").as_deref(), Some("S-1"));
}

#[test]
fn filters_apply_in_order_domain_first() {
    // "When you use multiple filtering methods, the filters use a logical AND" [K-filter];
    // the first failing check is the reason, in the diagnostics' order.
    let mut c = config();
    minimal(&mut c);
    c.onpremises_directories[0].connector.object_types = Some(vec!["group".into()]);
    c.onpremises_directories[0].partitions[0].exclusions = vec![format!("OU=X,{ROOT}")];
    let dn = format!("CN=u,OU=X,{ROOT}");
    let sim = run(&c, vec![user(&dn, &[("cn", "u")])]);
    assert_eq!(kind(&sim, &dn), Some(FilterKind::Ou));
}

#[test]
fn parameters_are_those_of_each_objects_partition() {
    // dp §2.4: `%Domain.FQDN%` and `%Domain.Netbios%` are the object's domain. A flow that reads
    // no attribute the objects hold (its result is kept per partition) still gives each
    // partition its own value, in any order of the objects.
    let mut c = config();
    minimal(&mut c);
    c.onpremises_directories[0].partitions.push(Partition {
        fqdn: Some("emea.contoso.com".into()),
        distinguished_name: Some("DC=emea,DC=contoso,DC=com".into()),
        selected: true,
        inclusions: vec!["DC=emea,DC=contoso,DC=com".into()],
        ..Partition::default()
    });
    c.onpremises_directories[0].standard_rules[0]
        .mappings
        .extend([
            expression("domainFQDN", "%Domain.FQDN%"),
            expression(
                "domainNetBios",
                "IIF(IsPresent([noSuchAttribute]), \"x\", %Domain.Netbios%)",
            ),
        ]);
    let objects = |order: &[usize]| {
        let all = [
            user(
                "CN=a,OU=Sales,DC=contoso,DC=com",
                &[("cn", "a"), ("objectSid", "S-1")],
            ),
            user(
                "CN=b,DC=emea,DC=contoso,DC=com",
                &[("cn", "b"), ("objectSid", "S-2")],
            ),
            user(
                "CN=c,OU=Sales,DC=contoso,DC=com",
                &[("cn", "c"), ("objectSid", "S-3")],
            ),
            user(
                "CN=d,DC=emea,DC=contoso,DC=com",
                &[("cn", "d"), ("objectSid", "S-4")],
            ),
        ];
        order.iter().map(|i| all[*i].clone()).collect::<Vec<_>>()
    };
    for order in [[0, 1, 2, 3], [1, 0, 3, 2], [3, 2, 1, 0]] {
        let sim = run(&c, objects(&order));
        for (dn, fqdn, netbios) in [
            ("CN=a,OU=Sales,DC=contoso,DC=com", "contoso.com", "CONTOSO"),
            ("CN=b,DC=emea,DC=contoso,DC=com", "emea.contoso.com", "EMEA"),
            ("CN=c,OU=Sales,DC=contoso,DC=com", "contoso.com", "CONTOSO"),
            ("CN=d,DC=emea,DC=contoso,DC=com", "emea.contoso.com", "EMEA"),
        ] {
            assert_eq!(
                mv_attr(&sim, dn, "domainFQDN").as_deref(),
                Some(fqdn),
                "{dn}"
            );
            assert_eq!(
                mv_attr(&sim, dn, "domainNetBios").as_deref(),
                Some(netbios),
                "{dn}"
            );
        }
    }
}
