//! The explicit evaluation environment: the source object's attributes, the connector
//! parameters, the last imported values (for `ImportedValue`), the clock and the random seed.

use crate::time::DateTime;
use crate::value::Value;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher: attribute names are short, and this lookup is on the hot
/// path. (Attribute names come from the configuration, not from an attacker.)
#[derive(Default)]
pub struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes at a time, multiply-rotate mixing (in the style of FxHash).
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
        self.0 = h;
    }
}

type NameMap<V> = HashMap<String, V, BuildHasherDefault<NameHasher>>;

/// The attributes of one object. Names are case-sensitive, as in the product. An attribute
/// with no values is absent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceObject {
    attributes: NameMap<Value>,
}

impl SourceObject {
    pub fn new() -> Self {
        SourceObject::default()
    }

    /// Sets an attribute. Null and empty collections remove it; a one-element collection stays
    /// multi-valued.
    pub fn insert(&mut self, name: impl Into<String>, value: Value) {
        let name = name.into();
        match value {
            v if v.is_null() => {
                self.attributes.remove(&name);
            }
            Value::Multi(values) if values.is_empty() => {
                self.attributes.remove(&name);
            }
            v => {
                self.attributes.insert(name, v);
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.attributes.get(name)
    }

    /// Attribute names, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.attributes.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    pub fn len(&self) -> usize {
        self.attributes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty()
    }
}

/// `%Parameter%` values, e.g. `Domain.FQDN` → `contoso.com`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parameters {
    values: NameMap<String>,
}

impl Parameters {
    pub fn new() -> Self {
        Parameters::default()
    }

    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values.insert(name.into(), value.into());
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Parameter names, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.values.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}

/// Everything an evaluation may look at. Nothing else is read: no clock, no randomness and no
/// I/O besides what is given here.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    /// The source object (connector-space object inbound, metaverse object outbound).
    pub object: &'a SourceObject,
    pub parameters: &'a Parameters,
    /// Values confirmed by the last import, for `ImportedValue`. `None` means nothing is
    /// pending export, so the imported values are the object's current values.
    pub imported: Option<&'a SourceObject>,
    /// The time `Now()` returns. `None` makes `Now()` an error.
    pub now: Option<DateTime>,
    /// Seed for `RandomNum` and `Guid`; the same seed gives the same values.
    pub seed: u64,
}

impl<'a> Env<'a> {
    pub fn new(object: &'a SourceObject, parameters: &'a Parameters) -> Self {
        Env {
            object,
            parameters,
            imported: None,
            now: None,
            seed: 0,
        }
    }

    pub fn with_imported(mut self, imported: &'a SourceObject) -> Self {
        self.imported = Some(imported);
        self
    }

    pub fn with_now(mut self, now: DateTime) -> Self {
        self.now = Some(now);
        self
    }

    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}
