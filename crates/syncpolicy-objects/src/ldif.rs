//! The LDIF reader (RFC 2849 content records, as `ldifde -f` and `ldapsearch -LLL` write them):
//! `dn:` first, `attr: value` / `attr:: base64` lines, folded lines (a line starting with one
//! space continues the previous one), `#` comments (folded too), `version: 1` before the first
//! entry, `changetype: add` accepted on any entry, entries separated by blank lines, CRLF or
//! LF, UTF-8 with or without a byte order mark, or UTF-16 with one.

use crate::lines::Lines;
use crate::names::{valid_name, Names, Resolved, NO_ID};
use crate::{safe, DirectoryObject, Limits, ObjectError, Wanted};
use std::io::BufRead;
use std::rc::Rc;
use std::sync::Arc;
use syncpolicy_expr::env::SourceObject;
use syncpolicy_expr::object::{bytes_value, decode_base64, text_value, AttributeKind};
use syncpolicy_expr::value::Value;

/// A value as written: `: text`, `:: base64` or `:< URL` (refused).
enum Raw<'a> {
    Text(&'a [u8]),
    Base64(&'a [u8]),
    Url,
}

/// Bytes counted per value on top of its text, for the entry-size limit.
const VALUE_OVERHEAD: usize = 32;

/// The entry being read.
#[derive(Default)]
struct Entry {
    started: bool,
    line: usize,
    dn: Option<String>,
    /// Each attribute once, in file order: one value, or `Multi` from its second value on.
    /// Each entry: name, value(s), number of values, name identity.
    attributes: Vec<(Rc<str>, Value, usize, u32)>,
    bytes: usize,
    error: Option<ObjectError>,
    /// Attribute lines read so far.
    lines: usize,
    /// Passed over to its end, not read ([`Wanted::with_entries`]).
    skipped: bool,
}

/// Streams the objects of an LDIF file; see [`crate::read_ldif`].
pub struct LdifReader<R> {
    lines: Lines<R>,
    limits: Limits,
    names: Names,
    /// The logical line being assembled (folded lines joined), its line number, and whether a
    /// part of it was over the line limit.
    logical: Vec<u8>,
    logical_line: usize,
    logical_long: bool,
    have_logical: bool,
    entry: Entry,
    /// By name identity: 1 + the index of the attribute in the current entry, or 0.
    slots: Vec<u32>,
    /// Records seen so far (good or bad).
    pub(crate) records: usize,
    done: bool,
    /// Whether the end of the input ends the pending line and entry (false for a block cut
    /// before an I/O error: the sequential reader stops there without them).
    flush_at_end: bool,
    /// The attributes kept ([`LdifReader::only`]); `None` keeps all.
    only: Option<Box<Only>>,
}

/// What [`LdifReader::only`] keeps.
struct Only {
    wanted: Arc<Wanted>,
    /// By name identity: 0 not yet asked, 1 kept, 2 dropped.
    kept: Vec<u8>,
}

impl<R: BufRead> LdifReader<R> {
    /// A reader with the given limits.
    pub fn new(input: R, limits: Limits) -> Self {
        LdifReader {
            lines: Lines::new(input, limits.max_line_bytes.saturating_add(1)),
            limits,
            names: Names::default(),
            logical: Vec::new(),
            logical_line: 0,
            logical_long: false,
            have_logical: false,
            entry: Entry::default(),
            slots: Vec::new(),
            records: 0,
            done: false,
            flush_at_end: true,
            only: None,
        }
    }

    /// Keeps only the attributes in `wanted` (all when `None`): the others are checked as
    /// they would be read (so that an object is bad, and why, exactly as with all of them, and
    /// the limits count them), then dropped instead of stored.
    pub fn only(mut self, wanted: Option<Arc<Wanted>>) -> Self {
        self.only = wanted.map(|wanted| {
            Box::new(Only {
                wanted,
                kept: Vec::new(),
            })
        });
        self
    }

    /// Whether the attribute `name` (identity `id`) is kept.
    fn keeps(&mut self, id: u32, name: &str) -> bool {
        let Some(only) = &mut self.only else {
            return true;
        };
        if id == NO_ID {
            return only.wanted.contains(name);
        }
        let i = id as usize;
        if only.kept.len() <= i {
            only.kept.resize(i + 1, 0);
        }
        if only.kept[i] == 0 {
            only.kept[i] = if only.wanted.contains(name) { 1 } else { 2 };
        }
        only.kept[i] == 1
    }

    /// A reader of UTF-8 LDIF that starts in the middle of a file, at an entry boundary, after
    /// `lines` lines and `records` records (see [`crate::parallel`]).
    pub(crate) fn resume(input: R, limits: Limits, lines: usize, records: usize) -> Self {
        let mut reader = LdifReader::new(input, limits);
        reader.lines = Lines::resume_from(reader.lines, lines);
        reader.records = records;
        reader
    }

    /// The lines read so far.
    pub(crate) fn lines_read(&self) -> usize {
        self.lines.number
    }

    /// Makes the end of the input stop the reader without ending the pending line and entry.
    pub(crate) fn no_flush_at_end(mut self) -> Self {
        self.flush_at_end = false;
        self
    }

    fn fatal(&mut self, line: usize, message: String) -> ObjectError {
        self.done = true;
        ObjectError {
            line,
            message,
            fatal: true,
        }
    }

    /// Ends the current entry: the object, its error, or nothing when no entry was started.
    fn finish(&mut self) -> Option<Result<DirectoryObject, ObjectError>> {
        // The attribute list keeps its capacity from one entry to the next.
        let mut attributes = std::mem::take(&mut self.entry.attributes);
        for (_, _, _, id) in &attributes {
            if let Some(slot) = self.slots.get_mut(*id as usize) {
                *slot = 0;
            }
        }
        let entry = std::mem::take(&mut self.entry);
        if !entry.started {
            self.entry.attributes = attributes;
            return None;
        }
        self.records += 1;
        if entry.skipped {
            self.entry.attributes = attributes;
            return None;
        }
        if let Some(error) = entry.error {
            attributes.clear();
            self.entry.attributes = attributes;
            return Some(Err(error));
        }
        let dn = entry.dn.unwrap_or_default();
        let kept = attributes
            .iter()
            .filter(|(_, v, _, _)| !matches!(v, Value::Null))
            .count();
        let mut object = SourceObject::with_capacity(kept + 1);
        object.push_distinct("dn", Value::Ref(dn.clone()));
        // Distinct names (the same name's values were gathered as they were read; `dn` is
        // not an attribute line) and no null value: nothing to look for before appending.
        for (name, value, _, _) in attributes.drain(..) {
            let value = match value {
                // A dropped attribute ([`LdifReader::only`]).
                Value::Null => continue,
                v @ Value::Multi(_) => v,
                v if &*name == "objectClass" => Value::Multi(vec![v]),
                v => v,
            };
            object.push_distinct(&name, value);
        }
        self.entry.attributes = attributes;
        Some(Ok(DirectoryObject {
            dn,
            line: entry.line,
            object,
        }))
    }

    /// Records a problem with the current entry (the first one is kept).
    fn bad(&mut self, line: usize, message: String) {
        if self.entry.error.is_none() {
            let what = match &self.entry.dn {
                Some(dn) => format!("entry `{}`: {message}", safe(dn, 200)),
                None => message,
            };
            self.entry.error = Some(ObjectError {
                line,
                message: what,
                fatal: false,
            });
        }
    }

    /// Takes one complete logical line. `Err` is a fatal error.
    fn logical_line(&mut self) -> Result<(), ObjectError> {
        let line = self.logical_line;
        let logical = std::mem::take(&mut self.logical);
        let result = self.take_line(line, &logical);
        self.logical = logical;
        result
    }

    fn take_line(&mut self, line: usize, text: &[u8]) -> Result<(), ObjectError> {
        if text.first() == Some(&b'#') {
            return Ok(());
        }
        if self.entry.error.is_some() || self.entry.skipped {
            return Ok(());
        }
        let first_of_entry = !self.entry.started;
        if first_of_entry {
            self.entry.started = true;
            self.entry.line = line;
        }
        if self.logical_long {
            let limit = self.limits.max_line_bytes;
            self.bad(
                line,
                format!("a line longer than {limit} bytes (the limit)"),
            );
            return Ok(());
        }
        if text.first() == Some(&b' ') {
            self.bad(line, "a continuation line with nothing to continue".into());
            return Ok(());
        }
        let Some(colon) = memchr::memchr(b':', text) else {
            if first_of_entry && self.records == 0 {
                return Err(self.not_ldif(line, text));
            }
            self.bad(
                line,
                format!(
                    "expected `attribute: value`, found \"{}\"",
                    safe(&String::from_utf8_lossy(text), 60)
                ),
            );
            return Ok(());
        };
        let (raw_name, rest) = (&text[..colon], &text[colon + 1..]);
        // The value: `: text`, `:: base64` or `:< URL`.
        let raw = if let Some(b64) = rest.strip_prefix(b":") {
            Raw::Base64(b64)
        } else if rest.starts_with(b"<") {
            Raw::Url
        } else {
            Raw::Text(rest.strip_prefix(b" ").unwrap_or(rest))
        };
        // A name spelled as on this line of an earlier entry was checked then.
        let seen = if first_of_entry {
            None
        } else {
            self.names.seen_at(self.entry.lines, raw_name)
        };
        let resolved = match seen {
            Some(resolved) => {
                if matches!(raw, Raw::Url) {
                    let base = raw_name.split(|b| *b == b';').next().unwrap_or_default();
                    self.url_value(line, &String::from_utf8_lossy(base));
                    return Ok(());
                }
                resolved
            }
            None => match self.new_name(line, text, raw_name, &raw, first_of_entry)? {
                Some(resolved) => resolved,
                None => return Ok(()),
            },
        };
        self.entry.lines += 1;
        let (kind, name, id) = (resolved.kind, resolved.spelling, resolved.id);
        // A dropped attribute's values are checked, not stored: its place holds NULL, which
        // no value read is.
        let keep = self.keeps(id, &name);
        let value = match raw {
            Raw::Text(t) => match std::str::from_utf8(t) {
                Ok(_) if memchr::memchr(0, t).is_some() => {
                    Err("a text value with a NUL character; write it as base64 (`::`)".to_string())
                }
                Ok(s) if keep => text_value(kind, s),
                // Typed from text without a copy; the other kinds cannot fail.
                Ok(s) if matches!(kind, AttributeKind::Integer | AttributeKind::Boolean) => {
                    text_value(kind, s).map(|_| Value::Null)
                }
                Ok(_) => Ok(Value::Null),
                Err(_) => Err("a value that is not UTF-8; write it as base64 (`::`)".to_string()),
            },
            Raw::Base64(b) => match std::str::from_utf8(b)
                .ok()
                .and_then(|b| decode_base64(b.trim()))
            {
                Some(bytes) if keep => bytes_value(kind, bytes),
                Some(bytes) => bytes_value(kind, bytes).map(|_| Value::Null),
                None => Err("invalid base64".to_string()),
            },
            // Refused with the name, above.
            Raw::Url => return Ok(()),
        };
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                self.bad(line, format!("attribute `{}`: {e}", safe(&name, 60)));
                return Ok(());
            }
        };
        self.entry.bytes = self.entry.bytes.saturating_add(text.len() + VALUE_OVERHEAD);
        if self.entry.bytes > self.limits.max_entry_bytes {
            let limit = self.limits.max_entry_bytes;
            self.bad(
                line,
                format!("an entry larger than {limit} bytes (the limit)"),
            );
            return Ok(());
        }
        let at = if id == NO_ID {
            self.entry
                .attributes
                .iter()
                .position(|(n, _, _, _)| n.eq_ignore_ascii_case(&name))
        } else {
            match self.slots.get(id as usize) {
                Some(&slot) if slot > 0 => Some(slot as usize - 1),
                _ => None,
            }
        };
        match at {
            Some(i) => {
                let (_, values, count, _) = &mut self.entry.attributes[i];
                if *count >= self.limits.max_values_per_attribute {
                    let limit = self.limits.max_values_per_attribute;
                    self.bad(
                        line,
                        format!(
                            "attribute `{}`: more than {limit} values (the limit)",
                            safe(&name, 60)
                        ),
                    );
                    return Ok(());
                }
                *count += 1;
                match values {
                    Value::Null => {}
                    Value::Multi(all) => all.push(value),
                    single => {
                        let first = std::mem::replace(single, Value::Null);
                        *single = Value::Multi(vec![first, value]);
                    }
                }
            }
            None => {
                if self.entry.attributes.len() >= self.limits.max_attributes {
                    let limit = self.limits.max_attributes;
                    self.bad(line, format!("more than {limit} attributes (the limit)"));
                    return Ok(());
                }
                if id != NO_ID {
                    let i = id as usize;
                    if self.slots.len() <= i {
                        self.slots.resize(i + 1, 0);
                    }
                    self.slots[i] = u32::try_from(self.entry.attributes.len() + 1).unwrap_or(0);
                }
                self.entry.attributes.push((name, value, 1, id));
            }
        }
        Ok(())
    }

    /// The checks of a name not seen on this line of an earlier entry, and the lines that are
    /// not attributes: `version`, `dn`, `changetype`, `control`. The attribute's resolution,
    /// or `None` when the line is taken (or refused) here; `Err` is a fatal error.
    fn new_name(
        &mut self,
        line: usize,
        text: &[u8],
        raw_name: &[u8],
        raw: &Raw<'_>,
        first_of_entry: bool,
    ) -> Result<Option<Resolved>, ObjectError> {
        let rest = &text[raw_name.len() + 1..];
        let Ok(description) = std::str::from_utf8(raw_name) else {
            if first_of_entry && self.records == 0 {
                return Err(self.not_ldif(line, text));
            }
            self.bad(line, "an attribute name that is not UTF-8".into());
            return Ok(None);
        };
        let mut parts = description.split(';');
        let base = parts.next().unwrap_or_default();
        let binary_option = parts.any(|o| o.eq_ignore_ascii_case("binary"));

        if first_of_entry {
            if base.eq_ignore_ascii_case("version") && self.records == 0 {
                // `version: 1` belongs to the file, not to an entry.
                self.entry.started = false;
                let v = String::from_utf8_lossy(rest);
                if v.trim() != "1" {
                    return Err(self.fatal(
                        line,
                        format!("unsupported LDIF version \"{}\"", safe(v.trim(), 20)),
                    ));
                }
                return Ok(None);
            }
            if !base.eq_ignore_ascii_case("dn") {
                if self.records == 0 {
                    return Err(self.not_ldif(line, text));
                }
                self.bad(
                    line,
                    format!(
                        "an entry without a DN: it starts with `{}:` instead of `dn:`",
                        safe(base, 60)
                    ),
                );
                return Ok(None);
            }
        }
        if !valid_name(base) {
            self.bad(
                line,
                format!("invalid attribute name \"{}\"", safe(description, 60)),
            );
            return Ok(None);
        }
        if matches!(raw, Raw::Url) {
            self.url_value(line, base);
            return Ok(None);
        }

        if base.eq_ignore_ascii_case("dn") {
            if !first_of_entry {
                self.bad(line, "a second `dn:` line in one entry".into());
                return Ok(None);
            }
            let dn = match raw {
                Raw::Text(t) => std::str::from_utf8(t).ok().map(str::to_string),
                Raw::Base64(b) => std::str::from_utf8(b)
                    .ok()
                    .and_then(|b| decode_base64(b.trim()))
                    .and_then(|bytes| String::from_utf8(bytes).ok()),
                Raw::Url => None,
            };
            match dn {
                Some(dn) if !dn.trim().is_empty() => {
                    // An entry not asked for is passed over from here ([`Wanted::with_entries`]).
                    self.entry.skipped = self
                        .only
                        .as_ref()
                        .is_some_and(|only| !only.wanted.reads_entry(&dn));
                    self.entry.dn = Some(dn);
                }
                Some(_) => self.bad(line, "an entry with an empty DN".into()),
                None => self.bad(line, "the DN is not valid UTF-8 text or base64".into()),
            }
            return Ok(None);
        }
        if base.eq_ignore_ascii_case("changetype") {
            let kind = match raw {
                Raw::Text(t) => String::from_utf8_lossy(t).trim().to_string(),
                Raw::Base64(_) | Raw::Url => String::new(),
            };
            if !kind.eq_ignore_ascii_case("add") {
                self.bad(
                    line,
                    format!(
                        "a change record (`changetype: {}`) is not an object; export objects with `ldifde -f` or `ldapsearch`",
                        safe(&kind, 20)
                    ),
                );
            }
            return Ok(None);
        }
        if base.eq_ignore_ascii_case("control") {
            self.bad(line, "a change record (`control:`) is not an object".into());
            return Ok(None);
        }
        Ok(Some(self.names.resolve_at(
            self.entry.lines,
            raw_name,
            base,
            binary_option,
        )))
    }

    /// Refuses a `:<` value of attribute `base`.
    fn url_value(&mut self, line: usize, base: &str) {
        self.bad(
            line,
            format!(
                "attribute `{}`: URL values (`:<`) are not read; export the value inline",
                safe(base, 60)
            ),
        );
    }

    fn not_ldif(&mut self, line: usize, text: &[u8]) -> ObjectError {
        let shown = safe(&String::from_utf8_lossy(text), 60);
        let hint = if text.first() == Some(&b'{') {
            "; it looks like JSON Lines"
        } else {
            ""
        };
        self.fatal(
            line,
            format!("not LDIF: the first entry must start with `dn:`, found \"{shown}\"{hint}"),
        )
    }
}

impl<R: BufRead> Iterator for LdifReader<R> {
    type Item = Result<DirectoryObject, ObjectError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let long = match self.lines.next_line() {
                Ok(l) => l,
                Err(e) => {
                    let line = self.lines.number + 1;
                    return Some(Err(self.fatal(line, format!("cannot read the file: {e}"))));
                }
            };
            let Some(long) = long else {
                // End of input: the pending line, then the last entry.
                self.done = true;
                if !self.flush_at_end {
                    return None;
                }
                if self.have_logical {
                    self.have_logical = false;
                    if let Err(e) = self.logical_line() {
                        return Some(Err(e));
                    }
                }
                return self.finish();
            };
            let physical = &self.lines.buf;
            if physical.first() == Some(&b' ') && self.have_logical {
                let room = self
                    .limits
                    .max_line_bytes
                    .saturating_sub(self.logical.len());
                let part = &physical[1..];
                if long || part.len() > room {
                    self.logical_long = true;
                } else {
                    self.logical.extend_from_slice(part);
                }
                continue;
            }
            if self.have_logical {
                self.have_logical = false;
                if let Err(e) = self.logical_line() {
                    return Some(Err(e));
                }
            }
            let physical = &self.lines.buf;
            if physical.is_empty() {
                if let Some(result) = self.finish() {
                    return Some(result);
                }
                continue;
            }
            // The physical line becomes the logical one (buffers swapped, not copied).
            std::mem::swap(&mut self.logical, &mut self.lines.buf);
            self.logical_line = self.lines.number;
            self.logical_long = long;
            self.have_logical = true;
        }
    }
}
