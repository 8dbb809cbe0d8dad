//! `syncpolicy staging`: turn staging mode on or off (a change: validated, exported, recorded
//! in history).

use crate::change::{self, ChangeArgs, OnOff};
use crate::context::{Context, DeploymentArgs};
use std::process::ExitCode;

/// Arguments of `syncpolicy staging`.
#[derive(Debug, clap::Args)]
pub(crate) struct StagingArgs {
    /// `on`: the server imports and synchronizes but exports nothing (a standby server);
    /// `off`: the server exports (the active server).
    #[arg(value_enum)]
    pub(crate) state: OnOff,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

pub(crate) fn run(args: &StagingArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let on = args.state.on();
    let command = if on { "staging on" } else { "staging off" };
    change::apply(ctx, &args.change, command, |c| {
        syncpolicy_edit::directory::set_staging(c, on)
    })
}
