//! What Microsoft's settings file leaves out and syncpolicy keeps: staging mode, scheduler,
//! per-connector object types and attribute inclusions, run profiles, provisioning hierarchy,
//! connector order, unmapped global parameters and accepted validation findings.

use crate::preserved::Preserved;

/// Version of the extension part's own schema, written into every file.
pub const EXTENSION_FORMAT_VERSION: u32 = 1;

/// Server-wide settings beyond Microsoft's file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extension {
    /// The extension format version read from the file (`None`: the file had no extension).
    pub format_version: Option<u32>,
    /// Staging mode; `None` when not captured.
    pub staging_mode: Option<bool>,
    pub scheduler: Option<Scheduler>,
    /// Connector identifiers in run order.
    pub connector_order: Vec<String>,
    /// Engine global parameters that have no place in the model, kept verbatim.
    pub global_parameters: Vec<GlobalParameter>,
    /// Per-rule extension entries whose rule was not found in the file, kept so nothing is
    /// lost (raw text of each entry in the source format).
    pub orphaned_rule_entries: Vec<String>,
    /// Per-connector extension entries whose directory was not found in the file (raw text).
    pub orphaned_connector_entries: Vec<String>,
    /// Findings of `syncpolicy validate` an administrator accepted, with the reason: not
    /// counted for the exit code, listed as accepted (`docs/accepted-findings.md`).
    pub accepted_findings: Vec<AcceptedFinding>,
    /// The digest recorded by the writer that produced the file, as read.
    pub recorded_digest: Option<RecordedDigest>,
    pub preserved: Preserved,
}

/// A validation finding accepted on purpose: every finding of `code` in the file, or only
/// those about the synchronization rule named `rule`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcceptedFinding {
    /// The code accepted, e.g. `SP011`.
    pub code: String,
    /// The name of the rule the acceptance is limited to; `None`: the whole file.
    pub rule: Option<String>,
    /// Why the finding is accepted (required).
    pub reason: String,
    /// Who accepted it, when recorded.
    pub accepted_by: Option<String>,
    /// When it was accepted (ISO 8601 text, as recorded).
    pub accepted_at: Option<String>,
    pub preserved: Preserved,
}

/// The sync scheduler.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scheduler {
    /// Customized sync cycle interval, TimeSpan text (`d.hh:mm:ss` or `hh:mm:ss`).
    pub sync_interval: Option<String>,
    pub enabled: Option<bool>,
    pub maintenance_enabled: Option<bool>,
    /// Run-history purge interval, TimeSpan text.
    pub purge_run_history_interval: Option<String>,
    pub preserved: Preserved,
}

/// One engine global parameter (`Microsoft.*` names from `MV.xml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlobalParameter {
    pub name: String,
    pub value: String,
}

/// The digest a writer recorded: over all content, and per top-level section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordedDigest {
    /// Algorithm name, e.g. `sha256`.
    pub algorithm: String,
    /// Digest of the whole canonical content (hex).
    pub content: String,
    /// Digest per top-level section, by the section's key in the file.
    pub sections: Vec<(String, String)>,
}

/// What syncpolicy keeps about one connector beyond Microsoft's file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectorExtension {
    /// Connector name as the sync engine knows it (Entra connector; on-premises directories
    /// carry theirs in the model).
    pub name: Option<String>,
    /// Object types the connector imports; `None` when not captured.
    pub object_types: Option<Vec<String>>,
    /// Attributes the connector imports; `None` when not captured.
    pub attribute_inclusions: Option<Vec<String>>,
    pub run_profiles: Vec<RunProfile>,
    pub provisioning_hierarchy: Option<ProvisioningHierarchy>,
    pub preserved: Preserved,
}

impl ConnectorExtension {
    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self == &ConnectorExtension::default()
    }
}

/// A run profile and its steps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunProfile {
    pub name: String,
    pub steps: Vec<RunStep>,
    pub preserved: Preserved,
}

/// One step of a run profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunStep {
    /// `full-import`, `delta-import`, `full-sync`, `delta-sync`, `export` (the engine's
    /// step types; other spellings are kept).
    pub step_type: String,
    /// Partition the step runs on: its distinguished name where known, else its identifier.
    pub partition: String,
    /// Further step settings (page size, timeout, thresholds), name and value.
    pub settings: Vec<(String, String)>,
    pub preserved: Preserved,
}

/// Run step types the engine knows.
pub const RUN_STEP_TYPES: &[&str] = &[
    "full-import",
    "delta-import",
    "full-sync",
    "delta-sync",
    "export",
];

/// How a connector creates missing parent containers on export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvisioningHierarchy {
    pub enabled: bool,
    pub mappings: Vec<HierarchyMapping>,
    pub preserved: Preserved,
}

/// One DN component to object class mapping of the provisioning hierarchy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HierarchyMapping {
    /// DN component, e.g. `OU`.
    pub component: String,
    /// Object class created for it, e.g. `organizationalUnit`.
    pub object_class: String,
    /// Naming attribute, e.g. `ou`.
    pub attribute: String,
    pub preserved: Preserved,
}
