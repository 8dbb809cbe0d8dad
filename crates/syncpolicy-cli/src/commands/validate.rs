//! `syncpolicy validate`: check settings files (and other sources) before they are imported:
//! every finding with its code, place and what to do, as text, JSON or SARIF (rendered by
//! `syncpolicy_views::validation`).

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::source;
use anyhow::bail;
use clap::ValueEnum;
use std::collections::HashMap;
use std::process::ExitCode;
use syncpolicy_files::settings::LoadError;
use syncpolicy_lint::accept::{Acceptances, Accepted};
use syncpolicy_lint::select::Selection;
use syncpolicy_model::codes::CodeInfo;
use syncpolicy_model::diagnostic::{Diagnostic, Severity};
use syncpolicy_model::extension::AcceptedFinding;
use syncpolicy_report::{Counts, SarifRule};
use syncpolicy_views::{codes, validation};

/// Output format of `syncpolicy validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ValidateFormat {
    /// Readable text with an excerpt of the file at each finding.
    Text,
    /// JSON (see docs/diagnostics.md), for scripts.
    Json,
    /// SARIF 2.1.0, for CI systems that annotate files.
    Sarif,
}

/// Arguments of `syncpolicy validate`.
///
/// Prints every finding (it never stops at the first): its code, name, severity, message,
/// place in the file (JSON path, line, column, an excerpt) and what to do. Exit code 0 when
/// there is no error, 1 when there are errors (or warnings with --deny-warnings), 2 when a
/// source cannot be read.
#[derive(Debug, clap::Args)]
#[command(
    override_usage = "syncpolicy validate [OPTIONS] <SOURCE>...\n       syncpolicy validate --explain <CODE|all>\n       syncpolicy validate --list-rules"
)]
pub(crate) struct ValidateArgs {
    /// What to validate: settings files, folders (their newest snapshot), legacy
    /// Exported-ServerConfiguration-* folders, or deployment snapshots (@latest, @~N). At
    /// least one, unless --explain or --list-rules.
    #[arg(value_name = "SOURCE", required_unless_present_any = ["explain", "list_rules"])]
    pub(crate) sources: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub(crate) format: ValidateFormat,
    /// Layout of the text format: full (each finding with an excerpt of the file and what to
    /// do) or concise (one line per finding: FILE:LINE:COL: CODE message).
    #[arg(long, value_enum, value_name = "LAYOUT", default_value_t = OutputLayout::Full)]
    pub(crate) output_format: OutputLayout,
    /// Treat warnings as errors for the exit code (exit 1 on any warning that is not
    /// accepted).
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// Report only these codes: codes or beginnings of codes (SP010, SP01, ALL),
    /// comma-separated, repeatable. The most specific of --select and --ignore wins.
    #[arg(long, value_name = "CODES", action = clap::ArgAction::Append)]
    pub(crate) select: Vec<String>,
    /// Do not report these codes: codes or beginnings of codes (SP070, SP04),
    /// comma-separated, repeatable.
    #[arg(long, value_name = "CODES", action = clap::ArgAction::Append)]
    pub(crate) ignore: Vec<String>,
    /// Print how many findings each code has (most frequent first, with its title) instead
    /// of the findings.
    #[arg(long)]
    pub(crate) statistics: bool,
    /// Print the documentation of a code (validation, read error, migration or expression
    /// diagnostic; by code, e.g. SP010, or name) and exit; `all` lists every code.
    #[arg(long, value_name = "CODE", conflicts_with = "sources")]
    pub(crate) explain: Option<String>,
    /// List every code with its title and exit (the same as --explain all).
    #[arg(long, conflicts_with_all = ["sources", "explain"])]
    pub(crate) list_rules: bool,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

/// Layout of `validate`'s text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputLayout {
    /// Each finding with an excerpt of the file and what to do.
    Full,
    /// One line per finding: FILE:LINE:COL: CODE message.
    Concise,
}

pub(crate) fn run(args: &ValidateArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let codes = crate::codes::all();
    if args.list_rules {
        return explain("all", &codes, args.format);
    }
    if let Some(code) = &args.explain {
        return explain(code, &codes, args.format);
    }
    let selection = Selection::new(
        &args.select,
        &args.ignore,
        &crate::codes::validation_codes(&codes),
    )?;
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut accepted: Vec<Accepted> = Vec::new();
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut unreadable = false;
    // Sources that could not be read at all (their error is printed, no finding stands for
    // them): the summary counts only the sources validated, so it never contradicts an error.
    let mut not_read = 0usize;
    for src in &args.sources {
        match source::load(src, ctx) {
            Ok(mut loaded) => {
                let progress = crate::progress::Progress::spinner(
                    ctx,
                    format!(
                        "validating {}",
                        syncpolicy_views::escape::text(&loaded.label)
                    ),
                );
                let (found, acceptances) = match (loaded.text.take(), &loaded.path) {
                    (Some(text), Some(path)) => {
                        let name = path.display().to_string();
                        let unplaced = syncpolicy_lint::check_file_unplaced(
                            &loaded.config,
                            &text,
                            &loaded.spans,
                        );
                        let acceptances = Acceptances::of(&loaded.config);
                        // The model is done with: freed now, its memory serves the placing
                        // and the report (the peak is then the model or the findings, not
                        // both).
                        drop(std::mem::take(&mut loaded.config));
                        let found = unplaced.place(&text, &name);
                        // The text moves into the excerpts' table (no copy of the file).
                        texts.insert(name, text);
                        (found, acceptances)
                    }
                    _ => {
                        let mut found = syncpolicy_lint::check(&loaded.config);
                        for d in &mut found {
                            d.location.file = Some(loaded.label.clone());
                            for l in &mut d.labels {
                                l.location.file = Some(loaded.label.clone());
                            }
                        }
                        (found, Acceptances::of(&loaded.config))
                    }
                };
                drop(progress);
                let (kept, ok) = acceptances.split(found);
                diags.extend(kept);
                accepted.extend(ok);
            }
            Err(err) => {
                unreadable = true;
                match err.downcast_ref::<LoadError>() {
                    Some(LoadError::Read(read)) => {
                        // Keep the text for the excerpt when it can be decoded.
                        if let Ok(bytes) = std::fs::read(&read.file) {
                            if let Ok((text, _)) = syncpolicy_json::encoding::decode(&bytes) {
                                texts.insert(read.file.clone(), text.into_owned());
                            }
                        }
                        diags.push(read.to_diagnostic());
                    }
                    _ => {
                        not_read += 1;
                        ctx.print_error(&err);
                    }
                }
            }
        }
    }
    if !selection.is_everything() {
        diags.retain(|d| selection.allows(&d.code));
        accepted.retain(|a| selection.allows(&a.diagnostic.code));
    }
    let accepted_view: Vec<(&Diagnostic, &AcceptedFinding)> = accepted
        .iter()
        .map(|a| (&a.diagnostic, &a.acceptance))
        .collect();
    let counts = Counts::of(&diags);
    let sources = args.sources.len() - not_read;
    // Nothing was validated when no source could be read: the errors above are the whole
    // answer, so no text summary contradicts them.
    let nothing = args.format == ValidateFormat::Text && not_read == args.sources.len();
    let not_read_line = (not_read > 0 && !ctx.quiet).then(|| {
        format!(
            "{} could not be read (see the {} above)\n",
            syncpolicy_model::words::count(not_read, "source", "sources"),
            syncpolicy_model::words::plural_of(not_read, "error", "errors")
        )
    });
    if args.format == ValidateFormat::Text && !args.statistics && !nothing {
        // The long report streams to stdout as it is rendered.
        crate::output::write_stdout(|w| {
            match args.output_format {
                OutputLayout::Full => validation::write_text_accepted(
                    w,
                    &diags,
                    &accepted_view,
                    &texts,
                    ctx.color_stdout,
                    sources,
                    ctx.quiet,
                )?,
                OutputLayout::Concise => w.write_all(
                    validation::render_concise(&diags, &accepted_view, sources, ctx.quiet)
                        .as_bytes(),
                )?,
            }
            match &not_read_line {
                Some(line) => w.write_all(line.as_bytes()),
                None => Ok(()),
            }
        })?;
    } else if !nothing {
        let mut out = if args.statistics {
            let title = |code: &str| {
                codes
                    .iter()
                    .find(|c| c.code == code)
                    .map(|c| c.title.to_owned())
            };
            let stats = validation::statistics(&diags, title);
            let accepted_stats =
                validation::statistics(accepted.iter().map(|a| &a.diagnostic), title);
            match args.format {
                ValidateFormat::Json => {
                    validation::render_statistics_json(&stats, &accepted_stats, &diags)?
                }
                _ => validation::render_statistics_text(&stats, &accepted_stats, &diags, sources),
            }
        } else {
            match args.format {
                ValidateFormat::Sarif => validation::render_sarif(&diags, &sarif_rules())?,
                _ => validation::render_json_accepted(&diags, &accepted_view)?,
            }
        };
        if args.format == ValidateFormat::Text {
            if let Some(line) = &not_read_line {
                out.push_str(line);
            }
        }
        crate::output::print_stdout(&out)?;
    }
    drop(accepted_view);
    // The command ends here: freeing the findings and the files' texts piece by piece costs
    // more than the process's exit reclaiming them at once.
    let counts_errors = counts.errors;
    let counts_warnings = counts.warnings;
    std::mem::forget(diags);
    std::mem::forget(texts);
    let code = if unreadable {
        exit::ERROR
    } else if counts_errors > 0 || (args.deny_warnings && counts_warnings > 0) {
        exit::FINDINGS
    } else {
        exit::OK
    };
    Ok(ExitCode::from(code))
}

/// `--explain CODE` (or `all`, `--list-rules`): the documentation of a code, or the list
/// of every code.
fn explain(code: &str, codes: &[CodeInfo], format: ValidateFormat) -> anyhow::Result<ExitCode> {
    let json = format == ValidateFormat::Json;
    if code.trim().eq_ignore_ascii_case("all") {
        let out = if json {
            codes::render_list_json(codes)?
        } else {
            codes::render_list(codes)
        };
        crate::output::print_stdout(&out)?;
        return Ok(ExitCode::from(exit::OK));
    }
    // A code names one entry; a name may be shared by two families (invalid-encoding).
    let by_code: Vec<&CodeInfo> = codes
        .iter()
        .filter(|c| c.code.eq_ignore_ascii_case(code.trim()))
        .collect();
    let found: Vec<&CodeInfo> = if by_code.is_empty() {
        codes.iter().filter(|c| c.is(code)).collect()
    } else {
        by_code
    };
    if found.is_empty() {
        let names = codes.iter().flat_map(|c| [c.code, c.name]);
        let mut message = format!("there is no code {:?}", code.trim());
        if let Some(hint) = syncpolicy_model::suggest::hint(code.trim(), names, "codes") {
            message.push_str(&format!("\nhint: {hint}"));
        }
        message.push_str("\nhint: `syncpolicy validate --explain all` lists every code");
        bail!(message);
    }
    let out = if json {
        codes::render_explain_json(&found)?
    } else {
        codes::render_explain_all_of(&found)
    };
    crate::output::print_stdout(&out)?;
    Ok(ExitCode::from(exit::OK))
}

/// The SARIF rule table: every validation rule plus the read errors.
fn sarif_rules() -> Vec<SarifRule> {
    let mut rules: Vec<SarifRule> = syncpolicy_lint::registry()
        .iter()
        .map(|r| SarifRule {
            code: r.code.to_owned(),
            name: r.name.to_owned(),
            severity: r.severity,
            summary: r.summary.to_owned(),
            description: format!("{}\n\n{}", r.what, r.why),
            help: r.fix.to_owned(),
        })
        .collect();
    rules.extend(
        syncpolicy_json::error::codes()
            .into_iter()
            .map(|c| SarifRule {
                code: c.code.to_owned(),
                name: c.name.to_owned(),
                severity: Severity::Error,
                summary: c.title.to_owned(),
                description: format!(
                    "{}; the file cannot be read, so no other check runs on it",
                    c.title
                ),
                help: c.fix,
            }),
    );
    rules
}
