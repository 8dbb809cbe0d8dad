//! The file-system side of syncpolicy: atomic writes (temp file, fsync, rename), snapshot file
//! names with sortable UTC timestamps, reading settings files and snapshot folders, and hints
//! for errors of the operating system.

pub mod atomic;
pub mod legacy;
pub mod oserror;
pub mod settings;
pub mod snapshot;
pub mod timestamp;
