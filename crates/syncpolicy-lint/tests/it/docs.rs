//! `docs/rules.md` is generated from the rule registry; this test fails when it is stale
//! (regenerate with `UPDATE_DOCS=1 cargo test -p syncpolicy-lint`), and checks the registry
//! itself: unique codes and names, complete documentation.
#![allow(
    clippy::disallowed_methods,
    reason = "the test reads and regenerates docs/rules.md"
)]

use crate::support::workspace;
use std::collections::HashSet;

#[test]
fn docs_rules_md_is_up_to_date() {
    let path = workspace().join("docs").join("rules.md");
    let want = syncpolicy_lint::registry::rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("docs/rules.md is writable");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale; regenerate it with `UPDATE_DOCS=1 cargo test -p syncpolicy-lint`"
    );
}

#[test]
fn the_registry_is_consistent_and_documented() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    let mut last = "";
    for r in syncpolicy_lint::registry() {
        assert!(codes.insert(r.code), "duplicate code {}", r.code);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        assert!(r.code > last, "{} is out of order", r.code);
        last = r.code;
        assert!(
            r.code.starts_with("SP0") && r.code.len() == 5,
            "{} is not SP0nn (SP9xx are read errors)",
            r.code
        );
        assert!(
            r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{} is not kebab-case",
            r.name
        );
        for (what, text) in [
            ("summary", r.summary),
            ("what", r.what),
            ("why", r.why),
            ("example", r.example),
            ("fix", r.fix),
            ("help", r.help),
        ] {
            assert!(!text.trim().is_empty(), "{} has no {what}", r.code);
        }
        assert!(
            !r.summary.ends_with('.') && !r.help.ends_with('.'),
            "{}: no trailing period",
            r.code
        );
        let info = syncpolicy_lint::registry::code_info(r);
        assert_eq!(
            (info.code, info.name, info.title),
            (r.code, r.name, r.summary)
        );
        assert!(
            info.explanation.starts_with("What:\n"),
            "{}",
            info.explanation
        );
        assert!(info
            .explanation
            .contains(r.why.lines().next().unwrap_or_default()));
        assert_eq!(info.fix, r.fix);
        assert_eq!(
            syncpolicy_lint::registry::find(&r.code.to_lowercase()).map(|f| f.code),
            Some(r.code)
        );
        assert_eq!(
            syncpolicy_lint::registry::find(r.name).map(|f| f.code),
            Some(r.code)
        );
    }
    assert!(syncpolicy_lint::registry::find("SP999").is_none());
}

#[test]
fn documented_content_names_are_catalogue_rules() {
    for name in syncpolicy_samples::catalogue::DOCUMENTED_CONTENT {
        assert!(
            syncpolicy_samples::catalogue::STANDARD_RULES
                .iter()
                .any(|h| h.name == *name),
            "{name} is not in the catalogue"
        );
    }
    assert!(!syncpolicy_samples::catalogue::has_documented_content(
        "In from AD - Group Exchange"
    ));
}
