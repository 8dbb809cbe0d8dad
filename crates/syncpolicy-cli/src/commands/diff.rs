//! `syncpolicy diff`: compare two configurations: what changed, classified, with an exit code
//! for CI. Outputs (rendered by `syncpolicy_views::diff`): text (default), JSON (schema in
//! docs/diff-format.md), Markdown (pull requests, tickets) and a self-contained HTML page.

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::output::Style;
use crate::source;
use anyhow::Context as _;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_diff::{DiffOptions, Filter};
use syncpolicy_views::diff::{
    render_html, render_json, render_markdown, render_text, summary_line, Report, ReportLinks,
};

/// The changes of a diff as the text report lists them (`--dry-run` of the change commands).
pub(crate) use syncpolicy_views::diff::render_changes_text;

/// Output format of `syncpolicy diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// Readable text: a summary line, then the changes grouped by area.
    Text,
    /// JSON, for scripts and CI (schema: docs/diff-format.md).
    Json,
    /// Markdown, for pull requests and tickets.
    Markdown,
    /// One self-contained HTML page with filters (write it with -o).
    Html,
}

/// Arguments of `syncpolicy diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {
    /// The old side: a settings file, a folder (its newest snapshot), a legacy
    /// Exported-ServerConfiguration-* folder, or a deployment snapshot (@latest, @~N).
    #[arg(value_name = "OLD")]
    pub(crate) old: String,
    /// The new side, any source as for OLD.
    #[arg(value_name = "NEW")]
    pub(crate) new: String,
    /// Pair two on-premises directories whose names differ (another forest, another
    /// tenant): OLD=NEW, each a directory name or identifier. Repeat for more pairs.
    #[arg(long = "map", value_name = "OLD=NEW", value_parser = parse_map)]
    pub(crate) map: Vec<(String, String)>,
    /// Also list identifier (GUID) differences. Servers regenerate identifiers, so these are
    /// never counted as changes.
    #[arg(long)]
    pub(crate) show_ids: bool,
    /// Hide product changes: standard-rule tag version bumps and precedence renumbering
    /// that come with upgrades and connector additions.
    #[arg(long)]
    pub(crate) hide_product: bool,
    /// Show everything, including metadata (time created, author, host, version, database,
    /// service account, digest).
    #[arg(long)]
    pub(crate) all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub(crate) format: DiffFormat,
    /// Write the output to this file (atomically) instead of standard output. With --format
    /// html, an existing folder: writes diff.html and report.html (the documentation report of
    /// the new side) into it, each changed rule of the diff linked to its place in the report.
    #[arg(long, short = 'o', value_name = "FILE|FOLDER")]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

/// File names written into a folder given to `-o` with `--format html`.
const DIFF_PAGE: &str = "diff.html";
const REPORT_PAGE: &str = "report.html";

pub(crate) fn parse_map(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_owned(), b.trim().to_owned()))
        }
        _ => Err(format!(
            "{text:?} is not OLD=NEW\nhint: name a directory of each side, e.g. --map fabrikam.com=adatum.com"
        )),
    }
}

pub(crate) fn run(args: &DiffArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let old = source::load(&args.old, ctx)
        .with_context(|| format!("cannot read the old side {}", args.old))?;
    let new = source::load(&args.new, ctx)
        .with_context(|| format!("cannot read the new side {}", args.new))?;
    let options = DiffOptions {
        directory_map: args.map.clone(),
        show_ids: args.show_ids,
    };
    syncpolicy_diff::check_options(&old.config, &new.config, &options)?;
    let full = {
        let _progress = crate::progress::Progress::spinner(ctx, "comparing");
        syncpolicy_diff::diff(&old.config, &new.config, &options)
    };
    let filter = Filter {
        product: !args.hide_product,
        metadata: args.all,
    };
    let shown = full.filtered(&filter);
    let folder = args.output.as_deref().filter(|p| p.is_dir());
    if folder.is_some() && args.format != DiffFormat::Html {
        anyhow::bail!(
            "-o names a folder, which only --format html writes into (diff.html and report.html)\nhint: give a file name, or add --format html"
        );
    }
    let anchors = syncpolicy_views::document::rule_anchors(&new.config);
    let report = Report {
        old: &old.label,
        new: &new.label,
        full: &full,
        shown: &shown,
        filter,
        show_ids: args.show_ids,
        report_links: folder.map(|_| ReportLinks {
            file: REPORT_PAGE,
            anchors: &anchors,
        }),
    };
    if let Some(folder) = folder {
        let doc = crate::commands::show::document(&new)?;
        for (name, page) in [
            (
                REPORT_PAGE,
                syncpolicy_views::document_html::render_html(&doc),
            ),
            (DIFF_PAGE, render_html(&report)),
        ] {
            let path = folder.join(name);
            crate::output::write_file(&path, page.as_bytes())?;
        }
        ctx.status(&format!(
            "{} ({} and {} in {})",
            summary_line(&report),
            DIFF_PAGE,
            REPORT_PAGE,
            folder.display()
        ));
        return Ok(ExitCode::from(if shown.is_empty() {
            exit::OK
        } else {
            exit::FINDINGS
        }));
    }
    let to_file = args.output.is_some();
    let out = match args.format {
        DiffFormat::Text => render_text(&report, &Style::new(ctx.color_stdout && !to_file)),
        DiffFormat::Json => render_json(&report)?,
        DiffFormat::Markdown => render_markdown(&report),
        DiffFormat::Html => render_html(&report),
    };
    match &args.output {
        Some(path) => {
            crate::output::write_file(path, out.as_bytes())?;
            ctx.status(&format!("{} ({})", summary_line(&report), path.display()));
        }
        None => crate::output::print_stdout(&out)?,
    }
    Ok(ExitCode::from(if shown.is_empty() {
        exit::OK
    } else {
        exit::FINDINGS
    }))
}
