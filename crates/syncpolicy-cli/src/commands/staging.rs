//! `syncpolicy staging`: turn staging mode on or off (a change: validated, exported, recorded
//! in history).

use crate::context::Context;
use crate::exit;
use clap::ValueEnum;
use std::process::ExitCode;

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum State {
    On,
    Off,
}

/// Arguments of `syncpolicy staging`.
#[derive(Debug, clap::Args)]
pub(crate) struct StagingArgs {
    /// `on`: the server imports and synchronizes but exports nothing (a standby server);
    /// `off`: the server exports (the active server).
    #[arg(value_enum)]
    pub(crate) state: State,
    /// Who makes the change (default: the OS user).
    #[arg(long, value_name = "NAME")]
    pub(crate) author: Option<String>,
}

pub(crate) fn run(args: &StagingArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let on = args.state == State::On;
    let command = if on { "staging on" } else { "staging off" };
    crate::deployment::apply(ctx, args.author.as_deref(), command, |c| {
        syncpolicy_edit::directory::set_staging(c, on)
    })?;
    Ok(ExitCode::from(exit::OK))
}
