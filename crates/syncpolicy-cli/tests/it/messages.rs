//! Messages as a user reads them: "did you mean" for misspelt names (rule, directory,
//! partition, run profile, function, subcommand, code, sample), ambiguity listed, counts in the
//! right plural, no count that contradicts an error, hints for errors of the operating system,
//! an unreachable PostgreSQL server in one line, and `generate`'s limits.

use crate::install::run_in;
use crate::support::{run, sample, stderr, stdout};
use std::path::{Path, PathBuf};

const CREDENTIALS: (&str, &str) = ("SYNCPOLICY_CREDENTIALS", "contoso.com=Deploy-Pa55-word");

fn installed() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let o = run_in(
        &home,
        &[
            "install",
            "--import",
            sample("express-single-forest").to_str().unwrap(),
            "--yes",
        ],
        &[CREDENTIALS],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, home, stdout(&o) + &stderr(&o))
}

/// Runs a command against the deployment in `home`; exit code and standard error.
fn in_home(home: &Path, args: &[&str]) -> (Option<i32>, String) {
    let o = run_in(home, args, &[]);
    (o.status.code(), stderr(&o))
}

#[test]
fn misspelt_names_suggest_the_nearest() {
    let (_dir, home, installed) = installed();
    // Counts say "1 directory", not "1 directories".
    assert!(
        installed.contains(": 1 directory, 62 rules,"),
        "{installed}"
    );

    let (code, err) = in_home(&home, &["rule", "disable", "In from AD - User Joni"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("error: rule \"In from AD - User Joni\" not found\nhint: did you mean \"In from AD - User Join\"?\n"),
        "{err}"
    );

    // A prefix of several names lists them, as git lists an ambiguous prefix.
    let (code, err) = in_home(&home, &["rule", "disable", "In from AD - Group"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("hint: \"In from AD - Group\" is the start of ")
            && err.contains("\"In from AD - Group Join\""),
        "{err}"
    );

    let (code, err) = in_home(
        &home,
        &["ou", "exclude", "contso.com", "OU=Sales,DC=contoso,DC=com"],
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains(
            "on-premises directory \"contso.com\" not found\nhint: did you mean \"contoso.com\"?"
        ),
        "{err}"
    );

    let step = |profile: &str, kind: &str| {
        in_home(
            &home,
            &[
                "runprofile",
                "add-step",
                "contoso.com",
                profile,
                "--type",
                kind,
                "--partition",
                "DC=contoso,DC=com",
            ],
        )
    };
    let (code, err) = step("Ful Import", "full-import");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("run profile \"Ful Import\" of contoso.com not found\nhint: did you mean \"Full Import\"?"),
        "{err}"
    );
    let (code, err) = step("Full Import", "full-imprt");
    assert_eq!(code, Some(2));
    assert!(err.contains("hint: did you mean \"full-import\"?"), "{err}");
}

#[test]
fn a_misspelt_function_subcommand_code_or_sample_suggests_the_nearest() {
    let o = run(&["expr", "check", "Len(Trm([displayName]))"]);
    let text = stdout(&o) + &stderr(&o);
    assert!(text.contains("did you mean \"Trim\"?"), "{text}");

    let o = run(&["valdate", "x.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a similar subcommand exists: 'validate'"),
        "{}",
        stderr(&o)
    );

    let o = run(&["validate", "--explain", "SP0100"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("hint: did you mean \"SP010\"?"),
        "{}",
        stderr(&o)
    );

    let o = run(&["generate", "--sample", "express-single-forst"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean \"express-single-forest\"?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn validate_of_a_missing_file_prints_no_contradicting_count() {
    let o = run(&["validate", "no/such/file.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/file.json does not exist"));
    assert!(!stdout(&o).contains("validated"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("0 errors"), "{}", stdout(&o));
    // With a readable source beside it, the count is of the sources read.
    let good = sample("express-single-forest");
    let o = run(&["validate", "no/such/file.json", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(out.contains("validated 1 source: 0 errors"), "{out}");
    assert!(
        out.contains("1 source could not be read (see the error above)"),
        "{out}"
    );
}

#[test]
fn errors_of_the_operating_system_get_a_hint() {
    let (dir, home, _) = installed();
    // An output folder that is a file.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let (code, err) = in_home(&home, &["export", "--out", file.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(&format!(
            "hint: {} (or a folder on its way) is a file where a folder is expected",
            file.display()
        )),
        "{err}"
    );
    assert!(
        !err.contains("caused by"),
        "the cause repeats the message: {err}"
    );

    // An output file that is a folder.
    let folder = dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let o = run(&["generate", "-o", folder.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!(
            "hint: {} is a folder where a file is expected",
            folder.display()
        )),
        "{}",
        stderr(&o)
    );

    // A file in a folder that does not exist (and cannot be made: under a file).
    let under = file.join("out.json");
    let o = run(&["generate", "-o", under.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("cannot write {}", under.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "hint: {} (or a folder on its way) is a file where a folder is expected",
            under.display()
        )),
        "{err}"
    );

    // A file in a folder that does not exist.
    let missing = dir.path().join("missing");
    let o = run(&["generate", "-o", missing.join("out.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("hint: {} does not exist", missing.display())),
        "{err}"
    );

    // A folder of the system that takes no new folders.
    #[cfg(target_os = "linux")]
    {
        let (code, err) = in_home(&home, &["export", "--out", "/proc/nope"]);
        assert_eq!(code, Some(2));
        assert!(
            err.contains("cannot create /proc/nope")
                && err.contains("hint: /proc does not exist, or is a system folder"),
            "{err}"
        );
        assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    }
}

#[test]
fn an_unreachable_postgresql_server_is_one_line_with_how_to_check() {
    // A local port that nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://sync:Secret-Pa55@127.0.0.1:{port}/syncpolicy");
    let o = run_in(
        &dir.path().join("home"),
        &[
            "install",
            "--database",
            &url,
            "--import",
            sample("express-single-forest").to_str().unwrap(),
            "--yes",
        ],
        &[CREDENTIALS],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let shown = format!("postgres://sync@127.0.0.1:{port}/syncpolicy");
    let lines: Vec<&str> = err
        .lines()
        .skip_while(|l| !l.starts_with("error:"))
        .collect();
    assert_eq!(
        lines,
        [
            format!("error: cannot reach the PostgreSQL server of {shown}: the connection was refused (no server listens there)").as_str(),
            format!("hint: check that the server runs and accepts connections with `pg_isready -d '{shown}'`, then run the command again").as_str(),
        ],
        "{err}"
    );
    assert!(!err.contains("Secret-Pa55"), "{err}");
}

#[test]
fn generate_refuses_counts_beyond_its_limits() {
    let o = run(&["generate", "--forests", "3", "--custom-rules", "34"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("34 custom rules per forest in 3 forests are 102 custom rules, more than the 100 that fit the custom precedence band 0-99"),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
    let o = run(&["generate", "--forests", "101", "--custom-rules", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("more than the 100"), "{}", stderr(&o));
    let o = run(&["generate", "objects", "--users", "10000001"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at most 10000000"), "{}", stderr(&o));
    // At the limit, the file validates with no error and no warning.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.json");
    let o = run(&[
        "generate",
        "--forests",
        "4",
        "--custom-rules",
        "25",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(" rules)"), "{}", stderr(&o));
    let v = run(&["validate", out.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    assert!(
        stdout(&v).contains("0 errors, 0 warnings"),
        "{}",
        stdout(&v)
    );
}
