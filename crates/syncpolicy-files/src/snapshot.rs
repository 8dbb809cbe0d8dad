//! Snapshot files: `Applied-SynchronizationPolicy-<stamp>.json` (after every change) and
//! `Exported-SynchronizationPolicy-<stamp>.json` (on demand); unique names, newest in a folder.

use crate::timestamp::UtcMillis;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Prefix of automatic snapshots.
pub const APPLIED_PREFIX: &str = "Applied-SynchronizationPolicy-";
/// Prefix of on-demand exports.
pub const EXPORTED_PREFIX: &str = "Exported-SynchronizationPolicy-";
/// Prefix of migrated settings files.
pub const MIGRATED_PREFIX: &str = "Migrated-SynchronizationPolicy-";

/// The snapshot path for `prefix` at `at` in `dir`; when that name is taken (two changes in
/// one millisecond), the next free millisecond, so names stay unique and sortable.
pub fn unique_snapshot_path(dir: &Path, prefix: &str, at: UtcMillis) -> (PathBuf, UtcMillis) {
    let mut t = at;
    loop {
        let path = dir.join(format!("{prefix}{}.json", t.file_stamp()));
        if !path.exists() {
            return (path, t);
        }
        t = UtcMillis(t.0 + 1);
    }
}

/// True when a file name looks like a settings snapshot.
pub fn is_snapshot_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".json")
        && [APPLIED_PREFIX, EXPORTED_PREFIX, MIGRATED_PREFIX]
            .iter()
            .any(|p| lower.starts_with(&p.to_ascii_lowercase()))
}

/// The newest snapshot in a folder: by the timestamp in its name (our own sortable stamps and
/// the product's alike sort by name within one prefix), then by modification time.
pub fn newest_snapshot(dir: &Path) -> io::Result<Option<PathBuf>> {
    let mut best: Option<(std::time::SystemTime, String, PathBuf)> = None;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_snapshot_name(&name) || !entry.file_type()?.is_file() {
            continue;
        }
        let mtime = entry.metadata()?.modified()?;
        // Compare by the stamp part (after the prefix), so Applied and Exported interleave.
        let stamp = name
            .split_once("SynchronizationPolicy-")
            .map(|(_, s)| s.to_owned())
            .unwrap_or_default();
        let key = (mtime, stamp.clone(), entry.path());
        best = match best {
            Some(b) if (b.1.as_str(), b.0) >= (stamp.as_str(), mtime) => Some(b),
            _ => Some(key),
        };
    }
    Ok(best.map(|b| b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_within_a_millisecond() {
        let dir = tempfile::tempdir().unwrap();
        let t = UtcMillis(1_795_680_900_123);
        let (a, ta) = unique_snapshot_path(dir.path(), APPLIED_PREFIX, t);
        fs::write(&a, "{}").unwrap();
        let (b, tb) = unique_snapshot_path(dir.path(), APPLIED_PREFIX, t);
        assert_ne!(a, b);
        assert!(tb > ta);
        assert!(b.file_name() > a.file_name(), "later names sort later");
    }

    #[test]
    fn newest_snapshot_by_stamp() {
        let dir = tempfile::tempdir().unwrap();
        for n in [
            "Applied-SynchronizationPolicy-20261126-081500.123Z.json",
            "Exported-SynchronizationPolicy-20261126-091500.000Z.json",
            "Applied-SynchronizationPolicy-20251126-081500.123Z.json",
            "notes.txt",
        ] {
            fs::write(dir.path().join(n), "{}").unwrap();
        }
        let newest = newest_snapshot(dir.path()).unwrap().unwrap();
        assert!(newest.ends_with("Exported-SynchronizationPolicy-20261126-091500.000Z.json"));
        let empty = tempfile::tempdir().unwrap();
        assert!(newest_snapshot(empty.path()).unwrap().is_none());
    }
}
