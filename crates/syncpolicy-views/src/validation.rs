//! The validation report of `validate`: every finding as text (with source excerpts, from
//! `syncpolicy_report`) or one line per finding (concise), followed by the summary line; the
//! counts per code (`--statistics`); as JSON, or as SARIF 2.1.0.

use crate::escape;
use std::collections::HashMap;
use syncpolicy_model::diagnostic::{Diagnostic, Severity};
use syncpolicy_model::extension::AcceptedFinding;
use syncpolicy_model::words;
use syncpolicy_report::{Counts, SarifRule};

/// A finding accepted in the settings file, with the entry that accepts it.
pub type AcceptedView<'a> = (&'a Diagnostic, &'a AcceptedFinding);

/// The findings as text followed by `validated N sources: ...`; with `quiet`, the summary
/// line only.
pub fn render_text(
    diags: &[Diagnostic],
    texts: &HashMap<String, String>,
    color: bool,
    sources: usize,
    quiet: bool,
) -> String {
    render_text_accepted(diags, &[], texts, color, sources, quiet)
}

/// As [`render_text`], with the accepted findings listed after the others (one line each
/// with the reason), not counted as errors or warnings.
pub fn render_text_accepted(
    diags: &[Diagnostic],
    accepted: &[AcceptedView<'_>],
    texts: &HashMap<String, String>,
    color: bool,
    sources: usize,
    quiet: bool,
) -> String {
    let mut out: Vec<u8> = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_text_accepted(&mut out, diags, accepted, texts, color, sources, quiet);
    // Only whole `str`s are written, so the bytes are UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`render_text_accepted`] written to `w` part by part as it is rendered: the findings are
/// rendered in chunks on the cores and written in order ([`crate::stream`]), so their text is
/// never held at once.
pub fn write_text_accepted(
    w: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    accepted: &[AcceptedView<'_>],
    texts: &HashMap<String, String>,
    color: bool,
    sources: usize,
    quiet: bool,
) -> std::io::Result<()> {
    let mut written = false;
    if !quiet && !diags.is_empty() {
        let renderer = syncpolicy_report::text::TextRenderer::new(diags, texts, color);
        // The first finding is the one at the start of the list (a plain reference, so the
        // renderer can be shared by the threads).
        let first = &diags[0];
        crate::stream::stream(
            diags,
            crate::stream::cores(),
            |d, out| renderer.render(d, std::ptr::eq(d, first), out),
            &mut |s: &str| w.write_all(s.as_bytes()),
        )?;
        written = true;
    }
    if !quiet && !accepted.is_empty() {
        if written {
            w.write_all(b"\n")?;
        }
        w.write_all(b"accepted findings (not counted):\n")?;
        for (d, a) in accepted {
            w.write_all(
                format!(
                    "  {} {}: {}\n    --> {}\n    accepted: {}\n",
                    escape::text(d.severity.as_str()),
                    escape::text(&d.code),
                    escape::text(&d.message),
                    escape::text(&d.location.to_string()),
                    acceptance_text(a)
                )
                .as_bytes(),
            )?;
        }
        written = true;
    }
    if written {
        w.write_all(b"\n")?;
    }
    w.write_all(summary_line_accepted(diags, accepted.len(), sources).as_bytes())
}

/// `reason (by WHO, at WHEN, for rule NAME)`, escaped for the terminal.
pub fn acceptance_text(a: &AcceptedFinding) -> String {
    let mut extra = Vec::new();
    if let Some(rule) = &a.rule {
        extra.push(format!("for rule {}", escape::text(rule)));
    }
    if let Some(by) = &a.accepted_by {
        extra.push(format!("by {}", escape::text(by)));
    }
    if let Some(at) = &a.accepted_at {
        extra.push(format!("at {}", escape::text(at)));
    }
    let mut out = escape::text(&a.reason).into_owned();
    if !extra.is_empty() {
        out.push_str(&format!(" ({})", extra.join(", ")));
    }
    out
}

/// `validated N sources: 2 errors, 1 warning, 0 infos`, with its line end.
pub fn summary_line(diags: &[Diagnostic], sources: usize) -> String {
    summary_line_accepted(diags, 0, sources)
}

/// The summary line, with `, N accepted` when findings were accepted.
pub fn summary_line_accepted(diags: &[Diagnostic], accepted: usize, sources: usize) -> String {
    format!(
        "validated {}: {}{}\n",
        words::count(sources, "source", "sources"),
        Counts::of(diags).line(),
        if accepted == 0 {
            String::new()
        } else {
            format!(", {accepted} accepted")
        }
    )
}

/// One line per finding, `file:line:col: CODE message` (as ruff's concise output; accepted
/// findings end with `[accepted: reason]`), then the summary line; with `quiet`, the
/// summary line only.
pub fn render_concise(
    diags: &[Diagnostic],
    accepted: &[AcceptedView<'_>],
    sources: usize,
    quiet: bool,
) -> String {
    let mut out = String::new();
    if !quiet {
        for d in diags {
            out.push_str(&concise_place(d));
            out.push_str(&format!(
                ": {} {}\n",
                escape::text(&d.code),
                escape::text(&d.message)
            ));
        }
        for (d, a) in accepted {
            out.push_str(&concise_place(d));
            out.push_str(&format!(
                ": {} {} [accepted: {}]\n",
                escape::text(&d.code),
                escape::text(&d.message),
                escape::text(&a.reason)
            ));
        }
        if !out.is_empty() {
            out.push('\n');
        }
    }
    out.push_str(&summary_line_accepted(diags, accepted.len(), sources));
    out
}

/// `file:line:col` (or as much of it as is known; the JSON path when there is no line).
fn concise_place(d: &Diagnostic) -> String {
    let l = &d.location;
    let mut out = escape::text(l.file.as_deref().unwrap_or("-")).into_owned();
    match (l.line, l.column) {
        (Some(line), Some(col)) => out.push_str(&format!(":{line}:{col}")),
        (Some(line), None) => out.push_str(&format!(":{line}")),
        _ => {
            if let Some(path) = l.json_path.as_ref().or(l.xml_element.as_ref()) {
                out.push_str(&format!(" at {}", escape::text(path)));
            }
        }
    }
    out
}

/// How many findings of one code (`--statistics`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeCount {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    /// The code's one-line title, where the code is known.
    pub title: String,
    pub count: usize,
}

/// Counts per code, most frequent first (ties by code). `title` gives a code's title.
pub fn statistics<'a>(
    diags: impl IntoIterator<Item = &'a Diagnostic>,
    title: impl Fn(&str) -> Option<String>,
) -> Vec<CodeCount> {
    let mut counts: Vec<CodeCount> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for d in diags {
        match index.get(d.code.as_str()) {
            Some(&i) => counts[i].count += 1,
            None => {
                index.insert(&d.code, counts.len());
                counts.push(CodeCount {
                    code: d.code.clone(),
                    name: d.name.clone(),
                    severity: d.severity,
                    title: title(&d.code).unwrap_or_default(),
                    count: 1,
                });
            }
        }
    }
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    counts
}

/// `--statistics` as text: one line per code (count, code, severity, name, title), the
/// accepted findings' counts apart, then the summary line.
pub fn render_statistics_text(
    counts: &[CodeCount],
    accepted: &[CodeCount],
    diags: &[Diagnostic],
    sources: usize,
) -> String {
    let mut out = statistics_lines(counts);
    if !accepted.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("accepted (not counted):\n");
        out.push_str(&statistics_lines(accepted));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let n: usize = accepted.iter().map(|c| c.count).sum();
    out.push_str(&summary_line_accepted(diags, n, sources));
    out
}

fn statistics_lines(counts: &[CodeCount]) -> String {
    let mut out = String::new();
    let width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    let name_width = counts.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in counts {
        let line = format!(
            "{:>width$}  {}  {:<7}  {:<name_width$}  {}",
            c.count,
            escape::text(&c.code),
            c.severity.as_str(),
            escape::text(&c.name),
            escape::text(&c.title),
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `--statistics` as JSON: `{"schema": "syncpolicy-validate-statistics/1", "statistics":
/// [...], "accepted": [...], "summary": {...}}`.
pub fn render_statistics_json(
    counts: &[CodeCount],
    accepted: &[CodeCount],
    diags: &[Diagnostic],
) -> serde_json::Result<String> {
    let c = Counts::of(diags);
    let list = |counts: &[CodeCount]| {
        counts
            .iter()
            .map(|c| {
                serde_json::json!({
                    "code": c.code,
                    "name": c.name,
                    "severity": c.severity.as_str(),
                    "title": c.title,
                    "count": c.count,
                })
            })
            .collect::<Vec<_>>()
    };
    let doc = serde_json::json!({
        "schema": "syncpolicy-validate-statistics/1",
        "statistics": list(counts),
        "accepted": list(accepted),
        "summary": {
            "errors": c.errors,
            "warnings": c.warnings,
            "infos": c.infos,
            "accepted": accepted.iter().map(|c| c.count).sum::<usize>(),
        },
    });
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// The findings as JSON (see [`render_json`]) with the accepted findings in `accepted`
/// (each a diagnostic object plus `reason`, `rule`, `acceptedBy`, `acceptedAt`) and their
/// number in `summary.accepted`.
pub fn render_json_accepted(
    diags: &[Diagnostic],
    accepted: &[AcceptedView<'_>],
) -> serde_json::Result<String> {
    let doc = syncpolicy_report::json::to_json_accepted(diags, accepted);
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// The findings as JSON (see docs/diagnostics.md).
pub fn render_json(diags: &[Diagnostic]) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(&syncpolicy_report::to_json(diags))? + "\n")
}

/// The findings as SARIF 2.1.0 with the given rule table.
pub fn render_sarif(diags: &[Diagnostic], rules: &[SarifRule]) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(&syncpolicy_report::to_sarif(diags, rules))? + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use syncpolicy_model::diagnostic::{Location, Severity};

    /// Findings rendered in chunks on the cores read exactly as one rendering of them all, in
    /// order (excerpts, labels, colours, the empty line between findings).
    #[test]
    fn streamed_findings_read_as_one_rendering() {
        let text: String = (0..900).map(|i| format!("{{\"k{i}\": \"v\"}}\n")).collect();
        let diags: Vec<Diagnostic> = (0..700u32)
            .map(|i| {
                let at = |line: u32, column: u32| {
                    Location::file("f.json")
                        .with_json_path(format!("k{line}"))
                        .with_position(line, column)
                };
                let mut d = Diagnostic::new(
                    "SP001",
                    "some-finding",
                    Severity::Warning,
                    format!("finding {i}"),
                    at(i + 1, 3),
                )
                .with_help("do something");
                if i % 7 == 0 {
                    d = d.with_label(at(i + 2, 2), "see also");
                }
                d
            })
            .collect();
        let texts = HashMap::from([("f.json".to_owned(), text)]);
        for color in [false, true] {
            let got = render_text(&diags, &texts, color, 1, false);
            let want = format!(
                "{}\n{}",
                syncpolicy_report::render_text(&diags, &texts, color),
                summary_line_accepted(&diags, 0, 1)
            );
            assert_eq!(got, want, "color {color}");
            assert!(got.contains("finding 699"));
        }
    }
}
