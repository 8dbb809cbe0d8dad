//! The optimised evaluator (`Compiled::eval`) against the straightforward reference evaluator
//! (`Compiled::eval_reference`): on random expressions and random objects both must give the
//! same value or the same error (kind, message and span).

use crate::parameters;
use proptest::prelude::*;
use syncpolicy_expr::env::{Env, SourceObject};
use syncpolicy_expr::time::DateTime;
use syncpolicy_expr::value::Value;

/// String values chosen to hit the special cases: empty, the prefixes the out-of-box rules test
/// for, braces, DN escapes and conflicts, numbers and Booleans as text, non-ASCII text.
const TEXTS: &[&str] = &[
    "",
    "a",
    "user1",
    "CAS_{12}",
    "MSOL_ab",
    "AAD_x",
    "SystemMailbox{1}",
    "SUPPORT_388945a0",
    "True",
    "false",
    "12",
    "&H1F",
    " a b ",
    "x}",
    "héllo wörld",
    "CN=User 1,OU=Sales,DC=contoso,DC=com",
    "CN=User 2\\0ACNF:6f96,OU=Users,DC=contoso,DC=com",
    "CN=A\\, B;OU=\"x,y\", DC=com",
    "=,;",
];

fn text() -> impl Strategy<Value = String> {
    proptest::sample::select(TEXTS).prop_map(str::to_string)
}

fn value() -> impl Strategy<Value = Value> {
    let scalar = prop_oneof![
        text().prop_map(Value::Str),
        text().prop_map(Value::Ref),
        prop_oneof![
            Just(0i64),
            Just(1),
            Just(2),
            Just(-3),
            Just(0x2000_0000),
            Just(512)
        ]
        .prop_map(Value::Num),
        any::<bool>().prop_map(Value::Bool),
        proptest::collection::vec(any::<u8>(), 0..4).prop_map(Value::Bin),
    ];
    prop_oneof![
        6 => scalar.clone(),
        1 => proptest::collection::vec(scalar, 1..4).prop_map(Value::Multi),
    ]
}

const ATTRIBUTES: &[&str] = &["a", "b", "c", "dn", "n", "m"];

/// An object with some of the attributes above, inserted in a random order (so that their
/// positions differ between objects, as the evaluator's position hints must cope with).
fn object() -> impl Strategy<Value = SourceObject> {
    (
        proptest::collection::vec(proptest::option::of(value()), ATTRIBUTES.len()),
        Just(ATTRIBUTES.to_vec()).prop_shuffle(),
    )
        .prop_map(|(values, order)| {
            let mut o = SourceObject::new();
            for (name, v) in order.into_iter().zip(values) {
                if let Some(v) = v {
                    o.insert(name, v);
                }
            }
            o
        })
}

fn literal(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Expression text over the attributes above, built from the functions and operators the
/// optimised evaluator treats specially plus some it does not.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        proptest::sample::select(ATTRIBUTES).prop_map(|a| format!("[{a}]")),
        Just("[absent]".to_string()),
        text().prop_map(|t| literal(&t)),
        prop_oneof![Just(0i64), Just(1), Just(2), Just(4), Just(14), Just(-1)]
            .prop_map(|n| n.to_string()),
        Just("&H21C07000".to_string()),
        Just("True".to_string()),
        Just("False".to_string()),
        Just("NULL".to_string()),
        Just("%Domain.FQDN%".to_string()),
    ];
    leaf.prop_recursive(4, 40, 3, |inner| {
        let e = || inner.clone();
        prop_oneof![
            (e(), e(), e()).prop_map(|(a, b, c)| format!("IIF({a}, {b}, {c})")),
            (e(), e()).prop_map(|(a, b)| format!("Left({a}, {b})")),
            (e(), e()).prop_map(|(a, b)| format!("Right({a}, {b})")),
            (e(), e(), e()).prop_map(|(a, b, c)| format!("Mid({a}, {b}, {c})")),
            (e(), e()).prop_map(|(a, b)| format!("InStr({a}, {b})")),
            (e(), e()).prop_map(|(a, b)| format!("DNComponent({a}, {b})")),
            (e(), e()).prop_map(|(a, b)| format!("BitAnd({a}, {b})")),
            (e(), e()).prop_map(|(a, b)| format!("BitOr({a}, {b})")),
            e().prop_map(|a| format!("CRef({a})")),
            e().prop_map(|a| format!("CBool({a})")),
            e().prop_map(|a| format!("IsPresent({a})")),
            e().prop_map(|a| format!("IsNullOrEmpty({a})")),
            e().prop_map(|a| format!("IsNull({a})")),
            e().prop_map(|a| format!("Trim({a})")),
            e().prop_map(|a| format!("Count({a})")),
            e().prop_map(|a| format!("Len({a})")),
            (e(), e()).prop_map(|(a, b)| format!("Join({a}, {b})")),
            e().prop_map(|a| format!("Split({a}, \",\")")),
            e().prop_map(|a| format!("Error({a})")),
            e().prop_map(|a| format!("-{a}")),
            (e(), proptest::sample::select(TEXTS), any::<bool>()).prop_map(|(a, t, eq)| {
                // The fused `Left(x, n) = "literal"` shape, with n the literal's length.
                let n = t.chars().count();
                let op = if eq { "=" } else { "<>" };
                format!("Left({a}, {n}) {op} {}", literal(t))
            }),
            (
                e(),
                proptest::sample::select(vec![
                    "=", "<>", "<", "<=", ">", ">=", "&", "&&", "||", "+", "-"
                ]),
                e()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            (e(), e(), e()).prop_map(|(a, b, c)| format!("{a} & {b} & {c}")),
            (e(), e(), e()).prop_map(|(a, b, c)| format!("{a} || {b} || {c}")),
            (e(), e(), e()).prop_map(|(a, b, c)| format!("{a} && {b} && {c}")),
            // The shapes the typed condition tests answer (`conditions.rs`), as values and
            // as conditions (where the tests are used).
            condition(e()),
            (condition(e()), e(), e()).prop_map(|(c, a, b)| format!("IIF({c}, {a}, {b})")),
            (condition(e()), condition(e()), condition(e()))
                .prop_map(|(a, b, c)| format!("IIF({a} || {b} && {c}, 1, 2)")),
            (e(), e(), e(), e())
                .prop_map(|(c1, v1, c2, v2)| format!("Switch({c1}, {v1}, {c2}, {v2})")),
            (e(), e()).prop_map(|(a, b)| format!("Select($x, {a}, $x & {b})")),
            (e(), e()).prop_map(|(a, b)| format!("Where($x, {a}, {b} = $x)")),
        ]
    })
}

/// The Boolean shapes the typed condition tests answer, over operands from `e`: text
/// comparisons (also of `Left`, `Right`, `DNComponent` and `CRef` results), prefix and
/// `InStr` tests, `IsPresent` against a Boolean, `BitAnd` of an attribute against a number, and
/// `CBool(IIF(...))`.
fn condition(e: BoxedStrategy<String>) -> BoxedStrategy<String> {
    let comparison = proptest::sample::select(vec!["=", "<>", "<", "<=", ">", ">="]);
    let count = prop_oneof![Just(-1i64), Just(0), Just(1), Just(2), Just(4)];
    let operand = prop_oneof![
        proptest::sample::select(ATTRIBUTES).prop_map(|a| format!("[{a}]")),
        Just("[absent]".to_string()),
        text().prop_map(|t| literal(&t)),
        Just("%Domain.FQDN%".to_string()),
        (proptest::sample::select(ATTRIBUTES), count.clone())
            .prop_map(|(a, k)| format!("DNComponent(CRef([{a}]), {k})")),
        (proptest::sample::select(ATTRIBUTES), count.clone())
            .prop_map(|(a, n)| format!("Left([{a}], {n})")),
        (proptest::sample::select(ATTRIBUTES), count)
            .prop_map(|(a, n)| format!("Right([{a}], {n})")),
    ];
    prop_oneof![
        (operand.clone(), comparison.clone(), operand.clone())
            .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (operand.clone(), text(), any::<bool>()).prop_map(|(a, t, eq)| {
            let n = t.chars().count();
            let op = if eq { "=" } else { "<>" };
            format!("Left({a}, {n}) {op} {}", literal(&t))
        }),
        (
            operand,
            text(),
            proptest::sample::select(vec![
                "> 0", "= 0", ">= 1", "<> 0", "< 1", "<= 0", "= 1", "> 1"
            ])
        )
            .prop_map(|(a, t, cmp)| format!("InStr({a}, {}) {cmp}", literal(&t))),
        (e.clone(), any::<bool>(), any::<bool>()).prop_map(|(a, eq, b)| {
            let op = if eq { "=" } else { "<>" };
            format!("IsPresent({a}) {op} {}", if b { "True" } else { "False" })
        }),
        (
            proptest::sample::select(ATTRIBUTES),
            proptest::sample::select(vec!["&H21C07000", "1", "3", "0", "-1"]),
            comparison,
            prop_oneof![Just(0i64), Just(1), Just(512)]
        )
            .prop_map(|(a, mask, op, n)| format!("BitAnd([{a}], {mask}) {op} {n}")),
        (e.clone(), e.clone(), e).prop_map(|(c, a, b)| format!("CBool(IIF({c}, {a}, {b}))")),
    ]
    .boxed()
}

/// Evaluates `source` on `object` both ways; `None` when it does not compile (the checker
/// rejects some random combinations).
fn both(source: &str, object: &SourceObject) -> Option<(String, String)> {
    let compiled = syncpolicy_expr::compile(source).ok()?;
    let params = parameters();
    let env = Env::new(object, &params)
        .with_seed(3)
        .with_now(DateTime::parse("2024-05-06T07:08:09Z").expect("valid date"));
    Some((
        format!("{:?}", compiled.eval(&env)),
        format!("{:?}", compiled.eval_reference(&env)),
    ))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5000, ..ProptestConfig::default() })]

    #[test]
    fn optimised_matches_reference(source in expression(), object in object()) {
        if let Some((fast, reference)) = both(&source, &object) {
            prop_assert_eq!(fast, reference, "`{}` on {:?}", source, object);
        }
    }

    /// One compiled expression over a stream of objects of different shapes: what the
    /// evaluator remembers between evaluations (where each attribute was last found) must not
    /// change any result.
    #[test]
    fn one_compiled_expression_over_many_objects(
        source in expression(),
        objects in proptest::collection::vec(object(), 2..8),
    ) {
        let Ok(compiled) = syncpolicy_expr::compile(&source) else {
            return Ok(());
        };
        let params = parameters();
        for object in &objects {
            let env = Env::new(object, &params)
                .with_seed(3)
                .with_now(DateTime::parse("2024-05-06T07:08:09Z").expect("valid date"));
            prop_assert_eq!(
                format!("{:?}", compiled.eval(&env)),
                format!("{:?}", compiled.eval_reference(&env)),
                "`{}` on {:?}", source, object
            );
        }
    }
}

/// Expressions for the kept results: the random ones, and those around the functions that read
/// the object by name or use its seed (whose results must never be kept).
fn expression_for_kept() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => expression(),
        1 => expression().prop_map(|e| format!("IIF(IsPresent({e}), {e}, RandomNum(1, 1000000))")),
        1 => expression().prop_map(|e| format!("{e} & Guid()")),
        1 => expression().prop_map(|e| format!("IIF(IsNullOrEmpty({e}), ImportedValue(\"a\"), {e})")),
        1 => expression().prop_map(|e| format!("IIF(IsNull({e}), ValueCount(\"m\"), 0)")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// `Compiled::eval_kept` over a stream of objects, some of them without any attribute the
    /// expression reads and each with its own seed: every result is the reference evaluator's
    /// on that object, so a kept result is only ever one that cannot differ.
    #[test]
    fn kept_results_match_reference(
        source in expression_for_kept(),
        objects in proptest::collection::vec(
            prop_oneof![1 => Just(SourceObject::new()), 2 => object()],
            2..8,
        ),
    ) {
        let Ok(compiled) = syncpolicy_expr::compile(&source) else {
            return Ok(());
        };
        let params = parameters();
        let kept = syncpolicy_expr::eval::AbsentResult::new();
        for (seed, object) in objects.iter().enumerate() {
            let env = Env::new(object, &params)
                .with_seed(seed as u64)
                .with_now(DateTime::parse("2024-05-06T07:08:09Z").expect("valid date"));
            prop_assert_eq!(
                format!("{:?}", compiled.eval_kept(&env, &kept)),
                format!("{:?}", compiled.eval_reference(&env)),
                "`{}` on {:?}", source, object
            );
        }
    }
}

/// Which expressions keep their result on objects without the attributes they read.
#[test]
fn results_are_kept_only_where_the_object_cannot_change_them() {
    let keeps = |e: &str| {
        syncpolicy_expr::compile(e)
            .expect("compiles")
            .keeps_absent_result()
    };
    assert!(keeps("Trim([extensionAttribute1])"));
    assert!(keeps("%Connector.ID%"));
    assert!(keeps(
        r#"IIF(IsNullOrEmpty([usageLocation]), IgnoreThisFlow, [usageLocation])"#
    ));
    assert!(keeps(r#"IIF(IsPresent([a]), Error("a is set"), NULL)"#));
    assert!(!keeps("RandomNum(1, 10)"));
    assert!(!keeps(r#"IIF(IsPresent([a]), [a], Guid())"#));
    assert!(!keeps(
        r#"RemoveDuplicates(Trim(ImportedValue("proxyAddresses")))"#
    ));
    assert!(!keeps(r#"ValueCount("member")"#));
    // More attributes than the evaluator looks up ahead: the rest are read by name.
    let many: Vec<String> = (0..40).map(|i| format!("[a{i}]")).collect();
    assert!(!keeps(&many.join(" & ")));
    let some: Vec<String> = (0..20).map(|i| format!("[a{i}]")).collect();
    assert!(keeps(&some.join(" & ")));

    // A kept result is the one of the first object without the attributes; an object with one
    // of them is evaluated.
    let compiled =
        syncpolicy_expr::compile(r#"IIF(IsPresent([a]), [a], %Domain.FQDN%)"#).expect("compiles");
    let params = parameters();
    let kept = syncpolicy_expr::eval::AbsentResult::new();
    let empty = SourceObject::new();
    let mut with_a = SourceObject::new();
    with_a.insert("a", Value::Str("x".into()));
    let mut null_a = SourceObject::new();
    null_a.insert("a", Value::Null);
    for (object, expected) in [
        (&empty, "contoso.com"),
        (&with_a, "x"),
        (&null_a, "contoso.com"),
        (&empty, "contoso.com"),
    ] {
        let env = Env::new(object, &params);
        assert_eq!(
            compiled.eval_kept(&env, &kept),
            Ok(Value::Str(expected.into()))
        );
    }
}

/// The out-of-box expressions and the fused and borrowed paths, on objects that reach every
/// branch, compiled and compared.
#[test]
fn out_of_box_expressions_match_reference() {
    let expressions = [
        crate::oob::CLOUD_FILTERED,
        crate::oob::USER_PRINCIPAL_NAME,
        r#"Left([a], 4) = "CAS_" && InStr([a], "}") > 0"#,
        r#"DNComponent(CRef([dn]), 2) & "|" & Right([a], 3) & Mid([a], 2, 3)"#,
        r#"IIF(InStr([m], "SIP:") = 1, NULL, [m])"#,
        r#"Left([m], 2) = "ab""#,
        r#"CBool([m])"#,
        r#"IIF(IsPresent([m]) = False || [a] = "x" || (Left([a], 4) = "CAS_" && InStr([a], "}") = 0), "yes", "no")"#,
        r#"IIF(CBool(IIF(IsPresent([msExchRecipientTypeDetails]), BitAnd([msExchRecipientTypeDetails], &H21C07000) > 0, NULL)), 1, 2)"#,
        r#"IIF(InStr(DNComponent(CRef([dn]), 1), "\0ACNF:") > 0 && Left(DNComponent([dn], 2), 3) = "OU=", "conflict", "plain")"#,
        r#"Switch([a] = %Domain.FQDN%, 1, InStr(Right([m], 3), "c") >= 1, 2, True, 3)"#,
    ];
    // Every comparison operator, in a condition position, on text, null and multi-valued
    // operands.
    let comparisons: Vec<String> = ["=", "<>", "<", "<=", ">", ">="]
        .iter()
        .flat_map(|op| {
            [
                format!(r#"IIF([a] {op} "user1", 1, 2)"#),
                format!(r#"IIF([a] {op} [m] || [absent] {op} "x", 1, 2)"#),
                format!(r#"IIF(BitAnd([msExchRecipientTypeDetails], 536870912) {op} 0, 1, 2)"#),
                format!(r#"IIF(BitAnd(1, [msExchRecipientTypeDetails]) {op} 1, 1, 2)"#),
                format!(r#"IIF(Left([absent], 4) {op} "CAS_" || Right([absent], 2) {op} "", 1, 2)"#),
                format!(r#"IIF(DNComponent([dn], 0) {op} "x" || DNComponent(CRef([dn]), 3) {op} "DC=com", 1, 2)"#),
                format!(r#"IIF(InStr([m], "S") {op} 0 && InStr([a], "1") {op} 1, 1, 2)"#),
                format!(r#"IIF(IsPresent([m]) {op} True, 1, 2)"#),
            ]
        })
        .collect();
    let expressions: Vec<&str> = expressions
        .into_iter()
        .chain(comparisons.iter().map(String::as_str))
        .collect();
    let mut objects = Vec::new();
    for text in TEXTS {
        for multi in [false, true] {
            let mut o = SourceObject::new();
            let v = |s: &str| Value::Str(s.to_string());
            o.insert("sAMAccountName", v(text));
            o.insert("mailNickname", v(text));
            o.insert("a", v(text));
            o.insert("dn", Value::Ref(text.to_string()));
            let details = if multi { 3 } else { 0x2000_0000 };
            o.insert("msExchRecipientTypeDetails", Value::Num(details));
            if multi {
                o.insert("m", Value::Multi(vec![v("SIP:x"), v(text), v("abc")]));
                o.insert("userPrincipalName", Value::Multi(vec![v(text), v("b")]));
            } else {
                o.insert("m", v(text));
            }
            objects.push(o);
        }
    }
    objects.push(SourceObject::new());
    let mut compared = 0;
    for source in &expressions {
        for object in &objects {
            let Some((fast, reference)) = both(source, object) else {
                panic!("`{source}` does not compile");
            };
            assert_eq!(fast, reference, "`{source}` on {object:?}");
            compared += 1;
        }
    }
    assert_eq!(compared, expressions.len() * objects.len());
}

/// One compiled expression shared by threads that evaluate differently shaped objects at the
/// same time (so the remembered attribute positions change under each other): every result
/// is still the reference evaluator's.
#[test]
fn one_compiled_expression_shared_by_threads() {
    let compiled = syncpolicy_expr::compile(crate::oob::CLOUD_FILTERED).expect("compiles");
    let params = parameters();
    let objects: Vec<SourceObject> = (0..400)
        .map(|i| {
            let mut o = SourceObject::new();
            // Different attribute orders and presence from object to object.
            let names = [
                "sAMAccountName",
                "mailNickname",
                "dn",
                "isCriticalSystemObject",
            ];
            for k in 0..names.len() {
                let name = names[(i + k) % names.len()];
                let text = TEXTS[(i * 7 + k) % TEXTS.len()];
                if (i + k) % 5 != 0 && !(name == "isCriticalSystemObject" && i % 3 != 0) {
                    o.insert(name, Value::Str(text.to_string()));
                }
            }
            o
        })
        .collect();
    std::thread::scope(|scope| {
        for part in 0..2 {
            let (compiled, objects, params) = (&compiled, &objects, &params);
            scope.spawn(move || {
                for round in 0..20 {
                    for object in objects.iter().skip((part + round) % 2).step_by(2) {
                        let env = Env::new(object, params);
                        assert_eq!(
                            format!("{:?}", compiled.eval(&env)),
                            format!("{:?}", compiled.eval_reference(&env)),
                            "{object:?}"
                        );
                    }
                }
            });
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// `trim_leaves` promises that `Trim([a])` gives the value back as it is; a caller takes
    /// the value instead of evaluating on that promise.
    #[test]
    fn a_value_trim_leaves_is_what_trim_gives(value in value()) {
        let compiled = syncpolicy_expr::compile("Trim([a])").expect("compiles");
        let mut object = SourceObject::new();
        object.insert("a", value.clone());
        let params = parameters();
        let env = Env::new(&object, &params);
        let result = compiled.eval(&env);
        if syncpolicy_expr::eval::trim_leaves(&value) {
            prop_assert_eq!(result, Ok(value));
        }
    }
}

#[test]
fn which_values_trim_leaves() {
    use syncpolicy_expr::eval::trim_leaves;
    let s = |t: &str| Value::Str(t.to_owned());
    assert!(trim_leaves(&s("Doe")));
    assert!(trim_leaves(&s("a b")));
    assert!(trim_leaves(&Value::Multi(vec![s("x"), s("y z")])));
    for v in [
        s(""),
        s(" Doe"),
        s("Doe\t"),
        s("\u{a0}Doe"),
        s("Doe\u{3000}"),
        Value::Multi(vec![s("x"), s("y ")]),
        Value::Multi(vec![s("x"), s("")]),
        Value::Multi(vec![]),
        Value::Ref("CN=x".to_owned()),
        Value::Num(1),
        Value::Bool(true),
        Value::Bin(vec![1]),
        Value::Null,
        Value::AuthoritativeNull,
        Value::IgnoreThisFlow,
    ] {
        assert!(!trim_leaves(&v), "{v:?}");
    }
    let trimmed = |text: &str| {
        syncpolicy_expr::compile(text)
            .expect("compiles")
            .trimmed_attribute()
            .map(str::to_owned)
    };
    assert_eq!(trimmed("Trim([givenName])"), Some("givenName".to_owned()));
    assert_eq!(trimmed("Trim( [sn] )"), Some("sn".to_owned()));
    assert_eq!(trimmed("LTrim([sn])"), None);
    assert_eq!(trimmed("Trim([sn]) & \"\""), None);
    assert_eq!(trimmed("Trim(Trim([sn]))"), None);
    assert_eq!(trimmed("Trim(\"x\")"), None);
    assert_eq!(trimmed("[sn]"), None);
}
