//! `syncpolicy simulate`: run a configuration's connector filters and synchronization rules
//! over exported directory objects (LDIF or JSON Lines) and report what each object becomes in
//! the metaverse and in Entra ID. Also the object-file loading `impact` shares.

use crate::context::Context;
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
}

/// Where the objects of one `--objects` argument go.
#[derive(Debug, Clone)]
pub(crate) struct ObjectSpec {
    /// The directory as named (None: the only one).
    pub(crate) directory: Option<String>,
    pub(crate) path: PathBuf,
}

/// Objects read from every file, each with the spec it came from.
pub(crate) struct LoadedObjects {
    pub(crate) inputs: Vec<SourceInput>,
    /// Per input, the spec index (`usize::MAX` for `--entra`).
    pub(crate) spec_of: Vec<usize>,
    pub(crate) specs: Vec<ObjectSpec>,
    pub(crate) files: Vec<String>,
    pub(crate) bad: Vec<BadObject>,
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

/// Reads every object file, streaming. Bad objects are collected; a file that cannot be read
/// stops with an error.
pub(crate) fn load_objects(
    specs: Vec<ObjectSpec>,
    entra: Option<&PathBuf>,
) -> anyhow::Result<LoadedObjects> {
    let mut loaded = LoadedObjects {
        inputs: Vec::new(),
        spec_of: Vec::new(),
        specs,
        files: Vec::new(),
        bad: Vec::new(),
    };
    let mut paths: Vec<(usize, PathBuf)> = loaded
        .specs
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.path.clone()))
        .collect();
    if let Some(e) = entra {
        paths.push((usize::MAX, e.clone()));
    }
    for (spec, path) in paths {
        let file_no = loaded.files.len() as u32;
        let shown = path.display().to_string();
        let file = std::fs::File::open(&path).with_context(|| {
            format!("cannot open the object file {shown}\nhint: give an LDIF or JSON Lines file exported from the directory")
        })?;
        loaded.files.push(shown.clone());
        for item in syncpolicy_objects::read_objects(BufReader::with_capacity(1 << 16, file)) {
            match item {
                Ok(o) => {
                    loaded.inputs.push(SourceInput {
                        directory: DirectoryRef::Azure,
                        dn: o.dn,
                        object: o.object,
                        origin: Origin {
                            file: file_no,
                            line: o.line,
                        },
                    });
                    loaded.spec_of.push(spec);
                }
                Err(e) if e.fatal => {
                    bail!("{shown}:{}: {}\nhint: the file must be LDIF (ldifde -f, ldapsearch -LLL) or JSON Lines, one object per line", e.line, e.message)
                }
                Err(e) => loaded.bad.push(BadObject {
                    file: shown.clone(),
                    line: e.line,
                    message: e.message,
                }),
            }
        }
    }
    Ok(loaded)
}

/// The inputs for one configuration: each assigned to its directory there.
pub(crate) fn inputs_for(
    config: &Configuration,
    loaded: &LoadedObjects,
    take: bool,
    inputs: &mut Vec<SourceInput>,
) -> anyhow::Result<Vec<SourceInput>> {
    let mut dirs = Vec::with_capacity(loaded.specs.len());
    for s in &loaded.specs {
        let d = match &s.directory {
            Some(name) => match directory_matches(config, name) {
                Some(i) => i,
                None => bail!("directory {name:?} (in --objects {name}=...) is not in the configuration\nhint: name an on-premises directory by its name or forest"),
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
        dirs.push(d);
    }
    let source: Vec<SourceInput> = if take {
        std::mem::take(inputs)
    } else {
        inputs.clone()
    };
    Ok(source
        .into_iter()
        .zip(&loaded.spec_of)
        .map(|(mut i, spec)| {
            i.directory = match dirs.get(*spec) {
                Some(d) => DirectoryRef::OnPremises(*d),
                None => DirectoryRef::Azure,
            };
            i
        })
        .collect())
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
        Some(path) => syncpolicy_files::atomic::write_atomic(path, bytes).with_context(|| {
            format!(
                "cannot write {}\nhint: check that the folder exists and is writable",
                path.display()
            )
        }),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => Ok(other?),
            }
        }
    }
}

pub(crate) fn run(args: &SimulateArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let loaded_config = source::load(&args.source, ctx)
        .with_context(|| format!("cannot read the configuration {}", args.source))?;
    let config = &loaded_config.config;
    let now = clock(args.now.as_deref())?;
    let specs = parse_specs(&args.objects, &[config]);
    let mut loaded = load_objects(specs, args.entra.as_ref())?;
    let mut raw = std::mem::take(&mut loaded.inputs);
    let inputs = inputs_for(config, &loaded, true, &mut raw)?;
    let simulator = Simulator::new(
        config,
        Options {
            now: Some(now),
            writeback: args.entra.is_some(),
        },
    );
    let sim = simulator.run(inputs);
    let v = SimulateView {
        config,
        sim: &sim,
        source: loaded_config.label.clone(),
        files: loaded.files.clone(),
        bad_objects: std::mem::take(&mut loaded.bad),
        explain: args.explain.clone(),
        now: Some(now.to_string()),
        redact: args.redact,
    };
    let unknown = v.unknown_explain();
    if !unknown.is_empty() {
        bail!(
            "--explain {:?}: no object has this DN\nhint: give the DN exactly as in the object file",
            unknown[0]
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
