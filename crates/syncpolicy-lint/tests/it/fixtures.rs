//! Every rule has a `valid/` and an `invalid/` fixture: the invalid one must produce the
//! rule's finding (its rendered diagnostics are snapshot-tested), the valid one must not, and
//! must have no error or warning at all.
#![allow(clippy::disallowed_methods, reason = "tests read fixtures from disk")]

use crate::support::{check_text, data, render};
use syncpolicy_model::diagnostic::Severity;

fn fixture(kind: &str, rule: &syncpolicy_lint::RuleInfo) -> (String, String) {
    let name = format!("{kind}/{}-{}.json", rule.code, rule.name);
    let text = std::fs::read_to_string(data().join(&name)).unwrap_or_else(|e| {
        panic!(
            "rule {} needs the fixture tests/data/{name}: {e}",
            rule.code
        )
    });
    (name, text)
}

#[test]
fn invalid_fixtures_produce_their_rule() {
    for rule in syncpolicy_lint::registry() {
        let (name, text) = fixture("invalid", rule);
        let diags =
            check_text(&text, &name).unwrap_or_else(|e| panic!("{name} does not read: {e}"));
        let rendered = render(&diags, &name, &text);
        let mine: Vec<_> = diags.iter().filter(|d| d.code == rule.code).collect();
        assert!(
            !mine.is_empty(),
            "{name} does not produce {}:\n{rendered}",
            rule.code
        );
        assert!(
            mine.iter()
                .all(|d| d.name == rule.name && d.severity == rule.severity),
            "{name}: findings of {} must carry its name and severity",
            rule.code
        );
        assert!(
            mine.iter()
                .all(|d| d.location.line.is_some() && d.location.json_path.is_some()),
            "{name}: findings must have a JSON path and a line:\n{rendered}"
        );
        insta::assert_snapshot!(format!("{}-{}", rule.code, rule.name), rendered);
    }
}

#[test]
fn valid_fixtures_are_clean() {
    for rule in syncpolicy_lint::registry() {
        let (name, text) = fixture("valid", rule);
        let diags =
            check_text(&text, &name).unwrap_or_else(|e| panic!("{name} does not read: {e}"));
        let serious: Vec<_> = diags
            .iter()
            .filter(|d| d.code == rule.code || d.severity != Severity::Info)
            .collect();
        assert!(
            serious.is_empty(),
            "{name}:\n{}",
            render(&diags, &name, &text)
        );
    }
}

#[test]
fn every_fixture_belongs_to_a_rule() {
    for kind in ["valid", "invalid"] {
        for entry in std::fs::read_dir(data().join(kind)).expect("fixture folder exists") {
            let file = entry
                .expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            let known = syncpolicy_lint::registry()
                .iter()
                .any(|r| file == format!("{}-{}.json", r.code, r.name));
            assert!(known, "tests/data/{kind}/{file} belongs to no rule");
        }
    }
}

#[test]
fn check_without_a_file_gives_paths_but_no_positions() {
    let rule = syncpolicy_lint::registry::find("duplicate-custom-precedence").expect("rule exists");
    let (name, text) = fixture("invalid", rule);
    let config = syncpolicy_json::read_settings_str(&text, &name).unwrap();
    let diags = syncpolicy_lint::check(&config);
    let d = diags.iter().find(|d| d.code == "SP010").expect("finding");
    assert_eq!(d.location.file, None);
    assert_eq!(d.location.line, None);
    assert_eq!(
        d.location.json_path.as_deref(),
        Some("onpremisesDirectoryPolicy[0].customSynchronizationRules[1].precedence")
    );
    assert_eq!(
        d.labels[0].location.json_path.as_deref(),
        Some("onpremisesDirectoryPolicy[0].customSynchronizationRules[0].precedence")
    );
    // The digest check needs the file.
    let rule = syncpolicy_lint::registry::find("SP070").expect("rule exists");
    let (name, text) = fixture("invalid", rule);
    let config = syncpolicy_json::read_settings_str(&text, &name).unwrap();
    assert!(syncpolicy_lint::check(&config)
        .iter()
        .all(|d| d.code != "SP070"));
    assert!(syncpolicy_lint::check_file(&config, &text, &name)
        .iter()
        .any(|d| d.code == "SP070"));
}

#[test]
fn expression_findings_point_at_the_character() {
    let rule = syncpolicy_lint::registry::find("SP024").expect("rule exists");
    let (name, text) = fixture("invalid", rule);
    let diags = check_text(&text, &name).unwrap();
    for d in diags.iter().filter(|d| d.code == "SP024") {
        let line = text
            .lines()
            .nth(d.location.line.unwrap() as usize - 1)
            .unwrap();
        let at: String = line
            .chars()
            .skip(d.location.column.unwrap() as usize - 1)
            .collect();
        assert!(
            at.starts_with("Frobnicate")
                || at.starts_with('"')
                || at.starts_with('I')
                || at.starts_with(')'),
            "{d:?} points at {at:?}"
        );
        assert!(line.contains("\"expression\""), "{line}");
    }
}
