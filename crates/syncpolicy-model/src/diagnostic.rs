//! The one diagnostic type shared by validation findings, migration report items and read
//! errors: code, severity, message, location, help.

use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// Lowercase name (`error`, `warning`, `info`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding is: a file and, inside it, a JSON path or XML element, line and column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: Option<String>,
    /// JSON path such as `onpremisesDirectoryPolicy[1].partitionFilters[0].selected`.
    pub json_path: Option<String>,
    /// XML element path such as `synchronizationRule/attribute-mappings/mapping[2]`.
    pub xml_element: Option<String>,
    /// 1-based line, where known.
    pub line: Option<u32>,
    /// 1-based column, where known.
    pub column: Option<u32>,
}

impl Location {
    /// A location in a file with no further detail.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: Some(file.into()),
            ..Location::default()
        }
    }

    /// Adds a JSON path.
    pub fn with_json_path(mut self, path: impl Into<String>) -> Self {
        self.json_path = Some(path.into());
        self
    }

    /// Adds line and column.
    pub fn with_position(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl Location {
    /// The place as text (`file:line:column at path`, or `(no location)`), written to `w`:
    /// what `Display` writes, for callers that build many into their own strings (the
    /// report's findings) without a formatter per place.
    pub fn write_to(&self, w: &mut impl fmt::Write) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            w.write_str(file)?;
            if let Some(line) = self.line {
                w.write_char(':')?;
                w.write_str(itoa::Buffer::new().format(line))?;
                if let Some(col) = self.column {
                    w.write_char(':')?;
                    w.write_str(itoa::Buffer::new().format(col))?;
                }
            }
            wrote = true;
        }
        let inner = self.json_path.as_ref().or(self.xml_element.as_ref());
        if let Some(path) = inner {
            if wrote {
                w.write_str(" ")?;
            }
            w.write_str("at ")?;
            w.write_str(path)?;
            wrote = true;
        }
        if !wrote {
            w.write_str("(no location)")?;
        }
        Ok(())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// A secondary place that explains a finding (e.g. the rule that already holds a precedence).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub location: Location,
    pub message: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Stable code, e.g. `SP001`.
    pub code: String,
    /// Kebab-case name of the problem, e.g. `duplicate-custom-precedence`.
    pub name: String,
    pub severity: Severity,
    /// What is wrong, starting lowercase, no trailing period.
    pub message: String,
    pub location: Location,
    pub labels: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new diagnostic with no labels or help.
    pub fn new(
        code: impl Into<String>,
        name: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        location: Location,
    ) -> Self {
        Diagnostic {
            code: code.into(),
            name: name.into(),
            severity,
            message: message.into(),
            location,
            labels: Vec::new(),
            help: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a label.
    pub fn with_label(mut self, location: Location, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            location,
            message: message.into(),
        });
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}\n  --> {}",
            self.severity, self.code, self.message, self.location
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}
