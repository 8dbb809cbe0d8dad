//! SP070 digest-mismatch: the file's content no longer matches the digest syncpolicy's writer
//! recorded in it (the file was edited since it was written).

use super::k;
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::digest::{check as check_digest, check_text, DigestCheck};
use syncpolicy_json::{keys, paths};
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP070",
    name: "digest-mismatch",
    severity: Severity::Warning,
    category: Category::Integrity,
    summary: "the file was edited since syncpolicy wrote it",
    what: "syncpolicy's writer records a SHA-256 digest of the canonical content, and of each top-level section, in `x-syncpolicy.digest`. The rule recomputes them from the file's content and reports a mismatch, naming the sections whose digest differs. Files without a digest (not written by syncpolicy) are not checked.",
    why: "Microsoft says the settings file \"should not be hand-created or edited\". An edit is not wrong in itself, but it is the usual source of the other findings, and someone reviewing the file should know which sections no longer are what the server exported.",
    example: "\"x-syncpolicy\": { \"digest\": { \"algorithm\": \"sha256\", \"content\": \"...\", \"sections\": { \"azureDirectoryPolicy\": \"...\" } } }",
    fix: "Review the changed sections. If the edit is intended, validate the file and import it; export it again afterwards to record a new digest. Otherwise export the configuration again from the server.",
    help: "review the changed sections; export the configuration again to record a new digest",
    file_only: true,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    // With the file's section spans, the sections' own bytes are hashed first: a file as
    // syncpolicy wrote it matches without being written again (the same answer, see
    // `check_text`).
    let answer = match cx.file {
        Some((text, spans)) => check_text(cx.config, text, spans),
        None => check_digest(cx.config),
    };
    if let DigestCheck::Differs { sections } = answer {
        let finding = out.report(
            &RULE,
            paths::extension(k::EXT_DIGEST),
            format!(
                "the file was edited since syncpolicy wrote it: its content no longer matches the recorded digest (sections that differ: {})",
                sections.join(", ")
            ),
        );
        for s in &sections {
            if keys::TOP.contains(&s.as_str()) {
                finding.label(
                    s.clone(),
                    format!("{s} differs from what the digest covers"),
                );
            }
        }
    }
}
