//! The command table: one module per subcommand, each with `<Name>Args` and `run`.

use crate::context::{Context, GlobalArgs};
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Synchronization settings management for Entra Connect-style directory sync servers.
///
/// Catalog, show, validate, compare, migrate and import the complete configuration of a
/// synchronization server. Exit codes: 0 ok, 1 differences or findings, 2 error.
#[derive(Debug, Parser)]
#[command(name = "syncpolicy", version, about, long_about)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
}

pub(crate) fn run(command: &Command, ctx: &Context) -> anyhow::Result<ExitCode> {
    let _ = ctx;
    match *command {}
}
