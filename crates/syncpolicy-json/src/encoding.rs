//! Text decoding of settings files: UTF-8 with or without BOM, UTF-16 LE/BE with BOM (what
//! Windows PowerShell writes), and UTF-16 without BOM when the NUL pattern makes it certain.

use std::borrow::Cow;

/// The encoding a file was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

/// Why bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub encoding: TextEncoding,
    /// Byte offset of the first bad sequence in the file.
    pub offset: usize,
    pub message: String,
}

/// Decodes a settings file's bytes into text, borrowing when the file is UTF-8 already.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest, TextEncoding::Utf8Bom, 3)
            .map(|s| (Cow::Borrowed(s), TextEncoding::Utf8Bom));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, false, 2).map(|s| (Cow::Owned(s), TextEncoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, true, 2).map(|s| (Cow::Owned(s), TextEncoding::Utf16Be));
    }
    // UTF-16 without BOM: an ASCII character followed (LE) or preceded (BE) by NUL.
    if bytes.len() >= 4 && bytes.len() % 2 == 0 {
        if bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0 {
            return utf16(bytes, false, 0).map(|s| (Cow::Owned(s), TextEncoding::Utf16Le));
        }
        if bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0 {
            return utf16(bytes, true, 0).map(|s| (Cow::Owned(s), TextEncoding::Utf16Be));
        }
    }
    utf8(bytes, TextEncoding::Utf8, 0).map(|s| (Cow::Borrowed(s), TextEncoding::Utf8))
}

/// Decodes a settings file's bytes into owned text without copying them when they are UTF-8
/// (the common case: one validation pass, and the byte-order mark, if any, removed in place).
/// The same result as [`decode`].
pub fn decode_owned(bytes: Vec<u8>) -> Result<(String, TextEncoding), DecodeError> {
    let utf16_bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let utf16_nul = bytes.len() >= 4
        && bytes.len() % 2 == 0
        && ((bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0)
            || (bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0));
    let utf8_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    if (utf16_bom || utf16_nul) && !utf8_bom {
        return decode(&bytes).map(|(text, encoding)| (text.into_owned(), encoding));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) if utf8_bom => {
            text.drain(..3);
            Ok((text, TextEncoding::Utf8Bom))
        }
        Ok(text) => Ok((text, TextEncoding::Utf8)),
        Err(e) => {
            let encoding = if utf8_bom {
                TextEncoding::Utf8Bom
            } else {
                TextEncoding::Utf8
            };
            // The offset counts the byte-order mark, as `decode` does.
            Err(DecodeError {
                encoding,
                offset: e.utf8_error().valid_up_to(),
                message: "the file is not valid UTF-8 (nor UTF-16 with a byte-order mark)"
                    .to_owned(),
            })
        }
    }
}

fn utf8(bytes: &[u8], encoding: TextEncoding, skipped: usize) -> Result<&str, DecodeError> {
    std::str::from_utf8(bytes).map_err(|e| DecodeError {
        encoding,
        offset: skipped + e.valid_up_to(),
        message: "the file is not valid UTF-8 (nor UTF-16 with a byte-order mark)".to_owned(),
    })
}

fn utf16(bytes: &[u8], big_endian: bool, skipped: usize) -> Result<String, DecodeError> {
    let encoding = if big_endian {
        TextEncoding::Utf16Be
    } else {
        TextEncoding::Utf16Le
    };
    if bytes.len() % 2 != 0 {
        return Err(DecodeError {
            encoding,
            offset: skipped + bytes.len() - 1,
            message: "the UTF-16 file has an odd number of bytes (it is cut short)".to_owned(),
        });
    }
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, ch) in char::decode_utf16(units).enumerate() {
        match ch {
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(DecodeError {
                    encoding,
                    offset: skipped + i * 2,
                    message: "the UTF-16 file has an unpaired surrogate".to_owned(),
                })
            }
        }
    }
    Ok(out)
}

/// Line and column (1-based; the column counts characters) of a byte offset in text.
pub fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_supported_encoding() {
        let text = "{\"a\": \"é\"}";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        for (bytes, enc) in [
            (text.as_bytes().to_vec(), TextEncoding::Utf8),
            (bom, TextEncoding::Utf8Bom),
            (le.clone(), TextEncoding::Utf16Le),
            (be, TextEncoding::Utf16Be),
            (le[2..].to_vec(), TextEncoding::Utf16Le),
        ] {
            let (s, e) = decode(&bytes).unwrap();
            assert_eq!(s, text);
            assert_eq!(e, enc);
            assert_eq!(decode_owned(bytes).unwrap(), (text.to_owned(), enc));
        }
    }

    #[test]
    fn owned_decoding_reports_the_same_errors() {
        for bytes in [
            &b"{\"a\": \xff}"[..],
            &b"\xEF\xBB\xBF{\xc3}"[..],
            &[0xFF, 0xFE, 0x41][..],
            &[0x41, 0x00, 0x00, 0xD8][..],
        ] {
            assert_eq!(
                decode_owned(bytes.to_vec()).unwrap_err(),
                decode(bytes).unwrap_err()
            );
        }
    }

    #[test]
    fn reports_bad_bytes_with_offset() {
        let err = decode(b"{\"a\": \xff}").unwrap_err();
        assert_eq!(err.offset, 6);
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 0), (1, 1));
    }
}
