//! Every class of read error, with its message checked: empty, truncated, not JSON, wrong
//! type (with the JSON path), bad encoding, duplicate key.

use syncpolicy_json::error::ReadErrorKind;

fn check(input: &[u8], expect_kind: ReadErrorKind) -> String {
    match syncpolicy_json::read_settings(input, "Applied-SynchronizationPolicy-test.json") {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            assert_eq!(e.kind, expect_kind);
            e.to_string()
        }
    }
}

#[test]
fn empty_file() {
    insta::assert_snapshot!(check(b"  \n", ReadErrorKind::Empty), @r"
    Applied-SynchronizationPolicy-test.json: the file is empty
    hint: export the configuration again; a settings file is a JSON object
    ");
}

#[test]
fn truncated_file() {
    insta::assert_snapshot!(check(b"{\n  \"policyMetadata\": {\n    \"type\": \"exp", ReadErrorKind::Truncated), @r"
    Applied-SynchronizationPolicy-test.json:3:16: the file ends before the JSON is complete (EOF while parsing a string) (at policyMetadata.type)
    hint: the file was cut short (a copy or download did not finish); export it again
    ");
}

#[test]
fn not_json() {
    insta::assert_snapshot!(check(b"<settings/>", ReadErrorKind::NotJson), @r"
    Applied-SynchronizationPolicy-test.json:1:1: this is not valid JSON: expected value
    hint: a settings file is one JSON object; check for a stray character or a missing comma or quote near this place
    ");
    insta::assert_snapshot!(check(b"{\"a\": 1,}", ReadErrorKind::NotJson), @r"
    Applied-SynchronizationPolicy-test.json:1:9: this is not valid JSON: trailing comma
    hint: a settings file is one JSON object; check for a stray character or a missing comma or quote near this place
    ");
}

#[test]
fn wrong_type_names_the_json_path() {
    let input = br#"{
  "onpremisesDirectoryPolicy": [
    {"friendlyName": "a", "partitionFilters": []},
    {"friendlyName": "b", "partitionFilters": [{"selected": "yes"}]}
  ]
}"#;
    insta::assert_snapshot!(check(input, ReadErrorKind::WrongType), @r#"
    Applied-SynchronizationPolicy-test.json:4:61: wrong value: the text "yes" where true or false is expected (at onpremisesDirectoryPolicy[1].partitionFilters[0].selected)
    hint: write true or false here (`syncpolicy validate --explain SP904` says more)
    "#);
}

#[test]
fn wrong_type_at_top_level_and_in_rules() {
    insta::assert_snapshot!(check(b"[1, 2]", ReadErrorKind::WrongType), @r"
    Applied-SynchronizationPolicy-test.json:1:1: wrong value: a list where the settings object (a JSON object with policyMetadata, azureDirectoryPolicy, ...) is expected
    hint: write the settings object (a JSON object with policyMetadata, azureDirectoryPolicy, ...) here (`syncpolicy validate --explain SP904` says more)
    ");
    let input = br#"{"azureDirectoryPolicy": {"customSynchronizationRules": [{"Name": "r", "precedence": "ten"}]}}"#;
    insta::assert_snapshot!(check(input, ReadErrorKind::WrongType), @r#"
    Applied-SynchronizationPolicy-test.json:1:86: wrong value: the text "ten" where a whole number is expected (at azureDirectoryPolicy.customSynchronizationRules[0].precedence)
    hint: write a whole number here (`syncpolicy validate --explain SP904` says more)
    "#);
}

/// The place of a wrong value is its first character, not where the reader stopped (after a
/// number, at the comma), on CRLF lines and after a byte-order mark too; the wording is the
/// product's ("a text", "a whole number", "true or false", "a list", "an object").
#[test]
fn wrong_type_points_at_the_value_in_product_words() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "{\r\n  \"azureDirectoryPolicy\": {\r\n    \"tenantId\": 42,\r\n    \"x\": 1\r\n  }\r\n}",
            ":3:17: wrong value: the number 42 where a text (in double quotes) is expected (at azureDirectoryPolicy.tenantId)",
            "write a text (in double quotes) here",
        ),
        (
            "\u{feff}{\"onpremisesDirectoryPolicy\": [{\"friendlyName\": \"a\", \"partitionFilters\": [{\"selected\": 1.5 }]}]}",
            ":1:88: wrong value: the number 1.5 where true or false is expected",
            "write true or false here",
        ),
        (
            r#"{"azureDirectoryPolicy": {"customSynchronizationRules": [{"Name": "r", "precedence": 2.5}]}}"#,
            ":1:86: wrong value: the number 2.5 where a whole number is expected",
            "write a whole number here",
        ),
        (
            r#"{"onpremisesDirectoryPolicy": {"friendlyName": "a"}}"#,
            ":1:31: wrong value: an object where",
            "here (`syncpolicy validate --explain SP904` says more)",
        ),
        (
            r#"{"azureDirectoryPolicy": {"customSynchronizationRules": "none"}}"#,
            ":1:57: wrong value: the text \"none\" where",
            "here (`syncpolicy validate --explain SP904` says more)",
        ),
    ];
    for (input, message, hint) in cases {
        let e = check(input.as_bytes(), ReadErrorKind::WrongType);
        assert!(e.contains(message), "{input}\n{e}");
        assert!(e.contains(hint), "{input}\n{e}");
        for serde_word in [
            "invalid type",
            "expected i32",
            "expected a boolean",
            "sequence",
            "map,",
        ] {
            assert!(!e.contains(serde_word), "{input}\n{e}");
        }
    }
}

#[test]
fn bad_encoding() {
    insta::assert_snapshot!(check(b"{\"a\": \"\xff\"}", ReadErrorKind::Encoding), @r"
    Applied-SynchronizationPolicy-test.json: the file is not valid UTF-8 (nor UTF-16 with a byte-order mark) (byte offset 7)
    hint: save the file as UTF-8 or as UTF-16 with a byte-order mark
    ");
}

#[test]
fn duplicate_key() {
    insta::assert_snapshot!(check(br#"{"identityMappingPolicy": {"userMatchingAttribute": "", "userMatchingAttribute": "x"}}"#, ReadErrorKind::DuplicateKey), @r"
    Applied-SynchronizationPolicy-test.json:1:79: duplicate key `userMatchingAttribute` in one object (at identityMappingPolicy.userMatchingAttribute)
    hint: remove one of the two entries; a key may appear only once in an object
    ");
}

#[test]
fn errors_become_diagnostics() {
    let err = syncpolicy_json::read_settings(b"", "f.json").unwrap_err();
    let d = err.to_diagnostic();
    assert_eq!((d.code.as_str(), d.name.as_str()), ("SP901", "empty-file"));
    assert_eq!(d.location.file.as_deref(), Some("f.json"));
}
