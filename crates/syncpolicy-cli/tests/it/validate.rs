//! `syncpolicy validate` end to end: samples, findings as text, JSON and SARIF, exit codes,
//! `--deny-warnings`, `--explain`, unreadable files.

use crate::support::{run, stderr, stdout, workspace};
use std::path::PathBuf;

/// A fixture of the lint crate's tests.
fn fixture(kind: &str, name: &str) -> String {
    let path: PathBuf = workspace()
        .join("crates/syncpolicy-lint/tests/data")
        .join(kind)
        .join(format!("{name}.json"));
    assert!(path.is_file(), "{} exists", path.display());
    path.strip_prefix(workspace())
        .unwrap()
        .display()
        .to_string()
}

#[test]
fn samples_validate_with_exit_code_0() {
    let out = run(&[
        "validate",
        "samples/express-single-forest.json",
        "samples/multi-forest-custom.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.ends_with("validated 2 sources: 0 errors, 0 warnings, 7 infos\n"),
        "{text}"
    );
    insta::assert_snapshot!(
        "validate_text_express",
        stdout(&run(&["validate", "samples/express-single-forest.json"]))
    );
}

#[test]
fn errors_give_exit_code_1_with_excerpts() {
    let file = fixture("invalid", "SP010-duplicate-custom-precedence");
    let out = run(&["validate", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let file = fixture("invalid", "SP011-custom-precedence-out-of-range");
    assert_eq!(run(&["validate", &file]).status.code(), Some(0));
    assert_eq!(
        run(&["validate", "--deny-warnings", &file]).status.code(),
        Some(1)
    );
    let clean = fixture("valid", "SP011-custom-precedence-out-of-range");
    assert_eq!(
        run(&["validate", "--deny-warnings", &clean]).status.code(),
        Some(0)
    );
}

#[test]
fn json_output_lists_every_finding() {
    let file = fixture("invalid", "SP002-unknown-enum-value");
    let out = run(&["validate", "--format", "json", &file]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("validate emits JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["errors"], 3);
    let first = &v["diagnostics"][0];
    assert_eq!(first["code"], "SP002");
    assert_eq!(first["name"], "unknown-enum-value");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], file.as_str());
    assert_eq!(
        first["jsonPath"],
        "onpremisesDirectoryPolicy[0].customSynchronizationRules[0].direction"
    );
    assert_eq!(first["line"], 123);
    assert_eq!(first["column"], 24);
    assert!(first["help"].as_str().unwrap().contains("Inbound"));
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    let file = fixture("invalid", "SP010-duplicate-custom-precedence");
    let out = run(&["validate", "--format", "sarif", &file]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("validate emits SARIF");
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= syncpolicy_lint::registry().len() + 6);
    let result = &run0["results"][0];
    assert_eq!(result["ruleId"], "SP010");
    assert_eq!(result["level"], "error");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "SP010"
    );
    let loc = &result["locations"][0];
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"]["uri"],
        file.as_str()
    );
    assert!(
        loc["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            > 1
    );
    assert!(
        loc["physicalLocation"]["region"]["startColumn"]
            .as_u64()
            .unwrap()
            > 1
    );
    assert_eq!(
        loc["logicalLocations"][0]["fullyQualifiedName"],
        "onpremisesDirectoryPolicy[0].customSynchronizationRules[1].precedence"
    );
    assert!(result["relatedLocations"][0]["message"]["text"].is_string());
}

#[test]
fn explain_prints_a_rules_documentation() {
    let out = run(&["validate", "--explain", "SP010"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("SP010 duplicate-custom-precedence (error)\n"),
        "{text}"
    );
    for part in ["What:", "Why:", "Example:", "Fix:"] {
        assert!(text.contains(part), "{text}");
    }
    assert_eq!(
        run(&["validate", "--explain", "digest-mismatch"])
            .status
            .code(),
        Some(0)
    );
    assert!(stdout(&run(&["validate", "--explain", "SP902"])).starts_with("SP902 truncated-json"));
    let unknown = run(&["validate", "--explain", "SP999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("there is no rule \"SP999\""));
}

#[test]
fn unreadable_files_give_exit_code_2_and_other_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\n  \"azureDirectoryPolicy\": {\n    \"tenantId\": 42\n  }\n}\n",
    )
    .unwrap();
    let file = fixture("invalid", "SP010-duplicate-custom-precedence");
    let out = run(&[
        "validate",
        broken.to_str().unwrap(),
        &file,
        "no/such/file.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out).replace(dir.path().to_str().unwrap(), "<dir>");
    assert!(
        text.contains(
            "error[SP904] wrong-type: wrong value: the number 42 where a text (in double quotes) is expected"
        ),
        "{text}"
    );
    assert!(
        text.contains("  --> <dir>/broken.json:3:17 at azureDirectoryPolicy.tenantId"),
        "{text}"
    );
    assert!(text.contains("    \"tenantId\": 42"), "{text}");
    assert!(text.contains("error[SP010]"), "{text}");
    assert!(stderr(&out).contains("no/such/file.json does not exist"));
    let json = run(&["validate", "--format", "json", broken.to_str().unwrap()]);
    assert_eq!(json.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "SP904");
}

#[test]
fn a_source_is_required_unless_explaining() {
    let out = run(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("SOURCE"));
}
