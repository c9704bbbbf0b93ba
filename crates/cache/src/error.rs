//! The errors of the cache.

use std::path::PathBuf;

/// What can go wrong when opening, syncing or querying a cache file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite refused an operation (disk full, file locked past the busy timeout, …).
    #[error("cache database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file system refused an operation on the cache file or its folder.
    #[error("cache file {path}: {source}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A sync is already staging data for this cache; only one may run at a time.
    #[error("a sync of this cache is already running")]
    SyncInProgress,
    /// A page was given for a list this sync does not stage.
    #[error("this sync does not stage the {0:?} list")]
    NotStaged(crate::records::ListKind),
    /// The file was damaged, set aside, and its fresh replacement failed too.
    #[error("cache file could not be rebuilt: {0}")]
    Unrecoverable(String),
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
