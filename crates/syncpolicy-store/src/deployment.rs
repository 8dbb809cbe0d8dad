//! A deployment: its home, its database and the one way to change it. A change is "load the
//! current configuration, apply an edit to the model, validate, write the changed rows, what
//! they replaced and a history entry in one transaction, write the auto-export, commit"; the
//! export is written before the commit and removed again if the commit fails. The database is
//! the truth: every committed configuration is rebuilt from it (current rows plus the
//! replaced rows of later changes), exports are copies checked against the digest in history,
//! and opening a deployment reconciles `exports/` with history (exports of changes that never
//! committed go to `quarantine/`, a missing newest export is written again).

use crate::backend::{Backend, DeltaRow, HistoryEntry, Store, StoreTx, SCHEMA_VERSION};
use crate::error::{Result, StoreError};
use crate::home::{Home, LockWait, PendingInstall, Record, Secrets, DEFAULT_LOCK_TIMEOUT};
use crate::parts::{self, PartKind, Parts};
use crate::postgres::{redact_url, url_has_password, PostgresStore};
use crate::sqlite::SqliteStore;
use std::fs;
use std::path::{Path, PathBuf};
use syncpolicy_files::snapshot::{unique_snapshot_path, APPLIED_PREFIX, EXPORTED_PREFIX};
use syncpolicy_files::timestamp::UtcMillis;
use syncpolicy_model::config::Configuration;
use syncpolicy_model::diagnostic::Diagnostic;
use syncpolicy_model::words::count;

/// Test hook: milliseconds to sleep inside a change's transaction, after the export is
/// written and before the commit (so a test can kill the process at the worst moment).
pub const PAUSE_ENV: &str = "SYNCPOLICY_TEST_PAUSE_IN_CHANGE";

/// Who makes a change and with which command (recorded in history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeMeta {
    /// OS user or `--author`.
    pub author: String,
    /// The command line's verb, e.g. `staging on`.
    pub command: String,
}

impl ChangeMeta {
    /// A change by `author` made with `command`.
    pub fn new(author: impl Into<String>, command: impl Into<String>) -> Self {
        ChangeMeta {
            author: author.into(),
            command: command.into(),
        }
    }
}

/// What a committed change did.
#[derive(Debug, Clone)]
pub struct ChangeOutcome {
    /// The edit's one-line summary (also in history).
    pub summary: String,
    /// The history entry written.
    pub entry: HistoryEntry,
    /// The auto-export written.
    pub snapshot: PathBuf,
    /// The configuration before the change.
    pub before: Configuration,
    /// The configuration after it (as exported).
    pub after: Configuration,
    /// Number of rows written or deleted (parts only; history and generation not counted).
    pub rows_changed: usize,
}

/// What an installation needs besides the configuration.
#[derive(Debug, Clone)]
pub struct InstallOptions {
    /// The home folder (created when missing; must not hold a deployment).
    pub home: PathBuf,
    /// `None` or a SQLite path for SQLite in the home; `postgres://...` for PostgreSQL.
    pub database: Option<String>,
    /// Author and command for the first history entry.
    pub meta: ChangeMeta,
    /// Summary of the first history entry, e.g. `imported contoso.json`.
    pub summary: String,
    /// Credentials chosen at install, kept in the home's secrets file (mode 0600).
    pub secrets: Secrets,
    /// For an import (`install --import`, `--migrate`): the source's name, which opens the
    /// import session. Its marker is written before `deployment.json`, so a crash at any
    /// point leaves either no deployment or one whose session is open.
    pub import_session: Option<String>,
}

struct Cache {
    generation: i64,
    config: Configuration,
    parts: Parts,
    /// The text of each rule and the digest of each section as last written (a change writes
    /// again only what it changed).
    written: syncpolicy_json::WriteCache,
    /// The length of the settings text of `config` (to size the next write).
    text_len: usize,
    /// A buffer the next write may write into (the newest export as it was read, when the
    /// change's result is not kept: its memory is already in use, so a large write into it
    /// costs no fresh pages).
    spare: Vec<u8>,
    /// Every finding of the default validation on `config`, once a change computed them (the
    /// next change re-checks only when it touches what the rules read).
    findings: Option<Vec<Diagnostic>>,
    /// False when `parts` was not read (a change that keeps no cache reads only the rows it
    /// touches: [`parts::split_touched`]); `config` is then the digest-checked newest export
    /// of the same generation, whose rows are the stored ones.
    rows_loaded: bool,
}

/// An open deployment.
pub struct Deployment {
    home: Home,
    record: Record,
    store: Box<dyn Store>,
    cache: Option<Cache>,
    validator: fn(&Configuration) -> Vec<Diagnostic>,
    /// True while `validator` is `syncpolicy_lint::check` (then a change validates
    /// incrementally with `syncpolicy_lint::check_since`).
    default_validator: bool,
    /// Things a person should be told (repairs made on open, warnings), drained by
    /// [`Deployment::take_notices`].
    notices: Vec<String>,
    /// How a change waits for the home's lock.
    lock_wait: LockWait,
    /// The database's schema version (older than [`SCHEMA_VERSION`] only when opened for
    /// reading a database this build could not migrate).
    schema: u32,
    /// Whether a change keeps its result in `cache` ([`Deployment::set_keep_cache`]).
    keep_cache: bool,
}

/// A committed configuration read back.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The history entry.
    pub entry: HistoryEntry,
    /// The configuration.
    pub config: Configuration,
    /// The settings file its export holds (as the export was written).
    pub bytes: Vec<u8>,
    /// True when it was rebuilt from the database; false when only its export could give it
    /// (a change made before the database recorded what changes replace), after checking
    /// the export against the digest in history.
    pub from_database: bool,
}

/// What `prune` keeps.
#[derive(Debug, Clone, Default)]
pub struct PruneRule {
    /// Keep the exports of the newest N changes.
    pub keep_newest: Option<usize>,
    /// Keep the exports of changes at or after this UTC time (ISO 8601 prefix, compared as
    /// text: `2026-11-26`, `2026-11-26T08:15`).
    pub newer_than: Option<String>,
    /// Also remove exports history still needs (changes older than the database's record of
    /// what changes replace: their export is the only copy of that configuration).
    pub include_needed: bool,
    /// Only say what would be removed.
    pub dry_run: bool,
}

/// What `prune` did (or would do).
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PruneOutcome {
    /// Export files removed (or to remove), oldest first.
    pub removed: Vec<String>,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Exports kept because history still needs them to answer `@~N`.
    pub kept_needed: Vec<String>,
    /// Exports kept by the rule (and the newest, always kept).
    pub kept: usize,
}

impl std::fmt::Debug for Deployment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deployment")
            .field("home", &self.home)
            .field("record", &self.record)
            .field("store", &self.store.describe())
            .finish()
    }
}

/// Which backend a `--database` value selects.
pub fn backend_of(database: Option<&str>) -> Result<Backend> {
    match database {
        None => Ok(Backend::Sqlite),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Backend::Postgres)
        }
        Some(url) if url.starts_with("sqlite:") || !url.contains("://") => Ok(Backend::Sqlite),
        Some(url) => Err(StoreError::BadDatabase {
            given: redact_url(url),
        }),
    }
}

fn sqlite_path(home: &Home, database: Option<&str>) -> PathBuf {
    match database.map(|d| d.strip_prefix("sqlite:").unwrap_or(d)) {
        Some(p) if !p.is_empty() => {
            let p = Path::new(p);
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                home.root().join(p)
            }
        }
        _ => home.database_file(),
    }
}

/// The normal form a configuration is stored in: as the settings reader reads the writer's
/// output, without a recorded digest (every export records a fresh one).
pub fn normalize(config: &Configuration) -> Result<Configuration> {
    let bytes = syncpolicy_json::write_settings(config);
    let mut back = syncpolicy_json::read_settings(&bytes, "the configuration").map_err(|e| {
        StoreError::Corrupt {
            what: format!("the configuration does not read back: {e}"),
        }
    })?;
    back.extension.recorded_digest = None;
    Ok(back)
}

fn errors_of(
    validator: fn(&Configuration) -> Vec<Diagnostic>,
    config: &Configuration,
) -> Vec<Diagnostic> {
    syncpolicy_lint::accept::unaccepted_errors(config, &validator(config))
}

fn stamp(config: &mut Configuration, author: &str, at: UtcMillis) {
    config.policy_metadata.author = Some(author.to_owned());
    config.policy_metadata.time_created = Some(at.universal_sortable());
    config.extension.recorded_digest = None;
}

/// The SQLite file and its write-ahead log files.
fn sqlite_files(path: &Path) -> [PathBuf; 3] {
    [
        path.to_path_buf(),
        PathBuf::from(format!("{}-wal", path.display())),
        PathBuf::from(format!("{}-shm", path.display())),
    ]
}

/// Test hook: `SYNCPOLICY_TEST_PAUSE_AT=<point>:<ms>` sleeps at a named point of install
/// (`install-marker`, `install-commit`, `install-record`, `install-done`: after
/// `deployment.json`) or of loading a deployment (`load-entry`) so a test can kill it or
/// interleave a change there. With [`PAUSE_MARK_ENV`] set to a path, the file is written
/// when the pause begins, so the test knows the point was reached.
pub const PAUSE_AT_ENV: &str = "SYNCPOLICY_TEST_PAUSE_AT";

/// Test hook: the file [`PAUSE_AT_ENV`]'s pause writes as it begins.
pub const PAUSE_MARK_ENV: &str = "SYNCPOLICY_TEST_PAUSE_MARK";

fn pause_at(point: &str) {
    if let Some(ms) = std::env::var(PAUSE_AT_ENV).ok().and_then(|v| {
        let (p, ms) = v.split_once(':')?;
        (p == point)
            .then(|| ms.trim().parse::<u64>().ok())
            .flatten()
    }) {
        if let Some(mark) = std::env::var_os(PAUSE_MARK_ENV) {
            // A test hook: a failed write only means the test waits in vain and says so.
            let _ = std::fs::write(mark, point);
        }
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

fn pause_in_change() {
    if let Some(ms) = std::env::var(PAUSE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// What a change from `old` to `new` replaces: each part written or deleted, as it was
/// before (`None` when the change creates it).
fn replaced_parts(old: &Parts, d: &parts::Delta<'_>) -> Vec<crate::backend::Replaced> {
    d.upserts
        .iter()
        .map(|(kind, part)| (*kind, part.key.clone(), old.get(*kind, &part.key).cloned()))
        .chain(
            d.deletes
                .iter()
                .map(|(kind, key)| (*kind, (*key).to_owned(), old.get(*kind, key).cloned())),
        )
        .collect()
}

fn changed_after_export(path: &Path, entry: &HistoryEntry) -> String {
    format!(
        "warning: {} was changed after it was exported: its content differs from the digest history recorded for change {} ({}); the committed configuration from the database is used",
        path.display(),
        entry.id,
        entry.summary
    )
}

/// Writes the rows that differ, returns how many.
fn write_delta(tx: &mut dyn StoreTx, d: &parts::Delta<'_>) -> Result<usize> {
    for (kind, key) in &d.deletes {
        tx.delete(*kind, key)?;
    }
    for (kind, part) in &d.upserts {
        tx.upsert(*kind, part)?;
    }
    Ok(d.deletes.len() + d.upserts.len())
}

struct Prepared {
    bytes: Vec<u8>,
    parts: Parts,
    entry: HistoryEntry,
    path: PathBuf,
}

fn prepare(
    exports: &Path,
    after: &Configuration,
    meta: &ChangeMeta,
    summary: &str,
    now: UtcMillis,
) -> Result<Prepared> {
    let bytes = syncpolicy_json::write_settings(after);
    let parts = parts::split_with(&bytes, after)?;
    let (path, at) = unique_snapshot_path(exports, APPLIED_PREFIX, now);
    let mut entry = history_entry(&path, at, meta, summary);
    entry.digest = syncpolicy_json::digest::sha256_hex(&bytes);
    Ok(Prepared {
        bytes,
        parts,
        entry,
        path,
    })
}

/// The history entry of a change exported to `path` (digest and id filled in later).
fn history_entry(path: &Path, at: UtcMillis, meta: &ChangeMeta, summary: &str) -> HistoryEntry {
    HistoryEntry {
        id: 0,
        at: at.iso(),
        at_millis: at.0,
        author: meta.author.clone(),
        command: meta.command.clone(),
        summary: summary.to_owned(),
        digest: String::new(),
        snapshot: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// What a change's transaction produced.
struct Done {
    parts: Parts,
    entry: HistoryEntry,
    path: PathBuf,
    before: Configuration,
    after: Configuration,
    after_copy: Option<Configuration>,
    rows: usize,
    summary: String,
    written: syncpolicy_json::WriteCache,
    text_len: usize,
    findings: Option<Vec<Diagnostic>>,
}

/// A file's bytes; with `margin`, in a buffer with room for a somewhat larger text (it is
/// written into again).
fn read_with_margin(path: &Path, margin: bool) -> Option<Vec<u8>> {
    use std::io::Read;
    if !margin {
        return fs::read(path).ok();
    }
    let mut file = fs::File::open(path).ok()?;
    let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(len + len / 8 + 64 * 1024).ok()?;
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Writes the export inside the open transaction; a failure aborts it.
fn write_export(path: &Path, bytes: &[u8]) -> Result<()> {
    syncpolicy_files::atomic::write_atomic(path, bytes).map_err(|source| StoreError::Export {
        path: path.to_path_buf(),
        source,
    })
}

/// [`write_export`] of a text given in pieces while it is written; `None` ends it. A text
/// whose end never comes (the writing stopped) is not kept: the temporary file is removed.
/// Gives the SHA-256 (hex) of the text, for history.
fn write_export_from(
    path: &Path,
    pieces: &std::sync::mpsc::Receiver<Option<Vec<u8>>>,
    recycle: &std::sync::mpsc::Sender<Vec<u8>>,
) -> Result<Option<String>> {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    syncpolicy_files::atomic::write_atomic_with(path, |file| {
        for piece in pieces {
            let Some(buf) = piece else {
                return Ok(());
            };
            hasher.update(&buf);
            file.write_all(&buf)?;
            // The writer takes it back for a next piece (or it is gone already: then freed).
            let _ = recycle.send(buf);
        }
        Err(std::io::Error::other(
            "the settings text stopped before its end",
        ))
    })
    .map_err(|source| StoreError::Export {
        path: path.to_path_buf(),
        source,
    })?;
    // As `syncpolicy_json::digest::sha256_hex` gives it.
    Ok(Some(hex::encode(hasher.finalize())))
}

fn open_store(home: &Home, record: &Record, database: Option<&str>) -> Result<Box<dyn Store>> {
    Ok(match record.backend {
        Backend::Sqlite => Box::new(SqliteStore::open(&sqlite_path(
            home,
            Some(&record.database),
        ))?),
        Backend::Postgres => {
            let given = database.filter(|d| backend_of(Some(d)).ok() == Some(Backend::Postgres));
            let url = match given {
                Some(u) => u.to_owned(),
                None => home
                    .secrets()?
                    .database_url
                    .unwrap_or_else(|| record.database.clone()),
            };
            Box::new(PostgresStore::connect(&url)?)
        }
    })
}

fn default_lock_wait() -> LockWait {
    LockWait::quiet("change", DEFAULT_LOCK_TIMEOUT)
}

impl Deployment {
    /// Opens the deployment in a home folder for changes (migrating the database when it is
    /// older than this build). `database` overrides the PostgreSQL URL recorded at install
    /// (e.g. to give a password); it cannot switch backends.
    pub fn open(home: &Path, database: Option<&str>) -> Result<Deployment> {
        let home = Home::new(home);
        let record = home.record()?;
        let mut store = open_store(&home, &record, database)?;
        let schema = store.migrate()?;
        Self::opened(home, record, store, schema)
    }

    /// Opens the deployment for reading: no write lock, no migration when the schema is
    /// current, and on SQLite a read-only connection, so that reading works on a home the
    /// user cannot write and never waits for a change in progress. Reconciling `exports/`
    /// with history is done when the home can be locked without waiting.
    pub fn open_read(home: &Path, database: Option<&str>) -> Result<Deployment> {
        let home = Home::new(home);
        let record = home.record()?;
        let mut store: Box<dyn Store> = match record.backend {
            Backend::Sqlite => Box::new(SqliteStore::open_read_only(&sqlite_path(
                &home,
                Some(&record.database),
            ))?),
            Backend::Postgres => open_store(&home, &record, database)?,
        };
        let mut schema = store.schema_version()?;
        if schema > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found: schema,
                known: SCHEMA_VERSION,
            });
        }
        if schema < SCHEMA_VERSION {
            // Older schema: migrate when the database can be written, else read what it has.
            if let Ok(mut writable) = open_store(&home, &record, database) {
                if let Ok(v) = writable.migrate() {
                    store = writable;
                    schema = v;
                }
            }
        }
        Self::opened(home, record, store, schema)
    }

    fn opened(
        home: Home,
        record: Record,
        mut store: Box<dyn Store>,
        schema: u32,
    ) -> Result<Deployment> {
        if store.generation()?.is_none() {
            return Err(StoreError::Corrupt {
                what: format!(
                    "{} records a deployment, but the database {} holds none",
                    home.record_file().display(),
                    store.describe()
                ),
            });
        }
        let mut d = Deployment {
            home,
            record,
            store,
            cache: None,
            validator: syncpolicy_lint::check,
            default_validator: true,
            notices: Vec::new(),
            lock_wait: default_lock_wait(),
            schema,
            keep_cache: true,
        };
        d.notices.extend(d.home.repair_secrets_mode());
        if let Some(mut lock) = d.home.try_lock() {
            if d.reconcile()? {
                lock.mark_settled();
            }
        } else {
            d.check_newest_export();
        }
        Ok(d)
    }

    /// Gives up the cached configuration without freeing it, for a command about to exit
    /// (the operating system takes the memory back faster than a large model is freed).
    pub fn forget_cache(&mut self) {
        if let Some(cache) = self.cache.take() {
            std::mem::forget(cache);
        }
    }

    /// Things to tell the person running the command (repairs made, warnings), once.
    pub fn take_notices(&mut self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        std::mem::take(&mut self.notices)
            .into_iter()
            .filter(|n| seen.insert(n.clone()))
            .collect()
    }

    /// How changes wait for the home's lock: the holder's command line, the timeout, and
    /// what to call (once) when another process holds it.
    pub fn set_lock_wait(&mut self, wait: LockWait) {
        self.lock_wait = wait;
    }

    /// Without the lock (a change is running, or the home is read-only): only says when
    /// the newest export is missing or was changed; the configuration comes from the
    /// database anyway.
    fn check_newest_export(&mut self) {
        let Ok(Some(newest)) = self.store.newest_history() else {
            return;
        };
        let path = self.snapshot_path(&newest);
        match fs::read(&path) {
            Ok(bytes) if syncpolicy_json::digest::sha256_hex(&bytes) != newest.digest => {
                self.notices.push(changed_after_export(&path, &newest));
            }
            Ok(_) => {}
            Err(_) => self.notices.push(format!(
                "warning: the export {} of change {} is missing; the configuration comes from the database (a change, or a read with write access to the home, writes the export again)",
                path.display(),
                newest.id
            )),
        }
    }

    /// Brings `exports/` in line with history (the home's lock is held): exports of changes
    /// that never committed are moved to `quarantine/`, temporary files of killed writes are
    /// removed, and a missing export of the newest change is written again from the database.
    /// True when nothing was left that it could not put right (the folder is settled).
    fn reconcile(&mut self) -> Result<bool> {
        self.reconcile_with(true, true)
    }

    /// [`Deployment::reconcile`]; `full` compares every export with every history entry,
    /// otherwise (before each change) only exports newer than the newest entry count as
    /// uncommitted, which is what a killed change leaves. Without `list`, only the newest
    /// export is looked at: the lock's previous holder recorded that it left the folder
    /// settled, so no killed write can have left files there.
    fn reconcile_with(&mut self, full: bool, list: bool) -> Result<bool> {
        let history = if full {
            self.store.history()?
        } else {
            self.store.newest_history()?.into_iter().collect()
        };
        let Some(newest) = history.last().cloned() else {
            return Ok(true);
        };
        let mut settled = true;
        if self.home.record_file().is_file() && self.home.pending_install_file().exists() {
            // An install that finished but was stopped before removing its marker.
            let _ = fs::remove_file(self.home.pending_install_file());
        }
        let committed: std::collections::HashSet<&str> =
            history.iter().map(|e| e.snapshot.as_str()).collect();
        let dir = self.home.exports();
        let torn_prefix = format!(".{APPLIED_PREFIX}");
        let listed = if list { fs::read_dir(&dir).ok() } else { None };
        if let Some(entries) = listed {
            for entry in entries.flatten() {
                let name = entry.file_name();
                let Some(name) = name.to_str() else {
                    continue;
                };
                if name.starts_with(&torn_prefix) && name.ends_with(".tmp") {
                    let _ = fs::remove_file(entry.path());
                    continue;
                }
                let is_export = name.starts_with(APPLIED_PREFIX) && name.ends_with(".json");
                if !is_export
                    || committed.contains(name)
                    || (!full && name <= newest.snapshot.as_str())
                {
                    continue;
                }
                let quarantine = self.home.quarantine();
                let target = quarantine.join(name);
                let moved = fs::create_dir_all(&quarantine)
                    .and_then(|()| fs::rename(entry.path(), &target));
                match moved {
                    Ok(()) => self.notices.push(format!(
                        "moved {} to {}: no committed change wrote it (a change was stopped before it committed); the deployment is unchanged",
                        entry.path().display(),
                        target.display()
                    )),
                    Err(e) => {
                        settled = false;
                        self.notices.push(format!(
                            "warning: {} was written by a change that never committed and cannot be moved to {}: {e}",
                            entry.path().display(),
                            quarantine.display()
                        ));
                    }
                }
            }
        }
        let path = self.snapshot_path(&newest);
        if !path.exists() {
            let bytes = self.current_bytes()?;
            let written = fs::create_dir_all(&dir)
                .map_err(|e| StoreError::io("create", &dir, e))
                .and_then(|()| write_export(&path, &bytes));
            if let Err(e) = written {
                self.notices.push(format!(
                    "warning: the export {} of the newest change ({}) is missing and cannot be written again: {e}",
                    path.display(),
                    newest.id
                ));
                return Ok(false);
            }
            let same = syncpolicy_json::digest::sha256_hex(&bytes) == newest.digest;
            self.notices.push(format!(
                "the export {} of the newest change ({}) was missing; it was written again from the database{}",
                path.display(),
                newest.id,
                if same { "" } else { " (its content differs from the digest recorded then: the stored form changed)" }
            ));
        }
        Ok(settled)
    }

    /// Creates a deployment from a configuration (express settings or an imported file,
    /// already validated and with the install choices applied). Crash-safe: the home's
    /// `deployment.json` is written last and is what makes a deployment; before it, a
    /// pending-install marker (`install.pending`) names the database and carries a token also
    /// stored with the deployment row. Killed at any point, the home holds either a complete
    /// deployment or the leftover of an install, which the next install recognises, reports
    /// (in [`Deployment::take_notices`]) and replaces. Nothing is left behind when it fails.
    pub fn install(
        opts: InstallOptions,
        config: &Configuration,
    ) -> Result<(Deployment, ChangeOutcome)> {
        let home = Home::new(&opts.home);
        if home.is_installed() {
            return Err(StoreError::AlreadyInstalled {
                what: opts.home.display().to_string(),
            });
        }
        let backend = backend_of(opts.database.as_deref())?;
        let created_home = !opts.home.exists();
        fs::create_dir_all(home.exports())
            .map_err(|e| StoreError::io("create", home.exports(), e))?;
        let mut created: Vec<PathBuf> = Vec::new();
        let mut committed = false;
        let result = Self::install_in(&home, backend, opts, config, &mut created, &mut committed);
        if result.is_err() {
            if committed {
                // The database holds the deployment but the home could not record it: the
                // marker stays, so the next install recognises and replaces this leftover.
                return result;
            }
            for path in created.iter().rev() {
                let _ = fs::remove_file(path);
            }
            if created_home {
                let _ = fs::remove_dir_all(home.root());
            } else {
                let _ = fs::remove_dir(home.exports());
                let _ = fs::remove_file(home.root().join(crate::home::LOCK_FILE));
            }
        }
        result
    }

    /// Removes the leftover of an install that did not complete (the lock is held): the
    /// deployment in its database when the database is the home's own SQLite file or carries
    /// the token of the home's pending-install marker, its exports and secrets file; says
    /// what it found. A database holding another installation's deployment is refused.
    fn clear_leftover(
        home: &Home,
        store: Option<&mut dyn Store>,
        sqlite_file: Option<&Path>,
        notices: &mut Vec<String>,
    ) -> Result<()> {
        let pending = home.pending_install();
        let mut found: Vec<String> = Vec::new();
        if let Some(p) = &pending {
            found.push(format!(
                "the marker of an install started {} by process {}",
                p.started_at, p.pid
            ));
        }
        if let Some(store) = store {
            if let Some(path) = sqlite_file {
                found.push(format!("the database {}", path.display()));
            }
            if store.generation()?.is_some() {
                let mut token = None;
                store.read(&mut |tx| {
                    token = tx.install_token()?;
                    Ok(())
                })?;
                let ours = match (&pending, &token) {
                    (Some(p), Some(t)) => &p.token == t,
                    // A SQLite file in the home without deployment.json is the home's own.
                    _ => sqlite_file.is_some(),
                };
                if !ours {
                    return Err(StoreError::AlreadyInstalled {
                        what: format!("the database {}", store.describe()),
                    });
                }
                if sqlite_file.is_none() {
                    found.push(format!("its deployment in {}", store.describe()));
                }
                store.transaction(&mut |tx| tx.wipe())?;
            }
        }
        let mut exports = 0;
        if let Ok(entries) = fs::read_dir(home.exports()) {
            let torn = format!(".{APPLIED_PREFIX}");
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let ours = (name.starts_with(APPLIED_PREFIX) && name.ends_with(".json"))
                    || (name.starts_with(&torn) && name.ends_with(".tmp"));
                if ours && fs::remove_file(entry.path()).is_ok() {
                    exports += 1;
                }
            }
        }
        if exports > 0 {
            found.push(format!(
                "{} in {}",
                count(exports, "export", "exports"),
                home.exports().display()
            ));
        }
        if home.secrets_file().exists() {
            let _ = fs::remove_file(home.secrets_file());
            found.push(format!(
                "the secrets file {}",
                home.secrets_file().display()
            ));
        }
        let _ = fs::remove_file(home.pending_install_file());
        if home.import_session_file().exists() {
            let _ = fs::remove_file(home.import_session_file());
            found.push(format!(
                "the import-session marker {}",
                home.import_session_file().display()
            ));
        }
        if !found.is_empty() {
            notices.push(format!(
                "found the leftover of an install that did not complete: {}; it was removed and the install starts again",
                found.join(", ")
            ));
        }
        Ok(())
    }

    fn install_in(
        home: &Home,
        backend: Backend,
        opts: InstallOptions,
        config: &Configuration,
        created: &mut Vec<PathBuf>,
        committed: &mut bool,
    ) -> Result<(Deployment, ChangeOutcome)> {
        let _lock = home.lock_with(&LockWait::quiet("install", DEFAULT_LOCK_TIMEOUT))?;
        if home.is_installed() {
            return Err(StoreError::AlreadyInstalled {
                what: home.root().display().to_string(),
            });
        }
        let mut notices = Vec::new();
        let mut secrets = opts.secrets.clone();
        let token = crate::home::random_token();
        let (record, mut store): (Record, Box<dyn Store>) = match backend {
            Backend::Sqlite => {
                let path = sqlite_path(home, opts.database.as_deref());
                let inside = path.starts_with(home.root());
                if path.exists() && !inside {
                    return Err(StoreError::AlreadyInstalled {
                        what: path.display().to_string(),
                    });
                }
                if path.exists() {
                    let opened = SqliteStore::open(&path).and_then(|mut old| {
                        old.migrate()?;
                        Ok(old)
                    });
                    match opened {
                        Ok(mut old) => {
                            Self::clear_leftover(home, Some(&mut old), Some(&path), &mut notices)?
                        }
                        // The home's own database file, unreadable (killed while it was being
                        // created): a leftover all the same.
                        Err(e) => {
                            Self::clear_leftover(home, None, None, &mut notices)?;
                            notices.push(format!(
                                "removed the unreadable database {} left by an install that did not complete ({e})",
                                path.display()
                            ));
                        }
                    }
                    for p in sqlite_files(&path) {
                        let _ = fs::remove_file(p);
                    }
                } else {
                    Self::clear_leftover(home, None, None, &mut notices)?;
                }
                created.extend(sqlite_files(&path));
                let database = match path.strip_prefix(home.root()) {
                    Ok(rel) => rel.display().to_string(),
                    Err(_) => path.display().to_string(),
                };
                (
                    Record {
                        format_version: 1,
                        backend,
                        database,
                        created_at: UtcMillis::now().iso(),
                    },
                    Box::new(SqliteStore::open(&path)?),
                )
            }
            Backend::Postgres => {
                let url = opts.database.clone().unwrap_or_default();
                if url_has_password(&url) {
                    secrets.database_url = Some(url.clone());
                }
                let mut store = PostgresStore::connect(&url)?;
                store.migrate()?;
                Self::clear_leftover(home, Some(&mut store), None, &mut notices)?;
                (
                    Record {
                        format_version: 1,
                        backend,
                        database: redact_url(&url),
                        created_at: UtcMillis::now().iso(),
                    },
                    Box::new(store),
                )
            }
        };
        store.migrate()?;
        if store.generation()?.is_some() {
            return Err(StoreError::AlreadyInstalled {
                what: format!("the database {}", store.describe()),
            });
        }
        // First the marker (what is being installed, the token), then secrets, the database
        // with its export, and deployment.json last: the completion marker.
        created.push(home.pending_install_file());
        home.write_pending_install(&PendingInstall {
            token: token.clone(),
            backend,
            database: record.database.clone(),
            started_at: UtcMillis::now().iso(),
            pid: std::process::id(),
        })?;
        pause_at("install-marker");
        if let Some(source) = &opts.import_session {
            // Before deployment.json: a deployment never exists without its import session.
            let marker = home.import_session_file();
            created.push(marker.clone());
            let label: String = source.chars().filter(|c| !c.is_control()).collect();
            syncpolicy_files::atomic::write_atomic(&marker, format!("{label}\n").as_bytes())
                .map_err(|e| StoreError::io("write", &marker, e))?;
        }
        if secrets != Secrets::default() {
            created.push(home.secrets_file());
            home.write_secrets(&secrets)?;
        }
        let mut after = normalize(config)?;
        after.deployment_metadata.database_type = Some(backend.database_type().to_owned());
        let now = UtcMillis::now();
        stamp(&mut after, &opts.meta.author, now);
        let prepared = prepare(&home.exports(), &after, &opts.meta, &opts.summary, now)?;
        created.push(prepared.path.clone());
        let mut id = 0;
        store.transaction(&mut |tx| {
            if tx.lock_generation()?.is_some() {
                return Err(StoreError::AlreadyInstalled {
                    what: "the database".to_owned(),
                });
            }
            tx.create_deployment(&prepared.entry.at)?;
            tx.set_install_token(&token)?;
            write_delta(tx, &parts::delta(&Parts::default(), &prepared.parts))?;
            id = tx.add_history(&prepared.entry)?;
            tx.set_generation(1)?;
            write_export(&prepared.path, &prepared.bytes)?;
            pause_at("install-commit");
            Ok(())
        })?;
        *committed = true;
        pause_at("install-record");
        home.write_record(&record)?;
        pause_at("install-done");
        let _ = fs::remove_file(home.pending_install_file());
        let rows = prepared.parts.len();
        let mut entry = prepared.entry;
        entry.id = id;
        let outcome = ChangeOutcome {
            summary: opts.summary.clone(),
            entry,
            snapshot: prepared.path,
            before: Configuration::default(),
            after: after.clone(),
            rows_changed: rows,
        };
        let deployment = Deployment {
            home: home.clone(),
            record,
            store,
            cache: Some(Cache {
                generation: 1,
                config: after,
                parts: prepared.parts,
                written: syncpolicy_json::WriteCache::default(),
                text_len: prepared.bytes.len(),
                spare: Vec::new(),
                findings: None,
                rows_loaded: true,
            }),
            validator: syncpolicy_lint::check,
            default_validator: true,
            notices,
            lock_wait: default_lock_wait(),
            schema: SCHEMA_VERSION,
            keep_cache: true,
        };
        Ok((deployment, outcome))
    }

    /// The home folder.
    pub fn home(&self) -> &Home {
        &self.home
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.record.backend
    }

    /// The database, for people (no password).
    pub fn describe_database(&self) -> String {
        self.store.describe()
    }

    /// Replaces the validation run on every change (the default is `syncpolicy_lint::check`;
    /// error-level findings refuse a change).
    pub fn set_validator(&mut self, validator: fn(&Configuration) -> Vec<Diagnostic>) {
        self.validator = validator;
        self.default_validator = false;
    }

    /// Loads the stored configuration into the cache when another process changed it.
    fn refresh(&mut self, tx: Option<&mut dyn StoreTx>) -> Result<&Cache> {
        let generation = match tx {
            Some(tx) => {
                let g = tx
                    .lock_generation()?
                    .ok_or_else(|| StoreError::NotInstalled {
                        home: self.home.root().to_path_buf(),
                    })?;
                if self.cache.as_ref().map(|c| c.generation) != Some(g) {
                    let parts = tx.load_parts()?;
                    self.cache = Some(Self::cache_from(g, parts)?);
                }
                g
            }
            None => {
                let g = self
                    .store
                    .generation()?
                    .ok_or_else(|| StoreError::NotInstalled {
                        home: self.home.root().to_path_buf(),
                    })?;
                if self.cache.as_ref().map(|c| c.generation) != Some(g) {
                    self.cache = Some(self.load_current()?);
                }
                g
            }
        };
        let _ = generation;
        self.cache.as_ref().ok_or_else(|| StoreError::Corrupt {
            what: "the configuration could not be loaded".to_owned(),
        })
    }

    /// Loads the committed configuration: the rows, and at the same time (second thread) the
    /// newest export read and parsed when its SHA-256 is the digest the history entry of the
    /// same generation records. No commit may come between reading that entry and reading
    /// the rows: the generation read before the entry must be the one read with the rows
    /// (generations only grow). Reading that copy gives the same configuration as assembling
    /// the rows, faster; otherwise the rows are assembled.
    fn load_current(&mut self) -> Result<Cache> {
        let generation_before_entry = self.store.generation().ok().flatten();
        let newest = self.store.newest_history().ok().flatten();
        pause_at("load-entry");
        let export = newest.map(|e| (self.snapshot_path(&e), e.digest));
        let keep_cache = self.keep_cache;
        let store = &mut self.store;
        let (loaded, parsed) = std::thread::scope(|s| {
            let parsing = s.spawn(move || {
                let (path, digest) = export?;
                let t = crate::timing::phase("read + digest newest export");
                let bytes = read_with_margin(&path, !keep_cache)?;
                if syncpolicy_json::digest::sha256_hex(&bytes) != digest {
                    return None;
                }
                drop(t);
                let _t = crate::timing::phase("parse current");
                let config = syncpolicy_json::read_settings(&bytes, "the stored configuration")
                    .map_err(|e| StoreError::Corrupt {
                        what: e.to_string(),
                    });
                let len = bytes.len();
                Some((config, len, if keep_cache { Vec::new() } else { bytes }))
            });
            // A change that keeps no cache reads only the rows it touches: here only the
            // generation, which must be the one read before the history entry.
            let t = crate::timing::phase("load rows");
            let mut loaded = None;
            let read = store.read(&mut |tx| {
                let g = tx.read_generation()?.unwrap_or(0);
                let parts = if keep_cache {
                    Some(tx.load_parts()?)
                } else {
                    None
                };
                loaded = Some((g, parts));
                Ok(())
            });
            drop(t);
            (read.map(|()| loaded), parsing.join().ok().flatten())
        });
        let Some((g, parts)) = loaded? else {
            return Err(StoreError::Corrupt {
                what: "the configuration could not be loaded".to_owned(),
            });
        };
        match parsed {
            Some((config, len, spare)) if generation_before_entry == Some(g) => Ok(Cache {
                generation: g,
                config: config?,
                rows_loaded: parts.is_some(),
                parts: parts.unwrap_or_default(),
                written: syncpolicy_json::WriteCache::default(),
                text_len: len,
                spare,
                findings: None,
            }),
            _ => {
                // The export cannot be used: the configuration is assembled from the rows.
                let (g, parts) = match parts {
                    Some(parts) => (g, parts),
                    None => {
                        let mut loaded = None;
                        self.store.read(&mut |tx| {
                            let g = tx.read_generation()?.unwrap_or(0);
                            loaded = Some((g, tx.load_parts()?));
                            Ok(())
                        })?;
                        loaded.ok_or_else(|| StoreError::Corrupt {
                            what: "the configuration could not be loaded".to_owned(),
                        })?
                    }
                };
                Self::cache_from(g, parts)
            }
        }
    }

    fn cache_from(generation: i64, parts: Parts) -> Result<Cache> {
        let text = parts::assemble(&parts)?;
        let config = syncpolicy_json::read_settings_str(&text, "the stored configuration")
            .map_err(|e| StoreError::Corrupt {
                what: e.to_string(),
            })?;
        Ok(Cache {
            generation,
            config,
            parts,
            written: syncpolicy_json::WriteCache::default(),
            text_len: text.len(),
            spare: Vec::new(),
            findings: None,
            rows_loaded: true,
        })
    }

    /// The current configuration.
    pub fn current(&mut self) -> Result<Configuration> {
        Ok(self.refresh(None)?.config.clone())
    }

    /// The current configuration, without a copy (for reading it before a change).
    pub fn current_ref(&mut self) -> Result<&Configuration> {
        Ok(&self.refresh(None)?.config)
    }

    /// Whether a change keeps its result as the cached configuration for the next change
    /// (the default). A command that makes one change and exits turns it off: the change
    /// then makes no copy of the result and writes its settings text without recording
    /// places for reuse.
    pub fn set_keep_cache(&mut self, keep: bool) {
        self.keep_cache = keep;
    }

    /// The current configuration as the settings file an export would write.
    pub fn current_bytes(&mut self) -> Result<Vec<u8>> {
        Ok(syncpolicy_json::write_settings(&self.refresh(None)?.config))
    }

    /// What a change would do, validated, without applying it: `(before, after, summary)`.
    pub fn preview<E>(
        &mut self,
        edit: impl FnOnce(&mut Configuration) -> std::result::Result<String, E>,
    ) -> Result<(Configuration, Configuration, String)>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let before = self.current()?;
        let mut after = before.clone();
        let summary = edit(&mut after).map_err(|e| StoreError::Edit(e.into()))?;
        if after == before {
            return Err(StoreError::Unchanged { summary });
        }
        let errors = errors_of(self.validator, &after);
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        Ok((before, after, summary))
    }

    /// Makes one change: applies `edit` to the current configuration (it returns a one-line
    /// summary, or an error that refuses the change), validates the result, writes the changed
    /// rows, a history entry and the auto-export in one transaction. Concurrent changes (other
    /// processes, other threads) wait for each other.
    pub fn change<E>(
        &mut self,
        meta: &ChangeMeta,
        edit: impl FnOnce(&mut Configuration) -> std::result::Result<String, E>,
    ) -> Result<ChangeOutcome>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.change_with(meta, |before| {
            let mut after = before.clone();
            let summary = edit(&mut after).map_err(|e| StoreError::Edit(e.into()))?;
            Ok((after, summary))
        })
    }

    /// Makes the configuration `target` as one change (as [`Deployment::change`] does, without
    /// copying the current configuration first: for replacing a whole configuration).
    pub fn change_to(
        &mut self,
        meta: &ChangeMeta,
        target: Configuration,
        summary: String,
    ) -> Result<ChangeOutcome> {
        self.change_with(meta, move |_| Ok((target, summary)))
    }

    /// [`Deployment::change_to`] with work of the caller's done beside the change:
    /// `beside(before, after)` runs on the validation's thread once validation is done,
    /// while the settings text is written, cut into rows and exported, and gives the change's
    /// summary (for history and the outcome). `after` is the configuration as it will be
    /// committed (author and time of the change stamped). `summary` is said when `target` is
    /// what the deployment holds (nothing is changed then, and `beside` is not run).
    pub fn change_to_beside(
        &mut self,
        meta: &ChangeMeta,
        target: Configuration,
        summary: String,
        beside: impl FnOnce(&Configuration, &Configuration) -> String + Send,
    ) -> Result<ChangeOutcome> {
        let mut beside = Some(beside);
        self.change_with_beside(
            meta,
            move |_| Ok((target, summary)),
            |before, after| beside.take().map(|b| b(before, after)),
        )
    }

    fn change_with(
        &mut self,
        meta: &ChangeMeta,
        make: impl FnOnce(&Configuration) -> Result<(Configuration, String)>,
    ) -> Result<ChangeOutcome> {
        self.change_with_beside(meta, make, |_, _| None)
    }

    fn change_with_beside(
        &mut self,
        meta: &ChangeMeta,
        make: impl FnOnce(&Configuration) -> Result<(Configuration, String)>,
        mut beside: impl FnMut(&Configuration, &Configuration) -> Option<String> + Send,
    ) -> Result<ChangeOutcome> {
        let edit = make;
        let mut wait = self.lock_wait.clone();
        wait.command.clone_from(&meta.command);
        let t = crate::timing::phase("lock + reconcile");
        let mut lock = self.home.lock_with(&wait)?;
        // Settled when the folder is in line with history before this change; then so it is
        // after it, once the export of this change committed or was removed again.
        let settled = self.reconcile_with(false, !lock.settled_before())?;
        drop(t);
        let mut edit = Some(edit);
        let mut new_generation = 0;
        let mut result: Option<Done> = None;
        // The export of this attempt, once its writing started: removed when the change fails.
        let mut export: Option<PathBuf> = None;
        let exports = self.home.exports();
        let validator = self.validator;
        let default_validator = self.default_validator;
        let keep_cache = self.keep_cache;
        let mut store = std::mem::replace(&mut self.store, Box::new(NoStore));
        let commit_timer = crate::timing::phase("transaction");
        let run = store.transaction(&mut |tx| {
            self.refresh(Some(tx))?;
            let Some(mut cache) = self.cache.take() else {
                return Err(StoreError::Corrupt {
                    what: "the configuration could not be loaded".to_owned(),
                });
            };
            if keep_cache && !cache.rows_loaded {
                // The result is kept for the next change: it needs every row.
                cache.parts = tx.load_parts()?;
                cache.rows_loaded = true;
            }
            let rows_loaded = cache.rows_loaded;
            let before = cache.config;
            let generation = cache.generation;
            let text_len = cache.text_len;
            let mut spare = cache.spare;
            let mut written = cache.written;
            let prior_findings = if default_validator {
                cache.findings
            } else {
                None
            };
            let Some(edit) = edit.take() else {
                return Err(StoreError::Corrupt {
                    what: "the transaction was retried".to_owned(),
                });
            };
            let (mut after, mut summary) = match edit(&before) {
                Ok(made) => made,
                Err(e) => {
                    self.cache = Some(Cache {
                        generation,
                        config: before,
                        parts: cache.parts,
                        written,
                        text_len,
                        spare,
                        findings: prior_findings,
                        rows_loaded,
                    });
                    return Err(e);
                }
            };
            if after == before {
                // Nothing to write: no history entry, no export.
                self.cache = Some(Cache {
                    generation,
                    config: before,
                    parts: cache.parts,
                    written,
                    text_len,
                    spare,
                    findings: prior_findings,
                    rows_loaded,
                });
                return Err(StoreError::Unchanged { summary });
            }
            let now = UtcMillis::now();
            stamp(&mut after, &meta.author, now);
            let (path, at) = unique_snapshot_path(&exports, APPLIED_PREFIX, now);
            let mut entry = history_entry(&path, at, meta, &summary);
            // Three things run side by side: validation (second core), the export (write,
            // fsync; mostly waiting for the disk) and cutting the text into rows, its digest
            // for history and writing the changed rows (this thread, while the export waits
            // for the disk). The export is complete before the commit; it is removed again
            // when validation refuses the change or the commit fails.
            let (parts, rows, after_copy, replaced, findings, written_len) =
                std::thread::scope(|s| {
                    // Only what the change touched is checked again (the same findings as
                    // checking all: `syncpolicy_lint::check_since`).
                    let (b, a, prior, beside) = (&before, &after, &prior_findings, &mut beside);
                    // Then, on the same thread, the history digest of the text once it is
                    // written (this thread is done before the text is cut into rows, so the
                    // cut keeps the other core to itself; `None` when no text came).
                    let (send_text, receive_text) =
                        std::sync::mpsc::channel::<std::sync::Arc<Vec<u8>>>();
                    let check = s.spawn(move || {
                        let t = crate::timing::phase("validate");
                        let findings = match prior {
                            Some(prior) => syncpolicy_lint::check_since(b, prior, a),
                            None => validator(a),
                        };
                        drop(t);
                        let t = crate::timing::phase("beside");
                        let said = beside(b, a);
                        drop(t);
                        let digest = receive_text.recv().ok().map(|text| {
                            let _t = crate::timing::phase("history digest");
                            syncpolicy_json::digest::sha256_hex(&text)
                        });
                        (findings, said, digest)
                    });
                    // Only the rules and sections the change touched are written again (byte
                    // for byte what writing all of it gives).
                    // `written` was last written from `before` (the cached configuration).
                    let target = &path;
                    export = Some(path.clone());
                    let (bytes, places, writing) = if keep_cache {
                        let t = crate::timing::phase("write settings");
                        let bytes = syncpolicy_json::write_settings_reusing(
                            &after,
                            Some(&before),
                            &mut written,
                        );
                        drop(t);
                        let shared = std::sync::Arc::clone(&bytes);
                        let writing = s.spawn(move || {
                            let _t = crate::timing::phase("export write + fsync");
                            write_export(target, &shared).map(|()| None)
                        });
                        (bytes, Vec::new(), writing)
                    } else {
                        // Nothing is kept for the next write: the text written at once into a
                        // buffer of about its size (the current text's length and a margin),
                        // with the place of each rule (to cut only the rules that changed),
                        // and written to the export's temporary file while it is made, a
                        // piece of about a megabyte at a time (in a few buffers passed back
                        // and forth), each piece hashed for history before it is written.
                        let (give, pieces) = std::sync::mpsc::channel::<Option<Vec<u8>>>();
                        let (recycle, spares) = std::sync::mpsc::channel::<Vec<u8>>();
                        let writing = s.spawn(move || {
                            let _t = crate::timing::phase("export write + fsync");
                            write_export_from(target, &pieces, &recycle)
                        });
                        let end = give.clone();
                        let sink: syncpolicy_json::Sink = Box::new(move |piece: &[u8]| {
                            let mut buf = spares.try_recv().unwrap_or_default();
                            buf.clear();
                            buf.extend_from_slice(piece);
                            // A send fails only when the export's thread stopped: its error
                            // is said at its join.
                            let _ = give.send(Some(buf));
                        });
                        let mut out = std::mem::take(&mut spare);
                        out.clear();
                        out.reserve(text_len + text_len / 8 + 64 * 1024);
                        let t = crate::timing::phase("write settings");
                        let places = syncpolicy_json::write_settings_streamed(
                            &after,
                            &mut out,
                            1 << 20,
                            sink,
                        );
                        drop(t);
                        let _ = end.send(None);
                        (std::sync::Arc::new(out), places, writing)
                    };
                    // A change that keeps its result validates only what it touched, and its
                    // validation thread hashes the text beside the row cut; a change that
                    // keeps nothing (apply of a whole file) validates all of it, so the
                    // export's thread hashes the text as it writes it.
                    if !keep_cache {
                        drop(send_text);
                    } else {
                        // A send fails only when the validation thread stopped: said at its join.
                        let _ = send_text.send(std::sync::Arc::clone(&bytes));
                    }
                    let t = crate::timing::phase("split rows");
                    // Without the stored rows, only the rules the change touched are cut, and
                    // only their rows (and the few of the other kinds) are read, to compare
                    // with or delete; when the rows are not what the configuration before
                    // says (their number, a key missing), every row is read and cut.
                    let touched = if rows_loaded {
                        None
                    } else {
                        parts::split_touched(&bytes, &places, &after, &before)?
                    };
                    drop(places);
                    let (parts, stored) = match touched {
                        Some(touched) => {
                            let _t = crate::timing::phase("read touched rows");
                            let mut old = tx.load_parts_of(&[
                                PartKind::Setting,
                                PartKind::Directory,
                                PartKind::Partition,
                                PartKind::ExtensionItem,
                            ])?;
                            let rules = tx.load_keys(PartKind::Rule, &touched.old_rule_keys)?;
                            let in_line = rules.len() == touched.old_rule_keys.len()
                                && tx.count_parts(PartKind::Rule)? == touched.old_rules;
                            if in_line {
                                for rule in rules {
                                    old.insert(PartKind::Rule, rule);
                                }
                                (touched.parts, old)
                            } else {
                                let stored = tx.load_parts()?;
                                (parts::split_with(&bytes, &after)?, stored)
                            }
                        }
                        None if rows_loaded => (
                            parts::split_since(&bytes, &after, &before, &cache.parts)?,
                            std::mem::take(&mut cache.parts),
                        ),
                        None => {
                            let stored = tx.load_parts()?;
                            (parts::split_with(&bytes, &after)?, stored)
                        }
                    };
                    drop(t);
                    let t = crate::timing::phase("wait validate");
                    let (findings, said, digest) =
                        check.join().map_err(|_| StoreError::Corrupt {
                            what: "the validation of the change stopped unexpectedly".to_owned(),
                        })?;
                    if let Some(said) = said {
                        entry.summary.clone_from(&said);
                        summary = said;
                    }
                    // Errors the result's acceptedFindings accept do not refuse it (as `validate`).
                    let errors = syncpolicy_lint::accept::unaccepted_errors(&after, &findings);
                    if !errors.is_empty() {
                        return Err(StoreError::Invalid(errors));
                    }
                    drop(t);
                    let t = crate::timing::phase("write rows");
                    let delta = parts::delta(&stored, &parts);
                    let replaced = replaced_parts(&stored, &delta);
                    let rows = write_delta(tx, &delta)?;
                    drop(delta);
                    drop(t);
                    // The copy kept in the cache is made while the export is being synced.
                    let t = crate::timing::phase("clone after");
                    let after_copy = (keep_cache && rows_loaded).then(|| after.clone());
                    drop(t);
                    let _t = crate::timing::phase("wait export");
                    let written = writing.join().map_err(|_| StoreError::Corrupt {
                        what: "the export of the change stopped unexpectedly".to_owned(),
                    })??;
                    // The digest of a one-shot change comes with its export.
                    entry.digest = digest.or(written).ok_or_else(|| StoreError::Corrupt {
                        what: "the digest of the change stopped unexpectedly".to_owned(),
                    })?;
                    Ok((parts, rows, after_copy, replaced, findings, bytes.len()))
                })?;
            entry.id = tx.add_history(&entry)?;
            tx.add_deltas(entry.id, &replaced)?;
            tx.set_generation(generation + 1)?;
            new_generation = generation + 1;
            pause_in_change();
            result = Some(Done {
                parts,
                entry,
                path,
                before,
                after,
                after_copy,
                rows,
                summary,
                written: std::mem::take(&mut written),
                text_len: written_len,
                findings: default_validator.then_some(findings),
            });
            Ok(())
        });
        drop(commit_timer);
        self.store = store;
        if let Err(e) = run {
            // The export of a change that did not commit must go too.
            let removed = export.as_deref().is_none_or(|path| {
                fs::remove_file(path).is_ok() || !fs::exists(path).unwrap_or(true)
            });
            if settled && removed {
                lock.mark_settled();
            }
            self.cache = None;
            return Err(e);
        }
        if settled {
            lock.mark_settled();
        }
        let done = result.ok_or_else(|| StoreError::Corrupt {
            what: "the change produced no result".to_owned(),
        })?;
        self.cache = match done.after_copy {
            Some(config) => Some(Cache {
                generation: new_generation,
                config,
                parts: done.parts,
                written: done.written,
                text_len: done.text_len,
                spare: Vec::new(),
                findings: done.findings,
                rows_loaded: true,
            }),
            None => None,
        };
        Ok(ChangeOutcome {
            summary: done.summary,
            entry: done.entry,
            snapshot: done.path,
            before: done.before,
            after: done.after,
            rows_changed: done.rows,
        })
    }

    /// Writes the current configuration to `dir` as `Exported-SynchronizationPolicy-<stamp>.json`
    /// (no history entry: the configuration does not change).
    pub fn export_to(&mut self, dir: &Path) -> Result<PathBuf> {
        Ok(self.export_timed(dir)?.0)
    }

    /// [`Deployment::export_to`], also giving the time the file is named by.
    pub fn export_timed(&mut self, dir: &Path) -> Result<(PathBuf, UtcMillis)> {
        let bytes = self.current_bytes()?;
        fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, e))?;
        let (path, at) = unique_snapshot_path(dir, EXPORTED_PREFIX, UtcMillis::now());
        syncpolicy_files::atomic::write_atomic(&path, &bytes).map_err(|source| {
            StoreError::Export {
                path: path.clone(),
                source,
            }
        })?;
        Ok((path, at))
    }

    /// History, newest first.
    pub fn history(&mut self) -> Result<Vec<HistoryEntry>> {
        let mut h = self.store.history()?;
        h.reverse();
        Ok(h)
    }

    /// The history entry a reference names: `latest`, `~N` (N changes before the latest) or a
    /// timestamp prefix (`2026-11-26T08`, `20261126-0815`, ...).
    pub fn resolve(&mut self, reference: &str) -> Result<HistoryEntry> {
        resolve_in(&self.history()?, reference)
    }

    /// Path of a history entry's export.
    pub fn snapshot_path(&self, entry: &HistoryEntry) -> PathBuf {
        self.home.exports().join(&entry.snapshot)
    }
}

impl Deployment {
    /// The committed configuration of a history entry, from the database: the current rows
    /// with the replaced rows of every later change put back. An entry older than the
    /// database's record of replaced rows (changes made before schema version 2) is read
    /// from its export, which must match the digest in history. The export file of the entry,
    /// when it exists and differs from that digest, is reported in the notices.
    pub fn snapshot(&mut self, entry: &HistoryEntry) -> Result<Snapshot> {
        let path = self.snapshot_path(entry);
        let file = fs::read(&path).ok();
        let tampered = file
            .as_ref()
            .is_some_and(|b| syncpolicy_json::digest::sha256_hex(b) != entry.digest);
        if let Some((config, bytes)) = self.rebuild(entry)? {
            if tampered {
                self.notices.push(changed_after_export(&path, entry));
            }
            return Ok(Snapshot {
                entry: entry.clone(),
                config,
                bytes,
                from_database: true,
            });
        }
        let Some(bytes) = file else {
            return Err(StoreError::Reference(format!(
                "change {} ({}) was made before the database recorded what changes replace, and its export {} is gone; that configuration cannot be given\nhint: choose a newer change (`syncpolicy history`)",
                entry.id,
                entry.summary,
                path.display()
            )));
        };
        if tampered {
            return Err(StoreError::Reference(format!(
                "{} was changed after it was exported (its content differs from the digest history recorded for change {}), and that change was made before the database recorded what changes replace: the committed configuration cannot be given\nhint: restore the file from a backup, or choose a newer change",
                path.display(),
                entry.id
            )));
        }
        let config =
            syncpolicy_json::read_settings(&bytes, &path.display().to_string()).map_err(|e| {
                StoreError::Corrupt {
                    what: e.to_string(),
                }
            })?;
        Ok(Snapshot {
            entry: entry.clone(),
            config,
            bytes,
            from_database: false,
        })
    }

    /// True when the database can rebuild the configuration of `entry`.
    pub fn rebuildable(&mut self, entry: &HistoryEntry) -> Result<bool> {
        if self.schema < 2 {
            return Ok(self
                .store
                .newest_history()?
                .is_some_and(|n| n.id == entry.id));
        }
        let mut from = None;
        self.store.read(&mut |tx| {
            from = tx.deltas_from()?;
            Ok(())
        })?;
        Ok(from.is_none_or(|f| entry.id + 1 >= f))
    }

    /// Rebuilds the configuration of `entry` from the database, when it can.
    fn rebuild(&mut self, entry: &HistoryEntry) -> Result<Option<(Configuration, Vec<u8>)>> {
        let newest = self.store.newest_history()?;
        if newest.as_ref().is_some_and(|n| n.id == entry.id) {
            let config = self.current()?;
            // The export, when it is what was committed, is those bytes already.
            let file = fs::read(self.snapshot_path(entry))
                .ok()
                .filter(|b| syncpolicy_json::digest::sha256_hex(b) == entry.digest);
            let bytes = file.unwrap_or_else(|| syncpolicy_json::write_settings(&config));
            return Ok(Some((config, bytes)));
        }
        if !self.rebuildable(entry)? {
            return Ok(None);
        }
        let mut loaded: Option<(Parts, Vec<DeltaRow>)> = None;
        self.store.read(&mut |tx| {
            loaded = Some((tx.load_parts()?, tx.load_deltas(entry.id)?));
            Ok(())
        })?;
        let Some((mut parts, deltas)) = loaded else {
            return Ok(None);
        };
        // Newest change first: put back what each replaced.
        for row in deltas {
            match row.before {
                Some(part) => parts.insert(row.kind, part),
                None => parts.remove(row.kind, &row.key),
            }
        }
        let text = parts::assemble(&parts)?;
        let config = syncpolicy_json::read_settings_str(&text, "the stored configuration")
            .map_err(|e| StoreError::Corrupt {
                what: e.to_string(),
            })?;
        let bytes = syncpolicy_json::write_settings(&config);
        Ok(Some((config, bytes)))
    }

    /// Removes exports by a retention rule, as one logged operation (in the database's
    /// operations log; no history entry, since no configuration changes). The newest
    /// change's export is always kept; so are exports history still needs to answer `@~N`
    /// (changes the database cannot rebuild) unless `include_needed`.
    pub fn prune(&mut self, author: &str, rule: &PruneRule) -> Result<PruneOutcome> {
        let mut wait = self.lock_wait.clone();
        wait.command = "prune".to_owned();
        let _lock = self.home.lock_with(&wait)?;
        let history = self.history()?; // newest first
        let mut out = PruneOutcome::default();
        for (i, entry) in history.iter().enumerate() {
            let path = self.snapshot_path(entry);
            if !path.exists() {
                continue;
            }
            let by_count = rule.keep_newest.is_some_and(|n| i < n.max(1));
            let by_date = rule
                .newer_than
                .as_deref()
                .is_some_and(|d| entry.at.as_str() >= d);
            let no_rule = rule.keep_newest.is_none() && rule.newer_than.is_none();
            if i == 0 || by_count || by_date || no_rule {
                out.kept += 1;
                continue;
            }
            if !rule.include_needed && !self.rebuildable(entry)? {
                out.kept_needed.push(entry.snapshot.clone());
                continue;
            }
            out.bytes += fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            out.removed.push(entry.snapshot.clone());
        }
        out.removed.reverse();
        if rule.dry_run || out.removed.is_empty() {
            return Ok(out);
        }
        for name in &out.removed {
            let path = self.home.exports().join(name);
            fs::remove_file(&path).map_err(|e| StoreError::io("remove", &path, e))?;
        }
        let mut what = format!(
            "removed {} ({})",
            count(out.removed.len(), "export", "exports"),
            count(out.bytes as usize, "byte", "bytes")
        );
        if let Some(n) = rule.keep_newest {
            what.push_str(&format!(", keeping the newest {n}"));
        }
        if let Some(d) = &rule.newer_than {
            what.push_str(&format!(", keeping those newer than {d}"));
        }
        let at = UtcMillis::now().iso();
        self.store
            .transaction(&mut |tx| tx.add_operation(&at, author, "prune", &what))?;
        Ok(out)
    }
}

/// Resolves a reference against history (newest first).
pub fn resolve_in(history: &[HistoryEntry], reference: &str) -> Result<HistoryEntry> {
    let r = reference.trim();
    let hint = "hint: use @latest, @~N (N changes before the latest) or a timestamp prefix from `syncpolicy history`";
    if history.is_empty() {
        return Err(StoreError::Reference(format!(
            "@{r}: the deployment has no history\n{hint}"
        )));
    }
    if r.is_empty() || r.eq_ignore_ascii_case("latest") {
        return Ok(history[0].clone());
    }
    if let Some(n) = r.strip_prefix('~') {
        let n: usize = n.parse().map_err(|_| {
            StoreError::Reference(format!(
                "@{r}: `~` must be followed by a number of changes\n{hint}"
            ))
        })?;
        return history.get(n).cloned().ok_or_else(|| {
            StoreError::Reference(format!(
                "@{r}: the deployment has only {} in its history (@~{} is the oldest)\n{hint}",
                count(history.len(), "change", "changes"),
                history.len() - 1
            ))
        });
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let wanted = digits(r);
    if wanted.len() < 4 {
        return Err(StoreError::Reference(format!(
            "@{r}: not a snapshot reference\n{hint}"
        )));
    }
    let matches: Vec<&HistoryEntry> = history
        .iter()
        .filter(|e| digits(&e.at).starts_with(&wanted))
        .collect();
    match matches.as_slice() {
        [] => Err(StoreError::Reference(format!(
            "@{r}: no change in the history has a timestamp starting with {r}\n{hint}"
        ))),
        [one] => Ok((*one).clone()),
        many => {
            // A prefix that is one entry's whole timestamp names that entry.
            if let Some(exact) = many.iter().find(|e| digits(&e.at) == wanted) {
                return Ok((*exact).clone());
            }
            let mut msg = format!(
                "@{r} is ambiguous: {} changes have a timestamp starting with {r}:",
                many.len()
            );
            for e in many.iter().take(20) {
                msg.push_str(&format!("\n  @{}  change {}: {}", e.at, e.id, e.summary));
            }
            if many.len() > 20 {
                msg.push_str(&format!("\n  ... and {} more", many.len() - 20));
            }
            msg.push_str("\nhint: give a longer timestamp prefix (one of those above), or @~N");
            Err(StoreError::Reference(msg))
        }
    }
}

/// A placeholder store used only while the real one is lent to a transaction.
struct NoStore;

impl Store for NoStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }
    fn describe(&self) -> String {
        "(busy)".to_owned()
    }
    fn migrate(&mut self) -> Result<u32> {
        Err(busy())
    }
    fn schema_version(&mut self) -> Result<u32> {
        Err(busy())
    }
    fn generation(&mut self) -> Result<Option<i64>> {
        Err(busy())
    }
    fn history(&mut self) -> Result<Vec<HistoryEntry>> {
        Err(busy())
    }
    fn newest_history(&mut self) -> Result<Option<HistoryEntry>> {
        Err(busy())
    }
    fn read(&mut self, _body: &mut dyn FnMut(&mut dyn StoreTx) -> Result<()>) -> Result<()> {
        Err(busy())
    }
    fn transaction(&mut self, _body: &mut dyn FnMut(&mut dyn StoreTx) -> Result<()>) -> Result<()> {
        Err(busy())
    }
}

fn busy() -> StoreError {
    StoreError::Corrupt {
        what: "the database connection is in use by a change".to_owned(),
    }
}
