//! Helpers shared by the lint tests: workspace paths, reading and checking a settings file,
//! rendering findings as the CLI does.
#![allow(
    clippy::disallowed_methods,
    reason = "tests read fixtures and samples from disk"
)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use syncpolicy_model::diagnostic::Diagnostic;

/// The workspace root.
pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the lint crate sits two levels below the workspace root")
        .to_path_buf()
}

/// The crate's test data folder.
pub(crate) fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
}

/// Reads and checks a settings file's text; `Err` holds the read error as a diagnostic.
pub(crate) fn check_text(text: &str, name: &str) -> Result<Vec<Diagnostic>, Diagnostic> {
    match syncpolicy_json::read_settings_str(text, name) {
        Ok(config) => Ok(syncpolicy_lint::check_file(&config, text, name)),
        Err(e) => Err(e.to_diagnostic()),
    }
}

/// Renders findings as `syncpolicy validate` prints them (no colour).
pub(crate) fn render(diags: &[Diagnostic], name: &str, text: &str) -> String {
    let mut sources = HashMap::new();
    sources.insert(name.to_owned(), text.to_owned());
    syncpolicy_report::render_text(diags, &sources, false)
}
