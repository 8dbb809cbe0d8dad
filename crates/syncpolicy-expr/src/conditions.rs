//! Conditions compiled to typed tests: the `||`/`&&` chains and the Boolean tests that
//! synchronization-rule conditions are made of (`IsPresent([a])`, `[a] = "x"`,
//! `Left([a], 4) = "AAD_"`, `InStr([a], "}") > 0`, `BitAnd([a], &H21C07000) > 0`, `CBool(...)`
//! of those), decided straight from the attribute slots without building values.
//!
//! A test answers only the plain cases: single text, null, or integer values, no per-value
//! re-evaluation in progress. Anything else (a multi-valued attribute, a number where text is
//! tested, an attribute beyond the slot cache) makes it give up, and the evaluator evaluates the
//! same part of the expression with its general tree instead, which it keeps next to each test.
//! Tests are pure (they read slots, literals and parameters only), so giving up after a partial
//! look changes nothing but time. Every test gives exactly the value the general tree gives
//! (`tests/it/equivalence.rs` compares both with the reference evaluator).

use crate::ast::{BinOp, Constant, Expr, ExprKind};
use crate::catalogue::{self, Func};
use crate::diagnostic::Span;
use crate::env::Parameters;
use crate::functions;
use crate::value::Value;

/// A condition: chains of `||` and `&&` over tests, with the general tree where no test fits.
#[derive(Debug)]
pub(crate) enum Cond<N> {
    /// `a || b || ...`, left to right, stopping at the first true term.
    Or(Box<[Cond<N>]>),
    /// `a && b && ...`, left to right, stopping at the first false term.
    And(Box<[Cond<N>]>),
    /// A typed test, with the general tree of the same expression for when the test gives up,
    /// and the span its truth errors are reported at.
    Test { test: Test, general: N, span: Span },
    /// A term no test fits: its truth through the general tree, errors reported at `span`.
    General(N, Span),
}

/// A Boolean-valued expression decided from slots and literals. Its value is exactly
/// `Value::Bool` of the answer whenever it answers.
#[derive(Debug)]
pub(crate) enum Test {
    Const(bool),
    /// The negation of a Boolean test (`IsPresent([a]) = False`).
    Not(Box<Test>),
    /// `IsPresent([a])` (any value type, collections included).
    Present(u32),
    /// A comparison of two texts.
    Compare {
        op: BinOp,
        lhs: Text,
        rhs: Text,
    },
    /// `Left(text, n) = "literal"` (or `<>`) with `n` the literal's number of characters.
    Prefix {
        text: Text,
        literal: Box<str>,
        eq: bool,
    },
    /// `InStr(text, "literal") > 0` (`found`), or `= 0` (`!found`), and the equivalent forms.
    Contains {
        text: Text,
        literal: Box<str>,
        found: bool,
    },
    /// `BitAnd([a], mask) <op> n` with an integer attribute.
    Bits {
        slot: u32,
        mask: i64,
        op: BinOp,
        n: i64,
    },
    /// `CBool(IIF(test, test, test))`, where `NULL`, `True` and `False` count as constant tests.
    Choose(Box<[Test; 3]>),
    /// `test || test || ...`
    Any(Box<[Test]>),
    /// `test && test && ...`
    All(Box<[Test]>),
}

/// A text-valued expression decided from slots and literals.
#[derive(Debug)]
pub(crate) enum Text {
    Slot(u32),
    Literal(Box<str>),
    Param(Box<str>),
    /// `DNComponent(text, k)` with a constant `k`.
    DnComponent(Box<Text>, i64),
    /// `Left(text, n)` with a constant `n`.
    Left(Box<Text>, i64),
    /// `Right(text, n)` with a constant `n`.
    Right(Box<Text>, i64),
}

/// What a [`Text`] gives for one object.
enum T<'a> {
    Text(&'a str),
    Null,
}

/// What the tests read: the attribute values by slot, and the parameters.
pub(crate) struct Inputs<'s, 'a> {
    pub(crate) slots: &'s [&'a Value],
    pub(crate) parameters: &'a Parameters,
}

impl Test {
    /// The answer, or `None` when this case is left to the general tree. Inlined where tests
    /// are run (the evaluator, the loops over `||`/`&&` terms), so a test costs a jump and its
    /// own work.
    #[inline(always)]
    pub(crate) fn run(&self, inputs: &Inputs<'_, '_>) -> Option<bool> {
        match self {
            Test::Const(b) => Some(*b),
            Test::Not(_) | Test::Choose(_) | Test::Any(_) | Test::All(_) => self.nested(inputs),
            Test::Present(slot) => Some(functions::is_present(inputs.slots.get(*slot as usize)?)),
            Test::Compare { op, lhs, rhs } => match (lhs.run(inputs)?, rhs.run(inputs)?) {
                (T::Text(a), T::Text(b)) => Some(match op {
                    // Lengths first: most texts differ in length from the literal.
                    BinOp::Eq => a == b,
                    BinOp::Ne => a != b,
                    _ => op.holds(a.cmp(b)),
                }),
                // A comparison with null is false, whatever the operator.
                _ => Some(false),
            },
            Test::Prefix { text, literal, eq } => match text.run(inputs)? {
                T::Text(s) => Some(starts_with(s, literal) == *eq),
                // `Left` of null is "", which differs from the non-empty literal.
                T::Null => Some(!*eq),
            },
            Test::Contains {
                text,
                literal,
                found,
            } => match text.run(inputs)? {
                T::Text(s) => Some(contains(s, literal) == *found),
                // `InStr` of null is 0.
                T::Null => Some(!*found),
            },
            Test::Bits { slot, mask, op, n } => match inputs.slots.get(*slot as usize)? {
                Value::Num(v) => Some(op.holds((v & mask).cmp(n))),
                _ => None,
            },
        }
    }

    /// [`Test::run`] for the tests made of other tests.
    #[inline(never)]
    fn nested(&self, inputs: &Inputs<'_, '_>) -> Option<bool> {
        match self {
            Test::Not(test) => test.run(inputs).map(|b| !b),
            Test::Choose(tests) => {
                let [condition, then, otherwise] = &**tests;
                if condition.run(inputs)? {
                    then.run(inputs)
                } else {
                    otherwise.run(inputs)
                }
            }
            Test::Any(tests) => {
                for test in tests.iter() {
                    if test.run(inputs)? {
                        return Some(true);
                    }
                }
                Some(false)
            }
            Test::All(tests) => {
                for test in tests.iter() {
                    if !test.run(inputs)? {
                        return Some(false);
                    }
                }
                Some(true)
            }
            _ => self.run(inputs),
        }
    }
}

impl Text {
    /// The text, null, or `None` for any other value (a number, binary, a collection...).
    #[inline(always)]
    fn run<'a>(&'a self, inputs: &Inputs<'_, 'a>) -> Option<T<'a>> {
        match self {
            Text::Slot(slot) => match inputs.slots.get(*slot as usize)? {
                Value::Str(s) | Value::Ref(s) => Some(T::Text(s)),
                v if v.is_null() => Some(T::Null),
                _ => None,
            },
            Text::Literal(s) => Some(T::Text(s)),
            _ => self.derived(inputs),
        }
    }

    /// [`Text::run`] for the texts computed from other texts.
    #[inline(never)]
    fn derived<'a>(&'a self, inputs: &Inputs<'_, 'a>) -> Option<T<'a>> {
        Some(match self {
            Text::Slot(_) | Text::Literal(_) => self.run(inputs)?,
            Text::Param(name) => T::Text(inputs.parameters.get(name)?),
            Text::DnComponent(text, k) => match text.run(inputs)? {
                T::Text(dn) if *k >= 1 => {
                    match functions::dn_parts(dn).nth(usize::try_from(*k - 1).ok()?) {
                        Some(part) => T::Text(functions::rdn_value(part)),
                        None => T::Null,
                    }
                }
                _ => T::Null,
            },
            Text::Left(text, n) => T::Text(match text.run(inputs)? {
                T::Text(s) => functions::left(s, *n),
                T::Null => "",
            }),
            Text::Right(text, n) => T::Text(match text.run(inputs)? {
                T::Text(s) => functions::right(s, *n),
                T::Null => "",
            }),
        })
    }
}

/// `str::starts_with`, deciding on the first byte before comparing the rest (most texts
/// differ from a tested prefix at once).
#[inline(always)]
fn starts_with(s: &str, prefix: &str) -> bool {
    match (s.as_bytes(), prefix.as_bytes()) {
        (_, []) => true,
        ([a, ..], [b, ..]) if a != b => false,
        (s, prefix) => s.starts_with(prefix),
    }
}

/// `str::contains`, by a byte scan on attribute-sized texts (the general searcher's set-up
/// costs more than the search there).
#[inline]
fn contains(s: &str, needle: &str) -> bool {
    if s.len() <= 256 {
        functions::find_bytes(s.as_bytes(), needle.as_bytes()).is_some()
    } else {
        s.contains(needle)
    }
}

/// Builds tests from syntax trees; `slot` gives an attribute name its slot.
pub(crate) struct Builder<'f> {
    pub(crate) slot: &'f mut dyn FnMut(&str) -> u32,
}

impl Builder<'_> {
    /// The test for `expr`, when it is one of the shapes above.
    pub(crate) fn test(&mut self, expr: &Expr) -> Option<Test> {
        match &expr.kind {
            ExprKind::Bool(b) => Some(Test::Const(*b)),
            ExprKind::Binary { op, lhs, rhs } if op.is_comparison() => {
                self.comparison(*op, lhs, rhs)
            }
            ExprKind::Binary {
                op: op @ (BinOp::Or | BinOp::And),
                ..
            } => {
                let tests = expr
                    .chain_terms(*op)
                    .into_iter()
                    .map(|(term, _)| self.test(term))
                    .collect::<Option<Box<[Test]>>>()?;
                Some(if *op == BinOp::Or {
                    Test::Any(tests)
                } else {
                    Test::All(tests)
                })
            }
            ExprKind::Call { name, args, .. } => {
                let func = catalogue::lookup(name)?.func;
                match (func, args.as_slice()) {
                    (Func::IsPresent, [arg]) => match &arg.kind {
                        ExprKind::Attr(name) => Some(Test::Present((self.slot)(name))),
                        _ => None,
                    },
                    // `CBool` of a Boolean is that Boolean.
                    (Func::CBool, [arg]) => match &arg.kind {
                        ExprKind::Call { name, args, .. }
                            if catalogue::lookup(name)?.func == Func::Iif =>
                        {
                            self.choose(args)
                        }
                        _ => self.test(arg),
                    },
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `CBool(IIF(c, a, b))`: `NULL` becomes false (the truth of null), as `CBool` makes it.
    fn choose(&mut self, args: &[Expr]) -> Option<Test> {
        let [condition, then, otherwise] = args else {
            return None;
        };
        let mut branch = |e: &Expr| match e.kind {
            ExprKind::Const(Constant::Null) => Some(Test::Const(false)),
            _ => self.test(e),
        };
        let then = branch(then)?;
        let otherwise = branch(otherwise)?;
        let condition = self.test(condition)?;
        Some(Test::Choose(Box::new([condition, then, otherwise])))
    }

    fn comparison(&mut self, op: BinOp, lhs: &Expr, rhs: &Expr) -> Option<Test> {
        // `test = True`, `test <> False`, ...: Boolean against Boolean.
        if let ExprKind::Bool(b) = rhs.kind {
            if op != BinOp::Eq && op != BinOp::Ne {
                return None;
            }
            let test = self.test(lhs)?;
            return Some(if b == (op == BinOp::Eq) {
                test
            } else {
                Test::Not(Box::new(test))
            });
        }
        if let ExprKind::Num { value: n, .. } = rhs.kind {
            return self.numeric(op, lhs, n);
        }
        if let (ExprKind::Str(literal), BinOp::Eq | BinOp::Ne) = (&rhs.kind, op) {
            if let Some(test) = self.prefix(op == BinOp::Eq, lhs, literal) {
                return Some(test);
            }
        }
        Some(Test::Compare {
            op,
            lhs: self.text(lhs)?,
            rhs: self.text(rhs)?,
        })
    }

    /// `Left(text, n) = "literal"` with a literal of exactly `n >= 1` characters.
    fn prefix(&mut self, eq: bool, lhs: &Expr, literal: &str) -> Option<Test> {
        let ExprKind::Call { name, args, .. } = &lhs.kind else {
            return None;
        };
        let [text, count] = args.as_slice() else {
            return None;
        };
        let ExprKind::Num { value: n, .. } = count.kind else {
            return None;
        };
        if catalogue::lookup(name)?.func != Func::Left
            || n < 1
            || usize::try_from(n).ok()? != literal.chars().count()
        {
            return None;
        }
        Some(Test::Prefix {
            text: self.text(text)?,
            literal: literal.into(),
            eq,
        })
    }

    /// `InStr(text, "literal") <op> n` (for the comparisons that only ask whether it was found)
    /// and `BitAnd([a], mask) <op> n`.
    fn numeric(&mut self, op: BinOp, lhs: &Expr, n: i64) -> Option<Test> {
        let ExprKind::Call { name, args, .. } = &lhs.kind else {
            return None;
        };
        match (catalogue::lookup(name)?.func, args.as_slice()) {
            (Func::InStr, [text, needle]) => {
                let ExprKind::Str(literal) = &needle.kind else {
                    return None;
                };
                // `InStr` gives 0 (not found) or a position >= 1.
                let found = match (op, n) {
                    (BinOp::Gt, 0) | (BinOp::Ge, 1) | (BinOp::Ne, 0) => true,
                    (BinOp::Eq, 0) | (BinOp::Lt, 1) | (BinOp::Le, 0) => false,
                    _ => return None,
                };
                Some(Test::Contains {
                    text: self.text(text)?,
                    literal: literal.as_str().into(),
                    found,
                })
            }
            (Func::BitAnd, [a, b]) => {
                let (attr, mask) = match (&a.kind, &b.kind) {
                    (ExprKind::Attr(name), ExprKind::Num { value, .. })
                    | (ExprKind::Num { value, .. }, ExprKind::Attr(name)) => (name, *value),
                    _ => return None,
                };
                Some(Test::Bits {
                    slot: (self.slot)(attr),
                    mask,
                    op,
                    n,
                })
            }
            _ => None,
        }
    }

    fn text(&mut self, expr: &Expr) -> Option<Text> {
        Some(match &expr.kind {
            ExprKind::Attr(name) => Text::Slot((self.slot)(name)),
            ExprKind::Str(s) => Text::Literal(s.as_str().into()),
            ExprKind::Param(name) => Text::Param(name.as_str().into()),
            ExprKind::Call { name, args, .. } => {
                let func = catalogue::lookup(name)?.func;
                match (func, args.as_slice()) {
                    // `CRef` of a text is the same text (as a reference, which compares,
                    // splits and searches as text); of null, null.
                    (Func::CRef, [arg]) => self.text(arg)?,
                    (Func::DnComponent | Func::Left | Func::Right, [arg, count]) => {
                        let ExprKind::Num { value: k, .. } = count.kind else {
                            return None;
                        };
                        let text = Box::new(self.text(arg)?);
                        match func {
                            Func::DnComponent => Text::DnComponent(text, k),
                            Func::Left => Text::Left(text, k),
                            _ => Text::Right(text, k),
                        }
                    }
                    _ => return None,
                }
            }
            _ => return None,
        })
    }
}
