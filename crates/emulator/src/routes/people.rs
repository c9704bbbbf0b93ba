//! Admin routes about people: users, portal invites and signup records.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use rusqlite::Connection;
use serde_json::{Value, json};

use super::{Reply, app_id, log, ok, param_app};
use crate::auth;
use crate::clock;
use crate::error::ApiError;
use crate::host::Host;
use crate::metadata;
use crate::params::Params;
use crate::secrets;
use crate::store::apps::{self, App};
use crate::store::journal::{self, Mail};
use crate::store::records::{self, Kind, NewRecord};
use crate::store::users::{self, User};

const SUPERUSER: &str = "superuser";

fn no_user() -> ApiError {
    ApiError::fails("User not found.")
}

/// A metadata object parameter: absent is `None`, anything but an object is code 604.
pub fn meta_param(p: &Params, key: &str) -> Result<Option<Value>, ApiError> {
    match p.json(key) {
        None => Ok(None),
        Some(Ok(v @ Value::Object(_))) => Ok(Some(v)),
        Some(_) => Err(ApiError::Code(604)),
    }
}

pub async fn add_user(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        if !apps::is_active(&app) {
            return Err(ApiError::Code(402));
        }
        let handle = p.handle("handle")?;
        let password = p.required("password")?;
        if !secrets::is_md5_hex(&password) {
            return Err(ApiError::Code(602));
        }
        let meta = meta_param(&p, "metaData")?.unwrap_or_else(|| json!({}));
        let id = app_id(&app);
        if users::by_handle(db, &id, &handle)?.is_some() {
            return Err(ApiError::fails("User already registerred."));
        }
        let user = insert_added_user(db, &app, &handle, &secrets::hash(&password)?, &meta)?;
        ok(user.to_json(true))
    })
    .await
}

pub async fn remove_user(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        let handle = p.handle("handle")?;
        let id = app_id(&app);
        let user = users::by_handle(db, &id, &handle)?.ok_or_else(no_user)?;
        delete_user(db, &app, &user.id, &handle)?;
        ok(user.to_json(true))
    })
    .await
}

/// What `addUser` writes: the user, the `active` signup record with code 0 that marks a
/// user an administrator added, and the log entry. `hashed` is the stored password hash.
pub(crate) fn insert_added_user(
    db: &Connection,
    app: &App,
    handle: &str,
    hashed: &str,
    meta: &Value,
) -> Result<User, ApiError> {
    let id = app_id(app);
    let user = User::new(&id, handle, hashed, meta.clone());
    users::insert(db, &user)?;
    let record = NewRecord {
        app_id: &id,
        handle,
        code: 0,
        meta_data: meta,
        extra: "EN",
        status: "active",
        last: "",
        created_ms: clock::now_ms(),
    };
    records::insert(db, Kind::Signup, &record)?;
    log(db, app, Some(handle), "addUser", handle.to_owned())?;
    Ok(user)
}

/// What `removeUser` deletes: the user, that handle's signup and invitation, and the
/// log entry that says so.
pub(crate) fn delete_user(
    db: &Connection,
    app: &App,
    user_id: &str,
    handle: &str,
) -> Result<(), ApiError> {
    let id = app_id(app);
    users::delete(db, user_id)?;
    records::delete_handle(db, Kind::Signup, &id, handle)?;
    records::delete_handle(db, Kind::Invite, &id, handle)?;
    log(db, app, Some(handle), "removeUser", handle.to_owned())?;
    Ok(())
}

fn user_by_id(db: &Connection, app: &App, p: &Params) -> Result<User, ApiError> {
    let user_id = p.required("userId")?;
    users::by_id(db, &app_id(app), &user_id)?.ok_or_else(no_user)
}

pub async fn set_status(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        let user = user_by_id(db, &app, &p)?;
        let status = p.required("status")?;
        if status != "suspend" && status != "active" {
            return Err(ApiError::Code(602));
        }
        users::set(db, &user.id, "status", &status)?;
        log(db, &app, Some(&user.handle), "updateUserStatus", status)?;
        ok(json!(true))
    })
    .await
}

pub async fn reset_password(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        let user = user_by_id(db, &app, &p)?;
        let raw = p.required("rawValue")?;
        let hashed = p.required("hashValue")?;
        if !secrets::is_md5_hex(&hashed) {
            return Err(ApiError::Code(602));
        }
        users::set(db, &user.id, "password", &secrets::hash(&hashed)?)?;
        let mail = Mail {
            handle: &user.handle,
            kind: "adminPasswordReset",
            code: None,
            password: Some(&raw),
            created_ms: clock::now_ms(),
        };
        journal::mail(db, &app_id(&app), &mail)?;
        log(
            db,
            &app,
            Some(&user.handle),
            "resetUserPassword",
            String::new(),
        )?;
        ok(json!(true))
    })
    .await
}

pub async fn update_user_metadata(
    State(host): State<Arc<Host>>,
    headers: HeaderMap,
    p: Params,
) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        let handle = p.handle("handle")?;
        let given = meta_param(&p, "metaData")?;
        let added = match p.json("addedMetadata") {
            None => Vec::new(),
            Some(Ok(Value::Array(items))) => items,
            Some(_) => return Err(ApiError::Code(604)),
        };
        if given.is_none() && added.is_empty() {
            return Err(ApiError::Code(403));
        }
        let user = users::by_handle(db, &app_id(&app), &handle)?.ok_or_else(no_user)?;
        let mut meta = given.unwrap_or(user.meta_data);
        for item in added {
            let path = item.get("path").and_then(Value::as_str).unwrap_or("");
            if path.is_empty() || path.split('.').any(str::is_empty) {
                return Err(ApiError::Code(604));
            }
            let value = item.get("value").cloned().unwrap_or(Value::Null);
            metadata::set_path(&mut meta, path, value);
        }
        users::set(db, &user.id, "meta_data", &meta.to_string())?;
        log(
            db,
            &app,
            Some(&handle),
            "updateUserMetaData",
            meta.to_string(),
        )?;
        ok(json!(true))
    })
    .await
}

/// Writes a pending invite and mails its code.
pub fn new_invite(
    db: &Connection,
    app: &App,
    handle: &str,
    sender: (&str, &str),
    meta: &Value,
) -> Result<Value, ApiError> {
    let id = app_id(app);
    let code = secrets::fresh_code();
    let now = clock::now_ms();
    let record = NewRecord {
        app_id: &id,
        handle,
        code,
        meta_data: meta,
        extra: sender.0,
        status: "pending",
        last: sender.1,
        created_ms: now,
    };
    let invite = records::insert(db, Kind::Invite, &record)?;
    let mail = Mail {
        handle,
        kind: "invite",
        code: Some(code),
        password: None,
        created_ms: now,
    };
    journal::mail(db, &id, &mail)?;
    Ok(invite.json)
}

pub async fn create_invites(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        let list = p.required("handle")?;
        let id = app_id(&app);
        let (mut invites, mut exists) = (Vec::new(), Vec::new());
        let handles = list.split(',').map(crate::params::normalize_handle);
        for handle in handles.filter(|h| !h.is_empty()) {
            let taken = users::by_handle(db, &id, &handle)?.is_some()
                || records::by_handle(db, Kind::Invite, &id, &handle)?.is_some();
            if taken || exists.contains(&handle) {
                exists.push(handle);
                continue;
            }
            invites.push(new_invite(
                db,
                &app,
                &handle,
                (SUPERUSER, SUPERUSER),
                &json!({}),
            )?);
            log(db, &app, Some(&handle), "createAppInvite", handle.clone())?;
        }
        ok(json!({"invites": invites, "exists": exists}))
    })
    .await
}

pub async fn resend_invite(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        let handle = p.handle("handle")?;
        let id = app_id(&app);
        let invite = records::by_handle(db, Kind::Invite, &id, &handle)?
            .filter(|i| i.status() == "pending")
            .ok_or_else(|| ApiError::fails("Invite not found."))?;
        let mail = Mail {
            handle: &handle,
            kind: "invite",
            code: Some(invite.code()),
            password: None,
            created_ms: clock::now_ms(),
        };
        journal::mail(db, &id, &mail)?;
        log(db, &app, Some(&handle), "resendAppInvite", handle.clone())?;
        ok(json!(true))
    })
    .await
}

pub async fn remove_invite(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        let handle = p.handle("handle")?;
        let invite = records::by_handle(db, Kind::Invite, &app_id(&app), &handle)?
            .ok_or_else(|| ApiError::fails("Invite not found."))?;
        records::delete_id(db, Kind::Invite, invite.id())?;
        log(db, &app, Some(&handle), "removeAppInvite", handle.clone())?;
        ok(invite.json)
    })
    .await
}

pub async fn remove_signup(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        let handle = p.handle("handle")?;
        let id = p.required("_id")?;
        let signup = records::by_id(db, Kind::Signup, &app_id(&app), &id)?
            .filter(|s| s.json["handle"].as_str() == Some(handle.as_str()))
            .ok_or_else(|| ApiError::fails("Signup not found."))?;
        records::delete_id(db, Kind::Signup, &id)?;
        log(db, &app, Some(&handle), "removeAppSignup", handle.clone())?;
        ok(signup.json)
    })
    .await
}
