//! The command-line reference as a snapshot: every command's `--help`, so that a change to
//! the interface shows up in review.

use crate::support::{run, stdout};

const COMMANDS: &[&[&str]] = &[
    &[],
    &["show"],
    &["validate"],
    &["diff"],
    &["migrate"],
    &["install"],
    &["export"],
    &["history"],
    &["verify"],
    &["staging"],
    &["directory"],
    &["partition"],
    &["ou"],
    &["connector"],
    &["signin"],
    &["feature"],
    &["identity"],
    &["scheduler"],
    &["runprofile"],
    &["rule"],
    &["rule", "add"],
    &["rule", "edit"],
    &["expr"],
    &["generate"],
    &["generate", "objects"],
    &["simulate"],
    &["impact"],
];

#[test]
fn command_line_reference() {
    let mut reference = String::new();
    for command in COMMANDS {
        let mut args: Vec<&str> = command.to_vec();
        args.push("--help");
        let o = run(&args);
        assert!(o.status.success(), "{args:?}");
        reference.push_str(&format!("==== syncpolicy {}\n", args.join(" ")));
        reference.push_str(&stdout(&o));
        reference.push('\n');
    }
    insta::assert_snapshot!("command_line_reference", reference);
}
