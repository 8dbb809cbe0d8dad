//! The one escaping of text from files for the terminal: control characters (ESC, BEL, CR,
//! LF, TAB, DEL, the C1 range) become visible escapes (`\u{1b}`, `\u{7}`, `\r`, `\n`, `\t`),
//! as `history` prints change summaries, so that no value can retitle the terminal, clear the
//! screen or forge an output line. Text without control characters is returned unchanged.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `s` with every control character escaped.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push(&mut o, c);
    }
    Cow::Owned(o)
}

/// Pushes one character, escaped when it is a control character.
fn push(o: &mut String, c: char) {
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
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => o.push('\n'),
            '\r' if chars.peek() == Some(&'\n') => {}
            c => push(&mut o, c),
        }
    }
    Cow::Owned(o)
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
