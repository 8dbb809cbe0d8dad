//! Checker tests: every kind of problem it reports, with positions (snapshot), and the context
//! options a settings-file validator uses.

use syncpolicy_expr::check::CheckContext;
use syncpolicy_expr::diagnostic::{render, ExprDiagnosticKind as D, Severity};

fn kinds(source: &str, context: &CheckContext) -> Vec<(D, usize)> {
    syncpolicy_expr::diagnose(source, context)
        .iter()
        .map(|d| (d.kind, d.span.start))
        .collect()
}

#[test]
fn checker_errors_snapshot() {
    let cases = [
        "trim([a])",
        "Coalesce([a],[b])",
        "Left([a])",
        "IIF(True,1,2,3)",
        "[a] & %ForestLDAP%",
        "%Domain.fqdn%",
        "BitAnd(\"abc\", True)",
        "Len(Now())",
        "Trim($item)",
        "Select(\"x\", [a], $item)",
        "ImportedValue([proxyAddresses])",
        "InStr([a], \"b\", 1, CaseSensitive)",
        "Switch(True, 1, False)",
        "IsPresent([a]) = \"maybe\"",
        "foo & [a]",
        "FormatDateTime(5, \"yyyy\")",
        "IIF(Trim([a]) && \"x\", 1, 2)",
    ];
    let mut out = String::new();
    for source in cases {
        let diagnostics = syncpolicy_expr::diagnose(source, &CheckContext::default());
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
fn errors_in_several_places_are_all_reported() {
    let found = kinds(
        "IIF(trim([a]), Left([b]), %Nope%)",
        &CheckContext::default(),
    );
    assert_eq!(
        found,
        vec![
            (D::UnknownFunction, 4),
            (D::WrongArgumentCount, 15),
            (D::UnknownParameter, 26)
        ]
    );
}

#[test]
fn extra_parameters_and_allow_unknown() {
    assert_eq!(
        kinds("%ReplaceString%", &CheckContext::default()),
        vec![(D::UnknownParameter, 0)]
    );
    assert!(kinds(
        "%ReplaceString%",
        &CheckContext::with_parameters(["ReplaceString"])
    )
    .is_empty());
    let lenient = CheckContext {
        allow_unknown_parameters: true,
        ..CheckContext::default()
    };
    assert!(kinds("%Anything.At.All%", &lenient).is_empty());
}

#[test]
fn warnings_do_not_stop_compilation() {
    let diagnostics = syncpolicy_expr::diagnose("1 + 2 * 3", &CheckContext::default());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].severity, Severity::Warning);
    assert!(syncpolicy_expr::compile("1 + 2 * 3").is_ok());
    assert!(syncpolicy_expr::compile("Trim(").is_err());
}

#[test]
fn stable_codes_are_kebab_case() {
    let d = syncpolicy_expr::diagnose("Foo()", &CheckContext::default());
    assert_eq!(d[0].kind.code(), "unknown-function");
    assert_eq!(d[0].message, "unknown function `Foo`");
}
