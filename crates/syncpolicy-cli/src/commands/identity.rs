//! `syncpolicy identity`: source anchor, user principal name attribute and user matching.

use crate::change::{self, ChangeArgs};
use crate::context::{Context, DeploymentArgs};
use std::process::ExitCode;
use syncpolicy_edit::features;

/// Arguments of `syncpolicy identity`.
#[derive(Debug, clap::Args)]
pub(crate) struct IdentityArgs {
    /// The source anchor attribute, e.g. mS-DS-ConsistencyGuid or objectGUID.
    #[arg(long)]
    pub(crate) source_anchor: Option<String>,
    /// The attribute that becomes the user principal name, e.g. userPrincipalName or mail.
    #[arg(long)]
    pub(crate) upn: Option<String>,
    /// How users in several forests are matched: UsersRepresentedOnce, MailAttribute,
    /// ObjectSIDAndMsExchMasterAccountSID, SAMAccountNameAndMailNickname or SpecificAttribute
    /// (with --matching-attribute).
    #[arg(long)]
    pub(crate) matching: Option<String>,
    /// The attribute used when matching on a specific attribute.
    #[arg(long)]
    pub(crate) matching_attribute: Option<String>,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

pub(crate) fn run(args: &IdentityArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    change::apply(ctx, &args.change, "identity", |c| {
        features::set_identity(
            c,
            args.source_anchor.as_deref(),
            args.upn.as_deref(),
            args.matching.as_deref(),
            args.matching_attribute.as_deref(),
        )
    })
}
