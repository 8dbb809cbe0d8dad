//! Places findings in the file: fills in file, line and column of every finding and label by
//! locating their JSON paths in the text in one pass (a second pass finds the nearest existing
//! parent of paths that are not in the file, such as a missing section), and moves the column
//! of findings inside an expression to the exact character.
//!
//! The scan itself is `syncpolicy_json::locate` (one pass for offsets, one sweep for lines);
//! with the reader's anchors, a finding in a rule is looked for inside that rule only.

use crate::context::Finding;
use std::collections::HashMap;
use syncpolicy_model::diagnostic::Diagnostic;

use syncpolicy_json::locate::{locate_paths_anchored, Anchors, Position};

/// The parent of a JSON path (`a.b[1]` -> `a.b`, `a` -> ``); `None` for ``.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

/// Fills in the places of findings, keeping their order.
#[cfg(test)]
pub(crate) fn place_in_order(findings: Vec<Finding>, text: &str, file: &str) -> Vec<Diagnostic> {
    place(vec![(0, findings)], text, file, &Anchors::default())
}

/// The findings of every group as diagnostics with file, line and column filled in, in the
/// order of the groups.
pub(crate) fn place(
    groups: Vec<(usize, Vec<Finding>)>,
    text: &str,
    file: &str,
    anchors: &Anchors,
) -> Vec<Diagnostic> {
    // Every distinct path, once; and for each finding the path index of each of its places
    // (its location, then its labels).
    let mut slots: Vec<u32> = Vec::new();
    let found = {
        let mut index: HashMap<&str, u32> = HashMap::new();
        let mut paths: Vec<&str> = Vec::new();
        for f in groups.iter().flat_map(|(_, g)| g) {
            for p in f.paths() {
                let slot = *index.entry(p).or_insert_with(|| {
                    paths.push(p);
                    (paths.len() - 1) as u32
                });
                slots.push(slot);
            }
        }
        positions(text, &paths, anchors)
    };
    // On this thread: made on another core, the diagnostics' strings would take fresh memory
    // instead of the memory `validate` freed with the configuration (10 MB more at the peak
    // for the 31,636 findings of the 63.5 MB file, for 10 ms less).
    let total = groups.iter().map(|(_, g)| g.len()).sum();
    let findings = groups.into_iter().flat_map(|(_, g)| g);
    diagnostics(findings, &slots, &found, text, file, total)
}

/// `findings` as diagnostics placed in the file, in a list of room for `capacity`: `slots`
/// holds the index into `found` of each of their places in turn (each finding's own place,
/// then its labels').
fn diagnostics(
    findings: impl Iterator<Item = Finding>,
    slots: &[u32],
    found: &[Option<Position>],
    text: &str,
    file: &str,
    capacity: usize,
) -> Vec<Diagnostic> {
    let position = |slot: u32| found.get(slot as usize).copied().flatten();
    let mut slots = slots.iter().copied();
    let mut out = Vec::with_capacity(capacity);
    for f in findings {
        let string_offset = f.string_offset;
        // The finding's own place points at the exact character of a string; its labels'
        // at their value.
        let mut own = true;
        out.push(f.into_diagnostic(|mut location| {
            if let Some(pos) = slots.next().and_then(position) {
                let column = if own {
                    string_offset
                        .and_then(|o| column_in_string(text, pos, o))
                        .unwrap_or(pos.column)
                } else {
                    pos.column
                };
                location = location.with_position(pos.line, column);
            }
            own = false;
            location.file = Some(file.to_owned());
            location
        }));
    }
    out
}

/// Positions of `paths` in `text`; a path not in the file gets the position of its nearest
/// parent that is.
fn positions(text: &str, paths: &[&str], anchors: &Anchors) -> Vec<Option<Position>> {
    let mut found: Vec<Option<Position>> = locate_paths_anchored(text, paths, anchors);
    // Paths not in the file: look for their nearest parent that is.
    let missing: Vec<usize> = (0..paths.len()).filter(|i| found[*i].is_none()).collect();
    if !missing.is_empty() {
        let mut ancestors: Vec<&str> = Vec::new();
        let mut ancestor_index: HashMap<&str, usize> = HashMap::new();
        for &i in &missing {
            let mut p = parent(paths[i]);
            while let Some(a) = p {
                ancestor_index.entry(a).or_insert_with(|| {
                    ancestors.push(a);
                    ancestors.len() - 1
                });
                p = parent(a);
            }
        }
        let positions = locate_paths_anchored(text, &ancestors, anchors);
        for &i in &missing {
            let mut p = parent(paths[i]);
            while let Some(a) = p {
                if let Some(Some(pos)) = ancestor_index.get(a).map(|&k| positions[k]) {
                    found[i] = Some(pos);
                    break;
                }
                p = parent(a);
            }
        }
    }
    found
}

/// The column of the `offset`-th decoded character of the JSON string whose opening quote is
/// at `pos`; `None` when there is no string there.
fn column_in_string(text: &str, pos: Position, offset: usize) -> Option<u32> {
    let mut chars = text.get(pos.offset..)?.chars();
    if chars.next()? != '"' {
        return None;
    }
    let mut column = pos.column + 1;
    let mut decoded = 0;
    while decoded < offset {
        let c = chars.next()?;
        column += 1;
        match c {
            '\\' => {
                let e = chars.next()?;
                column += 1;
                if e == 'u' {
                    let hex: String = chars.by_ref().take(4).collect();
                    column += 4;
                    let unit = u16::from_str_radix(&hex, 16).ok()?;
                    if (0xD800..0xDC00).contains(&unit) {
                        // A surrogate pair is one character: skip the low half too.
                        column += chars.by_ref().take(6).count() as u32;
                    }
                }
            }
            '"' | '\n' => return None,
            _ => {}
        }
        decoded += 1;
    }
    Some(column)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Placed with the reader's anchors, the findings of a generated file
    /// (and of the same file edited, so that some paths are missing and some strings have
    /// escapes) are exactly those placed by a scan of the whole text.
    #[test]
    fn anchored_and_parallel_placing_equals_the_whole_scan() {
        use syncpolicy_samples::generate::{generate, GenerateOptions};
        let config = generate(&GenerateOptions {
            forests: 3,
            custom_rules_per_forest: 150,
            ous_per_domain: 2,
            seed: 4,
        });
        let text = String::from_utf8(syncpolicy_json::write_settings(&config)).expect("UTF-8");
        let edited = text
            .replacen("\"precedence\": 100", "\"precedence\": 77777", 50)
            .replacen("\"description\": \"", "\"description\": \"\\u00e9\\\"", 200);
        for text in [text, edited] {
            let (config, spans) =
                syncpolicy_json::read_settings_spans(&text, "f.json").expect("reads");
            assert!(!spans.anchors().is_empty());
            let groups = crate::context::run_where(&config, Some((&text, &spans)), |_| true);
            assert!(groups.iter().map(|(_, g)| g.len()).sum::<usize>() > 100);
            let whole = place(groups.clone(), &text, "f.json", &Anchors::default());
            assert_eq!(place(groups, &text, "f.json", spans.anchors()), whole);
        }
    }

    #[test]
    fn parents_of_paths() {
        assert_eq!(parent("a.b[1].c"), Some("a.b[1]"));
        assert_eq!(parent("a.b[1]"), Some("a.b"));
        assert_eq!(parent("a"), Some(""));
        assert_eq!(parent(""), None);
    }

    #[test]
    fn columns_inside_strings_count_escapes() {
        let text = "{\n  \"e\": \"a\\\"b\\u00e9c\"\n}";
        let pos = locate_paths_anchored(text, &["e"], &Anchors::default())[0].unwrap();
        assert_eq!((pos.line, pos.column), (2, 8));
        // a=9, \"=10-11, b=12, \u00e9=13-18, c=19
        assert_eq!(column_in_string(text, pos, 0), Some(9));
        assert_eq!(column_in_string(text, pos, 2), Some(12));
        assert_eq!(column_in_string(text, pos, 4), Some(19));
        let top = locate_paths_anchored(text, &[""], &Anchors::default())[0].unwrap();
        assert_eq!(column_in_string(text, top, 0), None);
    }
}
