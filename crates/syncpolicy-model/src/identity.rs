//! Identity keys: which fields identify an item of each collection. Diff, validation and the
//! deployment store all use these, so they agree on what "the same item" means.
//!
//! Identifiers (GUIDs) are regenerated on every server, so only directories are identified by
//! them; rules are identified by their owning directory, name and direction.

use crate::config::{
    AttributeBinding, DirectoryExtensionAttribute, MetaverseAttribute, MetaverseObjectType,
    OnPremisesDirectory, Partition,
};
use crate::extension::{GlobalParameter, HierarchyMapping, RunProfile};
use crate::rule::{AttributeMapping, SyncRule};

/// An item of a collection that has an identity key.
pub trait Keyed {
    /// The key type; equal keys mean "the same item".
    type Key: Ord + Clone + std::hash::Hash + std::fmt::Debug;
    /// The item's key.
    fn key(&self) -> Self::Key;
}

/// Normalizes a GUID for comparison: no braces, no surrounding space, lowercase.
pub fn normalize_guid(text: &str) -> String {
    text.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim()
        .to_ascii_lowercase()
}

/// True when two GUID texts name the same GUID (case and braces ignored).
pub fn same_guid(a: &str, b: &str) -> bool {
    normalize_guid(a) == normalize_guid(b)
}

/// True when the text is a GUID in 8-4-4-4-12 form (braces allowed).
pub fn is_guid(text: &str) -> bool {
    let g = normalize_guid(text);
    let parts: Vec<&str> = g.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Normalizes a distinguished name for comparison: lowercase, no space around `,` and `=`.
/// Escaped commas (`\,`) are kept.
pub fn normalize_dn(dn: &str) -> String {
    let mut out = String::with_capacity(dn.len());
    let mut rdn = String::new();
    let mut escaped = false;
    for ch in dn.chars() {
        if escaped {
            rdn.push(ch);
            escaped = false;
            continue;
        }
        match ch {
            '\\' => {
                rdn.push(ch);
                escaped = true;
            }
            ',' => {
                push_rdn(&mut out, &rdn);
                out.push(',');
                rdn.clear();
            }
            _ => rdn.push(ch),
        }
    }
    push_rdn(&mut out, &rdn);
    out
}

fn push_rdn(out: &mut String, rdn: &str) {
    match rdn.split_once('=') {
        Some((attr, value)) => {
            out.push_str(&attr.trim().to_lowercase());
            out.push('=');
            out.push_str(&value.trim().to_lowercase());
        }
        None => out.push_str(&rdn.trim().to_lowercase()),
    }
}

/// Checks that a text is a plausible distinguished name: `attr=value` components separated by
/// commas, each attribute a name of letters, digits or `-`, no empty value. Returns what is
/// wrong.
pub fn check_dn(dn: &str) -> Result<(), String> {
    if dn.trim().is_empty() {
        return Err("the distinguished name is empty".to_owned());
    }
    let normalized = normalize_dn(dn);
    for (i, rdn) in split_unescaped(&normalized).iter().enumerate() {
        let Some((attr, value)) = rdn.split_once('=') else {
            return Err(format!("component {} ({rdn:?}) has no '='", i + 1));
        };
        if attr.is_empty()
            || !attr
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err(format!(
                "component {} has an invalid attribute name {attr:?}",
                i + 1
            ));
        }
        if value.is_empty() {
            return Err(format!("component {} ({attr}=) has an empty value", i + 1));
        }
    }
    Ok(())
}

fn split_unescaped(dn: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for ch in dn.chars() {
        if escaped {
            cur.push(ch);
            escaped = false;
        } else if ch == '\\' {
            cur.push(ch);
            escaped = true;
        } else if ch == ',' {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    parts.push(cur);
    parts
}

/// True when `child` is `parent` or lies below it (both DNs, compared normalized).
pub fn dn_is_under(child: &str, parent: &str) -> bool {
    let c = normalize_dn(child);
    let p = normalize_dn(parent);
    c == p || c.ends_with(&format!(",{p}"))
}

/// Identity of an on-premises directory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DirectoryKey {
    /// By connector identifier (normalized GUID).
    Identifier(String),
    /// Fallback when the identifier is empty: name and forest, lowercase.
    NameForest(String, String),
}

impl Keyed for OnPremisesDirectory {
    type Key = DirectoryKey;
    fn key(&self) -> DirectoryKey {
        if self.unique_identifier.trim().is_empty() {
            DirectoryKey::NameForest(
                self.name.to_lowercase(),
                self.forest.as_deref().unwrap_or("").to_lowercase(),
            )
        } else {
            DirectoryKey::Identifier(normalize_guid(&self.unique_identifier))
        }
    }
}

impl Keyed for Partition {
    /// Normalized DN (or the FQDN when the DN is missing).
    type Key = String;
    fn key(&self) -> String {
        match &self.distinguished_name {
            Some(dn) if !dn.trim().is_empty() => normalize_dn(dn),
            _ => self.fqdn.as_deref().unwrap_or("").to_lowercase(),
        }
    }
}

/// Identity of a rule within its directory: name and direction. (The owning directory is the
/// outer part of the key; identifiers are not part of it because servers regenerate them.)
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleKey {
    pub name: String,
    pub direction: String,
}

impl Keyed for SyncRule {
    type Key = RuleKey;
    fn key(&self) -> RuleKey {
        RuleKey {
            name: self.name().trim().to_owned(),
            direction: self.direction_str().to_ascii_lowercase(),
        }
    }
}

impl Keyed for AttributeMapping {
    /// Destination attribute, lowercase (directory attribute names are case-insensitive).
    type Key = String;
    fn key(&self) -> String {
        self.destination.as_deref().unwrap_or("").to_lowercase()
    }
}

impl Keyed for DirectoryExtensionAttribute {
    /// Object class and attribute, lowercase.
    type Key = (String, String);
    fn key(&self) -> (String, String) {
        (
            self.object_class.as_deref().unwrap_or("").to_lowercase(),
            self.attribute.as_deref().unwrap_or("").to_lowercase(),
        )
    }
}

impl Keyed for MetaverseAttribute {
    type Key = String;
    fn key(&self) -> String {
        self.name.as_deref().unwrap_or("").to_lowercase()
    }
}

impl Keyed for MetaverseObjectType {
    type Key = String;
    fn key(&self) -> String {
        self.name.as_deref().unwrap_or("").to_lowercase()
    }
}

impl Keyed for AttributeBinding {
    type Key = String;
    fn key(&self) -> String {
        self.name.as_deref().unwrap_or("").to_lowercase()
    }
}

impl Keyed for RunProfile {
    type Key = String;
    fn key(&self) -> String {
        self.name.to_lowercase()
    }
}

impl Keyed for HierarchyMapping {
    type Key = String;
    fn key(&self) -> String {
        self.component.to_lowercase()
    }
}

impl Keyed for GlobalParameter {
    type Key = String;
    fn key(&self) -> String {
        self.name.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_compare_without_case_or_braces() {
        assert!(same_guid(
            "{AE4DB4CC-B16B-4EB2-ACF5-837CA84E4D7D}",
            "ae4db4cc-b16b-4eb2-acf5-837ca84e4d7d"
        ));
        assert!(is_guid("{ae4db4cc-b16b-4eb2-acf5-837ca84e4d7d}"));
        assert!(!is_guid("ae4db4cc"));
    }

    #[test]
    fn dns_normalize_and_nest() {
        assert_eq!(
            normalize_dn("OU=Sales , DC=Contoso,DC=com"),
            "ou=sales,dc=contoso,dc=com"
        );
        assert!(dn_is_under("OU=A,OU=B,DC=x", "ou=b,dc=x"));
        assert!(!dn_is_under("OU=AB,DC=x", "OU=B,DC=x"));
        assert!(check_dn("OU=A,DC=x").is_ok());
        assert!(check_dn("OU=A,,DC=x").is_err());
        assert!(check_dn("just text").is_err());
        assert!(check_dn("OU=A\\,B,DC=x").is_ok());
    }
}
