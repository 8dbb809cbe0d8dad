//! Benchmark of issue 17: a generated forest (200,000 users, 20,000 groups of 20 members on
//! average, 10,000 contacts, 20,000 computers) as LDIF, the out-of-box rules plus 20 custom
//! rules. Measures, in one run: reading and parsing the LDIF alone (the floor), `simulate` end
//! to end (LDIF -> staged in batches as read -> metaverse -> Entra -> JSON summary), and
//! `impact` of two configurations that differ in one rule. Writes the LDIF and the
//! configuration for `scripts/bench-simulate`'s peak-memory run of the CLI.
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark writes its inputs for the CLI run and reads the environment for its size"
)]

use std::time::Instant;
use syncpolicy_model::config::DirectoryRef;
use syncpolicy_objects::generate::{write_generated, GenerateOptions};
use syncpolicy_objects::ObjectFormat;
use syncpolicy_sync::{Options, Origin, Simulator, SourceInput};

/// The allocator of the `syncpolicy` binary, so that the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/it/bench_config.rs"]
mod bench_config;
use bench_config::configuration;

fn parse_all(ldif: &[u8], mut each: impl FnMut(Vec<SourceInput>)) -> usize {
    let mut n = 0;
    let mut batch = Vec::with_capacity(4096);
    for item in syncpolicy_objects::read_objects(ldif) {
        let Ok(o) = item else { continue };
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
        if batch.len() == 4096 {
            each(std::mem::replace(&mut batch, Vec::with_capacity(4096)));
        }
    }
    if !batch.is_empty() {
        each(batch);
    }
    n
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
    let objects = parse_all(&ldif, |b| {
        std::hint::black_box(b);
    });
    let floor = t.elapsed().as_secs_f64();

    // simulate: parse, stage as read, join, export, summary JSON.
    let t = Instant::now();
    let simulator = Simulator::new(&config, Options::default());
    let groups = syncpolicy_sync::scope::Groups::new();
    let mut staged = Vec::new();
    parse_all(&ldif, |b| staged.extend(simulator.stage_batch(b, &groups)));
    let sim = simulator.finish(staged);
    let view = syncpolicy_views::simulate::SimulateView {
        config: &config,
        sim: &sim,
        source: "bench".into(),
        files: vec!["bench.ldif".into()],
        bad_objects: Vec::new(),
        explain: Vec::new(),
        now: None,
        redact: false,
    };
    let mut summary = Vec::new();
    syncpolicy_views::simulate::write_summary_json(&view, &mut summary).expect("to memory");
    let simulate = t.elapsed().as_secs_f64();
    let s = sim.summary();
    drop(sim);

    // impact: both configurations over the same objects, compared.
    let t = Instant::now();
    let a = Simulator::new(&config, Options::default());
    let b = Simulator::new(&changed, Options::default());
    let (mut sa, mut sb) = (Vec::new(), Vec::new());
    parse_all(&ldif, |batch| {
        let copy = batch.clone();
        sa.extend(a.stage_batch(batch, &groups));
        sb.extend(b.stage_batch(copy, &groups));
    });
    let (ra, rb) = std::thread::scope(|s| {
        let ra = s.spawn(|| a.finish(sa));
        let rb = b.finish(sb);
        (ra.join().expect("finishes"), rb)
    });
    let result = syncpolicy_sync::impact(&config, &ra, &changed, &rb);
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
        "impact:             {impact:.2} s, {:.0} objects/s ({:.1}x the floor)",
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
