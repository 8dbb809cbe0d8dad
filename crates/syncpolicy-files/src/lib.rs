//! The file-system side of syncpolicy: atomic writes (temp file, fsync, rename), snapshot file
//! names with sortable UTC timestamps, and reading settings files and snapshot folders.

pub mod atomic;
pub mod legacy;
pub mod settings;
pub mod snapshot;
pub mod timestamp;
