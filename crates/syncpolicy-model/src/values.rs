//! What the product allows as a value: attribute names, the user-matching options, the
//! applications of app filtering, directory extension object classes and data types, and
//! which rules' precedences clash. The one definition of each check: the change commands
//! (`syncpolicy-edit`) refuse what fails it, and `validate` (`syncpolicy-lint`) reports it
//! in files. Pure functions, no I/O.

use crate::config::{Configuration, RuleLocation, RuleSet};
use crate::rule::SyncRule;

/// Longest attribute name accepted (the AD schema's `lDAPDisplayName` is at most 256
/// characters).
pub const MAX_ATTRIBUTE_NAME: usize = 256;

/// Checks an attribute name as directory schemas allow it: an ASCII letter, then letters,
/// digits and hyphens (RFC 4512 `descr`, the form of AD `lDAPDisplayName`s such as
/// `mS-DS-ConsistencyGuid`), plus underscores (Entra ID's `extension_<app>_<name>` names).
/// Returns what is wrong.
pub fn check_attribute_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Err("the name is empty".to_owned()),
        Some(c) if !c.is_ascii_alphabetic() => {
            return Err(format!(
                "it starts with {}, not with a letter",
                describe_char(c)
            ))
        }
        Some(_) => {}
    }
    if let Some(c) = chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!(
            "it contains {}; attribute names have only letters, digits, hyphens and underscores",
            describe_char(c)
        ));
    }
    if name.len() > MAX_ATTRIBUTE_NAME {
        return Err(format!(
            "it is {} characters long, more than the {MAX_ATTRIBUTE_NAME} a schema allows",
            name.len()
        ));
    }
    Ok(())
}

/// Checks an object type a rule names (source or target): a schema name as
/// [`check_attribute_name`] allows, or `*` (any type, as "In from AD - ForeignSecurityPrincipal
/// Join User" targets).
pub fn check_object_type(name: &str) -> Result<(), String> {
    if name == "*" {
        return Ok(());
    }
    check_attribute_name(name)
}

fn describe_char(c: char) -> String {
    if c == ' ' {
        "a space".to_owned()
    } else if c.is_control() {
        format!("the control character U+{:04X}", u32::from(c))
    } else {
        format!("{c:?}")
    }
}

/// One user-matching option of the wizard ("Uniquely identifying your users").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchingOption {
    /// The value written in `identityMappingPolicy.userMatchingPolicy`.
    pub value: &'static str,
    /// Other spellings read as this option (compared without regard to case).
    pub aliases: &'static [&'static str],
    /// What it means, for people.
    pub meaning: &'static str,
    /// True when the option needs `userMatchingAttribute`.
    pub needs_attribute: bool,
}

/// The wizard's user-matching options. Microsoft does not publish the strings of
/// `userMatchingPolicy`; these are the values syncpolicy writes and reads, with the sync
/// engine's `JoinCriteria` spelling (`ObjectSID`) as an alias.
pub const MATCHING_OPTIONS: &[MatchingOption] = &[
    MatchingOption {
        value: "UsersRepresentedOnce",
        aliases: &["None", "AlwaysProvision"],
        meaning: "users are represented only once across all directories",
        needs_attribute: false,
    },
    MatchingOption {
        value: "MailAttribute",
        aliases: &["Mail"],
        meaning: "join users on the mail attribute",
        needs_attribute: false,
    },
    MatchingOption {
        value: "ObjectSIDAndMsExchMasterAccountSID",
        aliases: &["ObjectSID", "ObjectSIDAndMsRTCSIP-OriginatorSID"],
        meaning: "join on objectSID and msExchMasterAccountSID / msRTCSIP-OriginatorSID",
        needs_attribute: false,
    },
    MatchingOption {
        value: "SAMAccountNameAndMailNickname",
        aliases: &["SAMAccountName"],
        meaning: "join on sAMAccountName and mailNickname",
        needs_attribute: false,
    },
    MatchingOption {
        value: "SpecificAttribute",
        aliases: &["CustomAttribute"],
        meaning: "join on a chosen attribute (give the matching attribute)",
        needs_attribute: true,
    },
];

/// The user-matching option a value names (value or alias, without regard to case).
pub fn matching_option(value: &str) -> Option<&'static MatchingOption> {
    let v = value.trim();
    MATCHING_OPTIONS.iter().find(|o| {
        o.value.eq_ignore_ascii_case(v) || o.aliases.iter().any(|a| a.eq_ignore_ascii_case(v))
    })
}

/// The known user-matching values, for messages.
pub fn matching_values() -> String {
    MATCHING_OPTIONS
        .iter()
        .map(|o| o.value)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The applications of Entra ID app and attribute filtering: the wizard's list, one per
/// out-of-box "Out to AAD - User <App>" rule, plus the wizard's "3rd party application".
/// Each is (name as the wizard shows it, the rule's spelling).
pub const APPLICATIONS: &[(&str, &str)] = &[
    ("Office 365 ProPlus", "OfficeProPlus"),
    ("Exchange Online", "ExchangeOnline"),
    ("SharePoint Online", "SharePointOnline"),
    ("Lync Online", "LyncOnline"),
    ("Azure RMS", "AzureRMS"),
    ("Intune", "Intune"),
    ("Dynamics CRM", "DynamicsCRM"),
    ("3rd party application", "ThirdPartyApplication"),
];

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The application a name means (the wizard's name or the rule's spelling, without regard to
/// case or spaces; `Office 365 ProPlus` also as `Office365ProPlus`), as the wizard names it.
pub fn application(name: &str) -> Option<&'static str> {
    let n = squash(name);
    APPLICATIONS
        .iter()
        .find(|(shown, rule)| squash(shown) == n || squash(rule) == n)
        .map(|(shown, _)| *shown)
}

/// The application names, for messages.
pub fn application_names() -> String {
    APPLICATIONS
        .iter()
        .map(|(shown, _)| *shown)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Object classes a directory extension attribute may belong to (the wizard offers user and
/// group attributes).
pub const EXTENSION_OBJECT_CLASSES: &[&str] = &["user", "group"];

/// Data types of single-valued directory extension attributes.
pub const EXTENSION_DATA_TYPES: &[&str] = &["String", "Boolean", "Integer", "Binary"];

/// Data types of multi-valued directory extension attributes.
pub const EXTENSION_MULTI_VALUED_DATA_TYPES: &[&str] = &["String", "Binary"];

/// Checks a directory extension's object class, data type and multi-valuedness against what
/// the wizard offers. Returns what is wrong and what is allowed.
pub fn check_extension(
    object_class: &str,
    data_type: &str,
    multi_valued: bool,
) -> Result<(), (String, String)> {
    if !EXTENSION_OBJECT_CLASSES
        .iter()
        .any(|c| c.eq_ignore_ascii_case(object_class.trim()))
    {
        return Err((
            format!("{object_class:?} is not an object class directory extensions are offered for"),
            format!("use {}", EXTENSION_OBJECT_CLASSES.join(" or ")),
        ));
    }
    let allowed = if multi_valued {
        EXTENSION_MULTI_VALUED_DATA_TYPES
    } else {
        EXTENSION_DATA_TYPES
    };
    if !allowed
        .iter()
        .any(|t| t.eq_ignore_ascii_case(data_type.trim()))
    {
        return Err((
            format!(
                "{data_type:?} is not a data type of a {}directory extension",
                if multi_valued { "multi-valued " } else { "" }
            ),
            format!("use one of {}", allowed.join(", ")),
        ));
    }
    Ok(())
}

/// Which rules share one precedence number space: custom rules among themselves across the
/// whole server, standard rules among themselves, and a custom rule with a standard rule of
/// the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrecedenceClash {
    /// Two custom rules.
    Custom,
    /// Two standard rules.
    Standard,
    /// A custom rule and a standard rule of the same direction.
    CustomWithStandard,
}

/// True when the rule counts as a standard rule for precedence (an out-of-box tag, or a place
/// in a standard rule list).
pub fn counts_as_standard(at: RuleLocation, rule: &SyncRule) -> bool {
    rule.is_standard() || at.set == RuleSet::Standard
}

/// How two rules with the same precedence clash, if they do.
pub fn precedence_clash(
    a: (RuleLocation, &SyncRule),
    b: (RuleLocation, &SyncRule),
) -> Option<PrecedenceClash> {
    if a.0 == b.0 || a.1.precedence != b.1.precedence {
        return None;
    }
    match (counts_as_standard(a.0, a.1), counts_as_standard(b.0, b.1)) {
        (false, false) => Some(PrecedenceClash::Custom),
        (true, true) => Some(PrecedenceClash::Standard),
        _ => {
            let same_direction = a.1.direction.is_some() && a.1.direction == b.1.direction;
            same_direction.then_some(PrecedenceClash::CustomWithStandard)
        }
    }
}

/// The first rule (other than `rule` itself) whose precedence clashes with `rule` when `rule`
/// takes `precedence`.
pub fn precedence_taken_by(
    config: &Configuration,
    at: Option<RuleLocation>,
    rule: &SyncRule,
    precedence: i32,
) -> Option<(RuleLocation, PrecedenceClash)> {
    let mut probe = rule.clone();
    probe.precedence = precedence;
    // A rule not yet in the configuration gets a location no rule has.
    let here = at.unwrap_or(RuleLocation {
        directory: crate::config::DirectoryRef::Azure,
        set: RuleSet::Custom,
        index: usize::MAX,
    });
    config
        .rules()
        .find_map(|(loc, other)| precedence_clash((here, &probe), (loc, other)).map(|c| (loc, c)))
}

/// Every clash of the configuration: (the later rule, the earlier rule holding the same
/// precedence, how they clash), in rule order, each later rule reported once per kind.
pub fn precedence_clashes(
    config: &Configuration,
) -> Vec<(RuleLocation, RuleLocation, PrecedenceClash)> {
    // The rules grouped by precedence with one sort of their indices (a map holding a list per
    // precedence cost several MB for a large configuration); within a group, in rule order.
    let rules: Vec<(RuleLocation, &SyncRule)> = config.rules().collect();
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_unstable_by_key(|&i| (rules[i].1.precedence, i));
    // (later rule, earlier rule, kind), by index.
    let mut found: Vec<(usize, usize, PrecedenceClash)> = Vec::new();
    for group in order.chunk_by(|&a, &b| rules[a].1.precedence == rules[b].1.precedence) {
        for (n, &later) in group.iter().enumerate() {
            let mut seen: Vec<PrecedenceClash> = Vec::new();
            for &earlier in &group[..n] {
                if let Some(kind) = precedence_clash(rules[later], rules[earlier]) {
                    if !seen.contains(&kind) {
                        seen.push(kind);
                        found.push((later, earlier, kind));
                    }
                }
            }
        }
    }
    // Rule order of the later rule, then of the earlier one.
    found.sort_unstable_by_key(|&(later, earlier, _)| (later, earlier));
    found
        .into_iter()
        .map(|(later, earlier, kind)| (rules[later].0, rules[earlier].0, kind))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The clashes of one sort of the rules are those of comparing every rule with every
    /// earlier rule of the same precedence: same pairs, same order, once per kind.
    #[test]
    fn precedence_clashes_are_those_of_every_earlier_rule() {
        use crate::config::{Configuration, OnPremisesDirectory};
        use crate::enums::Direction;
        fn naive(config: &Configuration) -> Vec<(RuleLocation, RuleLocation, PrecedenceClash)> {
            let rules: Vec<(RuleLocation, &SyncRule)> = config.rules().collect();
            let mut out = Vec::new();
            for (n, &later) in rules.iter().enumerate() {
                let mut seen = Vec::new();
                for &earlier in &rules[..n] {
                    if let Some(kind) = precedence_clash(later, earlier) {
                        if !seen.contains(&kind) {
                            seen.push(kind);
                            out.push((later.0, earlier.0, kind));
                        }
                    }
                }
            }
            out
        }
        let mut config = Configuration::default();
        let mut state = 7u32;
        let mut next = |m: u32| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) % m
        };
        let rule = |next: &mut dyn FnMut(u32) -> u32| SyncRule {
            precedence: next(6) as i32,
            immutable_tag: (next(3) == 0).then(|| "Microsoft.InfromADUserJoin.001".to_owned()),
            direction: match next(3) {
                0 => None,
                1 => Some(Direction::Inbound),
                _ => Some(Direction::Outbound),
            },
            ..SyncRule::default()
        };
        for _ in 0..4 {
            let mut d = OnPremisesDirectory::default();
            for _ in 0..12 {
                d.standard_rules.push(rule(&mut next));
                d.custom_rules.push(rule(&mut next));
            }
            config.onpremises_directories.push(d);
        }
        for _ in 0..10 {
            config.azure_directory.custom_rules.push(rule(&mut next));
        }
        let want = naive(&config);
        assert!(want.len() > 50, "the sample has clashes of every kind");
        for kind in [
            PrecedenceClash::Custom,
            PrecedenceClash::Standard,
            PrecedenceClash::CustomWithStandard,
        ] {
            assert!(want.iter().any(|c| c.2 == kind), "{kind:?}");
        }
        assert_eq!(precedence_clashes(&config), want);
    }

    #[test]
    fn attribute_names_follow_the_schema_syntax() {
        for ok in [
            "objectGUID",
            "mS-DS-ConsistencyGuid",
            "extensionAttribute15",
            "extension_0123abcd_costCenter",
        ] {
            assert_eq!(check_attribute_name(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "bad attr!!",
            "1abc",
            "-x",
            "a.b",
            "name\u{7}",
            &"a".repeat(300),
        ] {
            assert!(check_attribute_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_attribute_name("bad attr!!")
            .unwrap_err()
            .contains("a space"));
    }

    #[test]
    fn matching_options_accept_values_and_aliases_without_case() {
        assert_eq!(
            matching_option("mailattribute").map(|o| o.value),
            Some("MailAttribute")
        );
        assert_eq!(
            matching_option("ObjectSID").map(|o| o.value),
            Some("ObjectSIDAndMsExchMasterAccountSID")
        );
        assert!(matching_option("Bogus").is_none());
        assert!(matching_option("SpecificAttribute").is_some_and(|o| o.needs_attribute));
    }

    #[test]
    fn applications_are_matched_by_either_spelling() {
        assert_eq!(application("exchange online"), Some("Exchange Online"));
        assert_eq!(application("ExchangeOnline"), Some("Exchange Online"));
        assert_eq!(application("OfficeProPlus"), Some("Office 365 ProPlus"));
        assert_eq!(application("Office365ProPlus"), Some("Office 365 ProPlus"));
        assert_eq!(application("Bogus App"), None);
    }

    #[test]
    fn extensions_are_user_or_group_with_the_offered_types() {
        assert!(check_extension("user", "String", false).is_ok());
        assert!(check_extension("Group", "binary", true).is_ok());
        assert!(check_extension("contact", "String", false).is_err());
        assert!(check_extension("user", "Integer", true).is_err());
        assert!(check_extension("user", "DateTime", false).is_err());
    }
}
