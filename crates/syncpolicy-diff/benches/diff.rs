//! Benchmark (issue 4): diff two generated settings files of at least 50 MB each that differ
//! in 1% of their rules. Time = read both + diff, compared with just reading both with
//! `syncpolicy_json::read_settings` (target: at most 2x); peak memory of a child process that
//! reads both and diffs (target: at most 3x the two files' size). Run: `scripts/bench-diff`.

#![allow(
    clippy::disallowed_methods,
    reason = "the benchmark, unlike the library, writes and reads its input files"
)]
use std::process::Command;
use std::time::Instant;
use syncpolicy_diff::{diff, DiffOptions, Filter};
use syncpolicy_model::config::Configuration;
use syncpolicy_samples::generate::{generate, GenerateOptions};

const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // Child mode: `--phase NAME OLD NEW` runs one phase once and prints its peak memory.
    if let Some(i) = args.iter().position(|a| a == "--phase") {
        let (phase, old, new) = (&args[i + 1], &args[i + 2], &args[i + 3]);
        let changes = run_phase(phase, old, new);
        println!("{} {changes}", peak_kib());
        return;
    }
    let dir = std::env::temp_dir().join("syncpolicy-bench-diff");
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let opts = GenerateOptions {
        forests: 120,
        custom_rules_per_forest: 300,
        ous_per_domain: 40,
        seed: 7,
    };
    let old = generate(&opts);
    let mut new = old.clone();
    let modified = modify_one_percent(&mut new);
    let old_path = dir.join("old.json");
    let new_path = dir.join("new.json");
    let old_bytes = syncpolicy_json::write_settings(&old);
    let new_bytes = syncpolicy_json::write_settings(&new);
    std::fs::write(&old_path, &old_bytes).expect("write old");
    std::fs::write(&new_path, &new_bytes).expect("write new");
    drop((old, new));
    let total_mb = (old_bytes.len() + new_bytes.len()) as f64 / 1e6;
    println!(
        "files: {:.1} MB + {:.1} MB ({} forests, {} custom rules per forest; {modified} rules modified)",
        old_bytes.len() as f64 / 1e6,
        new_bytes.len() as f64 / 1e6,
        opts.forests,
        opts.custom_rules_per_forest
    );
    let (o, n) = (
        old_path.to_str().expect("utf-8"),
        new_path.to_str().expect("utf-8"),
    );
    let read = best_of(|| run_phase("read", o, n));
    let (full, changes) = best_of_with(|| run_phase("diff", o, n));
    assert!(
        changes >= modified,
        "the diff finds every modified rule ({changes} < {modified})"
    );
    println!("read both:          {read:.3} s");
    println!("read both + diff:   {full:.3} s ({changes} changes)");
    println!("diff alone:         {:.3} s", full - read);
    println!("ratio (target <= 2): {:.2}", full / read);
    let exe = std::env::current_exe().expect("current exe");
    for phase in ["read", "diff"] {
        let out = Command::new(&exe)
            .args(["--phase", phase, o, n])
            .output()
            .expect("run child");
        let text = String::from_utf8_lossy(&out.stdout);
        let peak: f64 = text
            .split_whitespace()
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.0);
        println!(
            "peak memory, {phase}: {:.0} MB ({:.2}x the two files; target <= 3)",
            peak / 1024.0,
            peak * 1024.0 / (total_mb * 1e6)
        );
    }
}

/// Changes every 100th custom rule: alternately disables it, edits a mapping expression,
/// edits a scope clause value. Returns how many rules were changed.
fn modify_one_percent(c: &mut Configuration) -> usize {
    let mut n = 0;
    for d in c.onpremises_directories.iter_mut() {
        for (i, r) in d.custom_rules.iter_mut().enumerate() {
            if i % 100 != 0 {
                continue;
            }
            match n % 3 {
                0 => r.disabled = !r.disabled,
                1 => match r.mappings.first_mut() {
                    Some(m) if !m.expression.is_empty() => m.expression.push_str(" & \"-x\""),
                    Some(m) => m.value.push('x'),
                    None => r.description.push_str(" (edited)"),
                },
                _ => match r.scope_groups.first_mut().and_then(|g| g.first_mut()) {
                    Some(clause) => clause.value.push_str("-edited"),
                    None => r.description.push_str(" (edited)"),
                },
            }
            n += 1;
        }
    }
    n
}

/// Runs one phase: `read` reads both files; `diff` reads both and diffs them. Returns the
/// number of changes (0 for `read`).
fn run_phase(phase: &str, old: &str, new: &str) -> usize {
    let a = syncpolicy_json::read_settings(&std::fs::read(old).expect("read old"), old)
        .expect("parse old");
    let b = syncpolicy_json::read_settings(&std::fs::read(new).expect("read new"), new)
        .expect("parse new");
    match phase {
        "diff" => diff(&a, &b, &DiffOptions::default())
            .filtered(&Filter::all())
            .changes
            .len(),
        _ => usize::from(a.rule_count() == 0) + usize::from(b.rule_count() == 0),
    }
}

fn best_of(mut f: impl FnMut() -> usize) -> f64 {
    best_of_with(&mut f).0
}

fn best_of_with(mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut last = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        last = f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, last)
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
