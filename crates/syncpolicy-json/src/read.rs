//! Settings-file reader: decodes the bytes, deserializes straight into the model (no
//! intermediate JSON tree), keeps unknown keys in place, and attaches the extension part.

use crate::depth::{first_too_deep, MAX_DEPTH, SCHEMA_DEPTH};
use crate::digest::{PrefixHashes, SectionSpans, DIRECTORIES};
use crate::encoding::{decode, line_column, DecodeError};
use crate::error::{ReadError, ReadErrorKind};
use crate::keys::{self, index_of};
use crate::locate::{self, Anchors};
use crate::raw;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::fmt;
use syncpolicy_model::config::{
    AttributeBinding, AzureDirectory, Configuration, DeploymentMetadata,
    DirectoryExtensionAttribute, ExchangeFeatures, ExportedAttributeFilter, IdentityMapping,
    MetaverseAttribute, MetaverseExtensions, MetaverseObjectType, OnPremisesDirectory, Partition,
    PolicyMetadata, RequiredSection, RuleLocation,
};
use syncpolicy_model::enums::{Direction, FlowType, LinkType, MergeType, ScopeOperator};
use syncpolicy_model::extension::{
    AcceptedFinding, ConnectorExtension, Extension, GlobalParameter, HierarchyMapping,
    ProvisioningHierarchy, RecordedDigest, RunProfile, RunStep, Scheduler,
};
use syncpolicy_model::identity::normalize_guid;
use syncpolicy_model::preserved::Preserved;
use syncpolicy_model::rule::{
    AttributeMapping, JoinCondition, RuleExtension, ScopeCondition, SyncRule,
};
use syncpolicy_model::signin::SignIn;

/// Reads a settings file from its bytes. `file` names it in errors.
pub fn read_settings(bytes: &[u8], file: &str) -> Result<Configuration, ReadError> {
    read_settings_str(&decode_or_error(bytes, file)?, file)
}

/// Reads a settings file from decoded text. `file` names it in errors.
pub fn read_settings_str(text: &str, file: &str) -> Result<Configuration, ReadError> {
    let De(top) = read_top(text, file)?;
    Ok(top.finish())
}

fn read_top(text: &str, file: &str) -> Result<De<TopLevel>, ReadError> {
    read_value::<TopLevel>(
        text,
        file,
        "export the configuration again; a settings file is a JSON object",
    )
}

/// Reads a settings file from decoded text, and where in `text` each top-level section's
/// digested bytes are (for [`crate::digest::check_text`]). `file` names it in errors.
pub fn read_settings_spans(
    text: &str,
    file: &str,
) -> Result<(Configuration, SectionSpans), ReadError> {
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        // A large file that records a digest: its directories (nearly all of it) are hashed on
        // another core meanwhile, from where the writer puts them (checked below).
        let early = directories_guess(text).map(|start| {
            let stop = &stop;
            (
                start,
                s.spawn(move || PrefixHashes::of(text.as_bytes(), start, stop)),
            )
        });
        anchors::WANTED.with(|w| w.set(true));
        let read = read_top(text, file);
        anchors::WANTED.with(|w| w.set(false));
        let read_anchors = anchors::READ.with(|r| r.borrow_mut().take());
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let De(top) = read?;
        let mut spans =
            section_spans(text, &top).map_or_else(SectionSpans::default, SectionSpans::new);
        if let Some(read) = read_anchors {
            spans.set_anchors(anchors_of(text, &top.config, read));
        }
        if let (Some((start, hashing)), Some(range)) = (early, spans.range(DIRECTORIES)) {
            if range.start == start {
                if let Some(hex) = hashing
                    .join()
                    .ok()
                    .and_then(|p| p.finish(text.as_bytes(), range))
                {
                    spans.set_directories(hex);
                }
            }
        }
        Ok((top.finish(), spans))
    })
}

/// The [`Anchors`] of a read from the addresses the reader recorded: each directory's value
/// and each rule's `{` as offsets of `text`, checked against the text (a rule whose start is
/// not where its first key says is [`locate::UNKNOWN`]); none at all when a directory is not
/// where it should be or the numbers of rules differ from the configuration's.
fn anchors_of(text: &str, config: &Configuration, read: Vec<anchors::Read>) -> Anchors {
    let b = text.as_bytes();
    let base = text.as_ptr() as usize;
    let rule_start = |addr: usize| -> usize {
        // The key's opening quote, then back over white space to the object's `{`.
        let Some(quote) = addr.checked_sub(base + 1).filter(|&q| q < b.len()) else {
            return locate::UNKNOWN;
        };
        if b[quote] != b'"' {
            return locate::UNKNOWN;
        }
        let mut i = quote;
        while i > 0 && is_ws(b[i - 1]) {
            i -= 1;
        }
        if i > 0 && b[i - 1] == b'{' {
            i - 1
        } else {
            locate::UNKNOWN
        }
    };
    if read.is_empty() || read.len() != config.onpremises_directories.len() {
        return Anchors::default();
    }
    let mut out = Vec::with_capacity(read.len());
    let mut end = 0;
    for (((addr, len), (standard, custom)), dir) in
        read.into_iter().zip(&config.onpremises_directories)
    {
        let Some(start) = addr
            .checked_sub(base)
            .filter(|&s| s >= end && b.get(s) == Some(&b'{'))
        else {
            return Anchors::default();
        };
        end = start + len;
        if end > b.len() || b[end - 1] != b'}' {
            return Anchors::default();
        }
        if standard.len() != dir.standard_rules.len() || custom.len() != dir.custom_rules.len() {
            return Anchors::default();
        }
        out.push(locate::DirectoryAnchors {
            start,
            standard: standard.into_iter().map(rule_start).collect(),
            custom: custom.into_iter().map(rule_start).collect(),
        });
    }
    // The array around them: back from the first to its `[`, on from the last past its `]`.
    let mut first = out[0].start;
    while first > 0 && is_ws(b[first - 1]) {
        first -= 1;
    }
    let mut last = end;
    while last < b.len() && is_ws(b[last]) {
        last += 1;
    }
    if first == 0 || b[first - 1] != b'[' || b.get(last) != Some(&b']') {
        return Anchors::default();
    }
    Anchors::new(out, first - 1..last + 1)
}

/// Where the directories' value starts in a large file that ends with a digest record, if
/// the file has the writer's shape there; a guess that [`read_settings_spans`] checks.
fn directories_guess(text: &str) -> Option<usize> {
    const KEY: &str = "\n  \"onpremisesDirectoryPolicy\": ";
    let tail = text.len().saturating_sub(8 << 10);
    if text.len() < PARALLEL_BYTES || !text.is_char_boundary(tail) {
        return None;
    }
    text[tail..].contains("\"digest\": {").then_some(())?;
    text.find(KEY).map(|i| i + KEY.len())
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The byte range of each digested section in `text`, in the order of [`keys::TOP`], found
/// from where the reader met the keys: a section is the value of its top-level key, exactly as
/// it stands, and the extension part is its object's inside up to the `,` before its digest
/// entry, which must be the object's last entry (as the writer hashes them). `None` when a
/// section is missing, a key is not borrowed from the text (escapes), or the digest entry is
/// not last: the digest is then checked by writing the sections again.
fn section_spans(text: &str, top: &TopLevel) -> Option<Vec<std::ops::Range<usize>>> {
    let b = text.as_bytes();
    let base = text.as_ptr() as usize;
    // The key's opening quote and the byte after its closing quote.
    let quotes = |k: &KeyAt| -> Option<(usize, usize)> {
        let (addr, len) = k.at?;
        let start = addr.checked_sub(base)?;
        let end = start.checked_add(len)?;
        (start > 0 && end < b.len() && b[start - 1] == b'"' && b[end] == b'"')
            .then_some((start - 1, end + 1))
    };
    let back_ws = |mut i: usize| {
        while i > 0 && is_ws(b[i - 1]) {
            i -= 1;
        }
        i
    };
    // The end of the value before a key that starts at `quote` (an entry's `,` between).
    let before_key = |quote: usize| -> Option<usize> {
        let comma = back_ws(quote);
        (comma > 0 && b[comma - 1] == b',').then(|| back_ws(comma - 1))
    };
    let value_start = |after_key: usize| -> Option<usize> {
        let mut i = after_key;
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        (i < b.len() && b[i] == b':').then_some(())?;
        i += 1;
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        Some(i)
    };
    let close = back_ws(b.len());
    (close > 0 && b[close - 1] == b'}').then_some(())?;
    let object_end = back_ws(close - 1);
    let mut spans: Vec<Option<std::ops::Range<usize>>> = vec![None; keys::TOP.len()];
    for (j, k) in top.keys.iter().enumerate() {
        let Some(i) = k.index else { continue };
        let (_, after) = quotes(k)?;
        let start = value_start(after)?;
        let end = match top.keys.get(j + 1) {
            Some(next) => before_key(quotes(next)?.0)?,
            None => object_end,
        };
        (start < end).then_some(())?;
        spans[i] = Some(start..end);
    }
    // The extension part: inside its braces, up to the entry before the digest.
    let ext = spans[keys::TOP.len() - 1].clone()?;
    (b[ext.start] == b'{' && b[ext.end - 1] == b'}').then_some(())?;
    let last = top.ext.as_ref()?.keys.last()?;
    (last.index == Some(keys::EXT.len() - 1)).then_some(())?;
    let (quote, _) = quotes(last)?;
    (ext.start < quote && quote < ext.end).then_some(())?;
    let end = before_key(quote)?;
    (ext.start < end).then_some(())?;
    spans[keys::TOP.len() - 1] = Some(ext.start + 1..end);
    spans.into_iter().collect()
}

/// Reads one rule in the settings-file rule shape (as `write_rule` writes it).
pub fn read_rule(bytes: &[u8], file: &str) -> Result<SyncRule, ReadError> {
    let De(rule) = read_value::<SyncRule>(
        &decode_or_error(bytes, file)?,
        file,
        "a rule file is one JSON object, as `syncpolicy rule show --format json` prints",
    )?;
    Ok(rule)
}

fn decode_or_error<'a>(
    bytes: &'a [u8],
    file: &str,
) -> Result<std::borrow::Cow<'a, str>, ReadError> {
    decode(bytes)
        .map(|(text, _)| text)
        .map_err(|e| encoding_error(&e, file))
}

/// The read error of bytes that could not be decoded (see [`crate::encoding::decode_owned`]).
pub fn encoding_error(e: &DecodeError, file: &str) -> ReadError {
    ReadError {
        kind: ReadErrorKind::Encoding,
        file: file.to_owned(),
        json_path: None,
        line: None,
        column: None,
        message: format!("{} (byte offset {})", e.message, e.offset),
        hint: "save the file as UTF-8 or as UTF-16 with a byte-order mark".to_owned(),
    }
}

/// Deserializes one whole JSON text into `De<T>`. The first read keeps no JSON path (the
/// success path pays nothing for errors); when it fails, the text is read again tracking the
/// path, to name the place. A value the reader keeps as is that nests close to [`MAX_DEPTH`]
/// stops the first read; then one scan of the text decides whether the limit is passed.
fn read_value<'de, T>(text: &'de str, file: &str, empty_hint: &str) -> Result<De<T>, ReadError>
where
    De<T>: Deserialize<'de>,
{
    let _free = scratch::FreeAfter;
    if text.trim().is_empty() {
        return Err(ReadError {
            kind: ReadErrorKind::Empty,
            file: file.to_owned(),
            json_path: None,
            line: None,
            column: None,
            message: "the file is empty".to_owned(),
            hint: empty_hint.to_owned(),
        });
    }
    let first = parse_fast::<T>(text);
    let err = match first {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let _allow = if is_deep_candidate(&err) {
        if let Some((offset, path)) = first_too_deep(text, MAX_DEPTH) {
            return Err(too_deep(text, file, offset, path));
        }
        // Deep, but within the limit after all: read again without stopping at deep values.
        let allow = AllowDeep::set();
        if let Ok(v) = parse_fast::<T>(text) {
            return Ok(v);
        }
        Some(allow)
    } else {
        None
    };
    let _sequential = Sequential::set();
    let mut de = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    De::<T>::deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
        .and_then(|v| de.end().map(|()| v))
        .map_err(|err| classify(err, track.path().to_string(), text, file))
}

fn parse_fast<'de, T>(text: &'de str) -> Result<De<T>, serde_json::Error>
where
    De<T>: Deserialize<'de>,
{
    let mut de = serde_json::Deserializer::from_str(text);
    let v = De::<T>::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// Message of the error that stops the first read at a deep preserved value.
const DEEP_CANDIDATE: &str = "a value nested close to the depth limit";

fn is_deep_candidate(err: &serde_json::Error) -> bool {
    err.classify() == serde_json::error::Category::Data
        && err.to_string().starts_with(DEEP_CANDIDATE)
}

thread_local! {
    /// Set while a text known to be within [`MAX_DEPTH`] is read again (see [`read_value`]).
    static ALLOW_DEEP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

thread_local! {
    /// Set while a text is read again to name the place of an error: directories are then read
    /// one after the other, as part of the whole text (see [`directories`]).
    static SEQUENTIAL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Sets [`SEQUENTIAL`] for this thread until dropped.
struct Sequential;

impl Sequential {
    fn set() -> Self {
        SEQUENTIAL.with(|a| a.set(true));
        Sequential
    }
}

impl Drop for Sequential {
    fn drop(&mut self) {
        SEQUENTIAL.with(|a| a.set(false));
    }
}

/// Bytes of directories below which they are read on one thread.
const PARALLEL_BYTES: usize = 4 << 20;

/// The on-premises directories. In a large file (nearly all of it is directories) the list is
/// first only delimited, then its directories are read on the machine's cores, each exactly as
/// the one-thread read would read it; any problem is left to the one-thread read again, which
/// names its place in the whole file.
fn directories<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Vec<OnPremisesDirectory>, A::Error> {
    let record = anchors::WANTED.with(std::cell::Cell::get);
    anchors::READ.with(|r| r.borrow_mut().take());
    if SEQUENTIAL.with(std::cell::Cell::get) {
        return list(map);
    }
    let Some(items) = map.next_value::<Option<Vec<&'de RawValue>>>()? else {
        return Ok(Vec::new());
    };
    let bytes: usize = items.iter().map(|r| r.get().len()).sum();
    let threads = if bytes < PARALLEL_BYTES || items.len() < 2 {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4)
            .min(items.len())
    };
    let allow_deep = ALLOW_DEEP.with(std::cell::Cell::get);
    type Chunk = (Vec<OnPremisesDirectory>, Vec<anchors::RuleKeys>);
    let read_chunk = |chunk: &[&'de RawValue]| -> Result<Chunk, serde_json::Error> {
        let _allow = allow_deep.then(AllowDeep::set);
        let _free = scratch::FreeAfter;
        let _recording = record.then(|| anchors::Recording::start(chunk.len()));
        let dirs = chunk
            .iter()
            .map(|raw| parse_fast::<OnPremisesDirectory>(raw.get()).map(|d| d.0))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((dirs, anchors::Recording::take()))
    };
    // Chunks of about equal size, in order.
    let mut chunks: Vec<&[&'de RawValue]> = Vec::with_capacity(threads);
    let (mut from, mut acc) = (0, 0);
    for (i, raw) in items.iter().enumerate() {
        acc += raw.get().len();
        if acc * threads >= bytes * (chunks.len() + 1) || i + 1 == items.len() {
            chunks.push(&items[from..=i]);
            from = i + 1;
        }
    }
    let results: Vec<Result<Chunk, serde_json::Error>> = if chunks.len() <= 1 {
        chunks.iter().map(|c| read_chunk(c)).collect()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = chunks[1..]
                .iter()
                .map(|&c| s.spawn(move || read_chunk(c)))
                .collect();
            let mut out = vec![read_chunk(chunks[0])];
            for (h, &c) in handles.into_iter().zip(&chunks[1..]) {
                // A reading thread cannot fail but by a bug; its chunk is then read here.
                out.push(h.join().unwrap_or_else(|_| read_chunk(c)));
            }
            out
        })
    };
    let mut out = Vec::with_capacity(items.len());
    let mut rules = Vec::with_capacity(if record { items.len() } else { 0 });
    for r in results {
        match r {
            Ok((dirs, keys)) => {
                out.extend(dirs);
                rules.extend(keys);
            }
            Err(e) if is_deep_candidate(&e) => return Err(de::Error::custom(DEEP_CANDIDATE)),
            Err(_) => {
                return Err(de::Error::custom(
                    "a directory could not be read (the file is read again to name the place)",
                ))
            }
        }
    }
    if record && rules.len() == items.len() {
        let starts = items.iter().map(|raw| {
            let r = raw.get();
            (r.as_ptr() as usize, r.len())
        });
        let read = starts.zip(rules).collect();
        anchors::READ.with(|r| *r.borrow_mut() = Some(read));
    }
    Ok(out)
}

/// What the reader records of where the directories and their rules are in the text, for
/// [`crate::locate::Anchors`] (only while [`read_settings_spans`] reads): addresses, turned
/// into offsets of the text once the read is done.
mod anchors {
    use std::cell::{Cell, RefCell};

    /// The addresses of the first keys of a directory's standard and custom rules (0 where a
    /// rule's first key is not borrowed from the text).
    pub(super) type RuleKeys = (Vec<usize>, Vec<usize>);

    /// One directory as read: its value's address and length, and its rules' first keys.
    pub(super) type Read = ((usize, usize), RuleKeys);

    thread_local! {
        /// Set while a read should record the directories' places.
        pub(super) static WANTED: Cell<bool> = const { Cell::new(false) };
        /// After the directories were read on this thread: each one's address and length, and
        /// its rule keys.
        pub(super) static READ: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
        /// While this thread reads directories to record: the rule keys of each one read.
        static DIRECTORIES: RefCell<Option<Vec<RuleKeys>>> = const { RefCell::new(None) };
        /// While a directory's rule list is read: the first key's address of each rule.
        static RULES: RefCell<Option<Vec<usize>>> = const { RefCell::new(None) };
    }

    /// Records, on this thread until dropped, the rule keys of each directory read.
    pub(super) struct Recording;

    impl Recording {
        pub(super) fn start(directories: usize) -> Self {
            DIRECTORIES.with(|d| *d.borrow_mut() = Some(Vec::with_capacity(directories)));
            Recording
        }

        /// The rule keys recorded so far, in the order the directories were read.
        pub(super) fn take() -> Vec<RuleKeys> {
            DIRECTORIES.with(|d| {
                d.borrow_mut()
                    .as_mut()
                    .map(std::mem::take)
                    .unwrap_or_default()
            })
        }
    }

    impl Drop for Recording {
        fn drop(&mut self) {
            DIRECTORIES.with(|d| d.borrow_mut().take());
        }
    }

    /// True while this thread records directories.
    pub(super) fn recording() -> bool {
        DIRECTORIES.with(|d| d.borrow().is_some())
    }

    /// Reads a rule list with `read`, recording its rules' first keys.
    pub(super) fn rule_list<R>(read: impl FnOnce() -> R) -> (R, Vec<usize>) {
        let before = RULES.with(|r| r.borrow_mut().replace(Vec::new()));
        let out = read();
        let keys = RULES.with(|r| std::mem::replace(&mut *r.borrow_mut(), before));
        (out, keys.unwrap_or_default())
    }

    /// Records a rule's first key (`None`: not borrowed, or no key) while a list records.
    pub(super) fn rule(first_key: Option<usize>) {
        RULES.with(|r| {
            if let Some(keys) = r.borrow_mut().as_mut() {
                keys.push(first_key.unwrap_or(0));
            }
        });
    }

    /// Records a directory's rule keys while this thread records directories.
    pub(super) fn directory(keys: RuleKeys) {
        DIRECTORIES.with(|d| {
            if let Some(dirs) = d.borrow_mut().as_mut() {
                dirs.push(keys);
            }
        });
    }
}

/// Sets [`ALLOW_DEEP`] for this thread until dropped.
struct AllowDeep;

impl AllowDeep {
    fn set() -> Self {
        ALLOW_DEEP.with(|a| a.set(true));
        AllowDeep
    }
}

impl Drop for AllowDeep {
    fn drop(&mut self) {
        ALLOW_DEEP.with(|a| a.set(false));
    }
}

fn too_deep(text: &str, file: &str, offset: usize, path: String) -> ReadError {
    let (line, column) = line_column(text, offset);
    ReadError {
        kind: ReadErrorKind::TooDeep,
        file: file.to_owned(),
        json_path: Some(path),
        line: Some(line),
        column: Some(column),
        message: format!(
            "arrays and objects nest more than {MAX_DEPTH} levels deep here (the limit of settings and rule files)"
        ),
        hint: "no setting nests this deep; remove the deeply nested value, or export the configuration again".to_owned(),
    }
}

/// Where the value at `path` starts (the whole text for the empty path), if the path is found.
fn value_start(text: &str, path: &str) -> Option<crate::locate::Position> {
    if path.is_empty() {
        let offset = text.len() - text.trim_start().len();
        let (line, column) = line_column(text, offset);
        return Some(crate::locate::Position {
            line,
            column,
            offset,
        });
    }
    crate::locate::locate_paths(text, &[path])
        .into_iter()
        .next()
        .flatten()
}

fn classify(err: serde_json::Error, path: String, text: &str, file: &str) -> ReadError {
    let full = err.to_string();
    let message = match full.rsplit_once(" at line ") {
        Some((m, _)) => m.to_owned(),
        None => full,
    };
    let (mut line, mut column) = (err.line() as u32, err.column() as u32);
    if line == 0 {
        let (l, c) = line_column(text, text.len());
        line = l;
        column = c;
    }
    column = column.max(1);
    // serde_path_to_error writes `?` for a place it could not name (e.g. after a trailing
    // comma); drop those segments rather than show them.
    let exact_path = !path.split('.').any(|seg| seg == "?");
    let mut path = path
        .split('.')
        .filter(|seg| !seg.is_empty() && *seg != "?")
        .collect::<Vec<_>>()
        .join(".");
    if let Some(key) = message
        .strip_prefix("duplicate key `")
        .and_then(|m| m.split('`').next())
    {
        path = if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        };
    }
    let (kind, message, hint) = match err.classify() {
        serde_json::error::Category::Eof => (
            ReadErrorKind::Truncated,
            format!("the file ends before the JSON is complete ({message})"),
            "the file was cut short (a copy or download did not finish); export it again",
        ),
        serde_json::error::Category::Syntax => (
            ReadErrorKind::NotJson,
            format!("this is not valid JSON: {message}"),
            "a settings file is one JSON object; check for a stray character or a missing comma or quote near this place",
        ),
        serde_json::error::Category::Io => (
            ReadErrorKind::NotJson,
            message,
            "read the file again",
        ),
        serde_json::error::Category::Data if message.starts_with("duplicate key") => (
            ReadErrorKind::DuplicateKey,
            message,
            "remove one of the two entries; a key may appear only once in an object",
        ),
        serde_json::error::Category::Data => {
            let (words, expected) = crate::error::in_product_words(&message);
            // serde reports where it stopped reading (after the value, at the comma of a
            // number): point at the value's first character instead.
            if let Some(at) = value_start(text, &path).filter(|_| exact_path) {
                (line, column) = (at.line, at.column);
            }
            let hint = match expected {
                Some(e) => format!("write {e} here (`syncpolicy validate --explain SP904` says more)"),
                None => "correct the value to the expected type (`syncpolicy validate --explain SP904` says more)"
                    .to_owned(),
            };
            return ReadError {
                kind: ReadErrorKind::WrongType,
                file: file.to_owned(),
                json_path: Some(path),
                line: Some(line),
                column: Some(column),
                message: format!("wrong value: {words}"),
                hint,
            };
        }
    };
    ReadError {
        kind,
        file: file.to_owned(),
        json_path: Some(path),
        line: Some(line),
        column: Some(column),
        message,
        hint: hint.to_owned(),
    }
}

/// Newtype that lets this crate implement `Deserialize` for model types.
struct De<T>(T);

/// An object key, borrowed from the input when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// Walks one JSON object: known keys go to `field` with their index in `table`, unknown keys
/// are kept with their position. Returns the preserved fields and which known keys were seen.
fn walk<'de, A, T>(
    map: A,
    table: &[&str],
    value: &mut T,
    field: impl FnMut(&mut T, usize, &mut A) -> Result<(), A::Error>,
) -> Result<(Preserved, u64), A::Error>
where
    A: MapAccess<'de>,
{
    walk_keys(map, table, value, field, |_, _| {})
}

/// [`walk`], also telling `on_key` of every key in order: where it is in the input text (its
/// address and length, when the key is borrowed from the input) and its index in `table`.
fn walk_keys<'de, A, T>(
    mut map: A,
    table: &[&str],
    value: &mut T,
    mut field: impl FnMut(&mut T, usize, &mut A) -> Result<(), A::Error>,
    mut on_key: impl FnMut(&mut T, KeyAt),
) -> Result<(Preserved, u64), A::Error>
where
    A: MapAccess<'de>,
{
    let mut preserved = Preserved::default();
    // Keys of the preserved fields, once there are many (a plain scan below that).
    let mut preserved_keys: Option<std::collections::HashSet<String>> = None;
    let mut seen: u64 = 0;
    let mut next_index = 0usize;
    while let Some(key) = map.next_key::<Key<'de>>()? {
        let at = match &key {
            Key::Borrowed(k) => Some((k.as_ptr() as usize, k.len())),
            Key::Owned(_) => None,
        };
        let key = key.as_str();
        let index = index_of(table, key);
        on_key(value, KeyAt { at, index });
        match index {
            Some(i) => {
                if seen & (1 << i) != 0 {
                    return Err(de::Error::custom(format!(
                        "duplicate key `{key}` in one object"
                    )));
                }
                seen |= 1 << i;
                next_index = i + 1;
                field(value, i, &mut map)?;
            }
            None => {
                let duplicate = match &mut preserved_keys {
                    Some(keys) => !keys.insert(key.to_owned()),
                    None => {
                        let dup = preserved.0.iter().any(|f| f.key == key);
                        if preserved.0.len() >= 16 {
                            let mut keys: std::collections::HashSet<String> =
                                preserved.0.iter().map(|f| f.key.clone()).collect();
                            keys.insert(key.to_owned());
                            preserved_keys = Some(keys);
                        }
                        dup
                    }
                };
                if duplicate {
                    return Err(de::Error::custom(format!(
                        "duplicate key `{key}` in one object"
                    )));
                }
                let raw_value: &'de RawValue = map.next_value()?;
                let compact = match raw::compact_within(raw_value.get(), MAX_DEPTH - SCHEMA_DEPTH) {
                    Some(c) => c,
                    None if ALLOW_DEEP.with(std::cell::Cell::get) => raw::compact(raw_value.get()),
                    None => return Err(de::Error::custom(DEEP_CANDIDATE)),
                };
                preserved.push(key, compact, next_index);
            }
        }
    }
    Ok((preserved, seen))
}

fn opt_string<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<String>, A::Error> {
    map.next_value::<Option<String>>()
}

fn string<'de, A: MapAccess<'de>>(map: &mut A) -> Result<String, A::Error> {
    Ok(map.next_value::<Option<String>>()?.unwrap_or_default())
}

fn boolean<'de, A: MapAccess<'de>>(map: &mut A, default: bool) -> Result<bool, A::Error> {
    Ok(map.next_value::<Option<bool>>()?.unwrap_or(default))
}

fn strings<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Vec<String>, A::Error> {
    Ok(map.next_value::<Option<Vec<String>>>()?.unwrap_or_default())
}

fn list<'de, A, T>(map: &mut A) -> Result<Vec<T>, A::Error>
where
    A: MapAccess<'de>,
    T: 'static,
    De<T>: Deserialize<'de>,
{
    Ok(map
        .next_value::<Option<Exact<T>>>()?
        .map_or_else(Vec::new, |e| e.0))
}

/// A list read into an allocation of exactly its length, with no other allocation on the
/// way: its elements are first collected in this thread's scratch vector for their type
/// (kept from list to list, see [`scratch`]), then moved into a vector of their number.
/// serde's own vector grows by doubling, so a list of n elements allocated and freed about
/// 2n more (and the slack, copied away, one n more): in a 50 MB file 94 MiB were allocated
/// and freed while the 54 MiB model was read, and the allocator kept much of it resident.
struct Exact<T>(Vec<T>);

impl<'de, T: 'static> Deserialize<'de> for Exact<T>
where
    De<T>: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: 'static> Visitor<'de> for V<T>
        where
            De<T>: Deserialize<'de>,
        {
            type Value = Exact<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // serde's own words for a vector, so that errors read as before.
                f.write_str("a sequence")
            }
            fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Exact<T>, S::Error> {
                let mut items = scratch::take::<T>();
                while let Some(De(item)) = seq.next_element::<De<T>>()? {
                    items.push(item);
                }
                // A new allocation of exactly their number; the scratch keeps its capacity.
                let mut out = Vec::with_capacity(items.len());
                out.append(&mut items);
                scratch::give(items);
                Ok(Exact(out))
            }
        }
        d.deserialize_seq(V(std::marker::PhantomData))
    }
}

/// Scratch vectors of the reader's lists ([`Exact`]), one per element type and thread. A
/// list takes its type's vector (a list of the same type inside it gets a new one) and gives
/// it back empty; a vector of more than [`SCRATCH_BYTES`] is freed instead of kept, and
/// [`scratch::FreeAfter`] frees them all when a read is done.
mod scratch {
    use std::any::{Any, TypeId};
    use std::cell::RefCell;

    thread_local! {
        static KEPT: RefCell<Vec<(TypeId, Box<dyn Any>)>> = const { RefCell::new(Vec::new()) };
    }

    /// Capacity kept between lists, in bytes of elements.
    const SCRATCH_BYTES: usize = 1 << 20;

    /// This thread's empty scratch vector for `T` (a new one when it is in use or freed).
    pub(super) fn take<T: 'static>() -> Vec<T> {
        KEPT.with(|k| {
            k.borrow_mut()
                .iter_mut()
                .find(|(id, _)| *id == TypeId::of::<T>())
                .and_then(|(_, v)| v.downcast_mut::<Vec<T>>())
                .map(std::mem::take)
                .unwrap_or_default()
        })
    }

    /// Gives back a scratch vector (emptied) for the next list of its type.
    pub(super) fn give<T: 'static>(mut v: Vec<T>) {
        v.clear();
        if v.capacity() == 0 || v.capacity().saturating_mul(size_of::<T>()) > SCRATCH_BYTES {
            return;
        }
        KEPT.with(|k| {
            let mut kept = k.borrow_mut();
            match kept
                .iter_mut()
                .find(|(id, _)| *id == TypeId::of::<T>())
                .and_then(|(_, old)| old.downcast_mut::<Vec<T>>())
            {
                Some(old) if old.capacity() < v.capacity() => *old = v,
                Some(_) => {}
                None => kept.push((TypeId::of::<T>(), Box::new(v))),
            }
        });
    }

    /// Frees this thread's scratch vectors when dropped (at the end of a read).
    pub(super) struct FreeAfter;

    impl Drop for FreeAfter {
        fn drop(&mut self) {
            // During a thread's exit the vectors are freed with it.
            let _ = KEPT.try_with(|k| k.borrow_mut().clear());
        }
    }
}

fn groups<'de, A, T>(map: &mut A) -> Result<Vec<Vec<T>>, A::Error>
where
    A: MapAccess<'de>,
    T: 'static,
    De<T>: Deserialize<'de>,
{
    Ok(map
        .next_value::<Option<Vec<Option<Exact<T>>>>>()?
        .unwrap_or_default()
        .into_iter()
        .map(|g| g.map_or_else(Vec::new, |e| e.0))
        .collect())
}

fn object<'de, A, T>(map: &mut A) -> Result<Option<T>, A::Error>
where
    A: MapAccess<'de>,
    De<T>: Deserialize<'de>,
{
    Ok(map.next_value::<Option<De<T>>>()?.map(|d| d.0))
}

macro_rules! de_object {
    ($ty:ty, $expecting:literal, $visit:ident) => {
        impl<'de> Deserialize<'de> for De<$ty> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = De<$ty>;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                        $visit(map).map(De)
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
}

/// The top level as read, before the extension part is attached.
struct TopLevel {
    config: Configuration,
    ext: Option<ExtRead>,
    /// The top-level keys in input order (for [`SectionSpans`]).
    keys: Vec<KeyAt>,
}

/// Where a key of an object is in the input text, and which known key it is.
#[derive(Debug, Clone, Copy)]
struct KeyAt {
    /// Address and length of the key's characters (inside the quotes), when borrowed from the
    /// input (a key with escapes is not).
    at: Option<(usize, usize)>,
    /// Index in the object's key table; `None` for an unknown key.
    index: Option<usize>,
}

de_object!(
    TopLevel,
    "the settings object (a JSON object with policyMetadata, azureDirectoryPolicy, ...)",
    visit_top
);

fn visit_top<'de, A: MapAccess<'de>>(map: A) -> Result<TopLevel, A::Error> {
    let mut top = TopLevel {
        config: Configuration::default(),
        ext: None,
        keys: Vec::with_capacity(keys::TOP.len()),
    };
    let (preserved, seen) = walk_keys(
        map,
        &keys::TOP,
        &mut top,
        |t, i, map| {
            let c = &mut t.config;
            match i {
                0 => c.policy_metadata = object(map)?.unwrap_or_default(),
                1 => c.deployment_metadata = object(map)?.unwrap_or_default(),
                2 => {
                    c.sign_in = SignIn {
                        tokens: strings(map)?,
                    }
                }
                3 => c.password_writeback = boolean(map, false)?,
                4 => c.identity_mapping = object(map)?.unwrap_or_default(),
                5 => c.exchange = object(map)?.unwrap_or_default(),
                6 => c.metaverse_extensions = object(map)?.unwrap_or_default(),
                7 => c.azure_directory = object(map)?.unwrap_or_default(),
                8 => c.onpremises_directories = directories(map)?,
                _ => t.ext = object(map)?,
            }
            Ok(())
        },
        |t, k| t.keys.push(k),
    )?;
    top.config.preserved = preserved;
    for (i, section) in [
        (2, RequiredSection::AuthenticationPolicy),
        (4, RequiredSection::IdentityMappingPolicy),
        (7, RequiredSection::AzureDirectoryPolicy),
        (8, RequiredSection::OnpremisesDirectoryPolicy),
    ] {
        if seen & (1 << i) == 0 {
            top.config.missing_sections.push(section);
        }
    }
    Ok(top)
}

de_object!(PolicyMetadata, "the policyMetadata object", visit_policy);
fn visit_policy<'de, A: MapAccess<'de>>(map: A) -> Result<PolicyMetadata, A::Error> {
    let mut v = PolicyMetadata::default();
    v.preserved = walk(map, &keys::POLICY_METADATA, &mut v, |v, i, map| {
        match i {
            0 => v.policy_type = string(map)?,
            1 => v.author = opt_string(map)?,
            2 => v.time_created = opt_string(map)?,
            3 => v.product_version = opt_string(map)?,
            _ => v.policy_schema_version = opt_string(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    DeploymentMetadata,
    "the deploymentMetadata object",
    visit_deployment
);
fn visit_deployment<'de, A: MapAccess<'de>>(map: A) -> Result<DeploymentMetadata, A::Error> {
    let mut v = DeploymentMetadata::default();
    v.preserved = walk(map, &keys::DEPLOYMENT_METADATA, &mut v, |v, i, map| {
        match i {
            0 => v.host_name = opt_string(map)?,
            1 => v.service_account = string(map)?,
            2 => v.service_account_type = string(map)?,
            3 => v.database_type = opt_string(map)?,
            4 => v.database_server = string(map)?,
            5 => v.database_instance = string(map)?,
            6 => v.database_name = string(map)?,
            7 => v.auto_upgrade_state = opt_string(map)?.unwrap_or_else(|| "Enabled".to_owned()),
            _ => v.connector_ids = map.next_value::<Option<Vec<String>>>()?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    IdentityMapping,
    "the identityMappingPolicy object",
    visit_identity
);
fn visit_identity<'de, A: MapAccess<'de>>(map: A) -> Result<IdentityMapping, A::Error> {
    let mut v = IdentityMapping::default();
    v.preserved = walk(map, &keys::IDENTITY_MAPPING, &mut v, |v, i, map| {
        match i {
            0 => v.source_anchor_attribute = opt_string(map)?,
            1 => v.user_principal_name_attribute = opt_string(map)?,
            2 => v.user_matching_policy = opt_string(map)?,
            _ => v.user_matching_attribute = string(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    ExchangeFeatures,
    "the exchangeOnlineFeaturePolicy object",
    visit_exchange
);
fn visit_exchange<'de, A: MapAccess<'de>>(map: A) -> Result<ExchangeFeatures, A::Error> {
    let mut v = ExchangeFeatures::default();
    v.preserved = walk(map, &keys::EXCHANGE, &mut v, |v, i, map| {
        match i {
            0 => v.hybrid_deployment = boolean(map, false)?,
            _ => v.mail_public_folders = boolean(map, false)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    MetaverseExtensions,
    "the metaverseExtensionPolicy object",
    visit_metaverse
);
fn visit_metaverse<'de, A: MapAccess<'de>>(map: A) -> Result<MetaverseExtensions, A::Error> {
    let mut v = MetaverseExtensions::default();
    v.preserved = walk(map, &keys::METAVERSE, &mut v, |v, i, map| {
        match i {
            0 => v.attributes = list(map)?,
            _ => v.object_types = list(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    MetaverseAttribute,
    "a metaverse attribute object",
    visit_mv_attribute
);
fn visit_mv_attribute<'de, A: MapAccess<'de>>(map: A) -> Result<MetaverseAttribute, A::Error> {
    let mut v = MetaverseAttribute::default();
    v.preserved = walk(map, &keys::MV_ATTRIBUTE, &mut v, |v, i, map| {
        match i {
            0 => v.name = opt_string(map)?,
            1 => v.data_type = opt_string(map)?,
            2 => v.multi_valued = boolean(map, false)?,
            3 => v.encrypted = boolean(map, false)?,
            4 => v.indexed = boolean(map, false)?,
            5 => v.indexable = boolean(map, false)?,
            6 => {
                v.supported_operations = opt_string(map)?.unwrap_or_else(|| "ReadWrite".to_owned())
            }
            7 => v.sql_metadata = opt_string(map)?,
            _ => v.syntax_metadata = opt_string(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    MetaverseObjectType,
    "a metaverse object type object",
    visit_mv_object
);
fn visit_mv_object<'de, A: MapAccess<'de>>(map: A) -> Result<MetaverseObjectType, A::Error> {
    let mut v = MetaverseObjectType::default();
    v.preserved = walk(map, &keys::MV_OBJECT_TYPE, &mut v, |v, i, map| {
        match i {
            0 => v.name = opt_string(map)?,
            1 => v.class_type = opt_string(map)?.unwrap_or_else(|| "structural".to_owned()),
            2 => v.locked = boolean(map, false)?,
            _ => v.attribute_bindings = list(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    AttributeBinding,
    "an attribute binding object",
    visit_binding
);
fn visit_binding<'de, A: MapAccess<'de>>(map: A) -> Result<AttributeBinding, A::Error> {
    let mut v = AttributeBinding::default();
    v.preserved = walk(map, &keys::MV_BINDING, &mut v, |v, i, map| {
        match i {
            0 => v.name = opt_string(map)?,
            1 => v.is_anchor = boolean(map, false)?,
            2 => v.is_locked = boolean(map, false)?,
            _ => v.is_required = boolean(map, false)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    AzureDirectory,
    "the azureDirectoryPolicy object",
    visit_azure
);
fn visit_azure<'de, A: MapAccess<'de>>(map: A) -> Result<AzureDirectory, A::Error> {
    let mut v = AzureDirectory::default();
    v.preserved = walk(map, &keys::AZURE, &mut v, |v, i, map| {
        match i {
            0 => v.administrator = opt_string(map)?,
            1 => v.tenant_id = opt_string(map)?,
            2 => v.export_deletion_limit = string(map)?,
            3 => v.directory_extensions = list(map)?,
            4 => v.exported_attributes = object(map)?.unwrap_or_default(),
            5 => v.standard_rules = list(map)?,
            _ => v.custom_rules = list(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    DirectoryExtensionAttribute,
    "a directory extension object",
    visit_dir_ext
);
fn visit_dir_ext<'de, A: MapAccess<'de>>(map: A) -> Result<DirectoryExtensionAttribute, A::Error> {
    let mut v = DirectoryExtensionAttribute::default();
    v.preserved = walk(map, &keys::DIRECTORY_EXTENSION, &mut v, |v, i, map| {
        match i {
            0 => v.attribute = opt_string(map)?,
            1 => v.object_class = opt_string(map)?,
            2 => v.data_type = opt_string(map)?,
            _ => v.multi_valued = boolean(map, false)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    ExportedAttributeFilter,
    "the exportedAttributePolicy object",
    visit_exported
);
fn visit_exported<'de, A: MapAccess<'de>>(map: A) -> Result<ExportedAttributeFilter, A::Error> {
    let mut v = ExportedAttributeFilter::default();
    v.preserved = walk(map, &keys::EXPORTED_ATTRIBUTES, &mut v, |v, i, map| {
        match i {
            0 => v.application_restrictions = strings(map)?,
            _ => v.excluded_attributes = strings(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    OnPremisesDirectory,
    "an on-premises directory object",
    visit_onprem
);
fn visit_onprem<'de, A: MapAccess<'de>>(map: A) -> Result<OnPremisesDirectory, A::Error> {
    let mut v = OnPremisesDirectory::default();
    if anchors::recording() {
        // The same read, recording where each rule starts.
        let mut keys = anchors::RuleKeys::default();
        let (preserved, seen) = walk(map, &keys::ONPREM, &mut v, |v, i, map| {
            match i {
                9 => {
                    let (rules, k) = anchors::rule_list(|| list(map));
                    (v.standard_rules, keys.0) = (rules?, k);
                }
                10 => {
                    let (rules, k) = anchors::rule_list(|| list(map));
                    (v.custom_rules, keys.1) = (rules?, k);
                }
                _ => onprem_field(v, i, map)?,
            }
            Ok(())
        })?;
        anchors::directory(keys);
        v.preserved = preserved;
        v.partitions_present = seen & (1 << 8) != 0;
        return Ok(v);
    }
    let (preserved, seen) = walk(map, &keys::ONPREM, &mut v, onprem_field)?;
    v.preserved = preserved;
    v.partitions_present = seen & (1 << 8) != 0;
    Ok(v)
}

fn onprem_field<'de, A: MapAccess<'de>>(
    v: &mut OnPremisesDirectory,
    i: usize,
    map: &mut A,
) -> Result<(), A::Error> {
    {
        match i {
            0 => v.name = string(map)?,
            1 => v.unique_identifier = string(map)?,
            2 => v.forest = opt_string(map)?,
            3 => v.account = opt_string(map)?,
            4 => v.group_filtering_dn = string(map)?,
            5 => v.group_writeback_dn = string(map)?,
            6 => v.format_group_writeback_dn = boolean(map, false)?,
            7 => v.device_writeback_dn = string(map)?,
            8 => v.partitions = list(map)?,
            9 => v.standard_rules = list(map)?,
            _ => v.custom_rules = list(map)?,
        }
        Ok(())
    }
}

de_object!(Partition, "a partition object", visit_partition);
fn visit_partition<'de, A: MapAccess<'de>>(map: A) -> Result<Partition, A::Error> {
    let mut v = Partition::default();
    v.preserved = walk(map, &keys::PARTITION, &mut v, |v, i, map| {
        match i {
            0 => v.fqdn = opt_string(map)?,
            1 => v.distinguished_name = opt_string(map)?,
            2 => v.selected = boolean(map, true)?,
            3 => v.preferred_controllers = strings(map)?,
            4 => v.connectivity_options = strings(map)?,
            5 => v.inclusions = strings(map)?,
            _ => v.exclusions = strings(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(SyncRule, "a synchronization rule object", visit_rule);
fn visit_rule<'de, A: MapAccess<'de>>(map: A) -> Result<SyncRule, A::Error> {
    let mut v = SyncRule::default();
    // Where the rule's first key is in the text (for the anchors, when they are recorded).
    let mut first: Option<Option<usize>> = None;
    v.preserved = walk_keys(
        map,
        &keys::RULE,
        &mut v,
        |v, i, map| {
            match i {
                0 => v.name = opt_string(map)?,
                1 => v.unique_identifier = opt_string(map)?,
                2 => v.internal_identifier = string(map)?,
                3 => v.description = string(map)?,
                4 => v.source_object_type = opt_string(map)?,
                5 => v.target_object_type = opt_string(map)?,
                6 => v.link_type = opt_string(map)?.map(|s| LinkType::parse(&s)),
                7 => v.immutable_tag = opt_string(map)?,
                8 => v.disabled = boolean(map, false)?,
                9 => v.direction = opt_string(map)?.map(|s| Direction::parse(&s)),
                10 => v.precedence = map.next_value::<Option<i32>>()?.unwrap_or(0),
                11 => v.password_hash_sync_target = boolean(map, false)?,
                12 => v.join_groups = groups(map)?,
                13 => v.scope_groups = groups(map)?,
                _ => v.mappings = list(map)?,
            }
            Ok(())
        },
        |_, k| {
            if first.is_none() {
                first = Some(k.at.map(|(addr, _)| addr));
            }
        },
    )?
    .0;
    anchors::rule(first.flatten());
    Ok(v)
}

de_object!(JoinCondition, "a join condition object", visit_join);
fn visit_join<'de, A: MapAccess<'de>>(map: A) -> Result<JoinCondition, A::Error> {
    let mut v = JoinCondition::default();
    v.preserved = walk(map, &keys::JOIN, &mut v, |v, i, map| {
        match i {
            0 => v.source = opt_string(map)?,
            1 => v.destination = opt_string(map)?,
            _ => v.case_sensitive = boolean(map, false)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(ScopeCondition, "a scope condition object", visit_scope);
fn visit_scope<'de, A: MapAccess<'de>>(map: A) -> Result<ScopeCondition, A::Error> {
    let mut v = ScopeCondition::default();
    v.preserved = walk(map, &keys::SCOPE, &mut v, |v, i, map| {
        match i {
            0 => v.attribute = opt_string(map)?,
            1 => v.operator = opt_string(map)?.map(|s| ScopeOperator::parse(&s)),
            _ => v.value = string(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    AttributeMapping,
    "an attribute mapping object",
    visit_mapping
);
fn visit_mapping<'de, A: MapAccess<'de>>(map: A) -> Result<AttributeMapping, A::Error> {
    let mut v = AttributeMapping::default();
    v.preserved = walk(map, &keys::MAPPING, &mut v, |v, i, map| {
        match i {
            0 => v.flow_type = opt_string(map)?.map(|s| FlowType::parse(&s)),
            1 => {
                v.merge_type = opt_string(map)?
                    .map(|s| MergeType::parse(&s))
                    .unwrap_or_default()
            }
            2 => v.execute_once = boolean(map, false)?,
            3 => v.destination = opt_string(map)?,
            4 => v.source = string(map)?,
            5 => v.expression = string(map)?,
            _ => v.value = string(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

// ---------------------------------------------------------------------------------------
// The extension part.

/// The extension part as read, before its entries are attached to directories and rules.
struct ExtRead {
    /// The extension object's keys in input order (for [`SectionSpans`]).
    keys: Vec<KeyAt>,
    ext: Extension,
    entra: Option<ExtConnector>,
    onprem: Vec<ExtConnector>,
    rules: Vec<ExtRule>,
}

struct ExtConnector {
    unique_identifier: Option<String>,
    friendly_name: Option<String>,
    connector: ConnectorExtension,
}

struct ExtRule {
    unique_identifier: Option<String>,
    at: Option<String>,
    ext: RuleExtension,
    preserved: Preserved,
}

de_object!(ExtRead, "the x-syncpolicy extension object", visit_ext);
fn visit_ext<'de, A: MapAccess<'de>>(map: A) -> Result<ExtRead, A::Error> {
    let mut v = ExtRead {
        keys: Vec::with_capacity(keys::EXT.len()),
        ext: Extension::default(),
        entra: None,
        onprem: Vec::new(),
        rules: Vec::new(),
    };
    v.ext.preserved = walk_keys(
        map,
        &keys::EXT,
        &mut v,
        |v, i, map| {
            match i {
                0 => v.ext.format_version = map.next_value::<Option<u32>>()?,
                1 => v.ext.staging_mode = map.next_value::<Option<bool>>()?,
                2 => v.ext.scheduler = object(map)?,
                3 => v.ext.connector_order = strings(map)?,
                4 => v.entra = object(map)?,
                5 => v.onprem = list(map)?,
                6 => v.rules = list(map)?,
                7 => v.ext.global_parameters = list(map)?,
                8 => v.ext.accepted_findings = list(map)?,
                _ => v.ext.recorded_digest = object(map)?,
            }
            Ok(())
        },
        |v, k| v.keys.push(k),
    )?
    .0;
    Ok(v)
}

de_object!(Scheduler, "the scheduler object", visit_scheduler);
fn visit_scheduler<'de, A: MapAccess<'de>>(map: A) -> Result<Scheduler, A::Error> {
    let mut v = Scheduler::default();
    v.preserved = walk(map, &keys::EXT_SCHEDULER, &mut v, |v, i, map| {
        match i {
            0 => v.sync_interval = opt_string(map)?,
            1 => v.enabled = map.next_value()?,
            2 => v.maintenance_enabled = map.next_value()?,
            _ => v.purge_run_history_interval = opt_string(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    ExtConnector,
    "a connector extension object",
    visit_ext_connector
);
fn visit_ext_connector<'de, A: MapAccess<'de>>(map: A) -> Result<ExtConnector, A::Error> {
    let mut v = ExtConnector {
        unique_identifier: None,
        friendly_name: None,
        connector: ConnectorExtension::default(),
    };
    v.connector.preserved = walk(map, &keys::EXT_CONNECTOR, &mut v, |v, i, map| {
        match i {
            0 => v.unique_identifier = opt_string(map)?,
            1 => v.friendly_name = opt_string(map)?,
            2 => v.connector.name = opt_string(map)?,
            3 => v.connector.object_types = map.next_value()?,
            4 => v.connector.attribute_inclusions = map.next_value()?,
            5 => v.connector.run_profiles = list(map)?,
            _ => v.connector.provisioning_hierarchy = object(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(RunProfile, "a run profile object", visit_run_profile);
fn visit_run_profile<'de, A: MapAccess<'de>>(map: A) -> Result<RunProfile, A::Error> {
    let mut v = RunProfile::default();
    v.preserved = walk(map, &keys::EXT_RUN_PROFILE, &mut v, |v, i, map| {
        match i {
            0 => v.name = string(map)?,
            _ => v.steps = list(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(RunStep, "a run step object", visit_run_step);
fn visit_run_step<'de, A: MapAccess<'de>>(map: A) -> Result<RunStep, A::Error> {
    let mut v = RunStep::default();
    v.preserved = walk(map, &keys::EXT_RUN_STEP, &mut v, |v, i, map| {
        match i {
            0 => v.step_type = string(map)?,
            1 => v.partition = string(map)?,
            _ => {
                v.settings = list::<_, GlobalParameter>(map)?
                    .into_iter()
                    .map(|p| (p.name, p.value))
                    .collect()
            }
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    ProvisioningHierarchy,
    "a provisioning hierarchy object",
    visit_hierarchy
);
fn visit_hierarchy<'de, A: MapAccess<'de>>(map: A) -> Result<ProvisioningHierarchy, A::Error> {
    let mut v = ProvisioningHierarchy::default();
    v.preserved = walk(map, &keys::EXT_HIERARCHY, &mut v, |v, i, map| {
        match i {
            0 => v.enabled = boolean(map, false)?,
            _ => v.mappings = list(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(
    HierarchyMapping,
    "a hierarchy mapping object",
    visit_hierarchy_mapping
);
fn visit_hierarchy_mapping<'de, A: MapAccess<'de>>(map: A) -> Result<HierarchyMapping, A::Error> {
    let mut v = HierarchyMapping::default();
    v.preserved = walk(map, &keys::EXT_HIERARCHY_MAPPING, &mut v, |v, i, map| {
        match i {
            0 => v.component = string(map)?,
            1 => v.object_class = string(map)?,
            _ => v.attribute = string(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(ExtRule, "a rule extension object", visit_ext_rule);
fn visit_ext_rule<'de, A: MapAccess<'de>>(map: A) -> Result<ExtRule, A::Error> {
    let mut v = ExtRule {
        unique_identifier: None,
        at: None,
        ext: RuleExtension::default(),
        preserved: Preserved::default(),
    };
    v.preserved = walk(map, &keys::EXT_RULE, &mut v, |v, i, map| {
        match i {
            0 => v.unique_identifier = opt_string(map)?,
            1 => v.at = opt_string(map)?,
            2 => v.ext.connector_id = opt_string(map)?,
            3 => v.ext.precedence_before = opt_string(map)?,
            4 => v.ext.precedence_after = opt_string(map)?,
            _ => v.ext.soft_delete_expiry_interval = opt_string(map)?,
        }
        Ok(())
    })?
    .0;
    Ok(v)
}

de_object!(GlobalParameter, "a name/value object", visit_parameter);
fn visit_parameter<'de, A: MapAccess<'de>>(map: A) -> Result<GlobalParameter, A::Error> {
    let mut v = GlobalParameter::default();
    let (preserved, _) = walk(map, &keys::EXT_PARAMETER, &mut v, |v, i, map| {
        match i {
            0 => v.name = string(map)?,
            _ => v.value = string(map)?,
        }
        Ok(())
    })?;
    if let Some(extra) = preserved.0.first() {
        return Err(de::Error::custom(format!(
            "unexpected key `{}` in a name/value entry (expected only `name` and `value`)",
            extra.key
        )));
    }
    Ok(v)
}

de_object!(AcceptedFinding, "an accepted finding", visit_accepted);
fn visit_accepted<'de, A: MapAccess<'de>>(map: A) -> Result<AcceptedFinding, A::Error> {
    let mut v = AcceptedFinding::default();
    v.preserved = walk(map, &keys::EXT_ACCEPTED, &mut v, |v, i, map| {
        match i {
            0 => v.code = string(map)?,
            1 => v.rule = opt_string(map)?,
            2 => v.reason = string(map)?,
            3 => v.accepted_by = opt_string(map)?,
            _ => v.accepted_at = opt_string(map)?,
        }
        Ok(())
    })?
    .0;
    if v.code.trim().is_empty() {
        return Err(de::Error::custom(
            "an accepted finding needs its `code` (e.g. \"SP011\")",
        ));
    }
    if v.reason.trim().is_empty() {
        return Err(de::Error::custom(
            "an accepted finding needs a `reason`: say why the finding is accepted",
        ));
    }
    Ok(v)
}

de_object!(RecordedDigest, "the digest object", visit_digest);
fn visit_digest<'de, A: MapAccess<'de>>(map: A) -> Result<RecordedDigest, A::Error> {
    let mut v = RecordedDigest::default();
    walk(map, &keys::EXT_DIGEST, &mut v, |v, i, map| {
        match i {
            0 => v.algorithm = string(map)?,
            1 => v.content = string(map)?,
            _ => {
                v.sections = map
                    .next_value::<Option<SectionDigests>>()?
                    .map(|s| s.0)
                    .unwrap_or_default()
            }
        }
        Ok(())
    })?;
    Ok(v)
}

/// Section digests: an object of section name to hex digest, order kept.
struct SectionDigests(Vec<(String, String)>);

impl<'de> Deserialize<'de> for SectionDigests {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SectionDigests;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of section digests")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SectionDigests, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.push((k, v));
                }
                Ok(SectionDigests(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl TopLevel {
    /// Attaches the extension part's entries to the directories and rules they describe.
    fn finish(self) -> Configuration {
        let mut config = self.config;
        let Some(ext) = self.ext else {
            return config;
        };
        config.extension = ext.ext;
        if let Some(entra) = ext.entra {
            config.azure_directory.connector_id = entra.unique_identifier;
            config.azure_directory.connector = entra.connector;
        }
        let mut orphaned_connectors = Vec::new();
        // Directories by identifier and by name, in order, so that many entries and many
        // directories take linear time.
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        if !ext.onprem.is_empty() {
            for (i, d) in config.onpremises_directories.iter().enumerate() {
                by_id
                    .entry(normalize_guid(&d.unique_identifier))
                    .or_default()
                    .push(i);
            }
        }
        let names: Vec<String> = config
            .onpremises_directories
            .iter()
            .map(|d| d.name.clone())
            .collect();
        if !ext.onprem.is_empty() {
            for (i, name) in names.iter().enumerate() {
                by_name.entry(name.as_str()).or_default().push(i);
            }
        }
        for entry in ext.onprem {
            let candidates = match (&entry.unique_identifier, &entry.friendly_name) {
                (Some(id), _) if !id.trim().is_empty() => by_id.get(&normalize_guid(id)),
                (_, Some(name)) => by_name.get(name.as_str()),
                _ => None,
            };
            let dirs = &mut config.onpremises_directories;
            let found = candidates
                .into_iter()
                .flatten()
                .copied()
                .find(|&i| dirs[i].connector.is_empty())
                .map(|i| &mut dirs[i]);
            match found {
                Some(d) => d.connector = entry.connector,
                None => orphaned_connectors.push(crate::write::connector_entry_json(
                    entry.unique_identifier.as_deref(),
                    entry.friendly_name.as_deref(),
                    &entry.connector,
                )),
            }
        }
        config.extension.orphaned_connector_entries = orphaned_connectors;
        if !ext.rules.is_empty() {
            attach_rules(&mut config, ext.rules);
        }
        config
    }
}

fn attach_rules(config: &mut Configuration, entries: Vec<ExtRule>) {
    let mut by_id: HashMap<String, Vec<RuleLocation>> = HashMap::new();
    let mut by_at: HashMap<String, RuleLocation> = HashMap::new();
    for (at, rule) in config.rules() {
        if let Some(id) = rule
            .unique_identifier
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            by_id.entry(normalize_guid(id)).or_default().push(at);
        }
        by_at.insert(crate::paths::rule(at), at);
    }
    for list in by_id.values_mut() {
        list.reverse();
    }
    let mut orphans = Vec::new();
    for entry in entries {
        let slot = match entry
            .unique_identifier
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            Some(id) => by_id.get_mut(&normalize_guid(id)).and_then(Vec::pop),
            None => entry.at.as_deref().and_then(|at| by_at.remove(at)),
        };
        let rule = slot.and_then(|at| config.rule_mut(at));
        match rule {
            Some(rule) if entry.preserved.is_empty() => rule.extension = entry.ext,
            _ => orphans.push(crate::write::rule_entry_json(
                entry.unique_identifier.as_deref(),
                entry.at.as_deref(),
                &entry.ext,
                &entry.preserved,
            )),
        }
    }
    config.extension.orphaned_rule_entries = orphans;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list read into its exact allocation has the same elements in the same order when
    /// lists of one type come long after short, inside each other (groups of conditions),
    /// and after a list that failed; a list that is not one is refused in serde's words.
    #[test]
    fn exact_lists_keep_their_elements() {
        let read = |json: &str| {
            let mut de = serde_json::Deserializer::from_str(json);
            Option::<Exact<JoinCondition>>::deserialize(&mut de).map(|e| {
                e.map(|e| {
                    assert_eq!(e.0.capacity(), e.0.len());
                    e.0.into_iter()
                        .map(|c| c.source.unwrap_or_default())
                        .collect::<Vec<_>>()
                })
            })
        };
        let long: Vec<String> = (0..300).map(|i| format!("a{i}")).collect();
        let json = |names: &[String]| {
            let items: Vec<String> = names
                .iter()
                .map(|n| format!("{{\"source\": \"{n}\", \"destination\": \"x\"}}"))
                .collect();
            format!("[{}]", items.join(","))
        };
        assert_eq!(read(&json(&long)).unwrap(), Some(long.clone()));
        assert_eq!(read(&json(&long[..2])).unwrap(), Some(long[..2].to_vec()));
        assert!(read("[{\"source\": 1}]").is_err());
        assert_eq!(read(&json(&long[5..9])).unwrap(), Some(long[5..9].to_vec()));
        assert_eq!(read("[]").unwrap(), Some(Vec::new()));
        assert_eq!(read("null").unwrap(), None);
        let err = read("\"x\"").unwrap_err().to_string();
        assert!(err.contains("expected a sequence"), "{err}");
    }

    /// The lists of a read model hold no slack (the directories' rules and the rules'
    /// mappings and conditions are the bulk of a large file's model).
    #[test]
    fn read_lists_are_exact() {
        let config = syncpolicy_samples::generate::generate(
            &syncpolicy_samples::generate::GenerateOptions {
                forests: 2,
                custom_rules_per_forest: 150,
                ous_per_domain: 2,
                seed: 3,
            },
        );
        let text = String::from_utf8(crate::write_settings(&config)).expect("UTF-8");
        let read = read_settings_str(&text, "f.json").expect("reads");
        assert_eq!(read.rule_count(), config.rule_count());
        for d in &read.onpremises_directories {
            for rules in [&d.standard_rules, &d.custom_rules] {
                assert_eq!(rules.capacity(), rules.len());
                for r in rules {
                    assert_eq!(r.mappings.capacity(), r.mappings.len());
                    for g in &r.join_groups {
                        assert_eq!(g.capacity(), g.len());
                    }
                    for g in &r.scope_groups {
                        assert_eq!(g.capacity(), g.len());
                    }
                }
            }
        }
    }
}
