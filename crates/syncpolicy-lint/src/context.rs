//! What every rule gets: the configuration, the known-attribute table (built once, on first
//! use), and a sink that collects findings; plus the runner that spreads the rules over the
//! machine's cores and returns their findings in registry order.

use crate::known::KnownAttributes;
use crate::registry::{registry, Category, RuleInfo};
use crate::rules::unused_acceptance;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use syncpolicy_expr::check::CheckContext;
use syncpolicy_expr::diagnostic::ExprDiagnostic;
use syncpolicy_json::digest::SectionSpans;
use syncpolicy_model::config::{Configuration, RuleLocation};
use syncpolicy_model::diagnostic::{Diagnostic, Label, Location, Severity};
use syncpolicy_model::enums::FlowType;
use syncpolicy_model::values::PrecedenceClash;

/// What a rule looks at.
pub(crate) struct Context<'a> {
    pub(crate) config: &'a Configuration,
    /// The settings file's text and where the reader found its digested sections, when the
    /// configuration was read from one (the digest check hashes those bytes first).
    pub(crate) file: Option<(&'a str, &'a SectionSpans)>,
    known: OnceLock<KnownAttributes>,
    expressions: OnceLock<HashMap<&'a str, Vec<ExprDiagnostic>>>,
    clashes: OnceLock<Vec<(RuleLocation, RuleLocation, PrecedenceClash)>>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        config: &'a Configuration,
        file: Option<(&'a str, &'a SectionSpans)>,
    ) -> Self {
        Context {
            config,
            file,
            known: OnceLock::new(),
            expressions: OnceLock::new(),
            clashes: OnceLock::new(),
        }
    }

    /// Every precedence clash of the configuration
    /// ([`syncpolicy_model::values::precedence_clashes`]), found once for the three rules that
    /// report one kind each.
    pub(crate) fn precedence_clashes(&self) -> &[(RuleLocation, RuleLocation, PrecedenceClash)] {
        self.clashes
            .get_or_init(|| syncpolicy_model::values::precedence_clashes(self.config))
    }

    /// The expression checker's findings for an expression of the configuration (parsed and
    /// checked once per distinct text, on first use).
    pub(crate) fn expression_diagnostics(&self, expression: &str) -> &[ExprDiagnostic] {
        let all = self.expressions.get_or_init(|| {
            let checker = CheckContext::default();
            let mut map: HashMap<&'a str, Vec<ExprDiagnostic>> = HashMap::new();
            for (_, rule) in self.config.rules() {
                for m in &rule.mappings {
                    if m.flow_type == Some(FlowType::Expression) && !m.expression.trim().is_empty()
                    {
                        map.entry(m.expression.as_str())
                            .or_insert_with(|| syncpolicy_expr::diagnose(&m.expression, &checker));
                    }
                }
            }
            map
        });
        all.get(expression).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Attributes the configuration may name (built on first use).
    pub(crate) fn known(&self) -> &KnownAttributes {
        self.known.get_or_init(|| KnownAttributes::new(self.config))
    }
}

/// A finding as a rule reports it, plus what is needed to place it precisely in the file.
/// It holds only what is the finding's own (its message, JSON paths and any help line of its
/// own): the rule's code, name, severity and help line are borrowed from the registry until
/// the finding becomes a [`Diagnostic`] ([`Finding::into_diagnostic`], when it is placed), so
/// that the findings of a large file take less memory while the rules run beside the model.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    rule_help: &'static str,
    message: String,
    json_path: String,
    /// Secondary places: their JSON path and message.
    labels: Vec<(String, String)>,
    /// A help line more specific than the rule's.
    help: Option<String>,
    /// For findings inside a string value (an expression): the character offset in the
    /// decoded string, so the column can point at the exact character.
    pub(crate) string_offset: Option<usize>,
}

impl Finding {
    /// Replaces the help line.
    pub(crate) fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary place.
    pub(crate) fn label(
        &mut self,
        json_path: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Self {
        self.labels.push((json_path.into(), message.into()));
        self
    }

    /// Points at a character inside the string value at the finding's path.
    pub(crate) fn at_char(&mut self, offset: usize) -> &mut Self {
        self.string_offset = Some(offset);
        self
    }

    /// The code of the rule that reported it.
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    /// The JSON path of its own place.
    pub(crate) fn json_path(&self) -> &str {
        &self.json_path
    }

    /// The JSON paths of its places: its own, then its labels'.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.json_path.as_str()).chain(self.labels.iter().map(|(p, _)| p.as_str()))
    }

    /// The finding as a diagnostic; `place` gives the location of each of its places (its
    /// own first, then its labels') from its JSON path.
    pub(crate) fn into_diagnostic(self, mut place: impl FnMut(Location) -> Location) -> Diagnostic {
        let location = place(Location::default().with_json_path(self.json_path));
        let labels = self
            .labels
            .into_iter()
            .map(|(path, message)| Label {
                location: place(Location::default().with_json_path(path)),
                message,
            })
            .collect();
        Diagnostic {
            code: self.code.to_owned(),
            name: self.name.to_owned(),
            severity: self.severity,
            message: self.message,
            location,
            labels,
            help: Some(self.help.unwrap_or_else(|| self.rule_help.to_owned())),
        }
    }
}

/// Collects the findings of one rule.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub(crate) findings: Vec<Finding>,
}

impl Sink {
    /// Records a finding of `rule` at `json_path`, with the rule's severity and help line.
    pub(crate) fn report(
        &mut self,
        rule: &RuleInfo,
        json_path: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding {
            code: rule.code,
            name: rule.name,
            severity: rule.severity,
            rule_help: rule.help,
            message: message.into(),
            json_path: json_path.into(),
            labels: Vec::new(),
            help: None,
            string_offset: None,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}

/// Rough cost of a rule, so that the expensive ones start first when rules run in parallel.
fn weight(rule: &RuleInfo) -> u8 {
    match rule.category {
        Category::Integrity => 0,
        Category::RuleSemantics if rule.name.contains("expression") => 1,
        Category::References => 2,
        _ => 3,
    }
}

/// Runs the rules (all of them when `from_file`, else those that do not need the file) and
/// returns their findings in registry order.
pub(crate) fn run(config: &Configuration, from_file: bool) -> Vec<Finding> {
    run_where(config, None, |r| from_file || !r.file_only)
        .into_iter()
        .flat_map(|(_, f)| f)
        .collect()
}

/// Runs the rules `wanted` selects, spread over the machine's cores, and returns each rule's
/// registry index with its findings, in registry order. `file` is the settings file's text
/// and section spans, when the configuration was read from one.
pub(crate) fn run_where<'a>(
    config: &'a Configuration,
    file: Option<(&'a str, &'a SectionSpans)>,
    wanted: impl Fn(&RuleInfo) -> bool,
) -> Vec<(usize, Vec<Finding>)> {
    let cx = Context::new(config, file);
    // Whether the file-only rules run (their codes' acceptances can be judged only then).
    let file_rules_run = registry().iter().filter(|r| r.file_only).all(&wanted);
    let mut queue: Vec<(usize, &RuleInfo)> = registry()
        .iter()
        .enumerate()
        .filter(|(_, r)| wanted(r))
        .collect();
    queue.sort_by_key(|(i, r)| (weight(r), *i));
    let results: Mutex<Vec<(usize, Vec<Finding>)>> = Mutex::new(Vec::with_capacity(queue.len()));
    let next = AtomicUsize::new(0);
    let work = || loop {
        let n = next.fetch_add(1, Ordering::Relaxed);
        let Some((index, rule)) = queue.get(n) else {
            break;
        };
        let mut sink = Sink::default();
        (rule.check)(&cx, &mut sink);
        if let Ok(mut r) = results.lock() {
            r.push((*index, sink.findings));
        }
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    // Small configurations (or a single rule) are not worth a thread.
    if threads == 1 || config.rule_count() < 500 || queue.len() < 2 {
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 1..threads {
                s.spawn(work);
            }
            work();
        });
    }
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    // The accepted findings are judged against every other rule's findings.
    if let Some(at) = results
        .iter()
        .position(|(i, _)| registry()[*i].code == unused_acceptance::RULE.code)
    {
        let mut sink = Sink::default();
        unused_acceptance::after(
            &cx,
            results.iter().flat_map(|(_, f)| f),
            file_rules_run,
            &mut sink,
        );
        results[at].1 = sink.findings;
    }
    results
}
