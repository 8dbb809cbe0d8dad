//! The out-of-box expressions of research notes §4.2 on their sample objects, and the
//! expression-level parts of the §4.4 fixture cases 1, 2, 3, 4, 8, 9 and 10.

use crate::{b, check, check_error, eval, multi, n, s, EMPTY};
use syncpolicy_expr::eval::EvalErrorKind;
use syncpolicy_expr::value::Value;

/// `In from AD - User Join` (100): the single `cloudFiltered` flow, in the product's layout.
pub(crate) const CLOUD_FILTERED: &str = r#"IIF(
    IsPresent([isCriticalSystemObject]) ||
    IsPresent([sAMAccountName]) = False ||
    [sAMAccountName] = "SUPPORT_388945a0" ||
    Left([mailNickname], 14) = "SystemMailbox{" ||
    Left([sAMAccountName], 4) = "AAD_" ||
    (Left([mailNickname], 4) = "CAS_" && (InStr([mailNickname], "}") > 0)) ||
    (Left([sAMAccountName], 4) = "CAS_" && (InStr([sAMAccountName], "}") > 0)) ||
    Left([sAMAccountName], 5) = "MSOL_" ||
    CBool(IIF(IsPresent([msExchRecipientTypeDetails]),BitAnd([msExchRecipientTypeDetails],&H21C07000) > 0,NULL)) ||
    CBool(InStr(DNComponent(CRef([dn]),1),"\\0ACNF:")>0),
  True,
  NULL
)"#;

/// `In from AD - User AccountEnabled` / `Common`: `userPrincipalName`.
pub(crate) const USER_PRINCIPAL_NAME: &str = r#"IIF(IsPresent([userPrincipalName]),[userPrincipalName], IIF(IsPresent([sAMAccountName]),([sAMAccountName]&"@"&%Domain.FQDN%),Error("AccountName is not present")))"#;

/// `sourceAnchor`, objectGUID mode (export A).
const SOURCE_ANCHOR: &str = r#"IIF([msExchRecipientTypeDetails]=2,NULL,IIF(IsString([objectGUID]),CStr([objectGUID]),ConvertToBase64([objectGUID])))"#;

/// `sourceAnchor`, ms-DS-ConsistencyGuid mode (export B), with the wizard's template guard.
const SOURCE_ANCHOR_CONSISTENCY_GUID: &str = r#"IIF("mS-DS-ConsistencyGuid"="mS-DS-ConsistencyGuid",
  IIF([msExchRecipientTypeDetails]=2,NULL,
    IIF(IsPresent([mS-DS-ConsistencyGuid]),
      IIF(IsString([mS-DS-ConsistencyGuid]),CStr([mS-DS-ConsistencyGuid]),ConvertToBase64([mS-DS-ConsistencyGuid])),
      IIF(IsString([objectGUID]),CStr([objectGUID]),ConvertToBase64([objectGUID])))),
  NULL)"#;

const SOURCE_ANCHOR_BINARY: &str = r#"IIF([msExchRecipientTypeDetails]=2,NULL,IIF(IsPresent([mS-DS-ConsistencyGuid]),[mS-DS-ConsistencyGuid],[objectGUID]))"#;

const ACCOUNT_ENABLED: &str = "IIF(BitAnd([userAccountControl],2)=0,True,False)";

const PWD_LAST_SET: &str = r#"IIF(IsPresent([pwdLastSet]),CStr(FormatDateTime(DateFromNum([pwdLastSet]),"yyyyMMddHHmmss.0Z")),NULL)"#;

const DISPLAY_NAME: &str = "IIF(IsNullOrEmpty([displayName]),[cn],[displayName])";

const DESCRIPTION: &str =
    "IIF(IsNullOrEmpty([description]),NULL,Left(Trim(Item([description],1)),448))";

const SOURCE_OBJECT_TYPE: &str = r#"IIF(IsPresent([msExchRecipientTypeDetails]), IIF([msExchRecipientTypeDetails]=2, NULL, "User"), "User")"#;

const OUT_DN: &str = r#""CN={" & ConvertToUTF8Hex([sourceAnchor]) & "}""#;

const ANCHOR_CHECK: &str = r#"IIF(IsPresent([cloudSourceAnchor]) && (Word([cloudAnchor],1,"_") = [sourceObjectType]) && ([sourceAnchor] <> [cloudSourceAnchor]), Error("SourceAnchor attribute has changed."), [sourceAnchor])"#;

const USAGE_LOCATION: &str = "IIF(IsNullOrEmpty([usageLocation]),IgnoreThisFlow,[usageLocation])";

const JDOE_GUID: &str = "6f9619ff-8b86-d011-b42d-00c04fc964ff";

fn ordinary_user(extra: &str) -> String {
    format!(
        r#"{{"sAMAccountName": "jdoe", "userPrincipalName": "jdoe@contoso.com",
            "userAccountControl": 512, "objectGUID": {{"guid": "{JDOE_GUID}"}},
            "dn": {{"dn": "CN=John Doe,OU=Users,DC=contoso,DC=com"}}{extra}}}"#
    )
}

#[test]
fn every_out_of_box_expression_parses_and_checks() {
    for expr in [
        CLOUD_FILTERED,
        USER_PRINCIPAL_NAME,
        SOURCE_ANCHOR,
        SOURCE_ANCHOR_CONSISTENCY_GUID,
        SOURCE_ANCHOR_BINARY,
        ACCOUNT_ENABLED,
        PWD_LAST_SET,
        DISPLAY_NAME,
        DESCRIPTION,
        SOURCE_OBJECT_TYPE,
        OUT_DN,
        ANCHOR_CHECK,
        USAGE_LOCATION,
        "Left(Trim([info]),448)",
        r#"RemoveDuplicates(Trim(ImportedValue("proxyAddresses")))"#,
        "%Connector.ID%",
        r#"ImportedValue("sourceAnchor")"#,
        "StringFromSid([objectSid])",
        r#"Replace([cloudAnchor],"User_","")"#,
        "IIF([cloudSOAExchMailbox] = True,[cloudMSExchSafeSendersHash],IgnoreThisFlow)",
        r#""x500:" & [cloudLegacyExchangeDN]"#,
        r#"ValueCount("member")"#,
        r#"IIF(InStr([proxyAddresses],"SIP:")=1,NULL,[proxyAddresses])"#,
    ] {
        let diagnostics = syncpolicy_expr::diagnose(expr, &Default::default());
        assert!(diagnostics.is_empty(), "{expr}: {diagnostics:#?}");
    }
}

#[test]
fn comparisons_bind_tighter_than_logical_operators() {
    let (expr, _) = syncpolicy_expr::parse("IsPresent([a]) = False || [b] = \"x\" && [c] <> 1");
    let printed = expr.map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(printed, "IsPresent([a]) = False || [b] = \"x\" && [c] <> 1");
    let (expr, _) =
        syncpolicy_expr::parse("(IsPresent([a]) = False) || (([b] = \"x\") && ([c] <> 1))");
    assert_eq!(
        expr.map(|e| e.to_string()).unwrap_or_default(),
        printed,
        "explicit parentheses give the same tree"
    );
}

// Fixture 1: enabled user.
#[test]
fn fixture_1_enabled_user_anchor_upn_and_dn() {
    let user = ordinary_user("");
    check(CLOUD_FILTERED, &user, Value::Null);
    check(USER_PRINCIPAL_NAME, &user, s("jdoe@contoso.com"));
    check(ACCOUNT_ENABLED, &user, b(true));
    check(SOURCE_ANCHOR, &user, s("/xmWb4aLEdC0LQDAT8lk/w=="));
    check(
        SOURCE_ANCHOR_CONSISTENCY_GUID,
        &user,
        s("/xmWb4aLEdC0LQDAT8lk/w=="),
    );
    check(SOURCE_OBJECT_TYPE, &user, s("User"));
    check(
        OUT_DN,
        r#"{"sourceAnchor": "/xmWb4aLEdC0LQDAT8lk/w=="}"#,
        s("CN={2F786D576234614C456443304C51444154386C6B2F773D3D}"),
    );
    check(
        "ConvertFromUTF8Hex(\"2F786D576234614C456443304C51444154386C6B2F773D3D\")",
        EMPTY,
        s("/xmWb4aLEdC0LQDAT8lk/w=="),
    );
}

#[test]
fn fixture_1_consistency_guid_preferred_when_present() {
    let user = ordinary_user(
        r#", "mS-DS-ConsistencyGuid": {"guid": "00000000-0000-0000-0000-000000000001"}"#,
    );
    check(
        SOURCE_ANCHOR_CONSISTENCY_GUID,
        &user,
        s("AAAAAAAAAAAAAAAAAAAAAQ=="),
    );
    match eval(SOURCE_ANCHOR_BINARY, &user) {
        Ok(Value::Bin(bytes)) => assert_eq!(bytes[15], 1),
        other => panic!("expected binary, got {other:?}"),
    }
}

#[test]
fn fixture_1_disabled_account_is_not_enabled() {
    check(ACCOUNT_ENABLED, r#"{"userAccountControl": 514}"#, b(false));
    check(
        ACCOUNT_ENABLED,
        r#"{"userAccountControl": "514"}"#,
        b(false),
    );
}

// Fixture 2: no UPN.
#[test]
fn fixture_2_upn_falls_back_to_sam_account_name_at_domain() {
    check(
        USER_PRINCIPAL_NAME,
        r#"{"sAMAccountName": "jdoe"}"#,
        s("jdoe@contoso.com"),
    );
    check(
        USER_PRINCIPAL_NAME,
        r#"{"sAMAccountName": "jdoe", "userPrincipalName": ""}"#,
        s("jdoe@contoso.com"),
    );
}

// Fixture 3: no UPN and no sAMAccountName.
#[test]
fn fixture_3_missing_names_filter_and_error() {
    check(CLOUD_FILTERED, EMPTY, b(true));
    check_error(
        USER_PRINCIPAL_NAME,
        EMPTY,
        EvalErrorKind::Raised,
        "AccountName is not present",
    );
}

// Fixture 4: service and system accounts.
#[test]
fn fixture_4_service_and_system_accounts_are_filtered() {
    for sam in ["MSOL_1234", "AAD_5678abcd", "SUPPORT_388945a0", "CAS_{abc}"] {
        check(
            CLOUD_FILTERED,
            &format!(r#"{{"sAMAccountName": "{sam}"}}"#),
            b(true),
        );
    }
    check(
        CLOUD_FILTERED,
        r#"{"sAMAccountName": "SM_1", "mailNickname": "SystemMailbox{1f05a927-1}"}"#,
        b(true),
    );
    check(
        CLOUD_FILTERED,
        r#"{"sAMAccountName": "x", "mailNickname": "CAS_{123}"}"#,
        b(true),
    );
    check(
        CLOUD_FILTERED,
        r#"{"sAMAccountName": "krbtgt", "isCriticalSystemObject": true}"#,
        b(true),
    );
    // Near misses stay unfiltered.
    for sam in ["msol_1234", "CAS_nobrace", "AADuser"] {
        check(
            CLOUD_FILTERED,
            &format!(r#"{{"sAMAccountName": "{sam}"}}"#),
            Value::Null,
        );
    }
}

// Fixture 8: Exchange bit mask.
#[test]
fn fixture_8_exchange_recipient_type_bit_mask() {
    check(
        CLOUD_FILTERED,
        &ordinary_user(r#", "msExchRecipientTypeDetails": 536870912"#),
        b(true),
    );
    check(
        CLOUD_FILTERED,
        &ordinary_user(r#", "msExchRecipientTypeDetails": 1"#),
        Value::Null,
    );
    // Linked mailbox (2): not filtered, but supplies no anchor and no object type.
    let linked = ordinary_user(r#", "msExchRecipientTypeDetails": 2"#);
    check(CLOUD_FILTERED, &linked, Value::Null);
    check(SOURCE_ANCHOR, &linked, Value::Null);
    check(SOURCE_OBJECT_TYPE, &linked, Value::Null);
}

// Fixture 9: replication conflict.
#[test]
fn fixture_9_replication_conflict_dn_is_filtered() {
    let conflict = r#"{"sAMAccountName": "jdoe",
        "dn": {"dn": "CN=John\\0ACNF:6f9619ff-8b86-d011-b42d-00c04fc964ff,OU=Users,DC=contoso,DC=com"}}"#;
    check(CLOUD_FILTERED, conflict, b(true));
    check(
        r#"DNComponent(CRef([dn]),1)"#,
        conflict,
        s("John\\0ACNF:6f9619ff-8b86-d011-b42d-00c04fc964ff"),
    );
    let ldif = "dn: CN=John\\0ACNF:6f9619ff-8b86-d011-b42d-00c04fc964ff,OU=Users,DC=contoso,DC=com\nsAMAccountName: jdoe\n";
    check(CLOUD_FILTERED, ldif, b(true));
}

// Fixture 10: attribute clean-up.
#[test]
fn fixture_10_attribute_clean_up() {
    let long = "x".repeat(500);
    check(
        DESCRIPTION,
        &format!(r#"{{"description": ["  {long}  ", "second"]}}"#),
        s(&"x".repeat(448)),
    );
    check(
        DESCRIPTION,
        r#"{"description": ["  first  ", "second"]}"#,
        s("first"),
    );
    check(DESCRIPTION, EMPTY, Value::Null);
    check(DISPLAY_NAME, r#"{"cn": "John Doe"}"#, s("John Doe"));
    check(
        DISPLAY_NAME,
        r#"{"cn": "John Doe", "displayName": "Johnny"}"#,
        s("Johnny"),
    );
    check(
        PWD_LAST_SET,
        r#"{"pwdLastSet": 129699324000000000}"#,
        s("20120101230000.0Z"),
    );
    check(PWD_LAST_SET, EMPTY, Value::Null);
}

#[test]
fn gal_and_exchange_expressions() {
    check(
        r#"RemoveDuplicates(Trim(ImportedValue("proxyAddresses")))"#,
        r#"{"proxyAddresses": [" SMTP:a@contoso.com", "SMTP:a@contoso.com ", "smtp:b@contoso.com"]}"#,
        multi(&["SMTP:a@contoso.com", "smtp:b@contoso.com"]),
    );
    check(
        r#"RemoveDuplicates(Trim(ImportedValue("proxyAddresses")))"#,
        r#"{"proxyAddresses": ["SMTP:pending@contoso.com"], "$imported": {"proxyAddresses": ["SMTP:a@contoso.com"]}}"#,
        multi(&["SMTP:a@contoso.com"]),
    );
    check(SOURCE_OBJECT_TYPE, EMPTY, s("User"));
    check(
        "%Connector.ID%",
        EMPTY,
        s("b891884f-051e-4a83-95af-2544101c9083"),
    );
    check(
        r#"IIF(InStr([proxyAddresses],"SIP:")=1,NULL,[proxyAddresses])"#,
        r#"{"proxyAddresses": ["SMTP:a@contoso.com", "SIP:a@contoso.com", "smtp:b@contoso.com"]}"#,
        multi(&["SMTP:a@contoso.com", "smtp:b@contoso.com"]),
    );
    check(
        r#"Word([proxyAddresses],1,"@") & "@fabrikam.com""#,
        r#"{"proxyAddresses": ["SMTP:a@contoso.com", "smtp:b@contoso.com"]}"#,
        multi(&["SMTP:a@fabrikam.com", "smtp:b@fabrikam.com"]),
    );
    check(
        r#"ValueCount("member")"#,
        r#"{"member": [{"dn": "CN=a"}, {"dn": "CN=b"}, {"dn": "CN=c"}]}"#,
        n(3),
    );
    check(
        r#""x500:" & [cloudLegacyExchangeDN]"#,
        r#"{"cloudLegacyExchangeDN": "/o=ExchangeLabs/cn=Recipients/cn=abc"}"#,
        s("x500:/o=ExchangeLabs/cn=Recipients/cn=abc"),
    );
    check(
        "IIF([cloudSOAExchMailbox] = True,[cloudMSExchSafeSendersHash],IgnoreThisFlow)",
        r#"{"cloudSOAExchMailbox": false, "cloudMSExchSafeSendersHash": {"base64": "AQI="}}"#,
        Value::IgnoreThisFlow,
    );
    check(
        "IIF([cloudSOAExchMailbox] = True,[cloudMSExchSafeSendersHash],IgnoreThisFlow)",
        r#"{"cloudSOAExchMailbox": true, "cloudMSExchSafeSendersHash": {"base64": "AQI="}}"#,
        Value::Bin(vec![1, 2]),
    );
}

#[test]
fn outbound_anchor_check_and_usage_location() {
    let base = r#""sourceAnchor": "/xmWb4aLEdC0LQDAT8lk/w==", "cloudAnchor": "User_1234", "sourceObjectType": "User""#;
    check(
        ANCHOR_CHECK,
        &format!("{{{base}}}"),
        s("/xmWb4aLEdC0LQDAT8lk/w=="),
    );
    check(
        ANCHOR_CHECK,
        &format!(r#"{{{base}, "cloudSourceAnchor": "/xmWb4aLEdC0LQDAT8lk/w=="}}"#),
        s("/xmWb4aLEdC0LQDAT8lk/w=="),
    );
    check_error(
        ANCHOR_CHECK,
        &format!(r#"{{{base}, "cloudSourceAnchor": "AAAA"}}"#),
        EvalErrorKind::Raised,
        "SourceAnchor attribute has changed.",
    );
    check(USAGE_LOCATION, EMPTY, Value::IgnoreThisFlow);
    check(USAGE_LOCATION, r#"{"usageLocation": "DK"}"#, s("DK"));
    check(
        r#"Replace([cloudAnchor],"User_","")"#,
        r#"{"cloudAnchor": "User_1234"}"#,
        s("1234"),
    );
}

#[test]
fn object_sid_string() {
    check(
        "StringFromSid([objectSid])",
        r#"{"objectSid": {"sid": "S-1-5-21-3623811015-3361044348-30300820-1013"}}"#,
        s("S-1-5-21-3623811015-3361044348-30300820-1013"),
    );
}

/// The shipped samples carry the same `cloudFiltered` and `userPrincipalName` expressions (on
/// one line): the same trees as the product's layout above.
#[test]
fn samples_carry_the_same_expressions() {
    let tree = |source: &str| {
        let (expr, diagnostics) = syncpolicy_expr::parse(source);
        assert!(diagnostics.is_empty(), "{source}: {diagnostics:?}");
        expr.expect("parses").without_spans()
    };
    use syncpolicy_samples::catalogue;
    assert_eq!(tree(catalogue::CLOUD_FILTERED), tree(CLOUD_FILTERED));
    assert_eq!(
        tree(catalogue::USER_PRINCIPAL_NAME),
        tree(USER_PRINCIPAL_NAME)
    );
}
