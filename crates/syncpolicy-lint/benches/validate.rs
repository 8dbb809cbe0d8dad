//! Benchmark of `syncpolicy validate` on a large file: generates a configuration of about
//! 50 MB (120 forests, 300 custom rules each), writes it, then measures reading it and
//! checking it with `check_file` (all rules, positions, digest check). Prints the file size,
//! the number of findings and min/median timings of the runs.
#![allow(
    clippy::print_stdout,
    reason = "a benchmark reports on standard output"
)]

use std::time::{Duration, Instant};
use syncpolicy_samples::generate::{generate, GenerateOptions};

fn main() {
    // Sizes can be lowered for a quick look: `validate RUNS FORESTS CUSTOM_RULES`.
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let options = GenerateOptions {
        forests: numbers.get(1).copied().unwrap_or(120),
        custom_rules_per_forest: numbers.get(2).copied().unwrap_or(300),
        ous_per_domain: 10,
        seed: 1,
    };
    let runs = numbers.first().copied().unwrap_or(5).max(1);
    let config = generate(&options);
    let bytes = syncpolicy_json::write_settings(&config);
    println!(
        "file: {:.1} MB, {} rules ({} forests, {} custom rules per forest)",
        bytes.len() as f64 / 1e6,
        config.rule_count(),
        options.forests,
        options.custom_rules_per_forest
    );
    drop(config);
    let mut read_times = Vec::new();
    let mut check_times = Vec::new();
    let mut total_times = Vec::new();
    let mut findings = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let text = std::str::from_utf8(&bytes).expect("the writer writes UTF-8");
        let config = syncpolicy_json::read_settings_str(text, "generated.json")
            .expect("the generated file reads");
        let read = start.elapsed();
        let diags = syncpolicy_lint::check_file(&config, text, "generated.json");
        if std::env::var_os("BENCH_VERBOSE").is_some() {
            let t = Instant::now();
            let n = syncpolicy_lint::check(&config).len();
            let rules = t.elapsed();
            let t = Instant::now();
            let _ = syncpolicy_json::digest::check(&config);
            let digest = t.elapsed();
            eprintln!(
                "rules without file: {rules:?} ({n} findings), digest check alone: {digest:?}"
            );
        }
        let total = start.elapsed();
        findings = diags.len();
        read_times.push(read);
        check_times.push(total - read);
        total_times.push(total);
    }
    let stats = |mut v: Vec<Duration>| {
        v.sort();
        (v[0], v[v.len() / 2])
    };
    let (rmin, rmed) = stats(read_times);
    let (cmin, cmed) = stats(check_times);
    let (tmin, tmed) = stats(total_times);
    println!("findings: {findings}");
    println!(
        "read:        min {:>7.1} ms   median {:>7.1} ms",
        ms(rmin),
        ms(rmed)
    );
    println!(
        "check_file:  min {:>7.1} ms   median {:>7.1} ms",
        ms(cmin),
        ms(cmed)
    );
    println!(
        "total:       min {:>7.1} ms   median {:>7.1} ms   ({runs} runs)",
        ms(tmin),
        ms(tmed)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
