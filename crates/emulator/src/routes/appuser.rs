//! End-user routes (`/api/appuser/*`): what an app's own clients call.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use rusqlite::Connection;
use serde_json::{Map, Value, json};

use super::people::{meta_param, new_invite};
use super::{Reply, app_id, load_app, ok};
use crate::auth;
use crate::clock;
use crate::error::ApiError;
use crate::host::Host;
use crate::metadata;
use crate::params::Params;
use crate::secrets;
use crate::store::apps::{self, App};
use crate::store::journal::{self, Entry, Mail};
use crate::store::records::{self, Kind, NewRecord};
use crate::store::users::{self, User};

const CODE_LIFETIME_MS: i64 = 48 * 3600 * 1000;

/// The app of an end-user call; it must exist and be active.
fn live_app(db: &Connection, id: &str) -> Result<App, ApiError> {
    let app = load_app(db, id)?;
    match apps::text(&app, "status") {
        "active" => Ok(app),
        "migrated" => Err(ApiError::Code(413)),
        _ => Err(ApiError::Code(402)),
    }
}

fn password_param(p: &Params) -> Result<String, ApiError> {
    let password = p.required("password")?;
    if secrets::is_md5_hex(&password) {
        Ok(password)
    } else {
        Err(ApiError::Code(602))
    }
}

/// A usable handle: no blanks, a plausible e-mail or user name.
fn valid_handle(handle: &str) -> Result<(), ApiError> {
    if handle.is_empty() || handle.len() > 320 || handle.chars().any(char::is_whitespace) {
        return Err(ApiError::Code(602));
    }
    Ok(())
}

/// The `userName` a new user asks for: 606 when the app has no user names.
fn user_name_param(app: &App, p: &Params) -> Result<Option<String>, ApiError> {
    if !p.is_present("userName") {
        return Ok(None);
    }
    if !apps::flag(app, "userNamesEnabled") {
        return Err(ApiError::Code(606));
    }
    Ok(p.text("userName").map(|n| n.trim().to_owned()))
}

/// 605 when another user of the app already has this user name.
fn unclaimed(db: &Connection, app_id: &str, user_name: &str) -> Result<(), ApiError> {
    if users::by_user_name(db, app_id, user_name)?.is_some() {
        return Err(ApiError::Code(605));
    }
    Ok(())
}

/// Signs in: stamps `lastLogin` and returns the app's `jwt` and the host's access token.
fn sign_in(db: &Connection, host: &Host, app: &App, user: &User) -> Result<Value, ApiError> {
    let now = clock::now_ms();
    users::set(db, &user.id, "last_login", &clock::iso(now))?;
    let id = app_id(app);
    let hours = app
        .get("userJWTExpiration")
        .and_then(Value::as_i64)
        .unwrap_or(24);
    let realm = apps::text(app, "realmAppId");
    let mut claims = Map::new();
    if let Value::Object(meta) = &user.meta_data {
        claims.extend(meta.clone());
    }
    claims.insert(
        "aud".into(),
        Value::from(if realm.is_empty() { "none" } else { realm }),
    );
    claims.insert("sub".into(), Value::from(user.handle.clone()));
    claims.insert("email".into(), Value::from(user.handle.clone()));
    claims.insert("iat".into(), Value::from(now / 1000));
    claims.insert(
        "exp".into(),
        Value::from(now / 1000 + hours.saturating_mul(3600)),
    );
    let jwt = host.app_key(db, &id)?.sign(&claims);
    let mut access = Map::new();
    access.insert("handle".into(), Value::from(user.handle.clone()));
    access.insert("appId".into(), Value::from(id.clone()));
    access.insert("scope".into(), Value::from("user"));
    access.insert("iat".into(), Value::from(now / 1000));
    let entry = Entry {
        handle: Some(&user.handle),
        action: "login",
        ok: true,
        log_type: "user",
        value: String::new(),
    };
    journal::log(db, &id, &entry)?;
    Ok(json!({"jwt": jwt, "access-token": host.key.sign(&access)}))
}

pub async fn get_application(State(host): State<Arc<Host>>, headers: HeaderMap) -> Reply {
    let id = auth::app(&headers, &host.key)?;
    host.run(move |db, _| {
        let mut app = live_app(db, &id)?;
        app.remove("appToken");
        app.remove("appPublicKey");
        ok(Value::Object(app))
    })
    .await
}

fn check_login(db: &Connection, host: &Host, app: &App, p: &Params) -> Result<Value, ApiError> {
    let handle = p.handle("handle")?;
    let password = p.required("password")?;
    let id = app_id(app);
    let mut user = users::by_handle(db, &id, &handle)?;
    if user.is_none() && apps::flag(app, "userNamesEnabled") {
        user = users::by_user_name(db, &id, &handle)?;
    }
    let Some(user) = user else {
        let pending = records::by_handle(db, Kind::Signup, &id, &handle)?
            .is_some_and(|s| s.status() == "pending");
        return Err(ApiError::Code(if pending { 608 } else { 600 }));
    };
    if !secrets::verify(&password, &user.password) {
        return Err(ApiError::Code(600));
    }
    if user.status != "active" {
        return Err(ApiError::Code(404));
    }
    sign_in(db, host, app, &user)
}

pub async fn login(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    let id = auth::app(&headers, &host.key)?;
    let outcome = host
        .run(move |db, host| {
            let app = live_app(db, &id)?;
            match check_login(db, host, &app, &p) {
                // A refused login is kept in the log, so it must not roll back.
                Err(ApiError::Code(code @ (404 | 600 | 608))) => {
                    let handle = p
                        .text("handle")
                        .map(|h| crate::params::normalize_handle(&h));
                    let entry = Entry {
                        handle: handle.as_deref(),
                        action: "login",
                        ok: false,
                        log_type: "user",
                        value: code.to_string(),
                    };
                    journal::log(db, &id, &entry)?;
                    Ok(Err(ApiError::Code(code)))
                }
                other => Ok(other),
            }
        })
        .await?;
    ok(outcome?)
}

pub async fn signup(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    let id = auth::app(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = live_app(db, &id)?;
        if !apps::flag(&app, "signupEnabled") {
            return Err(ApiError::Code(407));
        }
        let handle = p.handle("handle")?;
        let password = password_param(&p)?;
        valid_handle(&handle)?;
        let meta = meta_param(&p, "metaData")?.unwrap_or_else(|| json!({}));
        if !metadata::has_required(app.get("metaData"), &meta) {
            return Err(ApiError::Code(604));
        }
        let user_name = user_name_param(&app, &p)?;
        if users::by_handle(db, &id, &handle)?.is_some() {
            return Err(ApiError::Code(601));
        }
        if let Some(name) = &user_name {
            unclaimed(db, &id, name)?;
        }
        let locale = p
            .text("locale")
            .unwrap_or_else(|| "EN".into())
            .to_uppercase();
        let hashed = secrets::hash(&password)?;
        if let Some(old) =
            records::by_handle(db, Kind::Signup, &id, &handle)?.filter(|s| s.status() == "pending")
        {
            records::delete_id(db, Kind::Signup, old.id())?;
        }
        let code = secrets::fresh_code();
        let now = clock::now_ms();
        let immediate = apps::text(&app, "signupFlow") == "none";
        let record = NewRecord {
            app_id: &id,
            handle: &handle,
            code,
            meta_data: &meta,
            extra: &locale,
            status: if immediate { "active" } else { "pending" },
            last: &hashed,
            created_ms: now,
        };
        let signup = records::insert(db, Kind::Signup, &record)?;
        let user_name = user_name.unwrap_or_default();
        if immediate {
            let mut user = User::new(&id, &handle, &hashed, meta);
            user.locale = locale;
            user.user_name = user_name;
            users::insert(db, &user)?;
        } else {
            if !user_name.is_empty() {
                records::set_user_name(db, signup.id(), &user_name)?;
            }
            let mail = Mail {
                handle: &handle,
                kind: "signup",
                code: Some(code),
                password: None,
                created_ms: now,
            };
            journal::mail(db, &id, &mail)?;
        }
        ok(json!(true))
    })
    .await
}

pub async fn complete_signup(
    State(host): State<Arc<Host>>,
    headers: HeaderMap,
    p: Params,
) -> Reply {
    let id = auth::app(&headers, &host.key)?;
    host.run(move |db, host| {
        let app = live_app(db, &id)?;
        let handle = p.handle("handle")?;
        let code = p.number("code").ok_or(ApiError::Code(403))?;
        if users::by_handle(db, &id, &handle)?.is_some() {
            return Err(ApiError::Code(601));
        }
        let signup = records::by_handle(db, Kind::Signup, &id, &handle)?
            .filter(|s| s.status() == "pending" && s.code() == code)
            .ok_or(ApiError::Code(602))?;
        if clock::now_ms() - signup.created_ms() > CODE_LIFETIME_MS {
            return Err(ApiError::Code(411));
        }
        let mut user = User::new(
            &id,
            &handle,
            &signup.password,
            signup.json["metaData"].clone(),
        );
        user.locale = signup.json["locale"].as_str().unwrap_or("EN").to_owned();
        // Someone may have taken the name while the code was on its way.
        unclaimed(db, &id, &signup.user_name)?;
        user.user_name.clone_from(&signup.user_name);
        users::insert(db, &user)?;
        records::set_status(db, Kind::Signup, signup.id(), "verified")?;
        sign_in(db, host, &app, &user).map(axum::Json)
    })
    .await
}

pub async fn invite(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    let (id, sender) = auth::user(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = live_app(db, &id)?;
        users::by_handle(db, &id, &sender)?.ok_or(ApiError::Code(405))?;
        if !apps::flag(&app, "invitationEnabled") {
            return Err(ApiError::Code(406));
        }
        let handle = p.handle("handle")?;
        valid_handle(&handle)?;
        let sender_id = p.required("senderUserId")?;
        let meta = meta_param(&p, "metaData")?.unwrap_or_else(|| json!({}));
        if users::by_handle(db, &id, &handle)?.is_some() {
            return Err(ApiError::Code(601));
        }
        if let Some(old) =
            records::by_handle(db, Kind::Invite, &id, &handle)?.filter(|i| i.status() == "pending")
        {
            records::delete_id(db, Kind::Invite, old.id())?;
        }
        new_invite(db, &app, &handle, (&sender, &sender_id), &meta)?;
        ok(json!(true))
    })
    .await
}

pub async fn register(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    let id = auth::app(&headers, &host.key)?;
    host.run(move |db, host| {
        let app = live_app(db, &id)?;
        if !apps::flag(&app, "invitationEnabled") {
            return Err(ApiError::Code(406));
        }
        let handle = p.handle("handle")?;
        let password = password_param(&p)?;
        let code = p.number("code").ok_or(ApiError::Code(403))?;
        let given = meta_param(&p, "metaData")?;
        let user_name = user_name_param(&app, &p)?.unwrap_or_default();
        if users::by_handle(db, &id, &handle)?.is_some() {
            return Err(ApiError::Code(601));
        }
        unclaimed(db, &id, &user_name)?;
        let invite = records::by_handle(db, Kind::Invite, &id, &handle)?
            .filter(|i| i.status() == "pending" && i.code() == code)
            .ok_or(ApiError::Code(602))?;
        let mut meta = invite.json["metaData"].clone();
        if let (Value::Object(into), Some(Value::Object(from))) = (&mut meta, given) {
            into.extend(from);
        }
        let mut user = User::new(&id, &handle, &secrets::hash(&password)?, meta);
        user.user_name = user_name;
        users::insert(db, &user)?;
        records::set_status(db, Kind::Invite, invite.id(), "verified")?;
        sign_in(db, host, &app, &user).map(axum::Json)
    })
    .await
}

pub async fn login_anonymous(
    State(host): State<Arc<Host>>,
    headers: HeaderMap,
    p: Params,
) -> Reply {
    let id = auth::app(&headers, &host.key)?;
    host.run(move |db, host| {
        let app = live_app(db, &id)?;
        if !apps::flag(&app, "anonymousLoginEnabled") {
            return Err(ApiError::Code(414));
        }
        let handle = p.handle("handle")?;
        if !handle.starts_with("ANON_") || handle.len() <= 5 {
            return Err(ApiError::Code(602));
        }
        let user = match users::by_handle(db, &id, &handle)? {
            Some(user) => user,
            None => {
                let user = User::new(&id, &handle, "", json!({}));
                users::insert(db, &user)?;
                user
            }
        };
        if user.status != "active" {
            return Err(ApiError::Code(404));
        }
        sign_in(db, host, &app, &user).map(axum::Json)
    })
    .await
}

pub async fn get_user(State(host): State<Arc<Host>>, headers: HeaderMap) -> Reply {
    let (id, handle) = auth::user(&headers, &host.key)?;
    host.run(move |db, _| {
        live_app(db, &id)?;
        let user = users::by_handle(db, &id, &handle)?.ok_or(ApiError::Code(603))?;
        ok(user.to_json(false))
    })
    .await
}
