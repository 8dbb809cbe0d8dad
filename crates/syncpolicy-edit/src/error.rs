//! Why a change was refused. A refused change leaves the configuration as it was.

/// A change that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// Something named by the change does not exist.
    #[error("{what} not found\nhint: {hint}")]
    NotFound { what: String, hint: String },
    /// The change is not allowed as asked.
    #[error("{message}\nhint: {hint}")]
    Refused { message: String, hint: String },
    /// A value given to the change is malformed.
    #[error("{message}\nhint: {hint}")]
    Invalid { message: String, hint: String },
}

impl EditError {
    pub(crate) fn not_found(what: impl Into<String>, hint: impl Into<String>) -> Self {
        EditError::NotFound {
            what: what.into(),
            hint: hint.into(),
        }
    }

    pub(crate) fn refused(message: impl Into<String>, hint: impl Into<String>) -> Self {
        EditError::Refused {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>, hint: impl Into<String>) -> Self {
        EditError::Invalid {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Result of a change: the one-line summary of what changed.
pub type EditResult = Result<String, EditError>;
