//! The verification view of `verify`: does the deployment match the settings file it was
//! imported from; as JSON (the model, `syncpolicy-verify/1`) or text (every value escaped for the terminal).

use crate::escape::{self, text as e};
use crate::style::Style;
use serde::Serialize;
use std::fmt::Write as _;
use syncpolicy_diff::Change;
use syncpolicy_model::words;

/// The imported side: the source as given and, apart, the file or reference it is.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    /// The source as given on the command line.
    pub source: String,
    /// `settings-file`, `snapshot-folder`, `legacy-folder` or `reference`.
    pub kind: &'static str,
    /// The file or folder read (`null` for a reference).
    pub path: Option<String>,
    /// The deployment reference (`@~1`, ...) when the source is one, else `null`.
    pub reference: Option<String>,
}

/// The deployment's side: its newest export.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSide {
    /// Always `@latest`.
    pub reference: String,
    /// The history entry of that export.
    pub change: i64,
    /// The export file.
    pub path: String,
}

/// The verification, as data (the JSON output is this structure, `syncpolicy-verify/1`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report<'a> {
    schema: &'static str,
    pub imported: Imported,
    pub deployment: DeploymentSide,
    pub passed: bool,
    /// Number of unexpected differences (with the missing rules).
    pub unexpected_count: usize,
    /// Number of expected differences.
    pub expected_count: usize,
    pub unexpected: Vec<&'a Change>,
    /// Rules of a legacy folder that its migration could not carry (must be redone by hand)
    /// and that the deployment does not have.
    pub missing_rules: Vec<String>,
    pub expected: Vec<Expected<'a>>,
}

/// An expected difference and why it is expected.
#[derive(Debug, Serialize)]
pub struct Expected<'a> {
    pub reason: &'static str,
    #[serde(flatten)]
    pub change: &'a Change,
}

impl<'a> Report<'a> {
    /// The verification of `imported` against the deployment's newest export.
    pub fn new(
        imported: Imported,
        deployment: DeploymentSide,
        unexpected: Vec<&'a Change>,
        missing_rules: Vec<String>,
        expected: Vec<Expected<'a>>,
    ) -> Self {
        Report {
            schema: crate::schema::VERIFY,
            imported,
            deployment,
            passed: unexpected.is_empty() && missing_rules.is_empty(),
            unexpected_count: unexpected.len() + missing_rules.len(),
            expected_count: expected.len(),
            unexpected,
            missing_rules,
            expected,
        }
    }
}

fn value(v: &Option<String>) -> String {
    match v {
        Some(v) if v.contains('\n') => format!(
            "\n{}",
            escape::lines(v)
                .map(|l| format!("        {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        Some(v) => e(v).into_owned(),
        None => "(not set)".to_owned(),
    }
}

/// The verification as text: the verdict, the unexpected differences and, when asked, the
/// expected ones.
pub fn render_text(r: &Report<'_>, show_expected: bool, style: &Style) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {}",
        style.bold("Imported file"),
        e(&r.imported.source)
    );
    let _ = writeln!(
        o,
        "{} {} (change {}, {})",
        style.bold("Deployment  "),
        e(&r.deployment.reference),
        r.deployment.change,
        e(&r.deployment.path)
    );
    if r.passed {
        let _ = writeln!(
            o,
            "{}: no configuration differences; {} (metadata, credentials, install options)",
            style.green("verify passed"),
            words::count(
                r.expected.len(),
                "expected difference",
                "expected differences"
            )
        );
    } else {
        let _ = writeln!(
            o,
            "{}: {} unexpected difference{} (and {} expected)",
            style.red("verify failed"),
            r.unexpected.len() + r.missing_rules.len(),
            if r.unexpected.len() + r.missing_rules.len() == 1 {
                ""
            } else {
                "s"
            },
            r.expected.len()
        );
        for m in &r.missing_rules {
            let _ = writeln!(o, "  - {}", e(m));
        }
        for c in &r.unexpected {
            let _ = writeln!(o, "  {} {}", c.kind.marker(), e(&c.path));
            if c.old.is_some() || c.new.is_some() {
                let _ = writeln!(o, "      file:       {}", value(&c.old));
                let _ = writeln!(o, "      deployment: {}", value(&c.new));
            }
        }
    }
    if show_expected && !r.expected.is_empty() {
        let _ = writeln!(o, "{}", style.bold("Expected differences"));
        for x in &r.expected {
            let _ = writeln!(
                o,
                "  {} {}: {} -> {}  {}",
                x.change.kind.marker(),
                e(&x.change.path),
                value(&x.change.old),
                value(&x.change.new),
                style.dim(&format!("({})", x.reason))
            );
        }
    }
    o
}
