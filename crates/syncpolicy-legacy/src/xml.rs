//! Safe streaming XML reading: decodes UTF-8/UTF-16, refuses DOCTYPE (so no entity can be
//! declared or expanded), skips named subtrees (the DSML schemas) without building them, and
//! builds a small element tree of the rest with line and column of every element.

use crate::error::LegacyError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

/// One element of the (schema-free) tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    /// Text content (direct text and CDATA, concatenated, unescaped).
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
    /// Path from the root, e.g. `synchronizationRule/attribute-mappings/mapping[2]`.
    pub(crate) path: String,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

impl Element {
    /// The first child with a name.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with a name.
    pub(crate) fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child with a name.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    /// Follows a `/`-separated path of child names.
    pub(crate) fn find(&self, path: &str) -> Option<&Element> {
        path.split('/').try_fold(self, |e, name| e.child(name))
    }

    /// An attribute's value.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// True when the element holds neither text, children nor attributes.
    pub(crate) fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.children.is_empty() && self.attrs.is_empty()
    }
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

/// Tracks line numbers for increasing byte offsets without rescanning the text.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
    line_start: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// Line and column (1-based, column in characters) of a byte offset. Offsets before the
    /// last one asked are computed from the start.
    fn at(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            *self = Lines::new(self.text);
        }
        let bytes = self.text.as_bytes();
        for (i, b) in bytes[self.offset..offset].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = offset;
        let column = String::from_utf8_lossy(&bytes[self.line_start..offset])
            .chars()
            .count()
            + 1;
        (self.line, column as u32)
    }
}

/// Parses a document, skipping the subtrees of elements named in `skip` at any depth.
pub(crate) fn parse(text: &str, file: &str, skip: &[&str]) -> Result<Element, LegacyError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut lines = Lines::new(text);
    // Stack of open elements; each with per-name counts of its children so far.
    let mut stack: Vec<(Element, Vec<(String, u32)>)> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let pos = reader.error_position() as usize;
            xml_error(file, &stack, &mut lines, pos, &e.to_string())
        })?;
        match event {
            Event::DocType(_) => {
                let (line, column) = lines.at(start);
                return Err(LegacyError::Doctype {
                    file: file.to_owned(),
                    line,
                    column,
                });
            }
            Event::Start(_) | Event::Empty(_) if root.is_some() && stack.is_empty() => {
                let (line, column) = lines.at(start);
                return Err(LegacyError::Xml {
                    file: file.to_owned(),
                    element: String::new(),
                    line,
                    column,
                    message: "a second root element follows the first".to_owned(),
                });
            }
            Event::Start(e) => {
                let name = name_of(&e);
                if !stack.is_empty() && skip.contains(&name.as_str()) {
                    // Skip the subtree without building it; still checks it is well formed.
                    let end = e.to_end().into_owned();
                    reader.read_to_end(end.name()).map_err(|err| {
                        let pos = reader.error_position() as usize;
                        xml_error(file, &stack, &mut lines, pos, &err.to_string())
                    })?;
                    continue;
                }
                let el = open(&e, name, file, &mut stack, &mut lines, start)?;
                stack.push((el, Vec::new()));
            }
            Event::Empty(e) => {
                let name = name_of(&e);
                if !stack.is_empty() && skip.contains(&name.as_str()) {
                    continue;
                }
                let el = open(&e, name, file, &mut stack, &mut lines, start)?;
                match stack.last_mut() {
                    Some((parent, _)) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                if let Some((el, _)) = stack.pop() {
                    match stack.last_mut() {
                        Some((parent, _)) => parent.children.push(el),
                        None => root = Some(el),
                    }
                }
            }
            Event::Text(t) => {
                if let Some((el, _)) = stack.last_mut() {
                    let s = t.unescape().map_err(|err| {
                        path_error(file, &el.path, &mut lines, start, &err.to_string())
                    })?;
                    el.text.push_str(&s);
                } else if !t.iter().all(u8::is_ascii_whitespace) {
                    let (line, column) = lines.at(start);
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
                if let Some((el, _)) = stack.last_mut() {
                    el.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if let Some((el, _)) = stack.last() {
        let (line, column) = lines.at(text.len());
        return Err(LegacyError::Xml {
            file: file.to_owned(),
            element: el.path.clone(),
            line,
            column,
            message: format!("the file ends before <{}> is closed", el.name),
        });
    }
    match root {
        Some(root) => Ok(root),
        None => Err(LegacyError::Xml {
            file: file.to_owned(),
            element: String::new(),
            line: 1,
            column: 1,
            message: "the file holds no XML element".to_owned(),
        }),
    }
}

fn name_of(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.name().as_ref()).into_owned()
}

fn open(
    e: &BytesStart<'_>,
    name: String,
    file: &str,
    stack: &mut [(Element, Vec<(String, u32)>)],
    lines: &mut Lines<'_>,
    start: usize,
) -> Result<Element, LegacyError> {
    let (line, column) = lines.at(start);
    let path = match stack.last_mut() {
        Some((parent, counts)) => {
            let n = match counts.iter_mut().find(|(k, _)| *k == name) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    counts.push((name.clone(), 1));
                    1
                }
            };
            if n > 1 {
                format!("{}/{name}[{n}]", parent.path)
            } else {
                format!("{}/{name}", parent.path)
            }
        }
        None => name.clone(),
    };
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| LegacyError::Xml {
            file: file.to_owned(),
            element: path.clone(),
            line,
            column,
            message: format!("bad attribute: {err}"),
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a.unescape_value().map_err(|err| LegacyError::Xml {
            file: file.to_owned(),
            element: path.clone(),
            line,
            column,
            message: format!("bad value of attribute {key}: {err}"),
        })?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        text: String::new(),
        children: Vec::new(),
        path,
        line,
        column,
    })
}

fn xml_error(
    file: &str,
    stack: &[(Element, Vec<(String, u32)>)],
    lines: &mut Lines<'_>,
    pos: usize,
    message: &str,
) -> LegacyError {
    let path = stack.last().map(|(e, _)| e.path.as_str()).unwrap_or("");
    path_error(file, path, lines, pos, message)
}

fn path_error(
    file: &str,
    path: &str,
    lines: &mut Lines<'_>,
    pos: usize,
    message: &str,
) -> LegacyError {
    let (line, column) = lines.at(pos);
    LegacyError::Xml {
        file: file.to_owned(),
        element: path.to_owned(),
        line,
        column,
        message: message.to_owned(),
    }
}
