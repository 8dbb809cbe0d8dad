//! The one table of validation rules, with each rule's documentation, and what is produced
//! from it: `--explain` text and `docs/rules.md`.

use crate::context::{Context, Sink};
use crate::rules;
use std::fmt::Write as _;
use syncpolicy_model::codes::{CodeFamily, CodeInfo};
use syncpolicy_model::diagnostic::Severity;

/// What part of a configuration a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Structure,
    Precedence,
    RuleSemantics,
    StandardRules,
    NotCarriedOver,
    NotSupported,
    References,
    Integrity,
}

impl Category {
    /// Every category, in documentation order.
    pub const ALL: &'static [Category] = &[
        Category::Structure,
        Category::Precedence,
        Category::RuleSemantics,
        Category::StandardRules,
        Category::NotCarriedOver,
        Category::NotSupported,
        Category::References,
        Category::Integrity,
    ];

    /// Heading used in the documentation.
    pub fn title(&self) -> &'static str {
        match self {
            Category::Structure => "Structure",
            Category::Precedence => "Precedence",
            Category::RuleSemantics => "Rule semantics",
            Category::StandardRules => "Standard rules",
            Category::NotCarriedOver => "What Microsoft's own import does not carry over",
            Category::NotSupported => "Not supported",
            Category::References => "References",
            Category::Integrity => "Integrity",
        }
    }
}

/// One validation rule: its stable code and name, default severity, documentation and check.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// Stable code, `SP001` and up (`SP9xx` belong to read errors).
    pub code: &'static str,
    /// Kebab-case name of the problem.
    pub name: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    pub category: Category,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// What the rule checks, in detail.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A settings-file fragment that triggers it.
    pub example: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
    /// The `help:` line of a finding, unless the finding has a more specific one.
    pub help: &'static str,
    /// True for rules that need the file (they run only in [`crate::check_file`]).
    pub file_only: bool,
    pub(crate) check: fn(&Context<'_>, &mut Sink),
}

/// Every rule, in code order.
pub fn registry() -> &'static [RuleInfo] {
    rules::ALL
}

/// The rule with this code (`SP010`, case-insensitive) or kebab-case name.
pub fn find(code_or_name: &str) -> Option<&'static RuleInfo> {
    let wanted = code_or_name.trim();
    registry()
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(wanted) || r.name.eq_ignore_ascii_case(wanted))
}

/// The documentation of every rule in the shape shared by every code of the tool (what
/// `syncpolicy validate --explain` prints): the explanation holds the What, Why and Example
/// sections, the fix the Fix section.
pub fn codes() -> Vec<CodeInfo> {
    registry().iter().map(code_info).collect()
}

/// One rule's documentation as a [`CodeInfo`].
pub fn code_info(rule: &RuleInfo) -> CodeInfo {
    let mut explanation = String::new();
    for (title, body) in [
        ("What", rule.what),
        ("Why", rule.why),
        ("Example", rule.example),
    ] {
        if !explanation.is_empty() {
            explanation.push('\n');
        }
        let _ = writeln!(explanation, "{title}:");
        for line in body.lines() {
            if line.is_empty() {
                explanation.push('\n');
            } else {
                let _ = writeln!(explanation, "  {line}");
            }
        }
    }
    if rule.file_only {
        explanation.push_str(
            "\nThis check needs the settings file itself; it does not run on a configuration read from elsewhere.\n",
        );
    }
    CodeInfo {
        code: rule.code,
        name: rule.name,
        family: CodeFamily::Validation,
        severity: rule.severity,
        title: rule.summary,
        explanation: explanation.trim_end().to_owned(),
        fix: rule.fix.to_owned(),
    }
}

/// `docs/rules.md`, generated from the registry.
pub fn rules_markdown() -> String {
    let mut out = String::new();
    out.push_str("# Validation rules\n\n");
    out.push_str(
        "<!-- Generated from the rule registry (crates/syncpolicy-lint/src/rules/). Do not edit by hand:\n     regenerate with `UPDATE_DOCS=1 cargo test -p syncpolicy-lint`. -->\n\n",
    );
    out.push_str(
        "`syncpolicy validate FILE...` runs every rule below and prints every finding. \
Each finding has a stable code, a kebab-case name, a severity, a message, its place \
(file, JSON path, line and column) and a `help:` line. `syncpolicy validate --explain CODE` \
prints a rule's documentation. Codes `SP901`-`SP907` are read errors of the settings file \
(the file cannot be read at all). Output formats are described in `docs/diagnostics.md`.\n\n",
    );
    out.push_str("| Code | Name | Severity | Summary |\n|---|---|---|---|\n");
    for r in registry() {
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} |",
            r.code,
            r.code.to_ascii_lowercase(),
            r.name,
            r.severity,
            r.summary
        );
    }
    for category in Category::ALL {
        let _ = writeln!(out, "\n## {}", category.title());
        for r in registry().iter().filter(|r| r.category == *category) {
            let _ = writeln!(out, "\n### {}\n\n`{}` · {}\n", r.code, r.name, r.severity);
            let _ = writeln!(out, "{}\n", r.summary);
            let _ = writeln!(out, "**What.** {}\n", r.what);
            let _ = writeln!(out, "**Why.** {}\n", r.why);
            let _ = writeln!(
                out,
                "**Example.**\n\n```json\n{}\n```\n",
                r.example.trim_end()
            );
            let _ = writeln!(out, "**Fix.** {}", r.fix);
            if r.file_only {
                let _ = writeln!(
                    out,
                    "\nThis check needs the settings file itself; it runs on files only."
                );
            }
        }
    }
    out
}
