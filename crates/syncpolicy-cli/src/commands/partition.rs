//! `syncpolicy partition`: add, select or deselect a domain partition; preferred domain
//! controllers.

use crate::change::{self, ChangeArgs};
use crate::context::{Context, DeploymentArgs};
use clap::Subcommand;
use std::process::ExitCode;
use syncpolicy_edit::directory;

/// Arguments of `syncpolicy partition`.
#[derive(Debug, clap::Args)]
pub(crate) struct PartitionArgs {
    #[command(subcommand)]
    pub(crate) action: PartitionAction,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PartitionAction {
    /// Add a domain of the forest as a partition (not selected unless --select).
    Add {
        /// The directory (forest) name.
        directory: String,
        /// The domain: its DNS name (emea.contoso.com) or its partition DN
        /// (DC=emea,DC=contoso,DC=com).
        domain: String,
        /// Select it for synchronization too.
        #[arg(long)]
        select: bool,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Synchronize a domain partition.
    Select {
        /// The directory (forest) name.
        directory: String,
        /// The partition's DN or DNS name.
        partition: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Stop synchronizing a domain partition.
    Deselect {
        /// The directory (forest) name.
        directory: String,
        /// The partition's DN or DNS name.
        partition: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Set the preferred domain controllers of a partition (none given: clear them).
    Controllers {
        /// The directory (forest) name.
        directory: String,
        /// The partition's DN or DNS name.
        partition: String,
        /// Domain controllers by DNS name, in order of preference.
        controllers: Vec<String>,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

pub(crate) fn run(args: &PartitionArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    match &args.action {
        PartitionAction::Add {
            directory: d,
            domain,
            select,
            change,
        } => change::apply(ctx, change, "partition add", |c| {
            directory::add_partition(c, d, domain, *select)
        }),
        PartitionAction::Select {
            directory: d,
            partition,
            change,
        } => change::apply(ctx, change, "partition select", |c| {
            directory::select_partition(c, d, partition, true)
        }),
        PartitionAction::Deselect {
            directory: d,
            partition,
            change,
        } => change::apply(ctx, change, "partition deselect", |c| {
            directory::select_partition(c, d, partition, false)
        }),
        PartitionAction::Controllers {
            directory: d,
            partition,
            controllers,
            change,
        } => change::apply(ctx, change, "partition controllers", |c| {
            directory::set_preferred_controllers(c, d, partition, controllers.clone())
        }),
    }
}
