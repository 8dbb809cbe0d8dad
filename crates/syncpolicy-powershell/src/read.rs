//! The reader: a strict parser of the Rules Editor export grammar into model rules. Not a
//! PowerShell interpreter: every statement must be one of the grammar's commands with its
//! known parameters, every variable defined before use, every rule finished with
//! `Add-ADSyncRule`; anything else is an error with file, line and column.

use crate::lexer::{LexError, Lexer, Tok, Token};
use crate::{JOIN_CONDITION_TYPE, MAX_INPUT_BYTES, SCOPE_CONDITION_TYPE, ZERO_GUID};
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use syncpolicy_json::encoding::TextEncoding;
use syncpolicy_model::enums::{Direction, FlowType, LinkType, MergeType, ScopeOperator};
use syncpolicy_model::identity::{is_guid, normalize_guid};
use syncpolicy_model::rule::{AttributeMapping, JoinCondition, ScopeCondition, SyncRule};

/// How the file's lines end (the writer reproduces it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnding {
    #[default]
    Lf,
    CrLf,
}

/// One rule read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRule {
    /// The rule; `extension.connector_id` holds `-Connector` as written.
    pub rule: SyncRule,
    /// `-Connector` as written.
    pub connector: String,
    /// Line of its `New-ADSyncRule`.
    pub line: u32,
    /// Byte range of the rule's statements in the decoded text, from `New-ADSyncRule` to the
    /// line end after its last statement (`Get-ADSyncRule`, or `Add-ADSyncRule`).
    pub span: Range<usize>,
}

/// A file of rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesFile {
    pub rules: Vec<ReadRule>,
    pub encoding: TextEncoding,
    pub line_ending: LineEnding,
}

/// A read error: where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ReadError {
    pub file: String,
    /// 1-based; 0 when the error concerns the whole file (encoding, size).
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)?;
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )?;
        }
        if !self.hint.is_empty() {
            write!(f, "\nhint: {}", self.hint)?;
        }
        Ok(())
    }
}

/// Reads a file's bytes: UTF-16 LE/BE with BOM, UTF-8 with or without BOM; LF or CRLF.
pub fn read_rules(bytes: &[u8], file: &str) -> Result<RulesFile, ReadError> {
    if bytes.len() > MAX_INPUT_BYTES * 2 {
        return Err(whole(
            file,
            format!(
                "the file is {} MB; the reader takes rule files up to {} MB",
                bytes.len() / 1_000_000,
                MAX_INPUT_BYTES / 1_000_000
            ),
            "split the export into several files",
        ));
    }
    let (text, encoding) = syncpolicy_json::encoding::decode(bytes).map_err(|e| {
        whole(
            file,
            format!("{} (at byte {})", e.message, e.offset),
            "save the export as UTF-8 or UTF-16 (what Windows PowerShell writes)",
        )
    })?;
    let (rules, line_ending) = read_rules_str(&text, file)?;
    Ok(RulesFile {
        rules,
        encoding,
        line_ending,
    })
}

fn whole(file: &str, message: String, hint: &str) -> ReadError {
    ReadError {
        file: file.to_owned(),
        line: 0,
        column: 0,
        message,
        hint: hint.to_owned(),
    }
}

/// Reads decoded text.
pub fn read_rules_str(text: &str, file: &str) -> Result<(Vec<ReadRule>, LineEnding), ReadError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(whole(
            file,
            format!(
                "the text is {} MB; the reader takes rule files up to {} MB",
                text.len() / 1_000_000,
                MAX_INPUT_BYTES / 1_000_000
            ),
            "split the export into several files",
        ));
    }
    let line_ending = match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
        _ => LineEnding::Lf,
    };
    let mut p = Parser {
        text,
        file,
        lexer: Lexer::new(text),
        rules: Vec::new(),
        current: None,
        last_added: None,
        ids: HashMap::new(),
        line_cursor: (0, 1),
    };
    p.run()?;
    Ok((p.rules, line_ending))
}

/// A value after a parameter.
#[derive(Debug, Clone)]
enum Value<'a> {
    Str(String),
    Int(i64),
    Var { name: &'a str, index: Option<u32> },
    Word(&'a str),
    Array(Vec<(Value<'a>, usize)>),
    List(Vec<(Value<'a>, usize)>),
}

impl Value<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "a number",
            Value::Var { .. } => "a variable",
            Value::Word(_) => "a bare word",
            Value::Array(_) => "an @(...) list",
            Value::List(_) => "a comma-separated list",
        }
    }
}

/// One `-Parameter [value]`.
#[derive(Debug, Clone)]
struct Arg<'a> {
    name: &'a str,
    at: usize,
    value: Option<(Value<'a>, usize)>,
}

/// One statement.
struct Call<'a> {
    cmdlet: &'a str,
    at: usize,
    end: usize,
    args: Vec<Arg<'a>>,
}

/// A rule being built between `New-ADSyncRule` and `Add-ADSyncRule`.
struct Building {
    rule: SyncRule,
    connector: String,
    start: usize,
    line: u32,
    /// Conditions by lowercase variable name: (condition, defined at, used in a group).
    conditions: HashMap<String, (Cond, usize, bool)>,
}

#[derive(Clone)]
enum Cond {
    Scope(ScopeCondition),
    Join(JoinCondition),
}

struct Parser<'a> {
    text: &'a str,
    file: &'a str,
    lexer: Lexer<'a>,
    rules: Vec<ReadRule>,
    current: Option<Building>,
    /// Index in `rules` of the rule just added (for `Get-ADSyncRule`), until the next rule.
    last_added: Option<usize>,
    /// Index in `rules` by normalized identifier.
    ids: HashMap<String, usize>,
    /// Line counting cursor: an offset and its 1-based line (statements come in order).
    line_cursor: (usize, u32),
}

/// A character for a message: printable as is, anything else escaped.
pub(crate) fn show_char(c: char) -> String {
    if c.is_control() || c == '\u{FEFF}' {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

/// A text for a message: quoted, control characters escaped, long texts shortened.
pub(crate) fn show(text: &str) -> String {
    let mut out = String::from("'");
    for (i, c) in text.chars().enumerate() {
        if i == 60 {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

const KNOWN_CMDLETS: &[&str] = &[
    "New-ADSyncRule",
    "Add-ADSyncAttributeFlowMapping",
    "New-Object",
    "Add-ADSyncScopeConditionGroup",
    "Add-ADSyncJoinConditionGroup",
    "Add-ADSyncRule",
    "Get-ADSyncRule",
];

const CMDLETS: &str = "New-ADSyncRule, Add-ADSyncAttributeFlowMapping, New-Object (ScopeCondition, JoinCondition), Add-ADSyncScopeConditionGroup, Add-ADSyncJoinConditionGroup, Add-ADSyncRule, Get-ADSyncRule";

impl<'a> Parser<'a> {
    fn error(
        &self,
        offset: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> ReadError {
        let (line, column) = syncpolicy_json::encoding::line_column(self.text, offset);
        ReadError {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// The line of an offset at or after the previous one asked for, counted incrementally.
    fn line_at(&mut self, offset: usize) -> u32 {
        let (from, line) = self.line_cursor;
        if offset < from {
            return syncpolicy_json::encoding::line_column(self.text, offset).0;
        }
        let n = self.text.as_bytes()[from..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        let line = line + n as u32;
        self.line_cursor = (offset, line);
        line
    }

    fn lex_error(&self, e: LexError) -> ReadError {
        self.error(e.offset, e.message, e.hint)
    }

    fn next(&mut self) -> Result<Token<'a>, ReadError> {
        self.lexer.next_token().map_err(|e| self.lex_error(e))
    }

    fn run(&mut self) -> Result<(), ReadError> {
        loop {
            let tok = self.next()?;
            match tok.tok {
                Tok::Newline => continue,
                Tok::Eof => break,
                Tok::Word(cmdlet) => {
                    if !KNOWN_CMDLETS.iter().any(|k| k.eq_ignore_ascii_case(cmdlet)) {
                        return Err(self.error(
                            tok.start,
                            format!("unknown command {}", show(cmdlet)),
                            format!("the Rules Editor export grammar has {CMDLETS}; anything else is not read (this is not a PowerShell interpreter)"),
                        ));
                    }
                    let call = self.call(cmdlet, tok.start)?;
                    self.statement(call)?;
                }
                _ => {
                    return Err(self.error(
                        tok.start,
                        "a statement must start with a command",
                        format!("the export grammar has {CMDLETS}"),
                    ))
                }
            }
        }
        if let Some(b) = &self.current {
            return Err(self.error(
                b.start,
                format!(
                    "the rule {} is never added: the file ends before its Add-ADSyncRule (the file may be cut short)",
                    show(b.rule.name())
                ),
                "every rule ends with Add-ADSyncRule -SynchronizationRule $syncRule[0]",
            ));
        }
        Ok(())
    }

    /// Reads the arguments of a statement up to its end.
    fn call(&mut self, cmdlet: &'a str, at: usize) -> Result<Call<'a>, ReadError> {
        let mut args: Vec<Arg<'a>> = Vec::new();
        let mut tok = self.next()?;
        let end;
        loop {
            match tok.tok {
                Tok::Newline => {
                    end = tok.end;
                    break;
                }
                Tok::Eof => {
                    end = tok.end;
                    break;
                }
                Tok::Param(name) => {
                    if let Some(prev) = args.iter().find(|a| a.name.eq_ignore_ascii_case(name)) {
                        let (line, _) = syncpolicy_json::encoding::line_column(self.text, prev.at);
                        return Err(self.error(
                            tok.start,
                            format!("-{name} is given twice (first on line {line})"),
                            "give each parameter once",
                        ));
                    }
                    let at = tok.start;
                    let next = self.next()?;
                    match next.tok {
                        Tok::Param(_) | Tok::Newline | Tok::Eof => {
                            args.push(Arg {
                                name,
                                at,
                                value: None,
                            });
                            tok = next;
                        }
                        _ => {
                            let (value, after) = self.value(next)?;
                            args.push(Arg {
                                name,
                                at,
                                value: Some(value),
                            });
                            tok = after;
                        }
                    }
                }
                _ => {
                    return Err(self.error(
                        tok.start,
                        format!("a value without a parameter name after {cmdlet}"),
                        "the export grammar names every argument: -Name 'value'",
                    ))
                }
            }
        }
        Ok(Call {
            cmdlet,
            at,
            end,
            args,
        })
    }

    /// A value starting at `first`; returns it and the token after it.
    fn value(&mut self, first: Token<'a>) -> Result<((Value<'a>, usize), Token<'a>), ReadError> {
        let start = first.start;
        let v = self.primary(first)?;
        let mut next = self.next()?;
        if !matches!(next.tok, Tok::Comma) {
            return Ok(((v, start), next));
        }
        let mut items = vec![(v, start)];
        while matches!(next.tok, Tok::Comma) {
            let t = self.next()?;
            let at = t.start;
            items.push((self.primary(t)?, at));
            next = self.next()?;
        }
        Ok(((Value::List(items), start), next))
    }

    fn primary(&mut self, t: Token<'a>) -> Result<Value<'a>, ReadError> {
        Ok(match t.tok {
            Tok::Str(s) => Value::Str(s),
            Tok::Int(n) => Value::Int(n),
            Tok::Var { name, index } => Value::Var { name, index },
            Tok::Word(w) => Value::Word(w),
            Tok::ArrayOpen => {
                let mut items = Vec::new();
                let mut t = self.next()?;
                if matches!(t.tok, Tok::Close) {
                    return Ok(Value::Array(items));
                }
                loop {
                    let at = t.start;
                    match t.tok {
                        Tok::Str(_) | Tok::Var { .. } | Tok::Int(_) => {
                            items.push((self.primary(t)?, at))
                        }
                        _ => {
                            return Err(self.error(
                                at,
                                "an @(...) list holds 'strings' or $variables separated by commas",
                                "close the list with ) on the same line",
                            ))
                        }
                    }
                    let sep = self.next()?;
                    match sep.tok {
                        Tok::Comma => t = self.next()?,
                        Tok::Close => break,
                        _ => {
                            return Err(self.error(
                                sep.start,
                                "expected ',' or ')' in an @(...) list",
                                "close the list with ) on the same line",
                            ))
                        }
                    }
                }
                Value::Array(items)
            }
            Tok::Eof => {
                return Err(self.error(
                    t.start,
                    "the file ends in the middle of a statement (it may be cut short)",
                    "",
                ))
            }
            _ => {
                return Err(self.error(
                    t.start,
                    "expected a value ('string', number, $variable or @(...))",
                    "",
                ))
            }
        })
    }

    fn statement(&mut self, mut call: Call<'a>) -> Result<(), ReadError> {
        let c = call.cmdlet;
        if c.eq_ignore_ascii_case("New-ADSyncRule") {
            self.new_rule(&mut call)
        } else if c.eq_ignore_ascii_case("Add-ADSyncAttributeFlowMapping") {
            self.mapping(&mut call)
        } else if c.eq_ignore_ascii_case("New-Object") {
            self.new_object(&mut call)
        } else if c.eq_ignore_ascii_case("Add-ADSyncScopeConditionGroup") {
            self.group(&mut call, true)
        } else if c.eq_ignore_ascii_case("Add-ADSyncJoinConditionGroup") {
            self.group(&mut call, false)
        } else if c.eq_ignore_ascii_case("Add-ADSyncRule") {
            self.add_rule(&mut call)
        } else if c.eq_ignore_ascii_case("Get-ADSyncRule") {
            self.get_rule(&mut call)
        } else {
            Err(self.error(
                call.at,
                format!("unknown command {}", show(c)),
                format!("the Rules Editor export grammar has {CMDLETS}; anything else is not read (this is not a PowerShell interpreter)"),
            ))
        }
    }

    /// Checks that every parameter is one the command takes.
    fn allow(&self, call: &Call<'a>, allowed: &[&str]) -> Result<(), ReadError> {
        for a in &call.args {
            if !allowed.iter().any(|n| n.eq_ignore_ascii_case(a.name)) {
                return Err(self.error(
                    a.at,
                    format!(
                        "{} has no parameter -{} in the export grammar",
                        call.cmdlet, a.name
                    ),
                    format!("its parameters are -{}", allowed.join(", -")),
                ));
            }
        }
        Ok(())
    }

    fn arg<'c>(&self, call: &'c Call<'a>, name: &str) -> Option<&'c Arg<'a>> {
        call.args.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }

    fn missing(&self, call: &Call<'a>, name: &str) -> ReadError {
        self.error(
            call.at,
            format!("{} without -{name}", call.cmdlet),
            format!("the Rules Editor always writes -{name}"),
        )
    }

    fn wrong(&self, at: usize, name: &str, v: &Value<'_>, expected: &str) -> ReadError {
        self.error(
            at,
            format!("-{name} takes {expected}, not {}", v.kind()),
            "",
        )
    }

    fn str_arg(
        &self,
        call: &mut Call<'a>,
        name: &str,
        required: bool,
    ) -> Result<Option<(String, usize)>, ReadError> {
        match self.arg(call, name) {
            None if required => Err(self.missing(call, name)),
            None => Ok(None),
            Some(a) => match &a.value {
                Some((Value::Str(s), at)) => Ok(Some((s.clone(), *at))),
                Some((v, at)) => Err(self.wrong(*at, name, v, "a 'string'")),
                None => Err(self.error(a.at, format!("-{name} without a value"), "")),
            },
        }
    }

    fn switch(&self, call: &mut Call<'a>, name: &str) -> Result<bool, ReadError> {
        match self.arg(call, name) {
            None => Ok(false),
            Some(a) => match &a.value {
                None => Ok(true),
                Some((v, at)) => Err(self.error(
                    *at,
                    format!("-{name} is a switch and takes no value, here {}", v.kind()),
                    format!("write -{name} alone when it is set, and leave it out when not"),
                )),
            },
        }
    }

    fn word_arg(&self, call: &mut Call<'a>, name: &str, expected: &str) -> Result<(), ReadError> {
        let Some(a) = self.arg(call, name) else {
            return Err(self.missing(call, name));
        };
        match &a.value {
            Some((Value::Word(w), _)) if w.eq_ignore_ascii_case(expected) => Ok(()),
            Some((Value::Word(w), at)) => Err(self.error(
                *at,
                format!("-{name} {w}: the grammar writes -{name} {expected} here"),
                "",
            )),
            Some((v, at)) => Err(self.wrong(*at, name, v, "a bare variable name")),
            None => Err(self.error(a.at, format!("-{name} without a value"), "")),
        }
    }

    fn guid_arg(&self, call: &mut Call<'a>, name: &str) -> Result<(String, usize), ReadError> {
        let (s, at) = self
            .str_arg(call, name, true)?
            .ok_or_else(|| self.missing(call, name))?;
        if !is_guid(&s) {
            return Err(self.error(
                at,
                format!("-{name} {} is not a GUID", show(&s)),
                "identifiers are written 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'",
            ));
        }
        Ok((s, at))
    }

    /// `-SynchronizationRule $syncRule[0]`: the rule being built.
    fn rule_ref(&self, call: &mut Call<'a>) -> Result<(), ReadError> {
        let cmdlet = call.cmdlet;
        let building = self.current.is_some();
        let Some(a) = self.arg(call, "SynchronizationRule") else {
            return Err(self.missing(call, "SynchronizationRule"));
        };
        match &a.value {
            Some((Value::Var { name, index }, at)) => {
                if !name.eq_ignore_ascii_case("syncRule") {
                    return Err(self.error(
                        *at,
                        format!("the variable ${name} is never defined"),
                        "the rule being built is $syncRule[0] (from New-ADSyncRule -OutVariable syncRule)",
                    ));
                }
                if *index != Some(0) {
                    return Err(self.error(*at, "the rule is $syncRule[0]", ""));
                }
                if !building {
                    return Err(self.error(
                        *at,
                        format!(
                            "{cmdlet} names $syncRule[0], but no New-ADSyncRule defines it here"
                        ),
                        "start each rule with New-ADSyncRule ... -OutVariable syncRule",
                    ));
                }
                Ok(())
            }
            Some((v, at)) => Err(self.wrong(*at, "SynchronizationRule", v, "$syncRule[0]")),
            None => Err(self.error(a.at, "-SynchronizationRule without a value", "")),
        }
    }

    fn new_rule(&mut self, call: &mut Call<'a>) -> Result<(), ReadError> {
        if let Some(b) = &self.current {
            return Err(self.error(
                call.at,
                format!(
                    "a new rule starts before the rule {} (line {}) was added",
                    show(b.rule.name()),
                    b.line
                ),
                "every rule ends with Add-ADSyncRule -SynchronizationRule $syncRule[0]",
            ));
        }
        self.allow(
            call,
            &[
                "Name",
                "Identifier",
                "Description",
                "Direction",
                "Precedence",
                "PrecedenceAfter",
                "PrecedenceBefore",
                "SourceObjectType",
                "TargetObjectType",
                "Connector",
                "LinkType",
                "SoftDeleteExpiryInterval",
                "ImmutableTag",
                "EnablePasswordSync",
                "Disabled",
                "OutVariable",
            ],
        )?;
        let mut r = SyncRule {
            name: self.str_arg(call, "Name", true)?.map(|s| s.0),
            ..SyncRule::default()
        };
        let (id, _) = self.guid_arg(call, "Identifier")?;
        if let Some(prev) = self.ids.get(&normalize_guid(&id)).map(|i| &self.rules[*i]) {
            return Err(self.error(
                call.at,
                format!(
                    "the identifier {id} is already the rule {} on line {}",
                    show(prev.rule.name()),
                    prev.line
                ),
                "each rule needs its own -Identifier",
            ));
        }
        r.internal_identifier = id.clone();
        r.unique_identifier = Some(id);
        r.description = self
            .str_arg(call, "Description", false)?
            .map(|s| s.0)
            .unwrap_or_default();
        let (dir, at) = self
            .str_arg(call, "Direction", true)?
            .ok_or_else(|| self.missing(call, "Direction"))?;
        r.direction = Some(self.known(
            at,
            "Direction",
            &dir,
            Direction::parse(&dir),
            &Direction::known_spellings(),
        )?);
        r.precedence = match self.arg(call, "Precedence") {
            None => return Err(self.missing(call, "Precedence")),
            Some(a) => match &a.value {
                Some((Value::Int(n), _)) => *n as i32,
                Some((v, at)) => return Err(self.wrong(*at, "Precedence", v, "a number")),
                None => return Err(self.error(a.at, "-Precedence without a value", "")),
            },
        };
        for (name, after) in [("PrecedenceAfter", true), ("PrecedenceBefore", false)] {
            if call.args.iter().any(|a| a.name.eq_ignore_ascii_case(name)) {
                let (g, _) = self.guid_arg(call, name)?;
                let v = (normalize_guid(&g) != ZERO_GUID).then_some(g);
                if after {
                    r.extension.precedence_after = v;
                } else {
                    r.extension.precedence_before = v;
                }
            }
        }
        r.source_object_type = self.str_arg(call, "SourceObjectType", true)?.map(|s| s.0);
        r.target_object_type = self.str_arg(call, "TargetObjectType", true)?.map(|s| s.0);
        let (connector, _) = self.guid_arg(call, "Connector")?;
        r.extension.connector_id = Some(connector.clone());
        let (link, at) = self
            .str_arg(call, "LinkType", true)?
            .ok_or_else(|| self.missing(call, "LinkType"))?;
        r.link_type = Some(self.known(
            at,
            "LinkType",
            &link,
            LinkType::parse(&link),
            &LinkType::known_spellings(),
        )?);
        r.extension.soft_delete_expiry_interval = match self.arg(call, "SoftDeleteExpiryInterval") {
            None => None,
            Some(a) => match &a.value {
                Some((Value::Int(0), _)) => None,
                Some((Value::Int(n), _)) => Some(n.to_string()),
                Some((Value::Str(s), _)) => Some(s.clone()),
                Some((v, at)) => {
                    return Err(self.wrong(
                        *at,
                        "SoftDeleteExpiryInterval",
                        v,
                        "a number or a 'd.hh:mm:ss' string",
                    ))
                }
                None => {
                    return Err(self.error(a.at, "-SoftDeleteExpiryInterval without a value", ""))
                }
            },
        };
        r.immutable_tag = self
            .str_arg(call, "ImmutableTag", false)?
            .map(|s| s.0)
            .filter(|t| !t.is_empty());
        r.password_hash_sync_target = self.switch(call, "EnablePasswordSync")?;
        r.disabled = self.switch(call, "Disabled")?;
        self.word_arg(call, "OutVariable", "syncRule")?;
        let line = self.line_at(call.at);
        self.last_added = None;
        self.current = Some(Building {
            rule: r,
            connector,
            start: call.at,
            line,
            conditions: HashMap::new(),
        });
        Ok(())
    }

    fn known<T: PartialEq + Clone>(
        &self,
        at: usize,
        name: &str,
        text: &str,
        parsed: T,
        known: &[&str],
    ) -> Result<T, ReadError> {
        if known.contains(&text) {
            Ok(parsed)
        } else {
            Err(self.error(
                at,
                format!(
                    "-{name} {} is not a value the export grammar writes",
                    show(text)
                ),
                format!("one of: {}", known.join(", ")),
            ))
        }
    }

    fn mapping(&mut self, call: &mut Call<'a>) -> Result<(), ReadError> {
        self.allow(
            call,
            &[
                "SynchronizationRule",
                "Source",
                "Destination",
                "FlowType",
                "ValueMergeType",
                "ExecuteOnce",
                "Expression",
                "OutVariable",
            ],
        )?;
        self.rule_ref(call)?;
        let mut m = AttributeMapping::default();
        let sources: Option<(Vec<String>, usize)> = match self.arg(call, "Source") {
            None => None,
            Some(a) => match &a.value {
                Some((Value::Array(items), at)) => {
                    let mut out = Vec::new();
                    for (v, iat) in items {
                        match v {
                            Value::Str(s) => out.push(s.clone()),
                            other => return Err(self.wrong(*iat, "Source", other, "'strings'")),
                        }
                    }
                    Some((out, *at))
                }
                Some((v, at)) => return Err(self.wrong(*at, "Source", v, "an @('...') list")),
                None => return Err(self.error(a.at, "-Source without a value", "")),
            },
        };
        m.destination = self.str_arg(call, "Destination", true)?.map(|s| s.0);
        let (flow, at) = self
            .str_arg(call, "FlowType", true)?
            .ok_or_else(|| self.missing(call, "FlowType"))?;
        let flow = self.known(
            at,
            "FlowType",
            &flow,
            FlowType::parse(&flow),
            &FlowType::known_spellings(),
        )?;
        m.merge_type = match self.str_arg(call, "ValueMergeType", false)? {
            None => MergeType::Update,
            Some((t, at)) => self.known(
                at,
                "ValueMergeType",
                &t,
                MergeType::parse(&t),
                &MergeType::known_spellings(),
            )?,
        };
        m.execute_once = self.switch(call, "ExecuteOnce")?;
        m.expression = self
            .str_arg(call, "Expression", false)?
            .map(|s| s.0)
            .unwrap_or_default();
        self.word_arg(call, "OutVariable", "syncRule")?;
        match (&flow, sources) {
            (FlowType::Constant, Some((list, at))) => {
                if list.len() != 1 {
                    return Err(self.error(
                        at,
                        format!(
                            "a Constant flow holds its one value in -Source, here {} values",
                            list.len()
                        ),
                        "write -Source @('value') -FlowType 'Constant'",
                    ));
                }
                m.value = list.into_iter().next().unwrap_or_default();
            }
            (FlowType::Constant, None) => {
                return Err(self.error(
                    call.at,
                    "a Constant flow without its value in -Source",
                    "write -Source @('value') -FlowType 'Constant'",
                ))
            }
            (_, Some((list, at))) => {
                if let Some(bad) = list.iter().find(|s| s.contains(',') || s.trim().is_empty()) {
                    return Err(self.error(
                        at,
                        format!(
                            "the source attribute {} is not an attribute name",
                            show(bad)
                        ),
                        "attribute names have no commas and are not empty",
                    ));
                }
                m.source = list.join(",");
            }
            (_, None) => {}
        }
        m.flow_type = Some(flow);
        let b = self
            .current
            .as_mut()
            .expect("rule_ref checked that a rule is being built");
        b.rule.mappings.push(m);
        Ok(())
    }

    fn new_object(&mut self, call: &mut Call<'a>) -> Result<(), ReadError> {
        self.allow(call, &["TypeName", "ArgumentList", "OutVariable"])?;
        let (ty, ty_at) = self
            .str_arg(call, "TypeName", true)?
            .ok_or_else(|| self.missing(call, "TypeName"))?;
        let scope = if ty.eq_ignore_ascii_case(SCOPE_CONDITION_TYPE) {
            true
        } else if ty.eq_ignore_ascii_case(JOIN_CONDITION_TYPE) {
            false
        } else {
            return Err(self.error(
                ty_at,
                format!(
                    "New-Object of {}: the export grammar creates only scope and join conditions",
                    show(&ty)
                ),
                format!("-TypeName '{SCOPE_CONDITION_TYPE}' or '{JOIN_CONDITION_TYPE}'"),
            ));
        };
        if self.current.is_none() {
            return Err(self.error(
                call.at,
                "a condition outside a rule (before its New-ADSyncRule)",
                "conditions come after New-ADSyncRule and before Add-ADSyncRule",
            ));
        }
        let items = match self.arg(call, "ArgumentList") {
            None => return Err(self.missing(call, "ArgumentList")),
            Some(a) => match &a.value {
                Some((Value::List(items), _)) if items.len() == 3 => items.clone(),
                Some((_, at)) => {
                    let at = *at;
                    return Err(self.error(
                        at,
                        if scope {
                            "-ArgumentList of a ScopeCondition is 'attribute','value','OPERATOR'"
                        } else {
                            "-ArgumentList of a JoinCondition is 'csAttribute','mvAttribute',$false"
                        },
                        "",
                    ));
                }
                None => return Err(self.error(a.at, "-ArgumentList without a value", "")),
            },
        };
        let text = |i: usize| -> Result<String, ReadError> {
            match &items[i] {
                (Value::Str(s), _) => Ok(s.clone()),
                (v, at) => Err(self.wrong(*at, "ArgumentList", v, "'strings' here")),
            }
        };
        let cond = if scope {
            let attribute = text(0)?;
            let value = text(1)?;
            let op = text(2)?;
            let at = items[2].1;
            let operator = self.known(
                at,
                "ArgumentList",
                &op,
                ScopeOperator::parse(&op),
                &ScopeOperator::known_spellings(),
            )?;
            Cond::Scope(ScopeCondition {
                attribute: Some(attribute),
                operator: Some(operator),
                value,
                ..ScopeCondition::default()
            })
        } else {
            let source = text(0)?;
            let destination = text(1)?;
            let case_sensitive = match &items[2] {
                (Value::Var { name, index: None }, _) if name.eq_ignore_ascii_case("false") => {
                    false
                }
                (Value::Var { name, index: None }, _) if name.eq_ignore_ascii_case("true") => true,
                (v, at) => {
                    return Err(self.wrong(
                        *at,
                        "ArgumentList",
                        v,
                        "$false or $true as its third value",
                    ))
                }
            };
            Cond::Join(JoinCondition {
                source: Some(source),
                destination: Some(destination),
                case_sensitive,
                ..JoinCondition::default()
            })
        };
        let var = match self.arg(call, "OutVariable") {
            None => return Err(self.missing(call, "OutVariable")),
            Some(a) => match &a.value {
                Some((Value::Word(w), _)) => w.to_ascii_lowercase(),
                Some((v, at)) => {
                    return Err(self.wrong(
                        *at,
                        "OutVariable",
                        v,
                        "a bare variable name such as condition0",
                    ))
                }
                None => return Err(self.error(a.at, "-OutVariable without a value", "")),
            },
        };
        if var == "syncrule" {
            return Err(self.error(
                call.at,
                "a condition stored in $syncRule would replace the rule",
                "store conditions in condition0, condition1, ...",
            ));
        }
        let at = call.at;
        let b = self
            .current
            .as_mut()
            .expect("checked above that a rule is being built");
        if let Some((_, prev_at, false)) = b.conditions.get(&var) {
            let prev_at = *prev_at;
            return Err(self.error(
                prev_at,
                format!("the condition ${var} is replaced before it is added to a group"),
                "add each condition to a group before reusing its variable",
            ));
        }
        b.conditions.insert(var, (cond, at, false));
        Ok(())
    }

    fn group(&mut self, call: &mut Call<'a>, scope: bool) -> Result<(), ReadError> {
        let list = if scope {
            "ScopeConditions"
        } else {
            "JoinConditions"
        };
        self.allow(call, &["SynchronizationRule", list, "OutVariable"])?;
        self.rule_ref(call)?;
        let items = match self.arg(call, list) {
            None => return Err(self.missing(call, list)),
            Some(a) => match &a.value {
                Some((Value::Array(items), _)) if !items.is_empty() => items.clone(),
                Some((Value::Array(_), at)) => {
                    let at = *at;
                    return Err(self.error(
                        at,
                        format!("-{list} @() is an empty group"),
                        "a group holds at least one condition",
                    ));
                }
                Some((v, at)) => {
                    return Err(self.wrong(*at, list, v, "an @($condition0[0],...) list"))
                }
                None => return Err(self.error(a.at, format!("-{list} without a value"), "")),
            },
        };
        self.word_arg(call, "OutVariable", "syncRule")?;
        let mut scope_group = Vec::new();
        let mut join_group = Vec::new();
        for (v, at) in &items {
            let Value::Var { name, index } = v else {
                return Err(self.wrong(*at, list, v, "$conditionN[0] variables"));
            };
            if *index != Some(0) {
                return Err(self.error(*at, format!("a condition is written ${name}[0]"), ""));
            }
            let key = name.to_ascii_lowercase();
            let b = self
                .current
                .as_mut()
                .expect("rule_ref checked that a rule is being built");
            let Some(entry) = b.conditions.get_mut(&key) else {
                return Err(self.error(
                    *at,
                    format!("the variable ${name} is never defined"),
                    "define it first with New-Object ... -OutVariable before the group",
                ));
            };
            entry.2 = true;
            match (&entry.0, scope) {
                (Cond::Scope(c), true) => scope_group.push(c.clone()),
                (Cond::Join(c), false) => join_group.push(c.clone()),
                (_, true) => {
                    return Err(self.error(
                        *at,
                        format!("${name} is a join condition, in a scope group"),
                        "",
                    ))
                }
                (_, false) => {
                    return Err(self.error(
                        *at,
                        format!("${name} is a scope condition, in a join group"),
                        "",
                    ))
                }
            }
        }
        let b = self
            .current
            .as_mut()
            .expect("rule_ref checked that a rule is being built");
        if scope {
            b.rule.scope_groups.push(scope_group);
        } else {
            b.rule.join_groups.push(join_group);
        }
        Ok(())
    }

    fn add_rule(&mut self, call: &mut Call<'a>) -> Result<(), ReadError> {
        self.allow(call, &["SynchronizationRule"])?;
        self.rule_ref(call)?;
        let b = self
            .current
            .take()
            .expect("rule_ref checked that a rule is being built");
        if let Some((var, (_, at, _))) = b.conditions.iter().find(|(_, c)| !c.2) {
            let at = *at;
            return Err(self.error(at, format!("the condition ${var} is never added to a group"), "add it with Add-ADSyncScopeConditionGroup or Add-ADSyncJoinConditionGroup, or remove it"));
        }
        if let Some(id) = b.rule.unique_identifier.as_deref() {
            self.ids.insert(normalize_guid(id), self.rules.len());
        }
        self.rules.push(ReadRule {
            rule: b.rule,
            connector: b.connector,
            line: b.line,
            span: b.start..call.end,
        });
        self.last_added = Some(self.rules.len() - 1);
        Ok(())
    }

    fn get_rule(&mut self, call: &mut Call<'a>) -> Result<(), ReadError> {
        self.allow(call, &["Identifier"])?;
        let (id, at) = self.guid_arg(call, "Identifier")?;
        let Some(i) = self.last_added else {
            return Err(self.error(
                call.at,
                "Get-ADSyncRule that follows no Add-ADSyncRule",
                "the export grammar reads back the rule it has just added",
            ));
        };
        let r = &mut self.rules[i];
        if r.rule
            .unique_identifier
            .as_deref()
            .is_none_or(|x| normalize_guid(x) != normalize_guid(&id))
        {
            return Err(self.error(
                at,
                format!(
                    "Get-ADSyncRule -Identifier {id} names another rule than the one just added"
                ),
                "it reads back the rule just added, by its -Identifier",
            ));
        }
        r.span.end = call.end;
        self.last_added = None;
        Ok(())
    }
}
