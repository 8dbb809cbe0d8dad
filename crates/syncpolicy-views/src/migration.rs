//! The migration report of `migrate`: the model (its JSON is `--report FILE` and
//! `--format json`) and the text view, sorted into fixed automatically, needs review and must
//! be redone by hand. Text escapes every value for the terminal.

use crate::escape::text as e;
use crate::style::Style;
use serde::Serialize;
use std::fmt::Write as _;
use syncpolicy_legacy::{Classification, MigrationReport, UnattachedRule};
use syncpolicy_model::diagnostic::Diagnostic;
use syncpolicy_model::rule::SyncRule;

/// The report as JSON (`--report FILE`, `--format json`; `syncpolicy-migrate/1`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportJson {
    schema: &'static str,
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
    /// The report of migrating `source` (a folder) into `output` (a settings file).
    pub fn new(source: String, output: String, report: &MigrationReport) -> Self {
        let c = &report.counts;
        ReportJson {
            schema: crate::schema::MIGRATE,
            source,
            output,
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

/// The report as text: counts, what was kept in the extension part, then the items by class.
pub fn render_text(data: &ReportJson, report: &MigrationReport, style: &Style) -> String {
    let mut s = String::new();
    let c = &data.counts;
    let _ = writeln!(
        s,
        "{} {} -> {}",
        style.bold("migrated"),
        e(&data.source),
        e(&data.output)
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
            let _ = writeln!(s, "  - {}", e(k));
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
            let _ = writeln!(s, "  [{}] {}", e(&d.code), e(&d.message));
            let _ = writeln!(s, "    {}", style.dim(&e(&format!("--> {}", d.location))));
            if let Some(help) = &d.help {
                let _ = writeln!(s, "    hint: {}", e(help));
            }
        }
    }
    s
}
