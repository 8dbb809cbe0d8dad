//! Scoping filters: every operator on present, absent and empty values
//! (`declarative-provisioning.md` §3.3; `sync-engine.md` A.3: `isCriticalSystemObject NOTEQUAL
//! TRUE` holds when the value is "null or FALSE or empty").

use crate::support::*;
use syncpolicy_model::enums::LinkType;

/// Whether a rule scoped by one clause is in scope for a user with `attrs`.
fn holds(attribute: &str, op: &str, value: &str, attrs: &[(&str, &str)]) -> bool {
    let mut c = config();
    let mut r = rule("scoped", true, "user", "person", LinkType::Join, 50);
    r.scope_groups = vec![vec![clause(attribute, op, value)]];
    c.onpremises_directories[0].standard_rules.push(r);
    let dn = format!("CN=u,{ROOT}");
    let sim = run(&c, vec![user(&dn, attrs)]);
    !result(&sim, &dn).applied.is_empty()
}

const PRESENT: &str = "present";
const ABSENT: &str = "absent";
const EMPTY: &str = "empty";

fn case(attr_state: &str, value: &str) -> Vec<(&'static str, String)> {
    match attr_state {
        PRESENT => vec![("a", value.to_owned())],
        EMPTY => vec![("a", String::new())],
        _ => vec![],
    }
}

fn check(op: &str, clause_value: &str, attr_value: &str, expect: [bool; 3]) {
    for (state, want) in [PRESENT, ABSENT, EMPTY].into_iter().zip(expect) {
        let attrs = case(state, attr_value);
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(n, v)| (*n, v.as_str())).collect();
        assert_eq!(
            holds("a", op, clause_value, &attrs),
            want,
            "a {op} {clause_value} with a {state} ({attr_value})"
        );
    }
}

#[test]
fn every_operator_on_present_absent_and_empty() {
    // [present, absent, empty]: negative operators are true on absent and empty values.
    check("EQUAL", "Sales", "sales", [true, false, false]);
    check("EQUAL", "Sales", "HR", [false, false, false]);
    check("NOTEQUAL", "TRUE", "TRUE", [false, true, true]);
    check("NOTEQUAL", "TRUE", "FALSE", [true, true, true]);
    check("LESSTHAN", "50000", "49999", [true, false, false]);
    check("LESSTHAN", "50000", "50000", [false, false, false]);
    check("LESSTHAN_OR_EQUAL", "10", "10", [true, false, false]);
    check("GREATERTHAN", "9", "10", [true, false, false]);
    check("GREATERTHAN_OR_EQUAL", "10", "9", [false, false, false]);
    check("CONTAINS", "sale", "Wholesale", [true, false, false]);
    check("NOTCONTAINS", "sale", "Wholesale", [false, true, true]);
    check("STARTSWITH", "User_", "User_abc", [true, false, false]);
    check("NOTSTARTSWITH", "User_", "User_abc", [false, true, true]);
    check("NOTSTARTSWITH", "User_", "Group_abc", [true, true, true]);
    check("ENDSWITH", ".com", "x@contoso.COM", [true, false, false]);
    check("NOTENDSWITH", ".com", "x@contoso.com", [false, true, true]);
    check("ISNULL", "", "x", [false, true, true]);
    check("ISNOTNULL", "", "x", [true, false, false]);
    check("ISIN", "b", "b", [true, false, false]);
    check("ISNOTIN", "b", "b", [false, true, true]);
    check("ISBITSET", "2", "514", [true, false, false]);
    check("ISBITNOTSET", "2", "512", [true, true, true]);
    check("ISBITNOTSET", "2", "514", [false, true, true]);
    // The documentation's spelling of the negated bit test is accepted too.
    check("ISNOTBITSET", "2", "514", [false, true, true]);
}

#[test]
fn multi_valued_attributes_match_on_any_value() {
    assert!(holds(
        "a",
        "ISIN",
        "SMTP:x@c.com",
        &[("a", "smtp:y@c.com"), ("a", "SMTP:x@c.com")]
    ));
    assert!(!holds(
        "a",
        "ISNOTIN",
        "SMTP:x@c.com",
        &[("a", "smtp:y@c.com"), ("a", "SMTP:x@c.com")]
    ));
}

#[test]
fn groups_are_or_clauses_are_and() {
    // `(department = IT AND country = Denmark) OR (country = Sweden)` [S-decl].
    let mut c = config();
    let mut r = rule("scoped", true, "user", "person", LinkType::Join, 50);
    r.scope_groups = vec![
        vec![
            clause("department", "EQUAL", "IT"),
            clause("c", "EQUAL", "DK"),
        ],
        vec![clause("c", "EQUAL", "SE")],
    ];
    c.onpremises_directories[0].standard_rules.push(r);
    let a = format!("CN=a,{ROOT}");
    let b = format!("CN=b,{ROOT}");
    let d = format!("CN=d,{ROOT}");
    let sim = run(
        &c,
        vec![
            user(&a, &[("department", "IT"), ("c", "DK")]),
            user(&b, &[("department", "HR"), ("c", "SE")]),
            user(&d, &[("department", "IT"), ("c", "NO")]),
        ],
    );
    assert_eq!(result(&sim, &a).applied.len(), 1);
    assert_eq!(result(&sim, &b).applied.len(), 1);
    let out = result(&sim, &d);
    assert!(out.applied.is_empty());
    let reasons = sim.out_of_scope_reasons(out);
    assert_eq!(
        reasons[0].1,
        "Scope conditions not satisfied: [c EQUAL DK], [c EQUAL SE]"
    );
}

#[test]
fn disabled_rules_are_out_of_scope_with_their_reason() {
    // dp §3.7: a disabled rule takes no part; the diagnostics print "(Sync rule disabled)".
    let mut c = config();
    let mut r = rule("off", true, "user", "person", LinkType::Join, 50);
    r.disabled = true;
    c.onpremises_directories[0].standard_rules.push(r);
    let dn = format!("CN=u,{ROOT}");
    let sim = run(&c, vec![user(&dn, &[("cn", "u")])]);
    let o = result(&sim, &dn);
    assert!(o.applied.is_empty());
    assert_eq!(
        sim.out_of_scope_reasons(o),
        vec![(0, "Sync rule disabled".to_owned())]
    );
}

#[test]
fn parameters_expand_in_clause_values() {
    // dp §3.3: expand %param% before comparing (e.g. %Connector.ID%).
    assert!(holds(
        "a",
        "EQUAL",
        "%Domain.FQDN%",
        &[("a", "contoso.com")]
    ));
    assert!(holds("a", "EQUAL", "%Domain.Netbios%", &[("a", "CONTOSO")]));
}

#[test]
fn clauses_shared_by_rules_give_each_rule_its_own_result() {
    // Clauses several rules have are evaluated once per object (`in_scope_with`): every
    // rule's scope and failing clauses must be those of an evaluation of its own, with the
    // shared clause in different groups and positions and next to clauses of one rule only.
    use syncpolicy_sync::prepare::Prepared;
    use syncpolicy_sync::scope::{in_scope, in_scope_with, ScopeInput};
    let mut c = config();
    let scopes = [
        vec![vec![
            clause("a", "EQUAL", "x"),
            clause("b", "NOTEQUAL", "TRUE"),
        ]],
        vec![
            vec![clause("b", "NOTEQUAL", "TRUE")],
            vec![clause("a", "EQUAL", "x")],
        ],
        vec![
            vec![
                clause("c", "STARTSWITH", "%Domain.Netbios%"),
                clause("a", "EQUAL", "x"),
            ],
            vec![clause("a", "EQUAL", "y")],
        ],
        vec![vec![clause("c", "STARTSWITH", "%Domain.Netbios%")]],
        vec![vec![clause("a", "ISNOTNULL", "")]],
    ];
    for (i, scope) in scopes.iter().enumerate() {
        let mut r = rule(
            &format!("r{i}"),
            true,
            "user",
            "person",
            LinkType::Join,
            50 + i as i32,
        );
        r.scope_groups = scope.clone();
        c.onpremises_directories[0].standard_rules.push(r);
    }
    let prepared = Prepared::new(&c);
    assert_eq!(
        prepared.shared_clauses, 3,
        "a EQUAL x, b NOTEQUAL TRUE, c STARTSWITH"
    );
    let parameters = &prepared.partition_parameters[0][0];
    let groups = syncpolicy_sync::scope::Groups::new();
    let objects: [&[(&str, &str)]; 5] = [
        &[],
        &[("a", "x")],
        &[("a", "y"), ("b", "TRUE"), ("c", "CONTOSO-1")],
        &[("a", "X"), ("b", "true"), ("c", "contoso")],
        &[("a", ""), ("c", "other")],
    ];
    for attrs in objects {
        let input = user(&format!("CN=u,{ROOT}"), attrs);
        let scope = ScopeInput {
            object: &input.object,
            dn_lower: "cn=u,dc=contoso,dc=com",
            parameters,
            groups: &groups,
        };
        let mut memo = vec![0u8; prepared.shared_clauses];
        for r in &prepared.rules {
            let (mut alone, mut shared) = (Vec::new(), Vec::new());
            let a = in_scope(r, &scope, &mut alone);
            let b = in_scope_with(r, &scope, &mut shared, &mut memo);
            assert_eq!((a, &alone), (b, &shared), "{} on {attrs:?}", r.name);
        }
    }
}
