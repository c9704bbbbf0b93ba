//! Server secrets in the OS keyring: Secret Service on Linux, the login keychain on
//! macOS, the Credential Manager on Windows.
//!
//! Calls block (they talk to another process); async callers run them on a blocking
//! thread.

use crate::Sensitive;

/// The keyring service every Gatehouse entry lives under.
pub const SERVICE: &str = "gatehouse";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No usable keyring: none running, locked, or access denied. The message says what
    /// the user can do; the app keeps the secret for the session instead.
    #[error(
        "the system keyring is not available ({0}); the server secret is kept for this session only"
    )]
    Unavailable(String),
    #[error("the system keyring refused the entry: {0}")]
    Rejected(String),
}

/// A handle on one keyring service's entries.
#[derive(Debug, Clone)]
pub struct Keyring {
    service: String,
}

impl Default for Keyring {
    fn default() -> Self {
        Self::new(SERVICE)
    }
}

/// The system store the keyring entries live in, by name.
pub fn backend_name() -> &'static str {
    if cfg!(target_os = "linux") {
        "Secret Service (gnome-keyring or KWallet)"
    } else if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "Windows Credential Manager"
    } else {
        "none on this platform"
    }
}

impl Keyring {
    /// Entries under another service name: tests use a throw-away one.
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    pub fn persist(&self, account: &str, secret: &Sensitive<String>) -> Result<(), SecretError> {
        self.entry(account)?
            .set_password(secret.expose())
            .map_err(map_error)
    }

    /// The stored secret, or `None` when there is no entry for `account`.
    pub fn retrieve(&self, account: &str) -> Result<Option<Sensitive<String>>, SecretError> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(Sensitive::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(map_error(error)),
        }
    }

    /// Deletes the entry; deleting one that does not exist is not an error.
    pub fn delete(&self, account: &str) -> Result<(), SecretError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(map_error(error)),
        }
    }

    /// Whether the keyring can be used right now, by reading an entry that need not
    /// exist: "no such entry" proves the store answered.
    pub fn probe(&self) -> Result<(), SecretError> {
        self.retrieve("probe").map(|_| ())
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, account).map_err(map_error)
    }
}

fn map_error(error: keyring::Error) -> SecretError {
    match error {
        keyring::Error::PlatformFailure(cause) => SecretError::Unavailable(plain(&*cause)),
        keyring::Error::NoStorageAccess(cause) => SecretError::Unavailable(plain(&*cause)),
        other => SecretError::Rejected(other.to_string()),
    }
}

/// The platform's own message, trimmed: D-Bus errors run long and name internals.
fn plain(cause: &dyn std::error::Error) -> String {
    let text = cause.to_string();
    let first_line = text.lines().next().unwrap_or_default().trim();
    if first_line.is_empty() {
        "no reason given".into()
    } else {
        first_line.chars().take(200).collect()
    }
}
