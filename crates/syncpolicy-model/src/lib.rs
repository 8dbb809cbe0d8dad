//! The format-neutral configuration model of a directory-synchronization server.
//!
//! Every reader (settings JSON, legacy XML folder, deployment database) produces a
//! [`config::Configuration`]; every writer, comparison and check consumes one. The model knows
//! nothing of file formats: key spellings live in `syncpolicy-json`, element names in
//! `syncpolicy-legacy`. Identity keys ([`identity`]) and the shared [`diagnostic::Diagnostic`]
//! type live here so that every consumer agrees on them.

pub mod codes;
pub mod config;
pub mod diagnostic;
pub mod enums;
pub mod extension;
pub mod identity;
pub mod preserved;
pub mod rule;
pub mod signin;
pub mod standard;
pub mod suggest;
pub mod values;
pub mod words;
