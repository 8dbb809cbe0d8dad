//! Exported directory objects: streaming readers of LDIF (as `ldifde -f` and `ldapsearch -LLL`
//! write it, RFC 2849) and JSON Lines, writers of both, and a deterministic generator of
//! realistic directories ([`generate`]). Pure over `std::io::BufRead` / `std::io::Write`: the caller opens
//! files.
//!
//! ```
//! use syncpolicy_objects::read_objects;
//! use syncpolicy_expr::value::Value;
//!
//! let ldif = "dn: CN=John Doe,OU=Users,DC=contoso,DC=com\nchangetype: add\n\
//!             objectClass: top\nobjectClass: user\nobjectGUID:: /xmWb4aLEdC0LQDAT8lk/w==\n\
//!             displayName:: Sm9zw6k=\n\n";
//! let objects: Vec<_> = read_objects(ldif.as_bytes()).collect::<Result<_, _>>().unwrap();
//! assert_eq!(objects[0].dn, "CN=John Doe,OU=Users,DC=contoso,DC=com");
//! assert_eq!(objects[0].line, 1);
//! assert!(matches!(objects[0].object.get("objectGUID"), Some(Value::Bin(b)) if b.len() == 16));
//! assert_eq!(objects[0].object.get("displayName"), Some(&Value::Str("José".into())));
//! ```
//!
//! **Values.** Every attribute is typed by its kind, from the list shared with `expr eval`
//! ([`syncpolicy_expr::object::ATTRIBUTE_KINDS`]): binary attributes (`objectGUID`,
//! `objectSid`, `mS-DS-ConsistencyGuid`, `userCertificate`, `thumbnailPhoto`,
//! `msExchMailboxGuid`, ...) are bytes; a base64 (`::`) value of any other attribute is text
//! when it is valid UTF-8 and bytes otherwise; integer and Boolean attributes become integers
//! and Booleans (a value that is not one is a bad object); DN-valued attributes (`member`,
//! `manager`, ...) and `dn` are references. `objectClass` is always multi-valued, in file
//! order (its last value is the object type). Attribute names are matched case-insensitively
//! and stored in their schema spelling when the attribute is in the list, otherwise as first
//! written in the entry.
//!
//! **JSON Lines.** One JSON object per line: `"dn"` (a string, required), `"objectClass"` (a
//! string or an array of strings), and attributes: a string, an integer, a Boolean, `null`
//! (absent) or an array of those for multi-valued attributes; binary values as
//! `{"base64": "..."}` (also `{"hex": ...}`, `{"guid": "6f9619ff-8b86-..."}` in .NET byte
//! order, `{"sid": "S-1-5-..."}`), as `expr eval`'s object format. Blank lines are skipped.
//!
//! **Errors.** A bad object (no DN, bad base64, a value of the wrong type, a change record
//! other than `changetype: add`, a limit exceeded) is an [`ObjectError`] with `fatal: false`:
//! the reader goes on with the next object. A file that cannot be read (I/O error) or is not
//! LDIF / JSON Lines at all gives one `fatal: true` error and then ends.
//!
//! **Limits** ([`Limits::DEFAULT`]): a line (after unfolding) of at most 16 MiB, an entry of at
//! most 64 MiB, at most 1,000,000 values per attribute and 10,000 attributes per entry. Memory
//! is bounded by one entry; time is linear in the input.

pub mod generate;
mod jsonl;
mod ldif;
mod lines;
mod names;
mod parallel;
mod write;

pub use generate::{generate, write_generated, GenerateOptions, Generated, GeneratedObject};
pub use jsonl::JsonlReader;
pub use ldif::LdifReader;
pub use parallel::{read_objects_parallel, read_objects_parallel_only, Blocks};
pub use write::{write_jsonl, write_ldif, write_object, ObjectFormat};

use std::io::BufRead;
use syncpolicy_expr::env::SourceObject;

/// One directory object read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectoryObject {
    /// The distinguished name, as written.
    pub dn: String,
    /// The 1-based line where the object starts (its `dn:` line in LDIF).
    pub line: usize,
    /// Every attribute, with `objectClass` multi-valued and `dn` as the reference attribute.
    pub object: SourceObject,
}

/// A problem reading objects: a bad object (`fatal: false`, the reader continues with the next
/// one) or a file that cannot be read on (`fatal: true`, the reader ends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectError {
    /// The 1-based line of the problem.
    pub line: usize,
    /// What is wrong, with control characters escaped (safe for a terminal).
    pub message: String,
    pub fatal: bool,
}

impl std::fmt::Display for ObjectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ObjectError {}

/// Bounds on what one object may hold; an object over a bound is a bad object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one line after unfolding (LDIF) or of one line (JSON Lines, where it is also
    /// bounded by `max_entry_bytes`).
    pub max_line_bytes: usize,
    /// Bytes of one entry.
    pub max_entry_bytes: usize,
    pub max_values_per_attribute: usize,
    pub max_attributes: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_line_bytes: 16 << 20,
        max_entry_bytes: 64 << 20,
        max_values_per_attribute: 1_000_000,
        max_attributes: 10_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The attributes a reader keeps when a caller needs only some (a streamed simulation's first
/// pass): names compared ASCII case aside; `dn` and `objectClass` are always kept. A reader
/// given one still checks every attribute as it reads it, so that the same objects are bad,
/// for the same reasons, as when it keeps them all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    /// Lower-cased.
    names: std::collections::HashSet<String>,
    /// Every attribute is kept ([`Wanted::all`]).
    all: bool,
    /// The DNs of the only entries read ([`Wanted::with_entries`]).
    entries: Option<std::collections::HashSet<String>>,
}

impl Wanted {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Wanted {
        let names = names
            .into_iter()
            .chain(["dn", "objectClass"])
            .map(str::to_ascii_lowercase)
            .collect();
        Wanted {
            names,
            all: false,
            entries: None,
        }
    }

    /// Every attribute (for a reading that keeps only some entries).
    pub fn all() -> Wanted {
        Wanted {
            all: true,
            ..Wanted::new([])
        }
    }

    /// The attributes `names` names, or every one when `None` ([`Wanted::new`], [`Wanted::all`]).
    pub fn names_or_all(names: Option<&[String]>) -> Wanted {
        match names {
            Some(names) => Wanted::new(names.iter().map(String::as_str)),
            None => Wanted::all(),
        }
    }

    /// Only the LDIF entries whose DN is one of `dns` (exactly as read) are read, for a second
    /// pass over objects read and checked before: every other entry is passed over from its
    /// `dn:` line to its end without a look at its values, so that it gives neither an object
    /// nor a bad object. An entry without a readable DN is read as usual. JSON Lines and
    /// UTF-16 files give every object.
    pub fn with_entries(mut self, dns: impl IntoIterator<Item = String>) -> Wanted {
        self.entries = Some(dns.into_iter().collect());
        self
    }

    /// Whether the entry of DN `dn` is read ([`Wanted::with_entries`]).
    pub fn reads_entry(&self, dn: &str) -> bool {
        self.entries.as_ref().is_none_or(|dns| dns.contains(dn))
    }

    /// Whether `name` is kept.
    pub fn contains(&self, name: &str) -> bool {
        if self.all {
            return true;
        }
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.names.contains(&name.to_ascii_lowercase())
        } else {
            self.names.contains(name)
        }
    }

    /// The number of names kept.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no name is kept (never: `dn` and `objectClass` are).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Reads LDIF objects, one per entry.
pub fn read_ldif<R: BufRead>(input: R) -> LdifReader<R> {
    LdifReader::new(input, Limits::DEFAULT)
}

/// Reads JSON Lines objects, one per line.
pub fn read_jsonl<R: BufRead>(input: R) -> JsonlReader<R> {
    JsonlReader::new(input, Limits::DEFAULT)
}

/// Reads objects in either format: JSON Lines when the first character that is not white space
/// (after a byte order mark) is `{`, LDIF otherwise.
pub fn read_objects<R: BufRead>(input: R) -> ObjectReader<R> {
    read_objects_with(input, Limits::DEFAULT)
}

/// [`read_objects`] with other limits.
pub fn read_objects_with<R: BufRead>(mut input: R, limits: Limits) -> ObjectReader<R> {
    match sniff(&mut input) {
        ObjectFormat::Jsonl => ObjectReader::Jsonl(JsonlReader::new(input, limits)),
        ObjectFormat::Ldif => ObjectReader::Ldif(LdifReader::new(input, limits)),
    }
}

/// The format of the input from its first buffered bytes (nothing is consumed). An unreadable
/// start counts as LDIF; the reader then reports the I/O error.
pub fn sniff<R: BufRead>(input: &mut R) -> ObjectFormat {
    let Ok(head) = input.fill_buf() else {
        return ObjectFormat::Ldif;
    };
    let head = [&[0xEF, 0xBB, 0xBF][..], &[0xFF, 0xFE], &[0xFE, 0xFF]]
        .iter()
        .find_map(|bom| head.strip_prefix(*bom))
        .unwrap_or(head);
    // The zero bytes of UTF-16 text are skipped, so both byte orders are seen as ASCII.
    let first = head
        .iter()
        .copied()
        .filter(|b| *b != 0)
        .find(|b| !b.is_ascii_whitespace());
    if first == Some(b'{') {
        ObjectFormat::Jsonl
    } else {
        ObjectFormat::Ldif
    }
}

/// The reader [`read_objects`] chose.
pub enum ObjectReader<R> {
    Ldif(LdifReader<R>),
    Jsonl(JsonlReader<R>),
}

impl<R> ObjectReader<R> {
    pub fn format(&self) -> ObjectFormat {
        match self {
            ObjectReader::Ldif(_) => ObjectFormat::Ldif,
            ObjectReader::Jsonl(_) => ObjectFormat::Jsonl,
        }
    }
}

impl<R: BufRead> Iterator for ObjectReader<R> {
    type Item = Result<DirectoryObject, ObjectError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            ObjectReader::Ldif(r) => r.next(),
            ObjectReader::Jsonl(r) => r.next(),
        }
    }
}

/// Text for a message: control characters escaped, back quotes as `'`, at most `max`
/// characters.
pub(crate) fn safe(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else if c == '`' {
            // Messages back-quote the data they quote (`--redact` replaces what is between
            // back quotes): a back quote of the data must not end the quoting.
            out.push('\'');
        } else {
            out.push(c);
        }
    }
    out
}
