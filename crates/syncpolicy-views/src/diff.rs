//! The diff views: a report of two configurations' differences as text (the default, and the
//! changes list of `--dry-run`), JSON (schema in docs/diff-format.md), Markdown (pull
//! requests, tickets) and a self-contained HTML page. Text and Markdown escape every value for
//! the terminal; HTML escapes by construction.

use crate::escape::{self, text as e};
use crate::style::Style;
use maud::{html, Markup};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use syncpolicy_diff::words::{word_diff, WordOp};
use syncpolicy_diff::{Area, Change, ChangeKind, Counts, Diff, Filter, Pairing, PairingHow};

/// What every renderer needs.
pub struct Report<'a> {
    /// Label of the old side.
    pub old: &'a str,
    /// Label of the new side.
    pub new: &'a str,
    /// Every change (HTML filters them on the page).
    pub full: &'a Diff,
    /// The changes after `--hide-product` / `--all`.
    pub shown: &'a Diff,
    pub filter: Filter,
    pub show_ids: bool,
    /// Set when the report of the new side is written next to the HTML page.
    pub report_links: Option<ReportLinks<'a>>,
}

/// `3 changes: 1 added, 0 removed, 2 modified, 0 renamed, 0 moved (2 configuration, 1 product); 2 metadata hidden (--all)`.
pub fn summary_line(r: &Report<'_>) -> String {
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
            syncpolicy_model::words::count(c.total, "change", "changes"),
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

pub fn render_text(r: &Report<'_>, st: &Style) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} {} -> {}", st.bold("Comparing"), e(r.old), e(r.new));
    let _ = writeln!(o, "{}", summary_line(r));
    for p in &r.shown.pairings {
        if let Some(note) = pairing_note(p) {
            let _ = writeln!(o, "{} {}", st.yellow("note:"), e(&note));
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
                e(&c.path),
                e(shown_value(&c.old)),
                e(shown_value(&c.new))
            );
        }
    }
    o
}

/// The changes of a diff grouped by area, as the text report lists them (used by `--dry-run`
/// of the change commands too).
pub fn render_changes_text(diff: &Diff, st: &Style) -> String {
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
                let _ = writeln!(
                    o,
                    "  {m} {}: {}{note}",
                    e(&c.path),
                    colour(st, &e(shown_value(v)))
                );
            } else {
                let _ = writeln!(o, "  {m} {}{note}", e(&c.path));
                if let Some(v) = v {
                    for line in escape::lines(v) {
                        let _ = writeln!(o, "      {}", colour(st, &line));
                    }
                }
            }
        }
        _ => {
            if is_short(&c.old) && is_short(&c.new) {
                let _ = writeln!(
                    o,
                    "  {m} {}: {} -> {}{note}",
                    e(&c.path),
                    st.red(&e(shown_value(&c.old))),
                    st.green(&e(shown_value(&c.new)))
                );
            } else {
                let _ = writeln!(o, "  {m} {}{note}", e(&c.path));
                match (&c.old, &c.new) {
                    (Some(a), Some(b)) => {
                        let mut line = String::new();
                        for p in word_diff(a, b) {
                            let text = escape::keep_lines(&p.text);
                            match p.op {
                                WordOp::Same => line.push_str(&text),
                                WordOp::Removed if st.is_plain() => {
                                    let _ = write!(line, "[-{text}-]");
                                }
                                WordOp::Added if st.is_plain() => {
                                    let _ = write!(line, "{{+{text}+}}");
                                }
                                WordOp::Removed => line.push_str(&st.red(&text)),
                                WordOp::Added => line.push_str(&st.green(&text)),
                            }
                        }
                        for l in line.lines() {
                            let _ = writeln!(o, "      {l}");
                        }
                    }
                    (a, b) => {
                        let _ = writeln!(o, "      - {}", e(shown_value(a)));
                        let _ = writeln!(o, "      + {}", e(shown_value(b)));
                    }
                }
            }
        }
    }
    for d in c.details.iter().take(TEXT_DETAILS) {
        let _ = writeln!(o, "      {}", st.dim(&e(d)));
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

// ---------------------------------------------------------------------------------------- json

/// The JSON document (schema `syncpolicy-diff/2`, documented in docs/diff-format.md and
/// docs/json-output.md).
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

pub fn render_json(r: &Report<'_>) -> serde_json::Result<String> {
    let doc = JsonReport {
        schema: crate::schema::DIFF,
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
    let s = e(s);
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

pub fn render_markdown(r: &Report<'_>) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## syncpolicy diff\n");
    let _ = writeln!(o, "{} → {}\n", code(r.old), code(r.new));
    let _ = writeln!(o, "**{}**\n", summary_line(r));
    for p in &r.shown.pairings {
        if let Some(note) = pairing_note(p) {
            let _ = writeln!(o, "> {}\n", e(&note));
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
                    for line in c.old.iter().flat_map(|v| escape::lines(v)) {
                        let _ = writeln!(o, "  - {line}");
                    }
                    for line in c.new.iter().flat_map(|v| escape::lines(v)) {
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

/// Where the documentation report of the new side was written, to link changed rules to it.
#[derive(Debug, Clone, Copy)]
pub struct ReportLinks<'a> {
    /// The report's file name, relative to the diff page.
    pub file: &'a str,
    /// Rule anchors of the report by the rule's JSON path (`document::rule_anchors`).
    pub anchors: &'a HashMap<String, String>,
}

/// The old or new cell of a change: the value, with word-level highlights for modifications.
fn html_cell(c: &Change, new_side: bool) -> Markup {
    let v = if new_side { &c.new } else { &c.old };
    let Some(v) = v else {
        return html! { span.absent { "(not set)" } };
    };
    if let (Some(a), Some(b)) = (&c.old, &c.new) {
        if a.len() + b.len() < 20_000 {
            let parts = word_diff(a, b);
            return html! {
                pre {
                    @for p in &parts {
                        @match (p.op, new_side) {
                            (WordOp::Same, _) => (p.text),
                            (WordOp::Removed, false) => del { (p.text) },
                            (WordOp::Added, true) => ins { (p.text) },
                            _ => {},
                        }
                    }
                }
            };
        }
    }
    html! { pre { (v) } }
}

/// The link of a changed rule to its place in the report of the new side.
fn report_link(links: Option<ReportLinks<'_>>, list: &[&Change]) -> Option<String> {
    let links = links?;
    list.iter()
        .filter(|c| c.area == Area::Rules && c.kind != ChangeKind::Removed)
        .filter_map(|c| c.json_path.as_deref())
        .filter_map(crate::document::rule_path_prefix)
        .find_map(|p| links.anchors.get(p))
        .map(|anchor| format!("{}#{anchor}", links.file))
}

/// The page: summary, filters (class, area, standard rules) and every change by area and item.
pub fn render_html(r: &Report<'_>) -> String {
    let full = r.full;
    let counts = full.counts();
    let notes: Vec<String> = full.pairings.iter().filter_map(pairing_note).collect();
    let areas = by_area(&full.changes);
    let header = html! {
        h1 { "syncpolicy diff" }
        p.sides { "old " code { (r.old) } " → new " code { (r.new) } }
        p.summary { (summary_line(r)) }
        @if let Some(links) = r.report_links {
            p { "Changed rules link to their place in the " a href=(links.file) { "report of the new side" } "." }
        }
        @if !notes.is_empty() {
            ul.notes { @for n in &notes { li { (n) } } }
        }
    };
    let body = html! {
        form.filters #filters {
            fieldset {
                legend { "Class" }
                @for (name, n, on) in [
                    ("configuration", counts.configuration, true),
                    ("product", counts.product, r.filter.product),
                    ("metadata", counts.metadata, r.filter.metadata),
                ] {
                    label { input type="checkbox" data-class=(name) checked[on]; " " (name) " (" (n) ")" }
                }
            }
            fieldset {
                legend { "Area" }
                select #area {
                    option value="" { "all areas" }
                    @for (area, list) in &areas {
                        option value=(area.as_str()) { (area.label()) " (" (list.len()) ")" }
                    }
                }
            }
            label { input type="checkbox" #hide-standard; " hide default (standard) rules" }
            span #shown-count {}
        }
        main {
            p.empty #nothing hidden[!r.shown.is_empty()] { "No differences with these filters." }
            @for (area, changes) in &areas {
                section.area data-area=(area.as_str()) hidden[!changes.iter().any(|c| r.filter.keeps(c.class))] {
                    h2 { (area.label()) }
                    @for (item, list) in by_item(changes) {
                        article.item hidden[!list.iter().any(|c| r.filter.keeps(c.class))] {
                            h3 {
                                (item)
                                @if let Some(href) = report_link(r.report_links, &list) {
                                    a.doc-link href=(href) { "in the report" }
                                }
                            }
                            table {
                                colgroup { col.field; col.side; col.side; }
                                thead { tr { th { "change" } th { "old" } th { "new" } } }
                                tbody {
                                    @for c in &list {
                                        (html_change(c, r.filter))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if r.show_ids && !full.identifiers.is_empty() {
                h2 { "Identifiers (not changes; servers regenerate them)" }
                ul.details {
                    @for c in &full.identifiers {
                        li { (c.path) ": " (shown_value(&c.old)) " → " (shown_value(&c.new)) }
                    }
                }
            }
        }
    };
    crate::html::page(
        &format!("syncpolicy diff: {} -> {}", r.old, r.new),
        header,
        |out| out.push_str(&body.0),
        JS,
    )
}

/// The row of one change (and the row of its details, when it has some).
fn html_change(c: &Change, filter: Filter) -> Markup {
    let field = c.field.as_deref().unwrap_or(match c.kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        _ => "whole item",
    });
    let hidden = !filter.keeps(c.class);
    html! {
        tr class=(format!("change {}", c.kind.as_str())) data-class=(c.class.as_str())
            data-standard=(if c.standard_rule { "1" } else { "0" }) hidden[hidden] {
            td.field {
                span.marker { (c.kind.marker()) }
                (field)
                span.badge { (c.kind.as_str()) }
                @if c.class != syncpolicy_diff::ChangeClass::Configuration {
                    span class=(format!("badge {}", c.class.as_str())) { (c.class.as_str()) }
                }
            }
            td.old { (html_cell(c, false)) }
            td.new { (html_cell(c, true)) }
        }
        @if !c.details.is_empty() {
            tr.details-row hidden[hidden] {
                td colspan="3" {
                    details {
                        summary { (c.details.len()) " entries" }
                        ul.details { @for d in &c.details { li { (d) } } }
                    }
                }
            }
        }
    }
}
