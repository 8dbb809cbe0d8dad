//! The terminal side of the interface: progress shown on a terminal and never when standard
//! error is piped or with `--quiet`; colour only when wanted (`--color never` and `NO_COLOR`
//! print no escape codes, on a terminal too); the confirmation of change commands accepts only
//! yes or no.

use crate::support::{run, stderr, stdout, workspace};
use std::process::Command;

/// A lint fixture with errors (findings are printed in colour when colour is on).
const WITH_ERRORS: &str =
    "crates/syncpolicy-lint/tests/data/invalid/SP010-duplicate-custom-precedence.json";

/// The binary on a pseudo-terminal, with the given environment, run to its end; returns all it
/// printed (standard output and error share the terminal).
fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_syncpolicy"));
    cmd.args(args)
        .current_dir(workspace())
        .env_remove("NO_COLOR")
        .env_remove("SYNCPOLICY_HOME")
        .env_remove("SYNCPOLICY_DATABASE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut p =
        rexpect::session::spawn_command(cmd, Some(60_000)).expect("the binary starts on a pty");
    p.exp_eof().expect("the command ends")
}

#[test]
fn progress_is_shown_on_a_terminal_only() {
    // On a terminal: the reading phase with the file's size, then validation.
    let shown = on_terminal(&["validate", WITH_ERRORS], &[]);
    assert!(
        shown.contains(&format!("reading {WITH_ERRORS} (")),
        "{shown:?}"
    );
    assert!(
        shown.contains(&format!("validating {WITH_ERRORS}")),
        "{shown:?}"
    );
    // The findings are still printed in full after the spinner is cleared.
    assert!(shown.contains("duplicate-custom-precedence"), "{shown:?}");

    // --quiet on a terminal: no progress, only the summary line.
    let quiet = on_terminal(&["--quiet", "validate", WITH_ERRORS], &[]);
    assert!(quiet.contains("validated 1 source: 1 error"), "{quiet:?}");
    assert!(!quiet.contains("duplicate-custom-precedence"), "{quiet:?}");
    assert!(!quiet.contains("reading "), "{quiet:?}");
    assert!(!quiet.contains("validating "), "{quiet:?}");

    // Standard error piped: no progress, nothing but the usual output.
    let piped = run(&["validate", WITH_ERRORS]);
    assert_eq!(piped.status.code(), Some(1), "{}", stderr(&piped));
    let err = stderr(&piped);
    assert!(!err.contains("reading "), "{err:?}");
    assert!(!err.contains("validating "), "{err:?}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    let sides = run(&[
        "diff",
        "samples/express-single-forest.json",
        "samples/multi-forest-custom.json",
    ]);
    assert!(!stderr(&sides).contains("comparing"), "{}", stderr(&sides));
}

#[test]
fn colour_only_when_wanted() {
    // A terminal colours by default (an expression check has no progress display)...
    let auto = on_terminal(&["expr", "check", "Lefft([a],2)"], &[]);
    assert!(auto.contains("\u{1b}["), "{auto:?}");
    // ...but not with --color never or NO_COLOR (and --quiet: no spinner either), so the
    // output has no escape code at all.
    for (args, env) in [
        (
            vec!["--quiet", "--color", "never", "validate", WITH_ERRORS],
            vec![],
        ),
        (
            vec!["--quiet", "validate", WITH_ERRORS],
            vec![("NO_COLOR", "1")],
        ),
        (
            vec!["expr", "check", "Lefft([a],2)"],
            vec![("NO_COLOR", "1")],
        ),
        (
            vec![
                "--quiet",
                "--color",
                "never",
                "expr",
                "check",
                "Lefft([a],2)",
            ],
            vec![],
        ),
        (
            vec!["--quiet", "--color", "never", "validate", "missing.json"],
            vec![],
        ),
    ] {
        let out = on_terminal(&args, &env);
        assert!(!out.contains('\u{1b}'), "{args:?} {env:?}: {out:?}");
        assert!(!out.is_empty(), "{args:?}");
    }
    // Piped with --color always: coloured, in the styles' escape codes.
    let always = run(&["--color", "always", "validate", WITH_ERRORS]);
    assert!(
        stdout(&always).contains("\u{1b}[1m\u{1b}[31merror[SP010]"),
        "{}",
        stdout(&always)
    );
    let error = run(&["--color", "always", "validate", "missing.json"]);
    assert!(
        stderr(&error).contains("\u{1b}[1m\u{1b}[31merror\u{1b}[0m: "),
        "{}",
        stderr(&error)
    );
    // Piped, colour decided automatically: none.
    let plain = run(&["validate", WITH_ERRORS]);
    assert!(!stdout(&plain).contains('\u{1b}'));
}
