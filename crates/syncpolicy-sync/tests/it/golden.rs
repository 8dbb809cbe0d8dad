//! Golden results: the engine's complete JSON output (every object's trace, the summary, and
//! impact) on the shipped sample objects and on a generated forest under the benchmark's
//! rules, recorded before the engine was reworked for speed, so that a faster engine must give
//! exactly the same results. The summary is kept readable in `golden/*.json`; the full
//! documents (hundreds of kilobytes each) are kept as a 64-bit FNV-1a digest beside it. When a
//! result changes on purpose, run with `GOLDEN_UPDATE=1` and review the summary diff.

use crate::bench_config::configuration;
use syncpolicy_model::config::{Configuration, DirectoryRef};
use syncpolicy_objects::generate::{write_generated, GenerateOptions};
use syncpolicy_objects::ObjectFormat;
use syncpolicy_sync::{
    impact, run_pair, ImpactStream, ObjectsChanged, Options, Origin, PairRun, PairSide, Plan,
    RunSummary, Simulation, Simulator, SourceInput, Streamed, Streamer, SummaryPass,
};
use syncpolicy_views::impact::{render_json, ImpactView};
use syncpolicy_views::redact::Redactor;
use syncpolicy_views::simulate::{
    write_json, write_run_summary_json, write_summary_json, SimulateView, SummaryHeader,
};

const CONTOSO: &[u8] = include_bytes!("../../../../samples/objects/contoso.ldif");
const FABRIKAM: &[u8] = include_bytes!("../../../../samples/objects/fabrikam.jsonl");
const NOW: &str = "2026-01-01T00:00:00Z";

fn inputs(files: &[(usize, &[u8])]) -> Vec<SourceInput> {
    let mut out = Vec::new();
    for (file, (directory, bytes)) in files.iter().enumerate() {
        for item in syncpolicy_objects::read_objects(*bytes) {
            let o = item.expect("the sample objects read");
            out.push(input_of(*directory, file, o));
        }
    }
    out
}

/// An object read from file number `file`, of on-premises directory `directory`.
fn input_of(directory: usize, file: usize, o: syncpolicy_objects::DirectoryObject) -> SourceInput {
    SourceInput {
        directory: DirectoryRef::OnPremises(directory),
        dn: o.dn,
        object: o.object,
        origin: Origin {
            file: file as u32,
            line: o.line,
        },
    }
}

fn options() -> Options {
    Options {
        now: Some(syncpolicy_expr::time::DateTime::parse(NOW).expect("a time")),
        writeback: false,
    }
}

fn simulate(config: &Configuration, objects: Vec<SourceInput>) -> Simulation {
    Simulator::new(config, options()).run(objects)
}

fn fnv(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Pass 1 of one side over `objects` in batches of `batch`: light, or (after a light plan
/// proved wrong) full.
fn plan_of(s: &Simulator<'_>, objects: &[SourceInput], batch: usize, full: bool) -> Plan {
    let groups = syncpolicy_sync::scope::Groups::new();
    let mut staged = Vec::new();
    for chunk in objects.chunks(batch) {
        staged.extend(if full {
            s.plan_batch_full(chunk.to_vec(), &groups)
        } else {
            s.plan_batch(chunk.to_vec(), &groups)
        });
    }
    s.plan(staged)
}

/// Runs the two passes of a streamed run over `objects` in batches of `batch`, as the CLI's
/// `simulate --summary` does (exports' outcomes only; pass 1 plans, pass 2 stages again and completes metaverse objects as they fill; both
/// again with a full pass 1 for a side whose light plan proved wrong). `each` sees the results
/// of the last attempt only.
fn streamed<T>(
    simulators: &[&Simulator<'_>],
    objects: &[SourceInput],
    batch: usize,
    mut each: impl FnMut(usize, &Streamed),
    done: impl FnOnce(&[Plan]) -> T,
) -> T {
    let groups = syncpolicy_sync::scope::Groups::new();
    let mut full = vec![false; simulators.len()];
    loop {
        let plans: Vec<Plan> = simulators
            .iter()
            .zip(&full)
            .map(|(s, f)| plan_of(s, objects, batch, *f))
            .collect();
        let mut streamers: Vec<Streamer<'_, '_>> = simulators
            .iter()
            .zip(plans.iter().cloned())
            .map(|(s, p)| Streamer::new(s, p).outcomes_only())
            .collect();
        let mut results = Vec::new();
        for chunk in objects.chunks(batch) {
            for (side, (s, st)) in simulators.iter().zip(streamers.iter_mut()).enumerate() {
                st.feed(s.stage_batch(chunk.to_vec(), &groups), |x| {
                    results.push((side, x))
                });
            }
        }
        let again: Vec<bool> = streamers.iter().map(Streamer::needs_full_plan).collect();
        if again.contains(&true) {
            assert!(
                !full.iter().zip(&again).any(|(f, a)| *f && *a),
                "a full plan is never wrong"
            );
            for (f, a) in full.iter_mut().zip(again) {
                *f |= a;
            }
            continue;
        }
        assert!(
            streamers.iter().all(Streamer::is_done),
            "every object completes"
        );
        for (side, x) in &results {
            each(*side, x);
        }
        return done(&plans);
    }
}

/// A run's summary JSON as `simulate --format json --summary` writes it.
fn summary_json(config: &Configuration, run: &RunSummary) -> Vec<u8> {
    let mut out = Vec::new();
    let header = SummaryHeader {
        source: "golden",
        now: Some(NOW),
        bad_objects: 0,
    };
    write_run_summary_json(config, run, header, false, &mut out).expect("to memory");
    out
}

/// The streamed run's summary JSON (`simulate --format json --summary`).
fn streamed_summary(config: &Configuration, objects: &[SourceInput], batch: usize) -> Vec<u8> {
    let simulator = Simulator::new(config, options());
    let mut run = RunSummary::new(simulator.run_facts());
    streamed(&[&simulator], objects, batch, |_, x| run.add(x), |_| ());
    summary_json(config, &run)
}

/// [`streamed_summary`] through [`Streamer::feed_ref`] (results lent, then dropped on every
/// core), as the CLI's `simulate --summary` runs it.
fn streamed_summary_lent(config: &Configuration, objects: &[SourceInput], batch: usize) -> Vec<u8> {
    let simulator = Simulator::new(config, options());
    let groups = syncpolicy_sync::scope::Groups::new();
    let mut full = false;
    let run = loop {
        let plan = plan_of(&simulator, objects, batch, full);
        let mut streamer = Streamer::new(&simulator, plan).outcomes_only();
        let mut run = RunSummary::new(simulator.run_facts());
        for chunk in objects.chunks(batch) {
            streamer.feed_ref(simulator.stage_batch(chunk.to_vec(), &groups), |x| {
                run.add(x)
            });
        }
        if streamer.needs_full_plan() && !full {
            full = true;
            continue;
        }
        assert!(streamer.is_done(), "every object completes");
        break run;
    };
    summary_json(config, &run)
}

/// The summary JSON of [`syncpolicy_sync::run_summary`] (one pass where the objects do not
/// meet), as the CLI's `simulate --summary` runs it, with how many objects it staged again.
fn single_pass_summary(
    config: &Configuration,
    objects: &[SourceInput],
    batch: usize,
) -> (Vec<u8>, syncpolicy_sync::SinglePassStats) {
    let simulator = Simulator::new(config, options());
    let groups = syncpolicy_sync::scope::Groups::new();
    let mut passes = Vec::new();
    let (run, stats) = syncpolicy_sync::run_summary(&simulator, &groups, |pass, sink| {
        passes.push(matches!(pass, SummaryPass::Stage));
        // A second pass by DN reads only those entries, as the LDIF reader does.
        let dns: Option<std::collections::HashSet<&str>> = match pass {
            SummaryPass::Complete { dns: Some(dns) } => {
                Some(dns.iter().map(String::as_str).collect())
            }
            _ => None,
        };
        for chunk in objects.chunks(batch) {
            let chunk: Vec<SourceInput> = chunk
                .iter()
                .filter(|o| dns.as_ref().is_none_or(|d| d.contains(o.dn.as_str())))
                .cloned()
                .collect();
            sink(chunk);
        }
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {})
    .expect("the same objects in both passes");
    let expected = if stats.completed_again == 0 {
        vec![true]
    } else {
        vec![true, false]
    };
    assert_eq!(passes, expected);
    let out = summary_json(config, &run);
    (out, stats)
}

/// The streamed impact's JSON digest.
fn streamed_impact(
    old: &Configuration,
    new: &Configuration,
    objects: &[SourceInput],
    batch: usize,
) -> String {
    let (a, b) = (
        Simulator::new(old, options()),
        Simulator::new(new, options()),
    );
    // The comparer needs both plans: pass 1 of both sides first, then pass 2 into it (again
    // with a full pass 1 for a side whose light plan proved wrong).
    let groups = syncpolicy_sync::scope::Groups::new();
    let mut full = [false, false];
    let i = loop {
        let (pa, pb) = (
            plan_of(&a, objects, batch, full[0]),
            plan_of(&b, objects, batch, full[1]),
        );
        let mut stream = ImpactStream::new(old, &a, &pa, new, &b, &pb);
        let (mut sa, mut sb) = (Streamer::new(&a, pa), Streamer::new(&b, pb));
        for chunk in objects.chunks(batch) {
            sa.feed(a.stage_batch(chunk.to_vec(), &groups), |x| {
                stream.add_old(&x)
            });
            sb.feed(b.stage_batch(chunk.to_vec(), &groups), |x| {
                stream.add_new(&x)
            });
        }
        let again = [sa.needs_full_plan(), sb.needs_full_plan()];
        if again.contains(&true) {
            let wrong_full = (full[0] && again[0]) || (full[1] && again[1]);
            assert!(!wrong_full, "a full plan is never wrong");
            full = [full[0] || again[0], full[1] || again[1]];
            continue;
        }
        assert!(sa.is_done() && sb.is_done());
        break stream.finish();
    };
    let mut v = ImpactView {
        old: "old".into(),
        new: "new".into(),
        impact: &i,
        objects: objects.len(),
        bad_objects: 0,
        redactor: Redactor::new(false),
    };
    fnv(&serde_json::to_vec_pretty(&render_json(&mut v)).expect("JSON"))
}

/// The streamed impact's JSON digest, both sides' pass 2 run together
/// ([`run_pair`]: staged once where the sides cannot differ, and not exported where the
/// results cannot differ), as the CLI's `impact` runs it.
fn paired_impact(
    old: &Configuration,
    new: &Configuration,
    objects: &[SourceInput],
    batch: usize,
) -> String {
    let (a, b) = (
        Simulator::new(old, options()),
        Simulator::new(new, options()),
    );
    let groups = syncpolicy_sync::scope::Groups::new();
    let side = |config, simulator| PairSide {
        config,
        simulator,
        groups: &groups,
    };
    let i = run_pair(
        side(old, &a),
        side(new, &b),
        true,
        |o| o.directory,
        |_, sink| {
            for chunk in objects.chunks(batch) {
                sink(chunk.to_vec());
            }
            Ok::<(), ObjectsChanged>(())
        },
    )
    .and_then(PairRun::finish)
    .expect("every object completes");
    impact_digest(&i, objects.len())
}

/// The digest of an impact's JSON document over `objects` objects.
fn impact_digest(i: &syncpolicy_sync::Impact, objects: usize) -> String {
    let mut v = ImpactView {
        old: "old".into(),
        new: "new".into(),
        impact: i,
        objects,
        bad_objects: 0,
        redactor: Redactor::new(false),
    };
    fnv(&serde_json::to_vec_pretty(&render_json(&mut v)).expect("JSON"))
}

/// The streamed runs give the documents of the full runs, whatever the batch size.
fn check_streamed(
    config: &Configuration,
    changed: Option<&Configuration>,
    objects: &[SourceInput],
    recorded: &serde_json::Value,
) {
    let view_summary = serde_json::to_string_pretty(&recorded["summary"]).expect("JSON");
    for batch in [1, 7, 4096] {
        let s = streamed_summary(config, objects, batch);
        let s: serde_json::Value = serde_json::from_slice(&s).expect("JSON");
        assert_eq!(
            serde_json::to_string_pretty(&s).expect("JSON"),
            view_summary,
            "streamed summary, batches of {batch}"
        );
        let (single, _) = single_pass_summary(config, objects, batch);
        let single: serde_json::Value = serde_json::from_slice(&single).expect("JSON");
        assert_eq!(
            serde_json::to_string_pretty(&single).expect("JSON"),
            view_summary,
            "summary in one pass where the objects do not meet, batches of {batch}"
        );
        let lent = streamed_summary_lent(config, objects, batch);
        let lent: serde_json::Value = serde_json::from_slice(&lent).expect("JSON");
        assert_eq!(
            serde_json::to_string_pretty(&lent).expect("JSON"),
            view_summary,
            "streamed summary (results lent), batches of {batch}"
        );
        if let Some(c2) = changed {
            assert_eq!(
                serde_json::Value::from(streamed_impact(config, c2, objects, batch)),
                recorded["impactJsonDigest"],
                "streamed impact, batches of {batch}"
            );
            assert_eq!(
                serde_json::Value::from(paired_impact(config, c2, objects, batch)),
                recorded["impactJsonDigest"],
                "paired impact, batches of {batch}"
            );
            let single = crate::impact::paired_single_with(config, c2, objects, batch, options());
            assert_eq!(
                serde_json::Value::from(impact_digest(&single, objects.len())),
                recorded["impactJsonDigest"],
                "impact in one pass where the objects do not meet, batches of {batch}"
            );
        }
    }
}

/// The summary JSON, the digest of the full simulate JSON, and (with a second configuration)
/// the digest of the impact JSON.
fn record(
    config: &Configuration,
    sim: &Simulation,
    changed: Option<(&Configuration, &Simulation)>,
) -> serde_json::Value {
    let view = SimulateView {
        config,
        sim,
        source: "golden".into(),
        files: vec!["objects".into()],
        bad_objects: Vec::new(),
        explain: Vec::new(),
        now: Some(NOW.into()),
        redact: false,
    };
    let mut summary = Vec::new();
    write_summary_json(&view, &mut summary).expect("to memory");
    let mut full = Vec::new();
    write_json(&view, &mut full).expect("to memory");
    let mut doc = serde_json::json!({
        "summary": serde_json::from_slice::<serde_json::Value>(&summary).expect("JSON"),
        "simulateJsonDigest": fnv(&full),
        "simulateJsonBytes": full.len(),
    });
    if let Some((c2, s2)) = changed {
        let i = impact(config, sim, c2, s2);
        let mut v = ImpactView {
            old: "old".into(),
            new: "new".into(),
            impact: &i,
            objects: sim.objects.len(),
            bad_objects: 0,
            redactor: Redactor::new(false),
        };
        let text = serde_json::to_vec_pretty(&render_json(&mut v)).expect("JSON");
        doc["impactChanges"] = i.changes.len().into();
        doc["impactJsonDigest"] = fnv(&text).into();
    }
    doc
}

#[allow(
    clippy::disallowed_methods,
    reason = "the golden files are read and, on request, rewritten by the test"
)]
fn check(name: &str, actual: &serde_json::Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/golden")
        .join(format!("{name}.json"));
    let text = format!("{}\n", serde_json::to_string_pretty(actual).expect("JSON"));
    if std::env::var_os("GOLDEN_UPDATE").is_some() {
        std::fs::write(&path, &text).expect("writes the golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("the golden file exists");
    assert_eq!(
        expected.replace("\r\n", "\n"),
        text,
        "{name}: the results changed (GOLDEN_UPDATE=1 to accept an intended change)"
    );
}

#[test]
fn express_sample_on_the_shipped_objects() {
    let config = syncpolicy_samples::samples::express_single_forest();
    let sim = simulate(&config, inputs(&[(0, CONTOSO)]));
    let mut changed = config.clone();
    changed.onpremises_directories[0].partitions[0]
        .exclusions
        .push("OU=Sales,OU=Users,OU=CORP,DC=contoso,DC=com".to_owned());
    let sim2 = simulate(&changed, inputs(&[(0, CONTOSO)]));
    let recorded = record(&config, &sim, Some((&changed, &sim2)));
    check("express-contoso", &recorded);
    check_streamed(&config, Some(&changed), &inputs(&[(0, CONTOSO)]), &recorded);
}

#[test]
fn multi_forest_sample_on_the_shipped_objects() {
    let config = syncpolicy_samples::samples::multi_forest_custom();
    let files: &[(usize, &[u8])] = &[(0, CONTOSO), (1, FABRIKAM)];
    let sim = simulate(&config, inputs(files));
    let recorded = record(&config, &sim, None);
    check("multi-forest-contoso-fabrikam", &recorded);
    check_streamed(&config, None, &inputs(files), &recorded);
    // Across the forests, and against itself: a metaverse object of members of both.
    let mut changed = config.clone();
    changed.onpremises_directories[0].partitions[0]
        .exclusions
        .push("OU=Sales,OU=Users,OU=CORP,DC=contoso,DC=com".to_owned());
    let sim2 = simulate(&changed, inputs(files));
    let with_impact = record(&config, &sim, Some((&changed, &sim2)));
    check_streamed(&config, Some(&changed), &inputs(files), &with_impact);
    // Objects joined across the forests are counted in a second pass, read by DN.
    let (_, stats) = single_pass_summary(&config, &inputs(files), 64);
    assert!(stats.completed_again > 0 && stats.by_dn, "{stats:?}");
}

#[test]
fn benchmark_rules_on_a_generated_forest() {
    let generate = GenerateOptions {
        seed: 17,
        users: 800,
        groups: 80,
        members: 20,
        contacts: 40,
        computers: 80,
        ..GenerateOptions::default()
    };
    let mut ldif = Vec::new();
    write_generated(&generate, ObjectFormat::Ldif, &mut ldif).expect("to memory");
    let config = configuration();
    let mut changed = config.clone();
    changed.onpremises_directories[0].custom_rules[0].scope_groups[0][0].value = "Marketing".into();
    // The rule that differs neither links nor flows into a join attribute: `impact` plans once
    // for both sides (`Simulator::same_light_plan`), and the paired run below uses that.
    assert!(
        Simulator::new(&config, options()).same_light_plan(&Simulator::new(&changed, options()))
    );
    let sim = simulate(&config, inputs(&[(0, &ldif)]));
    let sim2 = simulate(&changed, inputs(&[(0, &ldif)]));
    let recorded = record(&config, &sim, Some((&changed, &sim2)));
    check("benchmark-generated", &recorded);
    check_streamed(&config, Some(&changed), &inputs(&[(0, &ldif)]), &recorded);
}

/// Above 2,048 metaverse objects the resolution and the exports run on every core in chunks:
/// each result must stay with its own object.
#[test]
fn results_stay_with_their_objects_when_the_work_is_split() {
    use crate::support::{config, entra_attr, minimal, mv_attr, user};
    let mut c = config();
    minimal(&mut c);
    let objects: Vec<SourceInput> = (0..5_000)
        .map(|i| {
            user(
                &format!("CN=u{i:05},OU=Users,DC=contoso,DC=com"),
                &[
                    ("cn", &format!("u{i:05}")),
                    ("objectSid", &format!("S-1-5-{i}")),
                ],
            )
        })
        .collect();
    let sim = Simulator::new(&c, Options::default()).run(objects);
    assert_eq!(sim.metaverse.len(), 5_000);
    for i in (0..5_000).step_by(7) {
        let dn = format!("CN=u{i:05},OU=Users,DC=contoso,DC=com");
        let cn = format!("u{i:05}");
        assert_eq!(mv_attr(&sim, &dn, "displayName").as_deref(), Some(&*cn));
        assert_eq!(entra_attr(&sim, &dn, "displayName").as_deref(), Some(&*cn));
    }
}

/// Pass 2 over other objects than pass 1 planned (files changed between the passes) is not
/// done: the caller must not use the results.
#[test]
fn a_second_pass_over_other_objects_is_not_done() {
    let config = syncpolicy_samples::samples::express_single_forest();
    let simulator = Simulator::new(&config, options());
    let groups = syncpolicy_sync::scope::Groups::new();
    let objects = inputs(&[(0, CONTOSO)]);
    let plan = || simulator.plan(simulator.plan_batch(objects.clone(), &groups));
    // The same objects: done.
    let mut same = Streamer::new(&simulator, plan());
    same.feed(simulator.stage_batch(objects.clone(), &groups), |_| ());
    assert!(same.is_done());
    // One object fewer, one more, or two swapped: not done.
    let fewer = objects[..objects.len() - 1].to_vec();
    let mut more = objects.clone();
    more.push(objects[0].clone());
    let mut swapped = objects.clone();
    swapped.swap(0, 1);
    for other in [fewer, more, swapped] {
        let mut s = Streamer::new(&simulator, plan());
        s.feed(simulator.stage_batch(other, &groups), |_| ());
        assert!(!s.is_done());
    }
}

/// Pass 1 evaluates only what joining needs. An object whose other flow fails (an `Error(...)`
/// flow into an attribute no join reads) joins nothing, but a light plan cannot know it: pass
/// 2 finds the error, says the plan must be made again with every flow that can fail, and
/// the results of that run are the full run's. Here the failing object is a join candidate
/// that, by the light plan, projects first and makes the next object's join ambiguous.
#[test]
fn an_error_the_light_plan_did_not_see_makes_a_full_plan() {
    use crate::support::{config, expression, minimal, rule, ROOT};
    use syncpolicy_model::enums::LinkType;
    let mut c = config();
    minimal(&mut c);
    let mut e = rule("Custom error", true, "user", "person", LinkType::Join, 50);
    e.mappings = vec![expression(
        "userPrincipalName",
        "IIF(IsPresent([userPrincipalName]), [userPrincipalName], Error(\"AccountName is not present\"))",
    )];
    c.onpremises_directories[0].custom_rules.push(e);
    let a = format!("CN=a,{ROOT}");
    let b = format!("CN=b,{ROOT}");
    let objects = vec![
        crate::support::user(
            &b,
            &[
                ("cn", "b"),
                ("objectSid", "S-1-5-7"),
                ("userPrincipalName", "b@contoso.com"),
            ],
        ),
        crate::support::user(&a, &[("cn", "a"), ("objectSid", "S-1-5-7")]),
    ];
    let simulator = Simulator::new(&c, options());
    let full = simulator.run(objects.clone());
    let (ra, rb) = (
        crate::support::result(&full, &a),
        crate::support::result(&full, &b),
    );
    assert!(ra.errors[0].contains("AccountName is not present"));
    assert!(ra.metaverse.is_none());
    assert!(rb.errors.is_empty() && rb.metaverse.is_some(), "{rb:?}");

    // The light plan lets `a` project (it sorts first), so `b` would be an ambiguous join.
    let groups = syncpolicy_sync::scope::Groups::new();
    let light = simulator.plan(simulator.plan_batch(objects.clone(), &groups));
    let mut s = Streamer::new(&simulator, light);
    s.feed(simulator.stage_batch(objects.clone(), &groups), |_| ());
    assert!(s.needs_full_plan());
    assert!(!s.is_done(), "the light plan's results are not to be used");

    // The full plan knows the error: done, no second fallback.
    let plan = simulator.plan(simulator.plan_batch_full(objects.clone(), &groups));
    let mut s = Streamer::new(&simulator, plan);
    let mut errors = Vec::new();
    let mut metaverse = 0;
    s.feed(
        simulator.stage_batch(objects.clone(), &groups),
        |x| match x {
            Streamed::Alone { object, .. } => {
                errors.push((object.dn.clone(), object.errors.clone()))
            }
            Streamed::Metaverse { members, .. } => {
                metaverse += 1;
                for m in members {
                    errors.push((m.dn.clone(), m.errors.clone()));
                }
            }
        },
    );
    assert!(!s.needs_full_plan());
    assert!(s.is_done());
    assert_eq!(metaverse, full.metaverse.len());
    errors.sort();
    let mut expected: Vec<(String, Vec<String>)> = full
        .objects
        .iter()
        .map(|o| (o.dn.clone(), o.errors.clone()))
        .collect();
    expected.sort();
    assert_eq!(errors, expected);

    // The streamed summary (with its fallback) is the full run's, in any batch size.
    let view = SimulateView {
        config: &c,
        sim: &full,
        source: "golden".into(),
        files: vec!["objects".into()],
        bad_objects: Vec::new(),
        explain: Vec::new(),
        now: Some(NOW.into()),
        redact: false,
    };
    let mut summary = Vec::new();
    write_summary_json(&view, &mut summary).expect("to memory");
    let summary: serde_json::Value = serde_json::from_slice(&summary).expect("JSON");
    for batch in [1, 2] {
        let s: serde_json::Value =
            serde_json::from_slice(&streamed_summary(&c, &objects, batch)).expect("JSON");
        assert_eq!(s, summary, "batches of {batch}");
    }
}

#[test]
fn export_errors_are_the_same_when_only_outcomes_are_counted() {
    // `simulate --summary` exports without values (`Streamer::outcomes_only`): the flows that
    // fail and the merge types that disagree per attribute must give the same errors, in the
    // same order, as a full export; an object without them exports the same.
    use crate::support::{config, constant, expression, merge, minimal, rule, ROOT};
    use syncpolicy_model::enums::{LinkType, MergeType};
    use syncpolicy_sync::ExportOutcome;
    let mut c = config();
    minimal(&mut c);
    let mut o = rule("Out mixed", false, "person", "user", LinkType::Join, 150);
    o.mappings = vec![
        merge(constant("proxyAddresses", "SMTP:x@c.com"), MergeType::Merge),
        constant("otherMails", "a@c.com"),
        expression(
            "department",
            "IIF(IsPresent([failOut]), Error(\"department is set\"), NULL)",
        ),
    ];
    let mut p = rule("Out other", false, "person", "user", LinkType::Join, 160);
    p.mappings = vec![
        constant("proxyAddresses", "SMTP:y@c.com"),
        merge(
            constant("otherMails", "b@c.com"),
            MergeType::MergeCaseInsensitive,
        ),
        constant("aaaFirst", "1"),
        merge(constant("aaaFirst", "2"), MergeType::Merge),
    ];
    c.azure_directory.custom_rules.extend([o, p]);
    let mut fail = crate::support::rule("In fail", true, "user", "person", LinkType::Join, 50);
    fail.mappings = vec![crate::support::direct("failOut", "failOut")];
    c.onpremises_directories[0].custom_rules.push(fail);
    let objects = vec![
        crate::support::user(
            &format!("CN=a,{ROOT}"),
            &[("cn", "a"), ("objectSid", "S-1")],
        ),
        crate::support::user(
            &format!("CN=b,{ROOT}"),
            &[("cn", "b"), ("objectSid", "S-2"), ("failOut", "yes")],
        ),
    ];
    let simulator = Simulator::new(&c, options());
    let full = simulator.run(objects.clone());
    let full_errors = |dn: &str| match full.entra_of(crate::support::result(&full, dn)) {
        Some(ExportOutcome::Error(e)) => e.clone(),
        other => panic!("{dn}: {other:?}"),
    };
    let (a, b) = (
        full_errors(&format!("CN=a,{ROOT}")),
        full_errors(&format!("CN=b,{ROOT}")),
    );
    assert_eq!(a.len(), 3, "{a:?}");
    assert!(
        a[0].contains("`aaaFirst`") && a[1].contains("`otherMails`"),
        "{a:?}"
    );
    assert!(a[2].contains("`proxyAddresses`"), "{a:?}");
    assert!(b[0].contains("department is set"), "{b:?}");
    assert_eq!(&b[1..], &a[..]);

    let mut counted = Vec::new();
    streamed(
        &[&simulator],
        &objects,
        1,
        |_, x| {
            if let Streamed::Metaverse { members, entra, .. } = x {
                counted.push((members[0].dn.clone(), entra.clone()));
            }
        },
        |_| (),
    );
    counted.sort_by(|x, y| x.0.cmp(&y.0));
    let errors: Vec<Vec<String>> = counted
        .into_iter()
        .map(|(dn, e)| match e {
            ExportOutcome::Error(e) => e,
            other => panic!("{dn}: {other:?}"),
        })
        .collect();
    assert_eq!(errors, vec![a, b]);
}

/// `files` read (on every core, in small blocks) with only the attributes `wanted`, as the
/// CLI's light pass 1 reads them. JSON Lines keep every attribute.
fn inputs_only(
    files: &[(usize, &[u8])],
    wanted: &std::sync::Arc<syncpolicy_objects::Wanted>,
) -> Vec<SourceInput> {
    let mut out = Vec::new();
    for (file, (directory, bytes)) in files.iter().enumerate() {
        let blocks = syncpolicy_objects::Blocks {
            threads: 2,
            block_bytes: 4096,
            max_block_bytes: 1 << 30,
        };
        syncpolicy_objects::read_objects_parallel_only(
            *bytes,
            syncpolicy_objects::Limits::DEFAULT,
            blocks,
            Some(std::sync::Arc::clone(wanted)),
            |item| {
                out.push(input_of(*directory, file, item.expect("the objects read")));
                true
            },
        );
    }
    out
}

/// The object files of the filtered-reading tests: a generated forest under the benchmark's
/// rules, and the second sample forest's objects as LDIF too, so that the objects that join
/// across the forests are read with only the attributes asked for on both sides.
fn filtered_reading_files() -> (Vec<u8>, Vec<u8>) {
    let generate = GenerateOptions {
        seed: 23,
        users: 300,
        groups: 30,
        members: 10,
        contacts: 20,
        computers: 30,
        ..GenerateOptions::default()
    };
    let mut ldif = Vec::new();
    write_generated(&generate, ObjectFormat::Ldif, &mut ldif).expect("to memory");
    let mut fabrikam = Vec::new();
    for item in syncpolicy_objects::read_objects(FABRIKAM) {
        let o = item.expect("the sample objects read");
        let attributes: Vec<(&str, syncpolicy_expr::value::Value)> = o
            .object
            .names()
            .into_iter()
            .filter(|n| *n != "dn")
            .filter_map(|n| Some((n, o.object.get(n)?.clone())))
            .collect();
        syncpolicy_objects::write_ldif(&mut fabrikam, &o.dn, &attributes).expect("to memory");
    }
    (ldif, fabrikam)
}

/// Each configuration with its object files (by directory).
type Files<'a> = Vec<(usize, &'a [u8])>;

/// The cases of the filtered-reading tests: both samples on their objects, and the benchmark's
/// rules on the generated forest.
fn filtered_reading_cases<'a>(
    ldif: &'a [u8],
    fabrikam: &'a [u8],
) -> Vec<(Configuration, Files<'a>)> {
    vec![
        (
            syncpolicy_samples::samples::express_single_forest(),
            vec![(0, CONTOSO)],
        ),
        (
            syncpolicy_samples::samples::multi_forest_custom(),
            vec![(0, CONTOSO), (1, fabrikam)],
        ),
        (configuration(), vec![(0, ldif)]),
    ]
}

/// The number of attributes the objects hold in all.
fn attribute_count(objects: &[SourceInput]) -> usize {
    objects.iter().map(|o| o.object.names().len()).sum()
}

/// A light pass 1 over objects read with only the attributes it evaluates
/// (`Simulator::plan_attributes`) plans exactly as over the objects whole: on the shipped
/// samples and on the generated forest under the benchmark's rules. The objects read so hold
/// fewer attributes (the reading saves work).
#[test]
fn a_light_plan_over_only_the_attributes_it_reads_is_the_same() {
    let (ldif, fabrikam) = filtered_reading_files();
    let cases = filtered_reading_cases(&ldif, &fabrikam);
    for (case, (config, files)) in cases.into_iter().enumerate() {
        let sim = Simulator::new(&config, options());
        let names = sim
            .plan_attributes()
            .expect("the rules' join flows read attributes by name");
        let wanted = std::sync::Arc::new(syncpolicy_objects::Wanted::new(
            names.iter().map(String::as_str),
        ));
        let whole = inputs(&files);
        let only = inputs_only(&files, &wanted);
        let count = attribute_count;
        assert_eq!(only.len(), whole.len());
        if case == 1 {
            // Objects of both forests share metaverse objects: the join keys were read.
            let plan = plan_of(&sim, &whole, 1024, false);
            assert!(format!("{plan:?}").contains("Joined"), "{plan:?}");
        }
        assert!(
            count(&only) < count(&whole),
            "{} attributes read",
            count(&only)
        );
        for batch in [7, 1024] {
            assert_eq!(
                format!("{:?}", plan_of(&sim, &only, batch, false)),
                format!("{:?}", plan_of(&sim, &whole, batch, false)),
                "case {case}, batches of {batch}"
            );
        }
    }
}

/// `simulate --summary` and `impact` read pass 2 with only the attributes staging reads
/// (`Simulator::staged_attributes`, of both sides for `impact`): the summary and the impact
/// over objects read so are those over the objects whole. The generated objects carry
/// attributes no rule reads, so the reading is smaller there.
#[test]
fn a_summary_and_an_impact_over_only_the_staged_attributes_are_the_same() {
    let (ldif, fabrikam) = filtered_reading_files();
    for (case, (config, files)) in filtered_reading_cases(&ldif, &fabrikam)
        .into_iter()
        .enumerate()
    {
        let mut changed = config.clone();
        changed.onpremises_directories[0].partitions[0]
            .exclusions
            .push("OU=Sales,OU=Users,OU=CORP,DC=contoso,DC=com".to_owned());
        let (a, b) = (
            Simulator::new(&config, options()),
            Simulator::new(&changed, options()),
        );
        let mut names = a.staged_attributes().expect("attributes read by name");
        names.extend(b.staged_attributes().expect("attributes read by name"));
        let wanted = std::sync::Arc::new(syncpolicy_objects::Wanted::new(
            names.iter().map(String::as_str),
        ));
        let whole = inputs(&files);
        let only = inputs_only(&files, &wanted);
        assert_eq!(only.len(), whole.len());
        if case == 2 {
            assert!(attribute_count(&only) < attribute_count(&whole));
        }
        assert_eq!(
            String::from_utf8_lossy(&streamed_summary_lent(&config, &only, 64)),
            String::from_utf8_lossy(&streamed_summary_lent(&config, &whole, 64)),
            "case {case}"
        );
        assert_eq!(
            streamed_impact(&config, &changed, &only, 64),
            streamed_impact(&config, &changed, &whole, 64),
            "case {case}"
        );
    }
}
