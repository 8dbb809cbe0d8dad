//! Plans for pairs of configurations that differ in one thing each: exactly the expected
//! steps in dependency order and the expected checklist items; a configuration against
//! itself has nothing to do. The scripts' rule blocks are read back with the reader (no
//! PowerShell runs here) and the rest is checked by snapshot.

use syncpolicy_model::config::{Configuration, DirectoryExtensionAttribute};
use syncpolicy_model::enums::{Direction, FlowType, LinkType};
use syncpolicy_model::rule::{AttributeMapping, SyncRule};
use syncpolicy_powershell::plan::{ChecklistItem, Step};
use syncpolicy_powershell::script::{script, RULE_BLOCK_END, RULE_BLOCK_START};
use syncpolicy_powershell::{plan, read_rules_str, Plan, PlanOptions, ENTRA_CONNECTOR_ID};
use syncpolicy_samples::samples::multi_forest_custom;

fn make(current: &Configuration, desired: &Configuration) -> Plan {
    plan(current, desired, &PlanOptions::default()).expect("a plan")
}

/// Short names of the steps, in order.
fn kinds(p: &Plan) -> Vec<String> {
    p.steps
        .iter()
        .map(|s| match s {
            Step::DirectoryExtensions { added, .. } => format!("extensions +{}", added.join(",")),
            Step::RemoveRule { name, .. } => format!("remove {name}"),
            Step::CreateRule { rule, .. } => format!("create {}", rule.name()),
            Step::ReplaceRule { rule, .. } => format!("replace {}", rule.name()),
            Step::EnsureDisabled { name, .. } => format!("keep disabled {name}"),
            Step::SetStandardRule { name, disabled, .. } => {
                format!("{} {name}", if *disabled { "disable" } else { "enable" })
            }
            Step::Override {
                target,
                full_import,
                full_sync,
            } => format!(
                "override {}{}{}",
                if target.is_entra() {
                    "entra"
                } else {
                    &target.connector_name
                },
                if *full_import { " import" } else { "" },
                if *full_sync { " sync" } else { "" }
            ),
        })
        .collect()
}

fn pages(p: &Plan) -> Vec<&str> {
    p.checklist
        .iter()
        .map(|ChecklistItem { page, .. }| page.rsplit(" > ").next().unwrap_or(page))
        .collect()
}

fn new_rule(name: &str) -> SyncRule {
    SyncRule {
        name: Some(name.to_owned()),
        unique_identifier: Some("3f2504e0-4f89-41d3-9a0c-0305e82c3301".to_owned()),
        internal_identifier: "3f2504e0-4f89-41d3-9a0c-0305e82c3301".to_owned(),
        description: "it's new".to_owned(),
        direction: Some(Direction::Inbound),
        source_object_type: Some("user".to_owned()),
        target_object_type: Some("person".to_owned()),
        link_type: Some(LinkType::Join),
        precedence: 77,
        mappings: vec![AttributeMapping {
            flow_type: Some(FlowType::Direct),
            destination: Some("department".to_owned()),
            source: "department".to_owned(),
            ..AttributeMapping::default()
        }],
        ..SyncRule::default()
    }
}

/// The rule blocks of a script, read back with the reader.
fn rule_blocks(script_text: &str) -> Vec<SyncRule> {
    let mut out = Vec::new();
    let mut rest = script_text;
    while let Some(i) = rest.find(RULE_BLOCK_START) {
        let after = &rest[i + RULE_BLOCK_START.len() + 1..];
        let j = after.find(RULE_BLOCK_END).expect("a block ends");
        let (rules, _) = read_rules_str(&after[..j], "script").unwrap_or_else(|e| panic!("{e}"));
        out.extend(rules.into_iter().map(|r| r.rule));
        rest = &after[j..];
    }
    out
}

#[test]
fn a_configuration_against_itself_has_nothing_to_do() {
    let c = multi_forest_custom();
    let p = make(&c, &c);
    assert!(p.steps.is_empty(), "{:?}", kinds(&p));
    assert!(p.checklist.is_empty(), "{:?}", p.checklist);
    assert!(p.is_empty());
    let s = script(&p, "a", "b");
    assert!(s.contains("Nothing to do"));
    assert!(!s.contains("Set-ADSyncScheduler"));
}

#[test]
fn custom_rule_added() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    desired.onpremises_directories[0]
        .custom_rules
        .push(new_rule("In from AD - User Department"));
    let p = make(&current, &desired);
    assert_eq!(
        kinds(&p),
        [
            "create In from AD - User Department",
            "override contoso.com sync"
        ]
    );
    assert!(p.checklist.is_empty());
    let Step::CreateRule { rule, target } = &p.steps[0] else {
        unreachable!()
    };
    assert_eq!(
        target.connector_id,
        current.onpremises_directories[0].unique_identifier
    );
    let s = script(&p, "current.json", "desired.json");
    let back = rule_blocks(&s);
    assert_eq!(back.len(), 1);
    let mut expected = rule.clone();
    expected.extension.connector_id = Some(target.connector_id.clone());
    assert_eq!(back[0], expected);
}

#[test]
fn custom_rule_edited_is_replaced_by_the_servers_identifier() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    let r = &mut desired.onpremises_directories[0].custom_rules[0];
    let name = r.name().to_owned();
    let server_id = r.unique_identifier.clone().unwrap();
    // The desired side came from another server: other identifiers.
    r.unique_identifier = Some("11111111-2222-4333-8444-555555555555".to_owned());
    r.description = "changed".to_owned();
    let p = make(&current, &desired);
    assert_eq!(
        kinds(&p),
        [
            format!("replace {name}"),
            "override contoso.com sync".to_owned()
        ]
    );
    let Step::ReplaceRule { rule, .. } = &p.steps[0] else {
        unreachable!()
    };
    assert_eq!(rule.unique_identifier.as_deref(), Some(server_id.as_str()));
    assert_eq!(rule_blocks(&script(&p, "a", "b"))[0].description, "changed");
}

#[test]
fn custom_rule_deleted() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    let gone = desired.onpremises_directories[0].custom_rules.remove(0);
    let p = make(&current, &desired);
    assert_eq!(
        kinds(&p),
        [
            format!("remove {}", gone.name()),
            "override contoso.com sync".to_owned()
        ]
    );
    let s = script(&p, "a", "b");
    assert!(s.contains(&format!(
        "Remove-ADSyncRule -Identifier '{}'",
        gone.unique_identifier.unwrap()
    )));
    assert!(s.contains("Refusing to remove a standard rule"));
}

#[test]
fn standard_rule_disabled_and_never_removed() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    let r = &mut desired.onpremises_directories[1].standard_rules[3];
    r.disabled = true;
    let name = r.name().to_owned();
    let p = make(&current, &desired);
    assert_eq!(
        kinds(&p),
        [
            format!("disable {name}"),
            "override fabrikam.com sync".to_owned()
        ]
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);

    // A standard rule missing from DESIRED is kept (warning), and another change to one is a
    // warning, not code.
    let mut desired = current.clone();
    let removed = desired.onpremises_directories[1].standard_rules.remove(0);
    desired.onpremises_directories[1].standard_rules[0].description = "edited".to_owned();
    let p = make(&current, &desired);
    assert!(p.steps.is_empty(), "{:?}", kinds(&p));
    assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    assert!(p
        .warnings
        .iter()
        .any(|w| w.contains(removed.name()) && w.contains("never removed")));
    assert!(p
        .warnings
        .iter()
        .any(|w| w.contains("differs in more than Disabled")));
    let s = script(&p, "a", "b");
    assert!(!s.contains("Remove-ADSyncRule"));
}

#[test]
fn ou_filter_changed_is_a_checklist_item_with_a_full_import() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    desired.onpremises_directories[0].partitions[0]
        .inclusions
        .push("OU=Sales,DC=contoso,DC=com".to_owned());
    let p = make(&current, &desired);
    assert_eq!(pages(&p), ["Domain and OU filtering"]);
    assert_eq!(kinds(&p), ["override contoso.com import sync"]);
}

#[test]
fn device_writeback_on_is_a_checklist_item() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    desired.onpremises_directories[1].device_writeback_dn =
        "CN=RegisteredDevices,DC=fabrikam,DC=com".to_owned();
    let p = make(&current, &desired);
    assert_eq!(pages(&p), ["Device writeback"]);
    assert!(p.checklist[0].text.contains("fabrikam.com"));
    assert!(p.steps.is_empty(), "{:?}", kinds(&p));
}

#[test]
fn directory_extension_comes_before_the_rule_using_it() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    desired
        .azure_directory
        .directory_extensions
        .push(DirectoryExtensionAttribute {
            attribute: Some("employeeNumber".to_owned()),
            object_class: Some("user".to_owned()),
            data_type: Some("String".to_owned()),
            ..DirectoryExtensionAttribute::default()
        });
    let mut rule = new_rule("Out to AAD - Employee Number");
    rule.direction = Some(Direction::Outbound);
    rule.source_object_type = Some("person".to_owned());
    rule.target_object_type = Some("user".to_owned());
    rule.mappings[0].destination = Some("extension_0123456789abcdef_employeeNumber".to_owned());
    rule.mappings[0].source = "employeeNumber".to_owned();
    desired.azure_directory.custom_rules.push(rule);
    let p = make(&current, &desired);
    assert_eq!(
        kinds(&p),
        [
            "extensions +employeeNumber.user.String.True",
            "create Out to AAD - Employee Number",
            "override contoso.com import sync",
            "override fabrikam.com import sync",
            "override entra sync",
        ]
    );
    assert!(p.checklist.is_empty());
    let Step::DirectoryExtensions { attributes, .. } = &p.steps[0] else {
        unreachable!()
    };
    assert_eq!(attributes.len(), 3);
    let s = script(&p, "a", "b");
    let ext = s.find("Set-ADSyncGlobalSettings").unwrap();
    let rule_at = s.find("New-ADSyncRule").unwrap();
    assert!(ext < rule_at);
    assert!(s.contains(&format!("-Connector '{ENTRA_CONNECTOR_ID}'")));
}

#[test]
fn disabled_custom_rule_is_created_then_kept_disabled() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    let mut rule = new_rule("In from AD - Pilot");
    rule.disabled = true;
    desired.onpremises_directories[0].custom_rules.push(rule);
    let p = make(&current, &desired);
    assert_eq!(
        kinds(&p),
        [
            "create In from AD - Pilot",
            "keep disabled In from AD - Pilot",
            "override contoso.com sync"
        ]
    );
    assert!(rule_blocks(&script(&p, "a", "b"))[0].disabled);
}

#[test]
fn wizard_only_changes_are_checklist_items() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    desired.extension.staging_mode = Some(!current.extension.staging_mode.unwrap_or(false));
    desired.onpremises_directories[0].group_filtering_dn = "CN=Pilot,DC=contoso,DC=com".to_owned();
    desired.sign_in = syncpolicy_model::signin::SignIn::new(
        syncpolicy_model::signin::SignInMethod::PasswordHashSync,
        true,
        false,
    );
    let p = make(&current, &desired);
    assert_eq!(pages(&p), ["Configure staging mode", "Change user sign-in", "Filter users and devices (only at installation: group-based filtering is not supported in a custom configuration)"]);
    assert!(p.steps.is_empty());
}

#[test]
fn a_new_identifier_is_derived_when_the_desired_one_is_taken() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    let mut rule = new_rule("In from AD - Copy");
    rule.unique_identifier = current.onpremises_directories[0].custom_rules[0]
        .unique_identifier
        .clone();
    desired.onpremises_directories[0].custom_rules.push(rule);
    let p = make(&current, &desired);
    let Step::CreateRule { rule, .. } = &p.steps[0] else {
        unreachable!()
    };
    assert_ne!(
        rule.unique_identifier,
        current.onpremises_directories[0].custom_rules[0].unique_identifier
    );
    assert!(syncpolicy_model::identity::is_guid(
        rule.unique_identifier.as_deref().unwrap()
    ));
    // Deterministic.
    assert_eq!(make(&current, &desired), p);
}

#[test]
fn script_snapshot() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    desired.onpremises_directories[0].custom_rules.remove(0);
    let mut rule = new_rule("In from AD - O'Brien's $rule");
    rule.disabled = true;
    desired.onpremises_directories[0].custom_rules.push(rule);
    desired.onpremises_directories[1].standard_rules[3].disabled = true;
    desired.onpremises_directories[0].partitions[0]
        .exclusions
        .push("OU=Lab,DC=contoso,DC=com".to_owned());
    let p = make(&current, &desired);
    let s = script(&p, "current.json", "desired.json");
    insta::assert_snapshot!("script", s);
    insta::assert_snapshot!(
        "text",
        syncpolicy_powershell::text::text(&p, "current.json", "desired.json")
    );
}

#[test]
fn allow_active_turns_the_staging_stop_into_a_warning() {
    let current = multi_forest_custom();
    let mut desired = current.clone();
    desired.onpremises_directories[0]
        .custom_rules
        .push(new_rule("In from AD - X"));
    let staging = script(&make(&current, &desired), "a", "b");
    assert!(staging.contains("throw 'The server is not in staging mode."));
    let options = PlanOptions {
        allow_active: true,
        ..PlanOptions::default()
    };
    let active = script(&plan(&current, &desired, &options).unwrap(), "a", "b");
    assert!(!active.contains("throw 'The server is not in staging mode."));
    assert!(active.contains("Write-Warning 'The server is active"));
}

#[test]
fn current_without_connector_identifiers_is_refused() {
    let mut current = multi_forest_custom();
    current.onpremises_directories[0].unique_identifier = String::new();
    let e = plan(&current, &current.clone(), &PlanOptions::default()).unwrap_err();
    assert!(
        e.to_string()
            .contains("connector identifier of contoso.com"),
        "{e}"
    );
}

#[test]
fn labels_with_control_characters_stay_comments() {
    let p = make(&multi_forest_custom(), &multi_forest_custom());
    let s = script(&p, "evil\nRemove-Item C:\\", "b");
    assert!(s.lines().all(|l| l.starts_with('#')), "{s}");
}
