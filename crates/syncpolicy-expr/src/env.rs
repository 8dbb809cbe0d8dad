//! The explicit evaluation environment: the source object's attributes, the connector
//! parameters, the last imported values (for `ImportedValue`), the clock and the random seed.

use crate::time::DateTime;
use crate::value::Value;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU8, Ordering};

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

/// The hash [`SourceObject`] indexes attribute names by, as [`SourceObject::retain_hashed`]
/// gives it.
pub fn name_hash_of(name: &[u8]) -> u32 {
    // The names of a source object are UTF-8; the hash reads bytes only.
    name_hash_bytes(name)
}

/// The hash [`SourceObject`] indexes attribute names by (FxHash-style, eight bytes at a time).
/// The evaluator computes it once per attribute reference when compiling.
#[inline]
pub(crate) fn name_hash(name: &str) -> u32 {
    name_hash_bytes(name.as_bytes())
}

#[inline]
fn name_hash_bytes(bytes: &[u8]) -> u32 {
    let h = mix_words((bytes.len() as u64).wrapping_mul(MIX), bytes);
    // The high half is the best mixed.
    (h >> 32) as u32
}

/// The multiplier of [`mix_words`].
pub const MIX: u64 = 0x517c_c1b7_2722_0a95;

/// `h` with `bytes` mixed in, FxHash-style, eight bytes at a time (the last word padded with
/// zeros): what the attribute-name hash and the simulation engine's join-key hasher share.
/// Not a final mix: the low bits of the result depend mostly on the last word.
#[inline]
pub fn mix_words(mut h: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(MIX);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(MIX);
    }
    h
}

/// The bit of [`SourceObject`]'s name summary that stands for a name with `hash`.
#[inline]
fn summary_bit(hash: u32) -> u64 {
    1 << (hash % 64)
}

/// An attribute name prepared for [`SourceObject`] lookups: its hash and its stored form (so
/// that a short name compares as one fixed-size array).
#[derive(Debug, Clone)]
pub(crate) struct AttrKey {
    hash: u32,
    name: Name,
}

impl AttrKey {
    pub(crate) fn new(name: &str) -> AttrKey {
        AttrKey {
            hash: name_hash(name),
            name: Name::new(name),
        }
    }
}

/// An attribute name prepared for repeated [`SourceObject::find`] lookups: its hash, its stored
/// form, and the position it had in the last object it was found in (objects of one source
/// mostly list their attributes in the same order). The position is only a guess: shared
/// between threads without ordering, any value gives the same result.
#[derive(Debug)]
pub struct NameProbe {
    key: AttrKey,
    hint: AtomicU8,
}

impl NameProbe {
    pub fn new(name: &str) -> NameProbe {
        NameProbe {
            key: AttrKey::new(name),
            hint: AtomicU8::new(0),
        }
    }
}

/// The attributes of one object. Names are case-sensitive, as in the product. An attribute
/// with no values is absent.
///
/// Laid out for lookups on the evaluation hot path, where objects are mostly not in the cache:
/// the name hashes of the first attributes are stored in the object itself and scanned first,
/// and a name of up to 30 bytes is stored inside its entry, next to the value. So a lookup reads
/// the entry's cache line and then the value's text, and little else. A 64-bit summary of the
/// names answers most lookups of absent attributes without a scan.
#[derive(Clone, Default)]
pub struct SourceObject {
    /// Bit `name_hash % 64` of every entry's name: a lookup whose bit is clear is absent.
    summary: u64,
    /// `name_hash` of the first `HEAD` entries' names.
    head: [u32; HEAD],
    /// `name_hash` of the other entries' names.
    rest: Vec<u32>,
    /// In insertion order.
    entries: Vec<Entry>,
}

const HEAD: usize = 16;

#[derive(Clone)]
struct Entry {
    name: Name,
    value: Value,
}

/// An attribute name: inline when short (almost all are).
#[derive(Debug, Clone, PartialEq)]
enum Name {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

const INLINE: usize = 30;

impl Name {
    fn new(name: &str) -> Name {
        if name.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..name.len()].copy_from_slice(name.as_bytes());
            Name::Inline {
                len: name.len() as u8,
                bytes,
            }
        } else {
            Name::Heap(name.into())
        }
    }

    #[inline]
    fn is(&self, name: &str) -> bool {
        match self {
            Name::Inline { len, bytes } => bytes.get(..*len as usize) == Some(name.as_bytes()),
            Name::Heap(n) => **n == *name,
        }
    }

    #[inline]
    fn as_bytes(&self) -> &[u8] {
        match self {
            Name::Inline { len, bytes } => bytes.get(..*len as usize).unwrap_or(&[]),
            Name::Heap(n) => n.as_bytes(),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Copied from a `str`, so valid UTF-8.
            Name::Inline { len, bytes } => {
                std::str::from_utf8(bytes.get(..*len as usize).unwrap_or(&[])).unwrap_or("")
            }
            Name::Heap(n) => n,
        }
    }
}

impl SourceObject {
    pub fn new() -> Self {
        SourceObject::default()
    }

    /// An empty object with room for `n` attributes.
    pub fn with_capacity(n: usize) -> Self {
        SourceObject {
            entries: Vec::with_capacity(n),
            rest: Vec::with_capacity(n.saturating_sub(HEAD)),
            ..SourceObject::default()
        }
    }

    #[inline]
    fn position(&self, name: &str, hash: u32) -> Option<usize> {
        self.position_by(hash, |n| n.is(name))
    }

    /// The entry whose name has `hash` and satisfies `is`, with its position.
    #[inline]
    fn entry_by(&self, hash: u32, is: impl Fn(&Name) -> bool) -> Option<(usize, &Entry)> {
        if self.summary & summary_bit(hash) == 0 {
            return None;
        }
        let (first, later) = self.entries.split_at(self.entries.len().min(HEAD));
        let first = self.head.iter().zip(first).zip(0..);
        let later = self.rest.iter().zip(later).zip(HEAD..);
        first
            .chain(later)
            .find(|((h, e), _)| **h == hash && is(&e.name))
            .map(|((_, e), i)| (i, e))
    }

    /// The position of the entry whose name has `hash` and satisfies `is`.
    #[inline]
    fn position_by(&self, hash: u32, is: impl Fn(&Name) -> bool) -> Option<usize> {
        self.entry_by(hash, is).map(|(i, _)| i)
    }

    /// [`SourceObject::get`] by a name prepared beforehand (the evaluator prepares the names
    /// an expression uses when compiling it), trying the position `hint` first. Objects of one source
    /// mostly list their attributes in the same order, so the position an attribute had in
    /// the previous object usually finds it without a scan. `hint` is updated to where the
    /// attribute was found. (Relaxed ordering: the hint is only a guess; any value is safe.)
    #[inline]
    pub(crate) fn get_key_hinted(&self, key: &AttrKey, hint: &AtomicU8) -> Option<&Value> {
        self.find_key_hinted(key, hint).map(|(_, v)| v)
    }

    /// [`SourceObject::get_key_hinted`], with the attribute's position.
    #[inline]
    fn find_key_hinted(&self, key: &AttrKey, hint: &AtomicU8) -> Option<(usize, &Value)> {
        let guess = usize::from(hint.load(Ordering::Relaxed));
        let hash = if guess < HEAD {
            self.head[guess]
        } else {
            self.rest.get(guess - HEAD).copied().unwrap_or(!key.hash)
        };
        if hash == key.hash {
            if let Some(e) = self.entries.get(guess) {
                if e.name == key.name {
                    return Some((guess, &e.value));
                }
            }
        }
        let (i, e) = self.entry_by(key.hash, |n| *n == key.name)?;
        if let Ok(i) = u8::try_from(i) {
            hint.store(i, Ordering::Relaxed);
        }
        Some((i, &e.value))
    }

    /// The attribute `probe` names, with its position among the values
    /// [`SourceObject::into_values`] gives: [`SourceObject::get`] and
    /// [`SourceObject::position_of`] in one lookup, trying the position the name had in the
    /// last object first.
    #[inline]
    pub fn find(&self, probe: &NameProbe) -> Option<(usize, &Value)> {
        self.find_key_hinted(&probe.key, &probe.hint)
    }

    /// Stores the hashes of the entries (after a removal).
    fn set_hashes(&mut self, hashes: Vec<u32>) {
        self.summary = hashes.iter().fold(0, |bits, h| bits | summary_bit(*h));
        self.head = [0; HEAD];
        for (slot, h) in self.head.iter_mut().zip(&hashes) {
            *slot = *h;
        }
        self.rest = hashes.get(HEAD..).map(<[u32]>::to_vec).unwrap_or_default();
    }

    /// Sets an attribute. Null and empty collections remove it; a one-element collection stays
    /// multi-valued.
    /// (The name is borrowed: a short one is stored inline, so no allocation is made for it.)
    pub fn insert(&mut self, name: impl AsRef<str>, value: Value) {
        let name = name.as_ref();
        let hash = name_hash(name);
        let found = self.position(name, hash);
        let remove = match &value {
            v if v.is_null() => true,
            Value::Multi(values) => values.is_empty(),
            _ => false,
        };
        match (found, remove) {
            (Some(i), true) => {
                let n = self.entries.len();
                let mut hashes: Vec<u32> = self.head[..n.min(HEAD)]
                    .iter()
                    .chain(self.rest.iter())
                    .copied()
                    .collect();
                hashes.remove(i);
                self.entries.remove(i);
                self.set_hashes(hashes);
            }
            (None, true) => {}
            (Some(i), false) => self.entries[i].value = value,
            (None, false) => self.push_new(name, hash, value),
        }
    }

    /// Appends an attribute the object does not hold, with a value that is not null nor an
    /// empty collection: [`SourceObject::insert`] without the search for an entry of the same
    /// name (which, once the object holds more names than its summary has bits, looks at every
    /// entry). For callers that hold distinct names already (a metaverse object's resolved
    /// attributes). Checked in debug builds.
    pub fn push_distinct(&mut self, name: &str, value: Value) {
        debug_assert!(self.get(name).is_none(), "`{name}` is already held");
        debug_assert!(!value.is_null() && !matches!(&value, Value::Multi(v) if v.is_empty()));
        self.push_new(name, name_hash(name), value);
    }

    /// Appends an entry whose name (of hash `hash`) the object does not hold.
    fn push_new(&mut self, name: &str, hash: u32, value: Value) {
        let i = self.entries.len();
        match self.head.get_mut(i) {
            Some(slot) => *slot = hash,
            None => self.rest.push(hash),
        }
        self.summary |= summary_bit(hash);
        self.entries.push(Entry {
            name: Name::new(name),
            value,
        });
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.get_hashed(name, name_hash(name))
    }

    /// [`SourceObject::get`] with the name's hash computed beforehand.
    #[inline]
    pub(crate) fn get_hashed(&self, name: &str, hash: u32) -> Option<&Value> {
        let i = self.position(name, hash)?;
        self.entries.get(i).map(|e| &e.value)
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|e| (e.name.as_str(), &e.value))
    }

    /// The position of an attribute among the values [`SourceObject::into_values`] gives.
    pub fn position_of(&self, name: &str) -> Option<usize> {
        self.position(name, name_hash(name))
    }

    /// The values, in insertion order (for a caller that lent them for an evaluation and takes
    /// them back).
    pub fn into_values(self) -> impl Iterator<Item = Value> {
        self.entries.into_iter().map(|e| e.value)
    }

    /// Attribute names, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.iter().map(|(n, _)| n).collect();
        names.sort_unstable();
        names
    }

    /// Keeps only the attributes whose name `keep` accepts, in one pass (the engine drops the
    /// attributes a connector does not import this way).
    /// `keep` is asked once per attribute, in insertion order.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.retain_bytes(|name| keep(std::str::from_utf8(name).unwrap_or("")));
    }

    /// [`SourceObject::retain`] given each name as its UTF-8 bytes (no UTF-8 check per name:
    /// the connector's attribute inclusion runs it for every name of every object staged).
    pub fn retain_bytes(&mut self, mut keep: impl FnMut(&[u8]) -> bool) {
        self.retain_hashed(|name, _| keep(name));
    }

    /// [`SourceObject::retain_bytes`] given each name's [`name_hash_of`] as well (known
    /// already: a caller can look the name up by it without hashing it again).
    pub fn retain_hashed(&mut self, mut keep: impl FnMut(&[u8], u32) -> bool) {
        let n = self.entries.len();
        let hash_at = |head: &[u32; HEAD], rest: &[u32], i: usize| {
            if i < HEAD {
                head[i]
            } else {
                rest[i - HEAD]
            }
        };
        // Usually every attribute stays: find the first that goes before allocating anything.
        let Some(first) = (0..n).position(|i| {
            !keep(
                self.entries[i].name.as_bytes(),
                hash_at(&self.head, &self.rest, i),
            )
        }) else {
            return;
        };
        let hashes: Vec<u32> = self.head[..n.min(HEAD)]
            .iter()
            .chain(self.rest.iter())
            .copied()
            .collect();
        let mut kept_hashes = Vec::with_capacity(n);
        let mut i = 0;
        self.entries.retain(|e| {
            let k = match i.cmp(&first) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Equal => false,
                std::cmp::Ordering::Greater => keep(e.name.as_bytes(), hashes[i]),
            };
            if k {
                kept_hashes.push(hashes[i]);
            }
            i += 1;
            k
        });
        self.set_hashes(kept_hashes);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Equal when both have the same attributes with the same values, in any order.
impl PartialEq for SourceObject {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(n, v)| other.get(n) == Some(v))
    }
}

/// The attributes as a map, sorted by name.
impl fmt::Debug for SourceObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut attributes: Vec<(&str, &Value)> = self.iter().collect();
        attributes.sort_unstable_by_key(|(n, _)| *n);
        f.debug_struct("SourceObject")
            .field("attributes", &DebugMap(&attributes))
            .finish()
    }
}

struct DebugMap<'a>(&'a [(&'a str, &'a Value)]);

impl fmt::Debug for DebugMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(n, v)| (n, v)))
            .finish()
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
