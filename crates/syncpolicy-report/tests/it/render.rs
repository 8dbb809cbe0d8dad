//! Snapshot tests of the three renderings of the same diagnostics, and the edge cases of the
//! text excerpt (long lines, unknown files, positions past the end).

use std::collections::HashMap;
use syncpolicy_model::diagnostic::{Diagnostic, Location, Severity};
use syncpolicy_report::{render_text, to_json, to_sarif, Counts, SarifRule};

const FILE: &str = "dir with space/policy.json";
const TEXT: &str = "{\n  \"azureDirectoryPolicy\": {\n    \"customSynchronizationRules\": [\n      { \"Name\": \"A\", \"precedence\": 50 },\n      { \"Name\": \"B\", \"precedence\": 50 }\n    ]\n  }\n}\n";

fn diags() -> Vec<Diagnostic> {
    let rules = "azureDirectoryPolicy.customSynchronizationRules";
    vec![
        Diagnostic::new(
            "SP010",
            "duplicate-custom-precedence",
            Severity::Error,
            "custom rule \"B\" has precedence 50, like custom rule \"A\"",
            Location::file(FILE)
                .with_json_path(format!("{rules}[1].precedence"))
                .with_position(5, 36),
        )
        .with_label(
            Location::file(FILE)
                .with_json_path(format!("{rules}[0].precedence"))
                .with_position(4, 36),
            "the same precedence is used here",
        )
        .with_help("give each custom rule its own precedence in 0-99"),
        Diagnostic::new(
            "SP046",
            "disabled-rule-imported-enabled",
            Severity::Info,
            "a note without a file",
            Location::default().with_json_path("onpremisesDirectoryPolicy[0]"),
        ),
        Diagnostic::new(
            "SP999",
            "not-in-the-table",
            Severity::Warning,
            "a finding whose rule the caller did not describe",
            Location::file("other.json").with_position(3, 1),
        ),
    ]
}

fn sources() -> HashMap<String, String> {
    HashMap::from([(FILE.to_owned(), TEXT.to_owned())])
}

#[test]
fn text_marks_the_place_in_an_excerpt() {
    insta::assert_snapshot!(render_text(&diags(), &sources(), false), @r#"
    error[SP010] duplicate-custom-precedence: custom rule "B" has precedence 50, like custom rule "A"
      --> dir with space/policy.json:5:36 at azureDirectoryPolicy.customSynchronizationRules[1].precedence
       |
     5 |       { "Name": "B", "precedence": 50 }
       |                                    ^^
      note: the same precedence is used here
      --> dir with space/policy.json:4:36 at azureDirectoryPolicy.customSynchronizationRules[0].precedence
       |
     4 |       { "Name": "A", "precedence": 50 },
       |                                    ^^
      help: give each custom rule its own precedence in 0-99

    info[SP046] disabled-rule-imported-enabled: a note without a file
      --> at onpremisesDirectoryPolicy[0]

    warning[SP999] not-in-the-table: a finding whose rule the caller did not describe
      --> other.json:3:1
    "#);
}

#[test]
fn colour_wraps_the_parts_in_ansi_codes() {
    let colored = render_text(&diags()[..1], &sources(), true);
    assert!(colored.starts_with("\x1b[1m\x1b[31merror[SP010] duplicate-custom-precedence\x1b[0m: "));
    // The carets are drawn by annotate-snippets, in the header's colour.
    assert!(colored.contains("\x1b[1m\x1b[31m^^\x1b[0m"), "{colored:?}");
    assert!(!render_text(&diags()[..1], &sources(), false).contains('\x1b'));
}

#[test]
fn long_lines_are_cut_around_the_place() {
    let line = format!(
        "{{\"expression\": \"{}X{}\"}}",
        "a".repeat(300),
        "b".repeat(300)
    );
    let d = Diagnostic::new(
        "SP024",
        "invalid-expression",
        Severity::Error,
        "bad",
        Location::file("f.json").with_position(1, 317),
    );
    let out = render_text(&[d], &HashMap::from([("f.json".to_owned(), line)]), false);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[3].contains("…a") && lines[3].ends_with("b…"), "{out}");
    let caret = lines[4].find('^').unwrap();
    assert_eq!(lines[3].chars().nth(caret), Some('X'), "{out}");
    // A position past the end of the file shows no excerpt and does not panic.
    let far = Diagnostic::new(
        "SP001",
        "x",
        Severity::Error,
        "far",
        Location::file("f.json").with_position(99, 99),
    );
    assert_eq!(
        render_text(
            &[far],
            &HashMap::from([("f.json".to_owned(), "{}".to_owned())]),
            false
        )
        .lines()
        .count(),
        2
    );
}

#[test]
fn json_is_stable_and_complete() {
    insta::assert_json_snapshot!(to_json(&diags()[..2]));
}

#[test]
fn sarif_has_rules_results_and_locations() {
    let rules = vec![SarifRule {
        code: "SP010".to_owned(),
        name: "duplicate-custom-precedence".to_owned(),
        severity: Severity::Error,
        summary: "two custom rules share a precedence".to_owned(),
        description: "Reports every custom rule whose precedence an earlier one has.".to_owned(),
        help: "Give each custom rule its own precedence in 0-99.".to_owned(),
    }];
    let mut v = to_sarif(&diags(), &rules);
    assert_eq!(
        v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    assert_eq!(v["runs"][0]["results"][2]["ruleIndex"], 2);
    assert_eq!(
        v["runs"][0]["tool"]["driver"]["version"],
        env!("CARGO_PKG_VERSION")
    );
    v["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    insta::assert_json_snapshot!(v);
}

#[test]
fn counts_and_uris() {
    assert_eq!(Counts::of(&diags()).line(), "1 error, 1 warning, 1 info");
    assert_eq!(Counts::default().line(), "0 errors, 0 warnings, 0 infos");
    assert_eq!(
        syncpolicy_report::sarif::file_uri("/tmp/a b.json"),
        "file:///tmp/a%20b.json"
    );
    assert_eq!(
        syncpolicy_report::sarif::file_uri("C:\\x\\y.json"),
        "file:///C:/x/y.json"
    );
    assert_eq!(
        syncpolicy_report::sarif::file_uri("samples/x#1.json"),
        "samples/x%231.json"
    );
}

#[test]
fn control_characters_of_the_line_never_reach_the_terminal() {
    // ESC (an ANSI sequence), BEL, a C1 control, a right-to-left override, DEL, a tab.
    let line = "{\"Name\": \"\u{1b}[2J\u{7}\u{9b}31m\u{202e}x\u{7f}\t\", \"bad\": 1}";
    let d = Diagnostic::new(
        "SP024",
        "x",
        Severity::Error,
        "bad",
        Location::file("f.json").with_position(1, 33),
    );
    let out = render_text(
        &[d],
        &HashMap::from([("f.json".to_owned(), line.to_owned())]),
        false,
    );
    assert!(
        !out.chars()
            .any(|c| c != '\n' && (c.is_control() || c == '\u{202e}')),
        "{out:?}"
    );
    assert!(out.contains("␛[2J"), "{out}");
}

#[test]
fn a_one_line_file_of_megabytes_prints_a_window() {
    let line = format!("{{\"x\": \"{}\", \"bad\": 1}}", "a".repeat(1_800_000));
    let col = line.find("\"bad\"").unwrap() as u32 + 1;
    let d = Diagnostic::new(
        "SP024",
        "x",
        Severity::Error,
        "bad",
        Location::file("f.json").with_position(1, col),
    );
    let out = render_text(&[d], &HashMap::from([("f.json".to_owned(), line)]), false);
    assert!(out.len() < 600, "{} bytes: {out}", out.len());
    let lines: Vec<&str> = out.lines().collect();
    let caret = lines[4].find('^').unwrap();
    assert_eq!(lines[3].chars().nth(caret), Some('"'), "{out}");
    assert!(lines[4].contains("^^^^^"), "{out}");
}
