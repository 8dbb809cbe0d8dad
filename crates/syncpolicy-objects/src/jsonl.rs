//! The JSON Lines reader: one JSON object per line (`dn`, `objectClass`, attributes), blank
//! lines skipped; see the crate documentation for the value forms.

use crate::lines::Lines;
use crate::names::Names;
use crate::{safe, DirectoryObject, Limits, ObjectError};
use std::io::BufRead;
use syncpolicy_expr::env::SourceObject;
use syncpolicy_expr::object::{json_attribute_value, text_value, AttributeKind};
use syncpolicy_expr::value::Value;

/// Streams the objects of a JSON Lines file; see [`crate::read_jsonl`].
pub struct JsonlReader<R> {
    lines: Lines<R>,
    limits: Limits,
    names: Names,
    records: usize,
    done: bool,
}

impl<R: BufRead> JsonlReader<R> {
    /// A reader with the given limits.
    pub fn new(input: R, limits: Limits) -> Self {
        let max = limits.max_line_bytes.min(limits.max_entry_bytes);
        JsonlReader {
            lines: Lines::new(input, max.saturating_add(1)),
            limits,
            names: Names::default(),
            records: 0,
            done: false,
        }
    }

    fn object(&mut self, line: usize) -> Result<DirectoryObject, ObjectError> {
        let bad = |message: String| ObjectError {
            line,
            message,
            fatal: false,
        };
        let parsed: serde_json::Value = serde_json::from_slice(&self.lines.buf)
            .map_err(|e| bad(format!("invalid JSON: {}", safe(&e.to_string(), 200))))?;
        let serde_json::Value::Object(map) = parsed else {
            return Err(bad("each line must be one JSON object `{...}`".into()));
        };
        let mut map = map;
        let dn = match map.remove("dn") {
            Some(serde_json::Value::String(dn)) if !dn.trim().is_empty() => dn,
            Some(serde_json::Value::String(_)) => {
                return Err(bad("an object with an empty `dn`".into()))
            }
            Some(_) => return Err(bad("`dn` must be a string".into())),
            None => return Err(bad("an object without a `dn`".into())),
        };
        let named = |message: String| bad(format!("object `{}`: {message}", safe(&dn, 200)));
        if map.len() > self.limits.max_attributes {
            let limit = self.limits.max_attributes;
            return Err(named(format!("more than {limit} attributes (the limit)")));
        }
        let mut object = SourceObject::new();
        object.insert("dn", Value::Ref(dn.clone()));
        // Attribute names seen so far, lower-cased (names are case-insensitive): a set, so that
        // an object with thousands of attributes is checked in linear time.
        let mut seen = std::collections::HashSet::with_capacity(map.len());
        for (key, v) in map {
            if let serde_json::Value::Array(items) = &v {
                if items.len() > self.limits.max_values_per_attribute {
                    let limit = self.limits.max_values_per_attribute;
                    return Err(named(format!(
                        "attribute `{}`: more than {limit} values (the limit)",
                        safe(&key, 60)
                    )));
                }
            }
            let resolved = self.names.resolve(&key);
            let name = resolved.spelling;
            if &*name == "objectClass" {
                let classes = match v {
                    serde_json::Value::String(s) => vec![Value::Str(s)],
                    serde_json::Value::Array(items) => items
                        .into_iter()
                        .map(|i| match i {
                            serde_json::Value::String(s) => Ok(Value::Str(s)),
                            _ => Err(named("`objectClass` values must be strings".into())),
                        })
                        .collect::<Result<_, _>>()?,
                    _ => {
                        return Err(named(
                            "`objectClass` must be a string or an array of strings".into(),
                        ))
                    }
                };
                if !classes.is_empty() {
                    object.insert("objectClass", Value::Multi(classes));
                }
                continue;
            }
            let value = owned_value(&name, resolved.kind, v).map_err(|e| named(safe(&e, 300)))?;
            if !seen.insert(name.to_ascii_lowercase()) {
                return Err(named(format!(
                    "attribute `{}` given twice (names are case-insensitive)",
                    safe(&name, 60)
                )));
            }
            object.insert(&*name, value);
        }
        Ok(DirectoryObject { dn, line, object })
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<DirectoryObject, ObjectError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let long = match self.lines.next_line() {
                Ok(Some(long)) => long,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(ObjectError {
                        line: self.lines.number + 1,
                        message: format!("cannot read the file: {e}"),
                        fatal: true,
                    }));
                }
            };
            let line = self.lines.number;
            let text = self.lines.buf.trim_ascii();
            if text.is_empty() {
                continue;
            }
            let first = text.first() == Some(&b'{');
            self.records += 1;
            if !first && self.records == 1 {
                self.done = true;
                let shown = safe(&String::from_utf8_lossy(text), 60);
                return Some(Err(ObjectError {
                    line,
                    message: format!(
                        "not JSON Lines: each line must be one JSON object, found \"{shown}\""
                    ),
                    fatal: true,
                }));
            }
            if long {
                let limit = self.limits.max_line_bytes.min(self.limits.max_entry_bytes);
                return Some(Err(ObjectError {
                    line,
                    message: format!("a line longer than {limit} bytes (the limit)"),
                    fatal: false,
                }));
            }
            return Some(self.object(line));
        }
    }
}

/// One attribute's JSON value as a typed value, consuming it: strings, integers, Booleans and
/// arrays of them here (no copy of the text), typed values (`{"base64": ...}` etc.) by
/// `expr eval`'s reader; both type by the attribute's kind.
fn owned_value(name: &str, kind: AttributeKind, v: serde_json::Value) -> Result<Value, String> {
    use serde_json::Value as J;
    let scalar = |v: J| -> Result<Value, String> {
        match (v, kind) {
            (J::Null, _) => Ok(Value::Null),
            (J::String(s), AttributeKind::Text) => Ok(Value::Str(s)),
            (J::String(s), AttributeKind::Reference) => Ok(Value::Ref(s)),
            (J::String(_), AttributeKind::Binary) => Err(format!(
                "attribute `{name}` is binary: give it as {{\"base64\": \"...\"}}"
            )),
            (J::String(s), kind) => {
                text_value(kind, &s).map_err(|e| format!("attribute `{name}`: {e}"))
            }
            (J::Number(_), AttributeKind::Boolean) => Err(format!(
                "attribute `{name}`: a Boolean is needed, found an integer"
            )),
            (J::Number(n), _) => n
                .as_i64()
                .map(Value::Num)
                .ok_or_else(|| format!("attribute `{name}`: only integers are attribute values")),
            (J::Bool(_), AttributeKind::Integer) => Err(format!(
                "attribute `{name}`: an integer is needed, found a Boolean"
            )),
            (J::Bool(b), _) => Ok(Value::Bool(b)),
            (J::Array(_), _) => Err(format!("attribute `{name}`: nested arrays are not values")),
            (typed @ J::Object(_), _) => json_attribute_value(name, &typed),
        }
    };
    match v {
        J::Array(items) => Ok(Value::multi(
            items
                .into_iter()
                .map(scalar)
                .collect::<Result<Vec<_>, _>>()?,
        )),
        v => scalar(v),
    }
}
