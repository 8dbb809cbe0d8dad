//! The answers of an interactive install, shown before its final confirmation: the Entra
//! tenant and administrator, the sign-in method, each directory's account and whether a
//! password was given (never the password itself), and the options. Values typed at the
//! prompts or read from the file are escaped for the terminal.

use crate::escape::text as esc;
use std::fmt::Write as _;

/// How a directory's connector signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A password was given (it is not part of this view).
    Password,
    /// A pre-created account: no password is stored.
    Precreated,
    /// Neither.
    None,
}

/// One directory's answers.
#[derive(Debug, Clone)]
pub struct DirectoryAnswers {
    pub name: String,
    pub account: Option<String>,
    pub credential: Credential,
}

/// Every answer of the install, as it will be applied.
#[derive(Debug, Clone)]
pub struct InstallAnswers {
    pub tenant: Option<String>,
    pub administrator: Option<String>,
    /// The sign-in method's label.
    pub sign_in: String,
    pub federation_server: Option<String>,
    pub directories: Vec<DirectoryAnswers>,
    pub staging: bool,
    pub start_sync: bool,
}

/// The answers, one line each after a heading.
pub fn render_text(a: &InstallAnswers) -> String {
    let on_off = |b: bool| if b { "on" } else { "off" };
    let mut out = String::from("Summary of the answers:\n");
    let _ = writeln!(
        out,
        "  Entra tenant {}, administrator {}",
        esc(a.tenant.as_deref().unwrap_or("(not set)")),
        esc(a.administrator.as_deref().unwrap_or("(not set)"))
    );
    let _ = write!(out, "  sign-in {}", esc(&a.sign_in));
    if let Some(server) = &a.federation_server {
        let _ = write!(out, ", federation server {}", esc(server));
    }
    out.push('\n');
    for d in &a.directories {
        let credential = match d.credential {
            Credential::Password => "password given (not shown)",
            Credential::Precreated => "pre-created account, no password stored",
            Credential::None => "no password",
        };
        let _ = writeln!(
            out,
            "  directory {}: account {}, {credential}",
            esc(&d.name),
            esc(d.account.as_deref().unwrap_or("(no account)"))
        );
    }
    let _ = writeln!(
        out,
        "  staging mode {}, start synchronization {}",
        on_off(a.staging),
        on_off(a.start_sync)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_listed_with_control_characters_escaped() {
        let a = InstallAnswers {
            tenant: Some("t1".to_owned()),
            administrator: Some("admin\u{1b}[2J@contoso".to_owned()),
            sign_in: "password hash synchronization".to_owned(),
            federation_server: None,
            directories: vec![
                DirectoryAnswers {
                    name: "contoso.com".to_owned(),
                    account: Some("CONTOSO\\svc".to_owned()),
                    credential: Credential::Password,
                },
                DirectoryAnswers {
                    name: "fabrikam.com".to_owned(),
                    account: None,
                    credential: Credential::Precreated,
                },
            ],
            staging: true,
            start_sync: false,
        };
        let t = render_text(&a);
        assert!(!t.contains('\u{1b}'), "{t}");
        assert_eq!(
            t,
            "Summary of the answers:\n  Entra tenant t1, administrator admin\\u{1b}[2J@contoso\n  sign-in password hash synchronization\n  directory contoso.com: account CONTOSO\\svc, password given (not shown)\n  directory fabrikam.com: account (no account), pre-created account, no password stored\n  staging mode on, start synchronization off\n"
        );
    }
}
