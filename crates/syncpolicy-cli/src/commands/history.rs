//! `syncpolicy history`: list the deployment's changes, newest first (being built).

use crate::context::Context;
use std::process::ExitCode;

/// Arguments of `syncpolicy history`.
#[derive(Debug, clap::Args)]
pub(crate) struct HistoryArgs {}

pub(crate) fn run(_args: &HistoryArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`syncpolicy history` is not available in this build yet")
}
