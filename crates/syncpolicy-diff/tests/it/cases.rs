//! One crafted pair per change kind: a rule disabled, a scope clause changed, an OU exclusion
//! added, a directory renamed (with `--map`, and proposed without), a custom rule moved in
//! precedence, standard rules renumbered with tag bumps (one product entry), identifiers
//! regenerated (no change), metadata (hidden by default), duplicate rule names.

use crate::support::{check, lines, regenerate_identifiers};
use syncpolicy_diff::{
    check_options, diff, Area, ChangeClass, ChangeKind, DiffOptions, Filter, PairingHow,
};
use syncpolicy_model::config::Configuration;
use syncpolicy_model::rule::SyncRule;
use syncpolicy_samples::samples::multi_forest_custom;

fn base() -> Configuration {
    multi_forest_custom()
}

fn custom_rule<'a>(c: &'a mut Configuration, dir: usize, name: &str) -> &'a mut SyncRule {
    c.onpremises_directories[dir]
        .custom_rules
        .iter_mut()
        .find(|r| r.name() == name)
        .expect("the sample has this rule")
}

#[test]
fn a_rule_disabled() {
    let old = base();
    let mut new = old.clone();
    custom_rule(&mut new, 0, "In from AD - User Cost Center").disabled = true;
    let d = diff(&old, &new, &DiffOptions::default());
    assert_eq!(d.changes.len(), 1);
    let c = &d.changes[0];
    assert_eq!(
        (c.kind, c.class, c.area),
        (
            ChangeKind::Modified,
            ChangeClass::Configuration,
            Area::Rules
        )
    );
    assert_eq!(
        c.json_path.as_deref(),
        Some("onpremisesDirectoryPolicy[0].customSynchronizationRules[1].disabled")
    );
    insta::assert_snapshot!(check(&old, &new, &DiffOptions::default()), @"~ modified configuration rules | contoso.com / rule 'In from AD - User Cost Center' (Inbound) / disabled | false -> true");
}

#[test]
fn a_scope_clause_changed() {
    let old = base();
    let mut new = old.clone();
    let r = custom_rule(&mut new, 0, "In from AD - User Cost Center");
    r.scope_groups[0][1].value = "Svc_".to_owned();
    // Reordering the clauses of the group is no change on top of it.
    r.scope_groups[0].reverse();
    let d = diff(&old, &new, &DiffOptions::default());
    assert_eq!(d.changes.len(), 1, "{}", lines(&d));
    assert_eq!(
        d.changes[0].field.as_deref(),
        Some("scope group 1 / clause 1")
    );
    insta::assert_snapshot!(check(&old, &new, &DiffOptions::default()), @r#"~ modified configuration rules | contoso.com / rule 'In from AD - User Cost Center' (Inbound) / scope group 1 / clause 1 | adminDescription NOTSTARTSWITH "User_" -> adminDescription NOTSTARTSWITH "Svc_""#);
}

#[test]
fn a_scope_group_added_and_a_join_removed() {
    let old = base();
    let mut new = old.clone();
    let r = custom_rule(&mut new, 0, "In from AD - Service Accounts Sticky");
    r.scope_groups
        .push(vec![syncpolicy_model::rule::ScopeCondition {
            attribute: Some("description".to_owned()),
            operator: Some(syncpolicy_model::enums::ScopeOperator::Contains),
            value: "service".to_owned(),
            ..Default::default()
        }]);
    r.join_groups.clear();
    insta::assert_snapshot!(check(&old, &new, &DiffOptions::default()), @r#"
    + added configuration rules | contoso.com / rule 'In from AD - Service Accounts Sticky' (Inbound) / scope group 2 | (none) -> description CONTAINS "service"
    - removed configuration rules | contoso.com / rule 'In from AD - Service Accounts Sticky' (Inbound) / join group 1 (old) | objectSid = objectSid -> (none)
    "#);
}

#[test]
fn an_ou_exclusion_added() {
    let old = base();
    let mut new = old.clone();
    let p = &mut new.onpremises_directories[0].partitions[0];
    p.exclusions
        .push("OU=Disabled Users,DC=contoso,DC=com".to_owned());
    // Same OUs in another order and case: no change.
    p.inclusions.reverse();
    for i in p.inclusions.iter_mut() {
        *i = i.to_uppercase();
    }
    let d = diff(&old, &new, &DiffOptions::default());
    assert_eq!(d.changes.len(), 1, "{}", lines(&d));
    assert_eq!(
        (d.changes[0].kind, d.changes[0].area),
        (ChangeKind::Added, Area::Partitions)
    );
    insta::assert_snapshot!(check(&old, &new, &DiffOptions::default()), @"+ added configuration partitions | contoso.com / partition DC=contoso,DC=com / OU exclusion | (none) -> OU=Disabled Users,DC=contoso,DC=com");
}

/// The new configuration's fabrikam.com forest is now called adatum.com, with new identifiers.
fn renamed_forest() -> (Configuration, Configuration) {
    let old = base();
    let mut new = old.clone();
    regenerate_identifiers(&mut new);
    let d = &mut new.onpremises_directories[1];
    d.name = "adatum.com".to_owned();
    d.forest = Some("adatum.com".to_owned());
    (old, new)
}

#[test]
fn a_directory_renamed_with_map() {
    let (old, new) = renamed_forest();
    let options = DiffOptions {
        directory_map: vec![("fabrikam.com".to_owned(), "adatum.com".to_owned())],
        ..DiffOptions::default()
    };
    assert!(check_options(&old, &new, &options).is_ok());
    let d = diff(&old, &new, &options);
    let how: Vec<(String, String, PairingHow)> = d
        .pairings
        .iter()
        .map(|p| (p.old.clone(), p.new.clone(), p.how))
        .collect();
    assert_eq!(
        how,
        vec![
            (
                "contoso.com".to_owned(),
                "contoso.com".to_owned(),
                PairingHow::NameAndForest
            ),
            (
                "fabrikam.com".to_owned(),
                "adatum.com".to_owned(),
                PairingHow::Mapped
            ),
        ]
    );
    insta::assert_snapshot!(check(&old, &new, &options), @r"
    ~ renamed configuration directories | adatum.com / name | fabrikam.com -> adatum.com
    ~ modified configuration directories | adatum.com / forest | fabrikam.com -> adatum.com
    ");
    // The run order is the same once fabrikam.com is read as adatum.com.
    assert!(d.changes.iter().all(|c| c.area == Area::Directories));
}

#[test]
fn a_directory_renamed_without_map_is_proposed() {
    let (old, new) = renamed_forest();
    let d = diff(&old, &new, &DiffOptions::default());
    assert_eq!(d.pairings[1].how, PairingHow::Proposed);
    assert_eq!(d.count_kind(ChangeKind::Renamed), 1);
}

#[test]
fn two_directories_renamed_need_a_map() {
    let (old, mut new) = renamed_forest();
    new.onpremises_directories[0].name = "contoso.net".to_owned();
    new.onpremises_directories[0].forest = Some("contoso.net".to_owned());
    let d = diff(&old, &new, &DiffOptions::default());
    assert!(d.pairings.is_empty());
    assert_eq!(d.count_kind(ChangeKind::Added), 2 + 5, "{}", lines(&d));
    assert_eq!(d.count_kind(ChangeKind::Removed), 2 + 5, "{}", lines(&d));
    let options = DiffOptions {
        directory_map: vec![
            ("FABRIKAM.COM".to_owned(), "adatum.com".to_owned()),
            (
                old.onpremises_directories[0].unique_identifier.clone(),
                "contoso.net".to_owned(),
            ),
        ],
        ..DiffOptions::default()
    };
    let d = diff(&old, &new, &options);
    assert_eq!(d.pairings.len(), 2);
    assert!(d.pairings.iter().all(|p| p.how == PairingHow::Mapped));
    assert_eq!(d.count_kind(ChangeKind::Renamed), 2, "{}", lines(&d));
    assert_eq!(d.count_kind(ChangeKind::Added), 0);
}

#[test]
fn a_map_naming_no_directory_is_an_error() {
    let old = base();
    let options = DiffOptions {
        directory_map: vec![("nowhere.com".to_owned(), "contoso.com".to_owned())],
        ..DiffOptions::default()
    };
    let err = check_options(&old, &old, &options).expect_err("nowhere.com is not a directory");
    insta::assert_snapshot!(err.to_string(), @r#"
    --map nowhere.com=contoso.com: the old configuration has no on-premises directory named "nowhere.com"
    hint: use a directory name or identifier of the old configuration: contoso.com, fabrikam.com
    "#);
    assert_eq!(
        diff(&old, &old, &options).unresolved_maps,
        vec!["nowhere.com=contoso.com"]
    );
}

#[test]
fn a_custom_rule_moved_in_precedence() {
    let old = base();
    let mut new = old.clone();
    custom_rule(&mut new, 0, "In from AD - User Legacy Title").precedence = 45;
    let d = diff(&old, &new, &DiffOptions::default());
    assert_eq!(d.count_kind(ChangeKind::Moved), 1);
    insta::assert_snapshot!(check(&old, &new, &DiffOptions::default()), @"~ moved configuration rules | contoso.com / rule 'In from AD - User Legacy Title' (Inbound) / precedence | 52 -> 45");
}

#[test]
fn standard_rules_renumbered_and_tags_bumped_are_one_product_entry() {
    let old = base();
    let mut new = old.clone();
    let mut bumped = 0;
    let bump = |r: &mut SyncRule, bumped: &mut usize| {
        r.precedence += 3;
        if let Some(tag) = r.standard_tag() {
            if r.name().contains("Join") {
                r.immutable_tag = Some(format!("{}.{:03}", tag.base, tag.version.unwrap_or(0) + 1));
                *bumped += 1;
            }
        }
    };
    for r in new.azure_directory.standard_rules.iter_mut() {
        bump(r, &mut bumped);
    }
    for d in new.onpremises_directories.iter_mut() {
        for r in d.standard_rules.iter_mut() {
            bump(r, &mut bumped);
        }
    }
    let d = diff(&old, &new, &DiffOptions::default());
    assert_eq!(d.changes.len(), 1, "{}", lines(&d));
    let c = &d.changes[0];
    assert_eq!(
        (c.class, c.area, c.standard_rule),
        (ChangeClass::Product, Area::Rules, true)
    );
    let total = old.azure_directory.standard_rules.len()
        + old
            .onpremises_directories
            .iter()
            .map(|d| d.standard_rules.len())
            .sum::<usize>();
    assert_eq!(c.details.len(), total + bumped);
    insta::assert_snapshot!(lines(&d), @"~ modified product rules | standard rules (91 renumbered, 27 tag versions bumped; product upgrade or connector change) | precedence 100-190; earlier tag versions -> precedence 103-193; newer tag versions");
    let hidden = d.filtered(&Filter {
        product: false,
        metadata: false,
    });
    assert!(hidden.is_empty());
    assert_eq!(hidden.hidden.product, 1);
}

#[test]
fn a_standard_rule_content_change_with_a_tag_bump_is_product() {
    let old = base();
    let mut new = old.clone();
    let r = &mut new.onpremises_directories[0].standard_rules[0];
    r.immutable_tag = Some("Microsoft.InfromADUserJoin.004".to_owned());
    r.scope_groups[0].pop();
    let d = diff(&old, &new, &DiffOptions::default());
    assert!(
        d.changes.iter().all(|c| c.class == ChangeClass::Product),
        "{}",
        lines(&d)
    );
    insta::assert_snapshot!(lines(&d), @r#"
    - removed product rules | contoso.com / rule 'In from AD - User Join' (Inbound) / scope group 1 / old clause 2 | adminDescription NOTSTARTSWITH "User_" -> (none)
    ~ modified product rules | standard rules (1 tag versions bumped; product upgrade or connector change) | earlier tag versions -> newer tag versions
    "#);
}

#[test]
fn identifiers_regenerated_are_no_change() {
    let old = base();
    let mut new = old.clone();
    regenerate_identifiers(&mut new);
    let d = diff(&old, &new, &DiffOptions::default());
    assert!(d.filtered(&Filter::all()).is_empty(), "{}", lines(&d));
    assert!(d.identifiers.is_empty(), "collected only with show_ids");
    let d = diff(
        &old,
        &new,
        &DiffOptions {
            show_ids: true,
            ..DiffOptions::default()
        },
    );
    assert!(d.is_empty());
    assert!(d
        .identifiers
        .iter()
        .any(|c| c.path == "contoso.com / identifier"));
    assert!(d
        .identifiers
        .iter()
        .any(|c| c.path == "contoso.com / rule 'In from AD - User Join' (Inbound) / identifier"));
}

#[test]
fn metadata_is_hidden_unless_all() {
    let old = base();
    let mut new = old.clone();
    new.policy_metadata.time_created = Some("2026-12-01 10:00:00Z".to_owned());
    new.deployment_metadata.host_name = Some("AADSYNC-STG.contoso.com".to_owned());
    let d = diff(&old, &new, &DiffOptions::default());
    assert_eq!(d.count_class(ChangeClass::Metadata), 2);
    let shown = d.filtered(&Filter::default());
    assert!(shown.is_empty());
    assert_eq!(shown.hidden.metadata, 2);
    insta::assert_snapshot!(check(&old, &new, &DiffOptions::default()), @r"
    ~ modified metadata metadata | policy metadata / time created | 2026-11-02 09:15:00Z -> 2026-12-01 10:00:00Z
    ~ modified metadata metadata | deployment metadata / host name | AADSYNC-PRI.contoso.com -> AADSYNC-STG.contoso.com
    ");
}

#[test]
fn duplicate_rule_names_pair_deterministically() {
    let mut old = base();
    let copy = {
        let r = custom_rule(&mut old, 0, "In from AD - User Contractors filter").clone();
        SyncRule {
            unique_identifier: Some("11111111-2222-4333-8444-555555555555".to_owned()),
            precedence: 55,
            description: "second copy".to_owned(),
            ..r
        }
    };
    old.onpremises_directories[0].custom_rules.push(copy);
    let mut new = old.clone();
    // The second copy is disabled; the copies swap places in the list.
    new.onpremises_directories[0]
        .custom_rules
        .last_mut()
        .expect("pushed")
        .disabled = true;
    let n = new.onpremises_directories[0].custom_rules.len();
    new.onpremises_directories[0].custom_rules.swap(0, n - 1);
    insta::assert_snapshot!(check(&old, &new, &DiffOptions::default()), @"~ modified configuration rules | contoso.com / rule 'In from AD - User Contractors filter' (Inbound) #1 / disabled | false -> true");
    // Without identifiers (another server) the copies pair in precedence order.
    let strip = |c: &mut Configuration| {
        for r in c.onpremises_directories[0].custom_rules.iter_mut() {
            r.unique_identifier = None;
        }
    };
    let (mut o2, mut n2) = (old.clone(), new.clone());
    strip(&mut o2);
    strip(&mut n2);
    let d = diff(&o2, &n2, &DiffOptions::default());
    assert_eq!(d.changes.len(), 1, "{}", lines(&d));
    assert_eq!(d.changes[0].field.as_deref(), Some("disabled"));
}

#[test]
fn mapping_expression_and_added_rule() {
    let old = base();
    let mut new = old.clone();
    new.azure_directory.custom_rules[0].mappings[0].expression =
        "IIF(IsNullOrEmpty([c]), \"DE\", UCase([c]))".to_owned();
    new.azure_directory.custom_rules[0].mappings.reverse();
    let mut added = new.azure_directory.custom_rules[0].clone();
    added.name = Some("Out to AAD - User Company".to_owned());
    added.precedence = 71;
    added.mappings[0].destination = Some("companyName".to_owned());
    new.azure_directory.custom_rules.push(added);
    insta::assert_snapshot!(check(&old, &new, &DiffOptions::default()), @r#"
    ~ modified configuration rules | Entra ID / rule 'Out to AAD - User Usage Location' (Outbound) / mapping 'usageLocation' / expression | IIF(IsNullOrEmpty([c]), "US", UCase([c])) -> IIF(IsNullOrEmpty([c]), "DE", UCase([c]))
    + added configuration rules | Entra ID / rule 'Out to AAD - User Company' (Outbound) | (none) -> name: Out to AAD - User Company | direction: Outbound | precedence: 71 | objects: person -> user | link type: Join | scope group 1: sourceObjectType EQUAL "User" | mapping: Expression: IIF(IsNullOrEmpty([c]), "DE", UCase([c])) -> companyName
    "#);
}
