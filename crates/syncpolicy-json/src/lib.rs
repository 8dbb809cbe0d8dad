//! Reader and writer of the settings file: `Applied-`, `Exported-` and
//! `Migrated-SynchronizationPolicy-*.json` and `MigratedPolicy.json`.
//!
//! This is the only crate that knows the file's key spellings. Reading accepts UTF-8 (with or
//! without BOM) and UTF-16 LE/BE with BOM, treats every key as optional, and keeps unknown keys
//! at any level. Writing is deterministic: two-space indent, Microsoft's key order, unknown
//! keys where they were, and syncpolicy's extension part under the top-level key
//! [`keys::EXTENSION`], ending with a digest of the content.

pub mod depth;
pub mod digest;
pub mod encoding;
pub mod error;
pub mod keys;
pub mod locate;
pub mod paths;
mod raw;
mod read;
mod reuse;
pub mod schema;
mod write;

pub use depth::MAX_DEPTH;
pub use read::{encoding_error, read_rule, read_settings, read_settings_spans, read_settings_str};
pub use reuse::WriteCache;
pub use write::{
    write_rule, write_settings, write_settings_placed, write_settings_reusing,
    write_settings_streamed, write_settings_to, Sink,
};
