//! Invitation and signup routes.

use reqwest::Method;
use serde_json::{Value, json};

use crate::text::{escape_regex, exact_pattern, require_handle, require_id};
use crate::{ClientError, CreatedInvites, HostClient, Invite, InvitesPage, Signup, SignupsPage};

impl HostClient {
    /// One page of invitations (`GET /api/app/stat`, target `invites`), newest first;
    /// `page` is a page index.
    pub async fn invites_page(
        &self,
        app_id: &str,
        page: u32,
        limit: u32,
    ) -> Result<InvitesPage, ClientError> {
        self.get_page(
            "/api/app/stat",
            &stat_query(app_id, "invites", page, limit)?,
        )
        .await
    }

    /// One page of signups (`GET /api/app/stat`, target `signups`), newest first;
    /// `page` is a page index.
    pub async fn signups_page(
        &self,
        app_id: &str,
        page: u32,
        limit: u32,
    ) -> Result<SignupsPage, ClientError> {
        self.get_page(
            "/api/app/stat",
            &stat_query(app_id, "signups", page, limit)?,
        )
        .await
    }

    /// Invitations whose handle contains `text` literally (`GET /api/app/searchInvite`).
    pub async fn search_invites(
        &self,
        app_id: &str,
        text: &str,
    ) -> Result<Vec<Invite>, ClientError> {
        self.get(
            "/api/app/searchInvite",
            &search_query(app_id, &escape_regex(text))?,
        )
        .await
    }

    /// The invitation of exactly `handle`, if any.
    pub async fn find_invite(
        &self,
        app_id: &str,
        handle: &str,
    ) -> Result<Option<Invite>, ClientError> {
        let handle = require_handle(handle)?;
        let found: Vec<Invite> = self
            .get(
                "/api/app/searchInvite",
                &search_query(app_id, &exact_pattern(&handle))?,
            )
            .await?;
        Ok(found.into_iter().find(|i| i.handle == handle))
    }

    /// Signups whose handle contains `text` literally (`GET /api/app/searchSingUp`, the
    /// host's spelling).
    pub async fn search_signups(
        &self,
        app_id: &str,
        text: &str,
    ) -> Result<Vec<Signup>, ClientError> {
        self.get(
            "/api/app/searchSingUp",
            &search_query(app_id, &escape_regex(text))?,
        )
        .await
    }

    /// The signup of exactly `handle`, if any.
    pub async fn find_signup(
        &self,
        app_id: &str,
        handle: &str,
    ) -> Result<Option<Signup>, ClientError> {
        let handle = require_handle(handle)?;
        let found: Vec<Signup> = self
            .get(
                "/api/app/searchSingUp",
                &search_query(app_id, &exact_pattern(&handle))?,
            )
            .await?;
        Ok(found.into_iter().find(|s| s.handle == handle))
    }

    /// Invites handles from the portal (`POST /api/app/createAppInvite`). Handles that
    /// already have a user or an invitation come back in `exists`.
    pub async fn create_invites<S: AsRef<str>>(
        &self,
        app_id: &str,
        handles: &[S],
        locale: Option<&str>,
    ) -> Result<CreatedInvites, ClientError> {
        let app_id = require_id("the app id", app_id)?;
        let mut list = Vec::with_capacity(handles.len());
        for handle in handles {
            let handle = require_handle(handle.as_ref())?;
            // The host splits its input on commas.
            if handle.contains(',') {
                return Err(ClientError::InvalidInput(format!(
                    "a handle cannot contain a comma: {handle}"
                )));
            }
            list.push(handle);
        }
        if list.is_empty() {
            return Err(ClientError::InvalidInput("no handle to invite".into()));
        }
        let mut body = json!({ "appId": app_id, "handle": list.join(",") });
        if let Some(locale) = locale {
            body["locale"] = Value::from(locale);
        }
        self.change(Method::POST, "/api/app/createAppInvite", Some(body))
            .await
    }

    /// Sends a pending invitation again (`POST /api/app/resendAppInvite`).
    pub async fn resend_invite(&self, app_id: &str, handle: &str) -> Result<(), ClientError> {
        let body = handle_body(app_id, handle)?;
        self.change_expecting_true(Method::POST, "/api/app/resendAppInvite", Some(body))
            .await
    }

    /// Revokes an invitation (`POST /api/app/removeAppInvite`); answers the deleted one.
    pub async fn remove_invite(&self, app_id: &str, handle: &str) -> Result<Invite, ClientError> {
        let body = handle_body(app_id, handle)?;
        self.change(Method::POST, "/api/app/removeAppInvite", Some(body))
            .await
    }

    /// Removes a signup record (`POST /api/app/removeAppSignup`); answers the deleted
    /// one.
    pub async fn remove_signup(
        &self,
        app_id: &str,
        handle: &str,
        signup_id: &str,
    ) -> Result<Signup, ClientError> {
        let mut body = handle_body(app_id, handle)?;
        body["_id"] = Value::from(require_id("the signup id", signup_id)?);
        self.change(Method::POST, "/api/app/removeAppSignup", Some(body))
            .await
    }
}

fn stat_query(
    app_id: &str,
    target: &str,
    page: u32,
    limit: u32,
) -> Result<[(&'static str, String); 4], ClientError> {
    Ok([
        ("appId", require_id("the app id", app_id)?.to_owned()),
        ("target", target.to_owned()),
        ("offset", page.to_string()),
        ("limit", limit.to_string()),
    ])
}

fn search_query(app_id: &str, pattern: &str) -> Result<[(&'static str, String); 2], ClientError> {
    Ok([
        ("appId", require_id("the app id", app_id)?.to_owned()),
        ("value", pattern.to_owned()),
    ])
}

fn handle_body(app_id: &str, handle: &str) -> Result<Value, ClientError> {
    Ok(json!({
        "appId": require_id("the app id", app_id)?,
        "handle": require_handle(handle)?,
    }))
}
