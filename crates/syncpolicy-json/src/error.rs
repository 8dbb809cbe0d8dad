//! Read errors of the settings file: each class has its own message, and every error names
//! the file, the JSON path, line and column where known, and what to do.

use std::fmt;
use syncpolicy_model::codes::{CodeFamily, CodeInfo};
use syncpolicy_model::diagnostic::{Diagnostic, Location, Severity};

/// What kind of problem stopped the read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadErrorKind {
    /// The file has no content (or only white space).
    Empty,
    /// The JSON ends before it is complete.
    Truncated,
    /// The text is not JSON.
    NotJson,
    /// A value has the wrong type (e.g. a string where a boolean belongs).
    WrongType,
    /// The bytes are not valid UTF-8 or UTF-16.
    Encoding,
    /// A key appears twice in one object.
    DuplicateKey,
    /// Arrays and objects nest deeper than [`crate::depth::MAX_DEPTH`] levels.
    TooDeep,
}

impl ReadErrorKind {
    /// Stable diagnostic code and kebab-case name.
    pub fn code(&self) -> (&'static str, &'static str) {
        match self {
            ReadErrorKind::Empty => ("SP901", "empty-file"),
            ReadErrorKind::Truncated => ("SP902", "truncated-json"),
            ReadErrorKind::NotJson => ("SP903", "invalid-json"),
            ReadErrorKind::WrongType => ("SP904", "wrong-type"),
            ReadErrorKind::Encoding => ("SP905", "invalid-encoding"),
            ReadErrorKind::DuplicateKey => ("SP906", "duplicate-key"),
            ReadErrorKind::TooDeep => ("SP907", "nesting-too-deep"),
        }
    }
}

impl ReadErrorKind {
    /// Every kind, in code order.
    pub const ALL: [ReadErrorKind; 7] = [
        ReadErrorKind::Empty,
        ReadErrorKind::Truncated,
        ReadErrorKind::NotJson,
        ReadErrorKind::WrongType,
        ReadErrorKind::Encoding,
        ReadErrorKind::DuplicateKey,
        ReadErrorKind::TooDeep,
    ];

    /// One line: what the code reports.
    pub fn title(&self) -> &'static str {
        match self {
            ReadErrorKind::Empty => "the settings file is empty",
            ReadErrorKind::Truncated => "the settings file ends before its JSON is complete",
            ReadErrorKind::NotJson => "the settings file is not valid JSON",
            ReadErrorKind::WrongType => "a value of the settings file has the wrong type",
            ReadErrorKind::Encoding => {
                "the settings file is neither UTF-8 nor UTF-16 with a byte-order mark"
            }
            ReadErrorKind::DuplicateKey => "a key appears twice in one object of the settings file",
            ReadErrorKind::TooDeep => {
                "arrays and objects of the settings file nest more than 128 levels deep"
            }
        }
    }

    /// What the error means and what to do, as (explanation, fix).
    fn explain(&self) -> (&'static str, &'static str) {
        match self {
            ReadErrorKind::Empty => (
                "The file has no content, or only white space. A settings file exported by Entra Connect (or written by syncpolicy) is never empty; an empty file is usually a copy or download that did not finish.",
                "Export the configuration again (Entra Connect: View or export current configuration; a deployment: syncpolicy export), or point at the right file.",
            ),
            ReadErrorKind::Truncated => (
                "The JSON ends before every object and array it opened is closed: the file was cut off, typically by an interrupted copy or a full disk. The line and column name where the text ends.",
                "Copy or export the file again; if it was edited by hand, close the object or array the message names.",
            ),
            ReadErrorKind::NotJson => (
                "The text is not JSON at the named line and column: a missing comma or quote, a comment, a trailing comma, or a file of another kind (an XML export folder's file, a PowerShell script).",
                "Fix the JSON at the named place; for a legacy XML export give the Exported-ServerConfiguration-* folder instead, for a Rules Editor export the .ps1 file.",
            ),
            ReadErrorKind::WrongType => (
                "A value has a type the setting does not take, for example text where a true/false value or a whole number belongs. The message names the JSON path and what was expected.",
                "Change the value at the named JSON path to the expected type (true/false without quotes, numbers without quotes).",
            ),
            ReadErrorKind::Encoding => (
                "The bytes are neither UTF-8 nor UTF-16 with a byte-order mark (Entra Connect writes UTF-8; Windows editors may write UTF-16 with a BOM, both are read).",
                "Save the file as UTF-8 (or UTF-16 with a byte-order mark).",
            ),
            ReadErrorKind::DuplicateKey => (
                "A key appears twice in one JSON object. JSON readers disagree on which of the two wins, so the file is refused rather than read one way here and another way on the server.",
                "Remove one of the two keys at the named place, keeping the value you mean.",
            ),
            ReadErrorKind::TooDeep => (
                "Arrays and objects nest deeper than 128 levels. No setting nests this deep; such a file is damaged or hostile, and is refused before it can exhaust memory.",
                "Remove the deeply nested value at the named place, or export the configuration again.",
            ),
        }
    }
}

/// The documentation of every read-error code (`SP901`-`SP907`), for `validate --explain`.
pub fn codes() -> Vec<CodeInfo> {
    ReadErrorKind::ALL
        .iter()
        .map(|kind| {
            let (code, name) = kind.code();
            let (explanation, fix) = kind.explain();
            CodeInfo {
                code,
                name,
                family: CodeFamily::ReadError,
                severity: Severity::Error,
                title: kind.title(),
                explanation: format!(
                    "{explanation}\n\nThis is a read error: the file cannot be read at all, so no other check runs on it. The message says what was found and where; the hint says what to do."
                ),
                fix: fix.to_owned(),
            }
        })
        .collect()
}

/// A settings file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ReadError {
    pub kind: ReadErrorKind,
    /// The file name as given by the caller.
    pub file: String,
    pub json_path: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// What is wrong, lowercase, naming what was expected.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let (Some(line), Some(col)) = (self.line, self.column) {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(path) = &self.json_path {
            if !path.is_empty() {
                write!(f, " (at {path})")?;
            }
        }
        write!(f, "\nhint: {}", self.hint)
    }
}

impl ReadError {
    /// The error as a diagnostic (severity error).
    pub fn to_diagnostic(&self) -> Diagnostic {
        let (code, name) = self.kind.code();
        let mut location = Location::file(self.file.clone());
        location.json_path = self.json_path.clone().filter(|p| !p.is_empty());
        location.line = self.line;
        location.column = self.column;
        Diagnostic::new(code, name, Severity::Error, self.message.clone(), location)
            .with_help(self.hint.clone())
    }
}

/// A serde data error in the product's words: `invalid type: string "ten", expected i32`
/// becomes `the text "ten" where a whole number is expected`, with what was expected also
/// returned on its own (for the hint). Messages of other shapes are returned as they are.
pub fn in_product_words(message: &str) -> (String, Option<String>) {
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "));
    if let Some(rest) = rest {
        if let Some((got, expected)) = rest.rsplit_once(", expected ") {
            let expected = expected_words(expected);
            return (
                format!("{} where {expected} is expected", found_words(got)),
                Some(expected),
            );
        }
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return (format!("the key `{field}` is missing"), None);
    }
    (message.to_owned(), None)
}

/// What serde found, in the product's words.
fn found_words(got: &str) -> String {
    let inner = |prefix: &str| {
        got.strip_prefix(prefix)
            .map(|v| v.trim_matches('`').to_owned())
    };
    if let Some(s) = got.strip_prefix("string ") {
        return format!("the text {s}");
    }
    if let Some(v) = inner("integer ").or_else(|| inner("floating point ")) {
        return format!("the number {v}");
    }
    if let Some(v) = inner("boolean ") {
        return v;
    }
    match got {
        "null" | "unit" => "null".to_owned(),
        "sequence" => "a list".to_owned(),
        "map" => "an object".to_owned(),
        other => other.to_owned(),
    }
}

/// What serde expected, in the product's words.
fn expected_words(expected: &str) -> String {
    match expected {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "an integer" => {
            "a whole number".to_owned()
        }
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number (0 or more)".to_owned(),
        "f32" | "f64" | "a number" => "a number".to_owned(),
        "a boolean" => "true or false".to_owned(),
        "a string" | "a borrowed string" | "a key" | "a character" | "a string or null" => {
            "a text (in double quotes)".to_owned()
        }
        "a sequence" => "a list (in square brackets)".to_owned(),
        "a map" => "an object (in curly braces)".to_owned(),
        other => other.to_owned(),
    }
}
