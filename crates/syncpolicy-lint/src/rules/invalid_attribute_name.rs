//! SP009 invalid-attribute-name: an attribute name of the identity mapping, a directory
//! extension, the exported-attribute filter or a connector, or a rule's object type, is not a
//! name a directory schema allows.

use super::{exported_attributes_path, identity_path};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::{keys, paths};
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::values::{check_attribute_name, check_object_type};

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP009",
    name: "invalid-attribute-name",
    severity: Severity::Error,
    category: Category::Structure,
    summary: "an attribute or object type name is not one a directory schema allows",
    what: "Checks the attribute names of `identityMappingPolicy` (`azureSourceAnchorAttribute`, `userPrincipalNameAttribute`, `userMatchingAttribute` when set), the `attribute` of each `directoryExtensionPolicy` entry, each of `exportedAttributePolicy.excludedAttributes`, the object types and attributes each connector imports (extension part), and each rule's source and target object type (which may also be `*`): a name starts with an ASCII letter and has only letters, digits, hyphens and underscores (the schema's `lDAPDisplayName` form, e.g. `mS-DS-ConsistencyGuid`, and Entra ID's `extension_<app>_<name>`), at most 256 characters. The change commands refuse such names with the same check.",
    why: "No schema has such an attribute: the wizard cannot select it, so the import stops or the setting silently does nothing (a source anchor that matches no attribute leaves every user without an anchor).",
    example: "\"identityMappingPolicy\": { \"azureSourceAnchorAttribute\": \"bad attr!!\" }",
    fix: "Write the attribute's schema name, e.g. `mS-DS-ConsistencyGuid`, `objectGUID` or `employeeID`.",
    help: "write the attribute's schema name, e.g. mS-DS-ConsistencyGuid",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    let idm = &config.identity_mapping;
    let mut named: Vec<(String, &str, &str)> = Vec::new();
    if let Some(a) = idm.source_anchor_attribute.as_deref() {
        named.push((
            identity_path(keys::IDENTITY_MAPPING[0]),
            a,
            "the source anchor attribute",
        ));
    }
    if let Some(a) = idm.user_principal_name_attribute.as_deref() {
        named.push((
            identity_path(keys::IDENTITY_MAPPING[1]),
            a,
            "the user principal name attribute",
        ));
    }
    if !idm.user_matching_attribute.is_empty() {
        named.push((
            identity_path(keys::IDENTITY_MAPPING[3]),
            idm.user_matching_attribute.as_str(),
            "the user matching attribute",
        ));
    }
    for (i, e) in config
        .azure_directory
        .directory_extensions
        .iter()
        .enumerate()
    {
        if let Some(a) = e.attribute.as_deref() {
            named.push((
                format!(
                    "{}.{}",
                    paths::directory_extension(i),
                    keys::DIRECTORY_EXTENSION[0]
                ),
                a,
                "a directory extension attribute",
            ));
        }
    }
    for (i, a) in config
        .azure_directory
        .exported_attributes
        .excluded_attributes
        .iter()
        .enumerate()
    {
        named.push((
            exported_attributes_path(keys::EXPORTED_ATTRIBUTES[1], i),
            a.as_str(),
            "an excluded attribute",
        ));
    }
    for (dir, connector) in super::connectors(config) {
        for (field, list, what) in [
            (
                super::k::EXT_OBJECT_TYPES,
                &connector.object_types,
                "an object type the connector imports",
            ),
            (
                super::k::EXT_ATTRIBUTE_INCLUSIONS,
                &connector.attribute_inclusions,
                "an attribute the connector imports",
            ),
        ] {
            // Once per list, not per name: the path counts the connectors before this one.
            let base = super::connector_path(config, dir, Some(field));
            for (i, a) in list.iter().flatten().enumerate() {
                named.push((format!("{base}[{i}]"), a.as_str(), what));
            }
        }
    }
    for (at, rule) in config.rules() {
        for (field, value, what) in [
            (
                super::k::SOURCE,
                rule.source_object_type.as_deref(),
                "source object type",
            ),
            (
                super::k::TARGET,
                rule.target_object_type.as_deref(),
                "target object type",
            ),
        ] {
            if let Some(Err(why)) = value.map(check_object_type) {
                out.report(
                    &RULE,
                    paths::rule_field(at, field),
                    format!(
                        "the {what} {:?} of {} is not a valid object type name: {why}",
                        value.unwrap_or(""),
                        super::describe(config, at, rule)
                    ),
                )
                .help("write the object class's schema name, e.g. user, group, contact or person");
            }
        }
    }
    for (path, name, what) in named {
        if let Err(why) = check_attribute_name(name) {
            out.report(
                &RULE,
                path,
                format!("{what} {name:?} is not a valid attribute name: {why}"),
            );
        }
    }
}
