//! `syncpolicy apply` and `syncpolicy prune` end to end on SQLite and PostgreSQL: every sample
//! applied onto an express deployment and rolled back, an edited export applied, a rollback
//! over ten changes giving back the same export apart from metadata, refused applies and dry
//! runs changing nothing, no-op applies, retention.

use crate::faults::{Db, Dep};
use crate::support::{sample, stderr, stdout};

fn express(db: Db) -> Dep {
    let dep = Dep::new(db);
    dep.ok(crate::support::EXPRESS_INSTALL);
    dep
}

fn newest_export(dep: &Dep) -> String {
    let h = dep.history();
    std::fs::read_to_string(
        dep.home()
            .join("exports")
            .join(h[0]["snapshot"].as_str().unwrap()),
    )
    .unwrap()
}

/// True for a line that only says who changed the configuration when, or is a digest.
fn metadata_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("\"author\":")
        || t.starts_with("\"timeCreated\":")
        || t.starts_with("\"content\":")
        || t.starts_with("\"policyMetadata\": \"")
}

/// Two exports byte for byte the same apart from metadata lines.
fn assert_same_apart_from_metadata(a: &str, b: &str, what: &str) {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.split('\n').collect(), b.split('\n').collect());
    assert_eq!(la.len(), lb.len(), "{what}: the same number of lines");
    for (i, (x, y)) in la.iter().zip(&lb).enumerate() {
        if x != y {
            assert!(
                metadata_line(x) && metadata_line(y),
                "{what}: line {} differs beyond metadata:\n  {x}\n  {y}",
                i + 1
            );
        }
    }
}

fn every_sample_applies_onto_express_and_rolls_back(db: Db) {
    let dep = express(db);
    let original = newest_export(&dep);
    for name in ["express-single-forest", "multi-forest-custom"] {
        let file = sample(name).display().to_string();
        let count = dep.history().len();
        // A dry run plans and changes nothing.
        let plan = dep.run(&["apply", &file, "--dry-run"]);
        assert_eq!(plan.status.code(), Some(1), "{name}: {}", stderr(&plan));
        assert!(
            stdout(&plan).starts_with("dry run, nothing was changed; apply would make: applied"),
            "{}",
            stdout(&plan)
        );
        assert_eq!(
            dep.history().len(),
            count,
            "{name}: the dry run wrote nothing"
        );
        let o = dep.run(&["apply", &file]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        // The apply shows the plan the dry run showed (made beside the change, from the
        // result with the change's author and time stamped) and the same summary.
        let planned = stdout(&plan);
        let (first, planned_changes) = planned.split_once('\n').unwrap();
        let summary = first
            .strip_prefix("dry run, nothing was changed; apply would make: ")
            .unwrap();
        let made = stdout(&o);
        assert_eq!(
            made,
            format!("{planned_changes}{summary}\n"),
            "{name}: the plan shown by the apply is the dry run's"
        );
        let h = dep.history();
        assert_eq!(h.len(), count + 1, "{name}: one history entry");
        assert_eq!(h[0]["summary"], summary, "{name}: history has the summary");
        assert_eq!(
            h[0]["command"],
            format!("apply {file}"),
            "it names the source"
        );
        assert!(h[0]["summary"].as_str().unwrap().starts_with("applied "));
        dep.assert_consistent(name);
        // The deployment now is the sample (apart from what an import is expected to change).
        let verify = dep.run(&["verify", &file]);
        assert!(
            verify.status.success(),
            "{name}: {}{}",
            stdout(&verify),
            stderr(&verify)
        );
        // Applying it again has nothing to do.
        let again = dep.run(&["apply", &file]);
        assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
        assert!(
            stdout(&again).starts_with("unchanged: "),
            "{}",
            stdout(&again)
        );
        assert_eq!(dep.history().len(), count + 1, "no history entry");
        // Nor an export: the one the change began to write is gone again, none quarantined.
        dep.assert_consistent(&format!("{name}: after an apply with nothing to do"));
        assert!(!dep.home().join("quarantine").exists(), "{name}");
        // And back; the plan as data is the dry run's too.
        let dry = dep.run(&["apply", "@~1", "--dry-run", "--format", "json"]);
        assert_eq!(dry.status.code(), Some(1), "{name}: {}", stderr(&dry));
        let back = dep.run(&["apply", "@~1", "--format", "json"]);
        assert_eq!(back.status.code(), Some(1), "{name}: {}", stderr(&back));
        let (dry, back): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(&stdout(&dry)).unwrap(),
            serde_json::from_str(&stdout(&back)).unwrap(),
        );
        assert!(
            back["changes"].as_array().is_some_and(|c| !c.is_empty()),
            "{back}"
        );
        assert_eq!(back["changes"], dry["changes"], "{name}: the same plan");
        assert_eq!(back["summary"], dry["summary"], "{name}: the same summary");
        let h = dep.history();
        assert!(
            h[0]["summary"]
                .as_str()
                .unwrap()
                .starts_with(&format!("rollback to change {}", h[2]["id"])),
            "{}",
            h[0]["summary"]
        );
        assert_same_apart_from_metadata(&original, &newest_export(&dep), name);
        dep.assert_consistent(&format!("{name} rolled back"));
    }
}

fn an_edited_export_applies_as_one_change(db: Db) {
    let dep = express(db);
    let text = newest_export(&dep);
    let edited = dep.dir.path().join("edited.json");
    assert!(text.contains("\"syncInterval\": \"00:30:00\""));
    std::fs::write(
        &edited,
        text.replace(
            "\"syncInterval\": \"00:30:00\"",
            "\"syncInterval\": \"00:50:00\"",
        ),
    )
    .unwrap();
    let file = edited.display().to_string();
    let o = dep.run(&["apply", &file, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("was changed after syncpolicy wrote it"),
        "the edit is noticed: {}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "syncpolicy-apply/2");
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(changes[0]["path"]
        .as_str()
        .unwrap()
        .contains("sync interval"));
    assert_eq!(dep.history().len(), 2);
    assert!(newest_export(&dep).contains("\"syncInterval\": \"00:50:00\""));
    dep.assert_consistent("after the edited export");
}

/// A change committed while `apply` loads the current configuration (after it read the
/// newest history entry, before the rows): the apply must not take the export of the older
/// entry for the configuration of the newer rows (then a rule the change edited and the
/// applied file gives back would keep the edited row).
fn a_change_while_apply_loads_is_not_mixed_in(db: Db) {
    let dep = express(db);
    let rule = "In from AD - User Common";
    let file = dep.dir.path().join("before.json");
    std::fs::write(&file, newest_export(&dep)).unwrap();
    let file = file.display().to_string();
    let mark = dep.dir.path().join("paused");
    let apply = dep
        .command(&["apply", &file])
        .env("SYNCPOLICY_TEST_PAUSE_AT", "load-entry:4000")
        .env("SYNCPOLICY_TEST_PAUSE_MARK", &mark)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The change lands while the apply sits between reading the generation and the history
    // entry: the pause writes its mark as it begins.
    let waited = std::time::Instant::now();
    while !mark.exists() {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(120),
            "apply never reached its load-entry pause"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    dep.ok(&["rule", "disable", rule]);
    let o = apply.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let h = dep.history();
    assert_eq!(h.len(), 3, "install, the rule change, the apply");
    assert!(
        h[0]["command"].as_str().unwrap().starts_with("apply "),
        "the apply committed last: {h:?}"
    );
    dep.assert_consistent("after the interleaved change");
    // The configuration rebuilt from the rows is the file (the rule enabled again).
    let d = dep.run(&["diff", "@latest", &file]);
    assert_eq!(
        d.status.code(),
        Some(0),
        "the rows hold what was applied:\n{}{}",
        stdout(&d),
        stderr(&d)
    );
}

fn a_rollback_over_ten_changes_gives_back_the_same_export(db: Db) {
    let dep = Dep::imported(db, "multi-forest-custom");
    let first = newest_export(&dep);
    let steps: [&[&str]; 10] = [
        &["staging", "off"],
        &["scheduler", "--interval", "00:45:00"],
        &["staging", "on"],
        &["scheduler", "--interval", "01:00:00"],
        &["scheduler", "--disable"],
        &["staging", "off"],
        &["scheduler", "--enable"],
        &["scheduler", "--interval", "00:35:00"],
        &["staging", "on"],
        &["scheduler", "--interval", "02:00:00"],
    ];
    for s in steps {
        dep.ok(s);
    }
    assert_eq!(dep.history().len(), 11);
    // Old exports pruned: the rollback comes from the database, not from files.
    dep.ok(&["prune", "--keep", "1"]);
    assert_eq!(dep.exports().len(), 1);
    let o = dep.run(&["apply", "@~10"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let h = dep.history();
    assert_eq!(h.len(), 12);
    assert!(
        h[0]["summary"]
            .as_str()
            .unwrap()
            .starts_with("rollback to change 1 ("),
        "{}",
        h[0]["summary"]
    );
    assert_eq!(h[0]["command"], "apply @~10");
    assert_same_apart_from_metadata(&first, &newest_export(&dep), "rollback over ten changes");
    // Every intermediate configuration is still given by the database.
    for n in 1..=11 {
        let show = dep.run(&["show", &format!("@~{n}"), "--format", "json"]);
        assert!(show.status.success(), "@~{n}: {}", stderr(&show));
    }
}

fn a_refused_apply_changes_nothing(db: Db) {
    let dep = Dep::imported(db, "express-single-forest");
    let before = (dep.history(), dep.exports());
    // During the import session, directories cannot be added or removed.
    let other = sample("multi-forest-custom").display().to_string();
    let o = dep.run(&["apply", &other]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("directories cannot be added or removed during an import session"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("fabrikam.com"), "{}", stderr(&o));
    // A file with errors.
    let bad = dep.dir.path().join("bad.json");
    let text = std::fs::read_to_string(sample("express-single-forest")).unwrap();
    std::fs::write(&bad, &text[..text.len() / 2]).unwrap();
    let o = dep.run(&["apply", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // A reference that names nothing.
    let o = dep.run(&["apply", "@~5"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!((dep.history(), dep.exports()), before, "nothing changed");
}

fn prune_keeps_the_newest_and_what_the_rule_says(db: Db) {
    let dep = Dep::imported(db, "express-single-forest");
    for s in ["off", "on", "off", "on", "off"] {
        dep.ok(&["staging", s]);
    }
    assert_eq!(dep.exports().len(), 6);
    let refused = dep.run(&["prune", "--keep", "0"]);
    assert_eq!(refused.status.code(), Some(2));
    let none = dep.run(&["prune"]);
    assert_eq!(none.status.code(), Some(2), "a rule is required");
    let plan = dep.ok(&["prune", "--keep", "2", "--dry-run"]);
    assert!(plan.contains("dry run: would remove 4 exports"), "{plan}");
    assert_eq!(dep.exports().len(), 6);
    let out = dep.ok(&["prune", "--keep", "2"]);
    assert!(out.contains("removed 4 exports"), "{out}");
    let h = dep.history();
    assert_eq!(h.len(), 6, "history is kept");
    let mut kept: Vec<String> = h[..2]
        .iter()
        .map(|e| e["snapshot"].as_str().unwrap().to_owned())
        .collect();
    kept.sort();
    assert_eq!(dep.exports(), kept, "the newest two are kept");
    // A date in the future keeps nothing by date, but the newest is always kept.
    dep.ok(&["prune", "--newer-than", "2999-01-01"]);
    assert_eq!(
        dep.exports(),
        vec![h[0]["snapshot"].as_str().unwrap().to_owned()]
    );
    // The pruned changes are still given from the database.
    let show = dep.run(&["show", "@~5", "--format", "json"]);
    assert!(show.status.success(), "{}", stderr(&show));
    for bad in [
        "yesterday",
        "2026-1",
        "2026-11-26X",
        "2026-11-26T08:15é",
        "",
    ] {
        let o = dep.run(&["prune", "--newer-than", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("not a date"), "{bad:?}: {}", stderr(&o));
    }
}

#[test]
fn samples_apply_and_roll_back_sqlite() {
    every_sample_applies_onto_express_and_rolls_back(Db::Sqlite);
}

#[test]
fn samples_apply_and_roll_back_postgres() {
    every_sample_applies_onto_express_and_rolls_back(Db::Postgres);
}

#[test]
fn edited_export_sqlite() {
    an_edited_export_applies_as_one_change(Db::Sqlite);
}

#[test]
fn edited_export_postgres() {
    an_edited_export_applies_as_one_change(Db::Postgres);
}

#[test]
fn change_while_apply_loads_sqlite() {
    a_change_while_apply_loads_is_not_mixed_in(Db::Sqlite);
}

#[test]
fn change_while_apply_loads_postgres() {
    a_change_while_apply_loads_is_not_mixed_in(Db::Postgres);
}

#[test]
fn rollback_over_ten_changes_sqlite() {
    a_rollback_over_ten_changes_gives_back_the_same_export(Db::Sqlite);
}

#[test]
fn rollback_over_ten_changes_postgres() {
    a_rollback_over_ten_changes_gives_back_the_same_export(Db::Postgres);
}

#[test]
fn refused_apply_sqlite() {
    a_refused_apply_changes_nothing(Db::Sqlite);
}

#[test]
fn refused_apply_postgres() {
    a_refused_apply_changes_nothing(Db::Postgres);
}

#[test]
fn prune_sqlite() {
    prune_keeps_the_newest_and_what_the_rule_says(Db::Sqlite);
}

#[test]
fn prune_postgres() {
    prune_keeps_the_newest_and_what_the_rule_says(Db::Postgres);
}

/// A file whose error its own `acceptedFindings` accept: `validate` passes it, and so do the
/// dry run and the apply (the dry run used to pass what the apply then refused); without the
/// acceptance both refuse it.
fn an_accepted_error_is_applied_as_the_dry_run_says(db: Db) {
    let dep = Dep::imported(db, "multi-forest-custom");
    let text = std::fs::read_to_string(sample("multi-forest-custom")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Two custom rules of contoso.com with one precedence: SP010, an error.
    doc["onpremisesDirectoryPolicy"][0]["customSynchronizationRules"][2]["precedence"] =
        serde_json::json!(51);
    let refused = dep.dir.path().join("duplicate.json");
    std::fs::write(&refused, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    doc["x-syncpolicy"]["acceptedFindings"] = serde_json::json!([
        {"code": "SP010", "rule": "In from AD - User Legacy Title", "reason": "on purpose"}
    ]);
    let accepted = dep.dir.path().join("accepted.json");
    std::fs::write(&accepted, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let count = dep.history().len();
    for args in [&["apply", "--dry-run"][..], &["apply"]] {
        let mut a = args.to_vec();
        a.push(refused.to_str().unwrap());
        let o = dep.run(&a);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("SP010"), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(dep.history().len(), count, "nothing was applied");
    let v = dep.run(&["validate", accepted.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
    let plan = dep.run(&["apply", "--dry-run", accepted.to_str().unwrap()]);
    assert_eq!(plan.status.code(), Some(1), "{}", stderr(&plan));
    let o = dep.run(&["apply", accepted.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(dep.history().len(), count + 1);
    let v = dep.run(&["validate", "@latest", "--format", "json"]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
    let j: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(j["accepted"][0]["code"], "SP010", "{j}");
}

#[test]
fn accepted_error_applies_sqlite() {
    an_accepted_error_is_applied_as_the_dry_run_says(Db::Sqlite);
}

#[test]
fn accepted_error_applies_postgres() {
    an_accepted_error_is_applied_as_the_dry_run_says(Db::Postgres);
}
