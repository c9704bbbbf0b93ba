//! Bulk suspend, activate and delete, with progress and cancel.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use crate::state::{Job, lock};
use gatehouse_core::{BulkAction, BulkOutcome};
use gatehouse_types::{
    ApiError, BulkKind, BulkLine, BulkLineOutcome, BulkProgress, BulkUsers, CancelBulk, ErrorCode,
    ProgressDto, Selection,
};
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "bulk_users"),
    err(Display, level = "debug")
)]
pub async fn bulk_users<R: Runtime>(
    req: BulkUsers,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Vec<BulkLine>, Failure> {
    let started = std::time::Instant::now();
    let running = state
        .begin_job(Job::Bulk, &req.host_id, &req.app_id)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                "A bulk action on this app is already running.",
            )
        })?;
    let connection = state.connect(&req.host_id).await?;
    let ids = match req.selection {
        Selection::Ids { ids } => ids,
        Selection::AllMatching { filter, except } => {
            let query = convert::user_query(filter, 0, 0);
            connection
                .matching_user_ids_except(&req.app_id, query, except)
                .await?
        }
    };
    let action = match req.action {
        BulkKind::Suspend => BulkAction::Suspend,
        BulkKind::Activate => BulkAction::Activate,
        BulkKind::Delete => BulkAction::Delete,
    };
    let progress = running.progress.clone();
    let report = move |update: gatehouse_core::BulkProgress| {
        *lock(&progress) = Some(ProgressDto {
            list: "users".to_owned(),
            fetched: convert::count(update.processed),
            total: Some(convert::count(update.total)),
        });
    };
    let outcome = connection
        .bulk(&req.app_id, action, &ids, report, &running.cancel)
        .await;
    let told = match &outcome {
        Ok(items) => {
            let done = items
                .iter()
                .filter(|item| item.outcome == BulkOutcome::Done)
                .count();
            format!("{done} of {} users done", items.len())
        }
        Err(error) => format!("It stopped: {error}"),
    };
    crate::notify::when_done(&app, started, "Bulk action finished", &told);
    Ok(outcome?
        .into_iter()
        .map(|item| {
            let (outcome, reason) = match item.outcome {
                BulkOutcome::Done => (BulkLineOutcome::Done, None),
                BulkOutcome::Skipped { reason } => (BulkLineOutcome::Skipped, Some(reason)),
                BulkOutcome::Failed { reason, .. } => (BulkLineOutcome::Failed, Some(reason)),
            };
            BulkLine {
                user_id: item.user_id,
                handle: item.handle,
                outcome,
                reason,
            }
        })
        .collect())
}

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "bulk_progress"),
    err(Display, level = "debug")
)]
pub async fn bulk_progress(
    req: BulkProgress,
    state: State<'_, AppState>,
) -> Result<Option<ProgressDto>, Failure> {
    Ok(state
        .running_job(Job::Bulk, &req.host_id, &req.app_id)
        .and_then(|running| lock(&running.progress).clone()))
}

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "cancel_bulk"),
    err(Display, level = "debug")
)]
pub async fn cancel_bulk(req: CancelBulk, state: State<'_, AppState>) -> Result<(), Failure> {
    if let Some(running) = state.running_job(Job::Bulk, &req.host_id, &req.app_id) {
        running.cancel.cancel();
    }
    Ok(())
}
