//! SP060 unknown-attribute: a rule, directory extension or exported-attribute filter names an
//! attribute that no schema extension or known attribute defines.

use super::{describe, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::{keys, paths};
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP060",
    name: "unknown-attribute",
    severity: Severity::Warning,
    category: Category::References,
    summary: "an attribute name is not defined by any known schema or schema extension",
    what: "Checks every attribute a rule names (mapping destinations and sources, scope clause attributes, join condition attributes), the attributes of `directoryExtensionPolicy` and the `excludedAttributes` of `exportedAttributePolicy` against the known attributes: documented Active Directory, metaverse and Entra ID attributes, every attribute the out-of-box rules use, the AD attribute families `msExch*`, `msRTCSIP-*` and `msDS-*`, plus what the file itself defines (`metaverseExtensionPolicy` attributes and bindings, directory extension attributes, the attributes a connector imports). Names are compared without regard to case. Directory extension attributes (`extension_<app>_<name>`) are checked by SP061.",
    why: "A misspelt attribute makes a flow, scope or join silently do nothing, or makes Microsoft's import stop when it extends the schema or creates the rule (\"source/target object types must exist in the connector schema\").",
    example: "{ \"flowType\": \"Direct\", \"source\": \"departmnet\", \"destination\": \"department\" }",
    fix: "Correct the spelling. If the attribute is new, declare it: in `metaverseExtensionPolicy.attributes` for a metaverse attribute, in `directoryExtensionPolicy` for an attribute synchronized to Entra ID.",
    help: "check the spelling; declare a new attribute in metaverseExtensionPolicy or directoryExtensionPolicy",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    let known = cx.known();
    let unknown = |name: &str| !name.trim().is_empty() && !known.contains(name);
    for (at, rule) in config.rules() {
        // Paths are built only for the names that are reported.
        let mut report = |path: String, name: &str| {
            out.report(
                &RULE,
                path,
                format!(
                    "{} names the attribute {name:?}, which no schema extension or known attribute defines",
                    describe(config, at, rule)
                ),
            );
        };
        for (m, mapping) in rule.mappings.iter().enumerate() {
            if let Some(d) = mapping.destination.as_deref().filter(|d| unknown(d)) {
                report(paths::mapping(at, m, Some(k::DESTINATION)), d);
            }
            // `AttributeMapping::sources` without its list per mapping.
            let sources = mapping.source.split(',').map(str::trim);
            for s in sources.filter(|s| !s.is_empty() && unknown(s)) {
                report(paths::mapping(at, m, Some(k::MAPPING_SOURCE)), s);
            }
        }
        for (g, group) in rule.scope_groups.iter().enumerate() {
            for (c, clause) in group.iter().enumerate() {
                if let Some(a) = clause.attribute.as_deref().filter(|a| unknown(a)) {
                    report(paths::scope(at, g, c, Some(k::SCOPE_ATTRIBUTE)), a);
                }
            }
        }
        for (g, group) in rule.join_groups.iter().enumerate() {
            for (c, cond) in group.iter().enumerate() {
                if let Some(a) = cond.source.as_deref().filter(|a| unknown(a)) {
                    report(paths::join(at, g, c, Some(k::JOIN_SOURCE)), a);
                }
                if let Some(a) = cond.destination.as_deref().filter(|a| unknown(a)) {
                    report(paths::join(at, g, c, Some(k::JOIN_DESTINATION)), a);
                }
            }
        }
    }
    for (i, e) in config
        .azure_directory
        .directory_extensions
        .iter()
        .enumerate()
    {
        if let Some(a) = e.attribute.as_deref().filter(|a| unknown(a)) {
            out.report(
                &RULE,
                format!("{}.{}", paths::directory_extension(i), keys::DIRECTORY_EXTENSION[0]),
                format!("the directory extension names the attribute {a:?}, which no schema extension or known attribute defines"),
            )
            .help("name an attribute of the on-premises directory schema (or a metaverse extension attribute)");
        }
    }
    let filter = &config.azure_directory.exported_attributes;
    for (i, a) in filter.excluded_attributes.iter().enumerate() {
        if unknown(a) {
            out.report(
                &RULE,
                format!("{}.{}.{}[{i}]", keys::TOP[7], keys::AZURE[4], keys::EXPORTED_ATTRIBUTES[1]),
                format!("the exported-attribute filter excludes {a:?}, which no schema extension or known attribute defines"),
            )
            .help("check the spelling against the Entra ID attribute names");
        }
    }
}
