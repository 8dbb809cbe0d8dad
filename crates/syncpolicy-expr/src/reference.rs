//! The reference evaluator: a straightforward walk over the syntax tree, kept as the
//! executable specification of the language's semantics. [`crate::eval::Compiled::eval`] uses
//! an optimised evaluator; the test suite checks that both give the same results (values and
//! errors) on random expressions and objects. It is not meant for the hot path.

use crate::ast::{BinOp, Constant, Expr, ExprKind};
use crate::catalogue::{self, Func};
use crate::diagnostic::Span;
use crate::env::Env;
use crate::eval::{err, fn_err, EvalError, EvalErrorKind};
use crate::functions::{self, CallContext};
use crate::value::Value;
use std::borrow::Cow;

/// Evaluates `expr` against `env` by walking the tree. Gives the same result as compiling
/// `expr` and calling [`crate::eval::Compiled::eval`], only more slowly.
pub fn eval(expr: &Expr, env: &Env<'_>) -> Result<Value, EvalError> {
    let root = lower(expr);
    let mut ev = Evaluator {
        env: *env,
        bindings: Vec::new(),
        variables: Vec::new(),
        rng: env.seed ^ 0x9E37_79B9_7F4A_7C15,
        span: expr.span,
    };
    match ev.boundary(&root) {
        Ok(v) => Ok(v.into_owned()),
        Err(Flow::Error(e)) => Err(*e),
        Err(Flow::Lift(name)) => Err(EvalError {
            kind: EvalErrorKind::Type,
            message: format!("multi-valued attribute `{name}` used where one value is needed"),
            span: expr.span,
        }),
    }
}

#[derive(Debug)]
enum Node {
    Lit(Value),
    Attr(Box<str>),
    Param(Box<str>, Span),
    Var(Box<str>, Span),
    Neg(Box<Node>, Span),
    Bin {
        op: BinOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
        span: Span,
    },
    Call {
        func: Func,
        args: Vec<Node>,
        span: Span,
    },
    Invalid(Span),
}

fn lower(expr: &Expr) -> Node {
    match &expr.kind {
        ExprKind::Str(s) => Node::Lit(Value::Str(s.clone())),
        ExprKind::Num { value, .. } => Node::Lit(Value::Num(*value)),
        ExprKind::Bool(b) => Node::Lit(Value::Bool(*b)),
        ExprKind::Const(Constant::Null) => Node::Lit(Value::Null),
        ExprKind::Const(Constant::AuthoritativeNull) => Node::Lit(Value::AuthoritativeNull),
        ExprKind::Const(Constant::IgnoreThisFlow) => Node::Lit(Value::IgnoreThisFlow),
        ExprKind::Const(Constant::Crlf) => Node::Lit(Value::Str("\r\n".into())),
        ExprKind::Attr(name) => Node::Attr(name.as_str().into()),
        ExprKind::Param(name) => Node::Param(name.as_str().into(), expr.span),
        ExprKind::Var(name) => Node::Var(name.as_str().into(), expr.span),
        ExprKind::Ident(name) => Node::Lit(Value::Str(name.clone())),
        ExprKind::Neg(inner) => Node::Neg(Box::new(lower(inner)), expr.span),
        ExprKind::Binary { op, lhs, rhs } => Node::Bin {
            op: *op,
            lhs: Box::new(lower(lhs)),
            rhs: Box::new(lower(rhs)),
            span: expr.span,
        },
        ExprKind::Call { name, args, .. } => match catalogue::lookup(name) {
            Some(spec) => Node::Call {
                func: spec.func,
                args: args.iter().map(lower).collect(),
                span: expr.span,
            },
            None => Node::Invalid(expr.span),
        },
        ExprKind::Invalid => Node::Invalid(expr.span),
    }
}

enum Flow<'a> {
    /// Boxed to keep results small on the hot path.
    Error(Box<EvalError>),
    /// A multi-valued attribute reached a single-value position: re-evaluate per value.
    Lift(&'a str),
}

impl From<EvalError> for Flow<'_> {
    fn from(e: EvalError) -> Self {
        Flow::Error(Box::new(e))
    }
}

type R<'a> = Result<Cow<'a, Value>, Flow<'a>>;

static NULL: Value = Value::Null;

struct Evaluator<'a> {
    env: Env<'a>,
    /// Attribute name → the single value it stands for during a per-value re-evaluation.
    bindings: Vec<(&'a str, Value)>,
    /// `$variable` → value, innermost last.
    variables: Vec<(&'a str, Value)>,
    rng: u64,
    /// The whole expression's span (where a per-value re-evaluation that grows too large is
    /// reported, as in the optimised evaluator).
    span: Span,
}

impl<'a> Evaluator<'a> {
    /// Evaluates where a whole collection is acceptable, mapping per value when a multi-valued
    /// attribute was used as a single value inside.
    fn boundary(&mut self, node: &'a Node) -> R<'a> {
        match self.eval(node) {
            Err(Flow::Lift(name)) => {
                let values = self
                    .env
                    .object
                    .get(name)
                    .map(|v| v.values().to_vec())
                    .unwrap_or_default();
                let mut out = functions::Collect::with_capacity(values.len());
                for v in values {
                    self.bindings.push((name, v));
                    let r = self.boundary(node);
                    self.bindings.pop();
                    out.push(r?.into_owned())
                        .map_err(|e| Flow::from(fn_err(e, self.span)))?;
                }
                Ok(Cow::Owned(out.finish()))
            }
            other => other,
        }
    }

    /// Evaluates where one value is needed.
    fn scalar(&mut self, node: &'a Node) -> R<'a> {
        let v = self.eval(node)?;
        if let (Value::Multi(_), Node::Attr(name)) = (&*v, node) {
            return Err(Flow::Lift(name));
        }
        Ok(v)
    }

    fn truth(&mut self, node: &'a Node, span: Span) -> Result<bool, Flow<'a>> {
        let v = self.scalar(node)?;
        functions::truthy(&v).map_err(|e| Flow::from(fn_err(e, span)))
    }

    fn eval(&mut self, node: &'a Node) -> R<'a> {
        match node {
            Node::Lit(v) => Ok(Cow::Borrowed(v)),
            Node::Attr(name) => {
                if let Some((_, v)) = self.bindings.iter().rev().find(|(n, _)| *n == &**name) {
                    return Ok(Cow::Owned(v.clone()));
                }
                Ok(Cow::Borrowed(self.env.object.get(name).unwrap_or(&NULL)))
            }
            Node::Param(name, span) => match self.env.parameters.get(name) {
                Some(v) => Ok(Cow::Owned(Value::Str(v.to_string()))),
                None => Err(err(
                    EvalErrorKind::MissingParameter,
                    *span,
                    format!("parameter `%{name}%` has no value"),
                )
                .into()),
            },
            Node::Var(name, span) => match self.variables.iter().rev().find(|(n, _)| *n == &**name)
            {
                Some((_, v)) => Ok(Cow::Owned(v.clone())),
                None => Err(err(
                    EvalErrorKind::Type,
                    *span,
                    format!("`${name}` is not bound"),
                )
                .into()),
            },
            Node::Invalid(span) => {
                Err(err(EvalErrorKind::Type, *span, "the expression has errors").into())
            }
            Node::Neg(inner, span) => {
                let v = self.scalar(inner)?;
                Ok(Cow::Owned(
                    functions::map_unary(&v, functions::negate).map_err(|e| fn_err(e, *span))?,
                ))
            }
            Node::Bin { op, lhs, rhs, span } => self.binary(*op, lhs, rhs, *span),
            Node::Call { func, args, span } => self.call(*func, args, *span),
        }
    }

    #[inline(never)]
    fn binary(&mut self, op: BinOp, lhs: &'a Node, rhs: &'a Node, span: Span) -> R<'a> {
        match op {
            BinOp::And => {
                let v = self.truth(lhs, span)? && self.truth(rhs, span)?;
                Ok(Cow::Owned(Value::Bool(v)))
            }
            BinOp::Or => {
                let v = self.truth(lhs, span)? || self.truth(rhs, span)?;
                Ok(Cow::Owned(Value::Bool(v)))
            }
            _ => {
                let l = self.scalar(lhs)?;
                let r = self.scalar(rhs)?;
                functions::binary(op, &l, &r)
                    .map(Cow::Owned)
                    .map_err(|e| Flow::from(fn_err(e, span)))
            }
        }
    }

    #[inline(never)]
    fn call(&mut self, func: Func, args: &'a [Node], span: Span) -> R<'a> {
        match func {
            Func::Iif => {
                if args.len() != 3 {
                    return Err(arity(func, span));
                }
                if self.truth(&args[0], span)? {
                    self.boundary(&args[1])
                } else {
                    self.boundary(&args[2])
                }
            }
            Func::Switch => {
                if args.len() < 2 || args.len() % 2 == 1 {
                    return Err(err(
                        EvalErrorKind::InvalidArgument,
                        span,
                        "`Switch` needs (condition, value) pairs",
                    )
                    .into());
                }
                // Every condition is evaluated, as documented; only the chosen value is.
                let mut chosen = None;
                for pair in args.chunks(2) {
                    if self.truth(&pair[0], span)? && chosen.is_none() {
                        chosen = Some(&pair[1]);
                    }
                }
                match chosen {
                    Some(value) => self.boundary(value),
                    None => Ok(Cow::Borrowed(&NULL)),
                }
            }
            Func::Select | Func::Where | Func::With => self.binding_form(func, args, span),
            _ => self.ordinary(func, args, span),
        }
    }

    #[inline(never)]
    fn binding_form(&mut self, func: Func, args: &'a [Node], span: Span) -> R<'a> {
        let [var, source, body] = args else {
            return Err(arity(func, span));
        };
        let Node::Var(name, _) = var else {
            return Err(err(
                EvalErrorKind::Type,
                span,
                format!("the first argument of `{}` must be a variable", func.name()),
            )
            .into());
        };
        let source = self.boundary(source)?.into_owned();
        if func == Func::With {
            self.variables.push((name, source));
            let r = self.boundary(body).map(|v| Cow::Owned(v.into_owned()));
            self.variables.pop();
            return r;
        }
        let items = match source {
            Value::Multi(values) => values,
            v if v.is_null() => Vec::new(),
            v => vec![v],
        };
        let mut out = functions::Collect::with_capacity(items.len());
        for item in items {
            self.variables.push((name, item));
            let r = self.boundary(body).map(Cow::into_owned);
            let (_, item) = self.variables.pop().unwrap_or((name, Value::Null));
            let r = r?;
            let pushed = if func == Func::Select {
                out.push(r)
            } else if functions::truthy(&r).map_err(|e| fn_err(e, span))? {
                out.push(item)
            } else {
                Ok(())
            };
            pushed.map_err(|e| Flow::from(fn_err(e, span)))?;
        }
        Ok(Cow::Owned(out.finish()))
    }

    #[inline(never)]
    fn ordinary(&mut self, func: Func, args: &'a [Node], span: Span) -> R<'a> {
        let spec = func.spec();
        if args.len() < spec.required || args.len() > spec.params.len() {
            return Err(arity(func, span));
        }
        let mut values: [Cow<'a, Value>; 4] = [
            Cow::Borrowed(&NULL),
            Cow::Borrowed(&NULL),
            Cow::Borrowed(&NULL),
            Cow::Borrowed(&NULL),
        ];
        for (i, (arg, param)) in args.iter().zip(spec.params).enumerate() {
            values[i] = if param.is_scalar() {
                self.scalar(arg)?
            } else {
                self.boundary(arg)?
            };
        }
        let n = args.len();
        let mut ctx = CallContext {
            env: &self.env,
            rng: &mut self.rng,
        };
        functions::apply_lifted(&mut ctx, func, &values[..n])
            .map(Cow::Owned)
            .map_err(|e| Flow::from(fn_err(e, span)))
    }
}

fn arity<'a>(func: Func, span: Span) -> Flow<'a> {
    Flow::from(err(
        EvalErrorKind::InvalidArgument,
        span,
        format!("wrong number of arguments for `{}`", func.name()),
    ))
}
