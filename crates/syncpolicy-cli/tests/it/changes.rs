//! The change commands (issue 7) end to end, on SQLite and on PostgreSQL: each change is
//! visible in `show`/`rule show`, is in the auto-export, is named in history, and
//! `diff @~1 @latest` shows exactly that change; every refusal changes nothing; and the
//! scenario from express install to a verified re-import.

use crate::support::{fresh_postgres_database, sample, stderr, stdout, workspace, Db};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A deployment in a temporary home, on SQLite or on a fresh PostgreSQL database.
struct Dep {
    dir: tempfile::TempDir,
    database: Option<String>,
}

impl Dep {
    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_syncpolicy"))
            .arg("--home")
            .arg(self.home())
            .args(args)
            .current_dir(workspace())
            .env("NO_COLOR", "1")
            .env("USER", "change-tester")
            .env(
                "SYNCPOLICY_CREDENTIALS",
                "contoso.com=Pa55-one\nfabrikam.com=Pa55-two\ntailspin.com=Pa55-three\n",
            )
            .env_remove("SYNCPOLICY_HOME")
            .env_remove("SYNCPOLICY_DATABASE")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("the syncpolicy binary runs")
    }

    fn ok(&self, args: &[&str]) -> String {
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

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args))
            .unwrap_or_else(|e| panic!("`{}` did not print JSON: {e}", args.join(" ")))
    }

    fn history(&self) -> Vec<serde_json::Value> {
        self.json(&["history", "--format", "json"])["entries"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn exports(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.home().join("exports"))
            .map(|r| r.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        v.sort();
        v
    }
}

fn imported(db: Db, sample_name: &str) -> Dep {
    let dep = Dep {
        dir: tempfile::tempdir().expect("a temporary folder"),
        database: match db {
            Db::Sqlite => None,
            Db::Postgres => Some(fresh_postgres_database("cli")),
        },
    };
    let file = sample(sample_name);
    let mut args = vec![
        "install",
        "--import",
        file.to_str().expect("utf-8 path"),
        "--yes",
    ];
    if let Some(url) = &dep.database {
        args.push("--database");
        args.push(url);
    }
    dep.ok(&args);
    dep
}

/// One change and what must show it.
struct Step {
    args: &'static [&'static str],
    summary: &'static str,
    history_command: &'static str,
    /// Text the newest export must contain (absent before).
    export_has: &'static str,
    /// A command whose output must contain `visible`.
    visible_in: &'static [&'static str],
    visible: &'static str,
    /// The path of the one change `diff @~1 @latest` shows.
    diff_path: &'static str,
}

/// Paths a step may show besides its own: adding or removing a directory also changes the
/// connector run order, and adding one renumbers the standard rules as the wizard does.
const ALSO_ALLOWED: &[&str] = &["connector run order", "standard rules ("];

const STEPS: &[Step] = &[
    Step {
        args: &[
            "directory",
            "add",
            "tailspin.com",
            "--account",
            "TAILSPIN\\svc-sync",
        ],
        summary: "added directory tailspin.com",
        history_command: "directory add",
        export_has: "\"friendlyName\": \"tailspin.com\"",
        visible_in: &["show"],
        visible: "tailspin.com  forest tailspin.com",
        diff_path: "tailspin.com",
    },
    Step {
        args: &["partition", "select", "fabrikam.com", "emea.fabrikam.com"],
        summary: "selected partition DC=emea,DC=fabrikam,DC=com",
        history_command: "partition select",
        export_has: "",
        visible_in: &["show"],
        visible: "partition DC=emea,DC=fabrikam,DC=com  selected",
        diff_path: "partition DC=emea,DC=fabrikam,DC=com / selected",
    },
    Step {
        args: &[
            "ou",
            "exclude",
            "contoso.com",
            "OU=Temp,OU=CORP,DC=contoso,DC=com",
        ],
        summary: "excluded OU=Temp,OU=CORP,DC=contoso,DC=com",
        history_command: "ou exclude",
        export_has: "\"OU=Temp,OU=CORP,DC=contoso,DC=com\"",
        visible_in: &["show"],
        visible: "exclude OU=Temp,OU=CORP,DC=contoso,DC=com",
        diff_path: "partition DC=contoso,DC=com / OU exclusion",
    },
    Step {
        args: &[
            "partition",
            "controllers",
            "fabrikam.com",
            "fabrikam.com",
            "dc7.fabrikam.com",
        ],
        summary: "set the preferred domain controllers",
        history_command: "partition controllers",
        export_has: "\"dc7.fabrikam.com\"",
        visible_in: &["show"],
        visible: "preferred DCs dc7.fabrikam.com",
        diff_path: "preferred domain controllers",
    },
    Step {
        args: &[
            "connector",
            "object-types",
            "fabrikam.com",
            "user",
            "group",
            "contact",
        ],
        summary: "set the object types of fabrikam.com",
        history_command: "connector object-types",
        export_has: "",
        visible_in: &["show"],
        visible: "object types user, group, contact",
        diff_path: "fabrikam.com",
    },
    Step {
        args: &[
            "connector",
            "attributes",
            "fabrikam.com",
            "cn",
            "displayName",
            "mail",
            "sAMAccountName",
        ],
        summary: "set the attribute inclusion list of fabrikam.com (4 attributes)",
        history_command: "connector attributes",
        export_has: "",
        visible_in: &["show"],
        visible: "attributes 4 included",
        diff_path: "fabrikam.com",
    },
    Step {
        args: &["signin", "--method", "phs", "--sso", "off"],
        summary: "sign-in set to password hash synchronization",
        history_command: "signin",
        export_has: "",
        visible_in: &["show"],
        visible: "method                    password hash synchronization",
        diff_path: "sign-in",
    },
    Step {
        args: &[
            "feature",
            "device-writeback",
            "fabrikam.com",
            "--dn",
            "CN=RegisteredDevices,DC=fabrikam,DC=com",
        ],
        summary: "device writeback on for fabrikam.com",
        history_command: "feature device-writeback",
        export_has:
            "\"deviceWritebackDistinguishedName\": \"CN=RegisteredDevices,DC=fabrikam,DC=com\"",
        visible_in: &["show"],
        visible: "fabrikam.com: CN=RegisteredDevices,DC=fabrikam,DC=com",
        diff_path: "fabrikam.com / device writeback",
    },
    Step {
        args: &["feature", "public-folders", "on"],
        summary: "mail-enabled public folders on",
        history_command: "feature public-folders",
        export_has: "\"mailPublicFolders\": true",
        visible_in: &["show"],
        visible: "mail public folders       on",
        diff_path: "public folders",
    },
    Step {
        args: &[
            "feature",
            "extension-add",
            "division",
            "--object-class",
            "user",
        ],
        summary: "added directory extension user.division",
        history_command: "feature extension-add",
        export_has: "\"attribute\": \"division\"",
        visible_in: &["show"],
        visible: "user.division",
        diff_path: "division",
    },
    Step {
        args: &["feature", "deletion-threshold", "1200"],
        summary: "deletion threshold set to 1200",
        history_command: "feature deletion-threshold",
        export_has: "\"exportDeletionLimit\": \"1200\"",
        visible_in: &["show"],
        visible: "deletion threshold        1200",
        diff_path: "deletion threshold",
    },
    Step {
        args: &["identity", "--upn", "mail"],
        summary: "identity mapping: user principal name from mail",
        history_command: "identity",
        export_has: "\"userPrincipalNameAttribute\": \"mail\"",
        visible_in: &["show"],
        visible: "user principal name       mail",
        diff_path: "user principal name",
    },
    Step {
        args: &["scheduler", "--interval", "01:00:00"],
        summary: "set sync interval 01:00:00",
        history_command: "scheduler",
        export_has: "\"syncInterval\": \"01:00:00\"",
        visible_in: &["show"],
        visible: "every 01:00:00",
        diff_path: "sync interval",
    },
    Step {
        args: &["runprofile", "add", "contoso.com", "Nightly Delta"],
        summary: "added run profile \"Nightly Delta\" to contoso.com",
        history_command: "runprofile add",
        export_has: "\"name\": \"Nightly Delta\"",
        visible_in: &["show"],
        visible: "Nightly Delta",
        diff_path: "Nightly Delta",
    },
    Step {
        args: &["rule", "disable", "In from AD - User Cost Center"],
        summary: "disabled rule \"In from AD - User Cost Center\"",
        history_command: "rule disable",
        export_has: "",
        visible_in: &["rule", "show", "In from AD - User Cost Center"],
        visible: "state               disabled",
        diff_path: "rule 'In from AD - User Cost Center' (Inbound) / disabled",
    },
    Step {
        args: &[
            "rule",
            "add",
            "--directory",
            "fabrikam.com",
            "--name",
            "In from AD - User Division",
            "--direction",
            "inbound",
            "--source",
            "user",
            "--target",
            "person",
            "--scope",
            "division ISNOTNULL",
            "--mapping",
            "department:=Trim([division])",
        ],
        summary: "added custom rule \"In from AD - User Division\" to fabrikam.com at precedence 0",
        history_command: "rule add",
        export_has: "\"Name\": \"In from AD - User Division\"",
        visible_in: &["rule", "show", "In from AD - User Division"],
        visible: "department <- Trim([division])",
        diff_path: "rule 'In from AD - User Division' (Inbound)",
    },
    Step {
        args: &[
            "rule",
            "edit",
            "In from AD - User Division",
            "--description",
            "Division as department",
        ],
        summary:
            "edited rule \"In from AD - User Division\" (Inbound) in fabrikam.com: description",
        history_command: "rule edit",
        export_has: "\"description\": \"Division as department\"",
        visible_in: &["rule", "show", "In from AD - User Division"],
        visible: "Division as department",
        diff_path: "rule 'In from AD - User Division' (Inbound) / description",
    },
    Step {
        args: &[
            "rule",
            "move",
            "In from AD - User Division",
            "--after",
            "Out to AAD - User Usage Location",
        ],
        summary: "precedence 71",
        history_command: "rule move",
        export_has: "",
        visible_in: &["rule", "list", "--kind", "custom"],
        visible: "    71  fabrikam.com",
        diff_path: "rule 'In from AD - User Division' (Inbound)",
    },
    Step {
        args: &[
            "rule",
            "clone",
            "In from AD - User Common",
            "--directory",
            "fabrikam.com",
            "--name",
            "In from AD - User Common (Fabrikam)",
        ],
        summary: "cloned from standard rule",
        history_command: "rule clone",
        export_has: "\"Name\": \"In from AD - User Common (Fabrikam)\"",
        visible_in: &["rule", "list", "--kind", "custom"],
        visible: "In from AD - User Common (Fabrikam)",
        diff_path: "In from AD - User Common",
    },
    Step {
        args: &["rule", "delete", "In from AD - User Common (Fabrikam)"],
        summary: "deleted custom rule",
        history_command: "rule delete",
        export_has: "",
        visible_in: &["rule", "list", "--kind", "custom"],
        visible: "rules",
        diff_path: "rule 'In from AD - User Common (Fabrikam)' (Inbound)",
    },
    Step {
        args: &["directory", "remove", "tailspin.com", "--yes"],
        summary: "removed directory tailspin.com",
        history_command: "directory remove",
        export_has: "",
        visible_in: &["directory", "list"],
        visible: "2 on-premises directories",
        diff_path: "tailspin.com",
    },
];

fn every_change_is_shown_exported_recorded_and_diffed(db: Db) {
    let dep = imported(db, "multi-forest-custom");
    // Close the import session first (verify passes right after an import).
    let file = sample("multi-forest-custom");
    dep.ok(&["verify", file.to_str().expect("utf-8 path")]);
    for step in STEPS {
        let before_history = dep.history().len();
        let out = dep.ok(step.args);
        assert!(
            out.contains(step.summary),
            "{:?}: summary {out:?} lacks {:?}",
            step.args,
            step.summary
        );
        let history = dep.history();
        assert_eq!(
            history.len(),
            before_history + 1,
            "{:?}: one history entry",
            step.args
        );
        assert_eq!(
            history[0]["command"], step.history_command,
            "{:?}",
            step.args
        );
        assert!(
            history[0]["summary"]
                .as_str()
                .unwrap_or("")
                .contains(step.summary),
            "{:?}",
            step.args
        );
        let newest = dep.exports().pop().expect("an export exists");
        assert!(
            newest.ends_with(history[0]["snapshot"].as_str().unwrap_or("?")),
            "{:?}: the newest export is the history's",
            step.args
        );
        let export = std::fs::read_to_string(&newest).expect("the export reads");
        assert!(
            export.contains(step.export_has),
            "{:?}: export lacks {:?}",
            step.args,
            step.export_has
        );
        let shown = dep.ok(step.visible_in);
        assert!(
            shown.contains(step.visible),
            "{:?}: `{}` lacks {:?}:\n{shown}",
            step.args,
            step.visible_in.join(" "),
            step.visible
        );
        let d = dep.run(&["diff", "@~1", "@latest", "--format", "json"]);
        assert_eq!(
            d.status.code(),
            Some(1),
            "{:?}: diff finds the change\n{}",
            step.args,
            stderr(&d)
        );
        let v: serde_json::Value = serde_json::from_slice(&d.stdout).expect("diff prints JSON");
        let changes = v["changes"].as_array().cloned().unwrap_or_default();
        assert!(!changes.is_empty(), "{:?}", step.args);
        for c in &changes {
            let path = c["path"].as_str().unwrap_or("");
            assert!(
                path.contains(step.diff_path) || ALSO_ALLOWED.iter().any(|a| path.contains(a)),
                "{:?}: diff shows something else: {c}",
                step.args
            );
        }
    }
}

#[test]
fn every_change_on_sqlite() {
    every_change_is_shown_exported_recorded_and_diffed(Db::Sqlite);
}

#[test]
fn every_change_on_postgres() {
    every_change_is_shown_exported_recorded_and_diffed(Db::Postgres);
}

fn refusal(dep: &Dep, args: &[&str], message: &str) {
    let history = dep.history().len();
    let exports = dep.exports();
    let o = dep.run(args);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{args:?} must be refused:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    assert_eq!(dep.history().len(), history, "{args:?}: no history entry");
    assert_eq!(dep.exports(), exports, "{args:?}: no export");
}

fn refusals_change_nothing(db: Db) {
    let dep = imported(db, "multi-forest-custom");
    refusal(
        &dep,
        &["directory", "remove", "fabrikam.com", "--yes"],
        "directories cannot be added or removed during an import session",
    );
    refusal(
        &dep,
        &["directory", "add", "tailspin.com", "--account", "T\\s"],
        "directories cannot be added or removed during an import session",
    );
    let file = sample("multi-forest-custom");
    dep.ok(&["verify", file.to_str().expect("utf-8 path")]);
    refusal(
        &dep,
        &[
            "rule",
            "add",
            "--directory",
            "contoso.com",
            "--name",
            "Dup",
            "--direction",
            "inbound",
            "--source",
            "user",
            "--target",
            "person",
            "--precedence",
            "50",
        ],
        "precedence 50 is taken by custom rule \"In from AD - User Contractors filter\"",
    );
    refusal(
        &dep,
        &[
            "rule",
            "edit",
            "In from AD - User Join",
            "--directory",
            "contoso.com",
            "--description",
            "x",
        ],
        "standard rules can only be enabled or disabled",
    );
    refusal(
        &dep,
        &[
            "ou",
            "include",
            "contoso.com",
            "OU=Sales,,DC=contoso,DC=com",
        ],
        "is not a valid distinguished name",
    );
    refusal(
        &dep,
        &[
            "rule",
            "add",
            "--directory",
            "contoso.com",
            "--name",
            "Typo",
            "--direction",
            "inbound",
            "--source",
            "user",
            "--target",
            "person",
            "--mapping",
            "departmnet<-title",
        ],
        "names the attribute \"departmnet\"",
    );
    refusal(
        &dep,
        &[
            "rule",
            "add",
            "--directory",
            "contoso.com",
            "--name",
            "Broken",
            "--direction",
            "inbound",
            "--source",
            "user",
            "--target",
            "person",
            "--mapping",
            "title:=Trim([title]",
        ],
        "expected `)` to close the call of `Trim`",
    );
    refusal(
        &dep,
        &["directory", "remove", "fabrikam.com"],
        "without confirmation",
    );
}

#[test]
fn refusals_on_sqlite() {
    refusals_change_nothing(Db::Sqlite);
}

#[test]
fn refusals_on_postgres() {
    refusals_change_nothing(Db::Postgres);
}

#[test]
fn dry_run_shows_the_change_and_applies_nothing() {
    let dep = imported(Db::Sqlite, "multi-forest-custom");
    let history = dep.history().len();
    let out = dep.ok(&["scheduler", "--interval", "02:00:00", "--dry-run"]);
    assert!(
        out.contains(
            "dry run, nothing was changed; the change would be: set sync interval 02:00:00"
        ),
        "{out}"
    );
    assert!(
        out.contains("~ server / scheduler / sync interval: 00:40:00 -> 02:00:00"),
        "{out}"
    );
    assert_eq!(dep.history().len(), history);
    let json = dep.json(&[
        "ou",
        "exclude",
        "contoso.com",
        "OU=X,DC=contoso,DC=com",
        "--dry-run",
        "--format",
        "json",
    ]);
    assert_eq!(json["dryRun"], true);
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(1));
}

#[test]
fn directories_and_their_items_are_given_the_same_way_in_ou_partition_and_feature() {
    let dep = imported(Db::Sqlite, "multi-forest-custom");
    let dry = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--dry-run", "--format", "json"]);
        let json = dep.json(&all);
        (json["summary"].clone(), json["changes"].clone())
    };
    // DIRECTORY then DN, as `ou` takes it; `--dn DN` is the earlier spelling.
    let dn = "OU=Writeback,DC=contoso,DC=com";
    let positional = dry(&["feature", "group-writeback", "contoso.com", dn]);
    assert_eq!(
        positional,
        dry(&["feature", "group-writeback", "contoso.com", "--dn", dn])
    );
    assert!(
        positional.0.as_str().is_some_and(|s| s.contains(dn)),
        "{positional:?}"
    );
    let o = dep.run(&["feature", "group-writeback", "contoso.com"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("<DN|--off>"), "{}", stderr(&o));
    // A partition by DNS name or by DN, for `add` as for `select`.
    let by_name = dry(&["partition", "add", "fabrikam.com", "apac.fabrikam.com"]);
    assert_eq!(
        by_name,
        dry(&[
            "partition",
            "add",
            "fabrikam.com",
            "DC=apac,DC=fabrikam,DC=com"
        ])
    );
    dep.ok(&[
        "partition",
        "add",
        "fabrikam.com",
        "DC=apac,DC=fabrikam,DC=com",
    ]);
    let out = dep.ok(&["partition", "select", "fabrikam.com", "apac.fabrikam.com"]);
    assert!(out.contains("DC=apac,DC=fabrikam,DC=com"), "{out}");
    // A run step's partition by DN or DNS name.
    dep.ok(&["runprofile", "add", "contoso.com", "Nightly"]);
    let step = |partition: &str| {
        dry(&[
            "runprofile",
            "add-step",
            "contoso.com",
            "Nightly",
            "--type",
            "delta-import",
            "--partition",
            partition,
        ])
    };
    let by_dn = step("DC=contoso,DC=com");
    assert_eq!(step("contoso.com"), by_dn);
    assert!(
        by_dn
            .0
            .as_str()
            .is_some_and(|s| s.contains("on DC=contoso,DC=com")),
        "{by_dn:?}"
    );
    // One output flag: -o/--output (export's earlier --out still works).
    let folder = dep.dir.path().join("dr");
    dep.ok(&["export", "-o", folder.to_str().expect("utf-8 path")]);
    assert_eq!(
        std::fs::read_dir(&folder).map(Iterator::count).ok(),
        Some(1)
    );
}

#[test]
fn scenario_from_express_install_to_a_verified_reimport() {
    let dep = Dep {
        dir: tempfile::tempdir().expect("a temporary folder"),
        database: None,
    };
    dep.ok(crate::support::EXPRESS_INSTALL);
    dep.ok(&[
        "directory",
        "add",
        "fabrikam.com",
        "--account",
        "FABRIKAM\\svc-sync",
    ]);
    dep.ok(&[
        "ou",
        "include",
        "fabrikam.com",
        "OU=Staff,DC=fabrikam,DC=com",
    ]);
    dep.ok(&[
        "ou",
        "exclude",
        "fabrikam.com",
        "OU=Disabled,OU=Staff,DC=fabrikam,DC=com",
    ]);
    dep.ok(&[
        "rule",
        "clone",
        "In from AD - User Common",
        "--directory",
        "contoso.com",
    ]);
    dep.ok(&[
        "rule",
        "edit",
        "Custom - In from AD - User Common",
        "--mapping",
        "department:=UCase(Trim([department]))",
    ]);
    dep.ok(&[
        "feature",
        "device-writeback",
        "contoso.com",
        "--dn",
        "CN=RegisteredDevices,DC=contoso,DC=com",
    ]);
    dep.ok(&["scheduler", "--interval", "01:00:00"]);
    let out = tempfile::tempdir().expect("a temporary folder");
    dep.ok(&[
        "export",
        "--output",
        out.path().to_str().expect("utf-8 path"),
    ]);
    let exported: Vec<PathBuf> = std::fs::read_dir(out.path())
        .expect("listed")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(exported.len(), 1);
    let file = exported[0].to_str().expect("utf-8 path").to_owned();
    let fresh = Dep {
        dir: tempfile::tempdir().expect("a temporary folder"),
        database: None,
    };
    fresh.ok(&["install", "--import", &file, "--yes"]);
    let verify = fresh.run(&["verify", &file]);
    assert!(
        verify.status.success(),
        "verify must pass:\n{}{}",
        stdout(&verify),
        stderr(&verify)
    );
    // Zero configuration differences between the export and the new deployment.
    let d = fresh.run(&["diff", &file, "@latest", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&d.stdout).expect("diff prints JSON");
    let config_changes: Vec<&serde_json::Value> = v["changes"]
        .as_array()
        .map(|a| a.iter().filter(|c| c["class"] == "configuration").collect())
        .unwrap_or_default();
    let expected_by_import: Vec<&&serde_json::Value> = config_changes
        .iter()
        .filter(|c| !c["path"].as_str().unwrap_or("").contains("staging"))
        .collect();
    assert!(
        expected_by_import.is_empty(),
        "only staging mode differs after an import: {config_changes:?}"
    );
    assert!(Path::new(&file).exists());
}
