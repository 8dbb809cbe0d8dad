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
    let bytes = read_bytes(path, PARALLEL_READ_BYTES).map_err(|source| LoadError::Io {
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

/// Files from this size on are read in two halves at once (see [`read_bytes`]).
const PARALLEL_READ_BYTES: u64 = 8 << 20;

/// The bytes of a file. From `parallel_from` bytes on (on Unix), its two halves are read
/// into their places at once, each on its own core (copying a large file out of the page
/// cache, and the memory's first touch, are then shared); a file that changes size meanwhile
/// is read again the plain way.
fn read_bytes(path: &Path, parallel_from: u64) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let file = fs::File::open(path)?;
        let len = file.metadata()?.len();
        if let Some(n) = usize::try_from(len)
            .ok()
            .filter(|_| len >= parallel_from.max(2))
        {
            let mut buf = vec![0u8; n];
            let (first, second) = buf.split_at_mut(n / 2);
            let (a, b) = std::thread::scope(|s| {
                let second_half = s.spawn(|| file.read_exact_at(second, (n / 2) as u64));
                let a = file.read_exact_at(first, 0);
                (a, second_half.join())
            });
            let mut probe = [0u8; 1];
            let same_size = matches!(file.read_at(&mut probe, len), Ok(0));
            if a.is_ok() && matches!(b, Ok(Ok(()))) && same_size {
                return Ok(buf);
            }
        }
    }
    fs::read(path)
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
        // Read in two halves at once: the same bytes, for even and odd lengths.
        let bytes = fs::read(&path).unwrap();
        for len in [2, 3, bytes.len() - 1, bytes.len()] {
            let part = dir.path().join(format!("part-{len}.json"));
            fs::write(&part, &bytes[..len]).unwrap();
            assert_eq!(read_bytes(&part, 1).unwrap(), &bytes[..len]);
        }
        let empty = dir.path().join("empty.json");
        fs::write(&empty, b"").unwrap();
        assert_eq!(read_bytes(&empty, 1).unwrap(), b"");
        let err = read_bytes(&dir.path().join("nope.json"), 1).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
        let err = load_settings(&dir.path().join("nope.json")).unwrap_err();
        assert!(err.to_string().starts_with("cannot read "));
    }
}
