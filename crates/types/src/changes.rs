//! The Changes tab: what each sync found changed on the host.

use crate::AppRef;
use serde::{Deserialize, Serialize};

use crate::users::Page;

/// What changed about one record. The names are the feed's and the CLI's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    UserAdded,
    UserRemoved,
    Suspended,
    Activated,
    Renamed,
    MetadataChanged,
    FirstLogin,
    LoggedIn,
    InviteCreated,
    InviteAccepted,
    InviteRevoked,
    InviteRemoved,
    SignupStarted,
    SignupCompleted,
    SignupRemoved,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 15] = [
        ChangeKind::UserAdded,
        ChangeKind::UserRemoved,
        ChangeKind::Suspended,
        ChangeKind::Activated,
        ChangeKind::Renamed,
        ChangeKind::MetadataChanged,
        ChangeKind::FirstLogin,
        ChangeKind::LoggedIn,
        ChangeKind::InviteCreated,
        ChangeKind::InviteAccepted,
        ChangeKind::InviteRevoked,
        ChangeKind::InviteRemoved,
        ChangeKind::SignupStarted,
        ChangeKind::SignupCompleted,
        ChangeKind::SignupRemoved,
    ];

    /// As shown in the tab.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::UserAdded => "User added",
            ChangeKind::UserRemoved => "User removed",
            ChangeKind::Suspended => "Suspended",
            ChangeKind::Activated => "Activated",
            ChangeKind::Renamed => "Renamed",
            ChangeKind::MetadataChanged => "Metadata changed",
            ChangeKind::FirstLogin => "First login",
            ChangeKind::LoggedIn => "Logged in",
            ChangeKind::InviteCreated => "Invitation created",
            ChangeKind::InviteAccepted => "Invitation accepted",
            ChangeKind::InviteRevoked => "Invitation revoked",
            ChangeKind::InviteRemoved => "Invitation removed",
            ChangeKind::SignupStarted => "Signup started",
            ChangeKind::SignupCompleted => "Signup completed",
            ChangeKind::SignupRemoved => "Signup removed",
        }
    }

    /// Whether the record is a user still in the app (its row can be shown).
    pub fn is_user(self) -> bool {
        matches!(
            self,
            ChangeKind::UserAdded
                | ChangeKind::Suspended
                | ChangeKind::Activated
                | ChangeKind::Renamed
                | ChangeKind::MetadataChanged
                | ChangeKind::FirstLogin
                | ChangeKind::LoggedIn
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KindCount {
    pub kind: ChangeKind,
    pub count: u32,
}

/// What the change feed recorded of a sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SyncChanges {
    /// The first sync of this copy: nothing to compare with.
    First,
    /// The changes found, by kind (none: nothing changed).
    Found { run: i64, counts: Vec<KindCount> },
    /// The sync is complete, but its changes could not be recorded.
    NotRecorded { reason: String },
}

/// `query_sync_runs`: the app's recorded syncs, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuerySyncRuns {
    #[serde(flatten)]
    pub app: AppRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncRunRow {
    pub id: i64,
    /// When it was committed, unix milliseconds.
    pub at: i64,
    pub duration_ms: i64,
    pub users: u32,
    pub invites: u32,
    pub signups: u32,
    pub first: bool,
    pub counts: Vec<KindCount>,
}

/// `query_changes`: a window of the changes of one run (or all runs).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryChanges {
    #[serde(flatten)]
    pub app: AppRef,
    pub run: Option<i64>,
    /// Empty for every kind.
    pub kinds: Vec<ChangeKind>,
    /// A literal, case-insensitive substring of the handle.
    pub text: String,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRow {
    pub run: i64,
    pub at: i64,
    pub kind: ChangeKind,
    pub record_id: String,
    pub handle: String,
    /// Before and after, in words: `Ann → Anna`, `team: "red" → "blue"`.
    pub detail: String,
}

pub type ChangesPage = Page<ChangeRow>;

/// `query_user_history`: one user's history, newest first: what syncs found, what was sent
/// from this computer, what the host logged.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryUserHistory {
    #[serde(flatten)]
    pub app: AppRef,
    pub handle: String,
}

/// Where a line of a user's history comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HistorySource {
    /// A sync found it changed on the host.
    Sync,
    /// Sent from this computer (the audit log).
    Sent,
    /// The host's own log.
    Host,
}

impl HistorySource {
    pub fn label(self) -> &'static str {
        match self {
            HistorySource::Sync => "Sync",
            HistorySource::Sent => "Sent",
            HistorySource::Host => "Host log",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRow {
    pub at: i64,
    pub source: HistorySource,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserHistory {
    pub lines: Vec<HistoryRow>,
    /// Why the host's log is not part of it (offline …), when it is not.
    pub host_log_missing: Option<String>,
}
