//! The one error type of core: plain-language messages, a stable code per kind.
//!
//! No variant carries the server secret: the client's errors never contain it, and
//! nothing here formats a secret or a request header.

use std::path::PathBuf;

use cosync_client::ClientError;

use crate::data_dir::NoDataDir;
use crate::secrets::SecretError;

/// What can go wrong in core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The host could not be asked, or refused; the client's error says which.
    #[error(transparent)]
    Host(#[from] ClientError),
    /// The offline cache failed.
    #[error(transparent)]
    Cache(gatehouse_cache::Error),
    /// A sync of this app is already running.
    #[error("a sync of this app is already running")]
    SyncRunning,
    #[error(transparent)]
    NoDataDir(#[from] NoDataDir),
    /// The keyring refused an operation that had no fallback (e.g. deleting an entry).
    #[error(transparent)]
    Keyring(#[from] SecretError),
    /// No host of that name, id or URL is in the host list.
    #[error("no host called {0}; add it first or give its URL")]
    UnknownHost(String),
    /// Another host already has this URL (and so the same id).
    #[error("the host {name} already has this URL")]
    DuplicateHost {
        /// The name of the host that has it.
        name: String,
    },
    /// No app of that id or name on the host (or in the offline list of apps).
    #[error("no app called {0} on this host")]
    UnknownApp(String),
    /// There is no server secret for this host in this session or the keyring.
    #[error("no server secret for {host}: {reason}")]
    NoSecret {
        /// The host's name.
        host: String,
        /// Why, and what to do.
        reason: String,
    },
    /// A saved host's URL was changed without giving the server secret again: the saved
    /// one is bound to the old URL and is never sent to another.
    #[error(
        "the URL changed to {url}: enter the server secret for that address (the saved secret is only ever sent to the URL it was saved with)"
    )]
    SecretNeeded { url: String },
    /// Removing a host stopped because its keyring entry could not be deleted.
    #[error(
        "{host} was not removed: its server secret could not be deleted from the system keyring ({reason}). Unlock the keyring and try again, or remove the host and leave its secret in the keyring"
    )]
    SecretNotRemoved { host: String, reason: String },
    /// The host has no user with this handle.
    #[error("no user {0} in this app")]
    UserNotFound(String),
    /// The host has no invitation for this handle.
    #[error("no invitation for {0} in this app")]
    InviteNotFound(String),
    /// The host has no signup for this handle.
    #[error("no signup of {0} in this app")]
    SignupNotFound(String),
    /// The user was created, but the second call that sets its metadata failed.
    #[error("{handle} was added, but without metadata ({reason}); set the metadata again")]
    AddedWithoutMetadata {
        handle: String,
        /// What the host or the network said.
        reason: String,
    },
    /// A change was sent and no answer came back: it may or may not have been applied.
    #[error(
        "the outcome of {action} is unknown: the host did not answer ({detail}), so it may or may not have happened. It was not sent again; check it once the host answers (a sync shows the host's state)"
    )]
    OutcomeUnknown { action: String, detail: String },
    /// The host list (`hosts.json`) could not be read or written.
    #[error("the host list {path} could not be used: {detail}")]
    HostsFile { path: PathBuf, detail: String },
    /// A file or folder of the data folder could not be used.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Writing an export failed.
    #[error("the export could not be written: {0}")]
    Export(String),
    /// An argument was refused before anything was sent.
    #[error("{0}")]
    InvalidInput(String),
    /// The operation was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// Background work ended abnormally.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<gatehouse_cache::Error> for Error {
    fn from(error: gatehouse_cache::Error) -> Self {
        match error {
            gatehouse_cache::Error::SyncInProgress => Error::SyncRunning,
            other => Error::Cache(other),
        }
    }
}

impl Error {
    /// A stable short code for programs to branch on. Host errors keep the client's
    /// codes (`unreachable`, `timeout`, `interrupted`, `unauthorized`, `host`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Host(ClientError::Cancelled) | Error::Cancelled => "cancelled",
            Error::Host(e) => e.code(),
            Error::Cache(_) => "cache",
            Error::SyncRunning => "sync_running",
            Error::NoDataDir(_) => "no_data_dir",
            Error::Keyring(_) => "keyring",
            Error::UnknownHost(_) => "unknown_host",
            Error::DuplicateHost { .. } => "duplicate_host",
            Error::UnknownApp(_) => "unknown_app",
            Error::NoSecret { .. } => "no_secret",
            Error::SecretNeeded { .. } => "secret_needed",
            Error::SecretNotRemoved { .. } => "secret_not_removed",
            Error::UserNotFound(_) => "user_not_found",
            Error::InviteNotFound(_) => "invite_not_found",
            Error::SignupNotFound(_) => "signup_not_found",
            Error::AddedWithoutMetadata { .. } => "added_without_metadata",
            Error::OutcomeUnknown { .. } => "outcome_unknown",
            Error::HostsFile { .. } => "hosts_file",
            Error::Io { .. } => "io",
            Error::Export(_) => "export",
            Error::InvalidInput(_) => "invalid_input",
            Error::Internal(_) => "internal",
        }
    }

    /// The technical cause behind the message, for a `Details` disclosure.
    pub fn detail(&self) -> Option<String> {
        match self {
            Error::Host(e) => e.detail().map(str::to_owned),
            Error::OutcomeUnknown { detail, .. } => Some(detail.clone()),
            Error::Io { source, .. } => Some(source.to_string()),
            _ => None,
        }
    }

    /// Whether the host could not be talked to (refused connection, silence, or a
    /// connection broken mid-answer): the caller may fall back to the cache.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Error::Host(e) if e.is_unreachable())
    }

    /// Whether the host answered and refused (bad secret, a host error code, …).
    pub fn is_refused_by_host(&self) -> bool {
        matches!(
            self,
            Error::Host(
                ClientError::Unauthorized
                    | ClientError::Internal { .. }
                    | ClientError::Host { .. }
                    | ClientError::Refused { .. }
                    | ClientError::HttpStatus(_)
            )
        )
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// The result type of core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Runs blocking work (SQLite, the keyring, files) off the async threads.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(format!("background task failed: {e}")))?
}

/// Runs work that no frame waits on (staging a sync, compacting) on a thread of its own
/// at background priority (see [`gatehouse_cache::background`]): not on the blocking
/// pool, whose threads would keep the lower priority for the work after.
///
/// The thread starts at the call, not when the answer is first awaited.
pub(crate) fn in_background<T, F>(name: &str, f: F) -> impl Future<Output = Result<T>> + use<T, F>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (done, answer) = tokio::sync::oneshot::channel();
    let started = gatehouse_cache::background::spawn(name, move || drop(done.send(f())))
        .map_err(|e| Error::Internal(format!("could not start a background thread: {e}")));
    let name = name.to_owned();
    async move {
        started?;
        answer
            .await
            .map_err(|_| Error::Internal(format!("background task {name} failed")))
    }
}

/// How long a keyring call may take. A locked keyring shows an unlock prompt; where no
/// one can answer it (a headless session) the call would wait forever and hold up the
/// window or the CLI, so past this the keyring counts as unavailable.
const KEYRING_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

/// A keyring call on a blocking thread, bounded by [`KEYRING_PATIENCE`].
pub(crate) async fn keyring_call<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    match tokio::time::timeout(KEYRING_PATIENCE, blocking(f)).await {
        Ok(outcome) => outcome,
        Err(_) => Err(Error::Keyring(SecretError::Unavailable(format!(
            "it did not answer within {} seconds; is it waiting to be unlocked?",
            KEYRING_PATIENCE.as_secs()
        )))),
    }
}
