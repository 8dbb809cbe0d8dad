//! The nesting limit of settings and rule files: arrays and objects nest at most
//! [`MAX_DEPTH`] levels. Known settings never come near it; only content the reader does not
//! know (kept as is) can, so the reader measures the depth of such values while it compacts
//! them, and only when one comes close to the limit does [`first_too_deep`] scan the whole text
//! to decide exactly and to name the place. Nothing here recurses: the scan keeps its own stack,
//! which never grows past the limit.

/// Most levels arrays and objects may nest in a settings or rule file, counting the top-level
/// value as level 1 (see `docs/settings-format.md`).
pub const MAX_DEPTH: usize = 128;

/// Levels of the deepest object the settings schema itself has, plus a margin: an unknown value
/// no deeper than `MAX_DEPTH - SCHEMA_DEPTH` levels is within the limit wherever it appears.
pub(crate) const SCHEMA_DEPTH: usize = 16;

/// One open array or object of the scan, and where in it the scan is.
enum Frame {
    /// An object; the byte range of the current key's text (without quotes), once seen.
    Object { key: Option<(usize, usize)> },
    /// An array; the index of the current element.
    Array { index: usize },
}

/// Byte offset of the first `[` or `{` that opens level `limit + 1`, and the JSON path of the
/// value it starts (`a.b[3][0]`). `None` when the text nests no deeper than `limit`. The text
/// need not be valid JSON; the scan minds strings and brackets only.
pub(crate) fn first_too_deep(text: &str, limit: usize) -> Option<(usize, String)> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i = string_end(bytes, start);
                if expect_key {
                    if let Some(Frame::Object { key }) = stack.last_mut() {
                        *key = Some((start, i.saturating_sub(1).max(start)));
                    }
                    expect_key = false;
                }
                continue;
            }
            b @ (b'{' | b'[') => {
                if stack.len() >= limit {
                    return Some((i, path(text, &stack)));
                }
                stack.push(if b == b'{' {
                    expect_key = true;
                    Frame::Object { key: None }
                } else {
                    Frame::Array { index: 0 }
                });
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { key }) => {
                    *key = None;
                    expect_key = true;
                }
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    None
}

/// Offset just past the closing quote of the string whose text starts at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The JSON path of the value the innermost frame is at.
fn path(text: &str, stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some((s, e)) } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(text.get(*s..*e).unwrap_or("?"));
            }
            Frame::Object { key: None } => {}
            Frame::Array { index } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_bracket_past_the_limit_and_its_path() {
        let text = r#"{"a": {"b": [1, [[["x"]]]]}, "c": "[[[[["}"#;
        // Levels: { 1, {"b" 2, [ 3, [ 4, [ 5, [ 6.
        assert_eq!(first_too_deep(text, 6), None);
        let (offset, path) = first_too_deep(text, 5).expect("too deep");
        assert_eq!(&text[offset..offset + 4], "[\"x\"");
        assert_eq!(path, "a.b[1][0][0]");
        let (offset, path) = first_too_deep(text, 1).expect("too deep");
        assert_eq!(offset, text.find("{\"b\"").expect("present"));
        assert_eq!(path, "a");
    }

    #[test]
    fn brackets_in_strings_and_keys_do_not_count() {
        let text = r#"{"[[[": "]]]{{{", "k\"[": [{"x": 1}, {"y": [2]}]}"#;
        assert_eq!(first_too_deep(text, 4), None);
        let (_, path) = first_too_deep(text, 3).expect("too deep");
        assert_eq!(path, "k\\\"[[1].y");
    }

    #[test]
    fn a_hundred_thousand_levels_take_no_stack() {
        let text = "[".repeat(100_000);
        let (offset, path) = first_too_deep(&text, MAX_DEPTH).expect("too deep");
        assert_eq!(offset, MAX_DEPTH);
        assert_eq!(path, "[0]".repeat(MAX_DEPTH));
    }
}
