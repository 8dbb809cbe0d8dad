//! The Entra Connect Sync declarative-provisioning expression language: lex, parse (with spans
//! and error recovery), check, compile and evaluate against an explicit environment.
//!
//! The pipeline is `lex → parse → check → compile → evaluate`. Every stage that looks at user
//! text reports *all* of its problems as [`diagnostic::ExprDiagnostic`] values (byte span,
//! message, stable kind) instead of stopping at the first one.
//!
//! ```
//! use syncpolicy_expr::{compile, env::{Env, Parameters, SourceObject}, value::Value};
//!
//! let compiled = compile(r#"IIF(IsPresent([userPrincipalName]),[userPrincipalName],[sAMAccountName]&"@"&%Domain.FQDN%)"#)
//!     .expect("valid expression");
//! let mut object = SourceObject::new();
//! object.insert("sAMAccountName", Value::Str("jdoe".into()));
//! let mut parameters = Parameters::new();
//! parameters.insert("Domain.FQDN", "contoso.com");
//! let env = Env::new(&object, &parameters);
//! assert_eq!(compiled.eval(&env).unwrap(), Value::Str("jdoe@contoso.com".into()));
//! ```

pub mod ast;
pub mod catalogue;
mod cert;
pub mod check;
mod conditions;
pub mod diagnostic;
mod encoding;
pub mod env;
pub mod eval;
mod functions;
mod lexer;
pub mod object;
pub mod parser;
pub mod reference;
pub mod time;
pub mod value;

use ast::Expr;
use check::CheckContext;
use diagnostic::{ExprDiagnostic, Severity};

/// Parses an expression. Returns the tree (when any could be built, even with errors in it) and
/// every syntax diagnostic.
pub fn parse(source: &str) -> (Option<Expr>, Vec<ExprDiagnostic>) {
    parser::parse(source)
}

/// Checks a parsed expression: unknown functions, argument counts, obvious type errors, unknown
/// `%Parameter%` names, unbound `$variables`.
pub fn check(expr: &Expr, context: &CheckContext) -> Vec<ExprDiagnostic> {
    check::check(expr, context)
}

/// Parses and checks `source`, returning every diagnostic (syntax first, then checker), sorted by
/// position. This is the one call a settings-file validator needs.
pub fn diagnose(source: &str, context: &CheckContext) -> Vec<ExprDiagnostic> {
    let (expr, mut diagnostics) = parse(source);
    if let Some(expr) = &expr {
        diagnostics.extend(check(expr, context));
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    diagnostics
}

/// Parses, checks (with the default [`CheckContext`]) and compiles `source` for repeated
/// evaluation. Fails with every error-level diagnostic when there is at least one.
pub fn compile(source: &str) -> Result<eval::Compiled, Vec<ExprDiagnostic>> {
    compile_with(source, &CheckContext::default())
}

/// Like [`compile`], with an explicit checker context (for example extra parameter names).
pub fn compile_with(
    source: &str,
    context: &CheckContext,
) -> Result<eval::Compiled, Vec<ExprDiagnostic>> {
    let (expr, mut diagnostics) = parse(source);
    if let Some(expr) = &expr {
        diagnostics.extend(check(expr, context));
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    match expr {
        Some(expr) if !diagnostics.iter().any(|d| d.severity == Severity::Error) => {
            Ok(eval::Compiled::new(&expr))
        }
        _ => Err(diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect()),
    }
}
