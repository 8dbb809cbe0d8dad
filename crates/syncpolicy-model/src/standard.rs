//! Standard (out-of-box) rule conventions: the `Microsoft.<Tag>.<NNN>` immutable tag.

/// True when an immutable tag marks a standard rule.
pub fn is_standard_tag(tag: &str) -> bool {
    tag.starts_with("Microsoft.")
}

/// A parsed standard tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StandardTag {
    /// The version-agnostic part, e.g. `Microsoft.InfromADUserJoin`.
    pub base: String,
    /// The version number (`3` for `.003`), when the tag ends in digits.
    pub version: Option<u32>,
}

impl StandardTag {
    /// Parses `Microsoft.<Tag>.<NNN>`; returns `None` for a tag that is not standard.
    pub fn parse(tag: &str) -> Option<Self> {
        if !is_standard_tag(tag) {
            return None;
        }
        match tag.rsplit_once('.') {
            Some((base, digits))
                if base.len() > "Microsoft".len()
                    && !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(StandardTag {
                    base: base.to_owned(),
                    version: digits.parse().ok(),
                })
            }
            _ => Some(StandardTag {
                base: tag.to_owned(),
                version: None,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versioned_tags() {
        let t = StandardTag::parse("Microsoft.InfromADUserJoin.003").unwrap();
        assert_eq!(t.base, "Microsoft.InfromADUserJoin");
        assert_eq!(t.version, Some(3));
        assert!(StandardTag::parse("Contoso.Custom.001").is_none());
        assert_eq!(StandardTag::parse("Microsoft.Odd").unwrap().version, None);
    }
}
