//! Bad input: each a clear error with file, line and column, never a panic or a partial read.

use crate::support::bytes;
use syncpolicy_powershell::{read_rules, read_rules_str, ReadError};

fn err(text: &str) -> ReadError {
    read_rules_str(text, "bad.ps1").expect_err("the text is refused")
}

fn golden() -> String {
    String::from_utf8(bytes("several-rules.ps1")).expect("utf-8")
}

#[test]
fn truncated_files_are_refused_at_every_cut() {
    let text = golden();
    // Every cut inside the last rule either fails with a position or (at a statement
    // boundary after Add-ADSyncRule) reads fewer rules; none panics.
    let last = text.rfind("New-ADSyncRule").unwrap();
    let add = text.rfind("Add-ADSyncRule  `").unwrap();
    for cut in (last + 1..add).filter(|i| text.is_char_boundary(*i)) {
        let e = err(&text[..cut]);
        assert!(e.line > 0, "cut at {cut}: {e}");
    }
    let e = err(&text[..text.rfind("Add-ADSyncRule  `").unwrap()]);
    assert!(e.message.contains("never added"), "{e}");
    assert_eq!((e.line, e.column), (217, 1), "{e}");
}

#[test]
fn unterminated_string_points_at_its_start() {
    let e = err("New-ADSyncRule  `\n-Name 'Open `\n");
    assert_eq!((e.line, e.column), (2, 7));
    assert!(e.message.contains("never closed"), "{e}");
    assert_eq!(
        e.to_string(),
        "bad.ps1:2:7: the string starting here is never closed (the file may be cut short)\nhint: close it with a single quote; a quote inside a string is written ''"
    );
}

#[test]
fn unknown_cmdlet_is_refused() {
    let text = golden().replacen("Get-ADSyncRule  `", "Remove-ADSyncRule  `", 1);
    let e = err(&text);
    assert!(
        e.message.contains("unknown command 'Remove-ADSyncRule'"),
        "{e}"
    );
    assert_eq!(e.line, 151);
    let e = err("Invoke-Expression 'calc'\n");
    assert_eq!((e.line, e.column), (1, 1));
}

#[test]
fn unknown_parameter_is_refused() {
    let text = golden().replacen("-SoftDeleteExpiryInterval 0 `", "-Force `", 1);
    let e = err(&text);
    assert!(
        e.message.contains("New-ADSyncRule has no parameter -Force"),
        "{e}"
    );
    assert_eq!((e.line, e.column), (13, 1));
}

#[test]
fn rule_without_add_is_refused() {
    let text = golden();
    let first_add = text
        .find("Add-ADSyncRule  `\n-SynchronizationRule $syncRule[0]\n")
        .unwrap();
    let get = text.find("Get-ADSyncRule").unwrap();
    let broken = format!("{}{}", &text[..first_add], &text[get..]);
    let e = err(&broken);
    assert!(
        e.message
            .contains("Get-ADSyncRule that follows no Add-ADSyncRule"),
        "{e}"
    );
    let second = text.find("New-ADSyncRule  `\n-Name 'Out to AAD").unwrap();
    let broken = format!("{}{}", &text[..first_add], &text[second..]);
    let e = err(&broken);
    assert!(
        e.message
            .contains("before the rule 'In from AD - User Custom Attributes' (line 1) was added"),
        "{e}"
    );
}

#[test]
fn undefined_variables_are_refused() {
    let text = golden().replacen(
        "@($condition0[0],$condition1[0])",
        "@($condition0[0],$condition7[0])",
        1,
    );
    let e = err(&text);
    assert!(e.message.contains("$condition7 is never defined"), "{e}");
    let e = err(&golden().replacen(
        "-SynchronizationRule $syncRule[0] `\n-Source @('employeeID')",
        "-SynchronizationRule $rule[0] `\n-Source @('employeeID')",
        1,
    ));
    assert!(e.message.contains("$rule is never defined"), "{e}");
    assert_eq!((e.line, e.column), (19, 22));
    let e = err("Add-ADSyncRule  `\n-SynchronizationRule $syncRule[0]\n");
    assert!(e.message.contains("no New-ADSyncRule defines it"), "{e}");
}

#[test]
fn outside_the_grammar_is_refused() {
    for (text, needle) in [
        ("New-ADSyncRule -Name \"x\"\n", "double-quoted"),
        (
            "New-ADSyncRule -Name 'x' | Out-Null\n",
            "unexpected character '|'",
        ),
        ("$x = Get-ADSyncRule\n", "must start with a command"),
        ("New-ADSyncRule -Disabled:$true\n", "colon"),
        ("New-ADSyncRule ` -Name 'x'\n", "backtick"),
        ("New-ADSyncRule 'x'\n", "without a parameter name"),
        ("New-ADSyncRule -Name 'a' -Name 'b'\n", "given twice"),
        ("New-ADSyncRule -Name 'a'\u{7}\n", "U+0007"),
        ("New-ADSyncRule -Name 'a'\r-Id\n", "carriage return"),
    ] {
        let e = err(text);
        assert!(e.message.contains(needle), "{text:?}: {e}");
        assert!(e.line >= 1);
        assert!(
            !e.to_string().chars().any(|c| c.is_control() && c != '\n'),
            "{e:?}"
        );
    }
}

#[test]
fn bad_values_are_refused() {
    let g = golden();
    for (from, to, needle) in [
        ("-Direction 'Inbound'", "-Direction 'Sideways'", "is not a value"),
        ("-Identifier '5b1e9d3a-7c42-4f0e-9a61-2d8f0c3b7e15' `\n-Description 'Employee", "-Identifier 'nope' `\n-Description 'Employee", "is not a GUID"),
        ("'employeeType','Employee','EQUAL'", "'employeeType','Employee','LIKE'", "is not a value"),
        ("'employeeID','employeeID',$false", "'employeeID','employeeID','no'", "$false or $true"),
        ("-Precedence 40", "-Precedence 'forty'", "takes a number"),
        ("-Precedence 40", "-Precedence 99999999999", "not a number"),
        ("-Source @('HR')", "-Source @('HR','IT')", "one value"),
        ("-OutVariable condition1\n\n\nAdd-ADSyncScopeConditionGroup", "-OutVariable syncRule\n\n\nAdd-ADSyncScopeConditionGroup", "replace the rule"),
        ("'Microsoft.IdentityManagement.PowerShell.ObjectModel.JoinCondition' `\n-ArgumentList 'employeeID'", "'System.Diagnostics.Process' `\n-ArgumentList 'employeeID'", "only scope and join"),
    ] {
        assert!(g.contains(from), "{from}");
        let e = err(&g.replacen(from, to, 1));
        assert!(e.message.contains(needle), "{to}: {e}");
    }
}

#[test]
fn condition_never_grouped_is_refused() {
    let g = golden();
    let text = g.replacen(
        "Add-ADSyncScopeConditionGroup  `\n-SynchronizationRule $syncRule[0] `\n-ScopeConditions @($condition0[0]) `\n-OutVariable syncRule\n\n\n",
        "",
        1,
    );
    let e = err(&text);
    assert!(
        e.message.contains("replaced before it is added")
            || e.message.contains("never added to a group"),
        "{e}"
    );
}

#[test]
fn duplicate_identifiers_are_refused() {
    let g = golden();
    let first: String = g[..g.find("New-ADSyncRule  `\n-Name 'Out to AAD").unwrap()].to_owned();
    let e = err(&format!("{first}{first}"));
    assert!(e.message.contains("already the rule"), "{e}");
}

#[test]
fn bad_encodings_and_hostile_bytes_are_refused() {
    let e = read_rules(&[0xFF, 0xFE, 0x41], "odd.ps1").unwrap_err();
    assert_eq!(e.line, 0);
    assert!(e.to_string().starts_with("odd.ps1: "), "{e}");
    let e = read_rules(b"New-ADSyncRule \xC3\x28", "bad.ps1").unwrap_err();
    assert!(e.message.contains("not valid UTF-8"), "{e}");
    // Deeply "nested" nothing: a long run of open arrays ends in an error, not recursion.
    let deep = format!("New-ADSyncRule -Name {}\n", "@(".repeat(100_000));
    assert!(err(&deep).message.contains("@(...) list"));
    // A very long line of commas.
    let commas = format!("New-ADSyncRule -Name 'a'{}\n", ",'b'".repeat(200_000));
    let e = err(&commas);
    assert!(e.message.contains("-Name takes a 'string'"), "{e}");
    // NUL bytes.
    assert!(err("New-ADSyncRule\0\n").message.contains("U+0000"));
}

#[test]
fn empty_and_comment_only_files_hold_no_rules() {
    assert!(read_rules_str("", "e.ps1").unwrap().0.is_empty());
    assert!(read_rules_str("# exported rules\r\n\r\n", "e.ps1")
        .unwrap()
        .0
        .is_empty());
}
