//! `syncpolicy export`: write the deployment's current configuration to a folder (disaster
//! recovery), as `Exported-SynchronizationPolicy-<timestamp>.json`. An export is not a change:
//! it adds no history entry.

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::output::OutputFormat;
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_views::export::{self, Exported, ExportedDirectory};

/// Arguments of `syncpolicy export`.
#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// Folder to write to (created when missing), e.g. a protected disaster-recovery share.
    /// Default: the deployment's exports/ folder.
    #[arg(long = "output", short = 'o', alias = "out", value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Output format: the written path as text, or as JSON with the snapshot's file name,
    /// time and change (`syncpolicy-export/1`).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

pub(crate) fn run(args: &ExportArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut d = crate::deployment::open(ctx)?;
    let dir = args.out.clone().unwrap_or_else(|| d.home().exports());
    let (path, at) = d.export_timed(&dir)?;
    let change = d.history()?.first().map(|e| e.id);
    let config = d.current()?;
    let secrets = d.home().secrets()?;
    let mut directories = Vec::new();
    for dir in &config.onpremises_directories {
        let credential = match secrets.directory(&dir.unique_identifier) {
            Some(c) if c.precreated => "pre-created account",
            Some(_) => "set",
            None => "not set",
        };
        directories.push(ExportedDirectory {
            name: &dir.name,
            account: dir.account.as_deref(),
            credential,
        });
    }
    if args.format == OutputFormat::Text {
        for x in &directories {
            let credential = match x.credential {
                "set" => "credential set",
                "not set" => "no credential set",
                other => other,
            };
            ctx.status(&format!(
                "  {}: account {} ({credential}; secrets are never exported)",
                x.name,
                x.account.unwrap_or("(not set)")
            ));
        }
        ctx.status("this export is not a change and adds no history entry");
    }
    let view = Exported::new(
        path.display().to_string(),
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        at.iso(),
        change,
        directories,
    );
    let out = match args.format {
        OutputFormat::Json => export::render_json(&view)?,
        OutputFormat::Text => export::render_text(&view),
    };
    crate::output::print_stdout(&out)?;
    Ok(ExitCode::from(exit::OK))
}
