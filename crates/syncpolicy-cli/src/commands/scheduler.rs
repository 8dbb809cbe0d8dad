//! `syncpolicy scheduler`: the sync cycle interval and whether the scheduler runs.

use crate::change::{self, ChangeArgs};
use crate::context::{Context, DeploymentArgs};
use std::process::ExitCode;
use syncpolicy_edit::directory;

/// Arguments of `syncpolicy scheduler`.
#[derive(Debug, clap::Args)]
pub(crate) struct SchedulerArgs {
    /// The sync cycle interval, hh:mm:ss or d.hh:mm:ss (at least 00:30:00).
    #[arg(long)]
    pub(crate) interval: Option<String>,
    /// Enable the scheduler.
    #[arg(long, conflicts_with = "disable")]
    pub(crate) enable: bool,
    /// Disable the scheduler.
    #[arg(long)]
    pub(crate) disable: bool,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

pub(crate) fn run(args: &SchedulerArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let enabled = if args.enable {
        Some(true)
    } else if args.disable {
        Some(false)
    } else {
        None
    };
    change::apply(ctx, &args.change, "scheduler", |c| {
        directory::set_scheduler(c, args.interval.as_deref(), enabled)
    })
}
