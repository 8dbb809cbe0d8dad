//! `syncpolicy plan CURRENT DESIRED`: what takes a real server from its current configuration
//! to the desired one, as a safe apply script in PowerShell (checklist, preflight, paused
//! scheduler, steps, verification) or as readable text. Exit codes as `diff`: 0 nothing to
//! do, 1 steps or checklist items, 2 error.

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::source;
use anyhow::Context as _;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_powershell::PlanOptions;

/// Output format of `syncpolicy plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlanFormat {
    /// The plan as readable steps and checklist.
    Text,
    /// The apply script, to run in PowerShell on the server.
    Powershell,
}

/// Arguments of `syncpolicy plan`.
#[derive(Debug, clap::Args)]
pub(crate) struct PlanArgs {
    /// What the server has now: an export of it (settings file, folder of snapshots), a
    /// legacy Exported-ServerConfiguration-* folder, or a deployment snapshot (@latest, @~N).
    /// Its connector names and identifiers are the ones the script expects on the server.
    #[arg(value_name = "CURRENT")]
    pub(crate) current: String,
    /// What the server should have, any source as for CURRENT.
    #[arg(value_name = "DESIRED")]
    pub(crate) desired: String,
    /// Pair two on-premises directories whose names differ: CURRENT=DESIRED, each a
    /// directory name or identifier (as `diff --map`). Repeat for more pairs.
    #[arg(long = "map", value_name = "CURRENT=DESIRED", value_parser = crate::commands::diff::parse_map)]
    pub(crate) map: Vec<(String, String)>,
    /// Let the script run on an active server; without it the script stops unless the server
    /// is in staging mode.
    #[arg(long)]
    pub(crate) allow_active: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub(crate) format: PlanFormat,
    /// Write the output to this file (atomically) instead of standard output. A script is
    /// written in UTF-8 with a byte-order mark, which Windows PowerShell 5.1 needs to read
    /// non-ASCII text.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

pub(crate) fn run(args: &PlanArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let current = source::load(&args.current, ctx)
        .with_context(|| format!("cannot read the current configuration {}", args.current))?;
    let desired = source::load(&args.desired, ctx)
        .with_context(|| format!("cannot read the desired configuration {}", args.desired))?;
    let options = PlanOptions {
        allow_active: args.allow_active,
        directory_map: args.map.clone(),
    };
    let plan = syncpolicy_powershell::plan(&current.config, &desired.config, &options)?;
    let out = match args.format {
        PlanFormat::Text => {
            syncpolicy_powershell::text::text(&plan, &current.label, &desired.label)
        }
        PlanFormat::Powershell => {
            syncpolicy_powershell::script::script(&plan, &current.label, &desired.label)
        }
    };
    match &args.output {
        Some(path) => {
            let mut bytes = Vec::with_capacity(out.len() + 3);
            if args.format == PlanFormat::Powershell {
                bytes.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
            }
            bytes.extend_from_slice(out.as_bytes());
            crate::output::write_file(path, &bytes)?;
            ctx.status(&format!(
                "{}, {}, {} ({})",
                syncpolicy_model::words::count(plan.steps.len(), "step", "steps"),
                syncpolicy_model::words::count(
                    plan.checklist.len(),
                    "checklist item",
                    "checklist items"
                ),
                syncpolicy_model::words::count(plan.warnings.len(), "warning", "warnings"),
                path.display()
            ));
        }
        None => crate::output::print_stdout(&out)?,
    }
    Ok(ExitCode::from(if plan.is_empty() {
        exit::OK
    } else {
        exit::FINDINGS
    }))
}
