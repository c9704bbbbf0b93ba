//! Host-level routes: the connection test and the apps themselves.

use reqwest::Method;
use serde_json::{Value, json};

use crate::text::require_id;
use crate::{App, AppSetting, ClientError, HostClient, MetaDataField};

impl HostClient {
    /// Checks that the host answers and accepts the server secret
    /// (`GET /api/app/connection`).
    pub async fn test_connection(&self) -> Result<(), ClientError> {
        self.get_expecting_true(crate::client::CONNECTION_PATH)
            .await
    }

    /// Every app on the host (`GET /api/app/allApps`).
    pub async fn all_apps(&self) -> Result<Vec<App>, ClientError> {
        self.get("/api/app/allApps", &[]).await
    }

    /// One app (`GET /api/app/appId/{appId}`).
    pub async fn app(&self, app_id: &str) -> Result<App, ClientError> {
        let app_id = require_id("the app id", app_id)?;
        self.get(&format!("/api/app/appId/{app_id}"), &[]).await
    }

    /// Creates an app (`POST /api/app`); the host refuses a duplicate name.
    pub async fn create_app(
        &self,
        name: &str,
        jwt_enabled: Option<bool>,
    ) -> Result<App, ClientError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ClientError::InvalidInput("the app name is empty".into()));
        }
        let mut body = json!({ "name": name });
        if let Some(enabled) = jwt_enabled {
            body["jwtEnabled"] = Value::from(enabled);
        }
        self.change(Method::POST, "/api/app", Some(body)).await
    }

    /// Changes one setting (`POST /api/app/updateAppSetting`). The host answers
    /// [`ClientError::Refused`] when the value is already the current one.
    pub async fn update_app_setting(
        &self,
        app_id: &str,
        setting: &AppSetting,
    ) -> Result<App, ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let (name, field, value) = setting.wire();
        let mut body = json!({ "appId": app_id, "setting": name });
        body[field] = value;
        self.change(Method::POST, "/api/app/updateAppSetting", Some(body))
            .await
    }

    /// Replaces the app's metadata field definitions (`POST /api/app/updateAppMetaData`).
    pub async fn update_app_metadata(
        &self,
        app_id: &str,
        fields: &[MetaDataField],
    ) -> Result<App, ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let body = json!({ "appId": app_id, "metaData": fields });
        self.change(Method::POST, "/api/app/updateAppMetaData", Some(body))
            .await
    }

    /// Deletes an app with its users, invitations, signups and logs
    /// (`DELETE /api/app/{appId}`).
    pub async fn delete_app(&self, app_id: &str) -> Result<(), ClientError> {
        let app_id = require_id("the app id", app_id)?;
        self.change_expecting_true(Method::DELETE, &format!("/api/app/{app_id}"), None)
            .await
    }
}
