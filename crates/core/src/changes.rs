//! The change feed of an app, read from its cache: the sync runs, the changes each
//! found, and how long they are kept.

use gatehouse_cache::{Change, ChangeKind, ChangeQuery, Retention, SyncRun, Window};
use serde::Serialize;

use crate::connection::Connection;
use crate::error::{Result, blocking};
use crate::export::{Line, iso_time};

impl Connection {
    /// The app's recorded sync runs, newest first.
    pub async fn sync_runs(&self, app_id: &str) -> Result<Vec<SyncRun>> {
        let cache = self.cache(app_id).await?;
        blocking(move || Ok(cache.sync_runs()?)).await
    }

    /// A window of the app's recorded changes.
    pub async fn changes(&self, app_id: &str, query: ChangeQuery) -> Result<Window<Change>> {
        let cache = self.cache(app_id).await?;
        blocking(move || Ok(cache.changes(&query)?)).await
    }

    /// How long the app's change feed is kept.
    pub async fn history_retention(&self, app_id: &str) -> Result<Retention> {
        let cache = self.cache(app_id).await?;
        blocking(move || Ok(cache.history_retention()?)).await
    }

    /// Keeps the app's change feed as `retention` says, from its next sync on.
    pub async fn set_history_retention(&self, app_id: &str, retention: Retention) -> Result<()> {
        let cache = self.cache(app_id).await?;
        blocking(move || Ok(cache.set_history_retention(retention)?)).await
    }
}

/// A change's before and after in words: `Ann → Anna`, `team: "red" → "blue"`.
pub fn change_detail(change: &Change) -> String {
    let Some(detail) = &change.detail else {
        return String::new();
    };
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "(none)".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match change.kind {
        ChangeKind::Renamed => {
            format!("{} → {}", text(&detail["before"]), text(&detail["after"]))
        }
        ChangeKind::MetadataChanged => detail["keys"]
            .as_object()
            .map(|keys| {
                keys.iter()
                    .map(|(path, pair)| format!("{path}: {} → {}", text(&pair[0]), text(&pair[1])))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A change as exported and printed by the CLI.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeLine {
    pub run: i64,
    pub synced_at: String,
    pub kind: &'static str,
    pub handle: String,
    pub record_id: String,
    pub detail: Option<serde_json::Value>,
}

impl From<Change> for ChangeLine {
    fn from(change: Change) -> Self {
        ChangeLine {
            run: change.run,
            synced_at: iso_time(change.at),
            kind: change.kind.as_str(),
            handle: change.handle,
            record_id: change.record_id,
            detail: change.detail,
        }
    }
}

impl Line for ChangeLine {
    const HEADER: &'static [&'static str] =
        &["run", "syncedAt", "kind", "handle", "recordId", "detail"];

    fn fields(&self) -> Vec<String> {
        vec![
            self.run.to_string(),
            self.synced_at.clone(),
            self.kind.to_owned(),
            self.handle.clone(),
            self.record_id.clone(),
            self.detail
                .as_ref()
                .map(serde_json::Value::to_string)
                .unwrap_or_default(),
        ]
    }
}
