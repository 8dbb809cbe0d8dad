//! Size limits of results: every function and operator that builds text or a collection stops
//! with a `too-large` evaluation error past the documented limits (1 MiB of text, 65,536 values,
//! 16 MiB in one collection) instead of asking for gigabytes; results at the limits still work.

use crate::{check, check_error, eval, n, EMPTY};
use syncpolicy_expr::eval::EvalErrorKind;
use syncpolicy_expr::value::{Value, MAX_TEXT_BYTES, MAX_TOTAL_BYTES, MAX_VALUES};

const TOO_LARGE: EvalErrorKind = EvalErrorKind::TooLarge;

/// `PadLeft("", 65536, "a")`: the longest padding, 64 KiB of `a`.
const A64K: &str = r#"PadLeft("", 65536, "a")"#;

#[test]
fn the_replace_bomb_of_the_issue_is_an_error() {
    let bomb = format!("Len(Replace({A64K}, \"a\", {A64K}))");
    check_error(
        &bomb,
        EMPTY,
        TOO_LARGE,
        "more than the limit of 1048576 bytes",
    );
    let mut nested = A64K.to_string();
    for _ in 0..5 {
        nested = format!("Replace({nested}, \"a\", \"aaaaaaaaaaaaaaaaaaaa\")");
    }
    check_error(&format!("Len({nested})"), EMPTY, TOO_LARGE, "bytes of text");
}

#[test]
fn text_exactly_at_the_limit_is_built() {
    // 65,536 × 16 bytes = 1 MiB exactly.
    let at_limit = format!("Replace({A64K}, \"a\", \"aaaaaaaaaaaaaaaa\")");
    check(&format!("Len({at_limit})"), EMPTY, n(MAX_TEXT_BYTES as i64));
    check_error(
        &format!("Len({at_limit} & \"x\")"),
        EMPTY,
        TOO_LARGE,
        "1048577 bytes",
    );
    check_error(
        &format!("Len(\"x\" & {at_limit})"),
        EMPTY,
        TOO_LARGE,
        "1048577 bytes",
    );
    // A chain of `&` (one growing buffer in the optimised evaluator) stops at the same place.
    check_error(
        &format!("Len(\"x\" & \"y\" & {at_limit} & \"z\")"),
        EMPTY,
        TOO_LARGE,
        "1048578 bytes",
    );
}

#[test]
fn every_text_builder_checks_the_limit() {
    // Join: 60,001 parts with a 100-byte delimiter.
    check_error(
        r#"Len(Join(Split(PadLeft("", 60000, ","), ","), PadLeft("", 100, "x")))"#,
        EMPTY,
        TOO_LARGE,
        "bytes of text",
    );
    // ReplaceChars: every character becomes 20.
    check_error(
        &format!("Len(ReplaceChars({A64K}, \"a:bbbbbbbbbbbbbbbbbbbb\"))"),
        EMPTY,
        TOO_LARGE,
        "1310720 bytes",
    );
    // Results bounded by their argument are checked once built (UCase, base64, hex).
    let big = format!("Replace({A64K}, \"a\", \"aaaaaaaaaaaaaaaa\")");
    check_error(
        &format!("Len(ConvertToBase64({big}, \"UTF8\"))"),
        EMPTY,
        TOO_LARGE,
        "bytes of text",
    );
    check_error(
        &format!("Len(ConvertToUTF8Hex({big}))"),
        EMPTY,
        TOO_LARGE,
        "2097152 bytes",
    );
    // Padding keeps its own, smaller limit on the length asked for.
    check_error(
        r#"PadLeft("", 65537, "a")"#,
        EMPTY,
        EvalErrorKind::InvalidArgument,
        "at most 65536",
    );
    check(r#"Len(PadRight("x", 65536, "é"))"#, EMPTY, n(65536));
}

#[test]
fn collections_stop_at_the_value_limit() {
    // Split into 131,073 parts.
    check_error(
        &format!("Count(Split(Replace({A64K}, \"a\", \",,\"), \",\"))"),
        EMPTY,
        TOO_LARGE,
        &format!("more than {MAX_VALUES} values"),
    );
    // Exactly 65,536 parts is allowed.
    check(
        r#"Count(Split(PadLeft("", 65535, ","), ","))"#,
        EMPTY,
        n(MAX_VALUES as i64),
    );
    // Select over 301 values giving 301 values each: 90,601 values.
    let parts = r#"Split(PadLeft("", 300, ","), ",")"#;
    check_error(
        &format!("Count(Select($x, {parts}, {parts}))"),
        EMPTY,
        TOO_LARGE,
        "values",
    );
    // A function mapped over a multi-valued attribute, each value giving a collection.
    let object = format!(
        "{{\"proxyAddresses\": [{}]}}",
        (0..300)
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    check_error(
        &format!(
            "Count(Split([proxyAddresses] & {}, \",\"))",
            r#"PadLeft("", 300, ",")"#
        ),
        &object,
        TOO_LARGE,
        "values",
    );
}

#[test]
fn collections_stop_at_the_total_text_limit() {
    // 300 values of 64 KiB each: 19.7 MB of text in one collection.
    let parts = r#"Split(PadLeft("", 299, ","), ",")"#;
    check_error(
        &format!("Count(Select($x, {parts}, {A64K}))"),
        EMPTY,
        TOO_LARGE,
        &format!("more than the limit of {MAX_TOTAL_BYTES} bytes"),
    );
    // 200 of them (13 MB) are fine.
    let parts = r#"Split(PadLeft("", 199, ","), ",")"#;
    check(
        &format!("Count(Select($x, {parts}, {A64K}))"),
        EMPTY,
        n(200),
    );
}

#[test]
fn remove_duplicates_of_a_large_collection_keeps_first_occurrences() {
    // 65,536 values, 16 distinct: linear time (a hash set), same order as before.
    let r = eval(
        r#"RemoveDuplicates(Split(Replace(PadLeft("", 4095, ","), ",", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,"), ","))"#,
        EMPTY,
    )
    .expect("evaluates");
    let Value::Multi(values) = r else {
        panic!("expected a collection, got {r:?}")
    };
    let texts: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    assert_eq!(texts.len(), 17, "{texts:?}");
    assert_eq!(texts[0], "a");
    assert_eq!(texts[15], "p");
    assert_eq!(texts[16], "");
    check(
        r#"RemoveDuplicates(Split("b,a,b,c,a", ","))"#,
        EMPTY,
        crate::multi(&["b", "a", "c"]),
    );
}

use proptest::prelude::*;

/// Expressions that build text and collections out of each other: growth by `Replace`, `&`,
/// `Join`, `Split`, `ReplaceChars`, `PadLeft`, `Select` over collections, and the functions that
/// grow by a bounded factor, nested up to a few levels.
fn growing() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(r#"PadLeft("", 65536, "a")"#.to_owned()),
        Just(r#"PadRight("ab", 4000, "é")"#.to_owned()),
        Just("[displayName]".to_owned()),
        Just("[proxyAddresses]".to_owned()),
        "[a-c,]{0,12}".prop_map(|s| format!("\"{s}\"")),
        Just("\"\\u{1b}]0;x\\u{7}\"".to_owned()),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} & {b})")),
            (inner.clone(), "[a,]{1,2}", inner.clone())
                .prop_map(|(a, old, b)| format!("Replace({a}, \"{old}\", {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, d)| format!("Join({a}, {d})")),
            inner.clone().prop_map(|a| format!("Split({a}, \",\")")),
            inner
                .clone()
                .prop_map(|a| format!("ReplaceChars({a}, \"a:bbbbbbbbbb,b:cc\")")),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("Select($x, Split({a}, \",\"), {b})")),
            inner.clone().prop_map(|a| format!("UCase({a})")),
            inner
                .clone()
                .prop_map(|a| format!("ConvertToBase64({a}, \"UTF8\")")),
            inner
                .clone()
                .prop_map(|a| format!("RemoveDuplicates(Split({a}, \"a\"))")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any composition ends in a result within the limits or a `too-large` error (or another
    /// evaluation error), the same through both evaluators (the `eval` helper compares them),
    /// never an abort: memory is bounded by what the limits let through.
    #[test]
    fn compositions_stay_within_the_limits(expr in growing()) {
        let object = r#"{"displayName": "Ana Lima", "proxyAddresses": ["smtp:a@contoso.com", "SMTP:b@contoso.com", "x500:/o=c"]}"#;
        if syncpolicy_expr::compile(&expr).is_err() {
            return Ok(());
        }
        match eval(&expr, object) {
            Ok(v) => {
                match &v {
                    Value::Multi(values) => {
                        prop_assert!(values.len() <= MAX_VALUES);
                        prop_assert!(v.size() <= MAX_TOTAL_BYTES);
                        for x in values {
                            prop_assert!(x.size() <= MAX_TEXT_BYTES);
                        }
                    }
                    v => prop_assert!(v.size() <= MAX_TEXT_BYTES),
                }
            }
            Err(e) => prop_assert!(!e.message.is_empty(), "{e:?}"),
        }
    }
}
