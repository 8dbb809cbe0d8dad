//! The SQLite backend: one file in the home folder, write-ahead log, `BEGIN IMMEDIATE`
//! transactions so that two writers are serialised by the database as well as by the lock.

use crate::backend::{
    part_columns, Backend, DeltaRow, HistoryEntry, Replaced, Store, StoreTx, ALL_TABLES,
    DELTA_COLUMNS, HISTORY_COLUMNS, SCHEMA_VERSION, SQLITE_MIGRATIONS,
};
use crate::error::{Result, StoreError};
use crate::parts::{Part, PartKind, Parts};
use crate::rows::{read_delta, read_history_entry, read_part};
use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A deployment database in a SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteStore {
    fn query_history(&mut self, sql: &str) -> Result<Vec<HistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(self.err())?;

        let rows = stmt
            .query_map([], |r| read_history_entry(r))
            .map_err(self.err())?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(self.err())
    }

    /// Opens (creating when missing) the database file.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let err = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(60)).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        // In WAL mode NORMAL loses no committed change when the process dies (kill -9): the
        // log is in the operating system's hands at commit and synced at every checkpoint.
        // Only a power cut or OS crash can lose the newest commits; the change's export is
        // then newer than the newest history entry and the next change removes it, so the
        // exports folder and the database still agree.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
            read_only: false,
        })
    }

    /// Opens an existing database file for reading only: nothing is created, migrated or
    /// written, so it works on a home the user cannot write. Readers see the newest committed
    /// state through the write-ahead log and never wait for a change. When the log's index
    /// file cannot be created (a read-only folder after the last writer closed the database,
    /// so no log is pending), the file is opened as immutable.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore> {
        let err = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let probe = |conn: Connection| -> rusqlite::Result<Connection> {
            conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })?;
            Ok(conn)
        };
        let conn = match Connection::open_with_flags(path, flags).and_then(probe) {
            Ok(conn) => conn,
            Err(first) => {
                let wal = PathBuf::from(format!("{}-wal", path.display()));
                if !path.is_file() || wal.exists() {
                    return Err(err(first));
                }
                let uri = format!("file:{}?immutable=1", uri_path(path));
                Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI)
                    .and_then(probe)
                    .map_err(|_| err(first))?
            }
        };
        conn.busy_timeout(Duration::from_secs(60)).map_err(err)?;
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
            read_only: true,
        })
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }
}

/// A path as the path part of a `file:` URI (percent-encoding what a URI reserves).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for b in path.to_string_lossy().bytes() {
        match b {
            b'?' | b'#' | b'%' | b' ' => out.push_str(&format!("%{b:02X}")),
            _ => out.push(b as char),
        }
    }
    out
}

struct Tx<'a> {
    tx: Transaction<'a>,
    path: &'a Path,
}

impl Tx<'_> {
    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: self.path.to_path_buf(),
            source,
        }
    }
}

impl StoreTx for Tx<'_> {
    fn lock_generation(&mut self) -> Result<Option<i64>> {
        // BEGIN IMMEDIATE already holds the write lock.
        self.tx
            .query_row("SELECT generation FROM deployment WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.err())
    }

    fn create_deployment(&mut self, created_at: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO deployment (id, generation, created_at) VALUES (1, 0, ?1)",
                params![created_at],
            )
            .map(drop)
            .map_err(self.err())
    }

    fn set_generation(&mut self, generation: i64) -> Result<()> {
        self.tx
            .execute(
                "UPDATE deployment SET generation = ?1 WHERE id = 1",
                params![generation],
            )
            .map(drop)
            .map_err(self.err())
    }

    fn load_parts_of(&mut self, kinds: &[PartKind]) -> Result<Parts> {
        let mut parts = Parts::default();
        for &kind in kinds {
            let sql = format!("SELECT {} FROM {}", part_columns(), kind.table());
            let mut stmt = self.tx.prepare_cached(&sql).map_err(self.err())?;
            let rows = stmt.query_map([], |r| read_part(r)).map_err(self.err())?;
            for row in rows {
                parts.insert(kind, row.map_err(self.err())?);
            }
        }
        Ok(parts)
    }

    fn load_keys(&mut self, kind: PartKind, keys: &[String]) -> Result<Vec<Part>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE item_key = ?1",
            part_columns(),
            kind.table()
        );
        let mut stmt = self.tx.prepare_cached(&sql).map_err(self.err())?;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let mut rows = stmt
                .query_map([key], |r| read_part(r))
                .map_err(self.err())?;
            if let Some(row) = rows.next() {
                out.push(row.map_err(self.err())?);
            }
        }
        Ok(out)
    }

    fn count_parts(&mut self, kind: PartKind) -> Result<usize> {
        let sql = format!("SELECT count(*) FROM {}", kind.table());
        let n: i64 = self
            .tx
            .query_row(&sql, [], |r| r.get(0))
            .map_err(self.err())?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    fn upsert(&mut self, kind: PartKind, part: &Part) -> Result<()> {
        let sql = format!(
            "INSERT INTO {} ({}) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (item_key) DO UPDATE SET parent = excluded.parent, ordinal = excluded.ordinal, \
             label = excluded.label, body = excluded.body",
            kind.table(),
            part_columns()
        );
        let mut stmt = self.tx.prepare_cached(&sql).map_err(self.err())?;
        stmt.execute(params![
            part.key,
            part.parent,
            part.ordinal,
            part.label,
            &*part.body
        ])
        .map(drop)
        .map_err(self.err())
    }

    fn delete(&mut self, kind: PartKind, key: &str) -> Result<()> {
        let sql = format!("DELETE FROM {} WHERE item_key = ?1", kind.table());
        let mut stmt = self.tx.prepare_cached(&sql).map_err(self.err())?;
        stmt.execute(params![key]).map(drop).map_err(self.err())
    }

    fn add_history(&mut self, e: &HistoryEntry) -> Result<i64> {
        self.tx
            .execute(
                "INSERT INTO history (at, at_millis, author, command, summary, digest, snapshot) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    e.at,
                    e.at_millis,
                    e.author,
                    e.command,
                    e.summary,
                    e.digest,
                    e.snapshot
                ],
            )
            .map_err(self.err())?;
        Ok(self.tx.last_insert_rowid())
    }

    fn read_generation(&mut self) -> Result<Option<i64>> {
        self.lock_generation()
    }

    fn add_deltas(&mut self, history_id: i64, rows: &[Replaced]) -> Result<()> {
        let sql = format!(
            "INSERT INTO history_delta ({DELTA_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        );
        let mut stmt = self.tx.prepare_cached(&sql).map_err(self.err())?;
        for (kind, key, before) in rows {
            let (present, parent, ordinal, label, body) = match before {
                Some(p) => (1, p.parent.as_str(), p.ordinal, p.label.as_str(), &*p.body),
                None => (0, "", 0, "", ""),
            };
            stmt.execute(params![
                history_id,
                kind.table(),
                key,
                present,
                parent,
                ordinal,
                label,
                body
            ])
            .map_err(self.err())?;
        }
        Ok(())
    }

    fn load_deltas(&mut self, after_id: i64) -> Result<Vec<DeltaRow>> {
        let sql = format!(
            "SELECT {DELTA_COLUMNS} FROM history_delta WHERE history_id > ?1 ORDER BY history_id DESC"
        );
        let mut stmt = self.tx.prepare_cached(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(params![after_id], |r| read_delta(r))
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            out.extend(row.map_err(self.err())?);
        }
        Ok(out)
    }

    fn deltas_from(&mut self) -> Result<Option<i64>> {
        self.tx
            .query_row("SELECT deltas_from FROM deployment WHERE id = 1", [], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .optional()
            .map(Option::flatten)
            .map_err(self.err())
    }

    fn install_token(&mut self) -> Result<Option<String>> {
        self.tx
            .query_row(
                "SELECT install_token FROM deployment WHERE id = 1",
                [],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(self.err())
    }

    fn set_install_token(&mut self, token: &str) -> Result<()> {
        self.tx
            .execute(
                "UPDATE deployment SET install_token = ?1 WHERE id = 1",
                params![token],
            )
            .map(drop)
            .map_err(self.err())
    }

    fn add_operation(
        &mut self,
        at: &str,
        author: &str,
        command: &str,
        summary: &str,
    ) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO operations (at, author, command, summary) VALUES (?1, ?2, ?3, ?4)",
                params![at, author, command, summary],
            )
            .map(drop)
            .map_err(self.err())
    }

    fn wipe(&mut self) -> Result<()> {
        for table in ALL_TABLES {
            self.tx
                .execute(&format!("DELETE FROM {table}"), [])
                .map_err(self.err())?;
        }
        Ok(())
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn migrate(&mut self) -> Result<u32> {
        // A current schema needs no write lock: checked with a plain read first.
        let current = self.schema_version()?;
        if current > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found: current,
                known: SCHEMA_VERSION,
            });
        }
        if current == SCHEMA_VERSION || self.read_only {
            return Ok(current);
        }
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .map_err(err)?;
        let current: u32 = tx
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        if current > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found: current,
                known: SCHEMA_VERSION,
            });
        }
        for (version, name, sql) in SQLITE_MIGRATIONS {
            if *version <= current {
                continue;
            }
            tx.execute_batch(sql).map_err(err)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                params![
                    version,
                    name,
                    syncpolicy_files::timestamp::UtcMillis::now().iso()
                ],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(SQLITE_MIGRATIONS.last().map_or(0, |m| m.0).max(current))
    }

    fn schema_version(&mut self) -> Result<u32> {
        let exists: bool = self
            .conn
            .query_row(
                "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
                [],
                |r| r.get(0),
            )
            .map_err(self.err())?;
        if !exists {
            return Ok(0);
        }
        self.conn
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(self.err())
    }

    fn generation(&mut self) -> Result<Option<i64>> {
        if self.schema_version()? == 0 {
            return Ok(None);
        }
        self.conn
            .query_row("SELECT generation FROM deployment WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.err())
    }

    fn newest_history(&mut self) -> Result<Option<HistoryEntry>> {
        Ok(self
            .query_history(&format!(
                "SELECT {HISTORY_COLUMNS} FROM history ORDER BY id DESC LIMIT 1"
            ))?
            .pop())
    }

    fn history(&mut self) -> Result<Vec<HistoryEntry>> {
        self.query_history(&format!(
            "SELECT {HISTORY_COLUMNS} FROM history ORDER BY id"
        ))
    }

    fn read(&mut self, body: &mut dyn FnMut(&mut dyn StoreTx) -> Result<()>) -> Result<()> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        // Deferred: a read transaction; in WAL mode it sees the last commit before its first
        // read and never waits for a writer.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(err)?;
        let mut t = Tx { tx, path: &path };
        let result = body(&mut t);
        drop(t);
        result
    }

    fn transaction(&mut self, body: &mut dyn FnMut(&mut dyn StoreTx) -> Result<()>) -> Result<()> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut t = Tx { tx, path: &path };
        body(&mut t)?;
        t.tx.commit().map_err(err)
    }
}
