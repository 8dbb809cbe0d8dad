//! Opening the deployment a command works on: the home folder (`--home`, `SYNCPOLICY_HOME`,
//! or the per-user default), the database (`--database`), how a change waits for the lock
//! (`--lock-timeout`) and the author of changes; what the store repaired or found on opening
//! is told on stderr. Readers open read-only (no lock, no migration, a read-only home works).
//! Changes themselves go through `crate::change::apply`.

use crate::context::Context;
use std::path::PathBuf;
use syncpolicy_store::{Deployment, LockWait, DEFAULT_LOCK_TIMEOUT};

/// The home folder: `--home`/`SYNCPOLICY_HOME`, else the per-user default.
pub(crate) fn home_dir(ctx: &Context) -> anyhow::Result<PathBuf> {
    if let Some(home) = &ctx.home {
        return Ok(home.clone());
    }
    syncpolicy_store::default_home().ok_or_else(|| {
        anyhow::anyhow!(
            "no deployment home folder: neither --home, SYNCPOLICY_HOME, XDG_DATA_HOME nor HOME is set\nhint: give --home DIR"
        )
    })
}

/// Opens the deployment for a change (or for reading, when the home cannot be written: a
/// change then fails with the database's or the lock file's own error).
pub(crate) fn open(ctx: &Context) -> anyhow::Result<Deployment> {
    let home = home_dir(ctx)?;
    let d = match Deployment::open(&home, ctx.database.as_deref()) {
        Ok(d) => d,
        Err(err) => match Deployment::open_read(&home, ctx.database.as_deref()) {
            Ok(d) => d,
            Err(_) => return Err(err.into()),
        },
    };
    Ok(opened(ctx, &home, d))
}

/// Opens the deployment for reading only: no write lock, no migration when the schema is
/// current, a read-only SQLite connection; works on a home the user cannot write and never
/// waits for a change in progress.
pub(crate) fn open_read(ctx: &Context) -> anyhow::Result<Deployment> {
    let home = home_dir(ctx)?;
    let d = Deployment::open_read(&home, ctx.database.as_deref())?;
    Ok(opened(ctx, &home, d))
}

fn opened(ctx: &Context, home: &std::path::Path, mut d: Deployment) -> Deployment {
    if ctx.verbose {
        ctx.status(&format!(
            "deployment {} ({} database {})",
            home.display(),
            d.backend().as_str(),
            d.describe_database()
        ));
    }
    let quiet = ctx.quiet;
    d.set_lock_wait(LockWait {
        command: String::new(),
        timeout: ctx
            .lock_timeout
            .map_or(DEFAULT_LOCK_TIMEOUT, std::time::Duration::from_secs),
        notice: std::sync::Arc::new(move |m: &str| {
            if !quiet {
                eprintln!("{m}");
            }
        }),
    });
    tell(&mut d);
    d
}

/// Prints what the store has to say (repairs made, warnings) on stderr; warnings even with
/// `--quiet`.
pub(crate) fn tell(d: &mut Deployment) {
    for n in d.take_notices() {
        eprintln!("{}", sanitize(&n));
    }
}

/// Text for the terminal: control characters (other than newline and tab) shown escaped.
pub(crate) fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The author of a change: `--author`, else the OS user.
pub(crate) fn author(explicit: Option<&str>) -> String {
    if let Some(a) = explicit.map(str::trim).filter(|a| !a.is_empty()) {
        return a.to_owned();
    }
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .or_else(user_from_passwd)
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The signed-in user's name from `/etc/passwd` by the process's user id (Linux), for
/// services and containers that set no `USER`.
fn user_from_passwd() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_owned();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let _password = fields.next()?;
        (fields.next()? == uid).then(|| name.to_owned())
    })
}

/// A history entry of the store as the views show it.
pub(crate) fn entry_view(h: &syncpolicy_store::HistoryEntry) -> syncpolicy_views::history::Entry {
    syncpolicy_views::history::Entry {
        id: h.id,
        at: h.at.clone(),
        at_millis: h.at_millis,
        author: h.author.clone(),
        command: h.command.clone(),
        summary: h.summary.clone(),
        digest: h.digest.clone(),
        snapshot: h.snapshot.clone(),
    }
}
