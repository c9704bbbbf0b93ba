//! The host's server secret: a root password for every app on the host.
//!
//! It is kept in a type that cannot leak by accident: `Debug` prints `<redacted>`, there is
//! no `Display` and no `Serialize`, and the memory is wiped when the value is dropped.

use std::fmt;

use zeroize::Zeroize;

/// The server secret of a Cosync JWT host (the `server-secret` header).
#[derive(Clone, PartialEq, Eq)]
pub struct ServerSecret(String);

impl ServerSecret {
    /// Wraps a secret. Surrounding whitespace is dropped, because a pasted token often
    /// carries a newline that the host would reject.
    pub fn new(secret: impl Into<String>) -> Self {
        let mut raw: String = secret.into();
        let trimmed = raw.trim().to_owned();
        raw.zeroize();
        Self(trimmed)
    }

    /// The secret itself, for the one place that needs it: the request header (or the
    /// keyring, in core).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty (nothing was pasted).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for ServerSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = ServerSecret::new("  eyJhbGciOi.secret-part\n");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(<redacted>)");
        // Pasted tokens often end with a newline; the header must not carry it.
        assert_eq!(secret.expose(), "eyJhbGciOi.secret-part");
    }
}
