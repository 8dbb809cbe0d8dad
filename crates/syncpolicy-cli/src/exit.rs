//! Exit codes, the same for every command.

/// Success: no differences, no error-level findings.
pub(crate) const OK: u8 = 0;
/// Differences (diff, verify) or error-level findings (validate).
pub(crate) const FINDINGS: u8 = 1;
/// The command could not do its job: bad arguments, unreadable input, database unavailable.
pub(crate) const ERROR: u8 = 2;
