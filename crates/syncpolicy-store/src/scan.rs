//! A minimal JSON span scanner for cutting the settings writer's output into rows in one
//! pass: the end of every object and array is found first, objects and arrays are then read
//! as lists of byte ranges of their members (skipping a nested value is a lookup), and values
//! are compacted (whitespace outside strings removed) only when a row body is made from them.

use memchr::memchr2;

/// A byte range `start..end` of the scanned text.
pub(crate) type Span = (usize, usize);

/// Why the text could not be scanned: the byte offset and what was expected there.
#[derive(Debug)]
pub(crate) struct ScanError {
    pub(crate) at: usize,
    pub(crate) expected: &'static str,
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "expected {} at byte {}", self.expected, self.at)
    }
}

type Scan<T> = std::result::Result<T, ScanError>;

fn fail<T>(at: usize, expected: &'static str) -> Scan<T> {
    Err(ScanError { at, expected })
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// The first non-whitespace offset at or after `i`.
pub(crate) fn ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    i
}

/// `i` is at an opening quote; returns the offset after the closing quote.
fn skip_string(b: &[u8], i: usize) -> Scan<usize> {
    let mut j = i + 1;
    loop {
        match memchr2(b'"', b'\\', &b[j.min(b.len())..]) {
            Some(p) if b[j + p] == b'\\' => j += p + 2,
            Some(p) => return Ok(j + p + 1),
            None => return fail(i, "a closing quote"),
        }
    }
}

/// A JSON text with the end of every object and array found in one pass, so that skipping a
/// nested value costs a lookup instead of a scan.
pub(crate) struct Doc<'t> {
    pub(crate) text: &'t str,
    /// Offsets of `{` and `[`, ascending (empty for [`Doc::pretty`]).
    opens: Vec<usize>,
    /// For each entry of `opens`, the offset after its matching `}` or `]`.
    closes: Vec<usize>,
    /// The text is the settings writer's pretty output: see [`Doc::pretty`].
    pretty: bool,
    /// Values whose place the writer recorded (ascending, not overlapping): skipping one, or
    /// an array made of them, is a lookup ([`Doc::pretty_known`]).
    known: &'t [std::ops::Range<usize>],
}

impl<'t> Doc<'t> {
    /// Indexes `text`; fails when brackets or strings do not balance.
    pub(crate) fn new(text: &'t str) -> Scan<Doc<'t>> {
        let b = text.as_bytes();
        let mut opens = Vec::with_capacity(b.len() / 64);
        let mut closes = Vec::with_capacity(b.len() / 64);
        let mut stack: Vec<usize> = Vec::with_capacity(16);
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'"' => {
                    // Most strings are short: a byte loop beats a vectorised search here.
                    let start = i;
                    i += 1;
                    loop {
                        match b.get(i) {
                            Some(b'"') => break,
                            Some(b'\\') => i += 2,
                            Some(_) => i += 1,
                            None => return fail(start, "a closing quote"),
                        }
                    }
                }
                b'{' | b'[' => {
                    stack.push(opens.len());
                    opens.push(i);
                    closes.push(0);
                }
                c @ (b'}' | b']') => {
                    let Some(k) = stack.pop() else {
                        return fail(i, "no closing bracket here");
                    };
                    let open = b[opens[k]];
                    if (open == b'{') != (c == b'}') {
                        return fail(i, "the other kind of closing bracket");
                    }
                    closes[k] = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        if let Some(k) = stack.pop() {
            return fail(opens[k], "a closing bracket for this one");
        }
        Ok(Doc {
            text,
            opens,
            closes,
            pretty: false,
            known: &[],
        })
    }

    /// A text written by `syncpolicy_json::write_settings`, which nothing needs to index: the
    /// writer puts the closing bracket of a non-empty container on a line of its own, indented
    /// like the line that opened it, and a newline byte never occurs inside a string (it is
    /// written `\n`). So a container ends at the first "newline, same indentation, closing
    /// bracket" after it, found with a vectorised search instead of reading what is inside.
    pub(crate) fn pretty(text: &'t str) -> Doc<'t> {
        Doc {
            text,
            opens: Vec::new(),
            closes: Vec::new(),
            pretty: true,
            known: &[],
        }
    }

    /// [`Doc::pretty`], also given the places of values the writer recorded while writing
    /// `text` (each rule: `syncpolicy_json::write_settings_placed`), ascending: such a value,
    /// and an array whose elements are all such values, is skipped without reading it.
    pub(crate) fn pretty_known(text: &'t str, known: &'t [std::ops::Range<usize>]) -> Doc<'t> {
        Doc {
            known,
            ..Doc::pretty(text)
        }
    }

    /// The end of the recorded value starting at `i`.
    fn known_end(&self, i: usize) -> Option<usize> {
        let k = self.known.partition_point(|r| r.start < i);
        self.known.get(k).filter(|r| r.start == i).map(|r| r.end)
    }

    /// The end of the array at `i` when all its elements are recorded values.
    fn known_array_end(&self, i: usize) -> Option<usize> {
        let b = self.bytes();
        let mut j = ws(b, i + 1);
        loop {
            j = ws(b, self.known_end(j)?);
            match b.get(j) {
                Some(b',') => j = ws(b, j + 1),
                Some(b']') => return Some(j + 1),
                _ => return None,
            }
        }
    }

    /// The offset after the container opening at `i`, in a pretty text.
    fn pretty_end(&self, i: usize) -> Scan<usize> {
        let b = self.bytes();
        let close = if b[i] == b'{' { b'}' } else { b']' };
        if b.get(i + 1) == Some(&close) {
            return Ok(i + 2);
        }
        let line = memchr::memrchr(b'\n', &b[..i]).map_or(0, |n| n + 1);
        let indent = b[line..i].iter().take_while(|&&c| c == b' ').count();
        let mut needle = Vec::with_capacity(indent + 2);
        needle.push(b'\n');
        needle.resize(indent + 1, b' ');
        needle.push(close);
        match memchr::memmem::find(&b[i..], &needle) {
            Some(p) => Ok(i + p + needle.len()),
            None => fail(i, "a closing bracket on its own line"),
        }
    }

    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    /// `i` is at the first byte of a value; returns the offset after it.
    fn skip_value(&self, i: usize) -> Scan<usize> {
        let b = self.bytes();
        match b.get(i) {
            Some(b'"') => skip_string(b, i),
            Some(b'{') if self.pretty => match self.known_end(i) {
                Some(end) => Ok(end),
                None => self.pretty_end(i),
            },
            Some(b'[') if self.pretty => match self.known_array_end(i) {
                Some(end) => Ok(end),
                None => self.pretty_end(i),
            },
            Some(b'{' | b'[') => match self.opens.binary_search(&i) {
                Ok(k) => Ok(self.closes[k]),
                Err(_) => fail(i, "an indexed container"),
            },
            Some(_) => {
                let mut j = i;
                while j < b.len() && !is_ws(b[j]) && !matches!(b[j], b',' | b'}' | b']') {
                    j += 1;
                }
                if j == i {
                    fail(i, "a value")
                } else {
                    Ok(j)
                }
            }
            None => fail(i, "a value"),
        }
    }

    /// The members of the object starting at `i` (key span with quotes, value span).
    pub(crate) fn object(&self, i: usize) -> Scan<Vec<(Span, Span)>> {
        let b = self.bytes();
        let mut i = ws(b, i);
        if b.get(i) != Some(&b'{') {
            return fail(i, "an object");
        }
        let mut out = Vec::new();
        i = ws(b, i + 1);
        if b.get(i) == Some(&b'}') {
            return Ok(out);
        }
        loop {
            if b.get(i) != Some(&b'"') {
                return fail(i, "a key");
            }
            let key_end = skip_string(b, i)?;
            let colon = ws(b, key_end);
            if b.get(colon) != Some(&b':') {
                return fail(colon, "a colon");
            }
            let v = ws(b, colon + 1);
            let v_end = self.skip_value(v)?;
            out.push(((i, key_end), (v, v_end)));
            i = ws(b, v_end);
            match b.get(i) {
                Some(b',') => i = ws(b, i + 1),
                Some(b'}') => return Ok(out),
                _ => return fail(i, "a comma or the end of an object"),
            }
        }
    }

    /// The elements of the array starting at `i`.
    pub(crate) fn array(&self, i: usize) -> Scan<Vec<Span>> {
        let b = self.bytes();
        let mut i = ws(b, i);
        if b.get(i) != Some(&b'[') {
            return fail(i, "an array");
        }
        let mut out = Vec::new();
        i = ws(b, i + 1);
        if b.get(i) == Some(&b']') {
            return Ok(out);
        }
        loop {
            let end = self.skip_value(i)?;
            out.push((i, end));
            i = ws(b, end);
            match b.get(i) {
                Some(b',') => i = ws(b, i + 1),
                Some(b']') => return Ok(out),
                _ => return fail(i, "a comma or the end of an array"),
            }
        }
    }
}

/// Appends `text` without whitespace outside strings. Works on bytes: the characters that
/// matter (`"`, `\\`, whitespace) are ASCII and never part of a multi-byte UTF-8 sequence.
pub(crate) fn compact_into(text: &str, out: &mut String) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut bytes = Vec::with_capacity(b.len());
    while i < b.len() {
        let (plain_end, quote) = match memchr::memchr(b'"', &b[i..]) {
            Some(p) => (i + p, true),
            None => (b.len(), false),
        };
        bytes.extend(b[i..plain_end].iter().copied().filter(|&c| !is_ws(c)));
        if !quote {
            break;
        }
        // An unterminated string (not valid JSON) is kept as it is.
        let end = skip_string(b, plain_end).unwrap_or(b.len());
        bytes.extend_from_slice(&b[plain_end..end]);
        i = end;
    }
    // Only ASCII whitespace outside strings was removed, so the bytes are still UTF-8.
    match String::from_utf8(bytes) {
        Ok(s) if out.is_empty() => *out = s,
        Ok(s) => out.push_str(&s),
        Err(e) => out.push_str(&String::from_utf8_lossy(e.as_bytes())),
    }
}

/// `text` without whitespace outside strings.
pub(crate) fn compact(text: &str) -> String {
    let mut s = String::new();
    compact_into(text, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacts_around_strings_with_escapes() {
        assert_eq!(
            compact("{ \"a b\" : [ 1, \"x \\\" y\", \"\\\\\" ] }"),
            "{\"a b\":[1,\"x \\\" y\",\"\\\\\"]}"
        );
    }

    #[test]
    fn scans_members_and_elements() {
        let text = r#" { "a" : [1, {"b]": "}"}, "x"] , "c": null, "d": {"e": [[]]} } "#;
        let doc = Doc::new(text).unwrap();
        let members = doc.object(0).unwrap();
        let got: Vec<(&str, &str)> = members
            .iter()
            .map(|(k, v)| (&text[k.0..k.1], &text[v.0..v.1]))
            .collect();
        assert_eq!(
            got,
            vec![
                ("\"a\"", "[1, {\"b]\": \"}\"}, \"x\"]"),
                ("\"c\"", "null"),
                ("\"d\"", "{\"e\": [[]]}"),
            ]
        );
        let items: Vec<&str> = doc
            .array(members[0].1 .0)
            .unwrap()
            .iter()
            .map(|s| &text[s.0..s.1])
            .collect();
        assert_eq!(items, vec!["1", "{\"b]\": \"}\"}", "\"x\""]);
    }

    #[test]
    fn pretty_skips_like_the_index() {
        for (name, config) in syncpolicy_samples::samples::all() {
            let bytes = syncpolicy_json::write_settings(&config);
            let text = std::str::from_utf8(&bytes).unwrap();
            let (indexed, pretty) = (Doc::new(text).unwrap(), Doc::pretty(text));
            for (k, &open) in indexed.opens.iter().enumerate() {
                assert_eq!(
                    pretty.skip_value(open).unwrap(),
                    indexed.closes[k],
                    "{name} at byte {open}"
                );
            }
        }
    }

    #[test]
    fn refuses_broken_text() {
        let err = |t: &str| match Doc::new(t) {
            Ok(doc) => doc.object(0).err().map(|e| e.expected),
            Err(e) => Some(e.expected),
        };
        assert_eq!(err("{\"a\" 1}"), Some("a colon"));
        assert_eq!(err("{\"a\": \"x}"), Some("a closing quote"));
        assert_eq!(err("[]"), Some("an object"));
        assert_eq!(
            err("{\"a\": [1}"),
            Some("the other kind of closing bracket")
        );
        assert_eq!(err("{\"a\": [1]"), Some("a closing bracket for this one"));
        assert_eq!(err("{}}"), Some("no closing bracket here"));
    }
}
