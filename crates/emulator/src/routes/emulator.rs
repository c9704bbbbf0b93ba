//! The emulator's own routes: the mailbox and fault injection (spec §7).

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::{Reply, ok};
use crate::auth;
use crate::error::ApiError;
use crate::faults::Fault;
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

fn fault(p: &Params) -> Result<Fault, ApiError> {
    let number = |k: &str| match p.number(k) {
        Some(n) if n >= 0 => Ok(Some(n)),
        Some(_) => Err(ApiError::Code(602)),
        None if p.is_present(k) => Err(ApiError::Code(602)),
        None => Ok(None),
    };
    if let Some(ms) = number("latencyMs")? {
        return Ok(Fault::Latency(u64::try_from(ms).unwrap_or(0)));
    }
    if let Some(n) = number("dropAfterBytes")? {
        return Ok(Fault::DropAfterBytes(usize::try_from(n).unwrap_or(0)));
    }
    if p.is_present("body") {
        return match p.text("body").as_deref() {
            Some("malformed") => Ok(Fault::Malformed),
            Some("wrongShape") => Ok(Fault::WrongShape),
            _ => Err(ApiError::Code(602)),
        };
    }
    match number("status")? {
        None => Ok(Fault::Status(503)),
        Some(s) if (100..=999).contains(&s) => Ok(Fault::Status(u16::try_from(s).unwrap_or(503))),
        Some(_) => Err(ApiError::Code(602)),
    }
}

pub async fn set_faults(State(host): State<Arc<Host>>, headers: HeaderMap, p: Params) -> Reply {
    auth::server(&headers, &host.key)?;
    let count = match p.number("count") {
        None if !p.is_present("count") => 1,
        Some(n) if n >= 0 => u64::try_from(n).unwrap_or(1),
        _ => return Err(ApiError::Code(602)),
    };
    host.faults.arm(count, fault(&p)?);
    ok(json!(true))
}

pub async fn clear_faults(State(host): State<Arc<Host>>, headers: HeaderMap) -> Reply {
    auth::server(&headers, &host.key)?;
    host.faults.clear();
    ok(json!(true))
}
