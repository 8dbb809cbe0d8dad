//! The rule views of `rule list` and `rule show`: the list by precedence (text, JSON) and one
//! rule in full (text, JSON). Text escapes every value for the terminal.

use crate::escape::text as e;
use crate::style::Style;
use std::fmt::Write as _;
use syncpolicy_model::config::{Configuration, RuleLocation, RuleSet};
use syncpolicy_model::enums::MergeType;
use syncpolicy_model::rule::{JoinCondition, SyncRule};

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ListDoc<'a> {
    schema: &'static str,
    count: usize,
    rules: Vec<ListedRule<'a>>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ListedRule<'a> {
    name: &'a str,
    directory: String,
    direction: &'a str,
    precedence: i32,
    kind: &'static str,
    disabled: bool,
    link_type: Option<&'a str>,
    immutable_tag: Option<&'a str>,
    unique_identifier: Option<&'a str>,
}

fn kind(loc: RuleLocation) -> &'static str {
    if loc.set == RuleSet::Custom {
        "custom"
    } else {
        "standard"
    }
}

/// The listed rules as JSON (`syncpolicy-rules/1`): one object per rule, in the listed order.
pub fn render_list_json(
    config: &Configuration,
    rows: &[(RuleLocation, &SyncRule)],
) -> serde_json::Result<String> {
    let rules: Vec<ListedRule<'_>> = rows
        .iter()
        .map(|(loc, r)| ListedRule {
            name: r.name(),
            directory: config.directory_name(loc.directory),
            direction: r.direction_str(),
            precedence: r.precedence,
            kind: kind(*loc),
            disabled: r.disabled,
            link_type: r.link_type.as_ref().map(|l| l.as_str()),
            immutable_tag: r.immutable_tag.as_deref(),
            unique_identifier: r.unique_identifier.as_deref(),
        })
        .collect();
    let doc = ListDoc {
        schema: crate::schema::RULES,
        count: rules.len(),
        rules,
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDoc<'a> {
    schema: &'static str,
    directory: String,
    kind: &'static str,
    rule: &'a serde_json::value::RawValue,
}

/// One rule as JSON (`syncpolicy-rule/1`): its directory and kind, and under `rule` the rule in
/// the settings-file shape (what `rule add --file` reads, with or without this envelope).
pub fn render_rule_json(
    config: &Configuration,
    at: RuleLocation,
    r: &SyncRule,
) -> serde_json::Result<String> {
    // The settings-file text, indented one level to sit under `rule` (a JSON string holds no
    // raw line break, so only the space between tokens changes).
    let text = syncpolicy_json::write_rule(r)
        .trim_end()
        .replace('\n', "\n  ");
    let raw = serde_json::value::RawValue::from_string(text)?;
    let doc = RuleDoc {
        schema: crate::schema::RULE,
        directory: config.directory_name(at.directory),
        kind: kind(at),
        rule: &raw,
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// The listed rules as text: one aligned line per rule, then the count.
pub fn render_list_text(
    config: &Configuration,
    rows: &[(RuleLocation, &SyncRule)],
    style: &Style,
) -> String {
    let width = crate::style::column_width(
        rows.iter()
            .map(|(l, _)| e(&config.directory_name(l.directory)).chars().count()),
    );
    let mut o = String::new();
    for (loc, r) in rows {
        let _ = writeln!(
            o,
            "{:>6}  {:<width$}  {:<8}  {:<8}  {}{}",
            r.precedence,
            e(&config.directory_name(loc.directory)),
            e(r.direction_str()),
            if loc.set == RuleSet::Custom {
                "custom"
            } else {
                "standard"
            },
            e(r.name()),
            if r.disabled {
                style.yellow("  (disabled)")
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(
        o,
        "{}",
        syncpolicy_model::words::count(rows.len(), "rule", "rules")
    );
    o
}

/// One rule in full, as text: header fields, scope, joins and mappings.
pub fn render_rule_text(
    config: &Configuration,
    at: RuleLocation,
    r: &SyncRule,
    style: &Style,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", style.bold(&e(r.name())));
    let row = |o: &mut String, k: &str, v: &str| {
        let _ = writeln!(o, "  {k:<20}{}", e(v));
    };
    row(&mut o, "directory", &config.directory_name(at.directory));
    row(
        &mut o,
        "kind",
        if at.set == RuleSet::Custom {
            "custom"
        } else {
            "standard"
        },
    );
    row(&mut o, "direction", r.direction_str());
    row(
        &mut o,
        "objects",
        &format!(
            "{} -> {}",
            r.source_object_type.as_deref().unwrap_or("?"),
            r.target_object_type.as_deref().unwrap_or("?")
        ),
    );
    row(
        &mut o,
        "link type",
        r.link_type
            .as_ref()
            .map(|l| l.as_str())
            .unwrap_or("(not set)"),
    );
    row(&mut o, "precedence", &r.precedence.to_string());
    row(
        &mut o,
        "state",
        if r.disabled { "disabled" } else { "enabled" },
    );
    if let Some(t) = &r.immutable_tag {
        row(&mut o, "immutable tag", t);
    }
    row(
        &mut o,
        "identifier",
        r.unique_identifier.as_deref().unwrap_or("(none)"),
    );
    if !r.description.is_empty() {
        row(&mut o, "description", &r.description);
    }
    if r.password_hash_sync_target {
        row(&mut o, "password sync", "enabled");
    }
    if let Some(s) = &r.extension.soft_delete_expiry_interval {
        row(&mut o, "soft-delete expiry", s);
    }
    let _ = writeln!(
        o,
        "  scope ({}, OR)",
        syncpolicy_model::words::count(r.scope_groups.len(), "group", "groups")
    );
    for (i, g) in r.scope_groups.iter().enumerate() {
        let clauses: Vec<String> = g
            .iter()
            .map(|c| {
                format!(
                    "{} {} {}",
                    c.attribute.as_deref().unwrap_or("?"),
                    c.operator.as_ref().map(|o| o.as_str()).unwrap_or("?"),
                    c.value
                )
                .trim_end()
                .to_owned()
            })
            .collect();
        let _ = writeln!(o, "    {}. {}", i + 1, e(&clauses.join(" AND ")));
    }
    let _ = writeln!(
        o,
        "  join ({}, in order)",
        syncpolicy_model::words::count(r.join_groups.len(), "group", "groups")
    );
    for (i, g) in r.join_groups.iter().enumerate() {
        let conds: Vec<String> = g.iter().map(|c| JoinText(c).to_string()).collect();
        let _ = writeln!(o, "    {}. {}", i + 1, e(&conds.join(" AND ")));
    }
    let _ = writeln!(o, "  mappings ({})", r.mappings.len());
    for m in &r.mappings {
        let dest = m.destination.as_deref().unwrap_or("?");
        let flow = m.flow_type.as_ref().map(|f| f.as_str()).unwrap_or("?");
        let body = match flow {
            "Constant" => format!("\"{}\"", m.value),
            "Expression" => m.expression.clone(),
            _ => m.source.clone(),
        };
        let mut flags = vec![flow.to_owned()];
        if m.merge_type != MergeType::Update {
            flags.push(m.merge_type.to_string());
        }
        if m.execute_once {
            flags.push("once".to_owned());
        }
        let line = format!("{dest} <- {body}  [{}]", flags.join(", "));
        let _ = writeln!(o, "    {}", e(&line));
    }
    o
}

/// A join condition as the rule views print it: `cs.SOURCE = mv.TARGET`, with
/// ` (case-sensitive)` when so (`?` for a missing attribute).
pub(crate) struct JoinText<'a>(pub(crate) &'a JoinCondition);

impl JoinText<'_> {
    /// The text's pieces, in order.
    fn pieces(&self) -> [&str; 5] {
        let c = self.0;
        [
            "cs.",
            c.source.as_deref().unwrap_or("?"),
            " = mv.",
            c.destination.as_deref().unwrap_or("?"),
            if c.case_sensitive {
                " (case-sensitive)"
            } else {
                ""
            },
        ]
    }

    /// Appends the text (as `Display` writes it, without the formatting machinery: the report
    /// writes one per join condition of every rule).
    pub(crate) fn push_to(&self, o: &mut String) {
        for p in self.pieces() {
            o.push_str(p);
        }
    }
}

impl std::fmt::Display for JoinText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pieces().iter().try_for_each(|p| f.write_str(p))
    }
}
