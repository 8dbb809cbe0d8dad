//! Grammar of messages, defined once: counts with the right plural ("1 rule", "3 rules") and
//! the right article ("an Inbound rule", "a Full Import step").

/// `n` followed by the singular or the plural form of a word: `count(1, "rule", "rules")` is
/// "1 rule", `count(3, "rule", "rules")` "3 rules", `count(0, ...)` "0 rules".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", plural_of(n, singular, plural))
}

/// The singular form when `n` is one, else the plural form.
pub fn plural_of<'a>(n: usize, singular: &'a str, plural: &'a str) -> &'a str {
    if n == 1 {
        singular
    } else {
        plural
    }
}

/// The indefinite article ("a" or "an") for a word, by how the word is spoken: "an Inbound",
/// "an Export", "a User", "a Full Import", "an SQL" (letters spoken one by one), "a one".
pub fn article(word: &str) -> &'static str {
    let w = word.trim_start();
    let lower = w.to_lowercase();
    // Words spelt with a vowel but spoken with a consonant sound.
    const CONSONANT_SOUND: &[&str] = &["uni", "use", "usu", "uti", "eu", "one", "once"];
    if CONSONANT_SOUND.iter().any(|p| lower.starts_with(p)) {
        return "a";
    }
    // Upper-case abbreviations are spoken letter by letter: "an SQL", "an LDAP", "a GUID".
    let letters: String = w.chars().take_while(char::is_ascii_alphabetic).collect();
    if letters.len() >= 2 && letters.chars().all(|c| c.is_ascii_uppercase()) {
        return match letters.chars().next() {
            Some('A' | 'E' | 'F' | 'H' | 'I' | 'L' | 'M' | 'N' | 'O' | 'R' | 'S' | 'X') => "an",
            _ => "a",
        };
    }
    match lower.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// The word with its article: `with_article("Inbound")` is "an Inbound".
pub fn with_article(word: &str) -> String {
    format!("{} {word}", article(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_right_plural() {
        assert_eq!(count(0, "rule", "rules"), "0 rules");
        assert_eq!(count(1, "rule", "rules"), "1 rule");
        assert_eq!(count(3, "rule", "rules"), "3 rules");
        assert_eq!(
            count(1, "configuration change", "configuration changes"),
            "1 configuration change"
        );
        assert_eq!(count(2, "directory", "directories"), "2 directories");
    }

    #[test]
    fn articles_follow_the_sound() {
        assert_eq!(with_article("Inbound"), "an Inbound");
        assert_eq!(with_article("Outbound"), "an Outbound");
        assert_eq!(with_article("Export"), "an Export");
        assert_eq!(with_article("Full Import"), "a Full Import");
        assert_eq!(with_article("User"), "a User");
        assert_eq!(with_article("unique name"), "a unique name");
        assert_eq!(with_article("SQL database"), "an SQL database");
        assert_eq!(with_article("GUID"), "a GUID");
        assert_eq!(with_article("error"), "an error");
    }
}
