//! Runtime values: the attribute types of the connector space and metaverse (string, integer,
//! Boolean, binary, reference, plus the in-flight date type), multi-valued collections, null and
//! the two flow sentinels.

use crate::encoding::base64_encode;
use crate::time::DateTime;
use std::fmt;
use syncpolicy_model::words;

/// Largest text a function or operator may produce: one string, reference or binary value of at
/// most 1 MiB (1,048,576 bytes; bytes of UTF-8 for text). Attribute values of the sync engine are
/// far smaller (strings up to 4,000 characters in the metaverse), so only a runaway expression
/// reaches it. Checked before the text is built.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Most values a function or operator may produce in one collection: 65,536 (a group synchronised
/// to Entra ID holds at most 50,000 members).
pub const MAX_VALUES: usize = 1 << 16;

/// Most text (strings, references and binary, summed over all values) one collection a function
/// or operator produces may hold: 16 MiB.
pub const MAX_TOTAL_BYTES: usize = 1 << 24;

/// A value produced or consumed by an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value: an absent attribute, `NULL`, or a function result of "nothing".
    Null,
    Str(String),
    Num(i64),
    Bool(bool),
    Bin(Vec<u8>),
    /// A reference (distinguished name).
    Ref(String),
    /// A UTC date and time (exists only between functions; not storable).
    Date(DateTime),
    /// The values of a multi-valued attribute or function result. Never nested, never empty
    /// when produced by the evaluator (an empty collection is [`Value::Null`]).
    Multi(Vec<Value>),
    /// `AuthoritativeNull`: empty, and lower-precedence rules may not contribute.
    AuthoritativeNull,
    /// `IgnoreThisFlow`: as if the flow did not exist.
    IgnoreThisFlow,
}

/// The type of a value, as printed by `expr eval` and used in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    Null,
    Str,
    Num,
    Bool,
    Bin,
    Ref,
    Date,
    Multi,
    AuthoritativeNull,
    IgnoreThisFlow,
}

impl ValueType {
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Null => "null",
            ValueType::Str => "string",
            ValueType::Num => "integer",
            ValueType::Bool => "boolean",
            ValueType::Bin => "binary",
            ValueType::Ref => "reference",
            ValueType::Date => "date",
            ValueType::Multi => "multi-valued",
            ValueType::AuthoritativeNull => "AuthoritativeNull",
            ValueType::IgnoreThisFlow => "IgnoreThisFlow",
        }
    }
}

impl Value {
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::Null => ValueType::Null,
            Value::Str(_) => ValueType::Str,
            Value::Num(_) => ValueType::Num,
            Value::Bool(_) => ValueType::Bool,
            Value::Bin(_) => ValueType::Bin,
            Value::Ref(_) => ValueType::Ref,
            Value::Date(_) => ValueType::Date,
            Value::Multi(_) => ValueType::Multi,
            Value::AuthoritativeNull => ValueType::AuthoritativeNull,
            Value::IgnoreThisFlow => ValueType::IgnoreThisFlow,
        }
    }

    /// A human-readable type: `string`, `multi-valued string (3 values)`, ...
    pub fn type_description(&self) -> String {
        match self {
            Value::Multi(values) => {
                let mut element: Option<ValueType> = None;
                let mut mixed = false;
                for v in values {
                    match element {
                        None => element = Some(v.value_type()),
                        Some(t) if t != v.value_type() => mixed = true,
                        Some(_) => {}
                    }
                }
                let inner = match (element, mixed) {
                    (Some(t), false) => t.name(),
                    _ => "mixed",
                };
                let n = values.len();
                format!(
                    "multi-valued {inner} ({})",
                    words::count(n, "value", "values")
                )
            }
            other => other.value_type().name().to_string(),
        }
    }

    /// A collection from values: nested collections are flattened, nulls dropped, and an empty
    /// result is `Null`.
    pub fn multi(values: Vec<Value>) -> Value {
        let mut out = Vec::with_capacity(values.len());
        for v in values {
            match v {
                Value::Null => {}
                Value::Multi(inner) => out.extend(inner.into_iter().filter(|v| !v.is_null())),
                v => out.push(v),
            }
        }
        if out.is_empty() {
            Value::Null
        } else {
            Value::Multi(out)
        }
    }

    /// Bytes of text or binary data the value holds (summed over a collection's values).
    pub fn size(&self) -> usize {
        match self {
            Value::Str(s) | Value::Ref(s) => s.len(),
            Value::Bin(b) => b.len(),
            Value::Multi(values) => values.iter().map(Value::size).sum(),
            _ => 0,
        }
    }

    /// `Null` and the two sentinels.
    pub fn is_null(&self) -> bool {
        matches!(
            self,
            Value::Null | Value::AuthoritativeNull | Value::IgnoreThisFlow
        )
    }

    /// The values as a slice: one for a scalar, none for null.
    pub fn values(&self) -> &[Value] {
        match self {
            Value::Multi(values) => values,
            v if v.is_null() => &[],
            v => std::slice::from_ref(v),
        }
    }
}

impl fmt::Display for Value {
    /// The plain text of a value: strings as they are, binary as base64, dates as ISO 8601,
    /// collections one value per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Str(s) | Value::Ref(s) => f.write_str(s),
            Value::Num(n) => write!(f, "{n}"),
            Value::Bool(true) => f.write_str("True"),
            Value::Bool(false) => f.write_str("False"),
            Value::Bin(bytes) => f.write_str(&base64_encode(bytes)),
            Value::Date(d) => write!(f, "{d}"),
            Value::Multi(values) => {
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{v}")?;
                }
                Ok(())
            }
            Value::AuthoritativeNull => f.write_str("AuthoritativeNull"),
            Value::IgnoreThisFlow => f.write_str("IgnoreThisFlow"),
        }
    }
}
