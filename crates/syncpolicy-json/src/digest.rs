//! Content digests: SHA-256 of each top-level section as the writer prints it, and of the
//! whole content, recorded in the extension part so that hand edits can be detected.

use sha2::{Digest, Sha256};
use syncpolicy_model::config::Configuration;
use syncpolicy_model::extension::RecordedDigest;

/// Name of the digest algorithm written into files.
pub const DIGEST_ALGORITHM: &str = "sha256";

/// Collects section digests while a file is written.
pub(crate) struct DigestBuilder {
    sections: Vec<(String, String)>,
}

impl DigestBuilder {
    pub(crate) fn new() -> Self {
        DigestBuilder {
            sections: Vec::with_capacity(10),
        }
    }

    pub(crate) fn section(&mut self, name: &str, bytes: &[u8]) {
        self.sections
            .push((name.to_owned(), hex::encode(Sha256::digest(bytes))));
    }

    /// Records a section hashed by the caller.
    pub(crate) fn section_hash(&mut self, name: &str, hasher: Sha256) {
        self.sections
            .push((name.to_owned(), hex::encode(hasher.finalize())));
    }

    pub(crate) fn sections(&self) -> &[(String, String)] {
        &self.sections
    }

    pub(crate) fn finish(self) -> RecordedDigest {
        RecordedDigest {
            algorithm: DIGEST_ALGORITHM.to_owned(),
            content: self.content(),
            sections: self.sections,
        }
    }

    /// Digest over all section digests, in order.
    pub(crate) fn content(&self) -> String {
        let mut h = Sha256::new();
        for (name, digest) in &self.sections {
            h.update(name.as_bytes());
            h.update(b"=");
            h.update(digest.as_bytes());
            h.update(b"\n");
        }
        hex::encode(h.finalize())
    }
}

/// SHA-256 of arbitrary bytes, as lowercase hex (for snapshot digests in history).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The digest a writer would record for this configuration now.
pub fn compute(config: &Configuration) -> RecordedDigest {
    crate::write::digest_only(config)
}

/// Result of comparing a file's recorded digest with its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestCheck {
    /// The file records no digest (not written by syncpolicy).
    NotRecorded,
    /// The content matches the recorded digest.
    Matches,
    /// The content changed since the digest was recorded; the sections that differ.
    Differs { sections: Vec<String> },
}

/// Compares the digest recorded in a configuration read from a file with its content.
pub fn check(config: &Configuration) -> DigestCheck {
    let Some(recorded) = &config.extension.recorded_digest else {
        return DigestCheck::NotRecorded;
    };
    let actual = compute(config);
    if actual.content == recorded.content {
        return DigestCheck::Matches;
    }
    let mut sections: Vec<String> = actual
        .sections
        .iter()
        .filter(|(name, hex)| {
            recorded
                .sections
                .iter()
                .find(|(n, _)| n == name)
                .is_none_or(|(_, h)| h != hex)
        })
        .map(|(name, _)| name.clone())
        .collect();
    if sections.is_empty() {
        sections.push("(the digest record itself)".to_owned());
    }
    DigestCheck::Differs { sections }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syncpolicy_samples::generate::{generate, GenerateOptions};

    #[test]
    fn the_digest_alone_is_the_digest_a_write_records() {
        let mut configs = vec![
            syncpolicy_samples::samples::express_single_forest(),
            syncpolicy_samples::samples::multi_forest_custom(),
            Configuration::default(),
        ];
        // Large enough to be hashed in parallel chunks, with unequal directories.
        for (forests, rules) in [(7, 400), (3, 1_500)] {
            configs.push(generate(&GenerateOptions {
                forests,
                custom_rules_per_forest: rules,
                ous_per_domain: 3,
                seed: 5,
            }));
        }
        configs[4].onpremises_directories[0]
            .custom_rules
            .truncate(10);
        for config in &configs {
            let mut scratch = Vec::new();
            let written = crate::write::write_with_digest(config, &mut scratch);
            assert_eq!(compute(config), written);
        }
    }
}
