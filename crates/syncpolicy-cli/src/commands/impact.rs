//! `syncpolicy impact`: run two configurations over the same directory objects and compare the
//! Entra objects they would export: adds, deletes and updates per type, the deletions against
//! NEW's deletion threshold, the synchronization runs the change needs, and per object the
//! attribute changes with the responsible rules. Exit 0 no impact, 1 impact, 2 error.

use crate::commands::simulate::{
    clock, directories_for, emit, parse_specs, read_groups, shown_source, stream_objects,
};
use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::source;
use anyhow::Context as _;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_sync::{
    ImpactStream, Options, PairStreamer, Side, Simulator, SourceInput, Streamer,
};
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
    let (old_groups, new_groups) = (&groups[0], &groups[1]);
    // The same objects for NEW, each in NEW's directory of its file (files are numbered in the
    // order of the specs; `--entra` objects stay Entra's).
    let to_new = |batch: &mut [SourceInput]| {
        for input in batch.iter_mut() {
            if let Some(d) = new_dirs.get(input.origin.file as usize) {
                input.directory = *d;
            }
        }
    };
    // Pass 1, once per side (so that only one side's staged objects are held at a time): each
    // side plans its joins, keeping per object only what joining needs.
    progress.phase("planning joins");
    let plan_side = |sim: &Simulator<'_>, groups, for_new_side: bool, full: bool| {
        let _t = syncpolicy_store::timing::phase("pass 1 (plan)");
        let mut staged = Vec::new();
        stream_objects(
            &specs,
            &old_dirs,
            args.entra.as_ref(),
            args.redact,
            |batch| {
                progress.inc(batch.len() as u64);
                let mut batch = batch;
                if for_new_side {
                    to_new(&mut batch);
                }
                staged.extend(if full {
                    sim.plan_batch_full(batch, groups)
                } else {
                    sim.plan_batch(batch, groups)
                });
                Ok(())
            },
        )
        .map(|_| sim.plan(staged))
    };
    // Pass 1 evaluates only what joining needs; when pass 2 finds an error pass 1 did not
    // evaluate in an object that joined, both passes run again with every flow that can fail
    // evaluated in pass 1 (`Streamer::needs_full_plan`), for that side.
    // When the configurations differ only in scoping filters of rules that cannot change a
    // light plan (`Simulator::same_light_plan`), OLD's plan is NEW's too: pass 1 runs once.
    let one_plan = old_dirs == new_dirs && old_sim.same_light_plan(&new_sim);
    let mut full = [false, false];
    let (result, report) = loop {
        let old_plan = plan_side(&old_sim, old_groups, false, full[0])?;
        let new_plan = if one_plan && full == [false, false] {
            old_plan.clone()
        } else {
            plan_side(&new_sim, new_groups, true, full[1])?
        };
        // Pass 2: both sides over each object again, compared as their Entra objects complete.
        progress.phase("staging, joining, exporting and comparing");
        let _t = syncpolicy_store::timing::phase("pass 2 (both sides)");
        let mut compare = ImpactStream::new(
            &old.config,
            &old_sim,
            &old_plan,
            &new.config,
            &new_sim,
            &new_plan,
        );
        // Both sides' pass 2 together: objects staged once where the sides cannot differ
        // (the configurations differ only in scoping filters), and not exported where the
        // results cannot differ (`syncpolicy_sync::pair`).
        let mut pair = PairStreamer::new(
            Streamer::new(&old_sim, old_plan),
            Streamer::new(&new_sim, new_plan),
        );
        let report = stream_objects(
            &specs,
            &old_dirs,
            args.entra.as_ref(),
            args.redact,
            |batch| {
                progress.inc(batch.len() as u64);
                // Both sides staged together on every core, each object in NEW's directory
                // of its file for NEW.
                pair.feed(
                    old_groups,
                    new_groups,
                    batch,
                    |input| {
                        new_dirs
                            .get(input.origin.file as usize)
                            .copied()
                            .unwrap_or(input.directory)
                    },
                    |side, x| match side {
                        Side::Old => compare.add_old(x),
                        Side::New => compare.add_new(x),
                    },
                );
                Ok(())
            },
        )?;
        let needs = pair.needs_full_plan();
        let again = [needs[0] && !full[0], needs[1] && !full[1]];
        if again.contains(&true) {
            full = [full[0] || again[0], full[1] || again[1]];
            continue;
        }
        if !pair.is_done() {
            anyhow::bail!("the object files changed while they were read (the two passes read different objects)\nhint: run again on files that are not being written");
        }
        drop(_t);
        let _t = syncpolicy_store::timing::phase("compare (finish)");
        break (compare.finish(), report);
    };
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
