//! The LDIF reader against RFC 2849's examples and the shapes `ldifde -f` and `ldapsearch -LLL`
//! write.

use crate::split;
use syncpolicy_expr::value::Value;
use syncpolicy_objects::{read_ldif, read_objects, LdifReader, ObjectFormat};

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

fn strs(v: &[&str]) -> Value {
    Value::Multi(v.iter().map(|x| s(x)).collect())
}

/// RFC 2849, example 1: two entries, `version: 1`, multi-valued attributes.
#[test]
fn rfc2849_example_1_two_entries() {
    let text = "version: 1\ndn: cn=Barbara Jensen, ou=Product Development, dc=airius, dc=com\nobjectclass: top\nobjectclass: person\nobjectclass: organizationalPerson\ncn: Barbara Jensen\ncn: Barbara J Jensen\ncn: Babs Jensen\nsn: Jensen\nuid: bjensen\ntelephonenumber: +1 408 555 1212\ndescription: A big sailing fan.\n\ndn: cn=Bjorn Jensen, ou=Accounting, dc=airius, dc=com\nobjectclass: top\nobjectclass: person\nobjectclass: organizationalPerson\ncn: Bjorn Jensen\nsn: Jensen\ntelephonenumber: +1 408 555 1212\n";
    let (objects, errors) = split(read_ldif(text.as_bytes()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(objects.len(), 2);
    let a = &objects[0];
    assert_eq!(
        a.dn,
        "cn=Barbara Jensen, ou=Product Development, dc=airius, dc=com"
    );
    assert_eq!(a.line, 2);
    assert_eq!(a.object.get("dn"), Some(&Value::Ref(a.dn.clone())));
    // `objectclass` is stored in its schema spelling, multi-valued, in file order.
    assert_eq!(
        a.object.get("objectClass"),
        Some(&strs(&["top", "person", "organizationalPerson"]))
    );
    assert_eq!(
        a.object.get("cn"),
        Some(&strs(&[
            "Barbara Jensen",
            "Barbara J Jensen",
            "Babs Jensen"
        ]))
    );
    assert_eq!(a.object.get("description"), Some(&s("A big sailing fan.")));
    assert_eq!(objects[1].line, 14);
    assert_eq!(objects[1].object.get("cn"), Some(&s("Bjorn Jensen")));
}

/// RFC 2849, example 2: no space after the colon, a folded value.
#[test]
fn rfc2849_example_2_folded_lines() {
    let text = "version: 1\ndn:cn=Barbara Jensen, ou=Product Development, dc=airius, dc=com\nobjectclass:top\nobjectclass:person\nobjectclass:organizationalPerson\ncn:Barbara Jensen\ncn:Barbara J Jensen\ncn:Babs Jensen\nsn:Jensen\nuid:bjensen\ntelephonenumber:+1 408 555 1212\ndescription:Babs is a big sailing fan, and travels extensively in sea\n rch of perfect sailing conditions.\ntitle:Product Manager, Rod and Reel Division\n";
    let (objects, errors) = split(read_ldif(text.as_bytes()));
    assert!(errors.is_empty(), "{errors:?}");
    let o = &objects[0].object;
    assert_eq!(
        o.get("description"),
        Some(&s("Babs is a big sailing fan, and travels extensively in search of perfect sailing conditions."))
    );
    assert_eq!(
        o.get("title"),
        Some(&s("Product Manager, Rod and Reel Division"))
    );
    assert_eq!(o.get("sn"), Some(&s("Jensen")));
}

/// RFC 2849, example 3: a folded base64 value holding a CR is text.
#[test]
fn rfc2849_example_3_base64_text() {
    let text = "version: 1\ndn: cn=Gern Jensen, ou=Product Testing, dc=airius, dc=com\nobjectclass: top\nobjectclass: person\nobjectclass: organizationalPerson\ncn: Gern Jensen\ncn: Gern O Jensen\nsn: Jensen\nuid: gernj\ntelephonenumber: +1 408 555 1212\ndescription:: V2hhdCBhIGNhcmVmdWwgcmVhZGVyIHlvdSBhcmUhICBUaGlzIHZhbHVl\n IGlzIGJhc2UtNjQtZW5jb2RlZCBiZWNhdXNlIGl0IGhhcyBhIGNvbnRyb2wgY2hhcmFjdG\n VyIGluIGl0IChhIENSKS4NICBCeSB0aGUgd2F5LCB5b3Ugc2hvdWxkIHJlYWxseSBnZXQg\n b3V0IG1vcmUu\n";
    let (objects, errors) = split(read_ldif(text.as_bytes()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        objects[0].object.get("description"),
        Some(&s("What a careful reader you are!  This value is base-64-encoded because it has a control character in it (a CR).\r  By the way, you should really get out more."))
    );
}

/// RFC 2849, example 5: a URL value (`:<`) is a bad object; the next one is read.
#[test]
fn rfc2849_url_values_are_a_bad_object() {
    let text = "version: 1\ndn: cn=Horatio Jensen, ou=Product Testing, dc=airius, dc=com\nobjectclass: top\ncn: Horatio Jensen\njpegphoto:< file:///usr/local/directory/photos/fiona.jpg\n\ndn: cn=Next, dc=airius, dc=com\ncn: Next\n";
    let (objects, errors) = split(read_ldif(text.as_bytes()));
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].dn, "cn=Next, dc=airius, dc=com");
    assert_eq!(errors.len(), 1);
    assert!(!errors[0].fatal);
    assert_eq!(errors[0].line, 5);
    assert!(
        errors[0].message.contains("URL values"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[0].message.contains("cn=Horatio Jensen"),
        "{}",
        errors[0].message
    );
}

/// What `ldifde -f` writes: CRLF, a leading blank line, `changetype: add` on every entry,
/// binary attributes and non-ASCII text (including the DN) in base64, integers as text.
#[test]
fn ldifde_export() {
    let text = concat!(
        "\r\n",
        "dn: CN=John Doe,OU=Users,OU=Contoso,DC=contoso,DC=com\r\n",
        "changetype: add\r\n",
        "objectClass: top\r\n",
        "objectClass: person\r\n",
        "objectClass: organizationalPerson\r\n",
        "objectClass: user\r\n",
        "cn: John Doe\r\n",
        "displayName:: TcO8bGxlciwgSsO2cmc=\r\n",
        "userAccountControl: 512\r\n",
        "isCriticalSystemObject: FALSE\r\n",
        "objectGUID:: /xmWb4aLEdC0LQDAT8lk/w==\r\n",
        "mS-DS-ConsistencyGuid:: /xmWb4aLEdC0LQDAT8lk/w==\r\n",
        "objectSid:: AQUAAAAAAAUVAAAAdR2dEBIhT2J3qP8mUAQAAA==\r\n",
        "thumbnailPhoto:: //4AAQ==\r\n",
        "manager: CN=Jane Roe,OU=Users,OU=Contoso,DC=contoso,DC=com\r\n",
        "proxyAddresses: SMTP:john.doe@contoso.com\r\n",
        "proxyAddresses: smtp:jdoe@contoso.com\r\n",
        "\r\n",
        "dn:: Q049TcO8bGxlclwsIErDtnJnLE9VPVVzZXJzLERDPWNvbnRvc28sREM9Y29t\r\n",
        "changetype: add\r\n",
        "objectClass: contact\r\n",
        "userCertificate:: //4AAQ==\r\n",
        "info:: //4AAQ==\r\n",
        "\r\n",
    );
    let (objects, errors) = split(read_ldif(text.as_bytes()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(objects.len(), 2);
    let o = &objects[0].object;
    assert_eq!(objects[0].line, 2);
    assert_eq!(o.get("displayName"), Some(&s("Müller, Jörg")));
    assert_eq!(o.get("userAccountControl"), Some(&Value::Num(512)));
    assert_eq!(o.get("isCriticalSystemObject"), Some(&Value::Bool(false)));
    let guid = vec![
        0xff, 0x19, 0x96, 0x6f, 0x86, 0x8b, 0x11, 0xd0, 0xb4, 0x2d, 0x00, 0xc0, 0x4f, 0xc9, 0x64,
        0xff,
    ];
    assert_eq!(o.get("objectGUID"), Some(&Value::Bin(guid.clone())));
    assert_eq!(o.get("mS-DS-ConsistencyGuid"), Some(&Value::Bin(guid)));
    assert!(matches!(o.get("objectSid"), Some(Value::Bin(b)) if b.len() == 28));
    assert_eq!(
        o.get("thumbnailPhoto"),
        Some(&Value::Bin(vec![0xff, 0xfe, 0, 1]))
    );
    assert_eq!(
        o.get("manager"),
        Some(&Value::Ref(
            "CN=Jane Roe,OU=Users,OU=Contoso,DC=contoso,DC=com".into()
        ))
    );
    assert_eq!(
        o.get("proxyAddresses"),
        Some(&strs(&[
            "SMTP:john.doe@contoso.com",
            "smtp:jdoe@contoso.com"
        ]))
    );
    assert!(o.get("changetype").is_none());
    let c = &objects[1];
    assert_eq!(c.dn, "CN=Müller\\, Jörg,OU=Users,DC=contoso,DC=com");
    assert_eq!(c.object.get("objectClass"), Some(&strs(&["contact"])));
    assert_eq!(
        c.object.get("userCertificate"),
        Some(&Value::Bin(vec![0xff, 0xfe, 0, 1]))
    );
    // Not UTF-8: kept as bytes even for a text attribute.
    assert_eq!(
        c.object.get("info"),
        Some(&Value::Bin(vec![0xff, 0xfe, 0, 1]))
    );
}

/// What `ldapsearch -LLL` writes: no version line, lines folded at 76 columns (also inside a
/// base64 value and a DN), comments, options on names.
#[test]
fn ldapsearch_export() {
    let text = "# extended LDIF\n#\n# LDAPv3\ndn: CN=A very long common name that does not fit,OU=Some Organi\n zational Unit,DC=contoso,DC=com\nobjectClass: top\nobjectClass: group\nmember: CN=One,DC=contoso,DC=com\nmember: CN=Two,DC=contoso,DC=com\nobjectGUID:: /xmWb4aLEdC0\n LQDAT8lk/w==\nuserCertificate;binary:: AQID\ngroupType: -2147483646\n# a comment that is\n  folded\n\n";
    let (objects, errors) = split(read_ldif(text.as_bytes()));
    assert!(errors.is_empty(), "{errors:?}");
    let g = &objects[0];
    assert_eq!(
        g.dn,
        "CN=A very long common name that does not fit,OU=Some Organizational Unit,DC=contoso,DC=com"
    );
    assert_eq!(g.line, 4);
    assert_eq!(
        g.object.get("member"),
        Some(&Value::Multi(vec![
            Value::Ref("CN=One,DC=contoso,DC=com".into()),
            Value::Ref("CN=Two,DC=contoso,DC=com".into())
        ]))
    );
    assert!(matches!(g.object.get("objectGUID"), Some(Value::Bin(b)) if b.len() == 16));
    assert_eq!(
        g.object.get("userCertificate"),
        Some(&Value::Bin(vec![1, 2, 3]))
    );
    assert_eq!(g.object.get("groupType"), Some(&Value::Num(-2_147_483_646)));
}

#[test]
fn byte_order_marks_and_utf16() {
    let text = "dn: CN=Jörg,DC=contoso,DC=com\r\ncn: Jörg\r\n\r\n";
    let mut utf8 = vec![0xEF, 0xBB, 0xBF];
    utf8.extend_from_slice(text.as_bytes());
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    for bytes in [utf8, le, be] {
        let (objects, errors) = split(read_objects(&bytes[..]));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(objects.len(), 1);
        assert_eq!(objects[0].dn, "CN=Jörg,DC=contoso,DC=com");
        assert_eq!(objects[0].object.get("cn"), Some(&s("Jörg")));
    }
}

/// A UTF-16 file cut in the middle of a character (an odd number of bytes) is truncated: the
/// objects before the cut are read, then a fatal error says so, in both byte orders, for LDIF
/// and JSON Lines, and even when nothing but the byte order mark and one byte are left.
#[test]
fn utf16_cut_in_a_character_is_a_fatal_error() {
    let ldif = "dn: CN=Jörg,DC=contoso,DC=com\r\ncn: Jörg\r\n\r\ndn: CN=Ann,DC=contoso,DC=com\r\n";
    let jsonl = "{\"dn\":\"CN=Jörg,DC=contoso,DC=com\",\"objectClass\":\"user\"}\n{\"dn\":";
    for text in [ldif, jsonl] {
        for le in [true, false] {
            let mut bytes = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            bytes.extend(text.encode_utf16().flat_map(|u| {
                if le {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            }));
            bytes.push(0x41);
            let (objects, errors) = split(read_objects(&bytes[..]));
            assert_eq!(objects.len(), 1, "{text:?} le={le}: {errors:?}");
            let last = errors.last().expect("an error");
            assert!(last.fatal, "{last:?}");
            assert!(last.message.contains("truncated"), "{}", last.message);
        }
    }
    let (objects, errors) = split(read_objects(&[0xFF, 0xFE, 0x00][..]));
    assert!(objects.is_empty());
    assert!(errors.len() == 1 && errors[0].fatal, "{errors:?}");
}

/// Bad objects are reported with their line and skipped; the run goes on.
#[test]
fn bad_objects_do_not_stop_the_run() {
    let cases: &[(&str, usize, &str)] = &[
        ("cn: no dn here\n", 4, "without a DN"),
        ("dn: CN=x,DC=c\nobjectGUID:: ***\n", 5, "invalid base64"),
        (
            "dn: CN=x,DC=c\nuserAccountControl: five\n",
            5,
            "an integer is needed",
        ),
        (
            "dn: CN=x,DC=c\nisCriticalSystemObject: maybe\n",
            5,
            "TRUE or FALSE",
        ),
        (
            "dn: CN=x,DC=c\nchangetype: modify\nreplace: cn\ncn: y\n-\n",
            5,
            "change record",
        ),
        ("dn: CN=x,DC=c\nchangetype: delete\n", 5, "change record"),
        (
            "dn: CN=x,DC=c\nno colon\n",
            5,
            "expected `attribute: value`",
        ),
        ("dn: CN=x,DC=c\ndn: CN=y,DC=c\n", 5, "a second `dn:`"),
        ("dn:\ncn: x\n", 4, "empty DN"),
        ("dn: CN=x,DC=c\nbad name!: x\n", 5, "invalid attribute name"),
        ("dn: CN=x,DC=c\ncn: a\0b\n", 5, "NUL"),
        ("dn: CN=x,DC=c\ncn: \u{ff}\n", 5, ""),
    ];
    for (bad, line, part) in cases {
        let text = format!("dn: CN=first,DC=c\ncn: first\n\n{bad}\ndn: CN=last,DC=c\ncn: last\n");
        let text = text.replace('\u{ff}', "\u{0}").into_bytes();
        // The last case: a raw byte that is not UTF-8.
        let text = if part.is_empty() {
            let mut t =
                format!("dn: CN=first,DC=c\ncn: first\n\n{bad}\ndn: CN=last,DC=c\ncn: last\n")
                    .into_bytes();
            let at = t.iter().position(|b| *b == 0xC3).expect("the marker byte");
            t[at] = 0xFF;
            t.remove(at + 1);
            t
        } else {
            text
        };
        let (objects, errors) = split(read_ldif(&text[..]));
        let dns: Vec<&str> = objects.iter().map(|o| o.dn.as_str()).collect();
        assert_eq!(dns, ["CN=first,DC=c", "CN=last,DC=c"], "{bad:?}");
        assert_eq!(errors.len(), 1, "{bad:?}: {errors:?}");
        assert!(!errors[0].fatal, "{bad:?}");
        assert_eq!(errors[0].line, *line, "{bad:?}: {errors:?}");
        assert!(
            errors[0].message.contains(part),
            "{bad:?}: {}",
            errors[0].message
        );
    }
}

#[test]
fn a_file_that_is_not_ldif_is_fatal() {
    for (text, part) in [
        ("this is not LDIF\nat all\n", "not LDIF"),
        ("cn: no dn\n\ndn: CN=x\n", "not LDIF"),
        ("{\"dn\": \"CN=x\"}\n", "JSON Lines"),
        ("version: 2\ndn: CN=x\n", "unsupported LDIF version"),
        ("\u{1}\u{2}\u{3}binary", "not LDIF"),
    ] {
        let results: Vec<_> = read_ldif(text.as_bytes()).collect();
        assert_eq!(results.len(), 1, "{text:?}: {results:?}");
        let err = results[0].as_ref().expect_err(text);
        assert!(err.fatal, "{text:?}");
        assert!(err.message.contains(part), "{text:?}: {}", err.message);
        assert!(
            !err.message.chars().any(|c| c.is_control()),
            "{:?}",
            err.message
        );
    }
}

#[test]
fn an_io_error_is_fatal() {
    let failing = crate::Failing {
        left: 2,
        parts: &[b"dn: CN=x,DC=c\n\n"],
    };
    let results: Vec<_> = read_ldif(std::io::BufReader::new(failing)).collect();
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    let err = results[2].as_ref().expect_err("the error");
    assert!(err.fatal && err.message.contains("disk on fire"), "{err:?}");
}

#[test]
fn limits_make_bad_objects() {
    let limits = crate::SMALL_LIMITS;
    let long = "x".repeat(200);
    let folded = format!("{}\n {}", "y".repeat(60), "y".repeat(60));
    let many_values = "member: CN=a\n".repeat(4);
    let many_attributes = "a: 1\nb: 1\nc: 1\nd: 1\ne: 1\n";
    let big_entry: String = (0..4)
        .map(|i| format!("a{i}: {}\n", "z".repeat(90)).repeat(3))
        .collect();
    for (body, part) in [
        (format!("cn: {long}\n"), "longer than 100"),
        (format!("cn: {folded}\n"), "longer than 100"),
        (many_values, "more than 3 values"),
        (many_attributes.to_string(), "more than 4 attributes"),
        (big_entry, "larger than 1000"),
    ] {
        let text = format!("dn: CN=x,DC=c\n{body}\ndn: CN=ok,DC=c\ncn: ok\n");
        let (objects, errors) = split(LdifReader::new(text.as_bytes(), limits));
        assert_eq!(objects.len(), 1, "{part}: {errors:?}");
        assert_eq!(errors.len(), 1, "{part}");
        assert!(
            errors[0].message.contains(part),
            "{part}: {}",
            errors[0].message
        );
    }
}

#[test]
fn read_objects_sniffs_the_format() {
    let ldif = read_objects("\n\ndn: CN=x\n".as_bytes());
    assert_eq!(ldif.format(), ObjectFormat::Ldif);
    let jsonl = read_objects("\u{feff}  {\"dn\": \"CN=x\"}\n".as_bytes());
    assert_eq!(jsonl.format(), ObjectFormat::Jsonl);
    let (objects, errors) = split(jsonl);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(objects[0].dn, "CN=x");
}

/// Names are case-insensitive: the values of one attribute spelled differently in one entry
/// (or in different entries) are one attribute, stored in the first spelling (or the schema's).
#[test]
fn attribute_names_are_case_insensitive() {
    let text = "dn: CN=a\nDescription: one\ndescription: two\nOBJECTGUID:: AQI=\n\ndn: CN=b\ndescription: three\nDESCRIPTION: four\n";
    let (objects, errors) = split(read_ldif(text.as_bytes()));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        objects[0].object.get("Description"),
        Some(&strs(&["one", "two"]))
    );
    assert_eq!(
        objects[0].object.get("objectGUID"),
        Some(&Value::Bin(vec![1, 2]))
    );
    assert_eq!(
        objects[1].object.get("description"),
        Some(&strs(&["three", "four"]))
    );
    assert_eq!(objects[1].object.len(), 2);
}

/// Names are checked once per spelling and line of an entry, then recognised by their bytes
/// on that line of later entries: what is read must not depend on that. A name's options are
/// part of its spelling (`;binary` makes a value binary on one entry and not the next), and a
/// `:<` value after a name seen before is refused as on first sight.
#[test]
fn names_seen_on_earlier_entries_are_read_as_on_first_sight() {
    let text = "dn: CN=a,DC=c\ncn: a\ndescription;binary:: SGk=\n\n\
                dn: CN=b,DC=c\ncn: b\ndescription:: SGk=\n\n\
                dn: CN=c,DC=c\ncn: c\ndescription;binary:: SGk=\n\n\
                dn: CN=d,DC=c\ncn: d\ndescription:< file:///x\n\n\
                dn: CN=e,DC=c\ncn:< file:///y\n\n\
                dn: CN=f,DC=c\ncn: f\ndn: CN=g,DC=c\n\n\
                dn: CN=h,DC=c\ncn: h\nchangetype: modify\n\n\
                dn: CN=i,DC=c\nCN: i\ndescription: text\n";
    let (objects, errors) = split(read_ldif(text.as_bytes()));
    let dns: Vec<&str> = objects.iter().map(|o| o.dn.as_str()).collect();
    assert_eq!(dns, ["CN=a,DC=c", "CN=b,DC=c", "CN=c,DC=c", "CN=i,DC=c"]);
    let description = |i: usize| objects[i].object.get("description");
    assert_eq!(description(0), Some(&Value::Bin(b"Hi".to_vec())));
    assert_eq!(description(1), Some(&s("Hi")));
    assert_eq!(description(2), Some(&Value::Bin(b"Hi".to_vec())));
    assert_eq!(description(3), Some(&s("text")));
    // `cn` is not in the schema table: stored as written, as on first sight.
    assert_eq!(objects[3].object.get("CN"), Some(&s("i")));
    let messages: Vec<(usize, &str)> = errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert_eq!(messages[0].0, 15);
    assert!(messages[0]
        .1
        .contains("attribute `description`: URL values"));
    assert_eq!(messages[1].0, 18);
    assert!(messages[1].1.contains("attribute `cn`: URL values"));
    assert_eq!(messages[2].0, 22);
    assert!(messages[2].1.contains("a second `dn:`"));
    assert_eq!(messages[3].0, 26);
    assert!(messages[3].1.contains("changetype: modify"));
}
