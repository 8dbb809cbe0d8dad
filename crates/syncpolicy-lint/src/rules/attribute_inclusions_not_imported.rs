//! SP042 attribute-inclusions-not-imported: a connector's attribute inclusion list, which
//! Microsoft's settings file cannot carry.

use super::{connector_path, connectors, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP042",
    name: "attribute-inclusions-not-imported",
    severity: Severity::Info,
    category: Category::NotCarriedOver,
    summary: "a connector's attribute inclusion list is recorded; Microsoft's import does not carry it",
    what: "Reports a connector with a recorded attribute inclusion list (syncpolicy's extension part, `attributeInclusions` of the connector's entry).",
    why: "Microsoft's settings file has no place for the selected attributes (a documented limitation), so after Microsoft's import the connector imports its default attributes; attributes added by hand (for custom rules or directory extensions) are missing. syncpolicy's own import keeps the list.",
    example: "\"x-syncpolicy\": { \"onpremisesConnectors\": [ { \"friendlyName\": \"contoso.com\", \"attributeInclusions\": [\"cn\", \"extensionAttribute15\"] } ] }",
    fix: "Nothing for syncpolicy's import. After Microsoft's import, select the same attributes on the connector by hand (at least those custom rules and directory extensions use).",
    help: "after Microsoft's import, select the connector's attributes by hand; syncpolicy's own import keeps them",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (dir, connector) in connectors(config) {
        match &connector.attribute_inclusions {
            Some(list) if !list.is_empty() => {
                out.report(
                    &RULE,
                    connector_path(config, dir, Some(k::EXT_ATTRIBUTE_INCLUSIONS)),
                    format!(
                        "{} imports a selected list of {}; Microsoft's import does not carry it",
                        config.directory_name(dir),
                        syncpolicy_model::words::count(list.len(), "attribute", "attributes")
                    ),
                );
            }
            _ => {}
        }
    }
}
