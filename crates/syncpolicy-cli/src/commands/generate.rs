//! `syncpolicy generate`: writes a shipped sample or a generated large configuration;
//! `syncpolicy generate objects`: writes a generated directory of objects (LDIF or JSON Lines),
//! streamed.

use crate::context::Context;
use crate::exit;
use anyhow::{bail, Context as _};
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_objects::{write_generated, GenerateOptions as GenerateObjects, ObjectFormat};
use syncpolicy_samples::generate::{generate, GenerateOptions};

/// Arguments of `syncpolicy generate`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct GenerateArgs {
    #[command(subcommand)]
    pub(crate) what: Option<GenerateWhat>,
    /// A shipped sample by name (express-single-forest, multi-forest-custom) instead of a
    /// generated configuration.
    #[arg(long, value_name = "NAME")]
    pub(crate) sample: Option<String>,
    /// Number of on-premises forests (at most 100).
    #[arg(long, default_value_t = 3)]
    pub(crate) forests: usize,
    /// Custom rules per forest; at most 100 in all forests together, the custom precedence
    /// band 0-99 (each rule gets a number of its own, so the file validates cleanly).
    #[arg(long, default_value_t = 20)]
    pub(crate) custom_rules: usize,
    /// Organizational units per domain in the OU filter (at most 10000).
    #[arg(long, default_value_t = 10)]
    pub(crate) ous: usize,
    /// Seed: the same seed gives the same configuration.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Where to write the settings file (written atomically); standard output when omitted.
    #[arg(long = "output", short = 'o', alias = "out", value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// What else `generate` writes.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum GenerateWhat {
    /// Write a generated Active Directory forest as LDIF (as `ldifde -f` writes it) or JSON
    /// Lines, for `simulate`, `impact`, tests and benchmarks: users (enabled and disabled, with
    /// and without UPN, Exchange recipients, service accounts), groups with members, contacts,
    /// computers, an OU tree and replication-conflict objects.
    Objects(ObjectsArgs),
}

/// Arguments of `syncpolicy generate objects`.
#[derive(Debug, clap::Args)]
pub(crate) struct ObjectsArgs {
    /// The forest root domain; the DNs end in its `DC=` components.
    #[arg(long, default_value = "contoso.com")]
    pub(crate) domain: String,
    /// Number of users (besides the built-in and service accounts; at most 10000000).
    #[arg(long, default_value_t = 200)]
    pub(crate) users: usize,
    /// Number of groups (at most 1000000).
    #[arg(long, default_value_t = 20)]
    pub(crate) groups: usize,
    /// Average number of members per group (at most 1000000).
    #[arg(long, default_value_t = 10)]
    pub(crate) members: usize,
    /// Number of contacts (at most 10000000).
    #[arg(long, default_value_t = 20)]
    pub(crate) contacts: usize,
    /// Number of computers (at most 10000000).
    #[arg(long, default_value_t = 20)]
    pub(crate) computers: usize,
    /// The group member limit of the out-of-box rules; when there are more users, one group
    /// gets one member more than this (at most 1000000).
    #[arg(long, default_value_t = 50_000)]
    pub(crate) member_limit: usize,
    /// Seed: the same seed gives the same objects.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// The seed of an account forest generated separately (a resource-forest trial): linked
    /// mailboxes get the objectSid of the user with the same number there as
    /// msExchMasterAccountSid, so the two join.
    #[arg(long, value_name = "SEED")]
    pub(crate) account_forest_seed: Option<u64>,
    /// Format of the written objects: LDIF (as ldifde writes it) or JSON Lines. `--format`, as
    /// on every command; `--output-format` is still accepted.
    #[arg(
        long = "format",
        alias = "output-format",
        value_name = "FORMAT",
        value_enum,
        default_value_t = ObjectsFormat::Ldif
    )]
    pub(crate) output_format: ObjectsFormat,
    /// Where to write the objects (written atomically); standard output when omitted.
    #[arg(long = "output", short = 'o', alias = "out", value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// The object file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ObjectsFormat {
    /// LDIF (RFC 2849), as `ldifde -f` writes it.
    Ldif,
    /// JSON Lines, one object per line.
    Jsonl,
}

fn run_objects(args: &ObjectsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let options = GenerateObjects {
        seed: args.seed,
        domain: args.domain.clone(),
        users: args.users,
        groups: args.groups,
        members: args.members,
        contacts: args.contacts,
        computers: args.computers,
        member_limit: args.member_limit,
        account_forest_seed: args.account_forest_seed,
    };
    if let Err(why) = options.check() {
        bail!("{why}\nhint: generate less, or several files with different --seed values");
    }
    if args
        .domain
        .split('.')
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    {
        bail!(
            "{:?} is not a domain name\nhint: give a DNS name such as contoso.com",
            args.domain
        );
    }
    let format = match args.output_format {
        ObjectsFormat::Ldif => ObjectFormat::Ldif,
        ObjectsFormat::Jsonl => ObjectFormat::Jsonl,
    };
    match &args.out {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let mut builder = tempfile::Builder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o644));
            }
            // Streamed to a temporary file in the same folder, then renamed: atomic, and the
            // objects are never all in memory.
            let tmp = builder
                .prefix(".syncpolicy-objects")
                .tempfile_in(dir)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut out = std::io::BufWriter::with_capacity(1 << 20, tmp);
            let n = write_generated(&options, format, &mut out)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let tmp = out
                .into_inner()
                .map_err(|e| e.into_error())
                .with_context(|| format!("cannot write {}", path.display()))?;
            tmp.as_file()
                .sync_all()
                .with_context(|| format!("cannot write {}", path.display()))?;
            tmp.persist(path)
                .map_err(|e| e.error)
                .with_context(|| format!("cannot write {}", path.display()))?;
            ctx.status(&format!(
                "wrote {} ({})",
                path.display(),
                syncpolicy_model::words::count(n, "object", "objects")
            ));
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
            let result = write_generated(&options, format, &mut out).and_then(|_| out.flush());
            match result {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => {
                    other.context("cannot write to standard output")?;
                }
            }
        }
    }
    Ok(ExitCode::from(exit::OK))
}

pub(crate) fn run(args: &GenerateArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if let Some(GenerateWhat::Objects(objects)) = &args.what {
        return run_objects(objects, ctx);
    }
    let config = match &args.sample {
        Some(name) => match syncpolicy_samples::samples::all()
            .into_iter()
            .find(|(n, _)| n == name)
        {
            Some((_, c)) => c,
            None => {
                let names: Vec<&str> = syncpolicy_samples::samples::all()
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>();
                let near = syncpolicy_model::suggest::hint(name, names.iter().copied(), "samples")
                    .map(|h| format!("\nhint: {h}"))
                    .unwrap_or_default();
                bail!(
                    "there is no sample named {name:?}{near}\nhint: the samples are {}",
                    names.join(", ")
                )
            }
        },
        None => generate(&{
            let options = GenerateOptions {
                forests: args.forests,
                custom_rules_per_forest: args.custom_rules,
                ous_per_domain: args.ous,
                seed: args.seed,
            };
            if let Err(why) = options.check() {
                bail!("{why}\nhint: give fewer --forests or --custom-rules (--forests times --custom-rules at most 100), or fewer --ous");
            }
            options
        }),
    };
    let bytes = syncpolicy_json::write_settings(&config);
    match &args.out {
        Some(path) => {
            crate::output::write_file(path, &bytes)?;
            ctx.status(&format!(
                "wrote {} ({}, {})",
                path.display(),
                syncpolicy_model::words::count(bytes.len(), "byte", "bytes"),
                syncpolicy_model::words::count(config.rule_count(), "rule", "rules")
            ));
        }
        None => crate::output::print_stdout(&String::from_utf8_lossy(&bytes))?,
    }
    Ok(ExitCode::from(exit::OK))
}
