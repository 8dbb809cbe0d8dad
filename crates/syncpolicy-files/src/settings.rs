//! Reading a settings file from disk, keeping its decoded text for diagnostics that quote it.

use std::fs;
use std::path::Path;
use syncpolicy_json::digest::SectionSpans;
use syncpolicy_json::encoding::decode_owned;
use syncpolicy_json::error::ReadError;
use syncpolicy_model::config::Configuration;

/// A settings file read from disk.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    pub config: Configuration,
    /// The decoded text (for excerpts and positions).
    pub text: String,
    /// Size in bytes on disk.
    pub size: u64,
    /// Where the digested sections are in `text` (for `syncpolicy_json::digest::check_text`).
    pub spans: SectionSpans,
}

/// Why a settings file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// Reads and parses a settings file: one read of the bytes, which become the text without a
/// copy when they are UTF-8.
pub fn load_settings(path: &Path) -> Result<SettingsFile, LoadError> {
    let display = path.display().to_string();
    let bytes = fs::read(path).map_err(|source| LoadError::Io {
        path: display.clone(),
        source,
    })?;
    let size = bytes.len() as u64;
    let text = match decode_owned(bytes) {
        Ok((text, _)) => text,
        Err(e) => {
            return Err(LoadError::Read(syncpolicy_json::encoding_error(
                &e, &display,
            )))
        }
    };
    let (config, spans) = syncpolicy_json::read_settings_spans(&text, &display)?;
    Ok(SettingsFile {
        config,
        text,
        size,
        spans,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_a_written_sample_and_reports_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let config = syncpolicy_samples::samples::express_single_forest();
        fs::write(&path, syncpolicy_json::write_settings(&config)).unwrap();
        let loaded = load_settings(&path).unwrap();
        assert_eq!(loaded.config.onpremises_directories.len(), 1);
        let err = load_settings(&dir.path().join("nope.json")).unwrap_err();
        assert!(err.to_string().starts_with("cannot read "));
    }
}
