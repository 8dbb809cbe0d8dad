//! The parallel reader gives exactly the sequential reader's items (objects, lines, bad objects,
//! fatal errors) on every shape of input, with tiny blocks and large ones.

use proptest::prelude::*;
use std::sync::Arc;
use syncpolicy_expr::env::SourceObject;
use syncpolicy_objects::generate::{write_generated, GenerateOptions};
use syncpolicy_objects::{
    read_objects_parallel, read_objects_parallel_only, read_objects_with, Blocks, DirectoryObject,
    LdifReader, Limits, ObjectError, ObjectFormat, Wanted,
};

type Item = Result<DirectoryObject, ObjectError>;

const SAMPLE: &str = "version: 1\r\ndn: CN=John Doe,OU=Users,DC=contoso,DC=com\r\nchangetype: add\r\nobjectClass: top\r\nobjectClass: user\r\ncn: John\r\n  Doe\r\nobjectGUID:: /xmWb4aLEdC0LQDAT8lk/w==\r\nuserAccountControl: 512\r\n\r\n# a comment\r\n  folded\r\ndn:: Q049TcO8bGxlclwsIErDtnJnLE9VPVVzZXJzLERDPWNvbnRvc28sREM9Y29t\r\nmember: CN=a\r\n\r\ncn: no dn here\r\n\r\ndn: CN=x,DC=c\r\nobjectGUID:: ***\r\n\r\ndn: CN=y,DC=c\r\nchangetype: modify\r\n\r\n\r\n\r\ndn: CN=z,DC=c\r\nversion: 1\r\ncn: z\r\n\n\ndn: CN=last,DC=c\ncn: last\n";

/// Block shapes: tiny blocks (every line its own), small, large, one or more threads, and a
/// maximum that sends the rest to the sequential reader.
fn shapes() -> Vec<Blocks> {
    let mut all = Vec::new();
    for threads in [1, 2, 3] {
        for block_bytes in [1, 7, 64, 1 << 20] {
            for max_block_bytes in [1 << 30, 100] {
                all.push(Blocks {
                    threads,
                    block_bytes,
                    max_block_bytes,
                });
            }
        }
    }
    all
}

fn sequential(bytes: &[u8], limits: Limits) -> Vec<Item> {
    read_objects_with(bytes, limits).collect()
}

fn parallel<R: std::io::BufRead + Send>(input: R, limits: Limits, blocks: Blocks) -> Vec<Item> {
    let mut all = Vec::new();
    read_objects_parallel(input, limits, blocks, |item| {
        all.push(item);
        true
    });
    all
}

fn same_everywhere(bytes: &[u8], limits: Limits) {
    let expected = sequential(bytes, limits);
    for blocks in shapes() {
        assert_eq!(
            parallel(bytes, limits, blocks),
            expected,
            "{blocks:?} on {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn the_sample_and_every_truncation_of_it() {
    let bytes = SAMPLE.as_bytes();
    same_everywhere(bytes, Limits::DEFAULT);
    for cut in 0..bytes.len() {
        let expected = sequential(&bytes[..cut], Limits::DEFAULT);
        for blocks in [shapes()[2], shapes()[9], shapes()[17]] {
            assert_eq!(
                parallel(&bytes[..cut], Limits::DEFAULT, blocks),
                expected,
                "cut {cut}"
            );
        }
    }
}

#[test]
fn files_that_are_not_ldif_and_bad_versions() {
    for text in [
        "this is not LDIF\nat all\n",
        "cn: no dn\n\ndn: CN=x\n",
        "version: 2\ndn: CN=x\n",
        "\u{1}\u{2}\u{3}binary",
        "# only comments\n\n\n# more\n\n\nversion: 1\n\ndn: CN=x\ncn: x\n\n",
        "# only comments\n\n\n# more\n\n\nnot ldif\n\ndn: CN=x\n",
        "\u{feff}dn: CN=bom,DC=c\ncn: x\n\n\u{feff}dn: CN=second\n",
        "",
        "\n\n\n",
    ] {
        same_everywhere(text.as_bytes(), Limits::DEFAULT);
    }
}

#[test]
fn limits_give_the_same_bad_objects() {
    let limits = crate::SMALL_LIMITS;
    let long = "x".repeat(200);
    let text = format!(
        "dn: CN=a,DC=c\ncn: {long}\n\ndn: CN=b,DC=c\ncn: {}\n {}\n\ndn: CN=c,DC=c\n{}\ndn: CN=ok,DC=c\ncn: ok\n",
        "y".repeat(60),
        "y".repeat(60),
        "member: CN=a\n".repeat(4)
    );
    same_everywhere(text.as_bytes(), limits);
}

#[test]
fn utf16_and_json_lines_are_read_as_before() {
    let mut le = vec![0xFF, 0xFE];
    for u in "dn: CN=x\ncn: y\n\ndn: CN=z\n".encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
    }
    same_everywhere(&le, Limits::DEFAULT);
    same_everywhere(
        b"{\"dn\": \"CN=a\"}\n{\"dn\": 1}\n{\"dn\": \"CN=b\"}\n",
        Limits::DEFAULT,
    );
}

#[test]
fn a_generated_directory() {
    let options = GenerateOptions {
        users: 300,
        groups: 30,
        contacts: 20,
        computers: 20,
        ..GenerateOptions::default()
    };
    let mut bytes = Vec::new();
    write_generated(&options, ObjectFormat::Ldif, &mut bytes).expect("writes to memory");
    let expected = sequential(&bytes, Limits::DEFAULT);
    for block_bytes in [1, 4096, 1 << 20] {
        let blocks = Blocks {
            threads: 2,
            block_bytes,
            max_block_bytes: 1 << 30,
        };
        assert_eq!(parallel(&bytes[..], Limits::DEFAULT, blocks), expected);
    }
}

/// An input that fails after `n` reads of one entry each.
/// `n` reads of entries cut in the middle (`cn: a` then the empty line in the next read),
/// then a failure.
fn failing(n: usize) -> crate::Failing {
    crate::Failing {
        left: n,
        parts: &[b"dn: CN=x,DC=c\ncn: a\n", b"\ndn: CN=y,DC=c\ncn: b"],
    }
}

#[test]
fn an_io_error_stops_at_the_same_place() {
    for n in 0..6 {
        let expected: Vec<Item> = read_objects_with(
            std::io::BufReader::with_capacity(64, failing(n)),
            Limits::DEFAULT,
        )
        .collect();
        for blocks in shapes() {
            let got = parallel(
                std::io::BufReader::with_capacity(64, failing(n)),
                Limits::DEFAULT,
                blocks,
            );
            assert_eq!(got, expected, "{n} {blocks:?}");
        }
    }
}

#[test]
fn stopping_early_ends_the_threads() {
    let text = "dn: CN=a\n\n".repeat(1000);
    let mut seen = 0;
    read_objects_parallel(
        text.as_bytes(),
        Limits::DEFAULT,
        Blocks {
            threads: 2,
            block_bytes: 16,
            max_block_bytes: 1 << 30,
        },
        |_| {
            seen += 1;
            seen < 5
        },
    );
    assert_eq!(seen, 5);
}

/// What a reader keeping only `wanted` must give: the items of a reader keeping everything,
/// each object without the other attributes.
fn filtered(items: Vec<Item>, wanted: &Wanted) -> Vec<Item> {
    items
        .into_iter()
        .map(|item| {
            item.map(|mut o| {
                let mut kept = SourceObject::default();
                for name in o.object.names() {
                    if let Some(value) = o.object.get(name).filter(|_| wanted.contains(name)) {
                        kept.push_distinct(name, value.clone());
                    }
                }
                o.object = kept;
                o
            })
        })
        .collect()
}

/// A reader keeping only `wanted`, sequential and on every block shape, against the full
/// reader's items filtered.
fn same_when_only(bytes: &[u8], limits: Limits, wanted: &Arc<Wanted>) {
    let expected = filtered(sequential(bytes, limits), wanted);
    let alone: Vec<Item> = LdifReader::new(bytes, limits)
        .only(Some(Arc::clone(wanted)))
        .collect();
    assert_eq!(
        alone,
        expected,
        "sequential on {:?}",
        String::from_utf8_lossy(bytes)
    );
    for blocks in shapes() {
        let mut all = Vec::new();
        read_objects_parallel_only(bytes, limits, blocks, Some(Arc::clone(wanted)), |item| {
            all.push(item);
            true
        });
        assert_eq!(
            all,
            expected,
            "{blocks:?} on {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

/// A small generated directory as LDIF, with every kind of object.
fn small_generated_directory() -> Vec<u8> {
    let mut generated = Vec::new();
    let options = GenerateOptions {
        users: 60,
        groups: 8,
        contacts: 6,
        computers: 8,
        ..GenerateOptions::default()
    };
    write_generated(&options, ObjectFormat::Ldif, &mut generated).expect("to memory");
    generated
}

/// A reader that keeps only some attributes (a streamed simulation's first pass) still checks
/// the others: the same objects are bad, at the same line, for the same reason (bad base64,
/// a NUL, text that is not UTF-8, a value that is not of its attribute's kind, a URL value, the
/// limits on values, attributes and entry size), and the good ones hold only what was asked.
#[test]
fn a_reader_keeping_some_attributes_finds_the_same_bad_objects() {
    let wanted = Arc::new(Wanted::new(["cn", "UserPrincipalName"]));
    let entries = [
        "dn: CN=good,DC=c\nobjectClass: user\ncn: good\nuserPrincipalName: g@c\nsn: x\nobjectGUID:: /xmWb4aLEdC0LQDAT8lk/w==\nuserAccountControl: 512\n",
        "dn: CN=b64,DC=c\ncn: b\nobjectGUID:: ***\n",
        "dn: CN=nul,DC=c\ncn: n\ndescription: a\u{0}b\n",
        "dn: CN=int,DC=c\ncn: i\nuserAccountControl: five\n",
        "dn: CN=int64,DC=c\ncn: i\nuserAccountControl:: Zml2ZQ==\n",
        "dn: CN=url,DC=c\ncn: u\njpegPhoto:< file:///x.jpg\n",
        "dn: CN=values,DC=c\ncn: v\notherMailbox: 1\notherMailbox: 2\notherMailbox: 3\notherMailbox: 4\n",
        "dn: CN=attrs,DC=c\ncn: a\na1: 1\na2: 2\na3: 3\na4: 4\na5: 5\na6: 6\n",
        "dn: CN=size,DC=c\ncn: s\ndescription: SIZE\n",
        "dn: CN=second,DC=c\nuserPrincipalName: s@c\nUSERPRINCIPALNAME: t@c\nsn: y\nSN: z\n",
    ];
    let text = entries.join("\n").replace("SIZE", &"x".repeat(700));
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"\ndn: CN=latin1,DC=c\ncn: l\ndescription: caf\xe9\n");
    let limits = Limits {
        max_values_per_attribute: 3,
        max_attributes: 6,
        max_entry_bytes: 600,
        ..Limits::DEFAULT
    };
    let full = sequential(&bytes, limits);
    // Every entry but the first and the last-but-one is bad, each for its own reason.
    let bad = full.iter().filter(|i| i.is_err()).count();
    assert_eq!(bad, entries.len() - 2 + 1, "{full:?}");
    same_when_only(&bytes, limits, &wanted);
    let kept = filtered(full, &wanted);
    let second = kept
        .iter()
        .flatten()
        .find(|o| o.dn == "CN=second,DC=c")
        .expect("read");
    assert_eq!(second.object.names().len(), 2, "{second:?}");
    // And on the generated directory, with every kind of object.
    let generated = small_generated_directory();
    same_when_only(&generated, Limits::DEFAULT, &wanted);
}

proptest! {
    #[test]
    fn mutated_sample_keeping_some_attributes(at in 0..SAMPLE.len(), byte in any::<u8>()) {
        let mut bytes = SAMPLE.as_bytes().to_vec();
        bytes[at] = byte;
        let wanted = Arc::new(Wanted::new(["cn", "member"]));
        let expected = filtered(sequential(&bytes, Limits::DEFAULT), &wanted);
        let blocks = Blocks { threads: 2, block_bytes: 7, max_block_bytes: 1 << 30 };
        let mut all = Vec::new();
        read_objects_parallel_only(&bytes[..], Limits::DEFAULT, blocks, Some(wanted), |item| {
            all.push(item);
            true
        });
        prop_assert_eq!(all, expected);
    }

    #[test]
    fn mutated_sample(at in 0..SAMPLE.len(), byte in any::<u8>(), block_bytes in 1usize..80) {
        let mut bytes = SAMPLE.as_bytes().to_vec();
        bytes[at] = byte;
        let expected = sequential(&bytes, Limits::DEFAULT);
        let blocks = Blocks { threads: 2, block_bytes, max_block_bytes: 1 << 30 };
        prop_assert_eq!(parallel(&bytes[..], Limits::DEFAULT, blocks), expected);
    }
}

/// The objects of a reading, by their first line.
fn objects_of(items: &[Item]) -> Vec<&DirectoryObject> {
    items.iter().flatten().collect()
}

/// A reading of only some entries, by DN (a second pass over objects read before), gives
/// exactly those objects as the whole reading gives them, sequential or parallel, and says
/// nothing of the entries passed over, bad ones included; an entry without a DN is read as
/// usual.
#[test]
fn a_reading_of_some_entries_gives_those_objects_and_nothing_else() {
    let generated = small_generated_directory();
    let bad_entries = "dn: CN=good1,DC=c\ncn: g\n\ndn: CN=b64,DC=c\nobjectGUID:: ***\n\ndn: CN=nul,DC=c\ndescription: a\u{0}b\n\r\ndn: CN=good2,DC=c\r\ncn:\r\n  folded\r\n\r\ncn: no dn here\n\ndn: CN=good3,DC=c\ncn: g3\n";
    for bytes in [SAMPLE.as_bytes(), &generated[..], bad_entries.as_bytes()] {
        let full = sequential(bytes, Limits::DEFAULT);
        let dns: Vec<String> = objects_of(&full)
            .iter()
            .map(|o| o.dn.clone())
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, dn)| dn)
            .collect();
        for wanted in [Wanted::all(), Wanted::new(["cn"])] {
            let wanted = Arc::new(wanted.with_entries(dns.iter().cloned()));
            let kept = filtered(full.clone(), &wanted);
            let expected: Vec<&DirectoryObject> = objects_of(&kept)
                .into_iter()
                .filter(|o| dns.contains(&o.dn))
                .collect();
            assert!(expected.len() < objects_of(&full).len());
            let alone: Vec<Item> = LdifReader::new(bytes, Limits::DEFAULT)
                .only(Some(Arc::clone(&wanted)))
                .collect();
            assert_eq!(objects_of(&alone), expected);
            // The only bad object said is the entry without a DN.
            let said: Vec<&ObjectError> = alone.iter().filter_map(|i| i.as_ref().err()).collect();
            assert!(
                said.iter().all(|e| e.message.contains("without a DN")),
                "{said:?}"
            );
            for blocks in shapes() {
                let mut all = Vec::new();
                read_objects_parallel_only(
                    bytes,
                    Limits::DEFAULT,
                    blocks,
                    Some(Arc::clone(&wanted)),
                    |item| {
                        all.push(item);
                        true
                    },
                );
                assert_eq!(all, alone, "{blocks:?}");
            }
        }
    }
}
