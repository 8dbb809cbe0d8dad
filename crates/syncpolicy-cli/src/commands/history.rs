//! `syncpolicy history`: list the deployment's changes, newest first, with the snapshot
//! references (`@latest`, `@~N`) that `show`, `diff` and `verify` accept.

use crate::context::Context;
use crate::exit;
use crate::output::{OutputFormat, Style};
use serde::Serialize;
use std::fmt::Write as _;
use std::process::ExitCode;

/// Arguments of `syncpolicy history`.
#[derive(Debug, clap::Args)]
pub(crate) struct HistoryArgs {
    /// Show at most this many changes (newest first).
    #[arg(long, short = 'n', value_name = "N")]
    pub(crate) limit: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    /// `@latest`, `@~1`, ...
    reference: String,
    #[serde(flatten)]
    entry: syncpolicy_store::HistoryEntry,
}

pub(crate) fn run(args: &HistoryArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut d = crate::deployment::open(ctx)?;
    let history = d.history()?;
    let lines: Vec<Line> = history
        .into_iter()
        .enumerate()
        .take(args.limit.unwrap_or(usize::MAX))
        .map(|(i, entry)| Line {
            reference: if i == 0 {
                "@latest".to_owned()
            } else {
                format!("@~{i}")
            },
            entry,
        })
        .collect();
    let out = match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&lines)? + "\n",
        OutputFormat::Text => {
            let style = Style::new(ctx.color_stdout);
            let mut o = String::new();
            for l in &lines {
                let _ = writeln!(
                    o,
                    "{:<8} {}  {}  {}  {}",
                    l.reference,
                    style.dim(&l.entry.at),
                    style.bold(&l.entry.command),
                    l.entry.summary,
                    style.dim(&format!("by {}", l.entry.author))
                );
                let _ = writeln!(
                    o,
                    "         {}  sha256 {}",
                    l.entry.snapshot,
                    &l.entry.digest[..l.entry.digest.len().min(16)]
                );
            }
            o
        }
    };
    crate::output::print_stdout(&out)?;
    Ok(ExitCode::from(exit::OK))
}
