//! Hostile input, in process (fast enough to try many cases): a real-shaped rule file cut at
//! every byte position, a real-shaped connector (one-line schema) cut at many positions, and
//! deterministic byte mutations of both. Each ends in an error that names the file or in a
//! result, never a panic, and no message carries a raw control character.

use crate::folder_of;
use syncpolicy_legacy::{migrate, LegacyFolder};

/// The sample's folder with the connectors, MV.xml and only the rule files that contain
/// `rule` (so each case migrates quickly).
fn sample_folder(rule: &str) -> LegacyFolder {
    let mut folder = folder_of(&syncpolicy_samples::samples::multi_forest_custom(), 4096);
    let mut kept = false;
    folder.files.retain(|(p, b)| {
        if !p.starts_with("SynchronizationRules/") {
            return true;
        }
        let keep = !kept && String::from_utf8_lossy(b).contains(rule);
        kept |= keep;
        keep
    });
    folder
}

fn index_of(folder: &LegacyFolder, prefix: &str, contains: &str) -> usize {
    folder
        .files
        .iter()
        .position(|(p, b)| p.starts_with(prefix) && String::from_utf8_lossy(b).contains(contains))
        .expect("the file exists")
}

fn assert_outcome(folder: &LegacyFolder, file: &str, what: &str) {
    match migrate(folder) {
        Ok(_) => {}
        Err(e) => {
            let text = e.to_string();
            assert!(text.contains(file), "{what}: {file} not named in {text}");
            assert!(text.contains("\nhint: "), "{what}: {text}");
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{what}: {text:?}"
            );
        }
    }
}

#[test]
fn a_rule_file_cut_at_every_byte_is_refused() {
    let mut folder = sample_folder("<expression>");
    let i = index_of(&folder, "SynchronizationRules/", "<expression>");
    let (file, whole) = folder.files[i].clone();
    let end = String::from_utf8_lossy(&whole)
        .rfind("</synchronizationRule>")
        .expect("the root closes");
    // The bytes are valid UTF-8, so offsets in the text are byte offsets.
    let complete = end + "</synchronizationRule>".len();
    assert!(migrate(&folder).is_ok());
    for at in 0..complete {
        folder.files[i].1 = whole[..at].to_vec();
        // Every proper prefix of the document is incomplete.
        let err = migrate(&folder).expect_err("a cut file is refused");
        let text = err.to_string();
        assert!(text.contains(&file), "cut at {at}: {text}");
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }
}

#[test]
fn a_connector_cut_at_many_bytes_is_refused() {
    let mut folder = sample_folder("<expression>");
    let i = index_of(&folder, "Connectors/", "<category>AD</category>");
    let (file, whole) = folder.files[i].clone();
    let step = (whole.len() / 300).max(1);
    for at in (0..whole.len()).step_by(step) {
        folder.files[i].1 = whole[..at].to_vec();
        let err = migrate(&folder).expect_err("a cut file is refused");
        assert!(err.to_string().contains(&file), "cut at {at}: {err}");
    }
}

#[test]
fn mutated_bytes_end_in_an_error_or_a_result() {
    let mut folder = sample_folder("<expression>");
    let targets = [
        index_of(&folder, "SynchronizationRules/", "<expression>"),
        index_of(&folder, "Connectors/", "<category>AD</category>"),
        index_of(&folder, "GlobalSettings/", "parameter"),
    ];
    // A fixed linear congruential sequence: the same cases on every run.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let replacements: &[u8] = b"<>/&;\"'=\x00\x1b\x07\r\n\xff\xfe]!?-";
    for &i in &targets {
        let (file, whole) = folder.files[i].clone();
        for case in 0..200 {
            let mut bytes = whole.clone();
            for _ in 0..1 + case % 3 {
                let at = next() % bytes.len();
                bytes[at] = replacements[next() % replacements.len()];
            }
            folder.files[i].1 = bytes;
            assert_outcome(&folder, &file, &format!("{file} case {case}"));
        }
        folder.files[i].1 = whole;
    }
}
