//! Rules Editor PowerShell end to end (issue 14): `.ps1` files as sources of `rule list`,
//! `rule show` and `diff`; `rule export` (byte-identical for rules read from an export);
//! `rule add --file FILE.ps1` into a deployment, with `--map` and `--dry-run`; `plan` with its
//! exit codes and script file. No PowerShell runs here: scripts are read back with the reader.

#![allow(
    clippy::disallowed_methods,
    reason = "the tests write and read their own temporary files"
)]

use crate::support::{run, sample, stderr, stdout, workspace};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn golden(name: &str) -> PathBuf {
    workspace()
        .join("crates/syncpolicy-powershell/tests/data")
        .join(name)
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn run_home(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_syncpolicy"))
        .arg("--home")
        .arg(home)
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env("USER", "ps-tester")
        .env(
            "SYNCPOLICY_CREDENTIALS",
            "contoso.com=Pa55-one\nfabrikam.com=Pa55-two\n",
        )
        .env_remove("SYNCPOLICY_HOME")
        .env_remove("SYNCPOLICY_DATABASE")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the syncpolicy binary runs")
}

#[test]
fn rule_list_and_show_read_a_ps1_file() {
    let f = golden("several-rules.ps1");
    let o = run(&["rule", "list", "--source", arg(&f)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("In from AD - User Custom Attributes"), "{out}");
    assert!(out.contains("3 rules"), "{out}");
    let o = run(&[
        "rule",
        "show",
        "Out to AAD - User Identity",
        "--source",
        arg(&f),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Microsoft.OuttoAADUserIdentity.005"));
}

#[test]
fn diff_of_two_ps1_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = golden("several-rules.ps1");
    let o = run(&["diff", arg(&a), arg(&a)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&a).unwrap();
    let b = dir.path().join("changed.ps1");
    std::fs::write(&b, text.replacen("-Precedence 40 `", "-Precedence 45 `", 1)).unwrap();
    let o = run(&["diff", arg(&a), arg(&b)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("In from AD - User Custom Attributes"), "{out}");
    assert!(out.contains("45"), "{out}");
}

#[test]
fn rule_export_writes_a_read_rule_back_byte_for_byte() {
    let f = golden("several-rules.ps1");
    let bytes = std::fs::read(&f).unwrap();
    let file = syncpolicy_powershell::read_rules(&bytes, "several-rules.ps1").unwrap();
    let text = String::from_utf8(bytes).unwrap();
    for r in &file.rules {
        let o = run(&[
            "rule",
            "export",
            r.rule.name(),
            "--from",
            arg(&f),
            "--format",
            "powershell",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o), format!("{}\n\n", &text[r.span.clone()]));
    }
}

#[test]
fn rule_export_of_a_settings_file_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rules.ps1");
    let s = sample("multi-forest-custom");
    let o = run(&["rule", "export", "--from", arg(&s), "-o", arg(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with BOM");
    let file = syncpolicy_powershell::read_rules(&bytes, "rules.ps1").unwrap();
    let config = syncpolicy_files::settings::load_settings(&s)
        .unwrap()
        .config;
    assert_eq!(file.rules.len(), config.rule_count());
    // The same rules as the settings file, each by its identifier.
    for (_, r) in config.rules() {
        let read = file
            .rules
            .iter()
            .find(|x| x.rule.unique_identifier == r.unique_identifier)
            .unwrap_or_else(|| panic!("{} is exported", r.name()));
        let mut expected = r.clone();
        expected.extension.connector_id = read.rule.extension.connector_id.clone();
        expected.preserved = read.rule.preserved.clone();
        assert_eq!(read.rule, expected);
    }
    // An unknown rule is an error.
    let o = run(&["rule", "export", "No such rule", "--from", arg(&s)]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn rule_add_from_a_ps1_file() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let s = sample("multi-forest-custom");
    let o = run_home(&home, &["install", "--import", arg(&s), "--yes"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let history = |home: &Path| stdout(&run_home(home, &["history", "--format", "json"]));
    let before = history(&home);

    // Only the custom rules of the export: the standard one is refused, nothing changes.
    let f = golden("several-rules.ps1");
    let o = run_home(&home, &["rule", "add", "--file", arg(&f), "--yes"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("several-rules.ps1:1:")
            && err.contains("7f3c2a10-5d6e-4b8f-a9c1-0e2d4f6a8b3c"),
        "{err}"
    );
    assert!(
        err.contains("--map 7f3c2a10-5d6e-4b8f-a9c1-0e2d4f6a8b3c=DIRECTORY"),
        "{err}"
    );
    assert_eq!(history(&home), before);

    let text = std::fs::read_to_string(&f).unwrap();
    let start = text.find("New-ADSyncRule  `\n-Name 'Out to AAD").unwrap();
    let end = text
        .find("New-ADSyncRule  `\n-Name 'Out to AD - Manager")
        .unwrap();
    let custom = dir.path().join("custom.ps1");
    let own = format!("{}{}", &text[..start], &text[end..])
        .replace("'cloudNoFlow'", "'extensionAttribute14'");
    std::fs::write(&custom, &own).unwrap();
    let map = "7f3c2a10-5d6e-4b8f-a9c1-0e2d4f6a8b3c=contoso.com";
    // Validated: a soft-delete interval on an outbound Join rule is an error.
    let o = run_home(
        &home,
        &[
            "rule",
            "add",
            "--file",
            arg(&custom),
            "--map",
            map,
            "--dry-run",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("SP023"), "{}", stderr(&o));
    std::fs::write(
        &custom,
        own.replace(
            "-SoftDeleteExpiryInterval 2 `",
            "-SoftDeleteExpiryInterval 0 `",
        ),
    )
    .unwrap();
    let o = run_home(
        &home,
        &[
            "rule",
            "add",
            "--file",
            arg(&custom),
            "--map",
            map,
            "--dry-run",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("dry run, nothing was changed"),
        "{}",
        stdout(&o)
    );
    assert_eq!(history(&home), before);
    let o = run_home(
        &home,
        &["rule", "add", "--file", arg(&custom), "--map", map],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 rules from"), "{}", stdout(&o));
    let o = run_home(
        &home,
        &["rule", "show", "Out to AD - Manager's $Display `Name"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = stdout(&o);
    assert!(
        shown.contains("disabled") && shown.contains("contoso.com"),
        "{shown}"
    );
    // The same file again: the identifiers are taken.
    let o = run_home(
        &home,
        &["rule", "add", "--file", arg(&custom), "--map", map],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already"), "{}", stderr(&o));

    // A truncated file: the error names the position; nothing changes.
    let before = history(&home);
    let cut = dir.path().join("cut.ps1");
    std::fs::write(&cut, &text[..200]).unwrap();
    let o = run_home(&home, &["rule", "add", "--file", arg(&cut), "--map", map]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cut.ps1:"), "{}", stderr(&o));
    assert_eq!(history(&home), before);
}

#[test]
fn plan_exit_codes_and_script_file() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample("multi-forest-custom");
    let o = run(&["plan", arg(&s), arg(&s)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("nothing to do"));

    let config = syncpolicy_files::settings::load_settings(&s)
        .unwrap()
        .config;
    let mut desired = config.clone();
    desired.onpremises_directories[0].custom_rules[0].description = "it's changed".to_owned();
    let d = dir.path().join("desired.json");
    std::fs::write(&d, syncpolicy_json::write_settings(&desired)).unwrap();
    let o = run(&["plan", arg(&s), arg(&d)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("replace custom rule"), "{}", stdout(&o));

    let out = dir.path().join("apply.ps1");
    let o = run(&[
        "plan",
        arg(&s),
        arg(&d),
        "--format",
        "powershell",
        "-o",
        arg(&out),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let script = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(script.contains("StagingModeEnabled"));
    let start = script.find("# >>> rule\n").unwrap() + "# >>> rule\n".len();
    let end = script.find("# <<< rule").unwrap();
    let (rules, _) =
        syncpolicy_powershell::read_rules_str(&script[start..end], "apply.ps1").unwrap();
    assert_eq!(rules[0].rule.description, "it's changed");
    assert_eq!(
        rules[0].rule.unique_identifier,
        config.onpremises_directories[0].custom_rules[0].unique_identifier
    );

    let o = run(&["plan", arg(&s), arg(&d), "--map", "nosuch=contoso.com"]);
    assert_eq!(o.status.code(), Some(2));
}
