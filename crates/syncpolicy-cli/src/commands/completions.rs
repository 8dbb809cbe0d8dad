//! `syncpolicy completions SHELL`: the shell completion script of the whole command line,
//! generated from the clap definition by `clap_complete`.

use crate::commands::Cli;
use crate::context::Context;
use crate::exit;
use clap::{CommandFactory, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// The shells a completion script can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Shell {
    /// Bash: `source <(syncpolicy completions bash)`, or save it in
    /// ~/.local/share/bash-completion/completions/syncpolicy.
    Bash,
    /// Zsh: save it as `_syncpolicy` in a folder of `$fpath`.
    Zsh,
    /// Fish: save it in ~/.config/fish/completions/syncpolicy.fish.
    Fish,
    /// PowerShell: `syncpolicy completions powershell | Out-String | Invoke-Expression`, e.g.
    /// in $PROFILE.
    Powershell,
    /// Elvish: `eval (syncpolicy completions elvish | slurp)`, e.g. in rc.elv.
    Elvish,
}

impl Shell {
    fn generator(self) -> clap_complete::Shell {
        match self {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
            Shell::Powershell => clap_complete::Shell::PowerShell,
            Shell::Elvish => clap_complete::Shell::Elvish,
        }
    }
}

/// Arguments of `syncpolicy completions`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Where to put the script: see the shells' descriptions in `syncpolicy completions --help`.",
    after_long_help = "Each shell's description above says where to put the script."
)]
pub(crate) struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum)]
    pub(crate) shell: Shell,
    /// Write the script to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

pub(crate) fn run(args: &CompletionsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(
        args.shell.generator(),
        &mut command,
        "syncpolicy",
        &mut script,
    );
    let script = String::from_utf8(script)?;
    crate::output::write_or_print(ctx, args.output.as_deref(), &script)?;
    Ok(ExitCode::from(exit::OK))
}
