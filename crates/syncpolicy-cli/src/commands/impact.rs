//! `syncpolicy impact`: run two configurations over the same directory objects and compare the
//! Entra objects they would export: adds, deletes and updates per type, the deletions against
//! NEW's deletion threshold, the synchronization runs the change needs, and per object the
//! attribute changes with the responsible rules. Exit 0 no impact, 1 impact, 2 error.

use crate::commands::simulate::{
    clock, directories_for, emit, parse_specs, read_groups, shown_source, stream_objects_only,
    wanted_entries, wanted_of,
};
use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::source;
use anyhow::Context as _;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_sync::{run_pair_single, Options, PairPass, PairSide, Simulator, SourceInput};
use syncpolicy_views::impact::{self as view, ImpactView};
use syncpolicy_views::redact::Redactor;

/// Output format of `syncpolicy impact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImpactFormat {
    /// Readable text: the summary, then per object the changes.
    Text,
    /// JSON (schema syncpolicy-impact/1, docs/simulation.md).
    Json,
    /// Markdown, for change tickets and pull requests.
    Markdown,
    /// One self-contained HTML page (write it with -o).
    Html,
}

/// Arguments of `syncpolicy impact`.
#[derive(Debug, clap::Args)]
pub(crate) struct ImpactArgs {
    /// The configuration in effect: a settings file, a folder, a legacy export folder or a
    /// deployment snapshot (@latest, @~N).
    #[arg(value_name = "OLD")]
    pub(crate) old: String,
    /// The proposed configuration, any source as for OLD.
    #[arg(value_name = "NEW")]
    pub(crate) new: String,
    /// Directory objects: an LDIF or JSON Lines file; DIRECTORY=FILE when the configurations
    /// have several on-premises directories. Repeat for more files.
    #[arg(long = "objects", value_name = "[DIRECTORY=]FILE", required = true)]
    pub(crate) objects: Vec<String>,
    /// Existing Entra objects (JSON Lines), as for simulate.
    #[arg(long, value_name = "FILE")]
    pub(crate) entra: Option<PathBuf>,
    /// The clock of both runs (what Now() returns). Default: now.
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ImpactFormat::Text)]
    pub(crate) format: ImpactFormat,
    /// Replace attribute values and DNs with stable placeholders in all output.
    #[arg(long)]
    pub(crate) redact: bool,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

pub(crate) fn run(args: &ImpactArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let loading = syncpolicy_store::timing::phase("read both sides");
    let old = source::load(&args.old, ctx)
        .with_context(|| format!("cannot read the old side {}", args.old))?;
    let new = source::load(&args.new, ctx)
        .with_context(|| format!("cannot read the new side {}", args.new))?;
    let now = clock(args.now.as_deref())?;
    let specs = parse_specs(&args.objects, &[&old.config, &new.config]);
    let old_dirs = directories_for(&old.config, &specs)?;
    let new_dirs = directories_for(&new.config, &specs)?;
    let options = Options {
        now: Some(now),
        writeback: args.entra.is_some(),
    };
    drop(loading);
    let progress = crate::progress::Progress::counter(ctx, "reading and staging", "objects");
    let reading_groups = syncpolicy_store::timing::phase("read group members");
    let old_sim = Simulator::new(&old.config, options.clone());
    let new_sim = Simulator::new(&new.config, options);
    let groups = read_groups(
        &[&old_sim, &new_sim],
        &specs,
        &old_dirs,
        args.entra.as_ref(),
        args.redact,
        &progress,
    )?;
    drop(reading_groups);
    // Each object in NEW's directory of its file for NEW (files are numbered in the order of
    // the specs; `--entra` objects stay Entra's).
    let new_directory = |input: &SourceInput| {
        new_dirs
            .get(input.origin.file as usize)
            .copied()
            .unwrap_or(input.directory)
    };
    let side = |config, simulator, groups| PairSide {
        config,
        simulator,
        groups,
    };
    // One pass: each object staged for both sides, compared alone, both join plans made;
    // then the objects whose comparison does not stand read again and compared as their
    // Entra objects complete (`syncpolicy_sync::pair_single`).
    let mut report = None;
    // What either side's staging reads (the comparison shows no source object).
    let staged = old_sim
        .staged_attributes()
        .zip(new_sim.staged_attributes())
        .map(|(mut old, new)| {
            old.extend(new);
            old
        });
    let run = run_pair_single(
        side(&old.config, &old_sim, &groups[0]),
        side(&new.config, &new_sim, &groups[1]),
        new_directory,
        |pass, sink| {
            let _t = match pass {
                PairPass::Stage => {
                    progress.phase("staging, joining, exporting and comparing");
                    syncpolicy_store::timing::phase("pass 1 (both sides)")
                }
                PairPass::Complete { .. } => {
                    progress.phase("comparing joined objects");
                    syncpolicy_store::timing::phase("pass 2 (joined objects)")
                }
            };
            // A second pass by DN reads only those entries of an LDIF file.
            let wanted = match pass {
                PairPass::Complete { dns: Some(dns) } => wanted_entries(staged.as_deref(), dns),
                _ => wanted_of(staged.clone()),
            };
            let read = stream_objects_only(
                &specs,
                &old_dirs,
                args.entra.as_ref(),
                args.redact,
                wanted,
                |batch| {
                    progress.inc(batch.len() as u64);
                    sink(batch);
                    Ok(())
                },
            )?;
            // The first pass reads every object (its report counts them).
            if pass == PairPass::Stage {
                report = Some(read);
            }
            anyhow::Ok(())
        },
    )?;
    let finishing = syncpolicy_store::timing::phase("compare (finish)");
    let result = run.finish().map_err(|_| {
        anyhow::anyhow!("the object files changed while they were read (the two passes read different objects)\nhint: run again on files that are not being written")
    })?;
    drop(finishing);
    let report = report.expect("the objects were read");
    let objects = report.objects;
    drop(progress);
    let mut redactor = Redactor::new(args.redact);
    if args.redact {
        redactor.allow_configuration(&old.config);
        redactor.allow_configuration(&new.config);
    }
    let mut v = ImpactView {
        old: shown_source(&old.label, "OLD", args.redact),
        new: shown_source(&new.label, "NEW", args.redact),
        impact: &result,
        objects,
        bad_objects: report.bad.len(),
        redactor,
    };
    let rendering = syncpolicy_store::timing::phase("render");
    let out = match args.format {
        ImpactFormat::Text => view::render_text(&mut v),
        ImpactFormat::Json => {
            let mut s = serde_json::to_string_pretty(&view::render_json(&mut v))?;
            s.push('\n');
            s
        }
        ImpactFormat::Markdown => view::render_markdown(&mut v),
        ImpactFormat::Html => view::render_html(&mut v),
    };
    drop(rendering);
    emit(args.output.as_ref(), out.as_bytes())?;
    crate::output::print_timings();
    for b in &report.bad {
        ctx.status(&format!(
            "warning: {}:{}: {} (object skipped)",
            b.file,
            b.line,
            v.redactor.text(&b.message)
        ));
    }
    Ok(ExitCode::from(if result.is_empty() {
        exit::OK
    } else {
        exit::FINDINGS
    }))
}
