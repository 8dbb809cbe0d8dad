//! `syncpolicy migrate`: turns a legacy Exported-ServerConfiguration-* folder into a settings
//! file, and reports what was migrated, kept in the extension part, or left to do by hand.

use crate::context::Context;
use crate::exit;
use crate::output::{OutputFormat, Style};
use anyhow::Context as _;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use syncpolicy_files::legacy::load_legacy_folder;
use syncpolicy_files::snapshot::{unique_snapshot_path, MIGRATED_PREFIX};
use syncpolicy_files::timestamp::UtcMillis;
use syncpolicy_legacy::{Classification, MigrationReport, UnattachedRule};
use syncpolicy_model::diagnostic::Diagnostic;
use syncpolicy_model::rule::SyncRule;

/// Arguments of `syncpolicy migrate`.
#[derive(Debug, clap::Args)]
#[command(after_help = MIGRATE_HELP)]
pub(crate) struct MigrateArgs {
    /// The Exported-ServerConfiguration-* folder to migrate.
    #[arg(value_name = "FOLDER")]
    pub(crate) folder: PathBuf,
    /// Where to write the settings file (written atomically). Default:
    /// Migrated-SynchronizationPolicy-<UTC timestamp>.json in the current folder.
    #[arg(long, short = 'o', value_name = "OUT.json")]
    pub(crate) out: Option<PathBuf>,
    /// Also write the migration report as JSON to this file, with every rule that could not
    /// be attached in full (written atomically).
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<PathBuf>,
    /// Format of the report printed on standard error.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
}

/// What `migrate --help` says after the options.
const MIGRATE_HELP: &str = "\
Reads the folder that MigrateSettings.ps1 wrote on an older server (Connectors/, \
GlobalSettings/MV.xml, SynchronizationRules/, PersistedState.xml, MigratedPolicy.json) and \
writes one settings file: the Entra directory and one on-premises directory per AD connector, \
partitions and OU filters as exported, global settings, every rule, and in the x-syncpolicy \
part what Microsoft's format lacks (object types, attribute inclusions, run profiles, \
connector order, staging mode, scheduler, other global parameters). Schemas, cookies, times \
and run history are left out. The migration report goes to standard error, sorted into: \
fixed automatically, needs review, must be redone by hand. See docs/migration.md.

Exit codes: 0 the settings file was written and nothing must be redone by hand; 1 the \
settings file was written but some items must be redone by hand (e.g. a rule whose connector \
is not in the folder: it is kept in the report instead); 2 nothing was written (missing \
folder or file, malformed or unsafe XML, unwritable output).";

pub(crate) fn run(args: &MigrateArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let (config, report) = load_legacy_folder(&args.folder)?;
    let out = match &args.out {
        Some(p) => p.clone(),
        None => unique_snapshot_path(Path::new("."), MIGRATED_PREFIX, UtcMillis::now()).0,
    };
    let bytes = syncpolicy_json::write_settings(&config);
    syncpolicy_files::atomic::write_atomic(&out, &bytes)
        .with_context(|| format!("cannot write {}\nhint: check that the folder exists and is writable, or choose another file with -o", out.display()))?;
    let data = ReportJson::new(&args.folder, &out, &report);
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&data)? + "\n";
        syncpolicy_files::atomic::write_atomic(path, json.as_bytes()).with_context(|| {
            format!(
                "the settings file {} was written, but the report cannot be written to {}\nhint: check that the folder exists and is writable",
                out.display(),
                path.display()
            )
        })?;
    }
    if !ctx.quiet {
        let text = match args.format {
            OutputFormat::Json => serde_json::to_string_pretty(&data)? + "\n",
            OutputFormat::Text => render_text(&data, &report, &Style::new(ctx.color_stderr)),
        };
        eprint!("{text}");
    }
    Ok(ExitCode::from(if report.has_redo_by_hand() {
        exit::FINDINGS
    } else {
        exit::OK
    }))
}

/// The report as JSON (`--report FILE`, `--format json`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ReportJson {
    source: String,
    output: String,
    counts: CountsJson,
    kept_in_extension: Vec<String>,
    summary: SummaryJson,
    items: Vec<ItemJson>,
    unattached_rules: Vec<UnattachedJson>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CountsJson {
    connectors: usize,
    ad_connectors: usize,
    entra_connector: bool,
    partitions: usize,
    selected_partitions: usize,
    rules: usize,
    standard_rules: usize,
    custom_rules: usize,
    disabled_rules: usize,
    unattached_rules: usize,
    global_parameters: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryJson {
    fixed_automatically: usize,
    needs_review: usize,
    redo_by_hand: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemJson {
    class: &'static str,
    code: String,
    name: String,
    severity: &'static str,
    message: String,
    file: Option<String>,
    xml_element: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    help: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct UnattachedJson {
    file: String,
    connector: String,
    rule: RuleJson,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleJson {
    name: Option<String>,
    unique_identifier: Option<String>,
    internal_identifier: String,
    description: String,
    direction: Option<String>,
    link_type: Option<String>,
    source_object_type: Option<String>,
    target_object_type: Option<String>,
    immutable_tag: Option<String>,
    precedence: i32,
    precedence_before: Option<String>,
    precedence_after: Option<String>,
    soft_delete_expiry_interval: Option<String>,
    disabled: bool,
    password_hash_sync_target: bool,
    join_groups: Vec<Vec<JoinJson>>,
    scope_groups: Vec<Vec<ScopeJson>>,
    mappings: Vec<MappingJson>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct JoinJson {
    source: Option<String>,
    destination: Option<String>,
    case_sensitive: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ScopeJson {
    attribute: Option<String>,
    operator: Option<String>,
    value: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MappingJson {
    flow_type: Option<String>,
    merge_type: String,
    execute_once: bool,
    destination: Option<String>,
    source: String,
    expression: String,
    value: String,
}

impl ReportJson {
    fn new(folder: &Path, out: &Path, report: &MigrationReport) -> Self {
        let c = &report.counts;
        ReportJson {
            source: folder.display().to_string(),
            output: out.display().to_string(),
            counts: CountsJson {
                connectors: c.connectors,
                ad_connectors: c.ad_connectors,
                entra_connector: c.entra_connector,
                partitions: c.partitions,
                selected_partitions: c.selected_partitions,
                rules: c.rules,
                standard_rules: c.standard_rules,
                custom_rules: c.custom_rules,
                disabled_rules: c.disabled_rules,
                unattached_rules: c.unattached_rules,
                global_parameters: c.global_parameters,
            },
            kept_in_extension: report.kept_in_extension.clone(),
            summary: SummaryJson {
                fixed_automatically: report.count(Classification::FixedAutomatically),
                needs_review: report.count(Classification::NeedsReview),
                redo_by_hand: report.count(Classification::RedoByHand),
            },
            items: report
                .items
                .iter()
                .map(|i| item_json(i.class, &i.diagnostic))
                .collect(),
            unattached_rules: report
                .unattached_rules
                .iter()
                .map(unattached_json)
                .collect(),
        }
    }
}

fn item_json(class: Classification, d: &Diagnostic) -> ItemJson {
    ItemJson {
        class: class.as_str(),
        code: d.code.clone(),
        name: d.name.clone(),
        severity: d.severity.as_str(),
        message: d.message.clone(),
        file: d.location.file.clone(),
        xml_element: d.location.xml_element.clone(),
        line: d.location.line,
        column: d.location.column,
        help: d.help.clone(),
    }
}

fn unattached_json(u: &UnattachedRule) -> UnattachedJson {
    UnattachedJson {
        file: u.file.clone(),
        connector: u.connector.clone(),
        rule: rule_json(&u.rule),
    }
}

fn rule_json(r: &SyncRule) -> RuleJson {
    RuleJson {
        name: r.name.clone(),
        unique_identifier: r.unique_identifier.clone(),
        internal_identifier: r.internal_identifier.clone(),
        description: r.description.clone(),
        direction: r.direction.as_ref().map(|d| d.as_str().to_owned()),
        link_type: r.link_type.as_ref().map(|l| l.as_str().to_owned()),
        source_object_type: r.source_object_type.clone(),
        target_object_type: r.target_object_type.clone(),
        immutable_tag: r.immutable_tag.clone(),
        precedence: r.precedence,
        precedence_before: r.extension.precedence_before.clone(),
        precedence_after: r.extension.precedence_after.clone(),
        soft_delete_expiry_interval: r.extension.soft_delete_expiry_interval.clone(),
        disabled: r.disabled,
        password_hash_sync_target: r.password_hash_sync_target,
        join_groups: r
            .join_groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|j| JoinJson {
                        source: j.source.clone(),
                        destination: j.destination.clone(),
                        case_sensitive: j.case_sensitive,
                    })
                    .collect()
            })
            .collect(),
        scope_groups: r
            .scope_groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|s| ScopeJson {
                        attribute: s.attribute.clone(),
                        operator: s.operator.as_ref().map(|o| o.as_str().to_owned()),
                        value: s.value.clone(),
                    })
                    .collect()
            })
            .collect(),
        mappings: r
            .mappings
            .iter()
            .map(|m| MappingJson {
                flow_type: m.flow_type.as_ref().map(|f| f.as_str().to_owned()),
                merge_type: m.merge_type.as_str().to_owned(),
                execute_once: m.execute_once,
                destination: m.destination.clone(),
                source: m.source.clone(),
                expression: m.expression.clone(),
                value: m.value.clone(),
            })
            .collect(),
    }
}

/// The report as text, as `migrate` prints it, for `install --migrate` (`into` names where
/// the configuration goes).
pub(crate) fn report_text(
    folder: &Path,
    into: &Path,
    report: &MigrationReport,
    style: &Style,
) -> String {
    render_text(&ReportJson::new(folder, into, report), report, style)
}

fn render_text(data: &ReportJson, report: &MigrationReport, style: &Style) -> String {
    let mut s = String::new();
    let c = &data.counts;
    let _ = writeln!(
        s,
        "{} {} -> {}",
        style.bold("migrated"),
        data.source,
        data.output
    );
    let _ = writeln!(
        s,
        "  connectors: {} ({} Active Directory, Entra ID connector {})",
        c.connectors,
        c.ad_connectors,
        if c.entra_connector {
            "found"
        } else {
            "missing"
        }
    );
    let _ = writeln!(
        s,
        "  partitions: {} ({} selected)",
        c.partitions, c.selected_partitions
    );
    let _ = writeln!(
        s,
        "  rules: {} ({} standard, {} custom, {} disabled, {} unattached)",
        c.rules, c.standard_rules, c.custom_rules, c.disabled_rules, c.unattached_rules
    );
    if !data.kept_in_extension.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            style
                .bold("kept in the extension part (x-syncpolicy), which Microsoft's format lacks:")
        );
        for k in &data.kept_in_extension {
            let _ = writeln!(s, "  - {k}");
        }
    }
    for class in [
        Classification::FixedAutomatically,
        Classification::NeedsReview,
        Classification::RedoByHand,
    ] {
        let items: Vec<_> = report.items_of(class).collect();
        if items.is_empty() {
            continue;
        }
        let heading = format!("{} ({}):", class.label(), items.len());
        let heading = match class {
            Classification::FixedAutomatically => style.green(&heading),
            Classification::NeedsReview => style.yellow(&heading),
            Classification::RedoByHand => style.red(&heading),
        };
        let _ = writeln!(s, "{heading}");
        for item in items {
            let d = &item.diagnostic;
            let _ = writeln!(s, "  [{}] {}", d.code, d.message);
            let _ = writeln!(s, "    {}", style.dim(&format!("--> {}", d.location)));
            if let Some(help) = &d.help {
                let _ = writeln!(s, "    hint: {help}");
            }
        }
    }
    s
}
