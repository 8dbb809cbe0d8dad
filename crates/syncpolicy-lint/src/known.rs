//! Attributes a configuration may name: documented Active Directory, metaverse and Entra ID
//! attributes, every attribute the catalogue of standard rules names, plus what the
//! configuration itself defines (metaverse extensions, directory extensions, the attributes a
//! connector imports). Compared without regard to case, as directory attribute names are.

use std::collections::HashSet;
use syncpolicy_model::config::Configuration;
use syncpolicy_samples::catalogue::{build_standard_rule, STANDARD_RULES};
use syncpolicy_samples::generate::DEFAULT_ATTRIBUTES;

/// Documented attributes of the AD schema, the shipped metaverse schema and the Entra ID
/// connector that the standard rules and common customizations use (beyond those the
/// catalogue of standard rules names).
pub(crate) const DOCUMENTED_ATTRIBUTES: &[&str] = &[
    // Active Directory.
    "accountExpires",
    "adminDescription",
    "adminDisplayName",
    "altRecipient",
    "assistant",
    "authOrig",
    "c",
    "cn",
    "co",
    "comment",
    "company",
    "countryCode",
    "dc",
    "department",
    "departmentNumber",
    "description",
    "displayName",
    "displayNamePrintable",
    "distinguishedName",
    "division",
    "dNSHostName",
    "employeeID",
    "employeeNumber",
    "employeeType",
    "extensionAttribute1",
    "extensionAttribute2",
    "extensionAttribute3",
    "extensionAttribute4",
    "extensionAttribute5",
    "extensionAttribute6",
    "extensionAttribute7",
    "extensionAttribute8",
    "extensionAttribute9",
    "extensionAttribute10",
    "extensionAttribute11",
    "extensionAttribute12",
    "extensionAttribute13",
    "extensionAttribute14",
    "extensionAttribute15",
    "facsimileTelephoneNumber",
    "givenName",
    "groupType",
    "homePhone",
    "info",
    "initials",
    "ipPhone",
    "isCriticalSystemObject",
    "l",
    "lastLogonTimestamp",
    "legacyExchangeDN",
    "mail",
    "mailNickname",
    "managedBy",
    "manager",
    "member",
    "memberOf",
    "middleName",
    "mobile",
    "name",
    "objectCategory",
    "objectClass",
    "objectGUID",
    "objectSid",
    "operatingSystem",
    "operatingSystemVersion",
    "otherFacsimileTelephoneNumber",
    "otherHomePhone",
    "otherIpPhone",
    "otherMobile",
    "otherPager",
    "otherTelephone",
    "ou",
    "pager",
    "physicalDeliveryOfficeName",
    "postalAddress",
    "postalCode",
    "postOfficeBox",
    "preferredLanguage",
    "primaryGroupID",
    "proxyAddresses",
    "publicDelegates",
    "pwdLastSet",
    "sAMAccountName",
    "sAMAccountType",
    "servicePrincipalName",
    "showInAddressBook",
    "sn",
    "st",
    "streetAddress",
    "targetAddress",
    "telephoneAssistant",
    "telephoneNumber",
    "thumbnailPhoto",
    "title",
    "uid",
    "unauthOrig",
    "url",
    "userAccountControl",
    "userCertificate",
    "userPrincipalName",
    "userSMIMECertificate",
    "userWorkstations",
    "whenChanged",
    "whenCreated",
    "wWWHomePage",
    "mS-DS-ConsistencyGuid",
    // Active Directory attributes of newer out-of-box rule versions than the catalogue's.
    "dLMemSubmitPermsBL",
    "dLMemRejectPermsBL",
    "msDS-KeyCredentialLink",
    "msDS-CloudExtensionAttribute1",
    // Metaverse (shipped schema).
    "accountEnabled",
    "accountName",
    "cloudAnchor",
    "cloudCreated",
    "cloudFiltered",
    "cloudMastered",
    "cloudSOAExchMailbox",
    "cloudSourceAnchor",
    "cloudAccountEnabled",
    "cloudLegacyExchangeDN",
    "cloudMSExchSafeSendersHash",
    "cloudMSExchBlockedSendersHash",
    "cloudMSExchSafeRecipientsHash",
    "cloudMSExchArchiveStatus",
    "cloudMSExchUCVoiceMailSettings",
    "cloudMSExchTeamMailboxOwners",
    "contributingConnector",
    "contributingConnectorUser",
    "contributingConnectorExchange",
    "contributingConnectorLync",
    "deviceId",
    "deviceOSType",
    "deviceOSVersion",
    "deviceTrustType",
    "deviceObjectVersion",
    "domainFQDN",
    "domainNetBios",
    "forestFQDN",
    "forestNetBios",
    "isMobile",
    "lastPasswordChangeTimestamp",
    "objectSidString",
    "onPremisesUserPrincipalName",
    "registeredOwnerReference",
    "sourceAnchor",
    "sourceAnchorBinary",
    "sourceObjectType",
    "usageLocation",
    "userType",
    "approximateLastLogonTimestamp",
    // Entra ID connector.
    "alias",
    "commonName",
    "dn",
    "dnsDomainName",
    "netBiosName",
    "onPremisesSamAccountName",
    "onPremiseSecurityIdentifier",
    "onPremisesDistinguishedName",
    "surname",
    "lastPasswordChangeTimestamp",
    "immutableId",
    "physicalDeliveryOfficeName",
    "preferredDataLocation",
    "searchableDeviceKey",
    "windowsLegacyExchangeDN",
];

/// Prefixes of attribute families the AD schema defines in bulk (Exchange, Skype/Lync,
/// directory-service attributes): any name with one of them is treated as known.
pub(crate) const KNOWN_PREFIXES: &[&str] = &["msexch", "msrtcsip-", "msds-", "ms-ds-"];

/// The set of attribute names a configuration may use (each as spelled and lowercase).
pub(crate) struct KnownAttributes {
    names: HashSet<String>,
}

impl KnownAttributes {
    pub(crate) fn new(config: &Configuration) -> Self {
        let mut names: HashSet<String> = HashSet::new();
        let mut add = |n: &str| {
            let n = n.trim();
            if !n.is_empty() {
                // The spelling as given (most lookups match it exactly) and lowercase.
                names.insert(n.to_owned());
                names.insert(n.to_ascii_lowercase());
            }
        };
        for n in DOCUMENTED_ATTRIBUTES.iter().chain(DEFAULT_ATTRIBUTES) {
            add(n);
        }
        for h in STANDARD_RULES {
            let rule = build_standard_rule(h, 0, String::new());
            for m in &rule.mappings {
                m.sources().into_iter().for_each(&mut add);
                if let Some(d) = &m.destination {
                    add(d);
                }
            }
            for c in rule.scope_groups.iter().flatten() {
                if let Some(a) = &c.attribute {
                    add(a);
                }
            }
            for c in rule.join_groups.iter().flatten() {
                for a in [&c.source, &c.destination].into_iter().flatten() {
                    add(a);
                }
            }
        }
        for a in &config.metaverse_extensions.attributes {
            if let Some(n) = &a.name {
                add(n);
            }
        }
        for t in &config.metaverse_extensions.object_types {
            for b in &t.attribute_bindings {
                if let Some(n) = &b.name {
                    add(n);
                }
            }
        }
        for e in &config.azure_directory.directory_extensions {
            if let Some(n) = &e.attribute {
                add(n);
            }
        }
        let connectors = std::iter::once(&config.azure_directory.connector)
            .chain(config.onpremises_directories.iter().map(|d| &d.connector));
        for c in connectors {
            for n in c.attribute_inclusions.iter().flatten() {
                add(n);
            }
        }
        KnownAttributes { names }
    }

    /// True when the attribute is known (case-insensitive), has a known prefix, or is a
    /// directory extension attribute (`extension_<app>_<name>`, checked by its own rule).
    pub(crate) fn contains(&self, name: &str) -> bool {
        let name = name.trim();
        if self.names.contains(name) {
            return true;
        }
        let lower = name.to_ascii_lowercase();
        self.names.contains(&lower)
            || KNOWN_PREFIXES.iter().any(|p| lower.starts_with(p))
            || lower.starts_with("extension_")
    }
}

#[cfg(test)]
mod tests {
    use super::KnownAttributes;
    use syncpolicy_model::config::Configuration;

    /// The attributes the out-of-box group, contact and device rules use are known (SP060 once
    /// warned about `mailEnabled`, `securityEnabled` and `dLMem*`).
    #[test]
    fn the_out_of_box_group_contact_and_device_attributes_are_known() {
        let known = KnownAttributes::new(&Configuration::default());
        for name in [
            "mailEnabled",
            "securityEnabled",
            "dLMemSubmitPerms",
            "dLMemRejectPerms",
            "dLMemSubmitPermsBL",
            "memberCount",
            "groupType",
            "sourceObjectType",
            "deviceTrustType",
            "userCertificate",
            "cloudCreated",
            "targetAddress",
        ] {
            assert!(known.contains(name), "{name}");
        }
        assert!(!known.contains("notAnAttributeAnywhere"));
    }
}
