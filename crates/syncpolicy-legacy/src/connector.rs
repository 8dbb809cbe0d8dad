//! `Connectors/Connector_{guid}.xml` (`<ma-data>`): identity, forest and account, partitions
//! with their object-type and OU filters, attribute inclusions, run profiles and provisioning
//! hierarchy. The DSML schema is skipped while streaming.

use crate::error::LegacyError;
use crate::report::{codes, Classification, MigrationReport};
use crate::xml::{self, Element};
use std::collections::HashMap;
use syncpolicy_model::config::Partition;
use syncpolicy_model::diagnostic::Location;
use syncpolicy_model::extension::{
    ConnectorExtension, HierarchyMapping, ProvisioningHierarchy, RunProfile, RunStep,
};
use syncpolicy_model::identity::normalize_guid;

/// What kind of directory a connector is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    ActiveDirectory,
    Entra,
    Other,
}

/// One connector as read.
#[derive(Debug, Clone)]
pub(crate) struct ConnectorData {
    pub(crate) file: String,
    pub(crate) id: String,
    /// The `<id>` text as written (braces, case).
    pub(crate) raw_id: String,
    pub(crate) name: String,
    pub(crate) category: String,
    pub(crate) subtype: String,
    pub(crate) kind: Kind,
    pub(crate) forest: Option<String>,
    pub(crate) account: Option<String>,
    pub(crate) partitions: Vec<Partition>,
    pub(crate) ext: ConnectorExtension,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

/// Subtrees skipped while streaming a connector file.
const SKIP: &[&str] = &[
    "schema",
    "ma-ui-settings",
    "password-sync",
    "encrypted-attributes",
];

/// The step-type spellings of the engine and the model's names for them.
fn step_type(step: Element<'_>) -> String {
    let Some(st) = step.child("step-type") else {
        return String::new();
    };
    let ty = st.attr("type").unwrap_or(st.text().trim());
    match ty {
        "apply-rules" => {
            let sub = st
                .child_text("apply-rules-subtype")
                .unwrap_or("")
                .to_owned();
            match sub.as_str() {
                "reevaluate-flow-connectors" => "full-sync".to_owned(),
                "apply-pending" => "delta-sync".to_owned(),
                "" => "apply-rules".to_owned(),
                other => format!("apply-rules/{other}"),
            }
        }
        other => other.to_owned(),
    }
}

pub(crate) fn parse(
    bytes: &[u8],
    file: &str,
    report: &mut MigrationReport,
) -> Result<ConnectorData, LegacyError> {
    let text = xml::decode(bytes, file)?;
    let doc = xml::parse(&text, file, SKIP)?;
    let mut root = doc.root();
    // A connector exported from the Synchronization Service Manager is wrapped.
    if root.name() == "saved-ma-configuration" {
        if let Some(inner) = root.child("ma-data") {
            root = inner;
        }
    }
    if root.name() != "ma-data" {
        return Err(invalid(
            file,
            root,
            format!("the root element is <{}>, not <ma-data>", root.shown_name()),
            "a connector file of Get-ADSyncServerConfiguration starts with <ma-data>; put only connector files in Connectors/",
        ));
    }
    let raw_id = root.child_text("id").unwrap_or("");
    if raw_id.is_empty() {
        return Err(invalid(
            file,
            root,
            "the connector has no <id>".to_owned(),
            "the file is incomplete; export the server configuration again",
        ));
    }
    let category = root.child_text("category").unwrap_or("").to_owned();
    let subtype = root.child_text("subtype").unwrap_or("").to_owned();
    let kind = if category.eq_ignore_ascii_case("AD") {
        Kind::ActiveDirectory
    } else if category.eq_ignore_ascii_case("Extensible2")
        && subtype
            .to_ascii_lowercase()
            .contains("azure active directory")
    {
        Kind::Entra
    } else {
        Kind::Other
    };
    let adma = root.find("private-configuration/adma-configuration");
    let forest = adma
        .and_then(|a| a.child_text("forest-name"))
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let user = adma
        .and_then(|a| a.child_text("forest-login-user"))
        .unwrap_or("");
    let domain = adma
        .and_then(|a| a.child_text("forest-login-domain"))
        .unwrap_or("");
    let account = match (domain.is_empty(), user.is_empty()) {
        (_, true) => None,
        (true, false) => Some(user.to_owned()),
        (false, false) => Some(format!("{domain}\\{user}")),
    };

    let mut partitions = Vec::new();
    // Partition id → name; the first partition with an id wins, as a search in order would.
    let mut partition_names: HashMap<String, String> = HashMap::new();
    let mut object_types: Option<Vec<String>> = None;
    if let Some(data) = root.child("ma-partition-data") {
        for p in data.children_named("partition") {
            let dn = p.child_text("name").unwrap_or("").to_owned();
            let pdata = p.find("custom-data/adma-partition-data");
            let fqdn = pdata
                .and_then(|d| d.child_text("name"))
                .or_else(|| p.child_text("display-name"))
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            let preferred = pdata
                .and_then(|d| d.child("preferred-dcs"))
                .map(|e| texts(e, "preferred-dc"))
                .unwrap_or_default();
            let selected = match p.child("selected") {
                Some(e) => parse_bool(e, file)?,
                None => true,
            };
            let filter = p.child("filter");
            let containers = filter.and_then(|f| f.child("containers"));
            let inclusions = containers
                .and_then(|c| c.child("inclusions"))
                .map(|e| texts(e, "inclusion"))
                .unwrap_or_default();
            let exclusions = containers
                .and_then(|c| c.child("exclusions"))
                .map(|e| texts(e, "exclusion"))
                .unwrap_or_default();
            if let Some(classes) = filter.and_then(|f| f.child("object-classes")) {
                let list = texts(classes, "object-class");
                match &object_types {
                    None => object_types = Some(list),
                    Some(first) if *first != list => report.push(
                        Classification::NeedsReview,
                        codes::OBJECT_TYPES_DIFFER,
                        format!(
                            "partition {dn} of connector {} filters other object types than the connector's first partition; the first partition's list is kept",
                            root.child_text("name").unwrap_or(raw_id)
                        ),
                        location(file, classes),
                        Some("syncpolicy keeps one object-type list per connector; check the list in the settings file's x-syncpolicy part".to_owned()),
                    ),
                    Some(_) => {}
                }
            }
            if let Some(id) = p.child_text("id") {
                partition_names
                    .entry(normalize_guid(id))
                    .or_insert_with(|| dn.clone());
            }
            if kind == Kind::ActiveDirectory {
                partitions.push(Partition {
                    fqdn,
                    distinguished_name: Some(dn).filter(|s| !s.is_empty()),
                    selected,
                    preferred_controllers: preferred,
                    connectivity_options: Vec::new(),
                    inclusions,
                    exclusions,
                    ..Partition::default()
                });
            }
        }
    }

    let attribute_inclusions = root
        .child("attribute-inclusion")
        .map(|e| texts(e, "attribute"));

    let mut run_profiles = Vec::new();
    if let Some(run_data) = root.child("ma-run-data") {
        for rc in run_data.children_named("run-configuration") {
            let name = rc.child_text("name").unwrap_or("").to_owned();
            let mut steps = Vec::new();
            if let Some(conf) = rc.child("configuration") {
                for step in conf.children_named("step") {
                    let pid = step.child_text("partition").unwrap_or("");
                    // A map: a connector with very many partitions and steps stays linear.
                    let partition = partition_names
                        .get(&normalize_guid(pid))
                        .cloned()
                        .unwrap_or_else(|| pid.to_owned());
                    let mut settings = Vec::new();
                    if let Some(custom) = step.child("custom-data") {
                        for data in custom.children() {
                            for s in data.children() {
                                settings.push((s.name().to_owned(), s.text().trim().to_owned()));
                            }
                        }
                    }
                    steps.push(RunStep {
                        step_type: step_type(step),
                        partition,
                        settings,
                        ..RunStep::default()
                    });
                }
            }
            run_profiles.push(RunProfile {
                name,
                steps,
                ..RunProfile::default()
            });
        }
    }

    let hierarchy = root
        .child("provisioning-hierarchy")
        .or_else(|| adma.and_then(|a| a.child("provisioning-hierarchy")))
        .map(|h| {
            let enabled = h
                .attr("enabled")
                .map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true"))
                .unwrap_or(true);
            ProvisioningHierarchy {
                enabled,
                mappings: h
                    .children_named("mapping")
                    .map(|m| HierarchyMapping {
                        component: m.child_text("dn-component").unwrap_or("").to_owned(),
                        object_class: m.child_text("object-class").unwrap_or("").to_owned(),
                        attribute: m.child_text("attribute").unwrap_or("").to_owned(),
                        ..HierarchyMapping::default()
                    })
                    .collect(),
                ..ProvisioningHierarchy::default()
            }
        });

    let name = root.child_text("name").unwrap_or("").to_owned();
    Ok(ConnectorData {
        file: file.to_owned(),
        id: normalize_guid(raw_id),
        raw_id: raw_id.to_owned(),
        name: name.clone(),
        category,
        subtype,
        kind,
        forest,
        account,
        partitions,
        ext: ConnectorExtension {
            name: (kind == Kind::Entra).then_some(name),
            object_types,
            attribute_inclusions,
            run_profiles,
            provisioning_hierarchy: hierarchy,
            ..ConnectorExtension::default()
        },
        line: root.line(),
        column: root.column(),
    })
}

/// Trimmed texts of the children with a name.
pub(crate) fn texts(e: Element<'_>, name: &str) -> Vec<String> {
    e.children_named(name)
        .map(|c| c.text().trim().to_owned())
        .collect()
}

/// Reads a boolean written `True/False/true/false/1/0`.
pub(crate) fn parse_bool(e: Element<'_>, file: &str) -> Result<bool, LegacyError> {
    match bool_text(e.text()) {
        Some(b) => Ok(b),
        None => Err(invalid(
            file,
            e,
            format!(
                "<{}> holds {:?}, which is not a boolean",
                e.shown_name(),
                e.text().trim()
            ),
            "write True, False, true, false, 1 or 0",
        )),
    }
}

/// `True/False/true/false/1/0` (any case), or `None`.
pub(crate) fn bool_text(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

pub(crate) fn invalid(file: &str, e: Element<'_>, message: String, hint: &str) -> LegacyError {
    LegacyError::Invalid {
        file: file.to_owned(),
        element: e.path(),
        line: e.line(),
        column: e.column(),
        message,
        hint: hint.to_owned(),
    }
}

/// The location of an element.
pub(crate) fn location(file: &str, e: Element<'_>) -> Location {
    let mut l = Location::file(file).with_position(e.line(), e.column());
    l.xml_element = Some(e.path());
    l
}
