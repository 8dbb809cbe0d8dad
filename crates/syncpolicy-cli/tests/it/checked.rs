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

    /// The command, with standard input closed (no terminal to ask on).
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut c = self.terminal_command(args);
        c.stdin(std::process::Stdio::null());
        c
    }

    /// The command, for a pseudo-terminal.
    pub(crate) fn terminal_command(&self, args: &[&str]) -> Command {
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
            .env_remove("SYNCPOLICY_DATABASE");
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
        h["entries"].as_array().map_or(0, Vec::len)
    }

    /// Runs a change that asks for what is already so: exit 0, the one "unchanged" wording
    /// with `message`, and no history entry.
    pub(crate) fn unchanged(&self, args: &[&str], message: &str) {
        let before = self.history_len();
        let o = self.run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}:\n{}", stderr(&o));
        assert!(
            stdout(&o).starts_with("unchanged: ") && stdout(&o).contains(message),
            "{args:?}:\n{}",
            stdout(&o)
        );
        assert_eq!(self.history_len(), before, "{args:?} left a history entry");
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
    let standard_inbound = rules["rules"]
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
    // Stored once: adding the bare name again is already so (unchanged, exit 0).
    home.unchanged(
        &["feature", "extension-add", "department2"],
        "user.department2 is already synchronized",
    );
    home.ok(&["feature", "extension-remove", "user.department2"]);
    assert!(!home.ok(&["show"]).contains("department2"));
    home.ok(&["feature", "extension-add", "department2"]);
    home.ok(&["feature", "extension-remove", "department2"]);
    assert!(!home.ok(&["show"]).contains("department2"));
}

/// The legacy fixture with a rule whose connector is not in the folder (SP330).
fn legacy_with_unattached_rule() -> String {
    workspace()
        .join("crates/syncpolicy-legacy/tests/data/two-forests")
        .display()
        .to_string()
}

const MIGRATE_FLAGS: &[&str] = &["--admin", "admin@contoso.onmicrosoft.com"];

#[test]
fn install_migrate_stops_on_items_to_redo_by_hand_unless_accepted() {
    let home = Home::new();
    let folder = legacy_with_unattached_rule();
    let mut args = vec!["install", "--migrate", folder.as_str(), "--yes"];
    args.extend(MIGRATE_FLAGS);
    let o = home.run(&args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("must be redone by hand (1):"),
        "the report is printed:\n{err}"
    );
    assert!(
        err.contains("[SP330] rule \"In from AD - User Retired Forest\""),
        "{err}"
    );
    assert!(
        err.contains("the install stopped and nothing was written"),
        "{err}"
    );
    assert!(err.contains("--accept-manual-items"), "{err}");
    assert!(
        !home.path().join("deployment.json").exists(),
        "nothing was installed"
    );

    // Accepted: installed, and the accepted item is in the history entry.
    args.push("--accept-manual-items");
    home.ok(&args);
    let history = home.ok(&["history", "--format", "json"]);
    assert!(
        history.contains("accepted 1 item to redo by hand: [SP330] rule \\\"In from AD - User Retired Forest\\\""),
        "{history}"
    );

    // verify against the folder fails while its rule is missing; verify @latest passes but
    // does not end the import session.
    let o = home.run(&["verify", &folder]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("rule \"In from AD - User Retired Forest\"")
            && stdout(&o).contains("is not in the deployment: it must be redone by hand"),
        "{}",
        stdout(&o)
    );
    home.ok(&["verify", "@latest"]);
    let exports = home.path().join("exports");
    home.ok(&["verify", exports.to_str().expect("utf-8 path")]);
    home.refused(
        &["directory", "add", "tailspin.com", "--account", "T\\s"],
        "until `syncpolicy verify` passes against it",
    );
    // Redone by hand: verify passes and ends the session.
    home.ok(&[
        "rule",
        "add",
        "--directory",
        "contoso.com",
        "--name",
        "In from AD - User Retired Forest",
        "--direction",
        "inbound",
        "--source",
        "user",
        "--target",
        "person",
        "--mapping",
        "extensionAttribute1:=\"retired\"",
    ]);
    let o = home.run(&["verify", &folder]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("the import session is closed"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn install_migrate_asks_on_a_terminal_before_dropping_a_rule() {
    for (answer, installed) in [("no", false), ("yes", true)] {
        let home = Home::new();
        let folder = legacy_with_unattached_rule();
        let mut cmd = home.terminal_command(&[
            "install",
            "--migrate",
            &folder,
            "--sign-in",
            "pta",
            "--directory-account",
            "contoso.com=CONTOSO\\svc",
            "--directory-account",
            "fabrikam.com=FABRIKAM\\svc",
            "--staging",
            "on",
            "--start-sync",
            "on",
        ]);
        cmd.args(MIGRATE_FLAGS);
        let mut p =
            rexpect::session::spawn_command(cmd, Some(60_000)).expect("the binary starts on a pty");
        p.exp_string("must be redone by hand (1):").unwrap();
        p.exp_string("1 item of the migration report must be redone by hand after the install. Install without it (recorded in history)? (yes/no) [no]: ")
            .unwrap();
        p.send_line(answer).unwrap();
        if installed {
            p.exp_string("Proceed with the installation? (yes/no): ")
                .unwrap();
            p.send_line("yes").unwrap();
            p.exp_string("installed the deployment").unwrap();
        } else {
            p.exp_string("the install stopped and nothing was written")
                .unwrap();
        }
        p.exp_eof().unwrap();
        assert_eq!(
            home.path().join("deployment.json").exists(),
            installed,
            "answer {answer}"
        );
    }
}

#[test]
fn install_help_explains_the_import_session() {
    let home = Home::new();
    let help = home.ok(&["install", "--help"]);
    assert!(help.contains("Import session:"), "{help}");
    assert!(
        help.contains("`verify @latest`, the deployment against itself, does not end"),
        "{help}"
    );
    assert!(help.contains("--accept-manual-items"), "{help}");
}

/// Closes the import session of a deployment imported from a sample.
fn verified(name: &str) -> Home {
    let home = imported(name);
    let file = sample(name);
    home.ok(&["verify", file.to_str().expect("utf-8 path")]);
    home
}

#[test]
fn directory_add_gives_the_new_forest_its_standard_rules_and_stores_its_password() {
    let home = verified("multi-forest-custom");
    // Without a password source and without a terminal, nothing is added.
    home.refused(
        &[
            "directory",
            "add",
            "tailspin.com",
            "--account",
            "TAILSPIN\\svc",
        ],
        "no password for the account TAILSPIN\\svc of directory tailspin.com",
    );
    let creds = write(&home, "creds.txt", "# forests\ntailspin.com=Tail-Pa55\n");
    let out = home.ok(&[
        "directory",
        "add",
        "tailspin.com",
        "--account",
        "TAILSPIN\\svc",
        "--credential-file",
        &creds,
    ]);
    assert!(
        out.contains(
            "added directory tailspin.com (forest tailspin.com, account TAILSPIN\\svc) with "
        ) && out.contains(" standard rules; renumbered "),
        "{out}"
    );
    let rules: serde_json::Value =
        serde_json::from_str(&home.ok(&["rule", "list", "--format", "json"])).expect("JSON");
    let rules = rules["rules"].as_array().expect("a list");
    let of = |dir: &str| -> Vec<&serde_json::Value> {
        rules.iter().filter(|r| r["directory"] == dir).collect()
    };
    let tailspin = of("tailspin.com");
    let contoso_standard = of("contoso.com")
        .into_iter()
        .filter(|r| r["kind"] == "standard")
        .count();
    assert_eq!(
        tailspin.len(),
        contoso_standard,
        "the same standard rules as the other forests"
    );
    assert!(tailspin.iter().all(|r| r["kind"] == "standard"));
    let join = |dir: &str| {
        of(dir)
            .into_iter()
            .find(|r| r["name"] == "In from AD - User Join")
            .map(|r| r["precedence"].as_i64().unwrap_or(-1))
    };
    // The wizard's numbering: each group in the order the forests were added.
    assert_eq!(
        (
            join("contoso.com"),
            join("fabrikam.com"),
            join("tailspin.com")
        ),
        (Some(100), Some(101), Some(102))
    );
    // The result validates without a precedence finding.
    let o = home.run(&["validate", "@latest"]);
    assert!(!stdout(&o).contains("precedence"), "{}", stdout(&o));
    // The password is in the secrets file only.
    let secrets = std::fs::read_to_string(home.path().join("secrets.json")).expect("secrets");
    assert!(secrets.contains("Tail-Pa55"));
    for entry in std::fs::read_dir(home.path().join("exports")).expect("exports") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("export");
        assert!(!text.contains("Tail-Pa55"));
    }
    assert!(!home
        .ok(&["history", "--format", "json"])
        .contains("Tail-Pa55"));
    let show: serde_json::Value =
        serde_json::from_str(&home.ok(&["show", "--format", "json"])).expect("JSON");
    let tail = show["directories"]
        .as_array()
        .expect("directories")
        .iter()
        .find(|d| d["name"] == "tailspin.com")
        .expect("tailspin.com is shown")
        .clone();
    assert_eq!(tail["credential"], "set", "{tail}");

    // Rotating: a new password from the sources, then a pre-created account.
    let rotated = write(&home, "rotated.txt", "tailspin.com=Rotated-Pa55\n");
    let out = home.ok(&[
        "directory",
        "credentials",
        "tailspin.com",
        "--credential-file",
        &rotated,
    ]);
    assert!(
        out.contains("credentials of directory tailspin.com set"),
        "{out}"
    );
    let secrets = std::fs::read_to_string(home.path().join("secrets.json")).expect("secrets");
    assert!(secrets.contains("Rotated-Pa55") && !secrets.contains("Tail-Pa55"));
    let before = home.history_len();
    home.ok(&[
        "directory",
        "credentials",
        "tailspin.com",
        "--account",
        "TAILSPIN\\gmsa",
        "--precreated",
    ]);
    assert_eq!(
        home.history_len(),
        before + 1,
        "the account change is recorded"
    );
    let secrets = std::fs::read_to_string(home.path().join("secrets.json")).expect("secrets");
    assert!(!secrets.contains("Rotated-Pa55"));
    assert!(secrets.contains("TAILSPIN\\\\gmsa"), "{secrets}");
}

#[test]
fn directory_add_asks_the_password_on_a_terminal() {
    let home = verified("multi-forest-custom");
    let mut cmd = home.terminal_command(&[
        "directory",
        "add",
        "tailspin.com",
        "--account",
        "TAILSPIN\\svc",
    ]);
    cmd.env_remove("SYNCPOLICY_CREDENTIALS");
    let mut p =
        rexpect::session::spawn_command(cmd, Some(60_000)).expect("the binary starts on a pty");
    p.exp_string("Directory tailspin.com: password for TAILSPIN\\svc: ")
        .unwrap();
    p.send_line("Typed-Tail-Pa55").unwrap();
    p.exp_string("added directory tailspin.com").unwrap();
    p.exp_eof().unwrap();
    let secrets = std::fs::read_to_string(home.path().join("secrets.json")).expect("secrets");
    assert!(secrets.contains("Typed-Tail-Pa55"));
}

#[test]
fn a_change_confirmation_accepts_only_yes_or_no() {
    let home = verified("multi-forest-custom");
    let before = stdout(&home.run(&["history"]));
    let cmd = home.terminal_command(&["directory", "remove", "fabrikam.com"]);
    let mut p =
        rexpect::session::spawn_command(cmd, Some(60_000)).expect("the binary starts on a pty");
    let question = "remove directory fabrikam.com and all its rules? (yes/no) [no]: ";
    p.exp_string(question).unwrap();
    p.send_line("sure").unwrap();
    p.exp_string("\"sure\" is not a valid answer; answer yes or no")
        .unwrap();
    p.exp_string(question).unwrap();
    p.send_line("no").unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(
        rest.contains("not confirmed; nothing was changed"),
        "{rest:?}"
    );
    // No change was recorded.
    assert_eq!(stdout(&home.run(&["history"])), before);
}
