//! The language reference `docs/expressions.md` names every function of the catalogue.

use syncpolicy_expr::catalogue::FUNCTIONS;

const REFERENCE: &str = include_str!("../../../../docs/expressions.md");

#[test]
fn reference_lists_every_function() {
    let missing: Vec<&str> = FUNCTIONS
        .iter()
        .map(|f| f.name)
        .filter(|name| {
            !REFERENCE.contains(&format!("`{name}(")) && !REFERENCE.contains(&format!("`{name}`"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "not in docs/expressions.md: {missing:?}"
    );
}
