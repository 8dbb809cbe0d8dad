//! Physical lines of an object file, read with a bounded buffer: UTF-8 (with or without a byte
//! order mark) or UTF-16 (as `ldifde -u` writes, recognised by its byte order mark), line ends
//! LF or CRLF. A line longer than the limit is cut at the limit and flagged; the rest of it is
//! skipped without being stored, so memory stays bounded whatever the input.

use std::io::{self, BufRead};

/// The encoding of the input, from its byte order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

pub(crate) struct Lines<R> {
    input: R,
    encoding: Option<Encoding>,
    /// 1-based number of the line in `buf` (0 before the first).
    pub(crate) number: usize,
    max: usize,
    /// The current line as UTF-8 bytes (UTF-16 input is transcoded), without its line end.
    pub(crate) buf: Vec<u8>,
    /// A UTF-16 high surrogate waiting for its pair.
    high: Option<u16>,
    /// A UTF-16 byte waiting for its pair.
    odd: Option<u8>,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(input: R, max: usize) -> Self {
        Lines {
            input,
            encoding: None,
            number: 0,
            max,
            buf: Vec::new(),
            high: None,
            odd: None,
        }
    }

    /// A reader of UTF-8 lines that starts in the middle of a file (no byte order mark is looked
    /// for), after `number` lines (a fresh reader's settings).
    pub(crate) fn resume_from(mut lines: Self, number: usize) -> Self {
        lines.encoding = Some(Encoding::Utf8);
        lines.number = number;
        lines
    }

    /// Reads the byte order mark, if any (once, before the first line).
    fn start(&mut self) -> io::Result<Encoding> {
        if let Some(e) = self.encoding {
            return Ok(e);
        }
        let head = self.input.fill_buf()?;
        let (encoding, skip) = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            (Encoding::Utf8, 3)
        } else if head.starts_with(&[0xFF, 0xFE]) {
            (Encoding::Utf16Le, 2)
        } else if head.starts_with(&[0xFE, 0xFF]) {
            (Encoding::Utf16Be, 2)
        } else {
            (Encoding::Utf8, 0)
        };
        self.input.consume(skip);
        self.encoding = Some(encoding);
        Ok(encoding)
    }

    /// Reads the next line into `buf`. `Ok(None)` at the end of the input; `Ok(Some(true))` when
    /// the line was longer than the limit (then `buf` holds its first `max` bytes).
    pub(crate) fn next_line(&mut self) -> io::Result<Option<bool>> {
        let encoding = self.start()?;
        self.buf.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let available = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                if self.odd.take().is_some() {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "the file ends in the middle of a UTF-16 character (an odd number of \
                         bytes): it is truncated; export it again",
                    ));
                }
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            match encoding {
                Encoding::Utf8 => {
                    let (take, end) = match memchr::memchr(b'\n', available) {
                        Some(i) => (i, true),
                        None => (available.len(), false),
                    };
                    let room = self.max.saturating_sub(self.buf.len());
                    if take > room {
                        too_long = true;
                    }
                    self.buf.extend_from_slice(&available[..take.min(room)]);
                    self.input.consume(take + usize::from(end));
                    if end {
                        break;
                    }
                }
                Encoding::Utf16Le | Encoding::Utf16Be => {
                    let n = available.len();
                    let mut consumed = 0;
                    let mut end = false;
                    for &byte in available {
                        consumed += 1;
                        let Some(first) = self.odd.take() else {
                            self.odd = Some(byte);
                            continue;
                        };
                        let unit = if encoding == Encoding::Utf16Le {
                            u16::from_le_bytes([first, byte])
                        } else {
                            u16::from_be_bytes([first, byte])
                        };
                        if unit == u16::from(b'\n') {
                            end = true;
                            break;
                        }
                        push_utf16(&mut self.buf, &mut self.high, unit, self.max, &mut too_long);
                    }
                    debug_assert!(consumed <= n);
                    self.input.consume(consumed);
                    if end {
                        break;
                    }
                }
            }
        }
        if let Some(high) = self.high.take() {
            push_char(
                &mut self.buf,
                char::from_u32(u32::from(high)),
                self.max,
                &mut too_long,
            );
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        self.number += 1;
        Ok(Some(too_long))
    }
}

/// Appends one UTF-16 code unit, pairing surrogates; an unpaired surrogate becomes U+FFFD.
fn push_utf16(buf: &mut Vec<u8>, high: &mut Option<u16>, unit: u16, max: usize, long: &mut bool) {
    match (high.take(), unit) {
        (Some(h), 0xDC00..=0xDFFF) => {
            let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
            push_char(buf, char::from_u32(c), max, long);
        }
        (previous, 0xD800..=0xDBFF) => {
            if previous.is_some() {
                push_char(buf, None, max, long);
            }
            *high = Some(unit);
        }
        (previous, _) => {
            if previous.is_some() {
                push_char(buf, None, max, long);
            }
            push_char(buf, char::from_u32(u32::from(unit)), max, long);
        }
    }
}

fn push_char(buf: &mut Vec<u8>, c: Option<char>, max: usize, long: &mut bool) {
    let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
    let mut tmp = [0u8; 4];
    let s = c.encode_utf8(&mut tmp);
    if buf.len() + s.len() > max {
        *long = true;
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}
