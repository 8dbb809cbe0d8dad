//! The writer: rules in the exact layout of the Rules Editor's Export (two spaces before the
//! backtick on command and switch lines, `-Source @('True')` for constants, no `-Source` for an
//! expression without source attributes, `''` for ISNULL values, one
//! `Add-ADSyncJoinConditionGroup` per join group, every single quote doubled), so that a rule
//! read from an editor export is written back byte for byte.

use crate::lexer::is_single_quote;
use crate::read::LineEnding;
use crate::{JOIN_CONDITION_TYPE, SCOPE_CONDITION_TYPE, ZERO_GUID};
use std::fmt::Write as _;
use syncpolicy_model::enums::FlowType;
use syncpolicy_model::rule::SyncRule;

/// A PowerShell single-quoted string: every single-quote character (also the typographic
/// ones PowerShell accepts as quotes) doubled.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        out.push(c);
        if is_single_quote(c) {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// One rule's statements, from `New-ADSyncRule` to the line end after `Get-ADSyncRule`, owned
/// by the connector `connector` (an identifier). Statements are separated by two empty lines.
pub fn write_rule(rule: &SyncRule, connector: &str, ending: LineEnding) -> String {
    let mut o = String::new();
    write_rule_to(&mut o, rule, connector);
    finish(o, ending)
}

/// Several rules, each followed by two empty lines (the editor's layout for several selected
/// rules).
pub fn write_rules<'a>(
    rules: impl IntoIterator<Item = (&'a SyncRule, &'a str)>,
    ending: LineEnding,
) -> String {
    let mut o = String::new();
    for (rule, connector) in rules {
        write_rule_to(&mut o, rule, connector);
        o.push_str("\n\n");
    }
    finish(o, ending)
}

fn finish(o: String, ending: LineEnding) -> String {
    match ending {
        LineEnding::Lf => o,
        LineEnding::CrLf => o.replace('\n', "\r\n"),
    }
}

/// Appends one rule (LF line ends).
pub(crate) fn write_rule_to(o: &mut String, r: &SyncRule, connector: &str) {
    let id = r
        .unique_identifier
        .as_deref()
        .unwrap_or(&r.internal_identifier);
    let _ = writeln!(o, "New-ADSyncRule  `");
    let _ = writeln!(o, "-Name {} `", quote(r.name()));
    let _ = writeln!(o, "-Identifier {} `", quote(id));
    let _ = writeln!(o, "-Description {} `", quote(&r.description));
    let _ = writeln!(o, "-Direction {} `", quote(r.direction_str()));
    let _ = writeln!(o, "-Precedence {} `", r.precedence);
    let after = r.extension.precedence_after.as_deref().unwrap_or(ZERO_GUID);
    let before = r
        .extension
        .precedence_before
        .as_deref()
        .unwrap_or(ZERO_GUID);
    let _ = writeln!(o, "-PrecedenceAfter {} `", quote(after));
    let _ = writeln!(o, "-PrecedenceBefore {} `", quote(before));
    let _ = writeln!(
        o,
        "-SourceObjectType {} `",
        quote(r.source_object_type.as_deref().unwrap_or(""))
    );
    let _ = writeln!(
        o,
        "-TargetObjectType {} `",
        quote(r.target_object_type.as_deref().unwrap_or(""))
    );
    let _ = writeln!(o, "-Connector {} `", quote(connector));
    let _ = writeln!(
        o,
        "-LinkType {} `",
        quote(r.link_type.as_ref().map(|l| l.as_str()).unwrap_or(""))
    );
    match r.extension.soft_delete_expiry_interval.as_deref() {
        None => o.push_str("-SoftDeleteExpiryInterval 0 `\n"),
        Some(t) if t.parse::<u32>().is_ok_and(|n| n != 0 && n.to_string() == t) => {
            let _ = writeln!(o, "-SoftDeleteExpiryInterval {t} `");
        }
        Some(t) => {
            let _ = writeln!(o, "-SoftDeleteExpiryInterval {} `", quote(t));
        }
    }
    let _ = writeln!(
        o,
        "-ImmutableTag {} `",
        quote(r.immutable_tag.as_deref().unwrap_or(""))
    );
    if r.password_hash_sync_target {
        o.push_str("-EnablePasswordSync  `\n");
    }
    if r.disabled {
        o.push_str("-Disabled  `\n");
    }
    o.push_str("-OutVariable syncRule\n\n\n");
    for m in &r.mappings {
        o.push_str("Add-ADSyncAttributeFlowMapping  `\n-SynchronizationRule $syncRule[0] `\n");
        let flow = m.flow_type.as_ref();
        let sources: Vec<&str> = if flow == Some(&FlowType::Constant) {
            vec![m.value.as_str()]
        } else {
            m.sources()
        };
        if !sources.is_empty() {
            let list: Vec<String> = sources.iter().map(|s| quote(s)).collect();
            let _ = writeln!(o, "-Source @({}) `", list.join(","));
        }
        let _ = writeln!(
            o,
            "-Destination {} `",
            quote(m.destination.as_deref().unwrap_or(""))
        );
        let _ = writeln!(
            o,
            "-FlowType {} `",
            quote(flow.map(|f| f.as_str()).unwrap_or(""))
        );
        let _ = writeln!(o, "-ValueMergeType {} `", quote(m.merge_type.as_str()));
        if m.execute_once {
            o.push_str("-ExecuteOnce  `\n");
        }
        if flow == Some(&FlowType::Expression) || !m.expression.is_empty() {
            let _ = writeln!(o, "-Expression {} `", quote(&m.expression));
        }
        o.push_str("-OutVariable syncRule\n\n\n");
    }
    for group in &r.scope_groups {
        let mut vars = Vec::new();
        for (i, c) in group.iter().enumerate() {
            let _ = write!(
                o,
                "New-Object  `\n-TypeName {} `\n-ArgumentList {},{},{} `\n-OutVariable condition{i}\n\n\n",
                quote(SCOPE_CONDITION_TYPE),
                quote(c.attribute.as_deref().unwrap_or("")),
                quote(&c.value),
                quote(c.operator.as_ref().map(|x| x.as_str()).unwrap_or("")),
            );
            vars.push(format!("$condition{i}[0]"));
        }
        let _ = write!(
            o,
            "Add-ADSyncScopeConditionGroup  `\n-SynchronizationRule $syncRule[0] `\n-ScopeConditions @({}) `\n-OutVariable syncRule\n\n\n",
            vars.join(",")
        );
    }
    for group in &r.join_groups {
        let mut vars = Vec::new();
        for (i, c) in group.iter().enumerate() {
            let _ = write!(
                o,
                "New-Object  `\n-TypeName {} `\n-ArgumentList {},{},{} `\n-OutVariable condition{i}\n\n\n",
                quote(JOIN_CONDITION_TYPE),
                quote(c.source.as_deref().unwrap_or("")),
                quote(c.destination.as_deref().unwrap_or("")),
                if c.case_sensitive { "$true" } else { "$false" },
            );
            vars.push(format!("$condition{i}[0]"));
        }
        let _ = write!(
            o,
            "Add-ADSyncJoinConditionGroup  `\n-SynchronizationRule $syncRule[0] `\n-JoinConditions @({}) `\n-OutVariable syncRule\n\n\n",
            vars.join(",")
        );
    }
    o.push_str("Add-ADSyncRule  `\n-SynchronizationRule $syncRule[0]\n\n\n");
    let _ = writeln!(o, "Get-ADSyncRule  `\n-Identifier {}", quote(id));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled_including_typographic_ones() {
        assert_eq!(quote("it's"), "'it''s'");
        assert_eq!(quote("a\u{2019}b"), "'a\u{2019}\u{2019}b'");
        assert_eq!(quote("$x `y"), "'$x `y'");
    }
}
