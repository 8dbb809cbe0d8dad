//! Reading a source object from text: a JSON object or a single LDIF entry (the text is given
//! by the caller; this module does no I/O).
//!
//! JSON: `{"attr": value or [values], ...}` where a value is a string, an integer, a Boolean,
//! `null` (absent), or a typed object: `{"base64": "..."}` or `{"hex": "..."}` (binary),
//! `{"guid": "6f9619ff-8b86-d011-b42d-00c04fc964ff"}` (binary in .NET byte order, like AD
//! `objectGUID`), `{"sid": "S-1-5-21-..."}` (binary SID), `{"dn": "CN=..."}` (reference),
//! `{"date": "2012-01-01T23:00:00Z"}` (date). The optional key `"$imported"` holds an object
//! of the same shape: the values of the last import, for `ImportedValue`.
//!
//! LDIF: `attr: value` lines (strings), `attr:: base64` (binary), folded lines, `#` comments,
//! an optional `version: 1`; `dn:` becomes the reference attribute `dn`. Exactly one entry.

use crate::encoding::{base64_decode, guid_parse, hex_decode, sid_parse};
use crate::env::SourceObject;
use crate::time::DateTime;
use crate::value::Value;

/// An object read from text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectInput {
    pub object: SourceObject,
    /// Values of the last import (`"$imported"` in JSON), if given.
    pub imported: Option<SourceObject>,
}

/// Why an object could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ObjectParseError {
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

fn error(message: impl Into<String>, line: Option<usize>) -> ObjectParseError {
    ObjectParseError {
        message: message.into(),
        line,
    }
}

/// Reads JSON when the text starts with `{`, LDIF otherwise.
pub fn parse_object(text: &str) -> Result<ObjectInput, ObjectParseError> {
    if text.trim_start().starts_with('{') {
        parse_json_object(text)
    } else {
        parse_ldif_entry(text)
    }
}

/// Reads the JSON form.
pub fn parse_json_object(text: &str) -> Result<ObjectInput, ObjectParseError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| error(format!("invalid JSON: {e}"), Some(e.line())))?;
    let serde_json::Value::Object(map) = value else {
        return Err(error("the object must be a JSON object `{...}`", None));
    };
    let mut input = ObjectInput::default();
    for (name, v) in &map {
        if name == "$imported" {
            let serde_json::Value::Object(inner) = v else {
                return Err(error("`$imported` must be a JSON object", None));
            };
            let mut imported = SourceObject::new();
            for (n, v) in inner {
                imported.insert(n.clone(), json_attribute(n, v)?);
            }
            input.imported = Some(imported);
        } else {
            input.object.insert(name.clone(), json_attribute(name, v)?);
        }
    }
    Ok(input)
}

fn json_attribute(name: &str, v: &serde_json::Value) -> Result<Value, ObjectParseError> {
    match v {
        serde_json::Value::Array(items) => {
            let values = items
                .iter()
                .map(|i| {
                    if i.is_array() {
                        Err(error(
                            format!("attribute `{name}`: nested arrays are not values"),
                            None,
                        ))
                    } else {
                        json_value(name, i)
                    }
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::multi(values))
        }
        v => json_value(name, v),
    }
}

fn json_value(name: &str, v: &serde_json::Value) -> Result<Value, ObjectParseError> {
    let bad = |what: &str| error(format!("attribute `{name}`: {what}"), None);
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Num(i),
            None => return Err(bad("only integers are attribute values")),
        },
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Array(_) => return Err(bad("nested arrays are not values")),
        serde_json::Value::Object(o) => {
            let (Some((kind, inner)), 1) = (o.iter().next(), o.len()) else {
                return Err(bad(
                    "a typed value is an object with one key: base64, hex, guid, sid, dn or date",
                ));
            };
            let Some(s) = inner.as_str() else {
                return Err(bad(&format!("the `{kind}` value must be a string")));
            };
            match kind.as_str() {
                "base64" => Value::Bin(base64_decode(s).ok_or_else(|| bad("invalid base64"))?),
                "hex" => Value::Bin(hex_decode(s).ok_or_else(|| bad("invalid hex"))?),
                "guid" => Value::Bin(guid_parse(s).ok_or_else(|| bad("invalid GUID"))?.to_vec()),
                "sid" => Value::Bin(sid_parse(s).ok_or_else(|| bad("invalid SID"))?),
                "dn" => Value::Ref(s.to_string()),
                "date" => Value::Date(DateTime::parse(s).ok_or_else(|| bad("invalid date"))?),
                other => {
                    return Err(bad(&format!(
                        "unknown value type `{other}`; expected base64, hex, guid, sid, dn or date"
                    )))
                }
            }
        }
    })
}

/// Reads a single LDIF entry.
pub fn parse_ldif_entry(text: &str) -> Result<ObjectInput, ObjectParseError> {
    // Unfold continuation lines, remembering where each logical line started.
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(cont) = raw.strip_prefix(' ') {
            match lines.last_mut() {
                Some((_, last)) if !last.is_empty() => last.push_str(cont),
                _ => {
                    return Err(error(
                        "a continuation line with nothing to continue",
                        Some(i + 1),
                    ))
                }
            }
        } else {
            lines.push((i + 1, raw.to_string()));
        }
    }
    let mut values: Vec<(String, Value)> = Vec::new();
    let mut seen_entry = false;
    let mut ended = false;
    for (line_no, line) in &lines {
        let line_no = Some(*line_no);
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if seen_entry {
                ended = true;
            }
            continue;
        }
        let Some((name, rest)) = line.split_once(':') else {
            return Err(error(
                format!("expected `attribute: value`, found \"{line}\""),
                line_no,
            ));
        };
        let name = name.trim();
        if !seen_entry && name.eq_ignore_ascii_case("version") {
            continue;
        }
        if ended {
            return Err(error(
                "more than one entry; give exactly one object",
                line_no,
            ));
        }
        if name.is_empty() {
            return Err(error("empty attribute name", line_no));
        }
        // Attribute options such as `;binary` are dropped.
        let name = name.split(';').next().unwrap_or(name).to_string();
        let value = if let Some(b64) = rest.strip_prefix(':') {
            let bytes = base64_decode(b64.trim())
                .ok_or_else(|| error(format!("attribute `{name}`: invalid base64"), line_no))?;
            if name.eq_ignore_ascii_case("dn") {
                Value::Ref(
                    String::from_utf8(bytes).map_err(|_| error("the DN is not UTF-8", line_no))?,
                )
            } else {
                Value::Bin(bytes)
            }
        } else if rest.starts_with('<') {
            return Err(error(
                format!("attribute `{name}`: URL values (`:<`) are not supported"),
                line_no,
            ));
        } else {
            let v = rest.strip_prefix(' ').unwrap_or(rest).to_string();
            if name.eq_ignore_ascii_case("dn") {
                Value::Ref(v)
            } else {
                Value::Str(v)
            }
        };
        if name.eq_ignore_ascii_case("changetype") {
            return Err(error("LDIF change records are not objects", line_no));
        }
        seen_entry = true;
        let name = if name.eq_ignore_ascii_case("dn") {
            "dn".to_string()
        } else {
            name
        };
        values.push((name, value));
    }
    if !seen_entry {
        return Err(error("the LDIF text holds no entry", None));
    }
    let mut object = SourceObject::new();
    let mut names: Vec<String> = Vec::new();
    for (name, _) in &values {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    for name in names {
        let mut these: Vec<Value> = values
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect();
        let value = if these.len() == 1 {
            these.remove(0)
        } else {
            Value::multi(these)
        };
        object.insert(name, value);
    }
    Ok(ObjectInput {
        object,
        imported: None,
    })
}

/// A value as JSON, in the same typed form [`parse_json_object`] reads: strings, integers and
/// Booleans as themselves, binary as `{"base64": ...}`, references as `{"dn": ...}`, dates as
/// `{"date": ...}`, collections as arrays, null as `null`, and the flow sentinels as
/// `{"special": "AuthoritativeNull"}` / `{"special": "IgnoreThisFlow"}`.
pub fn value_to_json(value: &Value) -> serde_json::Value {
    use serde_json::json;
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Str(s) => json!(s),
        Value::Num(n) => json!(n),
        Value::Bool(b) => json!(b),
        Value::Bin(b) => json!({ "base64": crate::encoding::base64_encode(b) }),
        Value::Ref(dn) => json!({ "dn": dn }),
        Value::Date(d) => json!({ "date": d.to_string() }),
        Value::Multi(values) => {
            serde_json::Value::Array(values.iter().map(value_to_json).collect())
        }
        Value::AuthoritativeNull => json!({ "special": "AuthoritativeNull" }),
        Value::IgnoreThisFlow => json!({ "special": "IgnoreThisFlow" }),
    }
}
