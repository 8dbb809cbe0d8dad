//! Benchmark (issue 14): (1) read and re-export a generated file of 2,000 rules in the Rules
//! Editor's grammar; (2) `plan` between two generated settings files of 50+ MB that differ in
//! 1% of their rules, against `diff` of the same pair in the same run (target: plan at most
//! diff + 50%). Times are the best of several runs. Run: `scripts/bench-powershell`.

#![allow(
    clippy::disallowed_methods,
    reason = "the benchmark, unlike the library, writes and reads its input files"
)]
use std::time::Instant;
use syncpolicy_diff::{diff, DiffOptions, Filter};
use syncpolicy_model::config::Configuration;
use syncpolicy_powershell::connect::connector_of;
use syncpolicy_powershell::{plan, read_rules, write_rules, LineEnding, PlanOptions};
use syncpolicy_samples::generate::{generate, GenerateOptions};

const RUNS: usize = 3;

fn main() {
    rules_file();
    plan_vs_diff();
}

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(v);
    }
    (best, last.expect("at least one run"))
}

/// 2,000 rules of a generated configuration in the editor's grammar: read, then write back.
fn rules_file() {
    let config = generate(&GenerateOptions {
        forests: 8,
        custom_rules_per_forest: 250,
        ous_per_domain: 2,
        seed: 11,
    });
    let items: Vec<_> = config
        .rules()
        .take(2000)
        .map(|(loc, r)| (r, connector_of(&config, loc.directory)))
        .collect();
    assert_eq!(items.len(), 2000, "the generator gives 2,000 rules");
    let text = write_rules(
        items.iter().map(|(r, c)| (*r, c.as_str())),
        LineEnding::CrLf,
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    println!(
        "rules file: 2000 rules, {:.1} MB as UTF-8, {:.1} MB as UTF-16 LE with CRLF",
        text.len() as f64 / 1e6,
        utf16.len() as f64 / 1e6
    );
    let (read_utf8, file) = best(5, || {
        read_rules(text.as_bytes(), "bench.ps1").expect("reads")
    });
    let (read_utf16, _) = best(5, || read_rules(&utf16, "bench.ps1").expect("reads"));
    let (write, again) = best(5, || {
        write_rules(
            file.rules.iter().map(|r| (&r.rule, r.connector.as_str())),
            file.line_ending,
        )
    });
    assert_eq!(again, text, "the re-export is byte-identical");
    println!(
        "read (UTF-8):       {:.3} s ({:.0} rules/s)",
        read_utf8,
        2000.0 / read_utf8
    );
    println!("read (UTF-16):      {:.3} s", read_utf16);
    println!("write back:         {:.3} s (byte-identical)", write);
}

/// Changes every 100th custom rule: alternately disables it, edits a mapping, edits a scope
/// clause value. Returns how many rules were changed.
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

fn plan_vs_diff() {
    let dir = std::env::temp_dir().join("syncpolicy-bench-powershell");
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
    let old_bytes = syncpolicy_json::write_settings(&old);
    let new_bytes = syncpolicy_json::write_settings(&new);
    let (old_path, new_path) = (dir.join("current.json"), dir.join("desired.json"));
    std::fs::write(&old_path, &old_bytes).expect("write current");
    std::fs::write(&new_path, &new_bytes).expect("write desired");
    drop((old, new));
    println!(
        "configurations: {:.1} MB + {:.1} MB ({} forests, {} custom rules per forest; {modified} rules modified)",
        old_bytes.len() as f64 / 1e6,
        new_bytes.len() as f64 / 1e6,
        opts.forests,
        opts.custom_rules_per_forest
    );
    drop((old_bytes, new_bytes));
    let read = || {
        let a = syncpolicy_json::read_settings(&std::fs::read(&old_path).expect("read"), "current")
            .expect("parse");
        let b = syncpolicy_json::read_settings(&std::fs::read(&new_path).expect("read"), "desired")
            .expect("parse");
        (a, b)
    };
    let (t_diff_cli, changes) = best(RUNS, || {
        let (a, b) = read();
        diff(&a, &b, &DiffOptions::default())
            .filtered(&Filter::default())
            .changes
            .len()
    });
    let (t_plan_cli, steps) = best(RUNS, || {
        let (a, b) = read();
        let p = plan(&a, &b, &PlanOptions::default()).expect("plans");
        let s = syncpolicy_powershell::script::script(&p, "current", "desired");
        (p.steps.len(), s.len())
    });
    let (a, b) = read();
    let (t_diff, _) = best(RUNS, || {
        diff(&a, &b, &DiffOptions::default())
            .filtered(&Filter::default())
            .changes
            .len()
    });
    let (t_plan, _) = best(RUNS, || {
        let p = plan(&a, &b, &PlanOptions::default()).expect("plans");
        syncpolicy_powershell::script::script(&p, "current", "desired").len()
    });
    let (t_plan_only, p) = best(RUNS, || {
        plan(&a, &b, &PlanOptions::default()).expect("plans")
    });
    let (t_script_only, _) = best(RUNS, || {
        syncpolicy_powershell::script::script(&p, "current", "desired").len()
    });
    assert!(
        steps.0 >= modified,
        "every modified rule is a step ({} < {modified})",
        steps.0
    );
    println!("read both + diff:            {t_diff_cli:.3} s ({changes} changes)");
    println!(
        "read both + plan + script:   {t_plan_cli:.3} s ({} steps, script {:.1} MB)",
        steps.0,
        steps.1 as f64 / 1e6
    );
    println!(
        "ratio (target <= 1.5):       {:.2}",
        t_plan_cli / t_diff_cli
    );
    println!("diff alone:                  {t_diff:.3} s");
    println!("plan + script alone:         {t_plan:.3} s");
    println!("ratio, in memory:            {:.2}", t_plan / t_diff);
    println!("  of which plan (with diff): {t_plan_only:.3} s, script: {t_script_only:.3} s");
}
