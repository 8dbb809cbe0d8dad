//! Scoping filters: an OR of AND groups of clauses over the source object's attributes, every
//! operator, negative operators true on absent or empty values (`sync-engine.md` A.3,
//! `declarative-provisioning.md` §3.3). String comparisons are case-insensitive (a choice,
//! `docs/simulation.md`).

use crate::prepare::{Op, PCond, PRule};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use syncpolicy_expr::env::{Parameters, SourceObject};
use syncpolicy_expr::value::Value;

/// Group membership known to the connector space: lower-cased group DN → lower-cased member DNs.
pub type Groups = HashMap<String, HashSet<String>>;

/// What a scope clause can look at besides the object.
pub struct ScopeInput<'a> {
    pub object: &'a SourceObject,
    /// The object's DN, lower-cased (for `ISMEMBEROF`).
    pub dn_lower: &'a str,
    pub parameters: &'a Parameters,
    pub groups: &'a Groups,
}

/// A clause that failed, by group and clause index.
pub type Failed = (u16, u16);

/// Evaluates a rule's scope: true when in scope (an empty filter is in scope); otherwise false,
/// with the failing clauses of every group pushed to `failed`.
pub fn in_scope(rule: &PRule, input: &ScopeInput<'_>, failed: &mut Vec<Failed>) -> bool {
    in_scope_with(rule, input, failed, &mut [])
}

/// [`in_scope`], with a record of the results of the clauses several rules share, for one
/// input: `memo` holds, by [`PCond::memo`], 0 for a clause not yet evaluated, 1 for one that
/// holds and 2 for one that does not (start with zeros, as many as
/// [`crate::prepare::Prepared::shared_clauses`]; an empty record evaluates every clause).
pub fn in_scope_with(
    rule: &PRule,
    input: &ScopeInput<'_>,
    failed: &mut Vec<Failed>,
    memo: &mut [u8],
) -> bool {
    if rule.scope.is_empty() {
        return true;
    }
    let mark = failed.len();
    for (gi, group) in rule.scope.iter().enumerate() {
        let mut ok = true;
        for (ci, clause) in group.iter().enumerate() {
            let holds = match memo.get_mut(clause.memo as usize) {
                Some(0) | None => {
                    let holds = clause_holds(clause, input);
                    if let Some(state) = memo.get_mut(clause.memo as usize) {
                        *state = if holds { 1 } else { 2 };
                    }
                    holds
                }
                Some(state) => *state == 1,
            };
            if !holds {
                ok = false;
                failed.push((gi as u16, ci as u16));
            }
        }
        if ok {
            failed.truncate(mark);
            return true;
        }
    }
    false
}

/// `[attribute OPERATOR value]`, as the single-object diagnostics print a clause.
pub fn clause_text(c: &PCond) -> String {
    if matches!(c.op, Op::IsNull | Op::IsNotNull) {
        format!("[{} {}]", c.attribute, c.op_text)
    } else {
        format!("[{} {} {}]", c.attribute, c.op_text, c.value)
    }
}

/// Expands `%Name%` from the parameters (unknown names stay as written).
pub fn expand<'a>(text: &'a str, parameters: &Parameters) -> std::borrow::Cow<'a, str> {
    if !text.contains('%') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('%') {
        let after = &rest[start + 1..];
        match after.find('%') {
            Some(end) => {
                let name = &after[..end];
                out.push_str(&rest[..start]);
                match parameters.get(name) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push('%');
                        out.push_str(name);
                        out.push('%');
                    }
                }
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// True when a value counts as absent (the connector space shows only non-empty values).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Str(s) | Value::Ref(s) => s.is_empty(),
        Value::Bin(b) => b.is_empty(),
        other => other.is_null(),
    }
}

/// Whether one clause holds for the object.
pub fn clause_holds(c: &PCond, input: &ScopeInput<'_>) -> bool {
    let values: &[Value] = input
        .object
        .get(&c.attribute)
        .map(Value::values)
        .unwrap_or(&[]);
    let present = || values.iter().filter(|v| !is_empty(v));
    let value = expand(&c.value, input.parameters);
    let value = value.as_ref();
    let any = |test: &dyn Fn(&Value) -> bool| present().any(test);
    match c.op {
        Op::IsNull => present().next().is_none(),
        Op::IsNotNull => present().next().is_some(),
        Op::Equal | Op::IsIn => any(&|v| equals(v, value)),
        Op::NotEqual | Op::IsNotIn => !any(&|v| equals(v, value)),
        Op::LessThan => any(&|v| compare(v, value) == Some(Ordering::Less)),
        Op::LessThanOrEqual => any(&|v| compare(v, value).is_some_and(|o| o != Ordering::Greater)),
        Op::GreaterThan => any(&|v| compare(v, value) == Some(Ordering::Greater)),
        Op::GreaterThanOrEqual => any(&|v| compare(v, value).is_some_and(|o| o != Ordering::Less)),
        Op::Contains => any(&|v| text_test(v, value, contains_ci)),
        Op::NotContains => !any(&|v| text_test(v, value, contains_ci)),
        Op::StartsWith => any(&|v| text_test(v, value, starts_ci)),
        Op::NotStartsWith => !any(&|v| text_test(v, value, starts_ci)),
        Op::EndsWith => any(&|v| text_test(v, value, ends_ci)),
        Op::NotEndsWith => !any(&|v| text_test(v, value, ends_ci)),
        Op::IsBitSet => any(&|v| bit_set(v, value)),
        Op::IsBitNotSet => !any(&|v| bit_set(v, value)),
        Op::IsMemberOf => member_of(input, value),
        Op::IsNotMemberOf => !member_of(input, value),
        Op::Unknown => false,
    }
}

fn member_of(input: &ScopeInput<'_>, group: &str) -> bool {
    input
        .groups
        .get(&group.trim().to_lowercase())
        .is_some_and(|members| members.contains(input.dn_lower))
}

fn as_text(v: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match v {
        Value::Str(s) | Value::Ref(s) => Some(std::borrow::Cow::Borrowed(s)),
        Value::Num(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        Value::Bool(true) => Some(std::borrow::Cow::Borrowed("True")),
        Value::Bool(false) => Some(std::borrow::Cow::Borrowed("False")),
        Value::Bin(_) | Value::Date(_) => Some(std::borrow::Cow::Owned(v.to_string())),
        _ => None,
    }
}

fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    if let Some(hex) = t.strip_prefix("&H").or_else(|| t.strip_prefix("0x")) {
        return i64::from_str_radix(hex, 16).ok();
    }
    t.parse().ok()
}

fn parse_bool(s: &str) -> Option<bool> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Equality by the attribute's type: numbers numerically, Booleans as Booleans, text
/// case-insensitively, binary by its base64 text.
pub fn equals(v: &Value, clause: &str) -> bool {
    match v {
        Value::Num(n) => parse_int(clause) == Some(*n),
        Value::Bool(b) => parse_bool(clause) == Some(*b),
        Value::Str(s) | Value::Ref(s) => eq_ci(s, clause.trim()) || eq_ci(s, clause),
        Value::Bin(_) => as_text(v).is_some_and(|t| t == clause.trim()),
        _ => false,
    }
}

fn compare(v: &Value, clause: &str) -> Option<Ordering> {
    let text = as_text(v)?;
    if let (Some(a), Some(b)) = (parse_int(&text), parse_int(clause)) {
        return Some(a.cmp(&b));
    }
    Some(text.to_lowercase().cmp(&clause.to_lowercase()))
}

fn text_test(v: &Value, clause: &str, test: fn(&str, &str) -> bool) -> bool {
    as_text(v).is_some_and(|t| test(&t, clause))
}

fn bit_set(v: &Value, clause: &str) -> bool {
    let Some(mask) = parse_int(clause) else {
        return false;
    };
    let n = match v {
        Value::Num(n) => *n,
        Value::Str(s) => match parse_int(s) {
            Some(n) => n,
            None => return false,
        },
        _ => return false,
    };
    n & mask == mask
}

/// Case-insensitive equality (ASCII fast path, Unicode lower-casing otherwise).
pub fn eq_ci(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn starts_ci(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.len() >= b.len() && a.as_bytes()[..b.len()].eq_ignore_ascii_case(b.as_bytes())
    } else {
        a.to_lowercase().starts_with(&b.to_lowercase())
    }
}

/// Case-insensitive `ends_with`.
pub fn ends_ci(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.len() >= b.len() && a.as_bytes()[a.len() - b.len()..].eq_ignore_ascii_case(b.as_bytes())
    } else {
        a.to_lowercase().ends_with(&b.to_lowercase())
    }
}

fn contains_ci(a: &str, b: &str) -> bool {
    a.to_lowercase().contains(&b.to_lowercase())
}
