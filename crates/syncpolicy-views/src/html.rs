//! What every HTML page shares: the one stylesheet, the page frame (header, sticky filter bar,
//! main part) built with `maud` templates (checked at compile time, every value escaped by
//! construction), and the small script that reports script errors into the page itself.

use maud::{html, Markup, PreEscaped};

/// The one stylesheet of every page (report and diff).
pub const STYLESHEET: &str = r#"
:root { --add: #e6ffec; --add-strong: #abf2bc; --del: #ffebe9; --del-strong: #ff9492; --mod: #fff8c5; --line: #d0d7de; --muted: #57606a; --accent: #0969da; --warn: #9a6700; --bad: #cf222e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #fff; }
header, main, form.filters, nav.toc { padding: 0 24px; }
header { padding-top: 16px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 24px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
details.section > summary h2 { display: inline; border: 0; }
details.section { margin: 16px 0; border-bottom: 1px solid var(--line); padding-bottom: 8px; }
h3 { font-size: 14px; margin: 0; padding: 8px 12px; background: #f6f8fa; border-bottom: 1px solid var(--line); font-family: ui-monospace, monospace; word-break: break-word; }
summary { cursor: pointer; }
summary h3, summary h4 { display: inline; }
h4 { font-size: 14px; margin: 0; }
.sides code, code { background: #f6f8fa; padding: 1px 4px; border-radius: 4px; font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.summary { font-weight: 600; }
.notes { color: var(--warn); }
form.filters { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding-top: 8px; padding-bottom: 8px; display: flex; flex-wrap: wrap; gap: 16px; align-items: center; z-index: 1; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; margin: 0; }
legend { color: var(--muted); font-size: 12px; }
label { margin-right: 10px; white-space: nowrap; }
input[type=search] { font: inherit; padding: 2px 6px; border: 1px solid var(--line); border-radius: 6px; }
button { font: inherit; background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; cursor: pointer; }
#shown-count { color: var(--muted); }
nav.toc { border-bottom: 1px solid var(--line); padding-top: 8px; padding-bottom: 8px; }
nav.toc ul { margin: 0; padding-left: 18px; columns: 2; }
nav.toc ul ul { columns: 1; }
article.item, details.rule, details.group, details.mv { border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; overflow: hidden; }
details.rule > summary, details.group > summary, details.mv > summary { padding: 6px 12px; background: #f6f8fa; }
details.rule[open] > summary, details.group[open] > summary, details.mv[open] > summary { border-bottom: 1px solid var(--line); }
.body { padding: 6px 12px; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.auto { table-layout: auto; }
th, td { text-align: left; vertical-align: top; padding: 6px 12px; border-top: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; width: 7em; }
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
.badge.custom { border-color: var(--accent); color: var(--accent); }
.badge.disabled { border-color: var(--warn); color: var(--warn); }
.badge.accepted { border-color: var(--accent); color: var(--accent); }
.badge.modified, .badge.error { border-color: var(--bad); color: var(--bad); }
.badge.warning { border-color: var(--warn); color: var(--warn); }
ul.details { margin: 6px 0 0; padding-left: 18px; font: 12px/1.5 ui-monospace, monospace; }
ul.tree { margin: 2px 0; padding-left: 18px; list-style: none; }
ul.tree li::before { content: "└ "; color: var(--muted); }
.include { color: #1a7f37; font-weight: 600; } .exclude { color: var(--bad); font-weight: 600; }
.empty { color: var(--muted); font-style: italic; padding: 16px 0; }
a.doc-link { font: 12px system-ui, sans-serif; margin-left: 8px; }
[hidden] { display: none !important; }
@media print {
  form.filters, nav.toc { display: none; }
  body { font-size: 10pt; }
  article.item, details.rule { break-inside: avoid; page-break-inside: avoid; }
  details > ul.details { display: block; }
  h2 { break-after: avoid; }
  tr.added td.new, tr.removed td.old, tr.modified td, tr.renamed td, tr.moved td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Reports script errors into the page itself, so that a headless browser's DOM dump shows them.
pub const ERROR_HOOK: &str = r#"
window.addEventListener('error', function (e) {
  var p = document.getElementById('js-errors');
  var text = 'js error: ' + e.message + ' at ' + e.lineno + ':' + e.colno;
  if (p) { p.hidden = false; p.textContent += text + '\n'; }
  document.documentElement.setAttribute('data-js-error', text);
});
"#;

/// A whole page: the stylesheet, the error hook, `header` (which gets the script-error box),
/// what `body` writes, and the page's own `script` at the end. Every part is a template; the
/// frame's fixed tags are written around them so that a large body goes into one buffer.
/// Control characters from the data are shown as escapes ([`crate::escape::in_page`]).
pub fn page(title: &str, header: Markup, body: impl FnOnce(&mut String), script: &str) -> String {
    let mut out = String::with_capacity(64 * 1024);
    frame_head(&mut out, title, header);
    body(&mut out);
    frame_tail(&mut out, script);
    crate::escape::in_page(&mut out, 0);
    out
}

/// The frame of [`page`] around a body written in between: the page up to the end of
/// `header`, and the page's script and end (for a large page written as it is rendered; its
/// writer passes the body through [`crate::escape::in_page`] as [`page`] does).
pub fn page_frame(title: &str, header: Markup, script: &str) -> (String, String) {
    let mut head = String::with_capacity(16 * 1024);
    frame_head(&mut head, title, header);
    crate::escape::in_page(&mut head, 0);
    let mut tail = String::with_capacity(script.len() + 64);
    frame_tail(&mut tail, script);
    (head, tail)
}

/// The page up to the end of `header`.
fn frame_head(out: &mut String, title: &str, header: Markup) {
    out.push_str("<!DOCTYPE html><html lang=\"en\"><head>");
    let head = html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        title { (title) }
        script { (PreEscaped(ERROR_HOOK)) }
        style { (PreEscaped(STYLESHEET)) }
    };
    out.push_str(&head.0);
    out.push_str("</head><body data-ready=\"0\">");
    let header = html! {
        header {
            (header)
            pre #js-errors hidden {}
        }
    };
    out.push_str(&header.0);
}

/// The page's script and end.
fn frame_tail(out: &mut String, script: &str) {
    out.push_str(&html! { script { (PreEscaped(script)) } }.0);
    out.push_str("</body></html>\n");
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_frame_is_what_one_template_would_write() {
        let page = super::page(
            "a <b>",
            maud::html! { h1 { "x" } },
            |o| o.push_str("<main></main>"),
            "1;",
        );
        let whole = maud::html! {
            (maud::DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { "a <b>" }
                    script { (maud::PreEscaped(super::ERROR_HOOK)) }
                    style { (maud::PreEscaped(super::STYLESHEET)) }
                }
                body data-ready="0" {
                    header { h1 { "x" } pre #js-errors hidden {} }
                    main {}
                    script { "1;" }
                }
            }
        };
        assert_eq!(page, whole.into_string() + "\n");
        let (head, tail) = super::page_frame("a <b>", maud::html! { h1 { "x" } }, "1;");
        assert_eq!(head + "<main></main>" + &tail, page);
    }

    /// A page's data may hold control characters (a value from a file): they are shown as
    /// escapes in the title, the header and the body alike.
    #[test]
    fn a_page_shows_control_characters_as_escapes() {
        let page = super::page(
            "t\u{1b}[2J",
            maud::html! { h1 { "h\r" } },
            |out| out.push_str("<p>b\u{7}</p>"),
            "1;",
        );
        assert!(page.contains("t\\u{1b}[2J") && page.contains("h\\r") && page.contains("b\\u{7}"));
        assert!(!page
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'));
        let (head, _) = super::page_frame("t\u{1b}", maud::html! { h1 { "h" } }, "1;");
        assert!(head.contains("t\\u{1b}") && !head.contains('\u{1b}'));
    }
}
