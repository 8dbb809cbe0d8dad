//! `syncpolicy validate`: check settings files before they are imported: every finding with its code, place and what to do (being built).

use crate::context::Context;
use std::process::ExitCode;

/// Arguments of `syncpolicy validate`.
#[derive(Debug, clap::Args)]
pub(crate) struct ValidateArgs {}

pub(crate) fn run(_args: &ValidateArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`syncpolicy validate` is not available in this build yet")
}
