//! `syncpolicy apply SOURCE`: make the deployment's configuration equal to a settings file, a
//! legacy folder or one of its own snapshots (`@~3`: a rollback) as one change — validated,
//! shown as the diff of the current state to the result, one transaction, one auto-export, one
//! history entry naming the source. Installation choices (database, service account, each
//! kept directory's account and credentials) stay; directories cannot be added or removed
//! during an import session. Exit codes as `diff`: 0 nothing to do, 1 changes planned or
//! made, 2 error.

use crate::context::{Context, DeploymentArgs};
use crate::exit;
use crate::output::{print_stdout, OutputFormat, Style};
use anyhow::bail;
use std::process::ExitCode;
use syncpolicy_diff::{DiffOptions, Filter};
use syncpolicy_model::config::Configuration;
use syncpolicy_model::identity::same_guid;
use syncpolicy_model::words::count;
use syncpolicy_store::{ChangeMeta, HistoryEntry};
use syncpolicy_views::change::{to_json, ApplyDoc, Snapshot};

/// Arguments of `syncpolicy apply`.
#[derive(Debug, clap::Args)]
pub(crate) struct ApplyArgs {
    /// What the deployment should become: a settings file, a folder (its newest snapshot), a
    /// legacy Exported-ServerConfiguration-* folder, or a snapshot of this deployment
    /// (@~N, @<timestamp prefix>: a rollback to that change).
    #[arg(value_name = "SOURCE")]
    pub(crate) source: String,
    /// Print the plan (the diff of the current configuration to the result) and change
    /// nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Output format: the plan as text, or as data (schema `syncpolicy-apply/1`).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
    /// Who makes the change, for history (default: the signed-in user).
    #[arg(long)]
    pub(crate) author: Option<String>,
    #[command(flatten)]
    pub(crate) deployment: DeploymentArgs,
}

/// The configuration `source` asks for, with the installation choices of `current` kept.
fn target_of(source: Configuration, current: &Configuration) -> Configuration {
    let mut target = source;
    target.deployment_metadata = current.deployment_metadata.clone();
    target.extension.recorded_digest = None;
    for d in &mut target.onpremises_directories {
        if let Some(kept) = current
            .onpremises_directories
            .iter()
            .find(|c| same_guid(&c.unique_identifier, &d.unique_identifier))
        {
            d.account.clone_from(&kept.account);
        }
    }
    for i in 0..target.onpremises_directories.len() {
        let id = target.onpremises_directories[i].unique_identifier.clone();
        // A kept directory keeps the deployment's mark; a new one keeps the source's.
        let marked = match current
            .onpremises_directories
            .iter()
            .position(|c| same_guid(&c.unique_identifier, &id))
        {
            Some(j) => syncpolicy_store::import::credential_marked(current, j),
            None => syncpolicy_store::import::credential_marked(&target, i),
        };
        syncpolicy_store::import::mark_credential(&mut target, i, marked);
    }
    target
}

/// Names of directories in `a` that `b` does not have (by identifier).
fn missing_in(a: &Configuration, b: &Configuration) -> Vec<String> {
    a.onpremises_directories
        .iter()
        .filter(|d| {
            !b.onpremises_directories
                .iter()
                .any(|o| same_guid(&o.unique_identifier, &d.unique_identifier))
        })
        .map(|d| d.name.clone())
        .collect()
}

/// True when `target` equals `current` apart from who changed it when (compared in place:
/// a large configuration is not copied).
fn same_configuration(target: &mut Configuration, current: &Configuration) -> bool {
    let metadata = std::mem::replace(&mut target.policy_metadata, current.policy_metadata.clone());
    let digest = std::mem::replace(
        &mut target.extension.recorded_digest,
        current.extension.recorded_digest.clone(),
    );
    let same = &*target == current;
    target.policy_metadata = metadata;
    target.extension.recorded_digest = digest;
    same
}

/// The plan: the diff of the current configuration to the result, as shown.
fn plan(current: &Configuration, target: &Configuration) -> syncpolicy_diff::Diff {
    let _t = syncpolicy_store::timing::phase("diff");
    syncpolicy_diff::diff(current, target, &DiffOptions::default()).filtered(&Filter::default())
}

/// The change's one-line summary (history and output).
fn summary_of(
    rollback: Option<&HistoryEntry>,
    label: &str,
    diff: &syncpolicy_diff::Diff,
) -> String {
    let counts = diff.counts();
    match rollback {
        Some(e) => format!(
            "rollback to change {} ({}, {}): {}",
            e.id,
            e.summary,
            e.at,
            count(counts.total, "change", "changes")
        ),
        None => format!(
            "applied {label}: {} ({} added, {} removed, {} modified)",
            count(counts.total, "change", "changes"),
            counts.added,
            counts.removed,
            counts.modified
        ),
    }
}

/// The output of an apply that changes nothing: the source is what the deployment holds
/// (`same`, exit 0), or a dry run (the plan, exit 1).
fn dry_run_or_nothing(
    args: &ApplyArgs,
    ctx: &Context,
    same: bool,
    rollback: Option<&HistoryEntry>,
    label: &str,
    diff: &syncpolicy_diff::Diff,
) -> anyhow::Result<ExitCode> {
    if same {
        let what = format!("{label} is what the deployment holds");
        match args.format {
            OutputFormat::Json => print_stdout(&to_json(&ApplyDoc::new(
                &args.source,
                args.dry_run,
                None,
                None,
                None,
                &diff.changes,
            ))?)?,
            OutputFormat::Text => {
                print_stdout(&format!("{}\n", syncpolicy_store::unchanged_message(&what)))?;
            }
        }
        return Ok(ExitCode::from(exit::OK));
    }
    let summary = summary_of(rollback, label, diff);
    let style = Style::new(ctx.color_stdout);
    let out = match args.format {
        OutputFormat::Json => to_json(&ApplyDoc::new(
            &args.source,
            true,
            rollback.map(|e| e.id),
            Some(&summary),
            None,
            &diff.changes,
        ))?,
        OutputFormat::Text => {
            let mut o = format!("dry run, nothing was changed; apply would make: {summary}\n");
            o.push_str(&crate::commands::diff::render_changes_text(diff, &style));
            o
        }
    };
    print_stdout(&out)?;
    Ok(ExitCode::from(exit::FINDINGS))
}

pub(crate) fn run(args: &ApplyArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let t = syncpolicy_store::timing::phase("open deployment");
    let mut d = crate::deployment::open(ctx)?;
    // One change, then the command exits: the result need not be kept for another change.
    d.set_keep_cache(false);
    drop(t);
    // 1. The source.
    let mut rollback: Option<HistoryEntry> = None;
    let (source, text, label) = if let Some(reference) = args.source.strip_prefix('@') {
        let entry = d.resolve(reference)?;
        let snapshot = d.snapshot(&entry)?;
        crate::deployment::tell(&mut d);
        let label = format!("@{reference} (change {})", entry.id);
        rollback = Some(entry);
        (snapshot.config, None, label)
    } else {
        // The file and the current configuration are read at the same time (two large
        // parses that do not depend on each other).
        let (loaded, current) = std::thread::scope(|s| {
            let reading = s.spawn(|| {
                let _t = syncpolicy_store::timing::phase("read source");
                crate::source::load(&args.source, ctx)
            });
            let _t = syncpolicy_store::timing::phase("current");
            // Loaded into the deployment's cache, read below without a copy.
            let current = d.current_ref().map(drop);
            (reading.join(), current)
        });
        current?;
        let loaded = loaded
            .map_err(|_| anyhow::anyhow!("reading {} stopped unexpectedly", args.source))??;
        (loaded.config, loaded.text, loaded.label)
    };
    // 2. What apply cannot do.
    let unsupported = syncpolicy_store::import::unsupported_connectors(&source);
    if !unsupported.is_empty() {
        bail!(
            "apply refused: {label} has connectors a deployment cannot hold (G-SQL, G-LDAP or other non-Active Directory connectors):\n  {}\nnothing was changed\nhint: remove those connectors from the file; they are set up by hand on the server",
            unsupported.join("\n  ")
        );
    }
    let current = d.current_ref()?;
    let t = syncpolicy_store::timing::phase("target");
    let mut target = target_of(source, current);
    drop(t);
    if crate::change::import_session_open(ctx) {
        let added = missing_in(&target, current);
        let removed = missing_in(current, &target);
        if !added.is_empty() || !removed.is_empty() {
            let mut what = Vec::new();
            if !added.is_empty() {
                what.push(format!("adds {}", added.join(", ")));
            }
            if !removed.is_empty() {
                what.push(format!("removes {}", removed.join(", ")));
            }
            bail!(
                "apply refused: {label} {} but directories cannot be added or removed during an import session (from `install --import` until `verify` passes); nothing was changed\nhint: finish the import first with `syncpolicy verify FILE` (the imported settings file), then apply again",
                what.join(" and ")
            );
        }
    }
    // 3. Validated first (on a dry run here; a real apply is validated again by the store
    // inside its transaction, with the installation choices in place).
    if args.dry_run {
        let findings = match &text {
            Some(t) => syncpolicy_lint::check_file(&target, t, &label),
            None => syncpolicy_lint::check(&target),
        };
        // Findings accepted in the file (acceptedFindings) do not refuse the apply.
        let errors = syncpolicy_lint::accept::unaccepted_errors(&target, &findings);
        if !errors.is_empty() {
            for e in &errors {
                eprintln!("{e}");
            }
            bail!(
                "apply refused: {label} has {}; nothing was changed\nhint: correct it so that `syncpolicy validate` reports no error, then apply again",
                count(errors.len(), "error", "errors")
            );
        }
    }
    // 4. The plan.
    let t = syncpolicy_store::timing::phase("same configuration");
    let same = same_configuration(&mut target, current);
    drop(t);
    if same || args.dry_run {
        let diff = plan(current, &target);
        return dry_run_or_nothing(args, ctx, same, rollback.as_ref(), &label, &diff);
    }
    // 5. One change; its plan (the diff) is made beside it, on the validation's thread, once
    // validation is done, while the store writes the text, the rows and the export.
    let author = crate::deployment::author(args.author.as_deref());
    let command = format!("apply {}", args.source);
    let uncredentialed: Vec<String> = {
        let secrets = d.home().secrets()?;
        target
            .onpremises_directories
            .iter()
            .filter(|t| secrets.directory(&t.unique_identifier).is_none())
            .map(|t| t.name.clone())
            .collect()
    };
    // The plan is made from the result as it is committed: with the author and time of the
    // change stamped into its policy metadata, which the plan does not show (metadata is
    // hidden by the default filter), so it is the plan a dry run shows.
    let mut planned: Option<syncpolicy_diff::Diff> = None;
    let t = syncpolicy_store::timing::phase("change");
    let outcome = d.change_to_beside(
        &ChangeMeta::new(author, command),
        target,
        String::new(),
        |before, after| {
            let diff = plan(before, after);
            let said = summary_of(rollback.as_ref(), &label, &diff);
            planned = Some(diff);
            said
        },
    )?;
    drop(t);
    let diff = planned.unwrap_or_default();
    crate::deployment::tell(&mut d);
    for name in &uncredentialed {
        ctx.status(&format!(
            "note: directory {name} has no credential set in this deployment; its connector cannot sign in until one is given"
        ));
    }
    let style = Style::new(ctx.color_stdout);
    let out = match args.format {
        OutputFormat::Json => {
            let entry = crate::deployment::entry_view(&outcome.entry);
            let snapshot = Snapshot {
                path: outcome.snapshot.display().to_string(),
                file: &entry.snapshot,
            };
            to_json(&ApplyDoc::new(
                &args.source,
                false,
                rollback.as_ref().map(|e| e.id),
                Some(&outcome.summary),
                Some((snapshot, &entry)),
                &diff.changes,
            ))?
        }
        OutputFormat::Text => {
            let mut o = crate::commands::diff::render_changes_text(&diff, &style);
            o.push_str(&format!("{}\n", outcome.summary));
            o
        }
    };
    ctx.status(&format!(
        "  change {}, exported {}",
        outcome.entry.id,
        outcome.snapshot.display()
    ));
    print_stdout(&out)?;
    // The command ends here: the operating system takes back the memory of these large
    // configurations at exit faster than freeing them piece by piece (a tenth of the time of
    // an apply of a 50 MB configuration).
    std::mem::forget(outcome);
    std::mem::forget(diff);
    d.forget_cache();
    crate::output::print_timings();
    Ok(ExitCode::from(exit::FINDINGS))
}
