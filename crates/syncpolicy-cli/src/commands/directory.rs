//! `syncpolicy directory`: list, add or remove on-premises directories (AD forests), and set
//! or rotate a directory's credentials. A new forest gets the out-of-box rules of a forest,
//! numbered as the wizard numbers an additional forest's; its password is asked on a
//! terminal or read from the same sources as at install, and kept in the home's secrets file
//! (never in the configuration, its exports or history).

use crate::change::{self, ChangeArgs};
use crate::context::{Context, DeploymentArgs};
use crate::output::OutputFormat;
use anyhow::bail;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_edit::directory;
use syncpolicy_model::rule::SyncRule;
use syncpolicy_store::DirectoryCredential;

/// Arguments of `syncpolicy directory`.
#[derive(Debug, clap::Args)]
pub(crate) struct DirectoryArgs {
    #[command(subcommand)]
    pub(crate) action: DirectoryAction,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

/// Where a directory's password comes from.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct CredentialArgs {
    /// Use a pre-created account: no password is stored.
    #[arg(long)]
    pub(crate) precreated: bool,
    /// File of directory passwords, one `DIRECTORY=PASSWORD` per line (`#` comments), as at
    /// install. Also read from the SYNCPOLICY_CREDENTIALS environment variable. Without
    /// either, the password is asked on a terminal. Never on the command line.
    #[arg(long, value_name = "FILE")]
    pub(crate) credential_file: Option<PathBuf>,
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
    /// standard object types, run profiles and out-of-box rules (numbered as the wizard
    /// numbers an additional forest's rules; other standard rules are renumbered). Its
    /// password is asked on a terminal or read from --credential-file / SYNCPOLICY_CREDENTIALS,
    /// and kept in the home's secrets file, never in the configuration. Refused during an
    /// import session.
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
        credential: CredentialArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Remove an on-premises directory and all its rules (asks for confirmation; --yes
    /// confirms without asking). Refused during an import session.
    Remove {
        /// The directory's name, forest or identifier.
        directory: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Set or rotate a directory's credentials: its password (asked on a terminal, or from
    /// --credential-file / SYNCPOLICY_CREDENTIALS), or a pre-created account; with --account,
    /// also the account (a change of the configuration, recorded in history; the password
    /// never is).
    Credentials {
        /// The directory's name, forest or identifier.
        directory: String,
        /// A new account for the connector, e.g. FABRIKAM\svc-aadsync2.
        #[arg(long)]
        account: Option<String>,
        #[command(flatten)]
        credential: CredentialArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

/// The out-of-box rules of one forest from the catalogue, in catalogue order, each with a new
/// identifier (the catalogue's single-forest precedence only orders them until numbered).
fn standard_rules_of_a_forest() -> Vec<SyncRule> {
    use syncpolicy_samples::catalogue::{build_standard_rule, RuleHome, STANDARD_RULES};
    STANDARD_RULES
        .iter()
        .filter(|h| h.home == RuleHome::ActiveDirectory)
        .map(|h| build_standard_rule(h, h.precedence, change::new_identifier()))
        .collect()
}

/// The password of a directory (known by `names`: name, forest, identifier): none for a
/// pre-created account, else from the credential sources, else asked on a terminal.
fn secret_for(
    names: &[&str],
    account: &str,
    credential: &CredentialArgs,
) -> anyhow::Result<Option<String>> {
    if credential.precreated {
        return Ok(None);
    }
    let passwords =
        crate::commands::install::credential_sources(credential.credential_file.as_deref())?;
    if let Some((_, p)) = passwords.iter().find(|(k, _)| {
        names
            .iter()
            .any(|n| !n.is_empty() && n.eq_ignore_ascii_case(k.trim()))
    }) {
        return Ok(Some(p.clone()));
    }
    let name = names.first().copied().unwrap_or("the directory");
    if crate::prompt::interactive() {
        return crate::commands::install::ask_password(
            &format!("Directory {name}: password for {account}"),
            &format!("directory {name}"),
        )
        .map(Some);
    }
    bail!(
        "no password for the account {account} of directory {name}, and no terminal to ask it on\nhint: give {name}=PASSWORD in --credential-file FILE or the {} environment variable, or use --precreated for a pre-created account (passwords never go on the command line)",
        crate::commands::install::CREDENTIALS_ENV
    )
}

/// Stores a directory's credential in the home's secrets file (replacing the one it had).
fn store_credential(ctx: &Context, credential: DirectoryCredential) -> anyhow::Result<()> {
    let home = syncpolicy_store::Home::new(crate::deployment::home_dir(ctx)?);
    let _lock = home.lock()?;
    let mut secrets = home.secrets()?;
    secrets
        .directories
        .retain(|d| !syncpolicy_model::identity::same_guid(&d.directory, &credential.directory));
    secrets.directories.push(credential);
    home.write_secrets(&secrets)?;
    Ok(())
}

fn stored_note(ctx: &Context, credential: &DirectoryCredential) {
    ctx.status(&if credential.precreated {
        format!(
            "  {}: pre-created account {}, no password stored",
            credential.name,
            credential.account.as_deref().unwrap_or("?")
        )
    } else {
        format!(
            "  {}: password of {} stored in the home's secrets file",
            credential.name,
            credential.account.as_deref().unwrap_or("?")
        )
    });
}

pub(crate) fn run(args: &DirectoryArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    match &args.action {
        DirectoryAction::List { format } => change::list_directories(ctx, *format),
        DirectoryAction::Add {
            forest,
            name,
            account,
            credential,
            change,
        } => {
            // Refused before a password is asked for nothing.
            change::refuse_during_import(ctx)?;
            let id = change::new_identifier();
            let connector = change::default_connector(forest);
            let rules = standard_rules_of_a_forest();
            let display = name.as_deref().unwrap_or(forest).trim().to_owned();
            let secret = if change.dry_run {
                None
            } else {
                secret_for(&[display.as_str(), forest.as_str()], account, credential)?
            };
            let code = change::apply(ctx, change, "directory add", |c| {
                change::refuse_during_import(ctx)?;
                directory::add_directory(
                    c,
                    forest,
                    name.as_deref(),
                    account,
                    id.clone(),
                    connector,
                    rules,
                )
            })?;
            if !change.dry_run {
                let stored = DirectoryCredential {
                    directory: id,
                    name: display,
                    account: Some(account.clone()),
                    secret,
                    precreated: credential.precreated,
                };
                store_credential(ctx, stored.clone()).map_err(|e| {
                    anyhow::anyhow!("the directory was added, but its credentials could not be stored: {e}\nhint: set them with `syncpolicy directory credentials {}`", stored.name)
                })?;
                stored_note(ctx, &stored);
            }
            Ok(code)
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
        DirectoryAction::Credentials {
            directory: wanted,
            account,
            credential,
            change,
        } => {
            let config = change::current(ctx, None)?;
            let i = syncpolicy_edit::select::onprem_directory(&config, wanted)?;
            let d = &config.onpremises_directories[i];
            let (id, dir_name, forest) = (
                d.unique_identifier.clone(),
                d.name.clone(),
                d.forest.clone().unwrap_or_default(),
            );
            let new_account = account
                .clone()
                .or_else(|| d.account.clone())
                .unwrap_or_default();
            if new_account.trim().is_empty() {
                bail!("directory {dir_name} has no account\nhint: give --account DOMAIN\\name");
            }
            let secret = if change.dry_run {
                None
            } else {
                secret_for(
                    &[dir_name.as_str(), forest.as_str(), id.as_str()],
                    &new_account,
                    credential,
                )?
            };
            let mut code = ExitCode::from(crate::exit::OK);
            if let Some(a) = account
                .as_deref()
                .filter(|a| d.account.as_deref() != Some(*a))
            {
                code = change::apply(ctx, change, "directory credentials", |c| {
                    directory::set_account(c, wanted, a)
                })?;
            }
            if !change.dry_run {
                let stored = DirectoryCredential {
                    directory: id,
                    name: dir_name,
                    account: Some(new_account),
                    secret,
                    precreated: credential.precreated,
                };
                store_credential(ctx, stored.clone())?;
                if account.is_none() {
                    let out = match change.format {
                        OutputFormat::Json => {
                            serde_json::to_string_pretty(&serde_json::json!({
                                "schema": "syncpolicy-credentials/1",
                                "directory": stored.name,
                                "uniqueIdentifier": stored.directory,
                                "account": stored.account,
                                "credential": if stored.precreated { "pre-created account" } else { "set" },
                            }))? + "\n"
                        }
                        OutputFormat::Text => {
                            format!("credentials of directory {} set\n", stored.name)
                        }
                    };
                    crate::output::print_stdout(&out)?;
                }
                stored_note(ctx, &stored);
            }
            Ok(code)
        }
    }
}
