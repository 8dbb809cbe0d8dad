//! `syncpolicy diff`: compare two configurations: what changed, classified, with an exit code for CI (being built).

use crate::context::Context;
use std::process::ExitCode;

/// Arguments of `syncpolicy diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {}

pub(crate) fn run(_args: &DiffArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`syncpolicy diff` is not available in this build yet")
}
