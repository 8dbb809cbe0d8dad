//! The directory generator: deterministic for a seed, readable back by both readers, and
//! holding the kinds of objects it promises.

use crate::split;
use syncpolicy_expr::value::Value;
use syncpolicy_objects::{generate, read_objects, write_generated, GenerateOptions, ObjectFormat};

fn small() -> GenerateOptions {
    GenerateOptions {
        users: 1200,
        groups: 210,
        members: 5,
        contacts: 30,
        computers: 40,
        member_limit: 1000,
        ..GenerateOptions::default()
    }
}

fn bytes(options: &GenerateOptions, format: ObjectFormat) -> Vec<u8> {
    let mut out = Vec::new();
    write_generated(options, format, &mut out).expect("writes to memory");
    out
}

#[test]
fn the_same_seed_gives_the_same_directory() {
    let a = bytes(&small(), ObjectFormat::Ldif);
    assert_eq!(a, bytes(&small(), ObjectFormat::Ldif));
    let other = GenerateOptions { seed: 2, ..small() };
    assert_ne!(a, bytes(&other, ObjectFormat::Ldif));
}

#[test]
fn ldif_and_json_lines_read_back_to_the_same_objects() {
    let options = small();
    let expected = generate(&options).count();
    let (ldif, errors) = split(read_objects(&bytes(&options, ObjectFormat::Ldif)[..]));
    assert!(errors.is_empty(), "{:?}", &errors[..errors.len().min(3)]);
    let (jsonl, errors) = split(read_objects(&bytes(&options, ObjectFormat::Jsonl)[..]));
    assert!(errors.is_empty(), "{:?}", &errors[..errors.len().min(3)]);
    assert_eq!(ldif.len(), expected);
    assert_eq!(jsonl.len(), expected);
    for (l, j) in ldif.iter().zip(&jsonl) {
        assert_eq!(l.dn, j.dn);
        for name in l.object.names() {
            // LDIF has no way to say "multi-valued with one value"; compare the values.
            let (lv, jv) = (l.object.get(name).unwrap(), j.object.get(name));
            assert_eq!(Some(lv.values()), jv.map(Value::values), "{} {name}", l.dn);
        }
        assert_eq!(l.object.len(), j.object.len(), "{}", l.dn);
    }
}

#[test]
fn the_directory_holds_what_the_documentation_promises() {
    let options = small();
    let objects: Vec<_> = generate(&options).collect();
    let get = |o: &syncpolicy_objects::GeneratedObject, name: &str| {
        o.attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    let class = |o: &syncpolicy_objects::GeneratedObject| match get(o, "objectClass") {
        Some(Value::Multi(v)) => v.last().map(|v| v.to_string()).unwrap_or_default(),
        _ => String::new(),
    };
    let count = |f: &dyn Fn(&syncpolicy_objects::GeneratedObject) -> bool| {
        objects.iter().filter(|o| f(o)).count()
    };
    let users = |o: &syncpolicy_objects::GeneratedObject| class(o) == "user";
    assert_eq!(count(&users), options.users + 8);
    assert_eq!(count(&|o| class(o) == "group"), options.groups);
    assert_eq!(count(&|o| class(o) == "contact"), options.contacts);
    assert_eq!(count(&|o| class(o) == "computer"), options.computers);
    // Enabled and disabled users, with and without UPN.
    assert!(count(&|o| users(o) && get(o, "userAccountControl") == Some(Value::Num(514))) > 10);
    assert!(count(&|o| users(o) && get(o, "userAccountControl") == Some(Value::Num(512))) > 500);
    assert!(count(&|o| users(o) && get(o, "userPrincipalName").is_none()) > 10);
    // Exchange recipient types.
    for details in [1, 2, 4, 128, 2_147_483_648, 8_388_608] {
        assert!(
            count(&|o| get(o, "msExchRecipientTypeDetails") == Some(Value::Num(details))) > 0,
            "{details}"
        );
    }
    // Service accounts.
    let sam = |o: &syncpolicy_objects::GeneratedObject| {
        get(o, "sAMAccountName")
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(count(&|o| sam(o).starts_with("MSOL_")), 1);
    assert_eq!(count(&|o| sam(o).starts_with("AAD_")), 1);
    assert!(count(&|o| sam(o).starts_with("svc-") && o.dn.contains("OU=Service Accounts")) > 3);
    // Anchors.
    assert!(count(&|o| users(o) && get(o, "mS-DS-ConsistencyGuid").is_some()) > 400);
    assert!(objects
        .iter()
        .filter(|o| users(o))
        .all(|o| matches!(get(o, "objectGUID"), Some(Value::Bin(b)) if b.len() == 16)));
    // Groups: security and distribution, mail-enabled or not, one over the member limit.
    let group_type = |o: &syncpolicy_objects::GeneratedObject| match get(o, "groupType") {
        Some(Value::Num(n)) => n,
        _ => 0,
    };
    assert!(count(&|o| group_type(o) < 0 && get(o, "mail").is_some()) > 0);
    assert!(count(&|o| group_type(o) < 0 && get(o, "mail").is_none()) > 0);
    assert!(count(&|o| group_type(o) == 8 && get(o, "mail").is_some()) > 0);
    assert!(count(&|o| group_type(o) == 8 && get(o, "mail").is_none()) > 0);
    let members =
        |o: &syncpolicy_objects::GeneratedObject| get(o, "member").map_or(0, |v| v.values().len());
    assert_eq!(count(&|o| members(o) > options.member_limit), 1);
    assert_eq!(
        objects
            .iter()
            .filter(|o| class(o) == "group")
            .map(members)
            .max(),
        Some(options.member_limit + 1)
    );
    // Every member is an object of the directory.
    let dns: std::collections::HashSet<&str> = objects.iter().map(|o| o.dn.as_str()).collect();
    for o in objects.iter().filter(|o| class(o) == "group") {
        for m in get(o, "member").iter().flat_map(|v| v.values().to_vec()) {
            assert!(dns.contains(m.to_string().as_str()), "{} member {m}", o.dn);
        }
    }
    // Contacts with and without proxyAddresses; computers with and without certificates and
    // on several systems.
    assert!(count(&|o| class(o) == "contact" && get(o, "proxyAddresses").is_some()) > 0);
    assert!(count(&|o| class(o) == "contact" && get(o, "proxyAddresses").is_none()) > 0);
    assert!(count(&|o| class(o) == "computer" && get(o, "userCertificate").is_some()) > 0);
    assert!(count(&|o| class(o) == "computer" && get(o, "userCertificate").is_none()) > 0);
    let systems: std::collections::HashSet<String> = objects
        .iter()
        .filter_map(|o| get(o, "operatingSystemVersion"))
        .map(|v| v.to_string())
        .collect();
    assert!(systems.len() >= 3, "{systems:?}");
    // Replication conflicts, in DN and cn.
    let conflicts: Vec<_> = objects
        .iter()
        .filter(|o| o.dn.contains("\\0ACNF:"))
        .collect();
    assert!(conflicts.len() >= 3);
    assert!(conflicts
        .iter()
        .all(|o| get(o, "cn").is_some_and(|v| v.to_string().contains("\nCNF:"))));
    // The OU tree the samples' filters cut into.
    for ou in [
        "OU=CORP,DC=contoso,DC=com",
        "OU=Groups,DC=contoso,DC=com",
        "OU=Disabled Users,OU=CORP,DC=contoso,DC=com",
        "OU=Service Accounts,DC=contoso,DC=com",
        "CN=Users,DC=contoso,DC=com",
    ] {
        assert!(dns.contains(ou), "{ou}");
        assert!(
            objects.iter().any(|o| o.dn.ends_with(&format!(",{ou}"))),
            "objects in {ou}"
        );
    }
    // DNs are unique.
    assert_eq!(dns.len(), objects.len());
}
