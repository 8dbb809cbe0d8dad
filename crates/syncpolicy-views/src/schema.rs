//! The names and versions of every JSON document the tool prints (`--format json`), in one
//! place; each is documented in docs/json-output.md, and a document carries its name in its
//! first field, `schema`.

/// `show --format json`: the configuration summary.
pub const SHOW: &str = "syncpolicy-show/1";
/// `validate --format json`: the findings (`/1` was the document with `"version": 1`).
pub const VALIDATE: &str = syncpolicy_report::json::JSON_SCHEMA;
/// `diff --format json`: the changes (`/2`: `old` and `new` typed).
pub const DIFF: &str = "syncpolicy-diff/2";
/// `migrate --format json` and `migrate --report FILE`: the migration report.
pub const MIGRATE: &str = "syncpolicy-migrate/1";
/// `export --format json`: the written file.
pub const EXPORT: &str = "syncpolicy-export/1";
/// `history --format json`: the deployment's changes, newest first.
pub const HISTORY: &str = "syncpolicy-history/1";
/// `verify --format json`: the deployment against the imported file.
pub const VERIFY: &str = "syncpolicy-verify/1";
/// Every change command's `--format json` (`staging`, `directory add`, `rule edit`, ...).
pub const CHANGE: &str = "syncpolicy-change/1";
/// `directory list --format json`.
pub const DIRECTORIES: &str = "syncpolicy-directories/1";
/// `rule list --format json`.
pub const RULES: &str = "syncpolicy-rules/1";
/// `rule show --format json`: one rule as the settings file holds it.
pub const RULE: &str = "syncpolicy-rule/1";
/// `expr check --format json` and `expr eval --format json`.
pub const EXPR: &str = "syncpolicy-expr/1";
/// `apply --format json` (with or without `--dry-run`).
pub const APPLY: &str = "syncpolicy-apply/2";
/// `prune --format json`.
pub const PRUNE: &str = "syncpolicy-prune/1";
/// `simulate --format json` (with or without `--summary`).
pub const SIMULATE: &str = "syncpolicy-simulate/1";
/// `impact --format json`.
pub const IMPACT: &str = "syncpolicy-impact/1";

/// Every schema above.
pub const ALL: &[&str] = &[
    SHOW,
    VALIDATE,
    DIFF,
    MIGRATE,
    EXPORT,
    HISTORY,
    VERIFY,
    CHANGE,
    DIRECTORIES,
    RULES,
    RULE,
    EXPR,
    APPLY,
    PRUNE,
    SIMULATE,
    IMPACT,
];

/// `syncpolicy interface` (hidden, for tests and tooling): every command and the values its
/// `--format` accepts.
pub const INTERFACE: &str = "syncpolicy-interface/1";

/// One command of the interface listing.
#[derive(Debug, serde::Serialize)]
pub struct InterfaceCommand {
    /// The words after `syncpolicy`, e.g. `rule list`.
    pub path: String,
    /// What `--format` accepts, empty when the command has no `--format`.
    pub formats: Vec<String>,
}

#[derive(serde::Serialize)]
struct InterfaceDoc<'a> {
    schema: &'static str,
    commands: &'a [InterfaceCommand],
}

/// The interface listing as JSON.
pub fn interface_json(commands: &[InterfaceCommand]) -> serde_json::Result<String> {
    let doc = InterfaceDoc {
        schema: INTERFACE,
        commands,
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}
