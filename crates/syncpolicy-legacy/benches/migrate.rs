//! Benchmark of `syncpolicy migrate` end to end against Python's `xml.etree.ElementTree.parse`
//! over the same files, measured in the same run. The folder is generated in the real shape
//! of `MigrateSettings.ps1` (`fixture::Shape::migrate_settings`): 16 AD connectors, each with a
//! ~1.8 MB DSML schema on one line followed by the rest of the connector, CRLF, BOM,
//! `MigratedPolicy.json` in UTF-16, and ~500 rules. Each command runs as its own process under
//! a small Python harness that takes wall time and peak resident memory (`os.wait4`).
//!
//! `scripts/bench-migrate` builds the release binary and passes it in `SYNCPOLICY_BIN`. With
//! `SYNCPOLICY_BENCH_KEEP=DIR` the folder is written to `DIR` and kept (for profiling).
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark writes its folder to disk, reads the environment and runs processes"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use syncpolicy_legacy::fixture::Shape;
use syncpolicy_samples::generate::{generate, GenerateOptions};

const FORESTS: usize = 16;
const RULES: usize = 500;
const SCHEMA_BYTES: usize = 1_800_000;
const RUNS: usize = 7;

/// Runs `argv` and prints "<wall seconds> <peak RSS kB> <CPU seconds>" (of that process only).
const HARNESS: &str = r#"
import os, subprocess, sys, time
t = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(p.pid, 0)
dt = time.perf_counter() - t
if status != 0:
    sys.exit("command failed: %r (status %d)" % (sys.argv[1:], status))
print(dt, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"#;

/// The reference: ElementTree-parses every XML file of the folder; prints the time spent in
/// the parse loop (without interpreter start-up) on stdout.
const REFERENCE: &str = r#"
import os, sys, time, xml.etree.ElementTree as ET
files = []
for root, _, names in os.walk(sys.argv[1]):
    files += [os.path.join(root, n) for n in names if n.lower().endswith(".xml")]
files.sort()
t = time.perf_counter()
for f in files:
    ET.parse(f)
dt = time.perf_counter() - t
sys.stderr.write("%d %f\n" % (len(files), dt))
"#;

fn main() {
    linearity();
    let bin = match std::env::var("SYNCPOLICY_BIN") {
        Ok(b) => PathBuf::from(b),
        Err(_) => {
            eprintln!(
                "set SYNCPOLICY_BIN to a release build of syncpolicy (scripts/bench-migrate does)"
            );
            std::process::exit(2);
        }
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = match std::env::var("SYNCPOLICY_BENCH_KEEP") {
        Ok(keep) => PathBuf::from(keep).join("Exported-ServerConfiguration-bench"),
        Err(_) => dir.path().join("Exported-ServerConfiguration-bench"),
    };
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
    syncpolicy_files::legacy::write_legacy_folder_shaped(
        &folder,
        &config,
        &Shape::migrate_settings(SCHEMA_BYTES),
    )
    .expect("write the legacy folder");
    let (size, files, longest) = walk(&folder);
    println!(
        "legacy folder (real shape: one-line schemas, CRLF, BOM, UTF-16 MigratedPolicy.json): {} AD connectors, {} rules, {} XML files, {:.1} MB, longest line {:.2} MB",
        config.onpremises_directories.len(),
        config.rule_count(),
        files,
        size as f64 / 1_000_000.0,
        longest as f64 / 1_000_000.0
    );
    let out = dir.path().join("migrated.json");
    let folder_s = folder.to_str().expect("a UTF-8 path");
    let out_s = out.to_str().expect("a UTF-8 path");
    let bin_s = bin.to_str().expect("a UTF-8 path");
    let mut ours = Vec::new();
    let mut ours_cpu = Vec::new();
    let mut ours_rss = Vec::new();
    let mut py_total = Vec::new();
    let mut py_cpu = Vec::new();
    let mut py_parse = Vec::new();
    let mut py_rss = Vec::new();
    for _ in 0..RUNS {
        // Interleaved, so both see the same machine load.
        let m = measure(&[bin_s, "migrate", folder_s, "-o", out_s, "--quiet"]);
        ours.push(m.wall);
        ours_cpu.push(m.cpu);
        ours_rss.push(m.peak_kb);
        let m = measure(&["python3", "-c", REFERENCE, folder_s]);
        py_total.push(m.wall);
        py_cpu.push(m.cpu);
        py_rss.push(m.peak_kb);
        let parse: f64 = m
            .stderr
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("the reference prints its parse time");
        py_parse.push(parse);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (o, pt, pp) = (
        median(&mut ours),
        median(&mut py_total),
        median(&mut py_parse),
    );
    let (oc, pc) = (median(&mut ours_cpu), median(&mut py_cpu));
    ours_rss.sort_by(f64::total_cmp);
    py_rss.sort_by(f64::total_cmp);
    println!(
        "syncpolicy migrate (release, whole process: read, migrate, write the settings file): median {:.1} ms, min {:.1} ms, CPU median {:.1} ms ({RUNS} runs)",
        o * 1000.0,
        ours[0] * 1000.0,
        oc * 1000.0
    );
    println!(
        "python3 ElementTree.parse of every XML file: parse loop median {:.1} ms; whole process median {:.1} ms, CPU median {:.1} ms",
        pp * 1000.0,
        pt * 1000.0,
        pc * 1000.0
    );
    println!(
        "ratio syncpolicy / ElementTree parse loop (wall): {:.3}x (target at most 0.3x, stretch 0.1x)",
        o / pp
    );
    println!("ratio syncpolicy / python3 process (wall): {:.3}x", o / pt);
    println!(
        "ratio syncpolicy / python3 process (CPU time, user + system): {:.3}x",
        oc / pc
    );
    println!(
        "peak resident memory: syncpolicy migrate max {:.1} MB (target at most 100 MB); python3 {:.1} MB",
        ours_rss[RUNS - 1] / 1024.0,
        py_rss[RUNS - 1] / 1024.0
    );
}

/// Linear time, shown as a benchmark: in-process migration of folders whose one XML shape grows
/// 4x and 16x (the one-line schema of a connector; very many siblings in one rule; very many
/// attributes on one element). Time per input byte stays flat when the work is linear.
fn linearity() {
    use syncpolicy_legacy::{fixture, migrate, LegacyFolder, MigratedPolicy};
    let config = generate(&GenerateOptions {
        forests: 1,
        custom_rules_per_forest: 0,
        ous_per_domain: 2,
        seed: 3,
    });
    let base = |schema: usize| {
        let mut f = LegacyFolder::from_files("bench", fixture::write_folder(&config, schema));
        f.migrated_policy = Some(MigratedPolicy {
            file: "MigratedPolicy.json".to_owned(),
            policy_metadata: config.policy_metadata.clone(),
            deployment_metadata: config.deployment_metadata.clone(),
        });
        f
    };
    let rule_index = |f: &LegacyFolder| {
        f.files
            .iter()
            .position(|(p, _)| p.starts_with("SynchronizationRules/"))
            .expect("a rule file")
    };
    type Grow<'a> = Box<dyn Fn(usize) -> LegacyFolder + 'a>;
    let cases: Vec<(&str, Grow<'_>)> = vec![
        ("one-line connector schema", Box::new(|n| base(450_000 * n))),
        (
            "siblings in one rule (<attr> of one mapping)",
            Box::new(|n| {
                let mut f = base(4096);
                let i = rule_index(&f);
                let text = String::from_utf8_lossy(&f.files[i].1).into_owned();
                let srcs: String = (0..25_000 * n)
                    .map(|k| format!("<attr>a{k}</attr>"))
                    .collect();
                f.files[i].1 = text
                    .replacen(
                        "<attribute-mappings>",
                        &format!("<attribute-mappings><mapping><dest>x</dest><src>{srcs}</src></mapping>"),
                        1,
                    )
                    .into_bytes();
                f
            }),
        ),
        (
            "attributes on one element",
            Box::new(|n| {
                let mut f = base(4096);
                let i = rule_index(&f);
                let text = String::from_utf8_lossy(&f.files[i].1).into_owned();
                let attrs: String = (0..25_000 * n).map(|k| format!(" a{k}=\"{k}\"")).collect();
                f.files[i].1 = text
                    .replacen(
                        "<synchronizationRule>",
                        &format!("<synchronizationRule{attrs}>"),
                        1,
                    )
                    .into_bytes();
                f
            }),
        ),
    ];
    for (name, grow) in cases {
        let mut line = format!("linear time, {name}:");
        for n in [1, 4, 16] {
            let folder = grow(n);
            let bytes: usize = folder.files.iter().map(|(_, b)| b.len()).sum();
            let mut best = f64::MAX;
            for _ in 0..3 {
                let t = std::time::Instant::now();
                let (c, _) = migrate(&folder).expect("the folder migrates");
                std::hint::black_box(c);
                best = best.min(t.elapsed().as_secs_f64());
            }
            line.push_str(&format!(
                " {:.1} MB {:.1} ms ({:.2} ns/byte);",
                bytes as f64 / 1e6,
                best * 1000.0,
                best * 1e9 / bytes as f64
            ));
        }
        println!("{}", line.trim_end_matches(';'));
    }
}

/// What the harness measured of one process.
struct Measured {
    wall: f64,
    peak_kb: f64,
    cpu: f64,
    stderr: String,
}

/// Runs a command under the harness.
fn measure(argv: &[&str]) -> Measured {
    let out = Command::new("python3")
        .arg("-c")
        .arg(HARNESS)
        .args(argv)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut parts = line.split_whitespace();
    let t: f64 = parts.next().and_then(|s| s.parse().ok()).expect("time");
    let kb: f64 = parts.next().and_then(|s| s.parse().ok()).expect("peak");
    let cpu: f64 = parts.next().and_then(|s| s.parse().ok()).expect("cpu");
    Measured {
        wall: t,
        peak_kb: kb,
        cpu,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Bytes, XML files and the longest line of a folder's files.
fn walk(dir: &Path) -> (u64, usize, usize) {
    let mut total = (0u64, 0usize, 0usize);
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            let (b, f, l) = walk(&p);
            total = (total.0 + b, total.1 + f, total.2.max(l));
        } else {
            let bytes = std::fs::read(&p).unwrap_or_default();
            let longest = bytes.split(|b| *b == b'\n').map(<[u8]>::len).max();
            let xml = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"));
            total = (
                total.0 + bytes.len() as u64,
                total.1 + usize::from(xml),
                total.2.max(longest.unwrap_or(0)),
            );
        }
    }
    total
}
