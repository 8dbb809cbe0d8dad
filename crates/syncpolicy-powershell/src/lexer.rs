//! Tokens of the export grammar: command and bare words, `-Parameter` names, single-quoted
//! strings (`''` and PowerShell's typographic single quotes doubled), integers, `$variable`
//! with an optional `[N]` index, `@(`, `)`, `,`, end of statement. A backtick directly before
//! the end of a line continues the statement. Anything else is an error at its position.

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// A command name or a bare word (`New-ADSyncRule`, `syncRule`).
    Word(&'a str),
    /// `-Name` (without the dash).
    Param(&'a str),
    /// A single-quoted string, unescaped; CRLF inside it read as LF.
    Str(String),
    Int(i64),
    /// `$name` or `$name[N]`.
    Var {
        name: &'a str,
        index: Option<u32>,
    },
    /// `@(`
    ArrayOpen,
    /// `)`
    Close,
    Comma,
    /// End of a statement (a line end without a continuation backtick).
    Newline,
    Eof,
}

/// A token with its byte range in the text.
#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    pub(crate) tok: Tok<'a>,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// A lexical error: byte offset and message.
#[derive(Debug, Clone)]
pub(crate) struct LexError {
    pub(crate) offset: usize,
    pub(crate) message: String,
    pub(crate) hint: String,
}

/// True for the characters PowerShell accepts as a single quote.
pub(crate) fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// The tokenizer over one text.
pub(crate) struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Lexer { text, pos: 0 }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        let mut it = self.text[self.pos..].chars();
        it.next();
        it.next()
    }

    fn err(&self, offset: usize, message: impl Into<String>, hint: impl Into<String>) -> LexError {
        LexError {
            offset,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// The next token.
    pub(crate) fn next_token(&mut self) -> Result<Token<'a>, LexError> {
        loop {
            let start = self.pos;
            let Some(c) = self.peek() else {
                return Ok(Token {
                    tok: Tok::Eof,
                    start,
                    end: start,
                });
            };
            match c {
                ' ' | '\t' => self.pos += 1,
                '`' => match self.peek2() {
                    Some('\n') => self.pos += 2,
                    Some('\r') if self.text[self.pos + 1..].starts_with("\r\n") => self.pos += 3,
                    _ => {
                        return Err(self.err(
                            start,
                            "a backtick is only allowed at the end of a line (a line continuation)",
                            "the Rules Editor writes a backtick only as the last character of a continued line",
                        ))
                    }
                },
                '\n' => {
                    self.pos += 1;
                    return Ok(self.token(Tok::Newline, start));
                }
                '\r' => {
                    if self.text[self.pos..].starts_with("\r\n") {
                        self.pos += 2;
                        return Ok(self.token(Tok::Newline, start));
                    }
                    return Err(self.err(
                        start,
                        "a carriage return that does not end a line",
                        "lines end in LF or CRLF",
                    ));
                }
                '#' => {
                    // A comment runs to the end of the line; the line end stays a token.
                    let rest = &self.text[self.pos..];
                    let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
                    self.pos += len;
                }
                c if is_single_quote(c) => return self.string(start),
                '"' => {
                    return Err(self.err(
                        start,
                        "a double-quoted string is not part of the export grammar",
                        "the Rules Editor writes every value in single quotes ('...', with '' for a quote); double-quoted strings expand $variables",
                    ))
                }
                '-' => {
                    let rest = &self.text[self.pos + 1..];
                    let len = rest
                        .find(|ch: char| !ch.is_ascii_alphanumeric())
                        .unwrap_or(rest.len());
                    if len == 0 {
                        return Err(self.err(
                            start,
                            "a dash that starts no parameter name",
                            "parameters are written -Name",
                        ));
                    }
                    let name = &rest[..len];
                    self.pos += 1 + len;
                    if name.bytes().all(|b| b.is_ascii_digit()) {
                        return self.int(start, &self.text[start..self.pos]);
                    }
                    if self.peek() == Some(':') {
                        return Err(self.err(
                            self.pos,
                            format!("-{name}: with a colon is not part of the export grammar"),
                            "write the switch alone (-Disabled) or the value after a space",
                        ));
                    }
                    return Ok(self.token(Tok::Param(name), start));
                }
                '0'..='9' => {
                    let rest = &self.text[self.pos..];
                    let len = rest
                        .find(|ch: char| !ch.is_ascii_alphanumeric())
                        .unwrap_or(rest.len());
                    self.pos += len;
                    return self.int(start, &rest[..len]);
                }
                '$' => return self.variable(start),
                '@' => {
                    if self.peek2() == Some('(') {
                        self.pos += 2;
                        return Ok(self.token(Tok::ArrayOpen, start));
                    }
                    return Err(self.err(
                        start,
                        "'@' that starts no array @(...)",
                        "lists are written @('a','b')",
                    ));
                }
                ')' => {
                    self.pos += 1;
                    return Ok(self.token(Tok::Close, start));
                }
                ',' => {
                    self.pos += 1;
                    return Ok(self.token(Tok::Comma, start));
                }
                c if c.is_ascii_alphabetic() => {
                    let rest = &self.text[self.pos..];
                    let len = rest
                        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'))
                        .unwrap_or(rest.len());
                    self.pos += len;
                    return Ok(self.token(Tok::Word(&rest[..len]), start));
                }
                other => {
                    return Err(self.err(
                        start,
                        format!(
                            "unexpected character {} outside a string",
                            crate::read::show_char(other)
                        ),
                        "the export grammar has commands, -Parameters, 'strings', numbers, $variables, @(...) lists and commas",
                    ))
                }
            }
        }
    }

    fn token(&self, tok: Tok<'a>, start: usize) -> Token<'a> {
        Token {
            tok,
            start,
            end: self.pos,
        }
    }

    fn int(&self, start: usize, digits: &str) -> Result<Token<'a>, LexError> {
        match digits.parse::<i64>() {
            Ok(n) if n.abs() <= i64::from(i32::MAX) => Ok(self.token(Tok::Int(n), start)),
            _ => Err(self.err(
                start,
                format!(
                    "{} is not a number the grammar takes",
                    crate::read::show(digits)
                ),
                "precedences and intervals are whole numbers such as 100",
            )),
        }
    }

    fn string(&mut self, start: usize) -> Result<Token<'a>, LexError> {
        // Skip the opening quote (one character, possibly multi-byte).
        let open = self.peek().map_or(1, char::len_utf8);
        self.pos += open;
        let mut out = String::new();
        let mut chunk_start = self.pos;
        loop {
            let rest = &self.text[self.pos..];
            let Some(i) = rest.find(|ch: char| is_single_quote(ch) || ch == '\r') else {
                return Err(self.err(
                    start,
                    "the string starting here is never closed (the file may be cut short)",
                    "close it with a single quote; a quote inside a string is written ''",
                ));
            };
            let c = rest[i..].chars().next().unwrap_or('\'');
            out.push_str(&self.text[chunk_start..self.pos + i]);
            self.pos += i + c.len_utf8();
            if c == '\r' {
                // CRLF inside a string is read as LF; a lone CR is kept.
                if self.peek() == Some('\n') {
                    out.push('\n');
                    self.pos += 1;
                } else {
                    out.push('\r');
                }
                chunk_start = self.pos;
                continue;
            }
            match self.peek() {
                Some(q) if is_single_quote(q) => {
                    out.push(q);
                    self.pos += q.len_utf8();
                    chunk_start = self.pos;
                }
                _ => return Ok(self.token(Tok::Str(out), start)),
            }
        }
    }

    fn variable(&mut self, start: usize) -> Result<Token<'a>, LexError> {
        self.pos += 1;
        let rest = &self.text[self.pos..];
        let len = rest
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            return Err(self.err(
                start,
                "'$' that names no variable",
                "variables are written $syncRule[0] or $condition0[0]",
            ));
        }
        let name = &rest[..len];
        self.pos += len;
        let mut index = None;
        if self.peek() == Some('[') {
            let rest = &self.text[self.pos + 1..];
            let digits = rest
                .find(|ch: char| !ch.is_ascii_digit())
                .unwrap_or(rest.len());
            if digits == 0 || digits > 9 || !rest[digits..].starts_with(']') {
                return Err(self.err(
                    self.pos,
                    format!("${name}[...] with something other than a number"),
                    "the grammar indexes variables as $syncRule[0]",
                ));
            }
            index = rest[..digits].parse::<u32>().ok();
            self.pos += 1 + digits + 1;
        }
        Ok(self.token(Tok::Var { name, index }, start))
    }
}
