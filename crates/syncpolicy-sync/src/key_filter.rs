//! A filter of join index keys for the join phase: it answers "certainly not one of these keys"
//! or "maybe", from two bits per key in a table small enough to stay in the processor's cache.
//!
//! The join phase looks up each object's join keys in an index of the metaverse objects'
//! keys. On a large directory almost no key is ever found (most objects project), and the
//! index's table of a million keys is much larger than the cache: every insertion and lookup
//! cost two or three misses. With a filter of the keys that objects look up, an index key that
//! no object looks up is never inserted (no lookup could find it); with a filter of the keys
//! inserted, a lookup of a key never inserted does not touch the index. Neither changes what a
//! lookup finds: a filter has no false negatives, only false positives, which do what the
//! index did before.

use crate::engine::KeyHasher;
use std::hash::{BuildHasher, BuildHasherDefault};

/// Bits per key the table is sized for (with two bits set per key, about 5% false positives
/// when full).
const BITS_PER_KEY: usize = 12;

/// The largest table: 2^27 bits (16 MB), for more than ten million keys.
const MAX_BITS: usize = 1 << 27;

/// A set of key hashes with false positives and no false negatives.
#[derive(Debug, Clone)]
pub(crate) struct KeyFilter {
    words: Vec<u64>,
    /// The number of bits, minus one (a power of two).
    mask: u64,
}

impl KeyFilter {
    /// An empty filter sized for about `keys` keys.
    pub(crate) fn with_capacity(keys: usize) -> KeyFilter {
        let bits = keys
            .saturating_mul(BITS_PER_KEY)
            .clamp(64, MAX_BITS)
            .next_power_of_two();
        KeyFilter {
            words: vec![0; bits / 64],
            mask: bits as u64 - 1,
        }
    }

    /// The hash of a key, as the filter takes it.
    pub(crate) fn hash(key: &[u8]) -> u64 {
        BuildHasherDefault::<KeyHasher>::default().hash_one(key)
    }

    /// The two bit positions of a hash, from its low 32 bits only (so that a hash kept in 32
    /// bits, [`KeyFilter::short`], gets the same answers): those bits, and their product with
    /// an odd constant's high half.
    fn bits(&self, hash: u64) -> [u64; 2] {
        let low = hash & 0xffff_ffff;
        [
            low & self.mask,
            (low.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) & self.mask,
        ]
    }

    /// The part of a hash the filter reads: `may_contain(u64::from(short(h)))` is
    /// `may_contain(h)`.
    pub(crate) fn short(hash: u64) -> u32 {
        hash as u32
    }

    pub(crate) fn insert(&mut self, hash: u64) {
        for b in self.bits(hash) {
            self.words[(b / 64) as usize] |= 1 << (b % 64);
        }
    }

    /// False only when no key of this hash was inserted.
    pub(crate) fn may_contain(&self, hash: u64) -> bool {
        self.bits(hash)
            .iter()
            .all(|b| self.words[(b / 64) as usize] & (1 << (b % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: u32) -> Vec<u8> {
        format!("\u{1}key-{i}").into_bytes()
    }

    #[test]
    fn every_inserted_key_is_found_and_most_others_are_not() {
        for capacity in [0, 1, 10, 1000] {
            let mut filter = KeyFilter::with_capacity(capacity);
            let inserted = capacity.max(1) as u32;
            for i in 0..inserted {
                filter.insert(KeyFilter::hash(&key(i)));
            }
            for i in 0..inserted {
                assert!(filter.may_contain(KeyFilter::hash(&key(i))), "key {i}");
            }
            if capacity >= 1000 {
                let others = (inserted..inserted + 10_000)
                    .filter(|i| filter.may_contain(KeyFilter::hash(&key(*i))))
                    .count();
                assert!(others < 1_000, "{others} false positives of 10,000");
            }
        }
    }

    #[test]
    fn a_hash_kept_short_gets_the_same_answers() {
        let mut filter = KeyFilter::with_capacity(1000);
        for i in 0..1000 {
            filter.insert(KeyFilter::hash(&key(i)));
        }
        for i in 0..20_000 {
            let h = KeyFilter::hash(&key(i));
            let short = u64::from(KeyFilter::short(h));
            assert_eq!(filter.may_contain(h), filter.may_contain(short), "key {i}");
        }
    }

    #[test]
    fn an_empty_filter_contains_nothing() {
        let filter = KeyFilter::with_capacity(100);
        assert!((0..100).all(|i| !filter.may_contain(KeyFilter::hash(&key(i)))));
    }

    #[test]
    fn a_filter_over_full_saturates_instead_of_failing() {
        let mut filter = KeyFilter::with_capacity(1);
        for i in 0..10_000 {
            filter.insert(KeyFilter::hash(&key(i)));
        }
        assert!((0..10_000).all(|i| filter.may_contain(KeyFilter::hash(&key(i)))));
    }
}
