//! Bulk suspend, activate and delete, with progress and cancel.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use crate::state::{Job, lock};
use gatehouse_command::command;
use gatehouse_core::Connection;
use gatehouse_types::{
    ApplyBulkAction, BulkLine, CancelBulk, Progress, QueryBulkProgress, Selection,
};
use tauri::{AppHandle, Runtime, State};

#[command]
pub async fn apply_bulk_action<R: Runtime>(
    req: ApplyBulkAction,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Vec<BulkLine>, Failure> {
    let running = state.begin_job(Job::Bulk, &req.app.host_id, &req.app.app_id)?;
    let connection = state.connect(&req.app.host_id).await?;
    let ids = selected_ids(&connection, &req.app.app_id, req.selection).await?;
    let report = running.reporter(convert::bulk_progress);
    let action = convert::bulk_action(req.action);
    let outcome = (connection.bulk(&req.app.app_id, action, &ids, report, &running.cancel)).await;
    crate::notify::bulk_done(&app, running.started, &outcome);
    Ok(outcome?.into_iter().map(convert::bulk_line).collect())
}

/// The users a bulk action is for: the ids the user ticked, or all that match the
/// filter except those unticked.
async fn selected_ids(
    connection: &Connection,
    app_id: &str,
    selection: Selection,
) -> Result<Vec<String>, gatehouse_core::Error> {
    match selection {
        Selection::Ids { ids } => Ok(ids),
        Selection::AllMatching { filter, except } => {
            let query = convert::user_query(filter, 0, 0);
            connection
                .matching_user_ids_except(app_id, query, except)
                .await
        }
    }
}

#[command]
pub async fn query_bulk_progress(
    req: QueryBulkProgress,
    state: State<'_, AppState>,
) -> Result<Option<Progress>, Failure> {
    Ok(state
        .running_job(Job::Bulk, &req.app.host_id, &req.app.app_id)
        .and_then(|running| lock(&running.progress).clone()))
}

#[command]
pub async fn cancel_bulk(req: CancelBulk, state: State<'_, AppState>) -> Result<(), Failure> {
    if let Some(running) = state.running_job(Job::Bulk, &req.app.host_id, &req.app.app_id) {
        running.cancel.cancel();
    }
    Ok(())
}
