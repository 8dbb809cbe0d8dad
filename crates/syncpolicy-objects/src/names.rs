//! Attribute names as written in a file, resolved once to their kind and stored spelling (the
//! schema spelling of [`syncpolicy_expr::object::ATTRIBUTE_KINDS`], else as written), with a
//! bounded cache: files repeat the same few dozen names on every entry.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;
use syncpolicy_expr::object::{attribute_kind, AttributeKind};

/// Names beyond this many distinct spellings are resolved without caching.
const CACHE_MAX: usize = 4096;

/// No identity: a name beyond the cache, compared by text instead.
pub(crate) const NO_ID: u32 = u32::MAX;

/// FNV-1a: the keys are short attribute names from the file, hashed on every line.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// A resolved name: its kind, stored spelling, and an identity shared by every spelling that
/// differs only in case (`NO_ID` beyond the cache).
#[derive(Clone)]
pub(crate) struct Resolved {
    pub(crate) kind: AttributeKind,
    pub(crate) spelling: Rc<str>,
    pub(crate) id: u32,
}

#[derive(Default)]
pub(crate) struct Names {
    cache: FnvMap<Box<[u8]>, Resolved>,
    /// Identities by lowercase name.
    ids: FnvMap<Box<[u8]>, u32>,
    /// By line of an entry: the name last resolved there, as written (options included), and
    /// its resolution with the options applied (entries of one file mostly list the same
    /// attributes in the same order, so this finds most names without hashing or checking
    /// them again).
    by_line: Vec<(Box<[u8]>, Resolved)>,
    /// Every name [`Names::resolve_at`] resolved, as written (options included): the names an
    /// entry has on other lines than earlier entries had.
    by_spelling: FnvMap<Box<[u8]>, Resolved>,
}

/// Lines of an entry whose names [`Names::resolve_at`] remembers.
const BY_LINE_MAX: usize = 256;

impl Names {
    /// The resolution [`Names::resolve_at`] gave on line `line` of an earlier entry to a name
    /// written exactly `raw` (options included): a valid attribute name, not `dn` nor a
    /// change record's, whose options were read then.
    #[inline]
    pub(crate) fn seen_at(&mut self, line: usize, raw: &[u8]) -> Option<Resolved> {
        match self.by_line.get(line) {
            Some((seen, r)) if **seen == *raw => Some(r.clone()),
            _ => {
                let r = self.by_spelling.get(raw)?.clone();
                self.remember_at(line, raw, &r);
                Some(r)
            }
        }
    }

    /// Makes `raw` (resolved to `r`) the name [`Names::seen_at`] tries first on `line`.
    fn remember_at(&mut self, line: usize, raw: &[u8], r: &Resolved) {
        if line < self.by_line.len() {
            self.by_line[line] = (raw.into(), r.clone());
        } else if line == self.by_line.len() && line < BY_LINE_MAX {
            self.by_line.push((raw.into(), r.clone()));
        }
    }

    /// [`Names::resolve`] for the attribute name `name` (valid, without options), written `raw`
    /// with its options on line `line` of its entry (0-based); with the option `binary`, the
    /// kind is binary. Remembered for [`Names::seen_at`].
    pub(crate) fn resolve_at(
        &mut self,
        line: usize,
        raw: &[u8],
        name: &str,
        binary: bool,
    ) -> Resolved {
        let mut r = self.resolve(name);
        if binary {
            r.kind = AttributeKind::Binary;
        }
        if r.id != NO_ID {
            self.remember_at(line, raw, &r);
            if self.by_spelling.len() < CACHE_MAX {
                self.by_spelling.insert(raw.into(), r.clone());
            }
        }
        r
    }

    /// The kind, stored spelling and identity of `name` (valid UTF-8, without options).
    pub(crate) fn resolve(&mut self, name: &str) -> Resolved {
        if let Some(r) = self.cache.get(name.as_bytes()) {
            return r.clone();
        }
        let (kind, canonical) = attribute_kind(name);
        let spelling: Rc<str> = Rc::from(canonical.unwrap_or(name));
        let mut id = NO_ID;
        if self.cache.len() < CACHE_MAX {
            let lower: Box<[u8]> = name.to_ascii_lowercase().into_bytes().into();
            let next = u32::try_from(self.ids.len()).unwrap_or(NO_ID);
            id = *self.ids.entry(lower).or_insert(next);
            self.cache.insert(
                name.as_bytes().into(),
                Resolved {
                    kind,
                    spelling: Rc::clone(&spelling),
                    id,
                },
            );
        }
        Resolved { kind, spelling, id }
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
