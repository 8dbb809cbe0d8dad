//! A configuration prepared for synchronization: every rule with its scope clauses typed, its
//! join groups, and its flows compiled once (expressions through `syncpolicy_expr::compile_with`),
//! plus the `%Parameter%` values of each directory and partition.

use crate::name::{intern, Name};
use syncpolicy_expr::check::CheckContext;
use syncpolicy_expr::env::{NameProbe, Parameters};
use syncpolicy_expr::eval::{AbsentResult, Compiled};
use syncpolicy_expr::value::Value;
use syncpolicy_model::config::{Configuration, DirectoryRef};
use syncpolicy_model::enums::{Direction, FlowType, LinkType, MergeType, ScopeOperator};
use syncpolicy_model::rule::SyncRule;

/// Index of a prepared rule in [`Prepared::rules`].
pub type RuleId = u32;

/// One rule, ready to run.
#[derive(Debug)]
pub struct PRule {
    pub name: String,
    pub directory: DirectoryRef,
    pub inbound: bool,
    /// Lower-cased source object type.
    pub source_type: String,
    /// Target object type as written (`*` for any).
    pub target_type: String,
    pub link: LinkType,
    pub precedence: i32,
    pub disabled: bool,
    pub scope: Vec<Vec<PCond>>,
    pub joins: Vec<Vec<PJoin>>,
    pub flows: Vec<PFlow>,
    /// Position of the rule's directory in connector creation order (ties between rules of
    /// equal precedence).
    pub directory_order: usize,
}

impl PRule {
    /// A rule that links objects: it has join conditions or it provisions.
    pub fn links(&self) -> bool {
        !self.joins.is_empty() || self.link == LinkType::Provision
    }

    /// True when the target type is `*` or equals `t` (case-insensitive).
    pub fn targets(&self, t: &str) -> bool {
        self.target_type == "*" || self.target_type.eq_ignore_ascii_case(t)
    }
}

/// One scope clause.
#[derive(Debug, Clone)]
pub struct PCond {
    pub attribute: String,
    pub op: Op,
    /// The clause value as written (`%Parameter%` expanded at evaluation).
    pub value: String,
    /// The operator as written, for messages.
    pub op_text: String,
    /// For a clause that several rules have (the same attribute, operator and value): its
    /// place in a per-object record of clause results ([`crate::scope::in_scope_with`]), so
    /// that it is evaluated once per object. `u32::MAX` for a clause of one rule only.
    pub memo: u32,
}

/// The scope operators, with the spelling trap `ISNOTBITSET` folded into `IsBitNotSet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    Contains,
    NotContains,
    StartsWith,
    NotStartsWith,
    EndsWith,
    NotEndsWith,
    IsNull,
    IsNotNull,
    IsIn,
    IsNotIn,
    IsBitSet,
    IsBitNotSet,
    IsMemberOf,
    IsNotMemberOf,
    /// An operator this version does not know: the clause is never satisfied.
    Unknown,
}

impl Op {
    fn from_model(op: Option<&ScopeOperator>) -> Op {
        use ScopeOperator as S;
        match op {
            Some(S::Equal) => Op::Equal,
            Some(S::NotEqual) => Op::NotEqual,
            Some(S::LessThan) => Op::LessThan,
            Some(S::LessThanOrEqual) => Op::LessThanOrEqual,
            Some(S::GreaterThan) => Op::GreaterThan,
            Some(S::GreaterThanOrEqual) => Op::GreaterThanOrEqual,
            Some(S::Contains) => Op::Contains,
            Some(S::NotContains) => Op::NotContains,
            Some(S::StartsWith) => Op::StartsWith,
            Some(S::NotStartsWith) => Op::NotStartsWith,
            Some(S::EndsWith) => Op::EndsWith,
            Some(S::NotEndsWith) => Op::NotEndsWith,
            Some(S::IsNull) => Op::IsNull,
            Some(S::IsNotNull) => Op::IsNotNull,
            Some(S::IsIn) => Op::IsIn,
            Some(S::IsNotIn) => Op::IsNotIn,
            Some(S::IsBitSet) => Op::IsBitSet,
            Some(S::IsBitNotSet) => Op::IsBitNotSet,
            Some(S::IsMemberOf) => Op::IsMemberOf,
            Some(S::IsNotMemberOf) => Op::IsNotMemberOf,
            Some(S::Unknown(t)) if t.eq_ignore_ascii_case("ISNOTBITSET") => Op::IsBitNotSet,
            Some(S::Unknown(_)) | None => Op::Unknown,
        }
    }

    /// Negative operators are true on absent or empty values (`sync-engine.md` A.3).
    pub fn is_negative(self) -> bool {
        matches!(
            self,
            Op::NotEqual
                | Op::NotContains
                | Op::NotStartsWith
                | Op::NotEndsWith
                | Op::IsNull
                | Op::IsNotIn
                | Op::IsBitNotSet
                | Op::IsNotMemberOf
        )
    }
}

/// One join condition: connector-space attribute equals metaverse attribute.
#[derive(Debug, Clone)]
pub struct PJoin {
    pub cs: String,
    pub mv: String,
    pub case_sensitive: bool,
}

/// One attribute flow.
#[derive(Debug)]
pub struct PFlow {
    /// Shared by every contribution and resolved attribute of this flow (no copies).
    pub dest: Name,
    /// The index of `dest` among the distinct target names of the configuration
    /// ([`Prepared::targets`]), in the order of the names.
    pub dest_id: u32,
    pub kind: FlowKind,
    pub merge: MergeType,
    pub execute_once: bool,
    /// For an expression that keeps its result on objects without the attributes it reads
    /// ([`syncpolicy_expr::eval::Compiled::eval_kept`]): one result per set of parameters the
    /// rule is evaluated with, by [`Prepared::parameter_set`]. Empty for other flows.
    pub absent: Box<[AbsentResult]>,
    /// For an expression that is `Trim([name])` ([`Compiled::trimmed_attribute`]): the
    /// attribute, prepared for lookups. Where it holds a value `Trim` leaves as it is
    /// ([`syncpolicy_expr::eval::trim_leaves`]), staging takes the value as a direct flow's
    /// (moved, not copied) instead of evaluating.
    pub trim_of: Option<NameProbe>,
}

/// How a flow computes its value.
#[derive(Debug)]
pub enum FlowKind {
    /// Copies the first source attribute (named, and prepared for lookups).
    Direct(String, NameProbe),
    Constant(Value),
    Expression(Box<Compiled>),
    /// The expression does not compile; evaluating it is an object error with this text.
    Broken(String),
}

/// The configuration, prepared.
#[derive(Debug)]
pub struct Prepared {
    pub rules: Vec<PRule>,
    /// Configuration-level findings (expressions that do not compile, unknown operators,
    /// rules reading attributes the connector does not import).
    pub warnings: Vec<String>,
    /// `%Parameter%` values of the Entra connector.
    pub entra_parameters: Parameters,
    /// Per on-premises directory, per partition: the parameters.
    pub partition_parameters: Vec<Vec<Parameters>>,
    /// Per on-premises directory, its parameters without a partition (outbound).
    pub directory_parameters: Vec<Parameters>,
    /// On-premises directory indexes in connector creation order.
    pub directory_order: Vec<usize>,
    /// The number of distinct target attribute names (exact spelling) of every flow.
    pub targets: usize,
    /// The number of scope clauses that several rules share ([`PCond::memo`]).
    pub shared_clauses: usize,
}

/// The NetBIOS name the engine would see, derived from an FQDN: its first label, upper-cased.
/// (The settings file does not record NetBIOS names; `docs/simulation.md` says so.)
pub fn netbios_of(fqdn: &str) -> String {
    fqdn.split('.').next().unwrap_or("").to_ascii_uppercase()
}

/// `DC=contoso,DC=com` for `contoso.com`.
pub fn ldap_of(fqdn: &str) -> String {
    fqdn.split('.')
        .filter(|l| !l.is_empty())
        .map(|l| format!("DC={l}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The connector creation order of the on-premises directories: the recorded connector order
/// where it names them, then the rest in the order of the file.
pub fn creation_order(config: &Configuration) -> Vec<usize> {
    let dirs = &config.onpremises_directories;
    let mut order: Vec<usize> = Vec::new();
    let recorded = config
        .deployment_metadata
        .connector_ids
        .iter()
        .flatten()
        .chain(config.extension.connector_order.iter());
    for id in recorded {
        if let Some(i) = dirs
            .iter()
            .position(|d| d.unique_identifier.eq_ignore_ascii_case(id))
        {
            if !order.contains(&i) {
                order.push(i);
            }
        }
    }
    for i in 0..dirs.len() {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    order
}

impl Prepared {
    /// Prepares every rule of `config`.
    pub fn new(config: &Configuration) -> Prepared {
        let directory_order = creation_order(config);
        let mut warnings = Vec::new();
        let mut rules = Vec::new();
        let context = CheckContext {
            allow_unknown_parameters: true,
            ..CheckContext::default()
        };
        for (location, rule) in config.rules() {
            let order = match location.directory {
                DirectoryRef::Azure => usize::MAX,
                DirectoryRef::OnPremises(i) => directory_order
                    .iter()
                    .position(|d| *d == i)
                    .unwrap_or(usize::MAX),
            };
            let dir_name = config.directory_name(location.directory);
            rules.push(prepare_rule(
                rule,
                location.directory,
                order,
                &dir_name,
                &context,
                &mut warnings,
            ));
        }
        // One id per target attribute (exact spelling; the names are shared, `crate::name`).
        let mut names: std::collections::HashMap<Name, u32> = std::collections::HashMap::new();
        for r in &mut rules {
            for f in &mut r.flows {
                match names.get(f.dest) {
                    Some(id) => f.dest_id = *id,
                    None => {
                        let id = names.len() as u32;
                        f.dest_id = id;
                        names.insert(f.dest, id);
                    }
                }
            }
        }
        // Ids in the order of the names, so that resolution sorts and groups contributions by
        // id instead of comparing the names' text (the same order: one id per spelling).
        let mut sorted: Vec<(Name, u32)> = names.into_iter().collect();
        sorted.sort_unstable();
        let mut rank = vec![0u32; sorted.len()];
        for (r, (_, id)) in sorted.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        for r in &mut rules {
            for f in &mut r.flows {
                f.dest_id = rank[f.dest_id as usize];
            }
        }
        let targets = sorted.len();
        let mut entra_parameters = Parameters::new();
        if let Some(id) = &config.azure_directory.connector_id {
            entra_parameters.insert("Connector.ID", id.clone());
        }
        let mut partition_parameters = Vec::new();
        let mut directory_parameters = Vec::new();
        for d in &config.onpremises_directories {
            let forest = d.forest.clone().unwrap_or_else(|| d.name.clone());
            let mut base = Parameters::new();
            base.insert("Connector.ID", d.unique_identifier.clone());
            base.insert("Forest.FQDN", forest.clone());
            base.insert("Forest.LDAP", ldap_of(&forest));
            base.insert("Forest.Netbios", netbios_of(&forest));
            let mut per = Vec::new();
            for p in &d.partitions {
                let mut params = base.clone();
                let fqdn = p.fqdn.clone().unwrap_or_else(|| {
                    p.distinguished_name
                        .as_deref()
                        .map(fqdn_of_dn)
                        .unwrap_or_default()
                });
                let ldap = p
                    .distinguished_name
                    .clone()
                    .unwrap_or_else(|| ldap_of(&fqdn));
                params.insert("Domain.FQDN", fqdn.clone());
                params.insert("Domain.LDAP", ldap);
                params.insert("Domain.Netbios", netbios_of(&fqdn));
                per.push(params);
            }
            partition_parameters.push(per);
            directory_parameters.push(base);
        }
        // The kept results: an inbound rule of an on-premises directory is evaluated with the
        // parameters of each partition, every other rule with one set.
        for r in &mut rules {
            let sets = match (r.inbound, r.directory) {
                (true, DirectoryRef::OnPremises(i)) => {
                    1 + partition_parameters.get(i).map_or(0, Vec::len)
                }
                _ => 1,
            };
            for f in &mut r.flows {
                if let FlowKind::Expression(c) = &f.kind {
                    if c.keeps_absent_result() {
                        f.absent = (0..sets).map(|_| AbsentResult::new()).collect();
                    }
                }
            }
        }
        // Clauses that several rules share, numbered.
        let mut counts: std::collections::HashMap<(String, Op, String), u32> =
            std::collections::HashMap::new();
        for r in &rules {
            for c in r.scope.iter().flatten() {
                *counts
                    .entry((c.attribute.clone(), c.op, c.value.clone()))
                    .or_default() += 1;
            }
        }
        let mut ids: std::collections::HashMap<(String, Op, String), u32> =
            std::collections::HashMap::new();
        for r in &mut rules {
            for c in r.scope.iter_mut().flatten() {
                let key = (c.attribute.clone(), c.op, c.value.clone());
                if counts.get(&key).is_some_and(|n| *n > 1) {
                    let next = ids.len() as u32;
                    c.memo = *ids.entry(key).or_insert(next);
                }
            }
        }
        let shared_clauses = ids.len();
        Prepared {
            rules,
            warnings,
            entra_parameters,
            partition_parameters,
            directory_parameters,
            directory_order,
            targets,
            shared_clauses,
        }
    }
}

impl Prepared {
    /// The index of the parameters an object is evaluated with among those of its rule
    /// ([`PFlow::absent`]): 0 without a partition (an outbound rule, an Entra object), else
    /// the partition's position plus one.
    pub fn parameter_set(partition: Option<usize>) -> usize {
        partition.map_or(0, |p| p + 1)
    }
}

/// `contoso.com` for `DC=contoso,DC=com`.
pub fn fqdn_of_dn(dn: &str) -> String {
    dn.split(',')
        .filter_map(|c| {
            let (k, v) = c.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("DC")
                .then(|| v.trim().to_owned())
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn prepare_rule(
    rule: &SyncRule,
    directory: DirectoryRef,
    directory_order: usize,
    dir_name: &str,
    context: &CheckContext,
    warnings: &mut Vec<String>,
) -> PRule {
    let name = if rule.name().is_empty() {
        rule.internal_identifier.clone()
    } else {
        rule.name().to_owned()
    };
    let scope = rule
        .scope_groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|c| {
                    let op = Op::from_model(c.operator.as_ref());
                    let op_text = c
                        .operator
                        .as_ref()
                        .map(|o| o.as_str().to_owned())
                        .unwrap_or_default();
                    if op == Op::Unknown {
                        warnings.push(format!(
                            "rule `{name}` ({dir_name}): scope operator `{op_text}` is unknown; the clause is never satisfied"
                        ));
                    }
                    PCond {
                        attribute: c.attribute.clone().unwrap_or_default(),
                        op,
                        value: c.value.clone(),
                        op_text,
                        memo: u32::MAX,
                    }
                })
                .collect()
        })
        .collect();
    let joins = rule
        .join_groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|j| PJoin {
                    cs: j.source.clone().unwrap_or_default(),
                    mv: j.destination.clone().unwrap_or_default(),
                    case_sensitive: j.case_sensitive,
                })
                .collect::<Vec<_>>()
        })
        .filter(|g| !g.is_empty())
        .collect();
    let flows = rule
        .mappings
        .iter()
        .filter_map(|m| {
            let dest = m.destination.clone().filter(|d| !d.is_empty())?;
            let flow_type = m.flow_type.clone().unwrap_or_else(|| {
                if !m.expression.trim().is_empty() {
                    FlowType::Expression
                } else if !m.source.trim().is_empty() {
                    FlowType::Direct
                } else {
                    FlowType::Constant
                }
            });
            let kind = match flow_type {
                FlowType::Direct => match m.sources().first() {
                    Some(s) => FlowKind::Direct((*s).to_owned(), NameProbe::new(s)),
                    None => FlowKind::Broken(format!("direct flow to `{dest}` has no source")),
                },
                FlowType::Constant => {
                    let text = if m.value.is_empty() { &m.expression } else { &m.value };
                    FlowKind::Constant(constant_value(text))
                }
                FlowType::Expression | FlowType::Unknown(_) => {
                    match syncpolicy_expr::compile_with(&m.expression, context) {
                        Ok(c) => FlowKind::Expression(Box::new(c)),
                        Err(diags) => {
                            let first = diags
                                .first()
                                .map(|d| d.message.clone())
                                .unwrap_or_else(|| "invalid expression".to_owned());
                            warnings.push(format!(
                                "rule `{name}` ({dir_name}): the expression of `{dest}` does not compile: {first}"
                            ));
                            FlowKind::Broken(format!(
                                "the expression of `{dest}` does not compile: {first}"
                            ))
                        }
                    }
                }
            };
            let trim_of = match &kind {
                FlowKind::Expression(c) => c.trimmed_attribute().map(NameProbe::new),
                _ => None,
            };
            Some(PFlow {
                dest: intern(&dest),
                dest_id: 0,
                kind,
                merge: m.merge_type.clone(),
                execute_once: m.execute_once,
                absent: Box::new([]),
                trim_of,
            })
        })
        .collect();
    PRule {
        name,
        directory,
        inbound: !matches!(rule.direction, Some(Direction::Outbound)),
        source_type: rule
            .source_object_type
            .clone()
            .unwrap_or_default()
            .to_ascii_lowercase(),
        target_type: rule.target_object_type.clone().unwrap_or_default(),
        link: rule.link_type.clone().unwrap_or(LinkType::Join),
        precedence: rule.precedence,
        disabled: rule.disabled,
        scope,
        joins,
        flows,
        directory_order,
    }
}

/// A constant flow's value: `True`/`False` as Booleans, integers as numbers, else text.
pub fn constant_value(text: &str) -> Value {
    let t = text.trim();
    if t.eq_ignore_ascii_case("true") {
        Value::Bool(true)
    } else if t.eq_ignore_ascii_case("false") {
        Value::Bool(false)
    } else {
        Value::Str(text.to_owned())
    }
}

/// The attributes a rule reads from its source object: scope clauses, join conditions, flow
/// sources and the attributes its expressions name.
pub fn attributes_read(rule: &PRule) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |a: &str| {
        if !a.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(a)) {
            out.push(a.to_owned());
        }
    };
    for g in &rule.scope {
        for c in g {
            add(&c.attribute);
        }
    }
    for g in &rule.joins {
        for j in g {
            add(&j.cs);
        }
    }
    for f in &rule.flows {
        match &f.kind {
            FlowKind::Direct(s, _) => add(s),
            FlowKind::Expression(c) => c.expr().walk(&mut |e| {
                if let syncpolicy_expr::ast::ExprKind::Attr(a) = &e.kind {
                    add(a);
                }
            }),
            FlowKind::Constant(_) | FlowKind::Broken(_) => {}
        }
    }
    out
}
