//! The deployment store: one synchronization server's configuration kept in a database
//! (SQLite by default, PostgreSQL on request) behind one [`Store`] trait, with an `exports/`
//! folder that receives a complete settings file after every change, and a history.
//!
//! The configuration is stored as rows (see [`parts`]): top-level sections, directories,
//! partitions, rules and extension-list entries, each compact JSON as the settings writer
//! produces it, so that changing one rule or one OU writes one row. [`Deployment::change`] is
//! the one way to change it: edit closure, validation, rows, history and export in one
//! transaction, serialised by a lock file in the home folder.

pub mod backend;
pub mod deployment;
pub mod error;
pub mod home;
pub mod import;
pub mod parts;
pub mod postgres;
mod rows;
mod scan;
pub mod sqlite;
pub mod timing;

pub use backend::{Backend, DeltaRow, HistoryEntry, Store, StoreTx, SCHEMA_VERSION};
pub use deployment::{
    resolve_in, ChangeMeta, ChangeOutcome, Deployment, InstallOptions, PruneOutcome, PruneRule,
    Snapshot, PAUSE_AT_ENV, PAUSE_ENV, PAUSE_MARK_ENV,
};
pub use error::{unchanged_message, StoreError};
pub use home::{default_home, DirectoryCredential, Home, LockWait, Secrets, DEFAULT_LOCK_TIMEOUT};
