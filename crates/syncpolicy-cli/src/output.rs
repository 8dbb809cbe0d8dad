//! Output helpers shared by commands: the `--format` choice, ANSI styles that switch off
//! without colour, and writing to stdout without panicking on a closed pipe.

use clap::ValueEnum;
use std::io::Write;

/// Output format of commands whose output is data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Readable text.
    Text,
    /// JSON, for scripts.
    Json,
}

/// ANSI styles, empty when colour is off (the views' own).
pub(crate) use syncpolicy_views::style::Style;

/// Writes to stdout through `write` (buffered, as it goes); a closed pipe (e.g. `| head`) is
/// not an error.
pub(crate) fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Writes to stdout; a closed pipe (e.g. `| head`) is not an error.
pub(crate) fn print_stdout(text: &str) -> anyhow::Result<()> {
    print_bytes(text.as_bytes())
}

/// [`print_stdout`] for bytes that are not necessarily one `str` (JSON written as bytes).
pub(crate) fn print_bytes(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Writes `text` to `path` atomically (saying so on stderr unless `--quiet`), or to stdout
/// when no path is given.
pub(crate) fn write_or_print(
    ctx: &crate::context::Context,
    path: Option<&std::path::Path>,
    text: &str,
) -> anyhow::Result<()> {
    match path {
        Some(path) => {
            write_file(path, text.as_bytes())?;
            ctx.status(&format!("wrote {}", path.display()));
            Ok(())
        }
        None => print_stdout(text),
    }
}

/// Writes a user's output file atomically; an error names the file, what the operating system
/// said and what to do (`hint:`).
pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_file_with(path, |out| out.write_all(bytes))
}

/// [`write_file`] of content that `write` writes as it is made.
pub(crate) fn write_file_with(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    syncpolicy_files::atomic::write_atomic_with(path, write).map_err(|e| {
        anyhow::anyhow!(
            "cannot write {}: {e}{}",
            path.display(),
            syncpolicy_files::oserror::hint_line(path, &e)
        )
    })
}

/// The phase timings recorded under `SYNCPOLICY_TIMINGS=1` (`syncpolicy_store::timing`), on
/// stderr: each phase's length, start and end (milliseconds since the first phase) and name.
pub(crate) fn print_timings() {
    for p in syncpolicy_store::timing::take() {
        let resident = p
            .resident_mb
            .map(|mb| format!("  (resident {mb:.0} MB)"))
            .unwrap_or_default();
        eprintln!(
            "timing: {:>8.1} ms {:>8.1}-{:>8.1}  {}{resident}",
            p.end - p.start,
            p.start,
            p.end,
            p.name
        );
    }
}
