//! Nothing slips in unchecked (issue 13, section 2): precedence clashes with standard rules,
//! values checked against what the product allows, directory extension names, the migration
//! report at install, `directory add` with the standard rules and credentials, and the
//! import session. Each through the binary, on a deployment in a temporary home.
#![allow(clippy::disallowed_methods, reason = "tests read and write files")]

use crate::support::{sample, stderr, stdout, workspace};
use std::path::PathBuf;
use std::process::{Command, Output};

/// A deployment home in a temporary folder.
pub(crate) struct Home {
    pub(crate) dir: tempfile::TempDir,
}

impl Home {
    pub(crate) fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub(crate) fn path(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_syncpolicy"));
        c.arg("--home")
            .arg(self.path())
            .args(args)
            .current_dir(workspace())
            .env("NO_COLOR", "1")
            .env("USER", "check-tester")
            .env(
                "SYNCPOLICY_CREDENTIALS",
                "contoso.com=Pa55-one\nfabrikam.com=Pa55-two\n",
            )
            .env_remove("SYNCPOLICY_HOME")
            .env_remove("SYNCPOLICY_DATABASE")
            .stdin(std::process::Stdio::null());
        c
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.command(args)
            .output()
            .expect("the syncpolicy binary runs")
    }

    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "`{}` failed:\n{}{}",
            args.join(" "),
            stdout(&o),
            stderr(&o)
        );
        stdout(&o)
    }

    pub(crate) fn history_len(&self) -> usize {
        let h: serde_json::Value =
            serde_json::from_str(&self.ok(&["history", "--format", "json"])).expect("JSON");
        h.as_array().map_or(0, Vec::len)
    }

    /// Runs a change that must be refused (exit 2) with `message`, and checks that it left
    /// no history entry.
    pub(crate) fn refused(&self, args: &[&str], message: &str) {
        let before = self.history_len();
        let o = self.run(args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?} must be refused:\n{}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(stderr(&o).contains(message), "{args:?}:\n{}", stderr(&o));
        assert_eq!(self.history_len(), before, "{args:?} left a history entry");
    }
}

/// A deployment imported from a shipped sample (the import session stays open).
pub(crate) fn imported(name: &str) -> Home {
    let home = Home::new();
    let file = sample(name);
    home.ok(&[
        "install",
        "--import",
        file.to_str().expect("utf-8 path"),
        "--yes",
    ]);
    home
}

/// A file written next to the home.
fn write(home: &Home, name: &str, text: &str) -> String {
    let path = home.dir.path().join(name);
    std::fs::write(&path, text).expect("the file is written");
    path.display().to_string()
}

#[test]
fn a_custom_rule_cannot_take_a_standard_rules_precedence() {
    let home = imported("multi-forest-custom");
    let rules: serde_json::Value = serde_json::from_str(&home.ok(&[
        "rule",
        "list",
        "--directory",
        "contoso.com",
        "--format",
        "json",
    ]))
    .expect("JSON");
    let standard_inbound = rules
        .as_array()
        .expect("a list")
        .iter()
        .find(|r| {
            r["kind"] == "standard"
                && r["direction"] == "Inbound"
                && r["precedence"].as_i64().is_some_and(|p| p > 100)
        })
        .unwrap_or_else(|| panic!("a standard inbound rule: {rules}"));
    let p = standard_inbound["precedence"].to_string();
    home.refused(
        &[
            "rule",
            "edit",
            "In from AD - User Cost Center",
            "--precedence",
            &p,
        ],
        &format!("precedence {p} is taken by inbound standard rule"),
    );
    // The file form of the same clash is an error of validate.
    let file = workspace().join(
        "crates/syncpolicy-lint/tests/data/invalid/SP013-precedence-taken-by-standard-rule.json",
    );
    let o = home.run(&["validate", file.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("error[SP013]"), "{}", stdout(&o));
}

#[test]
fn values_outside_what_the_product_allows_are_refused_and_reported() {
    let home = imported("multi-forest-custom");
    home.refused(
        &["identity", "--matching", "Bogus"],
        "\"Bogus\" is not a user-matching option",
    );
    home.refused(
        &["identity", "--source-anchor", "bad attr!!"],
        "\"bad attr!!\" is not a valid source anchor attribute",
    );
    home.refused(
        &[
            "feature",
            "app-filter",
            "--apps",
            "Exchange Online,Bogus App",
        ],
        "\"Bogus App\" is not an application of app filtering",
    );
    home.refused(
        &["feature", "extension-add", "x", "--object-class", "contact"],
        "not an object class directory extensions are offered for",
    );
    // Known values are accepted, in the product's spelling.
    home.ok(&["feature", "app-filter", "--apps", "exchange online,Intune"]);
    home.ok(&["identity", "--matching", "objectsid"]);
    let show: serde_json::Value =
        serde_json::from_str(&home.ok(&["show", "--format", "json"])).expect("JSON");
    let text = show.to_string();
    assert!(text.contains("\"Exchange Online\""), "{text}");
    assert!(
        text.contains("ObjectSIDAndMsExchMasterAccountSID"),
        "{text}"
    );
    // The same checks run on files.
    let original = std::fs::read_to_string(sample("multi-forest-custom")).expect("the sample");
    let bad = original
        .replace(
            "\"userMatchingPolicy\": \"MailAttribute\"",
            "\"userMatchingPolicy\": \"Bogus\"",
        )
        .replace(
            "\"azureSourceAnchorAttribute\": \"mS-DS-ConsistencyGuid\"",
            "\"azureSourceAnchorAttribute\": \"bad attr!!\"",
        )
        .replace("\"SharePoint Online\"", "\"Bogus App\"");
    assert_ne!(bad, original);
    let file = write(&home, "bad.json", &bad);
    let o = home.run(&["validate", &file]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for code in ["error[SP009]", "warning[SP014]", "warning[SP015]"] {
        assert!(out.contains(code), "{code} missing:\n{out}");
    }
}

#[test]
fn directory_extensions_are_named_as_show_prints_them() {
    let home = imported("multi-forest-custom");
    let out = home.ok(&["feature", "extension-add", "user.department2"]);
    assert!(
        out.contains("added directory extension user.department2 (String)"),
        "{out}"
    );
    let show = home.ok(&["show"]);
    assert!(show.contains("user.department2"), "{show}");
    assert!(!show.contains("user.user.department2"), "{show}");
    // Stored once: adding the bare name again is refused.
    home.refused(
        &["feature", "extension-add", "department2"],
        "user.department2 is already synchronized",
    );
    home.ok(&["feature", "extension-remove", "user.department2"]);
    assert!(!home.ok(&["show"]).contains("department2"));
    home.ok(&["feature", "extension-add", "department2"]);
    home.ok(&["feature", "extension-remove", "department2"]);
    assert!(!home.ok(&["show"]).contains("department2"));
}
