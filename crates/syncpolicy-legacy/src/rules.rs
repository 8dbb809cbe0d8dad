//! `SynchronizationRules/SynchronizationRule_{guid}.xml` (`<synchronizationRule>`): header,
//! join groups, scope groups and attribute mappings, with the flow type derived as the
//! product's own tooling does (expression → Expression, `src/attr` → Direct, else Constant).

use crate::connector::{bool_text, invalid, location, parse_bool};
use crate::error::LegacyError;
use crate::report::{codes, Classification, MigrationReport};
use crate::xml::{self, Element};
use syncpolicy_model::enums::{Direction, FlowType, LinkType, MergeType, ScopeOperator};
use syncpolicy_model::identity::normalize_guid;
use syncpolicy_model::rule::{
    AttributeMapping, JoinCondition, RuleExtension, ScopeCondition, SyncRule,
};

/// A rule as read, with the connector it names.
#[derive(Debug, Clone)]
pub(crate) struct RuleData {
    pub(crate) file: String,
    /// The `<connector>` text as written.
    pub(crate) connector_raw: String,
    pub(crate) rule: SyncRule,
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) path: String,
    /// Line and column of `<disabled>`, where present.
    pub(crate) disabled_at: Option<(u32, u32)>,
}

/// Children of `<synchronizationRule>` that carry nothing the settings file needs.
const NOISE: &[&str] = &[
    "version",
    "internal-version",
    "creation-time",
    "last-modification-time",
];

/// Children read into the model.
const KNOWN: &[&str] = &[
    "id",
    "internal-id",
    "name",
    "description",
    "immutable-tag",
    "direction",
    "disabled",
    "connector",
    "sourceObjectType",
    "targetObjectType",
    "linkType",
    "precedence",
    "precedence-after",
    "precedence-before",
    "softDeleteExpiryInterval",
    "EnablePasswordSync",
    "attribute-mappings",
    "relationshipCriteria",
    "synchronizationCriteria",
];

const ZERO_GUID: &str = "00000000-0000-0000-0000-000000000000";

pub(crate) fn parse(
    bytes: &[u8],
    file: &str,
    report: &mut MigrationReport,
) -> Result<RuleData, LegacyError> {
    let text = xml::decode(bytes, file)?;
    let doc = xml::parse(&text, file, &[])?;
    let root = doc.root();
    if root.name() != "synchronizationRule" {
        return Err(invalid(
            file,
            root,
            format!(
                "the root element is <{}>, not <synchronizationRule>",
                root.shown_name()
            ),
            "put only rule files of Get-ADSyncServerConfiguration in SynchronizationRules/",
        ));
    }
    let text_of = |name: &str| root.child_text(name).unwrap_or("").to_owned();
    let opt = |name: &str| {
        root.child_text(name)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let name = opt("name");
    let rule_label = name.clone().unwrap_or_else(|| file.to_owned());

    let mut rule = SyncRule {
        name,
        unique_identifier: opt("id").map(|s| normalize_guid(&s)),
        internal_identifier: normalize_guid(&text_of("internal-id")),
        description: root
            .child("description")
            .map(|d| d.text().to_owned())
            .unwrap_or_default(),
        source_object_type: opt("sourceObjectType"),
        target_object_type: opt("targetObjectType"),
        immutable_tag: opt("immutable-tag"),
        ..SyncRule::default()
    };
    if let Some(e) = root.child("direction") {
        let d = Direction::parse(e.text().trim());
        unknown_value(report, file, e, &rule_label, d.is_unknown(), "direction");
        rule.direction = Some(d);
    }
    if let Some(e) = root.child("linkType") {
        let l = LinkType::parse(e.text().trim());
        unknown_value(report, file, e, &rule_label, l.is_unknown(), "link type");
        rule.link_type = Some(l);
    }
    if let Some(e) = root.child("disabled") {
        rule.disabled = parse_bool(e, file)?;
    }
    if let Some(e) = root.child("EnablePasswordSync") {
        rule.password_hash_sync_target = parse_bool(e, file)?;
    }
    match root.child("precedence") {
        Some(e) => {
            rule.precedence = e.text().trim().parse().map_err(|_| {
                invalid(
                    file,
                    e,
                    format!("the precedence {:?} is not a whole number", e.text().trim()),
                    "a precedence is a whole number (custom rules 0-99, standard rules from 100)",
                )
            })?
        }
        None => {
            return Err(invalid(
                file,
                root,
                format!("rule {rule_label:?} has no <precedence>"),
                "the file is incomplete; export the server configuration again",
            ))
        }
    }
    let guid_ext = |name: &str| {
        root.child_text(name)
            .map(normalize_guid)
            .filter(|g| !g.is_empty() && g != ZERO_GUID)
    };
    rule.extension = RuleExtension {
        connector_id: None,
        precedence_before: guid_ext("precedence-before"),
        precedence_after: guid_ext("precedence-after"),
        soft_delete_expiry_interval: root
            .child_text("softDeleteExpiryInterval")
            .filter(|s| !is_zero_timespan(s))
            .map(str::to_owned),
    };

    if let Some(m) = root.child("attribute-mappings") {
        for (i, mapping) in m.children_named("mapping").enumerate() {
            rule.mappings
                .push(read_mapping(mapping, file, &rule_label, i, report)?);
        }
    }
    if let Some(r) = root.child("relationshipCriteria") {
        for group in r.children_named("conditions") {
            let mut out = Vec::new();
            for c in group.children_named("condition") {
                out.push(JoinCondition {
                    source: c.child_text("csAttribute").map(str::to_owned),
                    destination: c.child_text("ilmAttribute").map(str::to_owned),
                    case_sensitive: match c.child("caseSensitive") {
                        Some(e) => parse_bool(e, file)?,
                        None => false,
                    },
                    ..JoinCondition::default()
                });
            }
            rule.join_groups.push(out);
        }
    }
    if let Some(s) = root.child("synchronizationCriteria") {
        for group in s.children_named("conditions") {
            let mut out = Vec::new();
            for c in group.children_named("scope") {
                let operator = c.child("csOperator").map(|e| {
                    let op = ScopeOperator::parse(e.text().trim());
                    unknown_value(
                        report,
                        file,
                        e,
                        &rule_label,
                        op.is_unknown(),
                        "scope operator",
                    );
                    op
                });
                out.push(ScopeCondition {
                    attribute: c.child_text("csAttribute").map(str::to_owned),
                    operator,
                    value: c
                        .child("csValue")
                        .map(|v| v.text().to_owned())
                        .unwrap_or_default(),
                    ..ScopeCondition::default()
                });
            }
            rule.scope_groups.push(out);
        }
    }
    for child in root.children() {
        let n = child.name();
        if KNOWN.contains(&n) || NOISE.contains(&n) || child.is_empty() {
            continue;
        }
        report.push(
            Classification::RedoByHand,
            codes::UNKNOWN_RULE_ELEMENT,
            format!(
                "rule {rule_label:?} has an element <{}> that the settings file cannot hold; it is not migrated",
                child.shown_name()
            ),
            location(file, child),
            Some("re-create this part of the rule in the Synchronization Rules Editor after the import".to_owned()),
        );
    }
    Ok(RuleData {
        file: file.to_owned(),
        connector_raw: text_of("connector"),
        rule,
        line: root.line(),
        column: root.column(),
        path: root.path(),
        disabled_at: root.child("disabled").map(|e| (e.line(), e.column())),
    })
}

fn read_mapping(
    m: Element<'_>,
    file: &str,
    rule_label: &str,
    index: usize,
    report: &mut MigrationReport,
) -> Result<AttributeMapping, LegacyError> {
    let src = m.child("src");
    let attrs: Vec<String> = src
        .map(|s| {
            s.children_named("attr")
                .map(|a| a.text().trim().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let expression = m.child("expression").map(|e| e.text().to_owned());
    let (flow_type, source, value) = match (&expression, attrs.is_empty()) {
        (Some(_), _) => (FlowType::Expression, attrs.join(","), String::new()),
        (None, false) => (FlowType::Direct, attrs.join(","), String::new()),
        (None, true) => (
            FlowType::Constant,
            String::new(),
            src.map(|s| s.text().to_owned()).unwrap_or_default(),
        ),
    };
    let merge_type = match m.child("valueMergeType") {
        Some(e) if !e.text().trim().is_empty() => {
            let t = MergeType::parse(e.text().trim());
            unknown_value(report, file, e, rule_label, t.is_unknown(), "merge type");
            t
        }
        _ => MergeType::Update,
    };
    let execute_once = match m.attr("execute-once") {
        Some(v) => bool_text(v).ok_or_else(|| {
            invalid(
                file,
                m,
                format!("mapping {} of rule {rule_label:?} has execute-once={v:?}, which is not a boolean", index + 1),
                "write true or false",
            )
        })?,
        None => false,
    };
    for child in m.children() {
        if !matches!(
            child.name(),
            "dest" | "src" | "expression" | "valueMergeType"
        ) && !child.is_empty()
        {
            report.push(
                Classification::RedoByHand,
                codes::UNKNOWN_RULE_ELEMENT,
                format!(
                    "mapping {} of rule {rule_label:?} has an element <{}> that the settings file cannot hold; it is not migrated",
                    index + 1,
                    child.shown_name()
                ),
                location(file, child),
                Some("re-create this part of the mapping in the Synchronization Rules Editor after the import".to_owned()),
            );
        }
    }
    Ok(AttributeMapping {
        flow_type: Some(flow_type),
        merge_type,
        execute_once,
        destination: m.child_text("dest").map(str::to_owned),
        source,
        expression: expression.unwrap_or_default(),
        value,
        ..AttributeMapping::default()
    })
}

fn unknown_value(
    report: &mut MigrationReport,
    file: &str,
    e: Element<'_>,
    rule_label: &str,
    unknown: bool,
    what: &str,
) {
    if unknown {
        report.push(
            Classification::NeedsReview,
            codes::UNKNOWN_VALUE_KEPT,
            format!(
                "rule {rule_label:?} has the {what} {:?}, which this version does not know; it is kept as written",
                e.text().trim()
            ),
            location(file, e),
            Some("check the value; Microsoft's import rejects values it does not know".to_owned()),
        );
    }
}

/// True for a TimeSpan text that is zero (`00:00:00`, `0.00:00:00`, `0`).
fn is_zero_timespan(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t.chars().all(|c| matches!(c, '0' | ':' | '.'))
}
