//! The Users table's windows, answered from the cache.

use crate::AppState;
use crate::convert;
use gatehouse_types::{ApiError, Page, QueryUsers, UserRow};
use tauri::State;

/// At most this many rows cross the IPC boundary per call: a screenful and its margins.
const MAX_WINDOW: u32 = 500;

#[tauri::command]
pub async fn query_users(
    req: QueryUsers,
    state: State<'_, AppState>,
) -> Result<Page<UserRow>, ApiError> {
    let connection = state
        .core
        .connect(&req.host_id)
        .await
        .map_err(convert::error)?;
    let limit = req.limit.min(MAX_WINDOW);
    let query = convert::user_query(req.filter, req.offset, limit);
    let window = connection
        .query_users(&req.app_id, query)
        .await
        .map_err(convert::error)?;
    Ok(convert::page(window, req.offset, convert::user_row))
}
