//! The shipped sample configurations: a single-forest express installation and a two-forest
//! installation with custom rules, group and device writeback, OU filtering and a disabled
//! custom rule.

use crate::catalogue::{constant, direct, expression, scope};
use crate::generate::{build, fqdn_to_dn, DomainSpec, ForestSpec};
use crate::rng::Rng;
use syncpolicy_model::config::{
    AttributeBinding, Configuration, DirectoryExtensionAttribute, MetaverseAttribute,
    MetaverseObjectType,
};
use syncpolicy_model::enums::{Direction, LinkType, ScopeOperator};
use syncpolicy_model::extension::{GlobalParameter, HierarchyMapping, ProvisioningHierarchy};
use syncpolicy_model::rule::{RuleExtension, SyncRule};
use syncpolicy_model::signin::{SignIn, SignInMethod};

/// Names and builders of every shipped sample, in a stable order.
pub fn all() -> Vec<(&'static str, Configuration)> {
    vec![
        ("express-single-forest", express_single_forest()),
        ("multi-forest-custom", multi_forest_custom()),
    ]
}

/// Express settings: one forest, password hash sync, every domain synchronized.
pub fn express_single_forest() -> Configuration {
    let mut rng = Rng::new(11);
    let forest = ForestSpec {
        name: "contoso.com".to_owned(),
        account: "CONTOSO\\MSOL_7c3e9a1f2b4d".to_owned(),
        domains: vec![DomainSpec {
            fqdn: "contoso.com".to_owned(),
            selected: true,
            inclusions: vec![fqdn_to_dn("contoso.com")],
            exclusions: Vec::new(),
            preferred_controllers: Vec::new(),
        }],
        group_writeback_dn: String::new(),
        device_writeback_dn: String::new(),
        group_filtering_dn: String::new(),
    };
    let mut c = build("contoso.onmicrosoft.com", &[forest], &mut rng);
    c.policy_metadata.author = Some("CONTOSO\\admin".to_owned());
    c.deployment_metadata.host_name = Some("SYNC01.contoso.com".to_owned());
    c.identity_mapping.user_matching_policy = Some("UsersRepresentedOnce".to_owned());
    c
}

/// Two forests with OU filtering, custom rules (one disabled), group and device writeback,
/// pass-through authentication with password hash sync and seamless SSO, Exchange hybrid.
pub fn multi_forest_custom() -> Configuration {
    use ScopeOperator as Op;
    let mut rng = Rng::new(23);
    let contoso_root = fqdn_to_dn("contoso.com");
    let fabrikam_root = fqdn_to_dn("fabrikam.com");
    let emea_root = fqdn_to_dn("emea.fabrikam.com");
    let forests = vec![
        ForestSpec {
            name: "contoso.com".to_owned(),
            account: "CONTOSO\\svc-aadsync".to_owned(),
            domains: vec![DomainSpec {
                fqdn: "contoso.com".to_owned(),
                selected: true,
                // The domain root excluded with OUs included, as the product stores it.
                inclusions: vec![
                    format!("OU=CORP,{contoso_root}"),
                    format!("OU=Groups,{contoso_root}"),
                ],
                exclusions: vec![
                    contoso_root.clone(),
                    format!("OU=Disabled Users,OU=CORP,{contoso_root}"),
                ],
                preferred_controllers: vec![
                    "dc01.contoso.com".to_owned(),
                    "dc02.contoso.com".to_owned(),
                ],
            }],
            group_writeback_dn: format!("OU=Cloud Groups,{contoso_root}"),
            device_writeback_dn: format!("CN=RegisteredDevices,{contoso_root}"),
            group_filtering_dn: String::new(),
        },
        ForestSpec {
            name: "fabrikam.com".to_owned(),
            account: "FABRIKAM\\svc-aadsync".to_owned(),
            domains: vec![
                DomainSpec {
                    fqdn: "fabrikam.com".to_owned(),
                    selected: true,
                    inclusions: vec![fabrikam_root.clone()],
                    exclusions: vec![
                        format!("OU=Service Accounts,{fabrikam_root}"),
                        format!("CN=Users,{fabrikam_root}"),
                    ],
                    preferred_controllers: Vec::new(),
                },
                DomainSpec {
                    fqdn: "emea.fabrikam.com".to_owned(),
                    selected: false,
                    inclusions: vec![emea_root.clone()],
                    exclusions: Vec::new(),
                    preferred_controllers: Vec::new(),
                },
            ],
            group_writeback_dn: String::new(),
            device_writeback_dn: String::new(),
            group_filtering_dn: String::new(),
        },
    ];
    let mut c = build("contoso.onmicrosoft.com", &forests, &mut rng);
    c.policy_metadata.author = Some("CONTOSO\\jdoe".to_owned());
    c.deployment_metadata.host_name = Some("AADSYNC-PRI.contoso.com".to_owned());
    c.deployment_metadata.database_type = Some("SqlServer".to_owned());
    c.deployment_metadata.database_server = "sql01.contoso.com".to_owned();
    c.deployment_metadata.database_instance = String::new();
    c.deployment_metadata.service_account = "CONTOSO\\gmsa-adsync$".to_owned();
    c.deployment_metadata.service_account_type = "GroupManagedServiceAccount".to_owned();
    c.sign_in = SignIn::new(SignInMethod::PassThroughAuthentication, true, true);
    c.password_writeback = true;
    c.exchange.hybrid_deployment = true;
    c.identity_mapping.user_matching_policy = Some("MailAttribute".to_owned());
    c.azure_directory.export_deletion_limit = "750".to_owned();
    c.azure_directory.directory_extensions = vec![
        DirectoryExtensionAttribute {
            attribute: Some("employeeType".to_owned()),
            object_class: Some("user".to_owned()),
            data_type: Some("String".to_owned()),
            multi_valued: false,
            ..DirectoryExtensionAttribute::default()
        },
        DirectoryExtensionAttribute {
            attribute: Some("costCenter".to_owned()),
            object_class: Some("user".to_owned()),
            data_type: Some("String".to_owned()),
            multi_valued: false,
            ..DirectoryExtensionAttribute::default()
        },
    ];
    c.azure_directory
        .exported_attributes
        .application_restrictions = vec![
        "Office 365 ProPlus".to_owned(),
        "Exchange Online".to_owned(),
        "SharePoint Online".to_owned(),
    ];
    c.azure_directory.exported_attributes.excluded_attributes =
        vec!["facsimileTelephoneNumber".to_owned()];
    c.metaverse_extensions.attributes = vec![MetaverseAttribute {
        name: Some("costCenter".to_owned()),
        data_type: Some("String".to_owned()),
        indexable: true,
        ..MetaverseAttribute::default()
    }];
    c.metaverse_extensions.object_types = vec![MetaverseObjectType {
        name: Some("person".to_owned()),
        attribute_bindings: vec![AttributeBinding {
            name: Some("costCenter".to_owned()),
            ..AttributeBinding::default()
        }],
        ..MetaverseObjectType::default()
    }];
    if let Some(s) = c.extension.scheduler.as_mut() {
        s.sync_interval = Some("00:40:00".to_owned());
    }
    c.extension.global_parameters = vec![GlobalParameter {
        name: "Microsoft.OptionalFeature.AutoUpgradeSuspensionReason".to_owned(),
        value: "Staging server".to_owned(),
    }];

    // Custom rules on contoso.com.
    let contoso = &mut c.onpremises_directories[0];
    if let Some(types) = contoso.connector.object_types.as_mut() {
        types.push("msDS-GroupManagedServiceAccount".to_owned());
    }
    contoso.connector.provisioning_hierarchy = Some(ProvisioningHierarchy {
        enabled: true,
        mappings: vec![HierarchyMapping {
            component: "OU".to_owned(),
            object_class: "organizationalUnit".to_owned(),
            attribute: "ou".to_owned(),
            ..HierarchyMapping::default()
        }],
        ..ProvisioningHierarchy::default()
    });
    let mut contractors = custom(
        &mut rng,
        "In from AD - User Contractors filter",
        50,
        Direction::Inbound,
        "user",
        "person",
    );
    contractors.description = "Do not synchronize contractors".to_owned();
    contractors.scope_groups = vec![vec![scope("employeeType", Op::Equal, "Contractor")]];
    contractors.mappings = vec![constant("cloudFiltered", "True")];
    let mut cost_center = custom(
        &mut rng,
        "In from AD - User Cost Center",
        51,
        Direction::Inbound,
        "user",
        "person",
    );
    cost_center.description = "Cost centre from extensionAttribute15".to_owned();
    cost_center.scope_groups = vec![vec![
        scope("extensionAttribute15", Op::IsNotNull, ""),
        scope("adminDescription", Op::NotStartsWith, "User_"),
    ]];
    cost_center.mappings = vec![expression(
        "extensionAttribute15",
        "costCenter",
        "Left(Trim([extensionAttribute15]), 16)",
    )];
    let mut legacy = custom(
        &mut rng,
        "In from AD - User Legacy Title",
        52,
        Direction::Inbound,
        "user",
        "person",
    );
    legacy.description = "Old title mapping kept for reference; replaced by HR feed".to_owned();
    legacy.disabled = true;
    legacy.scope_groups = vec![vec![scope("title", Op::IsNotNull, "")]];
    legacy.mappings = vec![direct("title", "title")];
    // Group managed service accounts (their own object type, so that no out-of-box rule with
    // join conditions is in scope beside this one): joined to an existing metaverse object by
    // SID, never provisioned, and kept out of Entra ID.
    let mut sticky = custom(
        &mut rng,
        "In from AD - Service Accounts Sticky",
        53,
        Direction::Inbound,
        "msDS-GroupManagedServiceAccount",
        "person",
    );
    sticky.description =
        "Group managed service accounts: join, never provision, keep out of Entra ID".to_owned();
    sticky.link_type = Some(LinkType::StickyJoin);
    sticky.scope_groups = vec![vec![scope("sAMAccountName", Op::StartsWith, "svc-")]];
    sticky.join_groups = vec![vec![crate::catalogue::join(
        "objectSid",
        "objectSid",
        false,
    )]];
    sticky.mappings = vec![constant("cloudFiltered", "True")];
    sticky.extension = RuleExtension {
        soft_delete_expiry_interval: None,
        precedence_before: None,
        precedence_after: None,
        connector_id: None,
    };
    contoso.custom_rules = vec![contractors, cost_center, legacy, sticky];

    // One custom rule on fabrikam.com.
    let mut fab = custom(
        &mut rng,
        "In from AD - User Fabrikam Department",
        60,
        Direction::Inbound,
        "user",
        "person",
    );
    fab.scope_groups = vec![
        vec![scope("department", Op::IsNotNull, "")],
        vec![scope("company", Op::Equal, "Fabrikam")],
    ];
    fab.mappings = vec![expression(
        "department",
        "department",
        "IIF(IsNullOrEmpty([department]), \"Fabrikam\", Trim([department]))",
    )];
    c.onpremises_directories[1].custom_rules = vec![fab];

    // An outbound custom rule on the Entra directory.
    let mut usage = custom(
        &mut rng,
        "Out to AAD - User Usage Location",
        70,
        Direction::Outbound,
        "person",
        "user",
    );
    usage.scope_groups = vec![vec![scope("sourceObjectType", Op::Equal, "User")]];
    usage.mappings = vec![expression(
        "c",
        "usageLocation",
        "IIF(IsNullOrEmpty([c]), \"US\", UCase([c]))",
    )];
    c.azure_directory.custom_rules = vec![usage];
    c
}

fn custom(
    rng: &mut Rng,
    name: &str,
    precedence: i32,
    direction: Direction,
    source: &str,
    target: &str,
) -> SyncRule {
    let id = rng.guid();
    SyncRule {
        name: Some(name.to_owned()),
        unique_identifier: Some(id.clone()),
        internal_identifier: id,
        source_object_type: Some(source.to_owned()),
        target_object_type: Some(target.to_owned()),
        link_type: Some(LinkType::Join),
        direction: Some(direction),
        precedence,
        ..SyncRule::default()
    }
}
