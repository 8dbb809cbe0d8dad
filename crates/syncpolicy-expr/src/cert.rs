//! The certificate values the `Cert*` functions answer (names, OIDs, validity, serial number,
//! alternative names, extensions), read from DER by `x509-parser` (a maintained, fuzzed parser
//! of untrusted certificate bytes). What is written here is the .NET presentation: DN text as
//! `X500DistinguishedName` prints it, name types of `GetNameInfo`.

use crate::time::DateTime;
use x509_parser::certificate::{X509Certificate, X509CertificateParser};
use x509_parser::der_parser::asn1_rs::{Any, FromDer, Oid, ToDer};
use x509_parser::extensions::{GeneralName, IssuerAlternativeName, SubjectAlternativeName};
use x509_parser::nom::Parser as _;
use x509_parser::oid_registry::{OID_X509_EXT_ISSUER_ALT_NAME, OID_X509_EXT_SUBJECT_ALT_NAME};
use x509_parser::x509::X509Name;

/// ASN.1 universal tag of a BMPString (UTF-16 big-endian).
const BMP_STRING: u32 = 30;

/// The DER content bytes of `2.5.4.x` (the X.520 attribute types): `55 04 x`.
const X520: [u8; 2] = [0x55, 0x04];
/// `1.2.840.113549.1.9.1`, the e-mail address attribute.
const EMAIL: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01];
/// `0.9.2342.19200300.100.1.25`, domain component.
const DOMAIN_COMPONENT: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19];
/// `1.3.6.1.4.1.311.20.2.3`, Microsoft's user principal name (an otherName).
const UPN: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03];

/// The short name .NET prints for an attribute type, from the OID's encoded bytes (no text
/// form of the OID is built for the common ones).
fn short_name(oid: &Oid<'_>) -> Option<&'static str> {
    let b = oid.as_bytes();
    if let [0x55, 0x04, x] = b {
        return Some(match x {
            3 => "CN",
            4 => "SN",
            5 => "SERIALNUMBER",
            6 => "C",
            7 => "L",
            8 => "S",
            9 => "STREET",
            10 => "O",
            11 => "OU",
            12 => "T",
            42 => "G",
            _ => return None,
        });
    }
    if b == EMAIL {
        Some("E")
    } else if b == DOMAIN_COMPONENT {
        Some("DC")
    } else {
        None
    }
}

fn string_value(value: &Any<'_>) -> String {
    if value.tag().0 == BMP_STRING {
        let units: Vec<u16> = value
            .data
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(value.data).into_owned()
    }
}

/// (attribute type, value) of every attribute, most general RDN first (as encoded), values
/// not yet decoded.
fn name_attributes<'n, 'a>(
    name: &'n X509Name<'a>,
) -> impl DoubleEndedIterator<Item = (&'n Oid<'a>, &'n Any<'a>)> {
    name.iter_rdn()
        .flat_map(|rdn| rdn.iter())
        .map(|atv| (atv.attr_type(), atv.attr_value()))
        .collect::<Vec<_>>()
        .into_iter()
}

fn format_dn(name: &X509Name<'_>) -> String {
    let mut out = String::new();
    for (i, (oid, value)) in name_attributes(name).rev().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match short_name(oid) {
            Some(n) => out.push_str(n),
            None => {
                out.push_str("OID.");
                out.push_str(&oid.to_id_string());
            }
        }
        out.push('=');
        let value = string_value(value);
        let needs_quotes = value.contains([',', '+', '=', '"', '\n', '<', '>', '#', ';'])
            || value.starts_with(' ')
            || value.ends_with(' ');
        if needs_quotes {
            out.push('"');
            out.push_str(&value.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&value);
        }
    }
    out
}

/// The first entry of the given kind in an alternative-name extension: e-mail (1), DNS (2),
/// URL (6) or user principal name (0).
fn alternative_name(names: &[GeneralName<'_>], tag: u8) -> Option<String> {
    names.iter().find_map(|name| match (tag, name) {
        (1, GeneralName::RFC822Name(s))
        | (2, GeneralName::DNSName(s))
        | (6, GeneralName::URI(s)) => Some((*s).to_owned()),
        // otherName: the value is `[0] EXPLICIT` around the UTF8String.
        (0, GeneralName::OtherName(oid, value)) if oid.as_bytes() == UPN => {
            let (_, explicit) = Any::from_der(value).ok()?;
            let (_, inner) = Any::from_der(explicit.data).ok()?;
            Some(string_value(&inner))
        }
        _ => None,
    })
}

/// A certificate parsed from DER bytes it borrows. The whole structure is checked by the
/// parser when it is made; each field is read out only when a function asks for it (one
/// `Cert*` call needs one field, so nothing else is decoded or copied).
pub(crate) struct Certificate<'a> {
    der: &'a [u8],
    cert: X509Certificate<'a>,
    not_before: DateTime,
    not_after: DateTime,
}

impl<'a> Certificate<'a> {
    /// `None` when the bytes are not one whole DER certificate.
    pub(crate) fn parse(der: &'a [u8]) -> Option<Certificate<'a>> {
        // Extensions are not decoded here (about a third of the parse time); the alternative
        // names are read when asked for.
        let (rest, cert) = X509CertificateParser::new()
            .with_deep_parse_extensions(false)
            .parse(der)
            .ok()?;
        if !rest.is_empty() {
            return None;
        }
        let validity = cert.tbs_certificate.validity();
        let not_before = DateTime::from_unix_seconds(validity.not_before.timestamp())?;
        let not_after = DateTime::from_unix_seconds(validity.not_after.timestamp())?;
        Some(Certificate {
            der,
            cert,
            not_before,
            not_after,
        })
    }

    pub(crate) fn der(&self) -> &[u8] {
        self.der
    }
    pub(crate) fn version(&self) -> i64 {
        i64::from(self.cert.tbs_certificate.version().0) + 1
    }
    pub(crate) fn serial(&self) -> &[u8] {
        self.cert.tbs_certificate.raw_serial()
    }
    pub(crate) fn signature_oid(&self) -> String {
        self.cert.signature_algorithm.algorithm.to_id_string()
    }
    pub(crate) fn issuer_dn(&self) -> String {
        format_dn(self.cert.tbs_certificate.issuer())
    }
    pub(crate) fn subject_dn(&self) -> String {
        format_dn(self.cert.tbs_certificate.subject())
    }
    /// OID of the attribute type of the most specific RDN (e.g. `2.5.4.3` for a CN).
    pub(crate) fn issuer_oid(&self) -> String {
        last_oid(self.cert.tbs_certificate.issuer())
    }
    pub(crate) fn subject_oid(&self) -> String {
        last_oid(self.cert.tbs_certificate.subject())
    }
    pub(crate) fn not_before(&self) -> DateTime {
        self.not_before
    }
    pub(crate) fn not_after(&self) -> DateTime {
        self.not_after
    }
    pub(crate) fn public_key_oid(&self) -> String {
        self.cert
            .tbs_certificate
            .public_key()
            .algorithm
            .algorithm
            .to_id_string()
    }
    pub(crate) fn public_key_params(&self) -> Vec<u8> {
        self.cert
            .tbs_certificate
            .public_key()
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.to_der_vec().ok())
            .unwrap_or_default()
    }
    pub(crate) fn public_key_params_oid(&self) -> String {
        self.cert
            .tbs_certificate
            .public_key()
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.as_oid().ok())
            .map(|oid| oid.to_id_string())
            .unwrap_or_default()
    }
    pub(crate) fn critical_extension_oids(&self) -> Vec<String> {
        self.cert
            .tbs_certificate
            .extensions()
            .iter()
            .filter(|e| e.critical)
            .map(|e| e.oid.to_id_string())
            .collect()
    }

    /// The first entry of the given kind of the subject's or issuer's alternative names.
    fn alternative(&self, issuer: bool, tag: u8) -> Option<String> {
        let wanted = if issuer {
            OID_X509_EXT_ISSUER_ALT_NAME
        } else {
            OID_X509_EXT_SUBJECT_ALT_NAME
        };
        let extension = self
            .cert
            .tbs_certificate
            .extensions()
            .iter()
            .find(|e| e.oid == wanted)?;
        if issuer {
            let (_, names) = IssuerAlternativeName::from_der(extension.value).ok()?;
            alternative_name(&names.general_names, tag)
        } else {
            let (_, names) = SubjectAlternativeName::from_der(extension.value).ok()?;
            alternative_name(&names.general_names, tag)
        }
    }

    /// `CertNameInfo`: `None` for an unknown name type.
    pub(crate) fn name_info(&self, kind: &str, issuer: bool) -> Option<String> {
        let name = if issuer {
            self.cert.tbs_certificate.issuer()
        } else {
            self.cert.tbs_certificate.subject()
        };
        let attr = |oid: &[u8]| {
            name_attributes(name)
                .rev()
                .find(|(o, _)| o.as_bytes() == oid)
                .map(|(_, v)| string_value(v))
        };
        let common_name = [X520[0], X520[1], 3];
        let k = kind.to_ascii_lowercase();
        Some(match k.as_str() {
            "simplename" => attr(&common_name)
                .or_else(|| {
                    name_attributes(name)
                        .next_back()
                        .map(|(_, v)| string_value(v))
                })
                .unwrap_or_default(),
            "emailname" => attr(EMAIL)
                .or_else(|| self.alternative(issuer, 1))
                .unwrap_or_default(),
            "upnname" => self.alternative(issuer, 0).unwrap_or_default(),
            "dnsname" => self
                .alternative(issuer, 2)
                .or_else(|| attr(&common_name))
                .unwrap_or_default(),
            "dnsfromalternativename" => self.alternative(issuer, 2).unwrap_or_default(),
            "urlname" => self.alternative(issuer, 6).unwrap_or_default(),
            _ => return None,
        })
    }
}

/// The OID text of the most specific RDN's attribute type.
fn last_oid(name: &X509Name<'_>) -> String {
    name_attributes(name)
        .next_back()
        .map(|(o, _)| o.to_id_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::base64_decode;

    /// A self-signed P-256 certificate with SAN (e-mail, DNS, URL, UPN), key usage and basic
    /// constraints, as `userCertificate` holds it.
    const CERT: &str = "MIICATCCAaegAwIBAgIDGis8MAoGCCqGSM49BAMCMDIxCzAJBgNVBAYTAlVTMRAwDgYDVQQKDAdDb250b3NvMREwDwYDVQQDDAhKYW5lIERvZTAeFw0yNjExMjYwODE4MjFaFw0zNjExMjMwODE4MjFaMDIxCzAJBgNVBAYTAlVTMRAwDgYDVQQKDAdDb250b3NvMREwDwYDVQQDDAhKYW5lIERvZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEllTS7ijuVp54qwURpGLgbaGKijWJJs/igSiKXvNsmU+RDIqthjIFMGAaprks9I9Oju9Fbl0DasqAzGAG6wZD6jgaswgagwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwaQYDVR0RBGIwYIEQamFuZUBjb250b3NvLmNvbYIQamFuZS5jb250b3NvLmNvbYYYaHR0cHM6Ly9jb250b3NvLmNvbS9qYW5loCAGCisGAQQBgjcUAgOgEgwQamFuZUBjb250b3NvLmNvbTAdBgNVHQ4EFgQUsSlj+5f3vYmMcKG4Skf7nVboYg0wCgYIKoZIzj0EAwIDSAAwRQIhAJ885Kh5UM43leY3e55cUEP07bpYMcwo9O4hWUUZ4HUlAiAmTGBPFwBvDfsxa60QImO2xqG/H7b+aNEBMhJ5gDRt6g==";

    #[test]
    fn reads_the_fields_the_functions_answer() {
        let der = base64_decode(CERT).unwrap();
        let c = Certificate::parse(&der).expect("parses");
        assert_eq!(c.version(), 3);
        assert_eq!(c.subject_dn(), "CN=Jane Doe, O=Contoso, C=US");
        assert_eq!(c.subject_oid(), "2.5.4.3");
        assert_eq!(c.not_before().to_string(), "2026-11-26T08:18:21Z");
        assert_eq!(c.not_after().to_string(), "2036-11-23T08:18:21Z");
        assert_eq!(c.public_key_oid(), "1.2.840.10045.2.1");
        assert_eq!(c.public_key_params_oid(), "1.2.840.10045.3.1.7");
        assert_eq!(c.public_key_params(), [6, 8, 42, 134, 72, 206, 61, 3, 1, 7]);
        assert_eq!(c.critical_extension_oids(), ["2.5.29.19", "2.5.29.15"]);
        assert_eq!(
            c.name_info("UpnName", false).as_deref(),
            Some("jane@contoso.com")
        );
        assert_eq!(
            c.name_info("urlname", false).as_deref(),
            Some("https://contoso.com/jane")
        );
        assert_eq!(c.name_info("DnsName", true).as_deref(), Some("Jane Doe"));
        assert_eq!(c.name_info("nonsense", false), None);
    }

    #[test]
    fn hostile_bytes_are_refused_without_panicking() {
        let der = base64_decode(CERT).unwrap();
        // Every truncation, and trailing garbage.
        for end in 0..der.len() {
            assert!(
                Certificate::parse(&der[..end]).is_none(),
                "truncated at {end}"
            );
        }
        let mut longer = der.clone();
        longer.push(0);
        assert!(Certificate::parse(&longer).is_none());
        // Every single-byte corruption: parsed or refused, never a panic.
        for at in 0..der.len() {
            for value in [0x00, 0x7F, 0x80, 0xFF] {
                let mut bad = der.clone();
                bad[at] = value;
                if let Some(c) = Certificate::parse(&bad) {
                    let _ = (c.subject_dn(), c.issuer_dn(), c.name_info("UpnName", false));
                }
            }
        }
        // Huge declared lengths and deep nesting.
        assert!(Certificate::parse(&[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]).is_none());
        assert!(Certificate::parse(&[0x30, 0x80].repeat(10_000)).is_none());
    }
}
