//! Which codes `syncpolicy validate` reports: `--select` and `--ignore` by code or code
//! prefix, as ruff does (the most specific selector wins; on a tie, ignoring wins).

use std::fmt;

/// A chosen set of codes. The default (nothing selected, nothing ignored) allows every code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Upper-cased selectors of `--select`; empty: every code.
    select: Vec<String>,
    /// Upper-cased selectors of `--ignore`.
    ignore: Vec<String>,
}

/// A selector that names no code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSelector {
    /// The selector as given.
    pub given: String,
    /// `select` or `ignore`.
    pub option: &'static str,
    /// The nearest known codes, closest first.
    pub nearest: Vec<String>,
}

impl fmt::Display for UnknownSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--{} {:?} is neither a code nor the beginning of one",
            self.option, self.given
        )?;
        if !self.nearest.is_empty() {
            write!(
                f,
                "\nhint: the nearest codes are {}",
                self.nearest.join(", ")
            )?;
        }
        write!(
            f,
            "\nhint: `syncpolicy validate --explain all` lists every code"
        )
    }
}

impl std::error::Error for UnknownSelector {}

impl Selection {
    /// A selection from the values of `--select` and `--ignore`. Each value may hold several
    /// selectors separated by commas; a selector is a code (`SP010`), the beginning of one
    /// (`SP01`, `SP0`), or `ALL`; case does not matter. `known` is every code the tool can
    /// report; a selector that begins none of them is an error naming the nearest codes.
    pub fn new<S: AsRef<str>>(
        select: &[S],
        ignore: &[S],
        known: &[&str],
    ) -> Result<Selection, UnknownSelector> {
        let parse = |values: &[S], option: &'static str| -> Result<Vec<String>, UnknownSelector> {
            let mut out = Vec::new();
            for value in values {
                for part in value.as_ref().split(',') {
                    let part = part.trim();
                    if part.is_empty() {
                        continue;
                    }
                    let upper = part.to_ascii_uppercase();
                    if upper == "ALL" {
                        out.push(String::new());
                        continue;
                    }
                    if !known
                        .iter()
                        .any(|k| k.to_ascii_uppercase().starts_with(&upper))
                    {
                        return Err(UnknownSelector {
                            given: part.to_owned(),
                            option,
                            nearest: nearest_names(&upper, known),
                        });
                    }
                    out.push(upper);
                }
            }
            Ok(out)
        };
        Ok(Selection {
            select: parse(select, "select")?,
            ignore: parse(ignore, "ignore")?,
        })
    }

    /// True when nothing is selected or ignored (every code is reported).
    pub fn is_everything(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }

    /// True when findings of `code` are reported: the longest selector matching the code
    /// decides (ignore wins a tie); with no matching selector, the code is reported unless
    /// `--select` chose other codes.
    pub fn allows(&self, code: &str) -> bool {
        if self.is_everything() {
            return true;
        }
        let longest = |selectors: &[String]| {
            selectors
                .iter()
                .filter(|s| {
                    code.len() >= s.len()
                        && code.as_bytes()[..s.len()].eq_ignore_ascii_case(s.as_bytes())
                })
                .map(String::len)
                .max()
        };
        match (longest(&self.select), longest(&self.ignore)) {
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => self.select.is_empty(),
        }
    }
}

/// The known codes or names `given` may have meant, nearest first: the one "did you mean" of
/// the tool (`syncpolicy_model::suggest`), so that a misspelt code gets the same suggestions
/// in `--select`, `--ignore`, `--explain` and `rule accept`.
pub fn nearest_names(given: &str, known: &[&str]) -> Vec<String> {
    use syncpolicy_model::suggest::{suggest, Suggestion};
    match suggest(given, known.iter().copied()) {
        Suggestion::Prefix(names) | Suggestion::Near(names) => names,
        Suggestion::Nothing => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &[
        "SP001", "SP002", "SP010", "SP011", "SP012", "SP070", "SP901",
    ];

    fn sel(select: &[&str], ignore: &[&str]) -> Selection {
        Selection::new(select, ignore, KNOWN).expect("known selectors")
    }

    #[test]
    fn default_allows_everything() {
        let s = sel(&[], &[]);
        assert!(s.is_everything());
        assert!(KNOWN.iter().all(|c| s.allows(c)));
    }

    #[test]
    fn select_by_code_and_prefix() {
        let s = sel(&["SP010"], &[]);
        assert!(s.allows("SP010") && !s.allows("SP011") && !s.allows("SP001"));
        let s = sel(&["sp01"], &[]);
        assert!(s.allows("SP010") && s.allows("SP011") && s.allows("SP012"));
        assert!(!s.allows("SP001") && !s.allows("SP070"));
    }

    #[test]
    fn comma_separated_and_repeated_values() {
        let s = sel(&["SP001,SP070", " SP011 "], &[]);
        assert!(s.allows("SP001") && s.allows("SP070") && s.allows("SP011"));
        assert!(!s.allows("SP010"));
    }

    #[test]
    fn the_most_specific_selector_wins() {
        let s = sel(&["SP01"], &["SP010"]);
        assert!(!s.allows("SP010") && s.allows("SP011"));
        let s = sel(&["SP010"], &["SP01"]);
        assert!(s.allows("SP010") && !s.allows("SP011") && !s.allows("SP001"));
        let s = sel(&[], &["SP0"]);
        assert!(!s.allows("SP001") && s.allows("SP901"));
        let s = sel(&["ALL"], &["SP070"]);
        assert!(s.allows("SP001") && !s.allows("SP070"));
        let s = sel(&["SP010"], &["SP010"]);
        assert!(!s.allows("SP010"), "ignore wins a tie");
    }

    #[test]
    fn unknown_selectors_name_the_nearest_codes() {
        let err = Selection::new(&["SP013"], &[], KNOWN).unwrap_err();
        assert_eq!(err.option, "select");
        assert!(err.nearest.contains(&"SP010".to_owned()), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("SP013") && text.contains("--explain all"),
            "{text}"
        );
        let err = Selection::new(&[], &["XY1"], KNOWN).unwrap_err();
        assert_eq!(err.option, "ignore");
        assert!(Selection::new(&["SP0100"], &[], KNOWN).is_err());
    }
}
