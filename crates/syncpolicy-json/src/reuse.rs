//! Writing a changed configuration again without writing what did not change: the text of
//! each rule and the digest of each section as the last write gave them, reused when the rule
//! at the same place of the configuration last written is equal (and written at the same
//! depth) or the section's text is the same. The result is byte for byte what a full write
//! gives: a rule's text depends only on the rule and the depth it is written at.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use syncpolicy_model::config::Configuration;
use syncpolicy_model::rule::SyncRule;

/// What [`crate::write_settings_reusing`] keeps between writes of a configuration as it
/// changes (a deployment keeps one with its current configuration). It holds the last
/// written text (shared with the caller, no copy) and where each rule and section is in it,
/// no copy of the configuration: each write is given the configuration the cache was last
/// written from, and compares with it. Start with [`WriteCache::default`].
#[derive(Debug, Default)]
pub struct WriteCache {
    /// The text the last write gave.
    last: Arc<Vec<u8>>,
    /// Each rule's depth and place in `last`, in the order the last write wrote them.
    rules: Vec<(usize, Range<usize>)>,
    /// Per rule of the write in progress: equal to the rule at the same place last time.
    same: Vec<bool>,
    /// The rules of the write in progress, as they are written.
    next: Vec<(usize, Range<usize>)>,
    /// Each section's place in `last` and its SHA-256 (hex), by section name.
    sections: HashMap<String, (Range<usize>, String)>,
    /// The sections of the write in progress.
    next_sections: HashMap<String, (Range<usize>, String)>,
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
        self.next_sections.clear();
        match previous {
            Some(previous) if !self.rules.is_empty() => {
                self.same.extend(
                    written_rules(previous)
                        .zip(written_rules(config))
                        .map(|(a, b)| a == b),
                );
                // Places recorded for another configuration than `previous` are never used.
                self.same.truncate(self.rules.len());
            }
            _ => self.sections.clear(),
        }
    }

    /// Ends the write of `out`: what it wrote is what the next write may reuse.
    pub(crate) fn finish(&mut self, out: Vec<u8>) -> Arc<Vec<u8>> {
        let out = Arc::new(out);
        self.last = Arc::clone(&out);
        self.rules = std::mem::take(&mut self.next);
        self.sections = std::mem::take(&mut self.next_sections);
        self.same.clear();
        out
    }

    /// Writes the next rule: its text from the last write when it is the same rule at the
    /// same depth, else what `write` appends to `out`; records where it is.
    pub(crate) fn rule(
        &mut self,
        out: &mut Vec<u8>,
        depth: usize,
        write: impl FnOnce(&mut Vec<u8>),
    ) {
        let k = self.next.len();
        let start = out.len();
        let old = self
            .same
            .get(k)
            .copied()
            .unwrap_or(false)
            .then(|| self.rules.get(k))
            .flatten()
            .filter(|(d, _)| *d == depth)
            .and_then(|(_, r)| self.last.get(r.clone()));
        match old {
            Some(text) => {
                out.extend_from_slice(text);
                self.reused += 1;
            }
            None => {
                write(out);
                self.written += 1;
            }
        }
        self.next.push((depth, start..out.len()));
    }

    /// SHA-256 (hex) of the section `name` written in `out` from `start`: the one recorded
    /// last time when its text is the same, else computed.
    pub(crate) fn section_digest(&mut self, name: &str, out: &[u8], start: usize) -> String {
        let bytes = &out[start..];
        let known = self
            .sections
            .get(name)
            .filter(|(r, _)| self.last.get(r.clone()) == Some(bytes))
            .map(|(_, hex)| hex.clone());
        let hex = known.unwrap_or_else(|| crate::digest::sha256_hex(bytes));
        self.next_sections
            .insert(name.to_owned(), (start..out.len(), hex.clone()));
        hex
    }
}
