//! `syncpolicy diff`: compare two configurations: what changed, classified, with an exit code
//! for CI. Outputs: text (default), JSON (schema in docs/diff-format.md), Markdown (pull
//! requests, tickets) and a self-contained HTML page.

use crate::context::Context;
use crate::exit;
use crate::output::Style;
use crate::source;
use anyhow::Context as _;
use clap::ValueEnum;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_diff::words::{word_diff, WordOp};
use syncpolicy_diff::{
    Area, Change, ChangeKind, Counts, Diff, DiffOptions, Filter, Pairing, PairingHow,
};

/// Output format of `syncpolicy diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// Readable text: a summary line, then the changes grouped by area.
    Text,
    /// JSON, for scripts and CI (schema: docs/diff-format.md).
    Json,
    /// Markdown, for pull requests and tickets.
    Markdown,
    /// One self-contained HTML page with filters (write it with -o).
    Html,
}

/// Arguments of `syncpolicy diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {
    /// The old side: a settings file, a folder (its newest snapshot), a legacy
    /// Exported-ServerConfiguration-* folder, or a deployment snapshot (@latest, @~N).
    #[arg(value_name = "OLD")]
    pub(crate) old: String,
    /// The new side, any source as for OLD.
    #[arg(value_name = "NEW")]
    pub(crate) new: String,
    /// Pair two on-premises directories whose names differ (another forest, another
    /// tenant): OLD=NEW, each a directory name or identifier. Repeat for more pairs.
    #[arg(long = "map", value_name = "OLD=NEW", value_parser = parse_map)]
    pub(crate) map: Vec<(String, String)>,
    /// Also list identifier (GUID) differences. Servers regenerate identifiers, so these are
    /// never counted as changes.
    #[arg(long)]
    pub(crate) show_ids: bool,
    /// Hide product changes: standard-rule tag version bumps and precedence renumbering
    /// that come with upgrades and connector additions.
    #[arg(long)]
    pub(crate) hide_product: bool,
    /// Show everything, including metadata (time created, author, host, version, database,
    /// service account, digest).
    #[arg(long)]
    pub(crate) all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub(crate) format: DiffFormat,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

pub(crate) fn parse_map(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_owned(), b.trim().to_owned()))
        }
        _ => Err(format!(
            "{text:?} is not OLD=NEW\nhint: name a directory of each side, e.g. --map fabrikam.com=adatum.com"
        )),
    }
}

pub(crate) fn run(args: &DiffArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let old = source::load(&args.old, ctx)
        .with_context(|| format!("cannot read the old side {}", args.old))?;
    let new = source::load(&args.new, ctx)
        .with_context(|| format!("cannot read the new side {}", args.new))?;
    let options = DiffOptions {
        directory_map: args.map.clone(),
        show_ids: args.show_ids,
    };
    syncpolicy_diff::check_options(&old.config, &new.config, &options)?;
    let full = syncpolicy_diff::diff(&old.config, &new.config, &options);
    let filter = Filter {
        product: !args.hide_product,
        metadata: args.all,
    };
    let shown = full.filtered(&filter);
    let report = Report {
        old: &old.label,
        new: &new.label,
        full: &full,
        shown: &shown,
        filter,
        show_ids: args.show_ids,
    };
    let to_file = args.output.is_some();
    let out = match args.format {
        DiffFormat::Text => render_text(&report, &Style::new(ctx.color_stdout && !to_file)),
        DiffFormat::Json => render_json(&report)?,
        DiffFormat::Markdown => render_markdown(&report),
        DiffFormat::Html => render_html(&report),
    };
    match &args.output {
        Some(path) => {
            syncpolicy_files::atomic::write_atomic(path, out.as_bytes()).with_context(|| {
                format!(
                    "cannot write {}\nhint: check that the folder exists and is writable",
                    path.display()
                )
            })?;
            ctx.status(&format!("{} ({})", summary_line(&report), path.display()));
        }
        None => crate::output::print_stdout(&out)?,
    }
    Ok(ExitCode::from(if shown.is_empty() {
        exit::OK
    } else {
        exit::FINDINGS
    }))
}

/// What every renderer needs.
struct Report<'a> {
    old: &'a str,
    new: &'a str,
    /// Every change (HTML filters them on the page).
    full: &'a Diff,
    /// The changes after `--hide-product` / `--all`.
    shown: &'a Diff,
    filter: Filter,
    show_ids: bool,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `3 changes: 1 added, 0 removed, 2 modified, 0 renamed, 0 moved (2 configuration, 1 product); 2 metadata hidden (--all)`.
fn summary_line(r: &Report<'_>) -> String {
    let c = r.shown.counts();
    let mut s = if c.total == 0 {
        "no differences".to_owned()
    } else {
        let mut classes = vec![format!("{} configuration", c.configuration)];
        if c.product > 0 {
            classes.push(format!("{} product", c.product));
        }
        if c.metadata > 0 {
            classes.push(format!("{} metadata", c.metadata));
        }
        format!(
            "{}: {} added, {} removed, {} modified, {} renamed, {} moved ({})",
            plural(c.total, "change", "changes"),
            c.added,
            c.removed,
            c.modified,
            c.renamed,
            c.moved,
            classes.join(", ")
        )
    };
    let h = &r.shown.hidden;
    let mut hidden = Vec::new();
    if h.product > 0 {
        hidden.push(format!(
            "{} product (shown without --hide-product)",
            h.product
        ));
    }
    if h.metadata > 0 {
        hidden.push(format!("{} metadata (shown with --all)", h.metadata));
    }
    if !hidden.is_empty() {
        let _ = write!(s, "; hidden: {}", hidden.join(", "));
    }
    s
}

fn pairing_note(p: &Pairing) -> Option<String> {
    match p.how {
        PairingHow::Proposed => Some(format!(
            "paired directory {} with {} (the only unpaired directory on each side); confirm with --map {}={} or pair differently with --map",
            p.old, p.new, p.old, p.new
        )),
        PairingHow::Mapped if p.old != p.new => Some(format!("paired directory {} with {} (--map)", p.old, p.new)),
        _ => None,
    }
}

/// Changes grouped by area, in area order, keeping the order within an area.
fn by_area(changes: &[Change]) -> Vec<(Area, Vec<&Change>)> {
    let mut out: Vec<(Area, Vec<&Change>)> = Vec::new();
    for c in changes {
        match out.last_mut() {
            Some((a, list)) if *a == c.area => list.push(c),
            _ => out.push((c.area, vec![c])),
        }
    }
    out
}

/// Changes of one area grouped by item, in order of first appearance.
fn by_item<'c>(changes: &[&'c Change]) -> Vec<(&'c str, Vec<&'c Change>)> {
    let mut out: Vec<(&str, Vec<&Change>)> = Vec::new();
    for c in changes {
        match out.iter_mut().find(|(item, _)| *item == c.item) {
            Some((_, list)) => list.push(c),
            None => out.push((&c.item, vec![*c])),
        }
    }
    out
}

/// Values longer than this (or multi-line) are shown on their own lines.
const SHORT: usize = 60;

fn is_short(v: &Option<String>) -> bool {
    v.as_deref()
        .is_none_or(|s| s.chars().count() <= SHORT && !s.contains('\n'))
}

fn shown_value(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("(not set)")
}

// ---------------------------------------------------------------------------------------- text

fn render_text(r: &Report<'_>, st: &Style) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} {} -> {}", st.bold("Comparing"), r.old, r.new);
    let _ = writeln!(o, "{}", summary_line(r));
    for p in &r.shown.pairings {
        if let Some(note) = pairing_note(p) {
            let _ = writeln!(o, "{} {note}", st.yellow("note:"));
        }
    }
    for (area, changes) in by_area(&r.shown.changes) {
        let _ = writeln!(o, "\n{}", st.bold(area.label()));
        for c in changes {
            text_change(&mut o, c, st);
        }
    }
    if r.show_ids {
        let _ = writeln!(
            o,
            "\n{} ({}; servers regenerate them, so they are not changes)",
            st.bold("Identifiers"),
            r.shown.identifiers.len()
        );
        for c in &r.shown.identifiers {
            let _ = writeln!(
                o,
                "  {} {}: {} -> {}",
                st.dim("~"),
                c.path,
                shown_value(&c.old),
                shown_value(&c.new)
            );
        }
    }
    o
}

/// The changes of a diff grouped by area, as the text report lists them (used by `--dry-run`
/// of the change commands too).
pub(crate) fn render_changes_text(diff: &Diff, st: &Style) -> String {
    let mut o = String::new();
    for (area, changes) in by_area(&diff.changes) {
        let _ = writeln!(o, "{}", st.bold(area.label()));
        for c in changes {
            text_change(&mut o, c, st);
        }
    }
    o
}

fn marker(kind: ChangeKind, st: &Style) -> String {
    let m = kind.marker().to_string();
    match kind {
        ChangeKind::Added => st.green(&m),
        ChangeKind::Removed => st.red(&m),
        _ => st.yellow(&m),
    }
}

fn kind_note(c: &Change) -> String {
    let mut notes = Vec::new();
    if matches!(c.kind, ChangeKind::Renamed | ChangeKind::Moved) {
        notes.push(c.kind.as_str());
    }
    if c.class != syncpolicy_diff::ChangeClass::Configuration {
        notes.push(c.class.as_str());
    }
    if notes.is_empty() {
        String::new()
    } else {
        format!(" [{}]", notes.join(", "))
    }
}

/// A colour of [`Style`].
type Paint = fn(&Style, &str) -> String;

fn text_change(o: &mut String, c: &Change, st: &Style) {
    let m = marker(c.kind, st);
    let note = st.dim(&kind_note(c));
    match c.kind {
        ChangeKind::Added | ChangeKind::Removed => {
            let (v, colour): (&Option<String>, Paint) = if c.kind == ChangeKind::Added {
                (&c.new, Style::green)
            } else {
                (&c.old, Style::red)
            };
            if is_short(v) && c.field.is_some() {
                let _ = writeln!(o, "  {m} {}: {}{note}", c.path, colour(st, shown_value(v)));
            } else {
                let _ = writeln!(o, "  {m} {}{note}", c.path);
                if let Some(v) = v {
                    for line in v.lines() {
                        let _ = writeln!(o, "      {}", colour(st, line));
                    }
                }
            }
        }
        _ => {
            if is_short(&c.old) && is_short(&c.new) {
                let _ = writeln!(
                    o,
                    "  {m} {}: {} -> {}{note}",
                    c.path,
                    st.red(shown_value(&c.old)),
                    st.green(shown_value(&c.new))
                );
            } else {
                let _ = writeln!(o, "  {m} {}{note}", c.path);
                match (&c.old, &c.new) {
                    (Some(a), Some(b)) => {
                        let mut line = String::new();
                        for p in word_diff(a, b) {
                            match p.op {
                                WordOp::Same => line.push_str(&p.text),
                                WordOp::Removed if st_is_plain(st) => {
                                    let _ = write!(line, "[-{}-]", p.text);
                                }
                                WordOp::Added if st_is_plain(st) => {
                                    let _ = write!(line, "{{+{}+}}", p.text);
                                }
                                WordOp::Removed => line.push_str(&st.red(&p.text)),
                                WordOp::Added => line.push_str(&st.green(&p.text)),
                            }
                        }
                        for l in line.lines() {
                            let _ = writeln!(o, "      {l}");
                        }
                    }
                    (a, b) => {
                        let _ = writeln!(o, "      - {}", shown_value(a));
                        let _ = writeln!(o, "      + {}", shown_value(b));
                    }
                }
            }
        }
    }
    for d in c.details.iter().take(TEXT_DETAILS) {
        let _ = writeln!(o, "      {}", st.dim(d));
    }
    if c.details.len() > TEXT_DETAILS {
        let more = format!(
            "... and {} more (--format json, markdown or html lists them all)",
            c.details.len() - TEXT_DETAILS
        );
        let _ = writeln!(o, "      {}", st.dim(&more));
    }
}

/// Detail lines shown per change in text output.
const TEXT_DETAILS: usize = 8;

/// True when the style prints no colour (word diffs then use `[-old-]{+new+}` markers).
fn st_is_plain(st: &Style) -> bool {
    st.red("x") == "x"
}

// ---------------------------------------------------------------------------------------- json

/// The JSON document (schema `syncpolicy-diff/1`, documented in docs/diff-format.md).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonReport<'a> {
    schema: &'static str,
    old: &'a str,
    new: &'a str,
    summary: Counts,
    hidden: Counts,
    filters: JsonFilters,
    pairings: &'a [Pairing],
    changes: &'a [Change],
    #[serde(skip_serializing_if = "Option::is_none")]
    identifiers: Option<&'a [Change]>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFilters {
    product: bool,
    metadata: bool,
}

fn render_json(r: &Report<'_>) -> anyhow::Result<String> {
    let doc = JsonReport {
        schema: "syncpolicy-diff/1",
        old: r.old,
        new: r.new,
        summary: r.shown.counts(),
        hidden: r.shown.hidden,
        filters: JsonFilters {
            product: r.filter.product,
            metadata: r.filter.metadata,
        },
        pairings: &r.shown.pairings,
        changes: &r.shown.changes,
        identifiers: r.show_ids.then_some(r.shown.identifiers.as_slice()),
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

// ------------------------------------------------------------------------------------ markdown

/// An inline code span that survives backticks in the value.
fn code(s: &str) -> String {
    let s = s.replace('\n', " ");
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

fn render_markdown(r: &Report<'_>) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## syncpolicy diff\n");
    let _ = writeln!(o, "{} → {}\n", code(r.old), code(r.new));
    let _ = writeln!(o, "**{}**\n", summary_line(r));
    for p in &r.shown.pairings {
        if let Some(note) = pairing_note(p) {
            let _ = writeln!(o, "> {note}\n");
        }
    }
    for (area, changes) in by_area(&r.shown.changes) {
        let _ = writeln!(o, "### {}\n", area.label());
        for c in changes {
            let tag = kind_note(c);
            match (c.kind, is_short(&c.old) && is_short(&c.new)) {
                (ChangeKind::Added, true) if c.field.is_some() => {
                    let _ = writeln!(
                        o,
                        "- **+** {}: {}{tag}",
                        code(&c.path),
                        code(shown_value(&c.new))
                    );
                }
                (ChangeKind::Removed, true) if c.field.is_some() => {
                    let _ = writeln!(
                        o,
                        "- **−** {}: {}{tag}",
                        code(&c.path),
                        code(shown_value(&c.old))
                    );
                }
                (ChangeKind::Modified | ChangeKind::Renamed | ChangeKind::Moved, true) => {
                    let _ = writeln!(
                        o,
                        "- **~** {}: {} → {}{tag}",
                        code(&c.path),
                        code(shown_value(&c.old)),
                        code(shown_value(&c.new))
                    );
                }
                _ => {
                    let _ = writeln!(o, "- **{}** {}{tag}\n", c.kind.marker(), code(&c.path));
                    let fence = if c.old.iter().chain(&c.new).any(|v| v.contains("```")) {
                        "~~~~"
                    } else {
                        "```"
                    };
                    let _ = writeln!(o, "  {fence}diff");
                    for line in c.old.iter().flat_map(|v| v.lines()) {
                        let _ = writeln!(o, "  - {line}");
                    }
                    for line in c.new.iter().flat_map(|v| v.lines()) {
                        let _ = writeln!(o, "  + {line}");
                    }
                    let _ = writeln!(o, "  {fence}");
                }
            }
            if !c.details.is_empty() {
                let _ = writeln!(
                    o,
                    "  <details><summary>{} entries</summary>\n",
                    c.details.len()
                );
                for d in &c.details {
                    let _ = writeln!(o, "  - {}", code(d));
                }
                let _ = writeln!(o, "\n  </details>");
            }
        }
        o.push('\n');
    }
    if r.show_ids && !r.shown.identifiers.is_empty() {
        let _ = writeln!(o, "### Identifiers (not changes)\n");
        for c in &r.shown.identifiers {
            let _ = writeln!(
                o,
                "- {}: {} → {}",
                code(&c.path),
                code(shown_value(&c.old)),
                code(shown_value(&c.new))
            );
        }
        o.push('\n');
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

// ---------------------------------------------------------------------------------------- html

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(ch),
        }
    }
    o
}

const CSS: &str = r#"
:root { --add: #e6ffec; --add-strong: #abf2bc; --del: #ffebe9; --del-strong: #ff9492; --mod: #fff8c5; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #fff; }
header, main, form.filters { padding: 0 24px; }
header { padding-top: 16px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 24px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 0; padding: 8px 12px; background: #f6f8fa; border-bottom: 1px solid var(--line); font-family: ui-monospace, monospace; word-break: break-word; }
.sides code { background: #f6f8fa; padding: 1px 4px; border-radius: 4px; }
.summary { font-weight: 600; }
.notes { color: #9a6700; }
form.filters { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding-top: 8px; padding-bottom: 8px; display: flex; flex-wrap: wrap; gap: 16px; align-items: center; z-index: 1; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; margin: 0; }
legend { color: var(--muted); font-size: 12px; }
label { margin-right: 10px; white-space: nowrap; }
#shown-count { color: var(--muted); }
article.item { border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; overflow: hidden; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: 6px 12px; border-top: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
col.field { width: 24%; } col.side { width: 38%; }
td.field { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-word; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; }
tr.added td.new { background: var(--add); } tr.removed td.old { background: var(--del); }
tr.modified td.old, tr.renamed td.old, tr.moved td.old { background: var(--del); }
tr.modified td.new, tr.renamed td.new, tr.moved td.new { background: var(--add); }
del { background: var(--del-strong); text-decoration: line-through; } ins { background: var(--add-strong); text-decoration: none; }
.absent { color: var(--muted); font-style: italic; }
.marker { font-weight: 700; font-family: ui-monospace, monospace; margin-right: 4px; }
.badge { display: inline-block; font: 11px system-ui, sans-serif; padding: 0 6px; border-radius: 10px; border: 1px solid var(--line); color: var(--muted); margin-left: 4px; }
.badge.product { border-color: #8250df; color: #8250df; } .badge.metadata { border-color: #57606a; }
ul.details { margin: 6px 0 0; padding-left: 18px; font: 12px/1.5 ui-monospace, monospace; }
.empty { color: var(--muted); font-style: italic; padding: 16px 0; }
[hidden] { display: none !important; }
@media print {
  form.filters { display: none; }
  body { font-size: 10pt; }
  article.item { break-inside: avoid; page-break-inside: avoid; }
  details > ul.details { display: block; }
  h2 { break-after: avoid; }
  tr.added td.new, tr.removed td.old, tr.modified td, tr.renamed td, tr.moved td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

const JS: &str = r#"
(function () {
  var form = document.getElementById('filters');
  function apply() {
    var classes = {};
    form.querySelectorAll('input[data-class]').forEach(function (i) { classes[i.getAttribute('data-class')] = i.checked; });
    var area = document.getElementById('area').value;
    var hideStandard = document.getElementById('hide-standard').checked;
    var shown = 0;
    document.querySelectorAll('section.area').forEach(function (section) {
      var sectionVisible = false;
      section.querySelectorAll('article.item').forEach(function (item) {
        var itemVisible = false;
        item.querySelectorAll('tr.change').forEach(function (row) {
          var visible = classes[row.getAttribute('data-class')] === true
            && (area === '' || area === section.getAttribute('data-area'))
            && !(hideStandard && row.getAttribute('data-standard') === '1');
          row.hidden = !visible;
          var next = row.nextElementSibling;
          if (next && next.classList.contains('details-row')) { next.hidden = !visible; }
          if (visible) { itemVisible = true; shown += 1; }
        });
        item.hidden = !itemVisible;
        if (itemVisible) { sectionVisible = true; }
      });
      section.hidden = !sectionVisible;
    });
    document.getElementById('shown-count').textContent = shown + ' of ' + document.querySelectorAll('tr.change').length + ' changes shown';
    document.getElementById('nothing').hidden = shown !== 0;
  }
  form.addEventListener('change', apply);
  apply();
  document.body.setAttribute('data-ready', '1');
})();
"#;

/// Reports script errors into the page itself, so that a headless browser's DOM dump shows them.
const ERROR_HOOK: &str = r#"
window.addEventListener('error', function (e) {
  var p = document.getElementById('js-errors');
  var text = 'js error: ' + e.message + ' at ' + e.lineno + ':' + e.colno;
  if (p) { p.hidden = false; p.textContent += text + '\n'; }
  document.documentElement.setAttribute('data-js-error', text);
});
"#;

/// The old or new cell of a change: the value, with word-level highlights for modifications.
fn html_cell(c: &Change, new_side: bool) -> String {
    let v = if new_side { &c.new } else { &c.old };
    let Some(v) = v else {
        return "<span class=\"absent\">(not set)</span>".to_owned();
    };
    if let (Some(a), Some(b)) = (&c.old, &c.new) {
        if a.len() + b.len() < 20_000 {
            let mut o = String::from("<pre>");
            for p in word_diff(a, b) {
                match (p.op, new_side) {
                    (WordOp::Same, _) => o.push_str(&esc(&p.text)),
                    (WordOp::Removed, false) => {
                        let _ = write!(o, "<del>{}</del>", esc(&p.text));
                    }
                    (WordOp::Added, true) => {
                        let _ = write!(o, "<ins>{}</ins>", esc(&p.text));
                    }
                    _ => {}
                }
            }
            o.push_str("</pre>");
            return o;
        }
    }
    format!("<pre>{}</pre>", esc(v))
}

fn render_html(r: &Report<'_>) -> String {
    let full = r.full;
    let counts = full.counts();
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>syncpolicy diff: {} -> {}</title>\n<script>{ERROR_HOOK}</script>\n<style>{CSS}</style>\n</head>\n<body data-ready=\"0\">\n",
        esc(r.old),
        esc(r.new)
    );
    let _ = writeln!(o, "<header>\n<h1>syncpolicy diff</h1>");
    let _ = writeln!(
        o,
        "<p class=\"sides\">old <code>{}</code> &rarr; new <code>{}</code></p>",
        esc(r.old),
        esc(r.new)
    );
    let _ = writeln!(o, "<p class=\"summary\">{}</p>", esc(&summary_line(r)));
    let notes: Vec<String> = full.pairings.iter().filter_map(pairing_note).collect();
    if !notes.is_empty() {
        let _ = writeln!(o, "<ul class=\"notes\">");
        for n in notes {
            let _ = writeln!(o, "<li>{}</li>", esc(&n));
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "<pre id=\"js-errors\" hidden></pre>\n</header>");

    // Filters: initial state from --hide-product / --all.
    let _ = writeln!(
        o,
        "<form class=\"filters\" id=\"filters\">\n<fieldset><legend>Class</legend>"
    );
    for (name, n, on) in [
        ("configuration", counts.configuration, true),
        ("product", counts.product, r.filter.product),
        ("metadata", counts.metadata, r.filter.metadata),
    ] {
        let _ = writeln!(
            o,
            "<label><input type=\"checkbox\" data-class=\"{name}\"{}> {name} ({n})</label>",
            if on { " checked" } else { "" }
        );
    }
    let _ = writeln!(o, "</fieldset>\n<fieldset><legend>Area</legend><select id=\"area\"><option value=\"\">all areas</option>");
    for (area, list) in by_area(&full.changes) {
        let _ = writeln!(
            o,
            "<option value=\"{}\">{} ({})</option>",
            area.as_str(),
            esc(area.label()),
            list.len()
        );
    }
    let _ = writeln!(
        o,
        "</select></fieldset>\n<label><input type=\"checkbox\" id=\"hide-standard\"> hide default (standard) rules</label>\n<span id=\"shown-count\"></span>\n</form>\n<main>"
    );
    let _ = writeln!(
        o,
        "<p class=\"empty\" id=\"nothing\"{}>No differences with these filters.</p>",
        if r.shown.is_empty() { "" } else { " hidden" }
    );
    for (area, changes) in by_area(&full.changes) {
        let visible_area = changes.iter().any(|c| r.filter.keeps(c.class));
        let _ = writeln!(
            o,
            "<section class=\"area\" data-area=\"{}\"{}>\n<h2>{}</h2>",
            area.as_str(),
            if visible_area { "" } else { " hidden" },
            esc(area.label())
        );
        for (item, list) in by_item(&changes) {
            let visible_item = list.iter().any(|c| r.filter.keeps(c.class));
            let _ = writeln!(
                o,
                "<article class=\"item\"{}>\n<h3>{}</h3>\n<table><colgroup><col class=\"field\"><col class=\"side\"><col class=\"side\"></colgroup>\n<thead><tr><th>change</th><th>old</th><th>new</th></tr></thead><tbody>",
                if visible_item { "" } else { " hidden" },
                esc(item)
            );
            for c in list {
                let field = c.field.as_deref().unwrap_or(match c.kind {
                    ChangeKind::Added => "added",
                    ChangeKind::Removed => "removed",
                    _ => "whole item",
                });
                let _ = write!(
                    o,
                    "<tr class=\"change {kind}\" data-class=\"{class}\" data-standard=\"{std}\"{hidden}><td class=\"field\"><span class=\"marker\">{m}</span>{field}<span class=\"badge\">{kind}</span>",
                    kind = c.kind.as_str(),
                    class = c.class.as_str(),
                    std = if c.standard_rule { "1" } else { "0" },
                    hidden = if r.filter.keeps(c.class) { "" } else { " hidden" },
                    m = c.kind.marker(),
                    field = esc(field),
                );
                if c.class != syncpolicy_diff::ChangeClass::Configuration {
                    let _ = write!(o, "<span class=\"badge {0}\">{0}</span>", c.class.as_str());
                }
                let _ = writeln!(
                    o,
                    "</td><td class=\"old\">{}</td><td class=\"new\">{}</td></tr>",
                    html_cell(c, false),
                    html_cell(c, true)
                );
                if !c.details.is_empty() {
                    let _ = write!(
                        o,
                        "<tr class=\"details-row\"{}><td colspan=\"3\"><details><summary>{} entries</summary><ul class=\"details\">",
                        if r.filter.keeps(c.class) { "" } else { " hidden" },
                        c.details.len()
                    );
                    for d in &c.details {
                        let _ = write!(o, "<li>{}</li>", esc(d));
                    }
                    let _ = writeln!(o, "</ul></details></td></tr>");
                }
            }
            let _ = writeln!(o, "</tbody></table>\n</article>");
        }
        let _ = writeln!(o, "</section>");
    }
    if r.show_ids && !full.identifiers.is_empty() {
        let _ = writeln!(
            o,
            "<h2>Identifiers (not changes; servers regenerate them)</h2>\n<ul class=\"details\">"
        );
        for c in &full.identifiers {
            let _ = writeln!(
                o,
                "<li>{}: {} &rarr; {}</li>",
                esc(&c.path),
                esc(shown_value(&c.old)),
                esc(shown_value(&c.new))
            );
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = write!(o, "</main>\n<script>{JS}</script>\n</body>\n</html>\n");
    o
}
