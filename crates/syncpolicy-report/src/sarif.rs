//! SARIF 2.1.0 output, so CI systems can annotate files: one run of the `syncpolicy` tool,
//! its rules from the caller's rule table, one result per diagnostic with a physical location
//! (file, line, column) where known and a logical location (the JSON path or XML element).

use serde_json::{json, Value};
use std::collections::HashMap;
use syncpolicy_model::diagnostic::{Diagnostic, Location, Severity};

/// A rule as SARIF describes it (`tool.driver.rules[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SarifRule {
    /// Stable code, the SARIF `id` (e.g. `SP010`).
    pub code: String,
    /// Kebab-case name.
    pub name: String,
    /// Default severity.
    pub severity: Severity,
    /// One line.
    pub summary: String,
    /// The full documentation (plain text).
    pub description: String,
    /// What to do.
    pub help: String,
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file name as a SARIF URI: absolute paths become `file://` URIs, relative ones stay
/// relative; `\` becomes `/`, and characters that are not allowed in a URI are %-encoded.
pub fn file_uri(file: &str) -> String {
    let slashed = file.replace('\\', "/");
    let mut out = String::with_capacity(slashed.len() + 8);
    let drive = slashed.len() >= 2
        && slashed.as_bytes()[1] == b':'
        && slashed.as_bytes()[0].is_ascii_alphabetic();
    if slashed.starts_with('/') {
        out.push_str("file://");
    } else if drive {
        out.push_str("file:///");
    }
    for b in slashed.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location_json(loc: &Location, id: Option<usize>, message: Option<&str>) -> Value {
    let mut obj = serde_json::Map::new();
    if let Some(id) = id {
        obj.insert("id".into(), json!(id));
    }
    if let Some(file) = &loc.file {
        let mut physical = json!({ "artifactLocation": { "uri": file_uri(file) } });
        if let Some(line) = loc.line {
            let mut region = json!({ "startLine": line });
            if let Some(col) = loc.column {
                region["startColumn"] = json!(col);
            }
            physical["region"] = region;
        }
        obj.insert("physicalLocation".into(), physical);
    }
    let logical = match (&loc.json_path, &loc.xml_element) {
        (Some(p), _) if !p.is_empty() => Some(json!({ "fullyQualifiedName": p, "kind": "member" })),
        (_, Some(x)) if !x.is_empty() => {
            Some(json!({ "fullyQualifiedName": x, "kind": "element" }))
        }
        _ => None,
    };
    if let Some(l) = logical {
        obj.insert("logicalLocations".into(), json!([l]));
    }
    if let Some(m) = message {
        obj.insert("message".into(), json!({ "text": m }));
    }
    Value::Object(obj)
}

/// The diagnostics as a SARIF 2.1.0 log. `rules` describes the rules (`tool.driver.rules`);
/// a code that appears in `diags` but not in `rules` gets a minimal rule entry of its own.
pub fn to_sarif(diags: &[Diagnostic], rules: &[SarifRule]) -> Value {
    let mut table: Vec<Value> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let add_rule = |r: &SarifRule, table: &mut Vec<Value>, index: &mut HashMap<String, usize>| {
        if index.contains_key(&r.code) {
            return;
        }
        index.insert(r.code.clone(), table.len());
        table.push(json!({
            "id": r.code,
            "name": r.name,
            "shortDescription": { "text": r.summary },
            "fullDescription": { "text": r.description },
            "help": { "text": r.help },
            "defaultConfiguration": { "level": level(r.severity) },
        }));
    };
    for r in rules {
        add_rule(r, &mut table, &mut index);
    }
    for d in diags {
        if !index.contains_key(&d.code) {
            let r = SarifRule {
                code: d.code.clone(),
                name: d.name.clone(),
                severity: d.severity,
                summary: d.name.replace('-', " "),
                description: d.name.replace('-', " "),
                help: d.help.clone().unwrap_or_default(),
            };
            add_rule(&r, &mut table, &mut index);
        }
    }
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let text = match &d.help {
                Some(h) => format!("{}\nhelp: {h}", d.message),
                None => d.message.clone(),
            };
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": index.get(&d.code).copied().unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [location_json(&d.location, None, None)],
            });
            if !d.labels.is_empty() {
                result["relatedLocations"] = Value::Array(
                    d.labels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| location_json(&l.location, Some(i + 1), Some(&l.message)))
                        .collect(),
                );
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "syncpolicy",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": table,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}
