//! Helpers shared by the binary's integration tests: running `syncpolicy`, paths of the
//! workspace and its shipped samples, a fresh PostgreSQL database per test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the cli crate sits two levels below the workspace root")
        .to_path_buf()
}

/// A shipped sample file.
pub(crate) fn sample(name: &str) -> PathBuf {
    workspace().join("samples").join(format!("{name}.json"))
}

/// Runs the binary with arguments, without colour, with a private home folder.
pub(crate) fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_syncpolicy"))
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("SYNCPOLICY_HOME")
        .env_remove("SYNCPOLICY_DATABASE")
        .output()
        .expect("the syncpolicy binary runs")
}

/// Standard output as text.
pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The arguments of an express install (one forest, its account, the tenant and its admin, no
/// questions), for tests that need a deployment to start from.
pub(crate) const EXPRESS_INSTALL: &[&str] = &[
    "install",
    "--forest",
    "contoso.com",
    "--account",
    "CONTOSO\\svc-sync",
    "--tenant",
    "contoso.onmicrosoft.com",
    "--admin",
    "admin@contoso.onmicrosoft.com",
    "--yes",
];

/// The deployment store a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Db {
    Sqlite,
    Postgres,
}

/// A new, empty database on the test server (`SYNCPOLICY_TEST_POSTGRES_URL`), named
/// `sp_<prefix>_<process>_<n>`; its URL.
pub(crate) fn fresh_postgres_database(prefix: &str) -> String {
    let base = match std::env::var("SYNCPOLICY_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "SYNCPOLICY_TEST_POSTGRES_URL is not set: the PostgreSQL half of these tests needs a server.\n\
             Start a throwaway one with: eval \"$(scripts/start-postgres)\" (scripts/test does it)"
        ),
    };
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "sp_{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let mut client =
        postgres::Client::connect(&base, postgres::NoTls).expect("the test server answers");
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("a test database is created");
    let (prefix, _) = base.rsplit_once('/').expect("the URL names a database");
    format!("{prefix}/{name}")
}
