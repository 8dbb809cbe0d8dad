//! Every `--format json` output (issue 15): each command whose `--format` accepts `json` — the
//! list comes from the command-line definition itself (`syncpolicy interface`, a walk of the
//! clap `Cli`), so a new command cannot be forgotten — runs on real inputs (the shipped samples,
//! a legacy folder, a deployment in a temporary home); its output parses as JSON, carries a
//! `schema` of the form `syncpolicy-<thing>/<version>` first, and that schema is documented in
//! docs/json-output.md. Values are typed (diff: a boolean and a number change) and verify names
//! the deployment's reference and export path apart.

use crate::support::{sample, stderr, stdout, workspace};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Each command with `--format json`, and the arguments it runs with (`--format json` is
/// added). Run in this order on one deployment imported from `multi-forest-custom`:
/// `{tmp}` is a temporary folder, `{old}`/`{new}` two settings files differing in a flag and a
/// number, `{legacy}` a legacy export folder, `{objects}` the sample directory objects.
const INVOCATIONS: &[(&str, &[&str])] = &[
    ("show", &["show", "samples/multi-forest-custom.json"]),
    (
        "validate",
        &["validate", "samples/multi-forest-custom.json"],
    ),
    ("diff", &["diff", "{old}", "{new}"]),
    (
        "migrate",
        &["migrate", "{legacy}", "-o", "{tmp}/migrated.json"],
    ),
    ("history", &["history"]),
    // Right after the import: passes, and closes the import session.
    ("verify", &["verify", "samples/multi-forest-custom.json"]),
    ("export", &["export", "--out", "{tmp}/dr"]),
    ("staging", &["staging", "off"]),
    ("directory list", &["directory", "list"]),
    (
        "directory add",
        &[
            "directory",
            "add",
            "tailspin.com",
            "--account",
            "TAILSPIN\\svc-sync",
        ],
    ),
    (
        "directory credentials",
        &[
            "directory",
            "credentials",
            "tailspin.com",
            "--account",
            "TAILSPIN\\svc-other",
        ],
    ),
    (
        "partition add",
        &["partition", "add", "tailspin.com", "eu.tailspin.com"],
    ),
    (
        "partition select",
        &["partition", "select", "fabrikam.com", "emea.fabrikam.com"],
    ),
    (
        "partition deselect",
        &["partition", "deselect", "fabrikam.com", "emea.fabrikam.com"],
    ),
    (
        "partition controllers",
        &[
            "partition",
            "controllers",
            "fabrikam.com",
            "fabrikam.com",
            "dc7.fabrikam.com",
        ],
    ),
    (
        "ou include",
        &[
            "ou",
            "include",
            "contoso.com",
            "OU=Sales,OU=CORP,DC=contoso,DC=com",
        ],
    ),
    (
        "ou exclude",
        &[
            "ou",
            "exclude",
            "contoso.com",
            "OU=Temp,OU=CORP,DC=contoso,DC=com",
        ],
    ),
    (
        "ou clear",
        &[
            "ou",
            "clear",
            "contoso.com",
            "OU=Temp,OU=CORP,DC=contoso,DC=com",
        ],
    ),
    (
        "connector object-types",
        &[
            "connector",
            "object-types",
            "fabrikam.com",
            "user",
            "group",
            "contact",
        ],
    ),
    (
        "connector attributes",
        &[
            "connector",
            "attributes",
            "fabrikam.com",
            "cn",
            "displayName",
            "mail",
            "sAMAccountName",
        ],
    ),
    ("signin", &["signin", "--method", "phs", "--sso", "off"]),
    (
        "feature password-writeback",
        &["feature", "password-writeback", "off"],
    ),
    (
        "feature exchange-hybrid",
        &["feature", "exchange-hybrid", "off"],
    ),
    (
        "feature public-folders",
        &["feature", "public-folders", "on"],
    ),
    (
        "feature group-writeback",
        &[
            "feature",
            "group-writeback",
            "fabrikam.com",
            "--dn",
            "OU=Writeback,DC=fabrikam,DC=com",
        ],
    ),
    (
        "feature device-writeback",
        &[
            "feature",
            "device-writeback",
            "fabrikam.com",
            "--dn",
            "CN=RegisteredDevices,DC=fabrikam,DC=com",
        ],
    ),
    (
        "feature group-filtering",
        &[
            "feature",
            "group-filtering",
            "fabrikam.com",
            "--dn",
            "CN=Pilot,OU=Groups,DC=fabrikam,DC=com",
        ],
    ),
    (
        "feature extension-add",
        &[
            "feature",
            "extension-add",
            "division",
            "--object-class",
            "user",
        ],
    ),
    (
        "feature extension-remove",
        &["feature", "extension-remove", "user.division"],
    ),
    (
        "feature app-filter",
        &["feature", "app-filter", "--apps", "exchange online,Intune"],
    ),
    (
        "feature deletion-threshold",
        &["feature", "deletion-threshold", "1200"],
    ),
    ("identity", &["identity", "--upn", "mail"]),
    ("scheduler", &["scheduler", "--interval", "01:00:00"]),
    (
        "runprofile add",
        &["runprofile", "add", "contoso.com", "Nightly Delta"],
    ),
    (
        "runprofile add-step",
        &[
            "runprofile",
            "add-step",
            "contoso.com",
            "Nightly Delta",
            "--type",
            "delta-import",
            "--partition",
            "DC=contoso,DC=com",
        ],
    ),
    (
        "runprofile remove-step",
        &[
            "runprofile",
            "remove-step",
            "contoso.com",
            "Nightly Delta",
            "1",
        ],
    ),
    (
        "runprofile remove",
        &["runprofile", "remove", "contoso.com", "Nightly Delta"],
    ),
    ("rule list", &["rule", "list"]),
    (
        "rule show",
        &["rule", "show", "In from AD - User Cost Center"],
    ),
    (
        "rule add",
        &[
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
    ),
    (
        "rule edit",
        &[
            "rule",
            "edit",
            "In from AD - User Division",
            "--description",
            "Division as department",
        ],
    ),
    (
        "rule disable",
        &["rule", "disable", "In from AD - User Cost Center"],
    ),
    (
        "rule enable",
        &["rule", "enable", "In from AD - User Cost Center"],
    ),
    (
        "rule move",
        &[
            "rule",
            "move",
            "In from AD - User Division",
            "--after",
            "Out to AAD - User Usage Location",
        ],
    ),
    (
        "rule clone",
        &[
            "rule",
            "clone",
            "In from AD - User Common",
            "--directory",
            "fabrikam.com",
            "--name",
            "In from AD - User Common (Fabrikam)",
        ],
    ),
    (
        "rule delete",
        &["rule", "delete", "In from AD - User Common (Fabrikam)"],
    ),
    (
        "rule accept",
        &[
            "rule",
            "accept",
            "In from AD - User Cost Center",
            "SP011",
            "--reason",
            "kept on purpose",
        ],
    ),
    ("expr check", &["expr", "check", "Trim([givenName])"]),
    (
        "expr eval",
        &[
            "expr",
            "eval",
            "Trim(\" a \")",
            "--now",
            "2026-01-01T00:00:00Z",
        ],
    ),
    (
        "apply",
        &["apply", "samples/multi-forest-custom.json", "--dry-run"],
    ),
    ("prune", &["prune", "--keep", "2", "--dry-run"]),
    (
        "simulate",
        &[
            "simulate",
            "samples/multi-forest-custom.json",
            "--objects",
            "{objects}",
            "--now",
            "2026-01-01T00:00:00Z",
        ],
    ),
    (
        "impact",
        &[
            "impact",
            "{old}",
            "{new}",
            "--objects",
            "{objects}",
            "--now",
            "2026-01-01T00:00:00Z",
        ],
    ),
    (
        "directory remove",
        &["directory", "remove", "tailspin.com", "--yes"],
    ),
];

/// A deployment in a temporary home.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn run(&self, args: &[String]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_syncpolicy"))
            .arg("--home")
            .arg(self.dir.path().join("home"))
            .args(args)
            .current_dir(workspace())
            .env("NO_COLOR", "1")
            .env("USER", "json-tester")
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
}

/// The commands whose `--format` accepts `json`, from the command-line definition.
fn json_commands(home: &Home) -> BTreeSet<String> {
    let o = home.run(&["interface".to_owned()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("interface is JSON");
    assert_eq!(doc["schema"], "syncpolicy-interface/1");
    let commands = doc["commands"].as_array().expect("a list of commands");
    assert!(commands.len() > 40, "every command is listed: {doc}");
    commands
        .iter()
        .filter(|c| {
            c["formats"]
                .as_array()
                .is_some_and(|f| f.iter().any(|v| v == "json"))
        })
        .map(|c| c["path"].as_str().expect("a path").to_owned())
        .collect()
}

/// `syncpolicy-<lower-case words>/<number>`.
fn well_formed(schema: &str) -> bool {
    let Some(rest) = schema.strip_prefix("syncpolicy-") else {
        return false;
    };
    let Some((thing, version)) = rest.split_once('/') else {
        return false;
    };
    !thing.is_empty()
        && thing.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !version.is_empty()
        && version.chars().all(|c| c.is_ascii_digit())
}

/// The documentation of the schemas.
fn schema_doc() -> String {
    std::fs::read_to_string(workspace().join("docs/json-output.md"))
        .expect("docs/json-output.md documents the JSON schemas")
}

/// Two settings files that differ in a flag (mail public folders) and a number (the deletion
/// threshold, a string in the file).
fn write_pair(dir: &Path) -> (PathBuf, PathBuf) {
    let text = std::fs::read_to_string(sample("multi-forest-custom")).expect("the sample");
    let changed = text
        .replace(
            "\"mailPublicFolders\": false",
            "\"mailPublicFolders\": true",
        )
        .replace(
            "\"exportDeletionLimit\": \"750\"",
            "\"exportDeletionLimit\": \"1200\"",
        );
    assert_ne!(text, changed, "the sample has both values");
    let old = dir.join("old.json");
    let new = dir.join("new.json");
    std::fs::write(&old, text).unwrap();
    std::fs::write(&new, changed).unwrap();
    (old, new)
}

#[test]
fn every_json_output_carries_a_documented_schema() {
    let home = Home {
        dir: tempfile::tempdir().expect("a temporary folder"),
    };
    let tmp = home.dir.path().to_path_buf();
    let (old, new) = write_pair(&tmp);
    let legacy = workspace().join("crates/syncpolicy-legacy/tests/data/two-forests");
    let objects = format!(
        "contoso.com={}",
        workspace().join("samples/objects/contoso.ldif").display()
    );

    // Every command that accepts --format json is exercised, and no stale entry is kept.
    let with_json = json_commands(&home);
    let exercised: BTreeSet<String> = INVOCATIONS.iter().map(|(c, _)| (*c).to_owned()).collect();
    let missing: Vec<&String> = with_json.difference(&exercised).collect();
    assert!(
        missing.is_empty(),
        "these commands accept --format json but json_output.rs does not run them: {missing:?}"
    );
    let stale: Vec<&String> = exercised.difference(&with_json).collect();
    assert!(
        stale.is_empty(),
        "json_output.rs runs these, which no longer accept --format json: {stale:?}"
    );

    let install = home.run(&[
        "install".to_owned(),
        "--import".to_owned(),
        sample("multi-forest-custom").display().to_string(),
        "--yes".to_owned(),
    ]);
    assert!(install.status.success(), "{}", stderr(&install));

    let doc = schema_doc();
    let fill = |a: &str| {
        a.replace("{tmp}", &tmp.display().to_string())
            .replace("{old}", &old.display().to_string())
            .replace("{new}", &new.display().to_string())
            .replace("{legacy}", &legacy.display().to_string())
            .replace("{objects}", &objects)
    };
    let mut outputs = std::collections::HashMap::new();
    for (command, args) in INVOCATIONS {
        let mut args: Vec<String> = args.iter().map(|a| fill(a)).collect();
        args.push("--format".to_owned());
        args.push("json".to_owned());
        let o = home.run(&args);
        // 0: done; 1: differences or findings (diff, apply --dry-run, migrate with items).
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "`{command}` failed:\n{}{}",
            stdout(&o),
            stderr(&o)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
            panic!(
                "`{command}` did not print JSON ({e}):\n{}{}",
                stdout(&o),
                stderr(&o)
            )
        });
        let schema = v["schema"]
            .as_str()
            .unwrap_or_else(|| panic!("`{command}` prints no schema field:\n{v}"));
        assert!(
            well_formed(schema),
            "`{command}`: schema {schema:?} is not syncpolicy-<thing>/<version>"
        );
        assert!(
            stdout(&o).trim_start().starts_with("{\n  \"schema\": "),
            "`{command}`: the schema is the first field"
        );
        assert!(
            doc.contains(&format!("`{schema}`")),
            "`{command}`: schema {schema} is not documented in docs/json-output.md"
        );
        outputs.insert(*command, v);
    }

    // Every schema the tool knows is documented (also those the run above did not print).
    for schema in syncpolicy_views::schema::ALL {
        assert!(
            doc.contains(&format!("`{schema}`")),
            "{schema} is not documented"
        );
    }

    // diff: a flag is a boolean, the deletion threshold a number.
    let changes = outputs["diff"]["changes"].as_array().expect("changes");
    let field = |name: &str| {
        changes
            .iter()
            .find(|c| c["field"] == name)
            .unwrap_or_else(|| panic!("no change of {name}: {changes:?}"))
    };
    let folders = field("mail public folders");
    assert_eq!(folders["old"], serde_json::json!(false));
    assert_eq!(folders["new"], serde_json::json!(true));
    let threshold = field("deletion threshold");
    assert_eq!(threshold["old"], serde_json::json!(750));
    assert_eq!(threshold["new"], serde_json::json!(1200));

    // verify: the reference, the change and the export path apart, no prose.
    let verify = &outputs["verify"];
    assert_eq!(verify["passed"], true, "{verify}");
    let deployment = &verify["deployment"];
    assert_eq!(deployment["reference"], "@latest");
    assert_eq!(deployment["change"], 1);
    let path = PathBuf::from(deployment["path"].as_str().expect("a path"));
    assert!(path.is_file(), "the export exists: {}", path.display());
    assert!(path.starts_with(tmp.join("home").join("exports")));
    assert_eq!(
        verify["imported"]["path"],
        "samples/multi-forest-custom.json"
    );

    // export: the written file, by path, with its snapshot time.
    let export = &outputs["export"];
    let written = PathBuf::from(export["path"].as_str().expect("a path"));
    assert!(written.is_file() && written.starts_with(tmp.join("dr")));
    assert_eq!(
        export["file"].as_str(),
        written.file_name().and_then(|n| n.to_str())
    );
    assert!(export["timestamp"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z') && t.contains('T')));

    // A committed change names its export by path and its history entry.
    let staging = &outputs["staging"];
    assert_eq!(staging["dryRun"], false);
    assert!(PathBuf::from(staging["snapshot"]["path"].as_str().expect("a path")).is_file());
    assert_eq!(staging["history"]["command"], "staging off");
    assert_eq!(staging["changes"][0]["old"], true);
    assert_eq!(staging["changes"][0]["new"], false);

    // A change that changes nothing is still a document (exit 0), not the text line.
    for dry_run in [false, true] {
        let mut args = vec!["staging", "off", "--format", "json"];
        if dry_run {
            args.push("--dry-run");
        }
        let args: Vec<String> = args.into_iter().map(str::to_owned).collect();
        let o = home.run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let again: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("unchanged is JSON too ({e}): {}", stdout(&o)));
        assert_eq!(again["schema"], "syncpolicy-change/1");
        assert_eq!(again["unchanged"], true);
        assert_eq!(again["dryRun"], dry_run);
        assert_eq!(again["changeCount"], 0);
        assert!(again["snapshot"].is_null() && again["history"].is_null());
    }
}

#[test]
fn rule_show_json_is_read_back_by_rule_add() {
    let home = Home {
        dir: tempfile::tempdir().expect("a temporary folder"),
    };
    let s = |v: &str| v.to_owned();
    let install = home.run(&[
        s("install"),
        s("--import"),
        sample("multi-forest-custom").display().to_string(),
        s("--yes"),
    ]);
    assert!(install.status.success(), "{}", stderr(&install));
    let shown = home.run(&[
        s("rule"),
        s("show"),
        s("In from AD - User Cost Center"),
        s("--format"),
        s("json"),
    ]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    let mut doc: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(doc["schema"], "syncpolicy-rule/1");
    assert_eq!(doc["directory"], "contoso.com");
    assert_eq!(doc["kind"], "custom");
    // The document as printed, renamed, is a rule file for `rule add --file`.
    doc["rule"]["Name"] = "In from AD - User Cost Center (copy)".into();
    doc["rule"]["uniqueIdentifier"] = serde_json::Value::Null;
    doc["rule"]["internalIdentifier"] = "".into();
    doc["rule"]["precedence"] = 60.into();
    let file = home.dir.path().join("rule.json");
    std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let added = home.run(&[
        s("rule"),
        s("add"),
        s("--directory"),
        s("contoso.com"),
        s("--file"),
        file.display().to_string(),
    ]);
    assert!(
        added.status.success(),
        "{}{}",
        stdout(&added),
        stderr(&added)
    );
    let again = home.run(&[
        s("rule"),
        s("show"),
        s("In from AD - User Cost Center (copy)"),
        s("--format"),
        s("json"),
    ]);
    assert!(again.status.success(), "{}", stderr(&again));
    let copy: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(copy["rule"]["scopeFilters"], doc["rule"]["scopeFilters"]);
    assert!(
        copy["rule"].get("schema").is_none() && copy["rule"].get("rule").is_none(),
        "the envelope is not kept inside the rule: {copy}"
    );
}
