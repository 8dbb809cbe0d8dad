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

    /// Records a section whose digest (hex) the caller has.
    pub(crate) fn section_hex(&mut self, name: &str, hex: String) {
        self.sections.push((name.to_owned(), hex));
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

/// Where each top-level section's digested bytes are in a settings file's text, in the order
/// of [`crate::keys::TOP`], as [`crate::read_settings_spans`] found them; unknown (the default)
/// when the reader could not say. It also carries where the reader met the directories and
/// their rules ([`SectionSpans::anchors`]), for placing findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionSpans {
    ranges: Option<Vec<std::ops::Range<usize>>>,
    /// The digest of the directories' range, when the reader hashed it while reading.
    directories: Option<String>,
    /// Where the reader met the directories and their rules (for placing findings).
    anchors: crate::locate::Anchors,
    /// The content digest of the sections' bytes, once computed for a text.
    content: ContentMemo,
}

/// The content digest [`SectionSpans`] computed, with the text it was computed from (its
/// address and length): a second check of the same text (the load's, then `validate`'s SP070)
/// hashes nothing again. Not part of the spans' equality.
#[derive(Debug, Clone, Default)]
struct ContentMemo(std::sync::OnceLock<((usize, usize), Option<String>)>);

impl PartialEq for ContentMemo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ContentMemo {}

/// Index of the directories in [`crate::keys::TOP`].
pub(crate) const DIRECTORIES: usize = 8;

impl SectionSpans {
    pub(crate) fn new(ranges: Vec<std::ops::Range<usize>>) -> Self {
        SectionSpans {
            ranges: (ranges.len() == crate::keys::TOP.len()).then_some(ranges),
            directories: None,
            anchors: Default::default(),
            content: ContentMemo::default(),
        }
    }

    /// Whether the reader found every section.
    pub fn is_known(&self) -> bool {
        self.ranges.is_some()
    }

    /// The range of section `i` (an index of [`crate::keys::TOP`]).
    pub(crate) fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.ranges.as_ref()?.get(i).cloned()
    }

    /// Where the reader met the directories and their rules in the text (empty when unknown),
    /// for [`crate::locate::locate_paths_anchored`].
    pub fn anchors(&self) -> &crate::locate::Anchors {
        &self.anchors
    }

    pub(crate) fn set_anchors(&mut self, anchors: crate::locate::Anchors) {
        self.anchors = anchors;
    }

    /// Sets the digest of the directories' range, hashed while the file was read.
    pub(crate) fn set_directories(&mut self, hex: String) {
        self.directories = Some(hex);
        self.content = ContentMemo::default();
    }

    /// The content digest of the sections' bytes in `text`, as a writer records it (computed
    /// once for a text).
    fn content(&self, text: &str) -> Option<String> {
        let key = (text.as_ptr() as usize, text.len());
        let (at, content) = self.content.0.get_or_init(|| (key, self.content_now(text)));
        if *at == key {
            content.clone()
        } else {
            self.content_now(text)
        }
    }

    fn content_now(&self, text: &str) -> Option<String> {
        let ranges = self.ranges.as_ref()?;
        let mut digest = DigestBuilder::new();
        for (i, (name, range)) in crate::keys::TOP.iter().zip(ranges).enumerate() {
            match &self.directories {
                Some(hex) if i == DIRECTORIES => {
                    digest.sections.push((name.to_string(), hex.clone()))
                }
                _ => digest.section(name, text.as_bytes().get(range.clone())?),
            }
        }
        Some(digest.content())
    }
}

/// SHA-256 of a text from an offset to wherever the range turns out to end: the hasher's
/// state after every block, so that the digest of any range from that offset takes at most one
/// block more. Lets a reader hash the directories on another core while it reads them.
pub(crate) struct PrefixHashes {
    start: usize,
    states: Vec<Sha256>,
}

impl PrefixHashes {
    /// Bytes between two kept states (a multiple of SHA-256's 64-byte block).
    const BLOCK: usize = 1 << 20;

    /// Hashes `text` from `start` to its end, keeping the state after every block; stops
    /// early (keeping what it has) once `stop` is set.
    pub(crate) fn of(text: &[u8], start: usize, stop: &std::sync::atomic::AtomicBool) -> Self {
        let mut h = Sha256::new();
        let mut states = vec![h.clone()];
        for block in text.get(start..).unwrap_or_default().chunks(Self::BLOCK) {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            h.update(block);
            states.push(h.clone());
        }
        PrefixHashes { start, states }
    }

    /// The digest (hex) of `text[range]`, when the range starts where the hashing started.
    pub(crate) fn finish(&self, text: &[u8], range: std::ops::Range<usize>) -> Option<String> {
        if range.start != self.start || range.end < range.start {
            return None;
        }
        let k = ((range.end - range.start) / Self::BLOCK).min(self.states.len() - 1);
        let mut h = self.states[k].clone();
        h.update(text.get(range.start + k * Self::BLOCK..range.end)?);
        Some(hex::encode(h.finalize()))
    }
}

/// [`check`] of a configuration read from `text` by [`crate::read_settings_spans`], which
/// found `spans`. When the file is as syncpolicy wrote it, each section's bytes in the text
/// are the bytes the writer hashed: hashing them confirms [`DigestCheck::Matches`] without
/// writing the sections again. Otherwise (a hand edit, a file another tool re-formatted) the
/// answer is [`check`]'s: the sections written again from the model, so that a re-formatted
/// but equal file still matches and the sections named are exactly those that changed.
pub fn check_text(config: &Configuration, text: &str, spans: &SectionSpans) -> DigestCheck {
    if config.extension.recorded_digest.is_none() {
        return DigestCheck::NotRecorded;
    }
    if spans_match(config, text, spans) {
        return DigestCheck::Matches;
    }
    check(config)
}

/// Whether the sections' own bytes in `text` give the content digest the configuration
/// records (the quick way of [`check_text`] to [`DigestCheck::Matches`]).
pub fn spans_match(config: &Configuration, text: &str, spans: &SectionSpans) -> bool {
    config
        .extension
        .recorded_digest
        .as_ref()
        .is_some_and(|recorded| spans.content(text).is_some_and(|c| c == recorded.content))
}

#[cfg(test)]
mod tests {
    use super::*;
    use syncpolicy_samples::generate::{generate, GenerateOptions};

    #[test]
    fn prefix_hashes_give_the_digest_of_every_range_from_their_start() {
        let text: Vec<u8> = (0..(3 * PrefixHashes::BLOCK + 777))
            .map(|i| (i % 251) as u8)
            .collect();
        let stop = std::sync::atomic::AtomicBool::new(false);
        let start = 1_000;
        let p = PrefixHashes::of(&text, start, &stop);
        let b = PrefixHashes::BLOCK;
        for end in [
            start,
            start + 1,
            start + b - 1,
            start + b,
            start + 2 * b + 5,
            text.len(),
        ] {
            let want = hex::encode(Sha256::digest(&text[start..end]));
            assert_eq!(p.finish(&text, start..end).as_deref(), Some(want.as_str()));
        }
        assert_eq!(p.finish(&text, start + 1..text.len()), None);
        assert_eq!(p.finish(&text, start..text.len() + 1), None);
        // Stopped at once: still right, from the first state.
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let early = PrefixHashes::of(&text, start, &stop);
        let want = hex::encode(Sha256::digest(&text[start..start + b + 3]));
        assert_eq!(
            early.finish(&text, start..start + b + 3).as_deref(),
            Some(want.as_str())
        );
    }

    /// The load's digest check and `validate`'s hash the file once: the second check of the
    /// same text takes the first one's digest; a check of another text computes its own.
    #[test]
    fn a_second_check_of_the_same_text_hashes_nothing_again() {
        let config = syncpolicy_samples::samples::multi_forest_custom();
        let text = String::from_utf8(crate::write_settings(&config)).expect("UTF-8");
        let (read, spans) = crate::read_settings_spans(&text, "t.json").expect("reads");
        assert!(spans.content.0.get().is_none());
        assert_eq!(check_text(&read, &text, &spans), DigestCheck::Matches);
        let memo = spans.content.0.get().cloned().expect("kept");
        assert_eq!(check_text(&read, &text, &spans), DigestCheck::Matches);
        assert_eq!(spans.content.0.get(), Some(&memo));
        // The same spans over an edited copy (same length): its own digest, which differs.
        let edited = text.replacen("\"Name\"", "\"Nome\"", 1);
        assert_eq!(edited.len(), text.len());
        assert!(!spans_match(&read, &edited, &spans));
        assert!(spans_match(&read, &text, &spans));
    }

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
