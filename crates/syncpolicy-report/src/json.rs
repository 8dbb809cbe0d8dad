//! The JSON form of diagnostics: a stable document named by its schema (`syncpolicy-validate/2`,
//! docs/json-output.md), counts per severity and one object per diagnostic whose keys are
//! always present (`null` when unknown), in a fixed order: identity, place, then help.

use crate::Counts;
use serde::Serialize;
use serde_json::Value;
use syncpolicy_model::diagnostic::{Diagnostic, Location};
use syncpolicy_model::extension::AcceptedFinding;

/// Name and version of the JSON document; the version is raised only on incompatible changes
/// (`/1` was the same document with `"version": 1` in place of `schema`).
pub const JSON_SCHEMA: &str = "syncpolicy-validate/2";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Place<'a> {
    file: &'a Option<String>,
    json_path: &'a Option<String>,
    xml_element: &'a Option<String>,
    line: Option<u32>,
    column: Option<u32>,
}

impl<'a> Place<'a> {
    fn of(loc: &'a Location) -> Self {
        Place {
            file: &loc.file,
            json_path: &loc.json_path,
            xml_element: &loc.xml_element,
            line: loc.line,
            column: loc.column,
        }
    }
}

#[derive(Serialize)]
struct LabelJson<'a> {
    message: &'a str,
    #[serde(flatten)]
    place: Place<'a>,
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(flatten)]
    place: Place<'a>,
    help: &'a Option<String>,
    labels: Vec<LabelJson<'a>>,
}

fn of(d: &Diagnostic) -> DiagnosticJson<'_> {
    DiagnosticJson {
        code: &d.code,
        name: &d.name,
        severity: d.severity.as_str(),
        message: &d.message,
        place: Place::of(&d.location),
        help: &d.help,
        labels: d
            .labels
            .iter()
            .map(|l| LabelJson {
                message: &l.message,
                place: Place::of(&l.location),
            })
            .collect(),
    }
}

/// One diagnostic as a JSON object: `code`, `name`, `severity`, `message`, `file`,
/// `jsonPath`, `xmlElement`, `line`, `column`, `help`, `labels` (each with `message` and the
/// same location keys).
pub fn diagnostic_json(d: &Diagnostic) -> Value {
    serde_json::to_value(of(d)).unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct SummaryJson {
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Only in the document with accepted findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AcceptedJson<'a> {
    #[serde(flatten)]
    diagnostic: DiagnosticJson<'a>,
    reason: &'a str,
    rule: &'a Option<String>,
    accepted_by: &'a Option<String>,
    accepted_at: &'a Option<String>,
}

#[derive(Serialize)]
struct DocJson<'a> {
    schema: &'static str,
    summary: SummaryJson,
    diagnostics: Vec<DiagnosticJson<'a>>,
    /// Only in the document with accepted findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted: Option<Vec<AcceptedJson<'a>>>,
}

fn doc<'a>(
    diags: &'a [Diagnostic],
    accepted: Option<&'a [(&'a Diagnostic, &'a AcceptedFinding)]>,
) -> DocJson<'a> {
    let c = Counts::of(diags);
    DocJson {
        schema: JSON_SCHEMA,
        summary: SummaryJson {
            errors: c.errors,
            warnings: c.warnings,
            infos: c.infos,
            accepted: accepted.map(<[_]>::len),
        },
        diagnostics: diags.iter().map(of).collect(),
        accepted: accepted.map(|list| {
            list.iter()
                .map(|(d, a)| AcceptedJson {
                    diagnostic: of(d),
                    reason: &a.reason,
                    rule: &a.rule,
                    accepted_by: &a.accepted_by,
                    accepted_at: &a.accepted_at,
                })
                .collect()
        }),
    }
}

/// The diagnostics as one JSON document (keys in this order):
/// `{"schema": "syncpolicy-validate/2", "summary": {"errors", "warnings", "infos"},
/// "diagnostics": [...]}`.
pub fn to_json(diags: &[Diagnostic]) -> impl Serialize + '_ {
    doc(diags, None)
}

/// [`to_json`] with the accepted findings: `summary.accepted` counts them and `accepted`
/// lists each as a diagnostic object followed by `reason`, `rule`, `acceptedBy` and
/// `acceptedAt` (keys in this order).
pub fn to_json_accepted<'a>(
    diags: &'a [Diagnostic],
    accepted: &'a [(&'a Diagnostic, &'a AcceptedFinding)],
) -> impl Serialize + 'a {
    doc(diags, Some(accepted))
}
