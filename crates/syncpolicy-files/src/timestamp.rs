//! UTC timestamps (on `jiff`): sortable file-name stamps (`20261126-081500.123Z`) and
//! ISO-8601 texts.

use jiff::Timestamp;

/// A UTC instant with millisecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcMillis(pub i64);

impl UtcMillis {
    /// Now.
    pub fn now() -> Self {
        UtcMillis(Timestamp::now().as_millisecond())
    }

    /// The instant, clamped to `jiff`'s range (about years -9999 to 9999).
    fn timestamp(self) -> Timestamp {
        Timestamp::from_millisecond(self.0).unwrap_or(if self.0 < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
    }

    /// `20261126-081500.123Z`: sortable, safe in file names on every system.
    pub fn file_stamp(self) -> String {
        self.timestamp().strftime("%Y%m%d-%H%M%S.%3fZ").to_string()
    }

    /// `2026-11-26T08:15:00.123Z`.
    pub fn iso(self) -> String {
        self.timestamp()
            .strftime("%Y-%m-%dT%H:%M:%S.%3fZ")
            .to_string()
    }

    /// `2026-11-26 08:15:00Z` (.NET's universal sortable pattern, used in policy metadata).
    pub fn universal_sortable(self) -> String {
        self.timestamp().strftime("%Y-%m-%d %H:%M:%SZ").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let t = UtcMillis(1_795_680_900_123); // 2026-11-26 08:15:00.123 UTC
        assert_eq!(t.file_stamp(), "20261126-081500.123Z");
        assert_eq!(t.iso(), "2026-11-26T08:15:00.123Z");
        assert_eq!(t.universal_sortable(), "2026-11-26 08:15:00Z");
        assert_eq!(UtcMillis(0).iso(), "1970-01-01T00:00:00.000Z");
        assert_eq!(UtcMillis(951_782_400_000).iso(), "2000-02-29T00:00:00.000Z");
        assert_eq!(UtcMillis(-1).file_stamp(), "19691231-235959.999Z");
        // Out of range: clamped, never a panic.
        assert_eq!(UtcMillis(i64::MAX).iso(), "9999-12-30T22:00:00.999Z");
        assert_eq!(UtcMillis(i64::MIN).file_stamp(), "-99990102-015959.000Z");
    }
}
