//! The one escaping of text from files for the terminal: control characters (ESC, BEL, CR,
//! LF, TAB, DEL, the C1 range) become visible escapes (`\u{1b}`, `\u{7}`, `\r`, `\n`, `\t`),
//! as `history` prints change summaries, so that no value can retitle the terminal, clear the
//! screen or forge an output line. Text without control characters is returned unchanged.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `s` with every control character escaped.
pub fn text(s: &str) -> Cow<'_, str> {
    let Some(first) = first_control(s.as_bytes(), Keep::Nothing) else {
        return Cow::Borrowed(s);
    };
    let mut o = String::with_capacity(s.len() + 8);
    o.push_str(&s[..first]);
    for c in s[first..].chars() {
        push(&mut o, c);
    }
    Cow::Owned(o)
}

/// Pushes one character, escaped when it is a control character.
pub(crate) fn push(o: &mut String, c: char) {
    match c {
        '\n' => o.push_str("\\n"),
        '\r' => o.push_str("\\r"),
        '\t' => o.push_str("\\t"),
        c if c.is_control() => {
            let _ = write!(o, "\\u{{{:x}}}", c as u32);
        }
        c => o.push(c),
    }
}

/// `s` with every control character escaped except line breaks (LF, and CR LF kept as LF),
/// for values that are split into lines afterwards.
pub fn keep_lines(s: &str) -> Cow<'_, str> {
    let Some(first) = first_control(s.as_bytes(), Keep::Lf) else {
        return Cow::Borrowed(s);
    };
    let mut o = String::with_capacity(s.len() + 8);
    o.push_str(&s[..first]);
    let mut chars = s[first..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => o.push('\n'),
            '\r' if chars.peek() == Some(&'\n') => {}
            c => push(&mut o, c),
        }
    }
    Cow::Owned(o)
}

/// Escapes, in `out[from..]` (a part of a page being written), every control character but
/// line feeds and tabs, as [`text`] does: a value from a file can hold ESC or CR, which a page
/// must not carry raw (it may be printed on a terminal, and HTML allows neither in text). The
/// page's own line breaks and indentation stay. Text without such characters is left as it
/// is, after one scan of its bytes.
pub fn in_page(out: &mut String, from: usize) {
    let Some(first) = first_control(&out.as_bytes()[from..], Keep::LfAndTab) else {
        return;
    };
    let start = from + first;
    let tail = out.split_off(start);
    for c in tail.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c => push(out, c),
        }
    }
}

/// The control characters a scan passes over ([`first_control`]).
#[derive(Clone, Copy, PartialEq)]
enum Keep {
    Nothing,
    Lf,
    LfAndTab,
}

/// Where the first control character (but those `keep` names) starts in `bytes` (UTF-8): C0
/// controls, DEL, and the C1 range (U+0080 to U+009F: 0xC2 then 0x80 to 0x9F; other
/// characters after 0xC2, such as `·`, are text), the characters `char::is_control` names.
/// Blocks of bytes are first tested without branching (the compiler makes it vector code):
/// text almost never holds one.
fn first_control(bytes: &[u8], keep: Keep) -> Option<usize> {
    let lf = keep != Keep::Nothing;
    let tab = keep == Keep::LfAndTab;
    const BLOCK: usize = 32;
    let maybe = |b: u8| {
        ((b < 0x20) & !(lf & (b == b'\n')) & !(tab & (b == b'\t'))) | (b == 0x7f) | (b == 0xc2)
    };
    let exact = |i: usize| match bytes[i] {
        b'\n' if lf => false,
        b'\t' if tab => false,
        b if b < 0x20 || b == 0x7f => true,
        0xc2 => bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b)),
        _ => false,
    };
    let mut at = 0;
    for block in bytes.chunks(BLOCK) {
        if block.iter().fold(false, |hit, &b| hit | maybe(b)) {
            if let Some(i) = (at..at + block.len()).find(|&i| exact(i)) {
                return Some(i);
            }
        }
        at += block.len();
    }
    None
}

/// The lines of a multi-line value (split on LF, a CR before it dropped, as [`str::lines`]),
/// each escaped: for values shown on lines of their own.
pub fn lines(s: &str) -> impl Iterator<Item = Cow<'_, str>> {
    s.lines().map(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_part_keeps_its_lines_and_tabs_and_shows_other_controls() {
        let mut out = String::from("head\u{1b}");
        in_page(&mut out, 5);
        assert_eq!(out, "head\u{1b}", "only the part from `from` is looked at");
        out.push_str("<h4>a\u{1b}[31m\rb\u{85}c\u{7f}</h4>\n\tü é\n");
        in_page(&mut out, 5);
        assert_eq!(
            out,
            "head\u{1b}<h4>a\\u{1b}[31m\\rb\\u{85}c\\u{7f}</h4>\n\tü é\n"
        );
        let mut clean = String::from("<p>Ärger — ok</p>\n");
        in_page(&mut clean, 0);
        assert_eq!(clean, "<p>Ärger — ok</p>\n");
    }

    /// The byte test never misses a control character, and finds the first one where it is:
    /// every character from U+0000 to U+02FF, alone, between other text, and past a block of
    /// the scan.
    #[test]
    fn the_byte_test_finds_every_control_character() {
        for c in (0..=0x2ffu32).filter_map(char::from_u32) {
            let long = format!("{}·{c}x", "x".repeat(40));
            for s in [c.to_string(), format!("ab{c}é"), format!("·{c}"), long] {
                for keep in [Keep::Nothing, Keep::Lf, Keep::LfAndTab] {
                    let kept = |c: char| {
                        (keep != Keep::Nothing && c == '\n')
                            || (keep == Keep::LfAndTab && c == '\t')
                    };
                    let first = s
                        .char_indices()
                        .find(|(_, c)| c.is_control() && !kept(*c))
                        .map(|(i, _)| i);
                    assert_eq!(first_control(s.as_bytes(), keep), first, "{s:?}");
                }
            }
        }
        assert!(matches!(text("·ok ü"), Cow::Borrowed(_)));
        assert!(matches!(keep_lines("a\nb"), Cow::Borrowed(_)));
        assert_eq!(text("a\u{85}b"), "a\\u{85}b");
    }

    #[test]
    fn plain_text_is_borrowed_and_unchanged() {
        assert!(matches!(text("In from AD - User Join"), Cow::Borrowed(_)));
        assert_eq!(text("Ünïcode \\0ACNF: \"q\""), "Ünïcode \\0ACNF: \"q\"");
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(
            text("a\u{1b}]0;owned\u{7}b\r\nc\td\u{7f}\u{9b}"),
            "a\\u{1b}]0;owned\\u{7}b\\r\\nc\\td\\u{7f}\\u{9b}"
        );
        assert!(!text("\u{1b}[2J").contains('\u{1b}'));
    }

    #[test]
    fn keep_lines_escapes_all_but_line_breaks() {
        assert_eq!(keep_lines("a\r\nb\u{7}\nc\rd"), "a\nb\\u{7}\nc\\rd");
        assert!(matches!(keep_lines("a\nb"), Cow::Borrowed(_)));
    }

    #[test]
    fn lines_split_then_escape() {
        let got: Vec<_> = lines("one\r\ntwo\u{1b}\nthree").collect();
        assert_eq!(got, ["one", "two\\u{1b}", "three"]);
    }
}
