//! Every diagnostic code the tool can print, gathered from the crates that own them (each
//! crate owns its codes' text): validation rules (`syncpolicy-lint`), read errors of settings
//! files (`syncpolicy-json`), migration report items and errors (`syncpolicy-legacy`) and
//! expression diagnostics (`syncpolicy-expr`). `validate --explain` and `--list-rules` read
//! this one table; `validate --select/--ignore` check their codes against it.

use syncpolicy_expr::diagnostic::{ExprDiagnosticKind, Severity as ExprSeverity};
use syncpolicy_model::codes::{CodeFamily, CodeInfo};
use syncpolicy_model::diagnostic::Severity;

/// Every code, validation first, then migration, read errors and expression diagnostics.
pub(crate) fn all() -> Vec<CodeInfo> {
    let mut out = syncpolicy_lint::registry::codes();
    out.extend(syncpolicy_legacy::report::explained_codes());
    out.extend(syncpolicy_json::error::codes());
    out.extend(ExprDiagnosticKind::ALL.iter().map(|kind| {
        let (title, explanation, fix) = kind.documentation();
        CodeInfo {
            code: kind.code(),
            name: kind.code(),
            family: CodeFamily::Expression,
            severity: match kind.severity() {
                ExprSeverity::Error => Severity::Error,
                ExprSeverity::Warning => Severity::Warning,
            },
            title,
            explanation: format!(
                "{explanation}\n\nAn expression diagnostic: printed by `syncpolicy expr check`, and inside the validation findings about the expressions of rules (SP024, SP025)."
            ),
            fix: fix.to_owned(),
        }
    }));
    out
}

/// The codes `validate` can report (validation findings and read errors), for `--select`
/// and `--ignore`.
pub(crate) fn validation_codes(all: &[CodeInfo]) -> Vec<&'static str> {
    all.iter()
        .filter(|c| matches!(c.family, CodeFamily::Validation | CodeFamily::ReadError))
        .map(|c| c.code)
        .collect()
}
