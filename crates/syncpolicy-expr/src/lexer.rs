//! The lexer: turns expression text into tokens with byte spans, reporting every bad token.

use crate::diagnostic::{ExprDiagnostic, ExprDiagnosticKind as K, Span};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Str(String),
    Num {
        value: i64,
        hex: bool,
    },
    Attr(String),
    Param(String),
    Var(String),
    Ident(String),
    LParen,
    RParen,
    Comma,
    Amp,
    AndAnd,
    OrOr,
    Plus,
    Minus,
    Star,
    Slash,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// A token that could not be lexed; already reported.
    Bad,
    Eof,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) span: Span,
}

pub(crate) fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

pub(crate) fn is_ident_continue(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Lexes `source` completely. The last token is always `Eof`.
pub(crate) fn lex(source: &str) -> (Vec<Token>, Vec<ExprDiagnostic>) {
    let mut tokens = Vec::new();
    let mut diagnostics = Vec::new();
    let bytes = source.as_bytes();
    let mut chars = source.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let next_byte = bytes.get(start + 1).copied();
        let simple = |tok: Tok, len: usize| Token {
            tok,
            span: Span::new(start, start + len),
        };
        let token = match c {
            '(' => simple(Tok::LParen, 1),
            ')' => simple(Tok::RParen, 1),
            ',' => simple(Tok::Comma, 1),
            '+' => simple(Tok::Plus, 1),
            '-' => simple(Tok::Minus, 1),
            '*' => simple(Tok::Star, 1),
            '/' => simple(Tok::Slash, 1),
            '=' => simple(Tok::Eq, 1),
            '<' => match next_byte {
                Some(b'>') => simple(Tok::Ne, 2),
                Some(b'=') => simple(Tok::Le, 2),
                _ => simple(Tok::Lt, 1),
            },
            '>' => match next_byte {
                Some(b'=') => simple(Tok::Ge, 2),
                _ => simple(Tok::Gt, 1),
            },
            '|' => {
                if next_byte == Some(b'|') {
                    simple(Tok::OrOr, 2)
                } else {
                    diagnostics.push(
                        ExprDiagnostic::error(
                            K::UnexpectedCharacter,
                            Span::new(start, start + 1),
                            "unexpected character `|`",
                        )
                        .with_hint("the logical or operator is `||`"),
                    );
                    simple(Tok::Bad, 1)
                }
            }
            '&' => {
                if next_byte == Some(b'&') {
                    simple(Tok::AndAnd, 2)
                } else if matches!(next_byte, Some(b'H' | b'h'))
                    && bytes.get(start + 2).is_some_and(u8::is_ascii_hexdigit)
                {
                    let digits_end = start
                        + 2
                        + bytes[start + 2..]
                            .iter()
                            .take_while(|b| b.is_ascii_alphanumeric())
                            .count();
                    let text = &source[start + 2..digits_end];
                    let span = Span::new(start, digits_end);
                    match u64::from_str_radix(text, 16)
                        .ok()
                        .and_then(|v| i64::try_from(v).ok())
                    {
                        Some(value) => Token {
                            tok: Tok::Num { value, hex: true },
                            span,
                        },
                        None => {
                            diagnostics.push(ExprDiagnostic::error(
                                K::InvalidNumber,
                                span,
                                format!("invalid hexadecimal number `&H{text}`"),
                            ));
                            Token {
                                tok: Tok::Bad,
                                span,
                            }
                        }
                    }
                } else {
                    simple(Tok::Amp, 1)
                }
            }
            '"' => lex_string(source, start, &mut diagnostics),
            '[' => lex_delimited(source, start, ']', &mut diagnostics),
            '%' => lex_delimited(source, start, '%', &mut diagnostics),
            '$' => {
                let len = source[start + 1..]
                    .chars()
                    .take_while(|&c| is_ident_continue(c))
                    .count();
                let span = Span::new(start, start + 1 + len);
                if len == 0 {
                    diagnostics.push(ExprDiagnostic::error(
                        K::EmptyVariableName,
                        span,
                        "expected a variable name after `$`",
                    ));
                    Token {
                        tok: Tok::Bad,
                        span,
                    }
                } else {
                    Token {
                        tok: Tok::Var(source[start + 1..start + 1 + len].to_string()),
                        span,
                    }
                }
            }
            c if c.is_ascii_digit() => {
                let len = bytes[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
                let span = Span::new(start, start + len);
                let text = &source[start..start + len];
                match text.parse::<i64>() {
                    Ok(value) => Token {
                        tok: Tok::Num { value, hex: false },
                        span,
                    },
                    Err(_) => {
                        diagnostics.push(ExprDiagnostic::error(
                            K::InvalidNumber,
                            span,
                            format!("invalid number `{text}`"),
                        ));
                        Token {
                            tok: Tok::Bad,
                            span,
                        }
                    }
                }
            }
            c if is_ident_start(c) => {
                let len = bytes[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
                Token {
                    tok: Tok::Ident(source[start..start + len].to_string()),
                    span: Span::new(start, start + len),
                }
            }
            other => {
                let span = Span::new(start, start + other.len_utf8());
                let mut d = ExprDiagnostic::error(
                    K::UnexpectedCharacter,
                    span,
                    format!("unexpected character `{}`", other.escape_debug()),
                );
                if matches!(other, '\u{201c}' | '\u{201d}') {
                    d = d.with_hint("string literals need straight double quotes `\"`");
                } else if other == '!' {
                    d = d.with_hint("there is no `!` operator; write `X = False`");
                }
                diagnostics.push(d);
                Token {
                    tok: Tok::Bad,
                    span,
                }
            }
        };
        // Advance the char iterator past the token.
        while chars.peek().is_some_and(|&(i, _)| i < token.span.end) {
            chars.next();
        }
        tokens.push(token);
    }
    tokens.push(Token {
        tok: Tok::Eof,
        span: Span::new(source.len(), source.len()),
    });
    (tokens, diagnostics)
}

/// A string literal. `\\` is one backslash and `\"` a quote; other backslash sequences are kept.
fn lex_string(source: &str, start: usize, diagnostics: &mut Vec<ExprDiagnostic>) -> Token {
    let mut value = String::new();
    let mut iter = source[start + 1..].char_indices();
    while let Some((i, c)) = iter.next() {
        match c {
            '"' => {
                return Token {
                    tok: Tok::Str(value),
                    span: Span::new(start, start + 1 + i + 1),
                }
            }
            '\\' => match iter.clone().next() {
                Some((_, n @ ('\\' | '"'))) => {
                    iter.next();
                    value.push(n);
                }
                _ => value.push('\\'),
            },
            c => value.push(c),
        }
    }
    let span = Span::new(start, source.len());
    diagnostics.push(
        ExprDiagnostic::error(K::UnterminatedString, span, "unterminated string literal")
            .with_hint("close the string with `\"`"),
    );
    Token {
        tok: Tok::Bad,
        span,
    }
}

/// `[attribute]` or `%Parameter%`. The name ends at the closing character; it may not span
/// lines.
fn lex_delimited(
    source: &str,
    start: usize,
    close: char,
    diagnostics: &mut Vec<ExprDiagnostic>,
) -> Token {
    let rest = &source[start + 1..];
    let stop = rest.find([close, '\n', '\r']);
    let (unterminated_kind, empty_kind, what) = if close == ']' {
        (
            K::UnterminatedAttribute,
            K::EmptyAttributeName,
            "attribute reference",
        )
    } else {
        (
            K::UnterminatedParameter,
            K::EmptyParameterName,
            "parameter reference",
        )
    };
    match stop {
        Some(i) if rest[i..].starts_with(close) => {
            let span = Span::new(start, start + 1 + i + 1);
            let name = rest[..i].trim();
            if name.is_empty() {
                diagnostics.push(ExprDiagnostic::error(
                    empty_kind,
                    span,
                    format!("empty {what}"),
                ));
                return Token {
                    tok: Tok::Bad,
                    span,
                };
            }
            let tok = if close == ']' {
                Tok::Attr(name.to_string())
            } else {
                Tok::Param(name.to_string())
            };
            Token { tok, span }
        }
        _ => {
            let end = stop.map_or(source.len(), |i| start + 1 + i);
            let span = Span::new(start, end);
            diagnostics.push(
                ExprDiagnostic::error(unterminated_kind, span, format!("unterminated {what}"))
                    .with_hint(format!("close it with `{close}`")),
            );
            Token {
                tok: Tok::Bad,
                span,
            }
        }
    }
}
