//! The documented out-of-box rule set (single forest, Exchange and Lync schema present), with
//! the scoping filters, join groups and transformations documented for the key rules.

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

/// The out-of-box rules of a single-forest server (reference: server 1.1.130.0 sample).
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

/// Names of the standard rules whose scope, join and transformation content
/// [`build_standard_rule`] takes from the documentation. The other rules get representative
/// content, which says nothing about the real rule and must not be compared with one.
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

/// True when [`build_standard_rule`] builds the named rule's scope, joins and transformations
/// from the documentation (rather than representative content).
pub fn has_documented_content(name: &str) -> bool {
    DOCUMENTED_CONTENT.contains(&name)
}

/// Builds the full rule for a table row: header fields plus the documented scope, joins and
/// transformations (a representative subset for rules the documentation does not detail).
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
    match h.name {
        "In from AD - User Join" => {
            rule.scope_groups = vec![vec![
                scope("isCriticalSystemObject", Op::NotEqual, "TRUE"),
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
            rule.scope_groups = vec![vec![scope("isCriticalSystemObject", Op::NotEqual, "TRUE")]];
            rule.join_groups = sid_joins;
            rule.mappings = vec![expression(
                "isCriticalSystemObject,sAMAccountName",
                "cloudFiltered",
                "IIF(IsPresent([isCriticalSystemObject]) || IsNullOrEmpty([sAMAccountName]), True, NULL)",
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
                expression("", "domainFQDN", "%Domain.FQDN%"),
                expression("", "domainNetBios", "%Domain.Netbios%"),
                expression("", "forestFQDN", "%Forest.FQDN%"),
                expression("", "forestNetBios", "%Forest.Netbios%"),
                direct("objectSid", "objectSid"),
                expression("objectSid", "objectSidString", "StringFromSid([objectSid])"),
                direct("cn", "cn"),
            ];
        }
        "In from AD - User Common from Exchange" => {
            rule.scope_groups = vec![vec![
                scope("mailNickname", Op::IsNotNull, ""),
                scope("adminDescription", Op::NotStartsWith, "User_"),
            ]];
            rule.mappings = gal_mappings();
        }
        "In from AD - User Common" => {
            rule.scope_groups = vec![vec![scope("adminDescription", Op::NotStartsWith, "User_")]];
            let mut m = vec![
                expression(
                    "userAccountControl",
                    "accountEnabled",
                    "IIF(BitAnd([userAccountControl], 2) = 0, True, False)",
                ),
                expression("userPrincipalName,sAMAccountName", "userPrincipalName", USER_PRINCIPAL_NAME),
                expression("objectGUID,msExchRecipientTypeDetails", "sourceAnchor", SOURCE_ANCHOR),
                direct("sAMAccountName", "accountName"),
                direct("manager", "manager"),
                expression(
                    "msExchRecipientTypeDetails",
                    "sourceObjectType",
                    "IIF(IsPresent([msExchRecipientTypeDetails]), IIF([msExchRecipientTypeDetails] = 2, NULL, \"User\"), \"User\")",
                ),
            ];
            m.extend(gal_mappings());
            rule.mappings = m;
        }
        "In from AD - User Exchange" | "In from AD - InetOrgPerson Exchange" => {
            rule.scope_groups = vec![vec![scope("mailNickname", Op::IsNotNull, "")]];
            rule.mappings = vec![
                direct("mailNickname", "mailNickname"),
                direct("msExchRecipientTypeDetails", "msExchRecipientTypeDetails"),
                direct("msExchHideFromAddressLists", "msExchHideFromAddressLists"),
                expression("", "contributingConnectorExchange", "%Connector.ID%"),
            ];
        }
        "In from AD - ForeignSecurityPrincipal Join User" => {
            rule.join_groups = vec![vec![join("cn", "objectSidString", false)]];
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
        "Out to AAD - User Join" => {
            rule.scope_groups = vec![vec![
                scope("sourceObjectType", Op::Equal, "User"),
                scope("cloudMastered", Op::NotEqual, "True"),
                scope("cloudFiltered", Op::NotEqual, "True"),
                scope("sourceAnchor", Op::IsNotNull, ""),
                scope("accountEnabled", Op::IsNotNull, ""),
            ]];
            rule.join_groups = vec![vec![join("sourceAnchor", "sourceAnchor", false)]];
            rule.password_hash_sync_target = true;
            rule.mappings = vec![
                expression("sourceAnchor", "dn", "\"CN={\" & ConvertToUTF8Hex([sourceAnchor]) & \"}\""),
                expression(
                    "sourceAnchor,cloudSourceAnchor,cloudAnchor,sourceObjectType",
                    "sourceAnchor",
                    "IIF(IsPresent([cloudSourceAnchor]) && (Word([cloudAnchor], 1, \"_\") = [sourceObjectType]) && ([cloudSourceAnchor] <> [sourceAnchor]), Error(\"SourceAnchor attribute has changed.\"), [sourceAnchor])",
                ),
                expression(
                    "usageLocation",
                    "usageLocation",
                    "IIF(IsNullOrEmpty([usageLocation]), IgnoreThisFlow, [usageLocation])",
                ),
                direct("accountEnabled", "accountEnabled"),
                direct("cn", "commonName"),
                direct("domainFQDN", "dnsDomainName"),
                direct("domainNetBios", "netBiosName"),
                direct("pwdLastSet", "lastPasswordChangeTimestamp"),
                direct("accountName", "onPremisesSamAccountName"),
                direct("objectSid", "onPremiseSecurityIdentifier"),
            ];
        }
        "Out to AAD - User Identity" => {
            rule.scope_groups = vec![vec![
                scope("sourceObjectType", Op::Equal, "User"),
                scope("cloudMastered", Op::NotEqual, "True"),
            ]];
            rule.mappings = [
                ("accountEnabled", "accountEnabled"),
                ("mailNickname", "alias"),
                ("displayName", "displayName"),
                ("givenName", "givenName"),
                ("mail", "mail"),
                ("onPremisesUserPrincipalName", "onPremisesUserPrincipalName"),
                ("proxyAddresses", "proxyAddresses"),
                ("sn", "surname"),
                ("userPrincipalName", "userPrincipalName"),
            ]
            .iter()
            .map(|(s, d)| direct(s, d))
            .collect();
        }
        "Out to AD - User Join SOAInAD" => {
            rule.scope_groups = vec![vec![scope("cloudMastered", Op::Equal, "False")]];
            rule.join_groups = vec![
                vec![join("objectSid", "objectSid", false)],
                vec![join("msExchMasterAccountSid", "objectSid", false)],
            ];
        }
        "Out to AD - User Exchange Hybrid" => {
            rule.mappings = vec![expression(
                "cloudSOAExchMailbox,cloudMSExchSafeSendersHash",
                "msExchSafeSendersHash",
                "IIF([cloudSOAExchMailbox] = True, [cloudMSExchSafeSendersHash], IgnoreThisFlow)",
            )];
        }
        _ => {
            generic_content(&mut rule, h);
        }
    }
    rule
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
    ]
    .iter()
    .map(|a| expression(a, a, &format!("Trim([{a}])")))
    .collect();
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

fn generic_content(rule: &mut SyncRule, h: &StandardRuleHeader) {
    use ScopeOperator as Op;
    let object = match h.direction {
        "Inbound" => h.source,
        _ => h.target,
    };
    if h.link_type == "Provision" {
        rule.join_groups = match h.home {
            RuleHome::ActiveDirectory => {
                vec![vec![join("objectGUID", "sourceAnchorBinary", false)]]
            }
            RuleHome::Entra => vec![vec![join("sourceAnchor", "sourceAnchor", false)]],
        };
    }
    if h.direction == "Outbound" && h.home == RuleHome::Entra {
        let kind = match object {
            "contact" => "Contact",
            "group" => "Group",
            "device" => "Device",
            _ => "User",
        };
        rule.scope_groups = vec![vec![
            scope("sourceObjectType", Op::Equal, kind),
            scope("cloudMastered", Op::NotEqual, "True"),
        ]];
    } else if h.direction == "Inbound" && h.home == RuleHome::ActiveDirectory {
        rule.scope_groups = vec![vec![scope("isCriticalSystemObject", Op::NotEqual, "TRUE")]];
    }
    rule.mappings = match object {
        "group" => vec![
            direct("displayName", "displayName"),
            direct("member", "member"),
            expression("mailNickname", "mailNickname", "Trim([mailNickname])"),
        ],
        "contact" => vec![
            direct("displayName", "displayName"),
            expression("mail", "mail", "Trim([mail])"),
        ],
        "device" | "computer" | "msDS-Device" => vec![
            direct("displayName", "displayName"),
            direct("deviceId", "deviceId"),
        ],
        _ => vec![
            direct("displayName", "displayName"),
            expression("", "contributingConnector", "%Connector.ID%"),
        ],
    };
}
