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
    if let Some(summary) = summary_line(diags, sources, quiet, out.is_empty()) {
        out.push_str(&summary);
    }
    out
}

/// [`render_text`] written to `w` part by part as it is rendered (the whole text is never
/// held at once).
pub fn write_text(
    w: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    texts: &HashMap<String, String>,
    color: bool,
    sources: usize,
    quiet: bool,
) -> std::io::Result<()> {
    syncpolicy_report::write_text(w, diags, texts, color)?;
    match summary_line(diags, sources, quiet, diags.is_empty()) {
        Some(summary) => w.write_all(summary.as_bytes()),
        None => Ok(()),
    }
}

/// The closing `validated N sources: ...` line (after a blank line unless nothing came
/// before it); `None` when `quiet`.
fn summary_line(diags: &[Diagnostic], sources: usize, quiet: bool, alone: bool) -> Option<String> {
    (!quiet).then(|| {
        format!(
            "{}validated {sources} source{}: {}\n",
            if alone { "" } else { "\n" },
            if sources == 1 { "" } else { "s" },
            Counts::of(diags).line()
        )
    })
}

/// The findings as JSON (see docs/diagnostics.md).
pub fn render_json(diags: &[Diagnostic]) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(&syncpolicy_report::to_json(diags))? + "\n")
}

/// The findings as SARIF 2.1.0 with the given rule table.
pub fn render_sarif(diags: &[Diagnostic], rules: &[SarifRule]) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(&syncpolicy_report::to_sarif(diags, rules))? + "\n")
}
