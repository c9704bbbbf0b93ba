//! Syncing an app's lists from the host into the offline cache.

use crate::AppRef;
use serde::{Deserialize, Serialize};

/// `sync_app`: pages users, invites and signups into the cache and swaps them in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncApp {
    #[serde(flatten)]
    pub app: AppRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Synced {
    pub users: u32,
    pub invites: u32,
    pub signups: u32,
    pub synced_at: i64,
    /// Records the host sent that could not be read and are not in the offline copy,
    /// each as "list id: why".
    #[serde(default)]
    pub unreadable: Vec<String>,
    /// What the change feed found.
    pub changes: crate::changes::SyncChanges,
}

/// `query_sync_progress`: how far the running sync of an app is, if one runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuerySyncProgress {
    #[serde(flatten)]
    pub app: AppRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub counts: Counted,
    pub fetched: u32,
    pub total: Option<u32>,
}

/// What a progress figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Counted {
    /// The records of all three lists, fetched by a sync.
    Records,
    /// The users a bulk action has processed.
    Users,
}

impl Counted {
    /// How the window names what is counted.
    pub fn noun(self) -> &'static str {
        match self {
            Counted::Records => "records",
            Counted::Users => "users",
        }
    }
}

/// `cancel_sync`: stops the running sync; the previous data stays.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelSync {
    #[serde(flatten)]
    pub app: AppRef,
}

/// `query_cache_status`: what the cache holds for an app, for the status line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryCacheStatus {
    #[serde(flatten)]
    pub app: AppRef,
}

/// `query_cache_writes`: the open app's cache file's count of writes (refreshing this
/// process's view when another process moved it), and the notices to show. Cheap enough
/// to ask every few seconds, unlike the counts of `query_cache_status`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryCacheWrites {
    #[serde(flatten)]
    pub app: AppRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheWrites {
    pub writes: i64,
    pub notices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheStatus {
    pub synced_at: Option<i64>,
    pub users: u32,
    pub invites: u32,
    pub signups: u32,
    /// The cache file's count of writes, by any process: when it moves, what the window
    /// shows is read again.
    #[serde(default)]
    pub writes: i64,
    /// What the user must hear of besides (a damaged cache set aside and rebuilt).
    #[serde(default)]
    pub notices: Vec<String>,
}
