//! The checker: unknown functions, wrong argument counts, obvious type errors, unknown
//! `%Parameter%` names, unbound `$variables` and misplaced option identifiers.
//!
//! Attributes are of unknown type here (no schema is needed), so only mistakes that are wrong
//! whatever the data is are reported: a Boolean where a date is needed, a string literal that is
//! not a number where a number is needed, and so on.

use crate::ast::{BinOp, Expr, ExprKind};
use crate::catalogue::{self, Param, Ty, APP_PROVISIONING_ONLY, ENUM_IDENTIFIERS};
use crate::diagnostic::{ExprDiagnostic, ExprDiagnosticKind as K, Span};
use syncpolicy_model::words::with_article;

/// Parameters the AD and Entra connectors supply.
pub const STANDARD_PARAMETERS: &[&str] = &[
    "Domain.Netbios",
    "Domain.FQDN",
    "Domain.LDAP",
    "Forest.Netbios",
    "Forest.FQDN",
    "Forest.LDAP",
    "Connector.ID",
];

/// What the checker knows about the surroundings of an expression.
#[derive(Debug, Clone)]
pub struct CheckContext {
    /// Known `%Parameter%` names (exact spelling). Defaults to [`STANDARD_PARAMETERS`].
    pub parameters: Vec<String>,
    /// When true, unknown parameters are not reported (for administrator-defined ones).
    pub allow_unknown_parameters: bool,
}

impl Default for CheckContext {
    fn default() -> Self {
        CheckContext {
            parameters: STANDARD_PARAMETERS.iter().map(|s| s.to_string()).collect(),
            allow_unknown_parameters: false,
        }
    }
}

impl CheckContext {
    /// The default context plus extra parameter names.
    pub fn with_parameters<I, S>(extra: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut c = CheckContext::default();
        c.parameters.extend(extra.into_iter().map(Into::into));
        c
    }
}

/// Checks `expr`, returning every problem found.
pub fn check(expr: &Expr, context: &CheckContext) -> Vec<ExprDiagnostic> {
    let mut checker = Checker {
        context,
        diagnostics: Vec::new(),
        variables: Vec::new(),
    };
    checker.infer(expr, false);
    checker.diagnostics
}

struct Checker<'a> {
    context: &'a CheckContext,
    diagnostics: Vec<ExprDiagnostic>,
    variables: Vec<String>,
}

fn simplify(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether a value of static type `actual` can never fit `expected`, given the literal (if the
/// argument is one). Returns the reason.
fn mismatch(expected: Param, actual: Ty, expr: &Expr) -> Option<&'static str> {
    let literal = match &expr.kind {
        ExprKind::Str(s) => Some(s.as_str()),
        _ => None,
    };
    if matches!(actual, Ty::Any | Ty::Null | Ty::Void | Ty::Multi) {
        return None;
    }
    match expected {
        Param::Str => match actual {
            Ty::Bool => Some("a boolean is not a string; use CStr"),
            Ty::Date => Some("a date is not a string; use FormatDateTime or CStr"),
            Ty::Bin => Some("binary data is not a string; use ConvertToBase64"),
            _ => None,
        },
        Param::Num => match actual {
            Ty::Str if literal.is_some_and(|s| s.trim().parse::<i64>().is_err()) => {
                Some("this string is not a number")
            }
            Ty::Bool | Ty::Date | Ty::Bin | Ty::Ref => Some("a number is needed"),
            _ => None,
        },
        Param::Bool => match actual {
            Ty::Str
                if literal.is_some_and(|s| {
                    !s.trim().eq_ignore_ascii_case("true")
                        && !s.trim().eq_ignore_ascii_case("false")
                }) =>
            {
                Some("this string is not a boolean")
            }
            Ty::Date | Ty::Bin | Ty::Ref => Some("a boolean condition is needed"),
            _ => None,
        },
        Param::Bin => match actual {
            Ty::Num | Ty::Bool | Ty::Date | Ty::Ref => Some("binary data is needed"),
            _ => None,
        },
        Param::Ref => match actual {
            Ty::Num | Ty::Bool | Ty::Date | Ty::Bin => Some("a reference (DN) is needed"),
            _ => None,
        },
        Param::Date => match actual {
            Ty::Str if literal.is_some_and(|s| crate::time::DateTime::parse(s).is_none()) => {
                Some("this string is not a date")
            }
            Ty::Num => Some("a number is not a date; use DateFromNum"),
            Ty::Bool | Ty::Bin | Ty::Ref => Some("a date is needed"),
            _ => None,
        },
        Param::StrOrBin => match actual {
            Ty::Bool | Ty::Date | Ty::Num => Some("a string or binary value is needed"),
            _ => None,
        },
        Param::Scalar => match actual {
            Ty::Enum => Some("an option name is not a value"),
            _ => None,
        },
        _ => None,
    }
}

impl Checker<'_> {
    fn error(&mut self, kind: K, span: Span, message: String) -> &mut ExprDiagnostic {
        self.diagnostics
            .push(ExprDiagnostic::error(kind, span, message));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Infers the static type of `expr`, reporting problems. `option_allowed` is true in an
    /// enumeration position, where a bare identifier is expected.
    fn infer(&mut self, expr: &Expr, option_allowed: bool) -> Ty {
        match &expr.kind {
            ExprKind::Str(_) => Ty::Str,
            ExprKind::Num { .. } => Ty::Num,
            ExprKind::Bool(_) => Ty::Bool,
            ExprKind::Const(crate::ast::Constant::Crlf) => Ty::Str,
            ExprKind::Const(_) => Ty::Null,
            ExprKind::Attr(_) => Ty::Any,
            ExprKind::Invalid => Ty::Any,
            ExprKind::Param(name) => {
                if !self.context.allow_unknown_parameters
                    && !self.context.parameters.iter().any(|p| p == name)
                {
                    let wanted = simplify(name);
                    let suggestion = self
                        .context
                        .parameters
                        .iter()
                        .find(|p| simplify(p) == wanted)
                        .cloned();
                    let d = self.error(
                        K::UnknownParameter,
                        expr.span,
                        format!("unknown parameter `%{name}%`"),
                    );
                    if let Some(s) = suggestion {
                        d.hint = Some(format!("did you mean `%{s}%`?"));
                    }
                }
                Ty::Str
            }
            ExprKind::Var(name) => {
                if !self.variables.iter().any(|v| v == name) {
                    self.error(
                        K::UnboundVariable,
                        expr.span,
                        format!("`${name}` is not bound here"),
                    )
                    .hint = Some("variables are bound by Select, Where and With".into());
                }
                Ty::Any
            }
            ExprKind::Ident(name) => {
                let known = ENUM_IDENTIFIERS.contains(&name.as_str());
                if !known {
                    let d = self.error(
                        K::UnknownIdentifier,
                        expr.span,
                        format!("unknown name `{name}`"),
                    );
                    d.hint = Some(
                        "attributes are written `[name]`, parameters `%name%`, strings `\"text\"`"
                            .into(),
                    );
                    return Ty::Any;
                } else if !option_allowed {
                    self.error(
                        K::TypeMismatch,
                        expr.span,
                        format!("the option `{name}` can only be a function's option argument"),
                    );
                }
                Ty::Enum
            }
            ExprKind::Neg(inner) => {
                let t = self.infer(inner, false);
                if let Some(reason) = mismatch(Param::Num, t, inner) {
                    self.error(
                        K::TypeMismatch,
                        inner.span,
                        format!("cannot negate {}: {reason}", with_article(t.name())),
                    );
                }
                Ty::Num
            }
            ExprKind::Binary { op, lhs, rhs } => self.infer_binary(*op, lhs, rhs),
            ExprKind::Call {
                name,
                name_span,
                args,
            } => self.infer_call(expr, name, *name_span, args),
        }
    }

    fn infer_binary(&mut self, op: BinOp, lhs: &Expr, rhs: &Expr) -> Ty {
        let lt = self.infer(lhs, false);
        let rt = self.infer(rhs, false);
        let operand_param = match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => Some(Param::Num),
            BinOp::And | BinOp::Or => Some(Param::Bool),
            _ => None,
        };
        if let Some(param) = operand_param {
            for (t, e) in [(lt, lhs), (rt, rhs)] {
                if let Some(reason) = mismatch(param, t, e) {
                    self.error(
                        K::TypeMismatch,
                        e.span,
                        format!(
                            "wrong operand type for `{}` ({}): {reason}",
                            op.symbol(),
                            t.name()
                        ),
                    );
                }
            }
        }
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => Ty::Num,
            BinOp::And | BinOp::Or => Ty::Bool,
            BinOp::Concat => {
                for (t, e) in [(lt, lhs), (rt, rhs)] {
                    if matches!(t, Ty::Bin | Ty::Date | Ty::Enum) {
                        self.error(
                            K::TypeMismatch,
                            e.span,
                            format!(
                                "cannot concatenate {} value; convert it to a string first",
                                with_article(t.name())
                            ),
                        );
                    }
                }
                Ty::Str
            }
            _ => {
                if let Some(reason) = incomparable(lt, lhs, rt, rhs) {
                    self.error(
                        K::TypeMismatch,
                        lhs.span.to(rhs.span),
                        format!(
                            "cannot compare {} with {}: {reason}",
                            with_article(lt.name()),
                            with_article(rt.name())
                        ),
                    );
                }
                Ty::Bool
            }
        }
    }

    fn infer_call(&mut self, call: &Expr, name: &str, name_span: Span, args: &[Expr]) -> Ty {
        let Some(spec) = catalogue::lookup(name) else {
            let case_match = catalogue::FUNCTIONS
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(name));
            let hint = if let Some(f) = case_match {
                Some(format!(
                    "function names are case-sensitive: did you mean `{}`?",
                    f.name
                ))
            } else if APP_PROVISIONING_ONLY.contains(&name) {
                Some(format!(
                    "`{name}` belongs to the Entra app-provisioning language, not Connect Sync"
                ))
            } else {
                syncpolicy_model::suggest::hint(
                    name,
                    catalogue::FUNCTIONS.iter().map(|f| f.name),
                    "functions",
                )
            };
            self.error(
                K::UnknownFunction,
                name_span,
                format!("unknown function `{name}`"),
            )
            .hint = hint;
            for arg in args {
                self.infer(arg, true);
            }
            return Ty::Any;
        };

        // Argument count.
        let count_ok = if spec.variadic {
            args.len() >= spec.required
        } else {
            args.len() >= spec.required && args.len() <= spec.params.len()
        };
        if !count_ok {
            let expected = if spec.variadic {
                format!("at least {}", spec.required)
            } else if spec.required == spec.params.len() {
                spec.required.to_string()
            } else {
                format!("{} to {}", spec.required, spec.params.len())
            };
            let plural = if expected == "1" { "" } else { "s" };
            self.error(
                K::WrongArgumentCount,
                call.span,
                format!(
                    "`{}` takes {expected} argument{plural}, {} given",
                    spec.name,
                    args.len()
                ),
            );
        }
        if spec.func == catalogue::Func::Switch && args.len() % 2 == 1 {
            self.error(
                K::UnpairedSwitch,
                args[args.len() - 1].span,
                "`Switch` needs (condition, value) pairs; this argument has no partner".into(),
            );
        }

        // Binding forms: Select/Where/With($var, source, body).
        let mut bound: Option<String> = None;
        let mut types = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            let param = if spec.variadic {
                if i % 2 == 0 {
                    Param::Bool
                } else {
                    Param::Any
                }
            } else {
                match spec.params.get(i) {
                    Some(p) => *p,
                    None => {
                        self.infer(arg, true);
                        continue;
                    }
                }
            };
            let ty = match param {
                Param::Variable => {
                    if let ExprKind::Var(v) = &arg.kind {
                        bound = Some(v.clone());
                    } else {
                        self.error(
                            K::ExpectedVariable,
                            arg.span,
                            format!(
                                "the first argument of `{}` must be a variable such as `$item`",
                                spec.name
                            ),
                        );
                        self.infer(arg, false);
                    }
                    Ty::Any
                }
                Param::Body => {
                    let pushed = bound.clone().map(|v| self.variables.push(v)).is_some();
                    let t = self.infer(arg, false);
                    if pushed {
                        self.variables.pop();
                    }
                    t
                }
                Param::AttributeName => {
                    if !matches!(arg.kind, ExprKind::Str(_)) {
                        self.error(
                            K::ExpectedAttributeName,
                            arg.span,
                            format!(
                                "`{}` takes the attribute name as a quoted string",
                                spec.name
                            ),
                        )
                        .hint = Some(match &arg.kind {
                            ExprKind::Attr(a) => format!("write `{}(\"{a}\")`", spec.name),
                            _ => "for example `ImportedValue(\"proxyAddresses\")`".into(),
                        });
                    }
                    self.infer(arg, false)
                }
                Param::Enum(names) => {
                    let t = self.infer(arg, true);
                    let given = match &arg.kind {
                        ExprKind::Ident(n) | ExprKind::Str(n) => Some(n.as_str()),
                        _ => None,
                    };
                    if let Some(given) = given {
                        if !names.iter().any(|n| n.eq_ignore_ascii_case(given)) {
                            self.error(
                                K::TypeMismatch,
                                arg.span,
                                format!(
                                    "`{given}` is not an option of `{}`; expected one of {}",
                                    spec.name,
                                    names.join(", ")
                                ),
                            );
                        }
                    } else if !matches!(t, Ty::Any | Ty::Str | Ty::Null) {
                        self.error(
                            K::TypeMismatch,
                            arg.span,
                            format!(
                                "expected an option of `{}` ({})",
                                spec.name,
                                names.join(", ")
                            ),
                        );
                    }
                    t
                }
                other => {
                    let t = self.infer(arg, false);
                    if let Some(reason) = mismatch(other, t, arg) {
                        self.error(
                            K::TypeMismatch,
                            arg.span,
                            format!(
                                "argument {} of `{}` has the wrong type ({}): {reason}",
                                i + 1,
                                spec.name,
                                t.name()
                            ),
                        );
                    }
                    t
                }
            };
            types.push(ty);
        }
        match spec.func {
            catalogue::Func::Iif if types.len() == 3 => join_types(types[1], types[2]),
            catalogue::Func::Item | catalogue::Func::ItemOrNull => Ty::Any,
            _ => spec.returns,
        }
    }
}

fn join_types(a: Ty, b: Ty) -> Ty {
    match (a, b) {
        (x, y) if x == y => x,
        (Ty::Null | Ty::Void, y) => y,
        (x, Ty::Null | Ty::Void) => x,
        _ => Ty::Any,
    }
}

/// Why two static types can never be compared, if they cannot.
fn incomparable(lt: Ty, lhs: &Expr, rt: Ty, rhs: &Expr) -> Option<&'static str> {
    let open = |t: Ty| matches!(t, Ty::Any | Ty::Null | Ty::Void | Ty::Multi);
    if open(lt) || open(rt) || lt == rt {
        return None;
    }
    let is_bool_literal = |e: &Expr| match &e.kind {
        ExprKind::Str(s) => {
            s.trim().eq_ignore_ascii_case("true") || s.trim().eq_ignore_ascii_case("false")
        }
        _ => true,
    };
    let is_num_literal = |e: &Expr| match &e.kind {
        ExprKind::Str(s) => s.trim().parse::<i64>().is_ok(),
        _ => true,
    };
    match (lt, rt) {
        (Ty::Str | Ty::Ref, Ty::Str | Ty::Ref) => None,
        (Ty::Bool, Ty::Str) if !is_bool_literal(rhs) => Some("the string is not True or False"),
        (Ty::Str, Ty::Bool) if !is_bool_literal(lhs) => Some("the string is not True or False"),
        (Ty::Num, Ty::Str) if !is_num_literal(rhs) => Some("the string is not a number"),
        (Ty::Str, Ty::Num) if !is_num_literal(lhs) => Some("the string is not a number"),
        (Ty::Bool | Ty::Num | Ty::Str, Ty::Bool | Ty::Num | Ty::Str) => None,
        (Ty::Date, Ty::Str) | (Ty::Str, Ty::Date) => None,
        _ => Some("the types are unrelated"),
    }
}
