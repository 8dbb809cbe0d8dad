//! Terminal text: for each diagnostic a header (`error[SP010] duplicate-custom-precedence:
//! message`), its place (`--> file:line:col at json.path`), a one-line excerpt of the file
//! with the place marked by carets (drawn by `annotate-snippets`, the renderer rustc and ruff
//! use), its labels the same way, and a `help:` line.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Effects, Style};
use std::collections::HashMap;
use std::fmt::Write as _;
use syncpolicy_model::diagnostic::{Diagnostic, Location, Severity};

/// Widest excerpt shown, in characters; longer lines are cut around the marked place.
const MAX_EXCERPT: usize = 100;

struct Paint {
    color: bool,
}

/// Bold in a colour: the palette of the header lines.
fn bold(c: AnsiColor) -> Style {
    c.on_default().effects(Effects::BOLD)
}

impl Paint {
    /// Appends `text` to `out`, in `style` when colours are on.
    fn put(&self, out: &mut String, style: Style, text: std::fmt::Arguments<'_>) {
        if self.color {
            let _ = write!(out, "{}{text}{}", style.render(), style.render_reset());
        } else {
            let _ = out.write_fmt(text);
        }
    }

    fn severity_style(severity: Severity) -> Style {
        match severity {
            Severity::Error => bold(AnsiColor::Red),
            Severity::Warning => bold(AnsiColor::Yellow),
            Severity::Info => bold(AnsiColor::Cyan),
        }
    }
}

/// Where the lines of one file start, computed once for every file an excerpt is shown from:
/// the start of every [`LINES_PER_MARK`]th line (a file of 1.8 million lines keeps 0.9 MB, not
/// the 15 MB of every line's start), from which a line is found by skipping the few line
/// breaks between.
struct Lines<'a> {
    text: &'a str,
    /// The start of lines 1, 1 + [`LINES_PER_MARK`], 1 + 2 × [`LINES_PER_MARK`], ...
    marks: Vec<usize>,
}

/// Lines from one kept line start to the next in [`Lines`].
const LINES_PER_MARK: usize = 16;

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut marks = vec![0];
        marks.extend(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .skip(LINES_PER_MARK - 1)
                .step_by(LINES_PER_MARK)
                .map(|i| i + 1),
        );
        Lines { text, marks }
    }

    /// The text of a 1-based line, without its line break.
    fn line(&self, n: u32) -> Option<&'a str> {
        let index = (n as usize).checked_sub(1)?;
        let bytes = self.text.as_bytes();
        let mut start = *self.marks.get(index / LINES_PER_MARK)?;
        for _ in 0..index % LINES_PER_MARK {
            start += memchr::memchr(b'\n', bytes.get(start..)?)? + 1;
        }
        let rest = self.text.get(start..)?;
        let line = &rest[..memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len())];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// Length in characters of the JSON token that starts at `chars[at]` (a string with its
/// quotes, a number or literal, else one character).
fn token_len(chars: &[char], at: usize) -> usize {
    match chars.get(at) {
        Some('"') => {
            let mut i = at + 1;
            while i < chars.len() {
                match chars[i] {
                    '\\' => i += 2,
                    '"' => return i + 1 - at,
                    _ => i += 1,
                }
            }
            chars.len() - at
        }
        Some(c) if c.is_alphanumeric() || *c == '-' || *c == '_' => chars[at..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
            .count(),
        Some(_) => 1,
        None => 1,
    }
}

/// Writes the excerpt of `loc` (source line and caret line, drawn by `annotate-snippets`),
/// when the file's text is known. Lines longer than [`MAX_EXCERPT`] are cut around the marked
/// place (`…` at a cut), so a one-line file of megabytes prints one short line.
fn excerpt(
    out: &mut String,
    loc: &Location,
    files: &HashMap<&str, Lines<'_>>,
    paint: &Paint,
    level: Level<'static>,
) {
    let (Some(file), Some(line_no)) = (&loc.file, loc.line) else {
        return;
    };
    let Some(line) = files.get(file.as_str()).and_then(|l| l.line(line_no)) else {
        return;
    };
    let col = loc.column.unwrap_or(1).max(1) as usize - 1;
    // Characters after the window are not collected.
    let mut rest = line.chars();
    let chars: Vec<char> = rest
        .by_ref()
        .take(col.saturating_add(MAX_EXCERPT))
        .collect();
    let longer = rest.next().is_some();
    let col = col.min(chars.len());
    let start = if longer || chars.len() > MAX_EXCERPT {
        col.saturating_sub(MAX_EXCERPT / 3)
    } else {
        0
    };
    let end = (start + MAX_EXCERPT).min(chars.len());
    let width = token_len(&chars, col)
        .max(1)
        .min(end.saturating_sub(col).max(1));
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(chars[start..col.max(start)].iter().map(|&c| shown_char(c)));
    let mark_start = shown.len();
    shown.extend(
        chars[col..(col + width).min(end)]
            .iter()
            .map(|&c| shown_char(c)),
    );
    let mark_end = shown.len();
    shown.extend(
        chars[(col + width).min(end)..end]
            .iter()
            .map(|&c| shown_char(c)),
    );
    if longer || end < chars.len() {
        shown.push('…');
    }
    if shown.trim_end().len() >= mark_end {
        shown.truncate(shown.trim_end().len());
    }
    let snippet = Snippet::source(shown.as_str())
        .line_start(line_no as usize)
        .annotation(AnnotationKind::Primary.span(mark_start..mark_end));
    let report = &[Group::with_level(level).element(snippet)];
    let renderer = if paint.color {
        // The palette of the header lines: red errors, yellow warnings, cyan infos, blue notes
        // and gutter, all bold.
        Renderer::styled()
            .error(bold(AnsiColor::Red))
            .warning(bold(AnsiColor::Yellow))
            .info(bold(AnsiColor::Cyan))
            .note(bold(AnsiColor::Blue))
            .line_num(bold(AnsiColor::Blue))
    } else {
        Renderer::plain()
    };
    for l in renderer.render(report).lines() {
        let _ = writeln!(out, " {l}");
    }
}

/// A character as it may be shown: C1 control characters (which `annotate-snippets` leaves as
/// they are; it replaces the C0 ones, DEL and bidirectional overrides) become U+FFFD.
fn shown_char(c: char) -> char {
    if ('\u{80}'..='\u{9f}').contains(&c) {
        '\u{fffd}'
    } else {
        c
    }
}

fn level_of(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// Renders diagnostics as terminal text. `sources` holds the decoded text of files by the
/// name diagnostics use in `location.file`; a diagnostic in a file not in `sources` is shown
/// without excerpt. `color` adds ANSI colours.
pub fn render_text(diags: &[Diagnostic], sources: &HashMap<String, String>, color: bool) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(diags.len().saturating_mul(ESTIMATE));
    // Writing to a Vec cannot fail.
    let _ = write_text(&mut out, diags, sources, color);
    // Only whole `str`s are written, so the bytes are UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`render_text`] written to `w` as it is rendered, a part at a time (the whole text is never
/// held at once). [`TextRenderer`] renders one diagnostic at a time, for a caller that spreads
/// many over the cores.
pub fn write_text(
    w: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    sources: &HashMap<String, String>,
    color: bool,
) -> std::io::Result<()> {
    let renderer = TextRenderer::new(diags, sources, color);
    let mut out = String::new();
    for (i, d) in diags.iter().enumerate() {
        renderer.render(d, i == 0, &mut out);
        if out.len() >= PART_BYTES {
            w.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    w.write_all(out.as_bytes())
}

/// Bytes [`write_text`] renders before writing them.
const PART_BYTES: usize = 256 << 10;

/// Bytes of text one finding usually takes (header, place, excerpt, help), to reserve.
const ESTIMATE: usize = 512;

/// The text of diagnostics one at a time, as [`render_text`] writes them: the line tables of
/// the files the diagnostics quote are built once, and any number of threads may render
/// with one renderer.
pub struct TextRenderer<'a> {
    files: HashMap<&'a str, Lines<'a>>,
    paint: Paint,
}

impl<'a> TextRenderer<'a> {
    /// A renderer of `diags` (their excerpts are taken from `sources`, the files' texts by the
    /// name in `location.file`); `color` adds ANSI colours.
    pub fn new(diags: &[Diagnostic], sources: &'a HashMap<String, String>, color: bool) -> Self {
        let mut files: HashMap<&str, Lines<'_>> = HashMap::new();
        for d in diags {
            for file in locations(d)
                .filter(|l| l.line.is_some())
                .filter_map(|l| l.file.as_deref())
            {
                if !files.contains_key(file) {
                    if let Some((name, text)) = sources.get_key_value(file) {
                        files.insert(name.as_str(), Lines::new(text));
                    }
                }
            }
        }
        TextRenderer {
            files,
            paint: Paint { color },
        }
    }

    /// Appends the text of one diagnostic to `out`; every diagnostic but the `first` of the
    /// list starts with an empty line.
    pub fn render(&self, d: &Diagnostic, first: bool, out: &mut String) {
        let (files, paint) = (&self.files, &self.paint);
        if !first {
            out.push('\n');
        }
        let sev = Paint::severity_style(d.severity);
        paint.put(
            out,
            sev,
            format_args!("{}[{}] {}", d.severity, d.code, d.name),
        );
        out.push_str(": ");
        paint.put(
            out,
            Style::new().effects(Effects::BOLD),
            format_args!("{}", d.message),
        );
        out.push('\n');
        out.push_str("  ");
        paint.put(out, bold(AnsiColor::Blue), format_args!("-->"));
        let _ = writeln!(out, " {}", d.location);
        excerpt(out, &d.location, files, paint, level_of(d.severity));
        for label in &d.labels {
            out.push_str("  ");
            paint.put(out, bold(AnsiColor::Blue), format_args!("note"));
            let _ = writeln!(out, ": {}", label.message);
            out.push_str("  ");
            paint.put(out, bold(AnsiColor::Blue), format_args!("-->"));
            let _ = writeln!(out, " {}", label.location);
            excerpt(out, &label.location, files, paint, Level::NOTE);
        }
        if let Some(help) = &d.help {
            out.push_str("  ");
            paint.put(out, bold(AnsiColor::Green), format_args!("help"));
            let _ = writeln!(out, ": {help}");
        }
    }
}

fn locations(d: &Diagnostic) -> impl Iterator<Item = &Location> {
    std::iter::once(&d.location).chain(d.labels.iter().map(|l| &l.location))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line found from the kept line starts is the line of the text: for texts of fewer
    /// and more lines than a mark spans, with and without a final line break, LF and CRLF,
    /// and lines past the end are none.
    #[test]
    fn lines_are_found_from_the_kept_starts() {
        for count in [0usize, 1, 15, 16, 17, 40, 100] {
            for (end, br) in [("", "\n"), ("\n", "\n"), ("", "\r\n"), ("\r\n", "\r\n")] {
                let lines: Vec<String> = (0..count).map(|i| format!("line {i} é")).collect();
                let text = lines.join(br) + if count > 0 { end } else { "" };
                let table = Lines::new(&text);
                let want: Vec<&str> = text
                    .split('\n')
                    .map(|l| l.strip_suffix('\r').unwrap_or(l))
                    .collect();
                for (i, w) in want.iter().enumerate() {
                    assert_eq!(table.line(i as u32 + 1), Some(*w), "{count} {end:?} {i}");
                }
                assert_eq!(table.line(want.len() as u32 + 1), None);
                assert_eq!(table.line(0), None);
            }
        }
    }
}
