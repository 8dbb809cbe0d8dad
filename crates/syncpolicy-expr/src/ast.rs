//! The typed syntax tree of an expression, and its printer (`Display`), whose output parses back
//! to the same tree.

use crate::diagnostic::Span;
use std::fmt;

/// One expression node with the byte span it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// The built-in constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Constant {
    /// `NULL`: this flow contributes nothing.
    Null,
    /// `AuthoritativeNull`: empty, and lower-precedence rules may not fill it.
    AuthoritativeNull,
    /// `IgnoreThisFlow`: as if the flow did not exist.
    IgnoreThisFlow,
    /// `CRLF`: carriage return and line feed.
    Crlf,
}

impl Constant {
    pub fn name(self) -> &'static str {
        match self {
            Constant::Null => "NULL",
            Constant::AuthoritativeNull => "AuthoritativeNull",
            Constant::IgnoreThisFlow => "IgnoreThisFlow",
            Constant::Crlf => "CRLF",
        }
    }

    /// Recognises a constant keyword (case-insensitive).
    pub fn from_keyword(word: &str) -> Option<Constant> {
        [
            Constant::Null,
            Constant::AuthoritativeNull,
            Constant::IgnoreThisFlow,
            Constant::Crlf,
        ]
        .into_iter()
        .find(|c| c.name().eq_ignore_ascii_case(word))
    }
}

/// Infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Concat => "&",
            BinOp::Eq => "=",
            BinOp::Ne => "<>",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }

    /// Binding tier, higher binds tighter: `||` 1, `&&` 2, comparisons 3, `&` 4, arithmetic 5.
    pub fn tier(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 3,
            BinOp::Concat => 4,
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => 5,
        }
    }

    pub fn is_comparison(self) -> bool {
        self.tier() == 3
    }

    /// For a comparison operator: whether two values ordered `ord` satisfy it (`a < b` holds
    /// for `Less`). `>=` for any other operator.
    pub fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering;
        match self {
            BinOp::Eq => ord == Ordering::Equal,
            BinOp::Ne => ord != Ordering::Equal,
            BinOp::Lt => ord == Ordering::Less,
            BinOp::Le => ord != Ordering::Greater,
            BinOp::Gt => ord == Ordering::Greater,
            _ => ord != Ordering::Less,
        }
    }

    pub fn is_multiplicative(self) -> bool {
        matches!(self, BinOp::Mul | BinOp::Div)
    }
}

/// What an expression node is.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `"text"` (the value after escape processing).
    Str(String),
    /// `98052` or `&HFF` (`hex` keeps the spelling for printing).
    Num { value: i64, hex: bool },
    /// `True` / `False`.
    Bool(bool),
    /// `NULL`, `AuthoritativeNull`, `IgnoreThisFlow`, `CRLF`.
    Const(Constant),
    /// `[attributeName]`.
    Attr(String),
    /// `%Parameter.Name%`.
    Param(String),
    /// `$item`.
    Var(String),
    /// A bare identifier used as an enumeration argument, e.g. `vbTextCompare`.
    Ident(String),
    /// `Name(args...)`.
    Call {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
    },
    /// Unary minus.
    Neg(Box<Expr>),
    /// `lhs op rhs`.
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// A part that could not be parsed (already reported). Never evaluated.
    Invalid,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// The terms of a chain of `op` (`a || b || c` for `Or`), left to right, each with the
    /// span of the operator expression it is an operand of. An expression that is not such a
    /// chain is its own single term, with its own span.
    pub fn chain_terms(&self, op: BinOp) -> Vec<(&Expr, Span)> {
        fn walk<'e>(expr: &'e Expr, op: BinOp, span: Span, out: &mut Vec<(&'e Expr, Span)>) {
            match &expr.kind {
                ExprKind::Binary {
                    op: inner,
                    lhs,
                    rhs,
                } if *inner == op => {
                    walk(lhs, op, expr.span, out);
                    walk(rhs, op, expr.span, out);
                }
                _ => out.push((expr, span)),
            }
        }
        let mut out = Vec::new();
        walk(self, op, self.span, &mut out);
        out
    }

    /// A copy with every span set to `0..0`, for comparing trees by shape.
    pub fn without_spans(&self) -> Expr {
        let kind = match &self.kind {
            ExprKind::Call { name, args, .. } => ExprKind::Call {
                name: name.clone(),
                name_span: Span::default(),
                args: args.iter().map(Expr::without_spans).collect(),
            },
            ExprKind::Neg(inner) => ExprKind::Neg(Box::new(inner.without_spans())),
            ExprKind::Binary { op, lhs, rhs } => ExprKind::Binary {
                op: *op,
                lhs: Box::new(lhs.without_spans()),
                rhs: Box::new(rhs.without_spans()),
            },
            other => other.clone(),
        };
        Expr::new(kind, Span::default())
    }

    /// Calls `visit` on this node and every node below it, parents first.
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        visit(self);
        match &self.kind {
            ExprKind::Call { args, .. } => args.iter().for_each(|a| a.walk(visit)),
            ExprKind::Neg(inner) => inner.walk(visit),
            ExprKind::Binary { lhs, rhs, .. } => {
                lhs.walk(visit);
                rhs.walk(visit);
            }
            _ => {}
        }
    }
}

/// Writes a string literal with `\` and `"` escaped.
pub(crate) fn write_string_literal(f: &mut impl fmt::Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '\\' => f.write_str("\\\\")?,
            '"' => f.write_str("\\\"")?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Str(s) => write_string_literal(f, s),
            ExprKind::Num { value, hex: true } => write!(f, "&H{value:X}"),
            ExprKind::Num { value, hex: false } => write!(f, "{value}"),
            ExprKind::Bool(true) => f.write_str("True"),
            ExprKind::Bool(false) => f.write_str("False"),
            ExprKind::Const(c) => f.write_str(c.name()),
            ExprKind::Attr(name) => write!(f, "[{name}]"),
            ExprKind::Param(name) => write!(f, "%{name}%"),
            ExprKind::Var(name) => write!(f, "${name}"),
            ExprKind::Ident(name) => f.write_str(name),
            ExprKind::Call { name, args, .. } => {
                write!(f, "{name}(")?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(")")
            }
            ExprKind::Neg(inner) => match inner.kind {
                ExprKind::Binary { .. } | ExprKind::Neg(_) => write!(f, "-({inner})"),
                _ => write!(f, "-{inner}"),
            },
            ExprKind::Binary { op, lhs, rhs } => {
                write_operand(f, *op, lhs, false)?;
                write!(f, " {} ", op.symbol())?;
                write_operand(f, *op, rhs, true)
            }
            ExprKind::Invalid => f.write_str("<invalid>"),
        }
    }
}

/// Writes an operand of `parent`, with parentheses where the parser would group differently,
/// and around arithmetic that mixes `+ -` with `* /` so the text means the same in both
/// arithmetic modes.
fn write_operand(
    f: &mut fmt::Formatter<'_>,
    parent: BinOp,
    child: &Expr,
    is_right: bool,
) -> fmt::Result {
    let needs = match &child.kind {
        ExprKind::Binary { op, .. } => {
            op.tier() < parent.tier()
                || (is_right && op.tier() == parent.tier())
                || (parent.is_comparison() && op.is_comparison())
                || (parent.tier() == 5 && op.is_multiplicative() != parent.is_multiplicative())
        }
        _ => false,
    };
    if needs {
        write!(f, "({child})")
    } else {
        write!(f, "{child}")
    }
}
