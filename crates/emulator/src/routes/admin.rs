//! Admin routes about apps: creation, settings, listing, paging, search and logs.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::{Reply, app_id, load_app, log, ok, page_window, param_app, pattern};
use crate::auth;
use crate::clock;
use crate::error::ApiError;
use crate::host::Host;
use crate::params::Params;
use crate::store::apps;
use crate::store::journal::{self, LogFilter};
use crate::store::records::{self, Kind};
use crate::store::roster;
use crate::store::users;

pub async fn connection(State(host): State<Arc<Host>>, headers: HeaderMap) -> Reply {
    auth::server(&headers, &host.key)?;
    ok(json!(true))
}

pub async fn create_app(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    let name = p.required("name")?.trim().to_owned();
    let jwt = p.flag("jwtEnabled").unwrap_or(true);
    host.run(move |db, host| {
        if apps::find_by_name(db, &name)?.is_some() {
            return Err(ApiError::fails("App name already exists."));
        }
        let app = apps::create(db, &host.key, &name, jwt)?;
        log(db, &app, None, "createApp", name)?;
        ok(Value::Object(app))
    })
    .await
}

/// `setting` name → the app field it changes.
fn setting_field(setting: &str) -> Option<&'static str> {
    Some(match setting {
        "status" => "status",
        "jwtEnabled" => "jwtEnabled",
        "invite" => "invitationEnabled",
        "signup" => "signupEnabled",
        "signupFlow" => "signupFlow",
        "anonLogin" => "anonymousLoginEnabled",
        "userNamesEnabled" => "userNamesEnabled",
        "userJWTExpiration" => "userJWTExpiration",
        "realmAppId" => "realmAppId",
        _ => return None,
    })
}

/// Reads the new value of a setting in the type the app stores it as.
fn setting_value(p: &Params, field: &str) -> Result<Value, ApiError> {
    if !p.is_present(field) {
        return Err(ApiError::Code(403));
    }
    let text = p.text(field).unwrap_or_default();
    let allowed: &[&str] = match field {
        "status" => &["active", "inactive", "migrated"],
        "signupFlow" => &["code", "link", "none"],
        "realmAppId" => return Ok(Value::from(text.trim())),
        "userJWTExpiration" => {
            return match p.number(field) {
                Some(h) if h > 0 => Ok(Value::from(h)),
                _ => Err(ApiError::Code(602)),
            };
        }
        _ => return p.flag(field).map(Value::from).ok_or(ApiError::Code(602)),
    };
    if allowed.contains(&text.as_str()) {
        Ok(Value::from(text))
    } else {
        Err(ApiError::Code(602))
    }
}

pub async fn update_setting(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let mut app = param_app(db, &p)?;
        let setting = p.required("setting")?;
        let Some(field) = setting_field(&setting) else {
            return Err(ApiError::fails("Unknown setting."));
        };
        let value = setting_value(&p, field)?;
        if app.get(field) == Some(&value) {
            return Err(ApiError::fails("Setting is unchanged."));
        }
        app.insert(field.into(), value.clone());
        apps::save(db, &mut app)?;
        log(
            db,
            &app,
            None,
            "updateAppSetting",
            format!("{setting}={value}"),
        )?;
        ok(Value::Object(app))
    })
    .await
}

/// Checks metadata definitions: each needs a path and a field name.
fn definitions(v: Value, with_can_edit: bool) -> Result<Value, ApiError> {
    let Value::Array(items) = v else {
        return Err(ApiError::Code(604));
    };
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let path = item
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim();
        let name = item.get("fieldName").and_then(Value::as_str).unwrap_or("");
        let valid_path = !path.is_empty() && path.split('.').all(|s| !s.is_empty());
        if !valid_path || name.is_empty() {
            return Err(ApiError::Code(604));
        }
        let flag = |k: &str| item.get(k).and_then(Value::as_bool).unwrap_or(false);
        let id = item
            .get("id")
            .cloned()
            .unwrap_or_else(|| Value::from(i.to_string()));
        let mut def =
            json!({"id": id, "path": path, "fieldName": name, "required": flag("required")});
        if with_can_edit {
            def["canEdit"] = flag("canEdit").into();
        }
        out.push(def);
    }
    Ok(Value::Array(out))
}

pub async fn update_metadata(
    State(host): State<Arc<Host>>,
    headers: HeaderMap,
    p: Params,
) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let mut app = param_app(db, &p)?;
        let given = p.json("metaData").ok_or(ApiError::Code(403))?;
        let defs = definitions(given.map_err(|_| ApiError::Code(604))?, true)?;
        app.insert("metaData".into(), defs.clone());
        apps::save(db, &mut app)?;
        log(db, &app, None, "updateAppMetaData", defs.to_string())?;
        ok(Value::Object(app))
    })
    .await
}

pub async fn delete_app(
    State(host): State<Arc<Host>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, host| {
        if !apps::delete(db, &id)? {
            return Err(ApiError::Code(401));
        }
        host.forget_app_key(&id);
        host.rosters.forget(&id);
        ok(json!(true))
    })
    .await
}

pub async fn all_apps(State(host): State<Arc<Host>>, headers: HeaderMap) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(|db, _| {
        ok(Value::Array(
            apps::list(db)?.into_iter().map(Value::Object).collect(),
        ))
    })
    .await
}

pub async fn one_app(
    State(host): State<Arc<Host>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| ok(Value::Object(load_app(db, &id)?)))
        .await
}

pub async fn stat(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, host| {
        let app = param_app(db, &p)?;
        let target = p.required("target")?;
        if !apps::is_active(&app) {
            return Err(ApiError::Fails(403, "App is not active.".into()));
        }
        let id = app_id(&app);
        let (skip, limit) = page_window(&p);
        match target.as_str() {
            "users" => {
                let hide = p.flag("hideAnonUser").unwrap_or(false);
                let rows = roster::page(db, &host.rosters, &id, hide, skip, limit)?;
                let (all, anon) = users::counts(db, &id)?;
                let total = if hide { all.saturating_sub(anon) } else { all };
                ok(json!({"users": rows, "totalUser": total, "totalAnonUser": anon}))
            }
            "invites" => {
                let (rows, total) =
                    records::page(db, &host.rosters, Kind::Invite, &id, skip, limit)?;
                ok(json!({"invites": rows, "totalInvite": total}))
            }
            "signups" => {
                let (rows, total) =
                    records::page(db, &host.rosters, Kind::Signup, &id, skip, limit)?;
                ok(json!({"signups": rows, "totalSignup": total}))
            }
            _ => Err(ApiError::fails("Unknown target.")),
        }
    })
    .await
}

pub async fn search_user(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, host| {
        let app = param_app(db, &p)?;
        let re = pattern(&p.required("value")?)?;
        let hide = p.flag("hideAnonUser").unwrap_or(false);
        let found = roster::search(db, &host.rosters, &app_id(&app), &re, hide)?;
        ok(Value::Array(found))
    })
    .await
}

async fn search_records(host: Arc<Host>, headers: HeaderMap, p: Params, kind: Kind) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        let re = pattern(&p.required("value")?)?;
        ok(Value::Array(records::search(db, kind, &app_id(&app), &re)?))
    })
    .await
}

pub async fn search_invite(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    search_records(host, headers, p, Kind::Invite).await
}

pub async fn search_signup(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    search_records(host, headers, p, Kind::Signup).await
}

pub async fn logs(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    host.run(move |db, _| {
        let app = param_app(db, &p)?;
        let (skip, limit) = page_window(&p);
        let choice = |k: &str| p.text(k).filter(|v| v != "all");
        let date = |k: &str| match p.text(k) {
            None => Ok(None),
            Some(t) => clock::parse(&t)
                .map(|ms| Some(clock::iso(ms)))
                .ok_or(ApiError::Code(602)),
        };
        let filter = LogFilter {
            log_type: choice("type"),
            status: choice("status"),
            from: date("fromDate")?,
            to: date("toDate")?,
            action: p.text("filterAction"),
        };
        let (rows, total) = journal::logs(db, &app_id(&app), &filter, skip, limit)?;
        ok(json!({"totalLog": total, "logs": rows}))
    })
    .await
}
