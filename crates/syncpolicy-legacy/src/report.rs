//! The migration report: counts, what was kept in the extension part, every item that was
//! fixed, needs review or must be redone by hand, and the rules that could not be attached.

use syncpolicy_model::codes::{CodeFamily, CodeInfo};
use syncpolicy_model::diagnostic::{Diagnostic, Location, Severity};
use syncpolicy_model::rule::SyncRule;

/// How an item of the report is classified (as midPoint's `verify` does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Classification {
    /// The migration handled it; nothing to do.
    FixedAutomatically,
    /// Migrated, but a person should look at it before the file is imported.
    NeedsReview,
    /// Could not be carried into the settings file; must be set up again by hand.
    RedoByHand,
}

impl Classification {
    /// Kebab-case name (`fixed-automatically`, `needs-review`, `redo-by-hand`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Classification::FixedAutomatically => "fixed-automatically",
            Classification::NeedsReview => "needs-review",
            Classification::RedoByHand => "redo-by-hand",
        }
    }

    /// A readable heading.
    pub fn label(&self) -> &'static str {
        match self {
            Classification::FixedAutomatically => "fixed automatically",
            Classification::NeedsReview => "needs review",
            Classification::RedoByHand => "must be redone by hand",
        }
    }

    fn severity(&self) -> Severity {
        match self {
            Classification::FixedAutomatically => Severity::Info,
            Classification::NeedsReview => Severity::Warning,
            Classification::RedoByHand => Severity::Error,
        }
    }
}

/// One item of the report: its class and the diagnostic (code, message, file and element).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportItem {
    pub class: Classification,
    pub diagnostic: Diagnostic,
}

/// Numbers of what was migrated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Connector files read.
    pub connectors: usize,
    /// On-premises AD connectors (directories).
    pub ad_connectors: usize,
    /// Whether the Entra connector was found.
    pub entra_connector: bool,
    pub partitions: usize,
    pub selected_partitions: usize,
    /// Rule files read.
    pub rules: usize,
    pub standard_rules: usize,
    pub custom_rules: usize,
    /// Disabled rules (standard and custom).
    pub disabled_rules: usize,
    pub unattached_rules: usize,
    /// MV.xml parameters read.
    pub global_parameters: usize,
}

/// A rule whose connector is not in the folder: kept here, in full, instead of dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnattachedRule {
    /// The rule file (relative to the export folder).
    pub file: String,
    /// The connector identifier the rule names, as written.
    pub connector: String,
    pub rule: SyncRule,
}

/// Everything the migration has to say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationReport {
    pub counts: Counts,
    /// What was kept in the settings file's extension part because Microsoft's format has no
    /// place for it, one readable line each.
    pub kept_in_extension: Vec<String>,
    pub items: Vec<ReportItem>,
    pub unattached_rules: Vec<UnattachedRule>,
}

impl MigrationReport {
    /// Items of one class.
    pub fn items_of(&self, class: Classification) -> impl Iterator<Item = &ReportItem> {
        self.items.iter().filter(move |i| i.class == class)
    }

    /// True when something must be redone by hand.
    pub fn has_redo_by_hand(&self) -> bool {
        self.items
            .iter()
            .any(|i| i.class == Classification::RedoByHand)
    }

    /// Number of items of one class.
    pub fn count(&self, class: Classification) -> usize {
        self.items_of(class).count()
    }

    pub(crate) fn push(
        &mut self,
        class: Classification,
        code: (&str, &str),
        message: impl Into<String>,
        location: Location,
        help: Option<String>,
    ) {
        let mut d = Diagnostic::new(code.0, code.1, class.severity(), message, location);
        d.help = help;
        self.items.push(ReportItem {
            class,
            diagnostic: d,
        });
    }
}

/// Item codes of the report.
pub mod codes {
    use super::Classification;

    pub const IDENTIFIERS_NORMALIZED: (&str, &str) = ("SP301", "identifiers-normalized");
    pub const KEPT_IN_EXTENSION: (&str, &str) = ("SP302", "kept-in-extension");
    pub const UNKNOWN_PARAMETER_KEPT: (&str, &str) = ("SP303", "unknown-parameter-kept");
    pub const METADATA_MISSING: (&str, &str) = ("SP310", "metadata-missing");
    pub const NOT_IN_LEGACY_EXPORT: (&str, &str) = ("SP311", "not-in-legacy-export");
    pub const DISABLED_CUSTOM_RULE: (&str, &str) = ("SP312", "disabled-custom-rule");
    pub const UNKNOWN_VALUE_KEPT: (&str, &str) = ("SP313", "unknown-value-kept");
    pub const WRITEBACK_FOREST_UNKNOWN: (&str, &str) = ("SP314", "writeback-forest-unknown");
    pub const OBJECT_TYPES_DIFFER: (&str, &str) = ("SP315", "partition-object-types-differ");
    pub const METAVERSE_SCHEMA_NOT_COMPARED: (&str, &str) =
        ("SP316", "metaverse-schema-not-compared");
    pub const SIGN_IN_NOT_RECORDED: (&str, &str) = ("SP317", "sign-in-not-recorded");
    pub const LIST_NOT_UNDERSTOOD: (&str, &str) = ("SP318", "parameter-list-not-understood");
    pub const GROUP_FILTER_NOT_FOUND: (&str, &str) = ("SP319", "group-filter-not-found");
    pub const CREDENTIAL_NOT_EXPORTED: (&str, &str) = ("SP320", "credential-not-exported");
    pub const EXPORT_FILE_MISSING: (&str, &str) = ("SP321", "migrate-settings-file-missing");
    pub const UNATTACHED_RULE: (&str, &str) = ("SP330", "unattached-rule");
    pub const UNSUPPORTED_CONNECTOR: (&str, &str) = ("SP331", "unsupported-connector");
    pub const UNKNOWN_RULE_ELEMENT: (&str, &str) = ("SP332", "unknown-rule-element");
    pub const SECOND_ENTRA_CONNECTOR: (&str, &str) = ("SP333", "second-entra-connector");
    pub const WRITEBACK_NOT_KEPT: (&str, &str) = ("SP334", "writeback-container-not-kept");

    /// Every item code of the report with its class and a one-line summary (for
    /// `validate --explain` and the documentation).
    pub const ALL: &[(&str, &str, Classification, &str)] = &[
        (IDENTIFIERS_NORMALIZED.0, IDENTIFIERS_NORMALIZED.1, Classification::FixedAutomatically, "connector and rule identifiers were written in another case or without braces; they are normalized and matched ignoring both"),
        (KEPT_IN_EXTENSION.0, KEPT_IN_EXTENSION.1, Classification::FixedAutomatically, "what Microsoft's settings format has no place for is kept in the settings file's x-syncpolicy part"),
        (UNKNOWN_PARAMETER_KEPT.0, UNKNOWN_PARAMETER_KEPT.1, Classification::FixedAutomatically, "MV.xml parameters this version does not know are kept verbatim as global parameters"),
        (METADATA_MISSING.0, METADATA_MISSING.1, Classification::NeedsReview, "MigratedPolicy.json does not give some metadata; it stays empty in the settings file"),
        (NOT_IN_LEGACY_EXPORT.0, NOT_IN_LEGACY_EXPORT.1, Classification::NeedsReview, "something the settings file needs is not part of a legacy export (Entra administrator, tenant, an Entra connector, rule files)"),
        (DISABLED_CUSTOM_RULE.0, DISABLED_CUSTOM_RULE.1, Classification::NeedsReview, "a custom rule is disabled; Microsoft's import enables disabled custom rules"),
        (UNKNOWN_VALUE_KEPT.0, UNKNOWN_VALUE_KEPT.1, Classification::NeedsReview, "a value this version does not know (direction, link type, operator, merge type, sign-in method, boolean) is kept as written"),
        (WRITEBACK_FOREST_UNKNOWN.0, WRITEBACK_FOREST_UNKNOWN.1, Classification::NeedsReview, "group or device writeback is on, but its forest is not a migrated directory or its container is empty"),
        (OBJECT_TYPES_DIFFER.0, OBJECT_TYPES_DIFFER.1, Classification::NeedsReview, "partitions of one connector filter different object types; the first partition's list is kept"),
        (METAVERSE_SCHEMA_NOT_COMPARED.0, METAVERSE_SCHEMA_NOT_COMPARED.1, Classification::NeedsReview, "metaverse schema extensions are not migrated (MV.xml holds the whole schema, not the difference)"),
        (SIGN_IN_NOT_RECORDED.0, SIGN_IN_NOT_RECORDED.1, Classification::NeedsReview, "the sign-in method is not recorded by older servers"),
        (LIST_NOT_UNDERSTOOD.0, LIST_NOT_UNDERSTOOD.1, Classification::NeedsReview, "a list parameter is not in the expected form; it is kept as a global parameter"),
        (GROUP_FILTER_NOT_FOUND.0, GROUP_FILTER_NOT_FOUND.1, Classification::NeedsReview, "group filtering is on, but no standard rule names the pilot group"),
        (CREDENTIAL_NOT_EXPORTED.0, CREDENTIAL_NOT_EXPORTED.1, Classification::NeedsReview, "a credential is never exported; it is asked for at import"),
        (EXPORT_FILE_MISSING.0, EXPORT_FILE_MISSING.1, Classification::NeedsReview, "MigratedPolicy.json or PersistedState.xml, which MigrateSettings.ps1 adds, is missing (a folder written by Get-ADSyncServerConfiguration alone); what it would have supplied stays empty"),
        (UNATTACHED_RULE.0, UNATTACHED_RULE.1, Classification::RedoByHand, "a rule's connector is not a migrated directory; the rule is kept in the report, not in the settings file"),
        (UNSUPPORTED_CONNECTOR.0, UNSUPPORTED_CONNECTOR.1, Classification::RedoByHand, "a connector is neither Active Directory nor Entra ID; it and its rules are not migrated"),
        (UNKNOWN_RULE_ELEMENT.0, UNKNOWN_RULE_ELEMENT.1, Classification::RedoByHand, "a rule element the settings file cannot hold is not migrated"),
        (SECOND_ENTRA_CONNECTOR.0, SECOND_ENTRA_CONNECTOR.1, Classification::RedoByHand, "a second Entra ID connector is not migrated (a settings file holds one)"),
        (WRITEBACK_NOT_KEPT.0, WRITEBACK_NOT_KEPT.1, Classification::RedoByHand, "a writeback container could not be kept"),
    ];
}

/// The documentation of every code of a migration (the report's items, `SP301`-`SP334`, and
/// the errors that stop it, `SP350`-`SP355`), for `validate --explain`.
pub fn explained_codes() -> Vec<CodeInfo> {
    let items = codes::ALL.iter().map(|(code, name, class, summary)| {
        let fix = match class {
            Classification::FixedAutomatically => {
                "Nothing to do: the migration handled it. Read the item to know what changed between the export and the settings file."
            }
            Classification::NeedsReview => {
                "Check the named item in the settings file the migration wrote (or on the new server) and correct it with the change commands if it is not what you want; `install --migrate` accepts these items."
            }
            Classification::RedoByHand => {
                "Recreate what the item names on the new server by hand (or in the settings file) after the migration; `install --migrate` stops on these items unless they are accepted."
            }
        };
        CodeInfo {
            code,
            name,
            family: CodeFamily::Migration,
            severity: class.severity(),
            title: summary,
            explanation: format!(
                "{}.\n\nAn item of the report of `syncpolicy migrate`, classified as {}; the message names the file and element of the export (see docs/migration.md).",
                capitalized(summary),
                class.label()
            ),
            fix: fix.to_owned(),
        }
    });
    let errors = crate::error::CODES.iter().map(|(code, name, summary)| CodeInfo {
        code,
        name,
        family: CodeFamily::MigrationError,
        severity: Severity::Error,
        title: summary,
        explanation: format!(
            "{}.\n\nAn error that stops `syncpolicy migrate` (and every command reading a legacy folder): nothing is written. The message names the file, the XML element, line and column (see docs/migration.md).",
            capitalized(summary)
        ),
        fix: "Export the configuration from the old server again (Export-ADSyncServerConfiguration or the wizard's export) and give the whole Exported-ServerConfiguration-* folder; the hint of the error says what is wrong in the named file.".to_owned(),
    });
    items.chain(errors).collect()
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::codes;

    #[test]
    fn every_code_is_listed_once_in_order() {
        let all: Vec<&str> = codes::ALL.iter().map(|(c, _, _, _)| *c).collect();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(all, sorted);
        assert!(all.contains(&codes::EXPORT_FILE_MISSING.0));
        let errors: Vec<&str> = crate::error::CODES.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(
            errors,
            ["SP350", "SP351", "SP352", "SP353", "SP354", "SP355"]
        );
    }
}
