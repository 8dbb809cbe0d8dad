//! `syncpolicy schema`: print the JSON Schema of the settings file (built by
//! `syncpolicy_json::schema` from the key spellings the reader owns), for editors.

use crate::context::Context;
use crate::exit;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `syncpolicy schema`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Editors that read JSON Schema (VS Code: \"json.schemas\" in settings.json) then check and complete Applied-SynchronizationPolicy-*.json as you type."
)]
pub(crate) struct SchemaArgs {
    /// Write the schema to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

pub(crate) fn run(args: &SchemaArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let schema = syncpolicy_json::schema::settings_schema();
    let text = serde_json::to_string_pretty(&schema)? + "\n";
    crate::output::write_or_print(ctx, args.output.as_deref(), &text)?;
    Ok(ExitCode::from(exit::OK))
}
