//! Integration tests of the settings-file reader and writer.

mod anchors;
mod digest_spans;
mod errors;
mod hostile;
mod placed;
mod reuse;
mod roundtrip;

use syncpolicy_model::config::Configuration;

/// Reads text as a settings file, panicking with the error (test helper).
pub(crate) fn read(text: &str) -> Configuration {
    match syncpolicy_json::read_settings_str(text, "test.json") {
        Ok(c) => c,
        Err(e) => panic!("read failed: {e}"),
    }
}

/// Writes a configuration to a string.
pub(crate) fn write(config: &Configuration) -> String {
    String::from_utf8(syncpolicy_json::write_settings(config)).expect("writer emits UTF-8")
}
