//! `syncpolicy man [COMMAND]...`: the manual page (roff) of the tool or of one of its
//! commands, generated from the clap definition by `clap_mangen`.

use crate::commands::Cli;
use crate::context::Context;
use crate::exit;
use anyhow::bail;
use clap::CommandFactory;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `syncpolicy man`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Read it with `syncpolicy man | man -l -`, or install it: `syncpolicy man -o ~/.local/share/man/man1/syncpolicy.1`."
)]
pub(crate) struct ManArgs {
    /// The command whose page to write, e.g. `rule add` (none: the page of syncpolicy, which
    /// lists every command).
    #[arg(value_name = "COMMAND")]
    pub(crate) command: Vec<String>,
    /// Write the page to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

pub(crate) fn run(args: &ManArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut page = Cli::command();
    // Building names the subcommands' pages (syncpolicy-rule-add) and usage lines.
    page.build();
    for word in &args.command {
        let Some(sub) = page.find_subcommand(word).cloned() else {
            let name = page.get_bin_name().unwrap_or("syncpolicy").to_owned();
            bail!(
                "`{name}` has no command {:?}\nhint: `{name} --help` lists its commands",
                crate::deployment::sanitize(word)
            );
        };
        // Its page is named as man knows it (syncpolicy-rule-add), also in the footer; the
        // name lives as long as the process, which writes this one page.
        let title: &'static str = Box::leak(
            sub.get_display_name()
                .unwrap_or(sub.get_name())
                .to_owned()
                .into_boxed_str(),
        );
        page = sub.name(title);
    }
    // A subcommand's page carries the tool's version in its header too.
    let page = page.version(env!("CARGO_PKG_VERSION"));
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    let roff = String::from_utf8(roff)?;
    crate::output::write_or_print(ctx, args.output.as_deref(), &roff)?;
    Ok(ExitCode::from(exit::OK))
}
