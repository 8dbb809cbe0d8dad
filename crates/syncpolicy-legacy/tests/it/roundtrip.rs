//! Round trips: a model written as a legacy folder by the fixture generator and migrated back
//! gives the same configuration (everything the legacy format can carry), and the migrated
//! configuration survives the settings file unchanged.

use crate::folder_of;
use syncpolicy_legacy::fixture::Shape;
use syncpolicy_legacy::{migrate, Classification, LegacyFolder};
use syncpolicy_model::config::{Configuration, MetaverseExtensions};
use syncpolicy_samples::generate::{generate, GenerateOptions};

/// What the legacy format cannot carry, cleared from the expected configuration.
fn carriable(mut c: Configuration) -> Configuration {
    // Not in a legacy export: the wizard asks for them at import.
    c.azure_directory.administrator = None;
    c.azure_directory.tenant_id = None;
    // MV.xml holds the whole metaverse schema, not the difference to the shipped one.
    c.metaverse_extensions = MetaverseExtensions::default();
    for d in &mut c.onpremises_directories {
        for p in &mut d.partitions {
            p.connectivity_options.clear();
        }
    }
    c
}

fn assert_round_trip(name: &str, sample: &Configuration) {
    assert_folder_round_trip(name, sample, &folder_of(sample, 4096));
}

fn assert_folder_round_trip(name: &str, sample: &Configuration, folder: &LegacyFolder) {
    let (migrated, report) = migrate(folder).unwrap_or_else(|e| panic!("{name}: {e}"));
    let expected = carriable(sample.clone());
    assert_eq!(
        migrated.onpremises_directories, expected.onpremises_directories,
        "{name}: directories"
    );
    assert_eq!(
        migrated.azure_directory, expected.azure_directory,
        "{name}: Entra directory"
    );
    assert_eq!(
        migrated.extension, expected.extension,
        "{name}: extension part"
    );
    assert_eq!(migrated, expected, "{name}: whole configuration");
    assert!(report.unattached_rules.is_empty(), "{name}");
    assert!(!report.has_redo_by_hand(), "{name}: {:?}", report.items);
    assert_eq!(report.counts.rules, sample.rule_count(), "{name}");
    assert_eq!(
        report.counts.ad_connectors,
        sample.onpremises_directories.len()
    );

    // Through the settings file and back: nothing lost.
    let bytes = syncpolicy_json::write_settings(&migrated);
    let back = syncpolicy_json::read_settings(&bytes, "migrated.json").expect("reads back");
    let mut back_cmp = back.clone();
    back_cmp.extension.recorded_digest = None;
    let mut migrated_cmp = migrated.clone();
    migrated_cmp.extension.recorded_digest = None;
    assert_eq!(back_cmp, migrated_cmp, "{name}: settings file round trip");
    assert!(back.extension.orphaned_rule_entries.is_empty());
    assert!(back.extension.orphaned_connector_entries.is_empty());
}

#[test]
fn shipped_samples_round_trip() {
    for (name, sample) in syncpolicy_samples::samples::all() {
        assert_round_trip(name, &sample);
    }
}

#[test]
fn generated_configuration_round_trips() {
    let config = generate(&GenerateOptions {
        forests: 4,
        custom_rules_per_forest: 13,
        ous_per_domain: 7,
        seed: 5,
    });
    assert_round_trip("generated", &config);
}

#[test]
fn a_real_sized_folder_round_trips_through_the_parallel_parse() {
    // Four connectors with 400 KB one-line schemas: more than the size from which the files
    // are parsed on several threads; the result is the same as the sequential parse.
    let config = generate(&GenerateOptions {
        forests: 4,
        custom_rules_per_forest: 20,
        ous_per_domain: 3,
        seed: 11,
    });
    let folder = folder_of(&config, 400_000);
    assert!(folder.files.iter().map(|(_, b)| b.len()).sum::<usize>() > 1 << 20);
    assert_folder_round_trip("parallel", &config, &folder);
}

#[test]
fn every_shape_round_trips_from_disk() {
    let sample = syncpolicy_samples::samples::multi_forest_custom();
    for shape in Shape::variations(8192) {
        let dir = tempfile::tempdir().unwrap();
        syncpolicy_files::legacy::write_legacy_folder_shaped(dir.path(), &sample, &shape).unwrap();
        let folder = syncpolicy_files::legacy::read_legacy_folder(dir.path()).unwrap();
        let name = format!("{shape:?}");
        let mut expected = sample.clone();
        // MigrateSettings.ps1 writes no policy schema version and no database type.
        expected.policy_metadata.policy_schema_version = None;
        expected.deployment_metadata.database_type = None;
        if shape.migrated_policy.is_none() {
            // Nothing is invented for the missing file: no metadata, connectors in the
            // order of their file names.
            expected.policy_metadata = Default::default();
            expected.deployment_metadata = Default::default();
            expected.extension.connector_order.clear();
            let file_order: Vec<String> = folder
                .xml_files_in("Connectors")
                .iter()
                .map(|(f, _)| f.to_ascii_lowercase())
                .collect();
            let position = |id: &str| {
                file_order
                    .iter()
                    .position(|f| f.contains(&id.to_ascii_lowercase()))
                    .unwrap_or(usize::MAX)
            };
            expected
                .onpremises_directories
                .sort_by_key(|d| position(&d.unique_identifier));
        }
        let (migrated, _) = migrate(&folder).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = carriable(expected);
        assert_eq!(migrated.policy_metadata, expected.policy_metadata, "{name}");
        assert_eq!(
            migrated.deployment_metadata, expected.deployment_metadata,
            "{name}"
        );
        assert_eq!(migrated.extension, expected.extension, "{name}");
        for (m, e) in migrated
            .onpremises_directories
            .iter()
            .zip(&expected.onpremises_directories)
        {
            assert_eq!(m.name, e.name, "{name}");
            assert_eq!(m.standard_rules, e.standard_rules, "{name}");
            assert_eq!(m.custom_rules, e.custom_rules, "{name}");
        }
        assert_eq!(
            migrated.onpremises_directories, expected.onpremises_directories,
            "{name}"
        );
        assert_eq!(migrated, expected, "{name}");
    }
}

#[test]
fn report_counts_and_extension_lines() {
    let sample = syncpolicy_samples::samples::multi_forest_custom();
    let (_, report) = migrate(&folder_of(&sample, 1024)).unwrap();
    let c = &report.counts;
    assert_eq!(c.connectors, 3);
    assert!(c.entra_connector);
    assert_eq!(c.partitions, 3);
    assert_eq!(c.selected_partitions, 2);
    assert_eq!(c.custom_rules, 6);
    assert_eq!(c.disabled_rules, 1);
    assert_eq!(c.standard_rules + c.custom_rules, sample.rule_count());
    let kept = report.kept_in_extension.join("\n");
    for piece in [
        "staging mode (off)",
        "scheduler (interval 00:40:00, enabled)",
        "connector order (3 connectors)",
        "object-type inclusions of 3 connector(s)",
        "attribute inclusion lists of 2 connector(s)",
        "provisioning hierarchy of 1 connector(s)",
        "1 global parameter(s)",
    ] {
        assert!(kept.contains(piece), "{piece:?} not in {kept}");
    }
    let review: Vec<&str> = report
        .items_of(Classification::NeedsReview)
        .map(|i| i.diagnostic.name.as_str())
        .collect();
    assert!(review.contains(&"disabled-custom-rule"), "{review:?}");
    assert!(
        review.contains(&"metaverse-schema-not-compared"),
        "{review:?}"
    );
}
