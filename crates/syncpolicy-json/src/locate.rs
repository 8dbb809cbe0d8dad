//! Finds the line and column of JSON paths in a settings file's text, in one pass, so that
//! findings made on the model can point into the file.

use crate::encoding::line_column;
use std::collections::HashMap;

/// Line and column (1-based) of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// One segment of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Splits `a.b[1][2].c` into segments; `None` for a malformed path.
fn parse_path(path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            out.push(Segment::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return None;
            }
            out.push(Segment::Key(r[..end].to_owned()));
            rest = &r[end..];
        }
    }
    Some(out)
}

#[derive(Default)]
struct Trie {
    children: HashMap<Segment, usize>,
    wanted: Vec<usize>,
}

/// Positions of the values at `paths` (in the same order); `None` where a path is not found.
/// The empty path is the top-level value.
pub fn locate_paths(text: &str, paths: &[&str]) -> Vec<Option<Position>> {
    let mut nodes = vec![Trie::default()];
    for (i, p) in paths.iter().enumerate() {
        let Some(segs) = parse_path(p) else { continue };
        let mut n = 0;
        for s in segs {
            n = match nodes[n].children.get(&s) {
                Some(&c) => c,
                None => {
                    nodes.push(Trie::default());
                    let c = nodes.len() - 1;
                    nodes[n].children.insert(s, c);
                    c
                }
            };
        }
        nodes[n].wanted.push(i);
    }
    let mut found = vec![None; paths.len()];
    let mut offsets: Vec<(usize, usize)> = Vec::new();
    Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        nodes: &nodes,
        hits: &mut offsets,
    }
    .value(Some(0));
    for (path_index, offset) in offsets {
        let (line, column) = line_column(text, offset);
        found[path_index] = Some(Position { line, column });
    }
    found
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    nodes: &'a [Trie],
    hits: &'a mut Vec<(usize, usize)>,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn child(&self, node: Option<usize>, seg: Segment) -> Option<usize> {
        node.and_then(|n| self.nodes[n].children.get(&seg).copied())
    }

    /// Scans one value; records hits for `node`.
    fn value(&mut self, node: Option<usize>) {
        self.ws();
        if let Some(n) = node {
            for &w in &self.nodes[n].wanted {
                self.hits.push((w, self.pos));
            }
        }
        let Some(&b) = self.bytes.get(self.pos) else {
            return;
        };
        match b {
            b'{' => {
                self.pos += 1;
                loop {
                    self.ws();
                    match self.bytes.get(self.pos) {
                        Some(b'}') | None => {
                            self.pos += 1;
                            return;
                        }
                        Some(b',') => {
                            self.pos += 1;
                            continue;
                        }
                        Some(b'"') => {
                            let key = self.string();
                            self.ws();
                            if self.bytes.get(self.pos) == Some(&b':') {
                                self.pos += 1;
                            }
                            let c = if node.is_some() {
                                self.child(node, Segment::Key(key))
                            } else {
                                None
                            };
                            self.value(c);
                        }
                        Some(_) => {
                            self.pos += 1;
                        }
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                let mut index = 0;
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
                            let c = self.child(node, Segment::Index(index));
                            let before = self.pos;
                            self.value(c);
                            if self.pos == before {
                                self.pos += 1;
                            }
                        }
                    }
                }
            }
            b'"' => {
                self.skip_string();
            }
            _ => {
                while self.pos < self.bytes.len()
                    && !matches!(self.bytes[self.pos], b',' | b'}' | b']')
                    && !self.bytes[self.pos].is_ascii_whitespace()
                {
                    self.pos += 1;
                }
            }
        }
    }

    fn skip_string(&mut self) {
        self.pos += 1;
        while let Some(&b) = self.bytes.get(self.pos) {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'"' => return,
                _ => {}
            }
        }
    }

    /// Reads a string (unescaping the simple escapes that can occur in keys).
    fn string(&mut self) -> String {
        let start = self.pos + 1;
        self.skip_string();
        let end = self.pos.saturating_sub(1).max(start);
        let raw = String::from_utf8_lossy(&self.bytes[start..end.min(self.bytes.len())]);
        if raw.contains('\\') {
            serde_json::from_str::<String>(&format!("\"{raw}\""))
                .unwrap_or_else(|_| raw.into_owned())
        } else {
            raw.into_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_paths() {
        let text =
            "{\n  \"a\": [\n    {\"b\": 1},\n    {\"b\": [true, false]}\n  ],\n  \"c\": \"x\"\n}";
        let got = locate_paths(text, &["a[1].b[1]", "c", "a[0]", "missing", ""]);
        assert_eq!(
            got[0],
            Some(Position {
                line: 4,
                column: 18
            })
        );
        assert_eq!(got[1], Some(Position { line: 6, column: 8 }));
        assert_eq!(got[2], Some(Position { line: 3, column: 5 }));
        assert_eq!(got[3], None);
        assert_eq!(got[4], Some(Position { line: 1, column: 1 }));
    }
}
