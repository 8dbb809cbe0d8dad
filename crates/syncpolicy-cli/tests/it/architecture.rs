//! Architecture: the command files only parse arguments and call the libraries; no view (no
//! renderer, no HTML, no Markdown table builder, no aligned-text writer) remains under
//! `crates/syncpolicy-cli/src/commands/`. Views live in `syncpolicy-views`.

use crate::support::workspace;

/// What a renderer looks like in source text.
const RENDERER_SIGNS: &[&str] = &[
    "fn render",
    "<html",
    "<table",
    "<div",
    "| --- |",
    "|---|",
    "writeln!(",
    "const CSS",
    "const JS",
    "<style",
    "<script",
];

#[test]
fn no_renderer_remains_in_the_command_files() {
    let dir = workspace().join("crates/syncpolicy-cli/src/commands");
    let mut found = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("the commands folder") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).expect("a command file");
        for (n, line) in text.lines().enumerate() {
            for sign in RENDERER_SIGNS {
                if line.contains(sign) {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        files > 10,
        "the command files were not found in {}",
        dir.display()
    );
    assert!(
        found.is_empty(),
        "views belong in crates/syncpolicy-views, not in the command files:\n{}",
        found.join("\n")
    );
}
