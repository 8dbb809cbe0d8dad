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
    assert_eq!(v["schema"], "syncpolicy-validate/2");
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
    assert!(
        stderr(&unknown).contains("there is no code \"SP999\""),
        "{}",
        stderr(&unknown)
    );
    assert!(stderr(&unknown).contains("--explain all"));
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

/// The codes of a `--format json` output of `validate`, in order.
fn codes_of(out: &std::process::Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("validate emits JSON");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("a code").to_owned())
        .collect()
}

const SAMPLES: [&str; 2] = [
    "samples/express-single-forest.json",
    "samples/multi-forest-custom.json",
];

#[test]
fn select_and_ignore_by_code_and_prefix() {
    let all = codes_of(&run(&[
        "validate", "--format", "json", SAMPLES[0], SAMPLES[1],
    ]));
    assert_eq!(all.len(), 7, "{all:?}");
    let only = |args: &[&str]| {
        let mut a = vec!["validate", "--format", "json"];
        a.extend_from_slice(args);
        a.extend_from_slice(&SAMPLES);
        let out = run(&a);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        codes_of(&out)
    };
    assert_eq!(only(&["--select", "SP042"]), ["SP042"; 3]);
    assert_eq!(only(&["--select", "sp040,SP041"]), ["SP040", "SP041"]);
    assert_eq!(
        only(&["--select", "SP040", "--select", "SP046"]),
        ["SP040", "SP046"]
    );
    let mut prefix = only(&["--select", "SP04", "--ignore", "SP042"]);
    prefix.sort();
    assert_eq!(prefix, ["SP040", "SP041", "SP044", "SP046"]);
    assert!(only(&["--ignore", "SP04"]).is_empty());
    assert_eq!(only(&["--select", "ALL", "--ignore", "SP042"]).len(), 4);
    assert_eq!(
        only(&["--select", "SP042", "--ignore", "SP04"]),
        ["SP042"; 3]
    );
    // An ignored error does not fail the run.
    let file = fixture("invalid", "SP010-duplicate-custom-precedence");
    assert_eq!(run(&["validate", &file]).status.code(), Some(1));
    assert_eq!(
        run(&["validate", "--ignore", "SP010", &file]).status.code(),
        Some(0)
    );
}

#[test]
fn unknown_codes_in_select_or_ignore_are_errors_naming_the_nearest_codes() {
    for (option, code) in [
        ("--select", "SP1"),
        ("--ignore", "SP0105"),
        ("--select", "SP1O"),
    ] {
        let out = run(&["validate", option, code, SAMPLES[0]]);
        assert_eq!(out.status.code(), Some(2), "{option} {code}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{option} \"{code}\" is neither a code")),
            "{err}"
        );
        assert!(err.contains("hint: the nearest codes are SP"), "{err}");
        assert!(err.contains("--explain all"), "{err}");
        assert!(stdout(&out).is_empty(), "nothing validated");
    }
    let out = run(&[
        "validate", "--select", "SP01", "--ignore", "SP0105", SAMPLES[0],
    ]);
    assert!(stderr(&out).contains("SP010"), "{}", stderr(&out));
}

#[test]
fn statistics_count_per_code_most_frequent_first() {
    let out = run(&["validate", "--statistics", SAMPLES[0], SAMPLES[1]]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "{text}");
    let words: Vec<&str> = lines[0].split_whitespace().take(5).collect();
    assert_eq!(
        words,
        [
            "3",
            "SP042",
            "info",
            "attribute-inclusions-not-imported",
            "a"
        ],
        "{text}"
    );
    assert!(
        lines[0].ends_with("a connector's attribute inclusion list is recorded; Microsoft's import does not carry it"),
        "{text}"
    );
    for (line, code) in lines[1..5].iter().zip(["SP040", "SP041", "SP044", "SP046"]) {
        assert!(line.starts_with(&format!("1  {code}  info")), "{text}");
    }
    assert_eq!(
        lines[6],
        "validated 2 sources: 0 errors, 0 warnings, 7 infos"
    );
    let json = run(&[
        "validate",
        "--statistics",
        "--format",
        "json",
        "--ignore",
        "SP046",
        SAMPLES[0],
        SAMPLES[1],
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(v["schema"], "syncpolicy-validate-statistics/1");
    let stats = v["statistics"].as_array().expect("statistics");
    assert_eq!(stats.len(), 4);
    assert_eq!(stats[0]["code"], "SP042");
    assert_eq!(stats[0]["count"], 3);
    assert!(stats[0]["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(v["summary"]["infos"], 6);
}

#[test]
fn concise_output_is_one_line_per_finding() {
    let file = fixture("invalid", "SP010-duplicate-custom-precedence");
    let out = run(&["validate", "--output-format", "concise", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        format!(
            "{file}:159:25: SP010 custom rule \"In from AD - User Title\" of contoso.com has precedence 50, like custom rule \"In from AD - User Department\" of contoso.com\n\nvalidated 1 source: 1 error, 0 warnings, 0 infos\n"
        )
    );
    let out = run(&[
        "validate",
        "--output-format",
        "concise",
        SAMPLES[0],
        SAMPLES[1],
    ]);
    let text = stdout(&out);
    let findings: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(findings.len(), 7, "{text}");
    for line in findings {
        let (place, rest) = line.split_once(": ").expect("place: rest");
        assert!(place.starts_with("samples/"), "{line}");
        assert_eq!(place.split(':').count(), 3, "file:line:col in {line}");
        assert!(rest.starts_with("SP0"), "{line}");
    }
}

#[test]
fn quiet_prints_only_the_summary() {
    let file = fixture("invalid", "SP010-duplicate-custom-precedence");
    for layout in ["full", "concise"] {
        let out = run(&["validate", "--quiet", "--output-format", layout, &file]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            stdout(&out),
            "validated 1 source: 1 error, 0 warnings, 0 infos\n"
        );
    }
    let out = run(&["-q", "validate", SAMPLES[0]]);
    assert_eq!(
        stdout(&out),
        "validated 1 source: 0 errors, 0 warnings, 1 info\n"
    );
}

#[test]
fn deny_warnings_exit_codes() {
    let warn = fixture("invalid", "SP011-custom-precedence-out-of-range");
    let error = fixture("invalid", "SP010-duplicate-custom-precedence");
    let code = |args: &[&str]| {
        let mut a = vec!["validate"];
        a.extend_from_slice(args);
        run(&a).status.code()
    };
    assert_eq!(code(&[&warn]), Some(0));
    assert_eq!(code(&["--deny-warnings", &warn]), Some(1));
    assert_eq!(
        code(&["--deny-warnings", "--ignore", "SP011", &warn]),
        Some(0)
    );
    assert_eq!(
        code(&["--deny-warnings", "--select", "SP011", &warn]),
        Some(1)
    );
    assert_eq!(code(&["--deny-warnings", &error]), Some(1));
    assert_eq!(
        code(&["--deny-warnings", SAMPLES[0]]),
        Some(0),
        "infos never fail"
    );
}

/// The SP011 fixture with `acceptedFindings` in its extension part.
fn with_accepted(dir: &std::path::Path, entries: serde_json::Value) -> String {
    let file = fixture("invalid", "SP011-custom-precedence-out-of-range");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(workspace().join(&file)).unwrap()).unwrap();
    doc.as_object_mut()
        .unwrap()
        .entry("x-syncpolicy")
        .or_insert_with(|| serde_json::json!({}))["acceptedFindings"] = entries;
    let path = dir.join("accepted.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn accepted_findings_do_not_count_and_show_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = with_accepted(
        dir.path(),
        serde_json::json!([{
            "code": "SP011",
            "rule": "in from ad - user department",
            "reason": "kept for the old server's numbering",
            "acceptedBy": "alice",
            "acceptedAt": "2026-11-30",
            "ticket": "CHG-1234"
        }]),
    );
    let out = run(&["validate", "--deny-warnings", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("accepted findings (not counted):\n  warning SP011: custom rule \"In from AD - User Department\""), "{text}");
    assert!(
        text.contains("    accepted: kept for the old server's numbering (for rule in from ad - user department, by alice, at 2026-11-30)\n"),
        "{text}"
    );
    assert!(
        text.ends_with("validated 1 source: 0 errors, 0 warnings, 0 infos, 1 accepted\n"),
        "{text}"
    );

    let stats = stdout(&run(&["validate", "--statistics", &file]));
    assert!(
        stats.starts_with("accepted (not counted):\n1  SP011  warning"),
        "{stats}"
    );
    let concise = stdout(&run(&["validate", "--output-format", "concise", &file]));
    assert!(
        concise.contains(" SP011 ")
            && concise.contains("[accepted: kept for the old server's numbering]"),
        "{concise}"
    );

    let json = run(&["validate", "--format", "json", &file]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["summary"]["warnings"], 0);
    assert_eq!(v["summary"]["accepted"], 1);
    assert_eq!(v["accepted"][0]["code"], "SP011");
    assert_eq!(
        v["accepted"][0]["reason"],
        "kept for the old server's numbering"
    );
    assert_eq!(v["accepted"][0]["acceptedBy"], "alice");
    assert!(v["diagnostics"].as_array().unwrap().is_empty());

    // The documentation report lists the finding as accepted, with the reason.
    let md = stdout(&run(&["show", &file, "--format", "markdown"]));
    assert!(md.contains("SP011"), "{md}");
    assert!(
        md.contains(
            "  - **accepted**: kept for the old server's numbering (by alice, at 2026-11-30)"
        ),
        "{md}"
    );
    let html = stdout(&run(&["show", &file, "--format", "html"]));
    assert!(html.contains("badge accepted"), "the HTML report marks it");
    assert!(
        html.contains("accepted: kept for the old server"),
        "the HTML report gives the reason"
    );

    // Accepting another rule's findings, or another code, leaves the warning.
    for entry in [
        serde_json::json!([{"code": "SP011", "rule": "Some Other Rule", "reason": "r"}]),
        serde_json::json!([{"code": "SP010", "reason": "r"}]),
    ] {
        let other = with_accepted(dir.path(), entry);
        assert_eq!(
            run(&["validate", "--deny-warnings", &other]).status.code(),
            Some(1)
        );
    }
}

#[test]
fn an_accepted_finding_without_a_reason_is_a_read_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = with_accepted(
        dir.path(),
        serde_json::json!([{"code": "SP011", "reason": " "}]),
    );
    let out = run(&["validate", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("needs a `reason`"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("x-syncpolicy.acceptedFindings[0]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn explain_all_lists_every_registered_code() {
    let out = run(&["validate", "--explain", "all"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let list = stdout(&run(&["validate", "--list-rules"]));
    assert_eq!(text, list, "--list-rules is --explain all");
    let json = run(&["validate", "--explain", "all", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(v["schema"], "syncpolicy-codes/1");
    let codes = v["codes"].as_array().expect("codes");
    assert!(codes.len() > 90, "{}", codes.len());
    for c in codes {
        let code = c["code"].as_str().expect("code");
        let title = c["title"].as_str().expect("title");
        assert!(!title.is_empty() && !c["explanation"].as_str().unwrap().is_empty());
        assert!(
            !c["fix"].as_str().unwrap().trim().is_empty(),
            "{code} has a fix"
        );
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(code) && l.contains(title)),
            "{code} is listed with its title"
        );
    }
    for family in [
        "validation",
        "migration",
        "migration-error",
        "read-error",
        "expression",
    ] {
        assert!(codes.iter().any(|c| c["family"] == family), "{family}");
    }
    // Every code explains itself.
    for code in [
        "SP001",
        "SP070",
        "SP301",
        "SP355",
        "SP907",
        "unknown-function",
        "mixed-arithmetic",
    ] {
        let out = run(&["validate", "--explain", code]);
        assert_eq!(out.status.code(), Some(0), "{code}");
        assert!(stdout(&out).starts_with(code), "{}", stdout(&out));
        assert!(stdout(&out).contains("\nFix:\n  "), "{}", stdout(&out));
    }
}

/// Every code literal (`"SPnnn"`) in the sources of the tool is explained by `--explain`.
#[test]
fn every_printed_code_has_an_explanation() {
    let json = run(&["validate", "--explain", "all", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let known: std::collections::HashSet<String> = v["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect();
    let mut found = Vec::new();
    let mut stack = vec![workspace().join("crates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "tests" && name != "target" {
                    stack.push(path);
                }
            } else if name.ends_with(".rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let bytes = text.as_bytes();
                for (i, _) in text.match_indices("\"SP") {
                    let code = &bytes[i + 1..(i + 7).min(bytes.len())];
                    if code.len() == 6
                        && code[2..5].iter().all(u8::is_ascii_digit)
                        && code[5] == b'"'
                    {
                        found.push((
                            String::from_utf8_lossy(&code[..5]).into_owned(),
                            path.display().to_string(),
                        ));
                    }
                }
            }
        }
    }
    assert!(
        found.len() > 60,
        "the scan finds the codes: {}",
        found.len()
    );
    let missing: Vec<String> = found
        .iter()
        .filter(|(c, _)| !known.contains(c))
        .map(|(c, f)| format!("{c} in {f}"))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without an explanation: {missing:?}"
    );
}

#[test]
fn hints_never_point_into_the_source_tree() {
    let mut stack = vec![workspace().join("crates")];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    let lower = line.to_ascii_lowercase();
                    if (lower.contains("hint") || lower.contains("help"))
                        && (line.contains("crates/syncpolicy-") || line.contains("/src/"))
                        && !line.trim_start().starts_with("//")
                        && !line.contains("hints_never_point")
                    {
                        found.push(format!("{}:{}", path.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "hints pointing into the source tree: {found:?}"
    );
}

/// `rule accept` records an accepted finding in a deployment: a change with history, in the
/// auto-export, and `validate @latest` lists it as accepted with its reason.
#[test]
fn rule_accept_records_an_accepted_finding_in_the_deployment() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let sp = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_syncpolicy"))
            .arg("--home")
            .arg(&home)
            .args(args)
            .current_dir(workspace())
            .env("NO_COLOR", "1")
            .env(
                "SYNCPOLICY_CREDENTIALS",
                "contoso.com=Pa55-one\nfabrikam.com=Pa55-two\n",
            )
            .env_remove("SYNCPOLICY_HOME")
            .env_remove("SYNCPOLICY_DATABASE")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("the binary runs")
    };
    let o = sp(&["install", "--import", SAMPLES[1], "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rule = "In from AD - User Legacy Title";
    let refused = sp(&["rule", "accept", rule, "SP0466", "--reason", "r"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("is not a code of `syncpolicy validate`"));
    let empty = sp(&["rule", "accept", rule, "SP046", "--reason", "  "]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(
        stderr(&empty).contains("the reason is empty"),
        "{}",
        stderr(&empty)
    );
    let o = sp(&[
        "rule",
        "accept",
        rule,
        "sp046",
        "--reason",
        "disabled on purpose until the HR feed moves",
        "--author",
        "bob",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o)
        .starts_with("accepted SP046 findings of rule \"In from AD - User Legacy Title\""));
    let history = stdout(&sp(&["history"]));
    assert!(history.contains("rule accept"), "{history}");
    let v = sp(&["validate", "@latest"]);
    assert_eq!(v.status.code(), Some(0));
    let text = stdout(&v);
    assert!(
        text.contains("accepted: disabled on purpose until the HR feed moves (for rule In from AD - User Legacy Title, by bob, at 20"),
        "{text}"
    );
    assert!(
        text.ends_with("0 errors, 0 warnings, 5 infos, 1 accepted\n"),
        "{text}"
    );
    // Accepting again replaces the entry instead of adding a second one.
    let o = sp(&[
        "rule",
        "accept",
        rule,
        "SP046",
        "--reason",
        "still on purpose",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json = sp(&["validate", "@latest", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(j["accepted"].as_array().unwrap().len(), 1);
    assert_eq!(j["accepted"][0]["reason"], "still on purpose");
    // The rule enabled again: the acceptance accepts nothing any more (SP071, a warning).
    let o = sp(&["rule", "enable", rule]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = sp(&["validate", "@latest"]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
    let text = stdout(&v);
    assert!(
        text.contains("warning[SP071] unused-acceptance: acceptedFindings[0] accepts SP046 findings of rule \"In from AD - User Legacy Title\", but there is no such finding any more"),
        "{text}"
    );
    assert!(text.ends_with("0 errors, 1 warning, 5 infos\n"), "{text}");
    let strict = sp(&["validate", "@latest", "--deny-warnings"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stdout(&strict));
}

#[test]
fn rule_accept_records_an_accepted_finding_in_a_settings_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.json");
    std::fs::copy(workspace().join(SAMPLES[1]), &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let path = file.to_str().unwrap();
    let rule = "In from AD - User Legacy Title";
    let accept = |extra: &[&str]| {
        let mut args = vec![
            "rule",
            "accept",
            rule,
            "SP046",
            "--reason",
            "disabled on purpose",
            "--file",
            path,
        ];
        args.extend_from_slice(extra);
        run(&args)
    };

    // A dry run and a JSON request write nothing.
    let dry = accept(&["--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("dry run"), "{}", stdout(&dry));
    let json = accept(&["--format", "json"]);
    assert_eq!(json.status.code(), Some(2));
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // Recorded: the finding is accepted with its reason, and the file is syncpolicy's own
    // again (a new digest: no hand-edit warning, SP070).
    let o = accept(&["--author", "alice"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = run(&["validate", path, "--deny-warnings", "--format", "json"]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
    assert!(!stderr(&v).contains("changed after syncpolicy wrote it"));
    let doc: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(doc["summary"]["accepted"], 1, "{doc}");
    assert_eq!(doc["accepted"][0]["code"], "SP046");
    assert_eq!(doc["accepted"][0]["reason"], "disabled on purpose");
    assert_eq!(doc["accepted"][0]["acceptedBy"], "alice");
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(
        !codes.contains(&"SP046") && !codes.contains(&"SP070"),
        "{codes:?}"
    );

    // Everything else of the file is kept: read back, only the accepted findings differ.
    let original = syncpolicy_json::read_settings(&before, "before").unwrap();
    let mut after =
        syncpolicy_json::read_settings(&std::fs::read(&file).unwrap(), "after").unwrap();
    assert_eq!(after.extension.accepted_findings.len(), 1);
    after.extension.accepted_findings.clear();
    after.extension.recorded_digest = original.extension.recorded_digest.clone();
    assert_eq!(after, original);

    // A rule that is not there: an error naming it, the file unchanged.
    let written = std::fs::read(&file).unwrap();
    let missing = run(&[
        "rule", "accept", "Nope", "SP046", "--reason", "r", "--file", path,
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("\"Nope\""),
        "{}",
        stderr(&missing)
    );
    assert_eq!(std::fs::read(&file).unwrap(), written);
}
