//! Control characters from a file (ESC, BEL, CR, LF) never reach the terminal raw: every text
//! and markdown view escapes them, HTML escapes markup. Names wider than `std::fmt` pads to
//! are written whole.

use syncpolicy_diff::{DiffOptions, Filter};
use syncpolicy_model::config::Configuration;
use syncpolicy_views::style::Style;

/// A name that would retitle the terminal, ring the bell, clear the screen and forge a line.
const HOSTILE: &str = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\r\nFORGED LINE";

/// The multi-forest sample with the hostile text in a custom rule's name, description and
/// expression, an OU exclusion and a directory name.
fn hostile() -> Configuration {
    let mut c = syncpolicy_samples::samples::multi_forest_custom();
    let d = &mut c.onpremises_directories[0];
    d.name = format!("contoso{HOSTILE}");
    d.partitions[0]
        .exclusions
        .push(format!("OU={HOSTILE},DC=contoso,DC=com"));
    let r = &mut d.custom_rules[0];
    r.name = Some(HOSTILE.to_owned());
    r.description = format!("{HOSTILE}<script>alert(1)</script>");
    r.mappings[0].expression = format!("\"{HOSTILE}\"");
    c
}

fn assert_clean(what: &str, out: &str) {
    for bad in ['\u{1b}', '\u{7}', '\r'] {
        assert!(
            !out.contains(bad),
            "{what} prints {bad:?} raw:\n{}",
            out.escape_debug()
        );
    }
    assert!(
        !out.lines().any(|l| l.starts_with("FORGED")),
        "{what} lets a value start a line of its own:\n{out}"
    );
}

#[test]
fn show_text_escapes_control_characters() {
    let summary = syncpolicy_views::summary::summarize(&hostile(), "hostile.json");
    let out = syncpolicy_views::summary::render_text(&summary, &Style::new(false));
    assert_clean("show", &out);
    assert!(
        out.contains("Evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\r\\nFORGED LINE"),
        "{out}"
    );
}

#[test]
fn a_directory_name_wider_than_formatting_pads_is_written_whole() {
    // `{:<width$}` panics at a width over 65,535; the columns of `show` and `rule list` are
    // as wide as the widest directory name.
    let mut c = syncpolicy_samples::samples::multi_forest_custom();
    let name = format!("{}.com", "a".repeat(70_000));
    c.onpremises_directories[0].name = name.clone();
    let summary = syncpolicy_views::summary::summarize(&c, "wide.json");
    let out = syncpolicy_views::summary::render_text(&summary, &Style::new(false));
    assert!(
        out.contains(&format!("  {name}  ")),
        "show writes the name whole"
    );
    let rows: Vec<_> = c.rules().collect();
    let out = syncpolicy_views::rules::render_list_text(&c, &rows, &Style::new(false));
    assert!(
        out.contains(&format!("  {name}  ")),
        "rule list writes the name whole"
    );
}

#[test]
fn rule_list_and_rule_show_escape_control_characters() {
    let c = hostile();
    let rows: Vec<_> = c.rules().collect();
    let out = syncpolicy_views::rules::render_list_text(&c, &rows, &Style::new(false));
    assert_clean("rule list", &out);
    assert!(out.contains("Evil\\u{1b}]0;pwned"), "{out}");
    let (at, r) = c
        .rules()
        .find(|(_, r)| r.name() == HOSTILE)
        .expect("the hostile rule");
    let out = syncpolicy_views::rules::render_rule_text(&c, at, r, &Style::new(false));
    assert_clean("rule show", &out);
}

#[test]
fn diff_text_and_markdown_escape_control_characters() {
    let old = syncpolicy_samples::samples::multi_forest_custom();
    let new = hostile();
    let options = DiffOptions {
        directory_map: vec![(
            old.onpremises_directories[0].name.clone(),
            new.onpremises_directories[0].name.clone(),
        )],
        show_ids: false,
    };
    let full = syncpolicy_diff::diff(&old, &new, &options);
    let filter = Filter {
        product: true,
        metadata: true,
    };
    let shown = full.filtered(&filter);
    assert!(!shown.is_empty());
    let report = syncpolicy_views::diff::Report {
        old: "old.json",
        new: "new\u{1b}[31m.json",
        full: &full,
        shown: &shown,
        filter,
        show_ids: false,
        report_links: None,
    };
    let text = syncpolicy_views::diff::render_text(&report, &Style::new(false));
    assert_clean("diff text", &text);
    assert!(text.contains("Evil\\u{1b}"), "{text}");
    let md = syncpolicy_views::diff::render_markdown(&report);
    assert_clean("diff markdown", &md);
    assert!(md.contains("Evil\\u{1b}"), "{md}");
    let coloured = syncpolicy_views::diff::render_text(&report, &Style::new(true));
    let without_styles = coloured
        .replace("\u{1b}[0m", "")
        .replace("\u{1b}[1m", "")
        .replace("\u{1b}[2m", "")
        .replace("\u{1b}[31m", "")
        .replace("\u{1b}[32m", "")
        .replace("\u{1b}[33m", "");
    assert_clean("coloured diff text", &without_styles);
    let html = syncpolicy_views::diff::render_html(&report);
    assert!(
        html.contains("&lt;script&gt;alert(1)"),
        "HTML escapes markup"
    );
    assert!(!html.contains("<script>alert"), "HTML escapes markup");
}
