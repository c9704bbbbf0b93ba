//! The Activity tab: the host's log of the app, one page at a time.

use crate::AppState;
use crate::convert::{self, Failure};
use gatehouse_command::command;
use gatehouse_types::{ActivityPage, QueryActivity};
use tauri::State;

#[command]
pub async fn query_activity(
    req: QueryActivity,
    state: State<'_, AppState>,
) -> Result<ActivityPage, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let page = (connection.activity(&req.app.app_id, &convert::activity_query(&req))).await?;
    Ok(ActivityPage {
        rows: page
            .entries
            .into_iter()
            .map(convert::activity_row)
            .collect(),
        page: req.page,
        total: convert::count(page.total),
    })
}
