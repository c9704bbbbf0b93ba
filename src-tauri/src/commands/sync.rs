//! Syncing an app, its progress, cancelling it, and what the cache holds.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use crate::state::{Job, lock};
use gatehouse_core::{InviteQuery, SignupQuery, SyncProgress as CoreProgress, UserQuery};
use gatehouse_types::{
    ApiError, CacheStatus, CacheStatusDto, CacheWrites, CacheWritesDto, CancelSync, ErrorCode,
    ProgressDto, SyncApp, SyncProgress, SyncedDto,
};
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "sync_app"),
    err(Display, level = "debug")
)]
pub async fn sync_app<R: Runtime>(
    req: SyncApp,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<SyncedDto, Failure> {
    let started = std::time::Instant::now();
    let running = state
        .begin_job(Job::Sync, &req.host_id, &req.app_id)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                "A sync of this app is already running.",
            )
        })?;
    let connection = state.connect(&req.host_id).await?;
    let progress = running.progress.clone();
    let report = move |update: CoreProgress| *lock(&progress) = Some(progress_dto(update));
    let outcome = connection.sync(&req.app_id, report, &running.cancel).await;
    drop(running);
    // A sync frees its pages and the old index all at once, on threads that then idle.
    crate::memory::give_back_freed();
    let told = match &outcome {
        Ok(summary) => format!("{} users in the offline copy", summary.users),
        Err(error) => format!("It failed: {error}; the offline copy is as it was"),
    };
    crate::notify::when_done(&app, started, "Sync finished", &told);
    let summary = outcome?;
    // After the answer, not before it: the window shows the new copy at once, and a
    // change made meanwhile waits for one chunk of the compaction at most.
    let app_id = req.app_id.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(error) = connection.compact(&app_id).await {
            tracing::warn!("the offline copy of {app_id} was not compacted: {error}");
        }
    });
    Ok(SyncedDto {
        users: convert::count(summary.users),
        invites: convert::count(summary.invites),
        signups: convert::count(summary.signups),
        synced_at: summary.synced_at,
        unreadable: summary
            .unreadable
            .iter()
            .map(|record| format!("{} {}: {}", record.list, record.id, record.detail))
            .collect(),
        changes: convert::sync_changes(&summary.history),
    })
}

fn progress_dto(update: CoreProgress) -> ProgressDto {
    let lists = [update.users, update.invites, update.signups];
    let fetched: u64 = lists.iter().map(|list| list.fetched).sum();
    let total: u64 = lists.iter().map(|list| list.total).sum();
    ProgressDto {
        list: "records".to_owned(),
        fetched: convert::count(fetched),
        total: (total > 0).then(|| convert::count(total)),
    }
}

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "sync_progress"),
    err(Display, level = "debug")
)]
pub async fn sync_progress(
    req: SyncProgress,
    state: State<'_, AppState>,
) -> Result<Option<ProgressDto>, Failure> {
    Ok(state
        .running_job(Job::Sync, &req.host_id, &req.app_id)
        .and_then(|running| lock(&running.progress).clone()))
}

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "cancel_sync"),
    err(Display, level = "debug")
)]
pub async fn cancel_sync(req: CancelSync, state: State<'_, AppState>) -> Result<(), Failure> {
    if let Some(running) = state.running_job(Job::Sync, &req.host_id, &req.app_id) {
        running.cancel.cancel();
    }
    Ok(())
}

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "cache_writes"),
    err(Display, level = "debug")
)]
pub async fn cache_writes(
    req: CacheWrites,
    state: State<'_, AppState>,
) -> Result<CacheWritesDto, Failure> {
    let connection = state.connect(&req.host_id).await?;
    let writes = connection.refresh(&req.app_id).await?;
    Ok(CacheWritesDto {
        writes,
        notices: state.core.take_notices(),
    })
}

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "cache_status"),
    err(Display, level = "debug")
)]
pub async fn cache_status(
    req: CacheStatus,
    state: State<'_, AppState>,
) -> Result<CacheStatusDto, Failure> {
    let connection = state.connect(&req.host_id).await?;
    let writes = connection.refresh(&req.app_id).await?;
    let times = connection.sync_times(&req.app_id).await?;
    let counts = UserQuery {
        limit: 0,
        ..Default::default()
    };
    let users = connection.query_users(&req.app_id, counts).await?;
    let invites = InviteQuery {
        limit: 0,
        ..Default::default()
    };
    let invites = connection.query_invites(&req.app_id, invites).await?;
    let signups = SignupQuery {
        limit: 0,
        ..Default::default()
    };
    let signups = connection.query_signups(&req.app_id, signups).await?;
    Ok(CacheStatusDto {
        synced_at: times.users,
        users: convert::count(users.total),
        invites: convert::count(invites.total),
        signups: convert::count(signups.total),
        writes,
        notices: state.core.take_notices(),
    })
}
