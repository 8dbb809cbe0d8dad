//! What to do about an error of the operating system (a missing folder, a file where a folder
//! is expected, permission denied, a full disk): the `hint:` text shown under the error, naming
//! the path when it is known.

use std::io::{self, ErrorKind};
use std::path::Path;

/// The hint (without `hint: `) for `err`, met on `path` when known, or `None` when the error
/// says all there is to say.
pub fn hint(path: Option<&Path>, err: &io::Error) -> Option<String> {
    let shown = |fallback: &str| match path {
        Some(p) => p.display().to_string(),
        None => fallback.to_owned(),
    };
    let parent = path
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.display().to_string());
    let text = match err.kind() {
        ErrorKind::NotFound => format!(
            "{} does not exist, or is a system folder (such as /proc) that takes no new files; create the folder, or choose one of your own",
            parent.unwrap_or_else(|| "the folder of that path".to_owned())
        ),
        ErrorKind::AlreadyExists | ErrorKind::NotADirectory => format!(
            "{} (or a folder on its way) is a file where a folder is expected; give a folder, or move the file away",
            shown("that path")
        ),
        ErrorKind::IsADirectory | ErrorKind::DirectoryNotEmpty => format!(
            "{} is a folder where a file is expected; give a file name (a path inside that folder, or another one)",
            shown("that path")
        ),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => format!(
            "you may not write to {}; choose a folder you can write to, or ask its owner for write permission",
            shown("that path")
        ),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => format!(
            "the disk that holds {} is full (or your quota is used up); free some space, or choose a folder on another disk",
            shown("that path")
        ),
        ErrorKind::InvalidFilename => format!(
            "{} is not a valid file name on this system; choose a shorter name without reserved characters",
            shown("that path")
        ),
        _ => return None,
    };
    Some(text)
}

/// `"\nhint: ..."` for `err` on `path`, or nothing: for error messages built with `format!`.
pub fn hint_line(path: &Path, err: &io::Error) -> String {
    hint(Some(path), err)
        .map(|h| format!("\nhint: {h}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_says_what_to_do_and_names_the_path() {
        let p = Path::new("/srv/out/file.json");
        let h = |kind: ErrorKind| hint(Some(p), &io::Error::from(kind)).unwrap();
        assert!(h(ErrorKind::NotFound).starts_with("/srv/out does not exist"));
        assert!(h(ErrorKind::AlreadyExists).contains("is a file where a folder is expected"));
        assert!(h(ErrorKind::IsADirectory).contains("is a folder where a file is expected"));
        assert!(
            h(ErrorKind::PermissionDenied).starts_with("you may not write to /srv/out/file.json")
        );
        assert!(h(ErrorKind::StorageFull).contains("is full"));
        assert_eq!(
            hint(Some(p), &io::Error::from(ErrorKind::Interrupted)),
            None
        );
    }

    #[test]
    fn a_raw_disk_full_error_is_recognised() {
        // ENOSPC, as write(2) reports a full disk on Linux and macOS.
        #[cfg(unix)]
        {
            let err = io::Error::from_raw_os_error(28);
            assert!(hint_line(Path::new("/x/y"), &err).contains("is full"));
        }
    }
}
