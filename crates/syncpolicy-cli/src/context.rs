//! Global options shared by every command, and what they decide (colour, verbosity).

use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

/// Options accepted by every command.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Deployment home folder (database and exports/).
    #[arg(long, global = true, env = "SYNCPOLICY_HOME", value_name = "DIR")]
    pub(crate) home: Option<PathBuf>,
    /// Database URL: a SQLite file path (the default) or postgres://user@host/db.
    #[arg(long, global = true, env = "SYNCPOLICY_DATABASE", value_name = "URL")]
    pub(crate) database: Option<String>,
    /// Print less: no progress, no summaries on stderr.
    #[arg(long, short = 'q', global = true)]
    pub(crate) quiet: bool,
    /// Print more about what is being done.
    #[arg(long, short = 'v', global = true)]
    pub(crate) verbose: bool,
    /// Colour output: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// How long a change waits for another change of the deployment to finish, in seconds
    /// (default 300); the wait says which process holds the lock.
    #[arg(
        long,
        global = true,
        env = "SYNCPOLICY_LOCK_TIMEOUT",
        value_name = "SECONDS"
    )]
    pub(crate) lock_timeout: Option<u64>,
}

/// What the global options decide, handed to every command.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) home: Option<PathBuf>,
    pub(crate) database: Option<String>,
    pub(crate) quiet: bool,
    pub(crate) verbose: bool,
    /// `--lock-timeout`, in seconds.
    pub(crate) lock_timeout: Option<u64>,
    /// Colour on standard output.
    pub(crate) color_stdout: bool,
    /// Colour on standard error.
    pub(crate) color_stderr: bool,
}

impl Context {
    pub(crate) fn new(args: &GlobalArgs) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |is_tty: bool| match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_tty && !no_color,
        };
        Context {
            home: args.home.clone(),
            database: args.database.clone(),
            quiet: args.quiet,
            verbose: args.verbose,
            lock_timeout: args.lock_timeout,
            color_stdout: decide(std::io::stdout().is_terminal()),
            color_stderr: decide(std::io::stderr().is_terminal()),
        }
    }

    /// Prints an error and its causes to stderr as `error: ...` lines; a line of the message
    /// that starts with `hint:` is kept as it is.
    pub(crate) fn print_error(&self, err: &anyhow::Error) {
        let (red, reset) = if self.color_stderr {
            ("\x1b[1;31m", "\x1b[0m")
        } else {
            ("", "")
        };
        eprintln!("{red}error{reset}: {err}");
        for cause in crate::errors::causes(err) {
            eprintln!("  caused by: {cause}");
        }
        if let Some(hint) = crate::errors::os_hint(err) {
            eprintln!("hint: {hint}");
        }
    }

    /// Prints a progress or status line on stderr unless `--quiet`.
    pub(crate) fn status(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }
}
