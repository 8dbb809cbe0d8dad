//! Benchmark (issue 2): read + write a generated settings file of at least 50 MB, compared with
//! parsing and re-serializing the same bytes as a plain `serde_json::Value`; peak memory of
//! each phase measured in a child process. Run: `cargo bench -p syncpolicy-json --bench roundtrip`.

#![allow(
    clippy::disallowed_methods,
    reason = "the benchmark, unlike the library, writes and reads its input file"
)]
use std::process::Command;
use std::time::Instant;
use syncpolicy_samples::generate::{generate, GenerateOptions};

const RUNS: usize = 5;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // Child mode: `--phase NAME FILE` runs one phase once and prints its peak memory.
    if let Some(i) = args.iter().position(|a| a == "--phase") {
        let (phase, file) = (&args[i + 1], &args[i + 2]);
        let bytes = std::fs::read(file).expect("read bench file");
        let before = peak_kib();
        run_phase(phase, &bytes);
        println!("{} {}", before, peak_kib());
        return;
    }
    let dir = std::env::temp_dir().join("syncpolicy-bench-json");
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let file = dir.join("large.json");
    let opts = GenerateOptions {
        forests: 120,
        custom_rules_per_forest: 300,
        ous_per_domain: 40,
        seed: 7,
    };
    let bytes = syncpolicy_json::write_settings(&generate(&opts));
    std::fs::write(&file, &bytes).expect("write bench file");
    let mb = bytes.len() as f64 / 1e6;
    println!(
        "file: {:.1} MB ({} forests, {} custom rules per forest)",
        mb, opts.forests, opts.custom_rules_per_forest
    );

    let ours = best_of(|| run_phase("syncpolicy", &bytes));
    let base = best_of(|| run_phase("value", &bytes));
    println!(
        "serde_json::Value parse + serialize: {:.3} s ({:.0} MB/s)",
        base,
        mb / base
    );
    println!(
        "syncpolicy read + write:            {:.3} s ({:.0} MB/s)",
        ours,
        mb / ours
    );
    println!(
        "throughput ratio (ours / baseline): {:.2} (target >= 0.5)",
        base / ours
    );
    let exe = std::env::current_exe().expect("current exe");
    for phase in ["syncpolicy", "value"] {
        let out = Command::new(&exe)
            .args(["--phase", phase, file.to_str().expect("utf-8 path")])
            .output()
            .expect("run child");
        let text = String::from_utf8_lossy(&out.stdout);
        let nums: Vec<f64> = text
            .split_whitespace()
            .filter_map(|s| s.parse().ok())
            .collect();
        if let [before, peak] = nums[..] {
            println!(
                "peak memory, {phase}: {:.0} MB total ({:.2}x file size; {:.0} MB holding the input)",
                peak / 1024.0,
                peak * 1024.0 / bytes.len() as f64,
                before / 1024.0
            );
        }
    }
}

fn run_phase(phase: &str, bytes: &[u8]) {
    match phase {
        "syncpolicy" => {
            let config = syncpolicy_json::read_settings(bytes, "large.json").expect("read");
            let out = syncpolicy_json::write_settings(&config);
            assert!(out.len() > bytes.len() / 2);
        }
        _ => {
            let value: serde_json::Value = serde_json::from_slice(bytes).expect("parse");
            let out = serde_json::to_vec_pretty(&value).expect("serialize");
            assert!(out.len() > bytes.len() / 2);
        }
    }
}

fn best_of(mut f: impl FnMut()) -> f64 {
    (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Peak resident set size of this process in KiB (Linux), 0 elsewhere.
fn peak_kib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0.0)
}
