//! `syncpolicy export`: write the deployment's current configuration to a folder (disaster
//! recovery), as `Exported-SynchronizationPolicy-<timestamp>.json`. An export is not a change:
//! it adds no history entry.

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `syncpolicy export`.
#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// Folder to write to (created when missing), e.g. a protected disaster-recovery share.
    /// Default: the deployment's exports/ folder.
    #[arg(long = "output", short = 'o', alias = "out", value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

pub(crate) fn run(args: &ExportArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut d = crate::deployment::open(ctx)?;
    let dir = args.out.clone().unwrap_or_else(|| d.home().exports());
    let path = d.export_to(&dir)?;
    let config = d.current()?;
    let secrets = d.home().secrets()?;
    for dir in &config.onpremises_directories {
        let credential = match secrets.directory(&dir.unique_identifier) {
            Some(c) if c.precreated => "pre-created account",
            Some(_) => "credential set",
            None => "no credential set",
        };
        ctx.status(&format!(
            "  {}: account {} ({credential}; secrets are never exported)",
            dir.name,
            dir.account.as_deref().unwrap_or("(not set)")
        ));
    }
    ctx.status("this export is not a change and adds no history entry");
    crate::output::print_stdout(&format!("{}\n", path.display()))?;
    Ok(ExitCode::from(exit::OK))
}
