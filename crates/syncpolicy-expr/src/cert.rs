//! The certificate values the `Cert*` functions answer (names, OIDs, validity, serial number,
//! alternative names, extensions), read from DER by `x509-parser` (a maintained, fuzzed parser
//! of untrusted certificate bytes). What is written here is the .NET presentation: DN text as
//! `X500DistinguishedName` prints it, name types of `GetNameInfo`.

use crate::time::DateTime;
use x509_parser::certificate::X509CertificateParser;
use x509_parser::der_parser::asn1_rs::{Any, FromDer, ToDer};
use x509_parser::extensions::{GeneralName, IssuerAlternativeName, SubjectAlternativeName};
use x509_parser::nom::Parser as _;
use x509_parser::oid_registry::{OID_X509_EXT_ISSUER_ALT_NAME, OID_X509_EXT_SUBJECT_ALT_NAME};
use x509_parser::x509::X509Name;

/// ASN.1 universal tag of a BMPString (UTF-16 big-endian).
const BMP_STRING: u32 = 30;

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

/// (attribute OID, value) of every attribute, most general RDN first (as encoded).
fn name_attributes(name: &X509Name<'_>) -> Vec<(String, String)> {
    name.iter_rdn()
        .flat_map(|rdn| rdn.iter())
        .map(|atv| {
            (
                atv.attr_type().to_id_string(),
                string_value(atv.attr_value()),
            )
        })
        .collect()
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

/// The e-mail (1), DNS (2), URL (6) and user principal (0) names of an alternative-name
/// extension, as (context tag, value).
fn alternative_names(names: &[GeneralName<'_>]) -> Vec<(u8, String)> {
    const UPN: &str = "1.3.6.1.4.1.311.20.2.3";
    names
        .iter()
        .filter_map(|name| match name {
            GeneralName::RFC822Name(s) => Some((1, (*s).to_owned())),
            GeneralName::DNSName(s) => Some((2, (*s).to_owned())),
            GeneralName::URI(s) => Some((6, (*s).to_owned())),
            // otherName: the value is `[0] EXPLICIT` around the UTF8String.
            GeneralName::OtherName(oid, value) if oid.to_id_string() == UPN => {
                let (_, explicit) = Any::from_der(value).ok()?;
                let (_, inner) = Any::from_der(explicit.data).ok()?;
                Some((0, string_value(&inner)))
            }
            _ => None,
        })
        .collect()
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
    /// (OID, critical).
    extensions: Vec<(String, bool)>,
    /// Entries of the subject alternative name: (context tag, value).
    subject_alternative_names: Vec<(u8, String)>,
    /// Entries of the issuer alternative name.
    issuer_alternative_names: Vec<(u8, String)>,
}

impl Certificate {
    /// `None` when the bytes are not one whole DER certificate.
    pub(crate) fn parse(der: &[u8]) -> Option<Certificate> {
        // Only the alternative names are read out of the extensions: the other ones are not
        // decoded (about a third of the parse time).
        let (rest, cert) = X509CertificateParser::new()
            .with_deep_parse_extensions(false)
            .parse(der)
            .ok()?;
        if !rest.is_empty() {
            return None;
        }
        let tbs = &cert.tbs_certificate;
        let validity = tbs.validity();
        let spki = tbs.public_key();
        let params = spki.algorithm.parameters.as_ref();
        let mut subject_alternative_names = Vec::new();
        let mut issuer_alternative_names = Vec::new();
        for extension in tbs.extensions() {
            if extension.oid == OID_X509_EXT_SUBJECT_ALT_NAME {
                if let Ok((_, names)) = SubjectAlternativeName::from_der(extension.value) {
                    subject_alternative_names = alternative_names(&names.general_names);
                }
            } else if extension.oid == OID_X509_EXT_ISSUER_ALT_NAME {
                if let Ok((_, names)) = IssuerAlternativeName::from_der(extension.value) {
                    issuer_alternative_names = alternative_names(&names.general_names);
                }
            }
        }
        Some(Certificate {
            der: der.to_vec(),
            version: i64::from(tbs.version().0) + 1,
            serial: tbs.raw_serial().to_vec(),
            signature_oid: cert.signature_algorithm.algorithm.to_id_string(),
            issuer: name_attributes(tbs.issuer()),
            subject: name_attributes(tbs.subject()),
            not_before: DateTime::from_unix_seconds(validity.not_before.timestamp())?,
            not_after: DateTime::from_unix_seconds(validity.not_after.timestamp())?,
            key_oid: spki.algorithm.algorithm.to_id_string(),
            key_params: params.and_then(|p| p.to_der_vec().ok()).unwrap_or_default(),
            key_params_oid: params
                .and_then(|p| p.as_oid().ok())
                .map(|oid| oid.to_id_string())
                .unwrap_or_default(),
            extensions: tbs
                .extensions()
                .iter()
                .map(|e| (e.oid.to_id_string(), e.critical))
                .collect(),
            subject_alternative_names,
            issuer_alternative_names,
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
            .filter(|(_, critical)| *critical)
            .map(|(o, _)| o.clone())
            .collect()
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
        let alternative = if issuer {
            &self.issuer_alternative_names
        } else {
            &self.subject_alternative_names
        };
        let alt = |tag: u8| {
            alternative
                .iter()
                .find(|(t, _)| *t == tag)
                .map(|(_, v)| v.clone())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::base64_decode;

    /// A self-signed P-256 certificate with SAN (e-mail, DNS, URL, UPN), key usage and basic
    /// constraints, as `userCertificate` holds it.
    const CERT: &str = "MIICATCCAaegAwIBAgIDGis8MAoGCCqGSM49BAMCMDIxCzAJBgNVBAYTAlVTMRAwDgYDVQQKDAdDb250b3NvMREwDwYDVQQDDAhKYW5lIERvZTAeFw0yNjExMjYwODE4MjFaFw0zNjExMjMwODE4MjFaMDIxCzAJBgNVBAYTAlVTMRAwDgYDVQQKDAdDb250b3NvMREwDwYDVQQDDAhKYW5lIERvZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABEllTS7ijuVp54qwURpGLgbaGKijWJJs/igSiKXvNsmU+RDIqthjIFMGAaprks9I9Oju9Fbl0DasqAzGAG6wZD6jgaswgagwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwaQYDVR0RBGIwYIEQamFuZUBjb250b3NvLmNvbYIQamFuZS5jb250b3NvLmNvbYYYaHR0cHM6Ly9jb250b3NvLmNvbS9qYW5loCAGCisGAQQBgjcUAgOgEgwQamFuZUBjb250b3NvLmNvbTAdBgNVHQ4EFgQUsSlj+5f3vYmMcKG4Skf7nVboYg0wCgYIKoZIzj0EAwIDSAAwRQIhAJ885Kh5UM43leY3e55cUEP07bpYMcwo9O4hWUUZ4HUlAiAmTGBPFwBvDfsxa60QImO2xqG/H7b+aNEBMhJ5gDRt6g==";

    #[test]
    fn reads_the_fields_the_functions_answer() {
        let c = Certificate::parse(&base64_decode(CERT).unwrap()).expect("parses");
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
