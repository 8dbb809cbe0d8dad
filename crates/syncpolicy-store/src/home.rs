//! The deployment home folder: the record of which database the deployment uses
//! (`deployment.json`), the SQLite file, `exports/`, the lock file that serialises changes, and
//! the secrets file (mode 0600).

use crate::backend::Backend;
use crate::error::{Result, StoreError};
use fs2::FileExt;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

/// File name of the deployment record.
pub const RECORD_FILE: &str = "deployment.json";
/// File name of the SQLite database.
pub const DATABASE_FILE: &str = "syncpolicy.db";
/// File name of the secrets file.
pub const SECRETS_FILE: &str = "secrets.json";
/// File name of the lock file.
pub const LOCK_FILE: &str = "deployment.lock";
/// Folder of the automatic and on-demand exports.
pub const EXPORTS_DIR: &str = "exports";

/// The default home: `$XDG_DATA_HOME/syncpolicy`, else `~/.local/share/syncpolicy`; on
/// Windows `%LOCALAPPDATA%\syncpolicy`. `None` when none of these variables is set.
pub fn default_home() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return var("LOCALAPPDATA").map(|p| p.join("syncpolicy"));
    }
    var("XDG_DATA_HOME")
        .map(|p| p.join("syncpolicy"))
        .or_else(|| var("HOME").map(|h| h.join(".local").join("share").join("syncpolicy")))
}

/// A deployment home folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    root: PathBuf,
}

/// What `deployment.json` records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub format_version: u32,
    pub backend: Backend,
    /// The SQLite file name (relative to the home), or the PostgreSQL URL without password.
    pub database: String,
    pub created_at: String,
}

/// Credentials of one on-premises directory, chosen at install.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryCredential {
    /// The directory's identifier (GUID).
    pub directory: String,
    /// The directory's name, for people.
    pub name: String,
    /// The account the connector signs in with.
    pub account: Option<String>,
    /// Its password; absent for a pre-created account.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub secret: Option<String>,
    /// True when a pre-created account is used (no secret stored).
    pub precreated: bool,
}

impl std::fmt::Debug for DirectoryCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectoryCredential")
            .field("directory", &self.directory)
            .field("name", &self.name)
            .field("account", &self.account)
            .field("secret", &self.secret.as_ref().map(|_| "(set)"))
            .field("precreated", &self.precreated)
            .finish()
    }
}

/// The secrets file's content. Never printed: its `Debug` says only what is set.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Secrets {
    /// The PostgreSQL URL including its password, when it has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub database_url: Option<String>,
    /// Entra administrator's password, when one was given.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub administrator_secret: Option<String>,
    /// Sign-in parameters that are secret (e.g. federation certificate passwords), by name.
    #[serde(default)]
    pub sign_in: Vec<(String, String)>,
    pub directories: Vec<DirectoryCredential>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("database_url", &self.database_url.as_ref().map(|_| "(set)"))
            .field(
                "administrator_secret",
                &self.administrator_secret.as_ref().map(|_| "(set)"),
            )
            .field(
                "sign_in",
                &self.sign_in.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("directories", &self.directories)
            .finish()
    }
}

impl Secrets {
    /// Every secret value (for tests and scrubbing).
    pub fn values(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        v.extend(self.administrator_secret.as_deref());
        v.extend(self.sign_in.iter().map(|(_, s)| s.as_str()));
        v.extend(self.directories.iter().filter_map(|d| d.secret.as_deref()));
        v
    }

    /// The credential of a directory, by identifier.
    pub fn directory(&self, id: &str) -> Option<&DirectoryCredential> {
        self.directories
            .iter()
            .find(|d| syncpolicy_model::identity::same_guid(&d.directory, id))
    }
}

/// The exclusive lock of a home, held while a change runs.
#[derive(Debug)]
pub struct HomeLock {
    file: File,
}

impl Drop for HomeLock {
    fn drop(&mut self) {
        let _ = FileExt::unlock(&self.file);
    }
}

impl Home {
    /// A home at a folder (nothing is checked or created).
    pub fn new(root: impl Into<PathBuf>) -> Home {
        Home { root: root.into() }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `exports/`.
    pub fn exports(&self) -> PathBuf {
        self.root.join(EXPORTS_DIR)
    }

    /// The SQLite file.
    pub fn database_file(&self) -> PathBuf {
        self.root.join(DATABASE_FILE)
    }

    /// `deployment.json`.
    pub fn record_file(&self) -> PathBuf {
        self.root.join(RECORD_FILE)
    }

    /// `secrets.json`.
    pub fn secrets_file(&self) -> PathBuf {
        self.root.join(SECRETS_FILE)
    }

    /// True when the home records a deployment.
    pub fn is_installed(&self) -> bool {
        self.record_file().is_file()
    }

    /// Reads `deployment.json`.
    pub fn record(&self) -> Result<Record> {
        let path = self.record_file();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NotInstalled {
                    home: self.root.clone(),
                })
            }
            Err(e) => return Err(StoreError::io("read", path, e)),
        };
        serde_json::from_slice(&bytes).map_err(|e| StoreError::BadHomeFile {
            path,
            problem: e.to_string(),
            hint: "the file is written by `syncpolicy install`; restore it from a backup of the home folder".to_owned(),
        })
    }

    /// Writes `deployment.json` atomically.
    pub fn write_record(&self, record: &Record) -> Result<()> {
        let path = self.record_file();
        let mut bytes = serde_json::to_vec_pretty(record).unwrap_or_default();
        bytes.push(b'\n');
        syncpolicy_files::atomic::write_atomic(&path, &bytes)
            .map_err(|e| StoreError::io("write", path, e))
    }

    /// Reads the secrets file (empty when there is none).
    pub fn secrets(&self) -> Result<Secrets> {
        let path = self.secrets_file();
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StoreError::BadHomeFile {
                path,
                problem: format!("not a secrets file ({})", e.classify_name()),
                hint: "the file is written by `syncpolicy install`; restore it from a backup of the home folder".to_owned(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Secrets::default()),
            Err(e) => Err(StoreError::io("read", path, e)),
        }
    }

    /// Writes the secrets file, readable only by its owner (mode 0600).
    pub fn write_secrets(&self, secrets: &Secrets) -> Result<()> {
        let path = self.secrets_file();
        let bytes = serde_json::to_vec_pretty(secrets).unwrap_or_default();
        syncpolicy_files::atomic::write_atomic_with_mode(&path, &bytes, Some(0o600))
            .map_err(|e| StoreError::io("write", path, e))
    }

    /// Takes the exclusive change lock, waiting for another process to finish its change.
    pub fn lock(&self) -> Result<HomeLock> {
        let path = self.root.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io("open the lock file", &path, e))?;
        file.lock_exclusive()
            .map_err(|e| StoreError::io("lock", &path, e))?;
        Ok(HomeLock { file })
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        // The message of a serde_json error may quote content; the secrets file's content must
        // never reach a message, so only the category is told.
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected content",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}
