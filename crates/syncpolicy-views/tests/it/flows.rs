//! The end-to-end flow model on the samples' out-of-box rules: each of the key identity and
//! mail attributes is traced from its AD source attribute through the inbound rule into the
//! metaverse and through the outbound rule into the Entra attribute.

use syncpolicy_model::config::DirectoryRef;
use syncpolicy_views::flows::{flows, AttributeFlows};

fn attribute<'l, 'a>(all: &'l [AttributeFlows<'a>], name: &str) -> &'l AttributeFlows<'a> {
    all.iter()
        .find(|f| f.object_type == "person" && f.attribute == name)
        .unwrap_or_else(|| panic!("person.{name} has flows"))
}

/// Asserts a path source attribute -> inbound rule -> metaverse -> outbound rule -> target.
fn assert_path(
    all: &[AttributeFlows],
    mv: &str,
    source: &str,
    inbound: &str,
    outbound: &str,
    target: &str,
) {
    let f = attribute(all, mv);
    let found = f.end_to_end().find(|p| {
        p.inbound.rule_name == inbound
            && p.inbound.attributes.contains(&source)
            && p.outbound.rule_name == outbound
            && p.outbound.attributes == [target]
    });
    let p = found.unwrap_or_else(|| {
        panic!(
            "no path {source} -> {inbound} -> person.{mv} -> {outbound} -> {target} in {:#?}",
            f.end_to_end()
                .map(|p| format!(
                    "{:?} {} -> {} {:?}",
                    p.inbound.attributes,
                    p.inbound.rule_name,
                    p.outbound.rule_name,
                    p.outbound.attributes
                ))
                .collect::<Vec<_>>()
        )
    });
    assert!(matches!(
        p.inbound.rule.directory,
        DirectoryRef::OnPremises(_)
    ));
    assert_eq!(p.outbound.rule.directory, DirectoryRef::Azure);
    assert!(p.inbound.standard && p.outbound.standard);
    assert_eq!(p.inbound.object_type, "user");
    assert_eq!(p.outbound.object_type, "user");
}

#[test]
fn key_attributes_are_traced_end_to_end_in_every_sample() {
    for (name, config) in syncpolicy_samples::samples::all() {
        let all = flows(&config);
        assert_path(
            &all,
            "userPrincipalName",
            "userPrincipalName",
            "In from AD - User AccountEnabled",
            "Out to AAD - User Identity",
            "userPrincipalName",
        );
        assert_path(
            &all,
            "mail",
            "mail",
            "In from AD - User Common",
            "Out to AAD - User Identity",
            "mail",
        );
        assert_path(
            &all,
            "proxyAddresses",
            "proxyAddresses",
            "In from AD - User Common",
            "Out to AAD - User Identity",
            "proxyAddresses",
        );
        assert_path(
            &all,
            "sourceAnchor",
            "objectGUID",
            "In from AD - User AccountEnabled",
            "Out to AAD - User Join",
            "sourceAnchor",
        );
        // Each side in precedence order.
        for f in &all {
            for side in [&f.inbound, &f.outbound] {
                assert!(
                    side.windows(2).all(|w| w[0].precedence <= w[1].precedence),
                    "{name}: {}.{} out of precedence order",
                    f.object_type,
                    f.attribute
                );
            }
        }
    }
}
