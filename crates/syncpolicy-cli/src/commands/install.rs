//! `syncpolicy install`: create a deployment: express settings, or import a settings file (--import) or a legacy folder (--migrate) (being built).

use crate::context::Context;
use std::process::ExitCode;

/// Arguments of `syncpolicy install`.
#[derive(Debug, clap::Args)]
pub(crate) struct InstallArgs {}

pub(crate) fn run(_args: &InstallArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`syncpolicy install` is not available in this build yet")
}
