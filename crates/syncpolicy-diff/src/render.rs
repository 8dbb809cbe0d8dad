//! Readable one-line and multi-line renderings of model items, used as the old/new values of
//! changes.

use std::fmt::Write as _;
use syncpolicy_model::config::{
    DirectoryExtensionAttribute, MetaverseAttribute, MetaverseObjectType, Partition,
};
use syncpolicy_model::enums::FlowType;
use syncpolicy_model::rule::{AttributeMapping, JoinCondition, ScopeCondition, SyncRule};

/// `attribute OPERATOR value` (no value for unary operators).
pub(crate) fn clause(c: &ScopeCondition) -> String {
    let attr = c.attribute.as_deref().unwrap_or("?");
    match &c.operator {
        Some(op) if op.is_unary() && c.value.is_empty() => format!("{attr} {op}"),
        Some(op) => format!("{attr} {op} {:?}", c.value),
        None => format!("{attr} (no operator) {:?}", c.value),
    }
}

/// `source = destination` (with `(case-sensitive)` when so).
pub(crate) fn join(c: &JoinCondition) -> String {
    format!(
        "{} = {}{}",
        c.source.as_deref().unwrap_or("?"),
        c.destination.as_deref().unwrap_or("?"),
        if c.case_sensitive {
            " (case-sensitive)"
        } else {
            ""
        }
    )
}

/// A scope group: clauses joined with AND.
pub(crate) fn scope_group(g: &[ScopeCondition]) -> String {
    g.iter().map(clause).collect::<Vec<_>>().join(" AND ")
}

/// A join group: conditions joined with AND.
pub(crate) fn join_group(g: &[JoinCondition]) -> String {
    g.iter().map(join).collect::<Vec<_>>().join(" AND ")
}

/// A mapping as one line: `Expression: <expr> -> destination`.
pub(crate) fn mapping(m: &AttributeMapping) -> String {
    let dest = m.destination.as_deref().unwrap_or("?");
    let what = match &m.flow_type {
        Some(FlowType::Direct) => format!("Direct: {}", m.source),
        Some(FlowType::Constant) => format!("Constant: {:?}", m.value),
        Some(FlowType::Expression) => format!("Expression: {}", m.expression),
        Some(other) => format!("{other}: {}{}{}", m.source, m.expression, m.value),
        None => format!("(no flow type): {}{}{}", m.source, m.expression, m.value),
    };
    let mut extra = Vec::new();
    if m.merge_type != Default::default() {
        extra.push(format!("merge {}", m.merge_type));
    }
    if m.execute_once {
        extra.push("apply once".to_owned());
    }
    if extra.is_empty() {
        format!("{what} -> {dest}")
    } else {
        format!("{what} -> {dest} ({})", extra.join(", "))
    }
}

/// A whole rule, multi-line.
pub(crate) fn rule(r: &SyncRule) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "name: {}", r.name());
    let _ = writeln!(o, "direction: {}", r.direction_str());
    let _ = writeln!(o, "precedence: {}", r.precedence);
    let _ = writeln!(
        o,
        "objects: {} -> {}",
        r.source_object_type.as_deref().unwrap_or("?"),
        r.target_object_type.as_deref().unwrap_or("?")
    );
    let _ = writeln!(
        o,
        "link type: {}",
        r.link_type
            .as_ref()
            .map(|l| l.as_str())
            .unwrap_or("(not set)")
    );
    if let Some(tag) = r.immutable_tag.as_deref().filter(|t| !t.is_empty()) {
        let _ = writeln!(o, "immutable tag: {tag}");
    }
    if r.disabled {
        let _ = writeln!(o, "disabled: true");
    }
    if r.password_hash_sync_target {
        let _ = writeln!(o, "password hash sync target: true");
    }
    if !r.description.is_empty() {
        let _ = writeln!(o, "description: {}", r.description);
    }
    if let Some(s) = &r.extension.soft_delete_expiry_interval {
        let _ = writeln!(o, "soft-delete expiry: {s}");
    }
    for (i, g) in r.scope_groups.iter().enumerate() {
        let _ = writeln!(o, "scope group {}: {}", i + 1, scope_group(g));
    }
    for (i, g) in r.join_groups.iter().enumerate() {
        let _ = writeln!(o, "join group {}: {}", i + 1, join_group(g));
    }
    for m in &r.mappings {
        let _ = writeln!(o, "mapping: {}", mapping(m));
    }
    o.pop();
    o
}

/// A partition, multi-line.
pub(crate) fn partition(p: &Partition) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "partition: {}",
        p.distinguished_name
            .as_deref()
            .or(p.fqdn.as_deref())
            .unwrap_or("?")
    );
    let _ = writeln!(o, "selected: {}", p.selected);
    for i in &p.inclusions {
        let _ = writeln!(o, "include: {i}");
    }
    for x in &p.exclusions {
        let _ = writeln!(o, "exclude: {x}");
    }
    if !p.preferred_controllers.is_empty() {
        let _ = writeln!(
            o,
            "preferred domain controllers: {}",
            p.preferred_controllers.join(", ")
        );
    }
    o.pop();
    o
}

/// A directory extension attribute as one line: `user.extAttr (String, multi-valued)`.
pub(crate) fn directory_extension(e: &DirectoryExtensionAttribute) -> String {
    format!(
        "{}.{} ({}{})",
        e.object_class.as_deref().unwrap_or("?"),
        e.attribute.as_deref().unwrap_or("?"),
        e.data_type.as_deref().unwrap_or("?"),
        if e.multi_valued { ", multi-valued" } else { "" }
    )
}

/// A metaverse attribute definition as one line: `String (single-valued, indexed, ReadWrite)`.
pub(crate) fn metaverse_attribute(a: &MetaverseAttribute) -> String {
    format!(
        "{} ({}{}{}{}, {})",
        a.data_type.as_deref().unwrap_or("?"),
        if a.multi_valued {
            "multi-valued"
        } else {
            "single-valued"
        },
        if a.indexed { ", indexed" } else { "" },
        if a.indexable { ", indexable" } else { "" },
        if a.encrypted { ", encrypted" } else { "" },
        a.supported_operations
    )
}

/// A metaverse object type definition as one line: its class type, `locked` when so, and its
/// attribute bindings (each with its flags) in order of name, case ignored.
pub(crate) fn metaverse_object_type(t: &MetaverseObjectType) -> String {
    let mut b: Vec<String> = t
        .attribute_bindings
        .iter()
        .map(|b| {
            let mut flags = Vec::new();
            if b.is_anchor {
                flags.push("anchor");
            }
            if b.is_locked {
                flags.push("locked");
            }
            if b.is_required {
                flags.push("required");
            }
            let name = b.name.as_deref().unwrap_or("?").to_owned();
            if flags.is_empty() {
                name
            } else {
                format!("{name} ({})", flags.join(", "))
            }
        })
        .collect();
    b.sort_by_key(|s| s.to_lowercase());
    format!(
        "{}{}; bindings: {}",
        t.class_type,
        if t.locked { ", locked" } else { "" },
        list(&b)
    )
}

/// A list for display: the items joined with `, `, or `(none)`.
pub(crate) fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items.join(", ")
    }
}
