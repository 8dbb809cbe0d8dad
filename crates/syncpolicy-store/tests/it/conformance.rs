//! The conformance suite: every behaviour of the store, run once on SQLite and once on
//! PostgreSQL (the `conformance!` macro instantiates each case for both).

use crate::support::{exports, fixture, Db};
use std::fs;
use syncpolicy_model::config::Configuration;
use syncpolicy_store::deployment::normalize;
use syncpolicy_store::{ChangeMeta, Deployment, DirectoryCredential, Secrets, StoreError};

fn sample(name: &str) -> Configuration {
    syncpolicy_samples::samples::all()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| c)
        .expect("the sample exists")
}

fn meta(command: &str) -> ChangeMeta {
    ChangeMeta::new("tester", command)
}

fn staging(d: &mut Deployment, on: bool) -> syncpolicy_store::ChangeOutcome {
    d.change(&meta("staging"), |c: &mut Configuration| {
        c.extension.staging_mode = Some(on);
        Ok::<_, StoreError>(format!("staging mode {}", if on { "on" } else { "off" }))
    })
    .expect("the change is applied")
}

/// Compares configurations ignoring what the store stamps (policy metadata, database type).
fn same_content(a: &Configuration, b: &Configuration) -> bool {
    let strip = |c: &Configuration| {
        let mut c = c.clone();
        c.policy_metadata = Default::default();
        c.deployment_metadata.database_type = None;
        c.extension.recorded_digest = None;
        c
    };
    strip(a) == strip(b)
}

pub(crate) fn install_stores_every_sample_and_reopens_it(db: Db) {
    for (name, config) in syncpolicy_samples::samples::all() {
        let f = fixture(db);
        let mut d = f.install(&config);
        let expected = normalize(&config).unwrap();
        assert!(
            same_content(&d.current().unwrap(), &expected),
            "{name}: cached"
        );
        drop(d);
        let mut d = f.open();
        let current = d.current().unwrap();
        assert!(
            same_content(&current, &expected),
            "{name}: reloaded from the database"
        );
        let history = d.history().unwrap();
        assert_eq!(history.len(), 1, "{name}");
        let export = fs::read(d.snapshot_path(&history[0])).unwrap();
        assert_eq!(
            syncpolicy_json::digest::sha256_hex(&export),
            history[0].digest,
            "{name}"
        );
        assert_eq!(
            export,
            d.current_bytes().unwrap(),
            "{name}: the export is the current configuration"
        );
    }
}

pub(crate) fn a_change_writes_rows_history_and_one_export(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("multi-forest-custom"));
    let outcome = staging(&mut d, true);
    assert!(
        outcome.rows_changed <= 2,
        "only the changed sections are written: {}",
        outcome.rows_changed
    );
    assert_eq!(outcome.entry.id, 2);
    assert_eq!(exports(&f).len(), 2);
    let history = f.open().history().unwrap();
    assert_eq!(
        history.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![2, 1],
        "newest first"
    );
    assert_eq!(history[0].summary, "staging mode on");
    assert_eq!(history[0].author, "tester");
    assert_eq!(history[0].command, "staging");
    let exported = fs::read(outcome.snapshot).unwrap();
    assert_eq!(
        syncpolicy_json::digest::sha256_hex(&exported),
        history[0].digest
    );
    let read = syncpolicy_json::read_settings(&exported, "export").unwrap();
    assert_eq!(read.extension.staging_mode, Some(true));
    assert_eq!(
        f.open().current().unwrap().extension.staging_mode,
        Some(true)
    );
}

pub(crate) fn one_rule_edit_writes_one_rule_row(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("multi-forest-custom"));
    let outcome = d
        .change(&meta("rule edit"), |c: &mut Configuration| {
            let rule = c.onpremises_directories[0]
                .custom_rules
                .first_mut()
                .ok_or("no custom rule")?;
            rule.description = "edited by the conformance suite".to_owned();
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>("edited a rule".to_owned())
        })
        .unwrap();
    // The rule, and the policy metadata when its time (to the second) moved on.
    assert!(
        (1..=2).contains(&outcome.rows_changed),
        "{}",
        outcome.rows_changed
    );
    let reread = f.open().current().unwrap();
    assert_eq!(
        reread.onpremises_directories[0].custom_rules[0].description,
        "edited by the conformance suite"
    );
}

pub(crate) fn a_refused_edit_changes_nothing(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("express-single-forest"));
    let before = d.current_bytes().unwrap();
    let err = d
        .change(&meta("bad"), |c: &mut Configuration| {
            c.extension.staging_mode = Some(true);
            Err::<String, _>("refused by the edit")
        })
        .unwrap_err();
    assert_eq!(err.to_string(), "refused by the edit");
    let mut d = f.open();
    assert_eq!(d.history().unwrap().len(), 1);
    assert_eq!(d.current_bytes().unwrap(), before);
    assert_eq!(exports(&f).len(), 1);
}

pub(crate) fn a_change_with_validation_errors_is_refused(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("multi-forest-custom"));
    let err = d
        .change(&meta("precedence"), |c: &mut Configuration| {
            let dir = &mut c.onpremises_directories[0];
            let p = dir.custom_rules[0].precedence;
            let mut clone = dir.custom_rules[0].clone();
            clone.name = Some("Duplicate precedence".to_owned());
            clone.unique_identifier = Some("0f5d2a34-7c1e-4a8b-9d3f-1e2a3b4c5d6e".to_owned());
            clone.precedence = p;
            dir.custom_rules.push(clone);
            Ok::<_, StoreError>("added a rule".to_owned())
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(f.open().history().unwrap().len(), 1);
    assert_eq!(exports(&f).len(), 1);
}

/// An error that the resulting configuration's `acceptedFindings` accepts does not refuse a
/// change (as `validate` does not count it); an acceptance limited to another rule, or of
/// another code, still refuses it. `preview` (the dry runs) and `change` agree.
pub(crate) fn an_accepted_error_does_not_refuse_a_change(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("multi-forest-custom"));
    fn duplicate(
        accept: Option<(&'static str, Option<&'static str>)>,
    ) -> impl FnOnce(&mut Configuration) -> Result<String, StoreError> {
        move |c: &mut Configuration| {
            let dir = &mut c.onpremises_directories[0];
            let mut clone = dir.custom_rules[0].clone();
            clone.name = Some("Duplicate precedence".to_owned());
            clone.unique_identifier = Some("0f5d2a34-7c1e-4a8b-9d3f-1e2a3b4c5d6e".to_owned());
            dir.custom_rules.push(clone);
            if let Some((code, rule)) = accept {
                c.extension
                    .accepted_findings
                    .push(syncpolicy_model::extension::AcceptedFinding {
                        code: code.to_owned(),
                        rule: rule.map(str::to_owned),
                        reason: "kept on purpose".to_owned(),
                        ..Default::default()
                    });
            }
            Ok("added a rule".to_owned())
        }
    }
    for refused in [
        Some(("SP011", None)),
        Some(("SP010", Some("In from AD - User Fabrikam Department"))),
    ] {
        let err = d.preview(duplicate(refused)).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{refused:?}: {err}");
        let err = d
            .change(&meta("precedence"), duplicate(refused))
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{refused:?}: {err}");
    }
    assert_eq!(f.open().history().unwrap().len(), 1);
    for (i, accepted) in [("sp010", Some("duplicate PRECEDENCE ")), ("SP010", None)]
        .into_iter()
        .enumerate()
    {
        let mut fresh = f.open();
        // Each accepted change starts from the installed configuration again.
        if i > 0 {
            fresh
                .change(&meta("undo"), |c: &mut Configuration| {
                    c.onpremises_directories[0].custom_rules.pop();
                    c.extension.accepted_findings.clear();
                    Ok::<_, StoreError>("undone".to_owned())
                })
                .unwrap();
        }
        fresh.preview(duplicate(Some(accepted))).unwrap();
        let o = fresh
            .change(&meta("precedence"), duplicate(Some(accepted)))
            .unwrap();
        assert_eq!(
            o.after.extension.accepted_findings.len(),
            1,
            "{accepted:?}: the acceptance is committed with the rule"
        );
    }
    assert_eq!(f.open().history().unwrap().len(), 4);
}

/// Successive changes in one open deployment write only what they touched and validate only
/// what they touched: every export is byte for byte the full write of its configuration, a
/// change that breaks a rule is refused after changes that kept the earlier findings, and a
/// deployment opened afresh (nothing cached) gives the same bytes.
pub(crate) fn incremental_changes_export_what_a_full_write_gives(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("multi-forest-custom"));
    let check_export = |d: &mut Deployment, o: &syncpolicy_store::ChangeOutcome, what: &str| {
        let file = std::fs::read(&o.snapshot).unwrap();
        let full = syncpolicy_json::write_settings(&o.after);
        assert!(
            file == full,
            "{what}: the export is the full write of the configuration"
        );
        assert!(
            file == d.current_bytes().unwrap(),
            "{what}: and of the current one"
        );
        assert_eq!(
            syncpolicy_json::digest::sha256_hex(&file),
            o.entry.digest,
            "{what}: history records its digest"
        );
    };
    for i in 0..4 {
        let o = d
            .change(
                &meta("feature deletion-threshold"),
                |c: &mut Configuration| {
                    c.azure_directory.export_deletion_limit = format!("{}", 600 + i);
                    Ok::<_, StoreError>(format!("threshold {}", 600 + i))
                },
            )
            .unwrap();
        check_export(&mut d, &o, &format!("threshold {i}"));
    }
    let o = d
        .change(&meta("rule edit"), |c: &mut Configuration| {
            c.onpremises_directories[1].custom_rules[0].description =
                "edited \"quoted\"".to_owned();
            Ok::<_, StoreError>("rule edited".to_owned())
        })
        .unwrap();
    check_export(&mut d, &o, "rule edit");
    let o = d
        .change(&meta("rule delete"), |c: &mut Configuration| {
            c.onpremises_directories[0].custom_rules.remove(0);
            Ok::<_, StoreError>("rule removed".to_owned())
        })
        .unwrap();
    check_export(&mut d, &o, "rule delete");
    // An error after changes that kept the earlier findings: still refused.
    let err = d
        .change(&meta("precedence"), |c: &mut Configuration| {
            let dir = &mut c.onpremises_directories[1];
            let mut clone = dir.custom_rules[0].clone();
            clone.name = Some("Duplicate precedence".to_owned());
            clone.unique_identifier = Some("0f5d2a34-7c1e-4a8b-9d3f-1e2a3b4c5d6e".to_owned());
            dir.custom_rules.push(clone);
            Ok::<_, StoreError>("added a rule".to_owned())
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    let o = d
        .change(&meta("staging on"), |c: &mut Configuration| {
            c.extension.staging_mode = Some(!c.extension.staging_mode.unwrap_or(false));
            Ok::<_, StoreError>("staging".to_owned())
        })
        .unwrap();
    check_export(&mut d, &o, "after the refusal");
    let bytes = d.current_bytes().unwrap();
    drop(d);
    assert!(
        f.open().current_bytes().unwrap() == bytes,
        "a fresh open gives the same bytes"
    );
    assert_eq!(f.open().history().unwrap().len(), 8);
}

pub(crate) fn an_export_that_cannot_be_written_rolls_the_change_back(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("express-single-forest"));
    let before = d.current_bytes().unwrap();
    let exports_dir = f.home().join("exports");
    let kept = f.dir.path().join("kept-exports");
    fs::rename(&exports_dir, &kept).unwrap();
    fs::write(&exports_dir, b"not a folder").unwrap();
    let err = d
        .change(&meta("staging"), |c: &mut Configuration| {
            c.extension.staging_mode = Some(true);
            Ok::<_, StoreError>("staging mode on".to_owned())
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Export { .. }), "{err}");
    assert!(err.to_string().contains("rolled back"), "{err}");
    fs::remove_file(&exports_dir).unwrap();
    fs::rename(&kept, &exports_dir).unwrap();
    let mut d = f.open();
    assert_eq!(d.history().unwrap().len(), 1);
    assert_eq!(d.current_bytes().unwrap(), before);
    assert_eq!(exports(&f).len(), 1);
    // And the deployment still works.
    staging(&mut d, true);
    assert_eq!(exports(&f).len(), 2);
}

pub(crate) fn concurrent_changes_are_serialised_and_none_is_lost(db: Db) {
    let f = fixture(db);
    let mut config = sample("express-single-forest");
    config.azure_directory.export_deletion_limit = "0".to_owned();
    drop(f.install(&config));
    let home = f.home();
    let database = f.database.clone();
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let home = home.clone();
            let database = database.clone();
            std::thread::spawn(move || {
                let mut d = Deployment::open(&home, database.as_deref()).unwrap();
                for i in 0..8 {
                    d.change(
                        &ChangeMeta::new(format!("worker{w}"), "count"),
                        |c: &mut Configuration| {
                            let n: u32 = c
                                .azure_directory
                                .export_deletion_limit
                                .parse()
                                .map_err(|_| "not a number")?;
                            c.azure_directory.export_deletion_limit = (n + 1).to_string();
                            Ok::<_, &str>(format!("worker {w} step {i}: {n} -> {}", n + 1))
                        },
                    )
                    .unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let mut d = f.open();
    assert_eq!(
        d.current().unwrap().azure_directory.export_deletion_limit,
        "16"
    );
    let history = d.history().unwrap();
    assert_eq!(history.len(), 17);
    let mut names: Vec<&str> = history.iter().map(|h| h.snapshot.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 17, "every change has its own export");
    assert_eq!(exports(&f).len(), 17);
}

pub(crate) fn references_resolve_to_history_entries(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("express-single-forest"));
    staging(&mut d, true);
    staging(&mut d, false);
    let latest = d.resolve("latest").unwrap();
    assert_eq!(latest.id, 3);
    assert_eq!(d.resolve("~1").unwrap().id, 2);
    assert_eq!(d.resolve("~2").unwrap().id, 1);
    let err = d.resolve("~3").unwrap_err().to_string();
    assert!(err.contains("only 3 changes"), "{err}");
    let prefix = &latest.at[..13];
    let err = d.resolve(prefix).unwrap_err().to_string();
    assert!(
        err.contains("ambiguous") && err.contains("3 changes"),
        "a prefix that matches several snapshots is an error: {err}"
    );
    for e in d.history().unwrap() {
        assert!(
            err.contains(&format!("@{}", e.at)),
            "it lists every match: {err}"
        );
        assert_eq!(
            d.resolve(&e.at).unwrap().id,
            e.id,
            "a whole timestamp names its change"
        );
    }
    assert!(d.resolve("1999-01").is_err());
    let entry = d.resolve("~1").unwrap();
    let path = d.snapshot_path(&entry);
    let config = syncpolicy_json::read_settings(&fs::read(path).unwrap(), "x").unwrap();
    assert_eq!(config.extension.staging_mode, Some(true));
}

pub(crate) fn a_second_install_is_refused(db: Db) {
    let f = fixture(db);
    drop(f.install(&sample("express-single-forest")));
    let again = Deployment::install(
        syncpolicy_store::InstallOptions {
            home: f.home(),
            database: f.database.clone(),
            meta: meta("install"),
            summary: "again".to_owned(),
            secrets: Secrets::default(),
            import_session: None,
        },
        &sample("express-single-forest"),
    );
    let err = again.unwrap_err();
    assert!(matches!(err, StoreError::AlreadyInstalled { .. }), "{err}");
    // Into another home but the same database: refused for PostgreSQL, fine for SQLite.
    let other = f.dir.path().join("other-home");
    let result = Deployment::install(
        syncpolicy_store::InstallOptions {
            home: other.clone(),
            database: f.database.clone(),
            meta: meta("install"),
            summary: "again".to_owned(),
            secrets: Secrets::default(),
            import_session: None,
        },
        &sample("express-single-forest"),
    );
    match db {
        Db::Sqlite => assert!(result.is_ok()),
        Db::Postgres => {
            let err = result.unwrap_err();
            assert!(matches!(err, StoreError::AlreadyInstalled { .. }), "{err}");
            assert!(!other.exists(), "a refused install leaves no home behind");
        }
    }
}

pub(crate) fn secrets_stay_out_of_exports_and_history(db: Db) {
    let f = fixture(db);
    let config = sample("multi-forest-custom");
    let secrets = Secrets {
        directories: config
            .onpremises_directories
            .iter()
            .enumerate()
            .map(|(i, dir)| DirectoryCredential {
                directory: dir.unique_identifier.clone(),
                name: dir.name.clone(),
                account: dir.account.clone(),
                secret: Some(format!("Pa55-secret-{i}-xyzzy")),
                precreated: false,
            })
            .collect(),
        administrator_secret: Some("Admin-secret-plugh".to_owned()),
        ..Secrets::default()
    };
    let mut d = f.install_with(&config, secrets.clone());
    staging(&mut d, true);
    let stored = d.home().secrets().unwrap();
    assert_eq!(stored.directories, secrets.directories);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(d.home().secrets_file())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    let mut haystacks: Vec<Vec<u8>> = exports(&f)
        .iter()
        .map(|n| fs::read(f.home().join("exports").join(n)).unwrap())
        .collect();
    haystacks.push(fs::read(d.home().record_file()).unwrap());
    haystacks.push(format!("{:?}", d.history().unwrap()).into_bytes());
    haystacks.push(format!("{stored:?}").into_bytes());
    for secret in secrets.values() {
        for h in &haystacks {
            assert!(
                !h.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "a secret leaked"
            );
        }
    }
    assert_eq!(secrets.values().len(), 3);
}

pub(crate) fn an_export_on_demand_writes_the_current_configuration(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("express-single-forest"));
    let out = f.dir.path().join("dr");
    let path = d.export_to(&out).unwrap();
    assert!(path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("Exported-SynchronizationPolicy-"));
    assert_eq!(fs::read(&path).unwrap(), d.current_bytes().unwrap());
    assert_eq!(d.history().unwrap().len(), 1, "an export is not a change");
    let second = d.export_to(&out).unwrap();
    assert_ne!(
        path, second,
        "two exports in one millisecond do not collide"
    );
}

pub(crate) fn an_uncommitted_export_is_removed_by_the_next_change(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("express-single-forest"));
    let orphan = f
        .home()
        .join("exports")
        .join("Applied-SynchronizationPolicy-29991231-235959.999Z.json");
    fs::write(&orphan, b"{}").unwrap();
    let first = exports(&f)[0].clone();
    staging(&mut d, true);
    assert!(!orphan.exists());
    assert!(
        f.home().join("exports").join(first).exists(),
        "committed exports are kept"
    );
    assert_eq!(exports(&f).len(), 2);
}

/// A change skips listing `exports/` only when the lock's previous holder recorded that it
/// left the folder settled; a holder killed after writing its export (here: one that takes
/// the lock, writes an export and a torn temporary file, and releases the lock without that
/// record) leaves files the next change of a long-running process still finds.
pub(crate) fn files_of_a_holder_that_did_not_finish_are_found_by_the_next_change(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("express-single-forest"));
    staging(&mut d, true);
    staging(&mut d, false);
    let dir = f.home().join("exports");
    let orphan = dir.join("Applied-SynchronizationPolicy-29991231-235959.999Z.json");
    let torn = dir.join(".Applied-SynchronizationPolicy-29991231-235959.998Z.json.1.2.tmp");
    {
        let held = syncpolicy_store::Home::new(f.home()).lock().unwrap();
        fs::write(&orphan, b"{}").unwrap();
        fs::write(&torn, b"{").unwrap();
        drop(held);
    }
    staging(&mut d, true);
    assert!(!orphan.exists(), "the uncommitted export is moved away");
    assert!(f
        .home()
        .join("quarantine")
        .join(orphan.file_name().unwrap())
        .exists());
    assert!(!torn.exists(), "the torn temporary file is removed");
    assert_eq!(exports(&f).len(), 4, "the committed exports are kept");
    let told = d.take_notices().join("\n");
    assert!(told.contains("quarantine"), "{told}");
    // The folder is settled again: the next change finds nothing and leaves all exports.
    staging(&mut d, false);
    assert_eq!(exports(&f).len(), 5);
}

pub(crate) fn the_schema_is_migrated_to_the_current_version(db: Db) {
    let f = fixture(db);
    drop(f.install(&sample("express-single-forest")));
    let mut store: Box<dyn syncpolicy_store::Store> = match db {
        Db::Sqlite => Box::new(
            syncpolicy_store::sqlite::SqliteStore::open(&f.home().join("syncpolicy.db")).unwrap(),
        ),
        Db::Postgres => Box::new(
            syncpolicy_store::postgres::PostgresStore::connect(f.database.as_deref().unwrap())
                .unwrap(),
        ),
    };
    assert_eq!(
        store.schema_version().unwrap(),
        syncpolicy_store::SCHEMA_VERSION
    );
    // Migrating again is a no-op.
    assert_eq!(store.migrate().unwrap(), syncpolicy_store::SCHEMA_VERSION);
    assert_eq!(store.generation().unwrap(), Some(1));
}

pub(crate) fn every_committed_configuration_is_rebuilt_from_the_database(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("multi-forest-custom"));
    staging(&mut d, true);
    d.change(&meta("remove a directory"), |c: &mut Configuration| {
        c.onpremises_directories.pop();
        Ok::<_, StoreError>("removed a directory".to_owned())
    })
    .unwrap();
    d.change(&meta("rename rules"), |c: &mut Configuration| {
        for r in c.onpremises_directories[0].custom_rules.iter_mut() {
            r.description = "changed".to_owned();
        }
        Ok::<_, StoreError>("described rules".to_owned())
    })
    .unwrap();
    d.change(&meta("back"), |c: &mut Configuration| {
        *c = normalize(&sample("multi-forest-custom")).unwrap();
        Ok::<_, StoreError>("everything back".to_owned())
    })
    .unwrap();
    staging(&mut d, true);
    staging(&mut d, false);
    let history = d.history().unwrap();
    assert_eq!(history.len(), 7);
    // The exports go: every configuration still comes from the database, byte for byte.
    for name in exports(&f) {
        fs::remove_file(f.home().join("exports").join(name)).unwrap();
    }
    let mut d = f.open();
    for entry in &history {
        let snap = d.snapshot(entry).unwrap();
        assert!(snap.from_database, "change {}", entry.id);
        assert_eq!(
            syncpolicy_json::digest::sha256_hex(&snap.bytes),
            entry.digest,
            "change {} ({}) is rebuilt exactly as it was exported",
            entry.id,
            entry.summary
        );
    }
}

pub(crate) fn a_change_that_changes_nothing_writes_nothing(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("express-single-forest"));
    let err = d
        .change(&meta("nothing"), |_c: &mut Configuration| {
            Ok::<_, StoreError>("left as it was".to_owned())
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Unchanged { .. }), "{err}");
    assert!(err.to_string().starts_with("unchanged: "), "{err}");
    let err = d
        .preview(|_c: &mut Configuration| Ok::<_, StoreError>("left as it was".to_owned()))
        .unwrap_err();
    assert!(matches!(err, StoreError::Unchanged { .. }), "{err}");
    assert_eq!(d.history().unwrap().len(), 1, "no history entry");
    assert_eq!(exports(&f).len(), 1, "no export");
    // And the next real change works.
    staging(&mut d, true);
    assert_eq!(d.history().unwrap().len(), 2);
}

pub(crate) fn a_change_says_who_holds_the_lock_and_gives_up_after_the_timeout(db: Db) {
    let f = fixture(db);
    let mut d = f.install(&sample("express-single-forest"));
    let home = syncpolicy_store::Home::new(f.home());
    let held = home
        .lock_with(&syncpolicy_store::LockWait::quiet(
            "rule edit by the test",
            std::time::Duration::MAX,
        ))
        .unwrap();
    let told = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = std::sync::Arc::clone(&told);
    d.set_lock_wait(syncpolicy_store::LockWait {
        command: String::new(),
        timeout: std::time::Duration::from_millis(200),
        notice: std::sync::Arc::new(move |m: &str| sink.lock().unwrap().push(m.to_owned())),
    });
    let err = d
        .change(&meta("staging"), |c: &mut Configuration| {
            c.extension.staging_mode = Some(true);
            Ok::<_, StoreError>("staging mode on".to_owned())
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::LockTimeout { .. }), "{err}");
    let holder = format!(
        "process {} (`rule edit by the test`) since ",
        std::process::id()
    );
    assert!(err.to_string().contains(&holder), "{err}");
    let told = told.lock().unwrap().clone();
    assert_eq!(told.len(), 1, "told once: {told:?}");
    assert!(told[0].contains(&holder), "{told:?}");
    drop(held);
    staging(&mut d, true);
    assert_eq!(d.history().unwrap().len(), 2);
}

/// One change by a fresh process that keeps no cache (as `apply` does): only the rows it
/// touched are cut and read.
fn one_shot(f: &crate::support::Fixture, target: &Configuration, what: &str) {
    let mut d = f.open();
    d.set_keep_cache(false);
    // Loaded before the change, as `apply` does (from the newest export, without the rows).
    d.current_ref().unwrap();
    d.change_to(&meta(what), target.clone(), what.to_owned())
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

/// Every committed configuration, rebuilt from the rows and what each change replaced (the
/// exports removed), is byte for byte what was exported.
fn every_change_rebuilds_from_the_rows(f: &crate::support::Fixture, newest_only: bool) {
    for name in exports(f) {
        fs::remove_file(f.home().join("exports").join(name)).unwrap();
    }
    let mut d = f.open();
    let history = d.history().unwrap();
    for entry in history
        .iter()
        .take(if newest_only { 1 } else { history.len() })
    {
        let snap = d.snapshot(entry).unwrap();
        assert!(snap.from_database, "change {}", entry.id);
        assert_eq!(
            syncpolicy_json::digest::sha256_hex(&snap.bytes),
            entry.digest,
            "change {} ({}) is rebuilt from the rows exactly as it was exported",
            entry.id,
            entry.summary
        );
    }
}

pub(crate) fn one_shot_changes_write_what_full_changes_write(db: Db) {
    let f = fixture(db);
    let base = normalize(&sample("multi-forest-custom")).unwrap();
    drop(f.install(&base));
    type Edit = (&'static str, fn(&mut Configuration));
    let edits: [Edit; 8] = [
        ("description", |c| {
            c.onpremises_directories[0].custom_rules[0].description =
                "edited \"quoted\" {x}".to_owned();
        }),
        ("threshold", |c| {
            c.azure_directory.export_deletion_limit = "777".to_owned();
        }),
        ("a rule copied next to itself (its key repeats)", |c| {
            let mut r = c.onpremises_directories[1].custom_rules[0].clone();
            r.name = Some("A copy".to_owned());
            r.precedence = 97;
            c.onpremises_directories[1].custom_rules.insert(0, r);
        }),
        ("the copy removed", |c| {
            c.onpremises_directories[1].custom_rules.remove(1);
        }),
        ("a rule moved to the Entra section", |c| {
            let r = c.onpremises_directories[0].custom_rules.remove(0);
            c.azure_directory.custom_rules.push(r);
        }),
        ("directories reversed", |c| {
            c.onpremises_directories.reverse()
        }),
        ("a directory removed", |c| {
            c.onpremises_directories.pop();
        }),
        ("back to the start", |_| {}),
    ];
    let mut target = base.clone();
    for (what, edit) in edits {
        if what == "back to the start" {
            target = base.clone();
        } else {
            edit(&mut target);
        }
        one_shot(&f, &target, what);
        let mut d = f.open();
        assert!(
            same_content(&d.current().unwrap(), &target),
            "{what}: the deployment holds the target"
        );
    }
    assert_eq!(f.open().history().unwrap().len(), 9);
    every_change_rebuilds_from_the_rows(&f, false);
}

pub(crate) fn a_one_shot_change_whose_export_fails_or_is_refused_leaves_nothing(db: Db) {
    let f = fixture(db);
    let base = normalize(&sample("multi-forest-custom")).unwrap();
    drop(f.install(&base));
    let before = f.open().current_bytes().unwrap();
    // The export is written while the text is made: it cannot be.
    let mut d = f.open();
    d.set_keep_cache(false);
    d.current_ref().unwrap();
    let exports_dir = f.home().join("exports");
    let kept = f.dir.path().join("kept-exports");
    fs::rename(&exports_dir, &kept).unwrap();
    fs::write(&exports_dir, b"not a folder").unwrap();
    let mut target = base.clone();
    target.onpremises_directories[0].custom_rules[0].description = "edited".to_owned();
    let err = d
        .change_to(&meta("apply"), target.clone(), "applied".to_owned())
        .unwrap_err();
    assert!(matches!(err, StoreError::Export { .. }), "{err}");
    drop(d);
    fs::remove_file(&exports_dir).unwrap();
    fs::rename(&kept, &exports_dir).unwrap();
    // Refused by validation after its export was written: the export goes again.
    let mut invalid = target.clone();
    let mut copy = invalid.onpremises_directories[1].custom_rules[0].clone();
    copy.name = Some("Same precedence".to_owned());
    copy.unique_identifier = Some("0f5d2a34-7c1e-4a8b-9d3f-1e2a3b4c5d6e".to_owned());
    invalid.onpremises_directories[1].custom_rules.push(copy);
    let mut d = f.open();
    d.set_keep_cache(false);
    d.current_ref().unwrap();
    let err = d
        .change_to(&meta("apply"), invalid, "applied".to_owned())
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    drop(d);
    let mut d = f.open();
    assert_eq!(d.history().unwrap().len(), 1);
    assert_eq!(d.current_bytes().unwrap(), before);
    assert_eq!(exports(&f).len(), 1, "{:?}", exports(&f));
    assert!(!f.home().join("quarantine").exists());
    drop(d);
    // And a one-shot change still works.
    one_shot(&f, &target, "apply");
    assert_eq!(exports(&f).len(), 2);
    every_change_rebuilds_from_the_rows(&f, false);
}

pub(crate) fn a_one_shot_change_over_rows_out_of_line_reads_them_all(db: Db) {
    let f = fixture(db);
    let base = normalize(&sample("multi-forest-custom")).unwrap();
    drop(f.install(&base));
    // A row of a rule the change does not touch is missing: the change cannot rely on the
    // configuration before it to say which rows are stored, reads them all and writes it again.
    let sql = "DELETE FROM rules WHERE item_key = (SELECT item_key FROM rules WHERE parent = 'azure/standard' ORDER BY ordinal LIMIT 1)";
    match db {
        Db::Sqlite => {
            let conn = rusqlite::Connection::open(f.home().join("syncpolicy.db")).unwrap();
            assert_eq!(conn.execute(sql, []).unwrap(), 1);
        }
        Db::Postgres => {
            let url = f.database.clone().unwrap();
            let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
            assert_eq!(client.execute(sql, &[]).unwrap(), 1);
        }
    }
    let mut target = base.clone();
    target.onpremises_directories[0].custom_rules[0].description = "edited".to_owned();
    one_shot(&f, &target, "description");
    every_change_rebuilds_from_the_rows(&f, true);
}

macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $case() { super::$case(crate::support::Db::Sqlite) })*
        }
        mod postgres {
            $(#[test] fn $case() { super::$case(crate::support::Db::Postgres) })*
        }
    };
}

conformance!(
    one_shot_changes_write_what_full_changes_write,
    a_one_shot_change_over_rows_out_of_line_reads_them_all,
    a_one_shot_change_whose_export_fails_or_is_refused_leaves_nothing,
    every_committed_configuration_is_rebuilt_from_the_database,
    a_change_that_changes_nothing_writes_nothing,
    a_change_says_who_holds_the_lock_and_gives_up_after_the_timeout,
    install_stores_every_sample_and_reopens_it,
    a_change_writes_rows_history_and_one_export,
    one_rule_edit_writes_one_rule_row,
    a_refused_edit_changes_nothing,
    a_change_with_validation_errors_is_refused,
    an_accepted_error_does_not_refuse_a_change,
    incremental_changes_export_what_a_full_write_gives,
    an_export_that_cannot_be_written_rolls_the_change_back,
    concurrent_changes_are_serialised_and_none_is_lost,
    references_resolve_to_history_entries,
    a_second_install_is_refused,
    secrets_stay_out_of_exports_and_history,
    an_export_on_demand_writes_the_current_configuration,
    an_uncommitted_export_is_removed_by_the_next_change,
    files_of_a_holder_that_did_not_finish_are_found_by_the_next_change,
    the_schema_is_migrated_to_the_current_version,
);
