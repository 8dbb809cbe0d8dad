//! The documentation report's model: standard rules that differ from the out-of-box catalogue
//! are marked modified (through `validate`'s modified-standard-rule finding), disabled rules
//! flagged, findings linked to their rules, rules grouped and ordered by precedence, the OU
//! filter as a tree; and its renderings escape what they must.

use syncpolicy_model::config::RuleSet;
use syncpolicy_views::document::{build, render_markdown, OuMark, MODIFIED_STANDARD_RULE};

#[test]
fn the_modified_code_is_the_linters_modified_standard_rule() {
    let rule = syncpolicy_lint::registry::find(MODIFIED_STANDARD_RULE).expect("a lint rule");
    assert_eq!(rule.name, "modified-standard-rule");
}

#[test]
fn modified_and_disabled_rules_are_flagged_and_findings_linked() {
    let mut config = syncpolicy_samples::samples::multi_forest_custom();
    let join = config.onpremises_directories[0]
        .standard_rules
        .iter_mut()
        .find(|r| r.name() == "In from AD - User Join")
        .expect("the sample has the user join rule");
    join.scope_groups[0][1].value = "Svc_".to_owned();
    let findings = syncpolicy_lint::check(&config);
    let doc = build(&config, "edited.json", &findings);
    let rules: Vec<_> = doc.rule_groups.iter().flat_map(|g| &g.rules).collect();
    assert_eq!(rules.len(), config.rule_count());
    let modified: Vec<&str> = rules
        .iter()
        .filter(|r| r.modified)
        .map(|r| r.name)
        .collect();
    assert_eq!(modified, ["In from AD - User Join"]);
    let join = rules
        .iter()
        .find(|r| r.modified)
        .expect("the modified rule");
    assert!(join.standard);
    let linked: Vec<&str> = join
        .findings
        .iter()
        .map(|&i| doc.findings[i].code.as_str())
        .collect();
    assert!(linked.contains(&MODIFIED_STANDARD_RULE), "{linked:?}");
    let f = &doc.findings[join.findings[0]];
    assert_eq!(
        f.rule.as_ref().map(|(a, _)| a.as_str()),
        Some(join.anchor.as_str())
    );
    // Disabled custom rule flagged; custom rules are not standard.
    let legacy = rules
        .iter()
        .find(|r| r.name == "In from AD - User Legacy Title")
        .expect("the disabled custom rule");
    assert!(legacy.disabled && !legacy.standard && !legacy.modified);
    assert_eq!(legacy.location.set, RuleSet::Custom);
    // Groups: each one directory and direction, by precedence.
    for g in &doc.rule_groups {
        assert!(g
            .rules
            .windows(2)
            .all(|w| w[0].precedence <= w[1].precedence));
    }
    let md = render_markdown(&doc);
    assert!(
        md.contains("standard, modified"),
        "the badge shows in markdown"
    );
}

#[test]
fn the_ou_filter_is_a_tree_below_the_partition() {
    let mut config = syncpolicy_samples::samples::express_single_forest();
    let p = &mut config.onpremises_directories[0].partitions[0];
    let base = p.distinguished_name.clone().expect("a partition DN");
    p.inclusions = vec![base.clone()];
    p.exclusions = vec![
        format!("OU=Disabled,OU=Users,{base}"),
        format!("OU=Kiosk\\, Shared,OU=Users,{base}"),
    ];
    let doc = build(&config, "x.json", &[]);
    let tree = &doc.directories[0].partitions[0].tree;
    assert_eq!(tree.len(), 1);
    assert_eq!(tree[0].mark, Some(OuMark::Include));
    let users = &tree[0].children;
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].rdn, "OU=Users");
    assert_eq!(users[0].mark, None);
    let below: Vec<(&str, Option<OuMark>)> = users[0]
        .children
        .iter()
        .map(|n| (n.rdn.as_str(), n.mark))
        .collect();
    assert_eq!(
        below,
        [
            ("OU=Disabled", Some(OuMark::Exclude)),
            ("OU=Kiosk\\, Shared", Some(OuMark::Exclude))
        ]
    );
}

#[test]
fn renderings_escape_hostile_names() {
    let mut config = syncpolicy_samples::samples::multi_forest_custom();
    config.onpremises_directories[0].custom_rules[0].name =
        Some("Evil\u{1b}[2J\r\n<script>alert(1)</script> | x".to_owned());
    let doc = build(&config, "x.json", &[]);
    let md = render_markdown(&doc);
    assert!(!md.contains('\u{1b}') && !md.contains('\r'));
    assert!(!md.contains("<script>"), "markdown escapes embedded HTML");
    let html = syncpolicy_views::document_html::render_html(&doc);
    assert!(
        !html.contains("<script>alert"),
        "HTML escapes by construction"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}
