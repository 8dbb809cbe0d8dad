//! Safe streaming XML reading: decodes UTF-8/UTF-16, refuses DOCTYPE (so no entity can be
//! declared or expanded), skips named subtrees (the DSML schemas) without building them, and
//! builds a flat element tree (an arena, names and text borrowed from the input) of the rest
//! with line and column of every element.
//!
//! Every cost is linear in the input: line and column advance incrementally (a connector file
//! carries its 1.8 MB schema and the rest of the connector on one line), children are linked
//! lists, an element's index among same-named siblings is counted while reading (so an
//! element's path, `a/b[2]/c`, is built only when a message needs it), attributes are checked
//! for duplicates with a set when there are many. Nesting deeper than [`MAX_DEPTH`] is refused;
//! nothing recurses, and the tree is one vector, so dropping it does not recurse either.

use crate::error::LegacyError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The deepest nesting of elements read into the tree (the root is depth 1). The files of
/// `Get-ADSyncServerConfiguration` nest about 10 deep outside the schemas (which are skipped
/// and not counted); deeper input is refused with [`LegacyError::TooDeep`].
pub const MAX_DEPTH: usize = 256;

const NONE: u32 = u32::MAX;

/// An element's attributes: names and values as written (values unescaped).
type Attrs<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// One element in the arena.
#[derive(Debug)]
struct Node<'a> {
    name: Cow<'a, str>,
    attrs: Attrs<'a>,
    /// Text content (direct text and CDATA, concatenated, unescaped).
    text: Cow<'a, str>,
    parent: u32,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    /// 1-based index among the siblings with the same name.
    nth: u32,
    line: u32,
    column: u32,
}

/// A parsed document: every element in document order, the root first.
#[derive(Debug)]
pub(crate) struct Document<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Document<'a> {
    /// The root element.
    pub(crate) fn root(&self) -> Element<'_> {
        Element { doc: self, idx: 0 }
    }
}

/// One element of a [`Document`] (a cheap handle).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'d> {
    doc: &'d Document<'d>,
    idx: u32,
}

impl<'d> Element<'d> {
    fn node(&self) -> &'d Node<'d> {
        &self.doc.nodes[self.idx as usize]
    }

    /// The element's name as written (with its prefix).
    pub(crate) fn name(&self) -> &'d str {
        &self.node().name
    }

    /// The name as shown in messages (control characters escaped).
    pub(crate) fn shown_name(&self) -> Cow<'d, str> {
        shown(self.name())
    }

    /// Text content (direct text and CDATA, concatenated, unescaped), untrimmed.
    pub(crate) fn text(&self) -> &'d str {
        &self.node().text
    }

    /// 1-based line of the element's start tag.
    pub(crate) fn line(&self) -> u32 {
        self.node().line
    }

    /// 1-based column (in characters) of the element's start tag.
    pub(crate) fn column(&self) -> u32 {
        self.node().column
    }

    /// Path from the root, e.g. `synchronizationRule/attribute-mappings/mapping[2]`; control
    /// characters in names are shown escaped.
    pub(crate) fn path(&self) -> String {
        path_of(&self.doc.nodes, self.idx)
    }

    /// The children in document order.
    pub(crate) fn children(&self) -> Children<'d> {
        Children {
            doc: self.doc,
            next: self.node().first_child,
        }
    }

    /// The first child with a name.
    pub(crate) fn child(&self, name: &str) -> Option<Element<'d>> {
        self.children().find(|c| c.name() == name)
    }

    /// Every child with a name.
    pub(crate) fn children_named<'n>(&self, name: &'n str) -> impl Iterator<Item = Element<'d>> + 'n
    where
        'd: 'n,
    {
        self.children().filter(move |c| c.name() == name)
    }

    /// The trimmed text of the first child with a name.
    pub(crate) fn child_text(&self, name: &str) -> Option<&'d str> {
        self.child(name).map(|c| c.text().trim())
    }

    /// Follows a `/`-separated path of child names.
    pub(crate) fn find(&self, path: &str) -> Option<Element<'d>> {
        path.split('/').try_fold(*self, |e, name| e.child(name))
    }

    /// An attribute's value.
    pub(crate) fn attr(&self, name: &str) -> Option<&'d str> {
        self.node()
            .attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| &**v)
    }

    /// True when the element holds neither text, children nor attributes.
    pub(crate) fn is_empty(&self) -> bool {
        let n = self.node();
        n.text.trim().is_empty() && n.first_child == NONE && n.attrs.is_empty()
    }
}

/// Iterator over the children of an element.
pub(crate) struct Children<'d> {
    doc: &'d Document<'d>,
    next: u32,
}

impl<'d> Iterator for Children<'d> {
    type Item = Element<'d>;

    fn next(&mut self) -> Option<Element<'d>> {
        if self.next == NONE {
            return None;
        }
        let e = Element {
            doc: self.doc,
            idx: self.next,
        };
        self.next = self.doc.nodes[self.next as usize].next_sibling;
        Some(e)
    }
}

/// The path of a node: its ancestors' names with `[n]` where a name repeats.
fn path_of(nodes: &[Node<'_>], idx: u32) -> String {
    let mut chain = Vec::new();
    let mut i = idx;
    while i != NONE {
        chain.push(i);
        i = nodes[i as usize].parent;
    }
    let mut out = String::new();
    for (k, i) in chain.iter().rev().enumerate() {
        let n = &nodes[*i as usize];
        if k > 0 {
            out.push('/');
        }
        out.push_str(&shown(&n.name));
        if n.nth > 1 {
            out.push_str(&format!("[{}]", n.nth));
        }
    }
    out
}

/// A name as shown in messages: control characters escaped (`\u{1b}`), so a hostile file
/// cannot write raw control characters to a terminal through an error message.
pub(crate) fn shown(name: &str) -> Cow<'_, str> {
    if !name.chars().any(char::is_control) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Decodes file bytes: UTF-8 (with or without BOM) or UTF-16 LE/BE (with BOM, or without
/// BOM when the NUL pattern of `<` makes it certain).
pub(crate) fn decode<'a>(bytes: &'a [u8], file: &str) -> Result<Cow<'a, str>, LegacyError> {
    let utf16 = |data: &[u8], be: bool| -> Result<Cow<'a, str>, LegacyError> {
        if data.len() % 2 != 0 {
            return Err(LegacyError::Encoding {
                file: file.to_owned(),
                message: "the UTF-16 file has an odd number of bytes (it is cut short)".to_owned(),
            });
        }
        let units = data.chunks_exact(2).map(|c| {
            if be {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(Cow::Owned)
            .map_err(|_| LegacyError::Encoding {
                file: file.to_owned(),
                message: "the UTF-16 file has an unpaired surrogate".to_owned(),
            })
    };
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest, file);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, true);
    }
    if bytes.len() >= 4 && bytes.len() % 2 == 0 {
        if bytes[0] == b'<' && bytes[1] == 0 && bytes[3] == 0 {
            return utf16(bytes, false);
        }
        if bytes[0] == 0 && bytes[1] == b'<' && bytes[2] == 0 {
            return utf16(bytes, true);
        }
    }
    utf8(bytes, file)
}

fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<Cow<'a, str>, LegacyError> {
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|e| LegacyError::Encoding {
            file: file.to_owned(),
            message: format!(
                "the file is not valid UTF-8 (nor UTF-16 with a byte-order mark) at byte {}",
                e.valid_up_to()
            ),
        })
}

/// Tracks line and column for increasing byte offsets, advancing from the last offset asked
/// (never from the start of the line), so the total work is linear in the input.
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u32,
    /// Characters between the start of the line and `offset`.
    column: u32,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
            column: 0,
        }
    }

    /// Line and column (1-based, column in characters) of a byte offset. An offset before the
    /// last one asked (only for an error) is counted from the start again.
    fn at(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.bytes.len());
        if offset < self.offset {
            *self = Lines {
                bytes: self.bytes,
                offset: 0,
                line: 1,
                column: 0,
            };
        }
        let seg = &self.bytes[self.offset..offset];
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                let newlines = memchr::memchr_iter(b'\n', seg).count();
                self.line = self
                    .line
                    .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
                self.column = count_chars(&seg[last + 1..]);
            }
            None => self.column = self.column.saturating_add(count_chars(seg)),
        }
        self.offset = offset;
        (self.line, self.column.saturating_add(1))
    }
}

/// Characters in UTF-8 bytes (the bytes that do not continue a character).
fn count_chars(bytes: &[u8]) -> u32 {
    // Continuation bytes counted in blocks with a byte-wide sum (which vectorizes).
    let mut continuation = 0usize;
    for block in bytes.chunks(255) {
        let n: u8 = block
            .iter()
            .map(|b| u8::from((*b as i8) < -0x40))
            .fold(0u8, u8::wrapping_add);
        continuation += usize::from(n);
    }
    u32::try_from(bytes.len() - continuation).unwrap_or(u32::MAX)
}

/// The `&'a str` that a byte slice borrowed from `text` covers, found by its address (the
/// reader borrows names, values and CDATA from the input).
fn sub<'a>(text: &'a str, part: &[u8]) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    text.get(start..start.checked_add(part.len())?)
}

fn borrowed<'a>(text: &'a str, part: &[u8]) -> Cow<'a, str> {
    match sub(text, part) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(String::from_utf8_lossy(part).into_owned()),
    }
}

/// XML line-end normalization: CR LF and a lone CR become LF (copies only when there is a CR).
fn newlines(s: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\r', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Counts the children of one open element by name (a short list, a map when it grows), so
/// an element's index among its same-named siblings costs constant time.
#[derive(Default)]
struct NameCounter<'a> {
    small: Vec<(&'a str, u32)>,
    map: HashMap<&'a str, u32>,
}

impl<'a> NameCounter<'a> {
    const SMALL: usize = 16;

    fn next(&mut self, name: &'a str) -> u32 {
        if self.map.is_empty() {
            if let Some((_, n)) = self.small.iter_mut().find(|(k, _)| *k == name) {
                *n += 1;
                return *n;
            }
            if self.small.len() < Self::SMALL {
                self.small.push((name, 1));
                return 1;
            }
            self.map.extend(self.small.drain(..));
        }
        let n = self.map.entry(name).or_insert(0);
        *n += 1;
        *n
    }
}

/// An open element while reading: its node and the counts of its children's names.
struct Frame<'a> {
    node: u32,
    counts: NameCounter<'a>,
}

struct Builder<'a, 'f> {
    text: &'a str,
    file: &'f str,
    nodes: Vec<Node<'a>>,
    stack: Vec<Frame<'a>>,
    lines: Lines<'a>,
}

impl<'a> Builder<'a, '_> {
    fn error(&mut self, pos: usize, message: String) -> LegacyError {
        let (line, column) = self.lines.at(pos);
        let element = match self.stack.last() {
            Some(f) => path_of(&self.nodes, f.node),
            None => String::new(),
        };
        LegacyError::Xml {
            file: self.file.to_owned(),
            element,
            line,
            column,
            message,
        }
    }

    /// Adds an element under the open one (or as the root) and returns its index.
    fn open(&mut self, e: &BytesStart<'_>, start: usize) -> Result<u32, LegacyError> {
        let name = borrowed(self.text, e.name().as_ref());
        let (line, column) = self.lines.at(start);
        if self.stack.len() >= MAX_DEPTH {
            let parent = self.stack.last().map_or(NONE, |f| f.node);
            let mut element = if parent == NONE {
                String::new()
            } else {
                path_of(&self.nodes, parent) + "/"
            };
            element.push_str(&shown(&name));
            return Err(LegacyError::TooDeep {
                file: self.file.to_owned(),
                element,
                line,
                column,
                limit: MAX_DEPTH,
            });
        }
        let idx = u32::try_from(self.nodes.len()).map_err(|_| {
            self.error(
                start,
                "the file holds more elements than can be counted".to_owned(),
            )
        })?;
        let (parent, nth) = match self.stack.last_mut() {
            Some(f) => {
                let key: &'a str = match &name {
                    Cow::Borrowed(s) => s,
                    Cow::Owned(_) => "",
                };
                (f.node, f.counts.next(key))
            }
            None => (NONE, 1),
        };
        let attrs = self.attributes(e, start, parent, &name)?;
        if parent != NONE {
            let p = &mut self.nodes[parent as usize];
            if p.first_child == NONE {
                p.first_child = idx;
            } else {
                let last = p.last_child as usize;
                self.nodes[last].next_sibling = idx;
            }
            self.nodes[parent as usize].last_child = idx;
        }
        self.nodes.push(Node {
            name,
            attrs,
            text: Cow::Borrowed(""),
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            nth,
            line,
            column,
        });
        Ok(idx)
    }

    fn attributes(
        &mut self,
        e: &BytesStart<'_>,
        start: usize,
        parent: u32,
        name: &str,
    ) -> Result<Attrs<'a>, LegacyError> {
        let mut attrs: Attrs<'a> = Vec::new();
        let mut it = e.attributes();
        // quick-xml's own duplicate check compares every key with every earlier one; the
        // check below is linear.
        it.with_checks(false);
        let element = |nodes: &[Node<'_>]| {
            let mut p = if parent == NONE {
                String::new()
            } else {
                path_of(nodes, parent) + "/"
            };
            p.push_str(&shown(name));
            p
        };
        for a in it {
            let a = match a {
                Ok(a) => a,
                Err(err) => {
                    let (line, column) = self.lines.at(start);
                    return Err(LegacyError::Xml {
                        file: self.file.to_owned(),
                        element: element(&self.nodes),
                        line,
                        column,
                        message: format!("bad attribute: {err}"),
                    });
                }
            };
            let key = borrowed(self.text, a.key.as_ref());
            let raw: &[u8] = &a.value;
            let value = if raw.iter().any(|b| matches!(b, b'\r' | b'\n' | b'\t')) {
                // Attribute-value normalization: line ends, then each white-space
                // character, become a space (before references are replaced).
                let normalized: String = newlines(&String::from_utf8_lossy(raw))
                    .chars()
                    .map(|c| if matches!(c, '\n' | '\t') { ' ' } else { c })
                    .collect();
                quick_xml::escape::unescape(&normalized)
                    .map(|v| Cow::Owned(v.into_owned()))
                    .map_err(|e| e.to_string())
            } else {
                a.unescape_value()
                    .map(|v| match v {
                        Cow::Borrowed(v) => borrowed(self.text, v.as_bytes()),
                        Cow::Owned(v) => Cow::Owned(v),
                    })
                    .map_err(|e| e.to_string())
            };
            let value = match value {
                Ok(v) => v,
                Err(err) => {
                    let (line, column) = self.lines.at(start);
                    return Err(LegacyError::Xml {
                        file: self.file.to_owned(),
                        element: element(&self.nodes),
                        line,
                        column,
                        message: format!("bad value of attribute {}: {err}", shown(&key)),
                    });
                }
            };
            attrs.push((key, value));
        }
        let duplicate = if attrs.len() <= 16 {
            attrs
                .iter()
                .enumerate()
                .find(|(i, (k, _))| attrs[..*i].iter().any(|(o, _)| o == k))
                .map(|(_, (k, _))| k.clone())
        } else {
            let mut seen = HashSet::with_capacity(attrs.len());
            attrs
                .iter()
                .find(|(k, _)| !seen.insert(&**k))
                .map(|(k, _)| k.clone())
        };
        if let Some(k) = duplicate {
            let (line, column) = self.lines.at(start);
            return Err(LegacyError::Xml {
                file: self.file.to_owned(),
                element: element(&self.nodes),
                line,
                column,
                message: format!("the attribute {} is given twice", shown(&k)),
            });
        }
        Ok(attrs)
    }

    /// Appends text to the open element. Whitespace between the children of an element
    /// carries nothing and is not appended (no copy per child).
    fn push_text(&mut self, s: Cow<'a, str>) {
        let Some(f) = self.stack.last() else {
            return;
        };
        let node = &mut self.nodes[f.node as usize];
        if node.text.is_empty() {
            node.text = s;
        } else if node.first_child != NONE && s.trim().is_empty() && node.text.trim().is_empty() {
        } else {
            node.text.to_mut().push_str(&s);
        }
    }
}

/// Parses a document, skipping the subtrees of elements named in `skip` below the root.
pub(crate) fn parse<'a>(
    text: &'a str,
    file: &str,
    skip: &[&str],
) -> Result<Document<'a>, LegacyError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut b = Builder {
        text,
        file,
        nodes: Vec::new(),
        stack: Vec::new(),
        lines: Lines::new(text),
    };
    let mut has_root = false;
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let pos = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(b.error(pos, e.to_string()));
            }
        };
        match event {
            Event::DocType(_) => {
                let (line, column) = b.lines.at(start);
                return Err(LegacyError::Doctype {
                    file: file.to_owned(),
                    line,
                    column,
                });
            }
            Event::Start(_) | Event::Empty(_) if has_root && b.stack.is_empty() => {
                let (line, column) = b.lines.at(start);
                return Err(LegacyError::Xml {
                    file: file.to_owned(),
                    element: String::new(),
                    line,
                    column,
                    message: "a second root element follows the first".to_owned(),
                });
            }
            Event::Start(e) => {
                if !b.stack.is_empty() && skip.iter().any(|s| s.as_bytes() == e.name().as_ref()) {
                    // Skip the subtree without building it; still checks it is well formed.
                    let end = e.to_end().into_owned();
                    if let Err(err) = reader.read_to_end(end.name()) {
                        let pos = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                        return Err(b.error(pos, err.to_string()));
                    }
                    continue;
                }
                let idx = b.open(&e, start)?;
                has_root = true;
                b.stack.push(Frame {
                    node: idx,
                    counts: NameCounter::default(),
                });
            }
            Event::Empty(e) => {
                if !b.stack.is_empty() && skip.iter().any(|s| s.as_bytes() == e.name().as_ref()) {
                    continue;
                }
                b.open(&e, start)?;
                has_root = true;
            }
            Event::End(_) => {
                b.stack.pop();
            }
            Event::Text(t) => {
                if !b.stack.is_empty() {
                    let raw: &[u8] = &t;
                    let value = if memchr::memchr(b'\r', raw).is_some() {
                        // Line ends are normalized before references are replaced.
                        let normalized = newlines(&String::from_utf8_lossy(raw)).into_owned();
                        quick_xml::escape::unescape(&normalized)
                            .map(|v| Cow::Owned(v.into_owned()))
                            .map_err(|e| e.to_string())
                    } else {
                        t.unescape().map_err(|e| e.to_string())
                    };
                    match value {
                        Ok(s) => b.push_text(s),
                        Err(err) => return Err(b.error(start, err)),
                    }
                } else if !t.iter().all(u8::is_ascii_whitespace) {
                    let (line, column) = b.lines.at(start);
                    return Err(LegacyError::Xml {
                        file: file.to_owned(),
                        element: String::new(),
                        line,
                        column,
                        message: "text outside the root element".to_owned(),
                    });
                }
            }
            Event::CData(t) => {
                if !b.stack.is_empty() {
                    let s = match borrowed(text, &t.into_inner()) {
                        Cow::Borrowed(s) => newlines(s),
                        Cow::Owned(s) => Cow::Owned(newlines(&s).into_owned()),
                    };
                    b.push_text(s);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if let Some(f) = b.stack.last() {
        let name = shown(&b.nodes[f.node as usize].name).into_owned();
        return Err(b.error(
            text.len(),
            format!("the file ends before <{name}> is closed"),
        ));
    }
    if b.nodes.is_empty() {
        return Err(LegacyError::Xml {
            file: file.to_owned(),
            element: String::new(),
            line: 1,
            column: 1,
            message: "the file holds no XML element".to_owned(),
        });
    }
    Ok(Document { nodes: b.nodes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_past_the_limit_is_refused_with_file_element_and_line() {
        let depth = 100_000;
        let text = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let err = parse(&text, "deep.xml", &[]).unwrap_err();
        let LegacyError::TooDeep {
            file,
            element,
            line,
            column,
            limit,
        } = &err
        else {
            panic!("not a depth error: {err}");
        };
        assert_eq!(file, "deep.xml");
        assert_eq!(*limit, MAX_DEPTH);
        assert_eq!(element.split('/').count(), MAX_DEPTH + 1);
        assert_eq!((*line, *column), (1, 3 * MAX_DEPTH as u32 + 1));
        assert!(err.to_string().contains("more than 256 deep"), "{err}");
        // At the limit it is read.
        let text = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        let doc = parse(&text, "ok.xml", &[]).unwrap();
        assert_eq!(doc.nodes.len(), MAX_DEPTH);
        // A deep skipped subtree is not built and not limited.
        let text = format!(
            "<r><schema>{}{}</schema><b/></r>",
            "<a>".repeat(depth),
            "</a>".repeat(depth)
        );
        let doc = parse(&text, "skip.xml", &["schema"]).unwrap();
        assert_eq!(doc.root().children().count(), 1);
    }

    #[test]
    fn positions_on_one_long_line_are_counted_incrementally() {
        // A schema of multi-byte characters on the same line as the elements after it.
        let schema = "é".repeat(50_000);
        let mut text = format!("<r>\r\n<schema>{schema}</schema>");
        for i in 0..1000 {
            text.push_str(&format!("<c n=\"{i}\">x</c>"));
        }
        text.push_str("\n<last/></r>");
        let doc = parse(&text, "f.xml", &["schema"]).unwrap();
        let root = doc.root();
        let kids: Vec<_> = root.children().collect();
        assert_eq!(kids.len(), 1001);
        let first_col = 1 + "<schema>".len() as u32 + 50_000 + "</schema>".len() as u32;
        assert_eq!((kids[0].line(), kids[0].column()), (2, first_col));
        let width = "<c n=\"0\">x</c>".len() as u32;
        assert_eq!(kids[1].column(), first_col + width);
        assert_eq!((kids[1000].line(), kids[1000].column()), (3, 1));
        assert_eq!(kids[999].path(), "r/c[1000]");
        assert_eq!(kids[1000].path(), "r/last");
    }

    #[test]
    fn many_attributes_and_siblings_and_duplicates() {
        let attrs: String = (0..20_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
        let text = format!("<r{attrs}/>");
        let doc = parse(&text, "f.xml", &[]).unwrap();
        assert_eq!(doc.root().attr("a19999"), Some("19999"));
        let text = format!("<r{attrs} a5=\"x\"/>");
        let err = parse(&text, "f.xml", &[]).unwrap_err().to_string();
        assert!(err.contains("the attribute a5 is given twice"), "{err}");
        let text = "<r a=\"1\" a=\"2\"/>";
        let err = parse(text, "f.xml", &[]).unwrap_err().to_string();
        assert!(err.contains("the attribute a is given twice"), "{err}");
        let kids: String = (0..50_000).map(|i| format!("<k{i}/><k{i}/>")).collect();
        let text = format!("<r>{kids}</r>");
        let doc = parse(&text, "f.xml", &[]).unwrap();
        let last = doc.root().children().last().unwrap();
        assert_eq!(last.path(), "r/k49999[2]");
    }

    #[test]
    fn names_with_control_characters_are_shown_escaped() {
        let text = "<r><a\u{1b}]0;x\u{7}>";
        let err = parse(text, "f.xml", &[]).unwrap_err().to_string();
        assert!(!err.chars().any(|c| c.is_control() && c != '\n'), "{err:?}");
        assert!(err.contains("\\u{1b}"), "{err}");
    }

    #[test]
    fn text_is_borrowed_and_joined_exactly() {
        let text = "<r> <a>one &amp; two</a> <b><![CDATA[x<y]]> z</b> </r>";
        let doc = parse(text, "f.xml", &[]).unwrap();
        let r = doc.root();
        assert_eq!(r.child_text("a"), Some("one & two"));
        assert_eq!(r.child("b").unwrap().text(), "x<y z");
        assert!(r.text().trim().is_empty());
    }
}
