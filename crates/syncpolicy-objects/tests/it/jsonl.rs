//! The JSON Lines reader.

use crate::split;
use syncpolicy_expr::value::Value;
use syncpolicy_objects::read_jsonl;

#[test]
fn objects_with_typed_values() {
    let text = concat!(
        r#"{"dn": "CN=John Doe,OU=Users,DC=contoso,DC=com", "objectClass": ["top", "person", "organizationalPerson", "user"], "sAMAccountName": "jdoe", "userAccountControl": 512, "proxyAddresses": ["SMTP:john@contoso.com", "smtp:jd@contoso.com"], "objectGUID": {"base64": "/xmWb4aLEdC0LQDAT8lk/w=="}, "mS-DS-ConsistencyGuid": {"guid": "6f9619ff-8b86-d011-b42d-00c04fc964ff"}, "manager": "CN=Jane,DC=contoso,DC=com", "isCriticalSystemObject": "FALSE", "description": null}"#,
        "\n\n",
        "{\"dn\": \"CN=G,DC=contoso,DC=com\", \"objectclass\": \"group\", \"member\": [\"CN=a\", \"CN=b\"], \"groupType\": \"-2147483646\"}\r\n",
    );
    let (objects, errors) = split(read_jsonl(text.as_bytes()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(objects.len(), 2);
    let u = &objects[0];
    assert_eq!(u.line, 1);
    assert_eq!(u.object.get("dn"), Some(&Value::Ref(u.dn.clone())));
    assert_eq!(u.object.get("userAccountControl"), Some(&Value::Num(512)));
    assert_eq!(
        u.object.get("isCriticalSystemObject"),
        Some(&Value::Bool(false))
    );
    assert_eq!(
        u.object.get("manager"),
        Some(&Value::Ref("CN=Jane,DC=contoso,DC=com".into()))
    );
    assert_eq!(
        u.object.get("objectGUID"),
        u.object.get("mS-DS-ConsistencyGuid")
    );
    assert!(u.object.get("description").is_none());
    let g = &objects[1];
    assert_eq!(g.line, 3);
    assert_eq!(
        g.object.get("objectClass"),
        Some(&Value::Multi(vec![Value::Str("group".into())]))
    );
    assert_eq!(g.object.get("groupType"), Some(&Value::Num(-2_147_483_646)));
    assert_eq!(
        g.object.get("member"),
        Some(&Value::Multi(vec![
            Value::Ref("CN=a".into()),
            Value::Ref("CN=b".into())
        ]))
    );
}

#[test]
fn bad_objects_do_not_stop_the_run() {
    for (bad, part) in [
        (r#"{"cn": "x"}"#, "without a `dn`"),
        (r#"{"dn": 5}"#, "`dn` must be a string"),
        (
            r#"{"dn": "CN=x", "objectGUID": "not base64 marked"}"#,
            "is binary",
        ),
        (
            r#"{"dn": "CN=x", "objectGUID": {"base64": "***"}}"#,
            "invalid base64",
        ),
        (
            r#"{"dn": "CN=x", "userAccountControl": "five"}"#,
            "an integer is needed",
        ),
        (r#"{"dn": "CN=x", "cn": [["nested"]]}"#, "nested arrays"),
        (r#"{"dn": "CN=x", "cn": 1.5}"#, "integers"),
        (r#"{"dn": "CN=x", "cn": "a", "CN": "b"}"#, "given twice"),
        (r#"{"dn": "CN=x"#, "invalid JSON"),
        ("[1, 2]", "one JSON object"),
    ] {
        let text = format!("{{\"dn\": \"CN=first\"}}\n{bad}\n{{\"dn\": \"CN=last\"}}\n");
        let (objects, errors) = split(read_jsonl(text.as_bytes()));
        let dns: Vec<&str> = objects.iter().map(|o| o.dn.as_str()).collect();
        assert_eq!(dns, ["CN=first", "CN=last"], "{bad}");
        assert_eq!(errors.len(), 1, "{bad}");
        assert_eq!(errors[0].line, 2, "{bad}");
        assert!(!errors[0].fatal);
        assert!(
            errors[0].message.contains(part),
            "{bad}: {}",
            errors[0].message
        );
    }
}

#[test]
fn a_file_that_is_not_json_lines_is_fatal() {
    let results: Vec<_> = read_jsonl("dn: CN=x\n{\"dn\": \"CN=y\"}\n".as_bytes()).collect();
    assert_eq!(results.len(), 1);
    let err = results[0].as_ref().expect_err("fatal");
    assert!(
        err.fatal && err.message.contains("not JSON Lines"),
        "{err:?}"
    );
}

/// JSON Lines in UTF-16 (with its byte order mark) and with CRLF, sniffed by `read_objects`;
/// a line over the limit is a bad object and the next line is read.
#[test]
fn utf16_and_long_lines() {
    use syncpolicy_objects::{read_objects, JsonlReader, Limits, ObjectFormat};
    let text = "{\"dn\": \"CN=Jörg\", \"cn\": \"Jörg\"}\r\n{\"dn\": \"CN=b\"}\r\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let reader = read_objects(&le[..]);
    assert_eq!(reader.format(), ObjectFormat::Jsonl);
    let (objects, errors) = split(reader);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        objects[0].object.get("cn"),
        Some(&Value::Str("Jörg".into()))
    );
    assert_eq!(objects[1].dn, "CN=b");

    let limits = Limits {
        max_line_bytes: 100,
        ..Limits::DEFAULT
    };
    let long = format!(
        "{{\"dn\": \"CN=a\", \"cn\": \"{}\"}}\n{{\"dn\": \"CN=ok\"}}\n",
        "x".repeat(500)
    );
    let (objects, errors) = split(JsonlReader::new(long.as_bytes(), limits));
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].dn, "CN=ok");
    assert_eq!(errors.len(), 1);
    assert!(
        !errors[0].fatal && errors[0].message.contains("longer than 100"),
        "{:?}",
        errors[0]
    );
}
