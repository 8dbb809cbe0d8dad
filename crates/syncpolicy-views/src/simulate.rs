//! The `simulate` report: the view model of a simulation (summary, per-object results, traces
//! in the steps of Microsoft's single-object sync diagnostics) and its renderers (text, JSON
//! `syncpolicy-simulate/1`), with `--redact` placeholders.

use crate::redact::{printable, Redactor};
use serde_json::{json, Map, Value as Json};
use std::fmt::Write as _;
use std::io::Write;
use syncpolicy_model::config::{Configuration, DirectoryRef};
use syncpolicy_sync::filter::FilterKind;
use syncpolicy_sync::resolve::Resolved;
use syncpolicy_sync::{ExportOutcome, JoinOutcome, ObjectResult, RunSummary, Simulation};

/// Version of the JSON document.
pub const SCHEMA: &str = crate::schema::SIMULATE;

/// An object a reader refused (the run went on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadObject {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Everything the report shows.
pub struct SimulateView<'a> {
    pub config: &'a Configuration,
    pub sim: &'a Simulation,
    /// The configuration source as the user named it.
    pub source: String,
    /// The object files, by the file numbers of the results' origins.
    pub files: Vec<String>,
    pub bad_objects: Vec<BadObject>,
    /// DNs to trace (`--explain`).
    pub explain: Vec<String>,
    /// The run's clock, as text.
    pub now: Option<String>,
    pub redact: bool,
}

impl SimulateView<'_> {
    /// The directory's name.
    pub fn directory_name(&self, d: DirectoryRef) -> String {
        self.config.directory_name(d)
    }

    fn file(&self, o: &ObjectResult) -> &str {
        self.files
            .get(o.origin.file as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// True when some object had an error or some object could not be read.
    pub fn has_findings(&self) -> bool {
        !self.bad_objects.is_empty() || self.sim.summary().objects_with_errors > 0
    }

    /// DNs given with `--explain` that no object has.
    pub fn unknown_explain(&self) -> Vec<&str> {
        self.explain
            .iter()
            .filter(|dn| {
                !self
                    .sim
                    .objects
                    .iter()
                    .any(|o| o.dn.eq_ignore_ascii_case(dn))
            })
            .map(String::as_str)
            .collect()
    }
}

fn filter_reason(o: &ObjectResult) -> Option<(String, String)> {
    o.filter
        .as_ref()
        .map(|f| (f.kind.as_str().to_owned(), f.reason.clone()))
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilteredJson {
    domain: usize,
    ou: usize,
    object_type: usize,
    group_filter: usize,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryJson {
    directory: String,
    read: usize,
    filtered: FilteredJson,
    in_scope: usize,
    object_errors: usize,
}

#[derive(serde::Serialize)]
pub struct NotSimulatedJson {
    rule: String,
    directory: String,
}

/// The summary of the JSON document, keys in this order (docs/simulation.md).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryJson<'a> {
    source: &'a str,
    now: Option<&'a str>,
    objects_read: usize,
    bad_objects: usize,
    directories: Vec<DirectoryJson>,
    metaverse: std::collections::BTreeMap<String, usize>,
    entra: std::collections::BTreeMap<String, usize>,
    not_provisioned: usize,
    object_errors: usize,
    warnings: Vec<String>,
    not_simulated: Vec<NotSimulatedJson>,
}

/// The summary as JSON.
pub fn summary_json<'v>(view: &'v SimulateView<'_>, r: &mut Redactor) -> SummaryJson<'v> {
    summary_json_of(
        view.config,
        &view.sim.run_summary(),
        SummaryHeader {
            source: &view.source,
            now: view.now.as_deref(),
            bad_objects: view.bad_objects.len(),
        },
        r,
    )
}

/// What a summary shows besides the run's counts.
#[derive(Debug, Clone, Copy)]
pub struct SummaryHeader<'a> {
    /// The configuration source as the user named it.
    pub source: &'a str,
    /// The run's clock, as text.
    pub now: Option<&'a str>,
    pub bad_objects: usize,
}

/// The summary as JSON, from a run's summary (a streamed run's, or a simulation's).
pub fn summary_json_of<'v>(
    config: &Configuration,
    run: &RunSummary,
    header: SummaryHeader<'v>,
    r: &mut Redactor,
) -> SummaryJson<'v> {
    let s = &run.summary;
    let directory_name = |d: DirectoryRef| config.directory_name(d);
    let count = |d: &syncpolicy_sync::engine::DirectorySummary, k: FilterKind| {
        d.filtered.get(&k).copied().unwrap_or(0)
    };
    let directories: Vec<DirectoryJson> = s
        .directories
        .iter()
        .map(|(i, d)| DirectoryJson {
            directory: if *i == usize::MAX {
                directory_name(DirectoryRef::Azure)
            } else {
                directory_name(DirectoryRef::OnPremises(*i))
            },
            read: d.read,
            filtered: FilteredJson {
                domain: count(d, FilterKind::Domain),
                ou: count(d, FilterKind::Ou),
                object_type: count(d, FilterKind::ObjectType),
                group_filter: count(d, FilterKind::GroupFilter),
            },
            in_scope: d.in_scope,
            object_errors: d.errors,
        })
        .collect();
    let not_simulated: Vec<NotSimulatedJson> = run
        .facts
        .not_simulated
        .iter()
        .map(|id| {
            let rule = &run.facts.rules[*id as usize];
            NotSimulatedJson {
                rule: rule.name.clone(),
                directory: directory_name(rule.directory),
            }
        })
        .collect();
    SummaryJson {
        source: header.source,
        now: header.now,
        objects_read: run.objects,
        bad_objects: header.bad_objects,
        directories,
        metaverse: s.metaverse_by_type.clone(),
        entra: s.entra_by_type.clone(),
        not_provisioned: s.not_provisioned,
        object_errors: s.objects_with_errors,
        warnings: run.facts.warnings.iter().map(|w| r.text(w)).collect(),
        not_simulated,
    }
}

/// Writes only the summary as JSON (`--summary`) of a streamed run (`syncpolicy_sync::stream`):
/// the same document as [`write_summary_json`] of the simulation of the same objects.
pub fn write_run_summary_json(
    config: &Configuration,
    run: &RunSummary,
    header: SummaryHeader<'_>,
    redact: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut r = Redactor::for_run(redact, config, run);
    write_summary_doc(
        summary_json_of(config, run, header, &mut r),
        header.bad_objects,
        out,
    )
}

fn write_summary_doc(
    summary: SummaryJson<'_>,
    bad_objects: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct SummaryDoc<'v> {
        schema: &'static str,
        summary: SummaryJson<'v>,
        bad_objects: usize,
    }
    let doc = SummaryDoc {
        schema: SCHEMA,
        summary,
        bad_objects,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn attributes_json(attrs: &[Resolved], sim: &Simulation, r: &mut Redactor) -> (Json, Json) {
    let mut values = Map::new();
    let mut contributors = Map::new();
    for a in attrs {
        values.insert(a.name.to_string(), r.value(a.name, &a.value));
        contributors.insert(
            a.name.to_string(),
            json!(a
                .rules
                .iter()
                .map(|x| sim.rule_name(*x))
                .collect::<Vec<_>>()),
        );
    }
    (Json::Object(values), Json::Object(contributors))
}

/// One object's entry.
pub fn object_json(view: &SimulateView<'_>, o: &ObjectResult, r: &mut Redactor) -> Json {
    let sim = view.sim;
    let metaverse = o.metaverse.map(|m| {
        let mv = &sim.metaverse[m as usize];
        let (attributes, contributors) = attributes_json(&mv.attributes, sim, r);
        let members: Vec<Json> = mv
            .members
            .iter()
            .map(|i| {
                let x = &sim.objects[*i as usize];
                json!({"directory": view.directory_name(x.directory), "dn": r.dn(&x.dn)})
            })
            .collect();
        json!({"objectType": mv.object_type, "attributes": attributes, "contributors": contributors, "joined": members})
    });
    let entra = match sim.entra_of(o) {
        Some(ExportOutcome::Exported(e)) => {
            let (attributes, contributors) = attributes_json(&e.attributes, sim, r);
            Some(json!({
                "objectType": e.object_type,
                "dn": e.dn.as_ref().map(|d| r.dn(d)),
                "provisioningRule": sim.rule_name(e.link_rule),
                "rules": e.applied.iter().map(|x| sim.rule_name(*x)).collect::<Vec<_>>(),
                "attributes": attributes,
                "contributors": contributors,
            }))
        }
        _ => None,
    };
    let join = match &o.join {
        JoinOutcome::NotRun => json!({"outcome": "notRun"}),
        JoinOutcome::NoLinkRule => json!({"outcome": "disconnector"}),
        JoinOutcome::Projected { rule } => {
            json!({"outcome": "projected", "rule": sim.rule_name(*rule)})
        }
        JoinOutcome::Joined { rule, group } => {
            json!({"outcome": "joined", "rule": sim.rule_name(*rule), "joinGroup": group + 1})
        }
        JoinOutcome::NotJoined { rule, reason } => {
            json!({"outcome": "notJoined", "rule": sim.rule_name(*rule), "reason": r.text(reason)})
        }
    };
    let out_of_scope: Vec<Json> = sim
        .out_of_scope_reasons(o)
        .into_iter()
        .map(|(id, why)| json!({"rule": sim.rule_name(id), "reason": r.text(&why)}))
        .collect();
    let writeback: Vec<Json> = o
        .metaverse
        .and_then(|m| sim.writeback.get(m as usize))
        .into_iter()
        .flatten()
        .map(|w| match w {
            ExportOutcome::Exported(e) => {
                let (attributes, contributors) = attributes_json(&e.attributes, sim, r);
                json!({"directory": view.directory_name(e.directory), "objectType": e.object_type, "dn": e.dn.as_ref().map(|d| r.dn(d)), "attributes": attributes, "contributors": contributors})
            }
            ExportOutcome::NotProvisioned(why) => json!({"notProvisionedReason": r.text(why)}),
            ExportOutcome::Error(e) => json!({"errors": e.iter().map(|x| r.text(x)).collect::<Vec<_>>()}),
        })
        .collect();
    json!({
        "directory": view.directory_name(o.directory),
        "dn": r.dn(&o.dn),
        "objectType": o.object_type,
        "file": view.file(o),
        "line": o.origin.line,
        "inScope": o.filter.is_none(),
        "filterReason": filter_reason(o).map(|(f, why)| json!({"filter": f, "reason": r.text(&why)})),
        "inboundRules": {
            "applied": o.applied.iter().map(|x| sim.rule_name(*x)).collect::<Vec<_>>(),
            "outOfScope": out_of_scope,
        },
        "join": join,
        "metaverse": metaverse,
        "entra": entra,
        "notProvisionedReason": sim.not_provisioned_reason(o).map(|t| r.text(&t)),
        "writeback": writeback,
        "errors": sim.errors_of(o).iter().map(|e| r.text(e)).collect::<Vec<_>>(),
        "engineDependent": o.engine_dependent,
    })
}

/// Writes the JSON document, one object at a time (the objects are not built as one tree).
pub fn write_json(view: &SimulateView<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut r = Redactor::for_simulation(view.redact, view.config, view.sim);
    let summary = summary_json(view, &mut r);
    let bad: Vec<Json> = view
        .bad_objects
        .iter()
        .map(|b| json!({"file": b.file, "line": b.line, "message": r.text(&b.message)}))
        .collect();
    write!(out, "{{\n  \"schema\": \"{SCHEMA}\",\n  \"summary\": ")?;
    serde_json::to_writer(&mut *out, &summary)?;
    write!(out, ",\n  \"badObjects\": ")?;
    serde_json::to_writer(&mut *out, &bad)?;
    write!(out, ",\n  \"objects\": [")?;
    for (i, o) in view.sim.objects.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *out, &object_json(view, o, &mut r))?;
    }
    writeln!(out, "\n  ]\n}}")
}

/// Writes only the summary as JSON (`--summary`).
pub fn write_summary_json(view: &SimulateView<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut r = Redactor::for_simulation(view.redact, view.config, view.sim);
    write_summary_doc(summary_json(view, &mut r), view.bad_objects.len(), out)
}

/// The text report: summary first, then object errors, bad objects, warnings, and the traces.
pub fn render_text(view: &SimulateView<'_>) -> String {
    let mut r = Redactor::for_simulation(view.redact, view.config, view.sim);
    let sim = view.sim;
    let s = sim.summary();
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Simulation of {} over {}",
        printable(&view.source),
        syncpolicy_model::words::count(sim.objects.len(), "object", "objects")
    );
    if let Some(now) = &view.now {
        let _ = writeln!(t, "  clock: {now}");
    }
    for (i, d) in &s.directories {
        let name = if *i == usize::MAX {
            view.directory_name(DirectoryRef::Azure)
        } else {
            view.directory_name(DirectoryRef::OnPremises(*i))
        };
        let filtered: usize = d.filtered.values().sum();
        let _ = writeln!(
            t,
            "\n{}: {} read, {} filtered, {} in scope",
            printable(&name),
            d.read,
            filtered,
            d.in_scope
        );
        for (k, n) in &d.filtered {
            let _ = writeln!(t, "  filtered by {}: {n}", k.as_str());
        }
        if d.errors > 0 {
            let _ = writeln!(t, "  object errors: {}", d.errors);
        }
    }
    let list = |m: &std::collections::BTreeMap<String, usize>| {
        if m.is_empty() {
            "none".to_owned()
        } else {
            m.iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let _ = writeln!(t, "\nMetaverse: {}", list(&s.metaverse_by_type));
    let _ = writeln!(t, "Entra ID: {}", list(&s.entra_by_type));
    let _ = writeln!(t, "In scope but not provisioned: {}", s.not_provisioned);
    let _ = writeln!(t, "Object errors: {}", s.objects_with_errors);
    if !view.bad_objects.is_empty() {
        let _ = writeln!(t, "Objects not read: {}", view.bad_objects.len());
    }
    if !sim.not_simulated.is_empty() {
        let _ = writeln!(
            t,
            "Not simulated: {} outbound rules to on-premises directories (give Entra objects with --entra)",
            sim.not_simulated.len()
        );
    }
    if !sim.warnings.is_empty() {
        let _ = writeln!(t, "\nWarnings:");
        for w in &sim.warnings {
            let _ = writeln!(t, "  {}", printable(&r.text(w)));
        }
    }
    if !view.bad_objects.is_empty() {
        let _ = writeln!(t, "\nObjects not read:");
        for b in &view.bad_objects {
            let _ = writeln!(
                t,
                "  {}:{}: {}",
                printable(&b.file),
                b.line,
                printable(&r.text(&b.message))
            );
        }
    }
    let with_errors: Vec<&ObjectResult> = sim
        .objects
        .iter()
        .filter(|o| !sim.errors_of(o).is_empty())
        .collect();
    if !with_errors.is_empty() {
        let _ = writeln!(t, "\nObject errors:");
        for o in with_errors {
            let dn = r.dn(&o.dn);
            for e in sim.errors_of(o) {
                let _ = writeln!(
                    t,
                    "  {} ({}:{}): {}",
                    printable(&dn),
                    printable(view.file(o)),
                    o.origin.line,
                    printable(&r.text(&e))
                );
            }
        }
    }
    for dn in &view.explain {
        if let Some(o) = sim.objects.iter().find(|o| o.dn.eq_ignore_ascii_case(dn)) {
            t.push('\n');
            t.push_str(&explain(view, o, &mut r));
        }
    }
    t
}

/// One object's trace in the ten steps of `Invoke-ADSyncSingleObjectSync`.
pub fn explain(view: &SimulateView<'_>, o: &ObjectResult, r: &mut Redactor) -> String {
    let sim = view.sim;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Trace of {} ({}, {}:{})",
        printable(&r.dn(&o.dn)),
        printable(&view.directory_name(o.directory)),
        printable(view.file(o)),
        o.origin.line
    );
    let failed = o.filter.as_ref().map(|f| f.kind);
    let order = [
        FilterKind::Domain,
        FilterKind::Ou,
        FilterKind::ObjectType,
        FilterKind::GroupFilter,
    ];
    let pos = failed.and_then(|k| order.iter().position(|x| *x == k));
    let status = |step: usize| match pos {
        Some(p) if step == p => "Failure",
        Some(p) if step > p => "Skipped",
        _ => "Success",
    };
    let reason = o
        .filter
        .as_ref()
        .map(|f| r.text(&f.reason))
        .unwrap_or_default();
    let with = |step: usize, ok: &str| {
        if pos == Some(step) {
            format!(": {}", printable(&reason))
        } else if status(step) == "Success" {
            ok.to_owned()
        } else {
            String::new()
        }
    };
    let is_ad = matches!(o.directory, DirectoryRef::OnPremises(_));
    let step = |t: &mut String, n: usize, label: &str, status: &str| {
        let _ = writeln!(t, "{n:>3}. {label:.<34} {status}");
    };
    step(
        &mut t,
        1,
        "Domain in scope ",
        &format!("{}{}", status(0), with(0, "")),
    );
    step(&mut t, 2, "Entra connector in scope ", "Success");
    step(
        &mut t,
        3,
        "OU in scope ",
        &format!("{}{}", status(1), with(1, "")),
    );
    step(
        &mut t,
        4,
        "Object readable ",
        "Skipped (offline: the objects are an export)",
    );
    step(
        &mut t,
        5,
        "Object type in scope ",
        &format!(
            "{}{}",
            status(2),
            with(2, &format!(" ({})", printable(&o.object_type)))
        ),
    );
    step(
        &mut t,
        6,
        "Group filtering ",
        &format!("{}{}", status(3), with(3, "")),
    );
    let import = if pos.is_some() { "Skipped" } else { "Success" };
    step(
        &mut t,
        7,
        if is_ad {
            "Import from AD "
        } else {
            "Import from Entra "
        },
        import,
    );
    let entra_given = sim
        .objects
        .iter()
        .any(|x| x.directory == DirectoryRef::Azure);
    step(
        &mut t,
        8,
        "Import from Entra ",
        if entra_given {
            "Success"
        } else {
            "Skipped (no --entra objects)"
        },
    );
    if pos.is_some() {
        step(&mut t, 9, "Sync ", "Skipped");
        step(&mut t, 10, "Export ", "Skipped");
        return t;
    }
    let errors = sim.errors_of(o);
    step(
        &mut t,
        9,
        "Sync ",
        if o.errors.is_empty() {
            "Success"
        } else {
            "Failure"
        },
    );
    for id in &o.applied {
        let _ = writeln!(t, "       in scope:     {}", printable(sim.rule_name(*id)));
    }
    for (id, why) in sim.out_of_scope_reasons(o) {
        let _ = writeln!(
            t,
            "       out of scope: {} ({})",
            printable(sim.rule_name(id)),
            printable(&r.text(&why))
        );
    }
    let join = match &o.join {
        JoinOutcome::NotRun => "not run (object error)".to_owned(),
        JoinOutcome::NoLinkRule => {
            "disconnector: no rule that joins or projects is in scope".to_owned()
        }
        JoinOutcome::Projected { rule } => format!("projected by {}", sim.rule_name(*rule)),
        JoinOutcome::Joined { rule, group } => format!(
            "joined by {} (join group {})",
            sim.rule_name(*rule),
            group + 1
        ),
        JoinOutcome::NotJoined { rule, reason } => {
            format!("not joined by {}: {}", sim.rule_name(*rule), r.text(reason))
        }
    };
    let _ = writeln!(t, "       join:         {}", printable(&join));
    for e in &o.errors {
        let _ = writeln!(t, "       error:        {}", printable(&r.text(e)));
    }
    if let Some(m) = o.metaverse {
        let mv = &sim.metaverse[m as usize];
        let _ = writeln!(t, "       metaverse {}:", printable(&mv.object_type));
        for a in &mv.attributes {
            let rules: Vec<&str> = a.rules.iter().map(|x| sim.rule_name(*x)).collect();
            let _ = writeln!(
                t,
                "         {} = {}   <- {}",
                printable(a.name),
                printable(&r.display(a.name, &a.value)),
                printable(&rules.join(", "))
            );
        }
    }
    match sim.entra_of(o) {
        Some(ExportOutcome::Exported(e)) => {
            let what = format!(
                "Success: {} {} by {}",
                if e.existing { "update" } else { "add" },
                printable(&e.object_type),
                printable(sim.rule_name(e.link_rule))
            );
            step(&mut t, 10, "Export ", &what);
            for id in &e.applied {
                let _ = writeln!(
                    t,
                    "       outbound in scope: {}",
                    printable(sim.rule_name(*id))
                );
            }
            for a in &e.attributes {
                let rules: Vec<&str> = a.rules.iter().map(|x| sim.rule_name(*x)).collect();
                let _ = writeln!(
                    t,
                    "         {} = {}   <- {}",
                    printable(a.name),
                    printable(&r.display(a.name, &a.value)),
                    printable(&rules.join(", "))
                );
            }
        }
        _ => {
            let why = sim.not_provisioned_reason(o).unwrap_or_default();
            let what = format!(
                "{}: {}",
                if errors.is_empty() {
                    "Skipped"
                } else {
                    "Failure"
                },
                printable(&r.text(&why))
            );
            step(&mut t, 10, "Export ", &what);
        }
    }
    if !o.engine_dependent.is_empty() {
        let _ = writeln!(
            t,
            "   engine-dependent (docs/simulation.md): {}",
            o.engine_dependent.join("; ")
        );
    }
    t
}
