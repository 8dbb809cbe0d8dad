//! The one path every change command takes: open the deployment, apply an edit of the model
//! (from `syncpolicy-edit`), validate, commit in one transaction with its auto-export and
//! history entry — or, with `--dry-run`, show the change as a diff and apply nothing.

use crate::context::Context;
use crate::exit;
use crate::output::{print_stdout, OutputFormat, Style};
use anyhow::bail;
use clap::ValueEnum;
use std::process::ExitCode;
use syncpolicy_edit::error::EditResult;
use syncpolicy_edit::EditError;
use syncpolicy_model::config::Configuration;
use syncpolicy_model::extension::ConnectorExtension;
use syncpolicy_store::{ChangeMeta, StoreError};
use syncpolicy_views::change::{ChangeDoc, Snapshot};

/// Options every change command takes.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ChangeArgs {
    /// Show the change as a diff and apply nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Output format of the result: a one-line summary, or the change as data.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
    /// Who makes the change, for history (default: the signed-in user).
    #[arg(long)]
    pub(crate) author: Option<String>,
    /// Confirm without asking (for changes that ask, such as removing a directory).
    #[arg(long, short = 'y')]
    pub(crate) yes: bool,
}

/// `on` or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OnOff {
    /// Turn it on.
    On,
    /// Turn it off.
    Off,
}

impl OnOff {
    pub(crate) fn on(self) -> bool {
        self == OnOff::On
    }
}

/// Runs one change on the deployment.
pub(crate) fn apply(
    ctx: &Context,
    args: &ChangeArgs,
    command: &str,
    edit: impl FnOnce(&mut Configuration) -> EditResult,
) -> anyhow::Result<ExitCode> {
    let mut deployment = crate::deployment::open(ctx)?;
    let edit = guard_references(edit);
    if args.dry_run {
        let (before, after, summary) = match deployment.preview(edit) {
            Err(StoreError::Unchanged { summary }) if args.format == OutputFormat::Json => {
                return unchanged_json(command, true, &summary);
            }
            other => other?,
        };
        let diff = syncpolicy_diff::diff(&before, &after, &syncpolicy_diff::DiffOptions::default())
            .filtered(&syncpolicy_diff::Filter::default());
        let out = match args.format {
            OutputFormat::Json => syncpolicy_views::change::to_json(&ChangeDoc::new(
                command,
                &summary,
                None,
                &diff.changes,
            ))?,
            OutputFormat::Text => {
                let style = Style::new(ctx.color_stdout);
                let mut o =
                    format!("dry run, nothing was changed; the change would be: {summary}\n");
                o.push_str(&crate::commands::diff::render_changes_text(&diff, &style));
                o
            }
        };
        print_stdout(&out)?;
        return Ok(ExitCode::from(exit::OK));
    }
    let author = crate::deployment::author(args.author.as_deref());
    let outcome = match deployment.change(&ChangeMeta::new(author, command), edit) {
        Err(StoreError::Unchanged { summary }) if args.format == OutputFormat::Json => {
            return unchanged_json(command, false, &summary);
        }
        other => other?,
    };
    let out = match args.format {
        OutputFormat::Json => {
            let diff = syncpolicy_diff::diff(
                &outcome.before,
                &outcome.after,
                &syncpolicy_diff::DiffOptions::default(),
            )
            .filtered(&syncpolicy_diff::Filter::default());
            let entry = crate::deployment::entry_view(&outcome.entry);
            let snapshot = Snapshot {
                path: outcome.snapshot.display().to_string(),
                file: &entry.snapshot,
            };
            syncpolicy_views::change::to_json(&ChangeDoc::new(
                command,
                &outcome.summary,
                Some((snapshot, &entry)),
                &diff.changes,
            ))?
        }
        OutputFormat::Text => {
            // The headline first, then where it was exported.
            print_stdout(&format!("{}\n", outcome.summary))?;
            ctx.status(&format!(
                "  change {}, exported {}",
                outcome.entry.id,
                outcome.snapshot.display()
            ));
            return Ok(ExitCode::from(exit::OK));
        }
    };
    print_stdout(&out)?;
    Ok(ExitCode::from(exit::OK))
}

/// A change that changes nothing, as JSON (as text it is the one `unchanged: ...` line); exit 0.
fn unchanged_json(command: &str, dry_run: bool, summary: &str) -> anyhow::Result<ExitCode> {
    let message = syncpolicy_store::unchanged_message(summary);
    print_stdout(&syncpolicy_views::change::to_json(&ChangeDoc::unchanged(
        command, dry_run, &message,
    ))?)?;
    Ok(ExitCode::from(exit::OK))
}

/// Codes of findings a change may not introduce even though they are warnings in a file
/// (a hand-written or newer file may name attributes this version does not know; a change
/// made here must not): unknown attribute, undeclared directory extension.
const REFUSED_WHEN_NEW: &[&str] = &["SP060", "SP061"];

/// Wraps an edit so that it is refused when it introduces an attribute no schema defines.
fn guard_references(
    edit: impl FnOnce(&mut Configuration) -> EditResult,
) -> impl FnOnce(&mut Configuration) -> EditResult {
    move |config: &mut Configuration| {
        let of_concern = |c: &Configuration| -> Vec<(String, String)> {
            syncpolicy_lint::check(c)
                .into_iter()
                .filter(|d| REFUSED_WHEN_NEW.contains(&d.code.as_str()))
                .map(|d| (d.code, d.message))
                .collect()
        };
        let before = of_concern(config);
        let summary = edit(config)?;
        let new: Vec<String> = of_concern(config)
            .into_iter()
            .filter(|d| !before.contains(d))
            .map(|(code, message)| format!("{code}: {message}"))
            .collect();
        if new.is_empty() {
            Ok(summary)
        } else {
            Err(EditError::Refused {
                message: format!("the change names attributes no schema defines:\n  {}", new.join("\n  ")),
                hint: "check the spelling; declare a new attribute first (`syncpolicy feature extension-add` for Entra ID, or a metaverse schema extension)".to_owned(),
            })
        }
    }
}

/// The configuration to read: a source when given, else the deployment's current one.
pub(crate) fn current(ctx: &Context, source: Option<&str>) -> anyhow::Result<Configuration> {
    match source {
        Some(s) => Ok(crate::source::load(s, ctx)?.config),
        None => Ok(crate::deployment::open(ctx)?.current()?),
    }
}

/// Asks for confirmation on a terminal; `--yes` or `--dry-run` answer for the user. Without a
/// terminal and without `--yes`, refuses.
pub(crate) fn confirm(ctx: &Context, args: &ChangeArgs, question: &str) -> anyhow::Result<()> {
    if args.yes || args.dry_run {
        return Ok(());
    }
    if !crate::prompt::interactive() {
        bail!("refusing to {} without confirmation\nhint: add --yes to confirm (or --dry-run to see the change first)", question.trim_end_matches('?'));
    }
    let _ = ctx;
    // Only yes or no is an answer; an empty one is no.
    if crate::prompt::yes_no(&format!("{question} (yes/no)"), Some(false))? {
        Ok(())
    } else {
        bail!("not confirmed; nothing was changed")
    }
}

/// Refuses while the deployment is in an import session (after `install --import` until
/// `verify` passes): directories cannot be added or removed then, as in the product.
pub(crate) fn refuse_during_import(ctx: &Context) -> Result<(), EditError> {
    if import_session_open(ctx) {
        let source = crate::deployment::home_dir(ctx)
            .ok()
            .and_then(|home| std::fs::read_to_string(home.join(IMPORT_SESSION_FILE)).ok())
            .map(|s| {
                s.trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .collect::<String>()
            })
            .filter(|s| !s.is_empty());
        let from = source.as_deref().unwrap_or("FILE");
        return Err(EditError::Refused {
            message: format!(
                "directories cannot be added or removed during an import session: the deployment was imported from {from}, and until `syncpolicy verify` passes against it the directories must stay as imported (as in Microsoft's import)"
            ),
            hint: format!(
                "finish the import first: `syncpolicy verify {from}` closes the session when it passes (`verify @latest` does not); then add or remove directories"
            ),
        });
    }
    Ok(())
}

/// Name of the marker file, in the home folder, of an open import session.
pub(crate) const IMPORT_SESSION_FILE: &str = syncpolicy_store::home::IMPORT_SESSION_FILE;

/// True while an import session is open: `install --import` creates the marker,
/// a passing `verify` removes it.
pub(crate) fn import_session_open(ctx: &Context) -> bool {
    crate::deployment::home_dir(ctx).is_ok_and(|home| home.join(IMPORT_SESSION_FILE).exists())
}

/// A new random identifier (GUID, lowercase, no braces).
pub(crate) fn new_identifier() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The connector extension of a newly added forest: the standard object types and the five
/// standard run profiles on its root domain.
pub(crate) fn default_connector(forest: &str) -> ConnectorExtension {
    use syncpolicy_samples::generate::{
        standard_run_profiles, DEFAULT_ATTRIBUTES, DEFAULT_OBJECT_TYPES,
    };
    ConnectorExtension {
        object_types: Some(
            DEFAULT_OBJECT_TYPES
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        ),
        attribute_inclusions: Some(DEFAULT_ATTRIBUTES.iter().map(|s| (*s).to_owned()).collect()),
        run_profiles: standard_run_profiles(&[syncpolicy_edit::directory::fqdn_to_dn(forest)]),
        ..ConnectorExtension::default()
    }
}

/// `directory list`.
pub(crate) fn list_directories(ctx: &Context, format: OutputFormat) -> anyhow::Result<ExitCode> {
    let config = current(ctx, None)?;
    let out = match format {
        OutputFormat::Json => syncpolicy_views::onpremises::render_json(&config)?,
        OutputFormat::Text => syncpolicy_views::onpremises::render_text(&config),
    };
    print_stdout(&out)?;
    Ok(ExitCode::from(exit::OK))
}
