//! 1,000 randomly corrupted variants of the shipped samples (dropped keys, wrong types,
//! swapped enum values, truncated text) go through read + check: none panics, each ends with
//! findings or a read error, and the corruptions that must be caught are caught.

use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use syncpolicy_model::diagnostic::Diagnostic;

/// xorshift64*: deterministic, so a failure names a reproducible variant.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// JSON pointers of every value under `v` (objects and arrays included), and of every object.
fn pointers(v: &Value, at: String, all: &mut Vec<String>, objects: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            objects.push(at.clone());
            for (k, child) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                pointers(child, p, all, objects);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), all, objects);
            }
        }
        _ => {}
    }
    all.push(at);
}

const ENUM_KEYS: &[&str] = &[
    "direction",
    "linkType",
    "flowType",
    "mergeType",
    "condition",
];
const ENUM_VALUES: &[&str] = &[
    "Inbound",
    "Outbound",
    "Provision",
    "Join",
    "StickyJoin",
    "Direct",
    "Expression",
    "Constant",
    "Update",
    "Merge",
    "EQUAL",
    "ISNOTNULL",
    "ISMEMBEROF",
];

enum Expect {
    Anything,
    ReadError,
    UnknownEnum,
}

fn corrupt(text: &str, kind: usize, rng: &mut Rng) -> (String, Expect) {
    if kind == 3 {
        // Truncate: cut before the closing brace, on a character boundary.
        let mut cut = 1 + rng.below(text.trim_end().len() - 1);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        return (text[..cut].to_owned(), Expect::ReadError);
    }
    let mut v: Value = serde_json::from_str(text).expect("samples are JSON");
    let (mut all, mut objects) = (Vec::new(), Vec::new());
    pointers(&v, String::new(), &mut all, &mut objects);
    let mut expect = Expect::Anything;
    match kind {
        0 => {
            let at = &objects[rng.below(objects.len())];
            if let Some(Value::Object(map)) = v.pointer_mut(at) {
                if let Some(key) = map.keys().nth(rng.below(map.len())).cloned() {
                    map.remove(&key);
                }
            }
        }
        1 => {
            let at = &all[1 + rng.below(all.len() - 1)];
            if let Some(slot) = v.pointer_mut(at) {
                *slot = match slot {
                    Value::String(_) => Value::from(rng.below(1000) as u64),
                    Value::Number(_) => Value::from("forty-two"),
                    Value::Bool(_) => Value::from("yes"),
                    Value::Null => Value::from(true),
                    Value::Array(_) => Value::from("not a list"),
                    Value::Object(_) => Value::Array(Vec::new()),
                };
            }
        }
        _ => {
            let enums: Vec<&String> = all
                .iter()
                .filter(|p| ENUM_KEYS.iter().any(|k| p.ends_with(&format!("/{k}"))))
                .filter(|p| v.pointer(p).is_some_and(Value::is_string))
                .collect();
            if let Some(at) = enums.get(rng.below(enums.len())).map(|s| (*s).clone()) {
                let garbage = rng.below(3) == 0;
                let new = if garbage {
                    expect = Expect::UnknownEnum;
                    format!("Bogus{}", rng.below(100))
                } else {
                    ENUM_VALUES[rng.below(ENUM_VALUES.len())].to_owned()
                };
                if let Some(slot) = v.pointer_mut(&at) {
                    *slot = Value::from(new);
                }
            }
        }
    }
    (
        serde_json::to_string_pretty(&v).expect("serializes"),
        expect,
    )
}

fn well_formed(d: &Diagnostic) -> bool {
    d.code.starts_with("SP")
        && !d.message.is_empty()
        && d.help.as_deref().is_some_and(|h| !h.is_empty())
}

#[test]
fn a_thousand_corrupted_samples_never_panic() {
    let texts: Vec<String> = syncpolicy_samples::samples::all()
        .iter()
        .map(|(_, c)| String::from_utf8(syncpolicy_json::write_settings(c)).expect("UTF-8"))
        .collect();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut read_errors, mut checked) = (0, 0);
    for variant in 0..1000 {
        let source = &texts[variant % texts.len()];
        let (text, expect) = corrupt(source, variant % 4, &mut rng);
        let name = format!("variant-{variant}.json");
        let outcome = catch_unwind(AssertUnwindSafe(
            || match syncpolicy_json::read_settings_str(&text, &name) {
                Ok(config) => Ok(syncpolicy_lint::check_file(&config, &text, &name)),
                Err(e) => Err(e.to_diagnostic()),
            },
        ));
        let Ok(result) = outcome else {
            panic!("variant {variant} panicked; its text:\n{text}");
        };
        match (result, expect) {
            (Err(d), _) => {
                read_errors += 1;
                assert!(
                    d.code.starts_with("SP90") && well_formed(&d),
                    "variant {variant}: {d:?}"
                );
                assert!(
                    d.location.line.is_some(),
                    "variant {variant}: a read error has a line: {d:?}"
                );
            }
            (Ok(_), Expect::ReadError) => panic!("variant {variant} is truncated but was read"),
            (Ok(diags), expect) => {
                checked += 1;
                assert!(
                    diags.iter().all(well_formed),
                    "variant {variant}: {diags:#?}"
                );
                assert!(diags
                    .iter()
                    .all(|d| d.location.file.as_deref() == Some(name.as_str())));
                if matches!(expect, Expect::UnknownEnum) {
                    assert!(
                        diags.iter().any(|d| d.code == "SP002"),
                        "variant {variant}: a bogus enum value must be reported"
                    );
                }
            }
        }
    }
    // Both outcomes occur: the corruptions are neither all fatal nor all harmless.
    assert!(
        read_errors >= 250 && checked >= 250,
        "{read_errors} read errors, {checked} checked"
    );
}
