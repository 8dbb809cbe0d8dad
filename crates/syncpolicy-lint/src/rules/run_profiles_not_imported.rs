//! SP043 run-profiles-not-imported: run profiles that differ from the five the wizard
//! creates, which Microsoft's import does not carry.

use super::{connector_path, connectors, k};
use crate::context::{Context, Sink};
use crate::registry::{Category, RuleInfo};
use syncpolicy_model::config::DirectoryRef;
use syncpolicy_model::diagnostic::Severity;
use syncpolicy_samples::generate::standard_run_profiles;

pub(crate) const RULE: RuleInfo = RuleInfo {
    code: "SP043",
    name: "run-profiles-not-imported",
    severity: Severity::Info,
    category: Category::NotCarriedOver,
    summary: "a connector has run profiles of its own; Microsoft's import does not carry them",
    what: "Reports a connector whose recorded run profiles (syncpolicy's extension part, `runProfiles` of the connector's entry) include profiles other than the five the wizard creates (Full Import, Full Synchronization, Delta Import, Delta Synchronization, Export, one step per selected partition), or changed ones.",
    why: "Run profiles are not part of Microsoft's settings file (a documented limitation): after Microsoft's import only the wizard's profiles exist, and scripts or schedules that call the others fail. syncpolicy's own import keeps them.",
    example: "\"runProfiles\": [ { \"name\": \"Delta Import HR OU\", \"steps\": [ { \"type\": \"delta-import\", \"partition\": \"DC=contoso,DC=com\" } ] } ]",
    fix: "Nothing for syncpolicy's import. After Microsoft's import, create the listed run profiles again in the Synchronization Service Manager.",
    help: "after Microsoft's import, create these run profiles again by hand; syncpolicy's own import keeps them",
    file_only: false,
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let config = cx.config;
    for (dir, connector) in connectors(config) {
        if connector.run_profiles.is_empty() {
            continue;
        }
        let partitions: Vec<String> = match dir {
            DirectoryRef::Azure => vec!["default".to_owned()],
            DirectoryRef::OnPremises(i) => config.onpremises_directories[i]
                .partitions
                .iter()
                .filter(|p| p.selected)
                .filter_map(|p| p.distinguished_name.clone())
                .collect(),
        };
        let standard = standard_run_profiles(&partitions);
        let own: Vec<&str> = connector
            .run_profiles
            .iter()
            .filter(|p| !standard.contains(p))
            .map(|p| p.name.as_str())
            .collect();
        if !own.is_empty() {
            out.report(
                &RULE,
                connector_path(config, dir, Some(k::EXT_RUN_PROFILES)),
                format!(
                    "{} has run profiles of its own or changed ones ({}); Microsoft's import does not carry them",
                    config.directory_name(dir),
                    own.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
}
