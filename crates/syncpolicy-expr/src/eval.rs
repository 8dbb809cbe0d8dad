//! The evaluator: a compiled expression evaluated against an [`Env`].
//!
//! Control flow (`IIF`, `Switch`, `Select`, `Where`, `With`, `&&`, `||`) is handled here; the
//! other functions are in `functions.rs`.
//!
//! Compiling lowers the syntax tree once into a tree tuned for evaluation: attribute names are
//! resolved to slots (each attribute is looked up in the object at most once per evaluation),
//! chains of `||`, `&&` and `&` are flattened, and intermediate results borrow from the object,
//! the parameters or the compiled literals instead of being copied (`Left`, `Right`, `Mid`,
//! `DNComponent`, `CRef` and `%Parameter%` return borrowed text). Conditions (`IIF` and
//! `Switch` conditions, `||`/`&&` terms) are compiled to typed tests where they fit
//! (`conditions.rs`), each next to the general tree it falls back to, and `Compiled::eval`
//! follows `IIF` chains of such tests without setting up the general evaluator. The semantics
//! are those of the straightforward [`crate::reference`] evaluator, which the tests compare
//! against.
//!
//! Multi-valued attributes: when an attribute holding several values is used where a single
//! value is needed (a `str`/`num`/... parameter, an operator operand), the enclosing expression
//! is evaluated once per value, up to the nearest position that accepts a whole collection (a
//! `var` or `mv*` parameter, or the whole expression), and the non-null results are collected.
//! So `IIF(InStr([proxyAddresses],"SIP:")=1,NULL,[proxyAddresses])` removes the SIP value.
//! Collections that come from functions (e.g. `ImportedValue`) are mapped by the function they
//! are passed to.

use crate::ast::{BinOp, Constant, Expr, ExprKind};
use crate::catalogue::{self, Func};
use crate::conditions::{self, Cond, Inputs, Test};
use crate::diagnostic::Span;
use crate::env::{AttrKey, Env};
use crate::functions::{self, CallContext, FnError};
use crate::value::Value;
use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::AtomicU8;
use std::sync::OnceLock;

/// Why an evaluation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvalErrorKind {
    /// `Error("...")` was evaluated: the object fails to synchronise.
    Raised,
    /// A value of the wrong type (e.g. binary where a string is needed).
    Type,
    /// An argument value the function cannot use (bad base64, index out of range, ...).
    InvalidArgument,
    /// Overflow or division by zero.
    Arithmetic,
    /// A `%Parameter%` the environment does not supply.
    MissingParameter,
    /// `Now()` without a clock in the environment.
    MissingClock,
    /// The result would pass a size limit ([`crate::value::MAX_TEXT_BYTES`],
    /// [`crate::value::MAX_VALUES`], [`crate::value::MAX_TOTAL_BYTES`]).
    TooLarge,
}

impl EvalErrorKind {
    /// Stable kebab-case name.
    pub fn code(self) -> &'static str {
        match self {
            EvalErrorKind::Raised => "raised",
            EvalErrorKind::Type => "type",
            EvalErrorKind::InvalidArgument => "invalid-argument",
            EvalErrorKind::Arithmetic => "arithmetic",
            EvalErrorKind::MissingParameter => "missing-parameter",
            EvalErrorKind::MissingClock => "missing-clock",
            EvalErrorKind::TooLarge => "too-large",
        }
    }
}

/// An evaluation error, with the span of the part of the expression that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    pub kind: EvalErrorKind,
    /// For [`EvalErrorKind::Raised`], the message given to `Error(...)`.
    pub message: String,
    pub span: Span,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            EvalErrorKind::Raised => write!(f, "Error(\"{}\") raised", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for EvalError {}

/// The evaluation tree.
#[derive(Debug)]
enum Node {
    Lit(Value),
    /// `[name]`, with its slot in the per-evaluation lookup cache.
    Attr {
        slot: u32,
        name: Box<str>,
    },
    Param(Box<str>, Span),
    Var(Box<str>, Span),
    Neg(Box<Node>, Span),
    /// A condition: a `||`/`&&` chain, or a typed test in a condition position.
    Cond(Box<Cond<Node>>),
    /// `a & b & ...` (left-nested chains only): operand `i > 0` with the span of the `&` that
    /// joins it to what comes before.
    Concat(Box<[(Node, Span)]>),
    /// Arithmetic and comparison operators.
    Bin {
        op: BinOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
        span: Span,
    },
    /// `IIF(condition, then, else)`.
    Iif(Box<[Node; 3]>, Span),
    /// A one-argument function with an allocation-free implementation for single values.
    Fn1 {
        func: Func,
        arg: Box<Node>,
        /// Whether the parameter takes a single value (so collections are mapped).
        scalar: bool,
        span: Span,
    },
    /// A two-argument function with an allocation-free implementation; both parameters take
    /// single values.
    Fn2 {
        func: Func,
        args: Box<[Node; 2]>,
        span: Span,
    },
    /// `Left(arg, n) = "literal"` (or `<>`) where the literal has exactly `n >= 1` characters:
    /// a prefix test when `arg` is text.
    LeftCmp {
        eq: bool,
        arg: Box<Node>,
        /// `n`, as a literal for the general path.
        count: Value,
        literal: Value,
        left_span: Span,
        span: Span,
    },
    Call {
        func: Func,
        args: Box<[Node]>,
        span: Span,
    },
    Invalid(Span),
}

/// Lowers the syntax tree, giving each distinct attribute name a slot.
struct Lowering {
    names: Vec<Box<str>>,
}

impl Lowering {
    fn slot(&mut self, name: &str) -> u32 {
        match self.names.iter().position(|n| &**n == name) {
            Some(i) => i as u32,
            None => {
                self.names.push(name.into());
                (self.names.len() - 1) as u32
            }
        }
    }

    /// Lowers an expression whose truth is asked for (an `IIF` or `Switch` condition, a term of
    /// `||`/`&&`), with truth errors reported at `span`: a typed test when one fits, next to the
    /// general tree it falls back to.
    fn condition(&mut self, expr: &Expr, span: Span) -> Cond<Node> {
        let test = conditions::Builder {
            slot: &mut |name| self.slot(name),
        }
        .test(expr);
        match (test, self.lower(expr)) {
            (Some(test), general) => Cond::Test {
                test,
                general,
                span,
            },
            (None, Node::Cond(chain)) => *chain,
            (None, general) => Cond::General(general, span),
        }
    }

    /// Appends the operands of a left-nested chain of `&`.
    fn concat(&mut self, expr: &Expr, span: Span, out: &mut Vec<(Node, Span)>) {
        match &expr.kind {
            ExprKind::Binary {
                op: BinOp::Concat,
                lhs,
                rhs,
            } => {
                self.concat(lhs, expr.span, out);
                out.push((self.lower(rhs), expr.span));
            }
            _ => out.push((self.lower(expr), span)),
        }
    }

    /// `Left(x, n) = "literal"` with a literal of exactly `n >= 1` characters.
    fn left_cmp(&mut self, op: BinOp, lhs: &Expr, rhs: &Expr, span: Span) -> Option<Node> {
        if op != BinOp::Eq && op != BinOp::Ne {
            return None;
        }
        let ExprKind::Str(literal) = &rhs.kind else {
            return None;
        };
        let ExprKind::Call { name, args, .. } = &lhs.kind else {
            return None;
        };
        if catalogue::lookup(name)?.func != Func::Left {
            return None;
        }
        let [arg, count] = args.as_slice() else {
            return None;
        };
        let ExprKind::Num { value: n, .. } = count.kind else {
            return None;
        };
        if n < 1 || usize::try_from(n).ok()? != literal.chars().count() {
            return None;
        }
        Some(Node::LeftCmp {
            eq: op == BinOp::Eq,
            arg: Box::new(self.lower(arg)),
            count: Value::Num(n),
            literal: Value::Str(literal.clone()),
            left_span: lhs.span,
            span,
        })
    }

    fn lower(&mut self, expr: &Expr) -> Node {
        match &expr.kind {
            ExprKind::Str(s) => Node::Lit(Value::Str(s.clone())),
            ExprKind::Num { value, .. } => Node::Lit(Value::Num(*value)),
            ExprKind::Bool(b) => Node::Lit(Value::Bool(*b)),
            ExprKind::Const(Constant::Null) => Node::Lit(Value::Null),
            ExprKind::Const(Constant::AuthoritativeNull) => Node::Lit(Value::AuthoritativeNull),
            ExprKind::Const(Constant::IgnoreThisFlow) => Node::Lit(Value::IgnoreThisFlow),
            ExprKind::Const(Constant::Crlf) => Node::Lit(Value::Str("\r\n".into())),
            ExprKind::Attr(name) => Node::Attr {
                slot: self.slot(name),
                name: name.as_str().into(),
            },
            ExprKind::Param(name) => Node::Param(name.as_str().into(), expr.span),
            ExprKind::Var(name) => Node::Var(name.as_str().into(), expr.span),
            ExprKind::Ident(name) => Node::Lit(Value::Str(name.clone())),
            ExprKind::Neg(inner) => Node::Neg(Box::new(self.lower(inner)), expr.span),
            ExprKind::Binary { op, lhs, rhs } => match op {
                BinOp::Or | BinOp::And => {
                    // Each term with the span its truth errors are reported at. A nested
                    // chain yields a Boolean, whose truth never fails, so its terms are
                    // evaluated in line.
                    let terms: Box<[Cond<Node>]> = expr
                        .chain_terms(*op)
                        .into_iter()
                        .map(|(term, span)| self.condition(term, span))
                        .collect();
                    Node::Cond(Box::new(if *op == BinOp::Or {
                        Cond::Or(terms)
                    } else {
                        Cond::And(terms)
                    }))
                }
                BinOp::Concat => {
                    let mut operands = Vec::new();
                    self.concat(expr, expr.span, &mut operands);
                    Node::Concat(operands.into())
                }
                _ => {
                    if let Some(node) = self.left_cmp(*op, lhs, rhs, expr.span) {
                        return node;
                    }
                    Node::Bin {
                        op: *op,
                        lhs: Box::new(self.lower(lhs)),
                        rhs: Box::new(self.lower(rhs)),
                        span: expr.span,
                    }
                }
            },
            ExprKind::Call { name, args, .. } => match catalogue::lookup(name) {
                Some(spec) => {
                    // Conditions: `IIF`'s first argument, `Switch`'s even ones.
                    let is_condition = |i: usize| match spec.func {
                        Func::Iif => i == 0,
                        Func::Switch => i % 2 == 0,
                        _ => false,
                    };
                    let mut lowered: Vec<Node> = args
                        .iter()
                        .enumerate()
                        .map(|(i, a)| {
                            if is_condition(i) {
                                match self.condition(a, expr.span) {
                                    Cond::General(node, _) => node,
                                    cond => Node::Cond(Box::new(cond)),
                                }
                            } else {
                                self.lower(a)
                            }
                        })
                        .collect();
                    let specialised = matches!(
                        (spec.func, lowered.len()),
                        (Func::IsPresent | Func::IsNullOrEmpty | Func::IsNull, 1)
                            | (Func::CBool | Func::CRef, 1)
                            | (
                                Func::Left | Func::Right | Func::InStr | Func::DnComponent,
                                2
                            )
                            | (Func::BitAnd | Func::BitOr, 2)
                    );
                    if specialised && lowered.len() == 1 {
                        if let Some(arg) = lowered.pop() {
                            return Node::Fn1 {
                                func: spec.func,
                                arg: Box::new(arg),
                                scalar: spec.params[0].is_scalar(),
                                span: expr.span,
                            };
                        }
                    }
                    if specialised && lowered.len() == 2 {
                        let b = lowered.pop();
                        let a = lowered.pop();
                        if let (Some(a), Some(b)) = (a, b) {
                            return Node::Fn2 {
                                func: spec.func,
                                args: Box::new([a, b]),
                                span: expr.span,
                            };
                        }
                    }
                    if spec.func == Func::Iif && lowered.len() == 3 {
                        let c = lowered.pop();
                        let b = lowered.pop();
                        let a = lowered.pop();
                        if let (Some(a), Some(b), Some(c)) = (a, b, c) {
                            return Node::Iif(Box::new([a, b, c]), expr.span);
                        }
                    }
                    Node::Call {
                        func: spec.func,
                        args: lowered.into(),
                        span: expr.span,
                    }
                }
                None => Node::Invalid(expr.span),
            },
            ExprKind::Invalid => Node::Invalid(expr.span),
        }
    }
}

/// An expression ready for repeated evaluation. Obtain one with [`crate::compile`].
#[derive(Debug)]
pub struct Compiled {
    expr: Expr,
    root: Node,
    /// The distinct attribute names, by slot, prepared for lookups.
    attributes: Box<[AttrKey]>,
    /// For each slot, the position its attribute had in the last object it was found in (see
    /// `SourceObject::get_key_hinted`).
    hints: Box<[AtomicU8]>,
    /// Whether the result on an object without any of the attributes read depends only on the
    /// parameters and the clock (see [`Compiled::eval_kept`]).
    absent_invariant: bool,
}

/// Whether `Trim` gives `v` back as it is: a non-empty string with nothing to trim, or the
/// values of a multi-valued attribute, each one such string (`Trim` maps over them and keeps
/// them all, in order). A reference, a number or a Boolean comes back as a string, and binary
/// is a type error, so none of those qualifies ([`Compiled::trimmed_attribute`]).
pub fn trim_leaves(v: &Value) -> bool {
    let one = |v: &Value| matches!(v, Value::Str(s) if !s.is_empty() && s.trim().len() == s.len());
    match v {
        Value::Multi(values) => !values.is_empty() && values.iter().all(one),
        v => one(v),
    }
}

/// The result of one expression on objects that have none of the attributes it reads, kept
/// after the first such object (see [`Compiled::eval_kept`]).
#[derive(Debug, Default)]
pub struct AbsentResult(OnceLock<Result<Value, EvalError>>);

impl AbsentResult {
    pub fn new() -> AbsentResult {
        AbsentResult::default()
    }
}

impl Compiled {
    pub(crate) fn new(expr: &Expr) -> Self {
        let mut lowering = Lowering { names: Vec::new() };
        let root = lowering.lower(expr);
        let attributes: Box<[AttrKey]> = lowering
            .names
            .into_iter()
            .map(|n| AttrKey::new(&n))
            .collect();
        // Beyond the attributes read, the object reaches a result only through the functions
        // that read it by name or use its seed; attributes past the slots are read by name.
        let mut reads_object = attributes.len() > SLOTS;
        expr.walk(&mut |e| {
            if let ExprKind::Call { name, .. } = &e.kind {
                reads_object |= catalogue::lookup(name).is_some_and(|f| f.func.reads_object());
            }
        });
        Compiled {
            expr: expr.clone(),
            root,
            hints: attributes.iter().map(|_| AtomicU8::new(0)).collect(),
            attributes,
            absent_invariant: !reads_object,
        }
    }

    /// The attributes the expression may read, when they are known: every `[name]` it names
    /// and the attribute that `ImportedValue` and `ValueCount` are given as a literal; `None`
    /// when one of those two is given a name computed at run time. (`RandomNum` and `Guid` read
    /// only the object's seed, from its DN.)
    pub fn attributes_read(&self) -> Option<Vec<&str>> {
        let mut names = Vec::new();
        let mut known = true;
        self.expr.walk(&mut |e| match &e.kind {
            ExprKind::Attr(name) => names.push(name.as_str()),
            ExprKind::Call { name, args, .. } => {
                let by_name = catalogue::lookup(name)
                    .is_some_and(|f| matches!(f.func, Func::ImportedValue | Func::ValueCount));
                if by_name {
                    match args.first().map(|a| &a.kind) {
                        Some(ExprKind::Str(attribute)) => names.push(attribute.as_str()),
                        _ => known = false,
                    }
                }
            }
            _ => {}
        });
        known.then_some(names)
    }

    /// The attribute this expression trims when it is `Trim([name])` and nothing else, the
    /// commonest flow of the out-of-box rules: on a value [`trim_leaves`] accepts, the result
    /// is that value itself, so a caller may take the value instead of evaluating (and, as
    /// `Trim` of a string cannot fail, need not evaluate it at all).
    pub fn trimmed_attribute(&self) -> Option<&str> {
        let ExprKind::Call { name, args, .. } = &self.expr.kind else {
            return None;
        };
        let trim = catalogue::lookup(name).is_some_and(|f| matches!(f.func, Func::Trim));
        match args.as_slice() {
            [Expr {
                kind: ExprKind::Attr(attribute),
                ..
            }] if trim => Some(attribute),
            _ => None,
        }
    }

    /// Whether [`Compiled::eval_kept`] keeps results: the result on an object that has none of
    /// the attributes the expression reads depends only on the parameters and the clock.
    pub fn keeps_absent_result(&self) -> bool {
        self.absent_invariant
    }

    /// The checked syntax tree.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Evaluates against `env`.
    pub fn eval(&self, env: &Env<'_>) -> Result<Value, EvalError> {
        let mut slots = [&NULL; SLOTS];
        self.look_up(env, &mut slots);
        self.eval_slots(env, &slots)
    }

    /// Evaluates against `env` as [`Compiled::eval`] does, except on an object that has none
    /// of the attributes the expression reads (each absent or NULL) when
    /// [`Compiled::keeps_absent_result`]: then the result is the one `kept` holds, evaluated
    /// by the first such object. Most flows of the out-of-box rules read attributes that most
    /// objects lack (`extensionAttribute1`, `msExch...`), and their result on such an object is
    /// the same for every object.
    ///
    /// `kept` belongs to this expression and one set of parameters and clock: every `env` it
    /// is used with must hold the same `parameters` and `now`.
    pub fn eval_kept(&self, env: &Env<'_>, kept: &AbsentResult) -> Result<Value, EvalError> {
        let mut slots = [&NULL; SLOTS];
        self.look_up(env, &mut slots);
        if self.absent_invariant
            && slots[..self.attributes.len()]
                .iter()
                .all(|v| matches!(v, Value::Null))
        {
            return kept.0.get_or_init(|| self.eval_slots(env, &slots)).clone();
        }
        self.eval_slots(env, &slots)
    }

    /// Sets the value of every attribute the expression reads, by slot (NULL when absent), in
    /// `slots` (all NULL on entry). Filled in place: an array returned by value is copied.
    fn look_up<'e>(&self, env: &Env<'e>, slots: &mut [&'e Value; SLOTS]) {
        // Look every attribute up before evaluating, in one tight loop: the lookups are
        // independent, so their cache misses overlap instead of being paid one after another
        // as evaluation reaches each reference. Reading the first byte of each text value
        // starts fetching it too (the value is almost always used). Lookups have no effects,
        // so this changes nothing but timing.
        let mut touch = 0u8;
        let keys = self.attributes.iter().zip(self.hints.iter());
        for (slot, (key, hint)) in slots.iter_mut().zip(keys) {
            let v = env.object.get_key_hinted(key, hint).unwrap_or(&NULL);
            if let Value::Str(s) | Value::Ref(s) = v {
                touch ^= s.as_bytes().first().copied().unwrap_or(0);
            }
            *slot = v;
        }
        std::hint::black_box(touch);
    }

    /// Evaluates against `env`, with the attributes already looked up.
    fn eval_slots<'e>(
        &self,
        env: &Env<'e>,
        slots: &[&'e Value; SLOTS],
    ) -> Result<Value, EvalError> {
        // Rule expressions are mostly `IIF(condition, value, IIF(...))`: follow such a chain
        // while its conditions are typed tests that answer, down to a literal or an attribute
        // (the value), or else to the node the general evaluator takes over at. A branch of
        // `IIF` is evaluated exactly as the whole expression is, so this is the same result.
        let mut node = &self.root;
        let inputs = Inputs {
            slots,
            parameters: env.parameters,
        };
        while let Node::Iif(args, _) = node {
            let Node::Cond(cond) = &args[0] else { break };
            let Cond::Test { test, .. } = &**cond else {
                break;
            };
            match test.run(&inputs) {
                Some(b) => node = &args[if b { 1 } else { 2 }],
                None => break,
            }
        }
        match node {
            Node::Lit(v) => return Ok(v.clone()),
            Node::Attr { slot, .. } => {
                if let Some(v) = slots.get(*slot as usize) {
                    return Ok((*v).clone());
                }
            }
            _ => {}
        }

        let mut ev = Evaluator {
            env,
            slots,
            bindings: Vec::new(),
            variables: Vec::new(),
            rng: env.seed ^ 0x9E37_79B9_7F4A_7C15,
            span: self.expr.span,
        };
        match ev.boundary(node) {
            Ok(v) => Ok(v.into_owned()),
            Err(Flow::Error(e)) => Err(*e),
            Err(Flow::Lift(_, name)) => Err(EvalError {
                kind: EvalErrorKind::Type,
                message: format!("multi-valued attribute `{name}` used where one value is needed"),
                span: self.expr.span,
            }),
        }
    }

    /// Evaluates against `env` with the straightforward [`crate::reference`] evaluator. Same
    /// result as [`Compiled::eval`], only slower; for tests and cross-checks.
    pub fn eval_reference(&self, env: &Env<'_>) -> Result<Value, EvalError> {
        crate::reference::eval(&self.expr, env)
    }
}

impl fmt::Display for Compiled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)
    }
}

enum Flow<'a> {
    /// Boxed to keep results small on the hot path.
    Error(Box<EvalError>),
    /// A multi-valued attribute (slot, name) reached a single-value position: re-evaluate per
    /// value.
    Lift(u32, &'a str),
}

impl From<EvalError> for Flow<'_> {
    fn from(e: EvalError) -> Self {
        Flow::Error(Box::new(e))
    }
}

/// An intermediate result: borrowed from the object, the parameters or the compiled tree where
/// possible.
enum Out<'a> {
    Val(&'a Value),
    Own(Value),
    /// A borrowed string: stands for `Value::Str` of this text.
    Str(&'a str),
}

impl<'a> Out<'a> {
    fn into_owned(self) -> Value {
        match self {
            Out::Val(v) => v.clone(),
            Out::Own(v) => v,
            Out::Str(s) => Value::Str(s.to_string()),
        }
    }

    fn as_value(&self) -> Cow<'_, Value> {
        match self {
            Out::Val(v) => Cow::Borrowed(v),
            Out::Own(v) => Cow::Borrowed(v),
            Out::Str(s) => Cow::Owned(Value::Str(s.to_string())),
        }
    }

    fn into_cow(self) -> Cow<'a, Value> {
        match self {
            Out::Val(v) => Cow::Borrowed(v),
            Out::Own(v) => Cow::Owned(v),
            Out::Str(s) => Cow::Owned(Value::Str(s.to_string())),
        }
    }

    fn value(&self) -> Option<&Value> {
        match self {
            Out::Val(v) => Some(v),
            Out::Own(v) => Some(v),
            Out::Str(_) => None,
        }
    }

    fn is_multi(&self) -> bool {
        matches!(self.value(), Some(Value::Multi(_)))
    }

    fn is_null(&self) -> bool {
        self.value().is_some_and(Value::is_null)
    }

    /// The text of a string or reference.
    fn str_like(&self) -> Option<&str> {
        match self {
            Out::Str(s) => Some(s),
            Out::Val(Value::Str(s) | Value::Ref(s)) | Out::Own(Value::Str(s) | Value::Ref(s)) => {
                Some(s)
            }
            _ => None,
        }
    }

    fn text(&self) -> Result<Cow<'_, str>, FnError> {
        match self {
            Out::Str(s) => Ok(Cow::Borrowed(s)),
            Out::Val(v) => functions::text(v),
            Out::Own(v) => functions::text(v),
        }
    }

    fn num(&self) -> Result<i64, FnError> {
        match self {
            Out::Str(s) => functions::num_str(s),
            Out::Val(v) => functions::num(v),
            Out::Own(v) => functions::num(v),
        }
    }

    fn truthy(&self) -> Result<bool, FnError> {
        match self {
            Out::Str(s) => functions::truthy_str(s),
            Out::Val(v) => functions::truthy(v),
            Out::Own(v) => functions::truthy(v),
        }
    }

    /// A part of this string or reference, as a `Str`: borrowed when this is borrowed.
    /// `part` must return a sub-slice of its argument. `None` when this is not text.
    fn substr(self, part: impl FnOnce(&str) -> &str) -> Option<Out<'a>> {
        match self {
            Out::Str(s) => Some(Out::Str(part(s))),
            Out::Val(Value::Str(s) | Value::Ref(s)) => Some(Out::Str(part(s))),
            Out::Own(Value::Str(s) | Value::Ref(s)) => Some(Out::Own(Value::Str(part(&s).into()))),
            _ => None,
        }
    }
}

type R<'a> = Result<Out<'a>, Flow<'a>>;

static NULL: Value = Value::Null;

/// Attribute slots cached per evaluation; attributes beyond these are looked up at each use.
const SLOTS: usize = 32;

struct Evaluator<'a> {
    env: &'a Env<'a>,
    /// The object's value of each slot (looked up when the evaluation starts).
    slots: &'a [&'a Value; SLOTS],
    /// Attribute slot → the single value it stands for during a per-value re-evaluation.
    bindings: Vec<(u32, Value)>,
    /// `$variable` → value, innermost last.
    variables: Vec<(&'a str, Value)>,
    rng: u64,
    /// The whole expression's span (where a per-value re-evaluation that grows too large is
    /// reported).
    span: Span,
}

/// An evaluation error of `kind` at `span` (also used by the reference evaluator).
pub(crate) fn err(kind: EvalErrorKind, span: Span, message: impl Into<String>) -> EvalError {
    EvalError {
        kind,
        message: message.into(),
        span,
    }
}

/// A function's error, reported at `span`.
pub(crate) fn fn_err(e: FnError, span: Span) -> EvalError {
    err(e.kind, span, e.message)
}

fn flow<'a>(e: FnError, span: Span) -> Flow<'a> {
    Flow::from(fn_err(e, span))
}

fn boolean<'a>(b: bool) -> Out<'a> {
    static TRUE: Value = Value::Bool(true);
    static FALSE: Value = Value::Bool(false);
    Out::Val(if b { &TRUE } else { &FALSE })
}

impl<'a> Evaluator<'a> {
    /// Evaluates where a whole collection is acceptable, mapping per value when a multi-valued
    /// attribute was used as a single value inside.
    fn boundary(&mut self, node: &'a Node) -> R<'a> {
        match self.eval(node) {
            Err(Flow::Lift(slot, name)) => {
                let values = self
                    .env
                    .object
                    .get(name)
                    .map(|v| v.values().to_vec())
                    .unwrap_or_default();
                let mut out = functions::Collect::with_capacity(values.len());
                for v in values {
                    self.bindings.push((slot, v));
                    let r = self.boundary(node).map(Out::into_owned);
                    self.bindings.pop();
                    out.push(r?).map_err(|e| flow(e, self.span))?;
                }
                Ok(Out::Own(out.finish()))
            }
            other => other,
        }
    }

    /// Evaluates where one value is needed.
    #[inline]
    fn scalar(&mut self, node: &'a Node) -> R<'a> {
        let v = self.eval(node)?;
        if let (true, Node::Attr { slot, name, .. }) = (v.is_multi(), node) {
            return Err(Flow::Lift(*slot, name));
        }
        Ok(v)
    }

    /// The truth of `node` as a condition; errors are reported at `span`. Conditions that
    /// produce a Boolean directly (chains, comparisons, prefix tests, `IsPresent`) are decided
    /// without building an intermediate value.
    fn truth(&mut self, node: &'a Node, span: Span) -> Result<bool, Flow<'a>> {
        match node {
            Node::Cond(cond) => self.cond(cond),
            Node::LeftCmp { eq, arg, .. } => {
                let a = self.scalar(arg)?;
                match self.left_cmp(*eq, a, node)? {
                    Ok(b) => Ok(b),
                    Err(v) => v.truthy().map_err(|e| flow(e, span)),
                }
            }
            Node::Bin {
                op,
                lhs,
                rhs,
                span: op_span,
            } if op.is_comparison() => {
                let l = self.scalar(lhs)?;
                let r = self.scalar(rhs)?;
                if let Some(b) = compare_fast(*op, &l, &r) {
                    return Ok(b);
                }
                let v = functions::binary(*op, &l.as_value(), &r.as_value())
                    .map_err(|e| flow(e, *op_span))?;
                functions::truthy(&v).map_err(|e| flow(e, span))
            }
            Node::Fn1 {
                func: Func::CBool,
                arg,
                span: cbool_span,
                ..
            } => {
                let a = self.scalar(arg)?;
                if a.is_multi() {
                    let v = self.general(Func::CBool, [a], *cbool_span)?;
                    return v.truthy().map_err(|e| flow(e, span));
                }
                a.truthy().map_err(|e| flow(e, *cbool_span))
            }
            Node::Fn1 {
                func: Func::IsPresent,
                arg,
                ..
            } => {
                let a = self.boundary(arg)?;
                Ok(match &a {
                    Out::Str(s) => !s.is_empty(),
                    Out::Val(v) => functions::is_present(v),
                    Out::Own(v) => functions::is_present(v),
                })
            }
            _ => {
                let v = self.scalar(node)?;
                v.truthy().map_err(|e| flow(e, span))
            }
        }
    }

    /// The truth of a condition.
    fn cond(&mut self, cond: &'a Cond<Node>) -> Result<bool, Flow<'a>> {
        match cond {
            Cond::Or(terms) => self.chain(terms, true),
            Cond::And(terms) => self.chain(terms, false),
            Cond::Test {
                test,
                general,
                span,
            } => match self.test(test) {
                Some(b) => Ok(b),
                None => self.truth(general, *span),
            },
            Cond::General(node, span) => self.truth(node, *span),
        }
    }

    /// `||` (`stop` true: the first true term decides) or `&&` (`stop` false), left to right.
    fn chain(&mut self, terms: &'a [Cond<Node>], stop: bool) -> Result<bool, Flow<'a>> {
        for term in terms {
            if self.cond(term)? == stop {
                return Ok(stop);
            }
        }
        Ok(!stop)
    }

    /// A typed test's answer, or `None` when the general tree must decide (including during a
    /// per-value re-evaluation, whose bindings the tests do not read).
    #[inline]
    fn test(&self, test: &Test) -> Option<bool> {
        if !self.bindings.is_empty() {
            return None;
        }
        test.run(&Inputs {
            slots: self.slots,
            parameters: self.env.parameters,
        })
    }

    /// `Left(a, n) = "literal"` for an evaluated `a`: the answer, or (when `a` is not text or
    /// null) the value the general `Left` and comparison give.
    fn left_cmp(
        &mut self,
        eq: bool,
        a: Out<'a>,
        node: &'a Node,
    ) -> Result<Result<bool, Out<'a>>, Flow<'a>> {
        let Node::LeftCmp {
            count,
            literal,
            left_span,
            span,
            ..
        } = node
        else {
            return Err(err(EvalErrorKind::Type, Span::default(), "internal error").into());
        };
        if let (Some(s), Value::Str(lit)) = (a.str_like(), literal) {
            return Ok(Ok(s.starts_with(lit.as_str()) == eq));
        }
        if a.is_null() {
            // `Left` of null is "", which differs from the non-empty literal.
            return Ok(Ok(!eq));
        }
        let left = self.general(Func::Left, [a, Out::Val(count)], *left_span)?;
        let op = if eq { BinOp::Eq } else { BinOp::Ne };
        let v = functions::binary(op, &left.as_value(), literal).map_err(|e| flow(e, *span))?;
        Ok(Err(Out::Own(v)))
    }

    #[inline]
    fn attr(&mut self, slot: u32, name: &'a str) -> Out<'a> {
        if !self.bindings.is_empty() {
            if let Some((_, v)) = self.bindings.iter().rev().find(|(s, _)| *s == slot) {
                return Out::Own(v.clone());
            }
        }
        match self.slots.get(slot as usize) {
            Some(v) => Out::Val(v),
            None => Out::Val(self.env.object.get(name).unwrap_or(&NULL)),
        }
    }

    fn eval(&mut self, node: &'a Node) -> R<'a> {
        match node {
            Node::Lit(v) => Ok(Out::Val(v)),
            Node::Attr { slot, name } => Ok(self.attr(*slot, name)),
            Node::Param(name, span) => match self.env.parameters.get(name) {
                Some(v) => Ok(Out::Str(v)),
                None => Err(err(
                    EvalErrorKind::MissingParameter,
                    *span,
                    format!("parameter `%{name}%` has no value"),
                )
                .into()),
            },
            Node::Var(name, span) => match self.variables.iter().rev().find(|(n, _)| *n == &**name)
            {
                Some((_, v)) => Ok(Out::Own(v.clone())),
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
                Ok(Out::Own(
                    functions::map_unary(&v.as_value(), functions::negate)
                        .map_err(|e| fn_err(e, *span))?,
                ))
            }
            Node::Cond(cond) => match &**cond {
                Cond::Or(_) | Cond::And(_) => self.cond(cond).map(boolean),
                // A test in a condition position, asked for its value: the same Boolean, or
                // (when the test gives up) the general tree's value.
                Cond::Test { test, general, .. } => match self.test(test) {
                    Some(b) => Ok(boolean(b)),
                    None => self.eval(general),
                },
                Cond::General(general, _) => self.eval(general),
            },
            Node::Concat(operands) => self.concat(operands),
            Node::Bin { op, lhs, rhs, span } => self.binary(*op, lhs, rhs, *span),
            Node::Iif(args, span) => {
                if self.truth(&args[0], *span)? {
                    self.boundary(&args[1])
                } else {
                    self.boundary(&args[2])
                }
            }
            Node::Fn1 {
                func,
                arg,
                scalar,
                span,
            } => self.fn1(*func, arg, *scalar, *span),
            Node::Fn2 { func, args, span } => self.fn2(*func, args, *span),
            Node::LeftCmp { eq, arg, .. } => {
                let a = self.scalar(arg)?;
                Ok(match self.left_cmp(*eq, a, node)? {
                    Ok(b) => boolean(b),
                    Err(v) => v,
                })
            }
            Node::Call { func, args, span } => self.call(*func, args, *span),
        }
    }

    #[inline]
    fn fn1(&mut self, func: Func, arg: &'a Node, scalar: bool, span: Span) -> R<'a> {
        let a = if scalar {
            self.scalar(arg)?
        } else {
            self.boundary(arg)?
        };
        if !(scalar && a.is_multi()) {
            match fast(func, 1, a, Out::Val(&NULL)) {
                Fast::Done(r) => return r.map_err(|e| flow(e, span)),
                Fast::General(a, _) => return self.general(func, [a], span),
            }
        }
        self.general(func, [a], span)
    }

    #[inline]
    fn fn2(&mut self, func: Func, args: &'a [Node; 2], span: Span) -> R<'a> {
        let a = self.scalar(&args[0])?;
        let b = self.scalar(&args[1])?;
        if !(a.is_multi() || b.is_multi()) {
            match fast(func, 2, a, b) {
                Fast::Done(r) => return r.map_err(|e| flow(e, span)),
                Fast::General(a, b) => return self.general(func, [a, b], span),
            }
        }
        self.general(func, [a, b], span)
    }

    /// Applies `func` through the general implementation.
    #[inline(never)]
    fn general<const N: usize>(&mut self, func: Func, args: [Out<'a>; N], span: Span) -> R<'a> {
        let args: [Cow<'a, Value>; N] = args.map(Out::into_cow);
        let mut ctx = CallContext {
            env: self.env,
            rng: &mut self.rng,
        };
        functions::apply_lifted(&mut ctx, func, &args)
            .map(Out::Own)
            .map_err(|e| flow(e, span))
    }

    fn binary(&mut self, op: BinOp, lhs: &'a Node, rhs: &'a Node, span: Span) -> R<'a> {
        let l = self.scalar(lhs)?;
        let r = self.scalar(rhs)?;
        if op.is_comparison() {
            if let Some(b) = compare_fast(op, &l, &r) {
                return Ok(boolean(b));
            }
        }
        functions::binary(op, &l.as_value(), &r.as_value())
            .map(Out::Own)
            .map_err(|e| flow(e, span))
    }

    /// `a & b & ...`, evaluated and converted left to right exactly like the nested operators,
    /// but into one growing string.
    fn concat(&mut self, operands: &'a [(Node, Span)]) -> R<'a> {
        let Some(((first, _), rest)) = operands.split_first() else {
            return Ok(Out::Val(&NULL));
        };
        let mut acc = self.scalar(first)?;
        let mut text: Option<String> = None;
        for (node, span) in rest {
            let r = self.scalar(node)?;
            if r.is_multi() || (text.is_none() && acc.is_multi()) {
                let l = match text.take() {
                    Some(s) => Out::Own(Value::Str(s)),
                    None => acc,
                };
                acc = Out::Own(
                    functions::binary(BinOp::Concat, &l.as_value(), &r.as_value())
                        .map_err(|e| flow(e, *span))?,
                );
                continue;
            }
            let buf = match &mut text {
                Some(buf) => buf,
                None => {
                    let a = acc
                        .text()
                        .map_err(|_| flow(functions::concat_error(&acc.as_value()), *span))?;
                    let mut buf = String::with_capacity(a.len() + 32);
                    buf.push_str(&a);
                    text.insert(buf)
                }
            };
            let b = r
                .text()
                .map_err(|_| flow(functions::concat_error(&r.as_value()), *span))?;
            functions::check_text(buf.len() + b.len()).map_err(|e| flow(e, *span))?;
            buf.push_str(&b);
        }
        Ok(match text {
            Some(s) => Out::Own(Value::Str(s)),
            None => acc,
        })
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
                    None => Ok(Out::Val(&NULL)),
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
            let r = self.boundary(body).map(|v| Out::Own(v.into_owned()));
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
            let r = self.boundary(body).map(Out::into_owned);
            let (_, item) = self.variables.pop().unwrap_or((name, Value::Null));
            let r = r?;
            if func == Func::Select {
                out.push(r).map_err(|e| flow(e, span))?;
            } else if functions::truthy(&r).map_err(|e| fn_err(e, span))? {
                out.push(item).map_err(|e| flow(e, span))?;
            }
        }
        Ok(Out::Own(out.finish()))
    }

    fn ordinary(&mut self, func: Func, args: &'a [Node], span: Span) -> R<'a> {
        let spec = func.spec();
        if args.len() < spec.required || args.len() > spec.params.len() {
            return Err(arity(func, span));
        }
        let mut values: [Out<'a>; 4] = [
            Out::Val(&NULL),
            Out::Val(&NULL),
            Out::Val(&NULL),
            Out::Val(&NULL),
        ];
        for (i, (arg, param)) in args.iter().zip(spec.params).enumerate() {
            values[i] = if param.is_scalar() {
                self.scalar(arg)?
            } else {
                self.boundary(arg)?
            };
        }
        let n = args.len();
        let mapped = values[..n]
            .iter()
            .zip(spec.params)
            .any(|(v, p)| v.is_multi() && p.is_scalar());
        if !mapped && n <= 2 {
            let a = std::mem::replace(&mut values[0], Out::Val(&NULL));
            let b = std::mem::replace(&mut values[1], Out::Val(&NULL));
            match fast(func, n, a, b) {
                Fast::Done(r) => return r.map_err(|e| flow(e, span)),
                Fast::General(a, b) => {
                    values[0] = a;
                    values[1] = b;
                }
            }
        }
        let args: [Cow<'a, Value>; 4] = values.map(Out::into_cow);
        let mut ctx = CallContext {
            env: self.env,
            rng: &mut self.rng,
        };
        functions::apply_lifted(&mut ctx, func, &args[..n])
            .map(Out::Own)
            .map_err(|e| flow(e, span))
    }
}

/// A comparison of two texts, two integers or two Booleans, without conversions; `None` for
/// the other cases (nulls, collections, mixed types), which `functions::binary` decides.
#[inline]
fn compare_fast(op: BinOp, l: &Out<'_>, r: &Out<'_>) -> Option<bool> {
    let ord = match (l.str_like(), r.str_like()) {
        (Some(a), Some(b)) => a.cmp(b),
        _ => match (l.value()?, r.value()?) {
            (Value::Num(a), Value::Num(b)) => a.cmp(b),
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            _ => return None,
        },
    };
    Some(op.holds(ord))
}

enum Fast<'a> {
    Done(Result<Out<'a>, FnError>),
    /// Not handled here: use `functions::apply` (the arguments are handed back).
    General(Out<'a>, Out<'a>),
}

/// Allocation-free versions of the functions the out-of-box rules use most, for single-valued
/// arguments (`n` of them, at most two). Each gives exactly what `functions::apply` gives (the
/// tests compare them).
#[inline]
fn fast<'a>(func: Func, n: usize, a: Out<'a>, b: Out<'a>) -> Fast<'a> {
    let r = match (func, n) {
        (Func::IsPresent, 1) => Ok(boolean(match &a {
            Out::Str(s) => !s.is_empty(),
            Out::Val(v) => functions::is_present(v),
            Out::Own(v) => functions::is_present(v),
        })),
        (Func::IsNullOrEmpty, 1) => Ok(boolean(match &a {
            Out::Str(s) => s.is_empty(),
            Out::Val(v) => !functions::is_present(v),
            Out::Own(v) => !functions::is_present(v),
        })),
        (Func::IsNull, 1) => Ok(boolean(a.is_null())),
        (Func::CBool, 1) => a.truthy().map(boolean),
        (Func::CRef, 1) => match a {
            v if v.is_null() => Ok(Out::Val(&NULL)),
            Out::Val(v @ Value::Ref(_)) => Ok(Out::Val(v)),
            Out::Own(v @ Value::Ref(_)) => Ok(Out::Own(v)),
            v => v.text().map(|t| Out::Own(Value::Ref(t.into_owned()))),
        },
        (Func::Left | Func::Right, 2) => {
            if a.is_null() {
                return Fast::Done(Ok(Out::Own(Value::Str(String::new()))));
            }
            if a.str_like().is_none() {
                return Fast::General(a, b);
            }
            match b.num() {
                Ok(k) => {
                    let part = if func == Func::Left {
                        a.substr(|s| functions::left(s, k))
                    } else {
                        a.substr(|s| functions::right(s, k))
                    };
                    match part {
                        Some(p) => Ok(p),
                        None => Err(internal()),
                    }
                }
                Err(e) => Err(e),
            }
        }
        (Func::InStr, 2) => {
            if a.is_null() || b.is_null() {
                return Fast::Done(Ok(Out::Own(Value::Num(0))));
            }
            match (a.str_like(), b.str_like()) {
                (Some(s), Some(find)) => {
                    Ok(Out::Own(Value::Num(functions::in_str(s, find, 1, false))))
                }
                _ => return Fast::General(a, b),
            }
        }
        (Func::DnComponent, 2) => {
            if a.is_null() {
                return Fast::Done(Ok(Out::Val(&NULL)));
            }
            let Some(dn) = a.str_like() else {
                return Fast::General(a, b);
            };
            match b.num() {
                Ok(k) if k < 1 => Ok(Out::Val(&NULL)),
                Ok(k) => match functions::dn_parts(dn).nth((k - 1) as usize) {
                    Some(part) => {
                        // The byte range of the value inside the DN, to borrow it from `a`.
                        let value = functions::rdn_value(part);
                        let from = value.as_ptr() as usize - dn.as_ptr() as usize;
                        let to = from + value.len();
                        match a.substr(|s| &s[from..to]) {
                            Some(p) => Ok(p),
                            None => Err(internal()),
                        }
                    }
                    None => Ok(Out::Val(&NULL)),
                },
                Err(e) => Err(e),
            }
        }
        (Func::BitAnd | Func::BitOr, 2) => match (a.value(), b.value()) {
            (Some(Value::Num(x)), Some(Value::Num(y))) => {
                Ok(Out::Own(Value::Num(if func == Func::BitAnd {
                    x & y
                } else {
                    x | y
                })))
            }
            _ => return Fast::General(a, b),
        },
        _ => return Fast::General(a, b),
    };
    Fast::Done(r)
}

/// An invariant of this module failed (text that was checked to be text is not). Reported as
/// an evaluation error rather than a panic.
fn internal() -> FnError {
    FnError {
        kind: EvalErrorKind::Type,
        message: "internal error: a string was expected".into(),
    }
}

fn arity<'a>(func: Func, span: Span) -> Flow<'a> {
    Flow::from(err(
        EvalErrorKind::InvalidArgument,
        span,
        format!("wrong number of arguments for `{}`", func.name()),
    ))
}
