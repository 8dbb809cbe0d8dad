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
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
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

/// Line starts of one file, computed once for every file an excerpt is shown from.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    /// The text of a 1-based line, without its line break.
    fn line(&self, n: u32) -> Option<&'a str> {
        let start = *self.starts.get((n as usize).checked_sub(1)?)?;
        let rest = self.text.get(start..)?;
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
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

/// [`render_text`] written to `w` as it is rendered: many findings are rendered in parts on
/// the machine's cores (each part into its own buffer, written in order), over line tables
/// built once per file, so that the whole text is never held at once.
pub fn write_text(
    w: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    sources: &HashMap<String, String>,
    color: bool,
) -> std::io::Result<()> {
    let paint = Paint { color };
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
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let mut buffers: Vec<String> = vec![String::new(); threads];
    for (b, batch) in diags.chunks(threads * PART).enumerate() {
        let first = b * threads * PART;
        if threads == 1 || batch.len() <= PART {
            let out = &mut buffers[0];
            out.clear();
            render_part(out, batch, first, &files, &paint);
            w.write_all(out.as_bytes())?;
            continue;
        }
        std::thread::scope(|s| {
            for (k, (chunk, out)) in batch.chunks(PART).zip(buffers.iter_mut()).enumerate() {
                let (files, paint) = (&files, &paint);
                s.spawn(move || {
                    out.clear();
                    render_part(out, chunk, first + k * PART, files, paint);
                });
            }
        });
        for out in buffers.iter().take(batch.len().div_ceil(PART)) {
            w.write_all(out.as_bytes())?;
        }
    }
    Ok(())
}

/// Findings each core renders at a time in [`write_text`].
const PART: usize = 2_048;

/// Bytes of text one finding usually takes (header, place, excerpt, help), to reserve.
const ESTIMATE: usize = 512;

fn locations(d: &Diagnostic) -> impl Iterator<Item = &Location> {
    std::iter::once(&d.location).chain(d.labels.iter().map(|l| &l.location))
}

/// Renders `diags` (the first of which is the `first`-th of all) into `out`.
fn render_part(
    out: &mut String,
    diags: &[Diagnostic],
    first: usize,
    files: &HashMap<&str, Lines<'_>>,
    paint: &Paint,
) {
    for (i, d) in diags.iter().enumerate() {
        if first + i > 0 {
            out.push('\n');
        }
        let sev = Paint::severity_style(d.severity);
        let _ = writeln!(
            out,
            "{}: {}",
            paint.paint(sev, &format!("{}[{}] {}", d.severity, d.code, d.name)),
            paint.paint(Style::new().effects(Effects::BOLD), &d.message)
        );
        let _ = writeln!(
            out,
            "  {} {}",
            paint.paint(bold(AnsiColor::Blue), "-->"),
            d.location
        );
        excerpt(out, &d.location, files, paint, level_of(d.severity));
        for label in &d.labels {
            let _ = writeln!(
                out,
                "  {}: {}",
                paint.paint(bold(AnsiColor::Blue), "note"),
                label.message
            );
            let _ = writeln!(
                out,
                "  {} {}",
                paint.paint(bold(AnsiColor::Blue), "-->"),
                label.location
            );
            excerpt(out, &label.location, files, paint, Level::NOTE);
        }
        if let Some(help) = &d.help {
            let _ = writeln!(
                out,
                "  {}: {help}",
                paint.paint(bold(AnsiColor::Green), "help")
            );
        }
    }
}
