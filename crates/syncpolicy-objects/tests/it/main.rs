//! Integration tests of syncpolicy-objects: the LDIF and JSON Lines readers, hostile input.

mod generate;
mod hostile;
mod jsonl;
mod ldif;
mod parallel;

use syncpolicy_objects::{DirectoryObject, ObjectError};

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
