//! `syncpolicy history`: list the deployment's changes, newest first, with the snapshot
//! references (`@latest`, `@~N`) that `show`, `diff` and `verify` accept (rendered by
//! `syncpolicy_views::history`).

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::output::{OutputFormat, Style};
use std::process::ExitCode;
use syncpolicy_views::history;

/// Arguments of `syncpolicy history`.
#[derive(Debug, clap::Args)]
pub(crate) struct HistoryArgs {
    /// Show at most this many changes (newest first).
    #[arg(long, short = 'n', value_name = "N")]
    pub(crate) limit: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

pub(crate) fn run(args: &HistoryArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut d = crate::deployment::open(ctx)?;
    let entries = d
        .history()?
        .iter()
        .map(crate::deployment::entry_view)
        .collect::<Vec<_>>();
    let lines = history::lines(entries, args.limit);
    let out = match args.format {
        OutputFormat::Json => history::render_json(&lines)?,
        OutputFormat::Text => history::render_text(&lines, &Style::new(ctx.color_stdout)),
    };
    crate::output::print_stdout(&out)?;
    Ok(ExitCode::from(exit::OK))
}
