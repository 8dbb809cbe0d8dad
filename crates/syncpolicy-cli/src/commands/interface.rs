//! `syncpolicy interface` (hidden): lists every command, from the command-line definition
//! itself, with the values its `--format` accepts, so that tests and tooling can find every
//! command that prints JSON without a list kept by hand.

use crate::commands::Cli;
use clap::CommandFactory;
use std::process::ExitCode;
use syncpolicy_views::schema::{interface_json, InterfaceCommand};

/// Arguments of `syncpolicy interface` (none).
#[derive(Debug, clap::Args)]
pub(crate) struct InterfaceArgs {}

fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<InterfaceCommand>) {
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" || sub.is_hide_set() {
            continue;
        }
        let path = if prefix.is_empty() {
            sub.get_name().to_owned()
        } else {
            format!("{prefix} {}", sub.get_name())
        };
        let formats = sub
            .get_arguments()
            .find(|a| a.get_long() == Some("format"))
            .map(|a| {
                a.get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        out.push(InterfaceCommand {
            path: path.clone(),
            formats,
        });
        walk(sub, &path, out);
    }
}

pub(crate) fn run(_args: &InterfaceArgs) -> anyhow::Result<ExitCode> {
    let mut commands = Vec::new();
    walk(&Cli::command(), "", &mut commands);
    crate::output::print_stdout(&interface_json(&commands)?)?;
    Ok(ExitCode::from(crate::exit::OK))
}
