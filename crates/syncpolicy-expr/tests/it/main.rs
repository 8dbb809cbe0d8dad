//! Integration tests of the expression language: one test binary, one module per area.

mod check;
mod docs;
mod equivalence;
mod functions;
mod limits;
mod object;
mod oob;
mod parse;

use syncpolicy_expr::env::{Env, Parameters};
use syncpolicy_expr::eval::{EvalError, EvalErrorKind};
use syncpolicy_expr::object::parse_object;
use syncpolicy_expr::time::DateTime;
use syncpolicy_expr::value::Value;

/// The parameters an AD connector of `contoso.com` supplies.
pub(crate) fn parameters() -> Parameters {
    let mut p = Parameters::new();
    p.insert("Domain.FQDN", "contoso.com");
    p.insert("Domain.Netbios", "CONTOSO");
    p.insert("Domain.LDAP", "DC=contoso,DC=com");
    p.insert("Forest.FQDN", "contoso.com");
    p.insert("Forest.Netbios", "CONTOSO");
    p.insert("Forest.LDAP", "DC=contoso,DC=com");
    p.insert("Connector.ID", "b891884f-051e-4a83-95af-2544101c9083");
    p
}

/// Compiles `expr` (it must be valid) and evaluates it on the object given as JSON or LDIF,
/// with the standard parameters, a fixed clock and seed.
pub(crate) fn eval(expr: &str, object: &str) -> Result<Value, EvalError> {
    let compiled = match syncpolicy_expr::compile(expr) {
        Ok(c) => c,
        Err(diagnostics) => panic!("`{expr}` does not compile: {diagnostics:#?}"),
    };
    let input = match parse_object(object) {
        Ok(i) => i,
        Err(e) => panic!("bad test object: {e}"),
    };
    let params = parameters();
    let mut env = Env::new(&input.object, &params)
        .with_seed(7)
        .with_now(DateTime::parse("2024-05-06T07:08:09Z").expect("valid date"));
    if let Some(imported) = &input.imported {
        env = env.with_imported(imported);
    }
    let result = compiled.eval(&env);
    // Every expression the tests evaluate must also give the same through the reference
    // evaluator.
    assert_eq!(
        result,
        compiled.eval_reference(&env),
        "`{expr}`: the optimised and reference evaluators differ"
    );
    result
}

/// Asserts that `expr` on `object` gives `expected`.
#[track_caller]
pub(crate) fn check(expr: &str, object: &str, expected: Value) {
    match eval(expr, object) {
        Ok(v) => assert_eq!(v, expected, "`{expr}` on {object}"),
        Err(e) => panic!("`{expr}` on {object} failed: {e:?}"),
    }
}

/// Asserts that `expr` on `object` fails with an error of `kind` whose message contains
/// `message_part`.
#[track_caller]
pub(crate) fn check_error(expr: &str, object: &str, kind: EvalErrorKind, message_part: &str) {
    match eval(expr, object) {
        Ok(v) => panic!("`{expr}` on {object} gave {v:?}, expected an error"),
        Err(e) => {
            assert_eq!(e.kind, kind, "`{expr}`: {e:?}");
            assert!(
                e.message.contains(message_part),
                "`{expr}`: message {:?} lacks {message_part:?}",
                e.message
            );
        }
    }
}

pub(crate) fn s(text: &str) -> Value {
    Value::Str(text.to_string())
}

pub(crate) fn n(value: i64) -> Value {
    Value::Num(value)
}

pub(crate) fn b(value: bool) -> Value {
    Value::Bool(value)
}

pub(crate) fn multi(values: &[&str]) -> Value {
    Value::Multi(values.iter().map(|v| s(v)).collect())
}

pub(crate) const EMPTY: &str = "{}";
