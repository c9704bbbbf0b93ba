//! The Users table's windows, answered from the cache.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use gatehouse_types::{NearDuplicateHandles, NearDuplicatesDto, Page, QueryUsers, UserRow};
use tauri::State;

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "query_users"),
    err(Display, level = "debug")
)]
pub async fn query_users(
    req: QueryUsers,
    state: State<'_, AppState>,
) -> Result<Page<UserRow>, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let limit = req.limit.min(convert::MAX_WINDOW);
    let query = convert::user_query(req.filter, req.offset, limit);
    let window = connection.query_users(&req.app.app_id, query).await?;
    Ok(convert::page(window, req.offset, convert::user_row))
}

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "query_near_duplicates"),
    err(Display, level = "debug")
)]
pub async fn query_near_duplicates(
    req: NearDuplicateHandles,
    state: State<'_, AppState>,
) -> Result<NearDuplicatesDto, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let found = connection
        .near_duplicate_handles(&req.app.app_id, convert::NEAR_DUPLICATE_GROUPS)
        .await?;
    Ok(convert::near_duplicates(found))
}
