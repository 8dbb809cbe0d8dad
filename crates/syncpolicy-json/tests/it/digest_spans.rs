//! The quick digest check (each section's own bytes in the file hashed) against the check
//! that writes the sections again: the same answer for unmodified files, hand edits of every
//! section, re-formatted equal files and random edits of generated configurations.

use proptest::prelude::*;
use syncpolicy_json::digest::{check, check_text, spans_match, DigestCheck};
use syncpolicy_model::config::Configuration;
use syncpolicy_samples::generate::{generate, GenerateOptions};

/// Reads a file's text; returns the configuration, the quick-or-exact answer, whether the
/// quick way answered, and the exact answer.
fn both(text: &str) -> (Configuration, DigestCheck, bool, DigestCheck) {
    let (config, spans) = syncpolicy_json::read_settings_spans(text, "t.json").expect("reads");
    let quick = spans_match(&config, text, &spans);
    let answer = check_text(&config, text, &spans);
    let exact = check(&config);
    (config, answer, quick, exact)
}

fn write(config: &Configuration) -> String {
    String::from_utf8(syncpolicy_json::write_settings(config)).expect("UTF-8")
}

/// The configurations the tests write: samples, generated ones, and one with unknown keys
/// at the top level, in sections and in the extension part (before and after its digest).
fn configurations() -> Vec<Configuration> {
    let mut out = vec![
        syncpolicy_samples::samples::express_single_forest(),
        syncpolicy_samples::samples::multi_forest_custom(),
        Configuration::default(),
        generate(&GenerateOptions {
            forests: 3,
            custom_rules_per_forest: 20,
            ous_per_domain: 2,
            seed: 11,
        }),
    ];
    let mut preserved = syncpolicy_samples::samples::multi_forest_custom();
    preserved.preserved.push("aUnknown", "[1,{\"b\":2}]", 0);
    preserved.preserved.push("zUnknown", "\"end\"", 10);
    preserved.policy_metadata.preserved.push("extra", "true", 2);
    preserved.extension.preserved.push("first", "{}", 0);
    preserved
        .extension
        .preserved
        .push("afterDigest", "\"x\"", 9);
    out.push(preserved);
    out
}

/// The text of `edited` with the digest record of `original` (a hand edit of a file written
/// from `original`): the last `"digest": {...}` object of each is swapped.
fn with_digest_of(edited: &str, original: &str) -> String {
    fn digest_range(text: &str) -> std::ops::Range<usize> {
        let start = text.rfind("\"digest\": {").expect("a digest record");
        let end = start + text[start..].find("\n    }").expect("its end") + "\n    }".len();
        start..end
    }
    let (e, o) = (digest_range(edited), digest_range(original));
    format!("{}{}{}", &edited[..e.start], &original[o], &edited[e.end..])
}

/// Changes section `section` (an index of `keys::TOP`) of the model.
fn edit_section(c: &mut Configuration, section: usize, n: usize) {
    let tag = format!("edit{n}");
    match section {
        0 => c.policy_metadata.policy_type.push_str(&tag),
        1 => c.deployment_metadata.service_account.push_str(&tag),
        2 => c.sign_in.tokens.push(tag),
        3 => c.password_writeback = !c.password_writeback,
        4 => c.identity_mapping.user_matching_attribute.push_str(&tag),
        5 => c.exchange.hybrid_deployment = !c.exchange.hybrid_deployment,
        6 => {
            // A key of its own per edit: a second `handEdit` would make the file unreadable
            // (a duplicate key), not hand-edited.
            let preserved = &mut c.metaverse_extensions.preserved;
            let key = format!("handEdit{}", preserved.0.len());
            preserved.push(key, "1", 0);
        }
        7 => c.azure_directory.export_deletion_limit.push_str(&tag),
        8 => match c
            .onpremises_directories
            .len()
            .checked_sub(1)
            .and_then(|last| c.onpremises_directories.get_mut(n % (last + 1)))
        {
            Some(d) => d.group_filtering_dn.push_str(&tag),
            None => c.onpremises_directories.push(Default::default()),
        },
        _ => c.extension.connector_order.push(tag),
    }
}

#[test]
fn an_unmodified_file_matches_the_quick_way() {
    for config in configurations() {
        let text = write(&config);
        let (_, answer, quick, exact) = both(&text);
        assert!(quick, "the quick way confirms an unmodified file");
        assert_eq!(answer, DigestCheck::Matches);
        assert_eq!(exact, DigestCheck::Matches);
        // A file read and written again is the same file: still the quick way.
        let (back, _, _, _) = both(&text);
        let (_, answer, quick, _) = both(&write(&back));
        assert!(quick);
        assert_eq!(answer, DigestCheck::Matches);
    }
}

#[test]
fn a_large_file_hashed_while_read_agrees_with_the_exact_check() {
    // Over 4 MB: the reader hashes the directories on another core while it reads.
    let config = generate(&GenerateOptions {
        forests: 8,
        custom_rules_per_forest: 300,
        ous_per_domain: 4,
        seed: 3,
    });
    let original = write(&config);
    assert!(original.len() > 4 << 20, "{} bytes", original.len());
    let (_, answer, quick, exact) = both(&original);
    assert!(quick);
    assert_eq!(
        (answer, exact),
        (DigestCheck::Matches, DigestCheck::Matches)
    );
    for section in [0, 8, 9] {
        let mut edited = config.clone();
        edit_section(&mut edited, section, 5);
        let text = with_digest_of(&write(&edited), &original);
        let (_, answer, quick, exact) = both(&text);
        assert!(!quick, "section {section}");
        assert_eq!(answer, exact, "section {section}");
        assert!(matches!(answer, DigestCheck::Differs { .. }));
    }
    // An unknown key before the directories that holds the text the reader looks for.
    let decoy = original.replacen(
        "\n  \"azureDirectoryPolicy\": ",
        "\n  \"note\": {\n  \"onpremisesDirectoryPolicy\": 1},\n  \"azureDirectoryPolicy\": ",
        1,
    );
    assert_ne!(decoy, original);
    let (_, answer, quick, _) = both(&decoy);
    assert!(quick, "unknown top-level keys are outside every section");
    assert_eq!(answer, DigestCheck::Matches);
}

#[test]
fn a_hand_edit_of_every_section_differs_as_the_exact_check_says() {
    for config in configurations() {
        let original = write(&config);
        for section in 0..syncpolicy_json::keys::TOP.len() {
            let mut edited = config.clone();
            edit_section(&mut edited, section, section);
            let text = with_digest_of(&write(&edited), &original);
            let (_, answer, quick, exact) = both(&text);
            assert!(
                !quick,
                "section {section}: an edit is never confirmed the quick way"
            );
            assert_eq!(answer, exact, "section {section}");
            match answer {
                DigestCheck::Differs { sections } => assert!(
                    sections
                        .iter()
                        .any(|s| s == syncpolicy_json::keys::TOP[section]),
                    "section {section}: {sections:?}"
                ),
                other => panic!("section {section}: {other:?}"),
            }
        }
    }
}

#[test]
fn text_edits_and_an_edited_digest_record_fall_back_to_the_exact_check() {
    let text = write(&syncpolicy_samples::samples::multi_forest_custom());
    let description = text.replacen("\"description\": \"", "\"description\": \"edited ", 1);
    let (_, answer, quick, exact) = both(&description);
    assert!(!quick);
    assert_eq!(answer, exact);
    assert!(matches!(answer, DigestCheck::Differs { .. }));
    // The content digest alone changed: the record itself is what differs.
    let at = text.find("\"content\": \"").expect("content digest") + "\"content\": \"".len();
    let flipped = if &text[at..=at] == "0" { "1" } else { "0" };
    let record = format!("{}{flipped}{}", &text[..at], &text[at + 1..]);
    let (_, answer, quick, exact) = both(&record);
    assert!(!quick);
    assert_eq!(answer, exact);
    assert_eq!(
        answer,
        DigestCheck::Differs {
            sections: vec!["(the digest record itself)".to_owned()]
        }
    );
    // An entry after the digest record is content the digest does not cover as written.
    let after = text.replace("\n    }\n  }\n}", "\n    },\n    \"later\": 1\n  }\n}");
    assert_ne!(after, text);
    let (_, answer, quick, exact) = both(&after);
    assert!(!quick);
    assert_eq!(answer, exact);
}

#[test]
fn a_reformatted_equal_file_matches_by_the_exact_check() {
    for config in configurations() {
        let text = write(&config);
        // Raw line breaks only stand between tokens (strings escape theirs).
        for reformatted in [text.replace('\n', "\r\n"), text.replace('\n', "\n  ")] {
            let (_, answer, quick, exact) = both(&reformatted);
            assert!(
                !quick,
                "other bytes than the writer's are not confirmed the quick way"
            );
            assert_eq!(answer, DigestCheck::Matches);
            assert_eq!(exact, DigestCheck::Matches);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn quick_and_exact_answers_agree_on_random_edits(
        forests in 0usize..4,
        rules in 0usize..8,
        seed in any::<u64>(),
        edits in proptest::collection::vec((0usize..10, any::<usize>()), 0..4),
        reindent in any::<bool>(),
    ) {
        let config = generate(&GenerateOptions { forests, custom_rules_per_forest: rules, ous_per_domain: 2, seed });
        let original = write(&config);
        let mut edited = config.clone();
        for &(section, n) in &edits {
            edit_section(&mut edited, section, n);
        }
        let mut text = with_digest_of(&write(&edited), &original);
        if reindent {
            text = text.replace('\n', "\r\n");
        }
        let (_, answer, quick, exact) = both(&text);
        prop_assert_eq!(&answer, &exact);
        prop_assert_eq!(quick, edited == config && !reindent);
        prop_assert_eq!(answer == DigestCheck::Matches, edited == config);
    }
}
