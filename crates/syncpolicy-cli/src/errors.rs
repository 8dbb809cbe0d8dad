//! What an error report shows under its headline: the causes that add something (a cause whose
//! text the message already shows is left out), and a hint for an error of the operating
//! system when the message has none.

/// The causes of `err` worth a `caused by:` line, outermost first: each one whose text is not
/// already part of what is shown above it.
pub(crate) fn causes(err: &anyhow::Error) -> Vec<String> {
    let mut shown = err.to_string();
    let mut out = Vec::new();
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if text.trim().is_empty() || shown.contains(&text) {
            continue;
        }
        shown.push('\n');
        shown.push_str(&text);
        out.push(text);
    }
    out
}

/// A hint for the first error of the operating system in `err`'s chain, unless the message
/// (or a cause) already gives one.
pub(crate) fn os_hint(err: &anyhow::Error) -> Option<String> {
    if err.chain().any(|c| c.to_string().contains("hint:")) {
        return None;
    }
    err.chain()
        .find_map(|c| c.downcast_ref::<std::io::Error>())
        .and_then(|io| syncpolicy_files::oserror::hint(None, io))
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn a_cause_the_message_repeats_is_left_out() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let err =
            anyhow::Error::new(io).context("cannot create /proc/nope: No such file or directory");
        assert!(causes(&err).is_empty());
        let io = std::io::Error::other("disk on fire");
        let err = anyhow::Error::new(io).context("cannot write /x");
        assert_eq!(causes(&err), ["disk on fire"]);
    }

    #[test]
    fn an_os_error_gets_a_hint_unless_one_is_given() {
        let err: anyhow::Result<()> = Err(std::io::Error::from(std::io::ErrorKind::IsADirectory))
            .context("cannot write /tmp");
        let err = err.unwrap_err();
        assert!(os_hint(&err)
            .unwrap()
            .contains("is a folder where a file is expected"));
        let err = err.context("cannot write /tmp\nhint: do something");
        assert_eq!(os_hint(&err), None);
    }
}
