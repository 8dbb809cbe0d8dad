//! Atomic file writes: the content goes to a temporary file in the same folder, is flushed to
//! disk, and replaces the target by rename, so a reader sees the old file or the new one,
//! never a part.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically. With `create_new`, fails if `path` exists.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with_mode(path, bytes, None)
}

/// Like [`write_atomic`], and on Unix gives the file `mode` (e.g. `0o600` for secrets).
pub fn write_atomic_with_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
    write_with_mode(path, |file| file.write_all(bytes), mode)
}

/// [`write_atomic`] of content that `write` writes as it is made (for a large output that is
/// never held as one buffer); an error of `write` leaves the old file as it was.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    write_with_mode(path, write, None)
}

fn write_with_mode(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    mode: Option<u32>,
) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let tmp = temp_path(dir, &name.to_string_lossy());
    let result = (|| {
        let mut file = WriteBack::new(open_new(&tmp, mode)?);
        write(&mut file)?;
        let file = file.into_inner();
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)?;
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Bytes written between two requests to start writing them back to disk.
const WRITE_BACK_STEP: u64 = 1 << 20;

/// A file being written that, on Linux, asks the kernel every [`WRITE_BACK_STEP`] bytes to
/// start writing the bytes written since the last request back to disk (without waiting), so
/// that a large file's final `fsync` has little left to write; elsewhere the file as it is.
/// The durability is the final `sync_all`'s, as before.
struct WriteBack {
    file: File,
    /// Bytes written so far.
    written: u64,
    /// Bytes whose write-back was requested.
    requested: u64,
}

impl WriteBack {
    fn new(file: File) -> Self {
        WriteBack {
            file,
            written: 0,
            requested: 0,
        }
    }

    fn into_inner(self) -> File {
        self.file
    }

    /// Asks for the write-back of what was written since the last request.
    #[cfg(target_os = "linux")]
    fn request(&mut self) {
        use rustix::fs::{fadvise, Advice};
        let len = std::num::NonZeroU64::new(self.written - self.requested);
        // `POSIX_FADV_DONTNEED` on Linux starts the write-back of the range's dirty pages
        // (without waiting for it) and drops its clean pages from the cache (this report is
        // not read again by the writer). Only a hint: a failure changes nothing.
        let _ = fadvise(&self.file, self.requested, len, Advice::DontNeed);
        self.requested = self.written;
    }

    #[cfg(not(target_os = "linux"))]
    fn request(&mut self) {
        self.requested = self.written;
    }
}

impl Write for WriteBack {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.requested >= WRITE_BACK_STEP {
            self.request();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

fn temp_path(dir: &Path, name: &str) -> PathBuf {
    let unique = std::process::id();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    dir.join(format!(".{name}.{unique}.{nanos}.tmp"))
}

#[cfg(unix)]
fn open_new(path: &Path, mode: Option<u32>) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    opts.mode(mode.unwrap_or(0o644));
    opts.open(path)
}

#[cfg(not(unix))]
fn open_new(path: &Path, _mode: Option<u32>) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn content_written_as_it_is_made_replaces_the_file_and_an_error_keeps_the_old() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        write_atomic(&path, b"old").unwrap();
        write_atomic_with(&path, |w| {
            for part in [&b"<p>"[..], b"", b"one", b"</p>\n"] {
                w.write_all(part)?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"<p>one</p>\n");
        let failed = write_atomic_with(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("rendering stopped"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"<p>one</p>\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_large_file_written_in_pieces_is_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("large.html");
        // Several write-back steps, in pieces that do not fall on their edges.
        let piece: Vec<u8> = (0..300_007u32).map(|i| (i % 251) as u8).collect();
        let pieces = (3 * WRITE_BACK_STEP as usize) / piece.len() + 2;
        write_atomic_with(&path, |w| {
            for _ in 0..pieces {
                w.write_all(&piece)?;
            }
            w.flush()
        })
        .unwrap();
        let got = fs::read(&path).unwrap();
        assert_eq!(got.len(), piece.len() * pieces);
        assert!(got.chunks(piece.len()).all(|c| c == piece.as_slice()));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn secret_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        write_atomic_with_mode(&path, b"s", Some(0o600)).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("a.json");
        assert!(write_atomic(&path, b"x").is_err());
        assert!(!path.exists());
    }
}
