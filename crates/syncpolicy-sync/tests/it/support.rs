//! Builders of small configurations and objects for the engine tests.

use syncpolicy_expr::env::SourceObject;
use syncpolicy_expr::value::Value;
use syncpolicy_model::config::{Configuration, DirectoryRef, OnPremisesDirectory, Partition};
use syncpolicy_model::enums::{Direction, FlowType, LinkType, MergeType, ScopeOperator};
use syncpolicy_model::rule::{AttributeMapping, JoinCondition, ScopeCondition, SyncRule};
use syncpolicy_sync::{Options, Simulation, Simulator, SourceInput};

pub(crate) const ROOT: &str = "DC=contoso,DC=com";

/// One forest `contoso.com` with the whole domain included, no rules.
pub(crate) fn config() -> Configuration {
    let mut c = Configuration::default();
    c.azure_directory.connector_id = Some("b891884f-051e-4a83-95af-2544101c9083".to_owned());
    c.onpremises_directories.push(directory(
        "contoso.com",
        "11111111-1111-1111-1111-111111111111",
        ROOT,
    ));
    c
}

pub(crate) fn directory(name: &str, id: &str, root: &str) -> OnPremisesDirectory {
    OnPremisesDirectory {
        name: name.to_owned(),
        unique_identifier: id.to_owned(),
        forest: Some(name.to_owned()),
        partitions: vec![Partition {
            fqdn: Some(name.to_owned()),
            distinguished_name: Some(root.to_owned()),
            inclusions: vec![root.to_owned()],
            ..Partition::default()
        }],
        partitions_present: true,
        ..OnPremisesDirectory::default()
    }
}

/// A rule: name, direction, source type, target type, link type, precedence.
pub(crate) fn rule(
    name: &str,
    inbound: bool,
    source: &str,
    target: &str,
    link: LinkType,
    precedence: i32,
) -> SyncRule {
    SyncRule {
        name: Some(name.to_owned()),
        internal_identifier: format!("id-{name}"),
        unique_identifier: Some(format!("id-{name}")),
        source_object_type: Some(source.to_owned()),
        target_object_type: Some(target.to_owned()),
        link_type: Some(link),
        direction: Some(if inbound {
            Direction::Inbound
        } else {
            Direction::Outbound
        }),
        precedence,
        ..SyncRule::default()
    }
}

pub(crate) fn clause(attribute: &str, op: &str, value: &str) -> ScopeCondition {
    ScopeCondition {
        attribute: Some(attribute.to_owned()),
        operator: Some(ScopeOperator::parse(op)),
        value: value.to_owned(),
        ..ScopeCondition::default()
    }
}

pub(crate) fn join(cs: &str, mv: &str) -> JoinCondition {
    JoinCondition {
        source: Some(cs.to_owned()),
        destination: Some(mv.to_owned()),
        case_sensitive: false,
        ..JoinCondition::default()
    }
}

pub(crate) fn direct(src: &str, dest: &str) -> AttributeMapping {
    AttributeMapping {
        flow_type: Some(FlowType::Direct),
        source: src.to_owned(),
        destination: Some(dest.to_owned()),
        ..AttributeMapping::default()
    }
}

pub(crate) fn constant(dest: &str, value: &str) -> AttributeMapping {
    AttributeMapping {
        flow_type: Some(FlowType::Constant),
        value: value.to_owned(),
        destination: Some(dest.to_owned()),
        ..AttributeMapping::default()
    }
}

pub(crate) fn expression(dest: &str, expr: &str) -> AttributeMapping {
    AttributeMapping {
        flow_type: Some(FlowType::Expression),
        expression: expr.to_owned(),
        destination: Some(dest.to_owned()),
        ..AttributeMapping::default()
    }
}

pub(crate) fn merge(mut m: AttributeMapping, merge: MergeType) -> AttributeMapping {
    m.merge_type = merge;
    m
}

/// An inbound projection rule for users joining on objectSid, flowing `cn` and the given
/// mappings, plus the outbound rule provisioning every person to Entra with `displayName`.
pub(crate) fn minimal(c: &mut Configuration) {
    let mut r = rule(
        "In user join",
        true,
        "user",
        "person",
        LinkType::Provision,
        100,
    );
    r.join_groups = vec![vec![join("objectSid", "objectSid")]];
    r.mappings = vec![
        direct("objectSid", "objectSid"),
        direct("cn", "cn"),
        direct("cn", "displayName"),
    ];
    c.onpremises_directories[0].standard_rules.push(r);
    let mut o = rule(
        "Out person",
        false,
        "person",
        "user",
        LinkType::Provision,
        200,
    );
    o.scope_groups = vec![vec![clause("cloudFiltered", "NOTEQUAL", "True")]];
    o.mappings = vec![
        direct("displayName", "displayName"),
        expression("dn", "\"CN=\" & [cn]"),
    ];
    c.azure_directory.standard_rules.push(o);
}

/// A user object: `objectClass` top/person/organizationalPerson/user, plus attributes.
pub(crate) fn user(dn: &str, attrs: &[(&str, &str)]) -> SourceInput {
    object(
        dn,
        &["top", "person", "organizationalPerson", "user"],
        attrs,
    )
}

pub(crate) fn object(dn: &str, classes: &[&str], attrs: &[(&str, &str)]) -> SourceInput {
    let mut o = SourceObject::new();
    o.insert(
        "objectClass",
        Value::Multi(
            classes
                .iter()
                .map(|c| Value::Str((*c).to_owned()))
                .collect(),
        ),
    );
    let mut names: Vec<&str> = Vec::new();
    for (n, _) in attrs {
        if !names.contains(n) {
            names.push(n);
        }
    }
    for n in names {
        let values: Vec<Value> = attrs
            .iter()
            .filter(|(a, _)| *a == n)
            .map(|(_, v)| Value::Str((*v).to_owned()))
            .collect();
        let v = if values.len() == 1 {
            values.into_iter().next().unwrap_or(Value::Null)
        } else {
            Value::Multi(values)
        };
        o.insert(n, v);
    }
    SourceInput {
        directory: DirectoryRef::OnPremises(0),
        dn: dn.to_owned(),
        object: o,
        origin: Default::default(),
    }
}

pub(crate) fn in_dir(mut input: SourceInput, i: usize) -> SourceInput {
    input.directory = DirectoryRef::OnPremises(i);
    input
}

pub(crate) fn run(c: &Configuration, objects: Vec<SourceInput>) -> Simulation {
    Simulator::new(c, Options::default()).run(objects)
}

/// The result of the object with this DN.
pub(crate) fn result<'a>(sim: &'a Simulation, dn: &str) -> &'a syncpolicy_sync::ObjectResult {
    sim.objects
        .iter()
        .find(|o| o.dn == dn)
        .unwrap_or_else(|| panic!("no result for {dn}"))
}

/// The metaverse attribute of an object, as text.
pub(crate) fn mv_attr(sim: &Simulation, dn: &str, name: &str) -> Option<String> {
    let o = result(sim, dn);
    let m = &sim.metaverse[o.metaverse? as usize];
    m.get(name).map(|a| a.value.to_string())
}

/// The rule that contributed a metaverse attribute.
pub(crate) fn mv_rule(sim: &Simulation, dn: &str, name: &str) -> Option<String> {
    let o = result(sim, dn);
    let m = &sim.metaverse[o.metaverse? as usize];
    m.get(name).map(|a| {
        a.rules
            .iter()
            .map(|r| sim.rule_name(*r).to_owned())
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// The exported Entra attribute of an object, as text.
pub(crate) fn entra_attr(sim: &Simulation, dn: &str, name: &str) -> Option<String> {
    let o = result(sim, dn);
    match sim.entra_of(o)? {
        syncpolicy_sync::ExportOutcome::Exported(e) => e
            .attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

pub(crate) fn is_exported(sim: &Simulation, dn: &str) -> bool {
    matches!(
        sim.entra_of(result(sim, dn)),
        Some(syncpolicy_sync::ExportOutcome::Exported(_))
    )
}
