//! The end-to-end attribute flows of a configuration: for every metaverse attribute, which
//! inbound rules of which directory write it from which connector-space attributes, and which
//! outbound rules carry it into which attribute of which directory, each side in precedence
//! order. Pure logic over the model.

use std::collections::BTreeMap;
use syncpolicy_model::config::{Configuration, RuleLocation};
use syncpolicy_model::enums::{Direction, FlowType};
use syncpolicy_model::rule::{AttributeMapping, SyncRule};

/// One mapping of one rule, seen from the metaverse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leg {
    /// Where the rule sits.
    pub rule: RuleLocation,
    pub rule_name: String,
    /// The rule's directory (`Entra ID` or the forest's name).
    pub directory: String,
    pub precedence: i32,
    pub disabled: bool,
    pub standard: bool,
    /// The connector-space object type (`user`, `contact`, ...).
    pub object_type: String,
    /// Inbound: the source attributes; outbound: the one target attribute.
    pub attributes: Vec<String>,
    /// `Direct`, `Expression` or `Constant`.
    pub flow_type: String,
    /// The expression of an expression flow, the value of a constant flow.
    pub expression: Option<String>,
}

/// One metaverse attribute of one metaverse object type, with its flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeFlows {
    /// The metaverse object type (`person`, `group`, ...).
    pub object_type: String,
    pub attribute: String,
    /// Inbound mappings writing the attribute, in precedence order.
    pub inbound: Vec<Leg>,
    /// Outbound mappings reading the attribute, in precedence order.
    pub outbound: Vec<Leg>,
}

/// One path from a connector-space attribute to another directory's attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndToEnd<'a> {
    pub inbound: &'a Leg,
    pub outbound: &'a Leg,
}

impl AttributeFlows {
    /// Every inbound leg paired with every outbound leg: precedence order of the inbound side
    /// first, then of the outbound side.
    pub fn end_to_end(&self) -> impl Iterator<Item = EndToEnd<'_>> {
        self.inbound.iter().flat_map(move |i| {
            self.outbound.iter().map(move |o| EndToEnd {
                inbound: i,
                outbound: o,
            })
        })
    }

    /// Every attribute name on either side (for searching).
    pub fn attribute_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.attribute.as_str()).chain(
            self.inbound
                .iter()
                .chain(&self.outbound)
                .flat_map(|l| l.attributes.iter().map(String::as_str)),
        )
    }
}

/// Whether a mapping's sources are read as the connector-space side (inbound) or the
/// metaverse side (outbound).
fn flow_type(m: &AttributeMapping) -> String {
    m.flow_type
        .as_ref()
        .map(|f| f.as_str().to_owned())
        .unwrap_or_default()
}

fn leg(
    config: &Configuration,
    at: RuleLocation,
    r: &SyncRule,
    object_type: &str,
    m: &AttributeMapping,
    attributes: Vec<String>,
) -> Leg {
    let expression = match m.flow_type {
        Some(FlowType::Expression) => Some(m.expression.clone()),
        Some(FlowType::Constant) => Some(m.value.clone()),
        _ => None,
    };
    Leg {
        rule: at,
        rule_name: r.name().to_owned(),
        directory: config.directory_name(at.directory),
        precedence: r.precedence,
        disabled: r.disabled,
        standard: r.is_standard(),
        object_type: object_type.to_owned(),
        attributes,
        flow_type: flow_type(m),
        expression,
    }
}

/// The flows of every metaverse attribute that a rule writes or reads, sorted by metaverse
/// object type, then attribute name (case-insensitive).
pub fn flows(config: &Configuration) -> Vec<AttributeFlows> {
    let mut by_key: BTreeMap<(String, String), AttributeFlows> = BTreeMap::new();
    let mut entry = |object_type: &str, attribute: &str| -> (String, String) {
        let key = (
            object_type.to_ascii_lowercase(),
            attribute.to_ascii_lowercase(),
        );
        by_key.entry(key.clone()).or_insert_with(|| AttributeFlows {
            object_type: object_type.to_owned(),
            attribute: attribute.to_owned(),
            inbound: Vec::new(),
            outbound: Vec::new(),
        });
        key
    };
    let mut inbound: Vec<((String, String), Leg)> = Vec::new();
    let mut outbound: Vec<((String, String), Leg)> = Vec::new();
    for (at, r) in config.rules() {
        match r.direction {
            Some(Direction::Inbound) => {
                let mv_type = r.target_object_type.as_deref().unwrap_or("");
                let cs_type = r.source_object_type.as_deref().unwrap_or("");
                for m in &r.mappings {
                    let Some(dest) = m.destination.as_deref().filter(|d| !d.trim().is_empty())
                    else {
                        continue;
                    };
                    let key = entry(mv_type, dest.trim());
                    let sources = m.sources().iter().map(|s| (*s).to_owned()).collect();
                    inbound.push((key, leg(config, at, r, cs_type, m, sources)));
                }
            }
            Some(Direction::Outbound) => {
                let mv_type = r.source_object_type.as_deref().unwrap_or("");
                let cs_type = r.target_object_type.as_deref().unwrap_or("");
                for m in &r.mappings {
                    let Some(dest) = m.destination.as_deref().filter(|d| !d.trim().is_empty())
                    else {
                        continue;
                    };
                    let mut seen: Vec<String> = Vec::new();
                    for s in m.sources() {
                        if seen.iter().any(|x| x.eq_ignore_ascii_case(s)) {
                            continue;
                        }
                        seen.push(s.to_owned());
                        let key = entry(mv_type, s);
                        outbound.push((
                            key,
                            leg(config, at, r, cs_type, m, vec![dest.trim().to_owned()]),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    let order = |a: &Leg, b: &Leg| {
        a.precedence
            .cmp(&b.precedence)
            .then_with(|| a.directory.cmp(&b.directory))
            .then_with(|| a.rule_name.cmp(&b.rule_name))
    };
    for (key, l) in inbound {
        if let Some(f) = by_key.get_mut(&key) {
            f.inbound.push(l);
        }
    }
    for (key, l) in outbound {
        if let Some(f) = by_key.get_mut(&key) {
            f.outbound.push(l);
        }
    }
    let mut out: Vec<AttributeFlows> = by_key.into_values().collect();
    for f in &mut out {
        f.inbound.sort_by(order);
        f.outbound.sort_by(order);
    }
    out
}
