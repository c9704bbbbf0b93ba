//! The emulator's own routes: the mailbox and fault injection (spec §7).

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::{Reply, ok};
use crate::auth;
use crate::error::ApiError;
use crate::faults::{Armed, Fault};
use crate::host::Host;
use crate::params::Params;
use crate::store::journal;

pub async fn mailbox(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    let app_id = p.required("appId")?;
    let handle = p.handle("handle")?;
    host.run(move |db, _| ok(Value::Array(journal::mailbox(db, &app_id, &handle)?)))
        .await
}

/// A non-negative whole number; present in any other form is invalid data.
fn count_param(p: &Params, key: &str) -> Result<Option<u64>, ApiError> {
    match p.number(key) {
        Some(n) => u64::try_from(n).map(Some).map_err(|_| ApiError::Code(602)),
        None if p.is_present(key) => Err(ApiError::Code(602)),
        None => Ok(None),
    }
}

/// A substring to match; present but not text is invalid data.
fn match_param(p: &Params, key: &str) -> Result<Option<String>, ApiError> {
    match p.text(key) {
        Some(s) => Ok(Some(s)),
        None if p.is_present(key) && p.json(key).is_some() => Err(ApiError::Code(602)),
        None => Ok(None),
    }
}

/// The smallest page the host serves: a lower cap would be raised again by `stat`.
const MIN_PAGE: u64 = 25;

/// `{add, remove}`, each a non-negative whole number (missing is 0), given as JSON or,
/// in a form, as JSON text.
fn churn(p: &Params) -> Result<Option<Fault>, ApiError> {
    let Some(v) = p.json("churn") else {
        return Ok(None);
    };
    let Ok(Value::Object(m)) = v else {
        return Err(ApiError::Code(602));
    };
    let part = |k: &str| match m.get(k) {
        None | Some(Value::Null) => Ok(0),
        Some(Value::Number(n)) => n.as_u64().ok_or(ApiError::Code(602)),
        Some(Value::String(s)) => s.trim().parse().map_err(|_| ApiError::Code(602)),
        Some(_) => Err(ApiError::Code(602)),
    };
    Ok(Some(Fault::Churn {
        add: part("add")?,
        remove: part("remove")?,
    }))
}

/// The effects one request arms. `churn` and `pageCap` join at most one of the older
/// kinds, chosen in the order they have always been (a lone filter still means 503).
fn effects(p: &Params) -> Result<Vec<Fault>, ApiError> {
    let mut effects: Vec<Fault> = churn(p)?.into_iter().collect();
    if let Some(cap) = count_param(p, "pageCap")? {
        if cap < MIN_PAGE {
            return Err(ApiError::Code(602));
        }
        effects.push(Fault::PageCap(cap));
    }
    if let Some(ms) = count_param(p, "latencyMs")? {
        effects.push(Fault::Latency(ms));
        return Ok(effects);
    }
    if let Some(n) = count_param(p, "dropAfterBytes")? {
        effects.push(Fault::DropAfterBytes(
            usize::try_from(n).unwrap_or(usize::MAX),
        ));
        return Ok(effects);
    }
    if p.is_present("body") {
        effects.push(match p.text("body").as_deref() {
            Some("malformed") => Fault::Malformed,
            Some("wrongShape") => Fault::WrongShape,
            Some("internalError") => Fault::InternalError,
            Some("unreadableRecord") => Fault::UnreadableRecord,
            _ => return Err(ApiError::Code(602)),
        });
        return Ok(effects);
    }
    match count_param(p, "status")? {
        None if !effects.is_empty() => {}
        None => effects.push(Fault::Status(503)),
        Some(s @ 100..=999) => effects.push(Fault::Status(u16::try_from(s).unwrap_or(503))),
        Some(_) => return Err(ApiError::Code(602)),
    }
    Ok(effects)
}

pub async fn set_faults(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    let append = match p.flag("append") {
        Some(a) => a,
        None if p.is_present("append") => return Err(ApiError::Code(602)),
        None => false,
    };
    let armed = Armed {
        effects: effects(&p)?,
        count: count_param(&p, "count")?.unwrap_or(1),
        after: count_param(&p, "after")?.unwrap_or(0),
        path: match_param(&p, "path")?,
        query: match_param(&p, "query")?,
    };
    host.faults.arm(armed, append);
    ok(json!(true))
}

pub async fn clear_faults(State(host): State<Arc<Host>>, headers: HeaderMap) -> Reply {
    auth::server(&headers, &host.key)?;
    host.faults.clear();
    ok(json!(true))
}
