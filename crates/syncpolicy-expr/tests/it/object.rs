//! Reading source objects from JSON and LDIF text.

use syncpolicy_expr::object::{parse_json_object, parse_ldif_entry, parse_object};
use syncpolicy_expr::value::Value;

#[test]
fn json_typed_values() {
    let input = parse_object(
        r#"{"s": "x", "n": 5, "b": true, "none": null, "mv": ["a", 1],
            "bin": {"base64": "AQI="}, "hex": {"hex": "0A0B"},
            "g": {"guid": "6f9619ff-8b86-d011-b42d-00c04fc964ff"},
            "sid": {"sid": "S-1-5-32-544"}, "m": {"dn": "CN=Boss"},
            "d": {"date": "2012-01-01T23:00:00Z"},
            "$imported": {"s": "old"}}"#,
    )
    .expect("valid");
    let o = &input.object;
    assert_eq!(o.get("s"), Some(&Value::Str("x".into())));
    assert_eq!(o.get("n"), Some(&Value::Num(5)));
    assert_eq!(o.get("b"), Some(&Value::Bool(true)));
    assert_eq!(o.get("none"), None);
    assert_eq!(
        o.get("mv"),
        Some(&Value::Multi(vec![Value::Str("a".into()), Value::Num(1)]))
    );
    assert_eq!(o.get("bin"), Some(&Value::Bin(vec![1, 2])));
    assert_eq!(o.get("hex"), Some(&Value::Bin(vec![10, 11])));
    assert!(matches!(o.get("g"), Some(Value::Bin(b)) if b.len() == 16 && b[0] == 0xff));
    assert_eq!(
        o.get("sid"),
        Some(&Value::Bin(vec![
            1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 32, 2, 0, 0
        ]))
    );
    assert_eq!(o.get("m"), Some(&Value::Ref("CN=Boss".into())));
    assert!(matches!(o.get("d"), Some(Value::Date(_))));
    assert_eq!(
        input.imported.as_ref().and_then(|i| i.get("s")),
        Some(&Value::Str("old".into()))
    );
}

#[test]
fn json_errors() {
    for (text, part) in [
        ("[1]", "JSON object"),
        (r#"{"a": 1.5}"#, "only integers"),
        (r#"{"a": {"base64": "***"}}"#, "invalid base64"),
        (r#"{"a": {"kind": "x"}}"#, "unknown value type"),
        (r#"{"a": [[1]]}"#, "nested arrays"),
        (r#"{"a": "#, "invalid JSON"),
    ] {
        let err = parse_json_object(text).expect_err(text);
        assert!(err.message.contains(part), "{text}: {}", err.message);
    }
}

#[test]
fn ldif_entry() {
    let input = parse_ldif_entry(
        "version: 1\n# a comment\ndn: CN=John Doe,OU=Users,DC=contoso,DC=com\nsAMAccountName: jdoe\nproxyAddresses: SMTP:a@contoso.com\nproxyAddresses: smtp:b@con\n toso.com\nobjectGUID:: /xmWb4aLEdC0LQDAT8lk/w==\n",
    )
    .expect("valid");
    let o = &input.object;
    assert_eq!(
        o.get("dn"),
        Some(&Value::Ref("CN=John Doe,OU=Users,DC=contoso,DC=com".into()))
    );
    assert_eq!(o.get("sAMAccountName"), Some(&Value::Str("jdoe".into())));
    assert_eq!(
        o.get("proxyAddresses"),
        Some(&Value::Multi(vec![
            Value::Str("SMTP:a@contoso.com".into()),
            Value::Str("smtp:b@contoso.com".into())
        ]))
    );
    assert!(matches!(o.get("objectGUID"), Some(Value::Bin(b)) if b.len() == 16));
    crate::check(
        "ConvertToBase64([objectGUID])",
        "dn: CN=x\nobjectGUID:: /xmWb4aLEdC0LQDAT8lk/w==\n",
        crate::s("/xmWb4aLEdC0LQDAT8lk/w=="),
    );
}

#[test]
fn ldif_errors() {
    for (text, part) in [
        ("", "no entry"),
        ("dn: CN=a\n\ndn: CN=b\n", "more than one entry"),
        ("dn: CN=a\nphoto:< file:///x\n", "URL values"),
        ("dn: CN=a\nbad line\n", "expected `attribute: value`"),
        ("dn: CN=a\nx:: ***\n", "invalid base64"),
        ("dn: CN=a\nchangetype: modify\n", "change records"),
        ("dn: CN=a\nuserAccountControl: x\n", "an integer is needed"),
    ] {
        let err = parse_ldif_entry(text).expect_err(text);
        assert!(err.message.contains(part), "{text:?}: {}", err.message);
    }
}

/// `ldifde -f` writes `changetype: add` on every entry and non-ASCII text in base64: the entry
/// is the object and the text is text; binary attributes stay bytes even when they happen to
/// be UTF-8; integers, Booleans and DN-valued attributes are typed by the shared kind list.
#[test]
fn ldifde_entry() {
    let input = parse_ldif_entry(
        "\r\ndn: CN=Joerg,OU=Users,DC=contoso,DC=com\r\nchangetype: add\r\ndisplayName:: TcO8bGxlciwgSsO2cmc=\r\nmS-DS-ConsistencyGuid:: QUJDREVGR0hJSktMTU5PUA==\r\nobjectguid:: /xmWb4aLEdC0LQDAT8lk/w==\r\nuserAccountControl: 514\r\nisCriticalSystemObject: TRUE\r\nmanager: CN=Jane,DC=contoso,DC=com\r\ninfo:: //4=\r\n",
    )
    .expect("valid");
    let o = &input.object;
    assert_eq!(
        o.get("displayName"),
        Some(&Value::Str("Müller, Jörg".into()))
    );
    assert_eq!(
        o.get("mS-DS-ConsistencyGuid"),
        Some(&Value::Bin(b"ABCDEFGHIJKLMNOP".to_vec()))
    );
    // The schema spelling, whatever the case in the file.
    assert!(matches!(o.get("objectGUID"), Some(Value::Bin(b)) if b.len() == 16));
    assert_eq!(o.get("userAccountControl"), Some(&Value::Num(514)));
    assert_eq!(o.get("isCriticalSystemObject"), Some(&Value::Bool(true)));
    assert_eq!(
        o.get("manager"),
        Some(&Value::Ref("CN=Jane,DC=contoso,DC=com".into()))
    );
    assert_eq!(o.get("info"), Some(&Value::Bin(vec![0xff, 0xfe])));
    assert!(o.get("changetype").is_none());
    crate::check(
        "BitAnd([userAccountControl],2)",
        "dn: CN=x\nchangetype: add\nuserAccountControl: 514\n",
        Value::Num(2),
    );
}

#[test]
fn values_as_json_read_back() {
    use syncpolicy_expr::object::value_to_json;
    let input = parse_object(
        r#"{"a": ["x", 1, true, {"base64": "AQI="}, {"dn": "CN=a"}, {"date": "2012-01-01T23:00:00Z"}]}"#,
    )
    .expect("valid");
    let a = input.object.get("a").expect("present");
    let json = serde_json::json!({ "a": value_to_json(a) }).to_string();
    let again = parse_object(&json).expect("round trip");
    assert_eq!(again.object.get("a"), Some(a));
    assert_eq!(
        value_to_json(&Value::AuthoritativeNull).to_string(),
        r#"{"special":"AuthoritativeNull"}"#
    );
}

proptest::proptest! {
    /// `SourceObject` against a map: any sequence of sets and removals (over more names than
    /// the object keeps hashes of inline) leaves every name, present or absent, reading back
    /// as in the map.
    #[test]
    fn source_object_behaves_like_a_map(
        steps in proptest::collection::vec((0usize..40, proptest::option::of(0i64..5)), 0..120)
    ) {
        use std::collections::BTreeMap;
        use syncpolicy_expr::env::SourceObject;
        let name = |i: usize| format!("attribute{i}");
        let mut object = SourceObject::new();
        let mut model = BTreeMap::new();
        for (i, value) in steps {
            match value {
                Some(n) => {
                    object.insert(name(i), Value::Num(n));
                    model.insert(name(i), Value::Num(n));
                }
                None => {
                    object.insert(name(i), Value::Null);
                    model.remove(&name(i));
                }
            }
        }
        proptest::prop_assert_eq!(object.len(), model.len());
        for i in 0..40 {
            proptest::prop_assert_eq!(object.get(&name(i)), model.get(&name(i)), "{}", name(i));
        }
    }
}

/// `retain` asks once per attribute, in order, keeps what it is told (also past the first
/// sixteen attributes, whose name hashes are kept apart), and lookups work after it; the
/// values can be taken back in order, each at the position `position_of` gives.
#[test]
fn retain_position_of_and_into_values() {
    use syncpolicy_expr::env::SourceObject;
    let mut o = SourceObject::new();
    for i in 0..20 {
        o.insert(format!("a{i}"), Value::Num(i));
    }
    let mut asked = Vec::new();
    o.retain(|name| {
        asked.push(name.to_owned());
        true
    });
    assert_eq!(asked.len(), 20);
    assert_eq!(o.len(), 20, "nothing goes when everything is kept");
    let mut asked = Vec::new();
    o.retain(|name| {
        asked.push(name.to_owned());
        !matches!(name, "a3" | "a17")
    });
    let expected: Vec<String> = (0..20).map(|i| format!("a{i}")).collect();
    assert_eq!(asked, expected, "once per attribute, in order");
    assert_eq!(o.len(), 18);
    assert_eq!(o.get("a3"), None);
    assert_eq!(o.get("a17"), None);
    assert_eq!(o.get("a18"), Some(&Value::Num(18)));
    assert_eq!(o.get("a2"), Some(&Value::Num(2)));
    let at = o.position_of("a18").expect("present");
    let values: Vec<Value> = o.into_values().collect();
    assert_eq!(values[at], Value::Num(18));
    assert_eq!(values.len(), 18);
}

/// `find` is `position_of` and `get` in one lookup, whatever position the probe guessed from
/// the objects before: attributes beyond the first sixteen, names of equal hash bits, objects
/// of other layouts, absent names.
#[test]
fn find_is_position_and_value_whatever_the_guess() {
    use syncpolicy_expr::env::{NameProbe, SourceObject};
    let object = |names: &[String]| {
        let mut o = SourceObject::default();
        for (i, n) in names.iter().enumerate() {
            o.insert(n, Value::Num(i as i64));
        }
        o
    };
    let names: Vec<String> = (0..40).map(|i| format!("attribute{i}")).collect();
    let reversed: Vec<String> = names.iter().rev().cloned().collect();
    let short: Vec<String> = names[..5].to_vec();
    let objects = [
        object(&names),
        object(&reversed),
        object(&short),
        object(&[]),
    ];
    let probes: Vec<NameProbe> = names
        .iter()
        .chain(["absent".to_string(), "Attribute3".to_string()].iter())
        .map(|n| NameProbe::new(n))
        .collect();
    // Each object after each other, so that every guess left by one is tried on the next.
    for round in 0..3 {
        for (k, o) in objects.iter().enumerate().cycle().skip(round).take(8) {
            for (p, name) in probes.iter().zip(
                names
                    .iter()
                    .chain(["absent", "Attribute3"].map(String::from).iter()),
            ) {
                let expected = o.position_of(name).zip(o.get(name));
                assert_eq!(o.find(p), expected, "object {k}, `{name}`");
            }
        }
    }
}

/// The attributes an expression reads: its `[names]` and the literal names given to
/// `ImportedValue` and `ValueCount` (a simulation's passes read only those; the language takes
/// only a quoted name there). `RandomNum` and `Guid` read no attribute.
#[test]
fn the_attributes_an_expression_reads() {
    let read = |text: &str| {
        let compiled = syncpolicy_expr::compile(text).expect("compiles");
        compiled.attributes_read().map(|names| {
            let mut names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
            names.sort();
            names
        })
    };
    assert_eq!(
        read("IIF(IsPresent([mail]), [mail], [userPrincipalName] & \"x\")"),
        Some(vec![
            "mail".to_owned(),
            "mail".to_owned(),
            "userPrincipalName".to_owned()
        ])
    );
    assert_eq!(
        read("IIF(ValueCount(\"member\") > 50000, [cn], ImportedValue(\"proxyAddresses\"))"),
        Some(vec![
            "cn".to_owned(),
            "member".to_owned(),
            "proxyAddresses".to_owned()
        ])
    );
    // Both take only a quoted name: what they read is always known.
    assert!(syncpolicy_expr::compile("ImportedValue(\"prefix\" & [attr])").is_err());
    assert!(syncpolicy_expr::compile("ValueCount([nameHolder])").is_err());
    assert_eq!(read("RandomNum(1, 9) & Guid()"), Some(vec![]));
    assert_eq!(read("\"constant\""), Some(vec![]));
}
