//! The host's own activity log of an app (`GET /api/app/logs`), read online only.

use cosync_client::LogQuery;
pub use cosync_client::{LogStatus, LogType};
use time::OffsetDateTime;

use crate::connection::Connection;
use crate::error::{Error, Result};

/// Which page of the host's log, and which entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityQuery {
    /// 0-based.
    pub page: u32,
    /// Entries per page; the host takes at least 25.
    pub limit: u32,
    pub log_type: LogType,
    pub status: LogStatus,
    /// From this time, unix milliseconds.
    pub from_ms: Option<i64>,
    /// Up to this time, unix milliseconds.
    pub to_ms: Option<i64>,
    /// Only this action, as the host names it (`addUser` …).
    pub action: Option<String>,
}

/// One entry of the host's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityEntry {
    /// Unix milliseconds; `None` when the host sent no readable date.
    pub at_ms: Option<i64>,
    pub handle: Option<String>,
    pub action: String,
    /// `success` or `error`.
    pub status: String,
    /// `app` or `user`.
    pub log_type: String,
    /// The host's value, as text.
    pub value: String,
}

/// A page of the host's log, and how many entries match over all pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityPage {
    pub entries: Vec<ActivityEntry>,
    pub total: u64,
}

fn time_of(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
}

impl Connection {
    /// One page of the host's log of `app_id`, newest first. Needs the host: offline,
    /// the error says it is unreachable.
    pub async fn activity(&self, app_id: &str, query: &ActivityQuery) -> Result<ActivityPage> {
        crate::connection::check_app_id(app_id)?;
        let client = self.client()?;
        let wire = LogQuery {
            page: query.page,
            limit: query.limit.max(25),
            log_type: query.log_type,
            status: query.status,
            from_date: query.from_ms.and_then(time_of),
            to_date: query.to_ms.and_then(time_of),
            filter_action: query.action.clone().filter(|a| !a.trim().is_empty()),
        };
        let page = self.observe(client.logs(app_id, &wire).await.map_err(Error::from))?;
        let entries = page
            .logs
            .into_iter()
            .map(|entry| ActivityEntry {
                at_ms: entry
                    .created_at
                    .and_then(|t| i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()),
                handle: entry.handle,
                action: entry.action,
                status: entry.status,
                log_type: entry.log_type,
                value: match entry.value {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(text) => text,
                    other => other.to_string(),
                },
            })
            .collect();
        Ok(ActivityPage {
            entries,
            total: page.total_log,
        })
    }
}
