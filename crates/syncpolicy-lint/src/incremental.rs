//! Validation of a change without checking again what the change did not touch: the rules of
//! [`crate::check`] read only some parts of a configuration (rules, directories, the Entra
//! section's extensions, filters and connector, sign-in, identity mapping, the metaverse,
//! missing sections). A change that leaves all of those as they were (a new author and time,
//! the deletion threshold, staging mode, the scheduler, Exchange, password writeback, the
//! deployment metadata, the extension part but its accepted findings) has the findings it had
//! before, by construction.

use crate::check;
use syncpolicy_model::config::{AzureDirectory, Configuration};
use syncpolicy_model::diagnostic::Diagnostic;

/// True when `a` and `b` are equal in every part a rule of [`check`] reads, so that
/// `check(a) == check(b)`. The parts compared are named field by field (a field added to
/// the model must be placed here before this compiles).
pub fn same_for_check(a: &Configuration, b: &Configuration) -> bool {
    // What `check` reads, and (after `_`) what it does not.
    let Configuration {
        policy_metadata: _,
        deployment_metadata: _,
        sign_in,
        password_writeback: _,
        identity_mapping,
        exchange: _,
        metaverse_extensions,
        azure_directory,
        onpremises_directories,
        extension: _,
        missing_sections,
        preserved: _,
    } = a;
    *sign_in == b.sign_in
        && *identity_mapping == b.identity_mapping
        && *metaverse_extensions == b.metaverse_extensions
        && *missing_sections == b.missing_sections
        && same_azure_for_check(azure_directory, &b.azure_directory)
        && *onpremises_directories == b.onpremises_directories
        // Of the extension part, only the accepted findings (SP071 judges them).
        && a.extension.accepted_findings == b.extension.accepted_findings
}

fn same_azure_for_check(a: &AzureDirectory, b: &AzureDirectory) -> bool {
    let AzureDirectory {
        administrator: _,
        tenant_id: _,
        export_deletion_limit: _,
        directory_extensions,
        exported_attributes,
        standard_rules,
        custom_rules,
        connector_id,
        connector,
        preserved,
    } = a;
    *directory_extensions == b.directory_extensions
        && *exported_attributes == b.exported_attributes
        && *connector_id == b.connector_id
        && *connector == b.connector
        && *preserved == b.preserved
        && *standard_rules == b.standard_rules
        && *custom_rules == b.custom_rules
}

/// [`check`] of `after`, given a configuration `before` and its findings (`check(before)`):
/// those findings again when the change touched nothing the rules read, else every rule run
/// on `after`. Always equal to `check(after)`.
pub fn check_since(
    before: &Configuration,
    before_findings: &[Diagnostic],
    after: &Configuration,
) -> Vec<Diagnostic> {
    if same_for_check(before, after) {
        before_findings.to_vec()
    } else {
        check(after)
    }
}
