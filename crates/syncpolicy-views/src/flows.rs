//! The end-to-end attribute flows of a configuration: for every metaverse attribute, which
//! inbound rules of which directory write it from which connector-space attributes, and which
//! outbound rules carry it into which attribute of which directory, each side in precedence
//! order. Pure logic over the model.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
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
    /// The flows of `object_type.attribute` (case-insensitive), added when new.
    fn entry(&mut self, object_type: &'a str, attribute: &'a str) -> &mut AttributeFlows<'a> {
        self.key.clear();
        let _ = write!(self.key, "{}:", object_type.len());
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
        &mut self.flows[i].2
    }
}

/// The flows of every metaverse attribute that a rule writes or reads, sorted by metaverse
/// object type, then attribute name (case-insensitive). Every leg borrows its text from
/// `config`; each attribute is found by a hash of its name (no scan of the others).
pub fn flows(config: &Configuration) -> Vec<AttributeFlows<'_>> {
    let names: Vec<Cow<'_, str>> = directory_names(config);
    let mut all = Attributes::default();
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
                    let l = leg(&facts, cs_type, m, m.sources());
                    all.entry(mv_type, dest.trim()).inbound.push(l);
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
                    let sources = m.sources();
                    for (k, s) in sources.iter().enumerate() {
                        if sources[..k].iter().any(|x| x.eq_ignore_ascii_case(s)) {
                            continue;
                        }
                        let l = leg(&facts, cs_type, m, vec![dest.trim()]);
                        all.entry(mv_type, s).outbound.push(l);
                    }
                }
            }
            _ => {}
        }
    }
    let order = |a: &Leg<'_>, b: &Leg<'_>| {
        a.precedence
            .cmp(&b.precedence)
            .then_with(|| a.directory.cmp(&b.directory))
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
