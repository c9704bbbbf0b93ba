//! User routes: pages, search, exact lookup, and the changes an administrator makes.

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::text::{escape_regex, exact_pattern, md5_hex, require_handle, require_id};
use crate::{AddedMetadata, ClientError, HostClient, User, UserStatus, UsersPage};

impl HostClient {
    /// One page of users (`GET /api/app/stat`, target `users`), newest first.
    /// `page` is a page index: the host skips `page × limit` users. A `limit` below 25
    /// is raised to 25 by the host.
    pub async fn users_page(
        &self,
        app_id: &str,
        page: u32,
        limit: u32,
        hide_anonymous: bool,
    ) -> Result<UsersPage, ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let query = [
            ("appId", app_id.to_owned()),
            ("target", "users".to_owned()),
            ("offset", page.to_string()),
            ("limit", limit.to_string()),
            ("hideAnonUser", hide_anonymous.to_string()),
        ];
        self.get_page("/api/app/stat", &query).await
    }

    /// Users whose handle or user name contains `text` literally, by handle ascending
    /// (`GET /api/app/searchUser`, unpaged). The host's match is case-sensitive.
    pub async fn search_users(
        &self,
        app_id: &str,
        text: &str,
        hide_anonymous: bool,
    ) -> Result<Vec<User>, ClientError> {
        self.search_users_pattern(app_id, &escape_regex(text), hide_anonymous)
            .await
    }

    /// The user whose handle is exactly `handle`, asked of the host (not a cache): what
    /// a change resolves before it addresses the user by id.
    pub async fn find_user(&self, app_id: &str, handle: &str) -> Result<Option<User>, ClientError> {
        let handle = require_handle(handle)?;
        let found = self
            .search_users_pattern(app_id, &exact_pattern(&handle), false)
            .await?;
        // The pattern also matches user names; only the handle counts.
        Ok(found.into_iter().find(|u| u.handle == handle))
    }

    async fn search_users_pattern(
        &self,
        app_id: &str,
        pattern: &str,
        hide_anonymous: bool,
    ) -> Result<Vec<User>, ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let query = [
            ("appId", app_id.to_owned()),
            ("value", pattern.to_owned()),
            ("hideAnonUser", hide_anonymous.to_string()),
        ];
        self.get("/api/app/searchUser", &query).await
    }

    /// Adds a user with a password (`POST /api/app/addUser`); the password is sent as
    /// its MD5 hex, never in clear.
    pub async fn add_user(
        &self,
        app_id: &str,
        handle: &str,
        password: &str,
    ) -> Result<User, ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let handle = require_handle(handle)?;
        require_password(password)?;
        let body = json!({ "appId": app_id, "handle": handle, "password": md5_hex(password) });
        self.change(Method::POST, "/api/app/addUser", Some(body))
            .await
    }

    /// Deletes a user and that handle's signup and invitation
    /// (`POST /api/app/removeUser`); answers the deleted user.
    pub async fn remove_user(&self, app_id: &str, handle: &str) -> Result<User, ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let handle = require_handle(handle)?;
        let body = json!({ "appId": app_id, "handle": handle });
        self.change(Method::POST, "/api/app/removeUser", Some(body))
            .await
    }

    /// Sets a user's status by `_id` (`POST /api/app/user`): `Active` or `Suspend`.
    pub async fn set_user_status(
        &self,
        app_id: &str,
        user_id: &str,
        status: &UserStatus,
    ) -> Result<(), ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let user_id = require_id("the user id", user_id)?;
        if !matches!(status, UserStatus::Active | UserStatus::Suspend) {
            return Err(ClientError::InvalidInput(
                "a user's status is either active or suspend".into(),
            ));
        }
        let body = json!({ "appId": app_id, "userId": user_id, "status": status.as_wire() });
        self.change_expecting_true(Method::POST, "/api/app/user", Some(body))
            .await
    }

    /// Sets a new password (`POST /api/app/resetUserPassword`). The host e-mails the
    /// clear password to the user, so it is sent too (`rawValue`), with its MD5 hex.
    pub async fn reset_user_password(
        &self,
        app_id: &str,
        user_id: &str,
        new_password: &str,
    ) -> Result<(), ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let user_id = require_id("the user id", user_id)?;
        require_password(new_password)?;
        let body = json!({
            "appId": app_id,
            "userId": user_id,
            "rawValue": new_password,
            "hashValue": md5_hex(new_password),
        });
        self.change_expecting_true(Method::POST, "/api/app/resetUserPassword", Some(body))
            .await
    }

    /// Replaces a user's metadata and sets values at paths
    /// (`POST /api/app/updateAppUserMetaData`).
    pub async fn update_user_metadata(
        &self,
        app_id: &str,
        handle: &str,
        meta_data: &Map<String, Value>,
        added: &[AddedMetadata],
    ) -> Result<(), ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let handle = require_handle(handle)?;
        let mut body = json!({ "appId": app_id, "handle": handle, "metaData": meta_data });
        if !added.is_empty() {
            body["addedMetadata"] = json!(added);
        }
        self.change_expecting_true(Method::POST, "/api/app/updateAppUserMetaData", Some(body))
            .await
    }
}

fn require_password(password: &str) -> Result<(), ClientError> {
    if password.is_empty() {
        return Err(ClientError::InvalidInput("the password is empty".into()));
    }
    Ok(())
}
