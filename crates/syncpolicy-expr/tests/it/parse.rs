//! Parser tests: precedence, error recovery with positions (snapshots), the print/re-parse
//! property, and a no-panic run over 100,000 random inputs.

use proptest::prelude::*;
use syncpolicy_expr::ast::{BinOp, Constant, Expr, ExprKind};
use syncpolicy_expr::catalogue::{ENUM_IDENTIFIERS, FUNCTIONS};
use syncpolicy_expr::diagnostic::{render, ExprDiagnosticKind, Span};
use syncpolicy_expr::env::{Env, Parameters, SourceObject};
use syncpolicy_expr::parser::{parse_with, ArithmeticPrecedence, ParseOptions};
use syncpolicy_expr::value::Value;

/// Parses and prints back, failing on any diagnostic.
fn reprint(source: &str) -> String {
    let (expr, diagnostics) = syncpolicy_expr::parse(source);
    assert!(diagnostics.is_empty(), "{source}: {diagnostics:#?}");
    expr.map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn literals_and_references_print_canonically() {
    assert_eq!(reprint("&HFF"), "&HFF");
    assert_eq!(reprint("&h21c07000"), "&H21C07000");
    assert_eq!(reprint("true"), "True");
    assert_eq!(reprint("null"), "NULL");
    assert_eq!(reprint(r#""a\\b\"c""#), r#""a\\b\"c""#);
    assert_eq!(
        reprint("[mS-DS-ConsistencyGuid]"),
        "[mS-DS-ConsistencyGuid]"
    );
    assert_eq!(reprint("%Domain.FQDN%"), "%Domain.FQDN%");
    assert_eq!(
        reprint("Select($item,[a],Trim($item))"),
        "Select($item, [a], Trim($item))"
    );
    assert_eq!(reprint("Now()"), "Now()");
    assert_eq!(reprint("-5 - -[x]"), "-5 - -[x]");
}

#[test]
fn string_escapes() {
    let (expr, _) = syncpolicy_expr::parse(r#""\\0ACNF:""#);
    assert_eq!(expr.map(|e| e.kind), Some(ExprKind::Str("\\0ACNF:".into())));
    // Other backslash sequences are kept as they are.
    let (expr, _) = syncpolicy_expr::parse(r#""a\nb""#);
    assert_eq!(expr.map(|e| e.kind), Some(ExprKind::Str("a\\nb".into())));
}

#[test]
fn precedence_tiers() {
    // Concatenation binds tighter than comparison, arithmetic tighter than concatenation.
    assert_eq!(reprint("([a] & \"x\") = \"y\""), "[a] & \"x\" = \"y\"");
    assert_eq!(reprint("([a] + 1) & \"x\""), "[a] + 1 & \"x\"");
    // `&&` binds tighter than `||`.
    assert_eq!(reprint("[a] || ([b] && [c])"), "[a] || [b] && [c]");
    assert_eq!(reprint("([a] || [b]) && [c]"), "([a] || [b]) && [c]");
    // Left associativity.
    assert_eq!(reprint("[a] - ([b] - [c])"), "[a] - ([b] - [c])");
    assert_eq!(reprint("([a] - [b]) - [c]"), "[a] - [b] - [c]");
}

#[test]
fn arithmetic_is_left_to_right_by_default_and_flagged() {
    let (expr, diagnostics) = syncpolicy_expr::parse("5+3*2");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].kind, ExprDiagnosticKind::MixedArithmetic);
    assert_eq!(
        expr.map(|e| e.to_string()).unwrap_or_default(),
        "(5 + 3) * 2"
    );
    let (expr, diagnostics) = parse_with(
        "5+3*2",
        ParseOptions {
            arithmetic: ArithmeticPrecedence::Conventional,
        },
    );
    assert!(diagnostics.is_empty());
    assert_eq!(
        expr.map(|e| e.to_string()).unwrap_or_default(),
        "5 + (3 * 2)"
    );
    crate::check("5+3*2", crate::EMPTY, crate::n(16));
    crate::check("5+(3*2)", crate::EMPTY, crate::n(11));
}

#[test]
fn spans_point_at_the_source() {
    let source = "IIF(IsPresent([a]), [b], NULL)";
    let (expr, _) = syncpolicy_expr::parse(source);
    let Some(Expr {
        kind: ExprKind::Call {
            args, name_span, ..
        },
        span,
    }) = expr
    else {
        panic!("expected a call");
    };
    assert_eq!(span, Span::new(0, source.len()));
    assert_eq!(&source[name_span.start..name_span.end], "IIF");
    assert_eq!(&source[args[1].span.start..args[1].span.end], "[b]");
    assert_eq!(
        &source[args[0].span.start..args[0].span.end],
        "IsPresent([a])"
    );
}

/// Every diagnostic of each broken expression, rendered with carets.
#[test]
fn parse_errors_snapshot() {
    let cases = [
        "",
        "Trim([a]",
        "Trim([a]))",
        "IIF([a] = , \"x\" \"y\")",
        "[a] = 1 = 2",
        "\"unterminated",
        "[attr",
        "%Domain.FQDN",
        "[a] ! [b]",
        "Left([a] 3)",
        "Trim([a]) Trim([b]) )",
        "&HFFFFFFFFFFFFFFFFFF",
        "$ & []",
        "IIF(\n  IsPresent([a]) ||\n  [b] = ,\n  True, NULL)",
        "“smart quotes”",
        "[a] | [b]",
    ];
    let mut out = String::new();
    for source in cases {
        let (_, diagnostics) = syncpolicy_expr::parse(source);
        assert!(
            !diagnostics.is_empty(),
            "{source:?} should have diagnostics"
        );
        out.push_str(&format!("=== {source:?}\n"));
        out.push_str(&render(source, &diagnostics, false));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn recovery_reports_every_error() {
    let (_, diagnostics) = syncpolicy_expr::parse("IIF([a] = , \"x\" \"y\") & Trim([b] ,)");
    let kinds: Vec<_> = diagnostics.iter().map(|d| (d.kind, d.span.start)).collect();
    assert_eq!(
        kinds,
        vec![
            (ExprDiagnosticKind::ExpectedExpression, 10),
            (ExprDiagnosticKind::ExpectedOperator, 16),
            (ExprDiagnosticKind::ExpectedExpression, 33),
        ]
    );
}

#[test]
fn nesting_is_limited_without_crashing() {
    let deep = format!("{}[a]{}", "Trim(".repeat(120), ")".repeat(120));
    crate::check(&deep, r#"{"a": " x "}"#, crate::s("x"));
    let too_deep = format!("{}[a]{}", "(".repeat(5000), ")".repeat(5000));
    let (expr, diagnostics) = syncpolicy_expr::parse(&too_deep);
    assert!(expr.is_none());
    assert!(diagnostics
        .iter()
        .any(|d| d.kind == ExprDiagnosticKind::TooComplex));
    let long_chain = vec!["1"; 1000].join(" + ");
    let (expr, diagnostics) = syncpolicy_expr::parse(&long_chain);
    assert!(expr.is_none(), "{diagnostics:?}");
}

// ---------------------------------------------------------------------------------------------
// Property: printing a tree and parsing the text gives the same tree.

fn leaf() -> impl Strategy<Value = Expr> {
    let kind = prop_oneof![
        any::<String>().prop_map(ExprKind::Str),
        (0..i64::MAX, any::<bool>()).prop_map(|(value, hex)| ExprKind::Num { value, hex }),
        any::<bool>().prop_map(ExprKind::Bool),
        prop_oneof![
            Just(Constant::Null),
            Just(Constant::AuthoritativeNull),
            Just(Constant::IgnoreThisFlow),
            Just(Constant::Crlf)
        ]
        .prop_map(ExprKind::Const),
        "[a-zA-Z][a-zA-Z0-9-]{0,12}".prop_map(ExprKind::Attr),
        "[A-Za-z][A-Za-z0-9.]{0,12}".prop_map(ExprKind::Param),
        "[a-z][a-zA-Z0-9_]{0,6}".prop_map(ExprKind::Var),
        proptest::sample::select(ENUM_IDENTIFIERS).prop_map(|s| ExprKind::Ident(s.to_string())),
    ];
    kind.prop_map(|k| Expr::new(k, Span::default()))
}

fn op() -> impl Strategy<Value = BinOp> {
    proptest::sample::select(vec![
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
        BinOp::Concat,
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
        BinOp::And,
        BinOp::Or,
    ])
}

fn tree() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(6, 48, 4, |inner| {
        prop_oneof![
            (
                proptest::sample::select(FUNCTIONS.iter().map(|f| f.name).collect::<Vec<_>>()),
                proptest::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(name, args)| Expr::new(
                    ExprKind::Call {
                        name: name.to_string(),
                        name_span: Span::default(),
                        args
                    },
                    Span::default()
                )),
            inner
                .clone()
                .prop_map(|e| Expr::new(ExprKind::Neg(Box::new(e)), Span::default())),
            (op(), inner.clone(), inner).prop_map(|(op, l, r)| Expr::new(
                ExprKind::Binary {
                    op,
                    lhs: Box::new(l),
                    rhs: Box::new(r)
                },
                Span::default()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn print_then_parse_gives_the_same_tree(expr in tree()) {
        let text = expr.to_string();
        for arithmetic in [ArithmeticPrecedence::LeftToRight, ArithmeticPrecedence::Conventional] {
            let (parsed, diagnostics) = parse_with(&text, ParseOptions { arithmetic });
            let errors: Vec<_> = diagnostics
                .iter()
                .filter(|d| d.severity == syncpolicy_expr::diagnostic::Severity::Error)
                .collect();
            prop_assert!(errors.is_empty(), "{text}: {errors:?}");
            let parsed = parsed.map(|p| p.without_spans());
            prop_assert_eq!(parsed, Some(expr.without_spans()), "{}", text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// No panic on 100,000 random inputs.

/// xorshift64*: deterministic and fast.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "(",
    ")",
    ",",
    "\"",
    "\"a\"",
    "\"\\\\\"",
    "[a]",
    "[mv]",
    "[n]",
    "[d]",
    "[bin]",
    "[dn]",
    "%Domain.FQDN%",
    "%X%",
    "$item",
    "$",
    "1",
    "0",
    "-1",
    "&H21C07000",
    "&",
    "&&",
    "||",
    "=",
    "<>",
    "<",
    ">=",
    "+",
    "-",
    "*",
    "/",
    " ",
    "\n",
    "True",
    "NULL",
    "AuthoritativeNull",
    "IgnoreThisFlow",
    "CRLF",
    "vbTextCompare",
    "[",
    "]",
    "%",
    "é",
    "“",
    "!",
    "|",
    "9999999999999999999",
    "\"2012-01-01\"",
    "\"S-1-5-21-1-2-3\"",
    "\"AQID\"",
    "\"_\"",
];

const LEAVES: &[&str] = &[
    "[a]",
    "[mv]",
    "[n]",
    "[d]",
    "[bin]",
    "[dn]",
    "[absent]",
    "\"x\"",
    "\"\"",
    "1",
    "0",
    "-3",
    "&HF",
    "True",
    "False",
    "NULL",
    "AuthoritativeNull",
    "IgnoreThisFlow",
    "CRLF",
    "%Domain.FQDN%",
    "\"2012-01-01\"",
    "\"S-1-5-21-1-2-3\"",
    "\"AQID\"",
    "\"_\"",
    "vbTextCompare",
    "\"DC\"",
    "\"yyyy\"",
    "$item",
];
const OPS: &[&str] = &["&", "&&", "||", "=", "<>", "<", ">=", "+", "-", "*", "/"];

/// A mostly well-formed expression, so that many inputs reach the evaluator.
fn random_expression(rng: &mut Rng, depth: usize, out: &mut String) {
    match if depth == 0 { 0 } else { rng.below(4) } {
        0 => out.push_str(LEAVES[rng.below(LEAVES.len())]),
        1 => {
            random_expression(rng, depth - 1, out);
            out.push_str(OPS[rng.below(OPS.len())]);
            random_expression(rng, depth - 1, out);
        }
        _ => {
            let f = &FUNCTIONS[rng.below(FUNCTIONS.len())];
            out.push_str(f.name);
            out.push('(');
            let count = if rng.below(8) == 0 {
                rng.below(5)
            } else {
                f.required + rng.below(f.params.len().saturating_sub(f.required) + 1)
            };
            for i in 0..count {
                if i > 0 {
                    out.push(',');
                }
                if i == 0 && f.params.first() == Some(&syncpolicy_expr::catalogue::Param::Variable)
                {
                    out.push_str("$item");
                } else {
                    random_expression(rng, depth - 1, out);
                }
            }
            out.push(')');
        }
    }
}

fn random_input(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.below(2) == 0 {
        random_expression(rng, 3, &mut s);
        // Sometimes damage it.
        if rng.below(4) == 0 && !s.is_empty() {
            let mut at = rng.below(s.len());
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            s.insert_str(at, PIECES[rng.below(PIECES.len())]);
        }
        return s;
    }
    for _ in 0..rng.below(12) {
        s.push_str(PIECES[rng.below(PIECES.len())]);
    }
    s
}

#[test]
fn no_panic_on_100000_random_inputs() {
    let mut object = SourceObject::new();
    object.insert("a", Value::Str(" Hello, World ".into()));
    object.insert(
        "mv",
        Value::Multi(vec![
            Value::Str("SMTP:a@b".into()),
            Value::Str("x".into()),
            Value::Num(3),
        ]),
    );
    object.insert("n", Value::Num(512));
    object.insert("d", Value::Str("2012-01-01T00:00:00Z".into()));
    object.insert("bin", Value::Bin(vec![1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0]));
    object.insert("dn", Value::Ref("CN=a\\,b,OU=x,DC=c".into()));
    let mut params = Parameters::new();
    params.insert("Domain.FQDN", "contoso.com");
    let env = Env::new(&object, &params).with_seed(1);
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let mut compiled_count = 0;
    for _ in 0..100_000 {
        let input = random_input(&mut rng);
        let (expr, diagnostics) = syncpolicy_expr::parse(&input);
        let _ = render(&input, &diagnostics, true);
        if let Some(expr) = &expr {
            let _ = expr.to_string();
            let _ = syncpolicy_expr::check(expr, &Default::default());
        }
        if let Ok(compiled) = syncpolicy_expr::compile(&input) {
            compiled_count += 1;
            let _ = compiled.eval(&env);
        }
    }
    // The generator must reach the evaluator often enough to mean something.
    assert!(
        compiled_count > 5_000,
        "only {compiled_count} inputs compiled"
    );
}
