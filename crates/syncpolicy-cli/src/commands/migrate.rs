//! `syncpolicy migrate`: turn a legacy Exported-ServerConfiguration-* folder into a settings file (being built).

use crate::context::Context;
use std::process::ExitCode;

/// Arguments of `syncpolicy migrate`.
#[derive(Debug, clap::Args)]
pub(crate) struct MigrateArgs {}

pub(crate) fn run(_args: &MigrateArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`syncpolicy migrate` is not available in this build yet")
}
