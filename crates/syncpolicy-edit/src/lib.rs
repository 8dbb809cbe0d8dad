//! Changes to a configuration, as pure functions on the model: directories, partitions and OU
//! filters, object types and attributes, sign-in, features, identity mapping, scheduler and
//! run profiles, and the rules editor with precedence allocation. Each change returns a
//! one-line summary of what it did, or an [`EditError`] that changes nothing.
//!
//! The deployment store runs these inside one transaction, validates the result, exports it
//! and records the summary in history.

pub mod directory;
pub mod error;
pub mod features;
pub mod precedence;
pub mod rules;
pub mod select;

pub use error::EditError;
