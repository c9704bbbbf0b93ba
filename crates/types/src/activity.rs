//! The Activity tab: the host's own log of the app, read from the host page by page.

use crate::AppRef;
use serde::{Deserialize, Serialize};

/// Which entries of the host's log: `app` (settings) or `user` entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActivityType {
    #[default]
    All,
    App,
    User,
}

/// Which outcome of the logged actions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActivityStatus {
    #[default]
    All,
    Success,
    Error,
}

/// `query_activity`: one page of the host's log of the app, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryActivity {
    #[serde(flatten)]
    pub app: AppRef,
    /// 0-based.
    pub page: u32,
    /// Entries per page (the host takes at least 25).
    pub limit: u32,
    pub log_type: ActivityType,
    pub status: ActivityStatus,
    /// From this time, unix milliseconds.
    pub from: Option<i64>,
    /// Up to this time, unix milliseconds.
    pub to: Option<i64>,
    /// Only this action, as the host names it (`addUser`, `updateUserStatus` …); empty
    /// for all.
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityRow {
    /// Unix milliseconds; `None` when the host sent no readable date.
    pub at: Option<i64>,
    pub handle: Option<String>,
    pub action: String,
    /// `success` or `error`.
    pub status: String,
    /// `app` or `user`.
    pub log_type: String,
    /// The host's value, as text.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityPage {
    pub rows: Vec<ActivityRow>,
    pub page: u32,
    /// Entries matching the query over all pages, as the host counts them.
    pub total: u32,
}
