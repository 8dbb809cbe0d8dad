//! `syncpolicy migrate` end to end: the settings file and the report it writes, the exit
//! codes (0 migrated, 1 something must be redone by hand, 2 nothing written), and legacy
//! folders as a source of other commands.

use crate::support::{run, stderr, stdout, workspace};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    workspace()
        .join("crates/syncpolicy-legacy/tests/data")
        .join(name)
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_syncpolicy"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SYNCPOLICY_HOME")
        .output()
        .expect("the syncpolicy binary runs")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn migrates_a_single_forest_and_writes_file_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.json");
    let report = tmp.path().join("report.json");
    let src = fixture("single-forest");
    let o = run(&[
        "migrate",
        src.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("rules: 3 (1 standard, 2 custom, 1 disabled, 0 unattached)"),
        "{err}"
    );
    assert!(
        err.contains("kept in the extension part (x-syncpolicy)"),
        "{err}"
    );
    assert!(err.contains("needs review ("), "{err}");
    assert!(!err.contains("must be redone by hand"), "{err}");

    let config = syncpolicy_json::read_settings(&std::fs::read(&out).unwrap(), "out.json").unwrap();
    assert_eq!(config.policy_metadata.policy_type, "migration");
    assert_eq!(config.onpremises_directories[0].name, "contoso.com");
    assert_eq!(config.rule_count(), 3);
    assert_eq!(config.extension.staging_mode, Some(false));

    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["counts"]["customRules"], 2);
    assert_eq!(json["summary"]["redoByHand"], 0);
    let disabled = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "disabled-custom-rule")
        .expect("the disabled custom rule is reported");
    assert_eq!(disabled["class"], "needs-review");
    assert_eq!(disabled["xmlElement"], "synchronizationRule/disabled");
    assert_eq!(disabled["line"], 10);
}

#[test]
fn default_output_name_is_a_migrated_snapshot_in_the_current_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let src = fixture("single-forest");
    let o = run_in(tmp.path(), &["migrate", "--quiet", src.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).is_empty(),
        "--quiet prints nothing: {}",
        stderr(&o)
    );
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        names[0].starts_with("Migrated-SynchronizationPolicy-"),
        "{names:?}"
    );
    assert!(names[0].ends_with("Z.json"), "{names:?}");
}

#[test]
fn an_unattached_rule_exits_1_and_is_kept_in_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.json");
    let report = tmp.path().join("report.json");
    let src = fixture("two-forests");
    let o = run(&[
        "migrate",
        src.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(out.exists(), "the settings file is written all the same");
    let on_stdout: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(on_stdout["counts"], json["counts"]);
    let u = &json["unattachedRules"][0];
    assert_eq!(u["connector"], "{99999999-aaaa-4bbb-8ccc-000000000009}");
    assert_eq!(u["rule"]["name"], "In from AD - User Retired Forest");
    assert_eq!(u["rule"]["mappings"][0]["flowType"], "Constant");
    assert_eq!(u["rule"]["mappings"][0]["value"], "retired");
    assert_eq!(json["summary"]["redoByHand"], 1);
}

#[test]
fn errors_exit_2_and_name_the_problem() {
    let missing = run(&["migrate", "no-such-folder"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = stderr(&missing);
    assert!(
        err.starts_with("error: no-such-folder is not a folder\nhint: "),
        "{err}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("Exported-ServerConfiguration-broken");
    copy_dir(&fixture("single-forest"), &broken);
    let rule = broken.join(
        "SynchronizationRules/SynchronizationRule_{0b088913-b613-4d9d-9563-9988b7719ed6}.xml",
    );
    let text = std::fs::read_to_string(&rule)
        .unwrap()
        .replace("</linkType>", "</link>");
    std::fs::write(&rule, text).unwrap();
    let out = tmp.path().join("out.json");
    let o = run(&[
        "migrate",
        broken.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let full = format!(
        "error: {}/SynchronizationRules/SynchronizationRule_{{0b088913-b613-4d9d-9563-9988b7719ed6}}.xml:14:22: ",
        broken.display()
    );
    assert!(err.starts_with(&full), "{err}");
    assert!(
        !err.contains("caused by"),
        "the message is not repeated: {err}"
    );
    assert!(err.contains("not well-formed XML"), "{err}");
    assert!(err.contains("\nhint: "), "{err}");
    assert!(!out.exists(), "nothing is written on error");

    std::fs::remove_dir_all(broken.join("GlobalSettings")).unwrap();
    let o = run(&[
        "migrate",
        broken.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("has no GlobalSettings/ folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn other_commands_read_a_legacy_folder_as_a_source() {
    let src = fixture("two-forests");
    let o = run(&["show", src.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let text = json.to_string();
    assert!(
        text.contains("fabrikam.com") && text.contains("contoso.com"),
        "{text}"
    );
    let verbose = run(&["show", src.to_str().unwrap(), "--verbose"]);
    assert!(
        stderr(&verbose).contains("must be redone by hand"),
        "{}",
        stderr(&verbose)
    );
}

#[test]
fn help_documents_the_exit_codes() {
    let o = run(&["migrate", "--help"]);
    let help = stdout(&o);
    assert!(
        help.contains("Exit codes: 0 the settings file was written"),
        "{help}"
    );
    assert!(help.contains("must be redone by hand"), "{help}");
    assert!(help.contains("--report <FILE>"), "{help}");
}
