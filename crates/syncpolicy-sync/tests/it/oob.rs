//! The out-of-box rule set (the catalogue of `syncpolicy-samples`, express single forest) on
//! typical users, and on the shipped sample objects (groups, contacts, computers): who is
//! provisioned to Entra, who is filtered and why
//! (`declarative-provisioning.md` §4.2-§4.4; known answers from the documented rules).

use crate::support::result;
use syncpolicy_expr::env::SourceObject;
use syncpolicy_expr::value::Value;
use syncpolicy_model::config::{Configuration, DirectoryRef};
use syncpolicy_sync::{ExportOutcome, JoinOutcome, Options, Simulation, Simulator, SourceInput};

fn express() -> Configuration {
    syncpolicy_samples::samples::express_single_forest()
}

/// The GUID of dp §4.4 fixture 1 in .NET byte order.
const GUID: [u8; 16] = [
    0xff, 0x19, 0x96, 0x6f, 0x86, 0x8b, 0x11, 0xd0, 0xb4, 0x2d, 0x00, 0xc0, 0x4f, 0xc9, 0x64, 0xff,
];

fn sid(rid: u8) -> Value {
    Value::Bin(vec![
        1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 160, 101, 207, 126, 120, 75, 155, 90, 234, 124, 162,
        65, rid, 3, 0, 0,
    ])
}

fn user(dn: &str, rid: u8, attrs: Vec<(&str, Value)>) -> SourceInput {
    let mut o = SourceObject::new();
    o.insert(
        "objectClass",
        Value::Multi(
            ["top", "person", "organizationalPerson", "user"]
                .iter()
                .map(|c| Value::Str((*c).into()))
                .collect(),
        ),
    );
    let mut guid = GUID;
    guid[0] = rid;
    o.insert("objectGUID", Value::Bin(guid.to_vec()));
    o.insert("objectSid", sid(rid));
    for (n, v) in attrs {
        o.insert(n, v);
    }
    SourceInput {
        directory: DirectoryRef::OnPremises(0),
        dn: dn.to_owned(),
        object: o,
        origin: Default::default(),
    }
}

fn s(t: &str) -> Value {
    Value::Str(t.to_owned())
}

fn sim(objects: Vec<SourceInput>) -> Simulation {
    let c = express();
    Simulator::new(&c, Options::default()).run(objects)
}

fn mv(sim: &Simulation, dn: &str, attr: &str) -> Option<Value> {
    let o = result(sim, dn);
    sim.metaverse[o.metaverse? as usize]
        .get(attr)
        .map(|a| a.value.clone())
}

fn entra(sim: &Simulation, dn: &str) -> Option<syncpolicy_sync::Export> {
    match sim.entra_of(result(sim, dn))? {
        ExportOutcome::Exported(e) => Some(e.clone()),
        _ => None,
    }
}

const ENABLED: &str = "CN=John Doe,OU=Users,DC=contoso,DC=com";

#[test]
fn enabled_user_gets_the_documented_anchor_dn_and_sign_in_attributes() {
    // Fixture 1: sourceAnchor = base64 of the GUID; Entra DN CN={hex of the anchor's UTF-8};
    // accountEnabled from rule 102 (AccountEnabled) over 106.
    let mut objects = vec![user(
        ENABLED,
        0xff,
        vec![
            ("userAccountControl", Value::Num(512)),
            ("userPrincipalName", s("jdoe@contoso.com")),
            ("sAMAccountName", s("jdoe")),
            ("cn", s("John Doe")),
        ],
    )];
    objects[0]
        .object
        .insert("objectGUID", Value::Bin(GUID.to_vec()));
    let sim = sim(objects);
    assert_eq!(
        mv(&sim, ENABLED, "sourceAnchor"),
        Some(s("/xmWb4aLEdC0LQDAT8lk/w=="))
    );
    assert_eq!(
        mv(&sim, ENABLED, "userPrincipalName"),
        Some(s("jdoe@contoso.com"))
    );
    assert_eq!(mv(&sim, ENABLED, "accountEnabled"), Some(Value::Bool(true)));
    let m = &sim.metaverse[result(&sim, ENABLED).metaverse.unwrap() as usize];
    assert_eq!(
        sim.rule_name(m.get("accountEnabled").unwrap().rules[0]),
        "In from AD - User AccountEnabled"
    );
    let e = entra(&sim, ENABLED).expect("provisioned");
    assert_eq!(e.object_type, "user");
    assert_eq!(
        e.dn.as_deref(),
        Some("CN={2F786D576234614C456443304C51444154386C6B2F773D3D}")
    );
    assert_eq!(sim.rule_name(e.link_rule), "Out to AAD - User Join");
}

#[test]
fn no_upn_takes_sam_account_name_at_the_domain() {
    // Fixture 2.
    let dn = "CN=a,OU=Users,DC=contoso,DC=com";
    let sim = sim(vec![user(
        dn,
        1,
        vec![
            ("userAccountControl", Value::Num(512)),
            ("sAMAccountName", s("asmith")),
        ],
    )]);
    assert_eq!(
        mv(&sim, dn, "userPrincipalName"),
        Some(s("asmith@contoso.com"))
    );
}

#[test]
fn no_upn_and_no_sam_account_name_is_filtered_and_an_error() {
    // Fixture 3: cloudFiltered and Error("AccountName is not present").
    let dn = "CN=b,OU=Users,DC=contoso,DC=com";
    let sim = sim(vec![user(
        dn,
        2,
        vec![("userAccountControl", Value::Num(512))],
    )]);
    let o = result(&sim, dn);
    assert!(
        o.errors
            .iter()
            .any(|e| e.contains("AccountName is not present")),
        "{:?}",
        o.errors
    );
    assert!(entra(&sim, dn).is_none());
}

#[test]
fn service_and_system_accounts_are_cloud_filtered() {
    // Fixture 4 and 8: MSOL_/AAD_ accounts, SystemMailbox{, the Exchange bit mask.
    let cases = [
        (
            "CN=MSOL_1,CN=Users,DC=contoso,DC=com",
            vec![("sAMAccountName", s("MSOL_1234"))],
        ),
        (
            "CN=AAD_1,CN=Users,DC=contoso,DC=com",
            vec![("sAMAccountName", s("AAD_abcd"))],
        ),
        (
            "CN=SM,CN=Users,DC=contoso,DC=com",
            vec![
                ("sAMAccountName", s("SM_1")),
                ("mailNickname", s("SystemMailbox{1f05a927}")),
            ],
        ),
        (
            "CN=PF,CN=Users,DC=contoso,DC=com",
            vec![
                ("sAMAccountName", s("pf")),
                ("msExchRecipientTypeDetails", Value::Num(0x2000_0000)),
            ],
        ),
    ];
    let objects = cases
        .iter()
        .enumerate()
        .map(|(i, (dn, a))| {
            let mut attrs = a.clone();
            attrs.push(("userAccountControl", Value::Num(512)));
            user(dn, 10 + i as u8, attrs)
        })
        .collect();
    let sim = sim(objects);
    for (dn, _) in &cases {
        assert_eq!(
            mv(&sim, dn, "cloudFiltered"),
            Some(Value::Bool(true)),
            "{dn}"
        );
        assert!(entra(&sim, dn).is_none(), "{dn}");
        let why = sim.not_provisioned_reason(result(&sim, dn)).unwrap();
        assert!(
            why.contains("[cloudFiltered NOTEQUAL True]") && why.contains("In from AD - User Join"),
            "{why}"
        );
    }
}

#[test]
fn critical_system_objects_and_user_admin_description_are_not_projected() {
    // Fixture 5: out of the join rule's scope, so no projection at all.
    let a = "CN=krbtgt,CN=Users,DC=contoso,DC=com";
    let b = "CN=c,OU=Users,DC=contoso,DC=com";
    let sim = sim(vec![
        user(
            a,
            20,
            vec![
                ("sAMAccountName", s("krbtgt")),
                ("isCriticalSystemObject", Value::Bool(true)),
            ],
        ),
        user(
            b,
            21,
            vec![
                ("sAMAccountName", s("c")),
                ("adminDescription", s("User_abc")),
            ],
        ),
    ]);
    for dn in [a, b] {
        let o = result(&sim, dn);
        assert!(o.metaverse.is_none(), "{dn}");
        assert_eq!(o.join, JoinOutcome::NoLinkRule, "{dn}");
        let reasons = sim.out_of_scope_reasons(o);
        assert!(
            reasons
                .iter()
                .any(|(r, _)| sim.rule_name(*r) == "In from AD - User Join"),
            "{reasons:?}"
        );
    }
}

#[test]
fn disabled_user_is_still_provisioned_with_account_enabled_false() {
    // Fixture 6: rule 102 out of scope, accountEnabled False from 106.
    let dn = "CN=d,OU=Users,DC=contoso,DC=com";
    let sim = sim(vec![user(
        dn,
        22,
        vec![
            ("sAMAccountName", s("d")),
            ("userAccountControl", Value::Num(514)),
        ],
    )]);
    let o = result(&sim, dn);
    assert!(o
        .applied
        .iter()
        .all(|r| sim.rule_name(*r) != "In from AD - User AccountEnabled"));
    assert_eq!(mv(&sim, dn, "accountEnabled"), Some(Value::Bool(false)));
    assert!(entra(&sim, dn).is_some());
}

#[test]
fn replication_conflict_objects_are_cloud_filtered() {
    // Fixture 9: the first RDN contains \0ACNF:.
    let dn = "CN=John\\0ACNF:5d2d4c7a-1a2b-4c3d-8e9f-0a1b2c3d4e5f,OU=Users,DC=contoso,DC=com";
    let sim = sim(vec![user(
        dn,
        23,
        vec![
            ("sAMAccountName", s("jconf")),
            ("userAccountControl", Value::Num(512)),
        ],
    )]);
    assert_eq!(mv(&sim, dn, "cloudFiltered"), Some(Value::Bool(true)));
    assert!(entra(&sim, dn).is_none());
}

#[test]
fn pwd_last_set_and_display_name_clean_up() {
    // Fixture 10: pwdLastSet 129699324000000000 -> "20120101230000.0Z"; displayName from cn.
    let dn = "CN=e,OU=Users,DC=contoso,DC=com";
    let sim = sim(vec![user(
        dn,
        24,
        vec![
            ("sAMAccountName", s("e")),
            ("cn", s("Eve")),
            ("userAccountControl", Value::Num(512)),
            ("pwdLastSet", Value::Num(129_699_324_000_000_000)),
        ],
    )]);
    assert_eq!(mv(&sim, dn, "pwdLastSet"), Some(s("20120101230000.0Z")));
    assert_eq!(mv(&sim, dn, "displayName"), Some(s("Eve")));
}

/// The shipped sample objects (`samples/objects/contoso.ldif`) through the express sample.
fn shipped() -> (Simulation, Vec<syncpolicy_objects::DirectoryObject>) {
    let ldif: &[u8] = include_bytes!("../../../../samples/objects/contoso.ldif");
    let objects: Vec<syncpolicy_objects::DirectoryObject> = syncpolicy_objects::read_objects(ldif)
        .collect::<Result<_, _>>()
        .expect("the shipped objects read");
    let inputs = objects
        .iter()
        .map(|o| SourceInput {
            directory: DirectoryRef::OnPremises(0),
            dn: o.dn.clone(),
            object: o.object.clone(),
            origin: Default::default(),
        })
        .collect();
    let c = express();
    (Simulator::new(&c, Options::default()).run(inputs), objects)
}

fn class(o: &syncpolicy_objects::DirectoryObject) -> String {
    syncpolicy_sync::engine::last_object_class(&o.object)
}

fn has(o: &syncpolicy_objects::DirectoryObject, attr: &str) -> bool {
    o.object.get(attr).is_some()
}

#[test]
fn computers_sync_when_they_have_a_user_certificate() {
    // [K-default]: "All computer objects with a value in this attribute [userCertificate] are
    // synchronized"; domain controllers and Windows 6.x are cloud-filtered in newer builds.
    let (sim, objects) = shipped();
    let mut devices = 0;
    for o in objects.iter().filter(|o| class(o) == "computer") {
        let exported = entra(&sim, &o.dn);
        if !has(o, "userCertificate") {
            assert!(exported.is_none(), "{}", o.dn);
            assert_eq!(
                result(&sim, &o.dn).join,
                JoinOutcome::NoLinkRule,
                "{}",
                o.dn
            );
        } else if let Some(e) = exported {
            assert_eq!(e.object_type, "device");
            devices += 1;
        }
    }
    assert!(devices > 0);
}

#[test]
fn contacts_need_proxy_addresses() {
    // [K-default]: contacts need proxyAddresses and a primary address with @.
    let (sim, objects) = shipped();
    let contacts: Vec<_> = objects.iter().filter(|o| class(o) == "contact").collect();
    assert!(
        contacts.iter().any(|o| has(o, "proxyAddresses"))
            && contacts.iter().any(|o| !has(o, "proxyAddresses"))
    );
    for o in contacts {
        match entra(&sim, &o.dn) {
            Some(e) => {
                assert!(has(o, "proxyAddresses"), "{}", o.dn);
                assert_eq!(e.object_type, "contact");
            }
            None => assert!(!has(o, "proxyAddresses") || !has(o, "mail"), "{}", o.dn),
        }
    }
}

#[test]
fn security_groups_sync_and_distribution_groups_must_be_mail_enabled() {
    // [K-default]: distribution groups must be mail-enabled; security groups need no mail.
    let (sim, objects) = shipped();
    for o in objects.iter().filter(|o| class(o) == "group") {
        let group_type = match o.object.get("groupType") {
            Some(Value::Num(n)) => *n,
            other => panic!("{}: groupType {other:?}", o.dn),
        };
        let security = group_type & i64::from(i32::MIN) != 0;
        let written_back = matches!(o.object.get("adminDescription"), Some(Value::Str(d)) if d.starts_with("Group_"));
        let exported = entra(&sim, &o.dn);
        if written_back {
            assert!(result(&sim, &o.dn).metaverse.is_none(), "{}", o.dn);
        } else if security {
            assert!(
                exported.is_some(),
                "{}: {:?}",
                o.dn,
                sim.not_provisioned_reason(result(&sim, &o.dn))
            );
        } else if !has(o, "proxyAddresses") && !has(o, "mail") {
            assert!(exported.is_none(), "{}", o.dn);
        }
    }
}

#[test]
fn linked_mailboxes_alone_are_not_exported_and_built_in_accounts_are_not_projected() {
    // dp §4.4 fixture 7 (alone: sourceObjectType and sourceAnchor NULL) and fixture 5.
    let (sim, objects) = shipped();
    let mut linked = 0;
    for o in objects.iter().filter(|o| class(o) == "user") {
        if matches!(
            o.object.get("msExchRecipientTypeDetails"),
            Some(Value::Num(2))
        ) {
            linked += 1;
            assert!(entra(&sim, &o.dn).is_none(), "{}", o.dn);
            assert_eq!(mv(&sim, &o.dn, "sourceObjectType"), None);
        }
        if matches!(
            o.object.get("isCriticalSystemObject"),
            Some(Value::Bool(true))
        ) {
            assert!(result(&sim, &o.dn).metaverse.is_none(), "{}", o.dn);
        }
    }
    assert!(linked > 0);
}
