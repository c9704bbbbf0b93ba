//! Syncing an app, its progress, cancelling it, and what the cache holds.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use crate::state::{Job, lock};
use gatehouse_command::command;
use gatehouse_core::Connection;
use gatehouse_types::{
    CacheStatus, CacheWrites, CancelSync, Progress, QueryCacheStatus, QueryCacheWrites,
    QuerySyncProgress, SyncApp, Synced,
};
use std::sync::Arc;
use tauri::{AppHandle, Runtime, State};

#[command]
pub async fn sync_app<R: Runtime>(
    req: SyncApp,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Synced, Failure> {
    let running = state.begin_job(Job::Sync, &req.app.host_id, &req.app.app_id)?;
    let connection = state.connect(&req.app.host_id).await?;
    let report = running.reporter(convert::sync_progress);
    let outcome = (connection.sync(&req.app.app_id, report, &running.cancel)).await;
    // A sync frees its pages and the old index all at once, on threads that then idle.
    crate::memory::give_back_freed();
    crate::notify::sync_done(&app, running.started, &outcome);
    let synced = convert::synced(&outcome?);
    compact_later(connection, req.app.app_id);
    Ok(synced)
}

/// Gives the old snapshot's pages back after the answer, not before it: the window shows
/// the new copy at once, and a change made meanwhile waits for one chunk at most.
fn compact_later(connection: Arc<Connection>, app_id: String) {
    tauri::async_runtime::spawn(async move {
        if let Err(error) = connection.compact(&app_id).await {
            tracing::warn!("the offline copy of {app_id} was not compacted: {error}");
        }
    });
}

#[command]
pub async fn query_sync_progress(
    req: QuerySyncProgress,
    state: State<'_, AppState>,
) -> Result<Option<Progress>, Failure> {
    Ok(state
        .running_job(Job::Sync, &req.app.host_id, &req.app.app_id)
        .and_then(|running| lock(&running.progress).clone()))
}

#[command]
pub async fn cancel_sync(req: CancelSync, state: State<'_, AppState>) -> Result<(), Failure> {
    if let Some(running) = state.running_job(Job::Sync, &req.app.host_id, &req.app.app_id) {
        running.cancel.cancel();
    }
    Ok(())
}

#[command]
pub async fn query_cache_writes(
    req: QueryCacheWrites,
    state: State<'_, AppState>,
) -> Result<CacheWrites, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let writes = connection.refresh(&req.app.app_id).await?;
    Ok(CacheWrites {
        writes,
        notices: state.core.take_notices(),
    })
}

#[command]
pub async fn query_cache_status(
    req: QueryCacheStatus,
    state: State<'_, AppState>,
) -> Result<CacheStatus, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let status = connection.cache_status(&req.app.app_id).await?;
    Ok(CacheStatus {
        synced_at: status.synced_at,
        users: convert::count(status.users),
        invites: convert::count(status.invites),
        signups: convert::count(status.signups),
        writes: status.writes,
        notices: state.core.take_notices(),
    })
}
