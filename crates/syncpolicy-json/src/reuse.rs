//! Writing a changed configuration again without writing what did not change: the text of
//! each rule and the digest of each section as the last write gave them, reused when the rule
//! at the same place of the configuration last written is equal (and written at the same
//! depth) or the section's text is the same. The result is byte for byte what a full write
//! gives: a rule's text depends only on the rule and the depth it is written at.

use std::collections::HashMap;
use syncpolicy_model::config::Configuration;
use syncpolicy_model::rule::SyncRule;

/// What [`crate::write_settings_reusing`] keeps between writes of a configuration as it
/// changes (a deployment keeps one with its current configuration). It holds text only (no
/// copy of the configuration): each write is given the configuration the cache was last
/// written from, and compares with it. Start with [`WriteCache::default`].
#[derive(Debug, Default)]
pub struct WriteCache {
    /// Each rule's depth and text, in the order the last write wrote them.
    rules: Vec<(usize, Box<[u8]>)>,
    /// Per rule of the write in progress: equal to the rule at the same place last time.
    same: Vec<bool>,
    /// The rules of the write in progress, as they are written.
    next: Vec<(usize, Box<[u8]>)>,
    /// Each section's text and SHA-256 (hex) as last written, by section name.
    sections: HashMap<String, (Vec<u8>, String)>,
    /// Rules written from scratch by the last write.
    written: usize,
    /// Rules copied by the last write.
    reused: usize,
}

/// The rules of a configuration in the order the writer writes them.
pub(crate) fn written_rules(config: &Configuration) -> impl Iterator<Item = &SyncRule> {
    let azure = &config.azure_directory;
    azure
        .standard_rules
        .iter()
        .chain(&azure.custom_rules)
        .chain(
            config
                .onpremises_directories
                .iter()
                .flat_map(|d| d.standard_rules.iter().chain(&d.custom_rules)),
        )
}

impl WriteCache {
    /// How many rules the last write wrote from scratch and how many it copied.
    pub fn last_write(&self) -> (usize, usize) {
        (self.written, self.reused)
    }

    /// Starts writing `config`; `previous` is the configuration the cache was last written
    /// from (`None`: nothing is reused).
    pub(crate) fn begin(&mut self, config: &Configuration, previous: Option<&Configuration>) {
        self.written = 0;
        self.reused = 0;
        self.same.clear();
        self.next = Vec::with_capacity(self.rules.len());
        if let Some(previous) = previous {
            self.same.extend(
                written_rules(previous)
                    .zip(written_rules(config))
                    .map(|(a, b)| a == b),
            );
        }
        // Text recorded for another configuration than `previous` is never used.
        self.same.truncate(self.rules.len());
    }

    /// Ends the write: what it wrote is what the next write may reuse.
    pub(crate) fn finish(&mut self) {
        self.rules = std::mem::take(&mut self.next);
        self.same.clear();
    }

    /// Writes the next rule: its cached text when it is the same rule at the same depth,
    /// else what `write` appends to `out`, which is recorded.
    pub(crate) fn rule(
        &mut self,
        out: &mut Vec<u8>,
        depth: usize,
        write: impl FnOnce(&mut Vec<u8>),
    ) {
        let k = self.next.len();
        let reuse = self.same.get(k).copied().unwrap_or(false)
            && self.rules.get(k).is_some_and(|(d, _)| *d == depth);
        if reuse {
            let text = std::mem::take(&mut self.rules[k].1);
            out.extend_from_slice(&text);
            self.next.push((depth, text));
            self.reused += 1;
        } else {
            let start = out.len();
            write(out);
            self.next.push((depth, out[start..].into()));
            self.written += 1;
        }
    }

    /// SHA-256 (hex) of a section's text: the one recorded last time when the text is the
    /// same, else computed and recorded.
    pub(crate) fn section_digest(&mut self, name: &str, bytes: &[u8]) -> String {
        if let Some((text, hex)) = self.sections.get(name) {
            if text.as_slice() == bytes {
                return hex.clone();
            }
        }
        let hex = crate::digest::sha256_hex(bytes);
        self.sections
            .insert(name.to_owned(), (bytes.to_vec(), hex.clone()));
        hex
    }
}
