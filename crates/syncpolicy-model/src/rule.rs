//! Synchronization rules: header fields, join and scope groups, attribute mappings, and the
//! fields Microsoft's settings file leaves out (owning connector, precedence before/after,
//! soft-delete expiry).

use crate::enums::{Direction, FlowType, LinkType, MergeType, ScopeOperator};
use crate::preserved::Preserved;
use crate::standard::StandardTag;

/// One synchronization rule, complete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncRule {
    pub name: Option<String>,
    pub unique_identifier: Option<String>,
    pub internal_identifier: String,
    pub description: String,
    /// Source object type (`user`, `person`, ...).
    pub source_object_type: Option<String>,
    /// Target object type.
    pub target_object_type: Option<String>,
    pub link_type: Option<LinkType>,
    /// `Microsoft.<Tag>.<NNN>` on standard rules; empty or absent on custom rules.
    pub immutable_tag: Option<String>,
    pub disabled: bool,
    pub direction: Option<Direction>,
    /// Lower number wins. Custom rules belong in 0-99, standard rules start at 100.
    pub precedence: i32,
    pub password_hash_sync_target: bool,
    /// Join groups, tried in order; the conditions of one group are AND-ed.
    pub join_groups: Vec<Vec<JoinCondition>>,
    /// Scoping filter: the groups are OR-ed, the clauses of one group AND-ed.
    pub scope_groups: Vec<Vec<ScopeCondition>>,
    pub mappings: Vec<AttributeMapping>,
    /// Fields kept only by syncpolicy (the settings file's extension part).
    pub extension: RuleExtension,
    pub preserved: Preserved,
}

/// What syncpolicy keeps about a rule beyond Microsoft's file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleExtension {
    /// Identifier of the connector the rule belongs to (normally the owning directory's).
    pub connector_id: Option<String>,
    /// `PrecedenceBefore`: identifier of a rule this one is placed in front of.
    pub precedence_before: Option<String>,
    /// `PrecedenceAfter`: identifier of a rule this one is placed behind.
    pub precedence_after: Option<String>,
    /// Soft-delete expiry interval as a TimeSpan text (`d.hh:mm:ss`), when set.
    pub soft_delete_expiry_interval: Option<String>,
}

impl RuleExtension {
    /// True when nothing beyond the owning connector is recorded.
    pub fn is_default(&self) -> bool {
        self.precedence_before.is_none()
            && self.precedence_after.is_none()
            && self.soft_delete_expiry_interval.is_none()
    }
}

/// One condition of a join group: connector-space attribute equals metaverse attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JoinCondition {
    /// Connector-space attribute.
    pub source: Option<String>,
    /// Metaverse attribute.
    pub destination: Option<String>,
    pub case_sensitive: bool,
    pub preserved: Preserved,
}

/// One clause of a scope group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ScopeCondition {
    pub attribute: Option<String>,
    pub operator: Option<ScopeOperator>,
    pub value: String,
    pub preserved: Preserved,
}

/// One attribute flow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeMapping {
    pub flow_type: Option<FlowType>,
    pub merge_type: MergeType,
    pub execute_once: bool,
    pub destination: Option<String>,
    /// Source attribute(s); several sources are written comma-separated.
    pub source: String,
    pub expression: String,
    /// The constant of a Constant flow.
    pub value: String,
    pub preserved: Preserved,
}

impl AttributeMapping {
    /// The source attributes, split on commas, trimmed, empty ones dropped.
    pub fn sources(&self) -> Vec<&str> {
        self.source
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}

impl SyncRule {
    /// The rule's name, or an empty string.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    /// The parsed standard tag when the immutable tag starts with `Microsoft.`.
    pub fn standard_tag(&self) -> Option<StandardTag> {
        self.immutable_tag.as_deref().and_then(StandardTag::parse)
    }

    /// True for an out-of-box rule (immutable tag `Microsoft.*`).
    pub fn is_standard(&self) -> bool {
        self.immutable_tag
            .as_deref()
            .is_some_and(crate::standard::is_standard_tag)
    }

    /// The direction's text, or an empty string.
    pub fn direction_str(&self) -> &str {
        self.direction.as_ref().map(Direction::as_str).unwrap_or("")
    }
}
