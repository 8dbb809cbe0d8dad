//! `syncpolicy connector`: the object types and attributes a connector imports (what the
//! product only lets you set in its service manager, and loses on import).

use crate::change::{self, ChangeArgs};
use crate::context::{Context, DeploymentArgs};
use clap::Subcommand;
use std::process::ExitCode;
use syncpolicy_edit::directory;

/// Arguments of `syncpolicy connector`.
#[derive(Debug, clap::Args)]
pub(crate) struct ConnectorArgs {
    #[command(subcommand)]
    pub(crate) action: ConnectorAction,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConnectorAction {
    /// Set the object types a connector imports (replaces the list).
    ObjectTypes {
        /// The directory: a forest name, or `entra`.
        directory: String,
        /// Object classes, e.g. user group contact computer.
        #[arg(required = true)]
        types: Vec<String>,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Set the attributes a connector imports (replaces the list).
    Attributes {
        /// The directory: a forest name, or `entra`.
        directory: String,
        /// Attribute names.
        #[arg(required = true)]
        attributes: Vec<String>,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

pub(crate) fn run(args: &ConnectorArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    match &args.action {
        ConnectorAction::ObjectTypes {
            directory: d,
            types,
            change,
        } => change::apply(ctx, change, "connector object-types", |c| {
            directory::set_object_types(c, d, types.clone())
        }),
        ConnectorAction::Attributes {
            directory: d,
            attributes,
            change,
        } => change::apply(ctx, change, "connector attributes", |c| {
            directory::set_attribute_inclusions(c, d, attributes.clone())
        }),
    }
}
