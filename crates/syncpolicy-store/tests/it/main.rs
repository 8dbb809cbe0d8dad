//! Integration tests of the deployment store: one conformance suite run against SQLite and
//! PostgreSQL, and the migration files' rules.
#![allow(
    clippy::disallowed_methods,
    reason = "tests create home folders and databases"
)]

mod conformance;
mod migrations;
mod support;
