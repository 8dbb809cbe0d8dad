//! `syncpolicy expr check` and `syncpolicy expr eval` end to end: diagnostics with carets,
//! results with their types, objects from JSON and LDIF files, parameters, JSON output, exit
//! codes, unreadable and malformed object files.

use crate::support::{run, stderr, stdout};
use std::path::{Path, PathBuf};

/// The out-of-box `userPrincipalName` expression.
const UPN: &str = r#"IIF(IsPresent([userPrincipalName]),[userPrincipalName], IIF(IsPresent([sAMAccountName]),([sAMAccountName]&"@"&%Domain.FQDN%),Error("AccountName is not present")))"#;

/// Writes `text` to a file named `name` in a fresh temporary folder.
fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writes the object file");
    path
}

#[test]
fn check_passes_a_valid_expression_and_shows_every_problem_of_a_broken_one() {
    let ok = run(&["expr", "check", UPN]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(stdout(&ok), "ok: no problems found\n");

    let broken = run(&[
        "expr",
        "check",
        "IIF(IsPresent([x]) || , Lefft([a],2), NULL",
    ]);
    assert_eq!(broken.status.code(), Some(1), "{}", stderr(&broken));
    insta::assert_snapshot!("expr_check_broken", stdout(&broken));
}

#[test]
fn eval_reads_json_and_ldif_objects_and_parameters() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let json = file(
        dir.path(),
        "user.json",
        r#"{"sAMAccountName": "jdoe", "proxyAddresses": ["SMTP:j@x.com", "SIP:j@x.com"]}"#,
    );
    let json = json.to_str().expect("utf-8 path");
    let upn = run(&[
        "expr",
        "eval",
        UPN,
        "--object",
        json,
        "--param",
        "Domain.FQDN=contoso.com",
    ]);
    assert_eq!(upn.status.code(), Some(0), "{}", stderr(&upn));
    assert_eq!(stdout(&upn), "type: string\nvalue: \"jdoe@contoso.com\"\n");

    // A multi-valued attribute in a single-value position: evaluated per value.
    let sip = run(&[
        "expr",
        "eval",
        r#"IIF(InStr([proxyAddresses],"SIP:")=1,NULL,[proxyAddresses])"#,
        "--object",
        json,
        "--format",
        "json",
    ]);
    assert_eq!(sip.status.code(), Some(0), "{}", stderr(&sip));
    let value: serde_json::Value = serde_json::from_str(&stdout(&sip)).expect("JSON output");
    assert_eq!(value["ok"], true);
    assert_eq!(value["value"], serde_json::json!(["SMTP:j@x.com"]));

    let ldif = file(
        dir.path(),
        "conflict.ldif",
        "dn: CN=John\\0ACNF:6f96,OU=Sales,DC=contoso,DC=com\nsAMAccountName: john\n",
    );
    let conflict = run(&[
        "expr",
        "eval",
        r#"IIF(InStr(DNComponent(CRef([dn]),1),"\\0ACNF:")>0, True, NULL)"#,
        "--object",
        ldif.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(conflict.status.code(), Some(0), "{}", stderr(&conflict));
    assert_eq!(stdout(&conflict), "type: boolean\nvalue: True\n");
}

#[test]
fn eval_errors_are_findings_with_a_caret_and_what_to_do() {
    let missing = run(&["expr", "eval", r#"[sAMAccountName] & "@" & %Domain.FQDN%"#]);
    assert_eq!(missing.status.code(), Some(1), "{}", stderr(&missing));
    insta::assert_snapshot!("expr_eval_missing_parameter", stdout(&missing));

    let raised = run(&["expr", "eval", UPN, "--format", "json"]);
    assert_eq!(raised.status.code(), Some(1), "{}", stderr(&raised));
    let value: serde_json::Value = serde_json::from_str(&stdout(&raised)).expect("JSON output");
    assert_eq!(value["ok"], false);
    assert_eq!(value["error"]["kind"], "raised");
    assert_eq!(value["error"]["message"], "AccountName is not present");
}

#[test]
fn unreadable_or_malformed_object_files_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let bad = file(dir.path(), "bad.json", "{\"a\": [1, \n");
    let out = run(&[
        "expr",
        "eval",
        "[a]",
        "--object",
        bad.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("bad.json:2"), "{err}");
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));

    let absent = dir.path().join("absent.json");
    let out = run(&[
        "expr",
        "eval",
        "[a]",
        "--object",
        absent.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("cannot read the object file"), "{err}");
    assert!(err.contains("absent.json"), "{err}");
}

/// An entry as `ldifde -f` exports it: CRLF, `changetype: add`, non-ASCII text in base64 and
/// a binary `objectGUID`.
#[test]
fn eval_reads_an_ldifde_entry() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let ldif = file(
        dir.path(),
        "ldifde.ldif",
        "\r\ndn: CN=Joerg,OU=Users,DC=contoso,DC=com\r\nchangetype: add\r\ndisplayName:: TcO8bGxlciwgSsO2cmc=\r\nobjectGUID:: /xmWb4aLEdC0LQDAT8lk/w==\r\n\r\n",
    );
    let path = ldif.to_str().expect("utf-8 path");
    let o = run(&[
        "expr",
        "eval",
        "[displayName] & \"|\" & ConvertToBase64([objectGUID])",
        "--object",
        path,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Müller, Jörg|/xmWb4aLEdC0LQDAT8lk/w=="),
        "{}",
        stdout(&o)
    );
}

/// `ldifde -u` writes UTF-16 with a byte order mark, CRLF line ends: `--object` reads it (and
/// a UTF-8 file with a byte order mark); a UTF-16 file cut in a character is an error that says
/// so, with the file named.
#[test]
fn eval_reads_utf16_and_bom_objects_and_refuses_a_cut_one() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let text = "dn: CN=Jörg,DC=contoso,DC=com\r\ncn: Jörg\r\n\r\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    for (name, bytes) in [("le.ldif", &le), ("be.ldif", &be), ("bom.ldif", &bom)] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("writes the object file");
        let o = run(&["expr", "eval", "[cn]", "--object", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert_eq!(stdout(&o), "type: string\nvalue: \"Jörg\"\n", "{name}");
    }
    let cut = dir.path().join("cut.ldif");
    std::fs::write(&cut, &le[..le.len() - 1]).expect("writes the object file");
    let o = run(&["expr", "eval", "[cn]", "--object", cut.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cut.ldif") && stderr(&o).contains("odd number of bytes"),
        "{}",
        stderr(&o)
    );
}
