//! The command-line reference as a snapshot: every command's `--help`, so that a change to
//! the interface shows up in review; the help's headings and usage lines, shell completions
//! and the manual page. (That every argument, option and value has a description is checked
//! on the clap definition itself, in the binary's `commands::help_tests`.)

use crate::support::{run, stderr, stdout};

const COMMANDS: &[&[&str]] = &[
    &[],
    &["show"],
    &["validate"],
    &["diff"],
    &["plan"],
    &["migrate"],
    &["install"],
    &["export"],
    &["history"],
    &["verify"],
    &["staging"],
    &["directory"],
    &["partition"],
    &["partition", "add"],
    &["ou"],
    &["connector"],
    &["signin"],
    &["feature"],
    &["feature", "group-writeback"],
    &["identity"],
    &["scheduler"],
    &["runprofile"],
    &["rule"],
    &["rule", "add"],
    &["rule", "edit"],
    &["rule", "export"],
    &["expr"],
    &["generate"],
    &["generate", "objects"],
    &["simulate"],
    &["impact"],
    &["completions"],
    &["man"],
    &["schema"],
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

/// The names of the top-level commands, as `--help` lists them.
fn command_names() -> Vec<String> {
    let help = stdout(&run(&["--help"]));
    let list = help
        .split("Commands:\n")
        .nth(1)
        .expect("a command list")
        .split("\n\n")
        .next()
        .unwrap();
    list.lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn short_and_long_help_name_the_tool_the_same_way() {
    for args in [&["-h"][..], &["--help"], &["help"]] {
        let o = run(args);
        assert!(o.status.success(), "{args:?}");
        let out = stdout(&o);
        assert!(
            out.starts_with(
                "Synchronization settings management for Entra Connect-style directory sync servers"
            ),
            "{args:?}: {out}"
        );
        assert!(
            out.contains("Usage: syncpolicy [OPTIONS] <COMMAND>"),
            "{args:?}"
        );
    }
    for command in command_names() {
        let short = stdout(&run(&[&command, "-h"]));
        let long = stdout(&run(&[&command, "--help"]));
        let usage = |text: &str| {
            text.lines()
                .find(|l| l.starts_with("Usage: "))
                .map(str::to_owned)
        };
        assert_eq!(usage(&short), usage(&long), "{command}");
        assert!(
            usage(&long).is_some_and(|u| u.starts_with(&format!("Usage: syncpolicy {command}"))),
            "{command}: {long}"
        );
    }
}

#[test]
fn global_options_have_their_own_heading_and_deployment_options_only_where_they_mean_something() {
    let names = command_names();
    assert!(names.len() >= 29, "{names:?}");
    for command in &names {
        let help = stdout(&run(&[command, "--help"]));
        let global = help
            .split("\nGlobal options:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{command}: no Global options heading"));
        for option in ["--quiet", "--verbose", "--color"] {
            assert!(global.contains(option), "{command}: {option}");
        }
        let files_only = [
            "expr",
            "generate",
            "migrate",
            "completions",
            "man",
            "schema",
        ];
        let has_deployment = help.contains("\nDeployment options:\n      --home <DIR>");
        assert_eq!(
            has_deployment,
            !files_only.contains(&command.as_str()),
            "{command}: {help}"
        );
        assert_eq!(
            help.contains("--database <URL>"),
            has_deployment,
            "{command}"
        );
        assert_eq!(help.contains("--lock-timeout"), has_deployment, "{command}");
    }
    // The top level names neither: they belong to the commands.
    let top = stdout(&run(&["--help"]));
    assert!(!top.contains("--home"), "{top}");
    assert!(top.contains("Global options:"), "{top}");
}

#[test]
fn deployment_options_go_after_the_command_and_are_refused_where_meaningless() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("nowhere");
    let home = home.to_str().unwrap();
    // After the command name (and, for a command with subcommands, after either name).
    for args in [
        &["history", "--home", home][..],
        &["rule", "--home", home, "list"],
        &["rule", "list", "--home", home],
        // Before the command name, as earlier versions took it.
        &["--home", home, "history"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains(&format!("no deployment in {home}")),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    let o = run(&["expr", "check", "Trim([a])", "--home", home]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unexpected argument '--home'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn completions_for_every_shell_name_the_commands() {
    let names = command_names();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.len() > 1000, "{shell}: {script}");
        for name in &names {
            assert!(script.contains(name.as_str()), "{shell}: {name}");
        }
        // Options of nested commands too.
        assert!(script.contains("link-type"), "{shell}");
    }
    let o = run(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("powershell"), "{}", stderr(&o));
}

#[test]
fn the_manual_page_is_roff_with_a_header() {
    let th = |text: &str| {
        text.lines()
            .find(|l| l.starts_with(".TH "))
            .map(str::to_owned)
    };
    let page = stdout(&run(&["man"]));
    let header = th(&page).expect("a .TH header");
    assert!(header.starts_with(".TH syncpolicy 1 "), "{header}");
    assert!(header.contains(env!("CARGO_PKG_VERSION")), "{header}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
    ] {
        assert!(page.contains(section), "{section}");
    }
    // Every line is a roff request, text or an escape, none with raw control characters.
    assert!(!page.chars().any(|c| c.is_control() && c != '\n'));

    let sub = stdout(&run(&["man", "rule", "add"]));
    let header = th(&sub).expect("a .TH header");
    assert!(header.starts_with(".TH syncpolicy-rule-add 1 "), "{header}");
    assert!(sub.contains("link\\-type"), "{sub}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("syncpolicy.1");
    let o = run(&["man", "-o", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), page);

    let o = run(&["man", "rule", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`syncpolicy rule` has no command \"nope\""),
        "{}",
        stderr(&o)
    );
}
