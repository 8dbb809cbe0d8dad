//! `syncpolicy feature`: optional features — password, group and device writeback, Exchange
//! hybrid, mail public folders, group filtering, directory extensions, app and attribute
//! filtering, the accidental-delete threshold.

use crate::change::{self, ChangeArgs, OnOff};
use crate::context::Context;
use clap::Subcommand;
use std::process::ExitCode;
use syncpolicy_edit::features::{self, DirectoryDnFeature, Switch};

/// Arguments of `syncpolicy feature`.
#[derive(Debug, clap::Args)]
pub(crate) struct FeatureArgs {
    #[command(subcommand)]
    pub(crate) action: FeatureAction,
}

/// A DN to turn a per-directory feature on with, or `--off`.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub(crate) struct DnOrOff {
    /// The container or group DN that turns the feature on.
    #[arg(long, value_name = "DN")]
    pub(crate) dn: Option<String>,
    /// Turn the feature off.
    #[arg(long)]
    pub(crate) off: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum FeatureAction {
    /// Password writeback on or off.
    PasswordWriteback {
        state: OnOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Exchange hybrid deployment on or off.
    ExchangeHybrid {
        state: OnOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Mail-enabled public folders on or off.
    PublicFolders {
        state: OnOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Group writeback for a forest: the container groups are written to, or --off.
    GroupWriteback {
        /// The forest (directory) the groups are written back to.
        directory: String,
        #[command(flatten)]
        target: DnOrOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Device writeback for a forest: the container devices are written to, or --off.
    DeviceWriteback {
        /// The forest (directory) the devices are written back to.
        directory: String,
        #[command(flatten)]
        target: DnOrOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Group filtering (pilot): only members of this group in the forest synchronize, or --off.
    GroupFiltering {
        directory: String,
        #[command(flatten)]
        target: DnOrOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Add a directory extension attribute synchronized to Entra ID.
    ExtensionAdd {
        /// The attribute: bare (employeeType) or as `show` prints it (user.employeeType).
        attribute: String,
        /// Its object class: user or group (default: user, or the one in the name).
        #[arg(long)]
        object_class: Option<String>,
        /// Its data type: String, Integer, Boolean or Binary (multi-valued: String or Binary).
        #[arg(long, default_value = "String")]
        data_type: String,
        /// The attribute holds several values.
        #[arg(long)]
        multi_valued: bool,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Remove a directory extension attribute.
    ExtensionRemove {
        /// The attribute: bare (employeeType) or as `show` prints it (user.employeeType).
        attribute: String,
        /// Its object class (default: user, or the one in the name).
        #[arg(long)]
        object_class: Option<String>,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Entra ID app and attribute filtering: the apps whose attributes synchronize and the
    /// attributes left out (an empty value clears a list).
    AppFilter {
        /// Comma-separated application names as the wizard offers them ("" for all apps):
        /// Office 365 ProPlus, Exchange Online, SharePoint Online, Lync Online, Azure RMS,
        /// Intune, Dynamics CRM, 3rd party application.
        #[arg(long, value_delimiter = ',')]
        apps: Option<Vec<String>>,
        /// Comma-separated attributes not synchronized ("" for none).
        #[arg(long, value_delimiter = ',')]
        exclude_attributes: Option<Vec<String>>,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// The accidental-delete threshold: a number of deletions, or `off`.
    DeletionThreshold {
        /// A number, or off.
        threshold: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

fn clean(list: &Option<Vec<String>>) -> Option<Vec<String>> {
    list.as_ref().map(|l| {
        l.iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

pub(crate) fn run(args: &FeatureArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    use FeatureAction as A;
    match &args.action {
        A::PasswordWriteback { state, change } => {
            change::apply(ctx, change, "feature password-writeback", |c| {
                features::set_switch(c, Switch::PasswordWriteback, state.on())
            })
        }
        A::ExchangeHybrid { state, change } => {
            change::apply(ctx, change, "feature exchange-hybrid", |c| {
                features::set_switch(c, Switch::ExchangeHybrid, state.on())
            })
        }
        A::PublicFolders { state, change } => {
            change::apply(ctx, change, "feature public-folders", |c| {
                features::set_switch(c, Switch::MailPublicFolders, state.on())
            })
        }
        A::GroupWriteback {
            directory,
            target,
            change,
        } => change::apply(ctx, change, "feature group-writeback", |c| {
            features::set_directory_dn(
                c,
                DirectoryDnFeature::GroupWriteback,
                directory,
                target.dn.as_deref(),
            )
        }),
        A::DeviceWriteback {
            directory,
            target,
            change,
        } => change::apply(ctx, change, "feature device-writeback", |c| {
            features::set_directory_dn(
                c,
                DirectoryDnFeature::DeviceWriteback,
                directory,
                target.dn.as_deref(),
            )
        }),
        A::GroupFiltering {
            directory,
            target,
            change,
        } => change::apply(ctx, change, "feature group-filtering", |c| {
            features::set_directory_dn(
                c,
                DirectoryDnFeature::GroupFiltering,
                directory,
                target.dn.as_deref(),
            )
        }),
        A::ExtensionAdd {
            attribute,
            object_class,
            data_type,
            multi_valued,
            change,
        } => change::apply(ctx, change, "feature extension-add", |c| {
            features::add_directory_extension(
                c,
                attribute,
                object_class.as_deref(),
                data_type,
                *multi_valued,
            )
        }),
        A::ExtensionRemove {
            attribute,
            object_class,
            change,
        } => change::apply(ctx, change, "feature extension-remove", |c| {
            features::remove_directory_extension(c, attribute, object_class.as_deref())
        }),
        A::AppFilter {
            apps,
            exclude_attributes,
            change,
        } => change::apply(ctx, change, "feature app-filter", |c| {
            features::set_app_filter(c, clean(apps), clean(exclude_attributes))
        }),
        A::DeletionThreshold { threshold, change } => {
            let value = if threshold.eq_ignore_ascii_case("off") {
                None
            } else {
                Some(threshold.trim().parse::<u32>().map_err(|_| {
                    anyhow::anyhow!("{threshold:?} is not a number of deletions\nhint: give a whole number such as 500, or off")
                })?)
            };
            change::apply(ctx, change, "feature deletion-threshold", |c| {
                features::set_deletion_threshold(c, value)
            })
        }
    }
}
