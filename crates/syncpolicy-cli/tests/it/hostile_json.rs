//! Hostile settings and rule files through the binary: nesting past the limit ends every
//! command that reads the file (`validate`, `show`, `diff`, `install --import`, `rule add
//! --file`) with exit 2 and a message naming the file, line, column and JSON path; nesting at
//! the limit is read, kept and exported within a size linear in the input.

use crate::install::run_in;
use crate::support::{run, sample, stderr, stdout};

/// The express sample with an unknown key of `policyMetadata` holding `levels` nested arrays.
fn with_nested_arrays(levels: usize) -> String {
    let text = std::fs::read_to_string(sample("express-single-forest")).expect("sample");
    let at = text.find("\"policyMetadata\": {").expect("policyMetadata") + 19;
    format!(
        "{}\n    \"future\": {}1{},{}",
        &text[..at],
        "[".repeat(levels),
        "]".repeat(levels),
        &text[at..]
    )
}

#[track_caller]
fn assert_too_deep(o: &std::process::Output, file: &str) {
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(o), stderr(o));
    // `validate` prints read errors as its diagnostics (stdout); the others as errors.
    let err = format!("{}{}", stdout(o), stderr(o));
    assert!(err.contains(file), "{err}");
    assert!(
        err.contains("arrays and objects nest more than 128 levels deep"),
        "{err}"
    );
    assert!(err.contains("policyMetadata.future[0][0]"), "{err}");
    assert!(err.contains(&format!("{file}:3:")), "{err}");
    assert!(err.contains("hint: ") || err.contains("help: "), "{err}");
}

#[test]
fn nesting_past_the_limit_is_refused_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.json");
    // 100,000 levels (200 KB): once an abort after asking for 4 GiB.
    std::fs::write(&deep, with_nested_arrays(100_000)).unwrap();
    let deep = deep.to_str().unwrap();
    let good = sample("express-single-forest");
    let good = good.to_str().unwrap();
    assert_too_deep(&run(&["validate", deep]), deep);
    assert_too_deep(&run(&["show", deep]), deep);
    assert_too_deep(&run(&["diff", good, deep]), deep);
    let home = dir.path().join("home");
    let o = run_in(&home, &["install", "--import", deep, "--yes"], &[]);
    assert_too_deep(&o, deep);
    assert!(!home.exists());
    // validate --format json carries the read error as a diagnostic with its code.
    let o = run(&["validate", deep, "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
    let d = &out["diagnostics"][0];
    assert_eq!(d["code"], "SP907");
    assert_eq!(d["line"], 3);
    assert!(d["jsonPath"]
        .as_str()
        .is_some_and(|p| p.starts_with("policyMetadata.future[0]")));
}

#[test]
fn nesting_at_the_limit_is_imported_and_exported_linearly() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let file = dir.path().join("limit.json");
    // The innermost array at level 128 (the arrays start at level 3).
    let text = with_nested_arrays(126);
    std::fs::write(&file, &text).unwrap();
    let file = file.to_str().unwrap();
    assert_eq!(run(&["show", file]).status.code(), Some(0));
    let v = run(&["validate", file]);
    assert!(matches!(v.status.code(), Some(0 | 1)), "{}", stderr(&v));
    let creds = dir.path().join("creds");
    std::fs::write(&creds, "contoso.com=Forest-Pa55-one\n").unwrap();
    let o = run_in(
        &home,
        &[
            "install",
            "--import",
            file,
            "--yes",
            "--credential-file",
            creds.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut exported = 0u64;
    for entry in std::fs::read_dir(home.join("exports")).unwrap() {
        let entry = entry.unwrap();
        let written = std::fs::read_to_string(entry.path()).unwrap();
        assert!(written.contains("\"future\": ["), "the unknown key is kept");
        exported = exported.max(entry.metadata().unwrap().len());
    }
    // Twenty thousand levels once wrote 800 MB; 126 levels add a few tens of KB at most.
    assert!(exported > 0);
    assert!(
        exported < text.len() as u64 + 40_000,
        "{exported} bytes exported from {} bytes",
        text.len()
    );
    let v = run_in(&home, &["verify", file], &[]);
    assert_eq!(v.status.code(), Some(0), "{}{}", stdout(&v), stderr(&v));
}

#[test]
fn a_rule_file_nested_past_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let creds = dir.path().join("creds");
    std::fs::write(&creds, "contoso.com=Forest-Pa55-one\n").unwrap();
    let s = sample("express-single-forest");
    let o = run_in(
        &home,
        &[
            "install",
            "--import",
            s.to_str().unwrap(),
            "--yes",
            "--credential-file",
            creds.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rule = dir.path().join("rule.json");
    std::fs::write(
        &rule,
        format!(
            "{{\"Name\": \"deep\", \"direction\": \"Inbound\", \"future\": {}1{}}}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        ),
    )
    .unwrap();
    let rule = rule.to_str().unwrap();
    let o = run_in(
        &home,
        &[
            "rule",
            "add",
            "--directory",
            "contoso.com",
            "--file",
            rule,
            "--yes",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(rule), "{err}");
    assert!(err.contains("nest more than 128 levels"), "{err}");
    assert!(err.contains("future[0]"), "{err}");
}
