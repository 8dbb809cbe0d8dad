//! `syncpolicy ou`: OU filtering — include, exclude or clear a container. An exclusion under
//! an included parent is allowed, as in the product.

use crate::change::{self, ChangeArgs};
use crate::context::{Context, DeploymentArgs};
use clap::Subcommand;
use std::process::ExitCode;
use syncpolicy_edit::directory::{self, ContainerFilter};

/// Arguments of `syncpolicy ou`.
#[derive(Debug, clap::Args)]
pub(crate) struct OuArgs {
    #[command(subcommand)]
    pub(crate) action: OuAction,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum OuAction {
    /// Synchronize a container (and what lies under it, unless excluded).
    Include {
        /// The directory (forest) name.
        directory: String,
        /// The container's distinguished name, e.g. OU=Sales,DC=contoso,DC=com.
        dn: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Leave a container out.
    Exclude {
        /// The directory (forest) name.
        directory: String,
        /// The container's distinguished name.
        dn: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Remove a container from the inclusion and exclusion lists.
    Clear {
        /// The directory (forest) name.
        directory: String,
        /// The container's distinguished name.
        dn: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

pub(crate) fn run(args: &OuArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let (d, dn, change, filter, name) = match &args.action {
        OuAction::Include {
            directory,
            dn,
            change,
        } => (
            directory,
            dn,
            change,
            ContainerFilter::Include,
            "ou include",
        ),
        OuAction::Exclude {
            directory,
            dn,
            change,
        } => (
            directory,
            dn,
            change,
            ContainerFilter::Exclude,
            "ou exclude",
        ),
        OuAction::Clear {
            directory,
            dn,
            change,
        } => (directory, dn, change, ContainerFilter::Clear, "ou clear"),
    };
    change::apply(ctx, change, name, |c| {
        directory::filter_container(c, d, dn, filter)
    })
}
