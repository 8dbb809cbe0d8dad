//! A small, strict DER reader for X.509 certificates: just enough to answer the `Cert*`
//! functions (names, OIDs, validity, serial number, alternative names, extensions).

use crate::time::{Civil, DateTime};

/// One DER element.
#[derive(Clone, Copy)]
struct Tlv<'a> {
    tag: u8,
    content: &'a [u8],
    whole: &'a [u8],
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn read(&mut self) -> Option<Tlv<'a>> {
        let start = self.pos;
        let tag = *self.data.get(self.pos)?;
        if tag & 0x1F == 0x1F {
            return None; // high tag numbers are not used in certificates
        }
        let first = *self.data.get(self.pos + 1)?;
        let mut header = 2;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7F);
            if n == 0 || n > 4 {
                return None;
            }
            let mut len = 0usize;
            for i in 0..n {
                len = (len << 8) | usize::from(*self.data.get(self.pos + 2 + i)?);
            }
            header += n;
            len
        };
        let end = start.checked_add(header)?.checked_add(len)?;
        if end > self.data.len() {
            return None;
        }
        self.pos = end;
        Some(Tlv {
            tag,
            content: &self.data[start + header..end],
            whole: &self.data[start..end],
        })
    }

    fn expect(&mut self, tag: u8) -> Option<Tlv<'a>> {
        let t = self.read()?;
        (t.tag == tag).then_some(t)
    }
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
const INTEGER: u8 = 0x02;

fn oid_string(content: &[u8]) -> Option<String> {
    let (&first, rest) = content.split_first()?;
    let mut parts = vec![u64::from(first / 40).min(2), 0];
    parts[1] = u64::from(first) - parts[0] * 40;
    let mut acc = 0u64;
    for &b in rest {
        acc = acc.checked_mul(128)? | u64::from(b & 0x7F);
        if b & 0x80 == 0 {
            parts.push(acc);
            acc = 0;
        }
    }
    if rest.last().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    Some(
        parts
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("."),
    )
}

fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "SERIALNUMBER",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "S",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "T",
        "2.5.4.42" => "G",
        "1.2.840.113549.1.9.1" => "E",
        "0.9.2342.19200300.100.1.25" => "DC",
        _ => return None,
    })
}

fn string_value(t: &Tlv<'_>) -> String {
    match t.tag {
        // BMPString: UTF-16 big-endian.
        0x1E => {
            let units: Vec<u16> = t
                .content
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => String::from_utf8_lossy(t.content).into_owned(),
    }
}

/// (attribute OID, value) of every attribute, most general RDN first (as encoded).
fn name_attributes(name: &[u8]) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rdns = Reader::new(name);
    while !rdns.at_end() {
        let set = rdns.expect(SET)?;
        let mut atvs = Reader::new(set.content);
        while !atvs.at_end() {
            let atv = atvs.expect(SEQUENCE)?;
            let mut r = Reader::new(atv.content);
            let oid = oid_string(r.expect(OID)?.content)?;
            let value = r.read()?;
            out.push((oid, string_value(&value)));
        }
    }
    Some(out)
}

fn format_dn(attributes: &[(String, String)]) -> String {
    attributes
        .iter()
        .rev()
        .map(|(oid, value)| {
            let name = short_name(oid).map_or_else(|| format!("OID.{oid}"), str::to_string);
            let needs_quotes = value.contains([',', '+', '=', '"', '\n', '<', '>', '#', ';'])
                || value.starts_with(' ')
                || value.ends_with(' ');
            if needs_quotes {
                format!("{name}=\"{}\"", value.replace('"', "\"\""))
            } else {
                format!("{name}={value}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_time(t: &Tlv<'_>) -> Option<DateTime> {
    let s = std::str::from_utf8(t.content).ok()?;
    let s = s.strip_suffix('Z')?;
    let (year, rest) = match t.tag {
        0x17 => {
            let yy: i64 = s.get(0..2)?.parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, s.get(2..)?)
        }
        0x18 => (s.get(0..4)?.parse().ok()?, s.get(4..)?),
        _ => return None,
    };
    let n = |r: std::ops::Range<usize>| rest.get(r).and_then(|x| x.parse::<u32>().ok());
    DateTime::from_civil(Civil {
        year,
        month: n(0..2)?,
        day: n(2..4)?,
        hour: n(4..6)?,
        minute: n(6..8)?,
        second: n(8..10).unwrap_or(0),
        fraction: 0,
    })
}

/// A parsed certificate.
pub(crate) struct Certificate {
    der: Vec<u8>,
    version: i64,
    serial: Vec<u8>,
    signature_oid: String,
    issuer: Vec<(String, String)>,
    subject: Vec<(String, String)>,
    not_before: DateTime,
    not_after: DateTime,
    key_oid: String,
    key_params: Vec<u8>,
    key_params_oid: String,
    /// (OID, critical, value).
    extensions: Vec<(String, bool, Vec<u8>)>,
}

impl Certificate {
    pub(crate) fn parse(der: &[u8]) -> Option<Certificate> {
        let mut outer = Reader::new(der);
        let cert = outer.expect(SEQUENCE)?;
        if !outer.at_end() {
            return None;
        }
        let mut c = Reader::new(cert.content);
        let tbs = c.expect(SEQUENCE)?;
        let sig_alg = c.expect(SEQUENCE)?;
        c.expect(0x03)?; // signature BIT STRING
        let signature_oid = oid_string(Reader::new(sig_alg.content).expect(OID)?.content)?;

        let mut t = Reader::new(tbs.content);
        let mut version = 1;
        if t.peek_tag() == Some(0xA0) {
            let v = t.read()?;
            let int = Reader::new(v.content).expect(INTEGER)?;
            version = i64::from(*int.content.last()?) + 1;
        }
        let serial = t.expect(INTEGER)?.content.to_vec();
        t.expect(SEQUENCE)?; // signature algorithm (repeated)
        let issuer = name_attributes(t.expect(SEQUENCE)?.content)?;
        let validity = t.expect(SEQUENCE)?;
        let mut v = Reader::new(validity.content);
        let not_before = parse_time(&v.read()?)?;
        let not_after = parse_time(&v.read()?)?;
        let subject = name_attributes(t.expect(SEQUENCE)?.content)?;
        let spki = t.expect(SEQUENCE)?;
        let mut s = Reader::new(spki.content);
        let alg = s.expect(SEQUENCE)?;
        s.expect(0x03)?;
        let mut a = Reader::new(alg.content);
        let key_oid = oid_string(a.expect(OID)?.content)?;
        let params = if a.at_end() { None } else { a.read() };
        let key_params = params.map(|p| p.whole.to_vec()).unwrap_or_default();
        let key_params_oid = params
            .filter(|p| p.tag == OID)
            .and_then(|p| oid_string(p.content))
            .unwrap_or_default();

        let mut extensions = Vec::new();
        while !t.at_end() {
            let field = t.read()?;
            if field.tag != 0xA3 {
                continue; // issuer/subject unique IDs
            }
            let list = Reader::new(field.content).expect(SEQUENCE)?;
            let mut exts = Reader::new(list.content);
            while !exts.at_end() {
                let ext = exts.expect(SEQUENCE)?;
                let mut e = Reader::new(ext.content);
                let oid = oid_string(e.expect(OID)?.content)?;
                let mut critical = false;
                if e.peek_tag() == Some(0x01) {
                    critical = e.read()?.content.first().is_some_and(|&b| b != 0);
                }
                let value = e.expect(0x04)?.content.to_vec();
                extensions.push((oid, critical, value));
            }
        }
        Some(Certificate {
            der: der.to_vec(),
            version,
            serial,
            signature_oid,
            issuer,
            subject,
            not_before,
            not_after,
            key_oid,
            key_params,
            key_params_oid,
            extensions,
        })
    }

    pub(crate) fn der(&self) -> &[u8] {
        &self.der
    }
    pub(crate) fn version(&self) -> i64 {
        self.version
    }
    pub(crate) fn serial(&self) -> &[u8] {
        &self.serial
    }
    pub(crate) fn signature_oid(&self) -> String {
        self.signature_oid.clone()
    }
    pub(crate) fn issuer_dn(&self) -> String {
        format_dn(&self.issuer)
    }
    pub(crate) fn subject_dn(&self) -> String {
        format_dn(&self.subject)
    }
    /// OID of the attribute type of the most specific RDN (e.g. `2.5.4.3` for a CN).
    pub(crate) fn issuer_oid(&self) -> String {
        self.issuer
            .last()
            .map(|(o, _)| o.clone())
            .unwrap_or_default()
    }
    pub(crate) fn subject_oid(&self) -> String {
        self.subject
            .last()
            .map(|(o, _)| o.clone())
            .unwrap_or_default()
    }
    pub(crate) fn not_before(&self) -> DateTime {
        self.not_before
    }
    pub(crate) fn not_after(&self) -> DateTime {
        self.not_after
    }
    pub(crate) fn public_key_oid(&self) -> String {
        self.key_oid.clone()
    }
    pub(crate) fn public_key_params(&self) -> &[u8] {
        &self.key_params
    }
    pub(crate) fn public_key_params_oid(&self) -> String {
        self.key_params_oid.clone()
    }
    pub(crate) fn critical_extension_oids(&self) -> Vec<String> {
        self.extensions
            .iter()
            .filter(|(_, critical, _)| *critical)
            .map(|(o, _, _)| o.clone())
            .collect()
    }

    /// Entries of the subject (or issuer) alternative name: (context tag, value).
    fn alternative_names(&self, issuer: bool) -> Vec<(u8, String)> {
        let oid = if issuer { "2.5.29.18" } else { "2.5.29.17" };
        let Some((_, _, value)) = self.extensions.iter().find(|(o, _, _)| o == oid) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let Some(seq) = Reader::new(value).expect(SEQUENCE) else {
            return out;
        };
        let mut r = Reader::new(seq.content);
        while let Some(name) = r.read() {
            match name.tag {
                0x81 | 0x82 | 0x86 => out.push((name.tag & 0x1F, string_value(&name))),
                0xA0 => {
                    let mut o = Reader::new(name.content);
                    let is_upn = o
                        .expect(OID)
                        .and_then(|t| oid_string(t.content))
                        .is_some_and(|s| s == "1.3.6.1.4.1.311.20.2.3");
                    if is_upn {
                        if let Some(value) = o.read().and_then(|v| Reader::new(v.content).read()) {
                            out.push((0, string_value(&value)));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// `CertNameInfo`: `None` for an unknown name type.
    pub(crate) fn name_info(&self, kind: &str, issuer: bool) -> Option<String> {
        let name = if issuer { &self.issuer } else { &self.subject };
        let attr = |oid: &str| {
            name.iter()
                .rev()
                .find(|(o, _)| o == oid)
                .map(|(_, v)| v.clone())
        };
        let alt = |tag: u8| {
            self.alternative_names(issuer)
                .into_iter()
                .find(|(t, _)| *t == tag)
                .map(|(_, v)| v)
        };
        let k = kind.to_ascii_lowercase();
        Some(match k.as_str() {
            "simplename" => attr("2.5.4.3")
                .or_else(|| name.last().map(|(_, v)| v.clone()))
                .unwrap_or_default(),
            "emailname" => attr("1.2.840.113549.1.9.1")
                .or_else(|| alt(1))
                .unwrap_or_default(),
            "upnname" => alt(0).unwrap_or_default(),
            "dnsname" => alt(2).or_else(|| attr("2.5.4.3")).unwrap_or_default(),
            "dnsfromalternativename" => alt(2).unwrap_or_default(),
            "urlname" => alt(6).unwrap_or_default(),
            _ => return None,
        })
    }
}
