//! Helpers of the tests: the golden files, reading them.

#![allow(clippy::disallowed_methods, reason = "tests read their fixture files")]

use std::path::PathBuf;
use syncpolicy_powershell::{read_rules, RulesFile};

/// Path of a file in tests/data.
pub(crate) fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name)
}

/// Bytes of a file in tests/data.
pub(crate) fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).expect("the golden file exists")
}

/// Reads a golden file, which must read.
pub(crate) fn read(name: &str) -> RulesFile {
    read_rules(&bytes(name), name).unwrap_or_else(|e| panic!("{e}"))
}
