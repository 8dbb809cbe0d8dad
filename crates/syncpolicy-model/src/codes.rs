//! The documentation of a diagnostic code, in one shape for every crate that prints codes
//! (validation rules, read errors, migration report items and errors, expression
//! diagnostics): what `syncpolicy validate --explain CODE` and `--explain all` print.

use crate::diagnostic::Severity;

/// Which part of the tool prints a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CodeFamily {
    /// A finding of `syncpolicy validate` (`SP0xx`).
    Validation,
    /// An item of the migration report of `syncpolicy migrate` (`SP301`-`SP334`).
    Migration,
    /// An error that stops a migration (`SP350`-`SP355`).
    MigrationError,
    /// A read error of a settings file (`SP9xx`): the file cannot be read at all.
    ReadError,
    /// A diagnostic of the expression language (`syncpolicy expr check`, and inside
    /// validation findings about expressions); its code is its kebab-case name.
    Expression,
}

impl CodeFamily {
    /// Every family, in listing order.
    pub const ALL: &'static [CodeFamily] = &[
        CodeFamily::Validation,
        CodeFamily::Migration,
        CodeFamily::MigrationError,
        CodeFamily::ReadError,
        CodeFamily::Expression,
    ];

    /// Heading of the family in listings.
    pub fn title(&self) -> &'static str {
        match self {
            CodeFamily::Validation => "Validation findings (syncpolicy validate)",
            CodeFamily::Migration => "Migration report items (syncpolicy migrate)",
            CodeFamily::MigrationError => "Errors that stop a migration",
            CodeFamily::ReadError => "Read errors of settings files",
            CodeFamily::Expression => "Expression diagnostics (syncpolicy expr check)",
        }
    }

    /// Short machine name (`validation`, `migration`, `migration-error`, `read-error`,
    /// `expression`).
    pub fn as_str(&self) -> &'static str {
        match self {
            CodeFamily::Validation => "validation",
            CodeFamily::Migration => "migration",
            CodeFamily::MigrationError => "migration-error",
            CodeFamily::ReadError => "read-error",
            CodeFamily::Expression => "expression",
        }
    }
}

/// One code and its documentation. The crate that prints the code owns its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeInfo {
    /// Stable code: `SP010`, or an expression diagnostic's kebab-case name.
    pub code: &'static str,
    /// Kebab-case name of the problem.
    pub name: &'static str,
    pub family: CodeFamily,
    /// Severity of what carries the code (for migration items: of their class).
    pub severity: Severity,
    /// One line: what the code reports (no trailing period).
    pub title: &'static str,
    /// What it means, in detail (paragraphs separated by blank lines; may be sectioned).
    pub explanation: String,
    /// What to do about it.
    pub fix: String,
}

impl CodeInfo {
    /// True when `wanted` names this code: its code or its name, ignoring case and
    /// surrounding white space.
    pub fn is(&self, wanted: &str) -> bool {
        let wanted = wanted.trim();
        self.code.eq_ignore_ascii_case(wanted) || self.name.eq_ignore_ascii_case(wanted)
    }
}
