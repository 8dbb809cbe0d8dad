//! The storage trait both database backends implement, and what they exchange: parts, history
//! entries, the schema migrations.

use crate::error::Result;
use crate::parts::{Part, PartKind, Parts};

/// Which database a deployment uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// An embedded SQLite file in the home folder (the default).
    Sqlite,
    /// A PostgreSQL database (`--database postgres://...`).
    Postgres,
}

impl Backend {
    /// Lowercase name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The name written into `deploymentMetadata.databaseType` of exports.
    pub fn database_type(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// One committed change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// Increasing number, 1 for the installation.
    pub id: i64,
    /// UTC time, ISO 8601 with milliseconds.
    pub at: String,
    /// Milliseconds since the Unix epoch.
    pub at_millis: i64,
    /// Who made the change (OS user or `--author`).
    pub author: String,
    /// The command, e.g. `install --import` or `staging on`.
    pub command: String,
    /// One line saying what changed.
    pub summary: String,
    /// SHA-256 of the exported file's bytes.
    pub digest: String,
    /// File name of the export in `exports/`.
    pub snapshot: String,
}

/// A migration: version, name, SQL.
pub type Migration = (u32, &'static str, &'static str);

/// SQLite migrations, in order; append-only.
pub const SQLITE_MIGRATIONS: &[Migration] = &[
    (
        1,
        "initial",
        include_str!("../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "history_deltas",
        include_str!("../migrations/sqlite/0002_history_deltas.sql"),
    ),
];

/// PostgreSQL migrations, in order; append-only, parallel to [`SQLITE_MIGRATIONS`].
pub const POSTGRES_MIGRATIONS: &[Migration] = &[
    (
        1,
        "initial",
        include_str!("../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "history_deltas",
        include_str!("../migrations/postgres/0002_history_deltas.sql"),
    ),
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: u32 = 2;

/// What a transaction can do. Every change runs in exactly one.
pub trait StoreTx {
    /// The generation (number of committed changes), locking the deployment row until the
    /// transaction ends; `None` when no deployment has been created.
    fn lock_generation(&mut self) -> Result<Option<i64>>;
    /// Creates the deployment row (installation).
    fn create_deployment(&mut self, created_at: &str) -> Result<()>;
    /// Sets the generation.
    fn set_generation(&mut self, generation: i64) -> Result<()>;
    /// Every stored part.
    fn load_parts(&mut self) -> Result<Parts> {
        self.load_parts_of(&PartKind::ALL)
    }
    /// The stored parts of the given kinds.
    fn load_parts_of(&mut self, kinds: &[PartKind]) -> Result<Parts>;
    /// The stored parts of `kind` with one of `keys` (those that exist).
    fn load_keys(&mut self, kind: PartKind, keys: &[String]) -> Result<Vec<Part>>;
    /// How many parts of `kind` are stored.
    fn count_parts(&mut self, kind: PartKind) -> Result<usize>;
    /// Inserts or replaces a part.
    fn upsert(&mut self, kind: PartKind, part: &Part) -> Result<()>;
    /// Deletes a part.
    fn delete(&mut self, kind: PartKind, key: &str) -> Result<()>;
    /// Appends a history entry; its `id` is ignored and the assigned one returned.
    fn add_history(&mut self, entry: &HistoryEntry) -> Result<i64>;
    /// The generation without locking (read transactions).
    fn read_generation(&mut self) -> Result<Option<i64>>;
    /// Records what change `history_id` replaced: each part written or deleted, as it was
    /// before the change (`None` when the change created it).
    fn add_deltas(&mut self, history_id: i64, rows: &[Replaced]) -> Result<()>;
    /// The recorded deltas of the changes after `after_id`, newest change first.
    fn load_deltas(&mut self, after_id: i64) -> Result<Vec<DeltaRow>>;
    /// The first change whose delta is recorded (`None`: every change has one).
    fn deltas_from(&mut self) -> Result<Option<i64>>;
    /// The install token recorded with the deployment row.
    fn install_token(&mut self) -> Result<Option<String>>;
    /// Records the install token (installation).
    fn set_install_token(&mut self, token: &str) -> Result<()>;
    /// Deletes every row of every table (the leftover of a crashed install).
    fn wipe(&mut self) -> Result<()>;
    /// Logs an operation that changes no configuration (e.g. pruning exports).
    fn add_operation(&mut self, at: &str, author: &str, command: &str, summary: &str)
        -> Result<()>;
}

/// A part a change replaced: kind, key, the part before (`None`: the change created it).
pub type Replaced = (PartKind, String, Option<Part>);

/// What one change replaced of one part (a row of `history_delta`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeltaRow {
    /// The change.
    pub history_id: i64,
    /// The part's kind.
    pub kind: PartKind,
    /// The part's key.
    pub key: String,
    /// The part before the change; `None` when the change created it.
    pub before: Option<Part>,
}

/// Every table, in an order that deletes cleanly.
pub(crate) const ALL_TABLES: &[&str] = &[
    "operations",
    "history_delta",
    "history",
    "settings",
    "directories",
    "partitions",
    "rules",
    "extension_items",
    "deployment",
];

pub(crate) const DELTA_COLUMNS: &str =
    "history_id, kind, item_key, present, parent, ordinal, label, body";

/// A deployment database.
pub trait Store: Send {
    /// Which backend this is.
    fn backend(&self) -> Backend;
    /// The database, for messages (no password).
    fn describe(&self) -> String;
    /// Applies the migrations not applied yet; returns the schema version.
    fn migrate(&mut self) -> Result<u32>;
    /// The schema version (0 before the first migration).
    fn schema_version(&mut self) -> Result<u32>;
    /// The generation, or `None` when no deployment has been created.
    fn generation(&mut self) -> Result<Option<i64>>;
    /// History, oldest first.
    fn history(&mut self) -> Result<Vec<HistoryEntry>>;
    /// The newest history entry.
    fn newest_history(&mut self) -> Result<Option<HistoryEntry>>;
    /// Runs `body` in one read-only transaction that sees one committed state and takes no
    /// write lock (a reader never waits for a change, nor a change for a reader). Only the
    /// reading methods of [`StoreTx`] may be used in it.
    fn read(&mut self, body: &mut dyn FnMut(&mut dyn StoreTx) -> Result<()>) -> Result<()>;
    /// Runs `body` in one transaction: committed when it returns `Ok`, rolled back otherwise.
    fn transaction(&mut self, body: &mut dyn FnMut(&mut dyn StoreTx) -> Result<()>) -> Result<()>;
}

pub(crate) const HISTORY_COLUMNS: &str =
    "id, at, at_millis, author, command, summary, digest, snapshot";

pub(crate) fn part_columns() -> &'static str {
    "item_key, parent, ordinal, label, body"
}
