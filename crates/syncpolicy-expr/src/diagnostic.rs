//! Diagnostics of the expression language: a byte span, a message, a severity and a stable kind,
//! plus a plain-text renderer that puts a caret line under the problem.

use std::fmt;

/// A half-open byte range `start..end` into the expression source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The expression cannot be compiled.
    Error,
    /// The expression compiles but probably does not do what was meant.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The stable kind of a diagnostic. [`ExprDiagnosticKind::code`] gives its kebab-case name,
/// which does not change between releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExprDiagnosticKind {
    // Lexer.
    UnexpectedCharacter,
    UnterminatedString,
    UnterminatedAttribute,
    EmptyAttributeName,
    UnterminatedParameter,
    EmptyParameterName,
    EmptyVariableName,
    InvalidNumber,
    // Parser.
    EmptyExpression,
    ExpectedExpression,
    ExpectedOperator,
    UnclosedParenthesis,
    UnexpectedClosingParenthesis,
    ChainedComparison,
    MixedArithmetic,
    TooComplex,
    // Checker.
    UnknownFunction,
    WrongArgumentCount,
    TypeMismatch,
    UnknownParameter,
    UnknownIdentifier,
    UnboundVariable,
    ExpectedVariable,
    ExpectedAttributeName,
    UnpairedSwitch,
}

impl ExprDiagnosticKind {
    /// The stable kebab-case name of this kind.
    pub fn code(self) -> &'static str {
        use ExprDiagnosticKind::*;
        match self {
            UnexpectedCharacter => "unexpected-character",
            UnterminatedString => "unterminated-string",
            UnterminatedAttribute => "unterminated-attribute",
            EmptyAttributeName => "empty-attribute-name",
            UnterminatedParameter => "unterminated-parameter",
            EmptyParameterName => "empty-parameter-name",
            EmptyVariableName => "empty-variable-name",
            InvalidNumber => "invalid-number",
            EmptyExpression => "empty-expression",
            ExpectedExpression => "expected-expression",
            ExpectedOperator => "expected-operator",
            UnclosedParenthesis => "unclosed-parenthesis",
            UnexpectedClosingParenthesis => "unexpected-closing-parenthesis",
            ChainedComparison => "chained-comparison",
            MixedArithmetic => "mixed-arithmetic",
            TooComplex => "too-complex",
            UnknownFunction => "unknown-function",
            WrongArgumentCount => "wrong-argument-count",
            TypeMismatch => "type-mismatch",
            UnknownParameter => "unknown-parameter",
            UnknownIdentifier => "unknown-identifier",
            UnboundVariable => "unbound-variable",
            ExpectedVariable => "expected-variable",
            ExpectedAttributeName => "expected-attribute-name",
            UnpairedSwitch => "unpaired-switch",
        }
    }
}

/// One problem found in an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprDiagnostic {
    pub kind: ExprDiagnosticKind,
    pub severity: Severity,
    /// Byte range of the problem in the source.
    pub span: Span,
    /// Lower-case message without a trailing period.
    pub message: String,
    /// An optional hint (printed as `hint: ...`).
    pub hint: Option<String>,
}

impl ExprDiagnostic {
    pub fn error(kind: ExprDiagnosticKind, span: Span, message: impl Into<String>) -> Self {
        ExprDiagnostic {
            kind,
            severity: Severity::Error,
            span,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(kind: ExprDiagnosticKind, span: Span, message: impl Into<String>) -> Self {
        ExprDiagnostic {
            severity: Severity::Warning,
            ..ExprDiagnostic::error(kind, span, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Line (1-based), column (1-based, in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = clamp_to_boundary(source, offset);
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn clamp_to_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Renders diagnostics as plain text: a header line, the source line and a caret line under
/// the span, and an optional hint. Colour is added when `color` is true.
pub fn render(source: &str, diagnostics: &[ExprDiagnostic], color: bool) -> String {
    let mut out = String::new();
    for d in diagnostics {
        render_one(&mut out, source, d, color);
    }
    out
}

fn render_one(out: &mut String, source: &str, d: &ExprDiagnostic, color: bool) {
    let (sev_on, bold, off) = match (color, d.severity) {
        (false, _) => ("", "", ""),
        (true, Severity::Error) => ("\x1b[1;31m", "\x1b[1m", "\x1b[0m"),
        (true, Severity::Warning) => ("\x1b[1;33m", "\x1b[1m", "\x1b[0m"),
    };
    let start = clamp_to_boundary(source, d.span.start);
    let end = clamp_to_boundary(source, d.span.end.max(d.span.start));
    let (line, column) = line_column(source, start);
    out.push_str(&format!(
        "{sev_on}{}[{}]{off}{bold}: {}{off}\n",
        d.severity.as_str(),
        d.kind.code(),
        d.message
    ));
    out.push_str(&format!(" --> {line}:{column}\n"));
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let text = &source[line_start..line_end];
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    out.push_str(&format!(
        "{pad} |\n{gutter} | {}\n",
        text.replace('\t', " ")
    ));
    let lead = source[line_start..start].chars().count();
    let width = source[start..end.min(line_end).max(start)]
        .chars()
        .count()
        .max(1);
    out.push_str(&format!(
        "{pad} | {}{sev_on}{}{off}\n",
        " ".repeat(lead),
        "^".repeat(width)
    ));
    if let Some(hint) = &d.hint {
        out.push_str(&format!("{pad} = hint: {hint}\n"));
    }
}
