//! `syncpolicy signin`: the sign-in method, password hash sync and seamless single sign-on.

use crate::change::{self, ChangeArgs, OnOff};
use crate::context::{Context, DeploymentArgs};
use clap::ValueEnum;
use std::process::ExitCode;
use syncpolicy_edit::features;
use syncpolicy_model::signin::SignInMethod;

/// Sign-in methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Method {
    /// Password hash synchronization.
    Phs,
    /// Pass-through authentication.
    Pta,
    /// Federation with AD FS.
    Adfs,
    /// Federation with PingFederate.
    Ping,
    /// Do not configure sign-in.
    None,
}

impl Method {
    pub(crate) fn to_model(self) -> SignInMethod {
        match self {
            Method::Phs => SignInMethod::PasswordHashSync,
            Method::Pta => SignInMethod::PassThroughAuthentication,
            Method::Adfs => SignInMethod::FederationWithAdfs,
            Method::Ping => SignInMethod::FederationWithPing,
            Method::None => SignInMethod::NotConfigured,
        }
    }
}

/// Arguments of `syncpolicy signin`.
#[derive(Debug, clap::Args)]
pub(crate) struct SigninArgs {
    /// The sign-in method (unchanged when omitted).
    #[arg(long, value_enum)]
    pub(crate) method: Option<Method>,
    /// Password hash synchronization (as the method, or next to another method).
    #[arg(long, value_enum)]
    pub(crate) password_hash_sync: Option<OnOff>,
    /// Seamless single sign-on (not with federation).
    #[arg(long, value_enum)]
    pub(crate) sso: Option<OnOff>,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

pub(crate) fn run(args: &SigninArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    change::apply(ctx, &args.change, "signin", |c| {
        features::set_sign_in(
            c,
            args.method.map(Method::to_model),
            args.password_hash_sync.map(OnOff::on),
            args.sso.map(OnOff::on),
        )
    })
}
