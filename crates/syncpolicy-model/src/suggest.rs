//! "Did you mean": the names nearest to one that matched nothing, and the names a prefix
//! matches (listed as git lists an ambiguous prefix), for every lookup of a typed name (rules,
//! directories, partitions, run profiles, functions, finding codes).

/// How many near names a hint offers at most.
pub const MAX_SUGGESTIONS: usize = 3;

/// How many names an ambiguity lists before "and N more".
pub const MAX_LISTED: usize = 10;

/// Names longer than this (in characters) are not compared: a hint is not worth quadratic time
/// on hostile input.
const MAX_COMPARED: usize = 256;

/// Jaro-Winkler similarity (0 to 1, case-insensitive) from which a name counts as near.
const NEAR_SIMILARITY: f64 = 0.85;

/// What a typed name that matched nothing may have meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// Nothing is near.
    Nothing,
    /// The typed text is the start of several names (all of them, in the order given).
    Prefix(Vec<String>),
    /// The nearest names, nearest first (at most [`MAX_SUGGESTIONS`]).
    Near(Vec<String>),
}

impl Suggestion {
    /// The hint line's text (without `hint: `), or `None` when nothing is near.
    ///
    /// `what` names the kind in the plural ("rule names", "functions").
    pub fn hint(&self, typed: &str, what: &str) -> Option<String> {
        match self {
            Suggestion::Nothing => None,
            Suggestion::Prefix(names) if names.len() == 1 => {
                Some(format!("did you mean {}?", quote(&names[0])))
            }
            Suggestion::Prefix(names) => Some(format!(
                "{} is the start of {} {what}: {}",
                quote(typed),
                names.len(),
                listing(names)
            )),
            Suggestion::Near(names) if names.len() == 1 => {
                Some(format!("did you mean {}?", quote(&names[0])))
            }
            Suggestion::Near(names) => Some(format!(
                "did you mean one of {}?",
                names
                    .iter()
                    .map(|n| quote(n))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// The names `typed` may have meant: every name it is the start of (case-insensitively, when
/// there is one), else the nearest names, nearest first: those fewest Damerau-Levenshtein
/// edits away when that is one or two, else the most similar by Jaro-Winkler. Duplicates (ignoring case) are listed once.
pub fn suggest<'a, I>(typed: &str, names: I) -> Suggestion
where
    I: IntoIterator<Item = &'a str>,
{
    let typed = typed.trim();
    if typed.is_empty() || typed.chars().count() > MAX_COMPARED {
        return Suggestion::Nothing;
    }
    let want = typed.to_lowercase();
    let mut seen = std::collections::HashSet::new();
    let names: Vec<&str> = names
        .into_iter()
        .filter(|n| !n.trim().is_empty() && seen.insert(n.to_lowercase()))
        .collect();
    let prefixed: Vec<String> = names
        .iter()
        .filter(|n| {
            let n = n.to_lowercase();
            n.starts_with(&want) && n != want
        })
        .map(|n| (*n).to_owned())
        .collect();
    if !prefixed.is_empty() {
        return Suggestion::Prefix(prefixed);
    }
    let mut near: Vec<(f64, usize, &str)> = names
        .iter()
        .filter(|n| n.chars().count() <= MAX_COMPARED)
        .filter_map(|n| {
            let lower = n.to_lowercase();
            let similarity = strsim::jaro_winkler(&want, &lower);
            let distance = strsim::damerau_levenshtein(&want, &lower);
            // A short name differs from what was typed by one or two edits at most.
            let close = distance <= 2 && distance < want.chars().count().max(2);
            (similarity >= NEAR_SIMILARITY || close).then_some((similarity, distance, *n))
        })
        .collect();
    // Fewest edits first; when some name is one or two edits away, only the names that few
    // edits away are offered ("Trm": "Trim", not also "Item").
    near.sort_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)));
    let Some(&(_, best, _)) = near.first() else {
        return Suggestion::Nothing;
    };
    if best <= 2 {
        near.retain(|n| n.1 == best);
    } else {
        near.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    Suggestion::Near(
        near.into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, _, n)| n.to_owned())
            .collect(),
    )
}

/// The hint for `typed` among `names`, if any name is near (see [`suggest`]).
pub fn hint<'a, I>(typed: &str, names: I, what: &str) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    suggest(typed, names).hint(typed, what)
}

/// Up to [`MAX_LISTED`] names, quoted, then "and N more".
pub fn listing(names: &[String]) -> String {
    let mut s = names
        .iter()
        .take(MAX_LISTED)
        .map(|n| quote(n))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > MAX_LISTED {
        s.push_str(&format!(", and {} more", names.len() - MAX_LISTED));
    }
    s
}

/// A name as a hint shows it: in double quotes, control characters escaped.
fn quote(name: &str) -> String {
    format!("{name:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_function_suggests_the_nearest() {
        let names = ["Trim", "Left", "Right", "Join", "TrimEnd"];
        assert_eq!(
            hint("Trm", names, "functions").as_deref(),
            Some("did you mean \"Trim\"?")
        );
    }

    #[test]
    fn the_nearest_come_first() {
        let names = [
            "In from AD - User Common",
            "In from AD - User Join",
            "Out to AD",
        ];
        assert_eq!(
            suggest("in from ad - user joni", names),
            Suggestion::Near(vec!["In from AD - User Join".to_owned()])
        );
        assert_eq!(
            hint("Trm", ["Item", "LTrim", "Trim"], "functions").as_deref(),
            Some("did you mean \"Trim\"?")
        );
        assert_eq!(
            hint("contoso.cmo", ["contoso.com", "contoso.org"], "directories").as_deref(),
            Some("did you mean \"contoso.com\"?")
        );
    }

    #[test]
    fn a_prefix_of_several_lists_them_all() {
        let names = ["contoso.com", "contoso.net", "fabrikam.com"];
        assert_eq!(
            hint("contoso", names, "directories").as_deref(),
            Some("\"contoso\" is the start of 2 directories: \"contoso.com\", \"contoso.net\"")
        );
        assert_eq!(
            hint("fab", names, "directories").as_deref(),
            Some("did you mean \"fabrikam.com\"?")
        );
    }

    #[test]
    fn nothing_near_gives_no_hint() {
        assert_eq!(
            hint("zzzzzz", ["Trim", "Left"], "functions"),
            None,
            "an unrelated name is not suggested"
        );
        assert_eq!(hint("", ["Trim"], "functions"), None);
        assert_eq!(hint(&"x".repeat(10_000), ["Trim"], "functions"), None);
    }

    #[test]
    fn a_long_ambiguity_is_cut_short() {
        let names: Vec<String> = (0..25).map(|i| format!("rule {i:02}")).collect();
        let h = hint("rule", names.iter().map(String::as_str), "rule names").unwrap();
        assert!(
            h.starts_with("\"rule\" is the start of 25 rule names: \"rule 00\""),
            "{h}"
        );
        assert!(h.ends_with(", and 15 more"), "{h}");
    }

    #[test]
    fn control_characters_are_escaped() {
        let h = hint("ab", ["ab\u{1b}[2J"], "names").unwrap();
        assert!(!h.contains('\u{1b}'), "{h}");
    }
}
