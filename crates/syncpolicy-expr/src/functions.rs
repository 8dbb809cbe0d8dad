//! The built-in functions (everything except control flow, which is in `eval.rs`), the
//! operators, and the value conversions they share.

use crate::ast::BinOp;
use crate::catalogue::Func;
use crate::cert::Certificate;
use crate::encoding::{
    base64_decode, base64_encode, guid_format, guid_parse, hex_decode, hex_upper, sid_format,
    utf16le_bytes,
};
use crate::env::Env;
use crate::eval::EvalErrorKind;
use crate::time::DateTime;
use crate::value::{Value, MAX_TEXT_BYTES, MAX_TOTAL_BYTES, MAX_VALUES};
use sha1::{Digest, Sha1};
use std::borrow::Cow;
use std::cmp::Ordering;
use syncpolicy_model::words;

/// A function failure; the evaluator adds the span.
#[derive(Debug)]
pub(crate) struct FnError {
    pub(crate) kind: EvalErrorKind,
    pub(crate) message: String,
}

type F<T> = Result<T, FnError>;

fn type_err<T>(message: impl Into<String>) -> F<T> {
    Err(FnError {
        kind: EvalErrorKind::Type,
        message: message.into(),
    })
}

fn arg_err<T>(message: impl Into<String>) -> F<T> {
    Err(FnError {
        kind: EvalErrorKind::InvalidArgument,
        message: message.into(),
    })
}

fn arith_err<T>(message: impl Into<String>) -> F<T> {
    Err(FnError {
        kind: EvalErrorKind::Arithmetic,
        message: message.into(),
    })
}

// ---------------------------------------------------------------------------------------------
// Size limits: every function and operator that builds text or a collection checks the size it
// is about to build against the limits of `value`, before allocating.

/// The error of text that would pass [`MAX_TEXT_BYTES`].
pub(crate) fn text_too_large(bytes: usize) -> FnError {
    FnError {
        kind: EvalErrorKind::TooLarge,
        message: format!(
            "the result would be {bytes} bytes of text, more than the limit of {MAX_TEXT_BYTES} bytes (1 MiB)"
        ),
    }
}

/// Checks that text of `bytes` bytes may be built.
#[inline]
pub(crate) fn check_text(bytes: usize) -> F<()> {
    if bytes > MAX_TEXT_BYTES {
        Err(text_too_large(bytes))
    } else {
        Ok(())
    }
}

fn too_many_values() -> FnError {
    FnError {
        kind: EvalErrorKind::TooLarge,
        message: format!("the result would hold more than {MAX_VALUES} values (the limit)"),
    }
}

fn collection_too_large(bytes: usize) -> FnError {
    FnError {
        kind: EvalErrorKind::TooLarge,
        message: format!(
            "the values would hold {bytes} bytes of text, more than the limit of {MAX_TOTAL_BYTES} bytes (16 MiB) for one collection"
        ),
    }
}

/// Checks a finished result against the limits (for results whose size is bounded by their
/// arguments' and so is known only once built, such as `UCase` or `ConvertToBase64`).
#[inline]
pub(crate) fn check_result(v: &Value) -> F<()> {
    match v {
        Value::Str(s) | Value::Ref(s) => check_text(s.len()),
        Value::Bin(b) => check_text(b.len()),
        Value::Multi(values) => {
            if values.len() > MAX_VALUES {
                return Err(too_many_values());
            }
            let bytes = v.size();
            if bytes > MAX_TOTAL_BYTES {
                return Err(collection_too_large(bytes));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Builds a collection the way [`Value::multi`] does (nested collections flattened, nulls
/// dropped, empty is `Null`), checking the limits as each value arrives, so that no collection
/// larger than the limits is ever held.
pub(crate) struct Collect {
    out: Vec<Value>,
    bytes: usize,
}

impl Collect {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Collect {
            out: Vec::with_capacity(n.min(MAX_VALUES)),
            bytes: 0,
        }
    }

    /// Adds one result (a collection adds each of its values).
    pub(crate) fn push(&mut self, v: Value) -> F<()> {
        match v {
            Value::Null => Ok(()),
            Value::Multi(inner) => {
                for v in inner {
                    if !v.is_null() {
                        self.add(v)?;
                    }
                }
                Ok(())
            }
            v => self.add(v),
        }
    }

    #[inline]
    fn add(&mut self, v: Value) -> F<()> {
        if self.out.len() >= MAX_VALUES {
            return Err(too_many_values());
        }
        self.bytes += v.size();
        if self.bytes > MAX_TOTAL_BYTES {
            return Err(collection_too_large(self.bytes));
        }
        self.out.push(v);
        Ok(())
    }

    pub(crate) fn finish(self) -> Value {
        if self.out.is_empty() {
            Value::Null
        } else {
            Value::Multi(self.out)
        }
    }
}

impl Func {
    /// Whether the function reads the object other than through its arguments: by an
    /// attribute name it is given (`ImportedValue`, `ValueCount`), or through the object's
    /// seed (`RandomNum`, `Guid`). The other functions use only their arguments, the
    /// parameters and the clock ([`CallContext`] is how a function reaches anything else).
    pub fn reads_object(self) -> bool {
        matches!(
            self,
            Func::ImportedValue | Func::ValueCount | Func::RandomNum | Func::Guid
        )
    }
}

/// What a function may use besides its arguments.
pub(crate) struct CallContext<'e, 'r> {
    pub(crate) env: &'e Env<'e>,
    pub(crate) rng: &'r mut u64,
}

impl CallContext<'_, '_> {
    /// splitmix64: deterministic for a given seed.
    fn next_random(&mut self) -> u64 {
        *self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

// ---------------------------------------------------------------------------------------------
// Conversions.

fn describe(v: &Value) -> String {
    v.type_description()
}

/// A value as text, where a string is needed. Numbers, Booleans and references convert;
/// binary data and dates do not.
pub(crate) fn text(v: &Value) -> F<Cow<'_, str>> {
    match v {
        Value::Str(s) | Value::Ref(s) => Ok(Cow::Borrowed(s)),
        Value::Num(n) => Ok(Cow::Owned(n.to_string())),
        Value::Bool(b) => Ok(Cow::Borrowed(if *b { "True" } else { "False" })),
        v if v.is_null() => Ok(Cow::Borrowed("")),
        other => type_err(format!("a string is needed, found {}", describe(other))),
    }
}

fn parse_num(s: &str) -> Option<i64> {
    let t = s.trim();
    if let Some(hex) = t.strip_prefix("&H").or_else(|| t.strip_prefix("&h")) {
        return u64::from_str_radix(hex, 16)
            .ok()
            .and_then(|v| i64::try_from(v).ok());
    }
    t.parse().ok()
}

/// A value as an integer. Numeric strings convert.
pub(crate) fn num(v: &Value) -> F<i64> {
    match v {
        Value::Num(n) => Ok(*n),
        Value::Str(s) => num_str(s),
        other => type_err(format!("a number is needed, found {}", describe(other))),
    }
}

/// A string value as an integer (see [`num`]).
pub(crate) fn num_str(s: &str) -> F<i64> {
    match parse_num(s) {
        Some(n) => Ok(n),
        None => type_err(format!("a number is needed, found the string \"{s}\"")),
    }
}

/// The truth of a condition: Booleans, numbers (non-zero), the strings `True`/`False`; null is
/// false.
pub(crate) fn truthy(v: &Value) -> F<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Num(n) => Ok(*n != 0),
        v if v.is_null() => Ok(false),
        Value::Str(s) => truthy_str(s),
        other => type_err(format!("a boolean is needed, found {}", describe(other))),
    }
}

/// The truth of a string value (see [`truthy`]).
pub(crate) fn truthy_str(s: &str) -> F<bool> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if t.eq_ignore_ascii_case("false") {
        Ok(false)
    } else if let Some(n) = parse_num(t) {
        Ok(n != 0)
    } else {
        type_err(format!("a boolean is needed, found the string \"{s}\""))
    }
}

/// Binary data: binary values as they are; strings are read as base64.
fn bytes(v: &Value) -> F<Cow<'_, [u8]>> {
    match v {
        Value::Bin(b) => Ok(Cow::Borrowed(b)),
        Value::Str(s) => match base64_decode(s) {
            Some(b) => Ok(Cow::Owned(b)),
            None => arg_err("the string is not base64-encoded binary data"),
        },
        other => type_err(format!("binary data is needed, found {}", describe(other))),
    }
}

fn date(v: &Value) -> F<DateTime> {
    match v {
        Value::Date(d) => Ok(*d),
        Value::Str(s) => match DateTime::parse(s) {
            Some(d) => Ok(d),
            None => arg_err(format!("\"{s}\" is not a date")),
        },
        other => type_err(format!("a date is needed, found {}", describe(other))),
    }
}

pub(crate) fn reference(v: &Value) -> F<&str> {
    match v {
        Value::Ref(s) | Value::Str(s) => Ok(s),
        other => type_err(format!(
            "a reference (DN) is needed, found {}",
            describe(other)
        )),
    }
}

fn option_is(v: &Value, name: &str) -> bool {
    matches!(v, Value::Str(s) if s.eq_ignore_ascii_case(name))
}

pub(crate) fn check_option(v: &Value, allowed: &[&str]) -> F<()> {
    match v {
        v if v.is_null() => Ok(()),
        Value::Str(s) if allowed.iter().any(|a| a.eq_ignore_ascii_case(s)) => Ok(()),
        other => arg_err(format!(
            "expected one of {}, found {}",
            allowed.join(", "),
            match other {
                Value::Str(s) => format!("\"{s}\""),
                o => describe(o),
            }
        )),
    }
}

pub(crate) fn char_count(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Byte offset of the `n`-th character (or the end).
fn byte_at(s: &str, n: usize) -> usize {
    if s.is_ascii() {
        return n.min(s.len());
    }
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

fn lower_same_length(s: &str) -> String {
    s.chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Operators.

pub(crate) fn map_unary(v: &Value, f: fn(&Value) -> F<Value>) -> F<Value> {
    match v {
        Value::Multi(values) => {
            let mut out = Collect::with_capacity(values.len());
            for v in values {
                out.push(f(v)?)?;
            }
            Ok(out.finish())
        }
        v => f(v),
    }
}

pub(crate) fn negate(v: &Value) -> F<Value> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    match num(v)?.checked_neg() {
        Some(n) => Ok(Value::Num(n)),
        None => arith_err("integer overflow"),
    }
}

/// Applies an infix operator (not `&&`/`||`), mapping over collections.
pub(crate) fn binary(op: BinOp, l: &Value, r: &Value) -> F<Value> {
    if let Value::Multi(values) = l {
        let mut out = Collect::with_capacity(values.len());
        for v in values {
            out.push(binary(op, v, r)?)?;
        }
        return Ok(out.finish());
    }
    if let Value::Multi(values) = r {
        let mut out = Collect::with_capacity(values.len());
        for v in values {
            out.push(binary(op, l, v)?)?;
        }
        return Ok(out.finish());
    }
    match op {
        BinOp::Concat => {
            let a = text(l).map_err(|_| concat_error(l))?;
            let b = text(r).map_err(|_| concat_error(r))?;
            check_text(a.len() + b.len())?;
            let mut s = String::with_capacity(a.len() + b.len());
            s.push_str(&a);
            s.push_str(&b);
            Ok(Value::Str(s))
        }
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
            if l.is_null() || r.is_null() {
                return Ok(Value::Null);
            }
            let (a, b) = (num(l)?, num(r)?);
            let v = match op {
                BinOp::Add => a.checked_add(b),
                BinOp::Sub => a.checked_sub(b),
                BinOp::Mul => a.checked_mul(b),
                _ => {
                    if b == 0 {
                        return arith_err("division by zero");
                    }
                    a.checked_div(b)
                }
            };
            match v {
                Some(v) => Ok(Value::Num(v)),
                None => arith_err("integer overflow"),
            }
        }
        _ => {
            let Some(ord) = compare(l, r)? else {
                return Ok(Value::Bool(false));
            };
            Ok(Value::Bool(op.holds(ord)))
        }
    }
}

pub(crate) fn concat_error(v: &Value) -> FnError {
    FnError {
        kind: EvalErrorKind::Type,
        message: format!(
            "cannot concatenate {}; convert it to a string first",
            describe(v)
        ),
    }
}

/// Orders two single values. `None` when either is null: every comparison is then false.
pub(crate) fn compare(l: &Value, r: &Value) -> F<Option<Ordering>> {
    use Value::*;
    if l.is_null() || r.is_null() {
        return Ok(None);
    }
    let bool_of = |s: &str| {
        let t = s.trim();
        if t.eq_ignore_ascii_case("true") {
            Some(true)
        } else if t.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        }
    };
    Ok(Some(match (l, r) {
        (Str(a) | Ref(a), Str(b) | Ref(b)) => a.as_str().cmp(b.as_str()),
        (Num(a), Num(b)) => a.cmp(b),
        (Num(a), Str(b)) => match parse_num(b) {
            Some(b) => a.cmp(&b),
            None => a.to_string().as_str().cmp(b.as_str()),
        },
        (Str(a), Num(b)) => match parse_num(a) {
            Some(a) => a.cmp(b),
            None => a.as_str().cmp(b.to_string().as_str()),
        },
        (Bool(a), Bool(b)) => a.cmp(b),
        (Bool(a), Num(b)) => a.cmp(&(*b != 0)),
        (Num(a), Bool(b)) => (*a != 0).cmp(b),
        (Bool(a), Str(b)) => match bool_of(b) {
            Some(b) => a.cmp(&b),
            None => return type_err(format!("cannot compare a boolean with \"{b}\"")),
        },
        (Str(a), Bool(b)) => match bool_of(a) {
            Some(a) => a.cmp(b),
            None => return type_err(format!("cannot compare \"{a}\" with a boolean")),
        },
        (Date(a), Date(b)) => a.cmp(b),
        (Date(_), Str(_)) | (Str(_), Date(_)) => {
            let (a, b) = (date(l)?, date(r)?);
            a.cmp(&b)
        }
        (Bin(a), Bin(b)) => a.cmp(b),
        _ => {
            return type_err(format!(
                "cannot compare {} with {}",
                describe(l),
                describe(r)
            ))
        }
    }))
}

// ---------------------------------------------------------------------------------------------
// Text helpers.

/// Finds `needle` in `hay` by bytes: the same first match as `str::find` (a valid UTF-8 needle
/// only matches at character boundaries), without the searcher set-up on short strings.
pub(crate) fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        [] => Some(0),
        [b] => hay.iter().position(|c| c == b),
        [first, rest @ ..] => {
            // Candidates by their first byte, then the rest compared.
            let last = hay.len().checked_sub(needle.len())?;
            (0..=last).find(|&i| hay[i] == *first && hay[i + 1..].starts_with(rest))
        }
    }
}

pub(crate) fn in_str(s: &str, find: &str, start: i64, text_compare: bool) -> i64 {
    if start <= 1 && !text_compare && s.len() <= 128 {
        // From the first character, binary compare: no character counting before the match.
        if find.is_empty() {
            return 1;
        }
        return match find_bytes(s.as_bytes(), find.as_bytes()) {
            Some(i) => char_count(&s[..i]) as i64 + 1,
            None => 0,
        };
    }
    let len = char_count(s) as i64;
    let start = start.max(1);
    if start > len + 1 {
        return 0;
    }
    if find.is_empty() {
        return start;
    }
    let (hay, needle): (Cow<'_, str>, Cow<'_, str>) = if text_compare {
        (
            Cow::Owned(lower_same_length(s)),
            Cow::Owned(lower_same_length(find)),
        )
    } else {
        (Cow::Borrowed(s), Cow::Borrowed(find))
    };
    let from = byte_at(&hay, (start - 1) as usize);
    let found = match needle.as_bytes() {
        // One ASCII byte: a plain byte scan (the general searcher's set-up costs more than the
        // search on attribute-sized strings). An ASCII byte never occurs inside a multi-byte
        // character, so the position is the same.
        [b] if b.is_ascii() => hay.as_bytes()[from..].iter().position(|c| c == b),
        _ => hay[from..].find(&*needle),
    };
    match found {
        Some(i) => char_count(&hay[..from + i]) as i64 + 1,
        None => 0,
    }
}

fn in_str_rev(s: &str, find: &str, start: i64, text_compare: bool) -> i64 {
    let (hay, needle): (Vec<char>, Vec<char>) = if text_compare {
        (
            lower_same_length(s).chars().collect(),
            lower_same_length(find).chars().collect(),
        )
    } else {
        (s.chars().collect(), find.chars().collect())
    };
    let len = hay.len() as i64;
    let start = if start < 1 { len } else { start.min(len) };
    if needle.is_empty() {
        return start;
    }
    let mut pos = start - needle.len() as i64 + 1;
    while pos >= 1 {
        let i = (pos - 1) as usize;
        if hay[i..i + needle.len()] == needle[..] {
            return pos;
        }
        pos -= 1;
    }
    0
}

/// `Left`: the first `n` characters (all of them when `n` is negative).
pub(crate) fn left(s: &str, n: i64) -> &str {
    match n {
        0 => "",
        n if n < 0 => s,
        n => &s[..byte_at(s, n as usize)],
    }
}

/// `Right`: the last `n` characters (all of them when `n` is negative).
pub(crate) fn right(s: &str, n: i64) -> &str {
    match n {
        0 => "",
        n if n < 0 => s,
        n => {
            let len = char_count(s);
            let skip = len.saturating_sub(n as usize);
            &s[byte_at(s, skip)..]
        }
    }
}

/// `Mid`: `n` characters from the 1-based `start`.
pub(crate) fn mid(s: &str, start: i64, n: i64) -> &str {
    let len = char_count(s) as i64;
    if n == 0 {
        return "";
    }
    if n < 0 || start <= 0 || start > len {
        return s;
    }
    let from = byte_at(s, (start - 1) as usize);
    let to = byte_at(s, (start - 1).saturating_add(n).min(len) as usize);
    &s[from..to]
}

fn pcase(s: &str) -> String {
    s.split(' ')
        .map(|word| {
            let has_letters = word.chars().any(char::is_alphabetic);
            let all_upper = word
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
            if has_letters && all_upper && char_count(word) > 1 {
                // Left alone, like .NET TextInfo.ToTitleCase (acronyms are not re-cased).
                return word.to_string();
            }
            let mut out = String::with_capacity(word.len());
            for (i, c) in word.chars().enumerate() {
                if i == 0 {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Longest string `PadLeft`/`PadRight` build (above the 1024-character attribute limit).
const MAX_PAD: i64 = 1 << 16;

fn pad(s: &str, len: i64, ch: &str, at_left: bool) -> F<String> {
    if ch.is_empty() {
        return Ok(s.to_string());
    }
    let mut chars = ch.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return arg_err(format!("the padding must be one character, found \"{ch}\""));
    };
    let have = char_count(s) as i64;
    if len <= have {
        return Ok(s.to_string());
    }
    if len > MAX_PAD {
        return arg_err(format!(
            "cannot pad to {len} characters (at most {MAX_PAD})"
        ));
    }
    check_text(s.len() + c.len_utf8() * (len - have) as usize)?;
    let fill: String = std::iter::repeat_n(c, (len - have) as usize).collect();
    Ok(if at_left {
        fill + s
    } else {
        s.to_string() + &fill
    })
}

fn monikers(s: &str) -> String {
    s.replace("\\n", "\n")
        .replace("\\r", "\r")
        .replace("\\t", "\t")
}

fn replace_chars(s: &str, pattern: &str) -> F<String> {
    let compact: String = pattern.chars().filter(|c| !c.is_whitespace()).collect();
    let mut map: Vec<(char, &str)> = Vec::new();
    for pair in compact.split(',').filter(|p| !p.is_empty()) {
        let Some((from, to)) = pair.split_once(':') else {
            return arg_err(format!("\"{pair}\" is not of the form `x:y`"));
        };
        let mut chars = from.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return arg_err(format!(
                "the source \"{from}\" in \"{pair}\" must be one character"
            ));
        };
        map.push((c, to));
    }
    // The result is at most this long; count exactly only when that passes the limit.
    let longest = map.iter().map(|(_, to)| to.len()).max().unwrap_or(0);
    if s.len().saturating_mul(longest.max(1)) > MAX_TEXT_BYTES {
        let exact: usize = s
            .chars()
            .map(|c| {
                map.iter()
                    .find(|(from, _)| *from == c)
                    .map_or(c.len_utf8(), |(_, to)| to.len())
            })
            .sum();
        check_text(exact)?;
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match map.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => out.push_str(to),
            None => out.push(c),
        }
    }
    Ok(out)
}

fn word(s: &str, k: i64, delimiters: &str) -> String {
    if k < 1 {
        return String::new();
    }
    s.split(|c: char| delimiters.contains(c))
        .filter(|w| !w.is_empty())
        .nth((k - 1) as usize)
        .unwrap_or("")
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Distinguished names.

/// The RDNs of a DN, split at unescaped commas (or semicolons), trimmed, keeping escapes;
/// empty parts are skipped.
pub(crate) fn dn_parts(dn: &str) -> DnParts<'_> {
    DnParts { dn, pos: 0 }
}

/// Iterator returned by [`dn_parts`].
pub(crate) struct DnParts<'a> {
    dn: &'a str,
    pos: usize,
}

impl<'a> Iterator for DnParts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.dn.as_bytes();
        while self.pos <= bytes.len() {
            let start = self.pos;
            let end = part_end(bytes, start);
            self.pos = end + 1;
            let part = trim(&self.dn[start..end]);
            if !part.is_empty() {
                return Some(part);
            }
        }
        None
    }
}

/// The bytes that matter when splitting a DN: escapes, quotes and the two separators.
static DN_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'\\' as usize] = true;
    table[b'"' as usize] = true;
    table[b',' as usize] = true;
    table[b';' as usize] = true;
    table
};

/// Where the RDN starting at `start` ends: the first separator (`,` or `;`) that is neither
/// escaped nor quoted, or the end of the DN. Separators and escapes are ASCII, so a byte scan
/// finds the same positions as a scan by characters (UTF-8 continuation bytes never equal an
/// ASCII byte); the ordinary bytes between them are skipped by a table look-up each.
fn part_end(bytes: &[u8], start: usize) -> usize {
    let mut quoted = false;
    let mut i = start;
    loop {
        match bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|&c| DN_SPECIAL[c as usize]))
        {
            None => return bytes.len(),
            Some(offset) => i += offset,
        }
        match bytes[i] {
            // The escaped byte is skipped (an escaped multi-byte character's continuation bytes
            // never match anyway).
            b'\\' => i += 1,
            b'"' => quoted = !quoted,
            _ if !quoted => return i,
            _ => {}
        }
        i += 1;
    }
}

/// `str::trim`, answered without decoding characters when the text starts and ends with a
/// visible ASCII character (as DN parts almost always do).
#[inline]
fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|b| (0x21..0x80).contains(b));
    if visible(s.as_bytes().first()) && visible(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// Splits a DN into its RDNs (see [`dn_parts`]).
fn split_dn(dn: &str) -> Vec<&str> {
    dn_parts(dn).collect()
}

fn rdn_type(rdn: &str) -> &str {
    rdn.split_once('=').map_or("", |(t, _)| t.trim())
}

pub(crate) fn rdn_value(rdn: &str) -> &str {
    // The text after the first `=` (an ASCII byte, so a byte search finds the same place).
    match rdn.bytes().position(|b| b == b'=') {
        Some(i) => trim(&rdn[i + 1..]),
        None => rdn,
    }
}

/// `EscapeDNComponent`: escapes one RDN. Given `type=value` (an attribute type, then `=`), the
/// type and its `=` are kept and only the value is escaped: Microsoft's example
/// `EscapeDNComponent("cn=" & [displayName])` with `Doe, John` gives `cn=Doe\, John`.
fn escape_dn_component(s: &str) -> String {
    let (prefix, value) = match s.find('=') {
        Some(i) if is_attribute_type(&s[..i]) => s.split_at(i + 1),
        _ => ("", s),
    };
    let mut out = String::with_capacity(s.len() + 4);
    out.push_str(prefix);
    let count = value.chars().count();
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=')
            || (i == 0 && (c == '#' || c == ' '))
            || (i + 1 == count && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An LDAP attribute type (RFC 4514): a name (a letter, then letters, digits, hyphens) or a
/// numeric OID.
fn is_attribute_type(t: &str) -> bool {
    let b = t.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_alphabetic() => {
            b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        }
        Some(c) if c.is_ascii_digit() => {
            b.iter().all(|c| c.is_ascii_digit() || *c == b'.') && !t.ends_with('.')
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Dispatch.

fn arg<'v>(args: &'v [Cow<'_, Value>], i: usize) -> &'v Value {
    args.get(i).map_or(&Value::Null, |c| &**c)
}

fn str_result(v: &Value, f: impl FnOnce(&str) -> String) -> F<Value> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    Ok(Value::Str(f(&text(v)?)))
}

fn cert_of(b: &[u8]) -> F<Certificate<'_>> {
    match Certificate::parse(b) {
        Some(c) => Ok(c),
        None => arg_err("the value is not an X.509 certificate"),
    }
}

fn sha1_hex(b: &[u8]) -> String {
    let mut h = Sha1::new();
    h.update(b);
    hex_upper(&h.finalize())
}

fn encode_with(s: &str, encoding: &Value) -> F<Vec<u8>> {
    Ok(if option_is(encoding, "UTF8") {
        s.as_bytes().to_vec()
    } else if option_is(encoding, "ASCII") {
        s.chars()
            .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
            .collect()
    } else {
        check_option(encoding, &["Unicode", "ASCII", "UTF8"])?;
        utf16le_bytes(s)
    })
}

fn decode_with(b: &[u8], encoding: &Value) -> F<String> {
    Ok(if option_is(encoding, "UTF8") {
        String::from_utf8_lossy(b).into_owned()
    } else if option_is(encoding, "ASCII") {
        b.iter()
            .map(|&c| if c.is_ascii() { c as char } else { '?' })
            .collect()
    } else {
        check_option(encoding, &["Unicode", "ASCII", "UTF8"])?;
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    })
}

pub(crate) fn is_present(v: &Value) -> bool {
    match v {
        Value::Str(s) | Value::Ref(s) => !s.is_empty(),
        Value::Bin(b) => !b.is_empty(),
        Value::Multi(values) => values.iter().any(is_present),
        v => !v.is_null(),
    }
}

fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Str(s) | Value::Ref(s) => s.is_empty(),
        Value::Bin(b) => b.is_empty(),
        Value::Multi(values) => !values.is_empty() && values.iter().all(is_empty_value),
        _ => false,
    }
}

fn all_values(v: &Value, pred: fn(&Value) -> bool) -> bool {
    match v {
        Value::Multi(values) => values.iter().all(pred),
        v => pred(v),
    }
}

/// `CStr`: strings, numbers, references, Booleans and dates convert; binary does not.
fn cstr(v: &Value) -> F<String> {
    match v {
        Value::Date(d) => Ok(d.to_string()),
        Value::Bin(_) => type_err("binary data cannot be converted with CStr; use ConvertToBase64"),
        v => text(v).map(Cow::into_owned),
    }
}

fn cnum(v: &Value) -> F<i64> {
    match v {
        Value::Bool(b) => Ok(i64::from(*b)),
        v => num(v),
    }
}

/// The values without repeats, first occurrences in order. Strings, references, numbers,
/// Booleans and binary values are found again through a hash set (so a large collection takes
/// linear time); the rare other values are compared one by one.
fn remove_duplicates(values: &[Value]) -> Vec<Value> {
    #[derive(PartialEq, Eq, Hash)]
    enum Key<'a> {
        Str(&'a str),
        Ref(&'a str),
        Num(i64),
        Bool(bool),
        Bin(&'a [u8]),
    }
    // A few values (the usual case) are compared one by one: hashing costs more.
    const FEW: usize = 16;
    let few = values.len() <= FEW;
    let mut seen_few: Vec<Key<'_>> = Vec::new();
    let mut seen: std::collections::HashSet<Key<'_>> = std::collections::HashSet::new();
    let mut others: Vec<&Value> = Vec::new();
    let mut out = Vec::new();
    for v in values {
        let key = match v {
            Value::Str(s) => Some(Key::Str(s)),
            Value::Ref(s) => Some(Key::Ref(s)),
            Value::Num(n) => Some(Key::Num(*n)),
            Value::Bool(b) => Some(Key::Bool(*b)),
            Value::Bin(b) => Some(Key::Bin(b)),
            _ => None,
        };
        let new = match key {
            Some(k) if few => {
                let new = !seen_few.contains(&k);
                if new {
                    seen_few.push(k);
                }
                new
            }
            Some(k) => seen.insert(k),
            None if others.contains(&v) => false,
            None => {
                others.push(v);
                true
            }
        };
        if new {
            out.push(v.clone());
        }
    }
    out
}

fn collection_index(values: &[Value], i: i64) -> Option<&Value> {
    if i < 1 {
        return None;
    }
    values.get((i - 1) as usize)
}

/// Applies `func`, mapping it over the values of any collection given in a position that takes
/// one value (a `str`/`num`/... parameter): the function is applied once per value and the
/// results are collected. Both evaluators call functions through this.
pub(crate) fn apply_lifted(
    ctx: &mut CallContext<'_, '_>,
    func: Func,
    args: &[Cow<'_, Value>],
) -> F<Value> {
    let params = func.spec().params;
    let multi = args.iter().enumerate().find(|(i, a)| {
        matches!(***a, Value::Multi(_)) && params.get(*i).is_some_and(|p| p.is_scalar())
    });
    if let Some((i, a)) = multi {
        let mut out = Collect::with_capacity(a.values().len());
        for v in a.values() {
            let mut copy: Vec<Cow<'_, Value>> = args.to_vec();
            copy[i] = Cow::Owned(v.clone());
            out.push(apply_lifted(ctx, func, &copy)?)?;
        }
        return Ok(out.finish());
    }
    let v = apply(ctx, func, args)?;
    check_result(&v)?;
    Ok(v)
}

pub(crate) fn apply(
    ctx: &mut CallContext<'_, '_>,
    func: Func,
    args: &[Cow<'_, Value>],
) -> F<Value> {
    let a0 = arg(args, 0);
    let a1 = arg(args, 1);
    let a2 = arg(args, 2);
    let a3 = arg(args, 3);
    use Func::*;
    match func {
        Iif | Switch | Select | Where | With => {
            arg_err(format!("`{}` is evaluated by the evaluator", func.name()))
        }
        Error => Err(FnError {
            kind: EvalErrorKind::Raised,
            message: text(a0)?.into_owned(),
        }),

        // Evaluation.
        IsPresent => Ok(Value::Bool(is_present(a0))),
        IsNullOrEmpty => Ok(Value::Bool(!is_present(a0))),
        IsNull => Ok(Value::Bool(a0.is_null())),
        IsEmpty => Ok(Value::Bool(is_empty_value(a0))),
        IsString => Ok(Value::Bool(
            !a0.is_null() && all_values(a0, |v| cstr(v).is_ok()),
        )),
        IsNumeric => Ok(Value::Bool(
            !a0.is_null() && all_values(a0, |v| cnum(v).is_ok()),
        )),
        IsDate => Ok(Value::Bool(
            !a0.is_null() && all_values(a0, |v| date(v).is_ok()),
        )),
        IsGuid => Ok(Value::Bool(match a0 {
            Value::Str(s) => guid_parse(s).is_some(),
            _ => false,
        })),
        IsBitSet => {
            if a0.is_null() || a1.is_null() {
                return Ok(Value::Bool(false));
            }
            let (v, flag) = (num(a0)?, num(a1)?);
            Ok(Value::Bool(v & flag == flag))
        }
        IsCert => Ok(Value::Bool(match a0 {
            Value::Bin(b) => Certificate::parse(b).is_some(),
            Value::Str(s) => base64_decode(s).is_some_and(|b| Certificate::parse(&b).is_some()),
            _ => false,
        })),

        // Conversion.
        CBool => Ok(Value::Bool(truthy(a0)?)),
        CDate => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            Ok(Value::Date(date(a0)?))
        }
        CGuid => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            match guid_parse(&text(a0)?) {
                Some(b) => Ok(Value::Bin(b.to_vec())),
                None => arg_err(format!("\"{}\" is not a GUID", text(a0)?)),
            }
        }
        StringFromGuid => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            match guid_format(&bytes(a0)?) {
                Some(s) => Ok(Value::Str(s)),
                None => arg_err("a GUID is 16 bytes"),
            }
        }
        StringFromSid => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            match sid_format(&bytes(a0)?) {
                Some(s) => Ok(Value::Str(s)),
                None => arg_err("the value is not a binary security identifier"),
            }
        }
        CNum => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            Ok(Value::Num(cnum(a0)?))
        }
        CRef => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            Ok(Value::Ref(text(a0)?.into_owned()))
        }
        CStr => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            Ok(Value::Str(cstr(a0)?))
        }
        ConvertToBase64 => match a0 {
            v if v.is_null() => Ok(Value::Null),
            Value::Bin(b) => Ok(Value::Str(base64_encode(b))),
            v => Ok(Value::Str(base64_encode(&encode_with(&text(v)?, a1)?))),
        },
        ConvertFromBase64 => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            match base64_decode(&text(a0)?) {
                Some(b) => Ok(Value::Str(decode_with(&b, a1)?)),
                None => arg_err("the string is not valid base64"),
            }
        }
        ConvertToUtf8Hex => str_result(a0, |s| hex_upper(s.as_bytes())),
        ConvertFromUtf8Hex => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            match hex_decode(&text(a0)?) {
                Some(b) => match String::from_utf8(b) {
                    Ok(s) => Ok(Value::Str(s)),
                    Err(_) => arg_err("the bytes are not UTF-8"),
                },
                None => arg_err("the string is not hexadecimal"),
            }
        }

        // Date and time.
        DateFromNum => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            let n = num(a0)?;
            match DateTime::from_filetime(n) {
                Some(d) => Ok(Value::Date(d)),
                None => arg_err(format!("{n} is outside the date range")),
            }
        }
        NumFromDate => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            Ok(Value::Num(date(a0)?.to_filetime()))
        }
        FormatDateTime => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            Ok(Value::Str(date(a0)?.format(&text(a1)?)))
        }
        DateAdd => {
            if a2.is_null() {
                return Ok(Value::Null);
            }
            let interval = text(a0)?.to_ascii_lowercase();
            let n = num(a1)?;
            let d = date(a2)?;
            const SECOND: i64 = 10_000_000;
            let tick_step = |unit: i64| n.checked_mul(unit).and_then(|t| d.add_ticks(t));
            let result = match interval.as_str() {
                "yyyy" => n.checked_mul(12).and_then(|m| d.add_months(m)),
                "q" => n.checked_mul(3).and_then(|m| d.add_months(m)),
                "m" => d.add_months(n),
                "y" | "d" | "w" => tick_step(86_400 * SECOND),
                "ww" => tick_step(7 * 86_400 * SECOND),
                "h" => tick_step(3_600 * SECOND),
                "n" => tick_step(60 * SECOND),
                "s" => tick_step(SECOND),
                other => {
                    return arg_err(format!(
                        "unknown interval \"{other}\"; expected yyyy, q, m, y, d, w, ww, h, n or s"
                    ))
                }
            };
            match result {
                Some(d) => Ok(Value::Date(d)),
                None => arith_err("the date is out of range"),
            }
        }
        Now => match ctx.env.now {
            Some(d) => Ok(Value::Date(d)),
            None => Err(FnError {
                kind: EvalErrorKind::MissingClock,
                message: "Now() needs a clock; the environment has none".into(),
            }),
        },

        // Directory.
        DnComponent | DnComponentRev => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            let dn = reference(a0)?;
            let k = num(a1)?;
            if k < 1 {
                return Ok(Value::Null);
            }
            let parts = split_dn(dn);
            let found = if func == DnComponentRev {
                check_option(a2, &["DC"])?;
                let skip_dc = !a2.is_null();
                parts
                    .iter()
                    .rev()
                    .filter(|p| !(skip_dc && rdn_type(p).eq_ignore_ascii_case("dc")))
                    .nth((k - 1) as usize)
            } else {
                parts.get((k - 1) as usize)
            };
            Ok(found.map_or(Value::Null, |p| Value::Str(rdn_value(p).to_string())))
        }
        EscapeDnComponent => str_result(a0, escape_dn_component),

        // Math.
        BitAnd | BitOr => {
            if a0.is_null() || a1.is_null() {
                return Ok(Value::Null);
            }
            let (a, b) = (num(a0)?, num(a1)?);
            Ok(Value::Num(if func == BitAnd { a & b } else { a | b }))
        }
        RandomNum => {
            if a0.is_null() || a1.is_null() {
                return Ok(Value::Null);
            }
            let (a, b) = (num(a0)?, num(a1)?);
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let span = (hi as i128 - lo as i128 + 1) as u128;
            let r = u128::from(ctx.next_random()) % span;
            Ok(Value::Num((lo as i128 + r as i128) as i64))
        }

        // Multi-valued.
        Contains => {
            if a0.is_null() || a1.is_null() {
                return Ok(Value::Num(0));
            }
            check_option(a2, &["CaseInsensitive", "CaseSensitive"])?;
            let insensitive = option_is(a2, "CaseInsensitive");
            let find = text(a1)?;
            let find_l = if insensitive {
                find.to_lowercase()
            } else {
                String::new()
            };
            for (i, v) in a0.values().iter().enumerate() {
                let hit = match v {
                    Value::Ref(dn) if insensitive => dn.eq_ignore_ascii_case(&find),
                    Value::Ref(dn) => dn == &*find,
                    v => {
                        let s = text(v)?;
                        if insensitive {
                            s.to_lowercase().contains(&find_l)
                        } else {
                            s.contains(&*find)
                        }
                    }
                };
                if hit {
                    return Ok(Value::Num(i as i64 + 1));
                }
            }
            Ok(Value::Num(0))
        }
        Count => Ok(Value::Num(a0.values().len() as i64)),
        Item | ItemOrNull => {
            let i = num(a1)?;
            match collection_index(a0.values(), i) {
                Some(v) => Ok(v.clone()),
                None if func == ItemOrNull => Ok(Value::Null),
                None => arg_err(format!(
                    "index {i} is out of range ({})",
                    words::count(a0.values().len(), "value", "values")
                )),
            }
        }
        Join => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            let delimiter = if args.len() < 2 {
                Cow::Borrowed(" ")
            } else {
                text(a1)?
            };
            let parts = a0
                .values()
                .iter()
                .map(|v| text(v).map(Cow::into_owned))
                .collect::<F<Vec<_>>>()?;
            let joined = parts.iter().map(String::len).sum::<usize>()
                + delimiter.len() * parts.len().saturating_sub(1);
            check_text(joined)?;
            Ok(Value::Str(parts.join(&delimiter)))
        }
        Split => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            let s = text(a0)?;
            let d = text(a1)?;
            let mut chars = d.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return arg_err(format!(
                    "the delimiter must be one character, found \"{d}\""
                ));
            };
            let limit = if a2.is_null() || num(a2)? <= 0 {
                usize::MAX
            } else {
                num(a2)? as usize
            };
            let mut out = Collect::with_capacity(0);
            for p in s.splitn(limit, c) {
                out.push(Value::Str(p.to_string()))?;
            }
            Ok(out.finish())
        }
        RemoveDuplicates => Ok(Value::multi(remove_duplicates(a0.values()))),

        // Text.
        InStr | InStrRev => {
            if a0.is_null() || a1.is_null() {
                return Ok(Value::Num(0));
            }
            check_option(a3, &["vbTextCompare", "vbBinaryCompare"])?;
            let text_compare = option_is(a3, "vbTextCompare");
            let s = text(a0)?;
            let find = text(a1)?;
            if func == InStr {
                let start = if a2.is_null() { 1 } else { num(a2)? };
                Ok(Value::Num(in_str(&s, &find, start, text_compare)))
            } else {
                let start = if a2.is_null() { -1 } else { num(a2)? };
                Ok(Value::Num(in_str_rev(&s, &find, start, text_compare)))
            }
        }
        Left | Right => {
            if a0.is_null() {
                return Ok(Value::Str(String::new()));
            }
            let s = text(a0)?;
            let n = num(a1)?;
            Ok(Value::Str(
                if func == Left {
                    left(&s, n)
                } else {
                    right(&s, n)
                }
                .to_string(),
            ))
        }
        Mid => {
            if a0.is_null() {
                return Ok(Value::Str(String::new()));
            }
            // `Mid(text, start)`: the rest of the text, as in VBA (Microsoft's `Item` example
            // calls it so).
            let n = if args.len() > 2 { num(a2)? } else { i64::MAX };
            Ok(Value::Str(mid(&text(a0)?, num(a1)?, n).to_string()))
        }
        Len => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            Ok(Value::Num(char_count(&text(a0)?) as i64))
        }
        Trim => str_result(a0, |s| s.trim().to_string()),
        LTrim => str_result(a0, |s| s.trim_start().to_string()),
        RTrim => str_result(a0, |s| s.trim_end().to_string()),
        LCase => str_result(a0, str::to_lowercase),
        UCase => str_result(a0, str::to_uppercase),
        PCase => str_result(a0, pcase),
        PadLeft | PadRight => {
            if a0.is_null() {
                return Ok(Value::Str(String::new()));
            }
            let ch = text(a2)?;
            Ok(Value::Str(pad(&text(a0)?, num(a1)?, &ch, func == PadLeft)?))
        }
        Replace => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            let s = text(a0)?;
            let old = monikers(&text(a1)?);
            if old.is_empty() {
                return Ok(Value::Str(s.into_owned()));
            }
            let new = monikers(&text(a2)?);
            if new.len() > old.len() {
                // At most this long; count the matches only when that passes the limit.
                let most = (s.len() / old.len())
                    .saturating_mul(new.len() - old.len())
                    .saturating_add(s.len());
                if most > MAX_TEXT_BYTES {
                    let n = s.matches(old.as_str()).count();
                    check_text(s.len() + n * (new.len() - old.len()))?;
                }
            }
            Ok(Value::Str(s.replace(&old, &new)))
        }
        ReplaceChars => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            Ok(Value::Str(replace_chars(&text(a0)?, &text(a1)?)?))
        }
        Word => {
            if a0.is_null() {
                return Ok(Value::Str(String::new()));
            }
            Ok(Value::Str(word(&text(a0)?, num(a1)?, &text(a2)?)))
        }
        Guid => {
            let mut b = [0u8; 16];
            b[..8].copy_from_slice(&ctx.next_random().to_le_bytes());
            b[8..].copy_from_slice(&ctx.next_random().to_le_bytes());
            // RFC 4122 version 4, variant 1 (byte 7 holds the version in .NET order).
            b[7] = (b[7] & 0x0F) | 0x40;
            b[8] = (b[8] & 0x3F) | 0x80;
            match guid_format(&b) {
                Some(s) => Ok(Value::Str(s)),
                None => arg_err("internal: a GUID is 16 bytes"),
            }
        }

        // Certificates.
        CertExtensionOids
        | CertFormat
        | CertFriendlyName
        | CertHashString
        | CertIssuer
        | CertIssuerDn
        | CertIssuerOid
        | CertKeyAlgorithm
        | CertKeyAlgorithmParams
        | CertNameInfo
        | CertNotAfter
        | CertNotBefore
        | CertPublicKeyOid
        | CertPublicKeyParametersOid
        | CertSerialNumber
        | CertSignatureAlgorithmOid
        | CertSubject
        | CertSubjectNameDn
        | CertSubjectNameOid
        | CertThumbprint
        | CertVersion => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            let der = bytes(a0)?;
            let c = cert_of(&der)?;
            Ok(match func {
                CertExtensionOids => Value::multi(
                    c.critical_extension_oids()
                        .into_iter()
                        .map(Value::Str)
                        .collect(),
                ),
                CertFormat => Value::Str("X509".into()),
                CertFriendlyName => Value::Str(String::new()),
                CertHashString | CertThumbprint => Value::Str(sha1_hex(c.der())),
                CertIssuer | CertIssuerDn => Value::Str(c.issuer_dn()),
                CertIssuerOid => Value::Str(c.issuer_oid()),
                CertKeyAlgorithm | CertPublicKeyOid => Value::Str(c.public_key_oid()),
                CertKeyAlgorithmParams => Value::Str(hex_upper(&c.public_key_params())),
                CertPublicKeyParametersOid => Value::Str(c.public_key_params_oid()),
                CertNameInfo => {
                    let kind = text(a1)?;
                    let issuer = truthy(a2)?;
                    match c.name_info(&kind, issuer) {
                        Some(s) => Value::Str(s),
                        None => {
                            return arg_err(format!(
                                "unknown name type \"{kind}\"; expected SimpleName, EmailName, UpnName, DnsName, DnsFromAlternativeName or UrlName"
                            ))
                        }
                    }
                }
                CertNotAfter => Value::Date(c.not_after()),
                CertNotBefore => Value::Date(c.not_before()),
                CertSerialNumber => Value::Str(hex_upper(c.serial())),
                CertSignatureAlgorithmOid => Value::Str(c.signature_oid()),
                CertSubject | CertSubjectNameDn => Value::Str(c.subject_dn()),
                CertSubjectNameOid => Value::Str(c.subject_oid()),
                _ => Value::Num(c.version()),
            })
        }

        // Used by the out-of-box rules.
        ImportedValue => {
            let name = text(a0)?;
            let source = ctx.env.imported.unwrap_or(ctx.env.object);
            Ok(source.get(&name).cloned().unwrap_or(Value::Null))
        }
        ValueCount => {
            let name = text(a0)?;
            Ok(Value::Num(
                ctx.env.object.get(&name).map_or(0, |v| v.values().len()) as i64,
            ))
        }
        CBin => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            let (v, n) = (num(a0)?, num(a1)?);
            if !(1..=8).contains(&n) {
                return arg_err(format!("CBin writes 1 to 8 bytes, {n} asked"));
            }
            let bits = 8 * n as u32;
            let fits = n == 8 || (v >= -(1i64 << (bits - 1)) && v < (1i64 << bits));
            if !fits {
                return arg_err(format!("{v} does not fit in {n} byte(s)"));
            }
            Ok(Value::Bin(v.to_le_bytes()[..n as usize].to_vec()))
        }
        Thumbprint => {
            if a0.is_null() {
                return Ok(Value::Null);
            }
            Ok(Value::Str(sha1_hex(&bytes(a0)?)))
        }
    }
}

#[cfg(test)]
mod tests {
    //! The allocation-free helpers against the simple versions they replaced.

    use super::*;
    use proptest::prelude::*;

    /// The former `split_dn`: a character scan collecting every part.
    fn split_dn_simple(dn: &str) -> Vec<&str> {
        let mut parts = Vec::new();
        let mut start = 0;
        let mut escaped = false;
        let mut quoted = false;
        for (i, c) in dn.char_indices() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '"' => quoted = !quoted,
                ',' | ';' if !quoted => {
                    parts.push(dn[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            }
        }
        let last = dn[start..].trim();
        if !last.is_empty() || !parts.is_empty() {
            parts.push(last);
        }
        parts.retain(|p| !p.is_empty());
        parts
    }

    /// The former `InStr` from the first character: `str::find` after counting characters.
    fn in_str_simple(s: &str, find: &str) -> i64 {
        if find.is_empty() {
            return 1;
        }
        match s.find(find) {
            Some(i) => char_count(&s[..i]) as i64 + 1,
            None => 0,
        }
    }

    fn dn_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                "CN", "=", ",", ";", "\\", "\"", " ", "é", "a", "\\,", "OU=x",
            ]),
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn dn_parts_match_the_simple_split(dn in dn_text()) {
            prop_assert_eq!(dn_parts(&dn).collect::<Vec<_>>(), split_dn_simple(&dn));
            for part in split_dn_simple(&dn) {
                prop_assert_eq!(
                    rdn_value(part),
                    part.split_once('=').map_or(part, |(_, v)| v.trim())
                );
            }
        }

        #[test]
        fn in_str_matches_the_simple_search(s in dn_text(), find in dn_text()) {
            prop_assert_eq!(in_str(&s, &find, 1, false), in_str_simple(&s, &find));
            prop_assert_eq!(in_str(&s, &find, 0, false), in_str_simple(&s, &find));
        }
    }
}
