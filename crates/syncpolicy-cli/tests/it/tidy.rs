//! Repository tidiness: every source file starts with a `//!` line saying what it is for.

use crate::support::workspace;
use std::path::Path;

fn visit(dir: &Path, bad: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') && name != "data" && name != "snapshots" {
                visit(&path, bad);
            }
        } else if name.ends_with(".rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            if !first.starts_with("//!") {
                bad.push(path.display().to_string());
            }
        }
    }
}

#[test]
fn every_rust_file_starts_with_a_module_doc_line() {
    let mut bad = Vec::new();
    visit(&workspace().join("crates"), &mut bad);
    assert!(
        bad.is_empty(),
        "files without a leading `//!` line:\n{}",
        bad.join("\n")
    );
}
