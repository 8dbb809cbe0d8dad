//! Sources: what a command reads a configuration from. A settings file, a folder of snapshots
//! (the newest), a legacy `Exported-ServerConfiguration-*` folder, or a snapshot reference of
//! the current deployment (`@latest`, `@~N`, a timestamp prefix).

use crate::context::Context;
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};
use syncpolicy_files::settings::load_settings;
use syncpolicy_files::snapshot::newest_snapshot;
use syncpolicy_model::config::Configuration;

/// A configuration loaded from a source.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub(crate) config: Configuration,
    /// How to name the source to a person (the file path, or the reference).
    pub(crate) label: String,
    /// The settings file read, when the source was one (or a folder's newest snapshot).
    pub(crate) path: Option<PathBuf>,
    /// Decoded text of that settings file, for excerpts and positions.
    pub(crate) text: Option<String>,
}

/// What kind of source an argument names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SourceKind {
    SettingsFile(PathBuf),
    SnapshotFolder(PathBuf),
    LegacyFolder(PathBuf),
    Reference(String),
}

/// Decides what an argument names. `@...` is a reference; an existing folder with
/// `Connectors/` or `SynchronizationRules/` (or named `Exported-ServerConfiguration-*`) is a
/// legacy export; another folder is a snapshot folder; anything else a settings file.
pub(crate) fn classify(source: &str) -> SourceKind {
    if let Some(reference) = source.strip_prefix('@') {
        return SourceKind::Reference(reference.to_owned());
    }
    let path = PathBuf::from(source);
    if path.is_dir() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if path.join("Connectors").is_dir()
            || path.join("SynchronizationRules").is_dir()
            || name.starts_with("exported-serverconfiguration-")
        {
            return SourceKind::LegacyFolder(path);
        }
        return SourceKind::SnapshotFolder(path);
    }
    SourceKind::SettingsFile(path)
}

/// Loads a configuration from any source.
pub(crate) fn load(source: &str, ctx: &Context) -> anyhow::Result<Loaded> {
    match classify(source) {
        SourceKind::SettingsFile(path) if is_powershell(&path) => load_powershell(&path),
        SourceKind::SettingsFile(path) => load_file(&path),
        SourceKind::SnapshotFolder(dir) => {
            let newest = newest_snapshot(&dir)
                .with_context(|| format!("cannot list the folder {}", dir.display()))?;
            match newest {
                Some(path) => {
                    if ctx.verbose {
                        ctx.status(&format!("reading the newest snapshot {}", path.display()));
                    }
                    load_file(&path)
                }
                None => bail!(
                    "the folder {} holds no settings file (Applied-, Exported- or Migrated-SynchronizationPolicy-*.json)\nhint: name a settings file, or a folder that holds snapshots",
                    dir.display()
                ),
            }
        }
        SourceKind::LegacyFolder(dir) => load_legacy(&dir, ctx),
        SourceKind::Reference(reference) => load_reference(&reference, ctx),
    }
}

/// Loads a settings file.
pub(crate) fn load_file(path: &Path) -> anyhow::Result<Loaded> {
    if !path.exists() {
        bail!(
            "{} does not exist\nhint: give a settings file, a folder of snapshots, a legacy Exported-ServerConfiguration-* folder, or @latest",
            path.display()
        );
    }
    let file = load_settings(path)?;
    Ok(Loaded {
        config: file.config,
        label: path.display().to_string(),
        path: Some(path.to_path_buf()),
        text: Some(file.text),
    })
}

fn load_legacy(dir: &Path, ctx: &Context) -> anyhow::Result<Loaded> {
    let (config, report) = syncpolicy_files::legacy::load_legacy_folder(dir)?;
    if ctx.verbose {
        ctx.status(&format!(
            "migrated the legacy export {} in memory: {} connectors, {} rules ({} unattached)",
            dir.display(),
            report.counts.connectors,
            report.counts.rules,
            report.counts.unattached_rules
        ));
        for item in &report.items {
            ctx.status(&format!("  {}: {}", item.class.label(), item.diagnostic));
        }
    }
    Ok(Loaded {
        config,
        label: dir.display().to_string(),
        path: None,
        text: None,
    })
}

fn load_reference(reference: &str, ctx: &Context) -> anyhow::Result<Loaded> {
    let mut deployment = crate::deployment::open(ctx)?;
    let entry = deployment.resolve(reference)?;
    let path = deployment.snapshot_path(&entry);
    if ctx.verbose {
        ctx.status(&format!(
            "@{reference} is change {} ({}) at {}",
            entry.id, entry.summary, entry.at
        ));
    }
    let mut loaded = load_file(&path).with_context(|| {
        format!(
            "@{reference} is change {} ({}), whose export {} cannot be read\nhint: `syncpolicy export` writes the current configuration again; older exports cannot be recreated",
            entry.id,
            entry.summary,
            path.display()
        )
    })?;
    loaded.label = format!("@{reference} ({})", path.display());
    Ok(loaded)
}

/// True for a Rules Editor export (`.ps1`), read as a rule set of its own.
pub(crate) fn is_powershell(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ps1"))
}

/// Reads a Rules Editor export: its rules, in directories named by their connector identifiers.
pub(crate) fn load_powershell(path: &Path) -> anyhow::Result<Loaded> {
    let rules = read_powershell(path)?;
    Ok(Loaded {
        config: syncpolicy_powershell::to_configuration(&rules.rules),
        label: path.display().to_string(),
        path: None,
        text: None,
    })
}

/// Reads and parses a Rules Editor export.
pub(crate) fn read_powershell(path: &Path) -> anyhow::Result<syncpolicy_powershell::RulesFile> {
    let limit = 2 * syncpolicy_powershell::MAX_INPUT_BYTES as u64;
    if std::fs::metadata(path).is_ok_and(|m| m.len() > limit) {
        bail!(
            "{} is larger than {} MB, more than any rules export\nhint: split the export into several files",
            path.display(),
            limit / 1_000_000
        );
    }
    let bytes = std::fs::read(path).with_context(|| {
        format!(
            "cannot read {}\nhint: check the path and that the file is readable",
            path.display()
        )
    })?;
    Ok(syncpolicy_powershell::read_rules(
        &bytes,
        &path.display().to_string(),
    )?)
}
