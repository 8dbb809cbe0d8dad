//! Re-formatting of preserved raw JSON values: compacting on read, pretty-printing at the
//! right indent on write, without changing a character of any string or number.

/// Removes insignificant white space from valid JSON text, unless its arrays and objects nest
/// more than `max_depth` levels (then `None`, having stopped there). One pass over the bytes:
/// every byte that matters is ASCII, so multi-byte characters are copied as they are.
pub(crate) fn compact_within(raw: &str, max_depth: usize) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' => {
                let end = string_end(bytes, i);
                out.extend_from_slice(&bytes[i..end]);
                i = end;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > max_depth {
                    return None;
                }
                out.push(b);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                out.push(b);
            }
            b' ' | b'\n' | b'\r' | b'\t' => {}
            _ => out.push(b),
        }
        i += 1;
    }
    // Only ASCII white space was left out, between whole characters.
    Some(
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// Removes insignificant white space from valid JSON text.
pub(crate) fn compact(raw: &str) -> String {
    compact_within(raw, usize::MAX).unwrap_or_else(|| raw.to_owned())
}

/// The index just past the string literal that starts with the `"` at `start` (the end of
/// the text when it is not closed).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Writes compact JSON text pretty-printed the way the settings writer prints: two spaces per
/// level starting at `indent`, `"key": value`, empty containers as `{}` and `[]`.
pub(crate) fn write_pretty(raw: &str, indent: usize, out: &mut Vec<u8>) {
    let bytes = raw.as_bytes();
    let mut level = indent;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' => {
                let end = string_end(bytes, i);
                out.extend_from_slice(&bytes[i..end]);
                i = end;
                continue;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                if bytes.get(i + 1) == Some(&close) {
                    out.push(b);
                    out.push(close);
                    i += 2;
                    continue;
                }
                out.push(b);
                level += 1;
                newline(out, level);
            }
            b'}' | b']' => {
                level = level.saturating_sub(1);
                newline(out, level);
                out.push(b);
            }
            b',' => {
                out.push(b',');
                newline(out, level);
            }
            b':' => out.extend_from_slice(b": "),
            b' ' | b'\n' | b'\r' | b'\t' => {}
            _ => out.push(b),
        }
        i += 1;
    }
}

fn newline(out: &mut Vec<u8>, level: usize) {
    out.push(b'\n');
    for _ in 0..level {
        out.extend_from_slice(b"  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacts_and_pretty_prints_without_touching_strings() {
        let raw = "{ \"a\" : [1, 2.50000000000000000001, \"x , y\\\" :\"], \"b\": {}, \"c\": [] }";
        let c = compact(raw);
        assert_eq!(compact_within(raw, 2).as_deref(), Some(c.as_str()));
        assert_eq!(compact_within(raw, 1), None);
        assert_eq!(
            compact_within("\"é [\" , [ [] ]", 2).as_deref(),
            Some("\"é [\",[[]]")
        );
        assert_eq!(
            c,
            "{\"a\":[1,2.50000000000000000001,\"x , y\\\" :\"],\"b\":{},\"c\":[]}"
        );
        let mut out = Vec::new();
        write_pretty(&c, 1, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n    \"a\": [\n      1,\n      2.50000000000000000001,\n      \"x , y\\\" :\"\n    ],\n    \"b\": {},\n    \"c\": []\n  }"
        );
    }
}
