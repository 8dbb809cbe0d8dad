//! The history view of `history`: the deployment's changes, newest first, each with the
//! snapshot reference (`@latest`, `@~N`) that `show`, `diff` and `verify` accept; as text (every
//! value escaped for the terminal) or JSON (`syncpolicy-history/1`).

use crate::escape::text as e;
use crate::style::Style;
use serde::Serialize;
use std::fmt::Write as _;

/// One committed change, as the history lists it (the fields of the store's history entry).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// Increasing number, 1 for the installation.
    pub id: i64,
    /// UTC time, ISO 8601 with milliseconds.
    pub at: String,
    /// Milliseconds since the Unix epoch.
    pub at_millis: i64,
    /// Who made the change.
    pub author: String,
    /// The command, e.g. `install --import` or `staging on`.
    pub command: String,
    /// One line saying what changed.
    pub summary: String,
    /// SHA-256 of the exported file's bytes.
    pub digest: String,
    /// File name of the export.
    pub snapshot: String,
}

/// One line of the history: its reference and the change.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    /// `@latest`, `@~1`, ...
    pub reference: String,
    #[serde(flatten)]
    pub entry: Entry,
}

/// The lines of a history given newest first, at most `limit` of them.
pub fn lines(entries: impl IntoIterator<Item = Entry>, limit: Option<usize>) -> Vec<Line> {
    entries
        .into_iter()
        .enumerate()
        .take(limit.unwrap_or(usize::MAX))
        .map(|(i, entry)| Line {
            reference: if i == 0 {
                "@latest".to_owned()
            } else {
                format!("@~{i}")
            },
            entry,
        })
        .collect()
}

/// The history document (`syncpolicy-history/1`).
#[derive(Debug, Serialize)]
struct HistoryDoc<'a> {
    schema: &'static str,
    count: usize,
    entries: &'a [Line],
}

/// The history as JSON: `schema`, `count`, then the lines as `entries`, newest first.
pub fn render_json(lines: &[Line]) -> serde_json::Result<String> {
    let doc = HistoryDoc {
        schema: crate::schema::HISTORY,
        count: lines.len(),
        entries: lines,
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// The history as text: two lines per change.
pub fn render_text(lines: &[Line], style: &Style) -> String {
    let mut o = String::new();
    for l in lines {
        let _ = writeln!(
            o,
            "{:<8} {}  {}  {}  {}",
            l.reference,
            style.dim(&e(&l.entry.at)),
            style.bold(&e(&l.entry.command)),
            e(&l.entry.summary),
            style.dim(&e(&format!("by {}", l.entry.author)))
        );
        let digest: String = l.entry.digest.chars().take(16).collect();
        let _ = writeln!(
            o,
            "         {}  sha256 {}",
            e(&l.entry.snapshot),
            e(&digest)
        );
    }
    o
}
