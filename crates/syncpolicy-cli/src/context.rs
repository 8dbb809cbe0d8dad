//! Global options shared by every command, and what they decide (colour, verbosity); the
//! deployment options of the commands that open a deployment.

use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour, also into a pipe or a file.
    Always,
    /// Never colour.
    Never,
}

/// Output options, accepted by every command, before or after its name.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct GlobalArgs {
    /// Print less: no progress, no summaries on stderr.
    #[arg(long, short = 'q', global = true)]
    pub(crate) quiet: bool,
    /// Print more about what is being done.
    #[arg(long, short = 'v', global = true)]
    pub(crate) verbose: bool,
    /// Colour output: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// The deployment options given before the command name, as earlier versions took them.
    #[command(flatten)]
    pub(crate) leading: LeadingDeploymentArgs,
}

/// Options of the commands that open a deployment (its changes, its history, or a snapshot
/// reference such as `@latest` as a source). Each also comes from an environment variable.
#[derive(Debug, Args)]
#[command(next_help_heading = "Deployment options")]
pub(crate) struct DeploymentArgs {
    /// Deployment home folder (database and exports/), or SYNCPOLICY_HOME. Default:
    /// $XDG_DATA_HOME/syncpolicy, else ~/.local/share/syncpolicy (%LOCALAPPDATA%\syncpolicy
    /// on Windows).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) home: Option<PathBuf>,
    /// Database URL, or SYNCPOLICY_DATABASE: at install, a SQLite file path (the default:
    /// syncpolicy.db in the home folder) or postgres://user@host/db; later, the URL recorded
    /// at install is used, and this only overrides it (e.g. to give a password).
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) database: Option<String>,
    /// How long a change waits for another change of the deployment to finish, in seconds,
    /// or SYNCPOLICY_LOCK_TIMEOUT (default 300); the wait says which process holds the lock.
    #[arg(long, global = true, value_name = "SECONDS")]
    pub(crate) lock_timeout: Option<u64>,
}

/// The deployment options before the command name (`syncpolicy --home DIR show`, as earlier
/// versions took them), and their environment variables: accepted, not listed; the same
/// options after the command name win.
#[derive(Debug, Args)]
pub(crate) struct LeadingDeploymentArgs {
    /// Deployment home folder (listed under each command that opens a deployment).
    #[arg(
        long = "home",
        id = "leading_home",
        hide = true,
        env = "SYNCPOLICY_HOME",
        value_name = "DIR"
    )]
    pub(crate) home: Option<PathBuf>,
    /// Database URL (listed under each command that opens a deployment).
    #[arg(
        long = "database",
        id = "leading_database",
        hide = true,
        env = "SYNCPOLICY_DATABASE",
        value_name = "URL"
    )]
    pub(crate) database: Option<String>,
    /// Lock timeout in seconds (listed under each command that opens a deployment).
    #[arg(
        long = "lock-timeout",
        id = "leading_lock_timeout",
        hide = true,
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
    /// Built once, from the global options and, for a command that opens a deployment, its
    /// deployment options (which win over the same options given before the command name).
    pub(crate) fn new(args: &GlobalArgs, deployment: Option<&DeploymentArgs>) -> Self {
        let leading = &args.leading;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |is_tty: bool| match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_tty && !no_color,
        };
        Context {
            home: deployment
                .and_then(|d| d.home.clone())
                .or_else(|| leading.home.clone()),
            database: deployment
                .and_then(|d| d.database.clone())
                .or_else(|| leading.database.clone()),
            quiet: args.quiet,
            verbose: args.verbose,
            lock_timeout: deployment
                .and_then(|d| d.lock_timeout)
                .or(leading.lock_timeout),
            color_stdout: decide(std::io::stdout().is_terminal()),
            color_stderr: decide(std::io::stderr().is_terminal()),
        }
    }

    /// Prints an error and its causes to stderr as `error: ...` lines; a line of the message
    /// that starts with `hint:` is kept as it is.
    pub(crate) fn print_error(&self, err: &anyhow::Error) {
        let red = error_style(self.color_stderr);
        eprintln!("{}error{}: {err}", red.render(), red.render_reset());
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

/// The style of an `error` headline: bold red with colour, plain (no escape codes) without.
pub(crate) fn error_style(color: bool) -> anstyle::Style {
    if color {
        anstyle::AnsiColor::Red
            .on_default()
            .effects(anstyle::Effects::BOLD)
    } else {
        anstyle::Style::new()
    }
}
