//! Integration tests of the legacy reader: fixture folders written from the documented
//! structure, bad input, and round trips through the fixture generator.

mod bad_input;
mod fixtures;
mod hostile;
mod roundtrip;

use syncpolicy_legacy::{LegacyFolder, MigratedPolicy};
use syncpolicy_model::config::Configuration;

/// The metadata part of a configuration, as `MigratedPolicy.json` would carry it.
pub(crate) fn policy_of(config: &Configuration) -> MigratedPolicy {
    MigratedPolicy {
        file: "MigratedPolicy.json".to_owned(),
        policy_metadata: config.policy_metadata.clone(),
        deployment_metadata: config.deployment_metadata.clone(),
    }
}

/// A folder for a configuration, written by the fixture generator.
pub(crate) fn folder_of(config: &Configuration, schema_bytes: usize) -> LegacyFolder {
    let files = syncpolicy_legacy::fixture::write_folder(config, schema_bytes);
    let mut folder = LegacyFolder::from_files("Exported-ServerConfiguration-test", files);
    folder.migrated_policy = Some(policy_of(config));
    folder
}
