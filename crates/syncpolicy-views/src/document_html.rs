//! The documentation report as one self-contained HTML page (`show --format html`): the
//! shared frame and stylesheet of `crate::html`, a table of contents, every section collapsed
//! by default, and client-side filters (hide standard rules, only custom or modified rules,
//! search by attribute name).

use crate::document::{
    metaverse_part_count, rule_badges, Document, FindingDoc, MappingDoc, OuMark, OuNode,
    RenderedFlows, RenderedRules, RuleAnchor, RuleDoc, LEGS_PER_PART,
};
use crate::flows::{AttributeFlows, Leg};
use crate::stream;
use maud::{html, Markup};

/// The page script: filters, the shown count, and opening the sections a link points into.
const SCRIPT: &str = r#"
(function () {
  var hideStandard = document.getElementById('hide-standard');
  var onlyCustom = document.getElementById('only-custom');
  var search = document.getElementById('search');
  function matches(el, q) {
    return q === '' || (el.getAttribute('data-attrs') || '').indexOf(q) >= 0;
  }
  function apply() {
    var q = search.value.trim().toLowerCase();
    var shown = 0, total = 0;
    document.querySelectorAll('details.rule').forEach(function (rule) {
      total += 1;
      var standard = rule.getAttribute('data-standard') === '1';
      var modified = rule.getAttribute('data-modified') === '1';
      var visible = !(hideStandard.checked && standard)
        && !(onlyCustom.checked && standard && !modified)
        && matches(rule, q);
      rule.hidden = !visible;
      var row = document.getElementById('row-' + rule.id);
      if (row) { row.hidden = !visible; }
      if (visible) { shown += 1; }
    });
    document.querySelectorAll('details.group').forEach(function (group) {
      group.hidden = group.querySelector('details.rule:not([hidden])') === null;
    });
    var mvShown = 0;
    document.querySelectorAll('details.mv').forEach(function (mv) {
      var visible = matches(mv, q);
      mv.hidden = !visible;
      if (visible) { mvShown += 1; }
    });
    document.getElementById('shown-count').textContent = shown + ' of ' + total + ' rules shown, ' + mvShown + ' metaverse attributes';
  }
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    while (el) { if (el.tagName === 'DETAILS') { el.open = true; } el = el.parentElement; }
  }
  function setAll(open) {
    document.querySelectorAll('main details').forEach(function (d) { d.open = open; });
  }
  document.getElementById('filters').addEventListener('input', apply);
  document.getElementById('filters').addEventListener('change', apply);
  document.getElementById('filters').addEventListener('submit', function (e) { e.preventDefault(); });
  document.getElementById('expand-all').addEventListener('click', function () { setAll(true); });
  document.getElementById('collapse-all').addEventListener('click', function () { setAll(false); });
  window.addEventListener('hashchange', reveal);
  apply();
  reveal();
  document.body.setAttribute('data-ready', '1');
})();
"#;

/// Text escaped for HTML as maud escapes it (`&`, `<`, `>`, `"`), and its control characters
/// but line feeds and tabs shown as [`crate::escape::in_page`] shows them, in one pass that
/// copies the runs between those characters whole (maud pushes byte by byte): for the large
/// sections, whose parts are then written without another scan for control characters (a
/// part of only such text, numbers, anchors and the templates' own markup holds none).
struct Text<'a>(&'a str);

/// The bytes [`Text`] looks at: the four HTML escapes, the C0 controls but LF and TAB, DEL,
/// and 0xC2 (the first byte of U+0080 to U+009F, the C1 controls, and of other characters).
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b != b'\n' as usize && b != b'\t' as usize;
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[0x7f] = true;
    t[0xc2] = true;
    t
};

impl maud::Render for Text<'_> {
    fn render_to(&self, out: &mut String) {
        let s = self.0;
        let bytes = s.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if !SPECIAL[b as usize] {
                i += 1;
                continue;
            }
            let escaped = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                0xc2 => {
                    // U+0080 to U+009F (0xC2 0x80 to 0xC2 0x9F) are controls; others are text.
                    match bytes.get(i + 1) {
                        Some(&next @ 0x80..=0x9f) => {
                            out.push_str(&s[start..i]);
                            crate::escape::push(out, char::from(next));
                            i += 2;
                            start = i;
                        }
                        _ => i += 1,
                    }
                    continue;
                }
                control => {
                    out.push_str(&s[start..i]);
                    crate::escape::push(out, char::from(control));
                    i += 1;
                    start = i;
                    continue;
                }
            };
            out.push_str(&s[start..i]);
            out.push_str(escaped);
            i += 1;
            start = i;
        }
        out.push_str(&s[start..]);
    }
}

/// The link to a rule (`#` and its anchor), written straight into the page: the anchor holds
/// only ASCII letters, digits and `-`, which escaping leaves as they are.
struct Href(syncpolicy_model::config::RuleLocation);

impl maud::Render for Href {
    fn render_to(&self, out: &mut String) {
        out.push('#');
        RuleAnchor(self.0).push_to(out);
    }
}

/// Lower-cased attribute names a rule writes or reads, for the search filter.
fn rule_attributes(mappings: &[MappingDoc]) -> String {
    let mut names: Vec<String> = Vec::new();
    for m in mappings {
        names.push(m.destination.to_ascii_lowercase());
        if m.flow_type != "Expression" && m.flow_type != "Constant" {
            names.extend(m.body.split(',').map(|s| s.trim().to_ascii_lowercase()));
        }
    }
    names.retain(|n| !n.is_empty());
    names.sort();
    names.dedup();
    spaced(&names)
}

/// The names between spaces, and a space first and last (`" a b "`), in one string.
fn spaced(names: &[String]) -> String {
    let mut o = String::with_capacity(2 + names.iter().map(|n| n.len() + 1).sum::<usize>());
    o.push(' ');
    for n in names {
        o.push_str(n);
        o.push(' ');
    }
    if names.is_empty() {
        o.push(' ');
    }
    o
}

fn flow_attributes(a: &AttributeFlows) -> String {
    let mut names: Vec<String> = a.attribute_names().map(str::to_ascii_lowercase).collect();
    names.sort();
    names.dedup();
    spaced(&names)
}

fn opt(v: &Option<String>) -> Markup {
    match v.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => html! { (s) },
        None => html! { span.absent { "(not set)" } },
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn codes<S: AsRef<str>>(items: &[S]) -> Markup {
    html! {
        @if items.is_empty() { span.absent { "none" } }
        @for (i, s) in items.iter().enumerate() {
            @if i > 0 { ", " }
            code { (Text(s.as_ref())) }
        }
    }
}

fn rows(rows: &[(&str, Markup)]) -> Markup {
    html! {
        table.auto {
            tbody {
                @for (k, v) in rows {
                    tr { th { (k) } td { (v) } }
                }
            }
        }
    }
}

fn tree(nodes: &[OuNode]) -> Markup {
    html! {
        ul.tree {
            @for n in nodes {
                li {
                    code { (n.rdn) }
                    @match n.mark {
                        Some(OuMark::Include) => { " " span.include { "included" } }
                        Some(OuMark::Exclude) => { " " span.exclude { "excluded" } }
                        None => {}
                    }
                    @if !n.children.is_empty() { (tree(&n.children)) }
                }
            }
        }
    }
}

fn badges(r: &RuleDoc) -> Markup {
    html! {
        @for b in rule_badges(r) {
            span class=(badge_class(b)) { (Text(b)) }
        }
    }
}

/// The class of a badge (`badge standard`), without a string of its own for the usual ones.
fn badge_class(b: &str) -> std::borrow::Cow<'static, str> {
    match b {
        "standard" => "badge standard".into(),
        "custom" => "badge custom".into(),
        "disabled" => "badge disabled".into(),
        "modified" => "badge modified".into(),
        b => format!("badge {b}").into(),
    }
}

/// Ends a rule's body and its `details` (after its findings' links).
const CLOSE_RULE: &str = "</div></details>";

/// Appends a rule: [`rule_head`] and [`rule_findings`], then [`CLOSE_RULE`].
fn rule(out: &mut String, r: &RuleDoc, doc: &Document) {
    open(out, &rule_head(r), CLOSE_RULE);
    rule_end(out, r, doc);
}

/// What of a rule follows its head: its findings' links and [`CLOSE_RULE`].
fn rule_end(out: &mut String, r: &RuleDoc, doc: &Document) {
    out.push_str(&rule_findings(r, doc).0);
    out.push_str(CLOSE_RULE);
}

/// A rule without its findings' links (which come last in its body): what does not depend on
/// the findings.
fn rule_head(r: &RuleDoc) -> Markup {
    let scope = r.scope();
    let joins = r.joins();
    let mappings = r.mappings();
    html! {
        details.rule id=(Text(&r.anchor)) data-standard=(if r.standard { "1" } else { "0" })
            data-modified=(if r.modified { "1" } else { "0" }) data-attrs=(Text(&rule_attributes(&mappings))) {
            summary {
                h4 { (r.precedence) " " (Text(r.name)) }
                (badges(r))
            }
            div.body {
                p {
                    "link " code { (Text(r.link_type)) } " · " code { (Text(r.source_type)) } " → " code { (Text(r.target_type)) }
                    @if let Some(t) = &r.immutable_tag { " · tag " code { (Text(t)) } }
                }
                @if !r.description.trim().is_empty() { p { (Text(r.description)) } }
                p { "Scope (" (scope.len()) " groups, OR):" }
                @if scope.is_empty() { p.absent { "every object" } }
                ol { @for g in &scope { li { code { (Text(g)) } } } }
                @if !joins.is_empty() {
                    p { "Join (" (joins.len()) " groups, in order):" }
                    ol { @for g in &joins { li { code { (Text(g)) } } } }
                }
                @if !mappings.is_empty() {
                    table {
                        thead { tr { th { "target attribute" } th { "flow" } th { "source or expression" } } }
                        tbody {
                            @for m in &mappings {
                                tr {
                                    td.field { (Text(m.destination)) }
                                    td { (Text(m.flow_type)) @if !m.flags.is_empty() { " (" (Text(&m.flags.join(", "))) ")" } }
                                    td { pre { (Text(&m.body)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The links of a rule to its findings, if it has any.
fn rule_findings(r: &RuleDoc, doc: &Document) -> Markup {
    html! {
                @if !r.findings.is_empty() {
                    p {
                        "Findings: "
                        @for &i in &r.findings {
                            @if let Some(f) = doc.findings.get(i) {
                                a href={ "#" (Text(&f.anchor)) } { (Text(&f.code)) " " (Text(&f.name)) } " "
                            }
                        }
                    }
                }
    }
}

/// Ends the inbound or outbound table of an attribute opened by [`attribute_head`] or
/// [`attribute_middle`].
const CLOSE_TABLE: &str = "</tbody></table>";
/// Ends an attribute's body and its `details`.
const CLOSE_ATTRIBUTE: &str = "</div></details>";

/// The parts of one metaverse attribute, in page order: its head (up to the inbound rows),
/// the inbound rows in runs, the middle (up to the outbound rows), the outbound rows in runs,
/// and its end; together the markup of one template of the attribute with its rows.
fn attribute_parts<'d, 'a>(a: &'d AttributeFlows<'a>, parts: &mut Vec<Part<'d, 'a>>) {
    parts.push(Part::AttributeHead(a));
    parts.extend(a.inbound.chunks(LEGS_PER_PART).map(Part::Inbound));
    parts.push(Part::AttributeMiddle(a));
    parts.extend(a.outbound.chunks(LEGS_PER_PART).map(Part::Outbound));
    parts.push(Part::AttributeEnd(a));
}

/// An attribute's summary and the head of its inbound table (its rows follow).
fn attribute_head(out: &mut String, a: &AttributeFlows) {
    let m = html! {
        details.mv data-attrs=(Text(&flow_attributes(a))) {
            summary {
                h4 { (Text(a.object_type)) "." (Text(a.attribute)) }
                span.badge { (a.inbound.len()) " in" }
                span.badge { (a.outbound.len()) " out" }
            }
            div.body {
                @if a.inbound.is_empty() { p.absent { "No inbound rule writes it." } } @else {
                    table {
                        thead { tr { th.num { "precedence" } th { "source directory" } th { "source attributes" } th { "inbound rule" } th { "flow" } } }
                        tbody {}
                    }
                }
            }
        }
    };
    if a.inbound.is_empty() {
        open(out, &m, CLOSE_ATTRIBUTE);
    } else {
        open(out, &m, &[CLOSE_TABLE, CLOSE_ATTRIBUTE].concat());
    }
}

fn inbound_row(out: &mut String, l: &Leg) {
    let m = html! {
        tr {
            td.num { (l.precedence) }
            td { (Text(&l.directory)) " " code { (Text(l.object_type)) } }
            td { (codes(&l.attributes)) }
            td { a href=(Href(l.rule)) { (Text(l.rule_name)) } @if l.disabled { span.badge.disabled { "disabled" } } }
            td { (Text(l.flow_type)) }
        }
    };
    out.push_str(&m.0);
}

/// The end of an attribute's inbound table, the metaverse line and the head of its outbound
/// table (its rows follow).
fn attribute_middle(out: &mut String, a: &AttributeFlows) {
    if !a.inbound.is_empty() {
        out.push_str(CLOSE_TABLE);
    }
    let m = html! {
        p { "→ metaverse " code { (Text(a.object_type)) "." (Text(a.attribute)) } " →" }
        @if a.outbound.is_empty() { p.absent { "No outbound rule reads it." } } @else {
            table {
                thead { tr { th.num { "precedence" } th { "outbound rule" } th { "target directory" } th { "target attribute" } th { "flow" } } }
                tbody {}
            }
        }
    };
    if a.outbound.is_empty() {
        out.push_str(&m.0);
    } else {
        open(out, &m, CLOSE_TABLE);
    }
}

fn outbound_row(out: &mut String, l: &Leg) {
    let m = html! {
        tr {
            td.num { (l.precedence) }
            td { a href=(Href(l.rule)) { (Text(l.rule_name)) } @if l.disabled { span.badge.disabled { "disabled" } } }
            td { (Text(&l.directory)) " " code { (Text(l.object_type)) } }
            td { (codes(&l.attributes)) }
            td { (Text(l.flow_type)) }
        }
    };
    out.push_str(&m.0);
}

fn attribute_end(out: &mut String, a: &AttributeFlows) {
    if !a.outbound.is_empty() {
        out.push_str(CLOSE_TABLE);
    }
    out.push_str(CLOSE_ATTRIBUTE);
}

/// The report as one self-contained HTML page.
pub fn render_html(doc: &Document<'_>) -> String {
    let mut page = String::new();
    let _ = html_to(doc, stream::cores(), &mut |s: &str| {
        page.push_str(s);
        Ok(())
    });
    page
}

/// Writes [`render_html`] to `out` as it is rendered (a large page is never held whole).
pub fn write_html(doc: &Document<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    html_to(doc, stream::cores(), &mut |s: &str| {
        out.write_all(s.as_bytes())
    })
}

/// The metaverse section's attributes and flows of the HTML page, rendered ahead until `stop`
/// says to stop (see [`RenderedFlows`]).
pub fn render_flows(doc: &Document<'_>, stop: &dyn Fn() -> bool) -> RenderedFlows {
    let mut parts = Vec::new();
    for a in &doc.metaverse {
        attribute_parts(a, &mut parts);
    }
    RenderedFlows::render(true, &parts, |p, out| p.render_to(out, doc), stop)
}

/// The first rules of the HTML page rendered ahead, until `stop` says to stop (see
/// [`RenderedRules`]): each without its findings' links and closing tags.
pub fn render_rules(doc: &Document<'_>, stop: &dyn Fn() -> bool) -> RenderedRules {
    RenderedRules::render(
        true,
        doc,
        |r, out| open(out, &rule_head(r), CLOSE_RULE),
        stop,
    )
}

/// [`write_html`] with the flows and the first rules rendered ahead by [`render_flows`] and
/// [`render_rules`] (the same page).
pub fn write_html_ahead(
    doc: &Document<'_>,
    flows: Option<&RenderedFlows>,
    rules: Option<&RenderedRules>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    html_to_ahead(doc, flows, rules, stream::cores(), &mut |s: &str| {
        out.write_all(s.as_bytes())
    })
}

/// The page handed to `sink` in order, its large sections rendered on at most `threads`
/// threads.
fn html_to(doc: &Document<'_>, threads: usize, sink: &mut stream::Sink<'_>) -> std::io::Result<()> {
    html_to_ahead(doc, None, None, threads, sink)
}

/// [`html_to`], with the flows and the first rules rendered ahead when given.
fn html_to_ahead(
    doc: &Document<'_>,
    ahead: Option<&RenderedFlows>,
    rules_ahead: Option<&RenderedRules>,
    threads: usize,
    sink: &mut stream::Sink<'_>,
) -> std::io::Result<()> {
    let s = &doc.summary;
    let m = &s.metadata;
    let f = &s.features;
    let en = &s.entra;
    let total: usize = doc.rule_groups.iter().map(|g| g.rules.len()).sum();
    let per_dir = |v: &[crate::summary::DirectoryValue]| -> Markup {
        html! {
            @if v.is_empty() { "off" }
            @for (i, x) in v.iter().enumerate() {
                @if i > 0 { "; " }
                (x.directory) ": " code { (x.value) }
            }
        }
    };
    let header = html! {
        h1 { "Configuration report" }
        p.sides { "source " code { (doc.source) } }
        p.summary {
            (s.directories.len()) " on-premises directories, " (total) " rules (" (s.rules.standard) " standard, "
            (s.rules.custom) " custom, " (s.rules.disabled) " disabled), " (doc.metaverse.len())
            " metaverse attributes with flows, " (doc.findings.len()) " findings"
        }
    };
    let top = html! {
        form.filters #filters {
            label { input type="checkbox" #hide-standard; " hide standard rules" }
            label { input type="checkbox" #only-custom; " only custom or modified rules" }
            label { "attribute " input type="search" #search placeholder="e.g. mail"; }
            button type="button" #expand-all { "expand all" }
            button type="button" #collapse-all { "collapse all" }
            span #shown-count {}
        }
        nav.toc #toc {
            ul {
                li { a href="#policy" { "Policy and deployment" } }
                li { a href="#sign-in" { "Sign-in, identity mapping and features" } }
                li { a href="#entra" { "Entra directory" } }
                li {
                    a href="#directories" { "On-premises directories" } " (" (doc.directories.len()) ")"
                    ul { @for d in &doc.directories { li { a href=(format!("#{}", d.anchor)) { (d.name) } } } }
                }
                li {
                    a href="#rules" { "Synchronization rules" } " (" (total) ")"
                    ul {
                        @for g in &doc.rule_groups {
                            li { a href=(format!("#{}", g.anchor)) { (g.directory) ", " (g.direction.to_ascii_lowercase()) } " (" (g.rules.len()) ")" }
                        }
                    }
                }
                li { a href="#metaverse" { "Metaverse attributes and end-to-end flows" } " (" (doc.metaverse.len()) ")" }
                li { a href="#findings" { "Findings" } " (" (doc.findings.len()) ")" }
            }
        }
    };
    let main_head = html! {
            details.section #policy {
                summary { h2 { "Policy and deployment" } }
                (rows(&[
                    ("policy type", html! { (m.policy_type) }),
                    ("written by", opt(&m.author)),
                    ("time created", opt(&m.time_created)),
                    ("product version", opt(&m.product_version)),
                    ("host", opt(&m.host_name)),
                    ("database", html! { (opt(&m.database_type)) " " (m.database_server) "/" (m.database_name) }),
                    ("service account", html! { (m.service_account) }),
                ]))
            }
            details.section #sign-in {
                summary { h2 { "Sign-in, identity mapping and features" } }
                (rows(&[
                    ("sign-in method", html! { (s.sign_in.method_label) }),
                    ("password hash sync", html! { (on_off(s.sign_in.password_hash_sync)) }),
                    ("seamless single sign-on", html! { (on_off(s.sign_in.seamless_sso)) }),
                    ("source anchor", opt(&s.identity_mapping.source_anchor)),
                    ("user principal name", opt(&s.identity_mapping.user_principal_name)),
                    ("user matching", html! { (opt(&s.identity_mapping.user_matching)) " " code { (s.identity_mapping.user_matching_attribute) } }),
                    ("password writeback", html! { (on_off(f.password_writeback)) }),
                    ("group writeback", per_dir(&f.group_writeback)),
                    ("device writeback", per_dir(&f.device_writeback)),
                    ("group filtering", per_dir(&f.group_filtering)),
                    ("Exchange hybrid", html! { (on_off(f.exchange_hybrid)) }),
                    ("mail public folders", html! { (on_off(f.mail_public_folders)) }),
                    ("metaverse extensions", codes(&f.metaverse_attributes)),
                ]))
            }
            details.section #entra {
                summary { h2 { "Entra directory" } }
                (rows(&[
                    ("tenant", opt(&en.tenant_id)),
                    ("administrator (suggested at import)", opt(&en.administrator)),
                    ("connector", opt(&en.connector_name)),
                    ("deletion threshold", opt(&f.export_deletion_threshold)),
                    ("directory extensions", codes(&f.directory_extensions)),
                    ("app filter", codes(&f.app_filter)),
                    ("excluded attributes", codes(&f.excluded_attributes)),
                    ("rules", html! { (en.standard_rules) " standard, " (en.custom_rules) " custom, " (en.disabled_rules) " disabled" }),
                    ("object types", match &en.object_types { Some(t) => codes(t), None => html! { span.absent { "(not recorded)" } } }),
                    ("run profiles", codes(&en.run_profiles)),
                ]))
            }
            details.section #directories {
                summary { h2 { "On-premises directories (" (doc.directories.len()) ")" } }
                @for d in &doc.directories {
                    details.group id=(d.anchor) {
                        summary { h3 { (d.name) } }
                        div.body {
                            (rows(&[
                                ("forest", opt(&d.forest)),
                                ("account", opt(&d.account)),
                                ("group filtering", opt(&d.group_filtering)),
                                ("group writeback", opt(&d.group_writeback)),
                                ("device writeback", opt(&d.device_writeback)),
                                ("object types", match &d.object_types { Some(t) => codes(t), None => html! { span.absent { "(not recorded)" } } }),
                                ("attributes imported", match &d.attributes { Some(a) => html! { (a.len()) ": " (codes(a)) }, None => html! { span.absent { "(not recorded)" } } }),
                            ]))
                            @for p in &d.partitions {
                                p {
                                    "partition " code { (p.name) } " "
                                    @if p.selected { span.include { "selected" } } @else { span.exclude { "not selected" } }
                                    @if !p.preferred_controllers.is_empty() { " · preferred DCs " (codes(&p.preferred_controllers)) }
                                }
                                @if p.tree.is_empty() { p.absent { "every container (no OU filter)" } } @else { (tree(&p.tree)) }
                            }
                            @if !d.run_profiles.is_empty() {
                                p { "run profiles:" }
                                ul { @for (name, steps) in &d.run_profiles { li { (name) ": " (codes(steps)) } } }
                            }
                        }
                    }
                }
            }
    };
    // The page's parts in order: the large sections are split into one part per rule, flow
    // and finding, rendered on every core in contiguous runs, then joined into one buffer of
    // the exact size.
    let mut parts: Vec<Part<'_, '_>> = Vec::with_capacity(
        total
            + doc.rule_groups.len() * 2
            + metaverse_part_count(&doc.metaverse)
            + doc.findings.len()
            + 16,
    );
    parts.push(Part::Markup(top.0));
    parts.push(Part::Static("<main>"));
    parts.push(Part::Markup(main_head.0));
    parts.push(Part::Open(
        html! { details.section #rules { summary { h2 { "Synchronization rules (" (total) ")" } } } },
        CLOSE_DETAILS,
    ));
    let mut rendered = RenderedRules::texts(rules_ahead, true).into_iter();
    for g in &doc.rule_groups {
        parts.push(Part::Open(rule_group_head(g), CLOSE_GROUP));
        parts.extend(g.rules.iter().map(|r| match rendered.next() {
            Some(head) => Part::RuleAhead(head, r),
            None => Part::Rule(r),
        }));
        parts.push(Part::Static(CLOSE_GROUP));
    }
    parts.push(Part::Static(CLOSE_DETAILS));
    parts.push(Part::Open(
        html! {
            details.section #metaverse {
                summary { h2 { "Metaverse attributes and end-to-end flows (" (doc.metaverse.len()) ")" } }
                p {
                    "Each attribute: the inbound flows that write it (source directory and attributes, inbound rule), "
                    "then the outbound flows that carry it on (outbound rule, target directory and attribute), each in precedence order. "
                    "Every inbound flow reaches every outbound flow of the same attribute."
                }
            }
        },
        CLOSE_DETAILS,
    ));
    RenderedFlows::push_parts(ahead, true, &mut parts, Part::Ahead, |parts| {
        for a in &doc.metaverse {
            attribute_parts(a, parts);
        }
    });
    parts.push(Part::Static(CLOSE_DETAILS));
    parts.push(Part::Open(
        html! {
            details.section #findings {
                summary { h2 { "Findings (" (doc.findings.len()) ")" } }
                @if doc.findings.is_empty() { p.absent { "validate finds nothing." } }
                ul {}
            }
        },
        CLOSE_FINDINGS,
    ));
    parts.extend(doc.findings.iter().map(Part::Finding));
    parts.push(Part::Static(CLOSE_FINDINGS));
    parts.push(Part::Static("</main>"));
    let (head, tail) = crate::html::page_frame(
        &format!("syncpolicy report: {}", doc.source),
        header,
        SCRIPT,
    );
    sink(&head)?;
    // Each part's control characters shown as escapes, as the page frame's are, on the
    // rendering threads: by `Text` as it escapes the values of the rules, flows and findings
    // (their parts hold no other text from the file), by a scan of the others.
    let render = |p: &Part<'_, '_>, out: &mut String| {
        let from = out.len();
        p.render_to(out, doc);
        if p.may_hold_controls() {
            crate::escape::in_page(out, from);
        }
    };
    stream::stream(&parts, threads, render, sink)?;
    sink(&tail)
}

/// One part of the page body, in page order.
enum Part<'d, 'a> {
    /// Fixed markup (closing tags).
    Static(&'static str),
    /// Markup rendered already.
    Markup(String),
    /// Markup rendered ahead ([`RenderedFlows`]).
    Ahead(&'d str),
    /// An element whose last children are the parts after it: written without its closing
    /// tags (see [`open`]).
    Open(Markup, &'static str),
    Rule(&'d RuleDoc<'a>),
    /// A rule rendered ahead without its findings' links and closing tags
    /// ([`RenderedRules`]), and the rule.
    RuleAhead(&'d str, &'d RuleDoc<'a>),
    AttributeHead(&'d AttributeFlows<'a>),
    Inbound(&'d [Leg<'a>]),
    AttributeMiddle(&'d AttributeFlows<'a>),
    Outbound(&'d [Leg<'a>]),
    AttributeEnd(&'d AttributeFlows<'a>),
    Finding(&'d FindingDoc),
}

impl Part<'_, '_> {
    /// Whether the part may hold a control character from the file: the markup made with
    /// maud's own escaping (the page's head sections, the rule groups' heads). The rules,
    /// flows (also rendered ahead) and findings show each value through [`Text`], which shows
    /// control characters as escapes.
    fn may_hold_controls(&self) -> bool {
        matches!(self, Part::Markup(_) | Part::Open(..))
    }

    fn render_to(&self, out: &mut String, doc: &Document<'_>) {
        match self {
            Part::Static(s) => out.push_str(s),
            Part::Markup(s) => out.push_str(s),
            Part::Ahead(s) => out.push_str(s),
            Part::Open(m, close) => open(out, m, close),
            Part::Rule(r) => rule(out, r, doc),
            Part::RuleAhead(head, r) => {
                out.push_str(head);
                rule_end(out, r, doc);
            }
            Part::AttributeHead(a) => attribute_head(out, a),
            Part::Inbound(legs) => legs.iter().for_each(|l| inbound_row(out, l)),
            Part::AttributeMiddle(a) => attribute_middle(out, a),
            Part::Outbound(legs) => legs.iter().for_each(|l| outbound_row(out, l)),
            Part::AttributeEnd(a) => attribute_end(out, a),
            Part::Finding(f) => out.push_str(&finding(f).0),
        }
    }
}

fn finding(f: &FindingDoc) -> Markup {
    html! {
        li id=(Text(&f.anchor)) {
            span class={ "badge " (Text(&f.severity)) } { (Text(&f.severity)) } " "
            @if f.accepted.is_some() { span class="badge accepted" { "accepted" } " " }
            strong { (Text(&f.code)) " " (Text(&f.name)) } ": " (Text(&f.message))
            @if let Some((anchor, name)) = &f.rule { " — rule " a href={ "#" (Text(anchor)) } { (Text(name)) } }
            br;
            code { (Text(&f.place)) }
            @if let Some(h) = &f.help { br; "hint: " (Text(h)) }
            @if let Some(reason) = &f.accepted { br; "accepted: " (Text(reason)) }
        }
    }
}

/// Ends the findings section opened with [`open`]: its list and the section.
const CLOSE_FINDINGS: &str = "</ul></details>";

/// Ends a section `details` opened with [`open`].
const CLOSE_DETAILS: &str = "</details>";
/// Ends a rule group opened with [`open`]: its body and the group.
const CLOSE_GROUP: &str = "</div></details>";

/// Appends an element whose last children come later: the markup without its closing tags
/// `close`, which the caller writes after those children (the templates stay balanced and
/// escaped; only the split is by hand, so that a large page is written into one buffer).
fn open(out: &mut String, m: &Markup, close: &str) {
    let s = &m.0;
    match s.strip_suffix(close) {
        Some(head) => out.push_str(head),
        None => {
            // A template always ends with its own closing tags; keep the page balanced anyway.
            out.push_str(s);
            out.push_str("<div>");
        }
    }
}

/// The head of a rule group: its summary and table of rules (the rules follow).
fn rule_group_head(g: &crate::document::RuleGroup) -> Markup {
    html! {
        details.group id=(g.anchor) {
            summary { h3 { (Text(&g.directory)) ", " (g.direction.to_ascii_lowercase()) " (" (g.rules.len()) ")" } }
            div.body {
                table {
                    thead { tr { th.num { "precedence" } th { "rule" } th { "kind" } th { "link" } th { "objects" } } }
                    tbody {
                        @for r in &g.rules {
                            tr id={ "row-" (Text(&r.anchor)) } {
                                td.num { (r.precedence) }
                                td { a href={ "#" (Text(&r.anchor)) } { (Text(r.name)) } }
                                td { (badges(r)) }
                                td { (Text(r.link_type)) }
                                td { (Text(r.source_type)) " → " (Text(r.target_type)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::rule_anchor;

    /// One attribute as one template (how the page wrote it before its tables were split into
    /// runs of rows): the parts must give exactly this.
    fn whole_attribute(a: &AttributeFlows) -> Markup {
        html! {
            details.mv data-attrs=(flow_attributes(a)) {
                summary {
                    h4 { (Text(a.object_type)) "." (Text(a.attribute)) }
                    span.badge { (a.inbound.len()) " in" }
                    span.badge { (a.outbound.len()) " out" }
                }
                div.body {
                    @if a.inbound.is_empty() { p.absent { "No inbound rule writes it." } } @else {
                        table {
                            thead { tr { th.num { "precedence" } th { "source directory" } th { "source attributes" } th { "inbound rule" } th { "flow" } } }
                            tbody {
                                @for l in &a.inbound {
                                    tr {
                                        td.num { (l.precedence) }
                                        td { (Text(&l.directory)) " " code { (Text(l.object_type)) } }
                                        td { (codes(&l.attributes)) }
                                        td { a href=(format!("#{}", rule_anchor(l.rule))) { (Text(l.rule_name)) } @if l.disabled { span.badge.disabled { "disabled" } } }
                                        td { (Text(l.flow_type)) }
                                    }
                                }
                            }
                        }
                    }
                    p { "→ metaverse " code { (Text(a.object_type)) "." (Text(a.attribute)) } " →" }
                    @if a.outbound.is_empty() { p.absent { "No outbound rule reads it." } } @else {
                        table {
                            thead { tr { th.num { "precedence" } th { "outbound rule" } th { "target directory" } th { "target attribute" } th { "flow" } } }
                            tbody {
                                @for l in &a.outbound {
                                    tr {
                                        td.num { (l.precedence) }
                                        td { a href=(format!("#{}", rule_anchor(l.rule))) { (Text(l.rule_name)) } @if l.disabled { span.badge.disabled { "disabled" } } }
                                        td { (Text(&l.directory)) " " code { (Text(l.object_type)) } }
                                        td { (codes(&l.attributes)) }
                                        td { (Text(l.flow_type)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn an_attribute_in_parts_is_its_whole_template() {
        let config = crate::stream::test_support::several_chunks_config();
        let all = crate::flows::flows(&config);
        let mut empty_side = 0;
        let doc = crate::document::build_without_findings(&config, "f.json");
        for a in &all {
            let mut parts = Vec::new();
            attribute_parts(a, &mut parts);
            let mut out = String::new();
            for p in &parts {
                p.render_to(&mut out, &doc);
            }
            assert_eq!(out, whole_attribute(a).into_string(), "{}", a.attribute);
            empty_side += usize::from(a.inbound.is_empty() || a.outbound.is_empty());
        }
        assert!(all.iter().any(|a| a.inbound.len() > LEGS_PER_PART));
        assert!(
            empty_side > 0,
            "an attribute with one side empty is among them"
        );
    }

    #[test]
    fn a_rule_link_is_its_anchor_escaped() {
        use syncpolicy_model::config::{DirectoryRef, RuleLocation, RuleSet};
        for directory in [
            DirectoryRef::Azure,
            DirectoryRef::OnPremises(0),
            DirectoryRef::OnPremises(12),
        ] {
            for set in [RuleSet::Standard, RuleSet::Custom] {
                let at = RuleLocation {
                    directory,
                    set,
                    index: 305,
                };
                assert_eq!(
                    html! { a href=(Href(at)) {} }.into_string(),
                    html! { a href=(format!("#{}", rule_anchor(at))) {} }.into_string()
                );
                for index in [0, 9, 10, 305, usize::MAX] {
                    let at = RuleLocation { index, ..at };
                    assert_eq!(rule_anchor(at), RuleAnchor(at).to_string(), "{at:?}");
                }
            }
        }
        let at = RuleLocation {
            directory: DirectoryRef::OnPremises(3),
            set: RuleSet::Custom,
            index: 7,
        };
        assert_eq!(rule_anchor(at), "rule-d3-c7");
    }

    /// `Text` is maud's escaping, then the control characters shown as `in_page` shows them.
    #[test]
    fn text_is_escaped_as_maud_escapes_then_in_page() {
        let mut cases: Vec<String> = [
            "",
            "plain",
            "<script>alert(\"x\")</script> & co",
            "&&<<>>\"\"'",
            "Ünïcode <ä> \u{1b}[2J & ☃",
            "end<",
            "a\u{1b}]0;owned\u{7}b\r\nc\td\u{7f}\u{9b}·\u{85}\u{a0}\u{c2}",
            "\u{1b}",
            "x\u{9f}",
            "\u{80}",
        ]
        .map(str::to_owned)
        .to_vec();
        cases.extend(
            (0..=0x2ffu32)
                .filter_map(char::from_u32)
                .map(|c| format!("a{c}<{c}")),
        );
        for s in &cases {
            let mut expected = html! { (s) }.into_string();
            crate::escape::in_page(&mut expected, 0);
            assert_eq!(html! { (Text(s)) }.into_string(), expected, "{s:?}");
        }
    }

    /// A rule name and a file name holding ESC, CR and a C1 control reach the page as visible
    /// escapes, never raw, on one thread and on several.
    #[test]
    fn control_characters_from_the_file_are_shown_as_escapes() {
        let mut config = crate::stream::test_support::several_chunks_config();
        let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J\rfake line\u{9b}";
        let rule = config.onpremises_directories[0]
            .custom_rules
            .first_mut()
            .expect("a custom rule");
        rule.name = Some(format!("{hostile} rule"));
        // And in the values the rule's parts and the flows show (escaped by `Text` alone).
        rule.description = hostile.to_owned();
        for m in &mut rule.mappings {
            m.destination = Some(format!("{hostile}dest"));
            m.source = format!("{hostile}source");
            m.expression = format!("\"{hostile}\"");
        }
        for c in rule.scope_groups.iter_mut().flatten() {
            c.value = hostile.to_owned();
        }
        config.onpremises_directories[0].name = format!("{hostile} forest");
        let doc = crate::document::build_without_findings(&config, &format!("{hostile}.json"));
        let page = crate::stream::test_support::same_on_any_threads(|threads, sink| {
            html_to(&doc, threads, sink)
        });
        let raw: Vec<char> = page
            .chars()
            .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
            .collect();
        assert!(raw.is_empty(), "raw controls {raw:?}");
        let shown = "\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\rfake line\\u{9b}";
        assert!(
            page.contains(&format!("{shown} rule")),
            "the rule name, escaped"
        );
        assert!(
            page.contains(&format!("{shown}.json")),
            "the file name, escaped"
        );
    }

    /// The page of a configuration large enough to be rendered on several threads is the same
    /// HTML as rendered on one.
    #[test]
    fn html_on_several_threads_is_what_one_thread_writes() {
        let config = crate::stream::test_support::several_chunks_config();
        let doc = crate::document::build_without_findings(&config, "big.json");
        let one = crate::stream::test_support::same_on_any_threads(|threads, sink| {
            html_to(&doc, threads, sink)
        });
        let mut bytes = Vec::new();
        write_html(&doc, &mut bytes).expect("writes");
        assert_eq!(String::from_utf8(bytes).expect("UTF-8"), one);
        assert_eq!(render_html(&doc), one);
    }

    /// The first rules rendered ahead (before the findings were attached), however many, and
    /// the flows rendered ahead give the page written at once; Markdown rules are not taken.
    #[test]
    fn rules_rendered_ahead_give_the_same_page() {
        let config = crate::stream::test_support::several_chunks_config();
        let text = String::from_utf8(syncpolicy_json::write_settings(&config)).expect("UTF-8");
        let mut doc = crate::document::build_without_findings(&config, "big.json");
        let flows = render_flows(&doc, &|| false);
        let all = render_rules(&doc, &|| false);
        let total: usize = doc.rule_groups.iter().map(|g| g.rules.len()).sum();
        assert_eq!(all.rules.len(), total, "every rule without a stop");
        let first = render_rules(&doc, &|| true);
        assert!(
            first.runs.len() == 1 && first.rules.len() < total,
            "one run with a stop"
        );
        let calls = std::cell::Cell::new(0);
        let some = render_rules(&doc, &|| {
            calls.set(calls.get() + 1);
            calls.get() == 5
        });
        assert!(some.runs.len() == 5 && some.rules.len() < total);
        let markdown = crate::document::render_rules_markdown(&doc, &|| false);
        crate::document::attach_diagnostics(
            &mut doc,
            syncpolicy_lint::check_file(&config, &text, "big.json"),
        );
        assert!(
            doc.rule_groups
                .iter()
                .flat_map(|g| &g.rules)
                .any(|r| !r.findings.is_empty()),
            "some rules link to findings"
        );
        let whole = render_html(&doc);
        for rules in [Some(&all), Some(&first), Some(&some), Some(&markdown), None] {
            for f in [Some(&flows), None] {
                let mut bytes = Vec::new();
                write_html_ahead(&doc, f, rules, &mut bytes).expect("writes");
                assert!(String::from_utf8(bytes).expect("UTF-8") == whole);
            }
        }
    }

    /// The page written with its flows rendered ahead (before the findings were attached), all
    /// of them or the first ones, is the page written at once; flows rendered as Markdown are
    /// not taken for HTML.
    #[test]
    fn flows_rendered_ahead_give_the_same_page() {
        let config = crate::stream::test_support::several_chunks_config();
        let text = String::from_utf8(syncpolicy_json::write_settings(&config)).expect("UTF-8");
        let mut doc = crate::document::build_without_findings(&config, "big.json");
        let [ahead, first, two] =
            crate::stream::test_support::flows_whole_and_stopped(|stop| render_flows(&doc, stop));
        let markdown = crate::document::render_flows_markdown(&doc, &|| false);
        crate::document::attach_diagnostics(
            &mut doc,
            syncpolicy_lint::check_file(&config, &text, "big.json"),
        );
        assert!(!doc.findings.is_empty());
        let whole = render_html(&doc);
        for flows in [
            Some(&ahead),
            Some(&first),
            Some(&two),
            Some(&markdown),
            None,
        ] {
            let mut bytes = Vec::new();
            write_html_ahead(&doc, flows, None, &mut bytes).expect("writes");
            assert!(String::from_utf8(bytes).expect("UTF-8") == whole);
        }
    }
}
