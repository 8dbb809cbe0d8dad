//! The parser: tokens to [`Expr`], reporting every syntax error with its span and recovering so
//! that later errors are found too.
//!
//! Precedence, loosest first: `||`, `&&`, comparisons (non-associative), `&`, arithmetic. By
//! default `+ - * /` share one left-associative tier, as documented by Microsoft; mixing them
//! without parentheses draws a `mixed-arithmetic` warning. [`ArithmeticPrecedence::Conventional`]
//! gives `* /` their usual higher priority instead.

use crate::ast::{BinOp, Constant, Expr, ExprKind};
use crate::diagnostic::{ExprDiagnostic, ExprDiagnosticKind as K, Span};
use crate::lexer::{lex, Tok, Token};

/// Longest accepted expression, in tokens. Real expressions are far shorter; the limit keeps
/// every recursive pass over the tree within a small stack.
pub const MAX_TOKENS: usize = 5_000;
/// Deepest accepted nesting of the tree.
pub const MAX_DEPTH: usize = 128;

/// How `+ - * /` group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArithmeticPrecedence {
    /// One tier, left to right (`5+3*2` is 16), as Microsoft documents.
    #[default]
    LeftToRight,
    /// `* /` before `+ -` (`5+3*2` is 11).
    Conventional,
}

/// Parser options.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    pub arithmetic: ArithmeticPrecedence,
}

/// Parses with the default options.
pub fn parse(source: &str) -> (Option<Expr>, Vec<ExprDiagnostic>) {
    parse_with(source, ParseOptions::default())
}

/// Parses `source`. The tree is `None` only when nothing at all could be built.
pub fn parse_with(source: &str, options: ParseOptions) -> (Option<Expr>, Vec<ExprDiagnostic>) {
    let (tokens, mut diagnostics) = lex(source);
    if tokens.len() > MAX_TOKENS {
        diagnostics.push(ExprDiagnostic::error(
            K::TooComplex,
            Span::new(0, source.len()),
            format!(
                "expression too long ({} tokens, at most {MAX_TOKENS})",
                tokens.len()
            ),
        ));
        return (None, diagnostics);
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        diagnostics,
        options,
        nesting: 0,
    };
    if parser.peek() == &Tok::Eof {
        parser.diagnostics.push(ExprDiagnostic::error(
            K::EmptyExpression,
            Span::new(0, source.len()),
            "empty expression",
        ));
        return (None, parser.diagnostics);
    }
    let expr = parser.parse_expr();
    // Anything left over: report it and keep parsing so later errors are found too. Right after
    // a bad token (already reported) the missing operator is not reported again.
    let mut after_bad = false;
    loop {
        let before = parser.pos;
        match parser.peek().clone() {
            Tok::Eof => break,
            Tok::Bad => {
                parser.bump();
                after_bad = true;
                continue;
            }
            Tok::RParen => {
                let span = parser.span();
                parser.diagnostics.push(ExprDiagnostic::error(
                    K::UnexpectedClosingParenthesis,
                    span,
                    "unexpected `)`",
                ));
                parser.bump();
            }
            _ if after_bad => {
                parser.parse_expr();
            }
            _ => {
                let span = parser.span();
                parser.diagnostics.push(
                    ExprDiagnostic::error(
                        K::ExpectedOperator,
                        span,
                        "expected an operator or the end of the expression",
                    )
                    .with_hint("two operands must be joined by an operator such as `&` or `||`"),
                );
                parser.parse_expr();
            }
        }
        after_bad = false;
        if parser.pos == before {
            parser.bump();
        }
    }
    let mut diagnostics = parser.diagnostics;
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    if depth(&expr) > MAX_DEPTH {
        diagnostics.push(ExprDiagnostic::error(
            K::TooComplex,
            expr.span,
            format!("expression nested too deeply (more than {MAX_DEPTH} levels)"),
        ));
        return (None, diagnostics);
    }
    (Some(expr), diagnostics)
}

/// Depth of the tree, computed without recursion.
fn depth(expr: &Expr) -> usize {
    let mut max = 0;
    let mut stack = vec![(expr, 1usize)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        match &e.kind {
            ExprKind::Call { args, .. } => stack.extend(args.iter().map(|a| (a, d + 1))),
            ExprKind::Neg(inner) => stack.push((inner, d + 1)),
            ExprKind::Binary { lhs, rhs, .. } => {
                stack.push((lhs, d + 1));
                stack.push((rhs, d + 1));
            }
            _ => {}
        }
    }
    max
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    diagnostics: Vec<ExprDiagnostic>,
    options: ParseOptions,
    nesting: usize,
}

fn comparison_op(tok: &Tok) -> Option<BinOp> {
    Some(match tok {
        Tok::Eq => BinOp::Eq,
        Tok::Ne => BinOp::Ne,
        Tok::Lt => BinOp::Lt,
        Tok::Le => BinOp::Le,
        Tok::Gt => BinOp::Gt,
        Tok::Ge => BinOp::Ge,
        _ => return None,
    })
}

fn arith_op(tok: &Tok) -> Option<BinOp> {
    Some(match tok {
        Tok::Plus => BinOp::Add,
        Tok::Minus => BinOp::Sub,
        Tok::Star => BinOp::Mul,
        Tok::Slash => BinOp::Div,
        _ => return None,
    })
}

fn binary(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    Expr::new(
        ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        span,
    )
}

impl Parser {
    fn peek(&self) -> &Tok {
        // The token list always ends with Eof and `pos` never passes it.
        &self.tokens[self.pos.min(self.tokens.len() - 1)].tok
    }

    fn span(&self) -> Span {
        self.tokens[self.pos.min(self.tokens.len() - 1)].span
    }

    fn bump(&mut self) {
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
    }

    fn parse_expr(&mut self) -> Expr {
        self.parse_or()
    }

    fn parse_or(&mut self) -> Expr {
        let mut lhs = self.parse_and();
        while self.peek() == &Tok::OrOr {
            self.bump();
            let rhs = self.parse_and();
            lhs = binary(BinOp::Or, lhs, rhs);
        }
        lhs
    }

    fn parse_and(&mut self) -> Expr {
        let mut lhs = self.parse_cmp();
        while self.peek() == &Tok::AndAnd {
            self.bump();
            let rhs = self.parse_cmp();
            lhs = binary(BinOp::And, lhs, rhs);
        }
        lhs
    }

    fn parse_cmp(&mut self) -> Expr {
        let mut lhs = self.parse_concat();
        let mut chained = false;
        while let Some(op) = comparison_op(self.peek()) {
            let op_span = self.span();
            if chained {
                self.diagnostics.push(
                    ExprDiagnostic::error(
                        K::ChainedComparison,
                        op_span,
                        "comparisons cannot be chained",
                    )
                    .with_hint("add parentheses, e.g. `(a = b) = False`"),
                );
            }
            chained = true;
            self.bump();
            let rhs = self.parse_concat();
            lhs = binary(op, lhs, rhs);
        }
        lhs
    }

    fn parse_concat(&mut self) -> Expr {
        let mut lhs = self.parse_arith();
        while self.peek() == &Tok::Amp {
            self.bump();
            let rhs = self.parse_arith();
            lhs = binary(BinOp::Concat, lhs, rhs);
        }
        lhs
    }

    fn parse_arith(&mut self) -> Expr {
        match self.options.arithmetic {
            ArithmeticPrecedence::Conventional => {
                let mut lhs = self.parse_term();
                while let Some(op) = arith_op(self.peek()).filter(|op| !op.is_multiplicative()) {
                    self.bump();
                    let rhs = self.parse_term();
                    lhs = binary(op, lhs, rhs);
                }
                lhs
            }
            ArithmeticPrecedence::LeftToRight => {
                let mut lhs = self.parse_unary();
                let (mut additive, mut multiplicative) = (false, false);
                while let Some(op) = arith_op(self.peek()) {
                    if op.is_multiplicative() {
                        multiplicative = true;
                    } else {
                        additive = true;
                    }
                    self.bump();
                    let rhs = self.parse_unary();
                    lhs = binary(op, lhs, rhs);
                }
                if additive && multiplicative {
                    self.diagnostics.push(
                        ExprDiagnostic::warning(
                            K::MixedArithmetic,
                            lhs.span,
                            "`+ -` and `* /` have the same priority and are applied left to right",
                        )
                        .with_hint("add parentheses to make the order explicit"),
                    );
                }
                lhs
            }
        }
    }

    fn parse_term(&mut self) -> Expr {
        let mut lhs = self.parse_unary();
        while let Some(op) = arith_op(self.peek()).filter(|op| op.is_multiplicative()) {
            self.bump();
            let rhs = self.parse_unary();
            lhs = binary(op, lhs, rhs);
        }
        lhs
    }

    fn parse_unary(&mut self) -> Expr {
        if self.peek() == &Tok::Minus {
            let start = self.span();
            self.bump();
            let inner = self.nested(Parser::parse_unary);
            let span = start.to(inner.span);
            return Expr::new(ExprKind::Neg(Box::new(inner)), span);
        }
        self.parse_primary()
    }

    /// Runs `f` one nesting level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested(&mut self, f: fn(&mut Parser) -> Expr) -> Expr {
        if self.nesting >= MAX_DEPTH {
            let span = self.span();
            self.diagnostics.push(ExprDiagnostic::error(
                K::TooComplex,
                span,
                format!("expression nested too deeply (more than {MAX_DEPTH} levels)"),
            ));
            // Skip the rest: nothing sensible can be parsed from here.
            while self.peek() != &Tok::Eof {
                self.bump();
            }
            return Expr::new(ExprKind::Invalid, span);
        }
        self.nesting += 1;
        let e = f(self);
        self.nesting -= 1;
        e
    }

    fn parse_primary(&mut self) -> Expr {
        let span = self.span();
        let leaf = |kind| Expr::new(kind, span);
        match self.peek().clone() {
            Tok::Str(s) => {
                self.bump();
                leaf(ExprKind::Str(s))
            }
            Tok::Num { value, hex } => {
                self.bump();
                leaf(ExprKind::Num { value, hex })
            }
            Tok::Attr(name) => {
                self.bump();
                leaf(ExprKind::Attr(name))
            }
            Tok::Param(name) => {
                self.bump();
                leaf(ExprKind::Param(name))
            }
            Tok::Var(name) => {
                self.bump();
                leaf(ExprKind::Var(name))
            }
            Tok::Ident(name) => {
                self.bump();
                if self.peek() == &Tok::LParen {
                    return self.parse_call(name, span);
                }
                if name.eq_ignore_ascii_case("true") {
                    leaf(ExprKind::Bool(true))
                } else if name.eq_ignore_ascii_case("false") {
                    leaf(ExprKind::Bool(false))
                } else if let Some(c) = Constant::from_keyword(&name) {
                    leaf(ExprKind::Const(c))
                } else {
                    leaf(ExprKind::Ident(name))
                }
            }
            Tok::LParen => {
                self.bump();
                let inner = self.nested(Parser::parse_expr);
                if self.peek() == &Tok::RParen {
                    self.bump();
                } else {
                    self.report_unclosed(span);
                }
                inner
            }
            Tok::Bad => {
                self.bump();
                leaf(ExprKind::Invalid)
            }
            Tok::Eof => {
                self.diagnostics.push(ExprDiagnostic::error(
                    K::ExpectedExpression,
                    span,
                    "expected an expression, found the end",
                ));
                leaf(ExprKind::Invalid)
            }
            other => {
                self.diagnostics.push(ExprDiagnostic::error(
                    K::ExpectedExpression,
                    span,
                    format!("expected an expression, found {}", describe(&other)),
                ));
                leaf(ExprKind::Invalid)
            }
        }
    }

    /// Reports a missing `)` for the `(` at `open`, then skips to a `)` that would close it
    /// (or the end).
    fn report_unclosed(&mut self, open: Span) {
        let here = self.span();
        self.diagnostics.push(
            ExprDiagnostic::error(
                K::UnclosedParenthesis,
                here,
                format!("expected `)` to close the `(` at byte {}", open.start),
            )
            .with_hint("add the missing `)`"),
        );
        let mut depth = 0usize;
        loop {
            match self.peek() {
                Tok::Eof => return,
                Tok::LParen => depth += 1,
                Tok::RParen if depth == 0 => {
                    self.bump();
                    return;
                }
                Tok::RParen => depth -= 1,
                _ => {}
            }
            self.bump();
        }
    }

    fn parse_call(&mut self, name: String, name_span: Span) -> Expr {
        let open = self.span();
        self.bump(); // (
        let mut args = Vec::new();
        if self.peek() == &Tok::RParen {
            let end = self.span();
            self.bump();
            return Expr::new(
                ExprKind::Call {
                    name,
                    name_span,
                    args,
                },
                name_span.to(end),
            );
        }
        let mut end = open;
        loop {
            let arg = self.nested(Parser::parse_expr);
            end = end.to(arg.span);
            args.push(arg);
            // After an argument: `,`, `)` or an error.
            let mut after_bad = false;
            loop {
                let before = self.pos;
                match self.peek().clone() {
                    Tok::Comma | Tok::RParen | Tok::Eof => break,
                    Tok::Bad => {
                        self.bump();
                        after_bad = true;
                        continue;
                    }
                    _ if after_bad => {
                        self.nested(Parser::parse_expr);
                    }
                    other => {
                        let span = self.span();
                        self.diagnostics.push(ExprDiagnostic::error(
                            K::ExpectedOperator,
                            span,
                            format!(
                                "expected `,` or `)` after an argument of `{name}`, found {}",
                                describe(&other)
                            ),
                        ));
                        self.nested(Parser::parse_expr);
                    }
                }
                after_bad = false;
                if self.pos == before {
                    self.bump();
                }
            }
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RParen => {
                    end = end.to(self.span());
                    self.bump();
                    break;
                }
                _ => {
                    let here = self.span();
                    self.diagnostics.push(
                        ExprDiagnostic::error(
                            K::UnclosedParenthesis,
                            here,
                            format!("expected `)` to close the call of `{name}`"),
                        )
                        .with_hint("add the missing `)`"),
                    );
                    break;
                }
            }
        }
        Expr::new(
            ExprKind::Call {
                name,
                name_span,
                args,
            },
            name_span.to(end),
        )
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Str(_) => "a string".into(),
        Tok::Num { .. } => "a number".into(),
        Tok::Attr(n) => format!("`[{n}]`"),
        Tok::Param(n) => format!("`%{n}%`"),
        Tok::Var(n) => format!("`${n}`"),
        Tok::Ident(n) => format!("`{n}`"),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Amp => "`&`".into(),
        Tok::AndAnd => "`&&`".into(),
        Tok::OrOr => "`||`".into(),
        Tok::Plus => "`+`".into(),
        Tok::Minus => "`-`".into(),
        Tok::Star => "`*`".into(),
        Tok::Slash => "`/`".into(),
        Tok::Eq => "`=`".into(),
        Tok::Ne => "`<>`".into(),
        Tok::Lt => "`<`".into(),
        Tok::Le => "`<=`".into(),
        Tok::Gt => "`>`".into(),
        Tok::Ge => "`>=`".into(),
        Tok::Bad => "an invalid token".into(),
        Tok::Eof => "the end".into(),
    }
}
