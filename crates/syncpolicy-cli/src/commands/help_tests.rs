//! Tests of the command-line definition itself: every command, argument, option and value
//! has a description, and the global and deployment options sit under their own headings on
//! the commands where they mean something.

use super::Cli;
use clap::CommandFactory;

/// Every command below `syncpolicy`, with its full name (`syncpolicy rule add`).
fn commands() -> Vec<(String, clap::Command)> {
    fn walk(prefix: &str, command: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        let name = format!("{prefix} {}", command.get_name()).trim().to_owned();
        out.push((name.clone(), command.clone()));
        for sub in command.get_subcommands() {
            if sub.get_name() != "help" {
                walk(&name, sub, out);
            }
        }
    }
    let mut root = Cli::command();
    root.build();
    let mut out = Vec::new();
    walk("", &root, &mut out);
    out
}

#[test]
fn every_command_argument_option_and_value_is_described() {
    let mut missing = Vec::new();
    let all = commands();
    assert!(all.len() > 60, "the walk found only {} commands", all.len());
    for (name, command) in &all {
        if command.get_about().is_none() && command.get_long_about().is_none() {
            missing.push(format!("{name}: the command"));
        }
        for arg in command.get_arguments() {
            if arg.is_hide_set() {
                continue;
            }
            let id = arg.get_id().as_str();
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{name}: {id}"));
            }
            let takes_value = arg.get_num_args().is_none_or(|n| n.takes_values());
            if !takes_value {
                continue;
            }
            for value in arg.get_possible_values() {
                if !value.is_hide_set() && value.get_help().is_none() {
                    missing.push(format!("{name}: {id} value {}", value.get_name()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "without a description:\n{}",
        missing.join("\n")
    );
}

/// The commands that never open a deployment: files in, files out.
const WITHOUT_DEPLOYMENT: &[&str] = &[
    "syncpolicy expr",
    "syncpolicy generate",
    "syncpolicy migrate",
    "syncpolicy completions",
    "syncpolicy man",
    "syncpolicy schema",
    "syncpolicy interface",
];

#[test]
fn global_and_deployment_options_have_their_headings_where_they_mean_something() {
    for (name, command) in commands() {
        let heading = |id: &str| {
            command
                .get_arguments()
                .find(|a| a.get_id().as_str() == id && !a.is_hide_set())
                .map(|a| a.get_help_heading().unwrap_or("Options").to_owned())
        };
        for id in ["quiet", "verbose", "color"] {
            assert_eq!(
                heading(id).as_deref(),
                Some("Global options"),
                "{name}: --{id}"
            );
        }
        let without = WITHOUT_DEPLOYMENT
            .iter()
            .any(|c| name == *c || name.starts_with(&format!("{c} ")));
        for id in ["home", "database", "lock_timeout"] {
            let expected = if without || name == "syncpolicy" {
                None
            } else {
                Some("Deployment options")
            };
            assert_eq!(heading(id).as_deref(), expected, "{name}: {id}");
        }
    }
}

#[test]
fn the_definition_is_consistent() {
    Cli::command().debug_assert();
}
