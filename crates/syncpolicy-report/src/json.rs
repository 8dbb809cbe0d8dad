//! The JSON form of diagnostics: a stable document with a format version, counts per
//! severity and one object per diagnostic whose keys are always present (`null` when unknown).

use crate::Counts;
use serde_json::{json, Value};
use syncpolicy_model::diagnostic::{Diagnostic, Location};

/// Version of the JSON document's layout; raised only on incompatible changes.
pub const JSON_FORMAT_VERSION: u32 = 1;

fn location_fields(loc: &Location, obj: &mut serde_json::Map<String, Value>) {
    obj.insert("file".into(), json!(loc.file));
    obj.insert("jsonPath".into(), json!(loc.json_path));
    obj.insert("xmlElement".into(), json!(loc.xml_element));
    obj.insert("line".into(), json!(loc.line));
    obj.insert("column".into(), json!(loc.column));
}

/// One diagnostic as a JSON object: `code`, `name`, `severity`, `message`, `file`,
/// `jsonPath`, `xmlElement`, `line`, `column`, `help`, `labels` (each with `message` and the
/// same location keys).
pub fn diagnostic_json(d: &Diagnostic) -> Value {
    let mut obj = serde_json::Map::new();
    obj.insert("code".into(), json!(d.code));
    obj.insert("name".into(), json!(d.name));
    obj.insert("severity".into(), json!(d.severity.as_str()));
    obj.insert("message".into(), json!(d.message));
    location_fields(&d.location, &mut obj);
    obj.insert("help".into(), json!(d.help));
    let labels: Vec<Value> = d
        .labels
        .iter()
        .map(|l| {
            let mut o = serde_json::Map::new();
            o.insert("message".into(), json!(l.message));
            location_fields(&l.location, &mut o);
            Value::Object(o)
        })
        .collect();
    obj.insert("labels".into(), Value::Array(labels));
    Value::Object(obj)
}

/// The diagnostics as one JSON document:
/// `{"version": 1, "summary": {"errors", "warnings", "infos"}, "diagnostics": [...]}`.
pub fn to_json(diags: &[Diagnostic]) -> Value {
    let c = Counts::of(diags);
    json!({
        "version": JSON_FORMAT_VERSION,
        "summary": { "errors": c.errors, "warnings": c.warnings, "infos": c.infos },
        "diagnostics": diags.iter().map(diagnostic_json).collect::<Vec<_>>(),
    })
}
