//! The out-of-box rule set of a single-forest server (reference: the 1.1.130.0 sample export,
//! Exchange and Lync schema present, objectGUID as the source anchor), every rule with its
//! scoping groups, join groups and attribute flows, so that users, inetOrgPersons, groups,
//! contacts and computers are provisioned to Entra ID as the product provisions them.
//!
//! Where the content comes from (`/work/shared/docs/declarative-provisioning.md` §3-§4 and
//! `sync-engine.md`, which cite Microsoft's documentation and public exports):
//! - the user rules (100-111, 119, 123-130, 147, 154, 158): scopes, joins and flows as
//!   documented (§4.1-§4.2);
//! - groups: `memberCount LESSTHAN 50000` in `Out to AAD - Group Join` and
//!   `memberCount <- ValueCount("member")` in `In from AD - Group Common` (§3.3, §2.10); the
//!   filter of the default-configuration documentation (critical system objects, `CAS_`
//!   mailboxes, replication conflicts, distribution groups that are not mail-enabled) as the
//!   `cloudFiltered` flow of `In from AD - Group Join`;
//! - contacts: joined on `mail`, `sourceObjectType = "Contact"` from `In from AD - Contact
//!   Common`, and the documented filter (mail-enabled: `proxyAddresses` present and a primary
//!   address with `@` in an `SMTP:` proxy or in `mail`; not critical, not `(MSOL)` hidden, not
//!   `CAS_`, not a replication conflict) as the `cloudFiltered` flow of `In from AD - Contact
//!   Join`;
//! - computers: `userCertificate ISNOTNULL` in scope, the constants `ServerAd` and `Computer`
//!   and the execute-once `cloudCreated <- False` and `registeredOwnerReference` flows of
//!   `In from AD - Computer Join`;
//! - the remaining flows (which attribute goes where) follow the product's attribute names;
//!   rules that the documentation names without detail (the workload rules DynamicsCRM,
//!   Intune, LyncOnline, SharePointOnline, AzureRMS, OfficeProPlus, the writeback rules) carry
//!   the scope of their family and the flows of their workload.

use syncpolicy_model::enums::{Direction, FlowType, LinkType, MergeType, ScopeOperator};
use syncpolicy_model::rule::{AttributeMapping, JoinCondition, ScopeCondition, SyncRule};

/// Which connector a standard rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleHome {
    /// An on-premises AD connector.
    ActiveDirectory,
    /// The Entra ID connector.
    Entra,
}

/// One row of the out-of-box rule table.
#[derive(Debug, Clone, Copy)]
pub struct StandardRuleHeader {
    pub name: &'static str,
    pub direction: &'static str,
    pub link_type: &'static str,
    pub source: &'static str,
    pub target: &'static str,
    /// Immutable tag as documented for the reference version.
    pub tag: &'static str,
    pub home: RuleHome,
    /// Precedence in a single-forest configuration of the reference version.
    pub precedence: i32,
}

macro_rules! rows {
    ($( $prec:literal, $name:literal, $dir:literal, $link:literal, $src:literal, $tgt:literal, $tag:literal, $home:ident; )*) => {
        &[ $( StandardRuleHeader { name: $name, direction: $dir, link_type: $link, source: $src, target: $tgt, tag: $tag, home: RuleHome::$home, precedence: $prec } ),* ]
    };
}

/// The out-of-box rules of a single-forest server (reference: server 1.1.130.0 sample); the
/// immutable tags name each rule's version.
pub const STANDARD_RULES: &[StandardRuleHeader] = rows![
    100, "In from AD - User Join", "Inbound", "Provision", "user", "person", "Microsoft.InfromADUserJoin.003", ActiveDirectory;
    101, "In from AD - InetOrgPerson Join", "Inbound", "Provision", "inetOrgPerson", "person", "Microsoft.InfromADInetOrgPersonJoin.003", ActiveDirectory;
    102, "In from AD - User AccountEnabled", "Inbound", "Join", "user", "person", "Microsoft.InfromADUserAccountEnabled.004", ActiveDirectory;
    103, "In from AD - InetOrgPerson AccountEnabled", "Inbound", "Join", "inetOrgPerson", "person", "Microsoft.InfromADInetOrgPersonAccountEnabled.003", ActiveDirectory;
    104, "In from AD - User Common from Exchange", "Inbound", "Join", "user", "person", "Microsoft.InfromADUserCommonfromExchange.004", ActiveDirectory;
    105, "In from AD - InetOrgPerson Common from Exchange", "Inbound", "Join", "inetOrgPerson", "person", "Microsoft.InfromADInetOrgPersonCommonfromExchange.004", ActiveDirectory;
    106, "In from AD - User Common", "Inbound", "Join", "user", "person", "Microsoft.InfromADUserCommon.004", ActiveDirectory;
    107, "In from AD - InetOrgPerson Common", "Inbound", "Join", "inetOrgPerson", "person", "Microsoft.InfromADInetOrgPersonCommon.004", ActiveDirectory;
    108, "In from AD - User Exchange", "Inbound", "Join", "user", "person", "Microsoft.InfromADUserExchange.003", ActiveDirectory;
    109, "In from AD - InetOrgPerson Exchange", "Inbound", "Join", "inetOrgPerson", "person", "Microsoft.InfromADInetOrgPersonExchange.003", ActiveDirectory;
    110, "In from AD - User Lync", "Inbound", "Join", "user", "person", "Microsoft.InfromADUserLync.004", ActiveDirectory;
    111, "In from AD - InetOrgPerson Lync", "Inbound", "Join", "inetOrgPerson", "person", "Microsoft.InfromADInetOrgPersonLync.003", ActiveDirectory;
    112, "In from AD - Group Join", "Inbound", "Provision", "group", "group", "Microsoft.InfromADGroupJoin.003", ActiveDirectory;
    113, "In from AD - Group Exchange", "Inbound", "Join", "group", "group", "Microsoft.InfromADGroupExchange.004", ActiveDirectory;
    114, "In from AD - Group Common", "Inbound", "Join", "group", "group", "Microsoft.InfromADGroupCommon.004", ActiveDirectory;
    115, "In from AD - Contact Join", "Inbound", "Provision", "contact", "person", "Microsoft.InfromADContactJoin.003", ActiveDirectory;
    116, "In from AD - Contact Common", "Inbound", "Join", "contact", "person", "Microsoft.InfromADContactCommon.004", ActiveDirectory;
    117, "In from AD - Contact Lync", "Inbound", "Join", "contact", "person", "Microsoft.InfromADContactLync.003", ActiveDirectory;
    118, "In from AD - ForeignSecurityPrincipal Join User", "Inbound", "Join", "foreignSecurityPrincipal", "*", "Microsoft.InfromADForeignSecurityPrincipalJoinUser.001", ActiveDirectory;
    119, "In from AAD - User Join", "Inbound", "Join", "user", "person", "Microsoft.InfromAADUserJoin.004", Entra;
    120, "In from AAD - Contact Join", "Inbound", "Join", "contact", "person", "Microsoft.InfromAADContactJoin.003", Entra;
    121, "In from AAD - Group Join", "Inbound", "Join", "group", "group", "Microsoft.InfromAADGroupJoin.004", Entra;
    122, "In from AAD - User NGCKey", "Inbound", "Join", "user", "person", "Microsoft.InfromAADUserNGCKey.001", Entra;
    123, "Out to AAD - User Join", "Outbound", "Provision", "person", "user", "Microsoft.OuttoAADUserJoin.006", Entra;
    124, "Out to AAD - User Identity", "Outbound", "Join", "person", "user", "Microsoft.OuttoAADUserIdentity.004", Entra;
    125, "Out to AAD - User ExchangeOnline", "Outbound", "Join", "person", "user", "Microsoft.OuttoAADUserExchangeOnline.005", Entra;
    126, "Out to AAD - User DynamicsCRM", "Outbound", "Join", "person", "user", "Microsoft.OuttoAADUserDynamicsCRM.004", Entra;
    127, "Out to AAD - User Intune", "Outbound", "Join", "person", "user", "Microsoft.OuttoAADUserIntune.004", Entra;
    128, "Out to AAD - User LyncOnline", "Outbound", "Join", "person", "user", "Microsoft.OuttoAADUserLyncOnline.004", Entra;
    129, "Out to AAD - User SharePointOnline", "Outbound", "Join", "person", "user", "Microsoft.OuttoAADUserSharePointOnline.004", Entra;
    130, "Out to AAD - User AzureRMS", "Outbound", "Join", "person", "user", "Microsoft.OuttoAADUserAzureRMS.004", Entra;
    131, "Out to AAD - Contact Join", "Outbound", "Provision", "person", "contact", "Microsoft.OuttoAADContactJoin.003", Entra;
    132, "Out to AAD - Contact Identity", "Outbound", "Join", "person", "contact", "Microsoft.OuttoAADContactIdentity.003", Entra;
    133, "Out to AAD - Contact ExchangeOnline", "Outbound", "Join", "person", "contact", "Microsoft.OuttoAADContactExchangeOnline.003", Entra;
    134, "Out to AAD - Contact DynamicsCRM", "Outbound", "Join", "person", "contact", "Microsoft.OuttoAADContactDynamicsCRM.003", Entra;
    135, "Out to AAD - Contact Intune", "Outbound", "Join", "person", "contact", "Microsoft.OuttoAADContactIntune.003", Entra;
    136, "Out to AAD - Contact LyncOnline", "Outbound", "Join", "person", "contact", "Microsoft.OuttoAADContactLyncOnline.003", Entra;
    137, "Out to AAD - Contact SharePointOnline", "Outbound", "Join", "person", "contact", "Microsoft.OuttoAADContactSharePointOnline.003", Entra;
    138, "Out to AAD - Contact AzureRMS", "Outbound", "Join", "person", "contact", "Microsoft.OuttoAADContactAzureRMS.003", Entra;
    139, "Out to AAD - Group Join", "Outbound", "Provision", "group", "group", "Microsoft.OuttoAADGroupJoin.006", Entra;
    140, "Out to AAD - Group Identity", "Outbound", "Join", "group", "group", "Microsoft.OuttoAADGroupIdentity.004", Entra;
    141, "Out to AAD - Group ExchangeOnline", "Outbound", "Join", "group", "group", "Microsoft.OuttoAADGroupExchangeOnline.005", Entra;
    142, "Out to AAD - Group DynamicsCRM", "Outbound", "Join", "group", "group", "Microsoft.OuttoAADGroupDynamicsCRM.004", Entra;
    143, "Out to AAD - Group Intune", "Outbound", "Join", "group", "group", "Microsoft.OuttoAADGroupIntune.004", Entra;
    144, "Out to AAD - Group LyncOnline", "Outbound", "Join", "group", "group", "Microsoft.OuttoAADGroupLyncOnline.004", Entra;
    145, "Out to AAD - Group SharePointOnline", "Outbound", "Join", "group", "group", "Microsoft.OuttoAADGroupSharePointOnline.004", Entra;
    146, "Out to AAD - Group AzureRMS", "Outbound", "Join", "group", "group", "Microsoft.OuttoAADGroupAzureRMS.004", Entra;
    147, "Out to AAD - User OfficeProPlus", "Outbound", "Join", "person", "user", "Microsoft.OuttoAADUserOfficeProPlus.004", Entra;
    148, "In from AAD - Contact Exchange Hybrid", "Inbound", "Join", "contact", "person", "Microsoft.InfromAADContactExchangeHybrid.003", Entra;
    149, "In from AAD - Group Exchange Hybrid", "Inbound", "Join", "group", "group", "Microsoft.InfromAADGroupExchangeHybrid.003", Entra;
    150, "In from AAD - User Exchange Hybrid", "Inbound", "Join", "user", "person", "Microsoft.InfromAADUserExchangeHybrid.003", Entra;
    151, "Out to AD - Contact Join", "Outbound", "Join", "person", "contact", "Microsoft.OuttoADContactJoin.003", ActiveDirectory;
    152, "Out to AD - Group Join", "Outbound", "Join", "group", "group", "Microsoft.OuttoADGroupJoin.004", ActiveDirectory;
    153, "Out to AD - InetOrgPerson Join", "Outbound", "Join", "person", "inetOrgPerson", "Microsoft.OuttoADInetOrgPersonJoin.003", ActiveDirectory;
    154, "Out to AD - User Join SOAInAD", "Outbound", "Join", "person", "user", "Microsoft.OuttoADUserJoinSOAInAD.004", ActiveDirectory;
    155, "Out to AD - Contact Exchange Hybrid", "Outbound", "Join", "person", "contact", "Microsoft.OuttoADContactExchangeHybrid.003", ActiveDirectory;
    156, "Out to AD - Group Exchange Hybrid", "Outbound", "Join", "group", "group", "Microsoft.OuttoADGroupExchangeHybrid.003", ActiveDirectory;
    157, "Out to AD - InetOrgPerson Exchange Hybrid", "Outbound", "Join", "person", "inetOrgPerson", "Microsoft.OuttoADInetOrgPersonExchangeHybrid.003", ActiveDirectory;
    158, "Out to AD - User Exchange Hybrid", "Outbound", "Join", "person", "user", "Microsoft.OuttoADUserExchangeHybrid.004", ActiveDirectory;
    159, "In from AD - Computer Join", "Inbound", "Provision", "computer", "device", "Microsoft.InfromADComputerJoin.002", ActiveDirectory;
    160, "Out to AAD - Device Join SOAInAD", "Outbound", "Provision", "device", "device", "Microsoft.OuttoAADJoinSOAInAD.002", Entra;
    161, "In from AD - Device Common", "Inbound", "Join", "msDS-Device", "device", "Microsoft.InfromADDeviceCommon.001", ActiveDirectory;
];

/// The `cloudFiltered` expression of "In from AD - User Join", as the product writes it (on one
/// line here): its replication-conflict test is `InStr(DNComponent(CRef([dn]),1),"\\0ACNF:")`
/// and its Exchange test `CBool(IIF(IsPresent(...), BitAnd(...) > 0, NULL))`.
pub const CLOUD_FILTERED: &str = r#"IIF(IsPresent([isCriticalSystemObject]) || IsPresent([sAMAccountName]) = False || [sAMAccountName] = "SUPPORT_388945a0" || Left([mailNickname], 14) = "SystemMailbox{" || Left([sAMAccountName], 4) = "AAD_" || (Left([mailNickname], 4) = "CAS_" && (InStr([mailNickname], "}") > 0)) || (Left([sAMAccountName], 4) = "CAS_" && (InStr([sAMAccountName], "}") > 0)) || Left([sAMAccountName], 5) = "MSOL_" || CBool(IIF(IsPresent([msExchRecipientTypeDetails]),BitAnd([msExchRecipientTypeDetails],&H21C07000) > 0,NULL)) || CBool(InStr(DNComponent(CRef([dn]),1),"\\0ACNF:")>0), True, NULL)"#;

/// The documented `userPrincipalName` expression of "In from AD - User Common".
pub const USER_PRINCIPAL_NAME: &str = "IIF(IsPresent([userPrincipalName]), [userPrincipalName], IIF(IsPresent([sAMAccountName]), ([sAMAccountName] & \"@\" & %Domain.FQDN%), Error(\"AccountName is not present\")))";

/// The documented `sourceAnchor` expression (objectGUID mode).
pub const SOURCE_ANCHOR: &str = "IIF([msExchRecipientTypeDetails] = 2, NULL, IIF(IsString([objectGUID]), [objectGUID], ConvertToBase64([objectGUID])))";

pub(crate) fn scope(attribute: &str, op: ScopeOperator, value: &str) -> ScopeCondition {
    ScopeCondition {
        attribute: Some(attribute.to_owned()),
        operator: Some(op),
        value: value.to_owned(),
        ..ScopeCondition::default()
    }
}

pub(crate) fn join(cs: &str, mv: &str, case_sensitive: bool) -> JoinCondition {
    JoinCondition {
        source: Some(cs.to_owned()),
        destination: Some(mv.to_owned()),
        case_sensitive,
        ..JoinCondition::default()
    }
}

pub(crate) fn direct(source: &str, destination: &str) -> AttributeMapping {
    AttributeMapping {
        flow_type: Some(FlowType::Direct),
        merge_type: MergeType::Update,
        destination: Some(destination.to_owned()),
        source: source.to_owned(),
        ..AttributeMapping::default()
    }
}

pub(crate) fn expression(sources: &str, destination: &str, expr: &str) -> AttributeMapping {
    AttributeMapping {
        flow_type: Some(FlowType::Expression),
        merge_type: MergeType::Update,
        destination: Some(destination.to_owned()),
        source: sources.to_owned(),
        expression: expr.to_owned(),
        ..AttributeMapping::default()
    }
}

pub(crate) fn constant(destination: &str, value: &str) -> AttributeMapping {
    AttributeMapping {
        flow_type: Some(FlowType::Constant),
        merge_type: MergeType::Update,
        destination: Some(destination.to_owned()),
        value: value.to_owned(),
        ..AttributeMapping::default()
    }
}

/// The mail-enabled test of the default-configuration documentation, as a macro so that it can
/// be spliced into the constants below with `concat!`.
macro_rules! mail_enabled {
    () => {
        r#"IsPresent([proxyAddresses]) && ((Contains([proxyAddresses], "SMTP:") > 0 && InStr(Item([proxyAddresses], Contains([proxyAddresses], "SMTP:")), "@") > 0) || (IsPresent([mail]) && InStr([mail], "@") > 0))"#
    };
}

/// The `cloudFiltered` expression of "In from AD - Group Join": the filter of the
/// default-configuration documentation (critical system objects, `CAS_` mailboxes, replication
/// conflicts, and distribution groups that are not mail-enabled).
pub const GROUP_CLOUD_FILTERED: &str = concat!(
    r#"IIF(IsPresent([isCriticalSystemObject]) || (Left([mailNickname], 4) = "CAS_" && (InStr([mailNickname], "}") > 0)) || CBool(InStr(DNComponent(CRef([dn]),1),"\\0ACNF:")>0) || (BitAnd([groupType], &H80000000) = 0 && IIF("#,
    mail_enabled!(),
    r#", False, True)), True, NULL)"#
);

/// The `cloudFiltered` expression of "In from AD - Contact Join": a contact must be mail-enabled
/// (`proxyAddresses` present, and a primary address with `@` in an `SMTP:` proxy or in `mail`),
/// and is filtered when critical, an `(MSOL)` contact hidden from address lists, a `CAS_`
/// mailbox or a replication conflict.
pub const CONTACT_CLOUD_FILTERED: &str = concat!(
    r#"IIF(IsPresent([isCriticalSystemObject]) || ((InStr([displayName], "(MSOL)") > 0) && CBool([msExchHideFromAddressLists])) || (Left([mailNickname], 4) = "CAS_" && (InStr([mailNickname], "}") > 0)) || CBool(InStr(DNComponent(CRef([dn]),1),"\\0ACNF:")>0) || IIF("#,
    mail_enabled!(),
    r#", False, True), True, NULL)"#
);

/// The `cloudFiltered` expression of "In from AD - Computer Join": critical system objects
/// (domain controllers) and replication conflicts.
pub const COMPUTER_CLOUD_FILTERED: &str = r#"IIF(IsPresent([isCriticalSystemObject]) || CBool(InStr(DNComponent(CRef([dn]),1),"\\0ACNF:")>0), True, NULL)"#;

/// The mail-enabled test (see [`CONTACT_CLOUD_FILTERED`]).
pub const MAIL_ENABLED: &str = mail_enabled!();

/// The `sourceAnchor` of groups, contacts and computers: the objectGUID, base64-encoded.
pub const OBJECT_GUID_ANCHOR: &str =
    "IIF(IsString([objectGUID]), [objectGUID], ConvertToBase64([objectGUID]))";

/// The outbound `sourceAnchor` flow of the Entra provisioning rules: the anchor may not change
/// once exported.
const ANCHOR_CHANGED_CHECK: &str = "IIF(IsPresent([cloudSourceAnchor]) && (Word([cloudAnchor], 1, \"_\") = [sourceObjectType]) && ([cloudSourceAnchor] <> [sourceAnchor]), Error(\"SourceAnchor attribute has changed.\"), [sourceAnchor])";

/// The DN of an object in the Entra connector space.
const ENTRA_DN: &str = "\"CN={\" & ConvertToUTF8Hex([sourceAnchor]) & \"}\"";

/// Names of the standard rules whose scope, join and transformation content is reproduced in
/// the project's documentation (`declarative-provisioning.md` §4); the others are built from
/// the documented facts listed in the module documentation.
pub const DOCUMENTED_CONTENT: &[&str] = &[
    "In from AD - User Join",
    "In from AD - InetOrgPerson Join",
    "In from AD - User AccountEnabled",
    "In from AD - InetOrgPerson AccountEnabled",
    "In from AD - User Common from Exchange",
    "In from AD - User Common",
    "In from AD - User Exchange",
    "In from AD - InetOrgPerson Exchange",
    "In from AD - ForeignSecurityPrincipal Join User",
    "In from AAD - User Join",
    "Out to AAD - User Join",
    "Out to AAD - User Identity",
    "Out to AD - User Join SOAInAD",
    "Out to AD - User Exchange Hybrid",
];

/// True when the named rule's scope, joins and transformations are reproduced in the project's
/// documentation (the others are built from documented facts; see the module documentation).
pub fn has_documented_content(name: &str) -> bool {
    DOCUMENTED_CONTENT.contains(&name)
}

fn directs(pairs: &[(&str, &str)]) -> Vec<AttributeMapping> {
    pairs.iter().map(|(s, d)| direct(s, d)).collect()
}

fn same(names: &[&str]) -> Vec<AttributeMapping> {
    names.iter().map(|n| direct(n, n)).collect()
}

fn trims(names: &[&str]) -> Vec<AttributeMapping> {
    names
        .iter()
        .map(|a| expression(a, a, &format!("Trim([{a}])")))
        .collect()
}

fn once(mut m: AttributeMapping) -> AttributeMapping {
    m.execute_once = true;
    m
}

fn merged(mut m: AttributeMapping) -> AttributeMapping {
    m.merge_type = MergeType::MergeCaseInsensitive;
    m
}

/// The `extensionAttribute1..15` names.
fn extension_attributes() -> Vec<String> {
    (1..=15).map(|i| format!("extensionAttribute{i}")).collect()
}

/// The domain and forest parameters every projecting rule flows.
fn domain_flows() -> Vec<AttributeMapping> {
    vec![
        expression("", "domainFQDN", "%Domain.FQDN%"),
        expression("", "domainNetBios", "%Domain.Netbios%"),
        expression("", "forestFQDN", "%Forest.FQDN%"),
        expression("", "forestNetBios", "%Forest.Netbios%"),
    ]
}

/// The Exchange attributes of users and inetOrgPersons ("In from AD - User Exchange").
const USER_EXCHANGE: &[&str] = &[
    "mailNickname",
    "msExchRecipientTypeDetails",
    "msExchRecipientDisplayType",
    "msExchRemoteRecipientType",
    "msExchHideFromAddressLists",
    "msExchMailboxGuid",
    "msExchArchiveGUID",
    "msExchArchiveName",
    "msExchArchiveStatus",
    "msExchAssistantName",
    "msExchELCMailboxFlags",
    "msExchLitigationHoldDate",
    "msExchLitigationHoldOwner",
    "msExchRetentionComment",
    "msExchRetentionURL",
    "msExchUserHoldPolicies",
    "msExchSafeSendersHash",
    "msExchSafeRecipientsHash",
    "msExchBlockedSendersHash",
    "msExchRequireAuthToSendTo",
    "msExchEnableModeration",
    "msExchModerationFlags",
    "msExchModeratedByLink",
    "msExchBypassModerationLink",
    "msExchDelegateListLink",
    "msExchResourceCapacity",
    "msExchResourceDisplay",
    "msExchResourceMetaData",
    "msExchResourceSearchProperties",
    "msExchTeamMailboxExpiration",
    "msExchTeamMailboxOwners",
    "msExchTeamMailboxSharePointUrl",
    "legacyExchangeDN",
    "targetAddress",
    "altRecipient",
    "authOrig",
    "unauthOrig",
    "dLMemSubmitPerms",
    "dLMemRejectPerms",
    "publicDelegates",
    "deliverAndRedirect",
];

/// The Exchange attributes of groups ("In from AD - Group Exchange").
const GROUP_EXCHANGE: &[&str] = &[
    "mailNickname",
    "msExchRecipientTypeDetails",
    "msExchRecipientDisplayType",
    "msExchHideFromAddressLists",
    "msExchRequireAuthToSendTo",
    "msExchEnableModeration",
    "msExchModerationFlags",
    "msExchModeratedByLink",
    "msExchBypassModerationLink",
    "msExchBypassModerationFromDLMembersLink",
    "msExchCoManagedByLink",
    "msExchGroupJoinRestriction",
    "msExchGroupDepartRestriction",
    "msExchSenderHintTranslations",
    "legacyExchangeDN",
    "authOrig",
    "unauthOrig",
    "dLMemSubmitPerms",
    "dLMemRejectPerms",
    "oOFReplyToOriginator",
    "reportToOriginator",
    "reportToOwner",
];

/// The Lync / Skype for Business attributes ("In from AD - User Lync", "Contact Lync").
const LYNC: &[&str] = &[
    "msRTCSIP-DeploymentLocator",
    "msRTCSIP-Line",
    "msRTCSIP-OptionFlags",
    "msRTCSIP-OwnerUrn",
    "msRTCSIP-PrimaryUserAddress",
    "msRTCSIP-UserEnabled",
];

/// The address-book attributes every person and contact carries to Exchange Online, as MV
/// attribute -> Entra attribute.
const GAL_OUT: &[(&str, &str)] = &[
    ("l", "city"),
    ("co", "country"),
    ("c", "c"),
    ("countryCode", "countryCode"),
    ("company", "company"),
    ("department", "department"),
    ("description", "description"),
    ("displayName", "displayName"),
    ("facsimileTelephoneNumber", "facsimileTelephoneNumber"),
    ("givenName", "givenName"),
    ("homePhone", "homePhone"),
    ("info", "info"),
    ("initials", "initials"),
    ("ipPhone", "ipPhone"),
    ("mail", "mail"),
    ("mailNickname", "mailNickname"),
    ("manager", "manager"),
    ("mobile", "mobile"),
    ("otherTelephone", "otherTelephone"),
    ("pager", "pager"),
    ("physicalDeliveryOfficeName", "physicalDeliveryOfficeName"),
    ("postalCode", "postalCode"),
    ("postOfficeBox", "postOfficeBox"),
    ("proxyAddresses", "proxyAddresses"),
    ("sn", "sn"),
    ("st", "st"),
    ("streetAddress", "streetAddress"),
    ("targetAddress", "targetAddress"),
    ("telephoneAssistant", "telephoneAssistant"),
    ("telephoneNumber", "telephoneNumber"),
    ("thumbnailPhoto", "thumbnailphoto"),
    ("title", "title"),
    ("wWWHomePage", "wWWHomePage"),
    ("msExchHideFromAddressLists", "msExchHideFromAddressLists"),
    ("msExchRecipientTypeDetails", "msExchRecipientTypeDetails"),
    ("msExchRecipientDisplayType", "msExchRecipientDisplayType"),
    ("legacyExchangeDN", "legacyExchangeDN"),
    ("authOrig", "authOrig"),
    ("unauthOrig", "unauthOrig"),
    ("dLMemSubmitPerms", "dLMemSubmitPerms"),
    ("dLMemRejectPerms", "dLMemRejectPerms"),
    ("msExchRequireAuthToSendTo", "msExchRequireAuthToSendTo"),
    ("msExchModeratedByLink", "msExchModeratedByLink"),
    ("msExchEnableModeration", "msExchEnableModeration"),
];

/// Builds the full rule for a table row: header fields plus its scoping groups, join groups
/// and attribute flows.
pub fn build_standard_rule(h: &StandardRuleHeader, precedence: i32, id: String) -> SyncRule {
    use ScopeOperator as Op;
    let mut rule = SyncRule {
        name: Some(h.name.to_owned()),
        unique_identifier: Some(id.clone()),
        internal_identifier: id,
        description: String::new(),
        source_object_type: Some(h.source.to_owned()),
        target_object_type: Some(h.target.to_owned()),
        link_type: Some(LinkType::parse(h.link_type)),
        immutable_tag: Some(h.tag.to_owned()),
        disabled: false,
        direction: Some(Direction::parse(h.direction)),
        precedence,
        ..SyncRule::default()
    };
    let sid_joins = vec![
        vec![join("objectSid", "objectSid", false)],
        vec![join("msExchMasterAccountSid", "objectSid", false)],
        vec![join("objectSid", "msExchMasterAccountSid", false)],
        vec![join("msRTCSIP-OriginatorSid", "objectSid", false)],
        vec![join("objectSid", "msRTCSIP-OriginatorSid", false)],
    ];
    let not_critical = || scope("isCriticalSystemObject", Op::NotEqual, "TRUE");
    // The scope of the outbound Entra rules of one object family.
    let entra_scope = |kind: &str| {
        vec![vec![
            scope("sourceObjectType", Op::Equal, kind),
            scope("cloudMastered", Op::NotEqual, "True"),
        ]]
    };
    let provision_scope = |kind: &str| {
        vec![
            scope("sourceObjectType", Op::Equal, kind),
            scope("cloudMastered", Op::NotEqual, "True"),
            scope("cloudFiltered", Op::NotEqual, "True"),
            scope("sourceAnchor", Op::IsNotNull, ""),
        ]
    };
    let entra_provision_flows = || {
        vec![
            expression("sourceAnchor", "dn", ENTRA_DN),
            expression(
                "sourceAnchor,cloudSourceAnchor,cloudAnchor,sourceObjectType",
                "sourceAnchor",
                ANCHOR_CHANGED_CHECK,
            ),
            direct("cn", "commonName"),
        ]
    };
    match h.name {
        "In from AD - User Join" => {
            rule.scope_groups = vec![vec![
                not_critical(),
                scope("adminDescription", Op::NotStartsWith, "User_"),
            ]];
            rule.join_groups = sid_joins;
            rule.mappings = vec![expression(
                "isCriticalSystemObject,sAMAccountName,mailNickname,msExchRecipientTypeDetails,dn",
                "cloudFiltered",
                CLOUD_FILTERED,
            )];
        }
        "In from AD - InetOrgPerson Join" => {
            rule.scope_groups = vec![vec![not_critical()]];
            rule.join_groups = sid_joins;
            rule.mappings = vec![expression(
                "isCriticalSystemObject,sAMAccountName,mailNickname,msExchRecipientTypeDetails,dn",
                "cloudFiltered",
                CLOUD_FILTERED,
            )];
        }
        "In from AD - User AccountEnabled" | "In from AD - InetOrgPerson AccountEnabled" => {
            rule.scope_groups = vec![vec![scope("userAccountControl", Op::IsBitNotSet, "2")]];
            rule.password_hash_sync_target = true;
            rule.mappings = vec![
                constant("accountEnabled", "True"),
                expression("", "contributingConnectorUser", "%Connector.ID%"),
                expression("userPrincipalName,sAMAccountName", "userPrincipalName", USER_PRINCIPAL_NAME),
                expression("objectGUID,msExchRecipientTypeDetails", "sourceAnchor", SOURCE_ANCHOR),
                expression(
                    "pwdLastSet",
                    "pwdLastSet",
                    "IIF(IsPresent([pwdLastSet]), CStr(FormatDateTime(DateFromNum([pwdLastSet]), \"yyyyMMddHHmmss.0Z\")), NULL)",
                ),
                direct("objectSid", "objectSid"),
                expression("objectSid", "objectSidString", "StringFromSid([objectSid])"),
                direct("cn", "cn"),
            ];
            rule.mappings.extend(domain_flows());
        }
        "In from AD - User Common from Exchange" => {
            rule.scope_groups = vec![vec![
                scope("mailNickname", Op::IsNotNull, ""),
                scope("adminDescription", Op::NotStartsWith, "User_"),
            ]];
            rule.mappings = common_user_flows(true);
        }
        "In from AD - InetOrgPerson Common from Exchange" => {
            rule.scope_groups = vec![vec![scope("mailNickname", Op::IsNotNull, "")]];
            rule.mappings = common_user_flows(true);
        }
        "In from AD - User Common" => {
            rule.scope_groups = vec![vec![scope("adminDescription", Op::NotStartsWith, "User_")]];
            rule.mappings = common_user_flows(false);
        }
        "In from AD - InetOrgPerson Common" => {
            rule.mappings = common_user_flows(false);
        }
        "In from AD - User Exchange" | "In from AD - InetOrgPerson Exchange" => {
            rule.scope_groups = vec![vec![scope("mailNickname", Op::IsNotNull, "")]];
            rule.mappings = same(USER_EXCHANGE);
            rule.mappings.push(expression(
                "",
                "contributingConnectorExchange",
                "%Connector.ID%",
            ));
        }
        "In from AD - User Lync"
        | "In from AD - InetOrgPerson Lync"
        | "In from AD - Contact Lync" => {
            rule.mappings = same(LYNC);
            rule.mappings.push(expression(
                "",
                "contributingConnectorLync",
                "%Connector.ID%",
            ));
        }
        "In from AD - Group Join" => {
            rule.scope_groups = vec![vec![
                not_critical(),
                scope("adminDescription", Op::NotStartsWith, "Group_"),
            ]];
            rule.join_groups = vec![vec![join("objectSid", "objectSid", false)]];
            rule.mappings = vec![
                expression(
                    "isCriticalSystemObject,mailNickname,groupType,proxyAddresses,mail,dn",
                    "cloudFiltered",
                    GROUP_CLOUD_FILTERED,
                ),
                constant("sourceObjectType", "Group"),
                expression("objectGUID", "sourceAnchor", OBJECT_GUID_ANCHOR),
                direct("objectGUID", "sourceAnchorBinary"),
                direct("objectSid", "objectSid"),
                expression("objectSid", "objectSidString", "StringFromSid([objectSid])"),
                direct("cn", "cn"),
                direct("sAMAccountName", "accountName"),
            ];
            rule.mappings.extend(domain_flows());
        }
        "In from AD - Group Exchange" => {
            rule.scope_groups = vec![vec![scope("mailNickname", Op::IsNotNull, "")]];
            rule.mappings = same(GROUP_EXCHANGE);
            rule.mappings.push(expression(
                "",
                "contributingConnectorExchange",
                "%Connector.ID%",
            ));
        }
        "In from AD - Group Common" => {
            rule.mappings = vec![
                expression("displayName,cn", "displayName", "IIF(IsNullOrEmpty([displayName]), [cn], [displayName])"),
                expression(
                    "description",
                    "description",
                    "IIF(IsNullOrEmpty([description]), NULL, Left(Trim(Item([description], 1)), 448))",
                ),
                expression("info", "info", "Left(Trim([info]), 448)"),
                expression("mail", "mail", "Trim([mail])"),
                merged(expression(
                    "proxyAddresses",
                    "proxyAddresses",
                    "RemoveDuplicates(Trim(ImportedValue(\"proxyAddresses\")))",
                )),
                direct("member", "member"),
                expression("member", "memberCount", "ValueCount(\"member\")"),
                direct("managedBy", "managedBy"),
                direct("groupType", "groupType"),
                expression(
                    "groupType",
                    "securityEnabled",
                    "IIF(BitAnd([groupType], &H80000000) = &H80000000, True, False)",
                ),
                expression(
                    "proxyAddresses,mail",
                    "mailEnabled",
                    &format!("IIF({MAIL_ENABLED}, True, False)"),
                ),
            ];
            let ext = extension_attributes();
            rule.mappings
                .extend(trims(&ext.iter().map(String::as_str).collect::<Vec<_>>()));
        }
        "In from AD - Contact Join" => {
            rule.scope_groups = vec![vec![
                not_critical(),
                scope("adminDescription", Op::NotStartsWith, "Contact_"),
            ]];
            rule.join_groups = vec![vec![join("mail", "mail", false)]];
            rule.mappings = vec![
                expression(
                    "isCriticalSystemObject,displayName,msExchHideFromAddressLists,mailNickname,proxyAddresses,mail,dn",
                    "cloudFiltered",
                    CONTACT_CLOUD_FILTERED,
                ),
                expression("objectGUID", "sourceAnchor", OBJECT_GUID_ANCHOR),
                direct("objectGUID", "sourceAnchorBinary"),
                direct("cn", "cn"),
            ];
            rule.mappings.extend(domain_flows());
        }
        "In from AD - Contact Common" => {
            rule.mappings = vec![
                constant("sourceObjectType", "Contact"),
                expression("displayName,cn", "displayName", "IIF(IsNullOrEmpty([displayName]), [cn], [displayName])"),
                expression(
                    "description",
                    "description",
                    "IIF(IsNullOrEmpty([description]), NULL, Left(Trim(Item([description], 1)), 448))",
                ),
                expression("info", "info", "Left(Trim([info]), 448)"),
                merged(expression(
                    "proxyAddresses",
                    "proxyAddresses",
                    "RemoveDuplicates(Trim(ImportedValue(\"proxyAddresses\")))",
                )),
                direct("manager", "manager"),
            ];
            rule.mappings.extend(trims(&[
                "givenName",
                "sn",
                "mail",
                "mailNickname",
                "targetAddress",
                "company",
                "department",
                "title",
                "telephoneNumber",
                "mobile",
                "physicalDeliveryOfficeName",
                "streetAddress",
                "l",
                "st",
                "postalCode",
                "c",
                "co",
            ]));
            rule.mappings.extend(same(&[
                "msExchRecipientTypeDetails",
                "msExchRecipientDisplayType",
                "msExchHideFromAddressLists",
                "legacyExchangeDN",
            ]));
            let ext = extension_attributes();
            rule.mappings
                .extend(trims(&ext.iter().map(String::as_str).collect::<Vec<_>>()));
        }
        "In from AD - ForeignSecurityPrincipal Join User" => {
            rule.join_groups = vec![vec![join("cn", "objectSidString", false)]];
        }
        "In from AD - Computer Join" => {
            rule.scope_groups = vec![vec![scope("userCertificate", Op::IsNotNull, "")]];
            rule.join_groups = vec![vec![join("objectGUID", "deviceId", false)]];
            rule.mappings = vec![
                expression("isCriticalSystemObject,dn", "cloudFiltered", COMPUTER_CLOUD_FILTERED),
                constant("sourceObjectType", "Computer"),
                constant("deviceTrustType", "ServerAd"),
                once(constant("cloudCreated", "False")),
                once(expression("", "registeredOwnerReference", "NULL")),
                expression("objectGUID", "sourceAnchor", OBJECT_GUID_ANCHOR),
                direct("objectGUID", "deviceId"),
                expression(
                    "userAccountControl",
                    "accountEnabled",
                    "IIF(BitAnd([userAccountControl], 2) = 0, True, False)",
                ),
                expression("displayName,cn", "displayName", "IIF(IsNullOrEmpty([displayName]), [cn], [displayName])"),
                direct("cn", "cn"),
                expression("operatingSystem", "deviceOSType", "IIF(InStr([operatingSystem], \"Windows\") > 0, \"Windows\", [operatingSystem])"),
                direct("operatingSystemVersion", "deviceOSVersion"),
                direct("userCertificate", "userCertificate"),
                direct("objectSid", "objectSid"),
                expression("objectSid", "objectSidString", "StringFromSid([objectSid])"),
                direct("dNSHostName", "dNSHostName"),
            ];
            rule.mappings.extend(domain_flows());
        }
        "In from AD - Device Common" => {
            rule.join_groups = vec![vec![join("msDS-DeviceID", "deviceId", false)]];
            rule.mappings = vec![
                direct("msDS-IsManaged", "deviceManaged"),
                direct("msDS-DeviceOSType", "deviceOSType"),
                direct("msDS-DeviceOSVersion", "deviceOSVersion"),
                direct("msDS-RegisteredOwner", "registeredOwnerReference"),
            ];
        }
        "In from AAD - User Join" => {
            rule.scope_groups = vec![vec![scope("cloudMastered", Op::Equal, "False")]];
            rule.join_groups = vec![vec![join("sourceAnchor", "sourceAnchor", true)]];
            rule.mappings = vec![
                direct("cloudAnchor", "cloudAnchor"),
                expression(
                    "sourceAnchor",
                    "cloudSourceAnchor",
                    "ImportedValue(\"sourceAnchor\")",
                ),
                direct("accountEnabled", "cloudAccountEnabled"),
                direct("usageLocation", "usageLocation"),
            ];
        }
        "In from AAD - Contact Join" | "In from AAD - Group Join" => {
            rule.scope_groups = vec![vec![scope("cloudMastered", Op::Equal, "False")]];
            rule.join_groups = vec![vec![join("sourceAnchor", "sourceAnchor", true)]];
            rule.mappings = vec![
                direct("cloudAnchor", "cloudAnchor"),
                expression(
                    "sourceAnchor",
                    "cloudSourceAnchor",
                    "ImportedValue(\"sourceAnchor\")",
                ),
            ];
        }
        "In from AAD - User NGCKey" => {
            rule.scope_groups = vec![vec![scope("cloudMastered", Op::Equal, "False")]];
            rule.mappings = vec![direct("searchableDeviceKey", "searchableDeviceKey")];
        }
        "In from AAD - User Exchange Hybrid" => {
            rule.mappings = directs(&[
                ("cloudMSExchSafeSendersHash", "cloudMSExchSafeSendersHash"),
                (
                    "cloudMSExchSafeRecipientsHash",
                    "cloudMSExchSafeRecipientsHash",
                ),
                (
                    "cloudMSExchBlockedSendersHash",
                    "cloudMSExchBlockedSendersHash",
                ),
                ("cloudMSExchArchiveStatus", "cloudMSExchArchiveStatus"),
                (
                    "cloudMSExchUCVoiceMailSettings",
                    "cloudMSExchUCVoiceMailSettings",
                ),
                (
                    "cloudMSExchTeamMailboxOwners",
                    "cloudMSExchTeamMailboxOwners",
                ),
                ("cloudLegacyExchangeDN", "cloudLegacyExchangeDN"),
                ("cloudSOAExchMailbox", "cloudSOAExchMailbox"),
                ("cloudPublicDelegates", "cloudPublicDelegates"),
            ]);
        }
        "In from AAD - Contact Exchange Hybrid" | "In from AAD - Group Exchange Hybrid" => {
            rule.mappings = directs(&[("cloudLegacyExchangeDN", "cloudLegacyExchangeDN")]);
        }
        "Out to AAD - User Join" => {
            let mut scope_group = provision_scope("User");
            scope_group.push(scope("accountEnabled", Op::IsNotNull, ""));
            rule.scope_groups = vec![scope_group];
            rule.join_groups = vec![vec![join("sourceAnchor", "sourceAnchor", false)]];
            rule.password_hash_sync_target = true;
            rule.mappings = vec![
                expression("sourceAnchor", "dn", ENTRA_DN),
                expression(
                    "sourceAnchor,cloudSourceAnchor,cloudAnchor,sourceObjectType",
                    "sourceAnchor",
                    ANCHOR_CHANGED_CHECK,
                ),
                expression(
                    "usageLocation",
                    "usageLocation",
                    "IIF(IsNullOrEmpty([usageLocation]), IgnoreThisFlow, [usageLocation])",
                ),
            ];
            rule.mappings.extend(directs(&[
                ("accountEnabled", "accountEnabled"),
                ("cn", "commonName"),
                ("domainFQDN", "dnsDomainName"),
                ("domainNetBios", "netBiosName"),
                ("pwdLastSet", "lastPasswordChangeTimestamp"),
                ("accountName", "onPremisesSamAccountName"),
                ("objectSid", "onPremiseSecurityIdentifier"),
            ]));
        }
        "Out to AAD - User Identity" => {
            rule.scope_groups = entra_scope("User");
            rule.mappings = directs(&[
                ("accountEnabled", "accountEnabled"),
                ("mailNickname", "alias"),
                ("displayName", "displayName"),
                ("givenName", "givenName"),
                ("mail", "mail"),
                ("onPremisesUserPrincipalName", "onPremisesUserPrincipalName"),
                ("proxyAddresses", "proxyAddresses"),
                ("sn", "surname"),
                ("userPrincipalName", "userPrincipalName"),
            ]);
        }
        "Out to AAD - User ExchangeOnline" => {
            rule.scope_groups = entra_scope("User");
            rule.mappings = directs(GAL_OUT);
            rule.mappings.extend(same(&[
                "msExchMailboxGuid",
                "msExchArchiveGUID",
                "msExchArchiveName",
                "msExchArchiveStatus",
                "msExchAssistantName",
                "msExchELCMailboxFlags",
                "msExchLitigationHoldDate",
                "msExchLitigationHoldOwner",
                "msExchRemoteRecipientType",
                "msExchRetentionComment",
                "msExchRetentionURL",
                "msExchUserHoldPolicies",
                "msExchSafeSendersHash",
                "msExchSafeRecipientsHash",
                "msExchBlockedSendersHash",
                "msExchDelegateListLink",
                "msExchBypassModerationLink",
                "msExchResourceCapacity",
                "msExchResourceDisplay",
                "msExchResourceMetaData",
                "msExchResourceSearchProperties",
                "msExchTeamMailboxExpiration",
                "msExchTeamMailboxOwners",
                "msExchTeamMailboxSharePointUrl",
                "altRecipient",
                "publicDelegates",
                "deliverAndRedirect",
            ]));
            let ext = extension_attributes();
            rule.mappings
                .extend(same(&ext.iter().map(String::as_str).collect::<Vec<_>>()));
        }
        "Out to AAD - User DynamicsCRM" | "Out to AAD - Contact DynamicsCRM" => {
            rule.scope_groups = entra_scope(if h.target == "user" {
                "User"
            } else {
                "Contact"
            });
            rule.mappings = same(&[
                "c",
                "company",
                "department",
                "mobile",
                "telephoneNumber",
                "title",
                "st",
                "streetAddress",
                "postalCode",
            ]);
        }
        "Out to AAD - User Intune" | "Out to AAD - Contact Intune" => {
            rule.scope_groups = entra_scope(if h.target == "user" {
                "User"
            } else {
                "Contact"
            });
            rule.mappings = directs(&[
                ("c", "c"),
                ("mail", "mail"),
                ("proxyAddresses", "proxyAddresses"),
            ]);
        }
        "Out to AAD - User LyncOnline" | "Out to AAD - Contact LyncOnline" => {
            rule.scope_groups = entra_scope(if h.target == "user" {
                "User"
            } else {
                "Contact"
            });
            rule.mappings = same(LYNC);
            rule.mappings.extend(same(&[
                "ipPhone",
                "telephoneNumber",
                "mobile",
                "physicalDeliveryOfficeName",
            ]));
        }
        "Out to AAD - User SharePointOnline" | "Out to AAD - Contact SharePointOnline" => {
            rule.scope_groups = entra_scope(if h.target == "user" {
                "User"
            } else {
                "Contact"
            });
            rule.mappings = directs(&[
                ("thumbnailPhoto", "thumbnailphoto"),
                ("url", "url"),
                ("wWWHomePage", "wWWHomePage"),
                ("physicalDeliveryOfficeName", "physicalDeliveryOfficeName"),
                ("manager", "manager"),
            ]);
        }
        "Out to AAD - User AzureRMS" | "Out to AAD - Contact AzureRMS" => {
            rule.scope_groups = entra_scope(if h.target == "user" {
                "User"
            } else {
                "Contact"
            });
            rule.mappings = same(&["mail", "proxyAddresses"]);
        }
        "Out to AAD - User OfficeProPlus" => {
            rule.scope_groups = entra_scope("User");
            rule.mappings = same(&["c", "userPrincipalName"]);
        }
        "Out to AAD - Contact Join" => {
            rule.scope_groups = vec![provision_scope("Contact")];
            rule.join_groups = vec![vec![join("sourceAnchor", "sourceAnchor", false)]];
            rule.mappings = entra_provision_flows();
            rule.mappings.extend(directs(&[
                ("domainFQDN", "dnsDomainName"),
                ("domainNetBios", "netBiosName"),
            ]));
        }
        "Out to AAD - Contact Identity" => {
            rule.scope_groups = entra_scope("Contact");
            rule.mappings = directs(&[
                ("mailNickname", "alias"),
                ("displayName", "displayName"),
                ("givenName", "givenName"),
                ("mail", "mail"),
                ("proxyAddresses", "proxyAddresses"),
                ("sn", "surname"),
                ("targetAddress", "targetAddress"),
            ]);
        }
        "Out to AAD - Contact ExchangeOnline" => {
            rule.scope_groups = entra_scope("Contact");
            rule.mappings = directs(GAL_OUT);
            let ext = extension_attributes();
            rule.mappings
                .extend(same(&ext.iter().map(String::as_str).collect::<Vec<_>>()));
        }
        "Out to AAD - Group Join" => {
            let mut scope_group = provision_scope("Group");
            scope_group.push(scope("memberCount", Op::LessThan, "50000"));
            rule.scope_groups = vec![scope_group];
            rule.join_groups = vec![vec![join("sourceAnchor", "sourceAnchor", false)]];
            rule.mappings = entra_provision_flows();
            rule.mappings.extend(directs(&[
                ("securityEnabled", "securityEnabled"),
                ("mailEnabled", "mailEnabled"),
                ("accountName", "onPremisesSamAccountName"),
                ("objectSid", "onPremiseSecurityIdentifier"),
                ("domainFQDN", "dnsDomainName"),
                ("domainNetBios", "netBiosName"),
            ]));
        }
        "Out to AAD - Group Identity" => {
            rule.scope_groups = entra_scope("Group");
            rule.mappings = directs(&[
                ("displayName", "displayName"),
                ("description", "description"),
                ("mail", "mail"),
                ("mailNickname", "alias"),
                ("proxyAddresses", "proxyAddresses"),
                ("member", "member"),
                ("securityEnabled", "securityEnabled"),
                ("mailEnabled", "mailEnabled"),
            ]);
        }
        "Out to AAD - Group ExchangeOnline" => {
            rule.scope_groups = entra_scope("Group");
            rule.mappings = same(GROUP_EXCHANGE);
            rule.mappings
                .extend(same(&["info", "managedBy", "groupType"]));
            let ext = extension_attributes();
            rule.mappings
                .extend(same(&ext.iter().map(String::as_str).collect::<Vec<_>>()));
        }
        "Out to AAD - Group DynamicsCRM"
        | "Out to AAD - Group Intune"
        | "Out to AAD - Group LyncOnline"
        | "Out to AAD - Group SharePointOnline"
        | "Out to AAD - Group AzureRMS" => {
            rule.scope_groups = entra_scope("Group");
            rule.mappings = directs(&[
                ("displayName", "displayName"),
                ("mail", "mail"),
                ("member", "member"),
            ]);
        }
        "Out to AAD - Device Join SOAInAD" => {
            let mut scope_group = provision_scope("Computer");
            scope_group.push(scope("cloudCreated", Op::NotEqual, "True"));
            rule.scope_groups = vec![scope_group];
            rule.join_groups = vec![vec![join("sourceAnchor", "sourceAnchor", false)]];
            rule.mappings = entra_provision_flows();
            rule.mappings.extend(directs(&[
                ("deviceId", "deviceId"),
                ("accountEnabled", "accountEnabled"),
                ("displayName", "displayName"),
                ("deviceOSType", "deviceOSType"),
                ("deviceOSVersion", "deviceOSVersion"),
                ("deviceTrustType", "deviceTrustType"),
                ("userCertificate", "userCertificate"),
                ("objectSid", "onPremiseSecurityIdentifier"),
                ("domainFQDN", "dnsDomainName"),
            ]));
        }
        "Out to AD - User Join SOAInAD" => {
            rule.scope_groups = vec![vec![scope("cloudMastered", Op::Equal, "False")]];
            rule.join_groups = vec![
                vec![join("objectSid", "objectSid", false)],
                vec![join("msExchMasterAccountSid", "objectSid", false)],
            ];
        }
        "Out to AD - InetOrgPerson Join" => {
            rule.scope_groups = vec![vec![scope("cloudMastered", Op::Equal, "False")]];
            rule.join_groups = vec![vec![join("objectSid", "objectSid", false)]];
        }
        "Out to AD - Group Join" => {
            rule.scope_groups = vec![vec![scope("cloudMastered", Op::Equal, "False")]];
            rule.join_groups = vec![vec![join("objectSid", "objectSid", false)]];
        }
        "Out to AD - Contact Join" => {
            rule.scope_groups = vec![vec![scope("cloudMastered", Op::Equal, "False")]];
            rule.join_groups = vec![vec![join("objectGUID", "sourceAnchorBinary", false)]];
        }
        "Out to AD - User Exchange Hybrid" | "Out to AD - InetOrgPerson Exchange Hybrid" => {
            rule.scope_groups = vec![vec![scope(
                "contributingConnectorExchange",
                Op::Equal,
                "%Connector.ID%",
            )]];
            rule.mappings = vec![
                expression(
                    "cloudSOAExchMailbox,cloudMSExchSafeSendersHash",
                    "msExchSafeSendersHash",
                    "IIF([cloudSOAExchMailbox] = True, [cloudMSExchSafeSendersHash], IgnoreThisFlow)",
                ),
                expression(
                    "cloudSOAExchMailbox,cloudMSExchSafeRecipientsHash",
                    "msExchSafeRecipientsHash",
                    "IIF([cloudSOAExchMailbox] = True, [cloudMSExchSafeRecipientsHash], IgnoreThisFlow)",
                ),
                expression(
                    "cloudSOAExchMailbox,cloudMSExchBlockedSendersHash",
                    "msExchBlockedSendersHash",
                    "IIF([cloudSOAExchMailbox] = True, [cloudMSExchBlockedSendersHash], IgnoreThisFlow)",
                ),
                direct("cloudMSExchArchiveStatus", "msExchArchiveStatus"),
                direct("cloudMSExchUCVoiceMailSettings", "msExchUCVoiceMailSettings"),
                merged(expression(
                    "cloudLegacyExchangeDN",
                    "proxyAddresses",
                    "IIF(IsPresent([cloudLegacyExchangeDN]), \"x500:\" & [cloudLegacyExchangeDN], NULL)",
                )),
            ];
        }
        "Out to AD - Contact Exchange Hybrid" | "Out to AD - Group Exchange Hybrid" => {
            rule.mappings = vec![merged(expression(
                "cloudLegacyExchangeDN",
                "proxyAddresses",
                "IIF(IsPresent([cloudLegacyExchangeDN]), \"x500:\" & [cloudLegacyExchangeDN], NULL)",
            ))];
        }
        // A header that is not in the table: no content (the catalogue test checks that every
        // row of the table has some).
        _ => {}
    }
    rule
}

/// The flows of "In from AD - User Common" (`from_exchange: false`) and "Common from Exchange"
/// (`true`): the same GAL set; Common also carries the sign-in attributes and
/// `sourceObjectType`.
fn common_user_flows(from_exchange: bool) -> Vec<AttributeMapping> {
    let mut m = vec![expression(
        "userAccountControl",
        "accountEnabled",
        "IIF(BitAnd([userAccountControl], 2) = 0, True, False)",
    )];
    if !from_exchange {
        m.extend([
            expression("userPrincipalName,sAMAccountName", "userPrincipalName", USER_PRINCIPAL_NAME),
            expression("objectGUID,msExchRecipientTypeDetails", "sourceAnchor", SOURCE_ANCHOR),
            direct("sAMAccountName", "accountName"),
            expression(
                "msExchRecipientTypeDetails",
                "sourceObjectType",
                "IIF(IsPresent([msExchRecipientTypeDetails]), IIF([msExchRecipientTypeDetails] = 2, NULL, \"User\"), \"User\")",
            ),
            direct("objectSid", "objectSid"),
            expression("objectSid", "objectSidString", "StringFromSid([objectSid])"),
            direct("cn", "cn"),
        ]);
        m.extend(domain_flows());
    }
    m.extend(gal_mappings());
    m
}

fn gal_mappings() -> Vec<AttributeMapping> {
    let mut m: Vec<AttributeMapping> = [
        "givenName",
        "sn",
        "mail",
        "department",
        "company",
        "title",
        "telephoneNumber",
        "physicalDeliveryOfficeName",
        "streetAddress",
        "l",
        "st",
        "postalCode",
        "c",
        "co",
        "mobile",
        "facsimileTelephoneNumber",
        "homePhone",
        "ipPhone",
        "pager",
        "initials",
        "otherTelephone",
        "telephoneAssistant",
        "wWWHomePage",
        "employeeID",
    ]
    .iter()
    .map(|a| expression(a, a, &format!("Trim([{a}])")))
    .collect();
    let ext = extension_attributes();
    m.extend(trims(&ext.iter().map(String::as_str).collect::<Vec<_>>()));
    m.extend(same(&[
        "manager",
        "assistant",
        "countryCode",
        "thumbnailPhoto",
    ]));
    for a in ["postOfficeBox", "url"] {
        m.push(expression(
            a,
            a,
            &format!("IIF(IsNullOrEmpty([{a}]), NULL, Left(Trim(Item([{a}], 1)), 448))"),
        ));
    }
    m.push(expression(
        "displayName,cn",
        "displayName",
        "IIF(IsNullOrEmpty([displayName]), [cn], [displayName])",
    ));
    m.push(expression(
        "description",
        "description",
        "IIF(IsNullOrEmpty([description]), NULL, Left(Trim(Item([description], 1)), 448))",
    ));
    m.push(expression("info", "info", "Left(Trim([info]), 448)"));
    let mut proxies = expression(
        "proxyAddresses",
        "proxyAddresses",
        "RemoveDuplicates(Trim(ImportedValue(\"proxyAddresses\")))",
    );
    proxies.merge_type = MergeType::MergeCaseInsensitive;
    m.push(proxies);
    m
}
