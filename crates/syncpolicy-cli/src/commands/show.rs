//! `syncpolicy show`: the "view current configuration" summary of a settings file, a folder's
//! newest snapshot, a legacy export or the deployment, as text or JSON; or the documentation
//! report of the whole configuration as Markdown or one self-contained HTML page (rendered by
//! `syncpolicy_views::summary`, `document` and `document_html`).

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::output::Style;
use crate::source;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_model::diagnostic::Diagnostic;
use syncpolicy_views::document::{self, Document};
use syncpolicy_views::summary::{render_text, summarize, Summary};

/// Output format of `syncpolicy show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ShowFormat {
    /// The one-page summary as readable text.
    Text,
    /// The summary as JSON, for scripts.
    Json,
    /// The documentation report (every section, rule and end-to-end flow) as Markdown.
    Markdown,
    /// The documentation report as one self-contained HTML page with filters (write it with -o).
    Html,
}

/// Arguments of `syncpolicy show`.
#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// What to show: a settings file, a folder (its newest snapshot), a legacy export folder,
    /// or a deployment snapshot (@latest, @~N). Without it, the deployment's current
    /// configuration.
    #[arg(value_name = "SOURCE")]
    pub(crate) source: Option<String>,
    /// Output format: the summary (text, json) or the documentation report (markdown, html).
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub(crate) format: ShowFormat,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

pub(crate) fn run(args: &ShowArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let reference = args.source.as_deref().unwrap_or("@latest");
    let reading = syncpolicy_store::timing::phase("read source");
    let mut loaded = source::load(reference, ctx)?;
    drop(reading);
    let to_file = args.output.is_some();
    let out = match args.format {
        ShowFormat::Text | ShowFormat::Json => {
            // The summary needs the model only: the file's text is freed before it is built
            // (its memory serves the summary and its rendering; docs/performance.md).
            drop(loaded.text.take());
            let mut summary = summarize(&loaded.config, &loaded.label);
            if reference.starts_with('@') {
                mark_credentials(&mut summary, ctx)?;
            }
            if args.format == ShowFormat::Json {
                serde_json::to_string_pretty(&summary)? + "\n"
            } else {
                render_text(&summary, &Style::new(ctx.color_stdout && !to_file))
            }
        }
        ShowFormat::Markdown | ShowFormat::Html => return write_report(args, ctx, loaded),
    };
    match &args.output {
        Some(path) => {
            crate::output::write_file(path, out.as_bytes())?;
            ctx.status(&format!("wrote {}", path.display()));
        }
        None => crate::output::print_stdout(&out)?,
    }
    // The command ends here: freeing the whole model (and the file's text) piece by piece
    // costs more than the process's exit reclaiming it at once.
    std::mem::forget(loaded);
    Ok(ExitCode::from(exit::OK))
}

/// Writes the documentation report of a loaded source as it is rendered (a large report is
/// never held whole).
fn write_report(
    args: &ShowArgs,
    ctx: &Context,
    mut loaded: source::Loaded,
) -> anyhow::Result<ExitCode> {
    let html = args.format == ShowFormat::Html;
    // The file's text serves `validate` only: the validating thread takes it, and it is freed
    // once the findings are placed, so that the rendering after it uses its memory again
    // instead of fresh memory (docs/performance.md, the report's eighth pass).
    let text = loaded.text.take();
    let (doc, Ahead { flows, rules }) = document_ahead(&loaded, text, Some(html))?;
    let rendering = syncpolicy_store::timing::phase("render and write");
    let write = |out: &mut dyn std::io::Write| {
        if html {
            syncpolicy_views::document_html::write_html_ahead(
                &doc,
                flows.as_ref(),
                rules.as_ref(),
                out,
            )
        } else {
            syncpolicy_views::document::write_markdown_ahead(
                &doc,
                flows.as_ref(),
                rules.as_ref(),
                out,
            )?;
            out.write_all(b"\n")
        }
    };
    match &args.output {
        Some(path) => {
            crate::output::write_file_with(path, write)?;
            ctx.status(&format!("wrote {}", path.display()));
        }
        None => crate::output::write_stdout(write)?,
    }
    drop(rendering);
    crate::output::print_timings();
    // The command ends here: freeing the report's many small strings (and the model and the
    // file's text) one by one costs more than the process's exit reclaiming them at once.
    std::mem::forget(flows);
    std::mem::forget(rules);
    std::mem::forget(doc);
    std::mem::forget(loaded);
    Ok(ExitCode::from(exit::OK))
}

/// The documentation report of a loaded source; `validate` runs on a second thread meanwhile.
pub(crate) fn document(loaded: &source::Loaded) -> anyhow::Result<Document<'_>> {
    document_ahead(loaded, None, None).map(|(doc, _)| doc)
}

/// What of a report [`document_ahead`] rendered while `validate` ran.
#[derive(Default)]
struct Ahead {
    /// The first flows: as many as were rendered before `validate` ended.
    flows: Option<document::RenderedFlows>,
    /// The first rules, without their findings' links: as many as were rendered before
    /// `validate` ended.
    rules: Option<document::RenderedRules>,
}

/// [`document`], and, for a report to be written as HTML (`Some(true)`) or Markdown
/// (`Some(false)`), what does not depend on the findings rendered while `validate` runs:
/// the flows, then the rules (each without its findings' links), until `validate` is done.
/// `taken` is the file's text when the caller took it out of `loaded`: it is freed once the
/// findings are placed (on this thread, which read it; freeing it on the validating thread
/// instead was not measured to differ); else `loaded`'s own text serves.
fn document_ahead(
    loaded: &source::Loaded,
    taken: Option<String>,
    ahead: Option<bool>,
) -> anyhow::Result<(Document<'_>, Ahead)> {
    std::thread::scope(|s| {
        let lint = s.spawn(move || {
            let text = taken.as_ref().or(loaded.text.as_ref());
            (findings(loaded, text), taken)
        });
        let building = syncpolicy_store::timing::phase("build report");
        let mut doc = document::build_without_findings(&loaded.config, &loaded.label);
        drop(building);
        let mut rendered = Ahead::default();
        if let Some(html) = ahead {
            // Only while `validate` runs: what is not rendered by then is rendered on every
            // core when the page is written.
            let done = || lint.is_finished();
            let t = syncpolicy_store::timing::phase("render flows");
            rendered.flows = Some(if html {
                syncpolicy_views::document_html::render_flows(&doc, &done)
            } else {
                document::render_flows_markdown(&doc, &done)
            });
            drop(t);
            if !done() {
                let _t = syncpolicy_store::timing::phase("render rules ahead");
                rendered.rules = Some(if html {
                    syncpolicy_views::document_html::render_rules(&doc, &done)
                } else {
                    document::render_rules_markdown(&doc, &done)
                });
            }
        }
        let (found, taken) = lint
            .join()
            .map_err(|_| anyhow::anyhow!("the validation of the report stopped unexpectedly"))?;
        drop(taken);
        let _t = syncpolicy_store::timing::phase("attach findings");
        // Accepted findings come after the others, marked with their reason.
        let (mut found, accepted) = syncpolicy_lint::accept::split_accepted(&loaded.config, found);
        let first_accepted = found.len();
        found.extend(accepted.iter().map(|a| a.diagnostic.clone()));
        document::attach_diagnostics(&mut doc, found);
        let marks: Vec<(usize, &syncpolicy_model::extension::AcceptedFinding)> = accepted
            .iter()
            .enumerate()
            .map(|(i, a)| (first_accepted + i, &a.acceptance))
            .collect();
        document::mark_accepted(&mut doc, &marks);
        Ok((doc, rendered))
    })
}

/// The findings of `validate` for a loaded source (with positions when it is a file whose
/// text is `text`).
fn findings(loaded: &source::Loaded, text: Option<&String>) -> Vec<Diagnostic> {
    match (text, &loaded.path) {
        (Some(text), Some(path)) => {
            // `check_file_spans` in its two halves, timed apart.
            let t = syncpolicy_store::timing::phase("validate");
            let unplaced =
                syncpolicy_lint::check_file_unplaced(&loaded.config, text, &loaded.spans);
            drop(t);
            let _t = syncpolicy_store::timing::phase("place findings");
            unplaced.place(text, &path.display().to_string())
        }
        _ => syncpolicy_lint::check(&loaded.config),
    }
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
