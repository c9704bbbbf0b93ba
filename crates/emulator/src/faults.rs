//! Deterministic fault injection for `/api/*`: the next `count` requests fail one way.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use crate::host::Host;

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
    /// The route runs; its headers and this many body bytes are sent, then the
    /// connection closes.
    DropAfterBytes(usize),
}

#[derive(Debug, Default)]
pub struct Faults(Mutex<Option<(u64, Fault)>>);

impl Faults {
    pub fn arm(&self, count: u64, fault: Fault) {
        *self.lock() = (count > 0).then_some((count, fault));
    }

    pub fn clear(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(u64, Fault)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The fault for the next request, counting it down.
    fn take(&self) -> Option<Fault> {
        let mut armed = self.lock();
        let (left, fault) = armed.as_mut()?;
        let fault = fault.clone();
        *left -= 1;
        if *left == 0 {
            *armed = None;
        }
        Some(fault)
    }
}

const TRUNCATED: &str = r#"{"users":[{"_id":"5f1d"#;

pub async fn inject(State(host): State<Arc<Host>>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let json = |body: &'static str| {
        let mut r = Response::new(Body::from(body));
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        r
    };
    match host.faults.take() {
        None => next.run(req).await,
        Some(Fault::Status(code)) => StatusCode::from_u16(code)
            .unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
            .into_response(),
        Some(Fault::Latency(ms)) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        Some(Fault::Malformed) => json(TRUNCATED),
        Some(Fault::WrongShape) => json(r#""Service Not found""#),
        Some(Fault::DropAfterBytes(n)) => {
            let (parts, body) = next.run(req).await.into_parts();
            let full = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
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
