//! The view of `prune`: which exports a retention rule removed (or would remove) and what it
//! kept; as JSON (`syncpolicy-prune/1`) or text (file names escaped for the terminal).

use crate::escape::text as e;
use serde::Serialize;
use std::fmt::Write as _;
use syncpolicy_model::words;

/// What a prune did, as data (the JSON output is this structure).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pruned<'a> {
    /// Always `syncpolicy-prune/1`.
    pub schema: &'static str,
    /// Nothing was removed: the list says what would be.
    pub dry_run: bool,
    /// Export files removed (or to remove), oldest first.
    pub removed: &'a [String],
    /// Their total size in bytes.
    pub bytes: u64,
    /// Exports kept by the rule (the newest is always kept).
    pub kept: usize,
    /// Exports kept because history still needs them to answer `@~N`.
    pub kept_needed: &'a [String],
}

impl<'a> Pruned<'a> {
    /// The view of one prune.
    pub fn new(
        dry_run: bool,
        removed: &'a [String],
        bytes: u64,
        kept: usize,
        kept_needed: &'a [String],
    ) -> Self {
        Pruned {
            schema: crate::schema::PRUNE,
            dry_run,
            removed,
            bytes,
            kept,
            kept_needed,
        }
    }
}

/// The prune as text: one line per removed export, then the totals.
pub fn render_text(p: &Pruned<'_>) -> String {
    let mut o = String::new();
    let verb = if p.dry_run { "would remove" } else { "removed" };
    for name in p.removed {
        let _ = writeln!(o, "{verb} {}", e(name));
    }
    let _ = writeln!(
        o,
        "{}{verb} {} ({:.1} MB); kept {}{}",
        if p.dry_run { "dry run: " } else { "" },
        words::count(p.removed.len(), "export", "exports"),
        p.bytes as f64 / 1_000_000.0,
        p.kept,
        if p.kept_needed.is_empty() {
            String::new()
        } else {
            format!(
                ", and {} that history still needs for @~N (--include-needed removes them)",
                p.kept_needed.len()
            )
        }
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_counts_and_escapes_names() {
        let removed = vec!["a\u{1b}]0;x\u{7}.json".to_owned()];
        let needed = vec!["old.json".to_owned()];
        let t = render_text(&Pruned::new(true, &removed, 2_500_000, 3, &needed));
        assert!(!t.contains('\u{1b}'), "{t}");
        assert!(
            t.starts_with("would remove a\\u{1b}]0;x\\u{7}.json\n"),
            "{t}"
        );
        assert!(
            t.contains(
                "dry run: would remove 1 export (2.5 MB); kept 3, and 1 that history still needs"
            ),
            "{t}"
        );
        let json = serde_json::to_value(Pruned::new(false, &removed, 1, 1, &[])).unwrap();
        assert_eq!(json["schema"], "syncpolicy-prune/1");
        assert_eq!(json["dryRun"], false);
        assert_eq!(json["keptNeeded"], serde_json::json!([]));
    }
}
