//! The rules editor: add a custom rule, edit, enable or disable, clone a standard rule into an
//! editable custom copy, delete a custom rule, move a rule in precedence; and parsers for the
//! compact command-line forms of scope groups, join groups and mappings.

use crate::error::{EditError, EditResult};
use crate::precedence::{self, Placement};
use syncpolicy_model::config::{Configuration, DirectoryRef, RuleLocation, RuleSet};
use syncpolicy_model::enums::{FlowType, LinkType, MergeType, ScopeOperator};
use syncpolicy_model::rule::{AttributeMapping, JoinCondition, ScopeCondition, SyncRule};
use syncpolicy_model::standard::is_standard_tag;

fn lists_mut(
    config: &mut Configuration,
    dir: DirectoryRef,
) -> Option<(&mut Vec<SyncRule>, &mut Vec<SyncRule>)> {
    match dir {
        DirectoryRef::Azure => Some((
            &mut config.azure_directory.standard_rules,
            &mut config.azure_directory.custom_rules,
        )),
        DirectoryRef::OnPremises(i) => config
            .onpremises_directories
            .get_mut(i)
            .map(|d| (&mut d.standard_rules, &mut d.custom_rules)),
    }
}

/// The rule at a location, for changing.
pub fn rule_mut(config: &mut Configuration, at: RuleLocation) -> Option<&mut SyncRule> {
    config.rule_mut(at)
}

fn describe(config: &Configuration, at: RuleLocation) -> String {
    let r = config
        .rule(at)
        .map(|r| format!("{:?} ({})", r.name(), r.direction_str()))
        .unwrap_or_default();
    format!("{r} in {}", config.directory_name(at.directory))
}

fn apply_precedence(
    config: &mut Configuration,
    moving: RuleLocation,
    p: i32,
    renumber: &[(RuleLocation, i32)],
) -> String {
    for (loc, np) in renumber {
        if let Some(r) = rule_mut(config, *loc) {
            r.precedence = *np;
        }
    }
    if let Some(r) = rule_mut(config, moving) {
        r.precedence = p;
    }
    if renumber.is_empty() {
        String::new()
    } else {
        format!(" (renumbered {} other custom rules)", renumber.len())
    }
}

/// Adds a custom rule to a directory. The precedence is, in order: `placement` relative to
/// another custom rule, the given `rule.precedence` when `explicit_precedence`, else the lowest
/// free number in 0-99.
pub fn add_custom_rule(
    config: &mut Configuration,
    dir: DirectoryRef,
    mut rule: SyncRule,
    explicit_precedence: bool,
    placement: Option<Placement>,
) -> EditResult {
    if rule.name().trim().is_empty() {
        return Err(EditError::invalid(
            "the rule needs a name",
            "give --name or a \"Name\" in the rule file",
        ));
    }
    if rule.immutable_tag.as_deref().is_some_and(is_standard_tag) {
        return Err(EditError::refused(
            "a custom rule cannot carry a Microsoft. immutable tag (only out-of-box rules do)",
            "remove the immutableTag from the rule",
        ));
    }
    if rule.direction.is_none()
        || rule.source_object_type.is_none()
        || rule.target_object_type.is_none()
    {
        return Err(EditError::invalid(
            "the rule needs a direction, a source object type and a target object type",
            "give --direction, --source and --target (or direction, source, target in the rule file)",
        ));
    }
    for (what, t) in [
        ("source object type", rule.source_object_type.as_deref()),
        ("target object type", rule.target_object_type.as_deref()),
    ] {
        if let Some(t) = t {
            syncpolicy_model::values::check_object_type(t).map_err(|why| {
                EditError::invalid(
                    format!("{t:?} is not a valid {what}: {why}"),
                    "give the object class's schema name, e.g. user, group, contact or person",
                )
            })?;
        }
    }
    let key_name = rule.name().trim().to_lowercase();
    let dir_name = config.directory_name(dir);
    if let Some((s, c)) = config.rule_lists(dir) {
        if s.iter()
            .chain(c)
            .any(|r| r.name().trim().to_lowercase() == key_name && r.direction == rule.direction)
        {
            return Err(EditError::refused(
                format!(
                    "{dir_name} already has {} rule named {:?}",
                    syncpolicy_model::words::with_article(rule.direction_str()),
                    rule.name()
                ),
                "choose another name; rules are identified by directory, name and direction",
            ));
        }
    } else {
        return Err(EditError::not_found(
            "the directory",
            "list the directories with `syncpolicy directory list`",
        ));
    }
    let (p, renumber) = match placement {
        Some(pl) => precedence::place(config, None, pl)?,
        None if explicit_precedence => {
            precedence::ensure_free(config, rule.precedence, None, &rule)?;
            (rule.precedence, Vec::new())
        }
        None => (precedence::lowest_free(config, &rule)?, Vec::new()),
    };
    rule.precedence = p;
    rule.immutable_tag = None;
    let name = rule.name().to_owned();
    let Some((_, custom)) = lists_mut(config, dir) else {
        return Err(EditError::not_found(
            "the directory",
            "list the directories with `syncpolicy directory list`",
        ));
    };
    custom.push(rule);
    let at = RuleLocation {
        directory: dir,
        set: RuleSet::Custom,
        index: custom.len() - 1,
    };
    let note = apply_precedence(config, at, p, &renumber);
    Ok(format!(
        "added custom rule {name:?} to {dir_name} at precedence {p}{note}"
    ))
}

/// Enables or disables a rule (standard or custom).
pub fn set_disabled(config: &mut Configuration, at: RuleLocation, disabled: bool) -> EditResult {
    let what = describe(config, at);
    let r = rule_mut(config, at).ok_or_else(|| {
        EditError::not_found("the rule", "list the rules with `syncpolicy rule list`")
    })?;
    if r.disabled == disabled {
        // Already so: the store reports the change as unchanged (exit 0).
        return Ok(format!(
            "rule {what} is already {}",
            if disabled { "disabled" } else { "enabled" }
        ));
    }
    r.disabled = disabled;
    Ok(format!(
        "{} rule {what}",
        if disabled { "disabled" } else { "enabled" }
    ))
}

/// What an edit changes; `None` fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct RuleEdit {
    pub description: Option<String>,
    pub scope_groups: Option<Vec<Vec<ScopeCondition>>>,
    pub join_groups: Option<Vec<Vec<JoinCondition>>>,
    /// Mappings added, or replacing the mapping with the same destination.
    pub set_mappings: Vec<AttributeMapping>,
    /// Destinations whose mappings are removed.
    pub remove_mappings: Vec<String>,
    pub precedence: Option<i32>,
    pub placement: Option<Placement>,
    pub link_type: Option<LinkType>,
}

impl RuleEdit {
    fn is_empty(&self) -> bool {
        self.description.is_none()
            && self.scope_groups.is_none()
            && self.join_groups.is_none()
            && self.set_mappings.is_empty()
            && self.remove_mappings.is_empty()
            && self.precedence.is_none()
            && self.placement.is_none()
            && self.link_type.is_none()
    }
}

/// Edits a rule. A standard rule can only be enabled or disabled; with `force` it is edited
/// anyway (validation then reports it as a modified standard rule).
pub fn edit_rule(
    config: &mut Configuration,
    at: RuleLocation,
    edit: RuleEdit,
    force: bool,
) -> EditResult {
    if edit.is_empty() {
        return Err(EditError::invalid(
            "nothing to change",
            "give at least one of the edit options (see --help)",
        ));
    }
    let what = describe(config, at);
    if at.set == RuleSet::Standard && !force {
        return Err(EditError::refused(
            format!("rule {what} is a standard rule; standard rules can only be enabled or disabled"),
            "clone it into an editable custom rule with `syncpolicy rule clone` (the original is disabled), or pass --force to change it anyway (validate will report it as modified)",
        ));
    }
    let mut parts = Vec::new();
    let mut precedence_change = None;
    if let Some(pl) = edit.placement {
        precedence_change = Some(precedence::place(config, Some(at), pl)?);
    } else if let Some(p) = edit.precedence {
        let current = config.rule(at).cloned().ok_or_else(|| {
            EditError::not_found("the rule", "list the rules with `syncpolicy rule list`")
        })?;
        precedence::ensure_free(config, p, Some(at), &current)?;
        precedence_change = Some((p, Vec::new()));
    }
    let r = rule_mut(config, at).ok_or_else(|| {
        EditError::not_found("the rule", "list the rules with `syncpolicy rule list`")
    })?;
    if let Some(d) = edit.description {
        r.description = d;
        parts.push("description".to_owned());
    }
    if let Some(s) = edit.scope_groups {
        parts.push(format!(
            "scope ({})",
            syncpolicy_model::words::count(s.len(), "group", "groups")
        ));
        r.scope_groups = s;
    }
    if let Some(j) = edit.join_groups {
        parts.push(format!(
            "join ({})",
            syncpolicy_model::words::count(j.len(), "group", "groups")
        ));
        r.join_groups = j;
    }
    if let Some(l) = edit.link_type {
        parts.push(format!("link type {l}"));
        r.link_type = Some(l);
    }
    for dest in &edit.remove_mappings {
        let before = r.mappings.len();
        r.mappings.retain(|m| {
            !m.destination
                .as_deref()
                .is_some_and(|d| d.eq_ignore_ascii_case(dest))
        });
        if r.mappings.len() == before {
            return Err(EditError::not_found(
                format!("a mapping to {dest:?} in rule {what}"),
                "show the rule with `syncpolicy rule show`",
            ));
        }
        parts.push(format!("removed mapping to {dest}"));
    }
    for m in edit.set_mappings {
        let dest = m.destination.clone().unwrap_or_default();
        match r.mappings.iter_mut().find(|x| {
            x.destination
                .as_deref()
                .is_some_and(|d| d.eq_ignore_ascii_case(&dest))
        }) {
            Some(slot) => {
                *slot = m;
                parts.push(format!("changed mapping to {dest}"));
            }
            None => {
                r.mappings.push(m);
                parts.push(format!("added mapping to {dest}"));
            }
        }
    }
    if let Some((p, renumber)) = precedence_change {
        let note = apply_precedence(config, at, p, &renumber);
        parts.push(format!("precedence {p}{note}"));
    }
    Ok(format!("edited rule {what}: {}", parts.join(", ")))
}

/// Clones a standard rule into a custom rule (lowest free precedence in 0-99 unless given)
/// and disables the original: the supported way to change a standard rule.
pub fn clone_standard_rule(
    config: &mut Configuration,
    at: RuleLocation,
    new_name: Option<String>,
    new_id: String,
    precedence: Option<i32>,
) -> EditResult {
    let what = describe(config, at);
    let original = config.rule(at).cloned().ok_or_else(|| {
        EditError::not_found("the rule", "list the rules with `syncpolicy rule list`")
    })?;
    if at.set != RuleSet::Standard {
        return Err(EditError::refused(
            format!("rule {what} is already a custom rule"),
            "edit it directly with `syncpolicy rule edit`",
        ));
    }
    let mut copy = original.clone();
    copy.name = Some(new_name.unwrap_or_else(|| format!("Custom - {}", original.name())));
    copy.unique_identifier = Some(new_id.clone());
    copy.internal_identifier = new_id;
    copy.immutable_tag = None;
    copy.disabled = false;
    copy.extension = Default::default();
    if let Some(p) = precedence {
        copy.precedence = p;
    }
    let summary = add_custom_rule(config, at.directory, copy, precedence.is_some(), None)?;
    if let Some(r) = rule_mut(config, at) {
        r.disabled = true;
    }
    Ok(format!(
        "{summary}; cloned from standard rule {what}, which is now disabled"
    ))
}

/// Deletes a custom rule. Standard rules are refused: disable them instead.
pub fn delete_custom_rule(config: &mut Configuration, at: RuleLocation) -> EditResult {
    let what = describe(config, at);
    if at.set == RuleSet::Standard {
        return Err(EditError::refused(
            format!("rule {what} is a standard rule and cannot be deleted (the product recreates it at upgrade)"),
            "disable it with `syncpolicy rule disable`",
        ));
    }
    let Some((_, custom)) = lists_mut(config, at.directory) else {
        return Err(EditError::not_found(
            "the directory",
            "list the directories with `syncpolicy directory list`",
        ));
    };
    if at.index >= custom.len() {
        return Err(EditError::not_found(
            "the rule",
            "list the rules with `syncpolicy rule list`",
        ));
    }
    custom.remove(at.index);
    Ok(format!("deleted custom rule {what}"))
}

fn bad(what: &str, text: &str, hint: &str) -> EditError {
    EditError::invalid(format!("{what} {text:?} cannot be read"), hint.to_owned())
}

/// Parses one scope group: clauses `ATTRIBUTE OPERATOR [VALUE]` separated by `;`, e.g.
/// `department EQUAL Sales; l STARTSWITH Sea`.
pub fn parse_scope_group(text: &str) -> Result<Vec<ScopeCondition>, EditError> {
    let hint = "write clauses as ATTRIBUTE OPERATOR VALUE separated by ';', e.g. \"department EQUAL Sales; mail ISNOTNULL\"";
    let mut out = Vec::new();
    for clause in text.split(';').map(str::trim).filter(|c| !c.is_empty()) {
        let mut parts = clause.splitn(3, char::is_whitespace);
        let attr = parts.next().unwrap_or("");
        let op_text = parts
            .next()
            .ok_or_else(|| bad("scope clause", clause, hint))?;
        let op = ScopeOperator::parse(op_text);
        if op.is_unknown() {
            return Err(EditError::invalid(
                format!("{op_text:?} is not a scope operator"),
                format!("use one of {}", ScopeOperator::known_spellings().join(", ")),
            ));
        }
        let value = parts.next().unwrap_or("").trim().to_owned();
        if value.is_empty() && !op.is_unary() {
            return Err(bad("scope clause", clause, &format!("{op} needs a value")));
        }
        out.push(ScopeCondition {
            attribute: Some(attr.to_owned()),
            operator: Some(op),
            value,
            ..ScopeCondition::default()
        });
    }
    if out.is_empty() {
        return Err(bad("scope group", text, hint));
    }
    Ok(out)
}

/// Parses one join group: conditions `CS_ATTRIBUTE=MV_ATTRIBUTE` separated by `,`; a trailing
/// `!` makes a condition case-sensitive, e.g. `objectSid=objectSid, mail=mail!`.
pub fn parse_join_group(text: &str) -> Result<Vec<JoinCondition>, EditError> {
    let hint = "write conditions as CS_ATTRIBUTE=MV_ATTRIBUTE separated by ',', with a trailing ! for case-sensitive";
    let mut out = Vec::new();
    for cond in text.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let (cs, mv) = cond
            .split_once('=')
            .ok_or_else(|| bad("join condition", cond, hint))?;
        let (mv, case_sensitive) = match mv.trim().strip_suffix('!') {
            Some(m) => (m.trim(), true),
            None => (mv.trim(), false),
        };
        if cs.trim().is_empty() || mv.is_empty() {
            return Err(bad("join condition", cond, hint));
        }
        out.push(JoinCondition {
            source: Some(cs.trim().to_owned()),
            destination: Some(mv.to_owned()),
            case_sensitive,
            ..JoinCondition::default()
        });
    }
    if out.is_empty() {
        return Err(bad("join group", text, hint));
    }
    Ok(out)
}

/// Parses a mapping: `DEST<-SOURCE` (direct), `DEST=CONSTANT` (constant) or
/// `DEST:=EXPRESSION` (expression; sources are the `[attributes]` it names).
pub fn parse_mapping(
    text: &str,
    merge: Option<MergeType>,
    execute_once: bool,
) -> Result<AttributeMapping, EditError> {
    let hint =
        "write DEST<-SOURCE (direct), DEST:=EXPRESSION (expression) or DEST=VALUE (constant)";
    let mut m = AttributeMapping {
        merge_type: merge.unwrap_or_default(),
        execute_once,
        ..AttributeMapping::default()
    };
    if let Some((dest, expr)) = text.split_once(":=") {
        m.flow_type = Some(FlowType::Expression);
        m.destination = Some(dest.trim().to_owned());
        m.expression = expr.trim().to_owned();
        m.source = attributes_named(&m.expression).join(",");
    } else if let Some((dest, src)) = text.split_once("<-") {
        m.flow_type = Some(FlowType::Direct);
        m.destination = Some(dest.trim().to_owned());
        m.source = src.trim().to_owned();
    } else if let Some((dest, value)) = text.split_once('=') {
        m.flow_type = Some(FlowType::Constant);
        m.destination = Some(dest.trim().to_owned());
        m.value = value.trim().to_owned();
    } else {
        return Err(bad("mapping", text, hint));
    }
    if m.destination.as_deref().is_none_or(str::is_empty) {
        return Err(bad("mapping", text, hint));
    }
    Ok(m)
}

/// The `[attribute]` names an expression refers to, in order, without repeats.
pub fn attributes_named(expression: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_string = false;
    for (i, c) in expression.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '[' if !in_string => {
                if let Some(end) = expression[i + 1..].find(']') {
                    let name = expression[i + 1..i + 1 + end].trim().to_owned();
                    if !name.is_empty() && !out.contains(&name) {
                        out.push(name);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Accepts the validation findings of `code` about the rule at `at`, with a reason (and who
/// and when), in the extension part's accepted findings; an entry for the same code and rule
/// is replaced. The code is given as the caller checked it (a validation code).
pub fn accept_finding(
    config: &mut Configuration,
    at: RuleLocation,
    code: &str,
    reason: &str,
    by: Option<String>,
    when: Option<String>,
) -> EditResult {
    let what = describe(config, at);
    let name = rule_mut(config, at)
        .ok_or_else(|| {
            EditError::not_found("the rule", "list the rules with `syncpolicy rule list`")
        })?
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| {
            EditError::refused(
                "the rule has no name, and accepted findings name their rule",
                "give the rule a name first (`syncpolicy rule edit ... --name NAME`)",
            )
        })?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(EditError::invalid(
            "the reason is empty",
            "say why the finding is accepted: --reason TEXT",
        ));
    }
    let code = code.trim().to_ascii_uppercase();
    let list = &mut config.extension.accepted_findings;
    list.retain(|a| {
        !(a.code.eq_ignore_ascii_case(&code)
            && a.rule
                .as_deref()
                .is_some_and(|r| r.trim().eq_ignore_ascii_case(name.trim())))
    });
    list.push(syncpolicy_model::extension::AcceptedFinding {
        code: code.clone(),
        rule: Some(name),
        reason: reason.to_owned(),
        accepted_by: by,
        accepted_at: when,
        ..Default::default()
    });
    Ok(format!("accepted {code} findings of rule {what}"))
}
