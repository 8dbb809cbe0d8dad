//! Renderers of diagnostics (validation findings, migration report items, read errors):
//! terminal text with a source excerpt ([`text`]), JSON ([`json`]) and SARIF 2.1.0
//! ([`sarif`]). The formats are described in `docs/diagnostics.md`. No I/O: every renderer
//! returns a value for the caller to print.

pub mod json;
pub mod sarif;
pub mod text;

pub use json::to_json;
pub use sarif::{to_sarif, SarifRule};
pub use text::{render_text, write_text};

use syncpolicy_model::diagnostic::{Diagnostic, Severity};

/// How many findings of each severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    /// Counts the findings.
    pub fn of(diags: &[Diagnostic]) -> Self {
        let mut c = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }

    /// `2 errors, 1 warning, 0 infos`.
    pub fn line(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}, {}, {}",
            plural(self.errors, "error", "errors"),
            plural(self.warnings, "warning", "warnings"),
            plural(self.infos, "info", "infos")
        )
    }
}
