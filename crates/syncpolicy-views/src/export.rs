//! The view of `export`: the file written (text: its path; JSON: `syncpolicy-export/1` with the
//! path, the snapshot's file name and time, and the change it holds).

use crate::schema;
use serde::Serialize;

/// One directory's account in the export, and whether the deployment holds its credential
/// (the credential itself is never exported).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedDirectory<'a> {
    pub name: &'a str,
    pub account: Option<&'a str>,
    /// `set`, `pre-created account` or `not set`.
    pub credential: &'static str,
}

/// What `export` wrote.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported<'a> {
    schema: &'static str,
    /// The written file.
    pub path: String,
    /// Its file name, `Exported-SynchronizationPolicy-<timestamp>.json`.
    pub file: String,
    /// The snapshot's time, UTC ISO 8601 with milliseconds, from the file name.
    pub timestamp: String,
    /// The history entry whose configuration was exported (the current one).
    pub change: Option<i64>,
    pub directories: Vec<ExportedDirectory<'a>>,
}

impl<'a> Exported<'a> {
    /// The view of one export.
    pub fn new(
        path: String,
        file: String,
        timestamp: String,
        change: Option<i64>,
        directories: Vec<ExportedDirectory<'a>>,
    ) -> Self {
        Exported {
            schema: schema::EXPORT,
            path,
            file,
            timestamp,
            change,
            directories,
        }
    }
}

/// The export as JSON.
pub fn render_json(x: &Exported<'_>) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(x)? + "\n")
}

/// The export as text: the path written.
pub fn render_text(x: &Exported<'_>) -> String {
    format!("{}\n", crate::escape::text(&x.path))
}
