//! Readable layout of a long declarative-provisioning expression: calls whose text is long
//! are broken after the opening parenthesis and after each top-level comma, arguments indented
//! one level per call. String literals and `[attribute]` references are never broken. Short
//! expressions are kept on one line; the text itself is never changed, only whitespace added
//! between tokens.

/// Expressions up to this many characters stay on one line, as do calls of at most this many.
const WIDTH: usize = 72;

/// Calls are broken down to this depth; deeper ones stay on the line of their argument, so
/// that the indentation added stays within a bound of each line (a hostile expression nested
/// 100,000 deep would otherwise grow quadratically). Real expressions nest far less.
const MAX_DEPTH: usize = 24;

/// Longer expressions are shown as they are written: no real one comes near, and laying out a
/// hostile one (a million top-level commas in a broken call) would multiply its size.
const MAX_LAYOUT: usize = 64 * 1024;

/// The expression laid out on several lines when it is long.
///
/// It works on the text's bytes: every character it looks for (quotes, brackets, parentheses,
/// commas, spaces) is ASCII, and no other character's UTF-8 holds an ASCII byte, so the runs
/// inside strings and references are copied whole and lengths are counted in characters only
/// where a text is not ASCII (the reports of large files lay out tens of thousands of
/// expressions; docs/performance.md, perf-report6).
pub fn layout(expr: &str) -> String {
    let expr = expr.trim();
    let bytes = expr.as_bytes();
    if bytes.len() <= WIDTH
        || bytes.len() > MAX_LAYOUT
        || expr.chars().count() <= WIDTH
        || bytes.contains(&b'\n')
    {
        return expr.to_owned();
    }
    // For a text that is not ASCII, the number of characters before each byte (the bytes
    // that start one), so that a call's length in characters is one subtraction.
    let chars_before: Option<Vec<u32>> = (!expr.is_ascii()).then(|| {
        let mut n = 0u32;
        bytes
            .iter()
            .map(|&b| {
                let before = n;
                n += u32::from(b & 0xC0 != 0x80);
                before
            })
            .collect()
    });
    // The length of `bytes[from..to]` in characters.
    let chars_in = |from: usize, to: usize| match &chars_before {
        None => to - from,
        Some(c) => (c[to] - c[from]) as usize,
    };
    let close = matching_parens_bytes(bytes);
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len() * 2);
    // Whether each open call was broken.
    let mut stack: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'"' | b'[' => {
                // The literal or reference up to its end (or the end of the text), whole.
                let end = if c == b'"' { b'"' } else { b']' };
                let stop = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == end)
                    .map_or(bytes.len(), |p| i + 1 + p + 1);
                out.extend_from_slice(&bytes[i..stop]);
                i = stop;
                continue;
            }
            b'(' => {
                let j = close[i] as usize;
                let long = depth < MAX_DEPTH
                    && close[i] != NO_CLOSE
                    && j - i > WIDTH / 2
                    && chars_in(i, j) > WIDTH / 2;
                out.push(c);
                stack.push(long);
                if long {
                    depth += 1;
                    newline_bytes(&mut out, depth);
                    skip_spaces_bytes(bytes, &mut i);
                }
            }
            b')' => {
                if stack.pop() == Some(true) {
                    depth = depth.saturating_sub(1);
                    trim_trailing_bytes(&mut out);
                    newline_bytes(&mut out, depth);
                }
                out.push(c);
            }
            b',' if stack.last() == Some(&true) => {
                trim_trailing_bytes(&mut out);
                out.push(c);
                newline_bytes(&mut out, depth);
                skip_spaces_bytes(bytes, &mut i);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    // The text was cut only before or after ASCII bytes, and only newlines and spaces were
    // added: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The character-by-character layout that [`layout`] replaced, kept as the tests' reference.
#[cfg(test)]
fn layout_chars(expr: &str) -> String {
    if expr.chars().count() <= WIDTH || expr.contains('\n') {
        return expr.to_owned();
    }
    let chars: Vec<char> = expr.chars().collect();
    let close = matching_parens(&chars);
    let mut out = String::with_capacity(expr.len() * 2);
    // Depth of each call that was broken; unbroken calls are `None`.
    let mut stack: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut in_string = false;
    let mut in_attr = false;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            out.push(c);
            if c == '"' {
                in_string = false;
            }
        } else if in_attr {
            out.push(c);
            if c == ']' {
                in_attr = false;
            }
        } else {
            match c {
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                '[' => {
                    in_attr = true;
                    out.push(c);
                }
                '(' => {
                    let long = depth < MAX_DEPTH && close[i].is_some_and(|j| j - i > WIDTH / 2);
                    out.push(c);
                    stack.push(long);
                    if long {
                        depth += 1;
                        newline(&mut out, depth);
                        skip_spaces(&chars, &mut i);
                    }
                }
                ')' => {
                    if stack.pop() == Some(true) {
                        depth = depth.saturating_sub(1);
                        trim_trailing(&mut out);
                        newline(&mut out, depth);
                    }
                    out.push(c);
                }
                ',' if stack.last() == Some(&true) => {
                    trim_trailing(&mut out);
                    out.push(c);
                    newline(&mut out, depth);
                    skip_spaces(&chars, &mut i);
                }
                _ => out.push(c),
            }
        }
        i += 1;
    }
    out
}

/// No matching `)` ([`matching_parens_bytes`]).
const NO_CLOSE: u32 = u32::MAX;

/// For each `(` outside strings and attribute references, the index of its `)`
/// ([`NO_CLOSE`] for none).
fn matching_parens_bytes(bytes: &[u8]) -> Vec<u32> {
    let mut close = vec![NO_CLOSE; bytes.len()];
    let mut open: Vec<usize> = Vec::new();
    let (mut in_string, mut in_attr) = (false, false);
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'"' if !in_attr => in_string = !in_string,
            b'[' if !in_string => in_attr = true,
            b']' if !in_string => in_attr = false,
            b'(' if !in_string && !in_attr => open.push(i),
            b')' if !in_string && !in_attr => {
                if let Some(o) = open.pop() {
                    close[o] = i as u32;
                }
            }
            _ => {}
        }
    }
    close
}

fn newline_bytes(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    for _ in 0..depth {
        out.extend_from_slice(b"    ");
    }
}

fn trim_trailing_bytes(out: &mut Vec<u8>) {
    while out.last() == Some(&b' ') {
        out.pop();
    }
}

/// Moves `i` past the spaces that follow it (the caller's loop then steps once more).
fn skip_spaces_bytes(bytes: &[u8], i: &mut usize) {
    while bytes.get(*i + 1) == Some(&b' ') {
        *i += 1;
    }
}

/// [`matching_parens_bytes`] on characters, for [`layout_chars`].
#[cfg(test)]
fn matching_parens(chars: &[char]) -> Vec<Option<usize>> {
    let mut close = vec![None; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    let (mut in_string, mut in_attr) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '"' if !in_attr => in_string = !in_string,
            '[' if !in_string => in_attr = true,
            ']' if !in_string => in_attr = false,
            '(' if !in_string && !in_attr => open.push(i),
            ')' if !in_string && !in_attr => {
                if let Some(o) = open.pop() {
                    close[o] = Some(i);
                }
            }
            _ => {}
        }
    }
    close
}

#[cfg(test)]
fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("    ");
    }
}

#[cfg(test)]
fn trim_trailing(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

/// [`skip_spaces_bytes`] on characters, for [`layout_chars`].
#[cfg(test)]
fn skip_spaces(chars: &[char], i: &mut usize) {
    while chars.get(*i + 1) == Some(&' ') {
        *i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::layout;

    /// Laid out byte by byte, an expression is what the character by character layout
    /// gives: long and short calls, strings and references with commas, parentheses and
    /// brackets inside, unclosed ones, spaces after breaks, and text that has line breaks.
    #[test]
    fn the_byte_layout_is_the_character_layout() {
        let long = "IIF(IsPresent([userPrincipalName]), [userPrincipalName], IIF(IsPresent([sAMAccountName]), ([sAMAccountName] & \"@\" & %Domain.FQDN%), Error(\"AccountName, is not present\")))";
        let mut cases = vec![
            long.to_owned(),
            "Trim([mail])".to_owned(),
            format!("Join(\",\",   {long},    [a,b(c], \"x)(y\" ,  Left([cn], 3))"),
            format!("{long} & Mid(\"unclosed , ( string"),
            format!("{long} & [unclosed (reference"),
            format!("{long})))) & ((("),
            format!("{long}\n & [x]"),
            format!("Replace({long}, \"\\\"\", \"]\", [q\"uote], {long})"),
            "f(".repeat(40) + &")".repeat(40),
            "a".repeat(73),
            "a".repeat(72),
        ];
        cases.push(
            cases
                .iter()
                .map(|c| format!("g({c}, {c})"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        for c in &cases {
            assert!(c.is_ascii());
            assert_eq!(super::layout(c), super::layout_chars(c), "{c}");
        }
        // Other characters, in literals, references, names and where a call's length in
        // characters and in bytes fall on either side of the limit.
        let accents = format!(
            "IIF(IsPresent([prénom]), \"Ünïcode — ☃ {}\", Left([nom], 3))",
            "é".repeat(30)
        );
        let wide = [
            format!("Join(\"—\", {accents}, {long})"),
            format!("f({}) & {long}", "é".repeat(20)),
            format!("f({}) & {long}", "é".repeat(40)),
            format!("Ünïcode({long}, \"x)(y ☃\", [a,b(c é])"),
            "é".repeat(73),
            "é".repeat(72),
            "é".repeat(40),
        ];
        for c in &wide {
            assert!(!c.is_ascii());
            assert_eq!(super::layout(c), super::layout_chars(c), "{c}");
        }
    }

    #[test]
    fn short_expressions_stay_on_one_line() {
        assert_eq!(layout(" Trim([mail]) "), "Trim([mail])");
    }

    /// Deep nesting and great length stay within bounds: calls deeper than `MAX_DEPTH` are
    /// not broken (so no line is indented further), and an expression longer than
    /// `MAX_LAYOUT` is shown as written.
    #[test]
    fn hostile_nesting_and_length_stay_bounded() {
        for unit in ["f(", "é("] {
            let deep = format!("{}x{}", unit.repeat(5_000), ")".repeat(5_000));
            let got = layout(&deep);
            assert_eq!(got, super::layout_chars(&deep));
            let widest = 4 * super::MAX_DEPTH;
            assert!(got
                .lines()
                .all(|l| l.len() - l.trim_start().len() <= widest));
            assert_eq!(got.lines().count(), 2 * super::MAX_DEPTH + 1);
        }
        let huge = format!("f({})", "[a], ".repeat(super::MAX_LAYOUT / 5 + 1));
        assert!(huge.len() > super::MAX_LAYOUT);
        assert_eq!(layout(&huge), huge);
    }

    #[test]
    fn long_calls_break_at_top_level_commas_only() {
        let e = "IIF(IsPresent([userPrincipalName]), [userPrincipalName], IIF(IsPresent([sAMAccountName]), ([sAMAccountName] & \"@\" & %Domain.FQDN%), Error(\"AccountName, is not present\")))";
        let got = layout(e);
        assert!(got.lines().count() > 3, "{got}");
        assert!(
            got.contains("Error(\"AccountName, is not present\")"),
            "{got}"
        );
        // Only whitespace was added.
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(squash(&got), squash(e));
        assert!(
            got.starts_with("IIF(\n    IsPresent([userPrincipalName]),\n"),
            "{got}"
        );
    }
}
