//! End-to-end read speed (issue 12 §3): `syncpolicy show FILE` or `syncpolicy validate FILE`
//! (the release binary, output to /dev/null) against `python3 -c "import json;
//! json.load(open(F))"` on the same generated settings file of about 50 MB, run alternately in
//! the same process so that both see the same machine. Prints the best and median wall time
//! of each, CPU time, the ratio (best against best) and peak resident memory (from
//! `/usr/bin/time`, as a multiple of the file size).
//!
//! Run through `scripts/bench-json` (show) or `scripts/bench-validate` (validate), which build
//! the binary first: `SYNCPOLICY_BIN=target/release/syncpolicy cargo bench -p syncpolicy-json
//! --bench cli_read -- show|validate [RUNS]`.

#![allow(
    clippy::disallowed_methods,
    clippy::print_stdout,
    reason = "the benchmark writes its input file, runs the binary and reports on stdout"
)]
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;
use syncpolicy_samples::generate::{generate, GenerateOptions};

/// One timed run of a command.
#[derive(Debug, Clone, Copy)]
struct Run {
    wall: f64,
    cpu: f64,
    /// Peak resident set size in bytes (0 when unknown).
    peak: u64,
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let command = args.first().map_or("show", String::as_str).to_owned();
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(7).max(1);
    let bin = PathBuf::from(
        std::env::var_os("SYNCPOLICY_BIN").expect("SYNCPOLICY_BIN names the release binary"),
    );
    let dir = std::env::temp_dir().join("syncpolicy-bench-cli-read");
    std::fs::create_dir_all(&dir).expect("create the temp dir");
    let file = dir.join("generated-50mb.json");
    let options = GenerateOptions {
        forests: 100,
        custom_rules_per_forest: 300,
        ous_per_domain: 40,
        seed: 12,
    };
    let config = generate(&options);
    let bytes = syncpolicy_json::write_settings(&config);
    drop(config);
    std::fs::write(&file, &bytes).expect("write the generated file");
    let size = bytes.len() as u64;
    drop(bytes);
    println!(
        "file: {:.1} MB ({} forests, {} custom rules each), {runs} runs of each, alternating",
        size as f64 / 1e6,
        options.forests,
        options.custom_rules_per_forest
    );
    let time = Path::new("/usr/bin/time").exists();
    if !time {
        println!("(no /usr/bin/time: peak memory not measured; `apt-get install time`)");
    }
    let f = file.to_str().expect("UTF-8 temp path");
    let python = [
        "python3",
        "-c",
        &format!("import json; json.load(open({f:?}))"),
    ];
    let ours = [bin.to_str().expect("UTF-8 binary path"), &command, f];
    let mut py_runs = Vec::new();
    let mut our_runs = Vec::new();
    // One warm-up of each (page cache, binary loaded).
    measure(&python, time, &dir);
    measure(&ours, time, &dir);
    for _ in 0..runs {
        py_runs.push(measure(&python, time, &dir));
        our_runs.push(measure(&ours, time, &dir));
    }
    let py = summary("python3 json.load", &py_runs, size);
    let us = summary(&format!("syncpolicy {command}"), &our_runs, size);
    let target = if command == "validate" {
        "target <= 0.6 (stretch 0.4)"
    } else {
        "target <= 0.3 (stretch 0.2)"
    };
    println!(
        "ratio syncpolicy {command} / python json.load: {:.2} best, {:.2} median (wall); {:.2} CPU  [{target}]",
        us.0 / py.0,
        us.1 / py.1,
        us.2 / py.2
    );
}

/// Prints best/median wall, best CPU and peak memory (highest and median); returns (best wall,
/// median wall, best CPU).
fn summary(name: &str, runs: &[Run], size: u64) -> (f64, f64, f64) {
    let mut wall: Vec<f64> = runs.iter().map(|r| r.wall).collect();
    wall.sort_by(f64::total_cmp);
    let mut cpu: Vec<f64> = runs.iter().map(|r| r.cpu).collect();
    cpu.sort_by(f64::total_cmp);
    let mut peaks: Vec<u64> = runs.iter().map(|r| r.peak).collect();
    peaks.sort_unstable();
    let peak = peaks.last().copied().unwrap_or(0);
    let median_peak = peaks.get(peaks.len() / 2).copied().unwrap_or(0);
    let best = wall[0];
    let median = wall[wall.len() / 2];
    // The highest peak of the runs, and their median (the peak varies with how the threads
    // were scheduled).
    let memory = if peak > 0 {
        format!(
            ", peak memory {:.0} MB ({:.2}x the file; median of the runs {:.2}x)",
            peak as f64 / 1e6,
            peak as f64 / size as f64,
            median_peak as f64 / size as f64
        )
    } else {
        String::new()
    };
    println!(
        "{name:<24} best {best:.3} s, median {median:.3} s, CPU {:.3} s{memory}",
        cpu[0]
    );
    (best, median, cpu[0])
}

/// Runs a command once (output discarded), under `/usr/bin/time` when there is one.
fn measure(argv: &[&str], time: bool, dir: &Path) -> Run {
    let report = dir.join("time.txt");
    let mut c = if time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%e %U %S %M", "-o"]).arg(&report).args(argv);
        c
    } else {
        let mut c = Command::new(argv[0]);
        c.args(&argv[1..]);
        c
    };
    c.stdout(Stdio::null())
        .stderr(Stdio::null())
        .env("NO_COLOR", "1");
    let start = Instant::now();
    let status = c.status().expect("the command runs");
    let wall = start.elapsed().as_secs_f64();
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "{argv:?} failed: {status}"
    );
    if !time {
        return Run {
            wall,
            cpu: wall,
            peak: 0,
        };
    }
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let n: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    match n[..] {
        [_, user, sys, kib] => Run {
            wall,
            cpu: user + sys,
            peak: kib as u64 * 1024,
        },
        _ => Run {
            wall,
            cpu: wall,
            peak: 0,
        },
    }
}
