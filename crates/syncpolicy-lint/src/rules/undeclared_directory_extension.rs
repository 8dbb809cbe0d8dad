//! SP061 undeclared-directory-extension: an outbound rule writes a directory extension
//! attribute that `directoryExtensionPolicy` does not declare.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use std::collections::HashSet;
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::enums::Direction;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP061",
    name: "undeclared-directory-extension",
    severity: Severity::Error,
    category: Category::References,
    summary: "an outbound rule writes a directory extension attribute that is not declared",
    what: "Reports a mapping of an outbound rule whose destination is a directory extension attribute (`extension_<application id>_<name>`) when no entry of `azureDirectoryPolicy.directoryExtensionPolicy` declares `<name>`.",
    why: "The attribute exists in Entra ID only once the directory extension is declared. Microsoft's import creates the rules before it would notice, and aborts half-way through the installation.",
    example: "\"customSynchronizationRules\": [ { \"direction\": \"Outbound\", \"attributeMappings\": [ { \"flowType\": \"Direct\", \"source\": \"costCenter\", \"destination\": \"extension_9d4f1c2a8b7e4f60a1b2c3d4e5f60718_costCenter\" } ] } ]",
    fix: "Declare the attribute in `directoryExtensionPolicy` (attribute, object class, data type), or remove the mapping.",
    help: "declare the attribute in azureDirectoryPolicy.directoryExtensionPolicy, or remove the mapping",
    file_only: false,
    check,
};

/// The attribute name of a directory extension attribute, `extension_<app id>_<name>`.
pub(super) fn extension_name(attribute: &str) -> Option<&str> {
    let prefix = attribute.get(..10)?;
    if !prefix.eq_ignore_ascii_case("extension_") {
        return None;
    }
    let (_, name) = attribute[10..].split_once('_')?;
    (!name.is_empty()).then_some(name)
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    let declared: HashSet<String> = config
        .azure_directory
        .directory_extensions
        .iter()
        .filter_map(|e| e.attribute.as_deref())
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    for (at, rule) in config.rules() {
        if rule.direction != Some(Direction::Outbound) {
            continue;
        }
        for (m, mapping) in rule.mappings.iter().enumerate() {
            let Some(dest) = mapping.destination.as_deref() else {
                continue;
            };
            if let Some(name) = extension_name(dest.trim()) {
                if !declared.contains(&name.to_ascii_lowercase()) {
                    out.report(
                        &RULE,
                        paths::mapping(at, m, Some(k::DESTINATION)),
                        format!(
                            "{} writes the directory extension attribute {dest:?}, but {name:?} is not declared in the directory extensions",
                            describe(config, at, rule)
                        ),
                    );
                }
            }
        }
    }
}
