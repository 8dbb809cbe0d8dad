//! `write_settings_placed`: the same bytes as `write_settings`, and the place of every rule's
//! text, which reads back as that rule (in the order the writer writes rules).

use std::sync::{Arc, Mutex};
use syncpolicy_json::{read_rule, write_settings, write_settings_placed, write_settings_streamed};
use syncpolicy_samples::generate::{generate, GenerateOptions};

#[test]
fn places_name_each_rule_text_in_written_order() {
    let mut c = generate(&GenerateOptions {
        forests: 2,
        custom_rules_per_forest: 5,
        ous_per_domain: 2,
        seed: 3,
    });
    // A rule in the Entra section's custom list (another depth), and one with text to escape.
    let mut r = c.onpremises_directories[0].custom_rules[0].clone();
    r.description = "quote \" backslash \\ newline \n tab \t {brace} [bracket]".to_owned();
    c.azure_directory.custom_rules.push(r);
    let mut out = b"kept prefix".to_vec();
    let places = write_settings_placed(&c, &mut out);
    assert_eq!(&out[..11], b"kept prefix");
    assert_eq!(out[11..], write_settings(&c)[..]);
    let rules: Vec<_> = c
        .azure_directory
        .standard_rules
        .iter()
        .chain(&c.azure_directory.custom_rules)
        .chain(
            c.onpremises_directories
                .iter()
                .flat_map(|d| d.standard_rules.iter().chain(&d.custom_rules)),
        )
        .collect();
    assert_eq!(places.len(), rules.len());
    assert!(places.windows(2).all(|w| w[0].end < w[1].start));
    for (place, rule) in places.iter().zip(rules) {
        let text = &out[place.clone()];
        assert_eq!(text.first(), Some(&b'{'));
        assert_eq!(text.last(), Some(&b'}'));
        let back = read_rule(text, "rule").expect("a rule's text reads back");
        assert_eq!(&back, rule);
    }
}

#[test]
fn streamed_pieces_are_the_text_in_order() {
    let c = generate(&GenerateOptions {
        forests: 2,
        custom_rules_per_forest: 20,
        ous_per_domain: 2,
        seed: 4,
    });
    let pieces: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let given = Arc::clone(&pieces);
    let mut out = b"prefix".to_vec();
    let places = write_settings_streamed(
        &c,
        &mut out,
        4096,
        Box::new(move |piece: &[u8]| given.lock().unwrap().push(piece.to_vec())),
    );
    let mut placed = b"prefix".to_vec();
    assert_eq!(places, write_settings_placed(&c, &mut placed));
    let pieces = pieces.lock().unwrap();
    assert!(pieces.len() > 3, "{} pieces", pieces.len());
    // Every piece but the last ends with a rule and is at least as long as asked.
    for p in &pieces[..pieces.len() - 1] {
        assert!(p.len() >= 4096);
        assert_eq!(p.last(), Some(&b'}'));
    }
    assert_eq!(pieces.concat(), write_settings(&c));
    assert_eq!(&out[6..], &write_settings(&c)[..]);
}
