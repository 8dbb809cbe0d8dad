//! `syncpolicy install`: create a deployment. Express settings (one forest, defaults), or the
//! import experience from a settings file (`--import`) or a legacy folder (`--migrate`):
//! validate, refuse what an import cannot do, show a summary, ask only for the Entra
//! administrator, the sign-in method, each directory's credentials and the options (staging
//! mode on by default), then apply everything from the file. Interactive on a terminal;
//! with `--yes` (or without a terminal) every answer comes from flags, the credential file
//! or the environment, and what is missing is listed. On a terminal the session ends with a
//! summary of the answers (never a password) and a final confirmation; no writes nothing.

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::source;
use anyhow::{bail, Context as _};
use clap::ValueEnum;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_legacy::{Classification, MigrationReport};
use syncpolicy_model::config::Configuration;
use syncpolicy_model::extension::Scheduler;
use syncpolicy_model::signin::{SignIn, SignInMethod};
use syncpolicy_model::words;
use syncpolicy_store::{ChangeMeta, Deployment, DirectoryCredential, InstallOptions, Secrets};

/// Environment variable holding directory credentials (same format as --credential-file).
pub(crate) const CREDENTIALS_ENV: &str = "SYNCPOLICY_CREDENTIALS";

/// Sign-in method choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SignInChoice {
    /// Password hash synchronization.
    Phs,
    /// Pass-through authentication.
    Pta,
    /// Federation with AD FS.
    Adfs,
    /// Federation with PingFederate.
    Ping,
    /// Do not configure.
    None,
}

impl SignInChoice {
    fn method(self) -> SignInMethod {
        match self {
            SignInChoice::Phs => SignInMethod::PasswordHashSync,
            SignInChoice::Pta => SignInMethod::PassThroughAuthentication,
            SignInChoice::Adfs => SignInMethod::FederationWithAdfs,
            SignInChoice::Ping => SignInMethod::FederationWithPing,
            SignInChoice::None => SignInMethod::NotConfigured,
        }
    }

    fn of(method: &SignInMethod) -> SignInChoice {
        match method {
            SignInMethod::PasswordHashSync => SignInChoice::Phs,
            SignInMethod::PassThroughAuthentication => SignInChoice::Pta,
            SignInMethod::FederationWithAdfs => SignInChoice::Adfs,
            SignInMethod::FederationWithPing => SignInChoice::Ping,
            SignInMethod::NotConfigured => SignInChoice::None,
        }
    }

    fn token(self) -> &'static str {
        match self {
            SignInChoice::Phs => "phs",
            SignInChoice::Pta => "pta",
            SignInChoice::Adfs => "adfs",
            SignInChoice::Ping => "ping",
            SignInChoice::None => "none",
        }
    }
}

/// Yes or no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OnOff {
    /// On.
    On,
    /// Off.
    Off,
}

/// What `install --help` says after the options: the import session and the migration report.
const AFTER_HELP: &str = "\
Import session: after `install --import FILE` or `install --migrate FOLDER`, directories \
cannot be added or removed (`directory add`, `directory remove`), as in Microsoft's import. \
The session ends when `syncpolicy verify FILE` (or FOLDER) passes against the source the \
deployment was imported from; `verify @latest`, the deployment against itself, does not end \
it.

Migration: `install --migrate FOLDER` prints the migration report. When it lists items that \
must be redone by hand (such as a rule that could not be attached to a directory, SP330), \
the install stops with exit code 1 and writes nothing, unless they are accepted: with \
--accept-manual-items, or by answering yes on a terminal. Accepted items are recorded in the \
install's history entry, and `verify FOLDER` fails while a rule of the folder is missing \
from the deployment.

Questions: on a terminal (standard input and error both), what no flag answered is asked; \
a wrong choice, anything but yes or no, and an empty password are asked again. The install \
ends with a summary of the answers (never a password) and \"Proceed with the installation?\": \
no writes nothing and exits with code 2. Without a terminal nothing is asked: missing \
answers are listed as the flags to give; --yes never asks, on a terminal too.";

/// Arguments of `syncpolicy install`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub(crate) struct InstallArgs {
    /// Import a settings file (Applied-, Exported- or Migrated-SynchronizationPolicy-*.json).
    #[arg(long, value_name = "FILE", conflicts_with = "migrate")]
    pub(crate) import: Option<String>,
    /// Import a legacy Exported-ServerConfiguration-* folder (migration). Its migration
    /// report is printed; items to redo by hand stop the install unless accepted.
    #[arg(long, value_name = "FOLDER")]
    pub(crate) migrate: Option<String>,
    /// With --migrate: install even though the migration report lists items that must be
    /// redone by hand (they are recorded in history; redo them after the install).
    #[arg(long, requires = "migrate")]
    pub(crate) accept_manual_items: bool,
    /// Always refused, with the reason: the wizard's "use an existing database" choice.
    /// syncpolicy always creates the deployment's database (import the old server's export
    /// with --import instead).
    #[arg(long)]
    pub(crate) use_existing_database: bool,
    /// Express install: the forest's DNS name, e.g. contoso.com.
    #[arg(long, value_name = "FQDN")]
    pub(crate) forest: Option<String>,
    /// Express install: the account the forest's connector signs in with (DOMAIN\name).
    #[arg(long, value_name = "ACCOUNT")]
    pub(crate) account: Option<String>,
    /// The Entra tenant (ID or name). When it differs from the file's, --admin must change.
    #[arg(long, value_name = "TENANT")]
    pub(crate) tenant: Option<String>,
    /// The Entra administrator account (the file's is suggested).
    #[arg(long, value_name = "UPN")]
    pub(crate) admin: Option<String>,
    /// The sign-in method (the file's is pre-selected).
    #[arg(long, value_enum, value_name = "METHOD")]
    pub(crate) sign_in: Option<SignInChoice>,
    /// AD FS / PingFederate: the federation server (asked again at every import).
    #[arg(long, value_name = "HOST")]
    pub(crate) federation_server: Option<String>,
    /// A directory's account, `DIRECTORY=ACCOUNT` (directory by name, forest or identifier);
    /// repeatable. Default: the file's account.
    #[arg(long = "directory-account", value_name = "DIRECTORY=ACCOUNT")]
    pub(crate) directory_accounts: Vec<String>,
    /// Use a pre-created account for this directory (no password stored); repeatable.
    #[arg(long, value_name = "DIRECTORY")]
    pub(crate) precreated: Vec<String>,
    /// File of directory passwords, one `DIRECTORY=PASSWORD` per line (`#` comments). Also
    /// read from the SYNCPOLICY_CREDENTIALS environment variable. Never on the command line.
    #[arg(long, value_name = "FILE")]
    pub(crate) credential_file: Option<PathBuf>,
    /// Staging mode (default: on for an import, off for express).
    #[arg(long, value_enum)]
    pub(crate) staging: Option<OnOff>,
    /// Start synchronization when the installation completes (default: on).
    #[arg(long, value_enum)]
    pub(crate) start_sync: Option<OnOff>,
    /// The service account the sync service runs as (an installation choice; never imported).
    #[arg(long, value_name = "ACCOUNT")]
    pub(crate) service_account: Option<String>,
    /// Who installs (default: the OS user).
    #[arg(long, value_name = "NAME")]
    pub(crate) author: Option<String>,
    /// Do not ask: take the defaults and the flags; fail listing what is missing.
    #[arg(long, short = 'y')]
    pub(crate) yes: bool,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

/// Asks questions on a terminal (`crate::prompt`), or answers them from flags.
struct Asker {
    interactive: bool,
    missing: Vec<String>,
}

impl Asker {
    /// A value: the flag, else (interactive) asked with a default, else the default, else
    /// recorded as missing.
    fn value(
        &mut self,
        flag: Option<&str>,
        question: &str,
        default: Option<&str>,
        missing: &str,
    ) -> anyhow::Result<Option<String>> {
        if let Some(v) = flag {
            return Ok(Some(v.to_owned()));
        }
        if self.interactive {
            return crate::prompt::text(question, default).map(Some);
        }
        match default.filter(|d| !d.is_empty()) {
            Some(d) => Ok(Some(d.to_owned())),
            None => {
                self.missing.push(missing.to_owned());
                Ok(None)
            }
        }
    }

    /// One of `choices` (lower-case tokens), asked again with the valid choices until the
    /// answer is one of them; an empty answer takes the default.
    fn choice(
        &self,
        question: &str,
        choices: &[&str],
        default: Option<&str>,
    ) -> anyhow::Result<String> {
        crate::prompt::choice(question, choices, default)
    }

    /// Yes or no (`y`/`n` too, any case), asked again on any other answer.
    fn yes_no(&self, question: &str, default: bool) -> anyhow::Result<bool> {
        crate::prompt::yes_no(question, Some(default))
    }

    fn secret(
        &mut self,
        given: Option<String>,
        question: &str,
        missing: &str,
    ) -> anyhow::Result<Option<String>> {
        if given.is_some() {
            return Ok(given);
        }
        if !self.interactive {
            self.missing.push(missing.to_owned());
            return Ok(None);
        }
        crate::prompt::password(question, missing).map(Some)
    }
}

/// Directory passwords from the non-interactive sources (`--credential-file FILE`, then the
/// SYNCPOLICY_CREDENTIALS environment variable) as `(DIRECTORY, PASSWORD)`; `install` and
/// `directory add`/`credentials` read the same ones.
pub(crate) fn credential_sources(
    file: Option<&std::path::Path>,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut passwords: Vec<(String, String)> = Vec::new();
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the credential file {}", file.display()))?;
        passwords.extend(parse_pairs(&text, &file.display().to_string())?);
    }
    if let Ok(text) = std::env::var(CREDENTIALS_ENV) {
        passwords.extend(parse_pairs(&text, CREDENTIALS_ENV)?);
    }
    Ok(passwords)
}

/// Asks for a password on the terminal, without echo (as `install` does).
pub(crate) fn ask_password(question: &str, what: &str) -> anyhow::Result<String> {
    crate::prompt::password(question, what)
}

/// Parses `DIRECTORY=VALUE` lines.
fn parse_pairs(text: &str, origin: &str) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            bail!("{origin}, line {}: expected DIRECTORY=PASSWORD\nhint: one directory per line, e.g. contoso.com=...", i + 1);
        };
        out.push((k.trim().to_owned(), v.to_owned()));
    }
    Ok(out)
}

fn names_directory(config: &Configuration, index: usize, given: &str) -> bool {
    let d = &config.onpremises_directories[index];
    d.name.eq_ignore_ascii_case(given)
        || d.forest
            .as_deref()
            .is_some_and(|f| f.eq_ignore_ascii_case(given))
        || syncpolicy_model::identity::same_guid(&d.unique_identifier, given)
}

fn check_names(config: &Configuration, given: &[&str], what: &str) -> anyhow::Result<()> {
    for g in given {
        if !(0..config.onpremises_directories.len()).any(|i| names_directory(config, i, g)) {
            let names: Vec<&str> = config
                .onpremises_directories
                .iter()
                .map(|d| d.name.as_str())
                .collect();
            bail!(
                "{what} {g:?} names no directory of the configuration\nhint: directories cannot be added or removed at import; the directories are: {}",
                names.join(", ")
            );
        }
    }
    Ok(())
}

/// A new identifier (GUID form) from the time, the process and a counter.
fn new_guid(salt: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let h = syncpolicy_json::digest::sha256_hex(
        format!("{nanos}-{}-{salt}", std::process::id()).as_bytes(),
    );
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// Express settings: the shipped express sample, re-targeted at the given forest and tenant.
fn express(forest: &str, account: &str, tenant: &str) -> anyhow::Result<Configuration> {
    let sample = syncpolicy_samples::samples::express_single_forest();
    let old_dir = sample.onpremises_directories[0].unique_identifier.clone();
    let old_entra = sample
        .azure_directory
        .connector_id
        .clone()
        .unwrap_or_default();
    let old_tenant = sample.azure_directory.tenant_id.clone().unwrap_or_default();
    let old_account = sample.onpremises_directories[0]
        .account
        .clone()
        .unwrap_or_default();
    let mut text = String::from_utf8(syncpolicy_json::write_settings(&sample))?;
    let json_str = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let replace = |text: &mut String, from: &str, to: &str| {
        if !from.is_empty() {
            *text = text.replace(
                &json_str(from)[1..json_str(from).len() - 1],
                &json_str(to)[1..json_str(to).len() - 1],
            );
        }
    };
    replace(&mut text, &old_account, account);
    replace(&mut text, &old_dir, &new_guid("directory"));
    replace(&mut text, &old_entra, &new_guid("entra"));
    replace(&mut text, &old_tenant, tenant);
    replace(
        &mut text,
        "DC=contoso,DC=com",
        &syncpolicy_samples::generate::fqdn_to_dn(forest),
    );
    replace(
        &mut text,
        "contoso.onmicrosoft.com",
        &format!(
            "{}.onmicrosoft.com",
            forest.split('.').next().unwrap_or(forest)
        ),
    );
    replace(&mut text, "contoso.com", forest);
    let mut config = syncpolicy_json::read_settings_str(&text, "express settings")?;
    config.policy_metadata.policy_type = "express".to_owned();
    config.extension.recorded_digest = None;
    Ok(config)
}

fn print_summary(ctx: &Context, config: &Configuration, label: &str) {
    if ctx.quiet {
        return;
    }
    let az = &config.azure_directory;
    let dm = &config.deployment_metadata;
    eprintln!("Importing {label}");
    eprintln!(
        "  tenant {}, administrator {} (suggested)",
        az.tenant_id.as_deref().unwrap_or("(not set)"),
        az.administrator.as_deref().unwrap_or("(not set)")
    );
    eprintln!(
        "  sign-in {}",
        config
            .sign_in
            .method()
            .map(|m| m.label().to_owned())
            .unwrap_or_else(|| "not set".to_owned())
    );
    for d in &config.onpremises_directories {
        eprintln!(
            "  directory {} (forest {}, account {}): {} standard and {} custom rules",
            d.name,
            d.forest.as_deref().unwrap_or("?"),
            d.account.as_deref().unwrap_or("(not set)"),
            d.standard_rules.len(),
            d.custom_rules.len()
        );
    }
    eprintln!(
        "  {} in all ({} disabled)",
        syncpolicy_model::words::count(config.rule_count(), "rule", "rules"),
        config.rules().filter(|(_, r)| r.disabled).count()
    );
    eprintln!(
        "  the file's database {} {}/{} and service account {} are shown for comparison only: installation choices are never imported",
        dm.database_type.as_deref().unwrap_or("(not set)"),
        if dm.database_server.is_empty() { "(not set)" } else { &dm.database_server },
        if dm.database_name.is_empty() { "(not set)" } else { &dm.database_name },
        if dm.service_account.is_empty() { "(not set)" } else { &dm.service_account },
    );
}

fn host_name() -> Option<String> {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

pub(crate) fn run(args: &InstallArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let importing = args.import.is_some() || args.migrate.is_some();
    if args.use_existing_database {
        if importing {
            bail!("--use-existing-database cannot be combined with --import or --migrate: an import creates a new database from the file, reusing a database keeps its configuration\nhint: leave out --use-existing-database to import, or leave out --import to keep the existing database");
        }
        bail!("--use-existing-database is not supported: syncpolicy always creates the deployment's database\nhint: import the old server's export with --import FILE instead");
    }
    let home = crate::deployment::home_dir(ctx)?;
    if syncpolicy_store::Home::new(&home).is_installed() {
        bail!("a deployment already exists in {}\nhint: choose another --home folder, or keep using the existing deployment", home.display());
    }
    let backend = syncpolicy_store::deployment::backend_of(ctx.database.as_deref())?;
    let interactive = !args.yes && crate::prompt::interactive();
    let mut ask = Asker {
        interactive,
        missing: Vec::new(),
    };

    // 1. The configuration (and, for a migration, the items to redo by hand it accepted).
    let mut accepted: Vec<String> = Vec::new();
    let (mut config, label, command) = if let Some(src) =
        args.import.as_deref().or(args.migrate.as_deref())
    {
        let (loaded, report) = match &args.migrate {
            Some(folder) => {
                let (config, report) = {
                    let _progress =
                        crate::progress::Progress::reading(ctx, std::path::Path::new(folder));
                    syncpolicy_files::legacy::load_legacy_folder(std::path::Path::new(folder))?
                };
                if !ctx.quiet {
                    eprint!(
                        "{}",
                        crate::commands::migrate::report_text(
                            std::path::Path::new(folder),
                            std::path::Path::new("the new deployment"),
                            &report,
                            &crate::output::Style::new(ctx.color_stderr),
                        )
                    );
                }
                let loaded = source::Loaded {
                    config,
                    label: folder.clone(),
                    path: None,
                    text: None,
                    spans: Default::default(),
                };
                (loaded, Some(report))
            }
            None => (source::load(src, ctx)?, None),
        };
        let findings = {
            let _progress = crate::progress::Progress::spinner(ctx, "validating");
            match &loaded.text {
                Some(text) => syncpolicy_lint::check_file_spans(
                    &loaded.config,
                    text,
                    &loaded.spans,
                    &loaded.label,
                ),
                None => syncpolicy_lint::check(&loaded.config),
            }
        };
        // Findings accepted in the file (acceptedFindings) do not stop the install.
        let errors = syncpolicy_lint::accept::unaccepted_errors(&loaded.config, &findings);
        if !errors.is_empty() {
            for d in &errors {
                eprintln!("{d}");
            }
            bail!(
                "{} has {}; the install stopped and nothing was written\nhint: correct the file (see `syncpolicy validate {}`) and run the install again",
                loaded.label,
                words::count(errors.len(), "error", "errors"),
                src
            );
        }
        let unsupported = syncpolicy_store::import::unsupported_connectors(&loaded.config);
        if !unsupported.is_empty() {
            bail!(
                "{} cannot be imported: it has connectors an import cannot create (G-SQL, G-LDAP or other non-Active Directory connectors):\n  {}\nhint: set such connectors up by hand on the new server; an import carries only Active Directory forests and the Entra connector",
                loaded.label,
                unsupported.join("\n  ")
            );
        }
        if let Some(report) = &report {
            match accept_manual_items(args, interactive, report, &mut ask)? {
                Some(items) => accepted = items,
                None => {
                    let n = report.count(Classification::RedoByHand);
                    ctx.print_error(&anyhow::anyhow!(
                        "the migration report lists {} that must be redone by hand (above); the install stopped and nothing was written\nhint: redo {} after the install and accept {} with --accept-manual-items (recorded in history), or fix the legacy folder",
                        words::count(n, "item", "items"),
                        words::plural_of(n, "it", "them"),
                        words::plural_of(n, "it", "them"),
                    ));
                    return Ok(ExitCode::from(exit::FINDINGS));
                }
            }
        }
        let command = if args.import.is_some() {
            "install --import"
        } else {
            "install --migrate"
        };
        (loaded.config, loaded.label, command)
    } else {
        let forest = ask.value(
            args.forest.as_deref(),
            "Forest (DNS name)",
            None,
            "--forest FQDN (the forest to synchronize)",
        )?;
        let account = ask.value(
            args.account.as_deref(),
            "Forest account (DOMAIN\\name)",
            None,
            "--account DOMAIN\\name (the forest's connector account)",
        )?;
        let tenant = ask.value(
            args.tenant.as_deref(),
            "Entra tenant",
            None,
            "--tenant TENANT",
        )?;
        match (forest, account, tenant) {
            (Some(f), Some(a), Some(t)) => (
                express(&f, &a, &t)?,
                format!("express settings for {f}"),
                "install",
            ),
            _ => (Configuration::default(), String::new(), "install"),
        }
    };
    if !ask.missing.is_empty() {
        return missing(&ask.missing);
    }
    if importing {
        print_summary(ctx, &config, &label);
    }

    // 2. Entra administrator and tenant.
    let file_tenant = config.azure_directory.tenant_id.clone();
    let file_admin = config.azure_directory.administrator.clone();
    let tenant_changed = args.tenant.as_deref().is_some_and(|t| {
        file_tenant.as_deref().is_none_or(|f| {
            !syncpolicy_model::identity::same_guid(f, t) && !f.eq_ignore_ascii_case(t)
        })
    });
    if let Some(t) = &args.tenant {
        config.azure_directory.tenant_id = Some(t.clone());
    }
    let admin_default = if tenant_changed && importing {
        None
    } else {
        file_admin.clone()
    };
    let admin_question = if tenant_changed && importing {
        "Entra administrator (the tenant changed, so the file's administrator cannot be used)"
    } else {
        "Entra administrator"
    };
    let admin = ask.value(
        args.admin.as_deref(),
        admin_question,
        admin_default.as_deref(),
        "--admin UPN (the Entra administrator; the tenant differs from the file's)",
    )?;
    if let Some(a) = &admin {
        if tenant_changed
            && importing
            && file_admin
                .as_deref()
                .is_some_and(|f| f.eq_ignore_ascii_case(a))
        {
            bail!("the tenant changed from {} to {}, so the administrator must change too; {a} belongs to the file's tenant\nhint: give --admin with an administrator of the new tenant", file_tenant.as_deref().unwrap_or("?"), args.tenant.as_deref().unwrap_or("?"));
        }
        config.azure_directory.administrator = Some(a.clone());
    }

    // 3. Sign-in method.
    let file_method = config
        .sign_in
        .method()
        .map(|m| SignInChoice::of(&m))
        .unwrap_or(SignInChoice::Phs);
    let method = match args.sign_in {
        Some(m) => m,
        None if interactive => {
            let v = ask.choice(
                "Sign-in method (phs, pta, adfs, ping, none)",
                &["phs", "pta", "adfs", "ping", "none"],
                Some(file_method.token()),
            )?;
            SignInChoice::from_str(&v, true).map_err(|_| {
                anyhow::anyhow!(
                    "unknown sign-in method {v:?}\nhint: answer phs, pta, adfs, ping or none"
                )
            })?
        }
        None => file_method,
    };
    let mut secrets = Secrets::default();
    if method != file_method {
        config.sign_in = SignIn::new(
            method.method(),
            config.sign_in.password_hash_sync() || method == SignInChoice::Phs,
            config.sign_in.seamless_sso(),
        );
    }
    if method.method().is_federated() {
        let what = if method == SignInChoice::Adfs {
            "AD FS"
        } else {
            "PingFederate"
        };
        if let Some(server) = ask.value(
            args.federation_server.as_deref(),
            &format!("{what} federation server"),
            None,
            &format!("--federation-server HOST (the {what} server; federation parameters are asked again at every import)"),
        )? {
            secrets.sign_in.push(("federationServer".to_owned(), server));
        }
    }

    // 4. Credentials for each on-premises directory.
    let account_flags: Vec<(String, String)> = args
        .directory_accounts
        .iter()
        .map(|s| {
            s.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| {
                    anyhow::anyhow!("--directory-account {s:?}: expected DIRECTORY=ACCOUNT")
                })
        })
        .collect::<anyhow::Result<_>>()?;
    let passwords = credential_sources(args.credential_file.as_deref())?;
    // Flags must name directories of the file (directories cannot be added or removed at
    // import); a credential file or variable may hold more forests than this file has.
    let given: Vec<&str> = account_flags
        .iter()
        .map(|(k, _)| k.as_str())
        .chain(args.precreated.iter().map(String::as_str))
        .collect();
    check_names(&config, &given, "--directory-account or --precreated")?;
    for i in 0..config.onpremises_directories.len() {
        let name = config.onpremises_directories[i].name.clone();
        let file_account = config.onpremises_directories[i].account.clone();
        let flag_account = account_flags
            .iter()
            .find(|(k, _)| names_directory(&config, i, k))
            .map(|(_, v)| v.clone());
        let precreated_flag = args
            .precreated
            .iter()
            .any(|p| names_directory(&config, i, p));
        let password = passwords
            .iter()
            .find(|(k, _)| names_directory(&config, i, k))
            .map(|(_, v)| v.clone());
        let precreated = if precreated_flag {
            true
        } else if interactive && password.is_none() {
            ask.yes_no(
                &format!("Directory {name}: use a pre-created account? (yes/no)"),
                false,
            )?
        } else {
            false
        };
        let account = ask.value(
            flag_account.as_deref(),
            &format!("Directory {name}: account"),
            file_account.as_deref(),
            &format!("--directory-account {name}=DOMAIN\\name"),
        )?;
        let secret = if precreated {
            None
        } else {
            ask.secret(
                password,
                &format!("Directory {name}: password for {}", account.as_deref().unwrap_or("the account")),
                &format!("a password for directory {name} ({name}=PASSWORD in --credential-file or {CREDENTIALS_ENV}), or --precreated {name}"),
            )?
        };
        config.onpremises_directories[i].account = account.clone();
        secrets.directories.push(DirectoryCredential {
            directory: config.onpremises_directories[i].unique_identifier.clone(),
            name,
            account,
            secret,
            precreated,
        });
    }

    // 5. Options.
    let staging_default = if importing { OnOff::On } else { OnOff::Off };
    let yes_no = |o: OnOff| if o == OnOff::On { "on" } else { "off" };
    let staging = match args.staging {
        Some(s) => s,
        None if interactive => {
            let v = ask.choice(
                "Staging mode (on/off)",
                &["on", "off"],
                Some(yes_no(staging_default)),
            )?;
            OnOff::from_str(&v, true).map_err(|_| anyhow::anyhow!("answer on or off"))?
        }
        None => staging_default,
    };
    let start_sync = match args.start_sync {
        Some(s) => s,
        None if interactive => {
            let v = ask.choice(
                "Start synchronization when the installation completes (on/off)",
                &["on", "off"],
                Some("on"),
            )?;
            OnOff::from_str(&v, true).map_err(|_| anyhow::anyhow!("answer on or off"))?
        }
        None => OnOff::On,
    };
    if !ask.missing.is_empty() {
        return missing(&ask.missing);
    }
    config.extension.staging_mode = Some(staging == OnOff::On);
    config
        .extension
        .scheduler
        .get_or_insert_with(Scheduler::default)
        .enabled = Some(start_sync == OnOff::On);

    // 6. Installation choices: never imported.
    let dm = &mut config.deployment_metadata;
    dm.host_name = host_name();
    dm.service_account = args
        .service_account
        .clone()
        .unwrap_or_else(|| crate::deployment::author(None));
    dm.service_account_type = "UserAccount".to_owned();
    dm.database_server = match backend {
        syncpolicy_store::Backend::Sqlite => "(embedded)".to_owned(),
        syncpolicy_store::Backend::Postgres => ctx
            .database
            .as_deref()
            .map(syncpolicy_store::postgres::redact_url)
            .unwrap_or_default(),
    };
    dm.database_instance = String::new();
    dm.database_name = match backend {
        syncpolicy_store::Backend::Sqlite => syncpolicy_store::home::DATABASE_FILE.to_owned(),
        syncpolicy_store::Backend::Postgres => String::new(),
    };

    // 7. On a terminal: what was answered (never a password), then a last confirmation.
    if interactive {
        eprint!(
            "{}",
            syncpolicy_views::answers::render_text(&answers(
                &config, &secrets, staging, start_sync
            ))
        );
        if !crate::prompt::yes_no("Proceed with the installation? (yes/no)", None)? {
            bail!("the installation was not confirmed; nothing was written\nhint: run the install again and answer yes at the end, or give every answer with flags and --yes");
        }
    }

    let summary = if importing {
        let mut s = format!(
            "imported {label}: {}, {}, staging mode {}",
            syncpolicy_model::words::count(
                config.onpremises_directories.len(),
                "directory",
                "directories"
            ),
            syncpolicy_model::words::count(config.rule_count(), "rule", "rules"),
            yes_no(staging)
        );
        if !accepted.is_empty() {
            let _ = write!(
                s,
                "; accepted {} to redo by hand: {}",
                words::count(accepted.len(), "item", "items"),
                accepted.join("; ")
            );
        }
        s
    } else {
        format!("express install: {label}")
    };
    let progress = crate::progress::Progress::spinner(ctx, "installing the deployment");
    let installed = Deployment::install(
        InstallOptions {
            home: home.clone(),
            database: ctx.database.clone(),
            meta: ChangeMeta::new(crate::deployment::author(args.author.as_deref()), command),
            summary: summary.clone(),
            secrets,
            // The import session opens with the deployment (its marker is written before
            // deployment.json): a passing `verify` closes it.
            import_session: importing.then(|| label.clone()),
        },
        &config,
    );
    drop(progress);
    let (mut d, outcome) = installed?;
    // What the install found and replaced (the leftover of a crashed install).
    crate::deployment::tell(&mut d);
    ctx.status(&format!(
        "installed the deployment in {} ({} database {}): {summary}",
        home.display(),
        d.backend().as_str(),
        d.describe_database()
    ));
    ctx.status(&format!("export {}", outcome.snapshot.display()));
    if importing {
        ctx.status(&format!(
            "check it with: syncpolicy verify {}",
            args.import
                .as_deref()
                .or(args.migrate.as_deref())
                .unwrap_or("FILE")
        ));
    }
    Ok(ExitCode::from(exit::OK))
}

/// The answers of an interactive install (never a password), for the final confirmation.
fn answers(
    config: &Configuration,
    secrets: &Secrets,
    staging: OnOff,
    start_sync: OnOff,
) -> syncpolicy_views::answers::InstallAnswers {
    use syncpolicy_views::answers::{Credential, DirectoryAnswers, InstallAnswers};
    InstallAnswers {
        tenant: config.azure_directory.tenant_id.clone(),
        administrator: config.azure_directory.administrator.clone(),
        sign_in: config
            .sign_in
            .method()
            .map(|m| m.label().to_owned())
            .unwrap_or_else(|| "not set".to_owned()),
        federation_server: secrets
            .sign_in
            .iter()
            .find(|(k, _)| k == "federationServer")
            .map(|(_, v)| v.clone()),
        directories: secrets
            .directories
            .iter()
            .map(|d| DirectoryAnswers {
                name: d.name.clone(),
                account: d.account.clone(),
                credential: if d.precreated {
                    Credential::Precreated
                } else if d.secret.is_some() {
                    Credential::Password
                } else {
                    Credential::None
                },
            })
            .collect(),
        staging: staging == OnOff::On,
        start_sync: start_sync == OnOff::On,
    }
}

/// The items of a migration report that must be redone by hand, accepted: by
/// `--accept-manual-items`, or by a yes on a terminal. `None` when they are not accepted.
/// Each item is one line for history: `[CODE] message`.
fn accept_manual_items(
    args: &InstallArgs,
    interactive: bool,
    report: &MigrationReport,
    ask: &mut Asker,
) -> anyhow::Result<Option<Vec<String>>> {
    let items: Vec<String> = report
        .items_of(Classification::RedoByHand)
        .map(|i| {
            format!(
                "[{}] {}",
                i.diagnostic.code,
                i.diagnostic
                    .message
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect::<String>()
            )
        })
        .collect();
    if items.is_empty() || args.accept_manual_items {
        return Ok(Some(items));
    }
    if !interactive {
        return Ok(None);
    }
    let accept = ask.yes_no(
        &format!(
            "{} of the migration report must be redone by hand after the install. Install without {} (recorded in history)? (yes/no)",
            words::count(items.len(), "item", "items"),
            words::plural_of(items.len(), "it", "them")
        ),
        false,
    )?;
    Ok(accept.then_some(items))
}

fn missing(what: &[String]) -> anyhow::Result<ExitCode> {
    let mut seen = BTreeMap::new();
    for w in what {
        seen.entry(w.clone()).or_insert(());
    }
    bail!(
        "the install needs answers that were not given (no terminal to ask, or --yes):\n  {}\nhint: give the flags above; passwords go in --credential-file FILE or the {CREDENTIALS_ENV} environment variable, never on the command line",
        seen.keys().cloned().collect::<Vec<_>>().join("\n  ")
    )
}
