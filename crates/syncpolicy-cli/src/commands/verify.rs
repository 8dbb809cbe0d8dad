//! `syncpolicy verify`: check after installation that the deployment matches the settings file it was imported from (being built).

use crate::context::Context;
use std::process::ExitCode;

/// Arguments of `syncpolicy verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {}

pub(crate) fn run(_args: &VerifyArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`syncpolicy verify` is not available in this build yet")
}
