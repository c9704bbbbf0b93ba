//! Deterministic fault injection for `/api/*`: armed faults pick the requests they
//! match (by path and query substring, after letting the first few through) and act on
//! the next `count` of them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request, State};
use axum::http::uri::PathAndQuery;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use rusqlite::Connection;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::host::Host;
use crate::params::Params;
use crate::routes;
use crate::secrets;

use crate::store::users;
use crate::store::{apps, roster};

/// One way to fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer this HTTP status with an empty body; the route does not run.
    Status(u16),
    /// Wait this long, then answer normally.
    Latency(u64),
    /// HTTP 200 with JSON text cut short; the route does not run.
    Malformed,
    /// HTTP 200 with the JSON string `"Service Not found"`; the route does not run.
    WrongShape,
    /// HTTP 400 with `{"code":500,"message":…}`, as the real host answers an internal
    /// error — the same body as for a bad server secret; the route does not run.
    InternalError,
    /// The route runs; its headers and this many body bytes are sent, then the
    /// connection closes.
    DropAfterBytes(usize),
    /// The route runs with the query's `limit` lowered to this, as behind a proxy that
    /// caps page sizes: fewer rows per page, and the page index steps by the cap.
    PageCap(u64),
    /// The route runs; the first record of its answer loses its `_id` and `handle`.
    UnreadableRecord,
    /// Before the route runs, the app named by `appId` loses its `remove` newest users
    /// and gains `add` new ones, as if another admin worked on it meanwhile.
    Churn { add: u64, remove: u64 },
}

/// A fault waiting for its requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Armed {
    /// Applied together, in this order within each phase (see [`inject`]).
    pub effects: Vec<Fault>,
    pub count: u64,
    /// Matching requests still to let through untouched before `count` starts.
    pub after: u64,
    pub path: Option<String>,
    pub query: Option<String>,
}

impl Armed {
    fn matches(&self, path: &str, query: &str) -> bool {
        self.path.as_deref().is_none_or(|p| path.contains(p))
            && self.query.as_deref().is_none_or(|q| query.contains(q))
    }
}

#[derive(Debug, Default)]
pub struct Faults {
    armed: Mutex<Vec<Armed>>,
    /// The last `churn-<k>` handle number used, so no two churns name the same user.
    churned: AtomicU64,
}

impl Faults {
    /// Arms `fault`, replacing what was armed unless `append`.
    pub fn arm(&self, fault: Armed, append: bool) {
        let mut armed = self.lock();
        if !append {
            armed.clear();
        }
        if fault.count > 0 {
            armed.push(fault);
        }
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Armed>> {
        self.armed.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The effects of every armed fault this request triggers, counting each down;
    /// a fault the request only matches counts its `after` down instead.
    fn take(&self, path: &str, query: &str) -> Vec<Fault> {
        let mut effects = Vec::new();
        self.lock().retain_mut(|a| {
            if !a.matches(path, query) {
                return true;
            }
            if a.after > 0 {
                a.after -= 1;
                return true;
            }
            effects.extend(a.effects.iter().cloned());
            a.count -= 1;
            a.count > 0
        });
        effects
    }

    fn next_churn_number(&self) -> u64 {
        self.churned
            .fetch_add(1, Ordering::SeqCst)
            .saturating_add(1)
    }
}

const TRUNCATED: &str = r#"{"users":[{"_id":"5f1d"#;

/// What replaces the `_id` and `handle` of a record made unreadable: values of the
/// wrong JSON type, so a client cannot take them for real ones.
const UNREADABLE_ID: i64 = 12345;

const MAX_BODY: usize = 8 * 1024 * 1024;

fn json_text(body: &'static str) -> Response {
    let mut r = Response::new(Body::from(body));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// The answer of a fault that stands in for the route.
fn canned(fault: &Fault) -> Option<Response> {
    match fault {
        Fault::Status(code) => Some(
            StatusCode::from_u16(*code)
                .unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
                .into_response(),
        ),
        Fault::Malformed => Some(json_text(TRUNCATED)),
        Fault::WrongShape => Some(json_text(r#""Service Not found""#)),
        Fault::InternalError => {
            let mut r = json_text(r#"{"code":500,"message":"internal server error (injected)"}"#);
            *r.status_mut() = StatusCode::BAD_REQUEST;
            Some(r)
        }
        _ => None,
    }
}

/// Effects act in phases: churn, then the summed latency, then the first answer that
/// stands in for the route (in arming order); otherwise the route runs under the
/// smallest page cap, its answer spoiled and then cut at the smallest byte count.
pub async fn inject(State(host): State<Arc<Host>>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let faults = host
        .faults
        .take(req.uri().path(), req.uri().query().unwrap_or(""));
    if faults.is_empty() {
        return next.run(req).await;
    }
    let mut req = req;
    let churns: Vec<(u64, u64)> = faults
        .iter()
        .filter_map(|f| match f {
            Fault::Churn { add, remove } => Some((*add, *remove)),
            _ => None,
        })
        .collect();
    if !churns.is_empty() {
        req = match churn(&host, req, churns).await {
            Ok(req) => req,
            Err(e) => return e.into_response(),
        };
    }
    let delay = faults
        .iter()
        .map(|f| match f {
            Fault::Latency(ms) => *ms,
            _ => 0,
        })
        .fold(0, u64::saturating_add);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    if let Some(answer) = faults.iter().find_map(canned) {
        return answer;
    }
    let cap = faults
        .iter()
        .filter_map(|f| match f {
            Fault::PageCap(n) => Some(*n),
            _ => None,
        })
        .min();
    if let Some(cap) = cap {
        cap_limit(&mut req, cap);
    }
    let spoil = faults.contains(&Fault::UnreadableRecord);
    let drop_after = faults
        .iter()
        .filter_map(|f| match f {
            Fault::DropAfterBytes(n) => Some(*n),
            _ => None,
        })
        .min();
    if !spoil && drop_after.is_none() {
        return next.run(req).await;
    }
    let (mut parts, body) = next.run(req).await.into_parts();
    let mut full = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    if spoil && let Some(spoiled) = spoiled(&full) {
        full = spoiled;
        parts.headers.remove(header::CONTENT_LENGTH);
    }
    match drop_after {
        None => Response::from_parts(parts, Body::from(full)),
        Some(n) => {
            let sent = full.slice(..n.min(full.len()));
            // Hyper flushes headers with the first chunk; the error comes a moment later
            // so that what was promised is on the wire before the connection is cut.
            let head = futures_util::stream::iter([Ok::<Bytes, std::io::Error>(sent)]);
            let cut = futures_util::stream::once(async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(std::io::Error::other("connection dropped by fault"))
            });
            let mut r = Response::from_parts(parts, Body::from_stream(head.chain(cut)));
            r.headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
            r
        }
    }
}

/// Lowers every numeric `limit` of the query above `cap` to `cap`. The route reads
/// the rewritten query, so its page index steps by the cap as a capping host's would.
fn cap_limit(req: &mut Request, cap: u64) {
    let Some(query) = req.uri().query() else {
        return;
    };
    let mut capped = false;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| {
            let over = k == "limit" && v.trim().parse::<u64>().is_ok_and(|n| n > cap);
            capped |= over;
            let v = if over {
                cap.to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    if !capped {
        return;
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let mut parts = req.uri().clone().into_parts();
    let Ok(pq) = PathAndQuery::try_from(format!("{}?{query}", req.uri().path())) else {
        return;
    };
    parts.path_and_query = Some(pq);
    if let Ok(uri) = Uri::from_parts(parts) {
        *req.uri_mut() = uri;
    }
}

/// The answer with the first record of its first list of records made unreadable;
/// `None` when it is not JSON or holds no such list.
fn spoiled(body: &Bytes) -> Option<Bytes> {
    let mut v: Value = serde_json::from_slice(body).ok()?;
    if !spoil_first_record(&mut v) {
        return None;
    }
    serde_json::to_vec(&v).ok().map(Bytes::from)
}

fn spoil_first_record(v: &mut Value) -> bool {
    match v {
        Value::Array(items) => {
            if let Some(Value::Object(first)) = items.first_mut() {
                first.insert("_id".into(), json!(UNREADABLE_ID));
                first.insert("handle".into(), Value::Null);
                return true;
            }
            items.iter_mut().any(spoil_first_record)
        }
        Value::Object(m) => m.values_mut().any(spoil_first_record),
        _ => false,
    }
}

/// Churns the app the request names, then gives the request back with its body intact.
async fn churn(
    host: &Arc<Host>,
    req: Request,
    churns: Vec<(u64, u64)>,
) -> Result<Request, ApiError> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| ApiError::Code(602))?;
    let mut probe = Request::new(Body::from(bytes.clone()));
    *probe.uri_mut() = parts.uri.clone();
    *probe.headers_mut() = parts.headers.clone();
    // A body the route itself would refuse names no app; the route answers it.
    let app_id = Params::from_request(probe, &())
        .await
        .ok()
        .and_then(|p| p.text("appId"));
    if let Some(app_id) = app_id {
        host.run(move |db, host| {
            for (add, remove) in churns {
                churn_app(db, host, &app_id, add, remove)?;
            }
            Ok(())
        })
        .await?;
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Removes the app's `remove` newest users (before adding, so a churn never undoes
/// itself), then adds `add` users, both as `removeUser` and `addUser` would.
fn churn_app(
    db: &Connection,
    host: &Host,
    app_id: &str,
    add: u64,
    remove: u64,
) -> Result<(), ApiError> {
    let Some(app) = apps::get(db, app_id)? else {
        return Ok(());
    };
    let id = routes::app_id(&app);
    if remove > 0 {
        for user in roster::page(db, &host.rosters, &id, false, 0, remove)? {
            let (Some(user_id), Some(handle)) = (user["_id"].as_str(), user["handle"].as_str())
            else {
                continue;
            };
            routes::people::delete_user(db, &app, user_id, handle)?;
        }
    }
    if add == 0 {
        return Ok(());
    }
    let password = secrets::hash(&secrets::md5_hex(crate::seed::DEMO_PASSWORD))?;
    let meta = json!({});
    for _ in 0..add {
        let handle = loop {
            let h = format!("churn-{}@example.com", host.faults.next_churn_number());
            if users::by_handle(db, &id, &h)?.is_none() {
                break h;
            }
        };
        routes::people::insert_added_user(db, &app, &handle, &password, &meta)?;
    }
    Ok(())
}
