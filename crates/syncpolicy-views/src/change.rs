//! The JSON documents of the change commands (`syncpolicy-change/1`) and of `apply`
//! (`syncpolicy-apply/2`): what was (or would be) changed, the history entry and the export
//! written, and the changes as `diff` lists them. Keys in a fixed order: identity (schema,
//! command or source, dry run), then the summary, then where it went, then the details.

use crate::history::Entry;
use crate::schema;
use serde::Serialize;
use syncpolicy_diff::Change;

/// The export a committed change wrote.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot<'a> {
    /// The export's path.
    pub path: String,
    /// Its file name (as `history` names it).
    pub file: &'a str,
}

/// One change command's result (`--dry-run`: `snapshot` and `history` are `null`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeDoc<'a> {
    schema: &'static str,
    /// The command, e.g. `staging on`.
    pub command: &'a str,
    pub dry_run: bool,
    /// True when the configuration already is so: nothing to change, no history entry, no
    /// export (`summary` says so).
    pub unchanged: bool,
    /// One line saying what changed.
    pub summary: &'a str,
    /// Number of changes listed in `changes`.
    pub change_count: usize,
    pub snapshot: Option<Snapshot<'a>>,
    pub history: Option<&'a Entry>,
    pub changes: &'a [Change],
}

impl<'a> ChangeDoc<'a> {
    /// The document of a change (`committed`: the export and history entry it wrote).
    pub fn new(
        command: &'a str,
        summary: &'a str,
        committed: Option<(Snapshot<'a>, &'a Entry)>,
        changes: &'a [Change],
    ) -> Self {
        let (snapshot, history) = committed.unzip();
        ChangeDoc {
            schema: schema::CHANGE,
            command,
            dry_run: snapshot.is_none(),
            unchanged: false,
            summary,
            change_count: changes.len(),
            snapshot,
            history,
            changes,
        }
    }
}

impl<'a> ChangeDoc<'a> {
    /// The document of a change that changes nothing (`message`: the one wording of it).
    pub fn unchanged(command: &'a str, dry_run: bool, message: &'a str) -> Self {
        ChangeDoc {
            schema: schema::CHANGE,
            command,
            dry_run,
            unchanged: true,
            summary: message,
            change_count: 0,
            snapshot: None,
            history: None,
            changes: &[],
        }
    }
}

/// `apply`'s result: unchanged, a dry run, or the committed change.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyDoc<'a> {
    schema: &'static str,
    /// The source as given (file, folder or reference).
    pub source: &'a str,
    pub dry_run: bool,
    /// True when the deployment already holds the source (nothing to apply).
    pub unchanged: bool,
    /// The change a rollback returns to (`@~N`), else `null`.
    pub rollback_to: Option<i64>,
    /// One line saying what changed (`null` when unchanged).
    pub summary: Option<&'a str>,
    /// Number of changes listed in `changes`.
    pub change_count: usize,
    pub snapshot: Option<Snapshot<'a>>,
    pub history: Option<&'a Entry>,
    pub changes: &'a [Change],
}

impl<'a> ApplyDoc<'a> {
    /// The document of one apply.
    pub fn new(
        source: &'a str,
        dry_run: bool,
        rollback_to: Option<i64>,
        summary: Option<&'a str>,
        committed: Option<(Snapshot<'a>, &'a Entry)>,
        changes: &'a [Change],
    ) -> Self {
        let (snapshot, history) = committed.unzip();
        ApplyDoc {
            schema: schema::APPLY,
            source,
            dry_run,
            unchanged: summary.is_none(),
            rollback_to,
            summary,
            change_count: changes.len(),
            snapshot,
            history,
            changes,
        }
    }
}

/// A document as pretty JSON with a final newline.
pub fn to_json<T: Serialize>(doc: &T) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(doc)? + "\n")
}
