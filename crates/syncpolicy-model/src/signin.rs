//! Sign-in: the `authenticationPolicy` list interpreted as a sign-in method plus options.
//!
//! Microsoft does not publish the strings of this list. syncpolicy's decision (documented in
//! `docs/settings-format.md`): the list holds the wizard's enum names. Exactly one entry is
//! the sign-in method (`PasswordHashSync`, `PassThroughAuthentication`, `FederationWithADFS`,
//! `FederationWithPing`, `NotConfigured`); `PasswordHashSync` next to another method means
//! password hash sync as an option; `DesktopSingleSignOn` means seamless single sign-on.

use std::fmt;

/// The sign-in method users authenticate with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SignInMethod {
    PasswordHashSync,
    PassThroughAuthentication,
    FederationWithAdfs,
    FederationWithPing,
    NotConfigured,
}

impl SignInMethod {
    /// Every method, in the order the wizard lists them.
    pub const ALL: &'static [SignInMethod] = &[
        SignInMethod::PasswordHashSync,
        SignInMethod::PassThroughAuthentication,
        SignInMethod::FederationWithAdfs,
        SignInMethod::FederationWithPing,
        SignInMethod::NotConfigured,
    ];

    /// The token written in `authenticationPolicy`.
    pub fn token(&self) -> &'static str {
        match self {
            SignInMethod::PasswordHashSync => PASSWORD_HASH_SYNC,
            SignInMethod::PassThroughAuthentication => "PassThroughAuthentication",
            SignInMethod::FederationWithAdfs => "FederationWithADFS",
            SignInMethod::FederationWithPing => "FederationWithPing",
            SignInMethod::NotConfigured => "NotConfigured",
        }
    }

    /// Parses a token (case-insensitive).
    pub fn from_token(token: &str) -> Option<Self> {
        SignInMethod::ALL
            .iter()
            .find(|m| m.token().eq_ignore_ascii_case(token))
            .cloned()
    }

    /// A readable label.
    pub fn label(&self) -> &'static str {
        match self {
            SignInMethod::PasswordHashSync => "password hash synchronization",
            SignInMethod::PassThroughAuthentication => "pass-through authentication",
            SignInMethod::FederationWithAdfs => "federation with AD FS",
            SignInMethod::FederationWithPing => "federation with PingFederate",
            SignInMethod::NotConfigured => "do not configure",
        }
    }

    /// True for the federated methods, whose parameters are asked again at import.
    pub fn is_federated(&self) -> bool {
        matches!(
            self,
            SignInMethod::FederationWithAdfs | SignInMethod::FederationWithPing
        )
    }
}

impl fmt::Display for SignInMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Token for password hash synchronization (method or option).
pub const PASSWORD_HASH_SYNC: &str = "PasswordHashSync";
/// Token for seamless single sign-on.
pub const SEAMLESS_SSO: &str = "DesktopSingleSignOn";

/// The sign-in settings as read from the `authenticationPolicy` list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignIn {
    /// The list exactly as stored, in order.
    pub tokens: Vec<String>,
}

impl SignIn {
    /// Builds the list for a method and its options.
    pub fn new(method: SignInMethod, password_hash_sync: bool, seamless_sso: bool) -> Self {
        let mut tokens = vec![method.token().to_owned()];
        if password_hash_sync && method != SignInMethod::PasswordHashSync {
            tokens.push(PASSWORD_HASH_SYNC.to_owned());
        }
        if seamless_sso {
            tokens.push(SEAMLESS_SSO.to_owned());
        }
        SignIn { tokens }
    }

    /// The sign-in method: the first token that names one. `PasswordHashSync` counts as the
    /// method only when no other method is listed.
    pub fn method(&self) -> Option<SignInMethod> {
        let methods: Vec<SignInMethod> = self
            .tokens
            .iter()
            .filter_map(|t| SignInMethod::from_token(t))
            .collect();
        methods
            .iter()
            .find(|m| **m != SignInMethod::PasswordHashSync)
            .or_else(|| methods.first())
            .cloned()
    }

    /// Whether password hashes are synchronized (as the method or as an option).
    pub fn password_hash_sync(&self) -> bool {
        self.tokens
            .iter()
            .any(|t| t.eq_ignore_ascii_case(PASSWORD_HASH_SYNC))
    }

    /// Whether seamless single sign-on is on.
    pub fn seamless_sso(&self) -> bool {
        self.tokens
            .iter()
            .any(|t| t.eq_ignore_ascii_case(SEAMLESS_SSO))
    }

    /// Tokens that are neither a method nor a known option.
    pub fn unknown_tokens(&self) -> Vec<&str> {
        self.tokens
            .iter()
            .filter(|t| {
                SignInMethod::from_token(t).is_none() && !t.eq_ignore_ascii_case(SEAMLESS_SSO)
            })
            .map(String::as_str)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pta_with_phs_backup_and_sso() {
        let s = SignIn::new(SignInMethod::PassThroughAuthentication, true, true);
        assert_eq!(s.method(), Some(SignInMethod::PassThroughAuthentication));
        assert!(s.password_hash_sync());
        assert!(s.seamless_sso());
        assert!(s.unknown_tokens().is_empty());
    }

    #[test]
    fn phs_alone_is_the_method() {
        let s = SignIn::new(SignInMethod::PasswordHashSync, true, false);
        assert_eq!(s.tokens, vec!["PasswordHashSync"]);
        assert_eq!(s.method(), Some(SignInMethod::PasswordHashSync));
    }
}
