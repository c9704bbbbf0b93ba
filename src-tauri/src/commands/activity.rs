//! The Activity tab: the host's log of the app, one page at a time.

use crate::AppState;
use crate::convert::{self, Failure};
use gatehouse_core::{ActivityQuery, LogStatus, LogType};
use gatehouse_types::{ActivityPage, ActivityStatus, ActivityType, QueryActivity};
use tauri::State;

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "query_activity"),
    err(Display, level = "debug")
)]
pub async fn query_activity(
    req: QueryActivity,
    state: State<'_, AppState>,
) -> Result<ActivityPage, Failure> {
    let connection = state.connect(&req.host_id).await?;
    let query = ActivityQuery {
        page: req.page,
        limit: req.limit.clamp(25, convert::MAX_WINDOW),
        log_type: match req.log_type {
            ActivityType::All => LogType::All,
            ActivityType::App => LogType::App,
            ActivityType::User => LogType::User,
        },
        status: match req.status {
            ActivityStatus::All => LogStatus::All,
            ActivityStatus::Success => LogStatus::Success,
            ActivityStatus::Error => LogStatus::Error,
        },
        from_ms: req.from,
        to_ms: req.to,
        action: Some(req.action.trim().to_owned()).filter(|a| !a.is_empty()),
    };
    let page = connection.activity(&req.app_id, &query).await?;
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
