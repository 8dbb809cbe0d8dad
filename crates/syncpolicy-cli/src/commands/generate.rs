//! `syncpolicy generate`: writes a shipped sample or a generated large configuration.

use crate::context::Context;
use crate::exit;
use anyhow::{bail, Context as _};
use std::path::PathBuf;
use std::process::ExitCode;
use syncpolicy_samples::generate::{generate, GenerateOptions};

/// Arguments of `syncpolicy generate`.
#[derive(Debug, clap::Args)]
pub(crate) struct GenerateArgs {
    /// A shipped sample by name (express-single-forest, multi-forest-custom) instead of a
    /// generated configuration.
    #[arg(long, value_name = "NAME")]
    pub(crate) sample: Option<String>,
    /// Number of on-premises forests.
    #[arg(long, default_value_t = 3)]
    pub(crate) forests: usize,
    /// Custom rules per forest.
    #[arg(long, default_value_t = 20)]
    pub(crate) custom_rules: usize,
    /// Organizational units per domain in the OU filter.
    #[arg(long, default_value_t = 10)]
    pub(crate) ous: usize,
    /// Seed: the same seed gives the same configuration.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Where to write the settings file (written atomically); standard output when omitted.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

pub(crate) fn run(args: &GenerateArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
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
                bail!(
                    "there is no sample named {name:?}\nhint: the samples are {}",
                    names.join(", ")
                )
            }
        },
        None => generate(&GenerateOptions {
            forests: args.forests,
            custom_rules_per_forest: args.custom_rules,
            ous_per_domain: args.ous,
            seed: args.seed,
        }),
    };
    let bytes = syncpolicy_json::write_settings(&config);
    match &args.out {
        Some(path) => {
            syncpolicy_files::atomic::write_atomic(path, &bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            ctx.status(&format!(
                "wrote {} ({} bytes, {} rules)",
                path.display(),
                bytes.len(),
                config.rule_count()
            ));
        }
        None => crate::output::print_stdout(&String::from_utf8_lossy(&bytes))?,
    }
    Ok(ExitCode::from(exit::OK))
}
