//! Sources: what a command reads a configuration from. A settings file, a folder of snapshots
//! (the newest), a legacy `Exported-ServerConfiguration-*` folder, or a snapshot reference of
//! the current deployment (`@latest`, `@~N`, a timestamp prefix).
//!
//! The database is the truth: a reference gives the configuration as committed, rebuilt from
//! the database, never what the export file holds. A settings file that is a deployment's
//! export is checked against the digest history recorded for it (a file changed after export
//! is reported and the committed configuration used), and any other settings file that
//! records a digest is checked against it (a warning naming the file).

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
    /// Where the reader found the digested sections in `text` (unknown for other sources),
    /// for the quick digest check of `validate`.
    pub(crate) spans: syncpolicy_json::digest::SectionSpans,
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
/// `Connectors/`, `GlobalSettings/` or `SynchronizationRules/` in any case (or named
/// `Exported-ServerConfiguration-*`) is a legacy export; another folder is a snapshot folder;
/// anything else a settings file.
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
        if syncpolicy_files::legacy::is_legacy_folder(&path)
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
        SourceKind::SettingsFile(path) => load_file(&path, ctx),
        SourceKind::SnapshotFolder(dir) => {
            let newest = newest_snapshot(&dir)
                .with_context(|| format!("cannot list the folder {}", dir.display()))?;
            match newest {
                Some(path) => {
                    if ctx.verbose {
                        ctx.status(&format!("reading the newest snapshot {}", path.display()));
                    }
                    load_file(&path, ctx)
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

/// Loads a settings file, checking it against the digest it or its deployment recorded.
pub(crate) fn load_file(path: &Path, ctx: &Context) -> anyhow::Result<Loaded> {
    let mut loaded = {
        let _progress = crate::progress::Progress::reading(ctx, path);
        read_file(path)?
    };
    if let Some(committed) = deployment_export(path, &loaded)? {
        return Ok(committed);
    }
    if let (Some(text), Some(_)) = (&loaded.text, &loaded.config.extension.recorded_digest) {
        if let syncpolicy_json::digest::DigestCheck::Differs { sections } =
            syncpolicy_json::digest::check_text(&loaded.config, text, &loaded.spans)
        {
            eprintln!(
                "{}",
                crate::deployment::sanitize(&format!(
                    "warning: {} was changed after syncpolicy wrote it: its content differs from the digest it records (sections: {})",
                    path.display(),
                    sections.join(", ")
                ))
            );
        }
    }
    loaded.label = path.display().to_string();
    Ok(loaded)
}

/// Reads a settings file, and where its digested sections are in its text.
fn read_file(path: &Path) -> anyhow::Result<Loaded> {
    if !path.exists() {
        bail!(
            "{} does not exist\nhint: give a settings file, a folder of snapshots, a legacy Exported-ServerConfiguration-* folder, or @latest",
            path.display()
        );
    }
    let file = load_settings(path)?;
    let loaded = Loaded {
        config: file.config,
        label: path.display().to_string(),
        path: Some(path.to_path_buf()),
        text: Some(file.text),
        spans: file.spans,
    };
    Ok(loaded)
}

/// When `path` is an export in a deployment's `exports/` folder that history names: the
/// committed configuration of that change when the file differs from the recorded digest
/// (said on stderr), else `None` (the file is what was committed).
fn deployment_export(path: &Path, _loaded: &Loaded) -> anyhow::Result<Option<Loaded>> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Ok(None);
    };
    let Some(home) = path
        .parent()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n == syncpolicy_store::home::EXPORTS_DIR)
        })
        .and_then(Path::parent)
        .map(Path::to_path_buf)
    else {
        return Ok(None);
    };
    let home = if home.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        home
    };
    if !syncpolicy_store::Home::new(&home).is_installed() {
        return Ok(None);
    }
    // A deployment that cannot be opened (another database, no access) leaves the file as
    // an ordinary settings file.
    let Ok(mut d) = syncpolicy_store::Deployment::open_read(&home, None) else {
        return Ok(None);
    };
    let Some(entry) = d.history()?.into_iter().find(|e| e.snapshot == name) else {
        return Ok(None);
    };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if syncpolicy_json::digest::sha256_hex(&bytes) == entry.digest {
        return Ok(None);
    }
    let snapshot = d.snapshot(&entry)?;
    crate::deployment::tell(&mut d);
    Ok(Some(Loaded {
        config: snapshot.config,
        label: format!(
            "{} (change {} as committed, from the database)",
            path.display(),
            entry.id
        ),
        path: None,
        text: String::from_utf8(snapshot.bytes).ok(),
        spans: Default::default(),
    }))
}

fn load_legacy(dir: &Path, ctx: &Context) -> anyhow::Result<Loaded> {
    let (config, report) = {
        let _progress = crate::progress::Progress::reading(ctx, dir);
        syncpolicy_files::legacy::load_legacy_folder(dir)?
    };
    if ctx.verbose {
        ctx.status(&format!(
            "migrated the legacy export {} in memory: {}, {} ({} unattached)",
            dir.display(),
            syncpolicy_model::words::count(report.counts.connectors, "connector", "connectors"),
            syncpolicy_model::words::count(report.counts.rules, "rule", "rules"),
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
        spans: Default::default(),
    })
}

fn load_reference(reference: &str, ctx: &Context) -> anyhow::Result<Loaded> {
    let progress = crate::progress::Progress::spinner(
        ctx,
        format!(
            "reading @{} from the deployment",
            syncpolicy_views::escape::text(reference)
        ),
    );
    let mut deployment = crate::deployment::open_read(ctx)?;
    let entry = deployment.resolve(reference)?;
    if ctx.verbose {
        progress.suspend(|| {
            ctx.status(&format!(
                "@{reference} is change {} ({}) at {}",
                entry.id, entry.summary, entry.at
            ))
        });
    }
    let snapshot = deployment.snapshot(&entry)?;
    drop(progress);
    crate::deployment::tell(&mut deployment);
    Ok(Loaded {
        config: snapshot.config,
        label: format!(
            "@{reference} (change {}, {})",
            entry.id,
            deployment.snapshot_path(&entry).display()
        ),
        path: None,
        text: String::from_utf8(snapshot.bytes).ok(),
        spans: Default::default(),
    })
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
        spans: Default::default(),
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
