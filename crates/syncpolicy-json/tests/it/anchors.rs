//! Placing paths with the reader's anchors (where each directory and rule starts) finds
//! exactly what a scan of the whole text finds: in files as the writer writes them, compacted
//! and re-ordered, with CRLF line ends, with rules whose first key has escapes, for paths into
//! rules, directories and other sections, and for paths that are not in the file.

use syncpolicy_json::locate::{
    locate_paths, locate_paths_anchored, value_offsets, value_offsets_anchored,
};
use syncpolicy_model::config::Configuration;
use syncpolicy_samples::generate::{generate, GenerateOptions};

/// Paths into every directory and rule of `config`, and around them.
fn paths(config: &Configuration) -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        "onpremisesDirectoryPolicy",
        "policyMetadata",
        "policyMetadata.author",
        "azureDirectoryPolicy",
        "missing.section",
        "onpremisesDirectoryPolicy[99999]",
        "onpremisesDirectoryPolicy[99999].customSynchronizationRules[0]",
        "onpremisesDirectoryPolicy[x]",
        "onpremisesDirectoryPolicyX[0]",
        "x-syncpolicy",
        "x-syncpolicy.digest",
        "x-syncpolicy.onpremisesConnectors[0].attributeInclusions",
        "x-syncpolicy.onpremisesConnectors[1]",
        "metaverseExtensionPolicy",
    ]
    .map(str::to_owned)
    .to_vec();
    for (d, dir) in config.onpremises_directories.iter().enumerate() {
        let dp = format!("onpremisesDirectoryPolicy[{d}]");
        out.push(dp.clone());
        out.push(format!("{dp}.friendlyName"));
        out.push(format!("{dp}.partitionFilters[0].fullyQualifiedDomainName"));
        out.push(format!("{dp}.partitionFilters[0].missing"));
        out.push(format!("{dp}.standardSynchronizationRules"));
        out.push(format!("{dp}.customSynchronizationRules"));
        out.push(format!("{dp}.customSynchronizationRulesX[0]"));
        out.push(format!("{dp}.customSynchronizationRules[bad]"));
        for (list, rules) in [
            ("standardSynchronizationRules", &dir.standard_rules),
            ("customSynchronizationRules", &dir.custom_rules),
        ] {
            out.push(format!("{dp}.{list}[{}]", rules.len()));
            out.push(format!("{dp}.{list}[{}].name", rules.len() + 3));
            for (j, rule) in rules.iter().enumerate() {
                let rp = format!("{dp}.{list}[{j}]");
                if j % 3 == 0 {
                    out.push(rp.clone());
                    out.push(format!("{rp}.name"));
                }
                out.push(format!("{rp}.precedence"));
                out.push(format!("{rp}.notAKey"));
                let m = rule.mappings.len();
                if m > 0 {
                    out.push(format!("{rp}.attributeMappings[{}].source", m - 1));
                    out.push(format!("{rp}.attributeMappings[0]"));
                }
                out.push(format!("{rp}.attributeMappings[{m}]"));
                out.push(format!("{rp}.scopeFilterGroups[0][0].attribute"));
            }
        }
    }
    out
}

/// Checks one text: the reader recorded anchors, and the anchored answers equal the scan's.
fn check(text: &str, what: &str) {
    let (config, spans) = syncpolicy_json::read_settings_spans(text, "t.json").expect("reads");
    assert!(!spans.anchors().is_empty(), "{what}: anchors recorded");
    let owned = paths(&config);
    let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
    let whole = value_offsets(text, &refs);
    let anchored = value_offsets_anchored(text, &refs, spans.anchors());
    for ((p, w), a) in refs.iter().zip(&whole).zip(&anchored) {
        assert_eq!(w, a, "{what}: {p}");
    }
    assert!(whole.iter().filter(|o| o.is_some()).count() > refs.len() / 3);
    assert_eq!(
        locate_paths(text, &refs),
        locate_paths_anchored(text, &refs, spans.anchors()),
        "{what}: positions"
    );
}

fn configs() -> Vec<Configuration> {
    vec![
        syncpolicy_samples::samples::express_single_forest(),
        syncpolicy_samples::samples::multi_forest_custom(),
        generate(&GenerateOptions {
            forests: 3,
            custom_rules_per_forest: 40,
            ous_per_domain: 2,
            seed: 3,
        }),
    ]
}

#[test]
fn anchored_places_equal_the_whole_scan_as_written() {
    for (i, config) in configs().iter().enumerate() {
        let text = super::write(config);
        check(&text, &format!("config {i}"));
        check(&text.replace('\n', "\r\n"), &format!("config {i}, CRLF"));
    }
}

#[test]
fn anchored_places_equal_the_whole_scan_compacted_and_escaped() {
    for (i, config) in configs().iter().enumerate() {
        let text = super::write(config);
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        // Compact, keys in another order (serde_json sorts them).
        let compact = serde_json::to_string(&value).expect("JSON");
        check(&compact, &format!("config {i}, compact"));
        // Every rule's first key (sorted: attributeMappings) written with an escape, so the
        // reader cannot say where those rules start: they are looked for in their directory.
        let escaped = compact.replace("\"attributeMappings\"", "\"attribute\\u004dappings\"");
        assert_ne!(escaped, compact);
        check(&escaped, &format!("config {i}, escaped first keys"));
    }
}

/// A large file (its directories read on several cores) with many paths (placed on several
/// cores).
#[test]
fn anchored_places_equal_the_whole_scan_in_a_large_file() {
    let config = generate(&GenerateOptions {
        forests: 6,
        custom_rules_per_forest: 900,
        ous_per_domain: 3,
        seed: 8,
    });
    let text = super::write(&config);
    assert!(
        text.len() > 4 << 20,
        "large enough to be read on several cores"
    );
    check(&text, "large");
}
