//! The PostgreSQL backend (synchronous `postgres` client): the same schema and behaviour as
//! SQLite; changes lock the deployment row (`SELECT ... FOR UPDATE`), migrations run under an
//! advisory lock.

use crate::backend::{
    part_columns, Backend, DeltaRow, HistoryEntry, Replaced, Store, StoreTx, ALL_TABLES,
    DELTA_COLUMNS, HISTORY_COLUMNS, POSTGRES_MIGRATIONS, SCHEMA_VERSION,
};
use crate::error::{Result, StoreError};
use crate::parts::{Part, PartKind, Parts};
use crate::rows::{read_delta, read_history_entry, read_part};
use postgres::{Client, IsolationLevel, NoTls, Transaction};

/// Advisory-lock key taken while migrating ("syncpolicy" in ASCII, truncated).
const MIGRATION_LOCK: i64 = 0x7379_6e63_706f_6c69;

/// A deployment database in PostgreSQL.
pub struct PostgresStore {
    client: Client,
    url: String,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("url", &self.url)
            .finish()
    }
}

/// The URL with its password replaced by `***` (for messages and the home's record).
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return redact_query(url);
    };
    let user = match userinfo.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => userinfo.to_owned(),
    };
    redact_query(&format!("{scheme}://{user}@{host}{tail}"))
}

fn redact_query(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => kv.to_owned(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// The URL without its password (for the `pg_isready` command a hint suggests).
pub fn url_without_password(url: &str) -> String {
    let r = redact_url(url).replacen(":***@", "@", 1);
    match r.split_once('?') {
        Some((base, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|kv| !kv.to_ascii_lowercase().starts_with("password="))
                .collect();
            if kept.is_empty() {
                base.to_owned()
            } else {
                format!("{base}?{}", kept.join("&"))
            }
        }
        None => r,
    }
}

/// A failed connection: a server that cannot be reached (nothing listens, a wrong host, a
/// network problem) is said in one line with how to check; any other failure (a refused login,
/// a missing database) keeps the server's own message.
fn connect_error(url: &str, source: postgres::Error) -> StoreError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&source);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            let reason = match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    "the connection was refused (no server listens there)".to_owned()
                }
                std::io::ErrorKind::TimedOut => "the connection timed out".to_owned(),
                _ => io.to_string(),
            };
            return StoreError::PostgresUnreachable {
                url: url_without_password(url),
                reason,
            };
        }
        cause = c.source();
    }
    StoreError::Postgres {
        url: redact_url(url),
        source,
    }
}

/// True when the URL carries a password.
pub fn url_has_password(url: &str) -> bool {
    redact_url(url) != url
}

impl PostgresStore {
    fn query_history(&mut self, sql: &str) -> Result<Vec<HistoryEntry>> {
        let error = |source| StoreError::Postgres {
            url: self.url.clone(),
            source,
        };
        let rows = self.client.query(sql, &[]).map_err(error)?;
        rows.iter()
            .map(read_history_entry)
            .collect::<std::result::Result<_, _>>()
            .map_err(error)
    }

    /// Connects.
    pub fn connect(url: &str) -> Result<PostgresStore> {
        let shown = redact_url(url);
        let client = Client::connect(url, NoTls).map_err(|source| connect_error(url, source))?;
        Ok(PostgresStore { client, url: shown })
    }

    fn err(&self) -> impl Fn(postgres::Error) -> StoreError + '_ {
        move |source| StoreError::Postgres {
            url: self.url.clone(),
            source,
        }
    }

    fn table_exists(&mut self, name: &str) -> Result<bool> {
        let url = self.url.clone();
        self.client
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[&name])
            .map(|r| r.get(0))
            .map_err(|source| StoreError::Postgres { url, source })
    }
}

struct Tx<'a> {
    tx: Transaction<'a>,
    url: &'a str,
}

impl Tx<'_> {
    fn err(&self) -> impl Fn(postgres::Error) -> StoreError + '_ {
        move |source| StoreError::Postgres {
            url: self.url.to_owned(),
            source,
        }
    }
}

impl StoreTx for Tx<'_> {
    fn lock_generation(&mut self) -> Result<Option<i64>> {
        let url = self.url;
        self.tx
            .query_opt(
                "SELECT generation FROM deployment WHERE id = 1 FOR UPDATE",
                &[],
            )
            .map(|r| r.map(|r| r.get(0)))
            .map_err(|source| StoreError::Postgres {
                url: url.to_owned(),
                source,
            })
    }

    fn create_deployment(&mut self, created_at: &str) -> Result<()> {
        let url = self.url;
        self.tx
            .execute(
                "INSERT INTO deployment (id, generation, created_at) VALUES (1, 0, $1)",
                &[&created_at],
            )
            .map(drop)
            .map_err(|source| StoreError::Postgres {
                url: url.to_owned(),
                source,
            })
    }

    fn set_generation(&mut self, generation: i64) -> Result<()> {
        let url = self.url;
        self.tx
            .execute(
                "UPDATE deployment SET generation = $1 WHERE id = 1",
                &[&generation],
            )
            .map(drop)
            .map_err(|source| StoreError::Postgres {
                url: url.to_owned(),
                source,
            })
    }

    fn load_parts_of(&mut self, kinds: &[PartKind]) -> Result<Parts> {
        let url = self.url;
        let mut parts = Parts::default();
        for &kind in kinds {
            let sql = format!("SELECT {} FROM {}", part_columns(), kind.table());
            let rows = self
                .tx
                .query(&sql, &[])
                .map_err(|source| StoreError::Postgres {
                    url: url.to_owned(),
                    source,
                })?;
            for r in rows {
                let part = read_part(&r).map_err(|source| StoreError::Postgres {
                    url: url.to_owned(),
                    source,
                })?;
                parts.insert(kind, part);
            }
        }
        Ok(parts)
    }

    fn upsert(&mut self, kind: PartKind, part: &Part) -> Result<()> {
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (item_key) DO UPDATE SET parent = excluded.parent, ordinal = excluded.ordinal, \
             label = excluded.label, body = excluded.body",
            kind.table(),
            part_columns()
        );
        let ordinal = i32::try_from(part.ordinal).unwrap_or(i32::MAX);
        let url = self.url;
        self.tx
            .execute(
                &sql,
                &[&part.key, &part.parent, &ordinal, &part.label, &&*part.body],
            )
            .map(drop)
            .map_err(|source| StoreError::Postgres {
                url: url.to_owned(),
                source,
            })
    }

    fn load_keys(&mut self, kind: PartKind, keys: &[String]) -> Result<Vec<Part>> {
        let url = self.url;
        let err = |source| StoreError::Postgres {
            url: url.to_owned(),
            source,
        };
        // One round trip: the keys as one array parameter.
        let sql = format!(
            "SELECT {} FROM {} WHERE item_key = ANY($1)",
            part_columns(),
            kind.table()
        );
        let rows = self.tx.query(&sql, &[&keys]).map_err(err)?;
        rows.iter().map(|r| read_part(r).map_err(err)).collect()
    }

    fn count_parts(&mut self, kind: PartKind) -> Result<usize> {
        let url = self.url;
        let sql = format!("SELECT count(*) FROM {}", kind.table());
        let n: i64 = self
            .tx
            .query_one(&sql, &[])
            .map(|r| r.get(0))
            .map_err(|source| StoreError::Postgres {
                url: url.to_owned(),
                source,
            })?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    fn delete(&mut self, kind: PartKind, key: &str) -> Result<()> {
        let url = self.url;
        let sql = format!("DELETE FROM {} WHERE item_key = $1", kind.table());
        self.tx
            .execute(&sql, &[&key])
            .map(drop)
            .map_err(|source| StoreError::Postgres {
                url: url.to_owned(),
                source,
            })
    }

    fn add_history(&mut self, e: &HistoryEntry) -> Result<i64> {
        let url = self.url;
        self.tx
            .query_one(
                "INSERT INTO history (at, at_millis, author, command, summary, digest, snapshot) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                &[
                    &e.at,
                    &e.at_millis,
                    &e.author,
                    &e.command,
                    &e.summary,
                    &e.digest,
                    &e.snapshot,
                ],
            )
            .map(|r| r.get(0))
            .map_err(|source| StoreError::Postgres {
                url: url.to_owned(),
                source,
            })
    }

    fn read_generation(&mut self) -> Result<Option<i64>> {
        let url = self.url;
        self.tx
            .query_opt("SELECT generation FROM deployment WHERE id = 1", &[])
            .map(|r| r.map(|r| r.get(0)))
            .map_err(|source| StoreError::Postgres {
                url: url.to_owned(),
                source,
            })
    }

    fn add_deltas(&mut self, history_id: i64, rows: &[Replaced]) -> Result<()> {
        // One statement per 500 rows: one round trip for a usual change.
        for chunk in rows.chunks(500) {
            let mut sql = format!("INSERT INTO history_delta ({DELTA_COLUMNS}) VALUES ");
            let mut owned: Vec<(&str, &str, i32, &str, i32, &str, &str)> = Vec::new();
            for (i, (kind, key, before)) in chunk.iter().enumerate() {
                let n = i * 8;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5,
                    n + 6,
                    n + 7,
                    n + 8
                ));
                owned.push(match before {
                    Some(p) => (
                        kind.table(),
                        key.as_str(),
                        1,
                        p.parent.as_str(),
                        i32::try_from(p.ordinal).unwrap_or(i32::MAX),
                        p.label.as_str(),
                        &*p.body,
                    ),
                    None => (kind.table(), key.as_str(), 0, "", 0, "", ""),
                });
            }
            let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                Vec::with_capacity(chunk.len() * 8);
            for (table, key, present, parent, ordinal, label, body) in &owned {
                params.push(&history_id);
                params.push(table);
                params.push(key);
                params.push(present);
                params.push(parent);
                params.push(ordinal);
                params.push(label);
                params.push(body);
            }
            self.tx.execute(&sql, &params).map_err(self.err())?;
        }
        Ok(())
    }

    fn load_deltas(&mut self, after_id: i64) -> Result<Vec<DeltaRow>> {
        let sql = format!(
            "SELECT {DELTA_COLUMNS} FROM history_delta WHERE history_id > $1 ORDER BY history_id DESC"
        );
        let rows = self.tx.query(&sql, &[&after_id]).map_err(self.err())?;
        let mut out = Vec::new();
        for r in &rows {
            out.extend(read_delta(r).map_err(self.err())?);
        }
        Ok(out)
    }

    fn deltas_from(&mut self) -> Result<Option<i64>> {
        self.tx
            .query_opt("SELECT deltas_from FROM deployment WHERE id = 1", &[])
            .map(|r| r.and_then(|r| r.get::<_, Option<i64>>(0)))
            .map_err(self.err())
    }

    fn install_token(&mut self) -> Result<Option<String>> {
        self.tx
            .query_opt("SELECT install_token FROM deployment WHERE id = 1", &[])
            .map(|r| r.and_then(|r| r.get::<_, Option<String>>(0)))
            .map_err(self.err())
    }

    fn set_install_token(&mut self, token: &str) -> Result<()> {
        self.tx
            .execute(
                "UPDATE deployment SET install_token = $1 WHERE id = 1",
                &[&token],
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
                "INSERT INTO operations (at, author, command, summary) VALUES ($1, $2, $3, $4)",
                &[&at, &author, &command, &summary],
            )
            .map(drop)
            .map_err(self.err())
    }

    fn wipe(&mut self) -> Result<()> {
        for table in ALL_TABLES {
            self.tx
                .execute(&format!("DELETE FROM {table}"), &[])
                .map_err(self.err())?;
        }
        Ok(())
    }
}

impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn describe(&self) -> String {
        self.url.clone()
    }

    fn migrate(&mut self) -> Result<u32> {
        // A current schema needs no lock: checked with a plain read first.
        let current = self.schema_version()?;
        if current > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found: current,
                known: SCHEMA_VERSION,
            });
        }
        if current == SCHEMA_VERSION {
            return Ok(current);
        }
        let url = self.url.clone();
        let err = |source| StoreError::Postgres {
            url: url.clone(),
            source,
        };
        let mut tx = self.client.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(err)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .map_err(err)?;
        let current: i32 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )
            .map(|r| r.get(0))
            .map_err(err)?;
        let current = u32::try_from(current).unwrap_or(0);
        if current > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found: current,
                known: SCHEMA_VERSION,
            });
        }
        for (version, name, sql) in POSTGRES_MIGRATIONS {
            if *version <= current {
                continue;
            }
            tx.batch_execute(sql).map_err(err)?;
            let v = i32::try_from(*version).unwrap_or(i32::MAX);
            let at = syncpolicy_files::timestamp::UtcMillis::now().iso();
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                &[&v, name, &at],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(POSTGRES_MIGRATIONS.last().map_or(0, |m| m.0).max(current))
    }

    fn schema_version(&mut self) -> Result<u32> {
        if !self.table_exists("schema_migrations")? {
            return Ok(0);
        }
        let v: i32 = self
            .client
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )
            .map(|r| r.get(0))
            .map_err(self.err())?;
        Ok(u32::try_from(v).unwrap_or(0))
    }

    fn generation(&mut self) -> Result<Option<i64>> {
        if !self.table_exists("deployment")? {
            return Ok(None);
        }
        let url = self.url.clone();
        self.client
            .query_opt("SELECT generation FROM deployment WHERE id = 1", &[])
            .map(|r| r.map(|r| r.get(0)))
            .map_err(|source| StoreError::Postgres { url, source })
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
        let url = self.url.clone();
        let err = |source| StoreError::Postgres {
            url: url.clone(),
            source,
        };
        // One snapshot for the whole read, taking no row lock.
        let tx = self
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(err)?;
        let mut t = Tx { tx, url: &url };
        let result = body(&mut t);
        drop(t);
        result
    }

    fn transaction(&mut self, body: &mut dyn FnMut(&mut dyn StoreTx) -> Result<()>) -> Result<()> {
        let url = self.url.clone();
        let err = |source| StoreError::Postgres {
            url: url.clone(),
            source,
        };
        let tx = self.client.transaction().map_err(err)?;
        let mut t = Tx { tx, url: &url };
        body(&mut t)?;
        t.tx.commit().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_without_password_keeps_everything_else() {
        assert_eq!(
            url_without_password("postgres://sync:S3cret@db.example:5433/syncpolicy"),
            "postgres://sync@db.example:5433/syncpolicy"
        );
        assert_eq!(
            url_without_password("postgres://sync@db/x?password=S3cret&sslmode=disable"),
            "postgres://sync@db/x?sslmode=disable"
        );
        assert_eq!(
            url_without_password("postgres://db/x?password=S3cret"),
            "postgres://db/x"
        );
        assert_eq!(url_without_password("postgres://db/x"), "postgres://db/x");
    }
}
