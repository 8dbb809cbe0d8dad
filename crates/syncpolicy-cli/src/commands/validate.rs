//! `syncpolicy validate`: check settings files (and other sources) before they are imported:
//! every finding with its code, place and what to do, as text, JSON or SARIF (rendered by
//! `syncpolicy_views::validation`).

use crate::context::Context;
use crate::exit;
use crate::source;
use anyhow::bail;
use clap::ValueEnum;
use std::collections::HashMap;
use std::process::ExitCode;
use syncpolicy_files::settings::LoadError;
use syncpolicy_json::error::ReadErrorKind;
use syncpolicy_model::diagnostic::{Diagnostic, Severity};
use syncpolicy_report::{Counts, SarifRule};
use syncpolicy_views::validation;

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
pub(crate) struct ValidateArgs {
    /// What to validate: settings files, folders (their newest snapshot), legacy
    /// Exported-ServerConfiguration-* folders, or deployment snapshots (@latest, @~N).
    #[arg(value_name = "SOURCE", required_unless_present = "explain")]
    pub(crate) sources: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub(crate) format: ValidateFormat,
    /// Treat warnings as errors for the exit code.
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// Print the documentation of a rule (by code, e.g. SP010, or name) and exit.
    #[arg(long, value_name = "CODE", conflicts_with = "sources")]
    pub(crate) explain: Option<String>,
}

pub(crate) fn run(args: &ValidateArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut unreadable = false;
    for src in &args.sources {
        match source::load(src, ctx) {
            Ok(mut loaded) => {
                let found = match (loaded.text.take(), &loaded.path) {
                    (Some(text), Some(path)) => {
                        let name = path.display().to_string();
                        let found = syncpolicy_lint::check_file_spans(
                            &loaded.config,
                            &text,
                            &loaded.spans,
                            &name,
                        );
                        // The text moves into the excerpts' table (no copy of the file).
                        texts.insert(name, text);
                        found
                    }
                    _ => {
                        let mut found = syncpolicy_lint::check(&loaded.config);
                        for d in &mut found {
                            d.location.file = Some(loaded.label.clone());
                            for l in &mut d.labels {
                                l.location.file = Some(loaded.label.clone());
                            }
                        }
                        found
                    }
                };
                diags.extend(found);
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
                    _ => ctx.print_error(&err),
                }
            }
        }
    }
    let counts = Counts::of(&diags);
    match args.format {
        ValidateFormat::Text => crate::output::write_stdout(|w| {
            validation::write_text(
                w,
                &diags,
                &texts,
                ctx.color_stdout,
                args.sources.len(),
                ctx.quiet,
            )
        })?,
        ValidateFormat::Json => crate::output::print_stdout(&validation::render_json(&diags)?)?,
        ValidateFormat::Sarif => {
            crate::output::print_stdout(&validation::render_sarif(&diags, &sarif_rules())?)?
        }
    }
    // The command ends here: freeing the findings and the files' texts piece by piece costs
    // more than the process's exit reclaiming them at once.
    std::mem::forget(diags);
    std::mem::forget(texts);
    let code = if unreadable {
        exit::ERROR
    } else if counts.errors > 0 || (args.deny_warnings && counts.warnings > 0) {
        exit::FINDINGS
    } else {
        exit::OK
    };
    Ok(ExitCode::from(code))
}

fn explain(code: &str) -> anyhow::Result<ExitCode> {
    if let Some(rule) = syncpolicy_lint::registry::find(code) {
        crate::output::print_stdout(&syncpolicy_lint::registry::explain(rule))?;
        return Ok(ExitCode::from(exit::OK));
    }
    if let Some((c, name, summary)) = read_errors().into_iter().find(|(c, n, _)| {
        c.eq_ignore_ascii_case(code.trim()) || n.eq_ignore_ascii_case(code.trim())
    }) {
        crate::output::print_stdout(&format!(
            "{c} {name} (error)\n{summary}\n\nThis is a read error: the file cannot be read at all, so no other check runs on it. The message says what was found and where; the hint says what to do.\n"
        ))?;
        return Ok(ExitCode::from(exit::OK));
    }
    if let Some(text) = explain_migration(code.trim()) {
        crate::output::print_stdout(&text)?;
        return Ok(ExitCode::from(exit::OK));
    }
    let registry = syncpolicy_lint::registry();
    bail!(
        "there is no rule {code:?}\nhint: the codes are {}-{} and SP901-SP907 (see docs/rules.md), and SP301-SP355 of migration (see docs/migration.md)",
        registry.first().map_or("SP001", |r| r.code),
        registry.last().map_or("SP001", |r| r.code)
    )
}

/// A code of the migration report (SP301-SP334) or of an error that stops a migration
/// (SP350-SP355), explained.
fn explain_migration(code: &str) -> Option<String> {
    let same = |c: &str, n: &str| c.eq_ignore_ascii_case(code) || n.eq_ignore_ascii_case(code);
    if let Some((c, n, class, summary)) = syncpolicy_legacy::report::codes::ALL
        .iter()
        .find(|(c, n, _, _)| same(c, n))
    {
        return Some(format!(
            "{c} {n} (migration report: {})\n{summary}\n\nAn item of the report of `syncpolicy migrate` (see docs/migration.md); the message names the file and element, the hint says what to do.\n",
            class.label()
        ));
    }
    syncpolicy_legacy::error::CODES
        .iter()
        .find(|(c, n, _)| same(c, n))
        .map(|(c, n, summary)| {
            format!(
                "{c} {n} (error)\n{summary}\n\nAn error that stops `syncpolicy migrate` (and every command reading a legacy folder): nothing is written. The message names the file, the XML element, line and column; the hint says what to do (see docs/migration.md).\n"
            )
        })
}

/// The read errors of settings files, as (code, name, summary).
fn read_errors() -> Vec<(&'static str, &'static str, &'static str)> {
    [
        (ReadErrorKind::Empty, "the settings file is empty"),
        (
            ReadErrorKind::Truncated,
            "the settings file ends before its JSON is complete",
        ),
        (
            ReadErrorKind::NotJson,
            "the settings file is not valid JSON",
        ),
        (
            ReadErrorKind::WrongType,
            "a value of the settings file has the wrong type",
        ),
        (
            ReadErrorKind::Encoding,
            "the settings file is neither UTF-8 nor UTF-16 with a byte-order mark",
        ),
        (
            ReadErrorKind::DuplicateKey,
            "a key appears twice in one object of the settings file",
        ),
        (
            ReadErrorKind::TooDeep,
            "arrays and objects of the settings file nest more than 128 levels deep",
        ),
    ]
    .into_iter()
    .map(|(kind, summary)| {
        let (code, name) = kind.code();
        (code, name, summary)
    })
    .collect()
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
        read_errors()
            .into_iter()
            .map(|(code, name, summary)| SarifRule {
                code: code.to_owned(),
                name: name.to_owned(),
                severity: Severity::Error,
                summary: summary.to_owned(),
                description: format!(
                    "{summary}; the file cannot be read, so no other check runs on it"
                ),
                help: "see the hint of the finding".to_owned(),
            }),
    );
    rules
}
