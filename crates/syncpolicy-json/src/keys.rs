//! Key spellings of the settings file, each object's keys in the writer's canonical order
//! (Microsoft's order where known). Reader and writer share these tables.

/// Top-level key of syncpolicy's extension part.
pub const EXTENSION: &str = "x-syncpolicy";

/// Top-level sections, in order.
pub const TOP: [&str; 10] = [
    "policyMetadata",
    "deploymentMetadata",
    "authenticationPolicy",
    "selfServicePasswordReset",
    "identityMappingPolicy",
    "exchangeOnlineFeaturePolicy",
    "metaverseExtensionPolicy",
    "azureDirectoryPolicy",
    "onpremisesDirectoryPolicy",
    EXTENSION,
];

pub const POLICY_METADATA: [&str; 5] = [
    "type",
    "author",
    "timeCreated",
    "azureADConnectVersion",
    "policySchemaVersion",
];

pub const DEPLOYMENT_METADATA: [&str; 9] = [
    "hostName",
    "serviceAccount",
    "serviceAccountType",
    "databaseType",
    "databaseServer",
    "databaseInstance",
    "databaseName",
    "autoUpgradeState",
    "connectorIds",
];

pub const IDENTITY_MAPPING: [&str; 4] = [
    "azureSourceAnchorAttribute",
    "userPrincipalNameAttribute",
    "userMatchingPolicy",
    "userMatchingAttribute",
];

pub const EXCHANGE: [&str; 2] = ["hybridDeployment", "mailPublicFolders"];

pub const METAVERSE: [&str; 2] = ["attributes", "objectTypes"];

pub const MV_ATTRIBUTE: [&str; 9] = [
    "name",
    "dataType",
    "multiValued",
    "encrypted",
    "indexed",
    "indexible",
    "supportedOperations",
    "sqlMetadata",
    "syntaxMetadata",
];

pub const MV_OBJECT_TYPE: [&str; 4] = ["name", "classType", "locked", "attributeBindings"];

pub const MV_BINDING: [&str; 4] = ["name", "isAnchor", "isLocked", "isRequired"];

pub const AZURE: [&str; 7] = [
    "administrator",
    "tenantId",
    "exportDeletionLimit",
    "directoryExtensionPolicy",
    "exportedAttributePolicy",
    "standardSynchronizationRules",
    "customSynchronizationRules",
];

pub const DIRECTORY_EXTENSION: [&str; 4] = ["attribute", "objectClass", "dataType", "multiValued"];

pub const EXPORTED_ATTRIBUTES: [&str; 2] = ["applicationRestrictions", "excludedAttributes"];

pub const ONPREM: [&str; 11] = [
    "friendlyName",
    "uniqueIdentifier",
    "fullyQualifiedDomainName",
    "onPremisesDirectoryAccount",
    "groupFilteringDistinguishedName",
    "groupWritebackDistinguishedName",
    "formatGroupWriteBackDistinguishedName",
    "deviceWritebackDistinguishedName",
    "partitionFilters",
    "standardSynchronizationRules",
    "customSynchronizationRules",
];

pub const PARTITION: [&str; 7] = [
    "fullyQualifiedDomainName",
    "distinguishedName",
    "selected",
    "preferredControllers",
    "connectivityOptions",
    "containerInclusions",
    "containerExclusions",
];

pub const RULE: [&str; 15] = [
    "Name",
    "uniqueIdentifier",
    "internalIdentifier",
    "description",
    "source",
    "target",
    "linkType",
    "immutableTag",
    "disabled",
    "direction",
    "precedence",
    "passwordHashSyncTarget",
    "joinConditions",
    "scopeFilters",
    "attributeMappings",
];

pub const JOIN: [&str; 3] = ["source", "destination", "caseSensitive"];

pub const SCOPE: [&str; 3] = ["attribute", "condition", "value"];

pub const MAPPING: [&str; 7] = [
    "flowType",
    "mergeType",
    "executeOnce",
    "destination",
    "source",
    "expression",
    "value",
];

/// Keys of the extension part.
pub const EXT: [&str; 10] = [
    "formatVersion",
    "stagingMode",
    "scheduler",
    "connectorOrder",
    "entraConnector",
    "onpremisesConnectors",
    "rules",
    "globalParameters",
    "acceptedFindings",
    "digest",
];

/// Keys of one accepted finding of the extension part (`acceptedFindings`).
pub const EXT_ACCEPTED: [&str; 5] = ["code", "rule", "reason", "acceptedBy", "acceptedAt"];

pub const EXT_SCHEDULER: [&str; 4] = [
    "syncInterval",
    "enabled",
    "maintenanceEnabled",
    "purgeRunHistoryInterval",
];

pub const EXT_CONNECTOR: [&str; 7] = [
    "uniqueIdentifier",
    "friendlyName",
    "name",
    "objectTypes",
    "attributeInclusions",
    "runProfiles",
    "provisioningHierarchy",
];

pub const EXT_RUN_PROFILE: [&str; 2] = ["name", "steps"];

pub const EXT_RUN_STEP: [&str; 3] = ["type", "partition", "settings"];

pub const EXT_HIERARCHY: [&str; 2] = ["enabled", "mappings"];

pub const EXT_HIERARCHY_MAPPING: [&str; 3] = ["component", "objectClass", "attribute"];

pub const EXT_RULE: [&str; 6] = [
    "uniqueIdentifier",
    "at",
    "connector",
    "precedenceBefore",
    "precedenceAfter",
    "softDeleteExpiryInterval",
];

pub const EXT_PARAMETER: [&str; 2] = ["name", "value"];

pub const EXT_DIGEST: [&str; 3] = ["algorithm", "content", "sections"];

/// Index of a key in a table.
pub(crate) fn index_of(table: &[&str], key: &str) -> Option<usize> {
    table.iter().position(|k| *k == key)
}
