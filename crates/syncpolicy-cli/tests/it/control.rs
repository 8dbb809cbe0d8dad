//! Control characters in a settings file (a rule name with ESC, BEL, CR and LF) never reach the
//! terminal raw: `show`, `diff` (text and markdown) and `rule list` print them escaped.

use crate::support::{run, stderr, stdout};

const HOSTILE: &str = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\r\nFORGED LINE";

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
        "{what} lets a rule name start a line of its own:\n{out}"
    );
    assert!(
        out.contains("Evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\r\\nFORGED LINE"),
        "{what} does not show the name escaped:\n{out}"
    );
}

#[test]
fn rule_names_with_control_characters_are_printed_escaped() {
    let old = syncpolicy_samples::samples::multi_forest_custom();
    let mut new = old.clone();
    new.onpremises_directories[0].custom_rules[0].name = Some(HOSTILE.to_owned());
    let dir = tempfile::tempdir().expect("temp dir");
    let old_path = dir.path().join("old.json");
    let new_path = dir.path().join("new.json");
    std::fs::write(&old_path, syncpolicy_json::write_settings(&old)).expect("write old");
    std::fs::write(&new_path, syncpolicy_json::write_settings(&new)).expect("write new");
    let (old_arg, new_arg) = (
        old_path.to_str().expect("utf-8"),
        new_path.to_str().expect("utf-8"),
    );

    let show = run(&["show", new_arg]);
    assert!(show.status.success(), "{}", stderr(&show));
    assert_clean("show", &stdout(&show));

    let list = run(&["rule", "list", "--source", new_arg]);
    assert!(list.status.success(), "{}", stderr(&list));
    assert_clean("rule list", &stdout(&list));

    let text = run(&["diff", old_arg, new_arg]);
    assert_eq!(text.status.code(), Some(1), "{}", stderr(&text));
    assert_clean("diff", &stdout(&text));

    let md = run(&["diff", old_arg, new_arg, "--format", "markdown"]);
    assert_eq!(md.status.code(), Some(1), "{}", stderr(&md));
    assert_clean("diff --format markdown", &stdout(&md));

    let coloured = run(&["--color", "always", "diff", old_arg, new_arg]);
    let plain: String = stdout(&coloured)
        .replace("\u{1b}[0m", "")
        .replace("\u{1b}[1m", "")
        .replace("\u{1b}[2m", "")
        .replace("\u{1b}[31m", "")
        .replace("\u{1b}[32m", "")
        .replace("\u{1b}[33m", "");
    assert_clean("diff --color always", &plain);
}
