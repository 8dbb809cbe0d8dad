//! The migration files: versioned, parallel names for both backends, all embedded.

use std::path::Path;
use syncpolicy_store::backend::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use syncpolicy_store::SCHEMA_VERSION;

fn files(dir: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dir);
    let mut v: Vec<String> = std::fs::read_dir(path)
        .expect("the migrations folder exists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn both_backends_have_the_same_numbered_migrations_and_embed_them_all() {
    let sqlite = files("sqlite");
    let postgres = files("postgres");
    assert_eq!(
        sqlite, postgres,
        "parallel names under migrations/sqlite and migrations/postgres"
    );
    assert_eq!(
        sqlite.len(),
        SQLITE_MIGRATIONS.len(),
        "every SQLite migration is embedded"
    );
    assert_eq!(
        postgres.len(),
        POSTGRES_MIGRATIONS.len(),
        "every PostgreSQL migration is embedded"
    );
    for (i, name) in sqlite.iter().enumerate() {
        let (version, mname, _) = SQLITE_MIGRATIONS[i];
        assert_eq!(name, &format!("{version:04}_{mname}.sql"));
        assert_eq!(
            version as usize,
            i + 1,
            "versions count up from 1 without gaps"
        );
        assert_eq!(POSTGRES_MIGRATIONS[i].0, version);
        assert_eq!(POSTGRES_MIGRATIONS[i].1, mname);
    }
    assert_eq!(SQLITE_MIGRATIONS.last().map(|m| m.0), Some(SCHEMA_VERSION));
}
