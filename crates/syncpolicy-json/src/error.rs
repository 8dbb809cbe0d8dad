//! Read errors of the settings file: each class has its own message, and every error names
//! the file, the JSON path, line and column where known, and what to do.

use std::fmt;
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
