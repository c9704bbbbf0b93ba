//! The Changes tab: the app's sync runs and the changes each found, from its cache.

use crate::AppState;
use crate::convert::{self, Failure};
use gatehouse_command::command;
use gatehouse_types::{
    ChangeRow, Page, QueryChanges, QuerySyncRuns, QueryUserHistory, SyncRunRow, UserHistory,
};
use tauri::State;

#[command]
pub async fn query_sync_runs(
    req: QuerySyncRuns,
    state: State<'_, AppState>,
) -> Result<Vec<SyncRunRow>, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let runs = connection.sync_runs(&req.app.app_id).await?;
    Ok(runs.into_iter().map(convert::sync_run).collect())
}

#[command]
pub async fn query_changes(
    req: QueryChanges,
    state: State<'_, AppState>,
) -> Result<Page<ChangeRow>, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let (app_id, offset) = (req.app.app_id.clone(), req.offset);
    let window = (connection.changes(&app_id, convert::change_query(req))).await?;
    Ok(convert::page(window, offset, convert::change_row))
}

#[command]
pub async fn query_user_history(
    req: QueryUserHistory,
    state: State<'_, AppState>,
) -> Result<UserHistory, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let history = connection
        .user_history(&req.app.app_id, &req.handle)
        .await?;
    Ok(UserHistory {
        lines: history
            .lines
            .into_iter()
            .map(convert::history_row)
            .collect(),
        host_log_missing: history.host_log_missing,
    })
}
