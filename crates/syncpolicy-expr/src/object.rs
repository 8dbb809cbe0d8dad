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
//! LDIF: `attr: value` lines, `attr:: base64` values, folded lines, `#` comments, an optional
//! `version: 1` and `changetype: add` (as `ldifde -f` writes on every entry); `dn:` becomes the
//! reference attribute `dn`. Exactly one entry.
//!
//! Both forms type values by the attribute's kind ([`attribute_kind`], one list shared with the
//! directory-object readers of `syncpolicy-objects`): binary attributes (`objectGUID`,
//! `objectSid`, `mS-DS-ConsistencyGuid`, `userCertificate`, ...) stay bytes; a base64 value of
//! any other attribute that is valid UTF-8 is text, and one that is not stays bytes; integer
//! attributes (`userAccountControl`, `msExchRecipientTypeDetails`, ...) and Boolean attributes
//! (`isCriticalSystemObject`, ...) written as text become integers and Booleans; DN-valued
//! attributes (`member`, `manager`, ...) become references.

use crate::encoding::{base64_decode, guid_parse, hex_decode, sid_parse};
use crate::env::SourceObject;
use crate::time::DateTime;
use crate::value::Value;

/// How a directory attribute's values are typed when read from text (LDIF or JSON Lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributeKind {
    /// A string (the default for attributes not in the lists below).
    Text,
    /// Octets: never decoded as text, even when valid UTF-8.
    Binary,
    /// An integer (AD syntaxes Integer and LargeInteger).
    Integer,
    /// A Boolean, written `TRUE` / `FALSE` in LDIF.
    Boolean,
    /// A distinguished name (AD syntax DN).
    Reference,
}

/// The attributes whose kind is not [`AttributeKind::Text`], with their schema spelling (AD's
/// `lDAPDisplayName`). Names are matched case-insensitively, as LDAP does.
///
/// Binary: the AD attributes of syntax OctetString / SID that Entra Connect reads or that exports
/// commonly carry. Integer: syntax Integer / LargeInteger. Boolean: syntax Boolean. Reference:
/// syntax DN (`member`, `manager`, ...; `dn` itself is always a reference).
pub const ATTRIBUTE_KINDS: &[(&str, AttributeKind)] = &[
    // Binary (OctetString, SID).
    ("objectGUID", AttributeKind::Binary),
    ("objectSid", AttributeKind::Binary),
    ("mS-DS-ConsistencyGuid", AttributeKind::Binary),
    ("sIDHistory", AttributeKind::Binary),
    ("userCertificate", AttributeKind::Binary),
    ("userSMIMECertificate", AttributeKind::Binary),
    ("thumbnailPhoto", AttributeKind::Binary),
    ("jpegPhoto", AttributeKind::Binary),
    ("msExchMailboxGuid", AttributeKind::Binary),
    ("msExchArchiveGUID", AttributeKind::Binary),
    ("msExchDisabledArchiveGUID", AttributeKind::Binary),
    ("msExchMasterAccountSid", AttributeKind::Binary),
    ("msExchMailboxSecurityDescriptor", AttributeKind::Binary),
    ("msExchSafeSendersHash", AttributeKind::Binary),
    ("msExchSafeRecipientsHash", AttributeKind::Binary),
    ("msExchBlockedSendersHash", AttributeKind::Binary),
    ("msExchUMSpokenName", AttributeKind::Binary),
    ("msRTCSIP-OriginatorSid", AttributeKind::Binary),
    (
        "msDS-AllowedToActOnBehalfOfOtherIdentity",
        AttributeKind::Binary,
    ),
    ("nTSecurityDescriptor", AttributeKind::Binary),
    ("logonHours", AttributeKind::Binary),
    ("securityIdentifier", AttributeKind::Binary),
    ("tokenGroups", AttributeKind::Binary),
    ("replPropertyMetaData", AttributeKind::Binary),
    ("dSASignature", AttributeKind::Binary),
    ("msDS-GenerationId", AttributeKind::Binary),
    ("msDS-RevealedUsers", AttributeKind::Binary),
    ("objectGUIDMV", AttributeKind::Binary),
    ("sourceAnchorBinary", AttributeKind::Binary),
    // Integer, LargeInteger.
    ("userAccountControl", AttributeKind::Integer),
    ("msDS-User-Account-Control-Computed", AttributeKind::Integer),
    ("msExchRecipientTypeDetails", AttributeKind::Integer),
    ("msExchRecipientDisplayType", AttributeKind::Integer),
    ("msExchRemoteRecipientType", AttributeKind::Integer),
    ("msExchUserAccountControl", AttributeKind::Integer),
    ("msExchRecipientSoftDeletedStatus", AttributeKind::Integer),
    ("msExchModerationFlags", AttributeKind::Integer),
    ("msExchGroupJoinRestriction", AttributeKind::Integer),
    ("msExchGroupDepartRestriction", AttributeKind::Integer),
    ("msExchArchiveStatus", AttributeKind::Integer),
    ("msExchELCMailboxFlags", AttributeKind::Integer),
    ("msExchProvisioningFlags", AttributeKind::Integer),
    (
        "msExchTransportRecipientSettingsFlags",
        AttributeKind::Integer,
    ),
    ("msExchAddressBookFlags", AttributeKind::Integer),
    ("msExchVersion", AttributeKind::Integer),
    ("groupType", AttributeKind::Integer),
    ("sAMAccountType", AttributeKind::Integer),
    ("primaryGroupID", AttributeKind::Integer),
    ("instanceType", AttributeKind::Integer),
    ("systemFlags", AttributeKind::Integer),
    ("pwdLastSet", AttributeKind::Integer),
    ("accountExpires", AttributeKind::Integer),
    ("lastLogon", AttributeKind::Integer),
    ("lastLogonTimestamp", AttributeKind::Integer),
    ("badPwdCount", AttributeKind::Integer),
    ("logonCount", AttributeKind::Integer),
    ("countryCode", AttributeKind::Integer),
    ("msDS-SupportedEncryptionTypes", AttributeKind::Integer),
    ("uSNChanged", AttributeKind::Integer),
    ("uSNCreated", AttributeKind::Integer),
    // Boolean.
    ("isCriticalSystemObject", AttributeKind::Boolean),
    ("isDeleted", AttributeKind::Boolean),
    ("isRecycled", AttributeKind::Boolean),
    ("showInAdvancedViewOnly", AttributeKind::Boolean),
    ("msExchHideFromAddressLists", AttributeKind::Boolean),
    ("msExchRequireAuthToSendTo", AttributeKind::Boolean),
    ("msExchEnableModeration", AttributeKind::Boolean),
    ("msExchBypassAudit", AttributeKind::Boolean),
    ("msNPAllowDialin", AttributeKind::Boolean),
    ("msRTCSIP-UserEnabled", AttributeKind::Boolean),
    ("msDS-isRODC", AttributeKind::Boolean),
    // Reference (DN).
    ("distinguishedName", AttributeKind::Reference),
    ("member", AttributeKind::Reference),
    ("memberOf", AttributeKind::Reference),
    ("manager", AttributeKind::Reference),
    ("directReports", AttributeKind::Reference),
    ("managedBy", AttributeKind::Reference),
    ("managedObjects", AttributeKind::Reference),
    ("secretary", AttributeKind::Reference),
    ("assistant", AttributeKind::Reference),
    ("seeAlso", AttributeKind::Reference),
    ("objectCategory", AttributeKind::Reference),
    ("altRecipient", AttributeKind::Reference),
    ("authOrig", AttributeKind::Reference),
    ("unauthOrig", AttributeKind::Reference),
    ("dLMemSubmitPerms", AttributeKind::Reference),
    ("dLMemRejectPerms", AttributeKind::Reference),
    ("publicDelegates", AttributeKind::Reference),
    ("publicDelegatesBL", AttributeKind::Reference),
    ("showInAddressBook", AttributeKind::Reference),
    ("homeMDB", AttributeKind::Reference),
    ("homeMTA", AttributeKind::Reference),
    ("msExchCoManagedByLink", AttributeKind::Reference),
    ("msExchModeratedByLink", AttributeKind::Reference),
    ("msExchBypassModerationLink", AttributeKind::Reference),
    (
        "msExchBypassModerationFromDLMembersLink",
        AttributeKind::Reference,
    ),
    ("msExchArchiveDatabaseLink", AttributeKind::Reference),
    ("msExchDelegateListLink", AttributeKind::Reference),
    ("msExchDelegateListBL", AttributeKind::Reference),
    ("msDS-HostServiceAccount", AttributeKind::Reference),
];

/// The kind of attribute `name` and its schema spelling (`None` for attributes not in
/// [`ATTRIBUTE_KINDS`], which are text). `dn` is a reference spelled `dn`; `objectClass` is
/// text spelled `objectClass`.
pub fn attribute_kind(name: &str) -> (AttributeKind, Option<&'static str>) {
    if name.eq_ignore_ascii_case("dn") {
        return (AttributeKind::Reference, Some("dn"));
    }
    if name.eq_ignore_ascii_case("objectClass") {
        return (AttributeKind::Text, Some("objectClass"));
    }
    // A table by lowercase name, built once; the name is lowercased on the stack.
    static TABLE: std::sync::OnceLock<
        std::collections::HashMap<Vec<u8>, (AttributeKind, &'static str)>,
    > = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        ATTRIBUTE_KINDS
            .iter()
            .map(|(n, k)| (n.to_ascii_lowercase().into_bytes(), (*k, *n)))
            .collect()
    });
    let mut buf = [0u8; 64];
    let Some(lower) = buf.get_mut(..name.len()) else {
        return (AttributeKind::Text, None);
    };
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    table
        .get(&*lower)
        .map_or((AttributeKind::Text, None), |(k, n)| (*k, Some(*n)))
}

/// A value written as text (an LDIF `attr: value` line, or a decoded base64 value that is valid
/// UTF-8), typed by `kind`. An integer or Boolean attribute whose text is not one is an error
/// (the message names the value's problem, not the attribute).
pub fn text_value(kind: AttributeKind, text: &str) -> Result<Value, String> {
    Ok(match kind {
        AttributeKind::Text => Value::Str(text.to_string()),
        AttributeKind::Binary => Value::Bin(text.as_bytes().to_vec()),
        AttributeKind::Reference => Value::Ref(text.to_string()),
        AttributeKind::Integer => match text.trim().parse::<i64>() {
            Ok(n) => Value::Num(n),
            Err(_) => return Err(format!("an integer is needed, found \"{}\"", shorten(text))),
        },
        AttributeKind::Boolean => {
            let t = text.trim();
            if t.eq_ignore_ascii_case("TRUE") {
                Value::Bool(true)
            } else if t.eq_ignore_ascii_case("FALSE") {
                Value::Bool(false)
            } else {
                return Err(format!(
                    "TRUE or FALSE is needed, found \"{}\"",
                    shorten(text)
                ));
            }
        }
    })
}

/// A value written as base64 (LDIF `attr:: value`), already decoded: bytes for binary
/// attributes and for bytes that are not UTF-8, otherwise the text typed by `kind`.
pub fn bytes_value(kind: AttributeKind, bytes: Vec<u8>) -> Result<Value, String> {
    if kind == AttributeKind::Binary {
        return Ok(Value::Bin(bytes));
    }
    match String::from_utf8(bytes) {
        Ok(text) => match kind {
            AttributeKind::Text => Ok(Value::Str(text)),
            AttributeKind::Reference => Ok(Value::Ref(text)),
            kind => text_value(kind, &text),
        },
        Err(e) => Ok(Value::Bin(e.into_bytes())),
    }
}

/// A value given in JSON (see the module documentation: strings, integers, Booleans, `null`,
/// and typed objects `{"base64": ...}` etc.), then typed by the attribute's kind: a string of an
/// integer, Boolean or reference attribute is read as one; a binary attribute must be given as a
/// typed binary value (`{"base64": ...}`, `{"hex": ...}`, `{"guid": ...}`, `{"sid": ...}`).
/// Arrays are multi-valued. The error names the attribute.
pub fn json_attribute_value(name: &str, v: &serde_json::Value) -> Result<Value, String> {
    let value = json_attribute(name, v).map_err(|e| e.message)?;
    let (kind, _) = attribute_kind(name);
    kind_of_json(name, kind, value)
}

fn kind_of_json(name: &str, kind: AttributeKind, value: Value) -> Result<Value, String> {
    match value {
        Value::Multi(values) => Ok(Value::multi(
            values
                .into_iter()
                .map(|v| kind_of_json(name, kind, v))
                .collect::<Result<Vec<_>, _>>()?,
        )),
        Value::Str(s) => match kind {
            AttributeKind::Text => Ok(Value::Str(s)),
            AttributeKind::Binary => Err(format!(
                "attribute `{name}` is binary: give it as {{\"base64\": \"...\"}}"
            )),
            kind => text_value(kind, &s).map_err(|e| format!("attribute `{name}`: {e}")),
        },
        Value::Num(_) if kind == AttributeKind::Boolean => Err(format!(
            "attribute `{name}`: a Boolean is needed, found an integer"
        )),
        Value::Bool(_) if kind == AttributeKind::Integer => Err(format!(
            "attribute `{name}`: an integer is needed, found a Boolean"
        )),
        other => Ok(other),
    }
}

/// At most 40 characters of `text` for a message, control characters escaped.
fn shorten(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(40)
        .flat_map(char::escape_default)
        .collect();
    if text.chars().count() > 40 {
        out.push_str("...");
    }
    out
}

/// Decodes standard base64 (whitespace ignored, padding optional, URL-safe letters accepted);
/// `None` when invalid.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    base64_decode(text)
}

/// Encodes bytes as standard padded base64.
pub fn encode_base64(bytes: &[u8]) -> String {
    crate::encoding::base64_encode(bytes)
}

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
        // Attribute options are dropped; `;binary` makes the value binary.
        let mut parts = name.split(';');
        let base = parts.next().unwrap_or(name);
        let binary_option = parts.any(|o| o.eq_ignore_ascii_case("binary"));
        let (mut kind, canonical) = attribute_kind(base);
        if binary_option {
            kind = AttributeKind::Binary;
        }
        let name = canonical.map_or_else(|| base.to_string(), str::to_string);
        let value = if let Some(b64) = rest.strip_prefix(':') {
            let bytes = base64_decode(b64.trim())
                .ok_or_else(|| error(format!("attribute `{name}`: invalid base64"), line_no))?;
            if name == "dn" {
                Value::Ref(
                    String::from_utf8(bytes).map_err(|_| error("the DN is not UTF-8", line_no))?,
                )
            } else {
                bytes_value(kind, bytes)
                    .map_err(|e| error(format!("attribute `{name}`: {e}"), line_no))?
            }
        } else if rest.starts_with('<') {
            return Err(error(
                format!("attribute `{name}`: URL values (`:<`) are not supported"),
                line_no,
            ));
        } else {
            let v = rest.strip_prefix(' ').unwrap_or(rest);
            text_value(kind, v).map_err(|e| error(format!("attribute `{name}`: {e}"), line_no))?
        };
        if name.eq_ignore_ascii_case("changetype") {
            // `ldifde -f` writes `changetype: add` on every entry: the entry is the object.
            if seen_entry && matches!(&value, Value::Str(v) if v.trim().eq_ignore_ascii_case("add"))
            {
                continue;
            }
            return Err(error(
                "LDIF change records other than `changetype: add` are not objects",
                line_no,
            ));
        }
        seen_entry = true;
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
