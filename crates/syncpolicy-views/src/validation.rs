//! The validation report of `validate`: every finding as text (with source excerpts, from
//! `syncpolicy_report`) followed by the summary line, as JSON, or as SARIF 2.1.0.

use std::collections::HashMap;
use syncpolicy_model::diagnostic::Diagnostic;
use syncpolicy_report::{Counts, SarifRule};

/// The findings as text; unless `quiet`, followed by `validated N sources: ...`.
pub fn render_text(
    diags: &[Diagnostic],
    texts: &HashMap<String, String>,
    color: bool,
    sources: usize,
    quiet: bool,
) -> String {
    let mut out = syncpolicy_report::render_text(diags, texts, color);
    if !quiet {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!(
            "validated {sources} source{}: {}\n",
            if sources == 1 { "" } else { "s" },
            Counts::of(diags).line()
        ));
    }
    out
}

/// The findings as JSON (see docs/diagnostics.md).
pub fn render_json(diags: &[Diagnostic]) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(&syncpolicy_report::to_json(diags))? + "\n")
}

/// The findings as SARIF 2.1.0 with the given rule table.
pub fn render_sarif(diags: &[Diagnostic], rules: &[SarifRule]) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(&syncpolicy_report::to_sarif(diags, rules))? + "\n")
}
