//! A host started in-process on port 0 and a small HTTP vocabulary to talk to it.
#![allow(dead_code)]

use cosync_emulator::{Config, RunningHost, SeedOptions, SeedReport};
use reqwest::Method;
use serde_json::{Value, json};

/// How a POST body is encoded; every POST test runs with both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    Json,
    Form,
}

pub const BOTH: [Enc; 2] = [Enc::Json, Enc::Form];

pub struct Host {
    pub host: RunningHost,
    pub http: reqwest::Client,
}

pub fn md5(clear: &str) -> String {
    cosync_emulator::md5_hex(clear)
}

impl Host {
    pub async fn start() -> Host {
        let config = Config::in_memory();
        Host::with(config).await
    }

    pub async fn with(config: Config) -> Host {
        let host = cosync_emulator::start(config).await.expect("host starts");
        Host {
            host,
            http: reqwest::Client::new(),
        }
    }

    pub fn secret(&self) -> String {
        self.host.server_secret().to_owned()
    }

    pub async fn seed(&self, app: &str, users: u64, invites: u64, signups: u64) -> SeedReport {
        let opts = SeedOptions {
            app: app.into(),
            users,
            invites,
            signups,
            seed: 7,
        };
        self.host.seed(opts).await.expect("seed")
    }

    /// Sends a request; returns the HTTP status and the body as JSON (`Null` if none).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        enc: Enc,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.host.base_url()));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(body) = body {
            req = match enc {
                Enc::Json => req.json(&body),
                Enc::Form => {
                    let pairs: Vec<(String, String)> = body
                        .as_object()
                        .expect("object body")
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                match v {
                                    Value::String(s) => s.clone(),
                                    other => other.to_string(),
                                },
                            )
                        })
                        .collect();
                    req.header("content-type", "application/x-www-form-urlencoded")
                        .body(
                            pairs
                                .iter()
                                .map(|(k, v)| format!("{}={}", enc_part(k), enc_part(v)))
                                .collect::<Vec<_>>()
                                .join("&"),
                        )
                }
            };
        }
        let resp = req.send().await.expect("request completes");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn admin_get(&self, path: &str, query: &[(&str, &str)]) -> (u16, Value) {
        let q: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{k}={}", enc_part(v)))
            .collect();
        let secret = self.secret();
        self.send(
            Method::GET,
            &format!("{path}?{}", q.join("&")),
            &[("server-secret", &secret)],
            Enc::Json,
            None,
        )
        .await
    }

    pub async fn admin_post(&self, path: &str, enc: Enc, body: Value) -> (u16, Value) {
        let secret = self.secret();
        self.send(
            Method::POST,
            path,
            &[("server-secret", &secret)],
            enc,
            Some(body),
        )
        .await
    }

    pub async fn app_post(
        &self,
        app_token: &str,
        path: &str,
        enc: Enc,
        body: Value,
    ) -> (u16, Value) {
        self.send(
            Method::POST,
            path,
            &[("app-token", app_token)],
            enc,
            Some(body),
        )
        .await
    }

    /// Creates an app; returns `(appId, appToken)`.
    pub async fn app(&self, name: &str) -> (String, String) {
        let (status, app) = self
            .admin_post("/api/app", Enc::Json, json!({"name": name}))
            .await;
        assert_eq!(status, 200, "create app {name}: {app}");
        (
            app["appId"].as_str().unwrap().into(),
            app["appToken"].as_str().unwrap().into(),
        )
    }

    pub async fn setting(&self, app_id: &str, setting: &str, field: &str, value: Value) {
        let body = json!({"appId": app_id, "setting": setting, field: value});
        let (status, reply) = self
            .admin_post("/api/app/updateAppSetting", Enc::Json, body)
            .await;
        assert_eq!(status, 200, "setting {setting}: {reply}");
    }

    pub async fn add_user(&self, app_id: &str, handle: &str, password: &str) -> Value {
        let body = json!({"appId": app_id, "handle": handle, "password": md5(password)});
        let (status, user) = self.admin_post("/api/app/addUser", Enc::Json, body).await;
        assert_eq!(status, 200, "addUser: {user}");
        user
    }

    pub async fn login(&self, token: &str, handle: &str, password: &str, enc: Enc) -> (u16, Value) {
        self.app_post(
            token,
            "/api/appuser/login",
            enc,
            json!({"handle": handle, "password": md5(password)}),
        )
        .await
    }

    pub async fn mailbox(&self, app_id: &str, handle: &str) -> Vec<Value> {
        let (status, mail) = self
            .admin_get(
                "/emulator/mailbox",
                &[("appId", app_id), ("handle", handle)],
            )
            .await;
        assert_eq!(status, 200, "mailbox: {mail}");
        mail.as_array().cloned().unwrap_or_default()
    }
}

fn enc_part(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Asserts the `{code, message}` error shape with HTTP 400.
pub fn assert_code(reply: &(u16, Value), code: u64, why: &str) {
    assert_eq!(reply.0, 400, "{why}: HTTP status of {}", reply.1);
    assert_eq!(reply.1["code"].as_u64(), Some(code), "{why}: {}", reply.1);
    assert!(
        reply.1["message"].is_string(),
        "{why}: message missing in {}",
        reply.1
    );
}

/// Asserts the `{status:"Fails"}` error shape with the given HTTP status.
pub fn assert_fails(reply: &(u16, Value), http: u16, why: &str) {
    assert_eq!(reply.0, http, "{why}: HTTP status of {}", reply.1);
    assert_eq!(reply.1["status"], "Fails", "{why}: {}", reply.1);
}
