//! The disk side of legacy migration: reads an `Exported-ServerConfiguration-*` folder
//! (only the documented file names: `Connectors/*.xml`, `GlobalSettings/MV.xml`,
//! `SynchronizationRules/*.xml`, `PersistedState.xml`, `MigratedPolicy.json`) into memory and
//! hands it to `syncpolicy_legacy::migrate`. Nothing read from a file is used as a path.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use syncpolicy_json::error::ReadError;
use syncpolicy_legacy::fixture::Shape;
use syncpolicy_legacy::{
    LegacyError, LegacyFolder, MigratedPolicy, MigrationReport, CONNECTORS_DIR,
    GLOBAL_SETTINGS_DIR, MIGRATED_POLICY_FILE, PERSISTED_STATE_FILE, RULES_DIR,
};
use syncpolicy_model::config::Configuration;

/// Why a legacy folder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LegacyLoadError {
    /// The folder itself is not there (or is not a folder).
    #[error("{path} is not a folder\nhint: give the Exported-ServerConfiguration-* folder that MigrateSettings.ps1 wrote")]
    NotAFolder { path: String },
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    /// `MigratedPolicy.json` could not be read.
    #[error(transparent)]
    Policy(#[from] Box<ReadError>),
    /// The content could not be migrated. The error names files relative to `folder`.
    #[error("{}", legacy_message(folder, error))]
    Legacy {
        folder: String,
        error: Box<LegacyError>,
    },
}

/// The error with its file named by full path (the folder joined to the relative name).
fn legacy_message(folder: &str, error: &LegacyError) -> String {
    match error {
        LegacyError::Missing { .. } => error.to_string(),
        _ => format!("{}{}{error}", folder, std::path::MAIN_SEPARATOR),
    }
}

/// True when a folder looks like a legacy export: it has a `Connectors`, `GlobalSettings` or
/// `SynchronizationRules` subfolder (any case, as on Windows). A folder written by
/// `Get-ADSyncServerConfiguration` alone has these three and nothing else.
pub fn is_legacy_folder(path: &Path) -> bool {
    let Ok(entries) = fs::read_dir(path) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        [CONNECTORS_DIR, GLOBAL_SETTINGS_DIR, RULES_DIR]
            .iter()
            .any(|w| name.eq_ignore_ascii_case(w))
            && entry.path().is_dir()
    })
}

/// Reads a legacy folder from disk into memory (no migration yet).
pub fn read_legacy_folder(path: &Path) -> Result<LegacyFolder, LegacyLoadError> {
    let display = path.display().to_string();
    if !path.is_dir() {
        return Err(LegacyLoadError::NotAFolder { path: display });
    }
    let io_err = |p: &Path, source: io::Error| LegacyLoadError::Io {
        path: p.display().to_string(),
        source,
    };
    let mut folder = LegacyFolder::new(display);
    // Subfolders are matched case-insensitively (the export comes from Windows).
    let entries = fs::read_dir(path).map_err(|e| io_err(path, e))?;
    let mut top_files = Vec::new();
    // (relative name, path on disk) of every file to read.
    let mut wanted_files: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_err(path, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().map_err(|e| io_err(&entry.path(), e))?;
        if kind.is_dir() {
            for wanted in [CONNECTORS_DIR, GLOBAL_SETTINGS_DIR, RULES_DIR] {
                if name.eq_ignore_ascii_case(wanted) {
                    folder.folders.push(wanted.to_owned());
                    list_xml_files(&entry.path(), wanted, &mut wanted_files)?;
                }
            }
        } else if kind.is_file() {
            top_files.push(name);
        }
    }
    if let Some(name) = top_files
        .iter()
        .find(|n| n.eq_ignore_ascii_case(PERSISTED_STATE_FILE))
    {
        wanted_files.push((PERSISTED_STATE_FILE.to_owned(), path.join(name)));
    }
    folder.files = read_all(wanted_files)?;
    if let Some(name) = top_files
        .iter()
        .find(|n| n.eq_ignore_ascii_case(MIGRATED_POLICY_FILE))
    {
        let p = path.join(name);
        let bytes = fs::read(&p).map_err(|e| io_err(&p, e))?;
        let shown = p.display().to_string();
        let config = syncpolicy_json::read_settings(&bytes, &shown).map_err(Box::new)?;
        folder.migrated_policy = Some(MigratedPolicy {
            file: shown,
            policy_metadata: config.policy_metadata,
            deployment_metadata: config.deployment_metadata,
        });
    }
    Ok(folder)
}

/// Lists the `.xml` files directly in a subfolder (file names from the listing only).
fn list_xml_files(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), LegacyLoadError> {
    let io_err = |p: &Path, source: io::Error| LegacyLoadError::Io {
        path: p.display().to_string(),
        source,
    };
    for entry in fs::read_dir(dir).map_err(|e| io_err(dir, e))? {
        let entry = entry.map_err(|e| io_err(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry
            .file_type()
            .map_err(|e| io_err(&entry.path(), e))?
            .is_file();
        if is_file && name.to_ascii_lowercase().ends_with(".xml") {
            out.push((format!("{prefix}/{name}"), entry.path()));
        }
    }
    Ok(())
}

/// Reads the files on up to [`READ_THREADS`] threads (the kernel's copies of a 30 MB folder
/// overlap), keeping the order of the list; the first error in that order is returned.
fn read_all(files: Vec<(String, PathBuf)>) -> Result<Vec<(String, Vec<u8>)>, LegacyLoadError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(READ_THREADS);
    let read = |p: &Path| {
        fs::read(p).map_err(|source| LegacyLoadError::Io {
            path: p.display().to_string(),
            source,
        })
    };
    let mut results: Vec<Option<Result<Vec<u8>, LegacyLoadError>>> =
        (0..files.len()).map(|_| None).collect();
    if threads < 2 || files.len() < 2 {
        for (slot, (_, p)) in results.iter_mut().zip(&files) {
            *slot = Some(read(p));
        }
    } else {
        let next = AtomicUsize::new(0);
        let worker = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((_, p)) = files.get(i) else {
                    return done;
                };
                done.push((i, read(p)));
            }
        };
        std::thread::scope(|scope| {
            let handles: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
            let mine = worker();
            for (i, r) in mine {
                results[i] = Some(r);
            }
            for h in handles {
                match h.join() {
                    Ok(done) => {
                        for (i, r) in done {
                            results[i] = Some(r);
                        }
                    }
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        });
    }
    files
        .into_iter()
        .zip(results)
        .map(|((rel, p), r)| match r {
            Some(r) => r.map(|bytes| (rel, bytes)),
            None => read(&p).map(|bytes| (rel, bytes)),
        })
        .collect()
}

/// Threads that read the files of a folder at most.
const READ_THREADS: usize = 4;

/// Reads and migrates a legacy folder.
pub fn load_legacy_folder(
    path: &Path,
) -> Result<(Configuration, MigrationReport), LegacyLoadError> {
    let folder = read_legacy_folder(path)?;
    syncpolicy_legacy::migrate(&folder).map_err(|error| LegacyLoadError::Legacy {
        folder: folder.name.clone(),
        error: Box::new(error),
    })
}

/// Writes a legacy folder for a configuration in the real shape of `MigrateSettings.ps1`
/// (`syncpolicy_legacy::fixture::Shape::migrate_settings`: one-line schemas, CRLF, BOM,
/// `MigratedPolicy.json` in UTF-16), for tests, trials and benchmarks. `dir` must exist.
pub fn write_legacy_folder(
    dir: &Path,
    config: &Configuration,
    schema_bytes_per_connector: usize,
) -> io::Result<()> {
    write_legacy_folder_shaped(
        dir,
        config,
        &Shape::migrate_settings(schema_bytes_per_connector),
    )
}

/// Writes a legacy folder for a configuration in a shape (see
/// `syncpolicy_legacy::fixture::Shape`). `dir` must exist.
pub fn write_legacy_folder_shaped(
    dir: &Path,
    config: &Configuration,
    shape: &Shape,
) -> io::Result<()> {
    for sub in [CONNECTORS_DIR, GLOBAL_SETTINGS_DIR, RULES_DIR] {
        fs::create_dir_all(dir.join(sub))?;
    }
    for (rel, bytes) in syncpolicy_legacy::fixture::write_folder_shaped(config, shape) {
        fs::write(dir.join(rel), bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_loads_a_sample_folder() {
        let dir = tempfile::tempdir().unwrap();
        let sample = syncpolicy_samples::samples::multi_forest_custom();
        write_legacy_folder(dir.path(), &sample, 2048).unwrap();
        let (config, report) = load_legacy_folder(dir.path()).unwrap();
        assert_eq!(config.onpremises_directories.len(), 2);
        // MigrateSettings.ps1 writes no policy schema version.
        let mut expected = sample.policy_metadata.clone();
        expected.policy_schema_version = None;
        assert_eq!(config.policy_metadata, expected);
        assert_eq!(config.rule_count(), sample.rule_count());
        assert!(report.unattached_rules.is_empty());
    }

    #[test]
    fn reads_every_shape_of_the_generator() {
        let sample = syncpolicy_samples::samples::multi_forest_custom();
        for shape in Shape::variations(4096) {
            let dir = tempfile::tempdir().unwrap();
            write_legacy_folder_shaped(dir.path(), &sample, &shape).unwrap();
            let (config, report) =
                load_legacy_folder(dir.path()).unwrap_or_else(|e| panic!("{shape:?}: {e}"));
            assert_eq!(config.rule_count(), sample.rule_count(), "{shape:?}");
            let missing: Vec<_> = report
                .items
                .iter()
                .filter(|i| i.diagnostic.code == "SP321")
                .map(|i| i.diagnostic.location.file.clone().unwrap_or_default())
                .collect();
            let mut expected = Vec::new();
            if shape.migrated_policy.is_none() {
                expected.push("MigratedPolicy.json".to_owned());
            }
            if !shape.persisted_state {
                expected.push("PersistedState.xml".to_owned());
            }
            assert_eq!(missing, expected, "{shape:?}");
            if shape.migrated_policy.is_some() {
                let mut expected = sample.policy_metadata.clone();
                expected.policy_schema_version = None;
                assert_eq!(config.policy_metadata, expected, "{shape:?}");
                assert_eq!(
                    config.deployment_metadata.connector_ids,
                    sample.deployment_metadata.connector_ids
                );
            } else {
                assert_eq!(config.policy_metadata, Default::default(), "{shape:?}");
            }
        }
    }

    #[test]
    fn missing_parts_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let err = load_legacy_folder(&dir.path().join("nope")).unwrap_err();
        assert!(err.to_string().ends_with("nope is not a folder\nhint: give the Exported-ServerConfiguration-* folder that MigrateSettings.ps1 wrote"));
        let err = load_legacy_folder(dir.path()).unwrap_err().to_string();
        assert!(err.contains("has no Connectors/ folder, GlobalSettings/ folder and SynchronizationRules/ folder"), "{err}");
    }
}
