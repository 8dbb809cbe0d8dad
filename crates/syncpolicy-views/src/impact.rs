//! The `impact` report: the view model of comparing two configurations over the same objects
//! and its renderers (text, JSON `syncpolicy-impact/1`, Markdown, HTML), with `--redact`.

use crate::redact::{printable, Redactor};
use serde_json::Value as Json;
use std::fmt::Write as _;
use syncpolicy_expr::value::Value;
use syncpolicy_sync::impact::{Action, AttributeChange, Impact};

/// Version of the JSON document.
pub const SCHEMA: &str = crate::schema::IMPACT;

/// Everything the report shows.
pub struct ImpactView<'a> {
    pub old: String,
    pub new: String,
    pub impact: &'a Impact,
    pub objects: usize,
    pub bad_objects: usize,
    pub redactor: Redactor,
}

fn value_text(r: &mut Redactor, name: &str, v: &Option<Value>) -> String {
    match v {
        None => "(none)".to_owned(),
        Some(v) => r.display(name, v),
    }
}

fn counts(i: &Impact) -> (usize, usize, usize) {
    (
        i.count(Action::Add),
        i.count(Action::Delete),
        i.count(Action::Update),
    )
}

/// Adds, deletes and updates.
#[derive(serde::Serialize)]
pub struct ActionCounts {
    add: usize,
    delete: usize,
    update: usize,
}

#[derive(serde::Serialize)]
struct RunJson<'a> {
    directory: &'a str,
    run: &'a str,
    why: &'a str,
}

/// The summary of the JSON document.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryJson<'a> {
    objects: usize,
    bad_objects: usize,
    entra: ActionCounts,
    by_type: std::collections::BTreeMap<&'a str, ActionCounts>,
    deletion_threshold: Option<u64>,
    exceeds_threshold: bool,
    threshold_message: Option<String>,
    runs: Vec<RunJson<'a>>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct AttributeJson<'a> {
    name: &'a str,
    old: Option<Json>,
    new: Option<Json>,
    old_rules: &'a [String],
    new_rules: &'a [String],
}

/// One Entra object's change in the JSON document.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeJson<'a> {
    directory: &'a str,
    dn: String,
    object_type: &'a str,
    action: &'a str,
    reason: Option<String>,
    attributes: Vec<AttributeJson<'a>>,
}

/// The JSON document: identity (schema, the two sides), the summary, then the changes; keys
/// in this order.
#[derive(serde::Serialize)]
pub struct ImpactDoc<'a> {
    schema: &'static str,
    old: &'a str,
    new: &'a str,
    summary: SummaryJson<'a>,
    changes: Vec<ChangeJson<'a>>,
}

/// The JSON document.
pub fn render_json<'a>(view: &'a mut ImpactView<'_>) -> ImpactDoc<'a> {
    let i: &'a Impact = view.impact;
    let (add, delete, update) = counts(i);
    let r = &mut view.redactor;
    let changes: Vec<ChangeJson<'a>> = i
        .changes
        .iter()
        .map(|c| ChangeJson {
            directory: &c.directory,
            dn: r.dn(&c.dn),
            object_type: &c.object_type,
            action: c.action.as_str(),
            reason: c.reason.as_ref().map(|t| r.text(t)),
            attributes: c
                .attributes
                .iter()
                .map(|a| AttributeJson {
                    name: &a.name,
                    old: a.old.as_ref().map(|v| r.value(&a.name, v)),
                    new: a.new.as_ref().map(|v| r.value(&a.name, v)),
                    old_rules: &a.old_rules,
                    new_rules: &a.new_rules,
                })
                .collect(),
        })
        .collect();
    ImpactDoc {
        schema: SCHEMA,
        old: &view.old,
        new: &view.new,
        summary: SummaryJson {
            objects: view.objects,
            bad_objects: view.bad_objects,
            entra: ActionCounts {
                add,
                delete,
                update,
            },
            by_type: i
                .by_type
                .iter()
                .map(|(t, [a, d, u])| {
                    (
                        t.as_str(),
                        ActionCounts {
                            add: *a,
                            delete: *d,
                            update: *u,
                        },
                    )
                })
                .collect(),
            deletion_threshold: i.deletion_threshold,
            exceeds_threshold: i.exceeds_threshold(),
            threshold_message: i.threshold_message(),
            runs: i
                .runs
                .iter()
                .map(|x| RunJson {
                    directory: &x.directory,
                    run: x.run,
                    why: &x.why,
                })
                .collect(),
        },
        changes,
    }
}

fn summary_lines(view: &ImpactView<'_>) -> Vec<String> {
    let i = view.impact;
    let (add, delete, update) = counts(i);
    let mut lines = vec![format!(
        "Impact of {} -> {} over {}: {add} to add, {delete} to delete, {update} to update in Entra ID",
        view.old,
        view.new,
        syncpolicy_model::words::count(view.objects, "object", "objects")
    )];
    for (t, [a, d, u]) in &i.by_type {
        lines.push(format!("  {t}: {a} add, {d} delete, {u} update"));
    }
    match (i.threshold_message(), i.deletion_threshold) {
        (Some(m), _) => lines.push(format!("Deletion threshold: {m}")),
        (None, Some(t)) => lines.push(format!(
            "Deletion threshold: {delete} deletions, within the threshold of {t}"
        )),
        (None, None) => lines.push("Deletion threshold: not set in NEW".to_owned()),
    }
    if i.runs.is_empty() {
        lines.push("Runs needed: none".to_owned());
    } else {
        lines.push("Runs needed:".to_owned());
        for r in &i.runs {
            lines.push(format!("  {}: {} ({})", r.directory, r.run, r.why));
        }
    }
    if view.bad_objects > 0 {
        lines.push(format!("Objects not read: {}", view.bad_objects));
    }
    lines
}

fn rules(a: &AttributeChange) -> String {
    let old = a.old_rules.join(", ");
    let new = a.new_rules.join(", ");
    match (old.is_empty(), new.is_empty()) {
        (true, true) => String::new(),
        _ if old == new => format!(" [{new}]"),
        (true, false) => format!(" [{new}]"),
        (false, true) => format!(" [was {old}]"),
        (false, false) => format!(" [{old} -> {new}]"),
    }
}

/// The text report: summary first, then per object the changes.
pub fn render_text(view: &mut ImpactView<'_>) -> String {
    let mut t = String::new();
    for l in summary_lines(view) {
        let _ = writeln!(t, "{}", printable(&l));
    }
    let i = view.impact;
    if !i.changes.is_empty() {
        t.push('\n');
    }
    let r = &mut view.redactor;
    for c in &i.changes {
        let sign = match c.action {
            Action::Add => "+",
            Action::Delete => "-",
            Action::Update => "~",
        };
        let _ = writeln!(
            t,
            "{sign} {} {} ({})",
            c.object_type,
            printable(&r.dn(&c.dn)),
            printable(&c.directory)
        );
        if let Some(why) = &c.reason {
            let _ = writeln!(t, "    because: {}", printable(&r.text(why)));
        }
        if c.action == Action::Update {
            for a in &c.attributes {
                let old = value_text(r, &a.name, &a.old);
                let new = value_text(r, &a.name, &a.new);
                let _ = writeln!(
                    t,
                    "    {}: {} -> {}{}",
                    a.name,
                    printable(&old),
                    printable(&new),
                    printable(&rules(a))
                );
            }
        }
    }
    t
}

fn md_escape(s: &str) -> String {
    printable(s).replace('|', "\\|").replace('`', "'")
}

/// Markdown, for pull requests and tickets.
pub fn render_markdown(view: &mut ImpactView<'_>) -> String {
    let mut t = String::from("# Impact\n\n");
    for l in summary_lines(view) {
        let _ = writeln!(t, "{}  ", md_escape(&l));
    }
    let i = view.impact;
    if !i.changes.is_empty() {
        t.push_str("\n| Action | Type | Object | Directory | Changes |\n|---|---|---|---|---|\n");
    }
    let r = &mut view.redactor;
    for c in &i.changes {
        let detail: Vec<String> = match c.action {
            Action::Update => c
                .attributes
                .iter()
                .map(|a| {
                    let old = value_text(r, &a.name, &a.old);
                    let new = value_text(r, &a.name, &a.new);
                    format!("{}: {} -> {}{}", a.name, old, new, rules(a))
                })
                .collect(),
            _ => c.reason.iter().map(|w| r.text(w)).collect(),
        };
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {} |",
            c.action.as_str(),
            md_escape(&c.object_type),
            md_escape(&r.dn(&c.dn)),
            md_escape(&c.directory),
            md_escape(&detail.join("; ")).replace('\n', " ")
        );
    }
    t
}

fn html_escape(s: &str) -> String {
    printable(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One self-contained HTML page.
pub fn render_html(view: &mut ImpactView<'_>) -> String {
    let mut t = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Impact</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}.add{color:#060}.delete{color:#a00}.update{color:#850}</style></head><body>\n<h1>Impact</h1>\n");
    for l in summary_lines(view) {
        let _ = writeln!(t, "<p>{}</p>", html_escape(&l));
    }
    let i = view.impact;
    let r = &mut view.redactor;
    if !i.changes.is_empty() {
        t.push_str("<table><tr><th>Action</th><th>Type</th><th>Object</th><th>Directory</th><th>Changes</th></tr>\n");
        for c in &i.changes {
            let detail: Vec<String> = match c.action {
                Action::Update => c
                    .attributes
                    .iter()
                    .map(|a| {
                        let old = value_text(r, &a.name, &a.old);
                        let new = value_text(r, &a.name, &a.new);
                        html_escape(&format!("{}: {} -> {}{}", a.name, old, new, rules(a)))
                    })
                    .collect(),
                _ => c.reason.iter().map(|w| html_escape(&r.text(w))).collect(),
            };
            let _ = writeln!(
                t,
                "<tr class=\"{0}\"><td>{0}</td><td>{1}</td><td>{2}</td><td>{3}</td><td>{4}</td></tr>",
                c.action.as_str(),
                html_escape(&c.object_type),
                html_escape(&r.dn(&c.dn)),
                html_escape(&c.directory),
                detail.join("<br>")
            );
        }
        t.push_str("</table>\n");
    }
    t.push_str("</body></html>\n");
    t
}
