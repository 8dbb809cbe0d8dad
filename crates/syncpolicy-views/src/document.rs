//! The documentation report of `show --format markdown|html`: the model of one configuration's
//! whole documentation (metadata, sign-in and features, the Entra directory, every on-premises
//! directory with its OU tree, every rule grouped by directory and direction in precedence
//! order, the metaverse attributes with their end-to-end flows, and the findings of `validate`
//! linked to their rules), and its Markdown rendering. The HTML rendering is `crate::html`.

use crate::escape;
use crate::expression;
use crate::flows::{self, AttributeFlows, Leg};
use crate::stream;
use crate::summary::{summarize, Summary};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use syncpolicy_model::config::{
    Configuration, DirectoryRef, OnPremisesDirectory, RuleLocation, RuleSet,
};
use syncpolicy_model::diagnostic::{Diagnostic, Location};
use syncpolicy_model::enums::{FlowType, MergeType};
use syncpolicy_model::extension::AcceptedFinding;
use syncpolicy_model::rule::SyncRule;

/// Code of the validation rule that finds standard rules differing from the out-of-box
/// catalogue (`modified-standard-rule`): a rule it reports is marked modified.
pub const MODIFIED_STANDARD_RULE: &str = "SP030";

/// The whole report. The rules and flows borrow their text from the configuration.
#[derive(Debug)]
pub struct Document<'a> {
    /// Where the configuration was read from.
    pub source: String,
    /// The summary of `show` (metadata, sign-in, identity, features, Entra, directories).
    pub summary: Summary,
    pub directories: Vec<DirectoryDoc>,
    pub rule_groups: Vec<RuleGroup<'a>>,
    pub metaverse: Vec<AttributeFlows<'a>>,
    pub findings: Vec<FindingDoc>,
    /// Each rule of the report by its JSON path (the rules are the configuration's, each
    /// once), for linking findings: built with the report, before the findings are known.
    rule_places: HashMap<String, (usize, usize)>,
}

/// One on-premises directory in detail.
#[derive(Debug)]
pub struct DirectoryDoc {
    pub anchor: String,
    pub name: String,
    pub forest: Option<String>,
    pub account: Option<String>,
    pub partitions: Vec<PartitionDoc>,
    pub group_filtering: Option<String>,
    pub group_writeback: Option<String>,
    pub device_writeback: Option<String>,
    pub object_types: Option<Vec<String>>,
    pub attributes: Option<Vec<String>>,
    /// Run profiles with their steps (`type partition`).
    pub run_profiles: Vec<(String, Vec<String>)>,
}

/// A partition and its OU filter as a tree.
#[derive(Debug)]
pub struct PartitionDoc {
    pub name: String,
    pub selected: bool,
    pub preferred_controllers: Vec<String>,
    /// The included and excluded containers below the partition, nested by DN.
    pub tree: Vec<OuNode>,
}

/// Whether a container of the OU filter is included or excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OuMark {
    Include,
    Exclude,
}

/// One container on the way to an included or excluded one.
#[derive(Debug)]
pub struct OuNode {
    /// The relative name, e.g. `OU=Sales`.
    pub rdn: String,
    /// Set on the containers the filter names; `None` on the ones only on the way.
    pub mark: Option<OuMark>,
    pub children: Vec<OuNode>,
}

/// The rules of one directory in one direction, by precedence.
#[derive(Debug)]
pub struct RuleGroup<'a> {
    pub anchor: String,
    pub directory: String,
    pub direction: String,
    pub rules: Vec<RuleDoc<'a>>,
}

/// One rule in full.
#[derive(Debug)]
pub struct RuleDoc<'a> {
    pub anchor: String,
    pub location: RuleLocation,
    pub name: &'a str,
    pub precedence: i32,
    pub standard: bool,
    pub disabled: bool,
    /// A standard rule that differs from the out-of-box catalogue.
    pub modified: bool,
    pub link_type: &'a str,
    pub source_type: &'a str,
    pub target_type: &'a str,
    pub description: &'a str,
    pub immutable_tag: Option<&'a str>,
    /// The rule itself: its scope, join groups and flows are laid out when the report is
    /// rendered ([`RuleDoc::scope`], [`RuleDoc::joins`], [`RuleDoc::mappings`]), on the
    /// rendering threads, and are never held for every rule at once.
    pub rule: &'a SyncRule,
    /// Indexes into [`Document::findings`].
    pub findings: Vec<usize>,
}

/// One attribute flow of a rule.
#[derive(Debug)]
pub struct MappingDoc<'a> {
    pub destination: &'a str,
    pub flow_type: &'a str,
    /// Source attribute(s), laid-out expression, or quoted constant.
    pub body: Cow<'a, str>,
    /// Merge type when not Update, `once` when applied only on creation.
    pub flags: Vec<String>,
}

/// One finding of `validate`.
#[derive(Debug)]
pub struct FindingDoc {
    pub anchor: String,
    pub code: String,
    pub name: String,
    pub severity: String,
    pub message: String,
    pub place: String,
    pub help: Option<String>,
    /// The rule it concerns: (anchor, name).
    pub rule: Option<(String, String)>,
    /// Accepted in the settings file's `acceptedFindings`: the reason, and who and when.
    pub accepted: Option<String>,
}

/// The anchor of a rule in the report (stable for one configuration).
pub fn rule_anchor(at: RuleLocation) -> String {
    let mut o = String::with_capacity(24);
    RuleAnchor(at).push_to(&mut o);
    o
}

/// [`rule_anchor`] written where it is needed (no string of its own): `rule-d3-c12`,
/// `rule-entra-s0`. Only ASCII letters, digits and `-`, so it needs no escaping anywhere.
#[derive(Debug, Clone, Copy)]
pub struct RuleAnchor(pub RuleLocation);

impl RuleAnchor {
    /// Appends the anchor: what its `Display` writes, pushed by hand (the report writes one
    /// per rule and one per end-to-end flow; `write!` cost about 800 instructions each).
    pub fn push_to(self, o: &mut String) {
        let at = self.0;
        match at.directory {
            DirectoryRef::Azure => o.push_str("rule-entra-"),
            DirectoryRef::OnPremises(i) => {
                o.push_str("rule-d");
                push_number(o, i);
                o.push('-');
            }
        }
        o.push_str(match at.set {
            RuleSet::Standard => "s",
            RuleSet::Custom => "c",
        });
        push_number(o, at.index);
    }
}

/// Appends the decimal digits of `n`.
pub(crate) fn push_number(o: &mut String, n: usize) {
    o.push_str(itoa::Buffer::new().format(n));
}

impl std::fmt::Display for RuleAnchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = self.0;
        let set = match at.set {
            RuleSet::Standard => "s",
            RuleSet::Custom => "c",
        };
        match at.directory {
            DirectoryRef::Azure => write!(f, "rule-entra-{set}{}", at.index),
            DirectoryRef::OnPremises(i) => write!(f, "rule-d{i}-{set}{}", at.index),
        }
    }
}

/// The JSON path of a rule prefixing `json_path` (`...SynchronizationRules[N]`), if any.
pub fn rule_path_prefix(json_path: &str) -> Option<&str> {
    let start = json_path.find("SynchronizationRules[")?;
    let end = json_path[start..].find(']')? + start + 1;
    Some(&json_path[..end])
}

/// Anchors of every rule, keyed by the rule's JSON path.
pub fn rule_anchors(config: &Configuration) -> HashMap<String, String> {
    config
        .rules()
        .map(|(at, _)| (syncpolicy_json::paths::rule(at), rule_anchor(at)))
        .collect()
}

fn non_empty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Builds the report of a configuration with the findings of `validate` for it.
pub fn build<'a>(config: &'a Configuration, label: &str, findings: &[Diagnostic]) -> Document<'a> {
    let mut doc = build_without_findings(config, label);
    attach_findings(&mut doc, findings);
    doc
}

/// Links the findings of `validate` into a report built by [`build_without_findings`]: each
/// finding to its rule, and standard rules with a modified-standard-rule finding marked.
pub fn attach_findings(doc: &mut Document<'_>, findings: &[Diagnostic]) {
    attach_diagnostics(doc, findings.to_vec());
}

/// [`attach_findings`] taking the findings: their texts move into the report (no copy).
/// Many findings are made into the report's entries on every core.
pub fn attach_diagnostics(doc: &mut Document<'_>, findings: Vec<Diagnostic>) {
    attach_on(doc, findings, crate::stream::cores());
}

/// Findings from which [`attach_diagnostics`] makes their entries on several cores.
const PARALLEL_FINDINGS: usize = 4_096;

/// [`attach_diagnostics`] on at most `threads` threads.
fn attach_on(doc: &mut Document<'_>, findings: Vec<Diagnostic>, threads: usize) {
    doc.findings.clear();
    for rule in doc.rule_groups.iter_mut().flat_map(|g| &mut g.rules) {
        rule.findings.clear();
        rule.modified = false;
    }
    // First, in order: the rule of each finding, and each rule's findings.
    let mut places: Vec<Option<(usize, usize)>> = Vec::with_capacity(findings.len());
    for (i, d) in findings.iter().enumerate() {
        let place = d
            .location
            .json_path
            .as_deref()
            .and_then(rule_path_prefix)
            .and_then(|p| doc.rule_places.get(p).copied());
        if let Some((g, r)) = place {
            let doc_rule = &mut doc.rule_groups[g].rules[r];
            doc_rule.findings.push(i);
            if d.code == MODIFIED_STANDARD_RULE && doc_rule.standard {
                doc_rule.modified = true;
            }
        }
        places.push(place);
    }
    // Then the entries, in runs of consecutive findings (one run per thread).
    let groups = &doc.rule_groups;
    let entry = |i: usize, d: Diagnostic, place: Option<(usize, usize)>| {
        let rule = place.map(|(g, r)| {
            let doc_rule = &groups[g].rules[r];
            (doc_rule.anchor.clone(), doc_rule.name.to_owned())
        });
        let place = location_text(&d.location);
        FindingDoc {
            anchor: {
                let mut a = String::with_capacity(16);
                a.push_str("finding-");
                push_number(&mut a, i + 1);
                a
            },
            severity: d.severity.as_str().to_owned(),
            code: d.code,
            name: d.name,
            message: d.message,
            place,
            help: d.help,
            rule,
            accepted: None,
        }
    };
    // The first run's entries go into the list of them all, the others' are moved after them
    // (no list of each run copied into another one).
    let entries =
        |first: usize, run: Vec<Diagnostic>, places: &[Option<(usize, usize)>], capacity: usize| {
            let mut made = Vec::with_capacity(capacity.max(run.len()));
            made.extend(
                run.into_iter()
                    .zip(places)
                    .enumerate()
                    .map(|(k, (d, place))| entry(first + k, d, *place)),
            );
            made
        };
    let total = places.len();
    let threads = if findings.len() >= PARALLEL_FINDINGS {
        threads.clamp(1, 8)
    } else {
        1
    };
    let share = findings.len().div_ceil(threads).max(1);
    let mut runs: Vec<(usize, Vec<Diagnostic>)> = Vec::with_capacity(threads);
    let mut rest = findings;
    let mut first = 0;
    while rest.len() > share {
        let tail = rest.split_off(share);
        let len = rest.len();
        runs.push((first, std::mem::replace(&mut rest, tail)));
        first += len;
    }
    runs.push((first, rest));
    doc.findings = if runs.len() == 1 {
        let (first, run) = runs.pop().expect("one run");
        entries(first, run, &places[first..], total)
    } else {
        std::thread::scope(|s| {
            let mut runs = runs.into_iter();
            let (first0, run0) = runs.next().expect("one run at least");
            let handles: Vec<_> = runs
                .map(|(first, run)| {
                    let places = &places[first..];
                    s.spawn(move || entries(first, run, places, 0))
                })
                .collect();
            let mut all = entries(first0, run0, &places[first0..], total);
            for h in handles {
                match h.join() {
                    Ok(m) => all.extend(m),
                    Err(e) => std::panic::resume_unwind(e),
                }
            }
            all
        })
    };
}

/// A finding's place as [`Location`]'s `Display` writes it (`file:line:column at path`),
/// in a string of its size (no formatter per finding).
fn location_text(l: &Location) -> String {
    let inner = l.json_path.as_ref().or(l.xml_element.as_ref());
    let mut o = String::with_capacity(
        l.file.as_ref().map_or(0, |f| f.len() + 24) + inner.map_or(14, |p| p.len() + 4),
    );
    // Writing to a String cannot fail.
    let _ = l.write_to(&mut o);
    o
}

/// Marks findings of the report as accepted: `accepted` holds, for the finding at that index
/// of the findings given to [`attach_findings`], the entry that accepts it.
pub fn mark_accepted(doc: &mut Document<'_>, accepted: &[(usize, &AcceptedFinding)]) {
    for (i, a) in accepted {
        if let Some(f) = doc.findings.get_mut(*i) {
            let mut text = a.reason.trim().to_owned();
            let who: Vec<String> = [
                a.accepted_by.as_ref().map(|b| format!("by {b}")),
                a.accepted_at.as_ref().map(|t| format!("at {t}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !who.is_empty() {
                text.push_str(&format!(" ({})", who.join(", ")));
            }
            f.accepted = Some(text);
        }
    }
}

/// Builds the report without findings (see [`attach_findings`]), so that the validation can
/// run at the same time.
pub fn build_without_findings<'a>(config: &'a Configuration, label: &str) -> Document<'a> {
    let mut rule_groups = Vec::new();
    let mut dirs: Vec<DirectoryRef> = (0..config.onpremises_directories.len())
        .map(DirectoryRef::OnPremises)
        .collect();
    dirs.push(DirectoryRef::Azure);
    let mut grouped: HashMap<(DirectoryRef, &str), Vec<(RuleLocation, &SyncRule)>> = HashMap::new();
    for (at, r) in config.rules() {
        let direction = match r.direction_str() {
            "Inbound" => "Inbound",
            "Outbound" => "Outbound",
            _ => continue,
        };
        grouped
            .entry((at.directory, direction))
            .or_default()
            .push((at, r));
    }
    for dir in dirs {
        for direction in ["Inbound", "Outbound"] {
            let Some(mut rules) = grouped.remove(&(dir, direction)) else {
                continue;
            };
            rules.sort_by(|a, b| {
                a.1.precedence
                    .cmp(&b.1.precedence)
                    .then_with(|| a.1.name().cmp(b.1.name()))
            });
            let group_anchor = format!(
                "rules-{}-{}",
                match dir {
                    DirectoryRef::Azure => "entra".to_owned(),
                    DirectoryRef::OnPremises(i) => format!("d{i}"),
                },
                direction.to_ascii_lowercase()
            );
            rule_groups.push(RuleGroup {
                anchor: group_anchor,
                directory: config.directory_name(dir),
                direction: direction.to_owned(),
                rules: rules.into_iter().map(|(at, r)| rule_doc(at, r)).collect(),
            });
        }
    }
    // Rules without a direction are still documented.
    let undirected: Vec<(RuleLocation, &SyncRule)> = config
        .rules()
        .filter(|(_, r)| !matches!(r.direction_str(), "Inbound" | "Outbound"))
        .collect();
    if !undirected.is_empty() {
        rule_groups.push(RuleGroup {
            anchor: "rules-undirected".to_owned(),
            directory: "any directory".to_owned(),
            direction: "without a known direction".to_owned(),
            rules: undirected
                .into_iter()
                .map(|(at, r)| rule_doc(at, r))
                .collect(),
        });
    }

    let mut rule_places = HashMap::with_capacity(rule_groups.iter().map(|g| g.rules.len()).sum());
    for (g, group) in rule_groups.iter().enumerate() {
        for (r, rule) in group.rules.iter().enumerate() {
            rule_places.insert(syncpolicy_json::paths::rule(rule.location), (g, r));
        }
    }
    Document {
        rule_places,
        source: label.to_owned(),
        summary: summarize(config, label),
        directories: config
            .onpremises_directories
            .iter()
            .enumerate()
            .map(|(i, d)| directory_doc(i, d))
            .collect(),
        rule_groups,
        metaverse: flows::flows(config),
        findings: Vec::new(),
    }
}

fn rule_doc(at: RuleLocation, r: &SyncRule) -> RuleDoc<'_> {
    RuleDoc {
        anchor: rule_anchor(at),
        location: at,
        name: r.name(),
        precedence: r.precedence,
        standard: r.is_standard(),
        disabled: r.disabled,
        modified: false,
        link_type: r.link_type.as_ref().map(|l| l.as_str()).unwrap_or_default(),
        source_type: r.source_object_type.as_deref().unwrap_or_default(),
        target_type: r.target_object_type.as_deref().unwrap_or_default(),
        description: &r.description,
        immutable_tag: r.immutable_tag.as_deref().filter(|t| !t.is_empty()),
        rule: r,
        findings: Vec::new(),
    }
}

impl<'a> RuleDoc<'a> {
    /// Scope groups (OR-ed), each its clauses AND-ed.
    pub fn scope(&self) -> Vec<String> {
        self.rule
            .scope_groups
            .iter()
            .map(|g| {
                let mut o = String::new();
                for (i, c) in g.iter().enumerate() {
                    if i > 0 {
                        o.push_str(" AND ");
                    }
                    let from = o.len();
                    // Pushed, not `write!`: once per clause of every rule of the report.
                    o.push_str(c.attribute.as_deref().unwrap_or("?"));
                    o.push(' ');
                    o.push_str(c.operator.as_ref().map(|o| o.as_str()).unwrap_or("?"));
                    o.push(' ');
                    o.push_str(&c.value);
                    // Each clause without its trailing blanks (an empty value leaves one).
                    let kept = from + o[from..].trim_end().len();
                    o.truncate(kept);
                }
                o
            })
            .collect()
    }

    /// Join groups, tried in order.
    pub fn joins(&self) -> Vec<String> {
        self.rule
            .join_groups
            .iter()
            .map(|g| {
                let mut o = String::new();
                for (i, c) in g.iter().enumerate() {
                    if i > 0 {
                        o.push_str(" AND ");
                    }
                    crate::rules::JoinText(c).push_to(&mut o);
                }
                o
            })
            .collect()
    }

    /// The attribute flows, expressions laid out.
    pub fn mappings(&self) -> Vec<MappingDoc<'a>> {
        self.rule
            .mappings
            .iter()
            .map(|m| {
                let flow_type = m.flow_type.as_ref().map(|f| f.as_str()).unwrap_or_default();
                let body = match m.flow_type {
                    Some(FlowType::Constant) => Cow::Owned(format!("\"{}\"", m.value)),
                    Some(FlowType::Expression) => Cow::Owned(expression::layout(&m.expression)),
                    _ => Cow::Borrowed(m.source.as_str()),
                };
                let mut flags = Vec::new();
                if m.merge_type != MergeType::Update {
                    flags.push(m.merge_type.to_string());
                }
                if m.execute_once {
                    flags.push("once".to_owned());
                }
                MappingDoc {
                    destination: m.destination.as_deref().unwrap_or_default(),
                    flow_type,
                    body,
                    flags,
                }
            })
            .collect()
    }
}

fn directory_doc(i: usize, d: &OnPremisesDirectory) -> DirectoryDoc {
    DirectoryDoc {
        anchor: format!("dir-{i}"),
        name: d.name.clone(),
        forest: d.forest.clone(),
        account: d.account.clone(),
        partitions: d
            .partitions
            .iter()
            .map(|p| {
                let name = p
                    .distinguished_name
                    .clone()
                    .or_else(|| p.fqdn.clone())
                    .unwrap_or_default();
                PartitionDoc {
                    tree: ou_tree(
                        &name,
                        p.inclusions
                            .iter()
                            .map(|x| (x.as_str(), OuMark::Include))
                            .chain(p.exclusions.iter().map(|x| (x.as_str(), OuMark::Exclude))),
                    ),
                    name,
                    selected: p.selected,
                    preferred_controllers: p.preferred_controllers.clone(),
                }
            })
            .collect(),
        group_filtering: non_empty(&d.group_filtering_dn),
        group_writeback: non_empty(&d.group_writeback_dn),
        device_writeback: non_empty(&d.device_writeback_dn),
        object_types: d.connector.object_types.clone(),
        attributes: d.connector.attribute_inclusions.clone(),
        run_profiles: d
            .connector
            .run_profiles
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.steps
                        .iter()
                        .map(|s| format!("{} {}", s.step_type, s.partition).trim().to_owned())
                        .collect(),
                )
            })
            .collect(),
    }
}

/// Splits a DN into its relative names, keeping escaped commas (`\,`) inside a name.
fn rdns(dn: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in dn.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            cur.push(c);
            escaped = true;
        } else if c == ',' {
            out.push(cur.trim().to_owned());
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_owned());
    }
    out
}

/// The OU filter of a partition as a tree below the partition's DN. A container outside the
/// partition is placed under its full DN at the top.
fn ou_tree<'a>(partition: &str, items: impl Iterator<Item = (&'a str, OuMark)>) -> Vec<OuNode> {
    let base: Vec<String> = rdns(partition)
        .into_iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let mut roots: Vec<OuNode> = Vec::new();
    let mut own: Option<OuNode> = None;
    for (dn, mark) in items {
        let parts = rdns(dn);
        let lower: Vec<String> = parts.iter().map(|s| s.to_ascii_lowercase()).collect();
        let path: Vec<String> = if !base.is_empty()
            && lower.len() >= base.len()
            && lower[lower.len() - base.len()..] == base[..]
        {
            let mut p = parts[..parts.len() - base.len()].to_vec();
            p.reverse();
            p
        } else {
            vec![dn.to_owned()]
        };
        if path.is_empty() {
            // The partition itself: the root of the others.
            own = Some(OuNode {
                rdn: dn.to_owned(),
                mark: Some(mark),
                children: Vec::new(),
            });
            continue;
        }
        let mut level = &mut roots;
        for (k, rdn) in path.iter().enumerate() {
            let pos = match level.iter().position(|n| n.rdn.eq_ignore_ascii_case(rdn)) {
                Some(p) => p,
                None => {
                    level.push(OuNode {
                        rdn: rdn.clone(),
                        mark: None,
                        children: Vec::new(),
                    });
                    level.len() - 1
                }
            };
            if k + 1 == path.len() {
                level[pos].mark = Some(mark);
            }
            level = &mut level[pos].children;
        }
    }
    match own {
        Some(mut root) => {
            root.children = roots;
            vec![root]
        }
        None => roots,
    }
}

// ------------------------------------------------------------------------------------ markdown

/// Text for Markdown prose and table cells: control characters escaped, and the characters
/// Markdown or embedded HTML would interpret backslash-escaped.
pub fn md(s: &str) -> String {
    // [`push_md`] into a string of its own: the same text (a test compares them).
    let mut o = String::with_capacity(s.len() + 8);
    push_md(&mut o, s);
    o
}

/// [`md`] as it was written before [`push_md`] served it, for the test that compares them.
#[cfg(test)]
fn md_by_chars(s: &str) -> String {
    const SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~'];
    let s = escape::text(s);
    if !s.contains(SPECIAL) {
        return s.into_owned();
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if SPECIAL.contains(&c) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// What [`push_escaped`] does with a byte: copy it (0), backslash-escape it (1), show it as a
/// control character's escape (2: C0 controls and DEL), or look at the next byte (3: 0xC2,
/// the first byte of the C1 controls U+0080 to U+009F and of other characters).
type Classes = [u8; 256];

/// The control-character classes every Markdown escape starts from ([`escape::text`]'s: all
/// of C0 with LF and TAB, DEL, C1).
const fn control_classes() -> Classes {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = 2;
        b += 1;
    }
    t[0x7f] = 2;
    t[0xc2] = 3;
    t
}

/// [`md`]'s classes: the controls, and the characters Markdown or embedded HTML would
/// interpret.
const MD: Classes = {
    let mut t = control_classes();
    let special = b"\\`*_[]<>|#~";
    let mut i = 0;
    while i < special.len() {
        t[special[i] as usize] = 1;
        i += 1;
    }
    t
};

/// [`md_code`]'s classes: the controls, and `|` (for tables).
const MD_CODE: Classes = {
    let mut t = control_classes();
    t[b'|' as usize] = 1;
    t
};

/// Appends `text` as [`escape::text`] then the backslash-escaping of the bytes `classes`
/// names would (one pass, copying the runs between the characters to escape whole): a
/// control character becomes its escape (`\u{1b}`, `\n`), whose backslash is escaped in
/// turn when `classes` escapes backslashes.
fn push_escaped(o: &mut String, text: &str, classes: &Classes) {
    let bytes = text.as_bytes();
    // An escape's only special character is its leading backslash.
    let escape_backslash = classes[usize::from(b'\\')] == 1;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let control = match classes[usize::from(bytes[i])] {
            0 => {
                i += 1;
                continue;
            }
            1 => {
                o.push_str(&text[start..i]);
                o.push('\\');
                start = i;
                i += 1;
                continue;
            }
            2 => {
                i += 1;
                char::from(bytes[i - 1])
            }
            _ => match bytes.get(i + 1) {
                Some(&next @ 0x80..=0x9f) => {
                    i += 2;
                    char::from(next)
                }
                _ => {
                    i += 1;
                    continue;
                }
            },
        };
        o.push_str(&text[start..i - control.len_utf8()]);
        if escape_backslash {
            o.push('\\');
        }
        escape::push(o, control);
        start = i;
    }
    o.push_str(&text[start..]);
}

/// Appends [`md`] of `s` (no string of its own).
pub fn push_md(o: &mut String, s: &str) {
    push_escaped(o, s, &MD);
}

/// Appends [`md_code`] of `s` (no string of its own).
pub fn push_md_code(o: &mut String, s: &str) {
    if s.is_empty() {
        return;
    }
    // Control characters' escapes hold no backtick: the fence depends on `s` alone.
    let fence = if s.as_bytes().contains(&b'`') {
        "``"
    } else {
        "`"
    };
    o.push_str(fence);
    if fence.len() == 2 {
        o.push(' ');
    }
    push_escaped(o, s, &MD_CODE);
    if fence.len() == 2 {
        o.push(' ');
    }
    o.push_str(fence);
}

/// Appends [`list_or_none`] of `items`.
fn push_list<S: AsRef<str>>(o: &mut String, items: &[S]) {
    if items.is_empty() {
        o.push_str("none");
    }
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            o.push_str(", ");
        }
        push_md_code(o, s.as_ref());
    }
}

/// An inline code span (control characters escaped; survives backticks; `|` escaped for
/// tables).
pub fn md_code(s: &str) -> String {
    // [`push_md_code`] into a string of its own: no copy for the `|` escapes and none for the
    // fences (a test compares it with the former way).
    let mut o = String::with_capacity(s.len() + 6);
    push_md_code(&mut o, s);
    o
}

/// [`md_code`] as it was written before [`push_md_code`] served it, for the test.
#[cfg(test)]
fn md_code_by_copies(s: &str) -> String {
    let s = escape::text(s).replace('|', "\\|");
    if s.is_empty() {
        return String::new();
    }
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

fn opt(v: &Option<String>) -> String {
    match v.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => md(s),
        None => "(not set)".to_owned(),
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn table(o: &mut String, rows: &[(&str, String)]) {
    let _ = writeln!(o, "| Setting | Value |\n| --- | --- |");
    for (k, v) in rows {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    o.push('\n');
}

fn list_or_none<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items
            .iter()
            .map(|s| md_code(s.as_ref()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Rule state badges: `standard`/`custom`, `disabled`, `modified`.
pub fn rule_badges(r: &RuleDoc) -> Vec<&'static str> {
    let mut b = vec![if r.standard { "standard" } else { "custom" }];
    if r.disabled {
        b.push("disabled");
    }
    if r.modified {
        b.push("modified");
    }
    b
}

/// The report as Markdown.
pub fn render_markdown(doc: &Document<'_>) -> String {
    let mut o = String::new();
    let _ = markdown_to(doc, stream::cores(), &mut |s: &str| {
        o.push_str(s);
        Ok(())
    });
    o
}

/// The metaverse section's attributes and flows rendered ahead of the rest of a report:
/// they do not depend on the findings, so they can be rendered while `validate` runs
/// ([`render_flows_markdown`], [`crate::document_html::render_flows`]), and written in their
/// place later ([`write_markdown_ahead`], [`crate::document_html::write_html_ahead`]).
#[derive(Debug, Default)]
pub struct RenderedFlows {
    /// Rendered as HTML (else as Markdown); a writer of the other format renders them anew.
    pub(crate) html: bool,
    /// The text, in runs of about [`RenderedFlows::RUN`] bytes, in page order.
    pub(crate) runs: Vec<String>,
    /// How many of the section's parts the runs hold (the first ones): all of them, or fewer
    /// when the rendering was stopped; a writer renders the others.
    pub(crate) parts: usize,
}

impl RenderedFlows {
    /// Bytes from which a run is closed: a run is one part of the page's stream, which joins
    /// 64 parts into one buffer, so a run is about as large as the other parts (a rule, 16
    /// rows of flows); runs of 1 MB made 64 MB buffers.
    const RUN: usize = 16 << 10;

    /// Renders `parts` on this thread into runs of about [`RenderedFlows::RUN`] bytes, in
    /// order, until all are rendered or `stop` says to stop (asked after each run): what is
    /// left is rendered on every core when the page is written.
    pub(crate) fn render<P>(
        html: bool,
        parts: &[P],
        render: impl FnMut(&P, &mut String),
        stop: &dyn Fn() -> bool,
    ) -> Self {
        let (runs, done) = render_runs(parts, render, stop, |_, _, _| {});
        RenderedFlows {
            html,
            runs,
            parts: done,
        }
    }

    /// Pushes the metaverse section's parts onto a page's `parts`: the runs rendered ahead in
    /// that format (made parts by `run`), then of the parts `all` pushes those not rendered
    /// ahead.
    pub(crate) fn push_parts<'d, P>(
        ahead: Option<&'d RenderedFlows>,
        html: bool,
        parts: &mut Vec<P>,
        run: impl Fn(&'d str) -> P,
        all: impl FnOnce(&mut Vec<P>),
    ) {
        let (runs, done) = ahead
            .filter(|a| a.html == html)
            .map_or((&[][..], 0), |a| (a.runs.as_slice(), a.parts));
        parts.extend(runs.iter().map(|r| run(r)));
        let first = parts.len();
        all(parts);
        let done = done.min(parts.len() - first);
        parts.drain(first..first + done);
    }
}

/// Renders `items` in order on this thread into runs of about [`RenderedFlows::RUN`] bytes,
/// until all are rendered or `stop` says to stop (asked after each run): the runs and how many
/// items they hold. `placed` is told, per item, its run and its byte range in the run.
fn render_runs<'i, T: 'i>(
    items: impl IntoIterator<Item = &'i T>,
    mut render: impl FnMut(&T, &mut String),
    stop: &dyn Fn() -> bool,
    mut placed: impl FnMut(usize, usize, usize),
) -> (Vec<String>, usize) {
    let mut runs = Vec::new();
    let mut run = String::new();
    let mut done = 0;
    for item in items {
        let start = run.len();
        render(item, &mut run);
        placed(runs.len(), start, run.len());
        done += 1;
        if run.len() >= RenderedFlows::RUN {
            run.shrink_to_fit();
            runs.push(std::mem::replace(
                &mut run,
                String::with_capacity(RenderedFlows::RUN + RenderedFlows::RUN / 4),
            ));
            if stop() {
                break;
            }
        }
    }
    if !run.is_empty() {
        run.shrink_to_fit();
        runs.push(run);
    }
    (runs, done)
}

/// The first rules of a report (in page order) rendered ahead, without what depends on the
/// findings (each rule's links to its findings, which come last in a rule): they can be
/// rendered while `validate` runs ([`render_rules_markdown`],
/// [`crate::document_html::render_rules`]), and each is written in its place later with its
/// findings' links after it ([`write_markdown_ahead`],
/// [`crate::document_html::write_html_ahead`]); the rules after them are rendered then.
#[derive(Debug, Default)]
pub struct RenderedRules {
    /// Rendered as HTML (else as Markdown); a writer of the other format renders them anew.
    pub(crate) html: bool,
    /// The text, in runs of about [`RenderedFlows::RUN`] bytes, in page order.
    pub(crate) runs: Vec<String>,
    /// Per rule rendered, in page order: its run and its byte range in the run.
    pub(crate) rules: Vec<(usize, usize, usize)>,
}

impl RenderedRules {
    /// Renders the rules of `doc` in page order on this thread with `render` (a rule without
    /// its findings' links) until all are rendered or `stop` says to stop (asked after each
    /// run of about [`RenderedFlows::RUN`] bytes).
    pub(crate) fn render(
        html: bool,
        doc: &Document<'_>,
        render: impl FnMut(&RuleDoc<'_>, &mut String),
        stop: &dyn Fn() -> bool,
    ) -> Self {
        let mut rules = Vec::new();
        let all = doc.rule_groups.iter().flat_map(|g| &g.rules);
        let (runs, _) = render_runs(all, render, stop, |run, start, end| {
            rules.push((run, start, end));
        });
        RenderedRules { html, runs, rules }
    }

    /// The rules rendered ahead in that format, each one's text in page order.
    pub(crate) fn texts(ahead: Option<&RenderedRules>, html: bool) -> Vec<&str> {
        ahead
            .filter(|a| a.html == html)
            .map(|a| {
                a.rules
                    .iter()
                    .map(|&(run, start, end)| &a.runs[run][start..end])
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The first rules of the Markdown report rendered ahead, until `stop` says to stop (see
/// [`RenderedRules`]).
pub fn render_rules_markdown(doc: &Document<'_>, stop: &dyn Fn() -> bool) -> RenderedRules {
    RenderedRules::render(false, doc, |r, o| markdown_rule_head(o, r), stop)
}

/// The metaverse section's attributes and flows of the Markdown report, rendered ahead until
/// `stop` says to stop (see [`RenderedFlows`]).
pub fn render_flows_markdown(doc: &Document<'_>, stop: &dyn Fn() -> bool) -> RenderedFlows {
    let mut parts = Vec::new();
    for a in &doc.metaverse {
        markdown_attribute_parts(a, &mut parts);
    }
    RenderedFlows::render(false, &parts, |p, o| render_part(o, p, doc), stop)
}

/// [`write_markdown`] with the flows and the first rules rendered ahead by
/// [`render_flows_markdown`] and [`render_rules_markdown`] (the same text).
pub fn write_markdown_ahead(
    doc: &Document<'_>,
    flows: Option<&RenderedFlows>,
    rules: Option<&RenderedRules>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    markdown_to_ahead(doc, flows, rules, stream::cores(), &mut |s: &str| {
        out.write_all(s.as_bytes())
    })
}

/// Writes [`render_markdown`] to `out` as it is rendered (a large report is never held
/// whole).
pub fn write_markdown(doc: &Document<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    markdown_to(doc, stream::cores(), &mut |s: &str| {
        out.write_all(s.as_bytes())
    })
}

/// The Markdown report handed to `sink` in order, rendered on at most `threads` threads.
fn markdown_to(
    doc: &Document<'_>,
    threads: usize,
    sink: &mut stream::Sink<'_>,
) -> std::io::Result<()> {
    markdown_to_ahead(doc, None, None, threads, sink)
}

/// [`markdown_to`], with the flows and the first rules rendered ahead when given.
fn markdown_to_ahead(
    doc: &Document<'_>,
    ahead: Option<&RenderedFlows>,
    rules_ahead: Option<&RenderedRules>,
    threads: usize,
    sink: &mut stream::Sink<'_>,
) -> std::io::Result<()> {
    let s = &doc.summary;
    let mut o = String::new();
    let _ = writeln!(o, "# Configuration report\n");
    let _ = writeln!(o, "Source: {}\n", md_code(&doc.source));
    let _ = writeln!(o, "## Contents\n");
    let _ = writeln!(o, "- [Policy and deployment](#policy)");
    let _ = writeln!(o, "- [Sign-in, identity mapping and features](#sign-in)");
    let _ = writeln!(o, "- [Entra directory](#entra)");
    let _ = writeln!(o, "- [On-premises directories](#directories)");
    for d in &doc.directories {
        let _ = writeln!(o, "  - [{}](#{})", md(&d.name), d.anchor);
    }
    let _ = writeln!(o, "- [Synchronization rules](#rules)");
    for g in &doc.rule_groups {
        let _ = writeln!(
            o,
            "  - [{}, {}](#{}) ({})",
            md(&g.directory),
            g.direction.to_ascii_lowercase(),
            g.anchor,
            g.rules.len()
        );
    }
    let _ = writeln!(
        o,
        "- [Metaverse attributes and end-to-end flows](#metaverse)"
    );
    let _ = writeln!(o, "- [Findings](#findings) ({})\n", doc.findings.len());

    let m = &s.metadata;
    let _ = writeln!(o, "<a id=\"policy\"></a>\n## Policy and deployment\n");
    table(
        &mut o,
        &[
            ("Policy type", md(&m.policy_type)),
            ("Written by", opt(&m.author)),
            ("Time created", opt(&m.time_created)),
            ("Product version", opt(&m.product_version)),
            ("Host", opt(&m.host_name)),
            (
                "Database",
                format!(
                    "{} {}/{}",
                    opt(&m.database_type),
                    md(&m.database_server),
                    md(&m.database_name)
                ),
            ),
            ("Service account", md(&m.service_account)),
        ],
    );

    let f = &s.features;
    let per_dir = |v: &[crate::summary::DirectoryValue]| -> String {
        if v.is_empty() {
            "off".to_owned()
        } else {
            v.iter()
                .map(|x| format!("{}: {}", md(&x.directory), md_code(&x.value)))
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    let _ = writeln!(
        o,
        "<a id=\"sign-in\"></a>\n## Sign-in, identity mapping and features\n"
    );
    let mut matching = opt(&s.identity_mapping.user_matching);
    if !s.identity_mapping.user_matching_attribute.is_empty() {
        let _ = write!(
            matching,
            " ({})",
            md_code(&s.identity_mapping.user_matching_attribute)
        );
    }
    table(
        &mut o,
        &[
            ("Sign-in method", md(&s.sign_in.method_label)),
            (
                "Password hash sync",
                on_off(s.sign_in.password_hash_sync).to_owned(),
            ),
            (
                "Seamless single sign-on",
                on_off(s.sign_in.seamless_sso).to_owned(),
            ),
            ("Source anchor", opt(&s.identity_mapping.source_anchor)),
            (
                "User principal name",
                opt(&s.identity_mapping.user_principal_name),
            ),
            ("User matching", matching),
            (
                "Password writeback",
                on_off(f.password_writeback).to_owned(),
            ),
            ("Group writeback", per_dir(&f.group_writeback)),
            ("Device writeback", per_dir(&f.device_writeback)),
            ("Group filtering", per_dir(&f.group_filtering)),
            ("Exchange hybrid", on_off(f.exchange_hybrid).to_owned()),
            (
                "Mail public folders",
                on_off(f.mail_public_folders).to_owned(),
            ),
            (
                "Metaverse extensions",
                list_or_none(&f.metaverse_attributes),
            ),
        ],
    );

    let en = &s.entra;
    let _ = writeln!(o, "<a id=\"entra\"></a>\n## Entra directory\n");
    table(
        &mut o,
        &[
            ("Tenant", opt(&en.tenant_id)),
            (
                "Administrator (suggested at import)",
                opt(&en.administrator),
            ),
            ("Connector", opt(&en.connector_name)),
            ("Deletion threshold", opt(&f.export_deletion_threshold)),
            (
                "Directory extensions",
                list_or_none(&f.directory_extensions),
            ),
            ("App filter", list_or_none(&f.app_filter)),
            ("Excluded attributes", list_or_none(&f.excluded_attributes)),
            (
                "Rules",
                format!(
                    "{} standard, {} custom, {} disabled",
                    en.standard_rules, en.custom_rules, en.disabled_rules
                ),
            ),
            (
                "Object types",
                en.object_types
                    .as_deref()
                    .map(list_or_none)
                    .unwrap_or_else(|| "(not recorded)".to_owned()),
            ),
            ("Run profiles", list_or_none(&en.run_profiles)),
        ],
    );

    let _ = writeln!(
        o,
        "<a id=\"directories\"></a>\n## On-premises directories ({})\n",
        doc.directories.len()
    );
    for d in &doc.directories {
        markdown_directory(&mut o, d);
    }

    let total: usize = doc.rule_groups.iter().map(|g| g.rules.len()).sum();
    let _ = writeln!(
        o,
        "<a id=\"rules\"></a>\n## Synchronization rules ({total})\n"
    );
    // The rules, flows and findings: one part each, rendered on every core in contiguous
    // runs, joined in order into the one buffer.
    let mut parts: Vec<MdPart<'_, '_>> = Vec::with_capacity(
        total
            + doc.rule_groups.len()
            + metaverse_part_count(&doc.metaverse)
            + doc.findings.len()
            + 2,
    );
    let mut rendered = RenderedRules::texts(rules_ahead, false).into_iter();
    for g in &doc.rule_groups {
        parts.push(MdPart::Group(g));
        parts.extend(g.rules.iter().map(|r| match rendered.next() {
            Some(head) => MdPart::RuleAhead(head, r),
            None => MdPart::Rule(r),
        }));
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "<a id=\"metaverse\"></a>\n## Metaverse attributes and end-to-end flows ({})\n",
        doc.metaverse.len()
    );
    let _ = writeln!(
        text,
        "Each attribute: the inbound flows that write it (source directory, source attributes, rule, in precedence order), then the outbound flows that carry it out (rule, target directory and attribute, in precedence order). Every inbound flow reaches every outbound flow of the same attribute.\n"
    );
    parts.push(MdPart::Text(text));
    RenderedFlows::push_parts(ahead, false, &mut parts, MdPart::Ahead, |parts| {
        for a in &doc.metaverse {
            markdown_attribute_parts(a, parts);
        }
    });
    let mut text = String::new();
    let _ = writeln!(
        text,
        "<a id=\"findings\"></a>\n## Findings ({})\n",
        doc.findings.len()
    );
    if doc.findings.is_empty() {
        let _ = writeln!(text, "`validate` finds nothing.\n");
    }
    parts.push(MdPart::Text(text));
    parts.extend(doc.findings.iter().map(MdPart::Finding));
    // The report ends in one line break however many its last part has.
    let mut out = stream::FinalBreaks::new(sink);
    out.write(&o)?;
    drop(o);
    stream::stream(
        &parts,
        threads,
        |p, o| render_part(o, p, doc),
        &mut |s: &str| out.write(s),
    )?;
    out.finish()
}

/// Appends one part of the Markdown report's large sections.
fn render_part(o: &mut String, p: &MdPart<'_, '_>, doc: &Document<'_>) {
    match p {
        MdPart::Group(g) => markdown_group_head(o, g),
        MdPart::Rule(r) => markdown_rule(o, r, doc),
        MdPart::RuleAhead(head, r) => {
            o.push_str(head);
            markdown_rule_findings(o, r, doc);
        }
        MdPart::Text(t) => o.push_str(t),
        MdPart::Ahead(t) => o.push_str(t),
        MdPart::AttributeHead(a) => markdown_attribute_head(o, a),
        MdPart::Inbound(legs) => legs.iter().for_each(|l| markdown_inbound_row(o, l)),
        MdPart::AttributeMiddle(a) => markdown_attribute_middle(o, a),
        MdPart::Outbound(legs) => legs.iter().for_each(|l| markdown_outbound_row(o, l)),
        MdPart::AttributeEnd(a) => markdown_attribute_end(o, a),
        MdPart::Finding(f) => markdown_finding(o, f),
    }
}

/// One part of the Markdown report's large sections, in page order.
enum MdPart<'d, 'a> {
    /// A rule group's heading and table of rules (its rules follow).
    Group(&'d RuleGroup<'a>),
    Rule(&'d RuleDoc<'a>),
    /// A rule rendered ahead without its findings' links ([`RenderedRules`]), and the rule.
    RuleAhead(&'d str, &'d RuleDoc<'a>),
    Text(String),
    /// Text rendered ahead ([`RenderedFlows`]).
    Ahead(&'d str),
    AttributeHead(&'d AttributeFlows<'a>),
    Inbound(&'d [Leg<'a>]),
    AttributeMiddle(&'d AttributeFlows<'a>),
    Outbound(&'d [Leg<'a>]),
    AttributeEnd(&'d AttributeFlows<'a>),
    Finding(&'d FindingDoc),
}

fn markdown_group_head(o: &mut String, g: &RuleGroup<'_>) {
    let _ = writeln!(
        o,
        "<a id=\"{}\"></a>\n### {}, {} ({})\n",
        g.anchor,
        md(&g.directory),
        g.direction.to_ascii_lowercase(),
        g.rules.len()
    );
    let _ = writeln!(
        o,
        "| Precedence | Rule | Kind | Link | Objects |\n| ---: | --- | --- | --- | --- |"
    );
    for r in &g.rules {
        let _ = writeln!(
            o,
            "| {} | [{}](#{}) | {} | {} | {} → {} |",
            r.precedence,
            md(r.name),
            r.anchor,
            rule_badges(r).join(", "),
            md(r.link_type),
            md(r.source_type),
            md(r.target_type)
        );
    }
    o.push('\n');
}

fn markdown_finding(o: &mut String, f: &FindingDoc) {
    let _ = write!(o, "- <a id=\"{}\"></a>**", f.anchor);
    push_md(o, &f.severity);
    o.push_str("** ");
    push_md(o, &f.code);
    o.push(' ');
    push_md(o, &f.name);
    o.push_str(": ");
    push_md(o, &f.message);
    o.push('\n');
    if let Some((anchor, name)) = &f.rule {
        o.push_str("  - rule: [");
        push_md(o, name);
        let _ = writeln!(o, "](#{anchor})");
    }
    if let Some(reason) = &f.accepted {
        o.push_str("  - **accepted**: ");
        push_md(o, reason);
        o.push('\n');
    }
    o.push_str("  - at ");
    push_md_code(o, &f.place);
    o.push('\n');
    if let Some(h) = &f.help {
        o.push_str("  - hint: ");
        push_md(o, h);
        o.push('\n');
    }
}

fn markdown_tree(o: &mut String, nodes: &[OuNode], depth: usize) {
    for n in nodes {
        let mark = match n.mark {
            Some(OuMark::Include) => " — **included**",
            Some(OuMark::Exclude) => " — **excluded**",
            None => "",
        };
        let _ = writeln!(o, "{}- {}{mark}", "  ".repeat(depth), md_code(&n.rdn));
        markdown_tree(o, &n.children, depth + 1);
    }
}

fn markdown_directory(o: &mut String, d: &DirectoryDoc) {
    let _ = writeln!(o, "<a id=\"{}\"></a>\n### {}\n", d.anchor, md(&d.name));
    table(
        o,
        &[
            ("Forest", opt(&d.forest)),
            ("Account", opt(&d.account)),
            (
                "Group filtering",
                d.group_filtering
                    .as_deref()
                    .map(md_code)
                    .unwrap_or_else(|| "off".to_owned()),
            ),
            (
                "Group writeback",
                d.group_writeback
                    .as_deref()
                    .map(md_code)
                    .unwrap_or_else(|| "off".to_owned()),
            ),
            (
                "Device writeback",
                d.device_writeback
                    .as_deref()
                    .map(md_code)
                    .unwrap_or_else(|| "off".to_owned()),
            ),
            (
                "Object types",
                d.object_types
                    .as_deref()
                    .map(list_or_none)
                    .unwrap_or_else(|| "(not recorded)".to_owned()),
            ),
            (
                "Attributes imported",
                d.attributes
                    .as_ref()
                    .map(|a| format!("{}: {}", a.len(), list_or_none(a)))
                    .unwrap_or_else(|| "(not recorded)".to_owned()),
            ),
        ],
    );
    for p in &d.partitions {
        let _ = writeln!(
            o,
            "Partition {} ({}){}\n",
            md_code(&p.name),
            if p.selected {
                "selected"
            } else {
                "not selected"
            },
            if p.preferred_controllers.is_empty() {
                String::new()
            } else {
                format!(", preferred DCs {}", list_or_none(&p.preferred_controllers))
            }
        );
        if p.tree.is_empty() {
            let _ = writeln!(o, "- every container (no OU filter)");
        } else {
            markdown_tree(o, &p.tree, 0);
        }
        o.push('\n');
    }
    if !d.run_profiles.is_empty() {
        let _ = writeln!(o, "Run profiles:\n");
        for (name, steps) in &d.run_profiles {
            let _ = writeln!(o, "- {}: {}", md(name), list_or_none(steps));
        }
        o.push('\n');
    }
}

fn markdown_rule(o: &mut String, r: &RuleDoc, doc: &Document) {
    markdown_rule_head(o, r);
    markdown_rule_findings(o, r, doc);
}

/// A rule of the Markdown report without its findings' links (which come last).
fn markdown_rule_head(o: &mut String, r: &RuleDoc) {
    // Pushed straight into the part (no `format!` or string per fact, cell or line): once
    // per rule of the report (perf-report6). The text is the one the `writeln!`s wrote.
    let scope = r.scope();
    o.push_str("<a id=\"");
    o.push_str(&r.anchor);
    o.push_str("\"></a>\n#### ");
    let _ = write!(o, "{}", r.precedence);
    o.push(' ');
    push_md(o, r.name);
    o.push_str("\n\n");
    for (i, b) in rule_badges(r).iter().enumerate() {
        if i > 0 {
            o.push_str(", ");
        }
        o.push_str(b);
    }
    o.push_str(" · link ");
    push_md(o, r.link_type);
    o.push_str(" · ");
    push_md(o, r.source_type);
    o.push_str(" → ");
    push_md(o, r.target_type);
    if let Some(t) = &r.immutable_tag {
        o.push_str(" · tag ");
        push_md_code(o, t);
    }
    o.push_str("\n\n");
    if !r.description.trim().is_empty() {
        o.push_str("> ");
        push_md(o, r.description);
        o.push_str("\n\n");
    }
    let _ = writeln!(
        o,
        "Scope ({}, OR):\n",
        syncpolicy_model::words::count(scope.len(), "group", "groups")
    );
    if scope.is_empty() {
        o.push_str("- every object\n");
    }
    for (i, g) in scope.iter().enumerate() {
        let _ = write!(o, "{}. ", i + 1);
        push_md_code(o, g);
        o.push('\n');
    }
    o.push('\n');
    let joins = r.joins();
    if !joins.is_empty() {
        let _ = writeln!(
            o,
            "Join ({}, in order):\n",
            syncpolicy_model::words::count(joins.len(), "group", "groups")
        );
        for (i, g) in joins.iter().enumerate() {
            let _ = write!(o, "{}. ", i + 1);
            push_md_code(o, g);
            o.push('\n');
        }
        o.push('\n');
    }
    let mappings = r.mappings();
    if !mappings.is_empty() {
        o.push_str("| Target attribute | Flow | Source or expression |\n| --- | --- | --- |\n");
        let mut long = Vec::new();
        for m in &mappings {
            o.push_str("| ");
            push_md_code(o, m.destination);
            o.push_str(" | ");
            push_md(o, m.flow_type);
            if !m.flags.is_empty() {
                o.push_str(" (");
                push_md(o, &m.flags.join(", "));
                o.push(')');
            }
            o.push_str(" | ");
            if m.body.contains('\n') {
                long.push(m);
                o.push_str("(below)");
            } else {
                push_md_code(o, &m.body);
            }
            o.push_str(" |\n");
        }
        o.push('\n');
        for m in long {
            let fence = if m.body.contains("```") {
                "~~~~"
            } else {
                "```"
            };
            push_md_code(o, m.destination);
            o.push_str(":\n\n");
            o.push_str(fence);
            o.push('\n');
            for line in escape::lines(&m.body) {
                o.push_str(&line);
                o.push('\n');
            }
            o.push_str(fence);
            o.push_str("\n\n");
        }
    }
}

/// The links of a rule of the Markdown report to its findings, if it has any.
fn markdown_rule_findings(o: &mut String, r: &RuleDoc, doc: &Document) {
    if !r.findings.is_empty() {
        let links: Vec<String> = r
            .findings
            .iter()
            .filter_map(|&i| doc.findings.get(i))
            .map(|f| format!("[{} {}](#{})", md(&f.code), md(&f.name), f.anchor))
            .collect();
        let _ = writeln!(o, "Findings: {}\n", links.join(", "));
    }
}

/// Legs per part of the HTML and Markdown reports: an attribute's tables are written in runs
/// of this many rows (one attribute may have thousands), so that every chunk is of about one
/// size.
pub(crate) const LEGS_PER_PART: usize = 16;

/// How many parts the metaverse attributes make in either report: per attribute its head,
/// middle and end, and its inbound and outbound rows in runs of [`LEGS_PER_PART`].
pub(crate) fn metaverse_part_count(metaverse: &[AttributeFlows<'_>]) -> usize {
    metaverse
        .iter()
        .map(|a| {
            3 + a.inbound.len().div_ceil(LEGS_PER_PART) + a.outbound.len().div_ceil(LEGS_PER_PART)
        })
        .sum()
}

/// The parts of one metaverse attribute, in page order: its head (up to the inbound rows),
/// the inbound rows in runs, the middle (up to the outbound rows), the outbound rows in runs,
/// and its end.
fn markdown_attribute_parts<'d, 'a>(a: &'d AttributeFlows<'a>, parts: &mut Vec<MdPart<'d, 'a>>) {
    parts.push(MdPart::AttributeHead(a));
    parts.extend(a.inbound.chunks(LEGS_PER_PART).map(MdPart::Inbound));
    parts.push(MdPart::AttributeMiddle(a));
    parts.extend(a.outbound.chunks(LEGS_PER_PART).map(MdPart::Outbound));
    parts.push(MdPart::AttributeEnd(a));
}

fn markdown_attribute_head(o: &mut String, a: &AttributeFlows) {
    let _ = writeln!(o, "### {}.{}\n", md(a.object_type), md(a.attribute));
    if a.inbound.is_empty() {
        let _ = writeln!(o, "No inbound rule writes it.\n");
    } else {
        let _ = writeln!(
            o,
            "| In: precedence | Directory | Source attributes | Inbound rule | Flow |\n| ---: | --- | --- | --- | --- |"
        );
    }
}

fn markdown_inbound_row(o: &mut String, l: &Leg) {
    let _ = write!(o, "| {} | ", l.precedence);
    push_md(o, &l.directory);
    o.push_str(" | ");
    if l.attributes.is_empty() {
        o.push_str("(none)");
    } else {
        push_list(o, &l.attributes);
    }
    o.push_str(" | ");
    push_rule_link(o, l);
    push_md(o, l.flow_type);
    o.push_str(" |\n");
}

/// A flow table's rule cell: the rule's name linked to its place, marked when disabled, and
/// the cell's end.
fn push_rule_link(o: &mut String, l: &Leg) {
    o.push('[');
    push_md(o, l.rule_name);
    o.push_str("](#");
    RuleAnchor(l.rule).push_to(o);
    o.push_str(if l.disabled {
        ") (disabled) | "
    } else {
        ") | "
    });
}

fn markdown_attribute_middle(o: &mut String, a: &AttributeFlows) {
    if !a.inbound.is_empty() {
        o.push('\n');
    }
    if a.outbound.is_empty() {
        let _ = writeln!(o, "No outbound rule reads it.\n");
    } else {
        let _ = writeln!(
            o,
            "| Out: precedence | Outbound rule | Directory | Target attribute | Flow |\n| ---: | --- | --- | --- | --- |"
        );
    }
}

fn markdown_outbound_row(o: &mut String, l: &Leg) {
    let _ = write!(o, "| {} | ", l.precedence);
    push_rule_link(o, l);
    push_md(o, &l.directory);
    o.push_str(" | ");
    push_list(o, &l.attributes);
    o.push_str(" | ");
    push_md(o, l.flow_type);
    o.push_str(" |\n");
}

fn markdown_attribute_end(o: &mut String, a: &AttributeFlows) {
    if !a.outbound.is_empty() {
        o.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One attribute written whole (how the report wrote it before its tables were split into
    /// runs of rows): the parts must give exactly this.
    fn whole_attribute(o: &mut String, a: &AttributeFlows) {
        let _ = writeln!(o, "### {}.{}\n", md(a.object_type), md(a.attribute));
        if a.inbound.is_empty() {
            let _ = writeln!(o, "No inbound rule writes it.\n");
        } else {
            let _ = writeln!(
            o,
            "| In: precedence | Directory | Source attributes | Inbound rule | Flow |\n| ---: | --- | --- | --- | --- |"
        );
            for l in &a.inbound {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | [{}](#{}){} | {} |",
                    l.precedence,
                    md(&l.directory),
                    if l.attributes.is_empty() {
                        "(none)".to_owned()
                    } else {
                        list_or_none(&l.attributes)
                    },
                    md(l.rule_name),
                    RuleAnchor(l.rule),
                    if l.disabled { " (disabled)" } else { "" },
                    md(l.flow_type)
                );
            }
            o.push('\n');
        }
        if a.outbound.is_empty() {
            let _ = writeln!(o, "No outbound rule reads it.\n");
        } else {
            let _ = writeln!(
            o,
            "| Out: precedence | Outbound rule | Directory | Target attribute | Flow |\n| ---: | --- | --- | --- | --- |"
        );
            for l in &a.outbound {
                let _ = writeln!(
                    o,
                    "| {} | [{}](#{}){} | {} | {} | {} |",
                    l.precedence,
                    md(l.rule_name),
                    RuleAnchor(l.rule),
                    if l.disabled { " (disabled)" } else { "" },
                    md(&l.directory),
                    list_or_none(&l.attributes),
                    md(l.flow_type)
                );
            }
            o.push('\n');
        }
    }

    /// The escapes written in place are the escapes that return strings.
    #[test]
    fn escapes_in_place_are_the_escapes() {
        for s in [
            "",
            "plain",
            "a|b",
            "`tick` and ``two``",
            "*_[]<>|#~\\ all",
            "line\nbreak\u{1b}[2J and \t tab",
            "Ünïcode ☃ | `x`",
            "|",
            "`",
            "a\u{1b}]0;owned\u{7}b\r\nc\td\u{7f}\u{9b}·\u{85}\u{a0}|\\`",
            "\u{1b}",
            "x\u{9f}",
            "\u{80}",
        ]
        .map(str::to_owned)
        .into_iter()
        .chain(
            (0..=0x2ffu32)
                .filter_map(char::from_u32)
                .map(|c| format!("a{c}|{c}`")),
        ) {
            let s = s.as_str();
            let mut o = String::from("x");
            push_md(&mut o, s);
            assert_eq!(o, format!("x{}", md_by_chars(s)), "{s:?}");
            assert_eq!(md(s), md_by_chars(s), "{s:?}");
            let mut o = String::from("x");
            push_md_code(&mut o, s);
            assert_eq!(o, format!("x{}", md_code_by_copies(s)), "{s:?}");
            assert_eq!(md_code(s), md_code_by_copies(s), "{s:?}");
        }
        for items in [&[][..], &["a"][..], &["a|b", "", "`c`"][..]] {
            let mut o = String::new();
            push_list(&mut o, items);
            assert_eq!(o, list_or_none(items), "{items:?}");
        }
    }

    #[test]
    fn an_attribute_in_parts_is_the_whole_attribute() {
        let config = stream::test_support::several_chunks_config();
        let doc = build_without_findings(&config, "f.json");
        for a in &doc.metaverse {
            let mut parts = Vec::new();
            markdown_attribute_parts(a, &mut parts);
            let mut got = String::new();
            for p in &parts {
                render_part(&mut got, p, &doc);
            }
            let mut whole = String::new();
            whole_attribute(&mut whole, a);
            assert_eq!(got, whole, "{}", a.attribute);
        }
        assert!(doc
            .metaverse
            .iter()
            .any(|a| a.inbound.len() > LEGS_PER_PART));
    }

    /// The Markdown written with its first rules rendered ahead (before the findings were
    /// attached), however many, is the report written at once; HTML rules are not taken.
    #[test]
    fn rules_rendered_ahead_give_the_same_markdown() {
        let config = stream::test_support::several_chunks_config();
        let text = String::from_utf8(syncpolicy_json::write_settings(&config)).expect("UTF-8");
        let mut doc = build_without_findings(&config, "big.json");
        let flows = render_flows_markdown(&doc, &|| false);
        let all = render_rules_markdown(&doc, &|| false);
        let first = render_rules_markdown(&doc, &|| true);
        assert!(first.rules.len() < all.rules.len());
        let html = crate::document_html::render_rules(&doc, &|| false);
        attach_diagnostics(
            &mut doc,
            syncpolicy_lint::check_file(&config, &text, "big.json"),
        );
        let whole = render_markdown(&doc);
        for rules in [Some(&all), Some(&first), Some(&html), None] {
            for f in [Some(&flows), None] {
                let mut bytes = Vec::new();
                write_markdown_ahead(&doc, f, rules, &mut bytes).expect("writes");
                assert!(String::from_utf8(bytes).expect("UTF-8") == whole);
            }
        }
    }

    /// The Markdown written with its flows rendered ahead (before the findings were
    /// attached), all of them or the first ones, is the report written at once; flows
    /// rendered as HTML are not taken.
    #[test]
    fn flows_rendered_ahead_give_the_same_markdown() {
        let config = stream::test_support::several_chunks_config();
        let text = String::from_utf8(syncpolicy_json::write_settings(&config)).expect("UTF-8");
        let mut doc = build_without_findings(&config, "big.json");
        let [ahead, first, two] =
            stream::test_support::flows_whole_and_stopped(|stop| render_flows_markdown(&doc, stop));
        let html = crate::document_html::render_flows(&doc, &|| false);
        attach_diagnostics(
            &mut doc,
            syncpolicy_lint::check_file(&config, &text, "big.json"),
        );
        let whole = render_markdown(&doc);
        for flows in [Some(&ahead), Some(&first), Some(&two), Some(&html), None] {
            let mut bytes = Vec::new();
            write_markdown_ahead(&doc, flows, None, &mut bytes).expect("writes");
            assert!(String::from_utf8(bytes).expect("UTF-8") == whole);
        }
    }

    /// Findings attached on several threads make the same report as on one: the same
    /// entries, in order, linked to the same rules.
    #[test]
    fn a_place_is_written_as_its_display() {
        let some = |s: &str| Some(s.to_owned());
        for file in [None, some("f.json"), some("")] {
            for json_path in [None, some("$.a[1]")] {
                for xml_element in [None, some("rule/mapping[2]")] {
                    for line in [None, Some(1), Some(4_000_000_000)] {
                        for column in [None, Some(0), Some(17)] {
                            let l = Location {
                                file: file.clone(),
                                json_path: json_path.clone(),
                                xml_element: xml_element.clone(),
                                line,
                                column,
                            };
                            assert_eq!(location_text(&l), l.to_string(), "{l:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn findings_attached_on_several_threads_are_those_of_one() {
        let config = stream::test_support::several_chunks_config();
        let text = String::from_utf8(syncpolicy_json::write_settings(&config)).expect("UTF-8");
        let found = syncpolicy_lint::check_file(&config, &text, "big.json");
        assert!(!found.is_empty());
        // Enough findings for several runs (repeated: each is still an entry of its own).
        let mut many = Vec::new();
        while many.len() < 2 * PARALLEL_FINDINGS {
            many.extend(found.iter().cloned());
        }
        let attached = |threads: usize| {
            let mut doc = build_without_findings(&config, "big.json");
            attach_on(&mut doc, many.clone(), threads);
            assert_eq!(doc.findings.len(), many.len());
            (format!("{:?}", doc.findings), render_markdown(&doc))
        };
        let one = attached(1);
        assert!(
            one.0.contains("rule-d"),
            "some findings are linked to rules"
        );
        for threads in [2, 3, 8] {
            assert!(attached(threads) == one, "{threads} threads");
        }
    }

    /// The report of a configuration large enough to be rendered on several threads is the
    /// same Markdown as rendered on one.
    #[test]
    fn markdown_on_several_threads_is_what_one_thread_writes() {
        let config = stream::test_support::several_chunks_config();
        let doc = build_without_findings(&config, "big.json");
        let one = stream::test_support::same_on_any_threads(|threads, sink| {
            markdown_to(&doc, threads, sink)
        });
        assert!(one.ends_with("\n") && !one.ends_with("\n\n"));
        let mut bytes = Vec::new();
        write_markdown(&doc, &mut bytes).expect("writes");
        assert_eq!(String::from_utf8(bytes).expect("UTF-8"), one);
        assert_eq!(render_markdown(&doc), one);
    }
}
