//! `syncpolicy expr`: check or evaluate one declarative-provisioning expression.
//!
//! `expr check EXPR` prints every syntax and checker diagnostic with a caret under it (exit 1
//! when there is an error). `expr eval EXPR --object FILE --param NAME=VALUE` evaluates against
//! one object (JSON or a single LDIF entry) and prints the result with its type (exit 1 when
//! the expression is invalid or the evaluation fails, e.g. `Error(...)`).

use crate::context::Context;
use crate::exit;
use anyhow::{bail, Context as _};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_expr::check::CheckContext;
use syncpolicy_expr::diagnostic::{render, ExprDiagnostic, Severity};
use syncpolicy_expr::env::{Env, Parameters};
use syncpolicy_expr::eval::EvalErrorKind;
use syncpolicy_expr::object::{parse_object, ObjectInput};
use syncpolicy_expr::time::DateTime;
use syncpolicy_expr::value::Value;
use syncpolicy_views::expr_result;

/// Check or evaluate a declarative-provisioning expression.
#[derive(Debug, Args)]
pub(crate) struct ExprArgs {
    #[command(subcommand)]
    pub(crate) command: ExprCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ExprCommand {
    /// Parse and check an expression; print every problem with its position.
    Check(CheckArgs),
    /// Evaluate an expression against one object and print the result with its type.
    Eval(EvalArgs),
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Readable text, with a caret under each problem.
    Text,
    /// JSON, for scripts and editors.
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The expression, e.g. 'IIF(IsPresent([mail]),[mail],NULL)'.
    pub(crate) expression: String,
    /// Also accept this administrator-defined parameter name (repeatable).
    #[arg(long = "known-param", value_name = "NAME")]
    pub(crate) known_params: Vec<String>,
    /// Do not report unknown %Parameter% names.
    #[arg(long)]
    pub(crate) allow_unknown_params: bool,
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// The expression to evaluate.
    pub(crate) expression: String,
    /// The source object: a JSON object or a single LDIF entry; `-` reads standard input.
    /// Without it the object has no attributes.
    ///
    /// JSON values: strings, integers, booleans, arrays for multi-valued attributes, and
    /// {"base64": ...}, {"hex": ...}, {"guid": ...}, {"sid": ...} (binary), {"dn": ...}
    /// (reference), {"date": ...} (date). "$imported": {...} gives the last imported values.
    #[arg(long, value_name = "FILE")]
    pub(crate) object: Option<PathBuf>,
    /// A parameter value, e.g. --param Domain.FQDN=contoso.com (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub(crate) params: Vec<String>,
    /// The time Now() returns (ISO 8601); the current time by default.
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<String>,
    /// Seed for RandomNum() and Guid().
    #[arg(long, default_value_t = 0)]
    pub(crate) seed: u64,
    /// Output format of the result.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

pub(crate) fn run(args: &ExprArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    match &args.command {
        ExprCommand::Check(check) => run_check(check, ctx),
        ExprCommand::Eval(eval) => run_eval(eval, ctx),
    }
}

fn has_errors(diagnostics: &[ExprDiagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

fn run_check(args: &CheckArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut context = CheckContext::with_parameters(args.known_params.iter().cloned());
    context.allow_unknown_parameters = args.allow_unknown_params;
    let diagnostics = syncpolicy_expr::diagnose(&args.expression, &context);
    let failed = has_errors(&diagnostics);
    match args.format {
        Format::Json => print!(
            "{}",
            expr_result::check_json(&args.expression, &diagnostics, failed)?
        ),
        Format::Text => {
            if diagnostics.is_empty() {
                if !ctx.quiet {
                    println!("ok: no problems found");
                }
            } else {
                print!(
                    "{}",
                    render(&args.expression, &diagnostics, ctx.color_stdout)
                );
            }
        }
    }
    Ok(ExitCode::from(if failed {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

/// Reads the object of `--object`: UTF-8 with or without a byte order mark, or UTF-16 with
/// its byte order mark (as `ldifde -u` writes LDIF), sniffed as settings files are.
fn read_object(path: &PathBuf) -> anyhow::Result<ObjectInput> {
    let bytes = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .context("cannot read the object from stdin")?;
        bytes
    } else {
        std::fs::read(path)
            .with_context(|| format!("cannot read the object file {}", path.display()))?
    };
    let text = match syncpolicy_json::encoding::decode_owned(bytes) {
        Ok((text, _)) => text,
        Err(e) => bail!(
            "{}: {} (byte offset {})\nhint: save the object as UTF-8, or as UTF-16 with a byte order mark",
            path.display(),
            e.message,
            e.offset
        ),
    };
    parse_object(&text).map_err(|e| {
        let at = e.line.map(|l| format!(":{l}")).unwrap_or_default();
        anyhow::anyhow!("{}{at}: {}", path.display(), e.message)
    })
}

fn parameters(pairs: &[String]) -> anyhow::Result<Parameters> {
    let mut parameters = Parameters::new();
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            bail!(
                "--param {pair}: expected NAME=VALUE\nhint: e.g. --param Domain.FQDN=contoso.com"
            );
        };
        let name = name.trim().trim_matches('%');
        if name.is_empty() {
            bail!("--param {pair}: the parameter name is empty");
        }
        parameters.insert(name, value);
    }
    Ok(parameters)
}

fn current_time() -> Option<DateTime> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    DateTime::from_unix_seconds(i64::try_from(since.as_secs()).ok()?)
}

fn run_eval(args: &EvalArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let parameters = match parameters(&args.params) {
        Ok(p) => p,
        Err(e) => {
            ctx.print_error(&e);
            return Ok(ExitCode::from(exit::ERROR));
        }
    };
    let input = match &args.object {
        Some(path) => match read_object(path) {
            Ok(input) => input,
            Err(e) => {
                ctx.print_error(&e);
                return Ok(ExitCode::from(exit::ERROR));
            }
        },
        None => ObjectInput::default(),
    };
    let now = match &args.now {
        Some(text) => match DateTime::parse(text) {
            Some(d) => Some(d),
            None => {
                ctx.print_error(&anyhow::anyhow!("--now {text}: not a date and time"));
                return Ok(ExitCode::from(exit::ERROR));
            }
        },
        None => current_time(),
    };

    let context = CheckContext::with_parameters(parameters.names().into_iter().map(String::from));
    let compiled = match syncpolicy_expr::compile_with(&args.expression, &context) {
        Ok(c) => c,
        Err(diagnostics) => {
            match args.format {
                Format::Json => print!(
                    "{}",
                    expr_result::eval_json(&args.expression, &diagnostics, None)?
                ),
                Format::Text => print!(
                    "{}",
                    render(&args.expression, &diagnostics, ctx.color_stdout)
                ),
            }
            return Ok(ExitCode::from(exit::FINDINGS));
        }
    };

    let mut env = Env::new(&input.object, &parameters).with_seed(args.seed);
    if let Some(now) = now {
        env = env.with_now(now);
    }
    if let Some(imported) = &input.imported {
        env = env.with_imported(imported);
    }
    let result = compiled.eval(&env);
    match (args.format, &result) {
        (Format::Json, _) => print!(
            "{}",
            expr_result::eval_json(&args.expression, &[], Some(&result))?
        ),
        (Format::Text, Ok(value)) => print_value(value),
        (Format::Text, Err(e)) => {
            let mut diagnostic = ExprDiagnostic::error(
                syncpolicy_expr::diagnostic::ExprDiagnosticKind::TypeMismatch,
                e.span,
                e.to_string(),
            );
            if e.kind == EvalErrorKind::MissingParameter {
                // The span is the `%Name%` reference.
                let name = args
                    .expression
                    .get(e.span.start..e.span.end)
                    .map_or("Name", |p| p.trim_matches('%'));
                diagnostic = diagnostic.with_hint(format!("give it with --param {name}=VALUE"));
            }
            let rendered = render(&args.expression, &[diagnostic], ctx.color_stdout);
            // Replace the header with the evaluation error's own kind.
            let body = rendered.split_once('\n').map_or("", |(_, rest)| rest);
            let red = crate::context::error_style(ctx.color_stdout);
            print!(
                "{}evaluation error[{}]{}: {e}\n{body}",
                red.render(),
                e.kind.code(),
                red.render_reset()
            );
        }
    }
    Ok(ExitCode::from(if result.is_ok() {
        exit::OK
    } else {
        exit::FINDINGS
    }))
}

fn print_value(value: &Value) {
    println!("type: {}", value.type_description());
    match value {
        Value::Multi(values) => {
            println!("value:");
            for v in values {
                println!("  - {}", one_line(v));
            }
        }
        v => println!("value: {}", one_line(v)),
    }
}

/// A value on one line: strings quoted (so empty and padded strings show), the rest as text.
fn one_line(value: &Value) -> String {
    match value {
        Value::Str(s) | Value::Ref(s) => format!("{s:?}"),
        Value::Bin(_) => format!("{value} (base64)"),
        v => v.to_string(),
    }
}
