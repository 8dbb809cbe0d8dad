//! Benchmark: `syncpolicy apply` of a settings file that changes 1% of the rules of a 50 MB
//! configuration, against `syncpolicy show` of the same file (the reference, measured in the
//! same run). Runs the release binary named by `SYNCPOLICY_BIN` (`scripts/bench-store` builds
//! it); the deployment is installed in-process, on SQLite. Prints both times and the ratio
//! (target: at most 3x).
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark creates a home folder and runs the binary"
)]

use std::path::Path;
use std::process::Command;
use std::time::Instant;
use syncpolicy_model::config::Configuration;
use syncpolicy_samples::generate::{generate, GenerateOptions};
use syncpolicy_store::{ChangeMeta, Deployment, InstallOptions, Secrets};

const TARGET_BYTES: usize = 50 * 1024 * 1024;

/// A generated configuration of about 50 MB.
fn config_of_50_mb() -> Configuration {
    let mut opts = GenerateOptions {
        forests: 4,
        custom_rules_per_forest: 200,
        ous_per_domain: 20,
        seed: 11,
    };
    let probe = syncpolicy_json::write_settings(&generate(&opts)).len();
    let per_rule = probe / generate(&opts).rule_count().max(1);
    let wanted_rules = TARGET_BYTES / per_rule.max(1);
    opts.custom_rules_per_forest = wanted_rules / opts.forests;
    generate(&opts)
}

/// The configuration with every 100th rule's description changed (1% of the rules).
fn one_percent_changed(config: &Configuration) -> (Configuration, usize) {
    let mut c = config.clone();
    let mut i = 0usize;
    let mut changed = 0usize;
    let mut touch = |rules: &mut Vec<syncpolicy_model::rule::SyncRule>| {
        for r in rules {
            if i % 100 == 0 {
                r.description = format!("{} (edited for the benchmark)", r.description);
                changed += 1;
            }
            i += 1;
        }
    };
    touch(&mut c.azure_directory.standard_rules);
    touch(&mut c.azure_directory.custom_rules);
    for d in &mut c.onpremises_directories {
        touch(&mut d.standard_rules);
        touch(&mut d.custom_rules);
    }
    (c, changed)
}

/// Runs the binary; seconds.
fn timed(bin: &Path, home: &Path, args: &[&str], expect: &[i32]) -> f64 {
    let start = Instant::now();
    let out = Command::new(bin)
        .arg("--home")
        .arg(home)
        .arg("--quiet")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the syncpolicy binary runs");
    let secs = start.elapsed().as_secs_f64();
    let code = out.status.code().unwrap_or(-1);
    if !expect.contains(&code) {
        eprintln!(
            "error: `syncpolicy {}` exited {code}:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        std::process::exit(2);
    }
    secs
}

/// Runs of each command, alternating (`show` right after an `apply` can share the disk with
/// its write-back, so the medians and the best runs are both printed).
const ROUNDS: usize = 5;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let Some(bin) = std::env::var_os("SYNCPOLICY_BIN") else {
        println!("apply       skipped: set SYNCPOLICY_BIN to the release syncpolicy binary (scripts/bench-store does)");
        return;
    };
    let bin = Path::new(&bin);
    // APPLY_BENCH_DIR keeps the files and the home there (for profiling by hand).
    let temp = tempfile::tempdir().expect("a temporary folder");
    let kept = std::env::var_os("APPLY_BENCH_DIR").map(std::path::PathBuf::from);
    if let Some(k) = &kept {
        let _ = std::fs::remove_dir_all(k);
        std::fs::create_dir_all(k).expect("APPLY_BENCH_DIR created");
    }
    let dir = kept.as_deref().unwrap_or(temp.path());
    let config = config_of_50_mb();
    let original = syncpolicy_json::write_settings(&config);
    let (edited_config, changed) = one_percent_changed(&config);
    let edited = syncpolicy_json::write_settings(&edited_config);
    let a = dir.join("original.json");
    let b = dir.join("edited.json");
    std::fs::write(&a, &original).expect("written");
    std::fs::write(&b, &edited).expect("written");
    let home = dir.join("home");
    let started = Instant::now();
    drop(
        Deployment::install(
            InstallOptions {
                home: home.clone(),
                database: None,
                meta: ChangeMeta::new("bench", "install"),
                summary: "benchmark".to_owned(),
                secrets: Secrets::default(),
                import_session: None,
            },
            &config,
        )
        .expect("installed"),
    );
    println!(
        "apply benchmark: {} rules, settings file {:.1} MB, {changed} rules changed by the applied file; installed in {:.1} s",
        config.rule_count(),
        original.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let (a, b) = (a.to_string_lossy(), b.to_string_lossy());
    let mut show = Vec::new();
    let mut apply = Vec::new();
    for round in 0..ROUNDS {
        show.push(timed(bin, &home, &["show", &b], &[0]));
        // Alternately to the edited file and back: each apply changes 1% of the rules.
        let target = if round % 2 == 0 { &b } else { &a };
        apply.push(timed(bin, &home, &["apply", target], &[1]));
    }
    let best = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let (show_best, apply_best) = (best(&show), best(&apply));
    let (show, apply) = (median(show), median(apply));
    println!(
        "show of the file {show:.2} s (reference); apply of it {apply:.2} s: {:.2}x show (target at most 3x); medians of {ROUNDS} alternating runs",
        apply / show
    );
    println!(
        "best of {ROUNDS}: show {show_best:.3} s, apply {apply_best:.3} s: {:.2}x show",
        apply_best / show_best
    );
}
