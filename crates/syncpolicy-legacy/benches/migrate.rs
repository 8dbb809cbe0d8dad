//! Benchmark of `syncpolicy migrate` on disk: a generated legacy folder with 16 AD connectors
//! (each with a ~1.8 MB DSML schema) and 500 rules; times load + migrate + write of the
//! settings file, and reports the peak memory (VmHWM) of a process that does only that.
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark writes its folder to disk, reads the environment and measures the process"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use syncpolicy_samples::generate::{generate, GenerateOptions};

const FORESTS: usize = 16;
const RULES: usize = 500;
const SCHEMA_BYTES: usize = 1_800_000;
const RUNS: usize = 7;
const CHILD_ENV: &str = "SYNCPOLICY_BENCH_MIGRATE_FOLDER";

fn main() {
    if let Ok(folder) = std::env::var(CHILD_ENV) {
        child(Path::new(&folder));
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = dir.path().join("Exported-ServerConfiguration-bench");
    std::fs::create_dir_all(&folder).expect("create the folder");
    let standard_only = generate(&GenerateOptions {
        forests: FORESTS,
        custom_rules_per_forest: 0,
        ous_per_domain: 10,
        seed: 7,
    })
    .rule_count();
    let custom = (RULES.saturating_sub(standard_only)).div_ceil(FORESTS);
    let config = generate(&GenerateOptions {
        forests: FORESTS,
        custom_rules_per_forest: custom,
        ous_per_domain: 10,
        seed: 7,
    });
    syncpolicy_files::legacy::write_legacy_folder(&folder, &config, SCHEMA_BYTES)
        .expect("write the legacy folder");
    let size: u64 = walk(&folder);
    println!(
        "legacy folder: {} AD connectors, {} rules, {:.1} MB on disk",
        config.onpremises_directories.len(),
        config.rule_count(),
        size as f64 / 1_000_000.0
    );
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let mut times = Vec::new();
    let mut peaks = Vec::new();
    for _ in 0..RUNS {
        let out = Command::new(&exe)
            .env(CHILD_ENV, &folder)
            .output()
            .expect("run the measured process");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut parts = line.split_whitespace();
        let ms: f64 = parts.next().and_then(|s| s.parse().ok()).expect("time");
        let kb: u64 = parts.next().and_then(|s| s.parse().ok()).expect("peak");
        times.push(ms);
        peaks.push(kb);
    }
    times.sort_by(f64::total_cmp);
    peaks.sort_unstable();
    println!(
        "load + migrate + write settings file: min {:.1} ms, median {:.1} ms, max {:.1} ms ({RUNS} runs)",
        times[0],
        times[RUNS / 2],
        times[RUNS - 1]
    );
    println!(
        "peak memory (VmHWM of the measured process): median {:.1} MB, max {:.1} MB",
        peaks[RUNS / 2] as f64 / 1024.0,
        peaks[RUNS - 1] as f64 / 1024.0
    );
}

/// The measured work: prints "<milliseconds> <VmHWM kB>".
fn child(folder: &Path) {
    let out: PathBuf = folder.with_extension("json");
    let start = Instant::now();
    let (config, report) =
        syncpolicy_files::legacy::load_legacy_folder(folder).expect("the folder migrates");
    let bytes = syncpolicy_json::write_settings(&config);
    syncpolicy_files::atomic::write_atomic(&out, &bytes).expect("write the settings file");
    let elapsed = start.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(report.counts.unattached_rules, 0);
    println!("{elapsed:.3} {}", vm_hwm_kb());
}

fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn walk(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        total += if p.is_dir() {
            walk(&p)
        } else {
            entry.metadata().map(|m| m.len()).unwrap_or(0)
        };
    }
    total
}
