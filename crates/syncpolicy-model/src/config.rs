//! The whole configuration of a synchronization server: metadata, sign-in, identity mapping,
//! features, metaverse extensions, the Entra directory and each on-premises directory.

use crate::extension::{ConnectorExtension, Extension};
use crate::preserved::Preserved;
use crate::rule::SyncRule;
use crate::signin::SignIn;

/// One complete configuration (a settings file, a legacy export, or a deployment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Configuration {
    pub policy_metadata: PolicyMetadata,
    pub deployment_metadata: DeploymentMetadata,
    pub sign_in: SignIn,
    /// Password writeback (`selfServicePasswordReset`).
    pub password_writeback: bool,
    pub identity_mapping: IdentityMapping,
    pub exchange: ExchangeFeatures,
    pub metaverse_extensions: MetaverseExtensions,
    pub azure_directory: AzureDirectory,
    pub onpremises_directories: Vec<OnPremisesDirectory>,
    pub extension: Extension,
    /// Sections Microsoft's import requires that the source did not have.
    pub missing_sections: Vec<RequiredSection>,
    /// Unknown top-level keys.
    pub preserved: Preserved,
}

/// The sections whose absence makes Microsoft's import fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequiredSection {
    AuthenticationPolicy,
    IdentityMappingPolicy,
    AzureDirectoryPolicy,
    OnpremisesDirectoryPolicy,
}

/// Who wrote the configuration, when, and with which version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyMetadata {
    /// `migration` for a migrated policy; other values as written by the product.
    pub policy_type: String,
    pub author: Option<String>,
    pub time_created: Option<String>,
    pub product_version: Option<String>,
    pub policy_schema_version: Option<String>,
    pub preserved: Preserved,
}

/// The installation the configuration came from (informational; never imported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentMetadata {
    pub host_name: Option<String>,
    pub service_account: String,
    pub service_account_type: String,
    pub database_type: Option<String>,
    pub database_server: String,
    pub database_instance: String,
    pub database_name: String,
    pub auto_upgrade_state: String,
    pub connector_ids: Option<Vec<String>>,
    pub preserved: Preserved,
}

impl Default for DeploymentMetadata {
    fn default() -> Self {
        DeploymentMetadata {
            host_name: None,
            service_account: String::new(),
            service_account_type: String::new(),
            database_type: None,
            database_server: String::new(),
            database_instance: String::new(),
            database_name: String::new(),
            auto_upgrade_state: "Enabled".to_owned(),
            connector_ids: None,
            preserved: Preserved::default(),
        }
    }
}

/// Source anchor, user principal name and user matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentityMapping {
    pub source_anchor_attribute: Option<String>,
    pub user_principal_name_attribute: Option<String>,
    pub user_matching_policy: Option<String>,
    pub user_matching_attribute: String,
    pub preserved: Preserved,
}

/// Exchange hybrid deployment and mail-enabled public folders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeFeatures {
    pub hybrid_deployment: bool,
    pub mail_public_folders: bool,
    pub preserved: Preserved,
}

/// Metaverse schema: only the difference from the shipped schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaverseExtensions {
    pub attributes: Vec<MetaverseAttribute>,
    pub object_types: Vec<MetaverseObjectType>,
    pub preserved: Preserved,
}

/// A metaverse attribute definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaverseAttribute {
    pub name: Option<String>,
    pub data_type: Option<String>,
    pub multi_valued: bool,
    pub encrypted: bool,
    pub indexed: bool,
    pub indexable: bool,
    pub supported_operations: String,
    pub sql_metadata: Option<String>,
    pub syntax_metadata: Option<String>,
    pub preserved: Preserved,
}

impl Default for MetaverseAttribute {
    fn default() -> Self {
        MetaverseAttribute {
            name: None,
            data_type: None,
            multi_valued: false,
            encrypted: false,
            indexed: false,
            indexable: false,
            supported_operations: "ReadWrite".to_owned(),
            sql_metadata: None,
            syntax_metadata: None,
            preserved: Preserved::default(),
        }
    }
}

/// Metaverse attribute data types the engine knows.
pub const METAVERSE_DATA_TYPES: &[&str] = &[
    "String",
    "Integer",
    "Boolean",
    "Binary",
    "Reference",
    "DateTime",
    "Number",
];

/// A metaverse object type (new, or existing with new bindings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaverseObjectType {
    pub name: Option<String>,
    pub class_type: String,
    pub locked: bool,
    pub attribute_bindings: Vec<AttributeBinding>,
    pub preserved: Preserved,
}

impl Default for MetaverseObjectType {
    fn default() -> Self {
        MetaverseObjectType {
            name: None,
            class_type: "structural".to_owned(),
            locked: false,
            attribute_bindings: Vec::new(),
            preserved: Preserved::default(),
        }
    }
}

/// An attribute bound to a metaverse object type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeBinding {
    pub name: Option<String>,
    pub is_anchor: bool,
    pub is_locked: bool,
    pub is_required: bool,
    pub preserved: Preserved,
}

/// The Entra ID directory (the cloud connector); there is exactly one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AzureDirectory {
    /// Administrator account suggested at import.
    pub administrator: Option<String>,
    pub tenant_id: Option<String>,
    /// Accidental-delete threshold, a string in the file (empty: not set).
    pub export_deletion_limit: String,
    pub directory_extensions: Vec<DirectoryExtensionAttribute>,
    pub exported_attributes: ExportedAttributeFilter,
    pub standard_rules: Vec<SyncRule>,
    pub custom_rules: Vec<SyncRule>,
    /// The Entra connector's identifier (extension part; not in Microsoft's file).
    pub connector_id: Option<String>,
    pub connector: ConnectorExtension,
    pub preserved: Preserved,
}

/// A directory extension attribute synchronized to Entra ID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryExtensionAttribute {
    pub attribute: Option<String>,
    pub object_class: Option<String>,
    pub data_type: Option<String>,
    pub multi_valued: bool,
    pub preserved: Preserved,
}

/// Entra ID app and attribute filtering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportedAttributeFilter {
    pub application_restrictions: Vec<String>,
    pub excluded_attributes: Vec<String>,
    pub preserved: Preserved,
}

/// One on-premises Active Directory forest connector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnPremisesDirectory {
    /// Connector name (usually the forest name).
    pub name: String,
    /// Connector identifier (a GUID).
    pub unique_identifier: String,
    /// Forest FQDN.
    pub forest: Option<String>,
    /// The account the connector signs in with (never its password).
    pub account: Option<String>,
    /// Pilot group whose members alone are synchronized (empty: off).
    pub group_filtering_dn: String,
    /// Container for written-back groups (empty: off).
    pub group_writeback_dn: String,
    pub format_group_writeback_dn: bool,
    /// Container for written-back devices (empty: off).
    pub device_writeback_dn: String,
    pub partitions: Vec<Partition>,
    /// False when the source had no `partitionFilters` section.
    pub partitions_present: bool,
    pub standard_rules: Vec<SyncRule>,
    pub custom_rules: Vec<SyncRule>,
    pub connector: ConnectorExtension,
    pub preserved: Preserved,
}

/// One domain partition with its OU filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    pub fqdn: Option<String>,
    pub distinguished_name: Option<String>,
    pub selected: bool,
    pub preferred_controllers: Vec<String>,
    pub connectivity_options: Vec<String>,
    /// Included containers (DNs), kept exactly as stored.
    pub inclusions: Vec<String>,
    /// Excluded containers (DNs), kept exactly as stored.
    pub exclusions: Vec<String>,
    pub preserved: Preserved,
}

impl Default for Partition {
    fn default() -> Self {
        Partition {
            fqdn: None,
            distinguished_name: None,
            selected: true,
            preferred_controllers: Vec::new(),
            connectivity_options: Vec::new(),
            inclusions: Vec::new(),
            exclusions: Vec::new(),
            preserved: Preserved::default(),
        }
    }
}

/// Which directory a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DirectoryRef {
    Azure,
    /// Index into `onpremises_directories`.
    OnPremises(usize),
}

/// Which list of a directory a rule sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleSet {
    Standard,
    Custom,
}

/// Where a rule sits in a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleLocation {
    pub directory: DirectoryRef,
    pub set: RuleSet,
    pub index: usize,
}

impl Configuration {
    /// Every rule with its location, Entra directory first, standard before custom.
    pub fn rules(&self) -> impl Iterator<Item = (RuleLocation, &SyncRule)> {
        let azure = rules_of(
            DirectoryRef::Azure,
            &self.azure_directory.standard_rules,
            &self.azure_directory.custom_rules,
        );
        let onprem = self
            .onpremises_directories
            .iter()
            .enumerate()
            .flat_map(|(i, d)| {
                rules_of(
                    DirectoryRef::OnPremises(i),
                    &d.standard_rules,
                    &d.custom_rules,
                )
            });
        azure.chain(onprem)
    }

    /// The rule at a location.
    pub fn rule(&self, at: RuleLocation) -> Option<&SyncRule> {
        let (standard, custom) = self.rule_lists(at.directory)?;
        match at.set {
            RuleSet::Standard => standard.get(at.index),
            RuleSet::Custom => custom.get(at.index),
        }
    }

    /// The rule at a location, for changing.
    pub fn rule_mut(&mut self, at: RuleLocation) -> Option<&mut SyncRule> {
        let (standard, custom) = match at.directory {
            DirectoryRef::Azure => (
                &mut self.azure_directory.standard_rules,
                &mut self.azure_directory.custom_rules,
            ),
            DirectoryRef::OnPremises(i) => {
                let d = self.onpremises_directories.get_mut(i)?;
                (&mut d.standard_rules, &mut d.custom_rules)
            }
        };
        match at.set {
            RuleSet::Standard => standard.get_mut(at.index),
            RuleSet::Custom => custom.get_mut(at.index),
        }
    }

    /// The standard and custom rule lists of a directory.
    pub fn rule_lists(&self, dir: DirectoryRef) -> Option<(&[SyncRule], &[SyncRule])> {
        match dir {
            DirectoryRef::Azure => Some((
                &self.azure_directory.standard_rules,
                &self.azure_directory.custom_rules,
            )),
            DirectoryRef::OnPremises(i) => self
                .onpremises_directories
                .get(i)
                .map(|d| (d.standard_rules.as_slice(), d.custom_rules.as_slice())),
        }
    }

    /// A readable name of a directory.
    pub fn directory_name(&self, dir: DirectoryRef) -> String {
        match dir {
            DirectoryRef::Azure => "Entra ID".to_owned(),
            DirectoryRef::OnPremises(i) => self
                .onpremises_directories
                .get(i)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| format!("directory #{i}")),
        }
    }

    /// Total number of rules.
    pub fn rule_count(&self) -> usize {
        self.azure_directory.standard_rules.len()
            + self.azure_directory.custom_rules.len()
            + self
                .onpremises_directories
                .iter()
                .map(|d| d.standard_rules.len() + d.custom_rules.len())
                .sum::<usize>()
    }
}

fn rules_of<'a>(
    dir: DirectoryRef,
    standard: &'a [SyncRule],
    custom: &'a [SyncRule],
) -> impl Iterator<Item = (RuleLocation, &'a SyncRule)> {
    let s = standard.iter().enumerate().map(move |(index, r)| {
        (
            RuleLocation {
                directory: dir,
                set: RuleSet::Standard,
                index,
            },
            r,
        )
    });
    let c = custom.iter().enumerate().map(move |(index, r)| {
        (
            RuleLocation {
                directory: dir,
                set: RuleSet::Custom,
                index,
            },
            r,
        )
    });
    s.chain(c)
}
