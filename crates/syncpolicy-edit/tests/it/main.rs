//! Tests of the configuration changes: each change on a sample, and each refusal.

use syncpolicy_edit::directory::{self, ContainerFilter};
use syncpolicy_edit::features::{self, DirectoryDnFeature, Switch};
use syncpolicy_edit::precedence::Placement;
use syncpolicy_edit::rules::{self, RuleEdit};
use syncpolicy_edit::select::{self, RuleSelector};
use syncpolicy_edit::EditError;
use syncpolicy_model::config::{Configuration, DirectoryRef, RuleSet};
use syncpolicy_model::enums::{Direction, LinkType};
use syncpolicy_model::rule::SyncRule;
use syncpolicy_model::signin::SignInMethod;

fn multi() -> Configuration {
    syncpolicy_samples::samples::multi_forest_custom()
}

fn sel(name: &str) -> RuleSelector {
    RuleSelector {
        rule: name.to_owned(),
        ..RuleSelector::default()
    }
}

fn refused(r: Result<String, EditError>) -> String {
    match r {
        Ok(s) => panic!("expected a refusal, got: {s}"),
        Err(e) => e.to_string(),
    }
}

/// An edit that asks for what is already so: it succeeds, says so, and changes nothing (the
/// store then reports the change as unchanged, exit 0).
fn no_op(
    c: &mut syncpolicy_model::config::Configuration,
    edit: impl FnOnce(&mut syncpolicy_model::config::Configuration) -> Result<String, EditError>,
) -> String {
    let before = c.clone();
    let said = edit(c).unwrap_or_else(|e| panic!("expected an unchanged success, got: {e}"));
    assert!(
        *c == before,
        "a no-op edit changed the configuration: {said}"
    );
    said
}

fn new_rule(name: &str) -> SyncRule {
    SyncRule {
        name: Some(name.to_owned()),
        unique_identifier: Some("11111111-2222-4333-8444-555555555555".to_owned()),
        direction: Some(Direction::Inbound),
        source_object_type: Some("user".to_owned()),
        target_object_type: Some("person".to_owned()),
        link_type: Some(LinkType::Join),
        mappings: vec![
            rules::parse_mapping("department:=Trim([department])", None, false).unwrap(),
        ],
        ..SyncRule::default()
    }
}

#[test]
fn add_and_remove_a_directory() {
    let mut c = multi();
    let s = directory::add_directory(
        &mut c,
        "tailspin.com",
        None,
        "TAILSPIN\\svc",
        "aaaaaaaa-0000-4000-8000-000000000001".into(),
        Default::default(),
        Vec::new(),
    )
    .unwrap();
    assert_eq!(
        s,
        "added directory tailspin.com (forest tailspin.com, account TAILSPIN\\svc)"
    );
    assert_eq!(
        c.onpremises_directories[2].partitions[0]
            .distinguished_name
            .as_deref(),
        Some("DC=tailspin,DC=com")
    );
    assert!(refused(directory::add_directory(
        &mut c,
        "tailspin.com",
        None,
        "x\\y",
        "id".into(),
        Default::default(),
        Vec::new()
    ))
    .contains("exists already"));
    assert!(refused(directory::add_directory(
        &mut c,
        "not a domain",
        None,
        "x\\y",
        "id".into(),
        Default::default(),
        Vec::new()
    ))
    .contains("not a fully qualified domain name"));
    let s = directory::remove_directory(&mut c, "fabrikam.com").unwrap();
    assert!(
        s.starts_with("removed directory fabrikam.com and its 30 rules"),
        "{s}"
    );
    assert!(refused(directory::remove_directory(&mut c, "nowhere.com"))
        .contains("the directories are: contoso.com, tailspin.com"));
}

#[test]
fn ou_filtering_allows_an_exclusion_under_an_included_parent() {
    let mut c = multi();
    let s = directory::filter_container(
        &mut c,
        "contoso.com",
        "OU=Contractors,OU=CORP,DC=contoso,DC=com",
        ContainerFilter::Exclude,
    )
    .unwrap();
    assert_eq!(
        s,
        "excluded OU=Contractors,OU=CORP,DC=contoso,DC=com from contoso.com (DC=contoso,DC=com)"
    );
    let p = &c.onpremises_directories[0].partitions[0];
    assert!(p
        .inclusions
        .iter()
        .any(|i| i == "OU=CORP,DC=contoso,DC=com"));
    assert!(p
        .exclusions
        .iter()
        .any(|i| i == "OU=Contractors,OU=CORP,DC=contoso,DC=com"));
    assert!(refused(directory::filter_container(
        &mut c,
        "contoso.com",
        "OU=Sales,,DC=contoso",
        ContainerFilter::Include
    ))
    .contains("not a valid distinguished name"));
    assert!(refused(directory::filter_container(
        &mut c,
        "contoso.com",
        "OU=Sales,DC=elsewhere,DC=org",
        ContainerFilter::Include
    ))
    .contains("a partition of contoso.com that contains"));
    directory::filter_container(
        &mut c,
        "contoso.com",
        "OU=Contractors,OU=CORP,DC=contoso,DC=com",
        ContainerFilter::Clear,
    )
    .unwrap();
    assert_eq!(
        c.onpremises_directories[0].partitions[0].exclusions.len(),
        2
    );
}

#[test]
fn partitions_select_and_deselect() {
    let mut c = multi();
    assert_eq!(
        directory::select_partition(&mut c, "fabrikam.com", "emea.fabrikam.com", true).unwrap(),
        "selected partition DC=emea,DC=fabrikam,DC=com of fabrikam.com"
    );
    assert!(no_op(&mut c, |c| directory::select_partition(
        c,
        "fabrikam.com",
        "DC=emea,DC=fabrikam,DC=com",
        true
    ))
    .contains("already selected"));
    assert!(refused(directory::select_partition(
        &mut c,
        "fabrikam.com",
        "DC=nope,DC=com",
        true
    ))
    .contains("the partitions are"));
}

#[test]
fn a_partition_is_added_by_dns_name_or_by_dn() {
    assert_eq!(
        directory::dn_to_fqdn("DC=emea, dc=Fabrikam,DC=com").as_deref(),
        Some("emea.Fabrikam.com")
    );
    assert_eq!(directory::dn_to_fqdn("OU=Sales,DC=contoso,DC=com"), None);
    assert_eq!(directory::dn_to_fqdn("contoso.com"), None);
    assert_eq!(directory::dn_to_fqdn(""), None);
    let mut by_dn = multi();
    let said = directory::add_partition(
        &mut by_dn,
        "fabrikam.com",
        "DC=apac,DC=fabrikam,DC=com",
        false,
    )
    .unwrap();
    let mut by_name = multi();
    assert_eq!(
        directory::add_partition(&mut by_name, "fabrikam.com", "apac.fabrikam.com", false).unwrap(),
        said
    );
    assert_eq!(by_dn, by_name);
    assert!(refused(directory::add_partition(
        &mut by_dn,
        "fabrikam.com",
        "dc=apac,dc=fabrikam,dc=com",
        false
    ))
    .contains("already has the partition"));
}

#[test]
fn object_types_attributes_run_profiles_and_scheduler() {
    let mut c = multi();
    directory::set_object_types(
        &mut c,
        "contoso.com",
        vec!["user".into(), "group".into(), "user".into()],
    )
    .unwrap();
    assert_eq!(
        c.onpremises_directories[0]
            .connector
            .object_types
            .as_deref(),
        Some(&["user".to_owned(), "group".to_owned()][..])
    );
    directory::set_attribute_inclusions(&mut c, "entra", vec!["displayName".into()]).unwrap();
    assert_eq!(
        c.azure_directory
            .connector
            .attribute_inclusions
            .as_ref()
            .map(Vec::len),
        Some(1)
    );
    assert!(refused(directory::set_object_types(
        &mut c,
        "contoso.com",
        vec!["bad type".into()]
    ))
    .contains("not a valid object type"));
    directory::add_run_profile(&mut c, "contoso.com", "Nightly").unwrap();
    directory::add_run_step(
        &mut c,
        "contoso.com",
        "Nightly",
        "delta-import",
        "DC=contoso,DC=com",
    )
    .unwrap();
    assert!(refused(directory::add_run_step(
        &mut c,
        "contoso.com",
        "Nightly",
        "teleport",
        "x"
    ))
    .contains("not a run step type"));
    directory::remove_run_step(&mut c, "contoso.com", "Nightly", 1).unwrap();
    directory::remove_run_profile(&mut c, "contoso.com", "Nightly").unwrap();
    assert_eq!(
        directory::set_scheduler(&mut c, Some("01:00:00"), Some(false)).unwrap(),
        "set sync interval 01:00:00, scheduler disabled"
    );
    assert!(
        refused(directory::set_scheduler(&mut c, Some("00:10:00"), None)).contains("shorter than")
    );
    assert!(
        refused(directory::set_scheduler(&mut c, Some("1 hour"), None))
            .contains("is not an interval")
    );
    assert_eq!(
        directory::set_staging(&mut c, true).unwrap(),
        "staging mode on"
    );
}

#[test]
fn sign_in_features_and_identity() {
    let mut c = multi();
    let s = features::set_sign_in(
        &mut c,
        Some(SignInMethod::FederationWithAdfs),
        None,
        Some(false),
    )
    .unwrap();
    assert_eq!(
        s,
        "sign-in set to federation with AD FS (password hash sync on, seamless SSO off)"
    );
    assert!(
        refused(features::set_sign_in(&mut c, None, None, Some(true)))
            .contains("does not apply to federated")
    );
    features::set_switch(&mut c, Switch::MailPublicFolders, true).unwrap();
    assert!(no_op(&mut c, |c| features::set_switch(
        c,
        Switch::PasswordWriteback,
        true
    ))
    .contains("already on"));
    let s = features::set_directory_dn(
        &mut c,
        DirectoryDnFeature::DeviceWriteback,
        "fabrikam.com",
        Some("CN=RegisteredDevices,DC=fabrikam,DC=com"),
    )
    .unwrap();
    assert_eq!(
        s,
        "device writeback on for fabrikam.com (CN=RegisteredDevices,DC=fabrikam,DC=com)"
    );
    features::add_directory_extension(&mut c, "division", Some("user"), "String", false).unwrap();
    assert!(no_op(&mut c, |c| features::add_directory_extension(
        c,
        "division",
        Some("user"),
        "String",
        false
    ))
    .contains("already synchronized"));
    assert!(refused(features::add_directory_extension(
        &mut c, "x", None, "Text", false
    ))
    .contains("not a data type"));
    features::remove_directory_extension(&mut c, "division", Some("user")).unwrap();
    features::set_deletion_threshold(&mut c, Some(1000)).unwrap();
    assert_eq!(c.azure_directory.export_deletion_limit, "1000");
    features::set_identity(&mut c, Some("objectGUID"), None, None, None).unwrap();
    assert_eq!(
        c.identity_mapping.source_anchor_attribute.as_deref(),
        Some("objectGUID")
    );
}

#[test]
fn new_custom_rules_take_the_lowest_free_precedence() {
    let mut c = multi();
    let s = rules::add_custom_rule(
        &mut c,
        DirectoryRef::OnPremises(0),
        new_rule("In from AD - User Department"),
        false,
        None,
    )
    .unwrap();
    assert_eq!(
        s,
        "added custom rule \"In from AD - User Department\" to contoso.com at precedence 0"
    );
    let mut taken = new_rule("Another");
    taken.precedence = 50;
    let msg = refused(rules::add_custom_rule(
        &mut c,
        DirectoryRef::OnPremises(0),
        taken,
        true,
        None,
    ));
    assert!(msg.contains("precedence 50 is taken by custom rule \"In from AD - User Contractors filter\" in contoso.com"), "{msg}");
    assert!(refused(rules::add_custom_rule(
        &mut c,
        DirectoryRef::OnPremises(0),
        new_rule("In from AD - User Department"),
        false,
        None
    ))
    .contains("already has an Inbound rule"));
}

#[test]
fn placement_renumbers_as_few_rules_as_needed() {
    let mut c = multi();
    // Custom rules sit at 50, 51, 52, 53 (contoso), 60 (fabrikam), 70 (Entra).
    let anchor = select::rule(&c, &sel("In from AD - User Cost Center")).unwrap();
    let s = rules::add_custom_rule(
        &mut c,
        DirectoryRef::OnPremises(1),
        new_rule("Squeezed"),
        false,
        Some(Placement::Before(anchor)),
    )
    .unwrap();
    assert!(
        s.contains("at precedence 51 (renumbered 3 other custom rules)"),
        "{s}"
    );
    let p = |c: &Configuration, n: &str| {
        c.rule(select::rule(c, &sel(n)).unwrap())
            .unwrap()
            .precedence
    };
    assert_eq!(p(&c, "In from AD - User Contractors filter"), 50);
    assert_eq!(p(&c, "In from AD - User Cost Center"), 52);
    assert_eq!(p(&c, "In from AD - Service Accounts Sticky"), 54);
    assert_eq!(p(&c, "In from AD - User Fabrikam Department"), 60);
    // Moving a rule behind the last one uses the gap after it.
    let last = select::rule(&c, &sel("Out to AAD - User Usage Location")).unwrap();
    let moving = select::rule(&c, &sel("Squeezed")).unwrap();
    rules::edit_rule(
        &mut c,
        moving,
        RuleEdit {
            placement: Some(Placement::After(last)),
            ..RuleEdit::default()
        },
        false,
    )
    .unwrap();
    assert_eq!(p(&c, "Squeezed"), 71);
}

#[test]
fn standard_rules_are_cloned_not_edited() {
    let mut c = multi();
    let at = select::rule(
        &c,
        &RuleSelector {
            rule: "In from AD - User Common".into(),
            directory: Some("contoso.com".into()),
            direction: None,
        },
    )
    .unwrap();
    let msg = refused(rules::edit_rule(
        &mut c,
        at,
        RuleEdit {
            description: Some("x".into()),
            ..RuleEdit::default()
        },
        false,
    ));
    assert!(
        msg.contains("standard rules can only be enabled or disabled"),
        "{msg}"
    );
    rules::edit_rule(
        &mut c,
        at,
        RuleEdit {
            description: Some("forced".into()),
            ..RuleEdit::default()
        },
        true,
    )
    .unwrap();
    let s = rules::clone_standard_rule(
        &mut c,
        at,
        None,
        "99999999-0000-4000-8000-000000000009".into(),
        None,
    )
    .unwrap();
    assert!(s.starts_with("added custom rule \"Custom - In from AD - User Common\" to contoso.com at precedence 0"), "{s}");
    assert!(c.rule(at).unwrap().disabled);
    let clone = select::rule(&c, &sel("Custom - In from AD - User Common")).unwrap();
    assert_eq!(clone.set, RuleSet::Custom);
    assert!(c.rule(clone).unwrap().immutable_tag.is_none());
    assert!(refused(rules::delete_custom_rule(&mut c, at)).contains("cannot be deleted"));
    rules::delete_custom_rule(&mut c, clone).unwrap();
    assert!(select::rule(&c, &sel("Custom - In from AD - User Common")).is_err());
}

#[test]
fn ambiguous_rule_names_ask_for_the_directory() {
    let c = multi();
    let msg = select::rule(&c, &sel("In from AD - User Join"))
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("names 2 rules: contoso.com (Inbound), fabrikam.com (Inbound)"),
        "{msg}"
    );
}

#[test]
fn compact_forms_parse() {
    let g = rules::parse_scope_group("department EQUAL Sales; mail ISNOTNULL").unwrap();
    assert_eq!(g.len(), 2);
    assert!(rules::parse_scope_group("department RESEMBLES x")
        .unwrap_err()
        .to_string()
        .contains("not a scope operator"));
    assert!(rules::parse_scope_group("department EQUAL")
        .unwrap_err()
        .to_string()
        .contains("needs a value"));
    let j = rules::parse_join_group("objectSid=objectSid, mail=mail!").unwrap();
    assert!(j[1].case_sensitive && !j[0].case_sensitive);
    let m = rules::parse_mapping(
        "displayName:=IIF(IsNullOrEmpty([displayName]),[cn],[displayName])",
        None,
        false,
    )
    .unwrap();
    assert_eq!(m.source, "displayName,cn");
    assert_eq!(
        rules::parse_mapping("title<-jobTitle", None, false)
            .unwrap()
            .source,
        "jobTitle"
    );
    assert_eq!(
        rules::parse_mapping("cloudFiltered=True", None, false)
            .unwrap()
            .value,
        "True"
    );
    assert!(rules::parse_mapping("nonsense", None, false).is_err());
}

#[test]
fn directory_extensions_are_named_bare_or_as_show_prints_them_and_stored_once() {
    let mut c = multi();
    let before = c.azure_directory.directory_extensions.len();
    let s = features::add_directory_extension(&mut c, "user.department2", None, "String", false)
        .unwrap();
    assert_eq!(s, "added directory extension user.department2 (String)");
    let added = c.azure_directory.directory_extensions.last().unwrap();
    assert_eq!(added.attribute.as_deref(), Some("department2"));
    assert_eq!(added.object_class.as_deref(), Some("user"));
    // The same extension again, in either form, is already so: it is stored once.
    for (name, class) in [("department2", None), ("user.department2", Some("user"))] {
        assert!(no_op(&mut c, |c| features::add_directory_extension(
            c, name, class, "String", false
        ))
        .contains("already synchronized"));
    }
    assert_eq!(c.azure_directory.directory_extensions.len(), before + 1);
    // Removal accepts the printed form and the bare name.
    features::remove_directory_extension(&mut c, "user.department2", None).unwrap();
    features::add_directory_extension(&mut c, "department2", None, "String", false).unwrap();
    features::remove_directory_extension(&mut c, "department2", None).unwrap();
    assert_eq!(c.azure_directory.directory_extensions.len(), before);
    // A name whose class contradicts --object-class, an object class or data type the wizard
    // does not offer, and a malformed attribute are refused.
    assert!(refused(features::add_directory_extension(
        &mut c,
        "group.x",
        Some("user"),
        "String",
        false
    ))
    .contains("--object-class says"));
    assert!(refused(features::add_directory_extension(
        &mut c,
        "contact.x",
        None,
        "String",
        false
    ))
    .contains("not an object class"));
    assert!(refused(features::add_directory_extension(
        &mut c, "x", None, "Integer", true
    ))
    .contains("multi-valued"));
    assert!(refused(features::add_directory_extension(
        &mut c,
        "bad attr!!",
        None,
        "String",
        false
    ))
    .contains("not a valid attribute name"));
}

#[test]
fn identity_values_are_checked_against_what_the_product_allows() {
    let mut c = multi();
    let before = c.clone();
    let msg = refused(features::set_identity(
        &mut c,
        None,
        None,
        Some("Bogus"),
        None,
    ));
    assert!(
        msg.contains("\"Bogus\" is not a user-matching option"),
        "{msg}"
    );
    assert!(msg.contains("MailAttribute"), "{msg}");
    let msg = refused(features::set_identity(
        &mut c,
        Some("bad attr!!"),
        None,
        None,
        None,
    ));
    assert!(msg.contains("not a valid source anchor attribute"), "{msg}");
    assert!(refused(features::set_identity(
        &mut c,
        None,
        Some("mail;x"),
        None,
        None
    ))
    .contains("user principal name attribute"));
    assert!(refused(features::set_identity(
        &mut c,
        None,
        None,
        Some("SpecificAttribute"),
        None
    ))
    .contains("needs the attribute"));
    assert_eq!(c, before, "a refused change changes nothing");
    // Known values, in any case, are stored in the product's spelling.
    features::set_identity(
        &mut c,
        Some("mS-DS-ConsistencyGuid"),
        None,
        Some("mailattribute"),
        None,
    )
    .unwrap();
    assert_eq!(
        c.identity_mapping.user_matching_policy.as_deref(),
        Some("MailAttribute")
    );
    features::set_identity(
        &mut c,
        None,
        None,
        Some("SpecificAttribute"),
        Some("employeeID"),
    )
    .unwrap();
}

#[test]
fn app_filter_takes_only_the_wizards_applications() {
    let mut c = multi();
    let before = c.clone();
    let msg = refused(features::set_app_filter(
        &mut c,
        Some(vec!["Exchange Online".to_owned(), "Bogus App".to_owned()]),
        None,
    ));
    assert!(msg.contains("\"Bogus App\" is not an application"), "{msg}");
    assert!(refused(features::set_app_filter(
        &mut c,
        None,
        Some(vec!["bad attr!!".to_owned()])
    ))
    .contains("not a valid attribute name"));
    assert_eq!(c, before);
    features::set_app_filter(
        &mut c,
        Some(vec!["exchangeonline".to_owned(), "Intune".to_owned()]),
        None,
    )
    .unwrap();
    assert_eq!(
        c.azure_directory
            .exported_attributes
            .application_restrictions,
        vec!["Exchange Online".to_owned(), "Intune".to_owned()]
    );
}

#[test]
fn a_custom_rule_may_not_take_a_standard_rules_precedence_in_its_direction() {
    let mut c = multi();
    let at = select::rule(&c, &sel("In from AD - User Cost Center")).unwrap();
    // A standard inbound rule holds 102.
    let holder = c
        .rules()
        .find(|(loc, r)| {
            loc.set == RuleSet::Standard
                && r.precedence == 102
                && r.direction == Some(Direction::Inbound)
        })
        .map(|(_, r)| r.name().to_owned())
        .expect("a standard inbound rule at 102");
    let before = c.clone();
    let msg = refused(rules::edit_rule(
        &mut c,
        at,
        RuleEdit {
            precedence: Some(102),
            ..RuleEdit::default()
        },
        false,
    ));
    assert!(
        msg.contains(&format!(
            "precedence 102 is taken by inbound standard rule {holder:?}"
        )),
        "{msg}"
    );
    assert_eq!(c, before);
    // A new rule given that precedence is refused the same way.
    let mut taken = new_rule("In from AD - User Clash");
    taken.precedence = 102;
    assert!(refused(rules::add_custom_rule(
        &mut c,
        DirectoryRef::OnPremises(0),
        taken,
        true,
        None
    ))
    .contains("precedence 102 is taken by inbound standard rule"));
}

/// The out-of-box rules of a forest from the catalogue, in catalogue order.
fn forest_rules() -> Vec<SyncRule> {
    use syncpolicy_samples::catalogue::{build_standard_rule, RuleHome, STANDARD_RULES};
    STANDARD_RULES
        .iter()
        .filter(|h| h.home == RuleHome::ActiveDirectory)
        .enumerate()
        .map(|(i, h)| {
            build_standard_rule(h, h.precedence, format!("bbbbbbbb-0000-4000-8000-{i:012}"))
        })
        .collect()
}

#[test]
fn an_added_forest_gets_the_standard_rules_numbered_as_the_wizard_does() {
    let mut c = multi();
    let order_before: Vec<(String, String)> = {
        let mut v: Vec<_> = c
            .rules()
            .filter(|(_, r)| r.is_standard())
            .map(|(at, r)| {
                (
                    r.precedence,
                    c.directory_name(at.directory),
                    r.name().to_owned(),
                )
            })
            .collect();
        v.sort();
        v.into_iter().map(|(_, d, n)| (d, n)).collect()
    };
    let rules = forest_rules();
    let n = rules.len();
    let s = directory::add_directory(
        &mut c,
        "tailspin.com",
        None,
        "TAILSPIN\\svc",
        "aaaaaaaa-0000-4000-8000-000000000001".into(),
        Default::default(),
        rules,
    )
    .unwrap();
    assert!(
        s.starts_with(&format!(
            "added directory tailspin.com (forest tailspin.com, account TAILSPIN\\svc) with {n} standard rules; renumbered "
        )),
        "{s}"
    );
    assert_eq!(c.onpremises_directories[2].standard_rules.len(), n);
    // Each group holds the rule of every forest in the order they were added, the new one last.
    let join = |dir: usize| {
        c.onpremises_directories[dir]
            .standard_rules
            .iter()
            .find(|r| r.name() == "In from AD - User Join")
            .map(|r| r.precedence)
    };
    assert_eq!(
        (join(0), join(1), join(2)),
        (Some(100), Some(101), Some(102))
    );
    // No two rules share a precedence, and the existing rules keep their order.
    assert!(syncpolicy_model::values::precedence_clashes(&c).is_empty());
    let mut after: Vec<_> = c
        .rules()
        .filter(|(at, r)| r.is_standard() && at.directory != DirectoryRef::OnPremises(2))
        .map(|(at, r)| {
            (
                r.precedence,
                c.directory_name(at.directory),
                r.name().to_owned(),
            )
        })
        .collect();
    after.sort();
    let order_after: Vec<(String, String)> = after.into_iter().map(|(_, d, n)| (d, n)).collect();
    assert_eq!(order_after, order_before);
    // Custom rules keep their numbers.
    assert!(c
        .rules()
        .filter(|(at, _)| at.set == RuleSet::Custom)
        .all(|(_, r)| r.precedence < 100));
}

#[test]
fn a_rule_names_object_types_as_the_schema_allows() {
    let mut c = multi();
    let mut bad = new_rule("In from AD - User Odd");
    bad.source_object_type = Some("us er!".to_owned());
    let msg = refused(rules::add_custom_rule(
        &mut c,
        DirectoryRef::OnPremises(0),
        bad,
        false,
        None,
    ));
    assert!(
        msg.contains("\"us er!\" is not a valid source object type"),
        "{msg}"
    );
    let mut any = new_rule("In from AD - Any");
    any.target_object_type = Some("*".to_owned());
    rules::add_custom_rule(&mut c, DirectoryRef::OnPremises(0), any, false, None).unwrap();
}

#[test]
fn misspelt_names_suggest_the_nearest_and_prefixes_list_their_matches() {
    let c = multi();
    fn err<T: std::fmt::Debug>(r: Result<T, EditError>) -> String {
        r.unwrap_err().to_string()
    }
    let msg = err(select::rule(&c, &sel("In from AD - User Jion")));
    assert!(
        msg.starts_with("rule \"In from AD - User Jion\" not found\nhint: did you mean \"In from AD - User Join\"?\n"),
        "{msg}"
    );
    let msg = err(select::rule(&c, &sel("Out to AAD - User")));
    assert!(
        msg.contains("hint: \"Out to AAD - User\" is the start of ")
            && msg.contains("\"Out to AAD - User Join\""),
        "{msg}"
    );
    // The start of a rule identifier names the rule, as git names what a short hash means.
    let (_, r) = c.rules().next().unwrap();
    let id = r.unique_identifier.clone().unwrap();
    let msg = err(select::rule(&c, &sel(&id[..12])));
    assert!(
        msg.contains(&format!("hint: did you mean rule {id} (")),
        "{msg}"
    );
    let msg = err(select::directory(&c, "fabrikam.cmo"));
    assert!(
        msg.contains("hint: did you mean \"fabrikam.com\"?"),
        "{msg}"
    );
    let msg = err(select::partition(&c, 0, "DC=contso,DC=com"));
    assert!(
        msg.contains("hint: did you mean \"DC=contoso,DC=com\"?"),
        "{msg}"
    );
    // Nothing near: the list as before, no guess.
    let msg = err(select::directory(&c, "zzzz"));
    assert!(!msg.contains("did you mean"), "{msg}");
}
