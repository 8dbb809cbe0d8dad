//! Typed vocabularies of sync rules (direction, link type, flow type, merge type, scope
//! operator) that keep unknown spellings verbatim instead of rejecting them at read time.

use std::fmt;

macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept exactly as written.
            Unknown(String),
        }

        impl $name {
            /// Every known value, in documentation order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// Parses the canonical spelling; matching is exact first, then
            /// case-insensitive. Anything else becomes `Unknown`.
            pub fn parse(text: &str) -> Self {
                match text {
                    $( $text => return $name::$variant, )+
                    _ => {}
                }
                $( if text.eq_ignore_ascii_case($text) { return $name::$variant; } )+
                $name::Unknown(text.to_owned())
            }

            /// The canonical spelling (or the unknown text as written).
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Unknown(text) => text,
                }
            }

            /// True for a value this version does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }

            /// The canonical spellings of every known value.
            pub fn known_spellings() -> Vec<&'static str> {
                vec![$($text),+]
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

open_enum! {
    /// Which way a rule flows: from a connector space into the metaverse, or out of it.
    Direction { Inbound = "Inbound", Outbound = "Outbound" }
}

open_enum! {
    /// How a rule links a connector-space object to a metaverse object.
    LinkType {
        Provision = "Provision",
        StickyJoin = "StickyJoin",
        Join = "Join",
        JoinNoFlow = "JoinNoFlow",
    }
}

open_enum! {
    /// How an attribute mapping computes its value.
    FlowType { Direct = "Direct", Constant = "Constant", Expression = "Expression" }
}

open_enum! {
    /// How a mapped value is merged into a (multi-valued) target attribute.
    MergeType {
        Update = "Update",
        Replace = "Replace",
        MergeCaseInsensitive = "MergeCaseInsensitive",
        Merge = "Merge",
    }
}

open_enum! {
    /// The comparison of one scoping-filter clause.
    ScopeOperator {
        Equal = "EQUAL",
        NotEqual = "NOTEQUAL",
        LessThan = "LESSTHAN",
        LessThanOrEqual = "LESSTHAN_OR_EQUAL",
        Contains = "CONTAINS",
        NotContains = "NOTCONTAINS",
        StartsWith = "STARTSWITH",
        NotStartsWith = "NOTSTARTSWITH",
        EndsWith = "ENDSWITH",
        NotEndsWith = "NOTENDSWITH",
        GreaterThan = "GREATERTHAN",
        GreaterThanOrEqual = "GREATERTHAN_OR_EQUAL",
        IsNull = "ISNULL",
        IsNotNull = "ISNOTNULL",
        IsIn = "ISIN",
        IsNotIn = "ISNOTIN",
        IsBitSet = "ISBITSET",
        IsBitNotSet = "ISBITNOTSET",
        IsMemberOf = "ISMEMBEROF",
        IsNotMemberOf = "ISNOTMEMBEROF",
    }
}

impl ScopeOperator {
    /// True for the group-membership operators, which outbound rules may not use.
    pub fn is_member_of(&self) -> bool {
        matches!(
            self,
            ScopeOperator::IsMemberOf | ScopeOperator::IsNotMemberOf
        )
    }

    /// True for operators that take no comparison value.
    pub fn is_unary(&self) -> bool {
        matches!(self, ScopeOperator::IsNull | ScopeOperator::IsNotNull)
    }
}

#[allow(
    clippy::derivable_impls,
    reason = "the enum comes from a macro that derives a fixed set of traits"
)]
impl Default for MergeType {
    fn default() -> Self {
        MergeType::Update
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_parse_and_print_back() {
        for op in ScopeOperator::KNOWN {
            assert_eq!(&ScopeOperator::parse(op.as_str()), op);
        }
        assert_eq!(LinkType::parse("stickyjoin"), LinkType::StickyJoin);
    }

    #[test]
    fn unknown_values_are_kept_verbatim() {
        let d = Direction::parse("Sideways");
        assert!(d.is_unknown());
        assert_eq!(d.as_str(), "Sideways");
    }
}
