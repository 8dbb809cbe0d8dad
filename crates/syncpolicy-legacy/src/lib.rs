//! Reader of legacy `Exported-ServerConfiguration-*` folders (the XML that
//! `Get-ADSyncServerConfiguration` writes, plus `PersistedState.xml` and the metadata of
//! `MigratedPolicy.json`) into the model, with a migration report.
//!
//! Pure: the caller reads the folder's files into a [`LegacyFolder`] (the disk side is
//! `syncpolicy_files::legacy::load_legacy_folder`) and [`migrate`] returns the
//! [`Configuration`] and a [`MigrationReport`]. XML is streamed with `quick-xml`: the DSML
//! schemas (about 1.8 MB per AD connector) are skipped without being built, and a document
//! type declaration is refused, so no entity is ever declared or expanded. Nothing read from a
//! file is ever used as a path.
//!
//! This is the only crate that knows the XML element names.

mod assemble;
mod connector;
pub mod error;
pub mod fixture;
mod globals;
pub mod report;
mod rules;
mod xml;

pub use error::LegacyError;
pub use report::{Classification, Counts, MigrationReport, ReportItem, UnattachedRule};
pub use xml::MAX_DEPTH as MAX_XML_DEPTH;

use syncpolicy_model::config::{Configuration, DeploymentMetadata, PolicyMetadata};

/// Relative path of the connectors folder.
pub const CONNECTORS_DIR: &str = "Connectors";
/// Relative path of the global settings folder.
pub const GLOBAL_SETTINGS_DIR: &str = "GlobalSettings";
/// Relative path of the rules folder.
pub const RULES_DIR: &str = "SynchronizationRules";
/// Relative path of the metaverse and global settings file.
pub const MV_FILE: &str = "GlobalSettings/MV.xml";
/// Relative path of the wizard state copied by `MigrateSettings.ps1`.
pub const PERSISTED_STATE_FILE: &str = "PersistedState.xml";
/// Relative path of the metadata written by `MigrateSettings.ps1`.
pub const MIGRATED_POLICY_FILE: &str = "MigratedPolicy.json";

/// The metadata of `MigratedPolicy.json`, already read (by the settings-file reader).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigratedPolicy {
    /// How to name the file in the report.
    pub file: String,
    pub policy_metadata: PolicyMetadata,
    pub deployment_metadata: DeploymentMetadata,
}

/// An export folder read into memory.
#[derive(Debug, Clone, Default)]
pub struct LegacyFolder {
    /// How to name the folder in messages (its path).
    pub name: String,
    /// Subfolders that exist (`Connectors`, `GlobalSettings`, `SynchronizationRules`), so an
    /// empty folder can be told from a missing one.
    pub folders: Vec<String>,
    /// Files by path relative to the folder, with `/` separators
    /// (`Connectors/Connector_{guid}.xml`, `GlobalSettings/MV.xml`,
    /// `SynchronizationRules/SynchronizationRule_{guid}.xml`, `PersistedState.xml`).
    pub files: Vec<(String, Vec<u8>)>,
    /// `MigratedPolicy.json`, when present.
    pub migrated_policy: Option<MigratedPolicy>,
}

impl LegacyFolder {
    /// An empty folder with a display name.
    pub fn new(name: impl Into<String>) -> Self {
        LegacyFolder {
            name: name.into(),
            ..LegacyFolder::default()
        }
    }

    /// A folder from files (as [`fixture::write_folder`] returns them); subfolders are taken
    /// from the file paths.
    pub fn from_files(name: impl Into<String>, files: Vec<(String, Vec<u8>)>) -> Self {
        let mut folder = LegacyFolder::new(name);
        for (path, _) in &files {
            if let Some((dir, _)) = path.split_once('/') {
                if !folder.folders.iter().any(|f| f.eq_ignore_ascii_case(dir)) {
                    folder.folders.push(dir.to_owned());
                }
            }
        }
        folder.files = files;
        folder
    }

    /// A file by relative path (case-insensitive, as on Windows).
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(path))
            .map(|(_, b)| b.as_slice())
    }

    /// The `.xml` files directly inside a subfolder, sorted by name.
    pub fn xml_files_in(&self, dir: &str) -> Vec<(&str, &[u8])> {
        let mut out: Vec<(&str, &[u8])> = self
            .files
            .iter()
            .filter(|(p, _)| {
                p.split_once('/').is_some_and(|(d, rest)| {
                    d.eq_ignore_ascii_case(dir)
                        && !rest.contains('/')
                        && rest.to_ascii_lowercase().ends_with(".xml")
                })
            })
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    fn has_folder(&self, dir: &str) -> bool {
        self.folders.iter().any(|f| f.eq_ignore_ascii_case(dir))
            || self.files.iter().any(|(p, _)| {
                p.split_once('/')
                    .is_some_and(|(d, _)| d.eq_ignore_ascii_case(dir))
            })
    }
}

/// Migrates a folder: the configuration and the report, or the error that stopped it.
pub fn migrate(folder: &LegacyFolder) -> Result<(Configuration, MigrationReport), LegacyError> {
    check_complete(folder)?;
    assemble::assemble(folder)
}

/// Every required part must be there; all missing parts are named at once.
fn check_complete(folder: &LegacyFolder) -> Result<(), LegacyError> {
    let mut missing = Vec::new();
    if !folder.has_folder(CONNECTORS_DIR) {
        missing.push("Connectors/ folder".to_owned());
    } else if folder.xml_files_in(CONNECTORS_DIR).is_empty() {
        missing.push("connector file (Connectors/Connector_{guid}.xml)".to_owned());
    }
    if !folder.has_folder(GLOBAL_SETTINGS_DIR) {
        missing.push("GlobalSettings/ folder".to_owned());
    } else if folder.file(MV_FILE).is_none() {
        missing.push(MV_FILE.to_owned());
    }
    if !folder.has_folder(RULES_DIR) {
        missing.push("SynchronizationRules/ folder".to_owned());
    }
    // PersistedState.xml and MigratedPolicy.json are added by MigrateSettings.ps1; a folder
    // written by Get-ADSyncServerConfiguration alone has neither. Their absence is a
    // needs-review item of the report (assemble), not an error.
    if missing.is_empty() {
        return Ok(());
    }
    let hint = "copy the whole Exported-ServerConfiguration-* folder (as written by Get-ADSyncServerConfiguration or MigrateSettings.ps1), with its Connectors, GlobalSettings and SynchronizationRules folders";
    let what = match missing.len() {
        1 => missing.remove(0),
        _ => {
            let last = missing.pop().unwrap_or_default();
            format!("{} and {last}", missing.join(", "))
        }
    };
    Err(LegacyError::Missing {
        folder: folder.name.clone(),
        what,
        hint: hint.to_owned(),
    })
}
