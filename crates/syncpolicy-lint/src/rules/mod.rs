//! The rules, one per file, each with its documentation as data, and helpers they share
//! (naming a rule in a message, paths into the extension part).

use std::borrow::Cow;
use std::fmt::Write as _;
use syncpolicy_json::{keys, paths};
use syncpolicy_model::config::{Configuration, DirectoryRef, RuleLocation, RuleSet};
use syncpolicy_model::rule::SyncRule;

use crate::registry::RuleInfo;

mod attribute_inclusions_not_imported;
mod custom_precedence_out_of_range;
mod device_writeback_not_imported;
mod digest_mismatch;
mod directory_extension_not_offered;
mod disabled_rule_imported_enabled;
mod duplicate_custom_precedence;
mod duplicate_mapping_destination;
mod duplicate_standard_precedence;
mod federation_parameters_not_imported;
mod invalid_attribute_name;
mod invalid_expression;
mod invalid_metaverse_data_type;
mod mapping_without_destination;
mod mapping_without_source;
mod member_of_in_outbound_scope;
mod missing_required_section;
mod missing_rule_field;
mod modified_standard_rule;
mod multiple_case_sensitive_join_conditions;
mod object_type_filter_not_imported;
mod precedence_taken_by_standard_rule;
mod provision_without_join;
mod provisioning_hierarchy_not_imported;
mod questionable_expression;
mod rule_without_name;
mod run_profiles_not_imported;
mod soft_delete_expiry_not_allowed;
mod undeclared_directory_extension;
mod unknown_application;
mod unknown_attribute;
mod unknown_enum_value;
mod unknown_standard_tag;
mod unknown_user_matching_option;
mod unsupported_connector_type;
pub(crate) mod unused_acceptance;

/// The registry table: every rule, in code order.
pub(crate) static ALL: &[RuleInfo] = &[
    missing_required_section::RULE,
    unknown_enum_value::RULE,
    missing_rule_field::RULE,
    invalid_metaverse_data_type::RULE,
    mapping_without_destination::RULE,
    mapping_without_source::RULE,
    duplicate_mapping_destination::RULE,
    rule_without_name::RULE,
    invalid_attribute_name::RULE,
    duplicate_custom_precedence::RULE,
    custom_precedence_out_of_range::RULE,
    duplicate_standard_precedence::RULE,
    precedence_taken_by_standard_rule::RULE,
    unknown_user_matching_option::RULE,
    unknown_application::RULE,
    directory_extension_not_offered::RULE,
    provision_without_join::RULE,
    multiple_case_sensitive_join_conditions::RULE,
    member_of_in_outbound_scope::RULE,
    soft_delete_expiry_not_allowed::RULE,
    invalid_expression::RULE,
    questionable_expression::RULE,
    modified_standard_rule::RULE,
    unknown_standard_tag::RULE,
    device_writeback_not_imported::RULE,
    object_type_filter_not_imported::RULE,
    attribute_inclusions_not_imported::RULE,
    run_profiles_not_imported::RULE,
    provisioning_hierarchy_not_imported::RULE,
    federation_parameters_not_imported::RULE,
    disabled_rule_imported_enabled::RULE,
    unsupported_connector_type::RULE,
    unknown_attribute::RULE,
    undeclared_directory_extension::RULE,
    digest_mismatch::RULE,
    unused_acceptance::RULE,
];

/// Key spellings the rules point at, taken from `syncpolicy_json::keys` (the only place that
/// spells them).
pub(crate) mod k {
    use syncpolicy_json::keys;
    pub(crate) const NAME: &str = keys::RULE[0];
    pub(crate) const SOURCE: &str = keys::RULE[4];
    pub(crate) const TARGET: &str = keys::RULE[5];
    pub(crate) const LINK_TYPE: &str = keys::RULE[6];
    pub(crate) const IMMUTABLE_TAG: &str = keys::RULE[7];
    pub(crate) const DISABLED: &str = keys::RULE[8];
    pub(crate) const DIRECTION: &str = keys::RULE[9];
    pub(crate) const PRECEDENCE: &str = keys::RULE[10];
    pub(crate) const JOIN_CONDITIONS: &str = keys::RULE[12];
    pub(crate) const SCOPE_FILTERS: &str = keys::RULE[13];
    pub(crate) const ATTRIBUTE_MAPPINGS: &str = keys::RULE[14];
    pub(crate) const FLOW_TYPE: &str = keys::MAPPING[0];
    pub(crate) const MERGE_TYPE: &str = keys::MAPPING[1];
    pub(crate) const DESTINATION: &str = keys::MAPPING[3];
    pub(crate) const MAPPING_SOURCE: &str = keys::MAPPING[4];
    pub(crate) const EXPRESSION: &str = keys::MAPPING[5];
    pub(crate) const JOIN_SOURCE: &str = keys::JOIN[0];
    pub(crate) const JOIN_DESTINATION: &str = keys::JOIN[1];
    pub(crate) const CASE_SENSITIVE: &str = keys::JOIN[2];
    pub(crate) const SCOPE_ATTRIBUTE: &str = keys::SCOPE[0];
    pub(crate) const CONDITION: &str = keys::SCOPE[1];
    pub(crate) const MV_DATA_TYPE: &str = keys::MV_ATTRIBUTE[1];
    pub(crate) const PARTITION_FILTERS: &str = keys::ONPREM[8];
    pub(crate) const DEVICE_WRITEBACK: &str = keys::ONPREM[7];
    pub(crate) const EXT_OBJECT_TYPES: &str = keys::EXT_CONNECTOR[3];
    pub(crate) const EXT_ATTRIBUTE_INCLUSIONS: &str = keys::EXT_CONNECTOR[4];
    pub(crate) const EXT_RUN_PROFILES: &str = keys::EXT_CONNECTOR[5];
    pub(crate) const EXT_HIERARCHY: &str = keys::EXT_CONNECTOR[6];
    pub(crate) const EXT_DIGEST: &str = keys::EXT[keys::EXT.len() - 1];
    pub(crate) const EXT_ACCEPTED_FINDINGS: &str = keys::EXT[keys::EXT.len() - 2];
    pub(crate) const ACCEPTED_CODE: &str = keys::EXT_ACCEPTED[0];
    pub(crate) const ACCEPTED_RULE: &str = keys::EXT_ACCEPTED[1];
    pub(crate) const AUTHENTICATION_POLICY: &str = keys::TOP[2];
}

/// Names a rule in a message: `custom rule "In from AD - User X" of contoso.com`.
pub(crate) fn describe(config: &Configuration, at: RuleLocation, rule: &SyncRule) -> String {
    let kind = match at.set {
        RuleSet::Standard => "standard rule",
        RuleSet::Custom => "custom rule",
    };
    let name = rule.name().trim();
    let directory = match at.directory {
        DirectoryRef::OnPremises(i) if i < config.onpremises_directories.len() => {
            Cow::Borrowed(config.onpremises_directories[i].name.as_str())
        }
        dir => Cow::Owned(config.directory_name(dir)),
    };
    // Pushed by hand: a large file has tens of thousands of findings that name a rule, and
    // `format!` with `{:?}` costs several times as much (docs/performance.md, perf-report6).
    let mut o = String::with_capacity(kind.len() + name.len() + directory.len() + 8);
    o.push_str(kind);
    o.push(' ');
    if name.is_empty() {
        let _ = write!(o, "#{}", at.index);
    } else if name
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    {
        // Printable ASCII but quote and backslash: what `{:?}` writes, quoted.
        o.push('"');
        o.push_str(name);
        o.push('"');
    } else {
        let _ = write!(o, "{name:?}");
    }
    o.push_str(" of ");
    o.push_str(&directory);
    o
}

/// Path of a connector's entry in the extension part, or of one of its fields (a key of
/// [`keys::EXT_CONNECTOR`]). On-premises entries are written in directory order, skipping
/// directories with nothing recorded.
pub(crate) fn connector_path(
    config: &Configuration,
    dir: DirectoryRef,
    field: Option<&str>,
) -> String {
    let base = match dir {
        DirectoryRef::Azure => paths::extension(keys::EXT[4]),
        DirectoryRef::OnPremises(i) => {
            let k = config
                .onpremises_directories
                .iter()
                .take(i)
                .filter(|d| !d.connector.is_empty())
                .count();
            format!("{}[{k}]", paths::extension(keys::EXT[5]))
        }
    };
    match field {
        Some(f) => format!("{base}.{f}"),
        None => base,
    }
}

/// Every directory with its connector extension, Entra ID first.
pub(crate) fn connectors(
    config: &Configuration,
) -> impl Iterator<
    Item = (
        DirectoryRef,
        &syncpolicy_model::extension::ConnectorExtension,
    ),
> {
    std::iter::once((DirectoryRef::Azure, &config.azure_directory.connector)).chain(
        config
            .onpremises_directories
            .iter()
            .enumerate()
            .map(|(i, d)| (DirectoryRef::OnPremises(i), &d.connector)),
    )
}

/// Reports every clash of `kind` that [`syncpolicy_model::values::precedence_clashes`] finds
/// (the one definition of a precedence clash, which the change commands use too; found once
/// per run for the three rules, see `Context::precedence_clashes`): the later rule, with the
/// earlier one that holds the same precedence as a label.
pub(crate) fn report_shared_precedence(
    cx: &crate::context::Context<'_>,
    out: &mut crate::context::Sink,
    info: &'static crate::registry::RuleInfo,
    kind: syncpolicy_model::values::PrecedenceClash,
) {
    let config = cx.config;
    for &(at, earlier, clash) in cx.precedence_clashes() {
        if clash != kind {
            continue;
        }
        let (Some(rule), Some(other)) = (config.rule(at), config.rule(earlier)) else {
            continue;
        };
        out.report(
            info,
            syncpolicy_json::paths::rule_field(at, k::PRECEDENCE),
            format!(
                "{} has precedence {}, like {}",
                describe(config, at, rule),
                rule.precedence,
                describe(config, earlier, other)
            ),
        )
        .label(
            syncpolicy_json::paths::rule_field(earlier, k::PRECEDENCE),
            "the same precedence is used here",
        );
    }
}

/// Path of a field of `identityMappingPolicy` (a key of [`keys::IDENTITY_MAPPING`]).
pub(crate) fn identity_path(field: &str) -> String {
    format!("{}.{field}", keys::TOP[4])
}

/// Path of an entry of `exportedAttributePolicy` (a key of [`keys::EXPORTED_ATTRIBUTES`]).
pub(crate) fn exported_attributes_path(field: &str, index: usize) -> String {
    format!("{}.{}.{field}[{index}]", keys::TOP[7], keys::AZURE[4])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`describe`] writes what `format!` with `{:?}` wrote, for plain and for unusual names.
    #[test]
    fn describe_is_what_format_wrote() {
        let mut config = Configuration::default();
        config.onpremises_directories.push(Default::default());
        config.onpremises_directories[0].name = "contoso.com".to_owned();
        for name in [
            "In from AD - User Join",
            "  padded  ",
            "",
            "   ",
            "quote \" and \\ backslash",
            "tab\tnew\nline\r\u{1b}[2J",
            "Ünïcode — \u{301}accent ☃",
            "~ tilde and space ",
        ] {
            let rule = SyncRule {
                name: Some(name.to_owned()),
                ..SyncRule::default()
            };
            for directory in [
                DirectoryRef::Azure,
                DirectoryRef::OnPremises(0),
                DirectoryRef::OnPremises(5),
            ] {
                for set in [RuleSet::Standard, RuleSet::Custom] {
                    let at = RuleLocation {
                        directory,
                        set,
                        index: 42,
                    };
                    let kind = match set {
                        RuleSet::Standard => "standard rule",
                        RuleSet::Custom => "custom rule",
                    };
                    let trimmed = name.trim();
                    let shown = if trimmed.is_empty() {
                        "#42".to_owned()
                    } else {
                        format!("{trimmed:?}")
                    };
                    assert_eq!(
                        describe(&config, at, &rule),
                        format!("{kind} {shown} of {}", config.directory_name(directory))
                    );
                }
            }
        }
    }
}
