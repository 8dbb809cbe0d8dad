//! Golden files written from the grammar of the Rules Editor's Export: every flow type, flag,
//! merge type and scope operator, multi-line expressions, quotes, several rules per file,
//! UTF-16 and CRLF input; each rule written back byte for byte.

use crate::support::{bytes, read};
use syncpolicy_json::encoding::{decode, TextEncoding};
use syncpolicy_model::enums::{Direction, FlowType, LinkType, MergeType, ScopeOperator};
use syncpolicy_powershell::{read_rules, write_rule, write_rules, LineEnding, ENTRA_CONNECTOR_ID};

/// Every rule of the file written alone equals its text; all rules together equal the file.
fn assert_reexport(name: &str, file_bytes: &[u8]) {
    let file = read_rules(file_bytes, name).unwrap_or_else(|e| panic!("{e}"));
    let (text, _) = decode(file_bytes).expect("decodes");
    for r in &file.rules {
        let written = write_rule(&r.rule, &r.connector, file.line_ending);
        assert_eq!(
            written,
            &text[r.span.clone()],
            "rule {} of {name}",
            r.rule.name()
        );
    }
    let all = write_rules(
        file.rules.iter().map(|r| (&r.rule, r.connector.as_str())),
        file.line_ending,
    );
    assert_eq!(all, text, "the whole of {name}");
}

#[test]
fn several_rules_read_with_every_field() {
    let file = read("several-rules.ps1");
    assert_eq!(file.encoding, TextEncoding::Utf8);
    assert_eq!(file.line_ending, LineEnding::Lf);
    assert_eq!(file.rules.len(), 3);
    let a = &file.rules[0].rule;
    assert_eq!(a.name(), "In from AD - User Custom Attributes");
    assert_eq!(a.direction, Some(Direction::Inbound));
    assert_eq!(a.link_type, Some(LinkType::Join));
    assert_eq!(a.precedence, 40);
    assert_eq!(
        file.rules[0].connector,
        "7f3c2a10-5d6e-4b8f-a9c1-0e2d4f6a8b3c"
    );
    assert_eq!(a.immutable_tag, None);
    assert!(!a.disabled && !a.password_hash_sync_target);
    let flows: Vec<_> = a
        .mappings
        .iter()
        .map(|m| m.flow_type.clone().unwrap())
        .collect();
    assert_eq!(
        flows,
        [
            FlowType::Direct,
            FlowType::Constant,
            FlowType::Constant,
            FlowType::Expression,
            FlowType::Expression,
            FlowType::Direct,
            FlowType::Direct
        ]
    );
    assert_eq!(a.mappings[1].value, "HR");
    assert_eq!(a.mappings[1].merge_type, MergeType::Replace);
    assert!(a.mappings[2].execute_once);
    assert_eq!(a.mappings[3].source, "department,company");
    assert!(a.mappings[3]
        .expression
        .starts_with("\n      IIF(IsPresent([department]),\n"));
    assert!(a.mappings[3].expression.ends_with("NULL))\n      "));
    assert_eq!(a.mappings[4].source, "");
    assert_eq!(a.mappings[4].expression, "%Connector.ID%");
    assert_eq!(a.mappings[5].merge_type, MergeType::MergeCaseInsensitive);
    assert_eq!(a.mappings[6].merge_type, MergeType::Merge);
    assert_eq!(a.scope_groups.len(), 2);
    assert_eq!(
        a.scope_groups[0][1].operator,
        Some(ScopeOperator::IsNotNull)
    );
    assert_eq!(a.scope_groups[0][1].value, "");
    assert_eq!(a.join_groups.len(), 2);
    assert_eq!(a.join_groups[0].len(), 2);
    assert!(a.join_groups[1][0].case_sensitive);

    let b = &file.rules[1];
    assert_eq!(b.connector, ENTRA_CONNECTOR_ID);
    assert!(b.rule.is_standard());
    assert!(b.rule.password_hash_sync_target);
    assert_eq!(b.rule.link_type, Some(LinkType::JoinNoFlow));
    assert_eq!(b.rule.mappings[0].value, "True");

    let c = &file.rules[2].rule;
    assert_eq!(c.name(), "Out to AD - Manager's $Display `Name");
    assert!(c.description.contains("it's disabled") && c.description.contains("$env:USERNAME"));
    assert!(c.disabled);
    assert_eq!(
        c.extension.precedence_after.as_deref(),
        Some("5b1e9d3a-7c42-4f0e-9a61-2d8f0c3b7e15")
    );
    assert_eq!(c.extension.precedence_before, None);
    assert_eq!(
        c.extension.soft_delete_expiry_interval.as_deref(),
        Some("2")
    );
    assert_eq!(
        c.mappings[0].expression,
        "IIF([sn] = \"O'Brien\", \"Mr. O'Brien `$1\", [displayName])"
    );
}

#[test]
fn every_scope_operator_reads() {
    let file = read("scope-operators.ps1");
    let rule = &file.rules[0].rule;
    let ops: Vec<ScopeOperator> = rule
        .scope_groups
        .iter()
        .flatten()
        .map(|c| c.operator.clone().unwrap())
        .collect();
    assert_eq!(ops, ScopeOperator::KNOWN);
    assert_eq!(rule.scope_groups.len(), 10);
}

#[test]
fn utf16_with_crlf_reads_and_writes_back() {
    let file = read("utf16-crlf.ps1");
    assert_eq!(file.encoding, TextEncoding::Utf16Le);
    assert_eq!(file.line_ending, LineEnding::CrLf);
    let r = &file.rules[0].rule;
    assert_eq!(r.description, "Büro – Abteilung");
    // CRLF inside a string is read as LF.
    assert_eq!(
        r.mappings[0].expression,
        "IIF(IsPresent([department]),\n  Left([department], 64),\n  NULL)"
    );
    assert_reexport("utf16-crlf.ps1", &bytes("utf16-crlf.ps1"));
}

#[test]
fn golden_files_write_back_byte_for_byte() {
    for name in ["several-rules.ps1", "scope-operators.ps1"] {
        let b = bytes(name);
        assert_reexport(name, &b);
        // The same text with CRLF, with a UTF-8 BOM, and as UTF-16 LE with BOM.
        let text = String::from_utf8(b.clone()).expect("utf-8");
        let crlf = text.replace('\n', "\r\n");
        assert_reexport(name, crlf.as_bytes());
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(crlf.as_bytes());
        assert_reexport(name, &bom);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in crlf.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_reexport(name, &utf16);
        let rules = |b: &[u8]| -> Vec<_> {
            read_rules(b, name)
                .unwrap()
                .rules
                .into_iter()
                .map(|r| (r.rule, r.connector))
                .collect()
        };
        assert_eq!(rules(&utf16), rules(&b));
    }
}

#[test]
fn read_rules_as_settings_json_snapshot() {
    let file = read("several-rules.ps1");
    let json: Vec<String> = file
        .rules
        .iter()
        .map(|r| syncpolicy_json::write_rule(&r.rule))
        .collect();
    insta::assert_snapshot!(json.join("\n"));
}
