//! The deployment commands end to end: staging, history, export, snapshot references with
//! show and diff, changes from two processes at once, and a process killed mid-change.

use crate::install::run_in;
use crate::support::{sample, stderr, stdout};
use std::path::{Path, PathBuf};

fn installed() -> (tempfile::TempDir, PathBuf) {
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
        &[("SYNCPOLICY_CREDENTIALS", "contoso.com=Deploy-Pa55-word")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, home)
}

/// Files in exports/, without temporary files of writes in progress.
fn exports(home: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(home.join("exports"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    v.sort();
    v
}

/// Every file in exports/, temporary ones included.
fn all_files(home: &Path) -> usize {
    std::fs::read_dir(home.join("exports")).unwrap().count()
}

fn history(home: &Path) -> serde_json::Value {
    let o = run_in(home, &["history", "--format", "json"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    doc["entries"].clone()
}

#[test]
fn staging_history_export_show_and_diff_work_together() {
    let (dir, home) = installed();
    let o = run_in(&home, &["staging", "off", "--author", "alice"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "staging mode off\n");
    assert!(stderr(&o).contains("change 2, exported "), "{}", stderr(&o));
    // Asking for what is already so is not a failure: exit 0, one "unchanged" wording, and no
    // history entry or export (checked below).
    let again = run_in(&home, &["staging", "off"], &[]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stdout(&again).starts_with("unchanged: ")
            && stdout(&again).contains("staging mode is already off"),
        "{}",
        stdout(&again)
    );

    let h = history(&home);
    assert_eq!(h.as_array().unwrap().len(), 2);
    assert_eq!(h[0]["reference"], "@latest");
    assert_eq!(h[0]["author"], "alice");
    assert_eq!(h[0]["summary"], "staging mode off");
    assert_eq!(h[1]["reference"], "@~1");
    assert_eq!(exports(&home).len(), 2);

    let show = run_in(&home, &["show"], &[]);
    assert!(
        stdout(&show).contains("staging mode              off"),
        "{}",
        stdout(&show)
    );
    let diff = run_in(&home, &["diff", "@~1", "@latest"], &[]);
    assert_eq!(diff.status.code(), Some(1));
    assert!(
        stdout(&diff).contains("server / staging mode: true -> false"),
        "{}",
        stdout(&diff)
    );
    assert!(stdout(&diff).contains("1 change:"), "{}", stdout(&diff));
    // The whole timestamp (both changes may share any shorter prefix, which is ambiguous).
    let prefix = h[0]["at"].as_str().unwrap().to_owned();
    let by_time = run_in(
        &home,
        &["show", &format!("@{prefix}"), "--format", "json"],
        &[],
    );
    assert!(by_time.status.success(), "{}", stderr(&by_time));

    let out = dir.path().join("dr");
    let e = run_in(&home, &["export", "--out", out.to_str().unwrap()], &[]);
    assert!(e.status.success(), "{}", stderr(&e));
    assert!(stderr(&e).contains("not a change and adds no history entry"));
    assert!(stderr(&e).contains("credential set"));
    let written = PathBuf::from(stdout(&e).trim());
    assert!(written.starts_with(&out));
    assert!(written
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("Exported-SynchronizationPolicy-"));
    let latest = home
        .join("exports")
        .join(h[0]["snapshot"].as_str().unwrap());
    let a = syncpolicy_json::read_settings(&std::fs::read(&written).unwrap(), "a").unwrap();
    let b = syncpolicy_json::read_settings(&std::fs::read(&latest).unwrap(), "b").unwrap();
    assert_eq!(a.extension.staging_mode, b.extension.staging_mode);
    assert_eq!(
        history(&home).as_array().unwrap().len(),
        2,
        "export adds no history entry"
    );
    for name in exports(&home) {
        let text = std::fs::read_to_string(home.join("exports").join(name)).unwrap();
        assert!(
            !text.contains("Deploy-Pa55-word"),
            "no secret in any export"
        );
    }
    assert!(!stdout(&run_in(&home, &["history"], &[])).contains("Deploy-Pa55-word"));
}

#[test]
fn commands_without_a_deployment_say_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(&dir.path().join("none"), &["history"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no deployment in"), "{}", stderr(&o));
    assert!(stderr(&o).contains("hint: create one with `syncpolicy install`"));
}

#[test]
fn changes_from_two_processes_are_serialised_and_none_is_lost() {
    let (_dir, home) = installed();
    let spawn = |state: &'static str| {
        let home = home.clone();
        std::thread::spawn(move || {
            let mut applied = 0;
            for _ in 0..6 {
                let o = run_in(&home, &["staging", state], &[]);
                match o.status.code() {
                    Some(0) if stdout(&o).starts_with("unchanged: ") => {
                        assert!(stdout(&o).contains("already"), "{}", stdout(&o))
                    }
                    Some(0) => applied += 1,
                    other => panic!("unexpected exit {other:?}: {}", stderr(&o)),
                }
            }
            applied
        })
    };
    let a = spawn("off");
    let b = spawn("on");
    let applied = a.join().unwrap() + b.join().unwrap();
    let h = history(&home);
    let entries = h.as_array().unwrap();
    assert_eq!(
        entries.len(),
        1 + applied,
        "every applied change has its history entry"
    );
    assert_eq!(exports(&home).len(), 1 + applied, "and its own export");
    // Consecutive entries alternate: no change was applied on a stale configuration.
    for pair in entries.windows(2) {
        assert_ne!(pair[0]["summary"], pair[1]["summary"]);
    }
    for e in entries {
        let bytes =
            std::fs::read(home.join("exports").join(e["snapshot"].as_str().unwrap())).unwrap();
        assert_eq!(
            syncpolicy_json::digest::sha256_hex(&bytes),
            e["digest"].as_str().unwrap()
        );
    }
}

#[cfg(unix)]
#[test]
fn a_process_killed_mid_change_loses_nothing() {
    let (_dir, home) = installed();
    let before = exports(&home);
    let first = std::fs::read(home.join("exports").join(&before[0])).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_syncpolicy"))
        .arg("--home")
        .arg(&home)
        .args(["staging", "off"])
        .env("SYNCPOLICY_TEST_PAUSE_IN_CHANGE", "600000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the change is inside its transaction: its export has been written.
    while exports(&home).len() == before.len() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the change ended before it was killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let h = history(&home);
    assert_eq!(
        h.as_array().unwrap().len(),
        1,
        "the killed change was not committed"
    );
    let show = run_in(&home, &["show", "--format", "json"], &[]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(
        json["server"]["stagingMode"], true,
        "the previous configuration is intact"
    );
    assert_eq!(
        std::fs::read(home.join("exports").join(&before[0])).unwrap(),
        first,
        "its export too"
    );

    let o = run_in(&home, &["staging", "off"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        exports(&home).len(),
        2,
        "the uncommitted export was removed, the new one written"
    );
    assert_eq!(all_files(&home), 2, "no temporary file is left");
    assert_eq!(history(&home).as_array().unwrap().len(), 2);
}
