//! The shipped samples (on disk and as built) validate with no errors, and their findings are
//! what a user of those configurations should be told (snapshot).
#![allow(
    clippy::disallowed_methods,
    reason = "tests read the shipped samples from disk"
)]

use crate::support::{check_text, render, workspace};
use syncpolicy_model::diagnostic::Severity;

#[test]
fn shipped_sample_files_have_no_errors() {
    let dir = workspace().join("samples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("samples folder exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        seen += 1;
        let name = format!("samples/{}", path.file_name().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(&path).expect("sample is UTF-8");
        let diags = check_text(&text, &name).expect("sample reads");
        let errors: Vec<_> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "{name} has errors:\n{}",
            render(&diags, &name, &text)
        );
        insta::assert_snapshot!(
            format!("sample_{}", path.file_stem().unwrap().to_string_lossy()),
            render(&diags, &name, &text)
        );
    }
    assert_eq!(seen, syncpolicy_samples::samples::all().len());
}

#[test]
fn built_samples_have_no_errors_and_no_warnings_without_a_file() {
    for (name, config) in syncpolicy_samples::samples::all() {
        let diags = syncpolicy_lint::check(&config);
        let serious: Vec<_> = diags
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .collect();
        assert!(serious.is_empty(), "{name}: {serious:#?}");
        assert!(diags
            .iter()
            .all(|d| d.location.line.is_none() && d.location.json_path.is_some()));
    }
}

#[test]
fn a_generated_configuration_has_only_the_expected_kinds_of_findings() {
    let config =
        syncpolicy_samples::generate::generate(&syncpolicy_samples::generate::GenerateOptions {
            forests: 4,
            custom_rules_per_forest: 30,
            ous_per_domain: 3,
            seed: 7,
        });
    let text = String::from_utf8(syncpolicy_json::write_settings(&config)).unwrap();
    let diags = check_text(&text, "generated.json").expect("generated file reads");
    let mut codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    // More than 99 custom rules spill past the custom band; some are disabled; the connectors
    // record attribute inclusions. Nothing else.
    assert_eq!(
        codes,
        ["SP011", "SP042", "SP046"],
        "{}",
        render(&diags, "generated.json", &text)
    );
    assert_eq!(diags.iter().filter(|d| d.code == "SP011").count(), 120);
}

/// `syncpolicy generate` within its documented maximums writes configurations that validate
/// with no error and no warning, at every size: one forest without custom rules, a full custom
/// band (100 rules) in one forest and spread over several, and the most forests with a custom
/// rule each. One more custom rule than the band holds is refused by `check`.
#[test]
fn generated_configurations_within_the_limits_validate_cleanly() {
    use syncpolicy_samples::generate::{generate, GenerateOptions, MAX_CUSTOM_RULES, MAX_FORESTS};
    let sizes = [
        (1, 0, 0),
        (1, 1, 1),
        (3, 20, 10),
        (1, MAX_CUSTOM_RULES, 2),
        (4, MAX_CUSTOM_RULES / 4, 3),
        (7, 14, 5),
        (MAX_FORESTS, 1, 1),
    ];
    for (seed, (forests, custom_rules_per_forest, ous_per_domain)) in sizes.into_iter().enumerate()
    {
        let options = GenerateOptions {
            forests,
            custom_rules_per_forest,
            ous_per_domain,
            seed: seed as u64 + 1,
        };
        assert_eq!(options.check(), Ok(()), "{options:?}");
        let config = generate(&options);
        let custom: Vec<i32> = config
            .rules()
            .filter(|(at, _)| at.set == syncpolicy_model::config::RuleSet::Custom)
            .map(|(_, r)| r.precedence)
            .collect();
        assert_eq!(custom.len(), forests * custom_rules_per_forest);
        assert!(custom.iter().all(|p| (0..=99).contains(p)), "{options:?}");
        let name = format!("generated-{forests}-{custom_rules_per_forest}.json");
        let text = String::from_utf8(syncpolicy_json::write_settings(&config)).unwrap();
        let diags = check_text(&text, &name).expect("generated file reads");
        let serious: Vec<_> = diags
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .collect();
        assert!(
            serious.is_empty(),
            "{options:?}:\n{}",
            render(&diags, &name, &text)
        );
    }
    let over = GenerateOptions {
        forests: 3,
        custom_rules_per_forest: 34,
        ous_per_domain: 1,
        seed: 1,
    };
    let why = over.check().unwrap_err();
    assert!(why.contains("102 custom rules"), "{why}");
    assert!(why.contains("0-99"), "{why}");
    assert!(GenerateOptions {
        forests: MAX_FORESTS + 1,
        custom_rules_per_forest: 0,
        ..GenerateOptions::default()
    }
    .check()
    .is_err());
}
