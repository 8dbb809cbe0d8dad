//! Benchmark: 1,000 successive small changes (each validated, stored, recorded in history and
//! auto-exported) on a configuration of about 500 rules, on SQLite and, when
//! `SYNCPOLICY_TEST_POSTGRES_URL` is set, on PostgreSQL. Prints changes per second.
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark creates a home folder and databases"
)]

use std::time::Instant;
use syncpolicy_model::config::Configuration;
use syncpolicy_samples::generate::{generate, GenerateOptions};
use syncpolicy_store::{ChangeMeta, Deployment, InstallOptions, Secrets, StoreError};

const CHANGES: usize = 1_000;

fn config_with_about_500_rules() -> Configuration {
    // Standard rules per forest come from the generator; custom rules fill up to ~500.
    let mut opts = GenerateOptions {
        forests: 4,
        custom_rules_per_forest: 0,
        ous_per_domain: 10,
        seed: 7,
    };
    let base = generate(&opts).rule_count();
    opts.custom_rules_per_forest = 500usize.saturating_sub(base) / opts.forests;
    generate(&opts)
}

fn run(label: &str, database: Option<String>, config: &Configuration) -> Result<(), StoreError> {
    let dir = tempfile::tempdir().map_err(|e| StoreError::Corrupt {
        what: e.to_string(),
    })?;
    let home = dir.path().join("home");
    let (mut d, _) = Deployment::install(
        InstallOptions {
            home: home.clone(),
            database,
            meta: ChangeMeta::new("bench", "install"),
            summary: "benchmark".to_owned(),
            secrets: Secrets::default(),
            import_session: None,
        },
        config,
    )?;
    let meta = ChangeMeta::new("bench", "feature deletion-threshold");
    let start = Instant::now();
    for i in 0..CHANGES {
        d.change(&meta, |c: &mut Configuration| {
            c.azure_directory.export_deletion_limit = (1000 + i).to_string();
            Ok::<_, StoreError>(format!("deletion threshold {}", 1000 + i))
        })?;
    }
    let secs = start.elapsed().as_secs_f64();
    let exports = std::fs::read_dir(home.join("exports"))
        .map(|r| r.count())
        .unwrap_or(0);
    println!(
        "{label:<11} {} rules, {CHANGES} changes in {secs:.2} s: {:.0} changes/s ({:.1} ms per change), {exports} exports",
        config.rule_count(),
        CHANGES as f64 / secs,
        secs * 1000.0 / CHANGES as f64,
    );
    Ok(())
}

fn main() {
    let config = config_with_about_500_rules();
    let bytes = syncpolicy_json::write_settings(&config).len();
    println!(
        "configuration: {} rules, settings file {} KiB",
        config.rule_count(),
        bytes / 1024
    );
    breakdown(&config);
    if let Err(e) = run("SQLite", None, &config) {
        eprintln!("error: SQLite benchmark failed: {e}");
        std::process::exit(2);
    }
    match std::env::var("SYNCPOLICY_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => {
            if let Err(e) = run("PostgreSQL", Some(url), &config) {
                eprintln!("error: PostgreSQL benchmark failed: {e}\nhint: the database must be empty; start a fresh server with eval \"$(scripts/start-postgres)\"");
                std::process::exit(2);
            }
        }
        _ => println!("PostgreSQL  skipped: set SYNCPOLICY_TEST_POSTGRES_URL (eval \"$(scripts/start-postgres)\")"),
    }
}

/// Time of the steps of one change that do not touch the database, averaged over 20 runs.
fn breakdown(config: &Configuration) {
    let n = 20;
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        start.elapsed().as_secs_f64() * 1000.0 / f64::from(n)
    };
    let lint = time(&mut || drop(std::hint::black_box(syncpolicy_lint::check(config))));
    let mut bytes = Vec::new();
    let write = time(&mut || bytes = syncpolicy_json::write_settings(config));
    let split = time(&mut || {
        drop(std::hint::black_box(syncpolicy_store::parts::split_with(
            &bytes, config,
        )))
    });
    // What a change does: the rows of the edited configuration, unchanged rules kept.
    let parts = syncpolicy_store::parts::split_with(&bytes, config).expect("rows");
    let mut after = config.clone();
    after.azure_directory.export_deletion_limit = "1234".to_owned();
    let after_bytes = syncpolicy_json::write_settings(&after);
    let since = time(&mut || {
        drop(std::hint::black_box(syncpolicy_store::parts::split_since(
            &after_bytes,
            &after,
            config,
            &parts,
        )))
    });
    let digest = time(&mut || {
        drop(std::hint::black_box(syncpolicy_json::digest::sha256_hex(
            &bytes,
        )))
    });
    // What a change does now: validation and writing of only what the change touched.
    let findings = syncpolicy_lint::check(config);
    let lint_since = time(&mut || {
        drop(std::hint::black_box(syncpolicy_lint::check_since(
            config, &findings, &after,
        )))
    });
    let mut cache = syncpolicy_json::WriteCache::default();
    drop(syncpolicy_json::write_settings_reusing(
        config, None, &mut cache,
    ));
    let mut flip = false;
    let write_since = time(&mut || {
        // Alternately the edited and the original configuration: each write is a change.
        flip = !flip;
        let (next, previous) = if flip {
            (&after, config)
        } else {
            (config, &after)
        };
        drop(std::hint::black_box(
            syncpolicy_json::write_settings_reusing(next, Some(previous), &mut cache),
        ))
    });
    let clone = time(&mut || drop(std::hint::black_box(config.clone())));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("export.json");
    let export =
        time(&mut || syncpolicy_files::atomic::write_atomic(&path, &bytes).expect("written"));
    println!(
        "per change: validate {lint:.1} ms (only what the change touched: {lint_since:.2} ms), write settings {write:.1} ms (reusing unchanged rules and section digests: {write_since:.1} ms), rows after the change {since:.1} ms (all rows cut from the text {split:.1} ms), history digest {digest:.1} ms, clone {clone:.2} ms, atomic export {export:.1} ms"
    );
}
