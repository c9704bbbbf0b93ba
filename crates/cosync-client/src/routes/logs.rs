//! The app's activity log.

use time::format_description::well_known::Rfc3339;

use crate::text::require_id;
use crate::{ClientError, HostClient, LogQuery, LogsPage};

impl HostClient {
    /// One page of an app's activity log, newest first (`GET /api/app/logs`).
    pub async fn logs(&self, app_id: &str, query: &LogQuery) -> Result<LogsPage, ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let mut params = vec![
            ("appId", app_id.to_owned()),
            ("offset", query.page.to_string()),
            ("limit", query.limit.to_string()),
            ("type", query.log_type.as_wire().to_owned()),
            ("status", query.status.as_wire().to_owned()),
        ];
        for (name, date) in [("fromDate", query.from_date), ("toDate", query.to_date)] {
            if let Some(date) = date {
                let text = date
                    .format(&Rfc3339)
                    .map_err(|e| ClientError::InvalidInput(format!("{name}: {e}")))?;
                params.push((name, text));
            }
        }
        if let Some(action) = &query.filter_action {
            params.push(("filterAction", action.clone()));
        }
        self.get("/api/app/logs", &params).await
    }
}
