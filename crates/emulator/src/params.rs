//! Request parameters from the query string and from JSON or form-encoded bodies.
//!
//! A form body carries every value as a string, so each accessor accepts both the
//! typed JSON value and its string spelling.

use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use crate::error::ApiError;

const MAX_BODY: usize = 8 * 1024 * 1024;

/// The merged parameters of one request; body fields win over the query string.
#[derive(Debug, Default, Clone)]
pub struct Params(Map<String, Value>);

impl Params {
    pub fn from_query(query: Option<&str>) -> Self {
        let mut map = Map::new();
        if let Some(q) = query {
            for (k, v) in form_urlencoded::parse(q.as_bytes()) {
                map.insert(k.into_owned(), Value::String(v.into_owned()));
            }
        }
        Params(map)
    }

    /// Adds the fields of a body; a body that is neither JSON nor a form is invalid data.
    fn add_body(&mut self, content_type: &str, bytes: &[u8]) -> Result<(), ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let is_form = content_type.starts_with("application/x-www-form-urlencoded");
        if !is_form {
            match serde_json::from_slice::<Value>(bytes) {
                Ok(Value::Object(m)) => {
                    self.0.extend(m);
                    return Ok(());
                }
                Ok(_) => return Err(ApiError::Code(602)),
                Err(_) if content_type.contains("json") => return Err(ApiError::Code(602)),
                Err(_) => {}
            }
        }
        for (k, v) in form_urlencoded::parse(bytes) {
            self.0.insert(k.into_owned(), Value::String(v.into_owned()));
        }
        Ok(())
    }

    /// A non-empty parameter as text (numbers and booleans spelled out).
    pub fn text(&self, key: &str) -> Option<String> {
        let s = match self.0.get(key)? {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return None,
        };
        (!s.trim().is_empty()).then_some(s)
    }

    /// A required parameter; missing answers code 403.
    pub fn required(&self, key: &str) -> Result<String, ApiError> {
        self.text(key).ok_or(ApiError::Code(403))
    }

    /// A required handle, trimmed and lower-cased (anonymous handles keep `ANON_`).
    pub fn handle(&self, key: &str) -> Result<String, ApiError> {
        Ok(normalize_handle(&self.required(key)?))
    }

    pub fn flag(&self, key: &str) -> Option<bool> {
        match self.0.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => match s.trim() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn number(&self, key: &str) -> Option<i64> {
        match self.0.get(key)? {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A structured parameter, given as JSON or (in a form) as JSON text.
    /// `Some(Err)` means present but not JSON.
    pub fn json(&self, key: &str) -> Option<Result<Value, ()>> {
        match self.0.get(key)? {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(serde_json::from_str(s).map_err(|_| ())),
            Value::Null => None,
            v => Some(Ok(v.clone())),
        }
    }

    pub fn is_present(&self, key: &str) -> bool {
        self.0.get(key).is_some_and(|v| !v.is_null())
    }
}

pub fn normalize_handle(raw: &str) -> String {
    let t = raw.trim();
    match t.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("anon_") => format!("ANON_{}", t[5..].to_lowercase()),
        _ => t.to_lowercase(),
    }
}

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let mut params = Params::from_query(req.uri().query());
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY)
            .await
            .map_err(|_| ApiError::Code(602))?;
        params.add_body(&content_type, &bytes)?;
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_encodings_read_alike() {
        let mut json = Params::default();
        json.add_body("application/json", br#"{"a":true,"n":3,"m":{"x":1}}"#)
            .unwrap();
        let mut form = Params::default();
        form.add_body(
            "application/x-www-form-urlencoded",
            b"a=true&n=3&m=%7B%22x%22%3A1%7D",
        )
        .unwrap();
        for p in [json, form] {
            assert_eq!(p.flag("a"), Some(true));
            assert_eq!(p.number("n"), Some(3));
            assert_eq!(p.json("m"), Some(Ok(serde_json::json!({"x": 1}))));
        }
        assert_eq!(normalize_handle("  Bob@X.org "), "bob@x.org");
        assert_eq!(normalize_handle("anon_ABC"), "ANON_abc");
    }
}
