//! The out-of-box catalogue: every rule has its content; the group, contact and device rules
//! have the scoping, join and flows that provision those objects; every expression compiles;
//! the connector imports what the rules read; and the rules do to generated objects what the
//! documentation says.

use std::collections::BTreeSet;
use syncpolicy_expr::env::{Env, Parameters, SourceObject};
use syncpolicy_expr::value::Value;
use syncpolicy_model::enums::{Direction, LinkType, ScopeOperator};
use syncpolicy_model::rule::SyncRule;
use syncpolicy_samples::catalogue::{build_standard_rule, RuleHome, STANDARD_RULES};
use syncpolicy_samples::generate::DEFAULT_ATTRIBUTES;

fn rules() -> Vec<SyncRule> {
    STANDARD_RULES
        .iter()
        .map(|h| build_standard_rule(h, h.precedence, format!("id-{}", h.precedence)))
        .collect()
}

fn rule(name: &str) -> SyncRule {
    rules()
        .into_iter()
        .find(|r| r.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no rule {name}"))
}

fn flow<'a>(r: &'a SyncRule, destination: &str) -> &'a syncpolicy_model::rule::AttributeMapping {
    r.mappings
        .iter()
        .find(|m| m.destination.as_deref() == Some(destination))
        .unwrap_or_else(|| panic!("{:?} has no flow to {destination}", r.name))
}

fn scope_clauses(r: &SyncRule) -> Vec<(String, ScopeOperator, String)> {
    r.scope_groups
        .iter()
        .flatten()
        .map(|c| {
            (
                c.attribute.clone().unwrap_or_default(),
                c.operator.clone().expect("an operator"),
                c.value.clone(),
            )
        })
        .collect()
}

#[test]
fn every_rule_has_content_and_a_versioned_tag() {
    for r in rules() {
        let name = r.name.clone().unwrap_or_default();
        assert!(
            !r.mappings.is_empty() || !r.join_groups.is_empty(),
            "{name} has neither flows nor joins"
        );
        let tag = r.immutable_tag.clone().unwrap_or_default();
        let version = tag.rsplit('.').next().unwrap_or_default();
        assert!(tag.starts_with("Microsoft."), "{name}: {tag}");
        assert!(
            version.len() == 3 && version.bytes().all(|b| b.is_ascii_digit()),
            "{name}: {tag}"
        );
    }
}

/// Only one in-scope rule with join conditions may apply to an object (dp §3.4): per source
/// object type and connector, exactly the Provision rule (or the one documented join rule)
/// has join groups.
#[test]
fn one_rule_with_joins_per_object_type_and_connector() {
    let mut seen: BTreeSet<(String, String, bool)> = BTreeSet::new();
    for (h, r) in STANDARD_RULES.iter().zip(rules()) {
        if r.join_groups.is_empty() {
            continue;
        }
        let key = (
            format!("{:?}", r.direction),
            r.source_object_type.clone().unwrap_or_default(),
            h.home == RuleHome::Entra,
        );
        let key = (
            format!(
                "{}|{}",
                key.0,
                r.target_object_type.clone().unwrap_or_default()
            ),
            key.1,
            key.2,
        );
        assert!(
            seen.insert(key.clone()),
            "two rules with joins for {key:?}: {:?}",
            r.name
        );
    }
}

#[test]
fn groups_are_provisioned_as_documented() {
    let join = rule("In from AD - Group Join");
    assert_eq!(join.link_type, Some(LinkType::Provision));
    assert!(scope_clauses(&join).contains(&(
        "isCriticalSystemObject".into(),
        ScopeOperator::NotEqual,
        "TRUE".into()
    )));
    assert!(!join.join_groups.is_empty());
    for d in [
        "cloudFiltered",
        "sourceObjectType",
        "sourceAnchor",
        "objectSid",
    ] {
        flow(&join, d);
    }
    assert_eq!(flow(&join, "sourceObjectType").value, "Group");
    let common = rule("In from AD - Group Common");
    for d in [
        "displayName",
        "member",
        "memberCount",
        "securityEnabled",
        "mailEnabled",
        "proxyAddresses",
        "mail",
    ] {
        flow(&common, d);
    }
    assert_eq!(
        flow(&common, "memberCount").expression,
        "ValueCount(\"member\")"
    );
    let exchange = rule("In from AD - Group Exchange");
    for d in [
        "mailNickname",
        "dLMemSubmitPerms",
        "dLMemRejectPerms",
        "authOrig",
    ] {
        flow(&exchange, d);
    }
    let out = rule("Out to AAD - Group Join");
    assert_eq!(out.link_type, Some(LinkType::Provision));
    let clauses = scope_clauses(&out);
    for c in [
        ("sourceObjectType", ScopeOperator::Equal, "Group"),
        ("cloudFiltered", ScopeOperator::NotEqual, "True"),
        ("memberCount", ScopeOperator::LessThan, "50000"),
    ] {
        assert!(
            clauses.contains(&(c.0.into(), c.1.clone(), c.2.into())),
            "{c:?}"
        );
    }
    for d in ["dn", "sourceAnchor", "securityEnabled", "mailEnabled"] {
        flow(&out, d);
    }
    for d in ["member", "displayName", "proxyAddresses"] {
        flow(&rule("Out to AAD - Group Identity"), d);
    }
}

#[test]
fn contacts_are_provisioned_as_documented() {
    let join = rule("In from AD - Contact Join");
    assert_eq!(join.link_type, Some(LinkType::Provision));
    let j = &join.join_groups[0][0];
    assert_eq!(
        (j.source.as_deref(), j.destination.as_deref()),
        (Some("mail"), Some("mail"))
    );
    for d in ["cloudFiltered", "sourceAnchor"] {
        flow(&join, d);
    }
    let common = rule("In from AD - Contact Common");
    assert_eq!(flow(&common, "sourceObjectType").value, "Contact");
    for d in ["displayName", "mail", "proxyAddresses", "targetAddress"] {
        flow(&common, d);
    }
    let out = rule("Out to AAD - Contact Join");
    assert!(scope_clauses(&out).contains(&(
        "sourceObjectType".into(),
        ScopeOperator::Equal,
        "Contact".into()
    )));
    for d in ["dn", "sourceAnchor"] {
        flow(&out, d);
    }
}

#[test]
fn devices_are_provisioned_as_documented() {
    let join = rule("In from AD - Computer Join");
    assert_eq!(join.link_type, Some(LinkType::Provision));
    assert!(scope_clauses(&join).contains(&(
        "userCertificate".into(),
        ScopeOperator::IsNotNull,
        String::new()
    )));
    assert_eq!(flow(&join, "sourceObjectType").value, "Computer");
    assert_eq!(flow(&join, "deviceTrustType").value, "ServerAd");
    assert!(flow(&join, "cloudCreated").execute_once);
    assert!(flow(&join, "registeredOwnerReference").execute_once);
    for d in [
        "cloudFiltered",
        "sourceAnchor",
        "deviceId",
        "userCertificate",
        "accountEnabled",
    ] {
        flow(&join, d);
    }
    let out = rule("Out to AAD - Device Join SOAInAD");
    assert_eq!(out.link_type, Some(LinkType::Provision));
    assert!(scope_clauses(&out).contains(&(
        "sourceObjectType".into(),
        ScopeOperator::Equal,
        "Computer".into()
    )));
    for d in ["dn", "sourceAnchor", "deviceId", "userCertificate"] {
        flow(&out, d);
    }
}

#[test]
fn every_expression_compiles() {
    for r in rules() {
        for m in &r.mappings {
            if m.expression.is_empty() {
                continue;
            }
            if let Err(d) = syncpolicy_expr::compile(&m.expression) {
                panic!("{:?} -> {:?}: {d:?}", r.name, m.destination);
            }
        }
    }
}

/// The connector imports every attribute the inbound AD rules read, so none of them is absent
/// to the rules because of the attribute inclusion list.
#[test]
fn the_connector_imports_what_the_inbound_rules_read() {
    let imported: BTreeSet<String> = DEFAULT_ATTRIBUTES
        .iter()
        .map(|a| a.to_ascii_lowercase())
        .collect();
    let mut missing = BTreeSet::new();
    for (h, r) in STANDARD_RULES.iter().zip(rules()) {
        if h.home != RuleHome::ActiveDirectory || r.direction != Some(Direction::Inbound) {
            continue;
        }
        let read = r
            .mappings
            .iter()
            .flat_map(|m| m.sources())
            .map(str::to_owned)
            .chain(
                r.scope_groups
                    .iter()
                    .flatten()
                    .filter_map(|c| c.attribute.clone()),
            )
            .chain(
                r.join_groups
                    .iter()
                    .flatten()
                    .filter_map(|c| c.source.clone()),
            );
        for a in read {
            if a != "dn" && !imported.contains(&a.to_ascii_lowercase()) {
                missing.insert(a);
            }
        }
    }
    assert!(missing.is_empty(), "not imported: {missing:?}");
}

/// Evaluates the `cloudFiltered` flow of the named rule on a generated object.
fn cloud_filtered(rule_name: &str, object: &SourceObject) -> Value {
    let r = rule(rule_name);
    let compiled =
        syncpolicy_expr::compile(&flow(&r, "cloudFiltered").expression).expect("compiles");
    let parameters = Parameters::new();
    compiled
        .eval(&Env::new(object, &parameters))
        .expect("no error")
}

/// The filters of the out-of-box rules on generated objects: who is filtered and who is not.
#[test]
fn the_filters_on_generated_objects() {
    use syncpolicy_objects::{
        generate, read_objects, write_generated, GenerateOptions, ObjectFormat,
    };
    let options = GenerateOptions {
        users: 600,
        groups: 210,
        contacts: 40,
        computers: 30,
        ..GenerateOptions::default()
    };
    let mut ldif = Vec::new();
    write_generated(&options, ObjectFormat::Ldif, &mut ldif).expect("in memory");
    assert_eq!(generate(&options).count(), read_objects(&ldif[..]).count());
    let (mut groups, mut contacts, mut computers, mut users) = (0, 0, 0, 0);
    for o in read_objects(&ldif[..]) {
        let o = o.expect("valid object");
        let class = o
            .object
            .get("objectClass")
            .and_then(|v| v.values().last().cloned())
            .map(|v| v.to_string())
            .unwrap_or_default();
        let get = |n: &str| o.object.get(n).cloned().unwrap_or(Value::Null);
        let conflict = o.dn.contains("\\0ACNF:");
        match class.as_str() {
            "group" => {
                groups += 1;
                let distribution = get("groupType") == Value::Num(8);
                let mail = o.object.get("proxyAddresses").is_some();
                let expected = conflict || (distribution && !mail);
                assert_eq!(
                    cloud_filtered("In from AD - Group Join", &o.object),
                    if expected {
                        Value::Bool(true)
                    } else {
                        Value::Null
                    },
                    "{}",
                    o.dn
                );
            }
            "contact" => {
                contacts += 1;
                let expected = o.object.get("proxyAddresses").is_none();
                assert_eq!(
                    cloud_filtered("In from AD - Contact Join", &o.object),
                    if expected {
                        Value::Bool(true)
                    } else {
                        Value::Null
                    },
                    "{}",
                    o.dn
                );
            }
            "computer" => {
                computers += 1;
                let expected = get("isCriticalSystemObject") == Value::Bool(true);
                assert_eq!(
                    cloud_filtered("In from AD - Computer Join", &o.object),
                    if expected {
                        Value::Bool(true)
                    } else {
                        Value::Null
                    },
                    "{}",
                    o.dn
                );
            }
            "user" => {
                users += 1;
                let sam = get("sAMAccountName").to_string();
                let expected = conflict
                    || get("isCriticalSystemObject") == Value::Bool(true)
                    || sam.starts_with("MSOL_")
                    || sam.starts_with("AAD_")
                    || matches!(get("msExchRecipientTypeDetails"), Value::Num(n) if n & 0x21C0_7000 != 0);
                assert_eq!(
                    cloud_filtered("In from AD - User Join", &o.object),
                    if expected {
                        Value::Bool(true)
                    } else {
                        Value::Null
                    },
                    "{}",
                    o.dn
                );
            }
            _ => {}
        }
    }
    assert_eq!((groups, contacts, computers), (210, 40, 30));
    assert!(users > 600);
}
