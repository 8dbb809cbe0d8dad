//! The documentation of diagnostic codes: one code explained (`validate --explain CODE`) and
//! the list of every code with its title (`validate --explain all`, `--list-rules`), as text
//! or JSON (schema `syncpolicy-codes/1`).

use serde_json::{json, Value};
use std::fmt::Write as _;
use syncpolicy_model::codes::{CodeFamily, CodeInfo};

/// One code's documentation as plain text: `CODE name (severity)`, its title, the
/// explanation and a `Fix:` section.
pub fn render_explain(info: &CodeInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({})",
        info.code,
        info.name,
        severity_label(info)
    );
    let _ = writeln!(out, "{}", info.title);
    out.push('\n');
    out.push_str(info.explanation.trim_end());
    out.push_str("\n\nFix:\n");
    for line in info.fix.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// Several codes explained one after the other (a name such as `invalid-encoding` can
/// belong to more than one family), separated by a blank line.
pub fn render_explain_all_of(infos: &[&CodeInfo]) -> String {
    infos
        .iter()
        .map(|i| render_explain(i))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every code with its severity, name and title, grouped by family.
pub fn render_list(all: &[CodeInfo]) -> String {
    let mut out = String::new();
    for family in CodeFamily::ALL {
        let codes: Vec<&CodeInfo> = all.iter().filter(|c| c.family == *family).collect();
        if codes.is_empty() {
            continue;
        }
        let width = codes.iter().map(|c| c.code.len()).max().unwrap_or(5);
        let name_width = codes.iter().map(|c| c.name.len()).max().unwrap_or(10);
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}:", family.title());
        for c in codes {
            if c.code == c.name {
                let _ = writeln!(
                    out,
                    "  {:<width$}  {:<7}  {}",
                    c.code,
                    c.severity.as_str(),
                    c.title,
                );
            } else {
                let _ = writeln!(
                    out,
                    "  {:<width$}  {:<name_width$}  {:<7}  {}",
                    c.code,
                    c.name,
                    c.severity.as_str(),
                    c.title,
                );
            }
        }
    }
    out.push_str("\n`syncpolicy validate --explain CODE` explains one code (by code or name).\n");
    out
}

/// Every code as JSON: `{"schema": "syncpolicy-codes/1", "codes": [...]}`.
pub fn render_list_json(all: &[CodeInfo]) -> serde_json::Result<String> {
    let codes: Vec<Value> = all.iter().map(code_json).collect();
    let doc = json!({ "schema": "syncpolicy-codes/1", "codes": codes });
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// One code's documentation as JSON (schema `syncpolicy-codes/1`, one entry in `codes`).
pub fn render_explain_json(infos: &[&CodeInfo]) -> serde_json::Result<String> {
    let codes: Vec<Value> = infos.iter().map(|c| code_json(c)).collect();
    let doc = json!({ "schema": "syncpolicy-codes/1", "codes": codes });
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

fn code_json(c: &CodeInfo) -> Value {
    json!({
        "code": c.code,
        "name": c.name,
        "family": c.family.as_str(),
        "severity": c.severity.as_str(),
        "title": c.title,
        "explanation": c.explanation,
        "fix": c.fix,
    })
}

fn severity_label(info: &CodeInfo) -> &'static str {
    match info.family {
        CodeFamily::Migration => match info.severity {
            syncpolicy_model::diagnostic::Severity::Info => "migration report: fixed automatically",
            syncpolicy_model::diagnostic::Severity::Warning => "migration report: needs review",
            syncpolicy_model::diagnostic::Severity::Error => {
                "migration report: must be redone by hand"
            }
        },
        CodeFamily::Expression => match info.severity {
            syncpolicy_model::diagnostic::Severity::Warning => "expression warning",
            _ => "expression error",
        },
        _ => info.severity.as_str(),
    }
}
