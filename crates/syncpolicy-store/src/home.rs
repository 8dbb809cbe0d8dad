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
/// Folder that receives exports of changes that never committed (moved there, never deleted).
pub const QUARANTINE_DIR: &str = "quarantine";
/// Marker of an installation in progress: written first, removed after `deployment.json`
/// (the completion marker, written last).
pub const PENDING_INSTALL_FILE: &str = "install.pending";
/// Marker of an open import session (directories cannot be added or removed between
/// `install --import` and a passing `verify`); holds the imported source's name. Written by
/// the install before `deployment.json`, so no deployment exists without it.
pub const IMPORT_SESSION_FILE: &str = "import-session";
/// How long a change waits for the lock by default.
pub const DEFAULT_LOCK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

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
    /// The holder record written when the lock was taken.
    record: String,
    /// Whether the previous holder left `exports/` settled (see [`HomeLock::settled_before`]).
    settled_before: bool,
}

/// The line a holder adds to its record when it leaves `exports/` in line with history.
const SETTLED_LINE: &str = "exports=settled";

impl HomeLock {
    /// True when the previous holder of the lock recorded, before releasing it, that it left
    /// `exports/` in line with committed history (every export it wrote committed, or removed
    /// again). A holder killed before that (or one that wrote nothing about it, such as an
    /// older version) leaves it false: its files must be looked for. A kill keeps what the
    /// record's write put in the operating system's cache; after a power cut the first holder
    /// is a reconciling open (no live process holds the lock), which lists the folder anyway.
    pub fn settled_before(&self) -> bool {
        self.settled_before
    }

    /// Records that `exports/` is in line with history as this holder leaves it.
    pub fn mark_settled(&mut self) {
        let record = format!("{}{SETTLED_LINE}\n", self.record);
        write_record(&mut self.file, &record);
    }
}

/// What the pending-install marker records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingInstall {
    /// Random token, also stored with the deployment row.
    pub token: String,
    /// The backend being installed.
    pub backend: Backend,
    /// The database (no password).
    pub database: String,
    /// When the install started.
    pub started_at: String,
    /// The installing process.
    pub pid: u32,
}

/// How a change waits for the lock of its home.
#[derive(Clone)]
pub struct LockWait {
    /// The holder line recorded while the lock is held (the command, e.g. `staging on`).
    pub command: String,
    /// How long to wait for another holder.
    pub timeout: std::time::Duration,
    /// Told once, when the lock is held by someone else (who, since when).
    pub notice: std::sync::Arc<dyn Fn(&str) + Send + Sync>,
}

impl std::fmt::Debug for LockWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockWait")
            .field("command", &self.command)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl LockWait {
    /// Waits up to `timeout`, telling nobody.
    pub fn quiet(command: impl Into<String>, timeout: std::time::Duration) -> LockWait {
        LockWait {
            command: command.into(),
            timeout,
            notice: std::sync::Arc::new(|_| {}),
        }
    }
}

/// A random token (install markers): 128 bits from the standard library's randomly keyed
/// hasher, the time and the process id.
pub(crate) fn random_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u32(std::process::id());
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// Writes who holds the lock into the lock file (told to a process that waits for it).
/// Returns the lock held with that record, and whether the previous holder's record said it
/// left `exports/` settled.
fn record_holder(mut file: File, command: &str) -> HomeLock {
    use std::io::{Read, Seek};
    let mut previous = String::new();
    let settled_before = file.seek(std::io::SeekFrom::Start(0)).is_ok()
        && (&file).take(4096).read_to_string(&mut previous).is_ok()
        && previous.lines().any(|l| l == SETTLED_LINE);
    let record = format!(
        "pid={}\ncommand={}\nsince={}\n",
        std::process::id(),
        command.replace(['\n', '\r'], " "),
        syncpolicy_files::timestamp::UtcMillis::now().iso()
    );
    write_record(&mut file, &record);
    HomeLock {
        file,
        record,
        settled_before,
    }
}

fn write_record(file: &mut File, record: &str) {
    use std::io::{Seek, Write};
    let _ = file.set_len(0);
    let _ = file.seek(std::io::SeekFrom::Start(0));
    let _ = file.write_all(record.as_bytes());
}

/// Who holds a lock, as its holder recorded it: `pid`, `command`, `since`.
fn describe_holder(text: &str) -> String {
    let mut pid = None;
    let mut command = None;
    let mut since = None;
    for line in text.lines() {
        if let Some((k, v)) = line.split_once('=') {
            let v: String = v.chars().filter(|c| !c.is_control()).take(200).collect();
            match k {
                "pid" => pid = Some(v),
                "command" => command = Some(v),
                "since" => since = Some(v),
                _ => {}
            }
        }
    }
    match (pid, command, since) {
        (Some(p), Some(c), Some(s)) => format!("process {p} (`{c}`) since {s}"),
        (Some(p), _, _) => format!("process {p}"),
        _ => "another process (it recorded no details)".to_owned(),
    }
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

    /// `quarantine/`.
    pub fn quarantine(&self) -> PathBuf {
        self.root.join(QUARANTINE_DIR)
    }

    /// `install.pending`.
    pub fn pending_install_file(&self) -> PathBuf {
        self.root.join(PENDING_INSTALL_FILE)
    }

    /// `import-session`.
    pub fn import_session_file(&self) -> PathBuf {
        self.root.join(IMPORT_SESSION_FILE)
    }

    /// The pending-install marker, when an install started here and did not finish (or
    /// finished without removing it).
    pub fn pending_install(&self) -> Option<PendingInstall> {
        let bytes = fs::read(self.pending_install_file()).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes the pending-install marker atomically.
    pub fn write_pending_install(&self, pending: &PendingInstall) -> Result<()> {
        let path = self.pending_install_file();
        let bytes = serde_json::to_vec_pretty(pending).unwrap_or_default();
        syncpolicy_files::atomic::write_atomic(&path, &bytes)
            .map_err(|e| StoreError::io("write", path, e))
    }

    /// The secrets file's permission bits when others than its owner may read or write it.
    #[cfg(unix)]
    fn secrets_too_open(&self) -> Option<u32> {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::symlink_metadata(self.secrets_file()).ok()?;
        let mode = meta.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then_some(mode)
    }

    #[cfg(not(unix))]
    fn secrets_too_open(&self) -> Option<u32> {
        None
    }

    /// Restores mode 0600 of a secrets file that others may read; says what it did. A file it
    /// cannot restore is left as it is, and [`Home::secrets`] then refuses it.
    pub fn repair_secrets_mode(&self) -> Option<String> {
        let mode = self.secrets_too_open()?;
        let path = self.secrets_file();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).is_ok()
                && self.secrets_too_open().is_none()
            {
                return Some(format!(
                    "warning: {} was readable by others (mode {mode:04o}); its mode was restored to 0600. Check who could read it: the credentials in it may need to be changed",
                    path.display()
                ));
            }
        }
        Some(format!(
            "warning: {} is readable by others (mode {mode:04o}) and its mode cannot be restored; it will not be used",
            path.display()
        ))
    }

    /// Reads the secrets file (empty when there is none). A file that others than its owner
    /// may read is refused (see [`Home::repair_secrets_mode`]).
    pub fn secrets(&self) -> Result<Secrets> {
        let path = self.secrets_file();
        if let Some(mode) = self.secrets_too_open() {
            return Err(StoreError::BadHomeFile {
                path,
                problem: format!("it is readable by others (mode {mode:04o}); credentials must be readable only by the deployment's owner"),
                hint: "restore its mode with `chmod 600` as its owner (syncpolicy does so itself when it can), and consider changing the credentials it holds".to_owned(),
            });
        }
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

    /// Opens the lock file, refusing a symbolic link (a link could make the lock, and the
    /// holder details written into it, land in a file elsewhere).
    fn open_lock_file(&self) -> Result<(PathBuf, File)> {
        let path = self.root.join(LOCK_FILE);
        let refuse = || {
            StoreError::BadHomeFile {
            path: path.clone(),
            problem: "the lock file is a symbolic link; it is not followed".to_owned(),
            hint: "remove the link (syncpolicy creates the lock file itself) and run the command again".to_owned(),
        }
        };
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(refuse());
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io("open the lock file", &path, e))?;
        // The file opened must be the one checked (no link swapped in between).
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let opened = file
                .metadata()
                .map_err(|e| StoreError::io("inspect", &path, e))?;
            match fs::symlink_metadata(&path) {
                Ok(m)
                    if !m.file_type().is_symlink()
                        && m.ino() == opened.ino()
                        && m.dev() == opened.dev() => {}
                _ => return Err(refuse()),
            }
        }
        Ok((path, file))
    }

    /// Takes the exclusive change lock, waiting for another process to finish its change
    /// (indefinitely; see [`Home::lock_with`]).
    pub fn lock(&self) -> Result<HomeLock> {
        self.lock_with(&LockWait::quiet("change", std::time::Duration::MAX))
    }

    /// Takes the exclusive change lock. When another process holds it, says who (process,
    /// command, since when) once and waits up to the timeout. Records the holder in the file.
    pub fn lock_with(&self, wait: &LockWait) -> Result<HomeLock> {
        let (path, file) = self.open_lock_file()?;
        let started = std::time::Instant::now();
        let mut told = false;
        loop {
            match FileExt::try_lock_exclusive(&file) {
                Ok(()) => break,
                Err(e)
                    if e.kind() == fs2::lock_contended_error().kind()
                        || e.kind() == std::io::ErrorKind::WouldBlock =>
                {
                    let holder = describe_holder(&fs::read_to_string(&path).unwrap_or_default());
                    if started.elapsed() >= wait.timeout {
                        return Err(StoreError::LockTimeout {
                            path,
                            holder,
                            waited: wait.timeout,
                        });
                    }
                    if !told {
                        told = true;
                        let limit = if wait.timeout == std::time::Duration::MAX {
                            "until it finishes".to_owned()
                        } else {
                            format!("up to {} s (--lock-timeout)", wait.timeout.as_secs())
                        };
                        (wait.notice)(&format!(
                            "waiting for the deployment lock: a change is running in {holder}; waiting {limit}"
                        ));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                Err(e) => return Err(StoreError::io("lock", &path, e)),
            }
        }
        Ok(record_holder(file, &wait.command))
    }

    /// Takes the lock only when nobody holds it (for tidying up on open); `None` otherwise,
    /// and when the lock file cannot be opened (a read-only home).
    pub fn try_lock(&self) -> Option<HomeLock> {
        let (_, file) = self.open_lock_file().ok()?;
        FileExt::try_lock_exclusive(&file).ok()?;
        Some(record_holder(file, "a read tidying exports/"))
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
