//! Word-level inline diff of two texts (long expressions, descriptions): the texts are split
//! into words, runs of white space and single punctuation characters, and the longest common
//! subsequence of those tokens is kept.

use serde::Serialize;

/// What a part of a word diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WordOp {
    /// In both texts.
    Same,
    /// Only in the old text.
    Removed,
    /// Only in the new text.
    Added,
}

/// One run of tokens with the same fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordPart {
    pub op: WordOp,
    pub text: String,
}

/// Above this many token pairs the diff gives up on alignment and reports the whole old text
/// removed and the whole new text added (keeps time and memory bounded).
const MAX_CELLS: usize = 4_000_000;

/// Splits a text into tokens: words (letters, digits, `_`), runs of white space, and every
/// other character on its own.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<u8> = None;
    for (i, ch) in text.char_indices() {
        let class = if ch.is_alphanumeric() || ch == '_' {
            0
        } else if ch.is_whitespace() {
            1
        } else {
            2
        };
        if let Some(p) = prev {
            if p != class || class == 2 {
                out.push(&text[start..i]);
                start = i;
            }
        }
        prev = Some(class);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The word-level diff of two texts, as runs in reading order (removed before added where
/// both occur at one place).
pub fn word_diff(old: &str, new: &str) -> Vec<WordPart> {
    let a = tokens(old);
    let b = tokens(new);
    // Common prefix and suffix need no table.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let am = &a[prefix..a.len() - suffix];
    let bm = &b[prefix..b.len() - suffix];
    let mut parts: Vec<WordPart> = Vec::new();
    let mut push = |op: WordOp, text: &str| {
        if text.is_empty() {
            return;
        }
        match parts.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => parts.push(WordPart {
                op,
                text: text.to_owned(),
            }),
        }
    };
    for t in &a[..prefix] {
        push(WordOp::Same, t);
    }
    if am.len().saturating_mul(bm.len()) > MAX_CELLS {
        for t in am {
            push(WordOp::Removed, t);
        }
        for t in bm {
            push(WordOp::Added, t);
        }
    } else {
        // lcs[i][j]: length of the LCS of am[i..] and bm[j..].
        let w = bm.len() + 1;
        let mut lcs = vec![0u32; (am.len() + 1) * w];
        for i in (0..am.len()).rev() {
            for j in (0..bm.len()).rev() {
                lcs[i * w + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < am.len() || j < bm.len() {
            if i < am.len() && j < bm.len() && am[i] == bm[j] {
                push(WordOp::Same, am[i]);
                i += 1;
                j += 1;
            } else if j == bm.len() || (i < am.len() && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])
            {
                push(WordOp::Removed, am[i]);
                i += 1;
            } else {
                push(WordOp::Added, bm[j]);
                j += 1;
            }
        }
    }
    for t in &a[a.len() - suffix..] {
        push(WordOp::Same, t);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(parts: &[WordPart]) -> String {
        parts
            .iter()
            .map(|p| match p.op {
                WordOp::Same => p.text.clone(),
                WordOp::Removed => format!("[-{}-]", p.text),
                WordOp::Added => format!("{{+{}+}}", p.text),
            })
            .collect()
    }

    #[test]
    fn changes_only_the_changed_words() {
        let d = word_diff(
            "IIF(IsPresent([c]), UCase(Left([c], 2)), NULL)",
            "IIF(IsPresent([c]), LCase(Left([c], 3)), NULL)",
        );
        assert_eq!(
            show(&d),
            "IIF(IsPresent([c]), [-UCase-]{+LCase+}(Left([c], [-2-]{+3+})), NULL)"
        );
    }

    #[test]
    fn tokens_keep_every_character() {
        let t = "a  b,\"c\"";
        assert_eq!(tokens(t).concat(), t);
        assert_eq!(tokens(t), vec!["a", "  ", "b", ",", "\"", "c", "\""]);
    }

    #[test]
    fn equal_texts_are_one_same_part() {
        let d = word_diff("x y", "x y");
        assert_eq!(
            d,
            vec![WordPart {
                op: WordOp::Same,
                text: "x y".to_owned()
            }]
        );
        assert!(word_diff("", "").is_empty());
    }
}
