//! Integration tests of syncpolicy-objects: the LDIF and JSON Lines readers, hostile input.

mod generate;
mod hostile;
mod jsonl;
mod ldif;
mod parallel;

use syncpolicy_objects::{DirectoryObject, Limits, ObjectError};

/// Every result of a reader, split into objects and errors.
pub(crate) fn split(
    results: impl Iterator<Item = Result<DirectoryObject, ObjectError>>,
) -> (Vec<DirectoryObject>, Vec<ObjectError>) {
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(o) => objects.push(o),
            Err(e) => errors.push(e),
        }
    }
    (objects, errors)
}

/// A reader that gives `left` reads, cycling through `parts` (the part of index `left % len`
/// after each read, counting down), and then fails: a disk that stops in the middle of a file.
pub(crate) struct Failing {
    pub(crate) left: usize,
    pub(crate) parts: &'static [&'static [u8]],
}

impl std::io::Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("disk on fire"));
        }
        self.left -= 1;
        let part = self.parts[self.left % self.parts.len()];
        buf[..part.len()].copy_from_slice(part);
        Ok(part.len())
    }
}

/// Limits small enough for a test to pass each of them with a few lines.
pub(crate) const SMALL_LIMITS: Limits = Limits {
    max_line_bytes: 100,
    max_entry_bytes: 1000,
    max_values_per_attribute: 3,
    max_attributes: 4,
};
