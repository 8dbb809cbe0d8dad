//! Test fixtures: a fresh home folder and, for PostgreSQL, a fresh database on the server
//! named by `SYNCPOLICY_TEST_POSTGRES_URL` (start one with `eval "$(scripts/start-postgres)"`).

use std::sync::atomic::{AtomicUsize, Ordering};
use syncpolicy_model::config::Configuration;
use syncpolicy_store::{ChangeMeta, Deployment, InstallOptions, Secrets};
use tempfile::TempDir;

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Db {
    Sqlite,
    Postgres,
}

/// A home folder and the `--database` value to install with.
pub(crate) struct Fixture {
    pub(crate) dir: TempDir,
    pub(crate) database: Option<String>,
}

impl Fixture {
    pub(crate) fn home(&self) -> std::path::PathBuf {
        self.dir.path().join("home")
    }

    pub(crate) fn install(&self, config: &Configuration) -> Deployment {
        self.install_with(config, Secrets::default())
    }

    pub(crate) fn install_with(&self, config: &Configuration, secrets: Secrets) -> Deployment {
        let (d, outcome) = Deployment::install(
            InstallOptions {
                home: self.home(),
                database: self.database.clone(),
                meta: ChangeMeta::new("tester", "install"),
                summary: "installed for a test".to_owned(),
                secrets,
                import_session: None,
            },
            config,
        )
        .expect("install succeeds");
        assert_eq!(outcome.entry.id, 1);
        d
    }

    pub(crate) fn open(&self) -> Deployment {
        Deployment::open(&self.home(), self.database.as_deref()).expect("the deployment opens")
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The PostgreSQL server URL; fails the test with instructions when it is not set.
pub(crate) fn postgres_url() -> String {
    match std::env::var("SYNCPOLICY_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "SYNCPOLICY_TEST_POSTGRES_URL is not set: the PostgreSQL half of the conformance suite needs a server.\n\
             Start a throwaway one with: eval \"$(scripts/start-postgres)\" and run the tests again."
        ),
    }
}

/// A new, empty database on the test server; its URL.
pub(crate) fn fresh_postgres_database() -> String {
    let base = postgres_url();
    let name = format!(
        "sp_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let mut client = postgres::Client::connect(&base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to SYNCPOLICY_TEST_POSTGRES_URL: {e}"));
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("the test database is created");
    let (prefix, rest) = base.rsplit_once('/').expect("the URL names a database");
    let query = rest
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{prefix}/{name}{query}")
}

pub(crate) fn fixture(db: Db) -> Fixture {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = match db {
        Db::Sqlite => None,
        Db::Postgres => Some(fresh_postgres_database()),
    };
    Fixture { dir, database }
}

/// Files in the exports folder, sorted.
pub(crate) fn exports(f: &Fixture) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(f.home().join("exports"))
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
