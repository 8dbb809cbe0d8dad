//! `syncpolicy simulate` and `syncpolicy impact` end to end: text and JSON reports, exit codes,
//! bad and malformed object files, `--explain`, `--redact` (no original value in the output),
//! and impact of an OU exclusion against the deletion threshold.

use crate::support::{run, sample, stderr, stdout};
use std::path::{Path, PathBuf};

/// Users as `ldifde -f` writes them: an enabled user (dp §4.4 fixture 1), a sync service
/// account, a disabled user without UPN (fixture 2 and 6), one in OU=Sales.
const USERS: &str = "dn: CN=John Doe,OU=Users,DC=contoso,DC=com\r\nchangetype: add\r\nobjectClass: top\r\nobjectClass: person\r\nobjectClass: organizationalPerson\r\nobjectClass: user\r\ncn: John Doe\r\ndisplayName: John Doe\r\nsAMAccountName: jdoe\r\nuserPrincipalName: jdoe@contoso.com\r\nuserAccountControl: 512\r\nobjectGUID:: /xmWb4aLEdC0LQDAT8lk/w==\r\nobjectSid:: AQUAAAAAAAUVAAAAoGXPfnhLm1rqfKJB6AMAAA==\r\n\r\n\
dn: CN=MSOL_7c3e9a1f2b4d,CN=Users,DC=contoso,DC=com\r\nchangetype: add\r\nobjectClass: top\r\nobjectClass: user\r\ncn: MSOL_7c3e9a1f2b4d\r\nsAMAccountName: MSOL_7c3e9a1f2b4d\r\nuserAccountControl: 66048\r\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\r\nobjectSid:: AQUAAAAAAAUVAAAAoGXPfnhLm1rqfKJB6QMAAA==\r\n\r\n\
dn: CN=Mary Major,OU=Sales,DC=contoso,DC=com\r\nchangetype: add\r\nobjectClass: top\r\nobjectClass: user\r\ncn: Mary Major\r\nsAMAccountName: mmajor\r\nuserAccountControl: 514\r\nobjectGUID:: EBESExQVFhcYGRobHB0eHw==\r\nobjectSid:: AQUAAAAAAAUVAAAAoGXPfnhLm1rqfKJB6gMAAA==\r\n\r\n";

fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writes the file");
    path
}

fn s(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

const NOW: &str = "2026-01-01T00:00:00Z";

#[test]
fn simulate_text_summary_first_and_a_clean_run_exits_0() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let users = file(dir.path(), "users.ldif", USERS);
    let config = sample("express-single-forest");
    let o = run(&["simulate", s(&config), "--objects", s(&users), "--now", NOW]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("Simulation of "), "{text}");
    assert!(
        text.contains("contoso.com: 3 read, 0 filtered, 3 in scope"),
        "{text}"
    );
    assert!(text.contains("Entra ID: 2 user"), "{text}");
    assert!(text.contains("In scope but not provisioned: 1"), "{text}");
}

#[test]
fn simulate_json_has_the_documented_minimum() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let users = file(dir.path(), "users.ldif", USERS);
    let config = sample("express-single-forest");
    let o = run(&[
        "simulate",
        s(&config),
        "--objects",
        s(&users),
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["schema"], "syncpolicy-simulate/1");
    assert_eq!(doc["summary"]["objectsRead"], 3);
    let objects = doc["objects"].as_array().expect("objects");
    let john = objects
        .iter()
        .find(|x| x["dn"] == "CN=John Doe,OU=Users,DC=contoso,DC=com")
        .expect("John");
    assert_eq!(john["directory"], "contoso.com");
    assert_eq!(john["objectType"], "user");
    assert_eq!(john["inScope"], true);
    assert!(john["filterReason"].is_null());
    assert_eq!(john["metaverse"]["objectType"], "person");
    // dp §4.4 fixture 1: sourceAnchor is the base64 of the GUID bytes; the Entra DN its UTF-8 hex.
    assert_eq!(
        john["metaverse"]["attributes"]["sourceAnchor"],
        "/xmWb4aLEdC0LQDAT8lk/w=="
    );
    assert_eq!(
        john["metaverse"]["contributors"]["accountEnabled"][0],
        "In from AD - User AccountEnabled"
    );
    assert_eq!(john["entra"]["objectType"], "user");
    assert_eq!(
        john["entra"]["attributes"]["dn"],
        "CN={2F786D576234614C456443304C51444154386C6B2F773D3D}"
    );
    assert!(john["notProvisionedReason"].is_null());
    assert_eq!(john["errors"], serde_json::json!([]));
    let msol = objects
        .iter()
        .find(|x| x["dn"].as_str().unwrap_or("").starts_with("CN=MSOL_"))
        .expect("MSOL");
    assert!(msol["entra"].is_null());
    let why = msol["notProvisionedReason"].as_str().expect("a reason");
    assert!(why.contains("cloudFiltered"), "{why}");
    // Fixture 2 and 6: no UPN -> sAMAccountName@domain; disabled -> accountEnabled False, still synced.
    let mary = objects
        .iter()
        .find(|x| x["dn"] == "CN=Mary Major,OU=Sales,DC=contoso,DC=com")
        .expect("Mary");
    assert_eq!(
        mary["metaverse"]["attributes"]["userPrincipalName"],
        "mmajor@contoso.com"
    );
    assert_eq!(mary["metaverse"]["attributes"]["accountEnabled"], false);
    assert_eq!(mary["entra"]["objectType"], "user");
}

#[test]
fn bad_objects_are_reported_with_file_and_line_and_do_not_stop_the_run() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let text = format!("{USERS}dn: CN=Broken,OU=Users,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: !!notbase64\n\n");
    let users = file(dir.path(), "users.ldif", &text);
    let config = sample("express-single-forest");
    let o = run(&["simulate", s(&config), "--objects", s(&users), "--now", NOW]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Objects not read: 1"), "{out}");
    assert!(out.contains("users.ldif:37:"), "{out}");
    assert!(out.contains("contoso.com: 3 read"), "{out}");
}

#[test]
fn a_malformed_file_stops_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let bad = file(
        dir.path(),
        "export.xml",
        "<?xml version=\"1.0\"?>\n<cs-objects/>\n",
    );
    let config = sample("express-single-forest");
    let o = run(&["simulate", s(&config), "--objects", s(&bad)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("export.xml") && err.contains("hint:"), "{err}");
    let missing = run(&["simulate", s(&config), "--objects", "no-such-file.ldif"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot open the object file no-such-file.ldif"));
}

#[test]
fn several_directories_need_directory_equals_file() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let users = file(dir.path(), "users.ldif", USERS);
    let config = sample("multi-forest-custom");
    let o = run(&["simulate", s(&config), "--objects", s(&users)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--objects DIRECTORY="),
        "{}",
        stderr(&o)
    );
    let arg = format!("contoso.com={}", s(&users));
    let o = run(&["simulate", s(&config), "--objects", &arg, "--now", NOW]);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("contoso.com: 3 read"), "{}", stdout(&o));
}

#[test]
fn explain_prints_the_single_object_sync_steps() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let users = file(dir.path(), "users.ldif", USERS);
    let config = sample("express-single-forest");
    let o = run(&[
        "simulate",
        s(&config),
        "--objects",
        s(&users),
        "--now",
        NOW,
        "--explain",
        "CN=MSOL_7c3e9a1f2b4d,CN=Users,DC=contoso,DC=com",
    ]);
    let out = stdout(&o);
    for step in [
        "1. Domain in scope",
        "3. OU in scope",
        "5. Object type in scope",
        "6. Group filtering",
        "9. Sync",
        "10. Export",
    ] {
        assert!(out.contains(step), "{step}\n{out}");
    }
    assert!(
        out.contains("cloudFiltered = True   <- In from AD - User Join"),
        "{out}"
    );
    assert!(
        out.contains("Scope conditions not satisfied: [cloudFiltered NOTEQUAL True]"),
        "{out}"
    );
    let unknown = run(&[
        "simulate",
        s(&config),
        "--objects",
        s(&users),
        "--explain",
        "CN=nobody",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn redact_leaves_no_original_value_in_any_output() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let users = file(dir.path(), "users.ldif", USERS);
    let config = sample("express-single-forest");
    let secrets = [
        "John Doe",
        "jdoe",
        "Mary Major",
        "mmajor",
        "/xmWb4aLEdC0LQDAT8lk/w==",
        "2F786D576234614C",
        "MSOL_7c3e9a1f2b4d",
        "AQUAAAAAAAUVAAAAoGXPfnhLm1rqfKJB6AMAAA==",
    ];
    let dn = "CN=John Doe,OU=Users,DC=contoso,DC=com";
    for format in ["text", "json"] {
        let o = run(&[
            "simulate",
            s(&config),
            "--objects",
            s(&users),
            "--now",
            NOW,
            "--format",
            format,
            "--redact",
            "--explain",
            dn,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        for secret in secrets {
            assert!(!out.contains(secret), "{format}: {secret} appears\n{out}");
        }
        assert!(out.contains("redacted-"), "{out}");
    }
    // Same value, same placeholder: the JSON keeps the structure.
    let o = run(&[
        "simulate",
        s(&config),
        "--objects",
        s(&users),
        "--now",
        NOW,
        "--format",
        "json",
        "--redact",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let john = &doc["objects"].as_array().expect("objects")[0];
    assert_eq!(
        john["metaverse"]["attributes"]["sourceAnchor"],
        john["entra"]["attributes"]["sourceAnchor"]
    );
    let o = run(&[
        "impact",
        s(&config),
        s(&config),
        "--objects",
        s(&users),
        "--redact",
        "--format",
        "json",
    ]);
    for secret in secrets {
        assert!(!stdout(&o).contains(secret));
    }
}

fn with_sales_excluded(dir: &Path, limit: &str) -> PathBuf {
    let bytes = std::fs::read(sample("express-single-forest")).expect("sample");
    let mut config = syncpolicy_json::read_settings(&bytes, "sample").expect("sample reads");
    config.onpremises_directories[0].partitions[0]
        .exclusions
        .push("OU=Sales,DC=contoso,DC=com".to_owned());
    config.azure_directory.export_deletion_limit = limit.to_owned();
    let path = dir.join(format!("new-{limit}.json"));
    std::fs::write(&path, syncpolicy_json::write_settings(&config)).expect("writes");
    path
}

#[test]
fn impact_of_a_configuration_against_itself_exits_0() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let users = file(dir.path(), "users.ldif", USERS);
    let config = sample("express-single-forest");
    let o = run(&[
        "impact",
        s(&config),
        s(&config),
        "--objects",
        s(&users),
        "--now",
        NOW,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("0 to add, 0 to delete, 0 to update"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("Runs needed: none"));
}

#[test]
fn impact_of_an_ou_exclusion_lists_the_deletion_and_the_runs() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let users = file(dir.path(), "users.ldif", USERS);
    let old = sample("express-single-forest");
    let new = with_sales_excluded(dir.path(), "0");
    let o = run(&[
        "impact",
        s(&old),
        s(&new),
        "--objects",
        s(&users),
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["schema"], "syncpolicy-impact/1");
    assert_eq!(
        doc["summary"]["entra"],
        serde_json::json!({"add": 0, "delete": 1, "update": 0})
    );
    assert_eq!(doc["summary"]["deletionThreshold"], 0);
    assert_eq!(doc["summary"]["exceedsThreshold"], true);
    assert_eq!(
        doc["summary"]["thresholdMessage"],
        "would stop: 1 deletions exceed the threshold of 0"
    );
    assert_eq!(
        doc["summary"]["runs"][0],
        serde_json::json!({"directory": "contoso.com", "run": "Full Import", "why": "domain, OU or group filtering changed"})
    );
    assert_eq!(
        doc["changes"][0]["dn"],
        "CN=Mary Major,OU=Sales,DC=contoso,DC=com"
    );
    assert_eq!(doc["changes"][0]["action"], "delete");
    let text = run(&[
        "impact",
        s(&old),
        s(&new),
        "--objects",
        s(&users),
        "--now",
        NOW,
    ]);
    let out = stdout(&text);
    assert!(out.starts_with("Impact of "), "{out}");
    assert!(
        out.contains("- user CN=Mary Major,OU=Sales,DC=contoso,DC=com"),
        "{out}"
    );
    for format in ["markdown", "html"] {
        let o = run(&[
            "impact",
            s(&old),
            s(&new),
            "--objects",
            s(&users),
            "--now",
            NOW,
            "--format",
            format,
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stdout(&o).contains("Mary Major"));
    }
    let within = with_sales_excluded(dir.path(), "500");
    let o = run(&[
        "impact",
        s(&old),
        s(&within),
        "--objects",
        s(&users),
        "--now",
        NOW,
    ]);
    assert!(
        stdout(&o).contains("within the threshold of 500"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn entra_objects_join_and_the_writeback_rules_run() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let users = file(dir.path(), "users.ldif", USERS);
    let entra = file(
        dir.path(),
        "entra.jsonl",
        "{\"dn\":\"CN={2F786D576234614C456443304C51444154386C6B2F773D3D}\",\"objectClass\":\"user\",\"sourceAnchor\":\"/xmWb4aLEdC0LQDAT8lk/w==\",\"cloudAnchor\":\"User_1234\",\"cloudMastered\":false,\"accountEnabled\":true,\"usageLocation\":\"US\"}\n",
    );
    let config = sample("express-single-forest");
    let o = run(&[
        "simulate",
        s(&config),
        "--objects",
        s(&users),
        "--entra",
        s(&entra),
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(doc["summary"]["notSimulated"], serde_json::json!([]));
    let john = doc["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .find(|x| x["dn"] == "CN=John Doe,OU=Users,DC=contoso,DC=com")
        .expect("John");
    // The Entra object joined the metaverse object through In from AAD - User Join.
    assert_eq!(john["metaverse"]["attributes"]["cloudAnchor"], "User_1234");
    assert_eq!(
        john["metaverse"]["contributors"]["cloudAnchor"][0],
        "In from AAD - User Join"
    );
    assert_eq!(
        john["metaverse"]["joined"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(john["entra"]["attributes"]["usageLocation"], "US");
    // Streamed (--summary), the Entra object a member of John's metaverse object: the same
    // summary.
    let streamed = run(&[
        "simulate",
        s(&config),
        "--objects",
        s(&users),
        "--entra",
        s(&entra),
        "--now",
        NOW,
        "--format",
        "json",
        "--summary",
    ]);
    assert_eq!(streamed.status.code(), Some(0), "{}", stderr(&streamed));
    let streamed: serde_json::Value = serde_json::from_slice(&streamed.stdout).expect("JSON");
    assert_eq!(streamed["summary"], doc["summary"]);
}

/// A configuration whose rules raise `Error(...)` with attribute values in the message and
/// quote values in expression errors, for the `--redact` test.
fn with_value_errors(dir: &Path) -> PathBuf {
    use syncpolicy_model::enums::{Direction, FlowType, LinkType, ScopeOperator};
    use syncpolicy_model::rule::{AttributeMapping, ScopeCondition, SyncRule};
    let bytes = std::fs::read(sample("express-single-forest")).expect("sample");
    let mut config = syncpolicy_json::read_settings(&bytes, "sample").expect("sample reads");
    for (i, (dept, expression)) in [
        (
            "Finance",
            "Error(\"Rejected: \" & [displayName] & \" <\" & [mail] & \">\")",
        ),
        ("Legal", "CDate([displayName])"),
    ]
    .into_iter()
    .enumerate()
    {
        config.onpremises_directories[0]
            .custom_rules
            .push(SyncRule {
                name: Some(format!("Value errors {dept}")),
                internal_identifier: format!("e0000000-0000-4000-8000-00000000000{i}"),
                unique_identifier: Some(format!("e0000000-0000-4000-8000-00000000000{i}")),
                source_object_type: Some("user".into()),
                target_object_type: Some("person".into()),
                link_type: Some(LinkType::Join),
                direction: Some(Direction::Inbound),
                precedence: 10 + i as i32,
                scope_groups: vec![vec![ScopeCondition {
                    attribute: Some("department".into()),
                    operator: Some(ScopeOperator::Equal),
                    value: dept.into(),
                    ..ScopeCondition::default()
                }]],
                mappings: vec![AttributeMapping {
                    flow_type: Some(FlowType::Expression),
                    destination: Some("extensionAttribute9".into()),
                    expression: expression.into(),
                    ..AttributeMapping::default()
                }],
                ..SyncRule::default()
            });
    }
    let path = dir.join("value-errors.json");
    std::fs::write(&path, syncpolicy_json::write_settings(&config)).expect("writes");
    path
}

/// Every attribute value and DN of an object file, as the reports could show it (text, and
/// binary also as base64), except object classes (type names, which reports keep), values
/// the configuration itself names (scope constants, the domain) and values of fewer than six
/// characters (flags and numbers such as `512`, which a count could equal).
fn values_of(objects: &Path, config_text: &str) -> Vec<String> {
    use syncpolicy_expr::value::Value;
    let bytes = std::fs::read(objects).expect("reads the objects");
    let mut out = std::collections::BTreeSet::new();
    for item in syncpolicy_objects::read_objects(&bytes[..]) {
        let Ok(o) = item else { continue };
        out.insert(o.dn.clone());
        for name in o.object.names() {
            if name.eq_ignore_ascii_case("objectClass") {
                continue;
            }
            let Some(value) = o.object.get(name) else {
                continue;
            };
            for v in value.values() {
                out.insert(v.to_string());
                if let Value::Bin(_) = v {
                    let json = syncpolicy_expr::object::value_to_json(v);
                    out.extend(json["base64"].as_str().map(str::to_owned));
                }
            }
        }
    }
    out.into_iter()
        .filter(|v| v.chars().count() >= 6 && !config_text.contains(v.as_str()))
        .collect()
}

#[test]
fn redact_hides_every_input_value_error_text_and_path_in_every_output() {
    let root = tempfile::tempdir().expect("temporary folder");
    let dir = root.path().join("jdoe-private-exports");
    std::fs::create_dir(&dir).expect("creates the folder");
    let objects = dir.join("contoso-users.ldif");
    let o = run(&[
        "generate",
        "objects",
        "--domain",
        "contoso.com",
        "--users",
        "80",
        "--groups",
        "8",
        "--members",
        "6",
        "--contacts",
        "8",
        "--computers",
        "8",
        "--seed",
        "5",
        "-o",
        s(&objects),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A bad object (its DN and bad base64 quoted by the reader) at the end, as exports hold.
    let mut text = std::fs::read_to_string(&objects).expect("reads");
    text.push_str("dn: CN=Quentin Secretperson,OU=Users,DC=contoso,DC=com\nchangetype: add\nobjectClass: user\nobjectGUID:: not*base64*Quentin\n\n");
    std::fs::write(&objects, &text).expect("writes");
    let config = with_value_errors(&dir);
    let config_text = std::fs::read_to_string(&config).expect("reads");
    let mut secrets = values_of(&objects, &config_text);
    secrets.push("Quentin Secretperson".to_owned());
    secrets.push("not*base64*Quentin".to_owned());
    secrets.push("jdoe-private-exports".to_owned());
    secrets.push(s(root.path()).to_owned());
    assert!(secrets.len() > 300, "{} values", secrets.len());
    let changed_path = dir.join("changed.json");
    let mut c = syncpolicy_json::read_settings(config_text.as_bytes(), "c").expect("reads");
    c.onpremises_directories[0].custom_rules[0].scope_groups[0][0].value = "Legal".into();
    std::fs::write(&changed_path, syncpolicy_json::write_settings(&c)).expect("writes");
    // One DN with an error to explain: a Finance user's.
    let lf = text.replace("\r\n", "\n");
    let finance = lf
        .split("\n\n")
        .find(|e| e.contains("\ndepartment: Finance\n") && e.contains("objectClass: user"))
        .and_then(|e| e.lines().next())
        .and_then(|l| l.strip_prefix("dn: "))
        .expect("a Finance user")
        .to_owned();
    let (c, n, f) = (s(&config), s(&changed_path), s(&objects));
    let runs: Vec<Vec<&str>> = vec![
        vec![
            "simulate",
            c,
            "--objects",
            f,
            "--now",
            NOW,
            "--explain",
            &finance,
        ],
        vec![
            "simulate",
            c,
            "--objects",
            f,
            "--now",
            NOW,
            "--format",
            "json",
        ],
        vec![
            "simulate",
            c,
            "--objects",
            f,
            "--format",
            "json",
            "--summary",
        ],
        vec!["impact", c, n, "--objects", f, "--now", NOW],
        vec!["impact", c, n, "--objects", f, "--format", "json"],
        vec!["impact", c, n, "--objects", f, "--format", "markdown"],
        vec!["impact", c, n, "--objects", f, "--format", "html"],
    ];
    let mut saw_error_text = false;
    for args in runs {
        let mut args = args.clone();
        args.push("--redact");
        let o = run(&args);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            stderr(&o)
        );
        let (out, err) = (stdout(&o), stderr(&o));
        for secret in &secrets {
            assert!(
                !out.contains(secret.as_str()),
                "{args:?}: {secret:?} appears\n{out}"
            );
            assert!(
                !err.contains(secret.as_str()),
                "{args:?}: {secret:?} in stderr\n{err}"
            );
        }
        saw_error_text |= out.contains("sync-rule-error-function-triggered: `redacted-");
    }
    assert!(
        saw_error_text,
        "the Error() messages are reported, redacted"
    );
    // Unredacted, the same runs show the values: the test looks where they would be.
    let o = run(&[
        "simulate",
        c,
        "--objects",
        f,
        "--now",
        NOW,
        "--explain",
        &finance,
    ]);
    assert!(stdout(&o).contains("sync-rule-error-function-triggered: `Rejected: "));
    assert!(stdout(&o).contains("jdoe-private-exports"));
    // A malformed file stops with an error that names neither its path nor its text.
    let bad = dir.join("broken.ldif");
    std::fs::write(&bad, "dn CN=Quentin Secretperson\r\n").expect("writes");
    let o = run(&["simulate", c, "--objects", s(&bad), "--redact"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("objects-file-1"), "{err}");
    assert!(
        !err.contains("Quentin") && !err.contains("jdoe-private"),
        "{err}"
    );
}

/// `--summary` counts each object as it is read (as if alone) and reads again only the objects
/// whose count does not stand (under `--redact`: the objects twice, a join plan, then each
/// object completed and forgotten): its summary must be the full document's, on both forests
/// of the shipped sample (metaverse objects of members of both, read again by DN from the LDIF
/// file, all read again from the JSON Lines one), with a bad object and a duplicate DN in the
/// input, and under --redact.
#[test]
fn summary_of_the_streamed_run_is_the_full_runs_summary() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = sample("multi-forest-custom");
    let objects = crate::support::workspace().join("samples/objects");
    let contoso = std::fs::read_to_string(objects.join("contoso.ldif")).expect("sample");
    let contoso = file(
        dir.path(),
        "contoso.ldif",
        &format!("{contoso}\ndn: CN=Bad,DC=contoso,DC=com\nobjectGUID:: ***\n\ndn: CN=Administrator,CN=Users,DC=contoso,DC=com\nobjectClass: user\ncn: copy\n\n"),
    );
    let a = format!("contoso.com={}", s(&contoso));
    let b = format!("fabrikam.com={}", objects.join("fabrikam.jsonl").display());
    for redact in [false, true] {
        let mut args = vec![
            "simulate",
            s(&config),
            "--objects",
            &a,
            "--objects",
            &b,
            "--now",
            NOW,
            "--format",
            "json",
        ];
        if redact {
            args.push("--redact");
        }
        let full = run(&args);
        args.push("--summary");
        let streamed = run(&args);
        assert_eq!(
            full.status.code(),
            streamed.status.code(),
            "{}",
            stderr(&streamed)
        );
        let full: serde_json::Value = serde_json::from_slice(&full.stdout).expect("JSON");
        let streamed: serde_json::Value = serde_json::from_slice(&streamed.stdout).expect("JSON");
        assert_eq!(streamed["schema"], "syncpolicy-simulate/1");
        assert_eq!(streamed["summary"], full["summary"], "redact: {redact}");
        assert_eq!(streamed["badObjects"], 1);
        assert!(
            streamed["summary"]["metaverse"]["person"]
                .as_u64()
                .unwrap_or(0)
                > 0
        );
    }
}

/// The streamed runs plan the joins from the flows into join attributes only; an `Error(...)`
/// flow into another attribute of users that join (the Finance users here) is found by the
/// second pass, and the run is made again with every failing flow known to the plan: the
/// summary is the full run's, and the configuration against itself has no impact.
#[test]
fn an_error_flow_in_joining_users_gives_the_full_runs_results_streamed() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = with_value_errors(dir.path());
    let objects = crate::support::workspace().join("samples/objects/contoso.ldif");
    let mut args = vec![
        "simulate",
        s(&config),
        "--objects",
        s(&objects),
        "--now",
        NOW,
        "--format",
        "json",
    ];
    let full = run(&args);
    args.push("--summary");
    let streamed = run(&args);
    assert_eq!(full.status.code(), Some(1), "{}", stderr(&full));
    assert_eq!(streamed.status.code(), Some(1), "{}", stderr(&streamed));
    let full: serde_json::Value = serde_json::from_slice(&full.stdout).expect("JSON");
    let streamed: serde_json::Value = serde_json::from_slice(&streamed.stdout).expect("JSON");
    assert_eq!(streamed["summary"], full["summary"]);
    let errors = full["summary"]["objectErrors"].as_u64().unwrap_or(0);
    assert!(errors > 0, "{}", full["summary"]);
    let itself = run(&[
        "impact",
        s(&config),
        s(&config),
        "--objects",
        s(&objects),
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    assert_eq!(itself.status.code(), Some(0), "{}", stderr(&itself));
    let doc: serde_json::Value = serde_json::from_slice(&itself.stdout).expect("JSON");
    assert_eq!(doc["changes"], serde_json::json!([]));
}
