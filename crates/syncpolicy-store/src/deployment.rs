//! A deployment: its home, its database and the one way to change it. A change is "load the
//! current configuration, apply an edit to the model, validate, write the changed rows and a
//! history entry in one transaction, write the auto-export, commit"; the export is written
//! before the commit and removed again if the commit fails, so the exports folder and the
//! database agree after any failure or crash.

use crate::backend::{Backend, HistoryEntry, Store, StoreTx};
use crate::error::{Result, StoreError};
use crate::home::{Home, Record, Secrets};
use crate::parts::{self, Parts};
use crate::postgres::{redact_url, url_has_password, PostgresStore};
use crate::sqlite::SqliteStore;
use std::fs;
use std::path::{Path, PathBuf};
use syncpolicy_files::snapshot::{unique_snapshot_path, APPLIED_PREFIX, EXPORTED_PREFIX};
use syncpolicy_files::timestamp::UtcMillis;
use syncpolicy_model::config::Configuration;
use syncpolicy_model::diagnostic::{Diagnostic, Severity};

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
}

struct Cache {
    generation: i64,
    config: Configuration,
    parts: Parts,
}

/// An open deployment.
pub struct Deployment {
    home: Home,
    record: Record,
    store: Box<dyn Store>,
    cache: Option<Cache>,
    validator: fn(&Configuration) -> Vec<Diagnostic>,
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
    validator(config)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

fn stamp(config: &mut Configuration, author: &str, at: UtcMillis) {
    config.policy_metadata.author = Some(author.to_owned());
    config.policy_metadata.time_created = Some(at.universal_sortable());
    config.extension.recorded_digest = None;
}

fn pause_in_change() {
    if let Some(ms) = std::env::var(PAUSE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Writes the rows that differ, returns how many.
fn write_delta(tx: &mut dyn StoreTx, old: &Parts, new: &Parts) -> Result<usize> {
    let d = parts::delta(old, new);
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
    after_copy: Configuration,
    rows: usize,
    summary: String,
}

/// Writes the export inside the open transaction; a failure aborts it.
fn write_export(path: &Path, bytes: &[u8]) -> Result<()> {
    syncpolicy_files::atomic::write_atomic(path, bytes).map_err(|source| StoreError::Export {
        path: path.to_path_buf(),
        source,
    })
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

impl Deployment {
    /// Opens the deployment in a home folder. `database` overrides the PostgreSQL URL recorded
    /// at install (e.g. to give a password); it cannot switch backends.
    pub fn open(home: &Path, database: Option<&str>) -> Result<Deployment> {
        let home = Home::new(home);
        let record = home.record()?;
        let mut store = open_store(&home, &record, database)?;
        store.migrate()?;
        if store.generation()?.is_none() {
            return Err(StoreError::Corrupt {
                what: format!(
                    "{} records a deployment, but the database {} holds none",
                    home.record_file().display(),
                    store.describe()
                ),
            });
        }
        Ok(Deployment {
            home,
            record,
            store,
            cache: None,
            validator: syncpolicy_lint::check,
        })
    }

    /// Creates a deployment from a configuration (express settings or an imported file,
    /// already validated and with the install choices applied). Nothing is left behind when
    /// it fails.
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
        let result = Self::install_in(&home, backend, opts, config, &mut created);
        if result.is_err() {
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

    fn install_in(
        home: &Home,
        backend: Backend,
        opts: InstallOptions,
        config: &Configuration,
        created: &mut Vec<PathBuf>,
    ) -> Result<(Deployment, ChangeOutcome)> {
        let _lock = home.lock()?;
        let mut secrets = opts.secrets.clone();
        let (record, mut store): (Record, Box<dyn Store>) = match backend {
            Backend::Sqlite => {
                let path = sqlite_path(home, opts.database.as_deref());
                if path.exists() {
                    return Err(StoreError::AlreadyInstalled {
                        what: path.display().to_string(),
                    });
                }
                created.extend([
                    path.clone(),
                    PathBuf::from(format!("{}-wal", path.display())),
                    PathBuf::from(format!("{}-shm", path.display())),
                ]);
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
                (
                    Record {
                        format_version: 1,
                        backend,
                        database: redact_url(&url),
                        created_at: UtcMillis::now().iso(),
                    },
                    Box::new(PostgresStore::connect(&url)?),
                )
            }
        };
        store.migrate()?;
        if store.generation()?.is_some() {
            return Err(StoreError::AlreadyInstalled {
                what: format!("the database {}", store.describe()),
            });
        }
        // The record and secrets go first: a crash after the commit leaves a complete home.
        created.push(home.record_file());
        home.write_record(&record)?;
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
            write_delta(tx, &Parts::default(), &prepared.parts)?;
            id = tx.add_history(&prepared.entry)?;
            tx.set_generation(1)?;
            write_export(&prepared.path, &prepared.bytes)
        })?;
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
            }),
            validator: syncpolicy_lint::check,
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
                    let mut loaded = None;
                    self.store.transaction(&mut |tx| {
                        let g = tx.lock_generation()?.unwrap_or(0);
                        loaded = Some((g, tx.load_parts()?));
                        Ok(())
                    })?;
                    if let Some((g, parts)) = loaded {
                        self.cache = Some(Self::cache_from(g, parts)?);
                    }
                }
                g
            }
        };
        let _ = generation;
        self.cache.as_ref().ok_or_else(|| StoreError::Corrupt {
            what: "the configuration could not be loaded".to_owned(),
        })
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
        })
    }

    /// The current configuration.
    pub fn current(&mut self) -> Result<Configuration> {
        Ok(self.refresh(None)?.config.clone())
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
        let _lock = self.home.lock()?;
        self.remove_uncommitted_exports()?;
        let mut edit = Some(edit);
        let mut new_generation = 0;
        let mut result: Option<Done> = None;
        // The export of this attempt, once its writing started: removed when the change fails.
        let mut export: Option<PathBuf> = None;
        let exports = self.home.exports();
        let validator = self.validator;
        let mut store = std::mem::replace(&mut self.store, Box::new(NoStore));
        let run = store.transaction(&mut |tx| {
            self.refresh(Some(tx))?;
            let Some(cache) = self.cache.take() else {
                return Err(StoreError::Corrupt {
                    what: "the configuration could not be loaded".to_owned(),
                });
            };
            let before = cache.config;
            let generation = cache.generation;
            let mut after = before.clone();
            let Some(edit) = edit.take() else {
                return Err(StoreError::Corrupt {
                    what: "the transaction was retried".to_owned(),
                });
            };
            let summary = edit(&mut after).map_err(|e| StoreError::Edit(e.into()))?;
            let now = UtcMillis::now();
            stamp(&mut after, &meta.author, now);
            let (path, at) = unique_snapshot_path(&exports, APPLIED_PREFIX, now);
            let mut entry = history_entry(&path, at, meta, &summary);
            // Three things run side by side: validation (second core), the export (digest,
            // write, fsync; mostly waiting for the disk) and cutting the text into rows plus
            // writing the changed ones (this thread). The export is complete before the
            // commit; it is removed again when validation refuses the change or the commit
            // fails.
            let (parts, rows, after_copy) = std::thread::scope(|s| {
                let check = s.spawn(|| errors_of(validator, &after));
                let bytes = std::sync::Arc::new(syncpolicy_json::write_settings(&after));
                export = Some(path.clone());
                let (shared, target) = (std::sync::Arc::clone(&bytes), &path);
                let writing = s.spawn(move || {
                    let digest = syncpolicy_json::digest::sha256_hex(&shared);
                    write_export(target, &shared).map(|()| digest)
                });
                let parts = parts::split_since(&bytes, &after, &before, &cache.parts)?;
                let errors = check.join().map_err(|_| StoreError::Corrupt {
                    what: "the validation of the change stopped unexpectedly".to_owned(),
                })?;
                if !errors.is_empty() {
                    return Err(StoreError::Invalid(errors));
                }
                let rows = write_delta(tx, &cache.parts, &parts)?;
                // The copy kept in the cache is made while the export is being synced.
                let after_copy = after.clone();
                entry.digest = writing.join().map_err(|_| StoreError::Corrupt {
                    what: "the export of the change stopped unexpectedly".to_owned(),
                })??;
                Ok((parts, rows, after_copy))
            })?;
            entry.id = tx.add_history(&entry)?;
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
            });
            Ok(())
        });
        self.store = store;
        if let Err(e) = run {
            if let Some(path) = &export {
                // The export of a change that did not commit must go too.
                let _ = fs::remove_file(path);
            }
            self.cache = None;
            return Err(e);
        }
        let done = result.ok_or_else(|| StoreError::Corrupt {
            what: "the change produced no result".to_owned(),
        })?;
        self.cache = Some(Cache {
            generation: new_generation,
            config: done.after_copy,
            parts: done.parts,
        });
        Ok(ChangeOutcome {
            summary: done.summary,
            entry: done.entry,
            snapshot: done.path,
            before: done.before,
            after: done.after,
            rows_changed: done.rows,
        })
    }

    /// Removes `Applied-*` exports newer than the newest history entry: written by a change
    /// that was killed before its commit, they describe a configuration that never existed.
    /// Also removes the temporary files of export writes that were killed.
    fn remove_uncommitted_exports(&mut self) -> Result<()> {
        let Some(newest) = self.store.newest_history()? else {
            return Ok(());
        };
        let dir = self.home.exports();
        // A folder that cannot be listed is reported by the export that follows.
        let Ok(entries) = fs::read_dir(&dir) else {
            return Ok(());
        };
        let torn_prefix = format!(".{APPLIED_PREFIX}");
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                continue;
            };
            let uncommitted = name.starts_with(APPLIED_PREFIX)
                && name.ends_with(".json")
                && name > newest.snapshot.as_str();
            // Temporary files of an export write that was killed (the lock is held, so no
            // other change is writing one now).
            let torn = name.starts_with(&torn_prefix) && name.ends_with(".tmp");
            if uncommitted || torn {
                let _ = fs::remove_file(entry.path());
            }
        }
        Ok(())
    }

    /// Writes the current configuration to `dir` as `Exported-SynchronizationPolicy-<stamp>.json`
    /// (no history entry: the configuration does not change).
    pub fn export_to(&mut self, dir: &Path) -> Result<PathBuf> {
        let bytes = self.current_bytes()?;
        fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, e))?;
        let (path, _) = unique_snapshot_path(dir, EXPORTED_PREFIX, UtcMillis::now());
        syncpolicy_files::atomic::write_atomic(&path, &bytes).map_err(|source| {
            StoreError::Export {
                path: path.clone(),
                source,
            }
        })?;
        Ok(path)
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
                "@{r}: the deployment has only {} change{} in its history (@~{} is the oldest)\n{hint}",
                history.len(),
                if history.len() == 1 { "" } else { "s" },
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
    // Newest first: the newest snapshot whose timestamp starts with the prefix.
    history
        .iter()
        .find(|e| digits(&e.at).starts_with(&wanted))
        .cloned()
        .ok_or_else(|| {
            StoreError::Reference(format!(
                "@{r}: no change in the history has a timestamp starting with {r}\n{hint}"
            ))
        })
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
    fn transaction(&mut self, _body: &mut dyn FnMut(&mut dyn StoreTx) -> Result<()>) -> Result<()> {
        Err(busy())
    }
}

fn busy() -> StoreError {
    StoreError::Corrupt {
        what: "the database connection is in use by a change".to_owned(),
    }
}
