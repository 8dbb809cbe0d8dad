//! The store's error type: every failure names what it concerns (file, database, section) and,
//! where something can be done, says what on a `hint:` line.

use std::path::PathBuf;
use syncpolicy_model::diagnostic::Diagnostic;
use syncpolicy_model::words::count;

/// Everything that can go wrong in the deployment store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No deployment in the home folder.
    #[error("no deployment in {home}\nhint: create one with `syncpolicy install` (or `install --import FILE`), or point --home / SYNCPOLICY_HOME at an existing deployment")]
    NotInstalled { home: PathBuf },
    /// A deployment already exists where one is being installed.
    #[error("a deployment already exists in {what}\nhint: choose another --home folder (or another database), or keep using the existing deployment")]
    AlreadyInstalled { what: String },
    /// A file or folder of the home could not be read or written.
    #[error("cannot {action} {path}: {source}{}", syncpolicy_files::oserror::hint_line(.path, .source))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The auto-export could not be written; the change was rolled back.
    #[error("cannot write the export {path}: {source}; the change was rolled back and nothing changed\nhint: check that the exports folder exists, is writable and the disk is not full, then run the command again")]
    Export {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// SQLite reported an error.
    #[error("SQLite database {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// PostgreSQL reported an error.
    #[error("PostgreSQL database {url}: {source}")]
    Postgres {
        /// The URL without its password.
        url: String,
        #[source]
        source: postgres::Error,
    },
    /// The PostgreSQL server cannot be reached (nothing listens, wrong host, network).
    #[error("cannot reach the PostgreSQL server of {url}: {reason}\nhint: check that the server runs and accepts connections with `pg_isready -d '{url}'`, then run the command again")]
    PostgresUnreachable {
        /// The URL without its password.
        url: String,
        reason: String,
    },
    /// The database URL is not one the store understands.
    #[error("unsupported database {given}\nhint: leave --database out for SQLite in the home folder, or give postgres://user@host:port/database")]
    BadDatabase { given: String },
    /// Stored content that cannot be turned back into a configuration.
    #[error("the stored configuration is damaged: {what}\nhint: restore the deployment from its newest export with `syncpolicy install --import exports/<newest file>` into a new home")]
    Corrupt { what: String },
    /// A home-folder file that syncpolicy wrote cannot be understood.
    #[error("cannot understand {path}: {problem}\nhint: {hint}")]
    BadHomeFile {
        path: PathBuf,
        problem: String,
        hint: String,
    },
    /// The change leaves the configuration with error-level findings; nothing was changed.
    #[error("{}", validation_message(.0))]
    Invalid(Vec<Diagnostic>),
    /// The edit refused the change (its own message, e.g. from `syncpolicy-edit`).
    #[error("{0}")]
    Edit(Box<dyn std::error::Error + Send + Sync>),
    /// The database was migrated by a newer syncpolicy.
    #[error("the database has schema version {found}, newer than this syncpolicy knows ({known})\nhint: use the syncpolicy version that last changed this deployment, or a newer one")]
    NewerSchema { found: u32, known: u32 },
    /// Another process held the change lock for longer than the lock timeout.
    #[error("the deployment is locked by {holder}: waited {} s for it and gave up; nothing was changed\nhint: wait for that change to finish and run the command again, or give a longer --lock-timeout; the lock file is {}", .waited.as_secs(), .path.display())]
    LockTimeout {
        path: PathBuf,
        holder: String,
        waited: std::time::Duration,
    },
    /// The change asked for is already the case: nothing was written (not a failure).
    #[error("{}", unchanged_message(.summary))]
    Unchanged { summary: String },
    /// A snapshot reference (`@latest`, `@~N`, a timestamp prefix) names no snapshot.
    #[error("{0}")]
    Reference(String),
}

/// The one wording of a change that changes nothing, for every command.
pub fn unchanged_message(summary: &str) -> String {
    format!("unchanged: the configuration already is so ({summary}); no history entry and no export were written")
}

fn validation_message(findings: &[Diagnostic]) -> String {
    let mut s = format!(
        "the change was refused: the resulting configuration has {}; nothing was changed",
        count(findings.len(), "error", "errors")
    );
    for d in findings.iter().take(10) {
        s.push_str(&format!("\n  {d}"));
    }
    if findings.len() > 10 {
        s.push_str(&format!("\n  ... and {} more", findings.len() - 10));
    }
    s.push_str("\nhint: correct the change so that `syncpolicy validate` would report no error");
    s
}

impl StoreError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        StoreError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
