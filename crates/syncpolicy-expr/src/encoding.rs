//! Byte encodings used by the conversion functions: base64, hexadecimal, UTF-16LE, GUIDs in .NET
//! byte order, and Windows security identifiers (SIDs).

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

/// Standard alphabet, `=` padding on output.
const STANDARD: GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Decoding is lenient, as .NET's `Convert.FromBase64String` and directory exports are: padding
/// optional, and trailing bits after the last whole byte are ignored.
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const DECODE_STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const DECODE_URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes base64 (standard or URL-safe alphabet, whitespace ignored, padding optional). `None`
/// when invalid.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    // Most text is standard base64 on one line: decoded at once. The standard alphabet has
    // neither whitespace nor `-` and `_`, so text that has any fails here and is taken below.
    if let Ok(bytes) = DECODE_STANDARD.decode(text.as_bytes()) {
        return Some(bytes);
    }
    let compact: std::borrow::Cow<'_, str> = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        text.chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    let engine = if compact.bytes().any(|b| b == b'-' || b == b'_') {
        &DECODE_URL_SAFE
    } else {
        &DECODE_STANDARD
    };
    engine.decode(compact.as_bytes()).ok()
}

pub(crate) fn hex_upper(bytes: &[u8]) -> String {
    hex::encode_upper(bytes)
}

/// Decodes hexadecimal (either case, surrounding whitespace ignored). `None` when invalid.
pub(crate) fn hex_decode(text: &str) -> Option<Vec<u8>> {
    hex::decode(text.trim()).ok()
}

pub(crate) fn utf16le_bytes(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (optionally in braces) into the 16 bytes of
/// .NET `Guid.ToByteArray()` order (first three groups little-endian).
pub(crate) fn guid_parse(text: &str) -> Option<[u8; 16]> {
    let t = text.trim();
    let t = t
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(t);
    let groups: Vec<&str> = t.split('-').collect();
    if groups.len() != 5
        || groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .any(|(g, n)| g.len() != n || !g.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return None;
    }
    let hex = hex_decode(&groups.concat())?;
    let mut out = [0u8; 16];
    out.copy_from_slice(&hex);
    out[0..4].reverse();
    out[4..6].reverse();
    out[6..8].reverse();
    Some(out)
}

/// Formats 16 bytes in .NET byte order as lower-case `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub(crate) fn guid_format(bytes: &[u8]) -> Option<String> {
    if bytes.len() != 16 {
        return None;
    }
    let mut b = bytes.to_vec();
    b[0..4].reverse();
    b[4..6].reverse();
    b[6..8].reverse();
    let h = hex::encode(&b);
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// Binary SID to `S-1-5-21-...`.
pub(crate) fn sid_format(bytes: &[u8]) -> Option<String> {
    if bytes.len() < 8 {
        return None;
    }
    let revision = bytes[0];
    let count = usize::from(bytes[1]);
    if bytes.len() != 8 + 4 * count {
        return None;
    }
    let authority = bytes[2..8]
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    // Digits pushed by hand: `format!` per sub-authority cost thousands of instructions per
    // SID, and `ConvertSidToString` runs for every user of the out-of-box rules.
    let mut out = String::with_capacity(4 + 20 + 11 * count);
    out.push_str("S-");
    push_decimal(&mut out, u64::from(revision));
    out.push('-');
    push_decimal(&mut out, authority);
    for i in 0..count {
        let at = 8 + 4 * i;
        let sub = u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        out.push('-');
        push_decimal(&mut out, u64::from(sub));
    }
    Some(out)
}

/// Appends `n` in decimal.
fn push_decimal(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `S-1-5-21-...` to binary.
pub(crate) fn sid_parse(text: &str) -> Option<Vec<u8>> {
    let mut parts = text.trim().split('-');
    if !parts.next()?.eq_ignore_ascii_case("s") {
        return None;
    }
    let revision: u8 = parts.next()?.parse().ok()?;
    let authority: u64 = parts.next()?.parse().ok()?;
    if authority >= 1 << 48 {
        return None;
    }
    let subs: Vec<u32> = parts.map(|p| p.parse().ok()).collect::<Option<_>>()?;
    if subs.len() > 15 {
        return None;
    }
    let mut out = vec![revision, subs.len() as u8];
    out.extend_from_slice(&authority.to_be_bytes()[2..]);
    for s in subs {
        out.extend_from_slice(&s.to_le_bytes());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_read_as_directory_exports_write_it() {
        assert_eq!(base64_decode("SGVsbG8="), Some(b"Hello".to_vec()));
        // Padding optional, lines folded, URL-safe alphabet.
        assert_eq!(base64_decode("SGVsbG8"), Some(b"Hello".to_vec()));
        assert_eq!(base64_decode("SGVs\r\n bG8="), Some(b"Hello".to_vec()));
        assert_eq!(base64_decode("-_8="), Some(vec![0xFB, 0xFF]));
        assert_eq!(base64_decode("+/8="), Some(vec![0xFB, 0xFF]));
        assert_eq!(base64_decode("SGVsbG8=x"), None);
        assert_eq!(base64_decode("S"), None);
        assert_eq!(base64_decode("SGV*"), None);
        // One alphabet or the other, never both; whitespace with either.
        assert_eq!(base64_decode("-/8="), None);
        assert_eq!(base64_decode("+_8="), None);
        assert_eq!(base64_decode("-_\n8="), Some(vec![0xFB, 0xFF]));
        assert_eq!(base64_decode(" +/8= "), Some(vec![0xFB, 0xFF]));
        assert_eq!(base64_decode(""), Some(Vec::new()));
        assert_eq!(base64_encode(b"Hello"), "SGVsbG8=");
    }

    #[test]
    fn hex_in_either_case() {
        assert_eq!(hex_decode(" 0aFf "), Some(vec![0x0A, 0xFF]));
        assert_eq!(hex_decode("0aF"), None);
        assert_eq!(hex_decode("zz"), None);
        assert_eq!(hex_upper(&[0x0A, 0xFF]), "0AFF");
        assert_eq!(
            guid_format(&guid_parse("{6F9619FF-8B86-D011-B42D-00C04FC964FF}").unwrap()).unwrap(),
            "6f9619ff-8b86-d011-b42d-00c04fc964ff"
        );
    }

    #[test]
    fn sids_are_written_in_decimal_and_read_back() {
        for text in [
            "S-1-5-21-3623811015-3361044348-30300820-1013",
            "S-1-0-0",
            "S-1-5-18",
            "S-255-281474976710655-4294967295-0-10",
        ] {
            let bytes = sid_parse(text).unwrap();
            assert_eq!(sid_format(&bytes).as_deref(), Some(text));
        }
        // A sub-authority count that does not match the length is not a SID.
        assert_eq!(sid_format(&[1, 2, 0, 0, 0, 0, 0, 5, 1, 0, 0, 0]), None);
        assert_eq!(sid_format(&[1, 0, 0]), None);
    }
}
