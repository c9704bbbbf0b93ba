//! A secret typed by the user, on its one-way trip from the web view to the backend.

use serde::{Deserialize, Deserializer};
use std::fmt;

/// A secret that can be received but never sent back: it deserializes everywhere, but
/// serializes only in the wasm32 build the web view runs (natively, serializing it is an
/// error), so no command output can carry it back to the web view; its `Debug` never
/// prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretInput(String);

impl SecretInput {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself; the caller moves it straight into a `Sensitive` or the keyring.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for SecretInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretInput(<redacted>)")
    }
}

impl<'de> Deserialize<'de> for SecretInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

/// The web view sends the secret, so the wasm32 build it runs serializes it. Everywhere
/// else serializing fails: the backend can never write a secret into an answer, a file
/// or a log through serde, even by mistake.
impl serde::Serialize for SecretInput {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if cfg!(target_arch = "wasm32") {
            serializer.serialize_str(&self.0)
        } else {
            Err(serde::ser::Error::custom(
                "a secret is never serialized outside the web view",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_cannot_serialize_it() {
        let secret = SecretInput::new("hunter2");
        let written = serde_json::to_string(&Some(secret));
        assert!(written.is_err(), "serialized natively: {written:?}");
    }

    #[test]
    fn debug_is_redacted() {
        let secret: SecretInput = serde_json::from_str(r#""hunter2""#).unwrap();
        assert_eq!(secret.expose(), "hunter2");
        assert!(!format!("{secret:?}").contains("hunter2"));
    }
}
