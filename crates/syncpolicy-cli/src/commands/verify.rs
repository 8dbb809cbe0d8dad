//! `syncpolicy verify`: post-installation verification. Compares the settings file a
//! deployment was imported from with the deployment's committed configuration (from the
//! database, never the export file) and passes when they
//! differ only in what an import is expected to change: metadata, credentials and accounts,
//! and the options chosen at install (staging mode, starting synchronization, Entra
//! administrator and tenant, sign-in method and its parameters).

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::output::{OutputFormat, Style};
use crate::source;
use std::process::ExitCode;
use syncpolicy_diff::{Area, Change, ChangeClass, DiffOptions};
use syncpolicy_store::import::CREDENTIAL_MARKER_KEY;
use syncpolicy_views::verify::{render_text, DeploymentSide, Expected, Imported, Report};

/// Arguments of `syncpolicy verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The settings file the deployment was imported from (or any SOURCE).
    #[arg(value_name = "FILE")]
    pub(crate) file: String,
    /// Also list the expected differences.
    #[arg(long)]
    pub(crate) show_expected: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

/// Why a difference is expected after an import, or `None` when it is not.
pub(crate) fn expected_reason(c: &Change) -> Option<&'static str> {
    let field = c.field.as_deref().unwrap_or("");
    if c.class == ChangeClass::Metadata {
        return Some("metadata (who, when, host, database, service account)");
    }
    if field == format!("unknown field '{CREDENTIAL_MARKER_KEY}'") {
        return Some("credential chosen at install");
    }
    match c.area {
        Area::SignIn => Some("sign-in method chosen at install"),
        Area::EntraDirectory if field == "administrator" || field == "tenant" => {
            Some("Entra administrator and tenant chosen at install")
        }
        Area::Directories if field == "account" => Some("directory account chosen at install"),
        Area::Server if field == "staging mode" => Some("staging mode chosen at install"),
        Area::Server if field == "enabled" && c.item.contains("scheduler") => {
            Some("starting synchronization chosen at install")
        }
        _ => None,
    }
}

pub(crate) fn run(args: &VerifyArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let imported = source::load(&args.file, ctx)?;
    // The newest export, named by its reference, change and path apart.
    let latest = {
        let mut d = crate::deployment::open_read(ctx)?;
        let entry = d.resolve("latest")?;
        DeploymentSide {
            reference: "@latest".to_owned(),
            change: entry.id,
            path: d.snapshot_path(&entry).display().to_string(),
        }
    };
    let current = source::load("@latest", ctx)?;
    let diff = syncpolicy_diff::diff(&imported.config, &current.config, &DiffOptions::default());
    // A legacy folder: its rules the migration could not attach must be in the deployment
    // (redone by hand); such a rule added to the deployment is what the folder asks for.
    let kind = source::classify(&args.file);
    let unattached = match &kind {
        source::SourceKind::LegacyFolder(dir) => {
            syncpolicy_files::legacy::load_legacy_folder(dir)?
                .1
                .unattached_rules
        }
        _ => Vec::new(),
    };
    let redone = |c: &Change| {
        c.kind == syncpolicy_diff::ChangeKind::Added
            && c.field.is_none()
            && unattached.iter().any(|u| {
                c.item.ends_with(&format!(
                    "rule '{}' ({})",
                    u.rule.name(),
                    u.rule.direction_str()
                ))
            })
    };
    let mut unexpected = Vec::new();
    let mut expected = Vec::new();
    for c in &diff.changes {
        if redone(c) {
            expected.push(Expected {
                reason: "rule of the legacy folder redone by hand",
                change: c,
            });
            continue;
        }
        match expected_reason(c) {
            Some(reason) => expected.push(Expected { reason, change: c }),
            None => unexpected.push(c),
        }
    }
    let missing_rules = missing_legacy_rules(&unattached, &current.config);
    let (kind_name, path, reference) = match &kind {
        source::SourceKind::SettingsFile(p) => ("settings-file", Some(p), None),
        source::SourceKind::SnapshotFolder(p) => ("snapshot-folder", Some(p), None),
        source::SourceKind::LegacyFolder(p) => ("legacy-folder", Some(p), None),
        source::SourceKind::Reference(r) => ("reference", None, Some(format!("@{r}"))),
    };
    let report = Report::new(
        Imported {
            source: args.file.clone(),
            kind: kind_name,
            path: path.map(|p| p.display().to_string()),
            reference,
        },
        latest,
        unexpected,
        missing_rules,
        expected,
    );
    let out = match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        OutputFormat::Text => {
            render_text(&report, args.show_expected, &Style::new(ctx.color_stdout))
        }
    };
    crate::output::print_stdout(&out)?;
    // The deployment against one of its own snapshots (a reference, or a file or folder of
    // its exports) says nothing about the import.
    let home = crate::deployment::home_dir(ctx)?;
    let own_exports = home.join(syncpolicy_store::home::EXPORTS_DIR);
    let inside_exports = |p: &std::path::Path| {
        p.canonicalize()
            .ok()
            .zip(own_exports.canonicalize().ok())
            .is_some_and(|(p, e)| p.starts_with(e))
    };
    let own_snapshot = match &kind {
        source::SourceKind::Reference(_) => true,
        source::SourceKind::SettingsFile(p) | source::SourceKind::SnapshotFolder(p) => {
            inside_exports(p)
        }
        source::SourceKind::LegacyFolder(_) => false,
    };
    if report.passed && !own_snapshot {
        let marker = home.join(crate::change::IMPORT_SESSION_FILE);
        if marker.exists() {
            // A home the user cannot write (a reader checking the deployment) keeps it.
            match std::fs::remove_file(&marker) {
                Ok(()) => ctx.status(
                    "the import session is closed: directories can be added and removed again",
                ),
                Err(e) => eprintln!(
                    "warning: the import session stays open: cannot remove {}: {e}",
                    marker.display()
                ),
            }
        }
    }
    Ok(ExitCode::from(if report.passed {
        exit::OK
    } else {
        exit::FINDINGS
    }))
}

/// The rules of a legacy folder that its migration could not attach to a directory (report
/// items to redo by hand) and that no directory of the deployment has by name and direction:
/// until they are redone, the deployment is not what the folder held.
fn missing_legacy_rules(
    unattached: &[syncpolicy_legacy::UnattachedRule],
    deployment: &syncpolicy_model::config::Configuration,
) -> Vec<String> {
    unattached
        .iter()
        .filter(|u| {
            !deployment.rules().any(|(_, r)| {
                r.name().trim().eq_ignore_ascii_case(u.rule.name().trim())
                    && r.direction == u.rule.direction
            })
        })
        .map(|u| {
            format!(
                "{} rule {:?} (from {:?}, connector {:?}) is not in the deployment: it must be redone by hand",
                u.rule.direction_str(),
                u.rule.name(),
                u.file,
                u.connector
            )
        })
        .collect()
}
