//! Properties: a configuration compared with itself, with itself under regenerated
//! identifiers, and with itself with every unordered collection reversed, has no change; a
//! single disabled rule is always found.

use crate::support::{lines, regenerate_identifiers};
use proptest::prelude::*;
use syncpolicy_diff::{diff, DiffOptions, Filter};
use syncpolicy_model::config::Configuration;
use syncpolicy_samples::generate::{generate, GenerateOptions};

fn all_options() -> DiffOptions {
    DiffOptions {
        show_ids: true,
        ..DiffOptions::default()
    }
}

fn assert_no_change(a: &Configuration, b: &Configuration, what: &str) {
    let d = diff(a, b, &all_options()).filtered(&Filter::all());
    assert!(
        d.is_empty(),
        "{what}: expected no change, got:\n{}",
        lines(&d)
    );
}

/// Reverses every collection whose order carries no meaning.
fn reverse_unordered(c: &mut Configuration) {
    c.onpremises_directories.reverse();
    c.azure_directory.directory_extensions.reverse();
    c.azure_directory
        .exported_attributes
        .application_restrictions
        .reverse();
    c.metaverse_extensions.attributes.reverse();
    let mut rules: Vec<&mut syncpolicy_model::rule::SyncRule> = Vec::new();
    rules.extend(c.azure_directory.standard_rules.iter_mut());
    rules.extend(c.azure_directory.custom_rules.iter_mut());
    for d in c.onpremises_directories.iter_mut() {
        for p in d.partitions.iter_mut() {
            p.inclusions.reverse();
            p.exclusions.reverse();
        }
        d.partitions.reverse();
        if let Some(a) = d.connector.attribute_inclusions.as_mut() {
            a.reverse();
        }
        d.standard_rules.reverse();
        d.custom_rules.reverse();
        rules.extend(d.standard_rules.iter_mut());
        rules.extend(d.custom_rules.iter_mut());
    }
    for r in rules {
        r.scope_groups.reverse();
        for g in r.scope_groups.iter_mut() {
            g.reverse();
        }
        r.join_groups.reverse();
        for g in r.join_groups.iter_mut() {
            g.reverse();
        }
        r.mappings.reverse();
    }
}

#[test]
fn every_sample_equals_itself() {
    for (name, config) in syncpolicy_samples::samples::all() {
        assert_no_change(&config, &config.clone(), name);
        let mut other = config.clone();
        regenerate_identifiers(&mut other);
        assert_ne!(other, config, "{name}: identifiers were regenerated");
        let d = diff(&config, &other, &all_options());
        assert!(d.is_empty(), "{name}: identifiers only:\n{}", lines(&d));
        assert!(
            !d.identifiers.is_empty(),
            "{name}: --show-ids lists the identifiers"
        );
        let mut shuffled = config.clone();
        reverse_unordered(&mut shuffled);
        assert_no_change(&config, &shuffled, name);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn generated_configurations_equal_themselves(
        forests in 0usize..4,
        rules in 0usize..30,
        ous in 0usize..6,
        seed in any::<u64>(),
        pick in any::<usize>(),
    ) {
        let a = generate(&GenerateOptions { forests, custom_rules_per_forest: rules, ous_per_domain: ous, seed });
        prop_assert!(diff(&a, &a, &all_options()).filtered(&Filter::all()).is_empty());

        let mut b = a.clone();
        regenerate_identifiers(&mut b);
        reverse_unordered(&mut b);
        let d = diff(&a, &b, &all_options()).filtered(&Filter::all());
        prop_assert!(d.is_empty(), "{}", lines(&d));

        // The counter-check: one disabled rule is one change, found whatever the rule.
        let mut c = a.clone();
        let total = c.rule_count();
        if total > 0 {
            let n = pick % total;
            let at = c.rules().nth(n).map(|(at, _)| at).expect("n < rule count");
            let rule = match at.directory {
                syncpolicy_model::config::DirectoryRef::Azure => match at.set {
                    syncpolicy_model::config::RuleSet::Standard => &mut c.azure_directory.standard_rules[at.index],
                    syncpolicy_model::config::RuleSet::Custom => &mut c.azure_directory.custom_rules[at.index],
                },
                syncpolicy_model::config::DirectoryRef::OnPremises(i) => match at.set {
                    syncpolicy_model::config::RuleSet::Standard => &mut c.onpremises_directories[i].standard_rules[at.index],
                    syncpolicy_model::config::RuleSet::Custom => &mut c.onpremises_directories[i].custom_rules[at.index],
                },
            };
            rule.disabled = !rule.disabled;
            let d = diff(&a, &c, &DiffOptions::default());
            prop_assert_eq!(d.changes.len(), 1, "{}", lines(&d));
            prop_assert_eq!(d.changes[0].field.as_deref(), Some("disabled"));
        }
    }
}
