//! `syncpolicy feature`: optional features — password, group and device writeback, Exchange
//! hybrid, mail public folders, group filtering, directory extensions, app and attribute
//! filtering, the accidental-delete threshold.

use crate::change::{self, ChangeArgs, OnOff};
use crate::context::{Context, DeploymentArgs};
use clap::Subcommand;
use std::process::ExitCode;
use syncpolicy_edit::features::{self, DirectoryDnFeature, Switch};

/// Arguments of `syncpolicy feature`.
#[derive(Debug, clap::Args)]
pub(crate) struct FeatureArgs {
    #[command(subcommand)]
    pub(crate) action: FeatureAction,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

/// A DN to turn a per-directory feature on with (after the directory, as `ou` takes its
/// container), or `--off`. `--dn DN`, the earlier spelling, is still accepted.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub(crate) struct DnOrOff {
    /// The container or group DN that turns the feature on, e.g.
    /// OU=Writeback,DC=contoso,DC=com.
    #[arg(value_name = "DN")]
    pub(crate) dn: Option<String>,
    /// The DN, as an option (the earlier spelling).
    #[arg(long = "dn", value_name = "DN", hide = true)]
    pub(crate) dn_option: Option<String>,
    /// Turn the feature off.
    #[arg(long)]
    pub(crate) off: bool,
}

impl DnOrOff {
    /// The DN given, either way; `None` for `--off`.
    pub(crate) fn dn(&self) -> Option<&str> {
        self.dn.as_deref().or(self.dn_option.as_deref())
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum FeatureAction {
    /// Password writeback on or off.
    PasswordWriteback {
        /// Whether Entra ID writes password changes back to the on-premises directories.
        state: OnOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Exchange hybrid deployment on or off.
    ExchangeHybrid {
        /// Whether the Exchange hybrid attributes are written back on-premises.
        state: OnOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Mail-enabled public folders on or off.
    PublicFolders {
        /// Whether mail-enabled public folders synchronize to Entra ID.
        state: OnOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Group writeback for a forest: the container groups are written to, or --off.
    #[command(
        override_usage = "syncpolicy feature group-writeback [OPTIONS] <DIRECTORY> <DN|--off>"
    )]
    GroupWriteback {
        /// The forest (directory) the groups are written back to.
        directory: String,
        #[command(flatten)]
        target: DnOrOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Device writeback for a forest: the container devices are written to, or --off.
    #[command(
        override_usage = "syncpolicy feature device-writeback [OPTIONS] <DIRECTORY> <DN|--off>"
    )]
    DeviceWriteback {
        /// The forest (directory) the devices are written back to.
        directory: String,
        #[command(flatten)]
        target: DnOrOff,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Group filtering (pilot): only members of this group in the forest synchronize, or --off.
    #[command(
        override_usage = "syncpolicy feature group-filtering [OPTIONS] <DIRECTORY> <DN|--off>"
    )]
    GroupFiltering {
        /// The forest (directory) whose objects are filtered.
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
                target.dn(),
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
                target.dn(),
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
                target.dn(),
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
