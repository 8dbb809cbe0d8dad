//! `syncpolicy migrate`: turns a legacy Exported-ServerConfiguration-* folder into a settings
//! file, and reports what was migrated, kept in the extension part, or left to do by hand.

use crate::context::Context;
use crate::exit;
use crate::output::{OutputFormat, Style};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use syncpolicy_files::legacy::load_legacy_folder;
use syncpolicy_files::snapshot::{unique_snapshot_path, MIGRATED_PREFIX};
use syncpolicy_files::timestamp::UtcMillis;
use syncpolicy_legacy::MigrationReport;
use syncpolicy_views::migration::{render_text, ReportJson};

/// Arguments of `syncpolicy migrate`.
#[derive(Debug, clap::Args)]
#[command(after_help = MIGRATE_HELP)]
pub(crate) struct MigrateArgs {
    /// The Exported-ServerConfiguration-* folder to migrate.
    #[arg(value_name = "FOLDER")]
    pub(crate) folder: PathBuf,
    /// Where to write the settings file (written atomically). Default:
    /// Migrated-SynchronizationPolicy-<UTC timestamp>.json in the current folder.
    #[arg(long = "output", short = 'o', alias = "out", value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Also write the migration report as JSON to this file, with every rule that could not
    /// be attached in full (written atomically).
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<PathBuf>,
    /// Format of the report: text on standard error, or JSON (`syncpolicy-migrate/1`) on
    /// standard output.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
}

/// What `migrate --help` says after the options.
const MIGRATE_HELP: &str = "\
Reads the Exported-ServerConfiguration-* folder that Get-ADSyncServerConfiguration or \
MigrateSettings.ps1 wrote on an older server (Connectors/, GlobalSettings/MV.xml, \
SynchronizationRules/, and when present PersistedState.xml and MigratedPolicy.json, which \
MigrateSettings.ps1 adds; a missing one is a needs-review item) and writes one settings file: the Entra directory and one on-premises directory per AD connector, \
partitions and OU filters as exported, global settings, every rule, and in the x-syncpolicy \
part what Microsoft's format lacks (object types, attribute inclusions, run profiles, \
connector order, staging mode, scheduler, other global parameters). Schemas, cookies, times \
and run history are left out. The migration report goes to standard error (with --format \
json: standard output), sorted into: \
fixed automatically, needs review, must be redone by hand. See docs/migration.md.

Exit codes: 0 the settings file was written and nothing must be redone by hand; 1 the \
settings file was written but some items must be redone by hand (e.g. a rule whose connector \
is not in the folder: it is kept in the report instead); 2 nothing was written (missing \
folder or file, malformed or unsafe XML, unwritable output).";

pub(crate) fn run(args: &MigrateArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let (config, report) = {
        let _progress = crate::progress::Progress::reading(ctx, &args.folder);
        load_legacy_folder(&args.folder)?
    };
    let out = match &args.out {
        Some(p) => p.clone(),
        None => unique_snapshot_path(Path::new("."), MIGRATED_PREFIX, UtcMillis::now()).0,
    };
    let bytes = syncpolicy_json::write_settings(&config);
    crate::output::write_file(&out, &bytes)?;
    let data = ReportJson::new(
        args.folder.display().to_string(),
        out.display().to_string(),
        &report,
    );
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&data)? + "\n";
        crate::output::write_file(path, json.as_bytes()).map_err(|e| {
            anyhow::anyhow!(
                "the settings file {} was written, but not the report: {e}",
                out.display()
            )
        })?;
    }
    match args.format {
        // Data goes to standard output, even with --quiet.
        OutputFormat::Json => {
            crate::output::print_stdout(&(serde_json::to_string_pretty(&data)? + "\n"))?;
        }
        OutputFormat::Text if !ctx.quiet => {
            eprint!(
                "{}",
                render_text(&data, &report, &Style::new(ctx.color_stderr))
            );
        }
        OutputFormat::Text => {}
    }
    Ok(ExitCode::from(if report.has_redo_by_hand() {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

/// The report as text, as `migrate` prints it, for `install --migrate` (`into` names where
/// the configuration goes).
pub(crate) fn report_text(
    folder: &Path,
    into: &Path,
    report: &MigrationReport,
    style: &Style,
) -> String {
    let data = ReportJson::new(
        folder.display().to_string(),
        into.display().to_string(),
        report,
    );
    render_text(&data, report, style)
}
