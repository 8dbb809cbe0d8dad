//! Errors that stop a migration: a missing part of the folder, malformed or unsafe XML, a value
//! that cannot be read. Each names the file, the XML element, line and column, and what to do.

use std::fmt;
use syncpolicy_model::diagnostic::{Diagnostic, Location, Severity};

/// A legacy folder could not be migrated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LegacyError {
    /// A required folder or file is not there.
    Missing {
        /// The export folder as named by the caller.
        folder: String,
        /// What is missing, e.g. `GlobalSettings/MV.xml`.
        what: String,
        hint: String,
    },
    /// The file is not well-formed XML.
    Xml {
        file: String,
        /// Path of the element being read, e.g. `ma-data/ma-partition-data/partition[2]`.
        element: String,
        line: u32,
        column: u32,
        message: String,
    },
    /// The file declares a document type (refused: no entity is ever declared or expanded).
    Doctype {
        file: String,
        line: u32,
        column: u32,
    },
    /// Elements are nested deeper than [`crate::MAX_XML_DEPTH`] (refused before the tree
    /// grows; real exports nest about 10 deep outside the skipped schemas).
    TooDeep {
        file: String,
        /// Path of the element that is one level too deep.
        element: String,
        line: u32,
        column: u32,
        limit: usize,
    },
    /// The bytes are neither UTF-8 nor UTF-16.
    Encoding { file: String, message: String },
    /// A value the migration needs cannot be read (e.g. a precedence that is not a number).
    Invalid {
        file: String,
        element: String,
        line: u32,
        column: u32,
        message: String,
        hint: String,
    },
}

/// Every code of an error that stops a migration, with a one-line summary (for
/// `validate --explain` and the documentation).
pub const CODES: &[(&str, &str, &str)] = &[
    ("SP350", "legacy-part-missing", "a required folder or file of the export (Connectors/, GlobalSettings/MV.xml, SynchronizationRules/) is missing"),
    ("SP351", "malformed-xml", "a file of the export is not well-formed XML"),
    ("SP352", "xml-doctype-refused", "a file declares a document type (DOCTYPE), which is refused so no entity is ever expanded"),
    ("SP353", "invalid-encoding", "a file is neither UTF-8 nor UTF-16"),
    ("SP354", "invalid-legacy-value", "a value the migration needs cannot be read"),
    ("SP355", "xml-too-deep", "elements nest deeper than 256 (real exports nest about 10 deep)"),
];

impl LegacyError {
    /// Stable diagnostic code and kebab-case name.
    pub fn code(&self) -> (&'static str, &'static str) {
        match self {
            LegacyError::Missing { .. } => ("SP350", "legacy-part-missing"),
            LegacyError::Xml { .. } => ("SP351", "malformed-xml"),
            LegacyError::Doctype { .. } => ("SP352", "xml-doctype-refused"),
            LegacyError::Encoding { .. } => ("SP353", "invalid-encoding"),
            LegacyError::Invalid { .. } => ("SP354", "invalid-legacy-value"),
            LegacyError::TooDeep { .. } => ("SP355", "xml-too-deep"),
        }
    }

    /// What is wrong (one line, lowercase).
    /// Control characters (from names or values in the file, or in the reader's own
    /// messages, which quote the input) are shown escaped, as `\u{1b}`.
    pub fn message(&self) -> String {
        let message = self.raw_message();
        crate::xml::shown(&message).into_owned()
    }

    fn raw_message(&self) -> String {
        match self {
            LegacyError::Missing { folder, what, .. } => {
                format!("the export folder {folder} has no {what}")
            }
            LegacyError::Xml { message, .. } => format!("this is not well-formed XML: {message}"),
            LegacyError::Doctype { .. } => {
                "the XML declares a document type (DOCTYPE), which is refused".to_owned()
            }
            LegacyError::Encoding { message, .. } => message.clone(),
            LegacyError::Invalid { message, .. } => message.clone(),
            LegacyError::TooDeep { limit, .. } => {
                format!("the XML nests elements more than {limit} deep, which is refused")
            }
        }
    }

    /// What to do.
    pub fn hint(&self) -> String {
        match self {
            LegacyError::Missing { hint, .. } | LegacyError::Invalid { hint, .. } => hint.clone(),
            LegacyError::Xml { .. } => "the file was damaged after the export (cut short or edited); export the server configuration again with MigrateSettings.ps1".to_owned(),
            LegacyError::Doctype { .. } => "files written by Get-ADSyncServerConfiguration never declare a document type; do not use a file that was altered, export the configuration again".to_owned(),
            LegacyError::Encoding { .. } => "export the configuration again; the files must be UTF-8 or UTF-16 with a byte-order mark".to_owned(),
            LegacyError::TooDeep { .. } => "files written by Get-ADSyncServerConfiguration nest about 10 deep; this file was altered or is not an export, export the configuration again".to_owned(),
        }
    }

    /// Where the problem is.
    pub fn location(&self) -> Location {
        match self {
            LegacyError::Missing { folder, .. } => Location::file(folder.clone()),
            LegacyError::Xml {
                file,
                element,
                line,
                column,
                ..
            }
            | LegacyError::Invalid {
                file,
                element,
                line,
                column,
                ..
            }
            | LegacyError::TooDeep {
                file,
                element,
                line,
                column,
                ..
            } => {
                let mut l = Location::file(file.clone()).with_position(*line, *column);
                if !element.is_empty() {
                    l.xml_element = Some(element.clone());
                }
                l
            }
            LegacyError::Doctype { file, line, column } => {
                Location::file(file.clone()).with_position(*line, *column)
            }
            LegacyError::Encoding { file, .. } => Location::file(file.clone()),
        }
    }

    /// The error as a diagnostic (severity error).
    pub fn to_diagnostic(&self) -> Diagnostic {
        let (code, name) = self.code();
        Diagnostic::new(code, name, Severity::Error, self.message(), self.location())
            .with_help(self.hint())
    }
}

impl fmt::Display for LegacyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = self.location();
        match &loc.file {
            Some(file) if !matches!(self, LegacyError::Missing { .. }) => {
                f.write_str(&crate::xml::shown(file))?;
                if let (Some(l), Some(c)) = (loc.line, loc.column) {
                    write!(f, ":{l}:{c}")?;
                }
                f.write_str(": ")?;
            }
            _ => {}
        }
        f.write_str(&self.message())?;
        if let Some(el) = &loc.xml_element {
            write!(f, " (in <{}>)", crate::xml::shown(el))?;
        }
        write!(f, "\nhint: {}", self.hint())
    }
}
