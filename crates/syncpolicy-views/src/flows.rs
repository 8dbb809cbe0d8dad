//! The end-to-end attribute flows of a configuration: for every metaverse attribute, which
//! inbound rules of which directory write it from which connector-space attributes, and which
//! outbound rules carry it into which attribute of which directory, each side in precedence
//! order. Pure logic over the model.

use std::borrow::Cow;
use std::collections::HashMap;
use syncpolicy_model::config::{Configuration, DirectoryRef, RuleLocation};
use syncpolicy_model::enums::{Direction, FlowType};
use syncpolicy_model::rule::{AttributeMapping, SyncRule};

/// One mapping of one rule, seen from the metaverse (borrowing the configuration's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leg<'a> {
    /// Where the rule sits.
    pub rule: RuleLocation,
    pub rule_name: &'a str,
    /// The rule's directory (`Entra ID` or the forest's name).
    pub directory: Cow<'a, str>,
    pub precedence: i32,
    pub disabled: bool,
    pub standard: bool,
    /// The connector-space object type (`user`, `contact`, ...).
    pub object_type: &'a str,
    /// Inbound: the source attributes; outbound: the one target attribute.
    pub attributes: Vec<&'a str>,
    /// `Direct`, `Expression` or `Constant`.
    pub flow_type: &'a str,
    /// The expression of an expression flow, the value of a constant flow.
    pub expression: Option<&'a str>,
}

/// One metaverse attribute of one metaverse object type, with its flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeFlows<'a> {
    /// The metaverse object type (`person`, `group`, ...).
    pub object_type: &'a str,
    pub attribute: &'a str,
    /// Inbound mappings writing the attribute, in precedence order.
    pub inbound: Vec<Leg<'a>>,
    /// Outbound mappings reading the attribute, in precedence order.
    pub outbound: Vec<Leg<'a>>,
}

/// One path from a connector-space attribute to another directory's attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndToEnd<'l, 'a> {
    pub inbound: &'l Leg<'a>,
    pub outbound: &'l Leg<'a>,
}

impl<'a> AttributeFlows<'a> {
    /// Every inbound leg paired with every outbound leg: precedence order of the inbound side
    /// first, then of the outbound side.
    pub fn end_to_end(&self) -> impl Iterator<Item = EndToEnd<'_, 'a>> {
        self.inbound.iter().flat_map(move |i| {
            self.outbound.iter().map(move |o| EndToEnd {
                inbound: i,
                outbound: o,
            })
        })
    }

    /// Every attribute name on either side (for searching).
    pub fn attribute_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        std::iter::once(self.attribute).chain(
            self.inbound
                .iter()
                .chain(&self.outbound)
                .flat_map(|l| l.attributes.iter().copied()),
        )
    }
}

/// The mapping's flow type as written (empty when it has none).
fn flow_type(m: &AttributeMapping) -> &str {
    m.flow_type.as_ref().map(|f| f.as_str()).unwrap_or_default()
}

/// The facts of a rule every leg of it repeats.
struct RuleFacts<'a> {
    at: RuleLocation,
    rule: &'a SyncRule,
    directory: Cow<'a, str>,
}

fn leg<'a>(
    facts: &RuleFacts<'a>,
    object_type: &'a str,
    m: &'a AttributeMapping,
    attributes: Vec<&'a str>,
) -> Leg<'a> {
    let expression = match m.flow_type {
        Some(FlowType::Expression) => Some(m.expression.as_str()),
        Some(FlowType::Constant) => Some(m.value.as_str()),
        _ => None,
    };
    let r = facts.rule;
    Leg {
        rule: facts.at,
        rule_name: r.name(),
        directory: facts.directory.clone(),
        precedence: r.precedence,
        disabled: r.disabled,
        standard: r.is_standard(),
        object_type,
        attributes,
        flow_type: flow_type(m),
        expression,
    }
}

/// The metaverse attributes met so far, each found by its lower-cased key (the object type's
/// length, the type, then the attribute: no two pairs share a key).
#[derive(Default)]
struct Attributes<'a> {
    index: HashMap<String, usize>,
    /// Lower-cased object type and attribute (the sort key), and the flows.
    flows: Vec<(String, String, AttributeFlows<'a>)>,
    key: String,
}

impl<'a> Attributes<'a> {
    /// The index of the flows of `object_type.attribute` (case-insensitive), added when new.
    fn index_of(&mut self, object_type: &'a str, attribute: &'a str) -> usize {
        self.key.clear();
        crate::document::push_number(&mut self.key, object_type.len());
        self.key.push(':');
        self.key.push_str(object_type);
        self.key.push_str(attribute);
        self.key.make_ascii_lowercase();
        let i = match self.index.get(self.key.as_str()) {
            Some(&i) => i,
            None => {
                let i = self.flows.len();
                self.index.insert(self.key.clone(), i);
                self.flows.push((
                    object_type.to_ascii_lowercase(),
                    attribute.to_ascii_lowercase(),
                    AttributeFlows {
                        object_type,
                        attribute,
                        inbound: Vec::new(),
                        outbound: Vec::new(),
                    },
                ));
                i
            }
        };
        i
    }
}

/// One leg before it is made: the rule, the connector-space object type, the mapping, and for
/// an outbound leg its one target attribute.
struct LegSource<'r, 'a> {
    facts: &'r RuleFacts<'a>,
    cs_type: &'a str,
    mapping: &'a AttributeMapping,
    /// `None` inbound (the legs' attributes are the mapping's sources).
    target: Option<&'a str>,
}

impl<'a> LegSource<'_, 'a> {
    fn leg(&self) -> Leg<'a> {
        let attributes = match self.target {
            Some(t) => vec![t],
            None => self.mapping.sources(),
        };
        leg(self.facts, self.cs_type, self.mapping, attributes)
    }
}

/// Calls `f` with every leg of every rule, in rule order, each with its metaverse object
/// type and attribute and whether it is outbound.
fn each_leg<'a>(
    config: &'a Configuration,
    names: &[Cow<'a, str>],
    mut f: impl FnMut(&'a str, &'a str, bool, &LegSource<'_, 'a>),
) {
    for (at, r) in config.rules() {
        let directory = match at.directory {
            DirectoryRef::Azure => names[names.len() - 1].clone(),
            DirectoryRef::OnPremises(i) => names[i].clone(),
        };
        let facts = RuleFacts {
            at,
            rule: r,
            directory,
        };
        match r.direction {
            Some(Direction::Inbound) => {
                let mv_type = r.target_object_type.as_deref().unwrap_or("");
                let cs_type = r.source_object_type.as_deref().unwrap_or("");
                for m in &r.mappings {
                    let Some(dest) = m.destination.as_deref().filter(|d| !d.trim().is_empty())
                    else {
                        continue;
                    };
                    let source = LegSource {
                        facts: &facts,
                        cs_type,
                        mapping: m,
                        target: None,
                    };
                    f(mv_type, dest.trim(), false, &source);
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
                    let source = LegSource {
                        facts: &facts,
                        cs_type,
                        mapping: m,
                        target: Some(dest.trim()),
                    };
                    let sources = m.sources();
                    for (k, s) in sources.iter().enumerate() {
                        if sources[..k].iter().any(|x| x.eq_ignore_ascii_case(s)) {
                            continue;
                        }
                        f(mv_type, s, true, &source);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The flows of every metaverse attribute that a rule writes or reads, sorted by metaverse
/// object type, then attribute name (case-insensitive). Every leg borrows its text from
/// `config`; each attribute is found by a hash of its name (no scan of the others). A first
/// pass finds each leg's attribute and counts them, so that every attribute's legs are
/// collected into a list of their exact length (no list grown by doubling).
pub fn flows(config: &Configuration) -> Vec<AttributeFlows<'_>> {
    let names: Vec<Cow<'_, str>> = directory_names(config);
    let mut all = Attributes::default();
    // Each leg's attribute, in the order of the second pass; and the legs of each attribute.
    let mut slots: Vec<u32> = Vec::new();
    let mut counts: Vec<(u32, u32)> = Vec::new();
    each_leg(config, &names, |mv_type, attribute, outbound, _| {
        let i = all.index_of(mv_type, attribute);
        if i == counts.len() {
            counts.push((0, 0));
        }
        if outbound {
            counts[i].1 += 1;
        } else {
            counts[i].0 += 1;
        }
        slots.push(i as u32);
    });
    for ((_, _, f), &(inbound, outbound)) in all.flows.iter_mut().zip(&counts) {
        f.inbound.reserve_exact(inbound as usize);
        f.outbound.reserve_exact(outbound as usize);
    }
    let mut slots = slots.into_iter();
    each_leg(config, &names, |_, _, outbound, source| {
        let Some(i) = slots.next() else {
            return;
        };
        let f = &mut all.flows[i as usize].2;
        if outbound {
            f.outbound.push(source.leg());
        } else {
            f.inbound.push(source.leg());
        }
    });
    // Each directory's name by its rank among the names (equal names, equal ranks): a leg's
    // directory is its rule's directory's name, so legs are compared by rank instead of
    // by name (the same order, without a string comparison per pair of legs).
    let rank = name_ranks(&names);
    let rank_of = |l: &Leg<'_>| match l.rule.directory {
        DirectoryRef::Azure => rank[names.len() - 1],
        DirectoryRef::OnPremises(i) => rank[i],
    };
    let order = |a: &Leg<'_>, b: &Leg<'_>| {
        a.precedence
            .cmp(&b.precedence)
            .then_with(|| rank_of(a).cmp(&rank_of(b)))
            .then_with(|| a.rule_name.cmp(b.rule_name))
    };
    let mut sorted = all.flows;
    sorted.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    sorted
        .into_iter()
        .map(|(_, _, mut f)| {
            f.inbound.sort_by(order);
            f.outbound.sort_by(order);
            f
        })
        .collect()
}

/// The rank of each name among `names` in the order of `str` (equal names share a rank).
fn name_ranks(names: &[Cow<'_, str>]) -> Vec<u32> {
    let mut sorted: Vec<&str> = names.iter().map(|n| n.as_ref()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    names
        .iter()
        .map(|n| sorted.binary_search(&n.as_ref()).unwrap_or_default() as u32)
        .collect()
}

/// The name the model gives the Entra directory, borrowed by every leg of an Entra rule.
const ENTRA: &str = "Entra ID";

/// The name of every on-premises directory by index, then `Entra ID` (as
/// [`Configuration::directory_name`] says them), borrowed from the configuration.
fn directory_names(config: &Configuration) -> Vec<Cow<'_, str>> {
    let mut names: Vec<Cow<'_, str>> = config
        .onpremises_directories
        .iter()
        .map(|d| Cow::Borrowed(d.name.as_str()))
        .collect();
    let entra = config.directory_name(DirectoryRef::Azure);
    names.push(if entra == ENTRA {
        Cow::Borrowed(ENTRA)
    } else {
        Cow::Owned(entra)
    });
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every attribute's legs are collected into lists of their exact length (counted first),
    /// and the legs are those of one pass over the rules.
    #[test]
    fn legs_are_counted_before_they_are_collected() {
        let config = crate::stream::test_support::several_chunks_config();
        let all = flows(&config);
        assert!(all.len() > 10);
        let mut legs = 0;
        for f in &all {
            assert_eq!(f.inbound.capacity(), f.inbound.len(), "{}", f.attribute);
            assert_eq!(f.outbound.capacity(), f.outbound.len(), "{}", f.attribute);
            legs += f.inbound.len() + f.outbound.len();
        }
        let mut expected = 0;
        each_leg(&config, &directory_names(&config), |_, _, _, _| {
            expected += 1
        });
        assert_eq!(legs, expected);
    }

    /// The legs are in precedence order, then by directory name, then by rule name (as
    /// compared by name before directories were ranked), with directories of equal names.
    #[test]
    fn legs_are_ordered_by_precedence_directory_name_and_rule_name() {
        let mut config = crate::stream::test_support::several_chunks_config();
        // Names out of their index order, and two directories of one name.
        let n = config.onpremises_directories.len();
        for (i, d) in config.onpremises_directories.iter_mut().enumerate() {
            d.name = format!("forest-{}", (n - i) / 2);
        }
        let by_name = |a: &Leg<'_>, b: &Leg<'_>| {
            a.precedence
                .cmp(&b.precedence)
                .then_with(|| a.directory.cmp(&b.directory))
                .then_with(|| a.rule_name.cmp(b.rule_name))
        };
        let all = flows(&config);
        let mut compared = 0;
        for f in &all {
            for legs in [&f.inbound, &f.outbound] {
                let mut expected = legs.clone();
                expected.sort_by(by_name);
                assert_eq!(legs, &expected, "{}", f.attribute);
                compared += legs.len();
            }
        }
        assert!(compared > 100);
        assert_eq!(
            name_ranks(&["b".into(), "a".into(), "b".into(), "c".into()]),
            [1, 0, 1, 2]
        );
    }
}
