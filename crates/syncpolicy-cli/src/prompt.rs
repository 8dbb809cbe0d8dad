//! Terminal prompts, on `dialoguer` (with `console`, which reads keys and passwords from the
//! terminal on Linux, macOS and Windows): a text answer, one of a few choices, yes or no, and a
//! password read without echo. Every question is on standard error; an invalid answer is
//! asked again with the valid choices. Used only when [`interactive`] holds: scripted runs
//! (standard input or standard error not a terminal) take their answers from flags.

use anyhow::bail;
use console::Term;
use dialoguer::theme::SimpleTheme;
use dialoguer::{Input, Password};
use std::io::IsTerminal;

/// Empty password answers accepted before the question is given up (a closed terminal reads
/// as an endless run of empty lines).
const EMPTY_PASSWORD_TRIES: usize = 10;

/// True when questions can be asked: standard input and standard error are both terminals.
pub(crate) fn interactive() -> bool {
    std::io::stdin().is_terminal() && Term::stderr().is_term()
}

/// The error of a prompt that could not read an answer.
fn read_error(question: &str, err: dialoguer::Error) -> anyhow::Error {
    let dialoguer::Error::IO(io) = err;
    if io.kind() == std::io::ErrorKind::UnexpectedEof {
        anyhow::anyhow!("the terminal input ended while asking: {question}\nhint: answer every question, or use --yes with flags")
    } else {
        anyhow::Error::new(io).context(format!(
            "cannot read the answer from the terminal ({question})"
        ))
    }
}

/// A non-empty answer (surrounding spaces removed); an empty one takes `default`, or asks again
/// when there is none.
pub(crate) fn text(question: &str, default: Option<&str>) -> anyhow::Result<String> {
    let mut input = Input::<String>::with_theme(&SimpleTheme)
        .with_prompt(question)
        .allow_empty(true)
        .validate_with(|v: &String| -> Result<(), &str> {
            if v.trim().is_empty() {
                Err("an answer is needed")
            } else {
                Ok(())
            }
        });
    if let Some(d) = default.filter(|d| !d.is_empty()) {
        input = input.default(d.to_owned());
    }
    let answer = input
        .interact_text_on(&Term::stderr())
        .map_err(|e| read_error(question, e))?;
    Ok(answer.trim().to_owned())
}

/// One of `choices` (lower-case tokens, any case accepted), asked again naming the valid
/// choices until the answer is one of them; an empty answer takes `default`.
pub(crate) fn choice(
    question: &str,
    choices: &[&str],
    default: Option<&str>,
) -> anyhow::Result<String> {
    among(question, choices, &or_list(choices), default)
}

/// Yes or no: only `yes`, `y`, `no` or `n` (any case); anything else is asked again. An empty
/// answer takes `default`, or asks again when there is none.
pub(crate) fn yes_no(question: &str, default: Option<bool>) -> anyhow::Result<bool> {
    let answer = among(
        question,
        &["yes", "y", "no", "n"],
        "yes or no",
        default.map(|d| if d { "yes" } else { "no" }),
    )?;
    Ok(matches!(answer.as_str(), "yes" | "y"))
}

/// An answer among `accepted` (lower-cased), the error naming them as `named`.
fn among(
    question: &str,
    accepted: &[&str],
    named: &str,
    default: Option<&str>,
) -> anyhow::Result<String> {
    let mut input = Input::<String>::with_theme(&SimpleTheme)
        .with_prompt(question)
        .allow_empty(true)
        .validate_with(|v: &String| -> Result<(), String> {
            let v = v.trim().to_ascii_lowercase();
            if accepted.contains(&v.as_str()) {
                Ok(())
            } else {
                Err(format!(
                    "{} is not a valid answer; answer {named}",
                    quoted(&v)
                ))
            }
        });
    if let Some(d) = default.filter(|d| !d.is_empty()) {
        input = input.default(d.to_owned());
    }
    let answer = input
        .interact_text_on(&Term::stderr())
        .map_err(|e| read_error(question, e))?;
    Ok(answer.trim().to_ascii_lowercase())
}

/// A password, read without echo; an empty answer asks again (up to [`EMPTY_PASSWORD_TRIES`]
/// times, so a closed terminal ends the question instead of looping).
pub(crate) fn password(question: &str, what: &str) -> anyhow::Result<String> {
    let term = Term::stderr();
    for _ in 0..EMPTY_PASSWORD_TRIES {
        let answer = Password::with_theme(&SimpleTheme)
            .with_prompt(question)
            .allow_empty_password(true)
            .report(false)
            .interact_on(&term)
            .map_err(|e| read_error(question, e))?;
        if !answer.is_empty() {
            return Ok(answer);
        }
        term.write_line("  a password is needed (nothing is shown while typing)")?;
    }
    bail!("no password given for {what}\nhint: type the password, or choose a pre-created account");
}

/// An answer as shown back in a message: quoted, control characters escaped.
fn quoted(answer: &str) -> String {
    format!("{answer:?}")
}

/// `a, b or c`.
fn or_list(choices: &[&str]) -> String {
    match choices.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}
