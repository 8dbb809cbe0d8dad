//! The plan as readable text: connectors, the numbered checklist with the page of each item,
//! the scripted steps in order, and the warnings.

use crate::plan::Plan;
use std::fmt::Write as _;

/// Text with control characters replaced (names come from configuration files).
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// The plan from `from` to `to` as text.
pub fn text(plan: &Plan, from: &str, to: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "plan: {} -> {}", clean(from), clean(to));
    if plan.is_empty() {
        let _ = writeln!(
            o,
            "nothing to do: the server already has the desired configuration"
        );
        for w in &plan.warnings {
            let _ = writeln!(o, "warning: {}", clean(w));
        }
        return o;
    }
    let _ = writeln!(
        o,
        "{}, {}, {}",
        syncpolicy_model::words::count(plan.steps.len(), "scripted step", "scripted steps"),
        syncpolicy_model::words::count(plan.checklist.len(), "checklist item", "checklist items"),
        syncpolicy_model::words::count(plan.warnings.len(), "warning", "warnings")
    );
    if !plan.connectors.is_empty() {
        let _ = writeln!(o, "\nconnectors the script finds by name and checks:");
        for c in &plan.connectors {
            let _ = writeln!(o, "  {}  {}", clean(&c.name), clean(&c.identifier));
        }
    }
    if !plan.checklist.is_empty() {
        let _ = writeln!(o, "\nchecklist (by hand, not scripted):");
        for (i, item) in plan.checklist.iter().enumerate() {
            let _ = writeln!(o, "  {}. {}", i + 1, clean(&item.text));
            let _ = writeln!(o, "     where: {}", clean(&item.page));
        }
    }
    let _ = writeln!(o, "\nscript:");
    let _ = writeln!(
        o,
        "  preflight: ADSync module, {}, no synchronization running, every connector by name",
        if plan.allow_active {
            "active server allowed"
        } else {
            "staging mode required"
        }
    );
    let _ = writeln!(o, "  pause the scheduler");
    for (i, s) in plan.steps.iter().enumerate() {
        let _ = writeln!(o, "  {}. {}", i + 1, clean(&s.describe()));
    }
    let _ = writeln!(o, "  verification; the scheduler stays off");
    if !plan.warnings.is_empty() {
        let _ = writeln!(o, "\nwarnings (not acted on):");
        for w in &plan.warnings {
            let _ = writeln!(o, "  - {}", clean(w));
        }
    }
    o
}
