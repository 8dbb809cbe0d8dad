//! Round trips: byte-identical on the writer's own output, semantically identical on other
//! valid input, unknown keys kept in place, every encoding read.

use crate::{read, write};
use proptest::prelude::*;
use syncpolicy_samples::generate::{generate, GenerateOptions};

#[test]
fn own_output_round_trips_byte_for_byte_for_every_sample() {
    for (name, config) in syncpolicy_samples::samples::all() {
        let first = write(&config);
        let again = write(&read(&first));
        assert_eq!(first, again, "sample {name} changed on round trip");
        assert_eq!(read(&first), read(&again), "sample {name}");
    }
}

#[test]
fn model_survives_write_then_read() {
    for (name, config) in syncpolicy_samples::samples::all() {
        let back = read(&write(&config));
        // The reader records the digest it found; everything else is the same model.
        let mut back = back;
        back.extension.recorded_digest = None;
        let mut expected = config.clone();
        expected.extension.format_version = Some(1);
        assert_eq!(back, expected, "sample {name}");
    }
}

#[test]
fn unknown_keys_are_kept_in_place_at_every_level() {
    let config = syncpolicy_samples::samples::express_single_forest();
    let text = write(&config);
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Add unknown keys at the top, in a section, in a directory, in a partition, in a rule,
    // in a mapping and in the extension part.
    let obj = value.as_object_mut().unwrap();
    obj.insert(
        "newTopLevelSection".into(),
        serde_json::json!({"nested": [1, 2.5, "x"], "big": 12345678901234567890u64}),
    );
    obj["identityMappingPolicy"]["futureOption"] = serde_json::json!(true);
    let dir = &mut obj["onpremisesDirectoryPolicy"][0];
    dir["cloudSyncAgent"] = serde_json::json!("agent-7");
    dir["partitionFilters"][0]["objectClassFilter"] = serde_json::json!(["user"]);
    let rule = &mut dir["standardSynchronizationRules"][0];
    rule["version"] = serde_json::json!(3);
    rule["attributeMappings"][0]["alwaysFlow"] = serde_json::json!(false);
    obj["x-syncpolicy"]["laterField"] = serde_json::json!({"a": null});
    let edited = serde_json::to_string_pretty(&value).unwrap();
    let config = read(&edited);
    let out = write(&config);
    let back: serde_json::Value = serde_json::from_str(&out).unwrap();
    for pointer in [
        "/newTopLevelSection/nested/1",
        "/newTopLevelSection/big",
        "/identityMappingPolicy/futureOption",
        "/onpremisesDirectoryPolicy/0/cloudSyncAgent",
        "/onpremisesDirectoryPolicy/0/partitionFilters/0/objectClassFilter/0",
        "/onpremisesDirectoryPolicy/0/standardSynchronizationRules/0/version",
        "/onpremisesDirectoryPolicy/0/standardSynchronizationRules/0/attributeMappings/0/alwaysFlow",
        "/x-syncpolicy/laterField/a",
    ] {
        assert_eq!(back.pointer(pointer), value.pointer(pointer), "{pointer}");
    }
    assert!(
        out.contains("\"big\": 12345678901234567890"),
        "number text kept exactly"
    );
    // Written again, the file is stable.
    assert_eq!(write(&read(&out)), out);
}

#[test]
fn input_in_another_key_order_reads_to_the_same_value() {
    let config = syncpolicy_samples::samples::multi_forest_custom();
    let text = write(&config);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    // serde_json without preserve_order sorts keys: a different order than the writer's.
    let sorted = serde_json::to_string(&value).unwrap();
    let out = write(&read(&sorted));
    let back: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(back, value);
}

#[test]
fn utf16_and_bom_inputs_read_the_same() {
    let text = write(&syncpolicy_samples::samples::express_single_forest());
    let expected = read(&text);
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    for bytes in [le, be, bom] {
        let got = syncpolicy_json::read_settings(&bytes, "x.json").unwrap();
        assert_eq!(got, expected);
    }
}

#[test]
fn missing_keys_take_documented_defaults() {
    let config = read(
        r#"{"onpremisesDirectoryPolicy": [{"friendlyName": "a", "partitionFilters": [{"distinguishedName": "DC=a"}]}],
        "azureDirectoryPolicy": {"customSynchronizationRules": [{"Name": "r", "attributeMappings": [{"destination": "x"}]}]}}"#,
    );
    let p = &config.onpremises_directories[0].partitions[0];
    assert!(p.selected, "selected defaults to true");
    let m = &config.azure_directory.custom_rules[0].mappings[0];
    assert_eq!(m.merge_type.as_str(), "Update");
    assert_eq!(config.deployment_metadata.auto_upgrade_state, "Enabled");
    use syncpolicy_model::config::RequiredSection::*;
    assert_eq!(
        config.missing_sections,
        vec![AuthenticationPolicy, IdentityMappingPolicy]
    );
    assert!(config.onpremises_directories[0].partitions_present);
}

#[test]
fn unknown_enum_values_are_kept_verbatim() {
    let config = read(
        r#"{"azureDirectoryPolicy": {"customSynchronizationRules": [{"Name": "r", "direction": "Sideways", "linkType": "Glue",
        "scopeFilters": [[{"attribute": "a", "condition": "RESEMBLES", "value": "b"}]],
        "attributeMappings": [{"flowType": "Magic", "mergeType": "Blend", "destination": "x"}]}]}}"#,
    );
    let out = write(&config);
    for v in [
        "\"Sideways\"",
        "\"Glue\"",
        "\"RESEMBLES\"",
        "\"Magic\"",
        "\"Blend\"",
    ] {
        assert!(out.contains(v), "{v} kept");
    }
}

#[test]
fn extension_entries_attach_to_rules_and_directories() {
    let mut config = syncpolicy_samples::samples::multi_forest_custom();
    config.onpremises_directories[0].custom_rules[3]
        .extension
        .soft_delete_expiry_interval = Some("1.00:00:00".to_owned());
    config.onpremises_directories[1].custom_rules[0]
        .extension
        .precedence_before = Some("{0b088913-b613-4d9d-9563-9988b7719ed6}".to_owned());
    config.onpremises_directories[1].custom_rules[0].unique_identifier = None;
    let back = read(&write(&config));
    assert_eq!(
        back.onpremises_directories[0].custom_rules[3]
            .extension
            .soft_delete_expiry_interval
            .as_deref(),
        Some("1.00:00:00")
    );
    assert_eq!(
        back.onpremises_directories[1].custom_rules[0]
            .extension
            .precedence_before
            .as_deref(),
        Some("{0b088913-b613-4d9d-9563-9988b7719ed6}")
    );
    assert!(back.onpremises_directories[0]
        .connector
        .provisioning_hierarchy
        .is_some());
    assert!(back.extension.orphaned_rule_entries.is_empty());
}

#[test]
fn digest_detects_hand_edits() {
    use syncpolicy_json::digest::{check, DigestCheck};
    let text = write(&syncpolicy_samples::samples::express_single_forest());
    assert_eq!(check(&read(&text)), DigestCheck::Matches);
    let edited = text.replacen(
        "\"exportDeletionLimit\": \"500\"",
        "\"exportDeletionLimit\": \"5000\"",
        1,
    );
    assert_ne!(edited, text);
    match check(&read(&edited)) {
        DigestCheck::Differs { sections } => assert_eq!(sections, vec!["azureDirectoryPolicy"]),
        other => panic!("expected a difference, got {other:?}"),
    }
    let plain = read("{}");
    assert_eq!(check(&plain), DigestCheck::NotRecorded);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn generated_configurations_round_trip(forests in 0usize..4, rules in 0usize..12, ous in 0usize..6, seed in any::<u64>()) {
        let config = generate(&GenerateOptions { forests, custom_rules_per_forest: rules, ous_per_domain: ous, seed });
        let first = write(&config);
        let back = read(&first);
        let again = write(&back);
        prop_assert_eq!(&first, &again);
        let a: serde_json::Value = serde_json::from_str(&first).unwrap();
        let b: serde_json::Value = serde_json::from_str(&again).unwrap();
        prop_assert_eq!(a, b);
    }
}

#[test]
fn single_rules_round_trip() {
    let config = syncpolicy_samples::samples::multi_forest_custom();
    for (_, rule) in config.rules() {
        let text = syncpolicy_json::write_rule(rule);
        let back = syncpolicy_json::read_rule(text.as_bytes(), "rule.json").unwrap();
        assert_eq!(&back, rule);
    }
    let err =
        syncpolicy_json::read_rule(br#"{"Name": "x", "disabled": "no"}"#, "rule.json").unwrap_err();
    assert_eq!(err.json_path.as_deref(), Some("disabled"));
}

#[test]
fn accepted_findings_round_trip_with_their_unknown_keys() {
    use syncpolicy_model::extension::AcceptedFinding;
    let mut config = syncpolicy_samples::samples::express_single_forest();
    let plain = write(&config);
    assert!(
        !plain.contains("acceptedFindings"),
        "written only when there are any"
    );
    config.extension.accepted_findings = vec![
        AcceptedFinding {
            code: "SP011".to_owned(),
            rule: Some("In from AD - User Department".to_owned()),
            reason: "kept for the old server's numbering".to_owned(),
            accepted_by: Some("alice".to_owned()),
            accepted_at: Some("2026-11-30T10:00:00Z".to_owned()),
            ..AcceptedFinding::default()
        },
        AcceptedFinding {
            code: "SP042".to_owned(),
            reason: "the inclusion list is set again after import".to_owned(),
            ..AcceptedFinding::default()
        },
    ];
    let text = write(&config);
    let mut back = read(&text);
    assert_eq!(
        back.extension.accepted_findings,
        config.extension.accepted_findings
    );
    assert_eq!(write(&back), text, "byte for byte");
    // The digest covers them: the check of the written file finds no difference.
    assert_eq!(
        syncpolicy_json::digest::check(&back),
        syncpolicy_json::digest::DigestCheck::Matches
    );
    // An unknown key inside an entry is kept in place.
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["x-syncpolicy"]["acceptedFindings"][1]["ticket"] = serde_json::json!("CHG-1234");
    let edited = serde_json::to_string_pretty(&value).unwrap();
    back = read(&edited);
    let again = write(&back);
    let reread: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(
        reread["x-syncpolicy"]["acceptedFindings"][1]["ticket"],
        "CHG-1234"
    );
    assert_eq!(
        reread["x-syncpolicy"]["acceptedFindings"][0]["reason"],
        "kept for the old server's numbering"
    );
}
