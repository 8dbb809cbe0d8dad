//! Attribute names as written in a file, resolved once to their kind and stored spelling (the
//! schema spelling of [`syncpolicy_expr::object::ATTRIBUTE_KINDS`], else as written), with a
//! bounded cache: files repeat the same few dozen names on every entry.

use std::collections::HashMap;
use std::rc::Rc;
use syncpolicy_expr::object::{attribute_kind, AttributeKind};

/// Names beyond this many distinct spellings are resolved without caching.
const CACHE_MAX: usize = 4096;

#[derive(Default)]
pub(crate) struct Names {
    cache: HashMap<Box<[u8]>, (AttributeKind, Rc<str>)>,
}

impl Names {
    /// The kind and stored spelling of `name` (valid UTF-8, without options).
    pub(crate) fn resolve(&mut self, name: &str) -> (AttributeKind, Rc<str>) {
        if let Some((kind, spelling)) = self.cache.get(name.as_bytes()) {
            return (*kind, Rc::clone(spelling));
        }
        let (kind, canonical) = attribute_kind(name);
        let spelling: Rc<str> = Rc::from(canonical.unwrap_or(name));
        if self.cache.len() < CACHE_MAX {
            self.cache
                .insert(name.as_bytes().into(), (kind, Rc::clone(&spelling)));
        }
        (kind, spelling)
    }
}

/// Whether `name` is an attribute description of RFC 2849 / RFC 4512: a letter then letters,
/// digits and hyphens (a name), or a numeric OID.
pub(crate) fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_alphabetic() => b
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_'),
        Some(c) if c.is_ascii_digit() => b.iter().all(|c| c.is_ascii_digit() || *c == b'.'),
        _ => false,
    }
}
