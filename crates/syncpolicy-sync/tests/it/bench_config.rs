//! The benchmark's configuration (issue 17): the express rules plus 20 custom inbound rules.
//! Shared by `benches/simulate.rs` and the golden-result test, so that the golden results
//! cover the rules the benchmark measures.

use syncpolicy_model::config::Configuration;
use syncpolicy_model::enums::{Direction, FlowType, LinkType, ScopeOperator};
use syncpolicy_model::rule::{AttributeMapping, ScopeCondition, SyncRule};

const DEPARTMENTS: &[&str] = &[
    "Sales",
    "Marketing",
    "Finance",
    "IT",
    "HR",
    "Engineering",
    "Legal",
];

/// The express configuration plus 20 custom inbound rules (precedence 1-20) of the kinds
/// administrators write: attribute overrides scoped by department, an extension attribute
/// from an expression, and a negative filter.
pub(crate) fn configuration() -> Configuration {
    let mut c = syncpolicy_samples::samples::express_single_forest();
    for i in 0..20 {
        let dept = DEPARTMENTS[i % DEPARTMENTS.len()];
        let mut r = SyncRule {
            name: Some(format!("Custom {i:02} {dept}")),
            internal_identifier: format!("c0000000-0000-4000-8000-0000000000{i:02}"),
            unique_identifier: Some(format!("c0000000-0000-4000-8000-0000000000{i:02}")),
            source_object_type: Some("user".into()),
            target_object_type: Some("person".into()),
            link_type: Some(LinkType::Join),
            direction: Some(Direction::Inbound),
            precedence: 1 + i as i32,
            ..SyncRule::default()
        };
        r.scope_groups = vec![vec![ScopeCondition {
            attribute: Some("department".into()),
            operator: Some(ScopeOperator::Equal),
            value: dept.into(),
            ..ScopeCondition::default()
        }]];
        let expression = match i % 4 {
            0 => "IIF(IsPresent([title]), Left(Trim([title]), 64), NULL)".to_owned(),
            1 => format!("\"{dept}-\" & [employeeID]"),
            2 => "IIF(IsNullOrEmpty([l]), IgnoreThisFlow, UCase([l]))".to_owned(),
            _ => "Replace([mail], \"@contoso.com\", \"@contoso.onmicrosoft.com\")".to_owned(),
        };
        r.mappings = vec![AttributeMapping {
            flow_type: Some(FlowType::Expression),
            destination: Some(format!("extensionAttribute{}", 1 + i % 15)),
            expression,
            ..AttributeMapping::default()
        }];
        if i == 19 {
            r.scope_groups[0][0].attribute = Some("employeeType".into());
            r.scope_groups[0][0].value = "Contractor".into();
            r.mappings.push(AttributeMapping {
                flow_type: Some(FlowType::Constant),
                destination: Some("cloudFiltered".into()),
                value: "True".into(),
                ..AttributeMapping::default()
            });
        }
        c.onpremises_directories[0].custom_rules.push(r);
    }
    c
}
