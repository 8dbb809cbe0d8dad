//! SP001 missing-required-section: a section Microsoft's import requires is missing.

use super::k;
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_json::{keys, paths};
use syncpolicy_model::config::RequiredSection;
use syncpolicy_model::diagnostic::Severity;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP001",
    name: "missing-required-section",
    severity: Severity::Error,
    category: Category::Structure,
    summary: "a section Microsoft's import requires is missing",
    what: "Reports a settings file without `authenticationPolicy`, `identityMappingPolicy`, `azureDirectoryPolicy` or `onpremisesDirectoryPolicy`, and an on-premises directory without `partitionFilters`.",
    why: "Microsoft's import refuses such a file (\"The synchronization settings are missing the '{0}' required section and cannot be imported\"), after the wizard has already been started.",
    example: "{\n  \"policyMetadata\": { \"type\": \"export\" },\n  \"azureDirectoryPolicy\": { },\n  \"onpremisesDirectoryPolicy\": [ { \"friendlyName\": \"contoso.com\" } ]\n}",
    fix: "Export the configuration again from the server, or add the missing section (an empty list or object where there is nothing to say, e.g. `\"partitionFilters\": []`).",
    help: "add the section, or export the configuration again",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for section in &config.missing_sections {
        let key = match section {
            RequiredSection::AuthenticationPolicy => keys::TOP[2],
            RequiredSection::IdentityMappingPolicy => keys::TOP[4],
            RequiredSection::AzureDirectoryPolicy => keys::TOP[7],
            RequiredSection::OnpremisesDirectoryPolicy => keys::TOP[8],
        };
        out.report(&RULE, key, format!("the required section {key} is missing"))
            .help(format!(
                "add \"{key}\" to the top-level object, or export the configuration again"
            ));
    }
    for (i, d) in config.onpremises_directories.iter().enumerate() {
        if !d.partitions_present && d.partitions.is_empty() {
            let key = k::PARTITION_FILTERS;
            out.report(
                &RULE,
                paths::onprem_field(i, key),
                format!("the on-premises directory {:?} has no {key} section", d.name),
            )
            .help(format!("add \"{key}\" with the directory's partitions (\"{key}\": [] when none is synchronized)"));
        }
    }
}
