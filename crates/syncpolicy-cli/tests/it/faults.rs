//! The deployment under faults, end to end on SQLite and PostgreSQL: kill -9 at random points
//! of changes and installs, a tampered and a deleted newest export, reads while a change holds
//! the lock, the lock timeout and who holds the lock, a symbolic-link lock file, a secrets
//! file readable by others, a read-only home, ambiguous timestamp references.

pub(crate) use crate::support::Db;
use crate::support::{fresh_postgres_database, sample, stderr, stdout, workspace};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A deployment home (and, on PostgreSQL, its own database) for one test.
pub(crate) struct Dep {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) database: Option<String>,
}

pub(crate) const CREDENTIALS: &str =
    "contoso.com=Pa55-one\nfabrikam.com=Pa55-two\ntailspin.com=Pa55-three\n";

impl Dep {
    /// A home not installed yet.
    pub(crate) fn new(db: Db) -> Dep {
        Dep {
            dir: tempfile::tempdir().expect("a temporary folder"),
            database: match db {
                Db::Sqlite => None,
                Db::Postgres => Some(fresh_postgres_database("faults")),
            },
        }
    }

    /// A deployment imported from a shipped sample.
    pub(crate) fn imported(db: Db, name: &str) -> Dep {
        let dep = Dep::new(db);
        let o = dep.install_import(name);
        assert!(o.status.success(), "install: {}", stderr(&o));
        dep
    }

    pub(crate) fn install_import(&self, name: &str) -> Output {
        let file = sample(name);
        self.run(&["install", "--import", file.to_str().unwrap(), "--yes"])
    }

    pub(crate) fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        self.command_of(Path::new(env!("CARGO_BIN_EXE_syncpolicy")), args)
    }

    /// The same command, run from another copy of the binary.
    pub(crate) fn command_of(&self, program: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.arg("--home").arg(self.home());
        if let Some(url) = &self.database {
            c.arg("--database").arg(url);
        }
        c.args(args)
            .current_dir(workspace())
            .env("NO_COLOR", "1")
            .env("USER", "fault-tester")
            .env("SYNCPOLICY_CREDENTIALS", CREDENTIALS)
            .env_remove("SYNCPOLICY_HOME")
            .env_remove("SYNCPOLICY_DATABASE")
            .env_remove("SYNCPOLICY_LOCK_TIMEOUT")
            .stdin(Stdio::null());
        c
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.command(args)
            .output()
            .expect("the syncpolicy binary runs")
    }

    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "`{}` failed:\n{}{}",
            args.join(" "),
            stdout(&o),
            stderr(&o)
        );
        stdout(&o)
    }

    pub(crate) fn history(&self) -> Vec<serde_json::Value> {
        let h: serde_json::Value =
            serde_json::from_str(&self.ok(&["history", "--format", "json"])).unwrap();
        h["entries"].as_array().unwrap().clone()
    }

    /// `exports/` file names, sorted, temporary files included.
    pub(crate) fn exports(&self) -> Vec<String> {
        names(&self.home().join("exports"))
    }

    pub(crate) fn staging(&self) -> bool {
        let v: serde_json::Value =
            serde_json::from_str(&self.ok(&["show", "--format", "json"])).unwrap();
        v["server"]["stagingMode"].as_bool().unwrap()
    }

    /// Every committed change has its export with the recorded digest, and `exports/`
    /// holds nothing else.
    pub(crate) fn assert_consistent(&self, context: &str) {
        let h = self.history();
        let mut expected: Vec<String> = h
            .iter()
            .map(|e| e["snapshot"].as_str().unwrap().to_owned())
            .collect();
        expected.sort();
        assert_eq!(
            self.exports(),
            expected,
            "{context}: exports/ matches history"
        );
        for e in &h {
            let bytes = std::fs::read(
                self.home()
                    .join("exports")
                    .join(e["snapshot"].as_str().unwrap()),
            )
            .unwrap();
            assert_eq!(
                syncpolicy_json::digest::sha256_hex(&bytes),
                e["digest"].as_str().unwrap(),
                "{context}: the export of change {} is what was committed",
                e["id"]
            );
        }
        let newest: syncpolicy_model::config::Configuration = syncpolicy_json::read_settings(
            &std::fs::read(
                self.home()
                    .join("exports")
                    .join(h[0]["snapshot"].as_str().unwrap()),
            )
            .unwrap(),
            "newest",
        )
        .unwrap();
        assert_eq!(
            Some(self.staging()),
            newest.extension.staging_mode,
            "{context}: show gives the newest committed configuration"
        );
    }
}

pub(crate) fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A small deterministic pseudo-random sequence (xorshift), seeded from the clock; the seed
/// is in every assertion message so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn new() -> (Rng, u64) {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
            | 1;
        (Rng(seed), seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// How long a command takes here, to spread kill points over it.
fn duration_of(mut c: Command) -> u64 {
    let start = std::time::Instant::now();
    let _ = c.stdout(Stdio::null()).stderr(Stdio::null()).status();
    (start.elapsed().as_millis() as u64).max(20)
}

fn kill_after(mut c: Command, ms: u64) {
    let mut child = c
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(ms));
    let _ = child.kill(); // SIGKILL; the command may have finished already
    child.wait().unwrap();
}

fn killed_changes_leave_history_exports_and_show_in_agreement(db: Db) {
    let dep = Dep::imported(db, "express-single-forest");
    let (mut rng, seed) = Rng::new();
    let span = duration_of(dep.command(&["staging", "off"])) * 3 / 2;
    for i in 0..12 {
        let state = if dep.staging() { "off" } else { "on" };
        let ms = rng.below(span);
        // Every third run kills a whole-file change (a rollback) instead.
        let args: &[&str] = if i % 3 == 2 && dep.history().len() > 1 {
            &["apply", "@~1"]
        } else {
            &["staging", state]
        };
        kill_after(dep.command(args), ms);
        // A read first: it reconciles exports/ with history (quarantine, rewrite).
        dep.ok(&["show"]);
        dep.assert_consistent(&format!("seed {seed}, run {i}, killed after {ms} ms"));
    }
    // And the deployment keeps working.
    let before = dep.history().len();
    let state = if dep.staging() { "off" } else { "on" };
    dep.ok(&["staging", state]);
    assert_eq!(dep.history().len(), before + 1);
    dep.assert_consistent(&format!("seed {seed}, after the kills"));
}

fn an_uncommitted_export_is_quarantined_and_said_so(db: Db) {
    let dep = Dep::imported(db, "express-single-forest");
    let before = dep.exports();
    let mut child = dep
        .command(&["staging", "off"])
        .env("SYNCPOLICY_TEST_PAUSE_IN_CHANGE", "600000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Inside the transaction once its export is written.
    while dep.exports().iter().filter(|n| !n.starts_with('.')).count() == before.len() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the change ended early"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let orphan: Vec<String> = dep
        .exports()
        .into_iter()
        .filter(|n| !n.starts_with('.') && !before.contains(n))
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    let show = dep.run(&["show", "--format", "json"]);
    assert!(show.status.success(), "{}", stderr(&show));
    assert!(
        stderr(&show).contains("to ") && stderr(&show).contains("quarantine"),
        "the move is said: {}",
        stderr(&show)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(
        v["server"]["stagingMode"], true,
        "show gives the committed state, not the uncommitted export"
    );
    assert_eq!(names(&dep.home().join("quarantine")), orphan);
    assert_eq!(dep.exports(), before);
    dep.assert_consistent("after the quarantine");
}

fn killed_installs_leave_no_deployment_or_a_complete_one(db: Db) {
    let (mut rng, seed) = Rng::new();
    let probe = Dep::new(db);
    let file = sample("multi-forest-custom");
    let args = ["install", "--import", file.to_str().unwrap(), "--yes"];
    let span = duration_of(probe.command(&args)) * 3 / 2;
    for i in 0..8 {
        let dep = Dep::new(db);
        let ms = rng.below(span);
        kill_after(dep.command(&args), ms);
        let context = format!("seed {seed}, run {i}, killed after {ms} ms");
        if dep.home().join("deployment.json").exists() {
            let h = dep.history();
            assert_eq!(h.len(), 1, "{context}: a complete deployment");
            assert!(
                dep.home().join("import-session").exists(),
                "{context}: an imported deployment has its import session"
            );
            dep.assert_consistent(&context);
        } else {
            let show = dep.run(&["show"]);
            assert_eq!(show.status.code(), Some(2), "{context}: no deployment");
            assert!(stderr(&show).contains("no deployment in"), "{context}");
            let again = dep.run(&args);
            assert!(
                again.status.success(),
                "{context}: install again: {}",
                stderr(&again)
            );
            dep.assert_consistent(&context);
        }
    }
}

/// Killed at a named point of install; the next install finds and replaces the leftover.
fn an_install_killed_at(db: Db, point: &str) {
    let dep = Dep::new(db);
    let file = sample("express-single-forest");
    let mut child = dep
        .command(&["install", "--import", file.to_str().unwrap(), "--yes"])
        .env("SYNCPOLICY_TEST_PAUSE_AT", format!("{point}:600000"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while !dep.home().join("install.pending").exists()
        || (point != "install-marker" && dep.exports().is_empty())
    {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the install ended early"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !dep.home().join("deployment.json").exists(),
        "{point}: not a deployment before its record is written"
    );
    let show = dep.run(&["show"]);
    assert_eq!(show.status.code(), Some(2), "{point}: {}", stderr(&show));
    let again = dep.install_import("express-single-forest");
    assert!(again.status.success(), "{point}: {}", stderr(&again));
    assert!(
        stderr(&again).contains("found the leftover of an install that did not complete"),
        "{point}: install says what it found: {}",
        stderr(&again)
    );
    assert!(!dep.home().join("install.pending").exists());
    assert_eq!(dep.history().len(), 1);
    dep.assert_consistent(point);
}

fn installs_killed_at_each_step_are_replaced(db: Db) {
    for point in ["install-marker", "install-commit", "install-record"] {
        an_install_killed_at(db, point);
    }
}

/// Killed at each step of `install --import`, including right after `deployment.json` is
/// written: there is either no deployment (and the next install replaces the leftover) or a
/// deployment whose import session is open, so directories cannot be added or removed.
fn imports_killed_at_each_step_never_leave_a_deployment_without_its_session(db: Db) {
    let file = sample("multi-forest-custom");
    let args = ["install", "--import", file.to_str().unwrap(), "--yes"];
    for point in [
        "install-marker",
        "install-commit",
        "install-record",
        "install-done",
    ] {
        let dep = Dep::new(db);
        let mut child = dep
            .command(&args)
            .env("SYNCPOLICY_TEST_PAUSE_AT", format!("{point}:600000"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let reached = |dep: &Dep| match point {
            "install-marker" => dep.home().join("install.pending").exists(),
            "install-done" => dep.home().join("deployment.json").exists(),
            _ => !dep.exports().is_empty(),
        };
        while !reached(&dep) {
            assert!(
                child.try_wait().unwrap().is_none(),
                "{point}: the install ended early"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let session = dep.home().join("import-session");
        if dep.home().join("deployment.json").exists() {
            assert_eq!(point, "install-done");
            assert!(
                session.exists(),
                "{point}: the deployment exists, so its import session must too"
            );
            let o = dep.run(&["directory", "remove", "fabrikam.com", "--yes"]);
            assert_eq!(o.status.code(), Some(2), "{point}: {}", stderr(&o));
            assert!(
                stderr(&o)
                    .contains("directories cannot be added or removed during an import session"),
                "{point}: {}",
                stderr(&o)
            );
            dep.assert_consistent(point);
        } else {
            let show = dep.run(&["show"]);
            assert_eq!(show.status.code(), Some(2), "{point}: {}", stderr(&show));
            // An express install over the leftover must not inherit its session.
            let again = dep.run(crate::support::EXPRESS_INSTALL);
            assert!(again.status.success(), "{point}: {}", stderr(&again));
            assert!(
                !session.exists(),
                "{point}: the leftover's import-session marker is removed with it"
            );
            dep.assert_consistent(point);
        }
    }
}

fn a_tampered_newest_export_is_reported_and_the_database_used(db: Db) {
    let dep = Dep::imported(db, "express-single-forest");
    dep.ok(&["staging", "off"]);
    let newest = dep
        .home()
        .join("exports")
        .join(dep.exports().last().unwrap());
    let text = std::fs::read_to_string(&newest).unwrap();
    assert!(text.contains("\"stagingMode\": false"));
    assert!(text.contains("\"syncInterval\": \"00:30:00\""));
    std::fs::write(
        &newest,
        text.replace("\"stagingMode\": false", "\"stagingMode\": true")
            .replace(
                "\"syncInterval\": \"00:30:00\"",
                "\"syncInterval\": \"00:10:00\"",
            ),
    )
    .unwrap();
    let name = newest.display().to_string();
    let show = dep.run(&["show", "--format", "json"]);
    assert!(show.status.success(), "{}", stderr(&show));
    assert!(
        stderr(&show).contains(&format!(
            "warning: {name} was changed after it was exported"
        )),
        "{}",
        stderr(&show)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(v["server"]["stagingMode"], false, "the committed state");
    // The file itself, named as a source, also gives the committed state.
    let file = dep.run(&["show", &name, "--format", "json"]);
    assert!(stderr(&file).contains("was changed after it was exported"));
    let v: serde_json::Value = serde_json::from_str(&stdout(&file)).unwrap();
    assert_eq!(v["server"]["stagingMode"], false);
    let diff = dep.run(&["diff", "@~1", "@latest"]);
    assert!(
        stdout(&diff).contains("staging mode: true -> false"),
        "{}",
        stdout(&diff)
    );
    // verify compares the imported file with the committed configuration: the edited
    // interval of the export does not count.
    let verify = dep.run(&[
        "verify",
        &sample("express-single-forest").display().to_string(),
    ]);
    assert!(
        verify.status.success(),
        "{}{}",
        stdout(&verify),
        stderr(&verify)
    );
    assert!(stderr(&verify).contains("was changed after it was exported"));
    // An unrelated change keeps the committed state (it does not pick up the edit).
    dep.ok(&["scheduler", "--interval", "00:45:00"]);
    assert!(!dep.staging());
}

fn a_deleted_newest_export_is_written_again(db: Db) {
    let dep = Dep::imported(db, "express-single-forest");
    dep.ok(&["staging", "off"]);
    let newest = dep
        .home()
        .join("exports")
        .join(dep.exports().last().unwrap());
    std::fs::remove_file(&newest).unwrap();
    let show = dep.run(&["show"]);
    assert!(show.status.success(), "{}", stderr(&show));
    assert!(
        stderr(&show).contains("was missing; it was written again from the database"),
        "{}",
        stderr(&show)
    );
    assert!(newest.exists());
    dep.assert_consistent("after the rewrite");
}

/// A change held inside its transaction (export written, not committed) for a long time.
fn paused_change(dep: &Dep) -> std::process::Child {
    let before = dep.exports().len();
    let mut child = dep
        .command(&["staging", "off"])
        .env("SYNCPOLICY_TEST_PAUSE_IN_CHANGE", "600000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while dep.exports().iter().filter(|n| !n.starts_with('.')).count() == before {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the change ended early"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

fn reads_do_not_wait_for_a_change_and_changes_say_who_holds_the_lock(db: Db) {
    let dep = Dep::imported(db, "express-single-forest");
    let mut child = paused_change(&dep);
    // Reads complete while the change still holds the lock and its transaction.
    assert_eq!(dep.history().len(), 1);
    assert!(
        dep.staging(),
        "the committed state, not the change in progress"
    );
    dep.ok(&["diff", "@latest", "@latest"]);
    dep.ok(&["verify", "@latest"]);
    assert!(
        child.try_wait().unwrap().is_none(),
        "the reads finished while the change was still running"
    );
    // A second change waits, says who holds the lock, and gives up after --lock-timeout.
    let o = dep.run(&["--lock-timeout", "1", "scheduler", "--interval", "00:45:00"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let pid = child.id().to_string();
    let err = stderr(&o);
    assert!(
        err.contains(&format!("waiting for the deployment lock: a change is running in process {pid} (`staging off`) since ")),
        "{err}"
    );
    assert!(err.contains("gave up; nothing was changed"), "{err}");
    assert!(err.contains("--lock-timeout"), "{err}");
    child.kill().unwrap();
    child.wait().unwrap();
    dep.ok(&["show"]);
    dep.assert_consistent("after the held change was killed");
}

#[cfg(unix)]
#[test]
fn kill9_during_changes_sqlite() {
    killed_changes_leave_history_exports_and_show_in_agreement(Db::Sqlite);
}

#[cfg(unix)]
#[test]
fn kill9_during_changes_postgres() {
    killed_changes_leave_history_exports_and_show_in_agreement(Db::Postgres);
}

#[cfg(unix)]
#[test]
fn uncommitted_export_quarantined_sqlite() {
    an_uncommitted_export_is_quarantined_and_said_so(Db::Sqlite);
}

#[cfg(unix)]
#[test]
fn uncommitted_export_quarantined_postgres() {
    an_uncommitted_export_is_quarantined_and_said_so(Db::Postgres);
}

#[cfg(unix)]
#[test]
fn kill9_during_install_sqlite() {
    killed_installs_leave_no_deployment_or_a_complete_one(Db::Sqlite);
}

#[cfg(unix)]
#[test]
fn kill9_during_install_postgres() {
    killed_installs_leave_no_deployment_or_a_complete_one(Db::Postgres);
}

#[cfg(unix)]
#[test]
fn install_killed_at_each_step_sqlite() {
    installs_killed_at_each_step_are_replaced(Db::Sqlite);
}

#[cfg(unix)]
#[test]
fn install_killed_at_each_step_postgres() {
    installs_killed_at_each_step_are_replaced(Db::Postgres);
}

#[cfg(unix)]
#[test]
fn import_killed_at_each_step_keeps_its_session_sqlite() {
    imports_killed_at_each_step_never_leave_a_deployment_without_its_session(Db::Sqlite);
}

#[cfg(unix)]
#[test]
fn import_killed_at_each_step_keeps_its_session_postgres() {
    imports_killed_at_each_step_never_leave_a_deployment_without_its_session(Db::Postgres);
}

#[test]
fn tampered_newest_export_sqlite() {
    a_tampered_newest_export_is_reported_and_the_database_used(Db::Sqlite);
}

#[test]
fn tampered_newest_export_postgres() {
    a_tampered_newest_export_is_reported_and_the_database_used(Db::Postgres);
}

#[test]
fn deleted_newest_export_sqlite() {
    a_deleted_newest_export_is_written_again(Db::Sqlite);
}

#[test]
fn deleted_newest_export_postgres() {
    a_deleted_newest_export_is_written_again(Db::Postgres);
}

#[cfg(unix)]
#[test]
fn reads_during_a_change_sqlite() {
    reads_do_not_wait_for_a_change_and_changes_say_who_holds_the_lock(Db::Sqlite);
}

#[cfg(unix)]
#[test]
fn reads_during_a_change_postgres() {
    reads_do_not_wait_for_a_change_and_changes_say_who_holds_the_lock(Db::Postgres);
}

#[cfg(unix)]
#[test]
fn a_lock_file_that_is_a_symbolic_link_is_refused() {
    let dep = Dep::imported(Db::Sqlite, "express-single-forest");
    let lock = dep.home().join("deployment.lock");
    let elsewhere = dep.dir.path().join("elsewhere");
    let _ = std::fs::remove_file(&lock);
    std::os::unix::fs::symlink(&elsewhere, &lock).unwrap();
    let o = dep.run(&["staging", "off"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the lock file is a symbolic link; it is not followed"),
        "{}",
        stderr(&o)
    );
    assert!(!elsewhere.exists(), "the link was not followed");
    assert_eq!(dep.history().len(), 1, "nothing changed");
}

#[cfg(unix)]
#[test]
fn a_secrets_file_readable_by_others_is_restored_to_0600_and_said_so() {
    use std::os::unix::fs::PermissionsExt;
    let dep = Dep::imported(Db::Sqlite, "express-single-forest");
    let secrets = dep.home().join("secrets.json");
    std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = dep.run(&["show"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("was readable by others (mode 0644); its mode was restored to 0600"),
        "{}",
        stderr(&o)
    );
    let mode = std::fs::metadata(&secrets).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // And the store refuses such a file when it cannot restore it (read directly).
    std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o640)).unwrap();
    let err = syncpolicy_store::Home::new(dep.home())
        .secrets()
        .unwrap_err();
    assert!(
        err.to_string().contains("readable by others (mode 0640)"),
        "{err}"
    );
}

/// Every file of a folder tree with its size and modification time.
#[cfg(unix)]
fn tree_state(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            }
            out.push((e.path(), m.len(), m.modified().unwrap()));
        }
    }
    out.sort();
    out
}

/// A home its user cannot write: every folder 0555, every file 0444 (0400 for secrets). Tests
/// may run as root, whom file modes do not stop: then the commands run as the unprivileged
/// user `nobody` (uid 65534), who owns the home, so the modes do apply; and in both cases
/// the test checks that no file of the home was written.
#[cfg(unix)]
#[test]
fn a_read_only_home_can_be_read_and_nothing_is_written() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dep = Dep::imported(Db::Sqlite, "express-single-forest");
    dep.ok(&["staging", "off"]);
    let is_root = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .map(|u| u.split_whitespace().next() == Some("0"))
        })
        .unwrap_or(false);
    let home = dep.home();
    std::fs::set_permissions(dep.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut all = vec![home.clone()];
    all.extend(tree_state(&home).into_iter().map(|(p, _, _)| p));
    for p in &all {
        if is_root {
            std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
        }
        let mode = if p.is_dir() {
            0o555
        } else if p.ends_with("secrets.json") {
            0o400
        } else {
            0o444
        };
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let before = tree_state(&home);
    // The unprivileged user may not reach the build folder (a checkout under a private
    // folder, such as one made by mktemp -d): it runs a copy of the binary from a folder of
    // its own, outside the home, started in that folder.
    let own = tempfile::tempdir().unwrap();
    std::fs::set_permissions(own.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let program = own.path().join("syncpolicy");
    std::fs::copy(env!("CARGO_BIN_EXE_syncpolicy"), &program).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let as_user = |args: &[&str]| {
        let mut c = dep.command_of(&program, args);
        if is_root {
            c.uid(65534).gid(65534).current_dir(own.path());
        }
        c.output().unwrap()
    };
    let show = as_user(&["show", "--format", "json"]);
    assert!(
        show.status.success(),
        "show on a read-only home: {}",
        stderr(&show)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(v["server"]["stagingMode"], false);
    for args in [
        &["history"][..],
        &["diff", "@~1", "@latest"][..],
        &["verify", "@latest"][..],
        &["show", "@~1"][..],
    ] {
        let o = as_user(args);
        assert!(
            o.status.code() == Some(0) || o.status.code() == Some(1),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    let change = as_user(&["staging", "on"]);
    assert_eq!(change.status.code(), Some(2), "a change cannot be made");
    assert_eq!(tree_state(&home), before, "no file of the home was written");
    // Give the folder back so that it can be removed.
    for p in &all {
        let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o700));
    }
}

#[test]
fn an_ambiguous_timestamp_prefix_is_an_error_listing_the_matches() {
    let dep = Dep::imported(Db::Sqlite, "express-single-forest");
    dep.ok(&["staging", "off"]);
    let h = dep.history();
    let day = &h[0]["at"].as_str().unwrap()[..10];
    assert_eq!(day, &h[1]["at"].as_str().unwrap()[..10], "the same day");
    let o = dep.run(&["show", &format!("@{day}")]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("@{day} is ambiguous: 2 changes")),
        "{err}"
    );
    for e in &h {
        assert!(err.contains(e["at"].as_str().unwrap()), "{err}");
    }
    assert!(
        err.contains("hint: give a longer timestamp prefix"),
        "{err}"
    );
    dep.ok(&["show", &format!("@{}", h[1]["at"].as_str().unwrap())]);
}

#[test]
fn an_unreadable_database_left_by_an_install_is_replaced() {
    let dep = Dep::new(Db::Sqlite);
    std::fs::create_dir_all(dep.home().join("exports")).unwrap();
    std::fs::write(
        dep.home().join("syncpolicy.db"),
        b"not a database, cut short",
    )
    .unwrap();
    let o = dep.install_import("express-single-forest");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("left by an install that did not complete"),
        "{}",
        stderr(&o)
    );
    assert_eq!(dep.history().len(), 1);
    dep.assert_consistent("after replacing the unreadable database");
}

#[test]
fn a_postgres_database_of_another_home_is_never_wiped() {
    let first = Dep::imported(Db::Postgres, "express-single-forest");
    // A second home pointed at the same database: not its leftover.
    let second = Dep {
        dir: tempfile::tempdir().unwrap(),
        database: first.database.clone(),
    };
    let o = second.install_import("express-single-forest");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a deployment already exists"),
        "{}",
        stderr(&o)
    );
    assert_eq!(first.history().len(), 1, "the first deployment is intact");
    first.assert_consistent("after the refused second install");
}
