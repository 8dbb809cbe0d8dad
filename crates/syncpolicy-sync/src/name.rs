//! Attribute names shared by every object of every run in the process: copied as plain
//! references, without the reference counts that both cores would otherwise update on the
//! same few cache lines for every flow of every object.
//!
//! A name is kept for the life of the process once a configuration uses it. The names are the
//! target attributes of the configurations' flows, so what is kept is bounded by the distinct
//! names of the configurations a process prepares (a few thousand bytes for the out-of-box
//! rules), never by the objects simulated.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock, PoisonError};

/// An attribute name, shared.
pub type Name = &'static str;

/// The shared copy of `name`: the same address for the same text.
pub fn intern(name: &str) -> Name {
    static NAMES: OnceLock<Mutex<HashSet<Name>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Mutex::default)
        .lock()
        // A panic elsewhere cannot leave the set inconsistent: insertion is its only change.
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = names.get(name) {
        return known;
    }
    let kept: Name = Box::leak(name.to_owned().into_boxed_str());
    names.insert(kept);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_gives_the_same_address() {
        let a = intern("extensionAttribute1");
        let b = intern(&String::from("extensionAttribute1"));
        assert_eq!(a.as_ptr(), b.as_ptr());
        assert_eq!(a, "extensionAttribute1");
        // Spelling counts: names are kept as written.
        let c = intern("ExtensionAttribute1");
        assert_ne!(a.as_ptr(), c.as_ptr());
        assert_eq!(c, "ExtensionAttribute1");
    }
}
