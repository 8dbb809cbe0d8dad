//! `syncpolicy prune`: remove old automatic exports by a retention rule (keep the newest N,
//! or those newer than a date), as one logged operation. The newest change's export is never
//! removed, nor one that history still needs to answer `@~N` (a change the database cannot
//! rebuild) unless `--include-needed`. The configuration and history do not change.

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::output::{print_stdout, OutputFormat};
use anyhow::bail;
use std::process::ExitCode;
use syncpolicy_store::PruneRule;
use syncpolicy_views::prune::{render_text, Pruned};

/// Arguments of `syncpolicy prune`.
#[derive(Debug, clap::Args)]
pub(crate) struct PruneArgs {
    /// Keep the exports of the newest N changes (at least 1: the newest is always kept).
    #[arg(long, value_name = "N")]
    pub(crate) keep: Option<usize>,
    /// Keep the exports of changes made at or after this UTC date or time (ISO 8601, e.g.
    /// 2026-11-26 or 2026-11-26T08:15).
    #[arg(long, value_name = "DATE")]
    pub(crate) newer_than: Option<String>,
    /// Also remove exports that history still needs (changes made before the database
    /// recorded what changes replace: their export is the only copy, so `@~N` for them stops
    /// working).
    #[arg(long)]
    pub(crate) include_needed: bool,
    /// List what would be removed and remove nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
    /// Who prunes, for the operations log (default: the signed-in user).
    #[arg(long)]
    pub(crate) author: Option<String>,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

/// Checks a `--newer-than` value: an ISO 8601 date with an optional time, no zone (UTC).
fn check_date(s: &str) -> anyhow::Result<String> {
    let t = s.trim().trim_end_matches('Z');
    let b = t.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let date_ok = b.len() >= 10
        && (0..4).all(digit)
        && b[4] == b'-'
        && (5..7).all(digit)
        && b[7] == b'-'
        && (8..10).all(digit);
    let rest_ok = b.len() == 10
        || (b.get(10) == Some(&b'T')
            && b[11..]
                .iter()
                .all(|c| c.is_ascii_digit() || *c == b':' || *c == b'.'));
    if !date_ok || !rest_ok {
        bail!(
            "--newer-than {:?}: not a date\nhint: give a UTC date or time as `syncpolicy history` shows them, e.g. 2026-11-26 or 2026-11-26T08:15",
            crate::deployment::sanitize(s)
        );
    }
    Ok(t.to_owned())
}

pub(crate) fn run(args: &PruneArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if args.keep.is_none() && args.newer_than.is_none() {
        bail!("prune needs a retention rule\nhint: give --keep N (keep the newest N exports) or --newer-than DATE (keep those made since), or both (an export either rule keeps is kept)");
    }
    if args.keep == Some(0) {
        bail!("--keep 0 would remove the newest export, which is always kept\nhint: give --keep 1 or more");
    }
    let newer_than = args.newer_than.as_deref().map(check_date).transpose()?;
    let mut d = crate::deployment::open(ctx)?;
    let author = crate::deployment::author(args.author.as_deref());
    let out = d.prune(
        &author,
        &PruneRule {
            keep_newest: args.keep,
            newer_than,
            include_needed: args.include_needed,
            dry_run: args.dry_run,
        },
    )?;
    crate::deployment::tell(&mut d);
    let view = Pruned::new(
        args.dry_run,
        &out.removed,
        out.bytes,
        out.kept,
        &out.kept_needed,
    );
    let text = match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&view)? + "\n",
        OutputFormat::Text => render_text(&view),
    };
    print_stdout(&text)?;
    Ok(ExitCode::from(exit::OK))
}
