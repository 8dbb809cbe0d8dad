//! `syncpolicy runprofile`: add or remove run profiles and their steps per connector.

use crate::change::{self, ChangeArgs};
use crate::context::{Context, DeploymentArgs};
use clap::Subcommand;
use std::process::ExitCode;
use syncpolicy_edit::directory;

/// Arguments of `syncpolicy runprofile`.
#[derive(Debug, clap::Args)]
pub(crate) struct RunprofileArgs {
    #[command(subcommand)]
    pub(crate) action: RunprofileAction,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RunprofileAction {
    /// Add an empty run profile to a connector.
    Add {
        /// The directory: a forest name, or `entra`.
        directory: String,
        /// The run profile's name.
        profile: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Remove a run profile.
    Remove {
        /// The directory: a forest name, or `entra`.
        directory: String,
        /// The run profile's name.
        profile: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Append a step: full-import, delta-import, full-sync, delta-sync or export.
    AddStep {
        /// The directory: a forest name, or `entra`.
        directory: String,
        /// The run profile's name.
        profile: String,
        /// The step type: full-import, delta-import, full-sync, delta-sync or export.
        #[arg(long = "type", value_name = "TYPE")]
        step_type: String,
        /// The partition it runs on: its DN (DC=contoso,DC=com) or, for a domain, its DNS name
        /// (contoso.com), as `partition select` takes it.
        #[arg(long)]
        partition: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Remove a step by its number (from 1).
    RemoveStep {
        /// The directory: a forest name, or `entra`.
        directory: String,
        /// The run profile's name.
        profile: String,
        /// The step's number, from 1.
        step: usize,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

pub(crate) fn run(args: &RunprofileArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    use RunprofileAction as A;
    match &args.action {
        A::Add {
            directory: d,
            profile,
            change,
        } => change::apply(ctx, change, "runprofile add", |c| {
            directory::add_run_profile(c, d, profile)
        }),
        A::Remove {
            directory: d,
            profile,
            change,
        } => change::apply(ctx, change, "runprofile remove", |c| {
            directory::remove_run_profile(c, d, profile)
        }),
        A::AddStep {
            directory: d,
            profile,
            step_type,
            partition,
            change,
        } => change::apply(ctx, change, "runprofile add-step", |c| {
            let partition = if partition.contains('=') || !partition.contains('.') {
                partition.clone()
            } else {
                directory::fqdn_to_dn(partition)
            };
            directory::add_run_step(c, d, profile, step_type, &partition)
        }),
        A::RemoveStep {
            directory: d,
            profile,
            step,
            change,
        } => change::apply(ctx, change, "runprofile remove-step", |c| {
            directory::remove_run_step(c, d, profile, *step)
        }),
    }
}
