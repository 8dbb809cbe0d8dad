//! SP071 unused-acceptance: an entry of `x-syncpolicy.acceptedFindings` that accepts no
//! finding (the finding it was written for no longer occurs, its rule was renamed or deleted,
//! or its code is not one `validate` reports). Found by the runner after every other rule, from
//! their findings ([`after`]); the rule's own check does nothing.

use super::k;
use crate::accept::Acceptances;
use crate::context::{Context, Finding, Sink};
use crate::registry::{registry, Category, RuleInfo};
use std::collections::HashMap;
use syncpolicy_json::paths;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_model::extension::AcceptedFinding;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP071",
    name: "unused-acceptance",
    severity: Severity::Warning,
    category: Category::Integrity,
    summary: "an accepted finding no longer occurs",
    what: "Each entry of `x-syncpolicy.acceptedFindings` accepts the findings of one code, in the whole file or in one synchronization rule. The rule reports an entry that accepts none of the findings the other rules report: the problem it was written for is gone, the rule it names is not in the configuration (renamed or deleted), the code is not one `validate` reports, or an earlier entry already accepts the same findings. Entries of a code that needs the file (`SP070`) are judged only when a settings file is validated.",
    why: "An acceptance records a decision about one finding. Left behind after the finding is gone, it would silently accept the same problem when it comes back, perhaps in another rule of the same name, without anyone deciding again.",
    example: "\"acceptedFindings\": [ { \"code\": \"SP046\", \"rule\": \"In from AD - User Legacy Title\", \"reason\": \"disabled on purpose\" } ] (and the rule is enabled again, or renamed)",
    fix: "Remove the entry from `x-syncpolicy.acceptedFindings` (edit the file, or apply a file without it). If the rule was renamed, accept the finding again under its new name: `syncpolicy rule accept RULE CODE --reason TEXT`.",
    help: "remove the entry from x-syncpolicy.acceptedFindings (accept the finding again if it comes back)",
    file_only: false,
    check,
};

/// Nothing: the entries are judged from the other rules' findings, by [`after`].
fn check(_: &Context<'_>, _: &mut Sink) {}

/// Reports every entry of the configuration's `acceptedFindings` that accepts none of
/// `findings` (the other rules' findings, placed or not). `from_file` says whether the
/// file-only rules ran; without them their codes' entries are not judged.
pub(crate) fn after<'f>(
    cx: &Context<'_>,
    findings: impl Iterator<Item = &'f Finding>,
    from_file: bool,
    out: &mut Sink,
) {
    let entries = &cx.config.extension.accepted_findings;
    if entries.is_empty() {
        return;
    }
    let acceptances = Acceptances::of(cx.config);
    let used = acceptances.used_by(findings.map(|f| (f.code(), Some(f.json_path()))));
    // The first entry of each scope (code and rule name), to name what a repeated entry repeats.
    let mut first_of: HashMap<(String, Option<String>), usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        first_of.entry(scope_of(e)).or_insert(i);
    }
    // Nearest rule names are looked for only for the first few misspelt names (each look
    // compares the name with every rule's): a file with thousands stays fast.
    let mut suggestions_left = MAX_SUGGESTED;
    for (i, (entry, (used, no_such_rule))) in entries.iter().zip(used).enumerate() {
        let code = entry.code.trim();
        let rule = registry()
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code));
        // This rule's own entries, and those of a file-only rule when no file was read,
        // cannot be judged here.
        if used || rule.is_some_and(|r| r.code == RULE.code || (r.file_only && !from_file)) {
            continue;
        }
        let entry_path = format!("{}[{i}]", paths::extension(k::EXT_ACCEPTED_FINDINGS));
        let what = match &entry.rule {
            Some(name) => format!("{code} findings of rule {:?}", name.trim()),
            None => format!("every {code} finding"),
        };
        let (field, message, help) = match (rule, no_such_rule) {
            (None, _) => (
                k::ACCEPTED_CODE,
                format!(
                    "acceptedFindings[{i}] accepts {what}, but {code:?} is not a code of `syncpolicy validate`"
                ),
                Some("remove the entry; `syncpolicy validate --explain all` lists the codes that can be accepted"),
            ),
            (Some(_), true) => (
                k::ACCEPTED_RULE,
                format!(
                    "acceptedFindings[{i}] accepts {what}, but the configuration has no rule of that name"
                ),
                Some("if the rule was renamed, accept the finding again under its new name (`syncpolicy rule accept RULE CODE --reason TEXT`); otherwise remove the entry"),
            ),
            (Some(_), false) => match first_of.get(&scope_of(entry)).copied().filter(|j| *j < i) {
                Some(j) => (
                    "",
                    format!(
                        "acceptedFindings[{i}] accepts {what}, which acceptedFindings[{j}] already accepts"
                    ),
                    Some("remove the repeated entry"),
                ),
                None => (
                    "",
                    format!(
                        "acceptedFindings[{i}] accepts {what}, but there is no such finding any more"
                    ),
                    None,
                ),
            },
        };
        let path = if field.is_empty() {
            entry_path
        } else {
            format!("{entry_path}.{field}")
        };
        // A code or rule name that is not there may be misspelt: the nearest codes, or the
        // nearest names of the rules.
        let near = match (&entry.rule, no_such_rule) {
            _ if rule.is_none() => {
                syncpolicy_model::suggest::hint(code, registry().iter().map(|r| r.code), "codes")
                    .map(|near| format!("{near} correct the entry's code, or remove the entry"))
            }
            (Some(name), true) if suggestions_left > 0 => {
                suggestions_left -= 1;
                syncpolicy_model::suggest::hint(
                    name.trim(),
                    cx.config.rules().map(|(_, r)| r.name()),
                    "rule names",
                )
                .map(|near| format!("{near} correct the entry's rule name, or remove the entry"))
            }
            _ => None,
        };
        let finding = out.report(&RULE, path, message);
        if let Some(help) = near.as_deref().or(help) {
            finding.help(help);
        }
    }
}

/// What an entry accepts: its code (upper-case) and rule name (trimmed, ASCII case ignored).
fn scope_of(e: &AcceptedFinding) -> (String, Option<String>) {
    (
        e.code.trim().to_ascii_uppercase(),
        e.rule.as_deref().map(|r| r.trim().to_ascii_lowercase()),
    )
}

/// How many misspelt rule names get the nearest rule names.
const MAX_SUGGESTED: usize = 20;
