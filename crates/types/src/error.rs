//! The one error type that crosses the IPC boundary.

use serde::{Deserialize, Serialize};

/// A stable code the UI can branch on. New variants are added only when the UI needs to
/// tell a case apart; everything else is `Internal` with a plain message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request was malformed or failed validation.
    InvalidInput,
    /// The OS keyring is missing, locked or refused access.
    KeyringUnavailable,
    /// The host did not answer (refused connection or silence).
    HostUnreachable,
    /// The host answered with an error.
    HostRefused,
    /// The host refused the server secret.
    Unauthorized,
    /// A change was sent and no answer came back: it may or may not have happened.
    OutcomeUnknown,
    /// The user cancelled the work; nothing changed.
    Cancelled,
    /// What was asked for does not exist (a host, an app, a user).
    NotFound,
    /// Something went wrong inside Gatehouse itself.
    Internal,
}

/// What a failed command answers: `{code, message, detail?}`. The message is plain
/// language, fit to show where the user acted; `detail` is the technical cause (what the
/// network or TLS layer said), for a `Details` disclosure. Neither contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            detail: None,
        }
    }

    /// The same error with its technical cause.
    pub fn with_detail(mut self, detail: Option<String>) -> Self {
        self.detail = detail;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let error = ApiError::new(ErrorCode::KeyringUnavailable, "no keyring");
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(
            json,
            r#"{"code":"keyring_unavailable","message":"no keyring"}"#
        );
        let back: ApiError = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back, error,
            "the UI must decode exactly what the backend sent"
        );
    }
}
