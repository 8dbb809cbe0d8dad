//! Hostile input: truncation, control characters, long lines and huge values give objects or
//! errors, never a panic, within the limits.

use proptest::prelude::*;
use syncpolicy_objects::{read_jsonl, read_objects, LdifReader, Limits};

const SAMPLE: &str = "version: 1\r\ndn: CN=John Doe,OU=Users,DC=contoso,DC=com\r\nchangetype: add\r\nobjectClass: top\r\nobjectClass: user\r\ncn: John\r\n  Doe\r\nobjectGUID:: /xmWb4aLEdC0LQDAT8lk/w==\r\nuserAccountControl: 512\r\n\r\ndn:: Q049TcO8bGxlclwsIErDtnJnLE9VPVVzZXJzLERDPWNvbnRvc28sREM9Y29t\r\nmember: CN=a\r\n";

const SAMPLE_JSONL: &str = "{\"dn\": \"CN=a\", \"objectClass\": [\"user\"], \"objectGUID\": {\"base64\": \"AQI=\"}}\n{\"dn\": \"CN=b\", \"member\": [\"CN=a\"]}\n";

/// Runs a reader to the end; at most one fatal error, and only as the last result.
fn drain(
    results: impl Iterator<
        Item = Result<syncpolicy_objects::DirectoryObject, syncpolicy_objects::ObjectError>,
    >,
) -> usize {
    let all: Vec<_> = results.collect();
    for (i, r) in all.iter().enumerate() {
        if let Err(e) = r {
            assert!(
                !e.fatal || i + 1 == all.len(),
                "a fatal error is the last result"
            );
            assert!(!e.message.chars().any(char::is_control), "{:?}", e.message);
        }
    }
    all.len()
}

proptest! {
    #[test]
    fn truncated_input(cut in 0..SAMPLE.len()) {
        drain(read_objects(&SAMPLE.as_bytes()[..cut]));
        drain(read_objects(&SAMPLE_JSONL.as_bytes()[..cut.min(SAMPLE_JSONL.len())]));
    }

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        drain(read_objects(&bytes[..]));
        drain(read_jsonl(&bytes[..]));
    }

    #[test]
    fn mutated_sample(at in 0..SAMPLE.len(), byte in any::<u8>()) {
        let mut bytes = SAMPLE.as_bytes().to_vec();
        bytes[at] = byte;
        drain(read_objects(&bytes[..]));
    }

    #[test]
    fn control_characters_in_values(value in "[\\x00-\\x1f\\x7f a-z]{0,50}") {
        let text = format!("dn: CN={value}\ncn: {value}\n\n");
        drain(read_objects(text.as_bytes()));
    }
}

/// A line far longer than the limit and a huge value are bad objects in bounded memory.
#[test]
fn long_lines_and_huge_values() {
    let limits = Limits {
        max_line_bytes: 1 << 10,
        ..Limits::DEFAULT
    };
    let huge = "A".repeat(1 << 20);
    let text = format!("dn: CN=x\nthumbnailPhoto:: {huge}\n\ndn: CN=y\ncn: {huge}\n\ndn: CN=z\n");
    let results: Vec<_> = LdifReader::new(text.as_bytes(), limits).collect();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_err() && results[1].is_err());
    assert_eq!(results[2].as_ref().map(|o| o.dn.as_str()), Ok("CN=z"));
    // Without a line end at all.
    let text = format!("dn: CN=x\ncn: {huge}");
    let results: Vec<_> = LdifReader::new(text.as_bytes(), limits).collect();
    assert_eq!(results.len(), 1);
    assert!(results[0].as_ref().is_err_and(|e| !e.fatal));
}

/// More distinct attribute names than the reader caches: the names beyond the cache are still
/// grouped case-insensitively, and memory stays bounded.
#[test]
fn more_names_than_the_cache_holds() {
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!("dn: CN=o{i}\nattr{i}: x\n\n"));
    }
    text.push_str("dn: CN=last\nlateName: one\nLATENAME: two\n");
    let results: Vec<_> = syncpolicy_objects::read_ldif(text.as_bytes()).collect();
    assert_eq!(results.len(), 5001);
    let last = results[5000].as_ref().expect("valid");
    assert_eq!(
        last.object.get("lateName"),
        Some(&syncpolicy_expr::value::Value::Multi(vec![
            syncpolicy_expr::value::Value::Str("one".into()),
            syncpolicy_expr::value::Value::Str("two".into())
        ]))
    );
}
