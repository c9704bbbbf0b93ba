//! The Users table's windows, answered from the cache.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use gatehouse_command::command;
use gatehouse_types::{NearDuplicates, Page, QueryNearDuplicates, QueryUsers, UserRow};
use tauri::State;

#[command]
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

#[command]
pub async fn query_near_duplicates(
    req: QueryNearDuplicates,
    state: State<'_, AppState>,
) -> Result<NearDuplicates, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let found = connection
        .near_duplicate_handles(&req.app.app_id, convert::NEAR_DUPLICATE_GROUPS)
        .await?;
    Ok(convert::near_duplicates(found))
}
