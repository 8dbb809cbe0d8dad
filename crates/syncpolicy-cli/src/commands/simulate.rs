//! `syncpolicy simulate`: run a configuration's connector filters and synchronization rules
//! over exported directory objects (LDIF or JSON Lines) and report what each object becomes in
//! the metaverse and in Entra ID. Also the object-file loading `impact` shares.

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::source;
use anyhow::{bail, Context as _};
use clap::ValueEnum;
use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_expr::time::DateTime;
use syncpolicy_model::config::{Configuration, DirectoryRef};
use syncpolicy_sync::{Options, Origin, Simulator, SourceInput};
use syncpolicy_views::redact::Redactor;
use syncpolicy_views::simulate::{self as view, BadObject, SimulateView};

/// Output format of `syncpolicy simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SimulateFormat {
    /// Readable text: the summary, object errors, and the traces asked for with --explain.
    Text,
    /// JSON (schema syncpolicy-simulate/1, docs/simulation.md): the summary and every object.
    Json,
}

/// Arguments of `syncpolicy simulate`.
#[derive(Debug, clap::Args)]
pub(crate) struct SimulateArgs {
    /// The configuration: a settings file, a folder (its newest snapshot), a legacy
    /// Exported-ServerConfiguration-* folder, or a deployment snapshot (@latest, @~N).
    #[arg(value_name = "SOURCE")]
    pub(crate) source: String,
    /// Directory objects: an LDIF (ldifde -f, ldapsearch -LLL) or JSON Lines file. FILE alone
    /// when the configuration has one on-premises directory; DIRECTORY=FILE (directory name or
    /// forest) for several. Repeat for more files, also several per directory.
    #[arg(long = "objects", value_name = "[DIRECTORY=]FILE", required = true)]
    pub(crate) objects: Vec<String>,
    /// Existing Entra objects (JSON Lines, the same format): joined through the inbound rules
    /// from Entra, and the outbound rules to the on-premises directories (writeback) run too.
    #[arg(long, value_name = "FILE")]
    pub(crate) entra: Option<PathBuf>,
    /// The clock of the run (what Now() returns), e.g. 2026-01-01T00:00:00Z. Default: now.
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimulateFormat::Text)]
    pub(crate) format: SimulateFormat,
    /// With --format json, only the summary (no per-object entries).
    #[arg(long)]
    pub(crate) summary: bool,
    /// Print the trace of this object (its DN) in the steps of Microsoft's single-object sync
    /// diagnostics. Repeat for more objects.
    #[arg(long, value_name = "DN")]
    pub(crate) explain: Vec<String>,
    /// Replace attribute values and DNs with stable placeholders in all output (object files
    /// hold personal data).
    #[arg(long)]
    pub(crate) redact: bool,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

/// Where the objects of one `--objects` argument go.
#[derive(Debug, Clone)]
pub(crate) struct ObjectSpec {
    /// The directory as named (None: the only one).
    pub(crate) directory: Option<String>,
    pub(crate) path: PathBuf,
}

/// What reading the object files gave besides the objects.
pub(crate) struct ReadReport {
    pub(crate) files: Vec<String>,
    pub(crate) bad: Vec<BadObject>,
    pub(crate) objects: usize,
}

fn directory_matches(config: &Configuration, name: &str) -> Option<usize> {
    config.onpremises_directories.iter().position(|d| {
        d.name.eq_ignore_ascii_case(name)
            || d.forest
                .as_deref()
                .is_some_and(|f| f.eq_ignore_ascii_case(name))
            || d.unique_identifier.eq_ignore_ascii_case(name)
    })
}

/// Parses `--objects` values against the configurations that will read them.
pub(crate) fn parse_specs(values: &[String], configs: &[&Configuration]) -> Vec<ObjectSpec> {
    values
        .iter()
        .map(|v| match v.split_once('=') {
            Some((dir, path))
                if !dir.is_empty()
                    && configs.iter().any(|c| directory_matches(c, dir).is_some()) =>
            {
                ObjectSpec {
                    directory: Some(dir.to_owned()),
                    path: PathBuf::from(path),
                }
            }
            _ => ObjectSpec {
                directory: None,
                path: PathBuf::from(v),
            },
        })
        .collect()
}

/// Per spec, the directory of a configuration it reads into (`--entra` objects go to Entra).
pub(crate) fn directories_for(
    config: &Configuration,
    specs: &[ObjectSpec],
) -> anyhow::Result<Vec<DirectoryRef>> {
    specs
        .iter()
        .map(|s| {
            let d = match &s.directory {
                Some(name) => match directory_matches(config, name) {
                    Some(i) => i,
                    None => {
                        let names = config
                            .onpremises_directories
                            .iter()
                            .flat_map(|d| [Some(d.name.as_str()), d.forest.as_deref()])
                            .flatten();
                        let near = syncpolicy_model::suggest::hint(name, names, "directory names")
                            .map(|h| format!("\nhint: {h}"))
                            .unwrap_or_default();
                        bail!("directory {name:?} (in --objects {name}=...) is not in the configuration{near}\nhint: name an on-premises directory by its name or forest")
                    }
                },
                None => match config.onpremises_directories.len() {
                    1 => 0,
                    0 => bail!("the configuration has no on-premises directory to read {} into", s.path.display()),
                    _ => bail!(
                        "the configuration has {} on-premises directories; say which one {} belongs to\nhint: --objects DIRECTORY={}",
                        config.onpremises_directories.len(),
                        s.path.display(),
                        s.path.display()
                    ),
                },
            };
            Ok(DirectoryRef::OnPremises(d))
        })
        .collect()
}

/// Objects per batch handed from the reader to the engine.
const BATCH: usize = 1024;

/// Streams every object file: a reader thread parses, `each` receives batches of objects with
/// their directory (by `dirs`, per spec; `--entra` objects as Entra). Bad objects are
/// collected; a file that cannot be read stops with an error. With `redact`, files are named
/// `objects-file-N` in what this returns and in its errors, and the errors' quoted values are
/// placeholders.
pub(crate) fn stream_objects(
    specs: &[ObjectSpec],
    dirs: &[DirectoryRef],
    entra: Option<&PathBuf>,
    redact: bool,
    each: impl FnMut(Vec<SourceInput>) -> anyhow::Result<()>,
) -> anyhow::Result<ReadReport> {
    stream_objects_only(specs, dirs, entra, redact, None, each)
}

/// The attributes to read objects with, from the simulator's list (`None`: all of them).
pub(crate) fn wanted_of(
    names: Option<Vec<String>>,
) -> Option<std::sync::Arc<syncpolicy_objects::Wanted>> {
    names.map(|names| {
        std::sync::Arc::new(syncpolicy_objects::Wanted::new(
            names.iter().map(String::as_str),
        ))
    })
}

/// What a second pass by DN reads: the attributes `names` names (all when `None`) of the
/// LDIF entries of `dns` only (`syncpolicy_objects::Wanted::with_entries`).
pub(crate) fn wanted_entries(
    names: Option<&[String]>,
    dns: &[String],
) -> Option<std::sync::Arc<syncpolicy_objects::Wanted>> {
    let wanted = syncpolicy_objects::Wanted::names_or_all(names);
    Some(std::sync::Arc::new(
        wanted.with_entries(dns.iter().cloned()),
    ))
}

/// [`stream_objects`], LDIF objects read with only the attributes in `wanted` (all when
/// `None`; the same objects are bad, for the same reasons: `syncpolicy_objects::Wanted`).
pub(crate) fn stream_objects_only(
    specs: &[ObjectSpec],
    dirs: &[DirectoryRef],
    entra: Option<&PathBuf>,
    redact: bool,
    wanted: Option<std::sync::Arc<syncpolicy_objects::Wanted>>,
    mut each: impl FnMut(Vec<SourceInput>) -> anyhow::Result<()>,
) -> anyhow::Result<ReadReport> {
    let mut paths: Vec<(DirectoryRef, PathBuf)> = specs
        .iter()
        .zip(dirs)
        .map(|(s, d)| (*d, s.path.clone()))
        .collect();
    if let Some(e) = entra {
        paths.push((DirectoryRef::Azure, e.clone()));
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<anyhow::Result<Vec<SourceInput>>>(2);
    let reader = std::thread::spawn(move || -> (Vec<String>, Vec<BadObject>) {
        let mut files = Vec::new();
        let mut bad = Vec::new();
        for (directory, path) in paths {
            let file_no = files.len() as u32;
            let mut redactor = Redactor::new(redact);
            let shown = redactor.path(files.len() + 1, &path.display().to_string());
            let file = match std::fs::File::open(&path) {
                Ok(f) => f,
                Err(e) => {
                    let e = redactor.text(&e.to_string());
                    let _ = tx.send(Err(anyhow::anyhow!(
                        "cannot open the object file {shown}: {e}\nhint: give an LDIF or JSON Lines file exported from the directory"
                    )));
                    return (files, bad);
                }
            };
            files.push(shown.clone());
            let mut batch = Vec::with_capacity(BATCH);
            // The file is parsed on every core, its objects in file order.
            let mut stopped = false;
            syncpolicy_objects::read_objects_parallel_only(
                BufReader::with_capacity(1 << 16, file),
                syncpolicy_objects::Limits::DEFAULT,
                syncpolicy_objects::Blocks::default_for_machine(),
                wanted.clone(),
                |item| {
                    match item {
                        Ok(o) => {
                            batch.push(SourceInput {
                                directory,
                                dn: o.dn,
                                object: o.object,
                                origin: Origin {
                                    file: file_no,
                                    line: o.line,
                                },
                            });
                            if batch.len() == BATCH
                                && tx
                                    .send(Ok(std::mem::replace(
                                        &mut batch,
                                        Vec::with_capacity(BATCH),
                                    )))
                                    .is_err()
                            {
                                stopped = true;
                                return false;
                            }
                        }
                        Err(e) if e.fatal => {
                            let _ = tx.send(Err(anyhow::anyhow!(
                                "{shown}:{}: {}\nhint: the file must be LDIF (ldifde -f, ldapsearch -LLL) or JSON Lines, one object per line",
                                e.line,
                                redactor.text(&e.message)
                            )));
                            stopped = true;
                            return false;
                        }
                        Err(e) => bad.push(BadObject {
                            file: shown.clone(),
                            line: e.line,
                            message: e.message,
                        }),
                    }
                    true
                },
            );
            if stopped {
                return (files, bad);
            }
            if !batch.is_empty() && tx.send(Ok(batch)).is_err() {
                return (files, bad);
            }
        }
        (files, bad)
    });
    let mut objects = 0;
    let mut failure = None;
    for batch in rx {
        match batch {
            Ok(b) => {
                objects += b.len();
                if let Err(e) = each(b) {
                    failure = Some(e);
                    break;
                }
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let (files, bad) = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the object reader stopped unexpectedly"))?;
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(ReadReport {
        files,
        bad,
        objects,
    })
}

/// Stages every object of the files for a simulator: group membership first when its rules
/// or group filtering need it (one more pass over the files), then batches as they are read.
pub(crate) fn stage_files(
    simulator: &Simulator<'_>,
    specs: &[ObjectSpec],
    dirs: &[DirectoryRef],
    entra: Option<&PathBuf>,
    redact: bool,
    progress: &crate::progress::Progress,
) -> anyhow::Result<(Vec<syncpolicy_sync::ObjectResult>, ReadReport)> {
    let mut groups = syncpolicy_sync::scope::Groups::new();
    if simulator.needs_groups() {
        progress.phase("reading group members");
        let wanted = simulator.group_dns();
        stream_objects(specs, dirs, entra, redact, |batch| {
            for input in &batch {
                simulator.collect_groups(&wanted, &mut groups, input);
            }
            Ok(())
        })?;
    }
    progress.phase("reading and staging");
    let mut staged = Vec::new();
    let report = stream_objects(specs, dirs, entra, redact, |batch| {
        progress.inc(batch.len() as u64);
        staged.extend(simulator.stage_batch(batch, &groups));
        Ok(())
    })?;
    Ok((staged, report))
}

/// A configuration source as the reports name it: under `--redact`, a deployment snapshot
/// (`@latest`, `@~1`) keeps its name and a path becomes `what` (paths name people).
pub(crate) fn shown_source(label: &str, what: &str, redact: bool) -> String {
    if redact && !label.starts_with('@') {
        what.to_owned()
    } else {
        label.to_owned()
    }
}

/// The run's clock: `--now` or the current time.
pub(crate) fn clock(now: Option<&str>) -> anyhow::Result<DateTime> {
    match now {
        Some(t) => DateTime::parse(t).with_context(|| {
            format!("--now {t:?} is not a date and time\nhint: give ISO 8601, e.g. 2026-01-01T00:00:00Z")
        }),
        None => {
            let since = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            DateTime::from_unix_seconds(i64::try_from(since.as_secs()).unwrap_or(0))
                .context("the system clock is out of range\nhint: give --now")
        }
    }
}

/// Writes to `-o FILE` atomically or to stdout.
pub(crate) fn emit(output: Option<&PathBuf>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        Some(path) => crate::output::write_file(path, bytes),
        None => crate::output::print_bytes(bytes),
    }
}

pub(crate) fn run(args: &SimulateArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let loaded_config = source::load(&args.source, ctx)
        .with_context(|| format!("cannot read the configuration {}", args.source))?;
    let config = &loaded_config.config;
    let now = clock(args.now.as_deref())?;
    let specs = parse_specs(&args.objects, &[config]);
    let dirs = directories_for(config, &specs)?;
    let simulator = Simulator::new(
        config,
        Options {
            now: Some(now),
            writeback: args.entra.is_some(),
        },
    );
    if args.format == SimulateFormat::Json && args.summary {
        return run_summary(
            args,
            config,
            &loaded_config.label,
            now,
            &simulator,
            &specs,
            &dirs,
            ctx,
        );
    }
    let progress = crate::progress::Progress::counter(ctx, "reading and staging", "objects");
    let (staged, report) = stage_files(
        &simulator,
        &specs,
        &dirs,
        args.entra.as_ref(),
        args.redact,
        &progress,
    )?;
    progress.phase("joining and projecting");
    let sim = simulator.finish(staged);
    drop(progress);
    let v = SimulateView {
        config,
        sim: &sim,
        source: shown_source(&loaded_config.label, "configuration", args.redact),
        files: report.files,
        bad_objects: report.bad,
        explain: args.explain.clone(),
        now: Some(now.to_string()),
        redact: args.redact,
    };
    let unknown = v.unknown_explain();
    if !unknown.is_empty() {
        let dn = if args.redact {
            "(redacted)".to_owned()
        } else {
            format!("{:?}", unknown[0])
        };
        bail!(
            "--explain {dn}: no object has this DN\nhint: give the DN exactly as in the object file"
        );
    }
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        match args.format {
            SimulateFormat::Text => out.write_all(view::render_text(&v).as_bytes()),
            SimulateFormat::Json if args.summary => view::write_summary_json(&v, out),
            SimulateFormat::Json => view::write_json(&v, out),
        }
    };
    match &args.output {
        Some(_) => {
            let mut out: Vec<u8> = Vec::new();
            write(&mut out)?;
            emit(args.output.as_ref(), &out)?;
        }
        None => {
            // Streamed: the JSON of every object is never held whole.
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other?,
            }
        }
    }
    Ok(ExitCode::from(if v.has_findings() {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

/// Group membership, when the simulator's rules or group filtering need it (one pass over the
/// files).
pub(crate) fn read_groups(
    simulators: &[&Simulator<'_>],
    specs: &[ObjectSpec],
    dirs: &[DirectoryRef],
    entra: Option<&PathBuf>,
    redact: bool,
    progress: &crate::progress::Progress,
) -> anyhow::Result<Vec<syncpolicy_sync::scope::Groups>> {
    let mut groups: Vec<syncpolicy_sync::scope::Groups> =
        simulators.iter().map(|_| Default::default()).collect();
    if simulators.iter().any(|s| s.needs_groups()) {
        progress.phase("reading group members");
        let wanted: Vec<_> = simulators.iter().map(|s| s.group_dns()).collect();
        stream_objects(specs, dirs, entra, redact, |batch| {
            for input in &batch {
                for ((s, w), g) in simulators.iter().zip(&wanted).zip(groups.iter_mut()) {
                    s.collect_groups(w, g, input);
                }
            }
            Ok(())
        })?;
    }
    Ok(groups)
}

/// `simulate --format json --summary`, streamed: counted in one pass where the objects do not
/// meet, the others read again (`summary_in_one_pass`), or under `--redact` in two passes (a
/// join plan, then each object counted as its metaverse object completes); no object's result
/// is held longer than that.
#[allow(clippy::too_many_arguments)]
fn run_summary(
    args: &SimulateArgs,
    config: &Configuration,
    label: &str,
    now: DateTime,
    simulator: &Simulator<'_>,
    specs: &[ObjectSpec],
    dirs: &[DirectoryRef],
    ctx: &Context,
) -> anyhow::Result<ExitCode> {
    let progress = crate::progress::Progress::counter(ctx, "planning joins", "objects");
    let entra = args.entra.as_ref();
    let groups = read_groups(&[simulator], specs, dirs, entra, args.redact, &progress)?
        .pop()
        .unwrap_or_default();
    let inputs = SummaryInputs {
        args,
        simulator,
        specs,
        dirs,
        groups: &groups,
        progress: &progress,
    };
    let (run, report) = if args.redact {
        summary_in_two_passes(inputs)?
    } else {
        summary_in_one_pass(inputs)?
    };
    drop(progress);
    let source = shown_source(label, "configuration", args.redact);
    let now = now.to_string();
    let header = view::SummaryHeader {
        source: &source,
        now: Some(&now),
        bad_objects: report.bad.len(),
    };
    let mut out: Vec<u8> = Vec::new();
    view::write_run_summary_json(config, &run, header, args.redact, &mut out)?;
    emit(args.output.as_ref(), &out)?;
    Ok(ExitCode::from(
        if !report.bad.is_empty() || run.summary.objects_with_errors > 0 {
            exit::FINDINGS
        } else {
            exit::OK
        },
    ))
}

/// Fails when an `--explain` DN was not among the objects read (`explained[i]`: the i-th was).
fn check_explained(args: &SimulateArgs, explained: &[bool]) -> anyhow::Result<()> {
    if let Some(i) = explained.iter().position(|seen| !seen) {
        let dn = if args.redact {
            "(redacted)".to_owned()
        } else {
            format!("{:?}", args.explain[i])
        };
        bail!("--explain {dn}: no object has this DN\nhint: give the DN exactly as in the object file");
    }
    Ok(())
}

/// Marks the `--explain` DNs among `batch`.
fn mark_explained(args: &SimulateArgs, batch: &[SourceInput], explained: &mut [bool]) {
    for input in batch {
        for (dn, seen) in args.explain.iter().zip(explained.iter_mut()) {
            *seen |= input.dn.eq_ignore_ascii_case(dn);
        }
    }
}

/// What both ways of counting the summary read the objects with.
#[derive(Clone, Copy)]
struct SummaryInputs<'a, 'c> {
    args: &'a SimulateArgs,
    simulator: &'a Simulator<'c>,
    specs: &'a [ObjectSpec],
    dirs: &'a [DirectoryRef],
    groups: &'a syncpolicy_sync::scope::Groups,
    progress: &'a crate::progress::Progress,
}

/// The summary counted in one pass where the objects do not meet
/// (`syncpolicy_sync::run_summary`: the objects whose count does not stand are read again).
fn summary_in_one_pass(
    inputs: SummaryInputs<'_, '_>,
) -> anyhow::Result<(syncpolicy_sync::RunSummary, ReadReport)> {
    let SummaryInputs {
        args,
        simulator,
        specs,
        dirs,
        groups,
        progress,
    } = inputs;
    use syncpolicy_sync::SummaryPass;
    let entra = args.entra.as_ref();
    // The summary shows no source object: both passes read what staging reads.
    let staged = simulator.staged_attributes();
    let wanted = wanted_of(staged.clone());
    let mut explained = vec![false; args.explain.len()];
    let mut first_report = None;
    let counted = syncpolicy_sync::run_summary(simulator, groups, |pass, sink| {
        progress.phase(match pass {
            SummaryPass::Stage => "staging, joining and exporting",
            SummaryPass::Complete { .. } => "completing joined objects",
        });
        // A second pass by DN reads only those entries of an LDIF file.
        let wanted = match pass {
            SummaryPass::Complete { dns: Some(dns) } => wanted_entries(staged.as_deref(), dns),
            _ => wanted.clone(),
        };
        let report = stream_objects_only(specs, dirs, entra, false, wanted, |batch| {
            progress.inc(batch.len() as u64);
            if pass == SummaryPass::Stage {
                mark_explained(args, &batch, &mut explained);
            }
            sink(batch);
            Ok(())
        })?;
        if pass == SummaryPass::Stage {
            check_explained(args, &explained)?;
            first_report = Some(report);
        }
        anyhow::Ok(())
    })?;
    let Ok((run, _)) = counted else {
        bail!("the object files changed while they were read (the two passes read different objects)\nhint: run again on files that are not being written");
    };
    let report = first_report.unwrap_or_else(|| ReadReport {
        files: Vec::new(),
        bad: Vec::new(),
        objects: 0,
    });
    Ok((run, report))
}

/// The summary in two passes (a join plan, then every object staged again), which keeps the
/// metaverse attribute names that `--redact` keeps.
fn summary_in_two_passes(
    inputs: SummaryInputs<'_, '_>,
) -> anyhow::Result<(syncpolicy_sync::RunSummary, ReadReport)> {
    let SummaryInputs {
        args,
        simulator,
        specs,
        dirs,
        groups,
        progress,
    } = inputs;
    let entra = args.entra.as_ref();
    // Pass 1 evaluates only what joining needs; when pass 2 finds an error pass 1 did not
    // evaluate in an object that joined, both passes run again with every flow that can fail
    // evaluated in pass 1 (`Streamer::needs_full_plan`).
    let mut full = false;
    Ok(loop {
        progress.phase("planning joins");
        let mut staged = Vec::new();
        let mut explained = vec![false; args.explain.len()];
        // A light pass 1 reads only the attributes it evaluates (a full one, every flow).
        let wanted = if full {
            None
        } else {
            wanted_of(simulator.plan_attributes())
        };
        stream_objects_only(specs, dirs, entra, args.redact, wanted, |batch| {
            progress.inc(batch.len() as u64);
            mark_explained(args, &batch, &mut explained);
            staged.push(if full {
                simulator.plan_batch_full(batch, groups)
            } else {
                simulator.plan_batch(batch, groups)
            });
            Ok(())
        })?;
        check_explained(args, &explained)?;
        let plan = simulator.plan_parts(staged);
        progress.phase("staging, joining and exporting");
        // The summary counts outcomes: the exports' attributes are not computed.
        let mut streamer = syncpolicy_sync::Streamer::new(simulator, plan).outcomes_only();
        let mut run = syncpolicy_sync::RunSummary::new(simulator.run_facts());
        // The summary shows no source object: pass 2 reads what staging reads.
        let wanted = wanted_of(simulator.staged_attributes());
        let report = stream_objects_only(specs, dirs, entra, args.redact, wanted, |batch| {
            progress.inc(batch.len() as u64);
            streamer.feed_ref(simulator.stage_batch(batch, groups), |x| run.add(x));
            Ok(())
        })?;
        if streamer.needs_full_plan() && !full {
            full = true;
            continue;
        }
        if !streamer.is_done() {
            bail!("the object files changed while they were read (the two passes read different objects)\nhint: run again on files that are not being written");
        }
        break (run, report);
    })
}
