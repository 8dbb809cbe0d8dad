//! `syncpolicy directory`: list, add or remove on-premises directories (AD forests).

use crate::change::{self, ChangeArgs};
use crate::context::Context;
use crate::output::OutputFormat;
use clap::Subcommand;
use std::process::ExitCode;
use syncpolicy_edit::directory;

/// Arguments of `syncpolicy directory`.
#[derive(Debug, clap::Args)]
pub(crate) struct DirectoryArgs {
    #[command(subcommand)]
    pub(crate) action: DirectoryAction,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DirectoryAction {
    /// List the deployment's directories.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Add an on-premises forest: its root domain becomes a selected partition, with the
    /// standard object types and run profiles. Its password is asked separately and never
    /// stored in the configuration.
    Add {
        /// The forest's DNS name, e.g. fabrikam.com.
        forest: String,
        /// The connector's name (defaults to the forest name).
        #[arg(long)]
        name: Option<String>,
        /// The account the connector signs in with, e.g. FABRIKAM\svc-aadsync.
        #[arg(long)]
        account: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Remove an on-premises directory and all its rules (asks for confirmation; --yes
    /// confirms without asking).
    Remove {
        /// The directory's name, forest or identifier.
        directory: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

pub(crate) fn run(args: &DirectoryArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    match &args.action {
        DirectoryAction::List { format } => change::list_directories(ctx, *format),
        DirectoryAction::Add {
            forest,
            name,
            account,
            change,
        } => {
            let id = change::new_identifier();
            let connector = change::default_connector(forest);
            change::apply(ctx, change, "directory add", |c| {
                change::refuse_during_import(ctx)?;
                directory::add_directory(c, forest, name.as_deref(), account, id, connector)
            })
        }
        DirectoryAction::Remove {
            directory: name,
            change,
        } => {
            change::confirm(
                ctx,
                change,
                &format!("remove directory {name} and all its rules?"),
            )?;
            change::apply(ctx, change, "directory remove", |c| {
                change::refuse_during_import(ctx)?;
                directory::remove_directory(c, name)
            })
        }
    }
}
