//! Hostile settings and rule files: depth, width, long strings, size, control characters,
//! truncation at every byte and wrong types. Each read ends in a clear error (kind, file, JSON
//! path, line and column) or a correct result, never a panic, and what is kept of unknown
//! content stays linear in size. Linear time is a benchmark matter (`scripts/bench-json`), not
//! asserted here.

use crate::{read, write};
use proptest::prelude::*;
use syncpolicy_json::error::{ReadError, ReadErrorKind};
use syncpolicy_json::MAX_DEPTH;

const FILE: &str = "hostile.json";

fn read_err(text: &str) -> ReadError {
    match syncpolicy_json::read_settings_str(text, FILE) {
        Ok(_) => panic!("expected an error reading {} bytes", text.len()),
        Err(e) => e,
    }
}

/// `{"policyMetadata": {"policyType": "x", "future": <levels nested arrays>}}`: the unknown
/// value's innermost array is at level `levels + 2` of the file.
fn nested_arrays(levels: usize) -> String {
    format!(
        "{{\"policyMetadata\": {{\"type\": \"x\", \"future\": {}1{}}}}}",
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

#[test]
fn a_hundred_thousand_nested_arrays_are_refused_with_the_place() {
    let e = read_err(&nested_arrays(100_000));
    assert_eq!(e.kind, ReadErrorKind::TooDeep);
    assert_eq!(e.kind.code(), ("SP907", "nesting-too-deep"));
    // Levels 1 and 2 are the two objects; the arrays start at level 3.
    let path = format!("policyMetadata.future{}", "[0]".repeat(MAX_DEPTH - 2));
    assert_eq!(e.json_path.as_deref(), Some(path.as_str()));
    let column = "{\"policyMetadata\": {\"type\": \"x\", \"future\": ".len() + MAX_DEPTH - 2 + 1;
    assert_eq!((e.line, e.column), (Some(1), Some(column as u32)));
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!(
            "{FILE}:1:{column}: arrays and objects nest more than 128 levels"
        )),
        "{shown}"
    );
    assert!(shown.contains("\nhint: "), "{shown}");
}

#[test]
fn nesting_exactly_at_the_limit_is_kept_and_written_back_linearly() {
    // Innermost array at level 128: accepted, kept, written, read back the same.
    let text = nested_arrays(MAX_DEPTH - 2);
    let config = read(&text);
    let field = &config.policy_metadata.preserved.0[0];
    assert_eq!(field.key, "future");
    assert_eq!(field.raw.len(), 2 * (MAX_DEPTH - 2) + 1);
    let written = write(&config);
    // Two-space indent per level: a few hundred bytes per level at most, never the square of
    // the whole input.
    assert!(written.len() < 40_000, "{} bytes written", written.len());
    assert_eq!(read(&written).policy_metadata, config.policy_metadata);
    // One more level is refused.
    assert_eq!(
        read_err(&nested_arrays(MAX_DEPTH - 1)).kind,
        ReadErrorKind::TooDeep
    );
}

#[test]
fn deep_unknown_values_inside_rules_count_from_the_top_of_the_file() {
    // A rule sits at level 5 (top, onpremisesDirectoryPolicy, directory, rule list, rule); its
    // unknown value may nest 123 more levels, which is past what the first read lets through
    // without looking closer.
    let rule = |levels: usize| {
        format!(
            "{{\"onpremisesDirectoryPolicy\": [{{\"customSynchronizationRules\": [{{\"Name\": \"r\", \"future\": {}\"x\"{}}}]}}]}}",
            "[".repeat(levels),
            "]".repeat(levels)
        )
    };
    let config = read(&rule(123));
    let r = &config.onpremises_directories[0].custom_rules[0];
    assert_eq!(r.name.as_deref(), Some("r"));
    assert_eq!(r.preserved.0[0].raw.len(), 2 * 123 + 3);
    let e = read_err(&rule(124));
    assert_eq!(e.kind, ReadErrorKind::TooDeep);
    assert!(
        e.json_path.as_deref().is_some_and(|p| p
            .starts_with("onpremisesDirectoryPolicy[0].customSynchronizationRules[0].future[0]")),
        "{e}"
    );
    // The same value in a rule file: the rule is level 1 there.
    let rule_file = |levels: usize| {
        format!(
            "{{\"Name\": \"r\", \"future\": {}{}}}",
            "{\"a\": ".repeat(levels),
            "1".to_owned() + &"}".repeat(levels)
        )
    };
    assert!(syncpolicy_json::read_rule(rule_file(127).as_bytes(), "rule.json").is_ok());
    let e = syncpolicy_json::read_rule(rule_file(128).as_bytes(), "rule.json").unwrap_err();
    assert_eq!(e.kind, ReadErrorKind::TooDeep);
    assert_eq!(e.file, "rule.json");
    assert_eq!(
        e.json_path.as_deref(),
        Some(format!("future{}", ".a".repeat(127)).as_str())
    );
}

#[test]
fn deep_nesting_where_a_setting_belongs_is_a_wrong_type_without_recursion() {
    for text in [
        format!("{{\"onpremisesDirectoryPolicy\": {}", "[".repeat(200_000)),
        format!(
            "{{\"policyMetadata\": {{\"type\": {}",
            "{\"a\":".repeat(200_000)
        ),
        "[".repeat(200_000),
    ] {
        let e = read_err(&text);
        assert!(
            matches!(e.kind, ReadErrorKind::WrongType | ReadErrorKind::NotJson),
            "{e}"
        );
        assert!(e.line.is_some() && e.column.is_some());
    }
}

#[test]
fn very_many_unknown_keys_read_and_duplicates_are_found_among_them() {
    let keys: Vec<String> = (0..100_000).map(|i| format!("\"k{i}\": {i}")).collect();
    let text = format!("{{\"policyMetadata\": {{{}}}}}", keys.join(","));
    let config = read(&text);
    assert_eq!(config.policy_metadata.preserved.0.len(), 100_000);
    let text = format!(
        "{{\"policyMetadata\": {{{}, \"k77777\": 0}}}}",
        keys.join(",")
    );
    let e = read_err(&text);
    assert_eq!(e.kind, ReadErrorKind::DuplicateKey);
    assert_eq!(e.json_path.as_deref(), Some("policyMetadata.k77777"));
}

#[test]
fn very_many_directories_and_rules_read() {
    let rule = "{\"Name\": \"r\", \"precedence\": 1}";
    let rules = vec![rule; 50_000].join(",");
    let dirs = vec!["{\"friendlyName\": \"d\"}"; 20_000].join(",");
    let text = format!(
        "{{\"onpremisesDirectoryPolicy\": [{dirs}, {{\"customSynchronizationRules\": [{rules}]}}]}}"
    );
    let config = read(&text);
    assert_eq!(config.onpremises_directories.len(), 20_001);
    assert_eq!(
        config.onpremises_directories[20_000].custom_rules.len(),
        50_000
    );
}

#[test]
fn long_lines_and_strings_read() {
    let long = "é".repeat(5_000_000);
    let text = format!("{{\"policyMetadata\": {{\"type\": \"{long}\", \"future\": \"{long}\"}}}}");
    let config = read(&text);
    assert_eq!(config.policy_metadata.policy_type.len(), long.len());
    assert_eq!(
        config.policy_metadata.preserved.0[0].raw.len(),
        long.len() + 2
    );
    // An error far into a long line still gets its column in characters.
    let text = format!("{{\"policyMetadata\": {{\"type\": \"{long}\", \"author\": 5}}}}");
    let e = read_err(&text);
    assert_eq!(e.kind, ReadErrorKind::WrongType);
    assert_eq!(e.json_path.as_deref(), Some("policyMetadata.author"));
    assert!(e.column.is_some_and(|c| c as usize > 5_000_000));
}

#[test]
fn control_characters_raw_in_strings_are_refused_and_escaped_ones_kept() {
    let e = read_err("{\"policyMetadata\": {\"type\": \"a\u{1b}]0;owned\u{7}\"}}");
    assert_eq!(e.kind, ReadErrorKind::NotJson);
    assert_eq!(e.json_path.as_deref(), Some("policyMetadata.type"));
    let config = read("{\"policyMetadata\": {\"type\": \"a\\u001b]0;x\\u0007\\r\\n\"}}");
    assert_eq!(config.policy_metadata.policy_type, "a\u{1b}]0;x\u{7}\r\n");
    // Written back escaped.
    let written = write(&config);
    assert!(!written.contains('\u{1b}') && !written.contains('\u{7}'));
    assert_eq!(
        read(&written).policy_metadata.policy_type,
        config.policy_metadata.policy_type
    );
}

#[test]
fn a_rule_file_truncated_at_every_byte_is_an_error() {
    let config = syncpolicy_samples::samples::multi_forest_custom();
    let rule = &config.onpremises_directories[0].custom_rules[0];
    let text = syncpolicy_json::write_rule(rule);
    assert!(syncpolicy_json::read_rule(text.as_bytes(), "rule.json").is_ok());
    let end = text.trim_end().len();
    for cut in 0..end {
        let Some(prefix) = text.get(..cut) else {
            continue;
        };
        let e = syncpolicy_json::read_rule(prefix.as_bytes(), "rule.json")
            .expect_err("a cut rule file is an error");
        assert!(
            matches!(e.kind, ReadErrorKind::Empty | ReadErrorKind::Truncated),
            "cut at {cut}: {e}"
        );
        if e.kind == ReadErrorKind::Truncated {
            assert!(e.line.is_some() && e.column.is_some(), "cut at {cut}: {e}");
        }
    }
}

#[test]
fn a_settings_file_truncated_anywhere_is_an_error() {
    let text = write(&syncpolicy_samples::samples::express_single_forest());
    let end = text.trim_end().len();
    // Every byte of the first and last 400 (where the nesting opens and closes), and every
    // 251st in between.
    let cuts = (0..end).filter(|c| *c < 400 || *c + 400 > end || c % 251 == 0);
    for cut in cuts {
        let Some(prefix) = text.get(..cut) else {
            continue;
        };
        let e = read_err(prefix);
        assert!(
            matches!(e.kind, ReadErrorKind::Empty | ReadErrorKind::Truncated),
            "cut at {cut}: {e}"
        );
    }
}

/// A JSON value of one of the hostile shapes.
fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("-0.5e300".to_owned()),
        Just("123456789012345678901234567890".to_owned()),
        "[\\PC]{0,40}".prop_map(|s| serde_json::to_string(&s).expect("string")),
        (1usize..400).prop_map(|n| format!("{}0{}", "[".repeat(n), "]".repeat(n))),
        (1usize..400).prop_map(|n| format!("{}0{}", "{\"a\":".repeat(n), "}".repeat(n))),
        (0usize..2_000).prop_map(|n| format!("[{}]", vec!["1"; n].join(","))),
        (0usize..300).prop_map(|n| format!(
            "{{{}}}",
            (0..n)
                .map(|i| format!("\"k{i}\":{i}"))
                .collect::<Vec<_>>()
                .join(",")
        )),
        "[\\x00-\\x1f]{1,3}".prop_map(|s| format!("\"{s}\"")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any hostile value under any key of a sample file: a correct read (kept or typed) or a
    /// clear error naming the place; and what is read writes back and reads back the same,
    /// within a size linear in the input.
    #[test]
    fn hostile_values_anywhere_give_a_result_or_a_clear_error(
        key_index in 0usize..64,
        unknown in proptest::bool::ANY,
        value in hostile_value(),
    ) {
        let sample = write(&syncpolicy_samples::samples::express_single_forest());
        // Pick the key-th `"key": ` of the file and replace its value's first token, or add an
        // unknown key before it.
        let starts: Vec<usize> = sample.match_indices("\": ").map(|(i, _)| i + 3).collect();
        let at = starts[key_index % starts.len()];
        let text = if unknown {
            let line_start = sample[..at].rfind('\n').map_or(0, |i| i + 1);
            format!("{}\"zz-future\": {value},\n{}", &sample[..line_start], &sample[line_start..])
        } else {
            let rest = &sample[at..];
            let token_end = match rest.as_bytes()[0] {
                b'"' => 1 + rest[1..].find('"').map_or(0, |i| i + 1),
                b'{' | b'[' => 0,
                _ => rest.find([',', '\n']).unwrap_or(rest.len()),
            };
            if token_end == 0 {
                // Containers are left alone; put the value in front as an unknown key.
                let line_start = sample[..at].rfind('\n').map_or(0, |i| i + 1);
                format!("{}\"zz-future\": {value},\n{}", &sample[..line_start], &sample[line_start..])
            } else {
                format!("{}{value}{}", &sample[..at], &rest[token_end..])
            }
        };
        match syncpolicy_json::read_settings_str(&text, FILE) {
            Ok(mut config) => {
                let written = write(&config);
                prop_assert!(written.len() < 300 * text.len(), "{} bytes from {}", written.len(), text.len());
                // The digest recorded in the file is the sample's; the written one is new.
                let mut back = read(&written);
                back.extension.recorded_digest = None;
                config.extension.recorded_digest = None;
                prop_assert_eq!(back, config);
            }
            Err(e) => {
                prop_assert!(e.line.is_some() && e.column.is_some(), "{}", e);
                prop_assert!(!e.message.is_empty() && !e.hint.is_empty());
                prop_assert_eq!(e.file.as_str(), FILE);
            }
        }
    }
}

/// A file large enough that its directories are read on several threads: the same
/// configuration as a one-thread read, and an error in any directory still named at its place
/// in the whole file.
#[test]
fn a_large_file_read_in_parallel_reads_the_same_and_names_error_places() {
    let config =
        syncpolicy_samples::generate::generate(&syncpolicy_samples::generate::GenerateOptions {
            forests: 9,
            custom_rules_per_forest: 400,
            ous_per_domain: 5,
            seed: 4,
        });
    let text = write(&config);
    assert!(text.len() > 5 << 20, "{} bytes", text.len());
    let mut back = read(&text);
    back.extension.recorded_digest = config.extension.recorded_digest.clone();
    assert_eq!(back.onpremises_directories, config.onpremises_directories);
    // A wrong type in the last directory.
    let at = text.rfind("\"precedence\": ").expect("a precedence") + 14;
    let bad = format!(
        "{}\"high\"{}",
        &text[..at],
        &text[at..].trim_start_matches(|c: char| c.is_ascii_digit())
    );
    let e = read_err(&bad);
    assert_eq!(e.kind, ReadErrorKind::WrongType);
    let line = text[..at].matches('\n').count() as u32 + 1;
    assert_eq!(e.line, Some(line));
    let path = e.json_path.clone().unwrap_or_default();
    assert!(
        path.starts_with("onpremisesDirectoryPolicy[8].") && path.ends_with(".precedence"),
        "{path}"
    );
    // An unknown value nested past the limit in the fifth directory.
    // Directories' keys are the only ones indented by six spaces that are `friendlyName`.
    let at = text
        .match_indices("\n      \"friendlyName\": ")
        .nth(4)
        .expect("a fifth directory")
        .0
        + 7;
    let deep = format!(
        "{}\"future\": {}1{},\n      {}",
        &text[..at],
        "[".repeat(300),
        "]".repeat(300),
        &text[at..]
    );
    let e = read_err(&deep);
    assert_eq!(e.kind, ReadErrorKind::TooDeep);
    assert!(
        e.json_path
            .as_deref()
            .is_some_and(|p| p.starts_with("onpremisesDirectoryPolicy[4].future[0]")),
        "{e}"
    );
}
