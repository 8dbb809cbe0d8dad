//! Writers of directory objects: LDIF as `ldifde -f` writes it (`dn:`, `changetype: add`, one
//! line per value, base64 `::` for binary values and for text that is not a safe string) and
//! JSON Lines in the form the reader takes. Both read back to the same object.

use std::io::{self, Write};
use syncpolicy_expr::object::encode_base64;
use syncpolicy_expr::value::Value;

/// The two object file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectFormat {
    Ldif,
    Jsonl,
}

/// Whether RFC 2849 lets `s` be written as `attr: s` (a SAFE-STRING that does not end in a
/// space).
fn ldif_safe(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        None => true,
        Some(b' ' | b':' | b'<') => false,
        Some(_) => {
            b.last() != Some(&b' ')
                && b.iter()
                    .all(|c| !matches!(c, 0 | b'\n' | b'\r') && *c < 0x80)
        }
    }
}

fn ldif_line<W: Write>(out: &mut W, name: &str, value: &Value) -> io::Result<()> {
    match value {
        Value::Null | Value::AuthoritativeNull | Value::IgnoreThisFlow => Ok(()),
        Value::Str(s) | Value::Ref(s) => {
            if ldif_safe(s) {
                writeln!(out, "{name}: {s}")
            } else {
                writeln!(out, "{name}:: {}", encode_base64(s.as_bytes()))
            }
        }
        Value::Num(n) => writeln!(out, "{name}: {n}"),
        Value::Bool(b) => writeln!(out, "{name}: {}", if *b { "TRUE" } else { "FALSE" }),
        Value::Bin(bytes) => writeln!(out, "{name}:: {}", encode_base64(bytes)),
        Value::Date(d) => writeln!(out, "{name}: {d}"),
        Value::Multi(values) => values.iter().try_for_each(|v| ldif_line(out, name, v)),
    }
}

/// Writes one LDIF entry (followed by the blank line that ends it). `dn` attributes in
/// `attributes` are skipped: the DN is written once, first.
pub fn write_ldif<W: Write>(out: &mut W, dn: &str, attributes: &[(&str, Value)]) -> io::Result<()> {
    if ldif_safe(dn) {
        writeln!(out, "dn: {dn}")?;
    } else {
        writeln!(out, "dn:: {}", encode_base64(dn.as_bytes()))?;
    }
    out.write_all(b"changetype: add\n")?;
    for (name, value) in attributes {
        if !name.eq_ignore_ascii_case("dn") {
            ldif_line(out, name, value)?;
        }
    }
    out.write_all(b"\n")
}

fn json_string<W: Write>(out: &mut W, s: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *out, s).map_err(io::Error::other)
}

fn json_value<W: Write>(out: &mut W, value: &Value) -> io::Result<()> {
    match value {
        Value::Null | Value::AuthoritativeNull | Value::IgnoreThisFlow => out.write_all(b"null"),
        Value::Str(s) | Value::Ref(s) => json_string(out, s),
        Value::Num(n) => write!(out, "{n}"),
        Value::Bool(b) => write!(out, "{b}"),
        Value::Bin(bytes) => write!(out, "{{\"base64\":\"{}\"}}", encode_base64(bytes)),
        Value::Date(d) => {
            out.write_all(b"{\"date\":")?;
            json_string(out, &d.to_string())?;
            out.write_all(b"}")
        }
        Value::Multi(values) => {
            out.write_all(b"[")?;
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                json_value(out, v)?;
            }
            out.write_all(b"]")
        }
    }
}

/// Writes one JSON Lines object (one line). `dn` attributes in `attributes` are skipped.
pub fn write_jsonl<W: Write>(
    out: &mut W,
    dn: &str,
    attributes: &[(&str, Value)],
) -> io::Result<()> {
    out.write_all(b"{\"dn\":")?;
    json_string(out, dn)?;
    for (name, value) in attributes {
        if name.eq_ignore_ascii_case("dn") || value.is_null() {
            continue;
        }
        out.write_all(b",")?;
        json_string(out, name)?;
        out.write_all(b":")?;
        json_value(out, value)?;
    }
    out.write_all(b"}\n")
}

/// Writes one object in `format`.
pub fn write_object<W: Write>(
    out: &mut W,
    format: ObjectFormat,
    dn: &str,
    attributes: &[(&str, Value)],
) -> io::Result<()> {
    match format {
        ObjectFormat::Ldif => write_ldif(out, dn, attributes),
        ObjectFormat::Jsonl => write_jsonl(out, dn, attributes),
    }
}
