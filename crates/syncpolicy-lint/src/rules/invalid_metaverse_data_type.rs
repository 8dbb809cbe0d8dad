//! SP004 invalid-metaverse-data-type: a metaverse extension attribute with a data type the
//! engine does not know.

use super::k;
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::paths;
use syncpolicy_model::config::METAVERSE_DATA_TYPES;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP004",
    name: "invalid-metaverse-data-type",
    severity: Severity::Error,
    category: Category::Structure,
    summary: "a metaverse extension attribute has an unknown or missing data type",
    what: "Checks `metaverseExtensionPolicy.attributes[].dataType` against the engine's data types: String, Integer, Boolean, Binary, Reference, DateTime, Number.",
    why: "Microsoft's import cannot extend the metaverse schema with an invalid data type and stops (\"invalid metaverse attribute data type\").",
    example: "\"metaverseExtensionPolicy\": { \"attributes\": [ { \"name\": \"costCenter\", \"dataType\": \"Text\" } ] }",
    fix: "Use one of the engine's data types (`String` for text).",
    help: "use one of: String, Integer, Boolean, Binary, Reference, DateTime, Number",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for (i, a) in cx.config.metaverse_extensions.attributes.iter().enumerate() {
        let name = a.name.as_deref().unwrap_or("(unnamed)");
        match a.data_type.as_deref().map(str::trim) {
            Some(t)
                if METAVERSE_DATA_TYPES
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(t)) => {}
            Some(t) => {
                out.report(
                    &RULE,
                    format!("{}.{}", paths::metaverse_attribute(i), k::MV_DATA_TYPE),
                    format!("the metaverse attribute {name:?} has the unknown data type {t:?}"),
                );
            }
            None => {
                out.report(
                    &RULE,
                    format!("{}.{}", paths::metaverse_attribute(i), k::MV_DATA_TYPE),
                    format!("the metaverse attribute {name:?} has no data type"),
                );
            }
        }
    }
}
