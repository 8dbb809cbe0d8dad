//! Benchmark of issue 17: a generated forest (200,000 users, 20,000 groups of 20 members on
//! average, 10,000 contacts, 20,000 computers) as LDIF, the out-of-box rules plus 20 custom
//! rules. Measures, in one run: reading and parsing the LDIF alone (the floor), `simulate` end
//! to end as `simulate --format json --summary` runs it (`syncpolicy_sync::run_summary`: one
//! pass parses, stages, completes and counts each object as if alone and plans the joins; a
//! second pass, only if needed, stages again the objects whose count did not stand; then the
//! JSON summary), and `impact` of two configurations that differ in one rule
//! (`syncpolicy_sync::run_pair_single`: the same over both configurations, each object
//! compared alone, then the objects whose comparison did not stand compared as they
//! complete). The parser runs on its own thread, handing batches over, as in the CLI. Writes the LDIF and the configuration for
//! `scripts/bench-simulate`'s peak-memory run of the CLI.
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark writes its inputs for the CLI run and reads the environment for its size"
)]

use std::sync::Arc;
use std::time::Instant;
use syncpolicy_model::config::DirectoryRef;
use syncpolicy_objects::generate::{write_generated, GenerateOptions};
use syncpolicy_objects::ObjectFormat;
use syncpolicy_sync::{
    run_pair_single, Options, Origin, PairPass, PairSide, Simulator, SourceInput, SummaryPass,
};

/// The allocator of the `syncpolicy` binary, so that the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/it/bench_config.rs"]
mod bench_config;
use bench_config::configuration;

fn batch_of(ldif: &[u8], wanted: Wanted, mut each: impl FnMut(Vec<SourceInput>)) -> usize {
    let mut n = 0;
    let mut batch = Vec::with_capacity(1024);
    // On every core, as the CLI's `stream_objects` reads a file.
    syncpolicy_objects::read_objects_parallel_only(
        ldif,
        syncpolicy_objects::Limits::DEFAULT,
        syncpolicy_objects::Blocks::default_for_machine(),
        wanted,
        |item| {
            let Ok(o) = item else { return true };
            n += 1;
            batch.push(SourceInput {
                directory: DirectoryRef::OnPremises(0),
                dn: o.dn,
                object: o.object,
                origin: Origin {
                    file: 0,
                    line: o.line,
                },
            });
            if batch.len() == 1024 {
                each(std::mem::replace(&mut batch, Vec::with_capacity(1024)));
            }
            true
        },
    );
    if !batch.is_empty() {
        each(batch);
    }
    n
}

/// The attributes an object is read with (`None`: all).
type Wanted = Option<Arc<syncpolicy_objects::Wanted>>;

/// What the staging of every side of `simulators` reads, as the CLI asks for it.
fn staged_wanted(simulators: &[&Simulator<'_>]) -> Wanted {
    wanted(staged_names(simulators))
}

/// The attributes the staging of every side of `simulators` reads (`None`: all).
fn staged_names(simulators: &[&Simulator<'_>]) -> Option<Vec<String>> {
    let mut all = Vec::new();
    for s in simulators {
        all.extend(s.staged_attributes()?);
    }
    Some(all)
}

/// What a second pass by DN reads, as the CLI asks for it: what staging reads, of the
/// entries of `dns` only.
fn entries_wanted(simulators: &[&Simulator<'_>], dns: &[String]) -> Wanted {
    let names = syncpolicy_objects::Wanted::names_or_all(staged_names(simulators).as_deref());
    Some(Arc::new(names.with_entries(dns.iter().cloned())))
}

fn wanted(names: Option<Vec<String>>) -> Wanted {
    names.map(|names| {
        Arc::new(syncpolicy_objects::Wanted::new(
            names.iter().map(String::as_str),
        ))
    })
}

/// Parses on a reader thread and hands batches to `each`, as the CLI's `stream_objects` does.
fn parse_all(ldif: &[u8], wanted: Wanted, mut each: impl FnMut(Vec<SourceInput>)) -> usize {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<SourceInput>>(2);
    std::thread::scope(|s| {
        let reader = s.spawn(move || {
            batch_of(ldif, wanted, |b| {
                let _ = tx.send(b);
            })
        });
        for b in rx {
            each(b);
        }
        reader.join().expect("the reader finishes")
    })
}

fn main() {
    let scale: usize = std::env::var("SIMULATE_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let options = GenerateOptions {
        users: 200_000 / scale,
        groups: 20_000 / scale,
        members: 20,
        contacts: 10_000 / scale,
        computers: 20_000 / scale,
        ..GenerateOptions::default()
    };
    let mut ldif = Vec::new();
    write_generated(&options, ObjectFormat::Ldif, &mut ldif).expect("writes to memory");
    let config = configuration();
    let mut changed = config.clone();
    // One rule differs: the department of custom rule 0 (Sales -> Marketing), so the objects of
    // two departments change.
    changed.onpremises_directories[0].custom_rules[0].scope_groups[0][0].value = "Marketing".into();

    // The floor: read and parse the LDIF, nothing else.
    let t = Instant::now();
    let objects = parse_all(&ldif, None, |b| {
        std::hint::black_box(b);
    });
    let floor = t.elapsed().as_secs_f64();

    // simulate, as `simulate --format json --summary` runs it: one pass (parse, stage, count
    // each object as if alone, plan the joins), then a second over the objects whose count
    // did not stand, if any; the summary JSON.
    let t = Instant::now();
    let simulator = Simulator::new(&config, Options::default());
    let groups = syncpolicy_sync::scope::Groups::new();
    // Wall time of the phases: the first pass, the join plan and counting, the second pass.
    let mut phases = [0f64; 3];
    let mut mark = Instant::now();
    let (run, stats) = syncpolicy_sync::run_summary(&simulator, &groups, |pass, sink| {
        let stage = pass == SummaryPass::Stage;
        if !stage {
            phases[1] = mark.elapsed().as_secs_f64();
        }
        // As the CLI reads it: what staging reads, and a second pass by DN only those entries.
        let wanted = match pass {
            SummaryPass::Complete { dns: Some(dns) } => entries_wanted(&[&simulator], dns),
            _ => staged_wanted(&[&simulator]),
        };
        let p = Instant::now();
        parse_all(&ldif, wanted, &mut *sink);
        phases[if stage { 0 } else { 2 }] = p.elapsed().as_secs_f64();
        mark = Instant::now();
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {})
    .expect("the same objects in both passes");
    if stats.completed_again == 0 {
        phases[1] = mark.elapsed().as_secs_f64();
    }
    let header = syncpolicy_views::simulate::SummaryHeader {
        source: "bench",
        now: None,
        bad_objects: 0,
    };
    let mut summary = Vec::new();
    syncpolicy_views::simulate::write_run_summary_json(&config, &run, header, false, &mut summary)
        .expect("to memory");
    let simulate = t.elapsed().as_secs_f64();
    let s = run.summary;

    // impact: both configurations over the same objects, streamed, compared.
    let t = Instant::now();
    let a = Simulator::new(&config, Options::default());
    let b = Simulator::new(&changed, Options::default());
    // As the CLI runs it: one pass, each object staged for both sides and compared alone,
    // both join plans made; a second pass by DN over the objects whose comparison did not
    // stand.
    let side = |config, simulator| PairSide {
        config,
        simulator,
        groups: &groups,
    };
    let mut impact_second = 0f64;
    let run = run_pair_single(
        side(&config, &a),
        side(&changed, &b),
        |o| o.directory,
        |pass, sink| {
            let p = Instant::now();
            let wanted = match pass {
                PairPass::Complete { dns: Some(dns) } => entries_wanted(&[&a, &b], dns),
                _ => staged_wanted(&[&a, &b]),
            };
            parse_all(&ldif, wanted, &mut *sink);
            if pass != PairPass::Stage {
                impact_second = p.elapsed().as_secs_f64();
            }
            Ok::<(), std::convert::Infallible>(())
        },
    )
    .unwrap_or_else(|e| match e {});
    let result = run.finish().expect("every object completes");
    let impact = t.elapsed().as_secs_f64();

    let rate = |secs: f64| objects as f64 / secs;
    println!("objects: {objects} ({} MB of LDIF)", ldif.len() / 1_000_000);
    println!(
        "metaverse: {:?}; entra: {:?}",
        s.metaverse_by_type, s.entra_by_type
    );
    println!("impact: {} changes", result.changes.len());
    println!(
        "read+parse (floor): {floor:.2} s, {:.0} objects/s",
        rate(floor)
    );
    println!(
        "simulate:           {simulate:.2} s, {:.0} objects/s ({:.1}x the floor)",
        rate(simulate),
        simulate / floor
    );
    println!(
        "  simulate phases:  one pass {:.2} s, join plan and counts {:.2} s, second pass {:.2} s ({} objects staged again)",
        phases[0], phases[1], phases[2], stats.completed_again
    );
    println!(
        "impact:             {impact:.2} s, {:.0} objects/s ({:.1}x the floor; second pass {impact_second:.2} s)",
        rate(impact),
        impact / floor
    );
    if let Ok(dir) = std::env::var("SIMULATE_BENCH_OUT") {
        let dir = std::path::Path::new(&dir);
        std::fs::write(dir.join("bench.ldif"), &ldif).expect("writes the LDIF");
        std::fs::write(
            dir.join("bench-config.json"),
            syncpolicy_json::write_settings(&config),
        )
        .expect("writes the configuration");
        std::fs::write(
            dir.join("bench-config-changed.json"),
            syncpolicy_json::write_settings(&changed),
        )
        .expect("writes the configuration");
    }
}
