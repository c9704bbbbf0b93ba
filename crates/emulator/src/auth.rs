//! Who is calling: the three credential headers, checked in the spec's order.

use axum::http::HeaderMap;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::tokens::KeyPair;

/// The caller as the first credential header present decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Server,
    App { app_id: String },
    User { app_id: String, handle: String },
    Anonymous,
}

fn claim(claims: &Map<String, Value>, name: &str) -> Option<String> {
    claims.get(name)?.as_str().map(str::to_owned)
}

/// Decides the caller; a bad token in the deciding header is an error of its kind.
pub fn caller(headers: &HeaderMap, key: &KeyPair) -> Result<Caller, ApiError> {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or(""));
    let scoped = |token: &str, scope: &str| {
        key.verify(token)
            .filter(|c| c.get("scope").and_then(Value::as_str) == Some(scope))
    };
    if let Some(token) = header("server-secret") {
        return scoped(token, "server")
            .map(|_| Caller::Server)
            .ok_or(ApiError::Code(500));
    }
    if let Some(token) = header("app-token") {
        let claims = scoped(token, "app").ok_or(ApiError::Code(400))?;
        let app_id = claim(&claims, "appId").ok_or(ApiError::Code(400))?;
        return Ok(Caller::App { app_id });
    }
    if let Some(token) = header("access-token") {
        let claims = scoped(token, "user").ok_or(ApiError::Code(405))?;
        let app_id = claim(&claims, "appId").ok_or(ApiError::Code(405))?;
        let handle = claim(&claims, "handle").ok_or(ApiError::Code(405))?;
        return Ok(Caller::User { app_id, handle });
    }
    Ok(Caller::Anonymous)
}

/// Admin routes: anything but a valid server secret answers like a bad one.
pub fn server(headers: &HeaderMap, key: &KeyPair) -> Result<(), ApiError> {
    match caller(headers, key) {
        Ok(Caller::Server) => Ok(()),
        _ => Err(ApiError::Code(500)),
    }
}

/// Routes before login: the app of a valid app token.
pub fn app(headers: &HeaderMap, key: &KeyPair) -> Result<String, ApiError> {
    match caller(headers, key)? {
        Caller::App { app_id } => Ok(app_id),
        _ => Err(ApiError::Code(400)),
    }
}

/// Routes after login: the app and handle of a valid access token.
pub fn user(headers: &HeaderMap, key: &KeyPair) -> Result<(String, String), ApiError> {
    match caller(headers, key)? {
        Caller::User { app_id, handle } => Ok((app_id, handle)),
        _ => Err(ApiError::Code(405)),
    }
}
