//! The apply plan: what takes a real server from its current configuration to a desired one.
//! Steps that a supported cmdlet can do (directory extension attributes, custom rules created,
//! replaced or removed by identifier, standard rules disabled or enabled, scheduler connector
//! overrides) and a checklist of what only the wizard or the Synchronization Service Manager
//! does (OU and domain filters, staging mode, group filtering, sign-in, device writeback,
//! object types, run profiles, ...), each with the page to use. Directories are paired by the
//! diff engine; rules by the model's identity keys. Never removes a standard rule.

use crate::connect::connector_of;
use crate::ENTRA_CONNECTOR_ID;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use syncpolicy_diff::{DiffOptions, MapError};
use syncpolicy_model::config::{
    Configuration, DirectoryExtensionAttribute, DirectoryRef, OnPremisesDirectory, Partition,
};
use syncpolicy_model::identity::{normalize_dn, normalize_guid, same_guid, Keyed, RuleKey};
use syncpolicy_model::rule::SyncRule;

/// Options of a plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// The script may run on an active server (default: it stops unless in staging mode).
    pub allow_active: bool,
    /// Directory pairings as `diff --map CURRENT=DESIRED`.
    pub directory_map: Vec<(String, String)>,
}

/// A connector the script expects on the server: found by name, with this identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorCheck {
    pub name: String,
    pub identifier: String,
}

/// Something to do by hand, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub text: String,
    /// The wizard page (or other tool) to use.
    pub page: String,
}

/// Which connector a step concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Directory name for people (`Entra ID` for the Entra connector).
    pub directory: String,
    /// The connector's name on the server (empty for the Entra connector, found by identifier).
    pub connector_name: String,
    /// The connector's identifier on the server.
    pub connector_id: String,
}

impl Target {
    /// True for the Entra connector.
    pub fn is_entra(&self) -> bool {
        same_guid(&self.connector_id, ENTRA_CONNECTOR_ID)
    }
}

/// One scripted step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Set the engine's directory extension attributes to this list
    /// (`name.objectClass.dataType.True`), before the rules that use them.
    DirectoryExtensions {
        attributes: Vec<String>,
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// Remove a custom rule that the desired configuration no longer has.
    RemoveRule {
        target: Target,
        name: String,
        identifier: String,
    },
    /// Create a custom rule (New-ADSyncRule + Add-ADSyncRule).
    CreateRule { target: Target, rule: SyncRule },
    /// Replace a custom rule in place: New-ADSyncRule with the server's identifier, then
    /// Add-ADSyncRule.
    ReplaceRule { target: Target, rule: SyncRule },
    /// Make sure a custom rule just written is disabled (an import leaves it enabled).
    EnsureDisabled {
        target: Target,
        name: String,
        identifier: String,
    },
    /// Disable or enable a standard rule (the only supported change to one).
    SetStandardRule {
        target: Target,
        name: String,
        identifier: String,
        disabled: bool,
    },
    /// Ask the scheduler for a full import and/or full synchronization of a connector.
    Override {
        target: Target,
        full_import: bool,
        full_sync: bool,
    },
}

impl Step {
    /// A one-line description.
    pub fn describe(&self) -> String {
        match self {
            Step::DirectoryExtensions { added, removed, .. } => {
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!("add {}", added.join(", ")));
                }
                if !removed.is_empty() {
                    parts.push(format!("remove {}", removed.join(", ")));
                }
                format!("directory extension attributes: {}", parts.join("; "))
            }
            Step::RemoveRule { target, name, .. } => {
                format!("remove custom rule '{name}' ({})", target.directory)
            }
            Step::CreateRule { target, rule } => format!(
                "create custom rule '{}' ({}, {}, precedence {})",
                rule.name(),
                target.directory,
                rule.direction_str(),
                rule.precedence
            ),
            Step::ReplaceRule { target, rule } => format!(
                "replace custom rule '{}' ({}, {}, precedence {})",
                rule.name(),
                target.directory,
                rule.direction_str(),
                rule.precedence
            ),
            Step::EnsureDisabled { target, name, .. } => {
                format!("keep custom rule '{name}' ({}) disabled", target.directory)
            }
            Step::SetStandardRule {
                target,
                name,
                disabled,
                ..
            } => format!(
                "{} standard rule '{name}' ({})",
                if *disabled { "disable" } else { "enable" },
                target.directory
            ),
            Step::Override {
                target,
                full_import,
                full_sync,
            } => {
                let mut what = Vec::new();
                if *full_import {
                    what.push("full import");
                }
                if *full_sync {
                    what.push("full synchronization");
                }
                format!(
                    "request {} of {} on the next cycle",
                    what.join(" and "),
                    if target.is_entra() {
                        "the Entra connector".to_owned()
                    } else {
                        target.connector_name.clone()
                    }
                )
            }
        }
    }
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// AD connectors the script expects, by name, with their identifiers on the server.
    pub connectors: Vec<ConnectorCheck>,
    pub checklist: Vec<ChecklistItem>,
    /// In the order the script runs them.
    pub steps: Vec<Step>,
    /// Differences the plan does not act on, written into the script as warnings.
    pub warnings: Vec<String>,
    pub allow_active: bool,
}

impl Plan {
    /// True when there is nothing to do, scripted or by hand.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.checklist.is_empty()
    }
}

/// Why a plan cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Map(#[from] MapError),
    /// CURRENT does not record a directory's connector identifier, which the script checks on
    /// the server and writes into the rules.
    #[error("the current configuration does not record the connector identifier of {directory}\nhint: CURRENT must describe the real server: export its configuration again (a settings file or an Exported-ServerConfiguration-* folder of it)")]
    MissingConnectorId { directory: String },
}

/// Wizard pages and tools of the checklist.
mod page {
    pub(super) const STAGING: &str = "Entra Connect wizard > Configure staging mode";
    pub(super) const SIGN_IN: &str = "Entra Connect wizard > Change user sign-in";
    pub(super) const DIRECTORIES: &str =
        "Entra Connect wizard > Customize synchronization options > Connect your directories";
    pub(super) const OU_FILTER: &str =
        "Entra Connect wizard > Customize synchronization options > Domain and OU filtering";
    pub(super) const GROUP_FILTER: &str =
        "Entra Connect wizard > Filter users and devices (only at installation: group-based filtering is not supported in a custom configuration)";
    pub(super) const FEATURES: &str =
        "Entra Connect wizard > Customize synchronization options > Optional features";
    pub(super) const DEVICE: &str =
        "Entra Connect wizard > Configure device options > Device writeback";
    pub(super) const IDENTITY: &str =
        "Entra Connect wizard > Customize synchronization options > Uniquely identifying your users (the source anchor cannot change after installation)";
    pub(super) const APP_FILTER: &str =
        "Entra Connect wizard > Customize synchronization options > Azure AD app and attribute filtering";
    pub(super) const DELETION: &str =
        "PowerShell on the server: Enable-ADSyncExportDeletionThreshold -DeletionThreshold N (signs in to Entra ID)";
    pub(super) const METAVERSE: &str = "Synchronization Service Manager > Metaverse Designer";
    pub(super) const OBJECT_TYPES: &str =
        "Synchronization Service Manager > Connectors > Properties > Select Object Types";
    pub(super) const ATTRIBUTES: &str =
        "Synchronization Service Manager > Connectors > Properties > Select Attributes";
    pub(super) const RUN_PROFILES: &str =
        "Synchronization Service Manager > Connectors > Configure Run Profiles";
    pub(super) const HIERARCHY: &str =
        "Synchronization Service Manager > Connectors > Properties > Configure Provisioning Hierarchy";
    pub(super) const SCHEDULER: &str =
        "PowerShell on the ACTIVE server: Set-ADSyncScheduler (the scheduler settings are stored in Entra ID and shared with staging servers)";
    pub(super) const TENANT: &str = "check that CURRENT and DESIRED describe the same tenant";
    pub(super) const OTHER: &str = "review by hand";
}

#[derive(Default)]
struct Builder {
    plan: Plan,
    extensions: Vec<Step>,
    removals: Vec<Step>,
    writes: Vec<Step>,
    standard: Vec<Step>,
    /// Overrides by connector identifier (normalized): target, full import, full sync.
    overrides: Vec<(Target, bool, bool)>,
    /// Identifiers of the current configuration's rules (normalized), to avoid collisions;
    /// collected at the first rule created.
    current_ids: Option<HashSet<String>>,
}

impl Builder {
    fn check(&mut self, text: impl Into<String>, page: &str) {
        self.plan.checklist.push(ChecklistItem {
            text: text.into(),
            page: page.to_owned(),
        });
    }

    fn request(&mut self, target: &Target, full_import: bool) {
        let id = normalize_guid(&target.connector_id);
        match self
            .overrides
            .iter_mut()
            .find(|o| normalize_guid(&o.0.connector_id) == id)
        {
            Some(o) => o.1 |= full_import,
            None => self.overrides.push((target.clone(), full_import, true)),
        }
    }
}

/// Plans the way from `current` (what the server has) to `desired`.
pub fn plan(
    current: &Configuration,
    desired: &Configuration,
    options: &PlanOptions,
) -> Result<Plan, PlanError> {
    let diff_options = DiffOptions {
        directory_map: options.directory_map.clone(),
        show_ids: false,
    };
    syncpolicy_diff::check_options(current, desired, &diff_options)?;
    let diff = syncpolicy_diff::diff(current, desired, &diff_options);
    let mut b = Builder {
        plan: Plan {
            allow_active: options.allow_active,
            ..Plan::default()
        },
        ..Builder::default()
    };
    globals(&mut b, current, desired);

    // Directories paired by the diff engine.
    let mut paired_current = vec![false; current.onpremises_directories.len()];
    let mut paired_desired = vec![false; desired.onpremises_directories.len()];
    let mut pairs = Vec::new();
    for p in &diff.pairings {
        let find = |dirs: &[OnPremisesDirectory], name: &str, id: &str, taken: &[bool]| {
            dirs.iter().enumerate().position(|(i, d)| {
                !taken[i]
                    && d.name == name
                    && (id.is_empty() || normalize_guid(&d.unique_identifier) == normalize_guid(id))
            })
        };
        let (Some(c), Some(d)) = (
            find(
                &current.onpremises_directories,
                &p.old,
                &p.old_identifier,
                &paired_current,
            ),
            find(
                &desired.onpremises_directories,
                &p.new,
                &p.new_identifier,
                &paired_desired,
            ),
        ) else {
            continue;
        };
        paired_current[c] = true;
        paired_desired[d] = true;
        pairs.push((c, d));
    }
    for (i, d) in desired.onpremises_directories.iter().enumerate() {
        if !paired_desired[i] {
            b.check(
                format!(
                    "Add the directory {} (forest {}) to the server; then make a new plan to script its {} custom rules",
                    d.name,
                    d.forest.as_deref().unwrap_or("?"),
                    d.custom_rules.len()
                ),
                page::DIRECTORIES,
            );
        }
    }
    for (i, d) in current.onpremises_directories.iter().enumerate() {
        if !paired_current[i] {
            b.check(
                format!(
                    "Remove the directory {} from the server (the desired configuration does not have it); its rules are left to the wizard",
                    d.name
                ),
                page::DIRECTORIES,
            );
        }
    }

    // Entra ID first (schema), then each paired directory.
    let entra = Target {
        directory: "Entra ID".to_owned(),
        connector_name: String::new(),
        connector_id: connector_of(current, DirectoryRef::Azure),
    };
    entra_directory(&mut b, current, desired, &entra);
    rules(
        &mut b,
        current,
        &entra,
        (
            &current.azure_directory.standard_rules,
            &current.azure_directory.custom_rules,
        ),
        (
            &desired.azure_directory.standard_rules,
            &desired.azure_directory.custom_rules,
        ),
    );
    for (c, d) in pairs {
        let cur = &current.onpremises_directories[c];
        let des = &desired.onpremises_directories[d];
        if !syncpolicy_model::identity::is_guid(&cur.unique_identifier) {
            return Err(PlanError::MissingConnectorId {
                directory: cur.name.clone(),
            });
        }
        let target = Target {
            directory: cur.name.clone(),
            connector_name: cur
                .connector
                .name
                .clone()
                .unwrap_or_else(|| cur.name.clone()),
            connector_id: cur.unique_identifier.clone(),
        };
        b.plan.connectors.push(ConnectorCheck {
            name: target.connector_name.clone(),
            identifier: target.connector_id.clone(),
        });
        directory(&mut b, cur, des, &target);
        rules(
            &mut b,
            current,
            &target,
            (&cur.standard_rules, &cur.custom_rules),
            (&des.standard_rules, &des.custom_rules),
        );
    }

    let Builder {
        mut plan,
        extensions,
        removals,
        writes,
        standard,
        overrides,
        ..
    } = b;
    plan.steps.extend(extensions);
    plan.steps.extend(removals);
    plan.steps.extend(writes);
    plan.steps.extend(standard);
    plan.steps.extend(
        overrides
            .into_iter()
            .map(|(target, full_import, full_sync)| Step::Override {
                target,
                full_import,
                full_sync,
            }),
    );
    Ok(plan)
}

/// Sign-in, features, identity mapping, metaverse, staging and scheduler: all checklist.
fn globals(b: &mut Builder, current: &Configuration, desired: &Configuration) {
    let (c, d) = (&current.extension, &desired.extension);
    if c.staging_mode.unwrap_or(false) != d.staging_mode.unwrap_or(false) {
        b.check(
            format!(
                "Turn staging mode {} (the script never toggles it)",
                if d.staging_mode.unwrap_or(false) {
                    "on"
                } else {
                    "off"
                }
            ),
            page::STAGING,
        );
    }
    if current.sign_in != desired.sign_in {
        b.check(
            format!(
                "Change the sign-in to {}",
                desired
                    .sign_in
                    .method()
                    .map(|m| m.label().to_owned())
                    .unwrap_or_else(|| desired.sign_in.tokens.join(", "))
            ),
            page::SIGN_IN,
        );
    }
    if current.password_writeback != desired.password_writeback {
        b.check(
            format!(
                "Turn password writeback {}",
                on_off(desired.password_writeback)
            ),
            page::FEATURES,
        );
    }
    if current.exchange.hybrid_deployment != desired.exchange.hybrid_deployment {
        b.check(
            format!(
                "Turn Exchange hybrid deployment {}",
                on_off(desired.exchange.hybrid_deployment)
            ),
            page::FEATURES,
        );
    }
    if current.exchange.mail_public_folders != desired.exchange.mail_public_folders {
        b.check(
            format!(
                "Turn Exchange mail public folders {}",
                on_off(desired.exchange.mail_public_folders)
            ),
            page::FEATURES,
        );
    }
    if current.identity_mapping != desired.identity_mapping {
        b.check(
            "Change the source anchor, user principal name or user matching",
            page::IDENTITY,
        );
    }
    if current.metaverse_extensions != desired.metaverse_extensions {
        b.check(
            "Change the metaverse schema extensions (attributes, object types)",
            page::METAVERSE,
        );
    }
    let (cs, ds) = (
        c.scheduler.clone().unwrap_or_default(),
        d.scheduler.clone().unwrap_or_default(),
    );
    if cs.sync_interval != ds.sync_interval
        || cs.purge_run_history_interval != ds.purge_run_history_interval
        || cs.maintenance_enabled != ds.maintenance_enabled
    {
        b.check(
            format!(
                "Change the scheduler (interval {}, purge interval {}, maintenance {})",
                ds.sync_interval.as_deref().unwrap_or("default"),
                ds.purge_run_history_interval
                    .as_deref()
                    .unwrap_or("default"),
                ds.maintenance_enabled.map(on_off).unwrap_or("default")
            ),
            page::SCHEDULER,
        );
    }
    if c.global_parameters != d.global_parameters || c.connector_order != d.connector_order {
        b.check(
            "Review the engine parameters and the connector run order that differ",
            page::OTHER,
        );
    }
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

fn extension_text(e: &DirectoryExtensionAttribute) -> String {
    format!(
        "{}.{}.{}.True",
        e.attribute.as_deref().unwrap_or(""),
        e.object_class.as_deref().unwrap_or(""),
        e.data_type.as_deref().unwrap_or("String")
    )
}

fn entra_directory(
    b: &mut Builder,
    current: &Configuration,
    desired: &Configuration,
    entra: &Target,
) {
    let (c, d) = (&current.azure_directory, &desired.azure_directory);
    if c.tenant_id.is_some() && d.tenant_id.is_some() && c.tenant_id != d.tenant_id {
        b.check("CURRENT and DESIRED name different tenants", page::TENANT);
    }
    if c.export_deletion_limit != d.export_deletion_limit {
        b.check(
            format!(
                "Set the accidental-delete threshold to {}",
                if d.export_deletion_limit.is_empty() {
                    "off (Disable-ADSyncExportDeletionThreshold)"
                } else {
                    &d.export_deletion_limit
                }
            ),
            page::DELETION,
        );
    }
    if c.exported_attributes != d.exported_attributes {
        b.check(
            "Change the Entra app and attribute filtering",
            page::APP_FILTER,
        );
    }
    let key = |e: &DirectoryExtensionAttribute| (e.key(), e.data_type.clone(), e.multi_valued);
    let ck: HashSet<_> = c.directory_extensions.iter().map(key).collect();
    let dk: HashSet<_> = d.directory_extensions.iter().map(key).collect();
    if ck != dk {
        let added = d
            .directory_extensions
            .iter()
            .filter(|e| !ck.contains(&key(e)))
            .map(extension_text)
            .collect();
        let removed = c
            .directory_extensions
            .iter()
            .filter(|e| !dk.contains(&key(e)))
            .map(extension_text)
            .collect();
        b.extensions.push(Step::DirectoryExtensions {
            attributes: d.directory_extensions.iter().map(extension_text).collect(),
            added,
            removed,
        });
        // The attribute must be imported from AD and flowed to Entra ID.
        for (i, dir) in current.onpremises_directories.iter().enumerate() {
            let target = Target {
                directory: dir.name.clone(),
                connector_name: dir
                    .connector
                    .name
                    .clone()
                    .unwrap_or_else(|| dir.name.clone()),
                connector_id: connector_of(current, DirectoryRef::OnPremises(i)),
            };
            b.request(&target, true);
        }
        b.request(entra, false);
    }
}

fn partition_state(p: &Partition) -> (bool, Vec<String>, Vec<String>) {
    let mut inc: Vec<String> = p.inclusions.iter().map(|x| normalize_dn(x)).collect();
    let mut exc: Vec<String> = p.exclusions.iter().map(|x| normalize_dn(x)).collect();
    inc.sort();
    exc.sort();
    (p.selected, inc, exc)
}

fn directory(
    b: &mut Builder,
    cur: &OnPremisesDirectory,
    des: &OnPremisesDirectory,
    target: &Target,
) {
    let name = &target.directory;
    let cp: HashMap<String, _> = cur
        .partitions
        .iter()
        .map(|p| (p.key(), partition_state(p)))
        .collect();
    let dp: HashMap<String, _> = des
        .partitions
        .iter()
        .map(|p| (p.key(), partition_state(p)))
        .collect();
    if cp != dp {
        b.check(
            format!("Change the domain and OU filter of {name} to the desired one (see `syncpolicy diff` for the containers)"),
            page::OU_FILTER,
        );
        b.request(target, true);
    }
    if cur.group_filtering_dn != des.group_filtering_dn {
        b.check(
            format!(
                "Group-based filtering of {name}: {}",
                if des.group_filtering_dn.is_empty() {
                    "turn it off".to_owned()
                } else {
                    format!("filter on the group {}", des.group_filtering_dn)
                }
            ),
            page::GROUP_FILTER,
        );
    }
    if cur.device_writeback_dn != des.device_writeback_dn {
        b.check(
            format!(
                "Device writeback of {name}: {}",
                if des.device_writeback_dn.is_empty() {
                    "turn it off".to_owned()
                } else {
                    format!("turn it on, writing devices to {}", des.device_writeback_dn)
                }
            ),
            page::DEVICE,
        );
    }
    if cur.group_writeback_dn != des.group_writeback_dn
        || cur.format_group_writeback_dn != des.format_group_writeback_dn
    {
        b.check(
            format!(
                "Group writeback of {name}: {}",
                if des.group_writeback_dn.is_empty() {
                    "turn it off".to_owned()
                } else {
                    format!("write groups to {}", des.group_writeback_dn)
                }
            ),
            page::FEATURES,
        );
    }
    if cur.forest != des.forest || cur.account != des.account {
        b.check(
            format!("Change the forest or the account of {name}"),
            page::DIRECTORIES,
        );
    }
    let (cc, dc) = (&cur.connector, &des.connector);
    let sorted = |v: &Option<Vec<String>>| {
        v.as_ref().map(|v| {
            let mut s: Vec<String> = v.iter().map(|x| x.to_lowercase()).collect();
            s.sort();
            s
        })
    };
    if dc.object_types.is_some() && sorted(&cc.object_types) != sorted(&dc.object_types) {
        b.check(
            format!("Change the object types {name} imports"),
            page::OBJECT_TYPES,
        );
        b.request(target, true);
    }
    if dc.attribute_inclusions.is_some()
        && sorted(&cc.attribute_inclusions) != sorted(&dc.attribute_inclusions)
    {
        b.check(
            format!("Change the attributes {name} imports"),
            page::ATTRIBUTES,
        );
        b.request(target, true);
    }
    if !dc.run_profiles.is_empty() && cc.run_profiles != dc.run_profiles {
        b.check(
            format!("Change the run profiles of {name}"),
            page::RUN_PROFILES,
        );
    }
    if dc.provisioning_hierarchy.is_some() && cc.provisioning_hierarchy != dc.provisioning_hierarchy
    {
        b.check(
            format!("Change the provisioning hierarchy of {name}"),
            page::HIERARCHY,
        );
    }
}

/// True when two rules are the same apart from identifiers, the owning connector and the
/// placement references (identifiers of other rules, which differ per server).
fn same_content(a: &SyncRule, b: &SyncRule, standard: bool) -> bool {
    a.name == b.name
        && a.description == b.description
        && a.source_object_type == b.source_object_type
        && a.target_object_type == b.target_object_type
        && a.link_type == b.link_type
        && a.direction == b.direction
        && a.password_hash_sync_target == b.password_hash_sync_target
        && a.join_groups == b.join_groups
        && a.scope_groups == b.scope_groups
        && a.mappings == b.mappings
        && a.extension.soft_delete_expiry_interval == b.extension.soft_delete_expiry_interval
        && (standard
            || (a.precedence == b.precedence
                && a.immutable_tag == b.immutable_tag
                && a.disabled == b.disabled))
}

/// A deterministic identifier for a rule whose desired identifier is missing or taken on the
/// server: a GUID from SHA-256 of the connector, direction and name.
fn derived_identifier(connector: &str, rule: &SyncRule) -> String {
    let mut h = Sha256::new();
    h.update(normalize_guid(connector).as_bytes());
    h.update([0]);
    h.update(rule.direction_str().as_bytes());
    h.update([0]);
    h.update(rule.name().as_bytes());
    let d = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&d[..16]);
    bytes[6] = (bytes[6] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Rules of two lists paired by identity key: for each desired rule the index of its current
/// rule, and for each current rule whether it was paired.
struct Pairs {
    desired: Vec<Option<usize>>,
    current: Vec<bool>,
}

/// Same identity key (name and direction) without building the keys.
fn same_key(a: &SyncRule, b: &SyncRule) -> bool {
    a.name().trim() == b.name().trim() && a.direction_str().eq_ignore_ascii_case(b.direction_str())
}

fn pair_rules(current: &[SyncRule], desired: &[SyncRule]) -> Pairs {
    let mut pairs = Pairs {
        desired: vec![None; desired.len()],
        current: vec![false; current.len()],
    };
    // Lists usually keep their order: pair by position first, then by key.
    let mut rest = Vec::new();
    for (i, d) in desired.iter().enumerate() {
        match current.get(i) {
            Some(c) if same_key(c, d) => {
                pairs.desired[i] = Some(i);
                pairs.current[i] = true;
            }
            _ => rest.push(i),
        }
    }
    if rest.is_empty() {
        return pairs;
    }
    let by_key: HashMap<RuleKey, usize> = current
        .iter()
        .enumerate()
        .filter(|(i, _)| !pairs.current[*i])
        .map(|(i, r)| (r.key(), i))
        .collect();
    for i in rest {
        if let Some(&ci) = by_key.get(&desired[i].key()) {
            if !pairs.current[ci] {
                pairs.desired[i] = Some(ci);
                pairs.current[ci] = true;
            }
        }
    }
    pairs
}

fn rules(
    b: &mut Builder,
    all_current: &Configuration,
    target: &Target,
    current: (&[SyncRule], &[SyncRule]),
    desired: (&[SyncRule], &[SyncRule]),
) {
    let mut touched = false;
    // Standard rules: only Disabled is changed; they are never removed.
    let std_pairs = pair_rules(current.0, desired.0);
    for (di, d) in desired.0.iter().enumerate() {
        match std_pairs.desired[di].map(|ci| &current.0[ci]) {
            Some(c) => {
                if c.disabled != d.disabled {
                    b.standard.push(Step::SetStandardRule {
                        target: target.clone(),
                        name: c.name().to_owned(),
                        identifier: c.unique_identifier.clone().unwrap_or_else(|| c.internal_identifier.clone()),
                        disabled: d.disabled,
                    });
                    touched = true;
                }
                let version = |r: &SyncRule| r.standard_tag().map(|t| t.version);
                if !same_content(c, d, true) && version(c) == version(d) {
                    b.plan.warnings.push(format!(
                        "the standard rule '{}' ({}) differs in more than Disabled; standard rules are only disabled or enabled: clone it into a custom rule instead (not changed)",
                        d.name(),
                        target.directory
                    ));
                }
            }
            None => b.plan.warnings.push(format!(
                "the standard rule '{}' ({}) is not on the server; the wizard or an upgrade creates standard rules (not created)",
                d.name(),
                target.directory
            )),
        }
    }
    for (ci, c) in current.0.iter().enumerate() {
        if !std_pairs.current[ci] {
            b.plan.warnings.push(format!(
                "the standard rule '{}' ({}) is not in the desired configuration; standard rules are never removed (an upgrade would bring it back): disable it instead (kept)",
                c.name(),
                target.directory
            ));
        }
    }
    // Custom rules: created, replaced by identifier, removed.
    let custom_pairs = pair_rules(current.1, desired.1);
    for (ci, c) in current.1.iter().enumerate() {
        if !custom_pairs.current[ci] {
            b.removals.push(Step::RemoveRule {
                target: target.clone(),
                name: c.name().to_owned(),
                identifier: c
                    .unique_identifier
                    .clone()
                    .unwrap_or_else(|| c.internal_identifier.clone()),
            });
            touched = true;
        }
    }
    for (di, d) in desired.1.iter().enumerate() {
        let existing = custom_pairs.desired[di].map(|ci| &current.1[ci]);
        if existing.is_some_and(|c| same_content(c, d, false)) {
            continue;
        }
        let mut rule = d.clone();
        rule.extension.connector_id = Some(target.connector_id.clone());
        if rule.extension.precedence_before.is_some() || rule.extension.precedence_after.is_some() {
            b.plan.warnings.push(format!(
                "the custom rule '{}' ({}) is placed relative to another rule by identifier; the script places it by its precedence number {} instead",
                d.name(),
                target.directory,
                d.precedence
            ));
            rule.extension.precedence_before = None;
            rule.extension.precedence_after = None;
        }
        let step = match existing {
            Some(c) => {
                let id = c
                    .unique_identifier
                    .clone()
                    .unwrap_or_else(|| c.internal_identifier.clone());
                rule.unique_identifier = Some(id.clone());
                rule.internal_identifier = id;
                Step::ReplaceRule {
                    target: target.clone(),
                    rule,
                }
            }
            None => {
                let ids = b.current_ids.get_or_insert_with(|| {
                    all_current
                        .rules()
                        .filter_map(|(_, r)| r.unique_identifier.as_deref().map(normalize_guid))
                        .collect()
                });
                let own = rule.unique_identifier.as_deref().map(normalize_guid);
                let id = match own {
                    Some(id) if syncpolicy_model::identity::is_guid(&id) && !ids.contains(&id) => {
                        rule.unique_identifier.clone().unwrap_or_default()
                    }
                    _ => derived_identifier(&target.connector_id, &rule),
                };
                ids.insert(normalize_guid(&id));
                rule.unique_identifier = Some(id.clone());
                rule.internal_identifier = id;
                Step::CreateRule {
                    target: target.clone(),
                    rule,
                }
            }
        };
        let disabled = match &step {
            Step::CreateRule { rule, .. } | Step::ReplaceRule { rule, .. } if rule.disabled => {
                Some((
                    rule.name().to_owned(),
                    rule.unique_identifier.clone().unwrap_or_default(),
                ))
            }
            _ => None,
        };
        b.writes.push(step);
        if let Some((name, identifier)) = disabled {
            b.writes.push(Step::EnsureDisabled {
                target: target.clone(),
                name,
                identifier,
            });
        }
        touched = true;
    }
    if touched {
        b.request(target, false);
    }
}
