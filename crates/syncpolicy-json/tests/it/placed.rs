//! `write_settings_placed`: the same bytes as `write_settings`, and the place of every rule's
//! text, which reads back as that rule (in the order the writer writes rules).

use syncpolicy_json::{read_rule, write_settings, write_settings_placed};
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
