//! The JSON document of `expr check` and `expr eval` (`syncpolicy-expr/1`): the expression,
//! whether it is fine, its diagnostics with positions, and for `eval` the value with its type
//! or the evaluation error. Every key is always present (`null` when it does not apply).

use serde::Serialize;
use syncpolicy_expr::diagnostic::{line_column, ExprDiagnostic, Span};
use syncpolicy_expr::eval::EvalError;
use syncpolicy_expr::object::value_to_json;
use syncpolicy_expr::value::Value;

#[derive(Serialize)]
struct SpanJson {
    start: usize,
    end: usize,
}

impl From<Span> for SpanJson {
    fn from(s: Span) -> Self {
        SpanJson {
            start: s.start,
            end: s.end,
        }
    }
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    hint: &'a Option<String>,
    line: usize,
    column: usize,
    span: SpanJson,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    kind: &'a str,
    message: &'a str,
    span: SpanJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Doc<'a> {
    schema: &'static str,
    command: &'static str,
    expression: &'a str,
    ok: bool,
    #[serde(rename = "type")]
    value_type: Option<String>,
    value: Option<serde_json::Value>,
    error: Option<ErrorJson<'a>>,
    diagnostics: Vec<DiagnosticJson<'a>>,
}

fn diagnostics<'a>(source: &str, ds: &'a [ExprDiagnostic]) -> Vec<DiagnosticJson<'a>> {
    ds.iter()
        .map(|d| {
            let (line, column) = line_column(source, d.span.start);
            DiagnosticJson {
                code: d.kind.code(),
                severity: d.severity.as_str(),
                message: &d.message,
                hint: &d.hint,
                line,
                column,
                span: d.span.into(),
            }
        })
        .collect()
}

fn to_text(doc: &Doc<'_>) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(doc)? + "\n")
}

/// `expr check`: `ok` is false when a diagnostic is an error.
pub fn check_json(
    expression: &str,
    ds: &[ExprDiagnostic],
    failed: bool,
) -> serde_json::Result<String> {
    to_text(&Doc {
        schema: crate::schema::EXPR,
        command: "check",
        expression,
        ok: !failed,
        value_type: None,
        value: None,
        error: None,
        diagnostics: diagnostics(expression, ds),
    })
}

/// `expr eval`: the expression did not compile (its diagnostics), or its result.
pub fn eval_json(
    expression: &str,
    ds: &[ExprDiagnostic],
    result: Option<&Result<Value, EvalError>>,
) -> serde_json::Result<String> {
    let (ok, value_type, value, error) = match result {
        None => (false, None, None, None),
        Some(Ok(v)) => (
            true,
            Some(v.type_description()),
            Some(value_to_json(v)),
            None,
        ),
        Some(Err(e)) => (
            false,
            None,
            None,
            Some(ErrorJson {
                kind: e.kind.code(),
                message: &e.message,
                span: e.span.into(),
            }),
        ),
    };
    to_text(&Doc {
        schema: crate::schema::EXPR,
        command: "eval",
        expression,
        ok,
        value_type,
        value,
        error,
        diagnostics: diagnostics(expression, ds),
    })
}
