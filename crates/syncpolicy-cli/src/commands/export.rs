//! `syncpolicy export`: write the deployment's current configuration to a folder (disaster recovery) (being built).

use crate::context::Context;
use std::process::ExitCode;

/// Arguments of `syncpolicy export`.
#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {}

pub(crate) fn run(_args: &ExportArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`syncpolicy export` is not available in this build yet")
}
