//! One user's history, newest first: what syncs found changed about them, what this
//! data folder sent about them (the audit log), and what the host logged about them.

use gatehouse_cache::ChangeQuery;

use crate::activity::{ActivityQuery, LogType};
use crate::connection::Connection;
use crate::error::{Result, blocking};

/// Where a line of a user's history comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistorySource {
    /// A sync found it changed on the host (the change feed).
    Sync,
    /// Sent from this data folder (the audit log).
    Sent,
    /// The host's own log.
    Host,
}

/// One line of a user's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    /// Unix milliseconds.
    pub at: i64,
    pub source: HistorySource,
    /// What happened, in words.
    pub text: String,
}

/// A user's history, and what could not be included.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserHistory {
    pub lines: Vec<HistoryLine>,
    /// Why the host's log is missing (offline, refused), when it is.
    pub host_log_missing: Option<String>,
}

/// Pages of the host's log searched for a user: its API has no handle filter.
const HOST_LOG_PAGES: u32 = 4;
const HOST_LOG_PAGE: u32 = 100;

impl Connection {
    /// The history of the user `handle` in `app_id`, newest first.
    pub async fn user_history(&self, app_id: &str, handle: &str) -> Result<UserHistory> {
        let handle = cosync_client::normalize_handle(handle);
        let mut lines = Vec::new();

        let cache = self.cache(app_id).await?;
        let wanted = handle.clone();
        let changes = blocking(move || {
            Ok(cache.changes(&ChangeQuery {
                text: wanted,
                limit: usize::MAX,
                ..ChangeQuery::default()
            })?)
        })
        .await?;
        lines.extend(
            changes
                .rows
                .into_iter()
                .filter(|c| c.handle.eq_ignore_ascii_case(&handle))
                .map(|c| {
                    let detail = crate::change_detail(&c);
                    let detail = if detail.is_empty() {
                        detail
                    } else {
                        format!(" ({detail})")
                    };
                    HistoryLine {
                        at: c.at,
                        source: HistorySource::Sync,
                        text: format!("a sync found: {}{detail}", c.kind.as_str()),
                    }
                }),
        );

        let audit = std::sync::Arc::clone(&self.audit);
        let filter = crate::audit::AuditFilter {
            host: Some(self.host().url.clone()),
            app: Some(app_id.to_owned()),
            handle: Some(handle.clone()),
            ..Default::default()
        };
        let sent = blocking(move || audit.list(&filter)).await?;
        lines.extend(
            sent.into_iter()
                .filter(|e| e.targets.iter().any(|t| t.eq_ignore_ascii_case(&handle)))
                .map(|e| HistoryLine {
                    at: e.at_ms(),
                    source: HistorySource::Sent,
                    text: format!(
                        "{} sent from the {} by {} on {}: {}{}",
                        e.action.as_str(),
                        e.interface.as_str(),
                        e.os_user,
                        e.machine,
                        e.outcome.as_str(),
                        e.message.map(|m| format!(" ({m})")).unwrap_or_default()
                    ),
                }),
        );

        let mut host_log_missing = None;
        for page in 0..HOST_LOG_PAGES {
            let query = ActivityQuery {
                page,
                limit: HOST_LOG_PAGE,
                log_type: LogType::User,
                ..ActivityQuery::default()
            };
            match self.activity(app_id, &query).await {
                Ok(found) => {
                    let last = found.entries.len() < HOST_LOG_PAGE as usize;
                    lines.extend(
                        found
                            .entries
                            .into_iter()
                            .filter(|e| {
                                e.handle
                                    .as_deref()
                                    .is_some_and(|h| h.eq_ignore_ascii_case(&handle))
                            })
                            .map(|e| HistoryLine {
                                at: e.at_ms.unwrap_or(0),
                                source: HistorySource::Host,
                                text: format!("the host logged {} ({})", e.action, e.status),
                            }),
                    );
                    if last {
                        break;
                    }
                }
                Err(e) => {
                    host_log_missing = Some(e.to_string());
                    break;
                }
            }
        }
        lines.sort_by_key(|line| std::cmp::Reverse(line.at));
        Ok(UserHistory {
            lines,
            host_log_missing,
        })
    }
}
