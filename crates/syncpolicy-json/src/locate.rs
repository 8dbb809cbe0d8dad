//! Finds where JSON paths are in a settings file's text, in one pass, so that findings made
//! on the model can point into the file: byte offsets of the values at a set of JSON paths
//! (`a.b[1][2].c`; the empty path is the top-level value), and their lines and columns. The
//! paths are merged into a trie so the scan follows only the branches some path needs. With
//! the [`Anchors`] the reader recorded (where each directory and each of its rules starts),
//! a path into a rule is looked for inside that rule only.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: the keys are short and not attacker-chosen in a way that matters here (a local
/// file), and SipHash showed up in profiles of 50 MB files.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

/// Splits a path into steps; `None` for a malformed path.
fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            out.push(Step::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return None;
            }
            out.push(Step::Key(r[..end].to_owned()));
            rest = &r[end..];
        }
    }
    Some(out)
}

#[derive(Default)]
struct Node {
    keys: FastMap<String, usize>,
    indexes: FastMap<usize, usize>,
    /// Indexes of the paths that end here.
    wanted: Vec<usize>,
}

impl Node {
    fn has_children(&self) -> bool {
        !self.keys.is_empty() || !self.indexes.is_empty()
    }
}

/// Byte offsets of the values at `paths`, in the same order; `None` where a path is not found.
/// In a large text, the elements of arrays that several paths enter (the directories, their
/// rules) are scanned on all cores.
pub fn value_offsets(text: &str, paths: &[&str]) -> Vec<Option<usize>> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    offsets_on(
        text,
        paths,
        if text.len() >= PARALLEL_BYTES {
            threads
        } else {
            1
        },
    )
}

/// The trie of `paths` (malformed ones left out) and how many paths it holds.
fn trie<'p>(paths: impl Iterator<Item = (usize, &'p str)>) -> (Vec<Node>, usize) {
    let mut nodes = vec![Node::default()];
    let mut wanted = 0;
    for (i, p) in paths {
        let Some(steps) = steps(p) else { continue };
        let mut n = 0;
        for s in steps {
            let existing = match &s {
                Step::Key(k) => nodes[n].keys.get(k.as_str()).copied(),
                Step::Index(i) => nodes[n].indexes.get(i).copied(),
            };
            n = match existing {
                Some(c) => c,
                None => {
                    nodes.push(Node::default());
                    let c = nodes.len() - 1;
                    match s {
                        Step::Key(k) => nodes[n].keys.insert(k, c),
                        Step::Index(i) => nodes[n].indexes.insert(i, c),
                    };
                    c
                }
            };
        }
        nodes[n].wanted.push(i);
        wanted += 1;
    }
    (nodes, wanted)
}

/// [`value_offsets`] on `threads` cores (one: a single scan).
fn offsets_on(text: &str, paths: &[&str], threads: usize) -> Vec<Option<usize>> {
    let (nodes, wanted) = trie(paths.iter().copied().enumerate());
    let mut found = vec![None; paths.len()];
    let parallel = threads > 1;
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        nodes: &nodes,
        found: &mut found,
        remaining: wanted,
        deferred: parallel.then(Vec::new),
        jump: None,
    };
    scanner.value(Some(0));
    let deferred = scanner.deferred.take().unwrap_or_default();
    if deferred.is_empty() {
        return found;
    }
    // The deferred elements, in `threads` runs of about equal bytes, each scanned on its own
    // core into its own table; a path ends in one element only, so the tables merge.
    let total: usize = deferred.iter().map(|d| d.end - d.start).sum();
    let share = total.div_ceil(threads).max(1);
    let mut runs: Vec<&[Deferred]> = Vec::with_capacity(threads);
    let (mut from, mut bytes) = (0, 0);
    for (i, d) in deferred.iter().enumerate() {
        bytes += d.end - d.start;
        if bytes >= share || i + 1 == deferred.len() {
            runs.push(&deferred[from..=i]);
            (from, bytes) = (i + 1, 0);
        }
    }
    let scan = |run: &[Deferred]| {
        let mut own = vec![None; paths.len()];
        let mut s = Scanner {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            nodes: &nodes,
            found: &mut own,
            remaining: usize::MAX,
            deferred: None,
            jump: None,
        };
        for d in run {
            s.pos = d.start;
            s.value(Some(d.node));
        }
        own
    };
    let tables: Vec<Vec<Option<usize>>> = std::thread::scope(|sc| {
        let handles: Vec<_> = runs[1..]
            .iter()
            .map(|run| sc.spawn(move || scan(run)))
            .collect();
        let mut tables = vec![scan(runs[0])];
        for (h, run) in handles.into_iter().zip(&runs[1..]) {
            tables.push(h.join().unwrap_or_else(|_| scan(run)));
        }
        tables
    });
    for table in tables {
        for (f, t) in found.iter_mut().zip(table) {
            if f.is_none() {
                *f = t;
            }
        }
    }
    found
}

/// Texts from which [`value_offsets`] scans the elements of large arrays on several cores.
const PARALLEL_BYTES: usize = 4 << 20;

/// An array element a path enters, left for a second scan: where it starts and ends, and its
/// node.
struct Deferred {
    start: usize,
    end: usize,
    node: usize,
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    nodes: &'a [Node],
    found: &'a mut Vec<Option<usize>>,
    /// Wanted paths not found yet; the scan stops once it is zero (every later byte could
    /// only find paths found already).
    remaining: usize,
    /// When set, the elements of arrays with several wanted elements are skipped and
    /// recorded here (to be scanned on other cores), instead of being entered.
    deferred: Option<Vec<Deferred>>,
    /// A value known to hold no wanted path, skipped at once when the scan meets its start.
    jump: Option<std::ops::Range<usize>>,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos += 1;
        }
    }

    /// Scans one value, recording the paths that end at `node`.
    fn value(&mut self, node: Option<usize>) {
        self.ws();
        if let Some(n) = node {
            for &w in &self.nodes[n].wanted {
                if self.found[w].is_none() {
                    self.found[w] = Some(self.pos);
                    self.remaining = self.remaining.saturating_sub(1);
                }
            }
            if self.remaining == 0 {
                // Everything is found: the scan ends here.
                self.pos = self.bytes.len();
                return;
            }
        }
        let interesting = node.is_some_and(|n| self.nodes[n].has_children());
        match self.bytes.get(self.pos) {
            Some(b'{') if interesting => self.object(node),
            Some(b'[') if interesting => self.array(node),
            Some(b'{' | b'[') => self.skip_container(),
            Some(b'"') => self.skip_string(),
            Some(_) => {
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.pos += 1;
                }
            }
            None => {}
        }
    }

    fn object(&mut self, node: Option<usize>) {
        self.pos += 1;
        loop {
            self.ws();
            match self.bytes.get(self.pos) {
                Some(b'}') | None => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => self.pos += 1,
                Some(b'"') => {
                    let child = self.key_child(node);
                    self.ws();
                    if self.bytes.get(self.pos) == Some(&b':') {
                        self.pos += 1;
                    }
                    self.value(child);
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn array(&mut self, node: Option<usize>) {
        self.pos += 1;
        let mut index = 0;
        let several = node.is_some_and(|n| self.nodes[n].indexes.len() >= 2);
        loop {
            self.ws();
            match self.bytes.get(self.pos) {
                Some(b']') | None => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    index += 1;
                }
                Some(_) => {
                    let child = node.and_then(|n| self.nodes[n].indexes.get(&index).copied());
                    let before = self.pos;
                    match child {
                        Some(c) if self.deferred.is_some() && several => {
                            self.value(None);
                            if let Some(d) = &mut self.deferred {
                                d.push(Deferred {
                                    start: before,
                                    end: self.pos,
                                    node: c,
                                });
                            }
                        }
                        _ => self.value(child),
                    }
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
    }

    /// Skips an object or array no path enters, minding strings.
    fn skip_container(&mut self) {
        if let Some(jump) = self.jump.as_ref().filter(|j| j.start == self.pos) {
            self.pos = jump.end;
            return;
        }
        let mut depth = 0usize;
        loop {
            // Jump to the next byte that matters.
            match find(
                &self.bytes[self.pos.min(self.bytes.len())..],
                |w| {
                    has_byte(w, b'"')
                        | has_byte(w, b'{')
                        | has_byte(w, b'}')
                        | has_byte(w, b'[')
                        | has_byte(w, b']')
                },
                |b| matches!(b, b'"' | b'{' | b'}' | b'[' | b']'),
            ) {
                Some(skip) => self.pos += skip,
                None => {
                    self.pos = self.bytes.len();
                    return;
                }
            }
            match self.bytes[self.pos] {
                b'"' => {
                    self.skip_string();
                    continue;
                }
                b'{' | b'[' => depth += 1,
                _ => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
            }
            self.pos += 1;
        }
    }

    /// Skips a string starting at its opening quote.
    fn skip_string(&mut self) {
        self.pos += 1;
        loop {
            match find(
                &self.bytes[self.pos.min(self.bytes.len())..],
                |w| has_byte(w, b'"') | has_byte(w, b'\\'),
                |b| matches!(b, b'"' | b'\\'),
            ) {
                Some(skip) => self.pos += skip,
                None => {
                    self.pos = self.bytes.len();
                    return;
                }
            }
            if self.bytes[self.pos] == b'\\' {
                self.pos += 2;
            } else {
                self.pos += 1;
                return;
            }
        }
    }

    /// Reads an object key and returns the child of `node` it leads to.
    fn key_child(&mut self, node: Option<usize>) -> Option<usize> {
        let start = self.pos + 1;
        self.skip_string();
        let node = &self.nodes[node?];
        if node.keys.is_empty() {
            return None;
        }
        let end = self.pos.saturating_sub(1).max(start).min(self.bytes.len());
        // Quotes are ASCII, so the key's bytes are whole characters of the text.
        let raw = self.text.get(start..end)?;
        if raw.contains('\\') {
            node.keys.get(decode_escapes(raw).as_str()).copied()
        } else {
            node.keys.get(raw).copied()
        }
    }
}

/// True when the 8-byte word holds the byte `b` (the classic "has zero byte" test on
/// `word ^ b*0x01..01`).
fn has_byte(word: u64, b: u8) -> u64 {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = word ^ (LOW * u64::from(b));
    x.wrapping_sub(LOW) & !x & HIGH
}

/// Offset of the first byte for which `hit` holds, testing 8 bytes at a time with `word`
/// (which must be non-zero for a word that holds such a byte).
fn find(bytes: &[u8], word: impl Fn(u64) -> u64, hit: impl Fn(u8) -> bool) -> Option<usize> {
    let mut i = 0;
    while i + 8 <= bytes.len() {
        let mut chunk = [0u8; 8];
        chunk.copy_from_slice(&bytes[i..i + 8]);
        if word(u64::from_le_bytes(chunk)) != 0 {
            break;
        }
        i += 8;
    }
    bytes[i..].iter().position(|b| hit(*b)).map(|p| p + i)
}

/// Decodes the escapes of a JSON string body (without quotes); bad escapes are kept as written.
fn decode_escapes(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Line and column (1-based; the column counts characters) of a value, and its byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
}

/// Where the reader met the on-premises directories and their rules in a settings file's text
/// ([`crate::read_settings_spans`] records them; empty for text read otherwise): enough to
/// look for a path into a rule inside that rule, and for a path into a directory inside that
/// directory, instead of scanning the whole text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors {
    directories: Vec<DirectoryAnchors>,
    /// The directories' array value (from its `[` to after its `]`), which a scan for paths
    /// outside it jumps over.
    array: Option<std::ops::Range<usize>>,
}

/// One directory's value in the text, and where each of its rules' objects starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DirectoryAnchors {
    /// Byte offset of the directory's value (its `{`).
    pub(crate) start: usize,
    /// Byte offset of each standard rule's `{`, in order ([`UNKNOWN`] where the reader could
    /// not say).
    pub(crate) standard: Vec<usize>,
    /// The same for the custom rules.
    pub(crate) custom: Vec<usize>,
}

/// A rule's start the reader could not tell (its first key has escapes, or it has no key).
pub(crate) const UNKNOWN: usize = usize::MAX;

/// Key of the directories at the top level, and of their rule lists.
const DIRECTORIES_KEY: &str = crate::keys::TOP[8];
const STANDARD_KEY: &str = crate::keys::ONPREM[9];
const CUSTOM_KEY: &str = crate::keys::ONPREM[10];

impl Anchors {
    pub(crate) fn new(directories: Vec<DirectoryAnchors>, array: std::ops::Range<usize>) -> Self {
        Anchors {
            directories,
            array: Some(array),
        }
    }

    /// True when the reader recorded no directory.
    pub fn is_empty(&self) -> bool {
        self.directories.is_empty()
    }

    /// Where to look for `path`: `Ok((offset, rest))` when the path lies inside a recorded
    /// directory or rule (its value starts at `offset`, `rest` is the path inside it),
    /// `Err(true)` when the path names an element that is not in the file, `Err(false)` when
    /// the anchors do not cover the path (scan the whole text).
    fn split<'p>(&self, path: &'p str) -> Result<(usize, &'p str), bool> {
        let Some(rest) = path
            .strip_prefix(DIRECTORIES_KEY)
            .and_then(|r| r.strip_prefix('['))
        else {
            return Err(false);
        };
        let Some((d, rest)) = index_step(rest) else {
            return Err(false);
        };
        let Some(dir) = self.directories.get(d) else {
            return Err(true);
        };
        for (key, starts) in [(STANDARD_KEY, &dir.standard), (CUSTOM_KEY, &dir.custom)] {
            let Some(r) = rest
                .strip_prefix('.')
                .and_then(|r| r.strip_prefix(key))
                .and_then(|r| r.strip_prefix('['))
            else {
                continue;
            };
            let Some((j, inner)) = index_step(r) else {
                break;
            };
            return match starts.get(j) {
                None => Err(true),
                Some(&UNKNOWN) => Ok((dir.start, rest)),
                Some(&start) => Ok((start, inner)),
            };
        }
        Ok((dir.start, rest))
    }
}

/// The index of a path step whose `[` is already taken (`12]rest` -> `(12, "rest")`), read as
/// [`steps`] reads it.
fn index_step(s: &str) -> Option<(usize, &str)> {
    let end = s.find(']')?;
    Some((s[..end].parse().ok()?, &s[end + 1..]))
}

/// [`value_offsets`] of a text whose [`Anchors`] the reader recorded: the same answer, with a
/// path into a rule looked for inside the rule (up to the last path found in it), a path
/// into a directory inside the directory, and only the other paths by a scan of the whole
/// text. The groups of paths are scanned on all cores.
pub fn value_offsets_anchored(text: &str, paths: &[&str], anchors: &Anchors) -> Vec<Option<usize>> {
    if anchors.is_empty() {
        return value_offsets(text, paths);
    }
    let mut found = vec![None; paths.len()];
    // Paths by the offset of the value they are looked for in (in order of the text).
    let mut anchored: Vec<(usize, usize, &str)> = Vec::with_capacity(paths.len());
    let mut whole: Vec<&str> = Vec::new();
    let mut whole_index: Vec<usize> = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        match anchors.split(p) {
            Ok((start, rest)) if start < text.len() => anchored.push((start, i, rest)),
            Err(true) => {}
            _ => {
                whole.push(p);
                whole_index.push(i);
            }
        }
    }
    if !whole.is_empty() {
        // One scan, which jumps over the directories (no path it looks for is inside them).
        let (nodes, wanted) = trie(whole.iter().copied().enumerate());
        let mut own = vec![None; whole.len()];
        let mut s = Scanner {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            nodes: &nodes,
            found: &mut own,
            remaining: wanted,
            deferred: None,
            jump: anchors.array.clone(),
        };
        s.value(Some(0));
        for (i, o) in whole_index.into_iter().zip(own) {
            found[i] = o;
        }
    }
    anchored.sort_unstable();
    let groups: Vec<Group<'_, '_>> = anchored.chunk_by(|a, b| a.0 == b.0).collect();
    let scan = |part: &[Group<'_, '_>]| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut own: Vec<Option<usize>> = Vec::new();
        // Groups with the same paths inside (say, `precedence` of every rule) share a trie.
        let mut tries: HashMap<Vec<&str>, (Vec<Node>, usize)> = HashMap::new();
        for group in part {
            let rests: Vec<&str> = group.iter().map(|(_, _, r)| *r).collect();
            let (nodes, wanted) = tries
                .entry(rests)
                .or_insert_with_key(|rests| trie(rests.iter().copied().enumerate()));
            own.clear();
            own.resize(group.len(), None);
            let mut s = Scanner {
                text,
                bytes: text.as_bytes(),
                pos: group[0].0,
                nodes,
                found: &mut own,
                remaining: *wanted,
                deferred: None,
                jump: None,
            };
            s.value(Some(0));
            out.extend(
                group
                    .iter()
                    .zip(own.iter())
                    .filter_map(|((_, i, _), o)| o.map(|o| (*i, o))),
            );
        }
        out
    };
    let threads = if paths.len() >= PARALLEL_PATHS {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4)
            .min(groups.len().max(1))
    } else {
        1
    };
    let share = groups.len().div_ceil(threads).max(1);
    let parts: Vec<&[Group<'_, '_>]> = groups.chunks(share).collect();
    let results: Vec<Vec<(usize, usize)>> = if parts.len() <= 1 {
        parts.iter().map(|p| scan(p)).collect()
    } else {
        std::thread::scope(|sc| {
            let handles: Vec<_> = parts[1..]
                .iter()
                .map(|&p| sc.spawn(move || scan(p)))
                .collect();
            let mut out = vec![scan(parts[0])];
            for (h, &p) in handles.into_iter().zip(&parts[1..]) {
                out.push(h.join().unwrap_or_else(|_| scan(p)));
            }
            out
        })
    };
    for (i, o) in results.into_iter().flatten() {
        found[i] = Some(o);
    }
    found
}

/// The paths looked for in one value: its offset, and each path's index and rest inside it.
type Group<'g, 'p> = &'g [(usize, usize, &'p str)];

/// Paths from which [`value_offsets_anchored`] scans its groups on several cores.
const PARALLEL_PATHS: usize = 4_096;

/// Positions of the values at `paths` (same order); `None` where a path is not in the text.
/// Linear in the text: one scan for the offsets, one sweep for lines and columns.
pub fn locate_paths(text: &str, paths: &[&str]) -> Vec<Option<Position>> {
    locate_paths_anchored(text, paths, &Anchors::default())
}

/// [`locate_paths`] of a text whose [`Anchors`] the reader recorded (the same answer; the
/// offsets by [`value_offsets_anchored`]).
pub fn locate_paths_anchored(
    text: &str,
    paths: &[&str],
    anchors: &Anchors,
) -> Vec<Option<Position>> {
    let offsets = value_offsets_anchored(text, paths, anchors);
    let mut order: Vec<usize> = (0..offsets.len())
        .filter(|i| offsets[*i].is_some())
        .collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![None; offsets.len()];
    let bytes = text.as_bytes();
    let (mut pos, mut line, mut line_start) = (0usize, 1u32, 0usize);
    for i in order {
        let Some(offset) = offsets[i].map(|o| o.min(bytes.len())) else {
            continue;
        };
        let segment = &bytes[pos..offset];
        let breaks = count_newlines(segment);
        if breaks > 0 {
            line += breaks as u32;
            line_start = pos
                + segment
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |p| p + 1);
        }
        pos = offset;
        let column = String::from_utf8_lossy(&bytes[line_start..offset])
            .chars()
            .count() as u32
            + 1;
        out[i] = Some(Position {
            line,
            column,
            offset,
        });
    }
    out
}

/// How many `\n` bytes `bytes` holds: counted in runs of 32 bytes into byte-wide counters
/// (which the compiler turns into vector compares), added up every 255 runs.
fn count_newlines(bytes: &[u8]) -> usize {
    const LANES: usize = 32;
    let mut total = 0;
    let mut runs = bytes.chunks_exact(LANES);
    loop {
        let mut counts = [0u8; LANES];
        let mut n = 0;
        for run in runs.by_ref().take(255) {
            for (c, b) in counts.iter_mut().zip(run) {
                *c += u8::from(*b == b'\n');
            }
            n += 1;
        }
        total += counts.iter().map(|c| usize::from(*c)).sum::<usize>();
        if n < 255 {
            break;
        }
    }
    total + runs.remainder().iter().filter(|b| **b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_paths_and_skips_the_rest() {
        let text = "{\n  \"a\": [\n    {\"b\": 1},\n    {\"b\": [true, false]}\n  ],\n  \"s\": {\"x\": \"}]\"},\n  \"c\": \"x\",\n  \"k\\u0041\": 2\n}";
        let got = value_offsets(
            text,
            &["a[1].b[1]", "c", "a[0]", "missing", "", "kA", "bad..path"],
        );
        let at = |needle: &str| text.find(needle);
        assert_eq!(got[0], at("false"));
        assert_eq!(got[1], at("\"x\","));
        assert_eq!(got[2], at("{\"b\": 1}"));
        assert_eq!(got[3], None);
        assert_eq!(got[4], Some(0));
        assert_eq!(got[5], at("2\n"));
        assert_eq!(got[6], None);
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "{\n  \"é\": 1,\n  \"b\": [\n    2\n  ]\n}";
        let got = locate_paths(text, &["b[0]", "é", ""]);
        assert_eq!(got[0].map(|p| (p.line, p.column)), Some((4, 5)));
        assert_eq!(got[1].map(|p| (p.line, p.column)), Some((2, 8)));
        assert_eq!(got[2].map(|p| (p.line, p.column)), Some((1, 1)));
    }

    /// The scan on several cores finds exactly what one scan finds: paths into many array
    /// elements (deferred), into one element only, at elements themselves, missing ones, and
    /// paths in nested arrays of deferred elements.
    #[test]
    fn parallel_scan_finds_what_one_scan_finds() {
        let mut text = String::from("{\"head\": [1, {\"x\": \"]\"}],\n \"d\": [\n");
        let mut paths: Vec<String> = vec!["head[1].x".into(), "head[0]".into(), "d[99]".into()];
        for i in 0..40 {
            if i > 0 {
                text.push_str(",\n");
            }
            text.push_str(&format!(
                "  {{\"n\": \"d{i} \\\" [\", \"r\": [{{\"a\": {i}}}, {{\"a\": [true, {{\"b\": \"{i}\"}}]}}, 3]}}"
            ));
            paths.push(format!("d[{i}].r[1].a[1].b"));
            paths.push(format!("d[{i}].n"));
            if i % 3 == 0 {
                paths.push(format!("d[{i}]"));
                paths.push(format!("d[{i}].r[2]"));
                paths.push(format!("d[{i}].missing"));
            }
        }
        text.push_str("\n ],\n \"tail\": {\"k\": [0, 1]}\n}");
        paths.push("tail.k[1]".into());
        paths.push("d[3].r[0].a".into());
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let one = offsets_on(&text, &refs, 1);
        assert!(one.iter().filter(|o| o.is_some()).count() > 100);
        for threads in [2, 3, 4] {
            assert_eq!(offsets_on(&text, &refs, threads), one, "{threads} threads");
        }
        assert_eq!(one[0], text.find("\"]\""));
        assert_eq!(one[2], None);
    }

    #[test]
    fn newlines_are_counted_in_every_length() {
        let text: Vec<u8> = (0..20_000u32)
            .map(|i| {
                if i % 7 == 0 || i % 31 == 0 {
                    b'\n'
                } else {
                    b'a'
                }
            })
            .collect();
        for end in [0, 1, 31, 32, 33, 8_159, 8_160, 8_161, 16_320, 20_000] {
            let want = text[..end].iter().filter(|b| **b == b'\n').count();
            assert_eq!(count_newlines(&text[..end]), want, "{end}");
        }
        let all = vec![b'\n'; 9_000];
        assert_eq!(count_newlines(&all), 9_000);
    }

    #[test]
    fn survives_truncated_text() {
        let got = value_offsets("{\"a\": [1, {\"b\": \"unterminated", &["a[1].b", "a[2]"]);
        assert!(got[0].is_some());
        assert_eq!(got[1], None);
    }
}
