//! `syncpolicy show`: the "view current configuration" summary of a settings file, a folder's
//! newest snapshot, a legacy export or the deployment, as text or JSON.

use crate::context::Context;
use crate::exit;
use crate::output::{OutputFormat, Style};
use crate::source;
use std::process::ExitCode;
use syncpolicy_views::summary::{render_text, summarize, Summary};

/// Arguments of `syncpolicy show`.
#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// What to show: a settings file, a folder (its newest snapshot), a legacy export folder,
    /// or a deployment snapshot (@latest, @~N). Without it, the deployment's current
    /// configuration.
    #[arg(value_name = "SOURCE")]
    pub(crate) source: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
}

pub(crate) fn run(args: &ShowArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let reference = args.source.as_deref().unwrap_or("@latest");
    let loaded = source::load(reference, ctx)?;
    let mut summary = summarize(&loaded.config, &loaded.label);
    if reference.starts_with('@') {
        mark_credentials(&mut summary, ctx)?;
    }
    let out = match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&summary)? + "\n",
        OutputFormat::Text => render_text(&summary, &Style::new(ctx.color_stdout)),
    };
    crate::output::print_stdout(&out)?;
    Ok(ExitCode::from(exit::OK))
}

/// For a deployment, says per directory whether its credential is set (never what it is).
fn mark_credentials(summary: &mut Summary, ctx: &Context) -> anyhow::Result<()> {
    let home = syncpolicy_store::Home::new(crate::deployment::home_dir(ctx)?);
    let secrets = home.secrets()?;
    for d in &mut summary.directories {
        d.credential = match secrets.directory(&d.identifier) {
            Some(c) if c.precreated => "pre-created account",
            Some(c) if c.secret.is_some() => "set",
            _ => "not set",
        };
    }
    Ok(())
}
