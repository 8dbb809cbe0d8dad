//! Opening the deployment a command works on: the home folder (`--home`, `SYNCPOLICY_HOME`,
//! or the per-user default), the database (`--database`) and the author of changes. Changes
//! themselves go through `crate::change::apply`.

use crate::context::Context;
use std::path::PathBuf;
use syncpolicy_store::Deployment;

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

/// Opens the deployment.
pub(crate) fn open(ctx: &Context) -> anyhow::Result<Deployment> {
    let home = home_dir(ctx)?;
    let d = Deployment::open(&home, ctx.database.as_deref())?;
    if ctx.verbose {
        ctx.status(&format!(
            "deployment {} ({} database {})",
            home.display(),
            d.backend().as_str(),
            d.describe_database()
        ));
    }
    Ok(d)
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
