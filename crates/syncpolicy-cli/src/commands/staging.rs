//! `syncpolicy staging`: turn staging mode on or off (being built).

use crate::context::Context;
use std::process::ExitCode;

/// Arguments of `syncpolicy staging`.
#[derive(Debug, clap::Args)]
pub(crate) struct StagingArgs {}

pub(crate) fn run(_args: &StagingArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`syncpolicy staging` is not available in this build yet")
}
