//! Diagnostics of the expression language: a byte span, a message, a severity and a stable kind,
//! plus a plain-text renderer that puts a caret line under the problem (drawn by
//! `annotate-snippets`, the renderer rustc and ruff use).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Effects, Style};
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

/// Defines [`ExprDiagnosticKind`], its stable names and [`ExprDiagnosticKind::ALL`] from one
/// list, so that a kind cannot be added to one of them and forgotten in another.
macro_rules! diagnostic_kinds {
    ($($variant:ident => $code:literal,)*) => {
        /// The stable kind of a diagnostic. [`ExprDiagnosticKind::code`] gives its kebab-case
        /// name, which does not change between releases.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ExprDiagnosticKind {
            $($variant,)*
        }

        impl ExprDiagnosticKind {
            /// Every kind, in the order of [`ExprDiagnosticKind`].
            pub const ALL: [ExprDiagnosticKind; [$($code),*].len()] =
                [$(ExprDiagnosticKind::$variant),*];

            /// The stable kebab-case name of this kind.
            pub fn code(self) -> &'static str {
                match self {
                    $(ExprDiagnosticKind::$variant => $code,)*
                }
            }
        }
    };
}

diagnostic_kinds! {
    // Lexer.
    UnexpectedCharacter => "unexpected-character",
    UnterminatedString => "unterminated-string",
    UnterminatedAttribute => "unterminated-attribute",
    EmptyAttributeName => "empty-attribute-name",
    UnterminatedParameter => "unterminated-parameter",
    EmptyParameterName => "empty-parameter-name",
    EmptyVariableName => "empty-variable-name",
    InvalidNumber => "invalid-number",
    // Parser.
    EmptyExpression => "empty-expression",
    ExpectedExpression => "expected-expression",
    ExpectedOperator => "expected-operator",
    UnclosedParenthesis => "unclosed-parenthesis",
    UnexpectedClosingParenthesis => "unexpected-closing-parenthesis",
    ChainedComparison => "chained-comparison",
    MixedArithmetic => "mixed-arithmetic",
    TooComplex => "too-complex",
    // Checker.
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

impl ExprDiagnosticKind {
    /// Severity of diagnostics of this kind.
    pub fn severity(self) -> Severity {
        match self {
            ExprDiagnosticKind::MixedArithmetic => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The documentation of this kind as (title, explanation, what to do), for
    /// `syncpolicy validate --explain` (the kind's code is its kebab-case name).
    pub fn documentation(self) -> (&'static str, &'static str, &'static str) {
        use ExprDiagnosticKind::*;
        match self {
            UnexpectedCharacter => (
                "a character that cannot start anything in an expression",
                "The lexer met a character that is no part of the language outside a string literal: not an operator, bracket, digit, letter, quote or white space.",
                "Remove the character, or put it inside a \"string\" if it is meant as text.",
            ),
            UnterminatedString => (
                "a string literal without its closing quote",
                "A \"...\" string runs to the end of the expression. Inside a string a quote is written as \\\" (backslash, quote).",
                "Close the string with a \", or escape the quote inside it.",
            ),
            UnterminatedAttribute => (
                "an attribute reference without its closing bracket",
                "An attribute is written in square brackets, e.g. [userPrincipalName]; the closing ] is missing.",
                "Add the closing ] after the attribute name.",
            ),
            EmptyAttributeName => (
                "an attribute reference with no name: []",
                "Square brackets hold the name of a source attribute; [] names nothing.",
                "Write the attribute's name inside the brackets, e.g. [mail].",
            ),
            UnterminatedParameter => (
                "a parameter reference without its closing percent sign",
                "A parameter is written between percent signs, e.g. %Domain.FQDN%; the closing % is missing.",
                "Add the closing % after the parameter name.",
            ),
            EmptyParameterName => (
                "a parameter reference with no name: %%",
                "Percent signs enclose the name of a connector or forest parameter; %% names nothing.",
                "Write the parameter's name between the percent signs, e.g. %Forest.FQDN%.",
            ),
            EmptyVariableName => (
                "a variable with no name",
                "A variable of the iterating functions (e.g. the item of a Where or Select) is written with its name; the name is missing.",
                "Give the variable a name and use the same name in the expression it applies to.",
            ),
            InvalidNumber => (
                "a number that cannot be read",
                "A numeric literal is malformed or too large for a 64-bit integer.",
                "Write the number as digits (optionally with a leading minus), within the range of a 64-bit integer.",
            ),
            EmptyExpression => (
                "the expression is empty",
                "A flow of type expression needs an expression; the text is empty or only white space.",
                "Write the expression, or make the flow a direct or constant flow.",
            ),
            ExpectedExpression => (
                "a value was expected here",
                "The parser expected a value (a literal, attribute, parameter, function call or parenthesised expression) and found something else, such as an operator or the end of the text.",
                "Supply the missing value at the marked place, or remove the stray operator or comma.",
            ),
            ExpectedOperator => (
                "an operator or the end of the expression was expected here",
                "Two values follow each other with nothing joining them, e.g. a missing comma between arguments or a missing & between texts.",
                "Insert the operator or comma the expression needs at the marked place.",
            ),
            UnclosedParenthesis => (
                "a parenthesis that is never closed",
                "An opening ( of a function call or group has no matching ).",
                "Add the closing ) where the call or group ends.",
            ),
            UnexpectedClosingParenthesis => (
                "a closing parenthesis without an opening one",
                "A ) appears where no ( is open.",
                "Remove the extra ), or add the ( it belongs to.",
            ),
            ChainedComparison => (
                "comparisons chained without a logical operator",
                "An expression such as a < b < c does not compare three values: it compares the true/false result of a < b with c.",
                "Join the comparisons explicitly: a < b && b < c.",
            ),
            MixedArithmetic => (
                "additive and multiplicative operators mixed without parentheses",
                "In this language + - and * / have the same priority and are applied left to right, unlike in ordinary arithmetic, so 1 + 2 * 3 is 9.",
                "Add parentheses to make the order explicit.",
            ),
            TooComplex => (
                "the expression nests too deeply",
                "The expression nests calls or groups deeper than the limit the parser accepts, which protects against hostile input exhausting the stack.",
                "Split the expression, or simplify the nesting (e.g. use Switch instead of nested IIF).",
            ),
            UnknownFunction => (
                "a function the expression language does not have",
                "The name before ( is not a function of the declarative-provisioning expression language (names are matched ignoring case).",
                "Correct the function's name; `syncpolicy expr check EXPR` checks an expression on its own.",
            ),
            WrongArgumentCount => (
                "a function called with the wrong number of arguments",
                "Each function takes a fixed number (or range) of arguments; the call gives fewer or more.",
                "Give the function the number of arguments the message names.",
            ),
            TypeMismatch => (
                "an argument of the wrong type",
                "The function expects another type of value at this argument, e.g. a number where text was given, a true/false condition where a string was given.",
                "Convert the value (CStr, CNum, CBool, CGuid, ...) or pass a value of the expected type.",
            ),
            UnknownParameter => (
                "a %Parameter% the connector does not define",
                "Parameters such as %Domain.FQDN% or %Forest.Netbios% are supplied per directory and partition; this name is not one of them.",
                "Correct the parameter's name to one the connector supplies.",
            ),
            UnknownIdentifier => (
                "a name that is neither a function, constant nor variable",
                "A bare word appears where the language expects a function call, a constant (such as True, False, NULL, AuthoritativeNull, IgnoreThisFlow) or a variable of an iterating function.",
                "Write attributes in [brackets], parameters in %percent signs%, text in \"quotes\", or correct the constant's name.",
            ),
            UnboundVariable => (
                "a variable used outside the function that defines it",
                "A variable of an iterating function (e.g. Where or Select) is only known inside the expression it applies to.",
                "Use the variable only inside its function, or correct its name to the one the function defines.",
            ),
            ExpectedVariable => (
                "a variable name was expected here",
                "Iterating functions take a variable name as their first argument, then the collection and the expression using the variable.",
                "Put a variable name at the marked place.",
            ),
            ExpectedAttributeName => (
                "an attribute name was expected here",
                "The function takes an attribute (e.g. [proxyAddresses]) at this argument, not a computed value.",
                "Pass the attribute itself in [brackets].",
            ),
            UnpairedSwitch => (
                "Switch with a condition that has no value",
                "Switch takes a default value followed by condition/value pairs; the last condition has no value.",
                "Give every condition of the Switch its value, or remove the lone condition.",
            ),
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

/// Widest excerpt shown, in characters; longer lines are cut around the problem.
const MAX_EXCERPT: usize = 100;

fn render_one(out: &mut String, source: &str, d: &ExprDiagnostic, color: bool) {
    let bold_in = |c: AnsiColor| c.on_default().effects(Effects::BOLD);
    let (sev, bold) = match (color, d.severity) {
        (false, _) => (Style::new(), Style::new()),
        (true, Severity::Error) => (bold_in(AnsiColor::Red), Style::new().effects(Effects::BOLD)),
        (true, Severity::Warning) => (
            bold_in(AnsiColor::Yellow),
            Style::new().effects(Effects::BOLD),
        ),
    };
    // A plain style renders as nothing, so uncoloured text has no escape codes.
    let (sev_on, sev_off) = (sev.render(), sev.render_reset());
    let (bold_on, bold_off) = (bold.render(), bold.render_reset());
    let start = clamp_to_boundary(source, d.span.start);
    let end = clamp_to_boundary(source, d.span.end.max(d.span.start));
    let (line, column) = line_column(source, start);
    out.push_str(&format!(
        "{sev_on}{}[{}]{sev_off}{bold_on}: {}{bold_off}\n",
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
    let text = text.strip_suffix('\r').unwrap_or(text);
    let (shown, marked) = window(
        text,
        start - line_start,
        end.min(line_end).max(start) - line_start,
    );
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let snippet = Snippet::source(shown.as_str())
        .line_start(line)
        .annotation(AnnotationKind::Primary.span(marked));
    let report = &[Group::with_level(level).element(snippet)];
    let renderer = if color {
        Renderer::styled()
            .error(bold_in(AnsiColor::Red))
            .warning(bold_in(AnsiColor::Yellow))
            .line_num(bold_in(AnsiColor::Blue))
    } else {
        Renderer::plain()
    };
    let rendered = renderer.render(report);
    out.push_str(&rendered);
    out.push('\n');
    if let Some(hint) = &d.hint {
        let pad = " ".repeat(line.to_string().len());
        out.push_str(&format!("{pad} = hint: {hint}\n"));
    }
}

/// The part of `line` shown (at most [`MAX_EXCERPT`] characters around the problem, `…` where
/// cut, C1 control characters as U+FFFD) and the byte range of the problem in it. (The
/// renderer itself shows C0 controls, DEL and bidirectional overrides as visible symbols.)
fn window(line: &str, start: usize, end: usize) -> (String, std::ops::Range<usize>) {
    let lead = line[..start].chars().count();
    let first = if line.len() > MAX_EXCERPT {
        lead.saturating_sub(MAX_EXCERPT / 3)
    } else {
        0
    };
    let shown_char = |c: char| {
        if ('\u{80}'..='\u{9f}').contains(&c) {
            '\u{fffd}'
        } else {
            c
        }
    };
    let mut shown = String::new();
    if first > 0 {
        shown.push('…');
    }
    let mut chars = line[..start].chars().skip(first);
    shown.extend(chars.by_ref().map(shown_char));
    let mark_start = shown.len();
    let budget = MAX_EXCERPT.saturating_sub(lead - first);
    let mut taken = 0;
    for c in line[start..end].chars().take(budget) {
        shown.push(shown_char(c));
        taken += 1;
    }
    let mark_end = shown.len();
    let mut after = line[end..].chars();
    if taken == line[start..end].chars().count() {
        shown.extend(after.by_ref().take(budget - taken).map(shown_char));
    }
    if after.next().is_some() || taken < line[start..end].chars().count() {
        shown.push('…');
    }
    (shown, mark_start..mark_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_at(start: usize, end: usize) -> ExprDiagnostic {
        ExprDiagnostic::error(
            ExprDiagnosticKind::UnknownFunction,
            Span::new(start, end),
            "unknown function",
        )
        .with_hint("did you mean Trim?")
    }

    #[test]
    fn carets_under_the_span() {
        let out = render("Len(Trm([x]))", &[error_at(4, 7)], false);
        assert_eq!(
            out,
            "error[unknown-function]: unknown function\n --> 1:5\n  |\n1 | Len(Trm([x]))\n  |     ^^^\n  = hint: did you mean Trim?\n"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let source = "\"\u{1b}[2J\u{7}\u{9b}\u{202e}\t\" & Trm([x])";
        let at = source.find("Trm").unwrap();
        let out = render(source, &[error_at(at, at + 3)], false);
        assert!(
            !out.chars()
                .any(|c| c != '\n' && (c.is_control() || c == '\u{202e}')),
            "{out:?}"
        );
        let lines: Vec<&str> = out.lines().collect();
        let caret = lines[4].find('^').unwrap();
        assert_eq!(lines[3].chars().nth(caret), Some('T'), "{out}");
    }

    #[test]
    fn a_line_of_megabytes_is_cut_around_the_problem() {
        let source = format!(
            "\"{}\" & Trm([x]) & \"{}\"",
            "a".repeat(900_000),
            "b".repeat(900_000)
        );
        let at = source.find("Trm").unwrap();
        let out = render(&source, &[error_at(at, at + 3)], false);
        assert!(out.len() < 400, "{} bytes", out.len());
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[3].contains("…a") && lines[3].ends_with("b…"), "{out}");
        let caret = lines[4].find('^').unwrap();
        assert_eq!(lines[3].chars().nth(caret), Some('T'), "{out}");
        // A span longer than the window is cut too.
        let out = render(&source, &[error_at(0, source.len())], false);
        assert!(out.len() < 600, "{} bytes", out.len());
    }
}
