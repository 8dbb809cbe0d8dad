//! Builds complete configurations: the shared builder behind the samples, and the generator of
//! large realistic configurations (N forests, M custom rules per forest, K OUs).

use crate::catalogue::{
    build_standard_rule, constant, direct, expression, scope, RuleHome, STANDARD_RULES,
};
use crate::rng::Rng;
use syncpolicy_model::config::{
    AzureDirectory, Configuration, DeploymentMetadata, DirectoryExtensionAttribute,
    ExportedAttributeFilter, IdentityMapping, OnPremisesDirectory, Partition, PolicyMetadata,
};
use syncpolicy_model::enums::{Direction, LinkType, ScopeOperator};
use syncpolicy_model::extension::{
    ConnectorExtension, Extension, RunProfile, RunStep, Scheduler, EXTENSION_FORMAT_VERSION,
};
use syncpolicy_model::rule::SyncRule;
use syncpolicy_model::signin::{SignIn, SignInMethod};

/// Options of the generator.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Number of on-premises forests.
    pub forests: usize,
    /// Custom rules per forest.
    pub custom_rules_per_forest: usize,
    /// Organizational units per domain in the OU filter.
    pub ous_per_domain: usize,
    /// Seed: the same seed gives the same configuration.
    pub seed: u64,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            forests: 3,
            custom_rules_per_forest: 20,
            ous_per_domain: 10,
            seed: 1,
        }
    }
}

/// Most on-premises forests `syncpolicy generate` writes (the wizard's own limit is far below;
/// beyond this the file is only a stress test).
pub const MAX_FORESTS: usize = 100;

/// Most custom rules in all, over every forest: custom rules share the precedence band 0-99 and
/// no two may have the same precedence, so 100 is all a configuration that validates cleanly
/// can hold.
pub const MAX_CUSTOM_RULES: usize = 100;

/// Most organizational units per domain in the OU filter.
pub const MAX_OUS_PER_DOMAIN: usize = 10_000;

impl GenerateOptions {
    /// Checks the counts against the documented maximums ([`MAX_FORESTS`],
    /// [`MAX_CUSTOM_RULES`] in all, [`MAX_OUS_PER_DOMAIN`]); the error says which count is too
    /// large and what is allowed. Within them, [`generate`] writes a configuration that
    /// validates with no error and no warning. (Benchmarks call [`generate`] with more custom
    /// rules on purpose: those spill past the band, and validation reports them.)
    pub fn check(&self) -> Result<(), String> {
        if self.forests > MAX_FORESTS {
            return Err(format!(
                "{} are more than the {MAX_FORESTS} that can be generated",
                syncpolicy_model::words::count(self.forests, "forest", "forests")
            ));
        }
        let total = self.custom_rules_per_forest.saturating_mul(self.forests);
        if total > MAX_CUSTOM_RULES {
            return Err(format!(
                "{} per forest in {} are {total} custom rules, more than the {MAX_CUSTOM_RULES} that fit the custom precedence band 0-99",
                syncpolicy_model::words::count(
                    self.custom_rules_per_forest,
                    "custom rule",
                    "custom rules"
                ),
                syncpolicy_model::words::count(self.forests, "forest", "forests")
            ));
        }
        if self.ous_per_domain > MAX_OUS_PER_DOMAIN {
            return Err(format!(
                "{} per domain are more than the {MAX_OUS_PER_DOMAIN} that can be generated",
                syncpolicy_model::words::count(self.ous_per_domain, "OU", "OUs")
            ));
        }
        Ok(())
    }
}

/// The AD object classes a connector normally imports.
pub const DEFAULT_OBJECT_TYPES: &[&str] = &[
    "computer",
    "contact",
    "foreignSecurityPrincipal",
    "group",
    "inetOrgPerson",
    "msDS-Device",
    "user",
    "container",
    "domainDNS",
    "organizationalUnit",
];

/// The attribute inclusion list of an AD connector: every attribute the out-of-box inbound rules
/// read (the catalogue test checks it), as the wizard selects them.
pub const DEFAULT_ATTRIBUTES: &[&str] = &[
    "accountExpires",
    "adminDescription",
    "altRecipient",
    "assistant",
    "authOrig",
    "c",
    "cn",
    "co",
    "company",
    "countryCode",
    "deliverAndRedirect",
    "department",
    "description",
    "displayName",
    "distinguishedName",
    "dLMemRejectPerms",
    "dLMemSubmitPerms",
    "dNSHostName",
    "employeeID",
    "employeeType",
    "extensionAttribute1",
    "extensionAttribute10",
    "extensionAttribute11",
    "extensionAttribute12",
    "extensionAttribute13",
    "extensionAttribute14",
    "extensionAttribute15",
    "extensionAttribute2",
    "extensionAttribute3",
    "extensionAttribute4",
    "extensionAttribute5",
    "extensionAttribute6",
    "extensionAttribute7",
    "extensionAttribute8",
    "extensionAttribute9",
    "facsimileTelephoneNumber",
    "givenName",
    "groupType",
    "homePhone",
    "info",
    "initials",
    "ipPhone",
    "isCriticalSystemObject",
    "l",
    "legacyExchangeDN",
    "mail",
    "mailNickname",
    "managedBy",
    "manager",
    "member",
    "mobile",
    "mS-DS-ConsistencyGuid",
    "msDS-DeviceID",
    "msDS-DeviceOSType",
    "msDS-DeviceOSVersion",
    "msDS-IsManaged",
    "msDS-RegisteredOwner",
    "msExchArchiveGUID",
    "msExchArchiveName",
    "msExchArchiveStatus",
    "msExchAssistantName",
    "msExchBlockedSendersHash",
    "msExchBypassModerationFromDLMembersLink",
    "msExchBypassModerationLink",
    "msExchCoManagedByLink",
    "msExchDelegateListLink",
    "msExchELCMailboxFlags",
    "msExchEnableModeration",
    "msExchGroupDepartRestriction",
    "msExchGroupJoinRestriction",
    "msExchHideFromAddressLists",
    "msExchLitigationHoldDate",
    "msExchLitigationHoldOwner",
    "msExchMailboxGuid",
    "msExchMasterAccountSid",
    "msExchModeratedByLink",
    "msExchModerationFlags",
    "msExchRecipientDisplayType",
    "msExchRecipientTypeDetails",
    "msExchRemoteRecipientType",
    "msExchRequireAuthToSendTo",
    "msExchResourceCapacity",
    "msExchResourceDisplay",
    "msExchResourceMetaData",
    "msExchResourceSearchProperties",
    "msExchRetentionComment",
    "msExchRetentionURL",
    "msExchSafeRecipientsHash",
    "msExchSafeSendersHash",
    "msExchSenderHintTranslations",
    "msExchTeamMailboxExpiration",
    "msExchTeamMailboxOwners",
    "msExchTeamMailboxSharePointUrl",
    "msExchUserHoldPolicies",
    "msRTCSIP-DeploymentLocator",
    "msRTCSIP-Line",
    "msRTCSIP-OptionFlags",
    "msRTCSIP-OriginatorSid",
    "msRTCSIP-OwnerUrn",
    "msRTCSIP-PrimaryUserAddress",
    "msRTCSIP-UserEnabled",
    "objectClass",
    "objectGUID",
    "objectSid",
    "oOFReplyToOriginator",
    "operatingSystem",
    "operatingSystemVersion",
    "otherTelephone",
    "pager",
    "physicalDeliveryOfficeName",
    "postalCode",
    "postOfficeBox",
    "proxyAddresses",
    "publicDelegates",
    "pwdLastSet",
    "reportToOriginator",
    "reportToOwner",
    "sAMAccountName",
    "sn",
    "st",
    "streetAddress",
    "targetAddress",
    "telephoneAssistant",
    "telephoneNumber",
    "thumbnailPhoto",
    "title",
    "unauthOrig",
    "url",
    "userAccountControl",
    "userCertificate",
    "userPrincipalName",
    "wWWHomePage",
];

/// One forest to build.
#[derive(Debug, Clone)]
pub struct ForestSpec {
    pub name: String,
    pub account: String,
    /// Domains: FQDN, included OUs (DNs), excluded OUs (DNs), selected.
    pub domains: Vec<DomainSpec>,
    pub group_writeback_dn: String,
    pub device_writeback_dn: String,
    pub group_filtering_dn: String,
}

/// One domain partition to build.
#[derive(Debug, Clone)]
pub struct DomainSpec {
    pub fqdn: String,
    pub selected: bool,
    pub inclusions: Vec<String>,
    pub exclusions: Vec<String>,
    pub preferred_controllers: Vec<String>,
}

/// Turns `contoso.com` into `DC=contoso,DC=com`.
pub fn fqdn_to_dn(fqdn: &str) -> String {
    fqdn.split('.')
        .map(|p| format!("DC={p}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The five standard run profiles of a connector, one step per selected partition.
pub fn standard_run_profiles(partitions: &[String]) -> Vec<RunProfile> {
    [
        ("Full Import", "full-import"),
        ("Full Synchronization", "full-sync"),
        ("Delta Import", "delta-import"),
        ("Delta Synchronization", "delta-sync"),
        ("Export", "export"),
    ]
    .iter()
    .map(|(name, step)| RunProfile {
        name: (*name).to_owned(),
        steps: partitions
            .iter()
            .map(|p| RunStep {
                step_type: (*step).to_owned(),
                partition: p.clone(),
                settings: if step.contains("import") {
                    vec![("page-size".to_owned(), "500".to_owned())]
                } else {
                    Vec::new()
                },
                ..RunStep::default()
            })
            .collect(),
        ..RunProfile::default()
    })
    .collect()
}

/// Builds a configuration for a tenant and forests, with the standard rule set for each.
pub(crate) fn build(tenant: &str, forests: &[ForestSpec], rng: &mut Rng) -> Configuration {
    let entra_id = rng.guid();
    let mut precedence = 100;
    let mut onprem = Vec::new();
    let mut connector_ids = vec![entra_id.clone()];
    for f in forests {
        let id = rng.guid();
        connector_ids.push(id.clone());
        let partitions: Vec<Partition> = f
            .domains
            .iter()
            .map(|d| Partition {
                fqdn: Some(d.fqdn.clone()),
                distinguished_name: Some(fqdn_to_dn(&d.fqdn)),
                selected: d.selected,
                preferred_controllers: d.preferred_controllers.clone(),
                connectivity_options: Vec::new(),
                inclusions: d.inclusions.clone(),
                exclusions: d.exclusions.clone(),
                ..Partition::default()
            })
            .collect();
        let selected: Vec<String> = partitions
            .iter()
            .filter(|p| p.selected)
            .filter_map(|p| p.distinguished_name.clone())
            .collect();
        onprem.push(OnPremisesDirectory {
            name: f.name.clone(),
            unique_identifier: id,
            forest: Some(f.name.clone()),
            account: Some(f.account.clone()),
            group_filtering_dn: f.group_filtering_dn.clone(),
            group_writeback_dn: f.group_writeback_dn.clone(),
            format_group_writeback_dn: false,
            device_writeback_dn: f.device_writeback_dn.clone(),
            partitions,
            partitions_present: true,
            standard_rules: Vec::new(),
            custom_rules: Vec::new(),
            connector: ConnectorExtension {
                name: None,
                object_types: Some(
                    DEFAULT_OBJECT_TYPES
                        .iter()
                        .map(|s| (*s).to_owned())
                        .collect(),
                ),
                attribute_inclusions: Some(
                    DEFAULT_ATTRIBUTES.iter().map(|s| (*s).to_owned()).collect(),
                ),
                run_profiles: standard_run_profiles(&selected),
                provisioning_hierarchy: None,
                ..ConnectorExtension::default()
            },
            ..OnPremisesDirectory::default()
        });
    }
    // Standard rules: the wizard numbers them in groups, connector by connector.
    let mut azure_rules = Vec::new();
    for h in STANDARD_RULES.iter() {
        match h.home {
            RuleHome::ActiveDirectory => {
                for d in onprem.iter_mut() {
                    d.standard_rules
                        .push(build_standard_rule(h, precedence, rng.guid()));
                    precedence += 1;
                }
            }
            RuleHome::Entra => {
                azure_rules.push(build_standard_rule(h, precedence, rng.guid()));
                precedence += 1;
            }
        }
    }
    Configuration {
        policy_metadata: PolicyMetadata {
            policy_type: "export".to_owned(),
            author: Some(format!(
                "{}\\administrator",
                tenant.split('.').next().unwrap_or("CONTOSO").to_uppercase()
            )),
            time_created: Some("2026-11-02 09:15:00Z".to_owned()),
            product_version: Some("2.4.18.0".to_owned()),
            policy_schema_version: Some("1.0.0.0".to_owned()),
            ..PolicyMetadata::default()
        },
        deployment_metadata: DeploymentMetadata {
            host_name: Some("SYNC01.corp.example".to_owned()),
            service_account: "NT SERVICE\\ADSync".to_owned(),
            service_account_type: "VirtualServiceAccount".to_owned(),
            database_type: Some("LocalDB".to_owned()),
            database_server: "(localdb)".to_owned(),
            database_instance: ".\\ADSync2019".to_owned(),
            database_name: "ADSync".to_owned(),
            auto_upgrade_state: "Enabled".to_owned(),
            connector_ids: Some(connector_ids.clone()),
            ..DeploymentMetadata::default()
        },
        sign_in: SignIn::new(SignInMethod::PasswordHashSync, true, false),
        password_writeback: false,
        identity_mapping: IdentityMapping {
            source_anchor_attribute: Some("mS-DS-ConsistencyGuid".to_owned()),
            user_principal_name_attribute: Some("userPrincipalName".to_owned()),
            user_matching_policy: Some("UsersRepresentedOnce".to_owned()),
            user_matching_attribute: String::new(),
            ..IdentityMapping::default()
        },
        azure_directory: AzureDirectory {
            administrator: Some(format!("admin@{tenant}")),
            tenant_id: Some(rng.guid()),
            export_deletion_limit: "500".to_owned(),
            standard_rules: azure_rules,
            connector_id: Some(entra_id),
            connector: ConnectorExtension {
                name: Some(format!("{tenant} - AAD")),
                object_types: Some(
                    ["user", "group", "contact", "device", "publicFolder"]
                        .iter()
                        .map(|s| (*s).to_owned())
                        .collect(),
                ),
                run_profiles: standard_run_profiles(&["default".to_owned()]),
                ..ConnectorExtension::default()
            },
            ..AzureDirectory::default()
        },
        onpremises_directories: onprem,
        extension: Extension {
            format_version: Some(EXTENSION_FORMAT_VERSION),
            staging_mode: Some(false),
            scheduler: Some(Scheduler {
                sync_interval: Some("00:30:00".to_owned()),
                enabled: Some(true),
                maintenance_enabled: Some(true),
                purge_run_history_interval: Some("7.00:00:00".to_owned()),
                ..Scheduler::default()
            }),
            connector_order: connector_ids,
            ..Extension::default()
        },
        ..Configuration::default()
    }
}

const DEPARTMENTS: &[&str] = &[
    "Sales",
    "Finance",
    "Engineering",
    "Marketing",
    "Legal",
    "Operations",
    "Research",
    "Support",
    "Facilities",
    "Procurement",
];
const CITIES: &[&str] = &[
    "Seattle", "London", "Munich", "Tokyo", "Toronto", "Sydney", "Paris", "Madrid",
];

/// Custom-rule templates: (name pattern, direction, source, target, builder).
fn custom_rule(rng: &mut Rng, forest: &str, n: usize, precedence: i32) -> SyncRule {
    use ScopeOperator as Op;
    let dept = *rng.pick(DEPARTMENTS);
    let city = *rng.pick(CITIES);
    let id = rng.guid();
    let mut rule = SyncRule {
        unique_identifier: Some(id.clone()),
        internal_identifier: id,
        precedence,
        ..SyncRule::default()
    };
    match n % 6 {
        0 => {
            rule.name = Some(format!("In from AD - User {dept} filter {n} ({forest})"));
            rule.description = format!("Keep {dept} contractors in {city} out of the cloud");
            rule.direction = Some(Direction::Inbound);
            rule.source_object_type = Some("user".to_owned());
            rule.target_object_type = Some("person".to_owned());
            rule.link_type = Some(LinkType::Join);
            rule.scope_groups = vec![
                vec![
                    scope("department", Op::Equal, dept),
                    scope("employeeType", Op::Equal, "Contractor"),
                ],
                vec![scope("l", Op::StartsWith, city)],
            ];
            rule.mappings = vec![constant("cloudFiltered", "True")];
        }
        1 => {
            rule.name = Some(format!(
                "In from AD - User extensionAttribute {n} ({forest})"
            ));
            rule.description = format!("Derive the cost centre for {dept}");
            rule.direction = Some(Direction::Inbound);
            rule.source_object_type = Some("user".to_owned());
            rule.target_object_type = Some("person".to_owned());
            rule.link_type = Some(LinkType::Join);
            rule.scope_groups = vec![vec![scope("extensionAttribute15", Op::IsNotNull, "")]];
            rule.mappings = vec![
                expression(
                    "extensionAttribute15,department",
                    "extensionAttribute1",
                    &format!("IIF(IsPresent([extensionAttribute15]), Left(Trim([extensionAttribute15]), 16), \"{dept}-{n}\")"),
                ),
                expression(
                    "employeeID",
                    "employeeID",
                    "IIF(IsNullOrEmpty([employeeID]), NULL, UCase(Trim([employeeID])))",
                ),
            ];
        }
        2 => {
            rule.name = Some(format!("In from AD - User mail fix-up {n} ({forest})"));
            rule.description = "Build mail from the UPN prefix when missing".to_owned();
            rule.direction = Some(Direction::Inbound);
            rule.source_object_type = Some("user".to_owned());
            rule.target_object_type = Some("person".to_owned());
            rule.link_type = Some(LinkType::Join);
            rule.scope_groups = vec![vec![
                scope("mail", Op::IsNull, ""),
                scope("userAccountControl", Op::IsBitNotSet, "2"),
            ]];
            rule.mappings = vec![expression(
                "userPrincipalName,sAMAccountName",
                "mail",
                &format!("IIF(IsPresent([userPrincipalName]), Word([userPrincipalName], 1, \"@\") & \"@{forest}\", [sAMAccountName] & \"@{forest}\")"),
            )];
        }
        3 => {
            rule.name = Some(format!("Out to AAD - User {city} usage location {n}"));
            rule.description = format!("Set the usage location of {city} users");
            rule.direction = Some(Direction::Outbound);
            rule.source_object_type = Some("person".to_owned());
            rule.target_object_type = Some("user".to_owned());
            rule.link_type = Some(LinkType::Join);
            rule.scope_groups = vec![vec![
                scope("sourceObjectType", Op::Equal, "User"),
                scope("l", Op::Equal, city),
            ]];
            rule.mappings = vec![expression(
                "c",
                "usageLocation",
                "IIF(IsNullOrEmpty([c]), IgnoreThisFlow, UCase(Left([c], 2)))",
            )];
        }
        4 => {
            rule.name = Some(format!("In from AD - Group {dept} naming {n} ({forest})"));
            rule.description = format!("Prefix {dept} group names");
            rule.direction = Some(Direction::Inbound);
            rule.source_object_type = Some("group".to_owned());
            rule.target_object_type = Some("group".to_owned());
            rule.link_type = Some(LinkType::Join);
            rule.scope_groups = vec![vec![scope("info", Op::Contains, dept)]];
            rule.mappings = vec![
                expression(
                    "displayName,cn",
                    "displayName",
                    &format!(
                        "\"{dept} - \" & IIF(IsNullOrEmpty([displayName]), [cn], [displayName])"
                    ),
                ),
                direct("info", "info"),
            ];
        }
        _ => {
            rule.name = Some(format!("In from AD - User proxy clean-up {n} ({forest})"));
            rule.description = "Drop X500 and SIP proxies".to_owned();
            rule.direction = Some(Direction::Inbound);
            rule.source_object_type = Some("user".to_owned());
            rule.target_object_type = Some("person".to_owned());
            rule.link_type = Some(LinkType::Join);
            rule.scope_groups = vec![vec![scope("proxyAddresses", Op::IsNotNull, "")]];
            rule.mappings = vec![expression(
                "proxyAddresses",
                "proxyAddresses",
                "RemoveDuplicates(Where($item, [proxyAddresses], Left(LCase($item), 5) <> \"x500:\" && Left(LCase($item), 4) <> \"sip:\"))",
            )];
        }
    }
    rule
}

/// Generates a large, realistic configuration.
pub fn generate(opts: &GenerateOptions) -> Configuration {
    let mut rng = Rng::new(opts.seed);
    let forests: Vec<ForestSpec> = (0..opts.forests)
        .map(|i| {
            let name = format!("forest{i:02}.example.com");
            let domains = (0..2)
                .map(|d| {
                    let fqdn = if d == 0 {
                        name.clone()
                    } else {
                        format!("emea.{name}")
                    };
                    let root = fqdn_to_dn(&fqdn);
                    let inclusions = (0..opts.ous_per_domain)
                        .map(|k| {
                            format!(
                                "OU={},OU=Accounts,{root}",
                                DEPARTMENTS[k % DEPARTMENTS.len()].to_owned() + &k.to_string()
                            )
                        })
                        .collect();
                    let exclusions = (0..opts.ous_per_domain / 3)
                        .map(|k| {
                            format!(
                                "OU=Disabled,OU={},OU=Accounts,{root}",
                                DEPARTMENTS[k % DEPARTMENTS.len()].to_owned() + &k.to_string()
                            )
                        })
                        .collect();
                    DomainSpec {
                        fqdn,
                        selected: true,
                        inclusions,
                        exclusions,
                        preferred_controllers: vec![format!("dc01.{name}")],
                    }
                })
                .collect();
            ForestSpec {
                name: name.clone(),
                account: format!("FOREST{i:02}\\MSOL_sync{i:02}"),
                domains,
                group_writeback_dn: String::new(),
                device_writeback_dn: String::new(),
                group_filtering_dn: String::new(),
            }
        })
        .collect();
    let mut config = build("generated.onmicrosoft.com", &forests, &mut rng);
    let total = opts.custom_rules_per_forest * opts.forests.max(1);
    for (i, dir) in config.onpremises_directories.iter_mut().enumerate() {
        for n in 0..opts.custom_rules_per_forest {
            let global = i * opts.custom_rules_per_forest + n;
            // Custom rules share the 0-99 band, each its own number: from 1 (leaving 0 free
            // for a rule added by hand) unless all 100 are needed. Beyond 100 of them (only
            // benchmarks ask for that; `GenerateOptions::check` refuses it) they spill past
            // the band, as large real configurations do (validate reports those).
            let precedence = if total <= 99 {
                global as i32 + 1
            } else if total <= MAX_CUSTOM_RULES {
                global as i32
            } else {
                100_000 + global as i32
            };
            let mut rule = custom_rule(&mut rng, &dir.name, global, precedence);
            if rule.direction == Some(Direction::Outbound) {
                // Outbound rules to Entra ID live on the Entra directory; keep this one inbound
                // from AD by turning it into an attribute rule on the forest.
                rule.direction = Some(Direction::Inbound);
                rule.source_object_type = Some("user".to_owned());
                rule.target_object_type = Some("person".to_owned());
                rule.name = rule.name.map(|n| n.replace("Out to AAD", "In from AD"));
            }
            rule.disabled = rng.chance(5);
            dir.custom_rules.push(rule);
        }
    }
    config.azure_directory.directory_extensions = (0..opts.forests.min(5))
        .map(|i| DirectoryExtensionAttribute {
            attribute: Some(format!("extensionAttribute{}", i + 10)),
            object_class: Some("user".to_owned()),
            data_type: Some("String".to_owned()),
            multi_valued: false,
            ..DirectoryExtensionAttribute::default()
        })
        .collect();
    config.azure_directory.exported_attributes = ExportedAttributeFilter::default();
    config
}
