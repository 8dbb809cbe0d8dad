//! Property: writing rules and reading them back gives the same rules, for generated rule sets
//! whose names, descriptions and expressions hold quotes (also typographic ones), backticks,
//! dollar signs and line ends.

use proptest::prelude::*;
use syncpolicy_model::enums::{Direction, FlowType, LinkType, MergeType, ScopeOperator};
use syncpolicy_model::rule::{AttributeMapping, JoinCondition, ScopeCondition, SyncRule};
use syncpolicy_powershell::{read_rules_str, write_rules, LineEnding, ENTRA_CONNECTOR_ID};

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("'".to_owned()),
            Just("''".to_owned()),
            Just("\u{2019}".to_owned()),
            Just("`".to_owned()),
            Just("$x".to_owned()),
            Just("\n".to_owned()),
            Just("\"".to_owned()),
            Just("#".to_owned()),
            Just(" - ".to_owned()),
            "[a-zA-Z0-9 ,().]{0,8}",
            "\\PC{0,3}",
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

fn attr() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9-]{0,12}"
}

fn guid() -> impl Strategy<Value = String> {
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
}

fn mapping() -> impl Strategy<Value = AttributeMapping> {
    (
        0..3usize,
        attr(),
        proptest::collection::vec(attr(), 0..3),
        text(),
        0..4usize,
        any::<bool>(),
    )
        .prop_map(|(flow, dest, sources, body, merge, once)| {
            let merge_type = MergeType::KNOWN[merge].clone();
            let mut m = AttributeMapping {
                destination: Some(dest),
                merge_type,
                execute_once: once,
                ..AttributeMapping::default()
            };
            match flow {
                0 => {
                    m.flow_type = Some(FlowType::Direct);
                    m.source = if sources.is_empty() {
                        "cn".to_owned()
                    } else {
                        sources.join(",")
                    };
                }
                1 => {
                    m.flow_type = Some(FlowType::Constant);
                    m.value = body;
                }
                _ => {
                    m.flow_type = Some(FlowType::Expression);
                    m.source = sources.join(",");
                    m.expression = body;
                }
            }
            m
        })
}

fn rule() -> impl Strategy<Value = (SyncRule, String)> {
    (
        (text(), guid(), text(), any::<bool>(), -5..200i32, 0..4usize),
        (
            attr(),
            attr(),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(guid()),
        ),
        proptest::collection::vec(mapping(), 0..4),
        proptest::collection::vec(
            proptest::collection::vec((attr(), text(), 0..20usize), 1..3),
            0..3,
        ),
        proptest::collection::vec(
            proptest::collection::vec((attr(), attr(), any::<bool>()), 1..3),
            0..3,
        ),
        (
            prop_oneof![Just(ENTRA_CONNECTOR_ID.to_owned()), guid()],
            proptest::option::of(text()),
            proptest::option::of("[0-9]{1,3}"),
        ),
    )
        .prop_map(
            |(
                (name, id, description, inbound, precedence, link),
                (src, dst, disabled, phs, after),
                mappings,
                scopes,
                joins,
                (connector, tag, soft),
            )| {
                let rule = SyncRule {
                    name: Some(name),
                    unique_identifier: Some(id.clone()),
                    internal_identifier: id,
                    description,
                    direction: Some(if inbound {
                        Direction::Inbound
                    } else {
                        Direction::Outbound
                    }),
                    precedence,
                    link_type: Some(LinkType::KNOWN[link].clone()),
                    source_object_type: Some(src),
                    target_object_type: Some(dst),
                    disabled,
                    password_hash_sync_target: phs,
                    immutable_tag: tag.filter(|t| !t.is_empty()),
                    mappings,
                    scope_groups: scopes
                        .into_iter()
                        .map(|g| {
                            g.into_iter()
                                .map(|(a, v, op)| ScopeCondition {
                                    attribute: Some(a),
                                    operator: Some(ScopeOperator::KNOWN[op].clone()),
                                    value: v,
                                    ..ScopeCondition::default()
                                })
                                .collect()
                        })
                        .collect(),
                    join_groups: joins
                        .into_iter()
                        .map(|g| {
                            g.into_iter()
                                .map(|(s, d, cs)| JoinCondition {
                                    source: Some(s),
                                    destination: Some(d),
                                    case_sensitive: cs,
                                    ..JoinCondition::default()
                                })
                                .collect()
                        })
                        .collect(),
                    extension: syncpolicy_model::rule::RuleExtension {
                        connector_id: Some(connector.clone()),
                        precedence_after: after,
                        precedence_before: None,
                        soft_delete_expiry_interval: soft,
                    },
                    ..SyncRule::default()
                };
                (rule, connector)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn write_then_read_gives_the_same_rules(
        rules in proptest::collection::vec(rule(), 0..5),
        crlf in any::<bool>(),
    ) {
        // Identifiers must differ within one file.
        let mut rules = rules;
        rules.dedup_by(|a, b| a.0.unique_identifier == b.0.unique_identifier);
        let ending = if crlf { LineEnding::CrLf } else { LineEnding::Lf };
        let text = write_rules(rules.iter().map(|(r, c)| (r, c.as_str())), ending);
        let (read, read_ending) = read_rules_str(&text, "generated.ps1").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        if !rules.is_empty() {
            prop_assert_eq!(read_ending, ending);
        }
        let got: Vec<(SyncRule, String)> = read.into_iter().map(|r| (r.rule, r.connector)).collect();
        prop_assert_eq!(got, rules);
    }
}
