//! A running emulator, a client for it, and the emulator-only calls tests use to
//! prove effects (end-user login, the mailbox, fault injection).

use std::time::Duration;

use cosync_client::{App, ClientError, HostClient, HostConfig, ServerSecret, md5_hex};
use cosync_emulator::{Config, RunningHost};
use serde_json::{Value, json};

pub struct Fixture {
    pub host: RunningHost,
    pub client: HostClient,
    http: reqwest::Client,
}

impl Fixture {
    pub async fn start() -> Self {
        let host = cosync_emulator::start(Config::in_memory())
            .await
            .expect("the emulator starts");
        let client = HostClient::new(HostConfig::new(
            host.base_url(),
            ServerSecret::new(host.server_secret()),
        ))
        .expect("a loopback http URL is allowed");
        Self {
            host,
            client,
            http: reqwest::Client::new(),
        }
    }

    /// Another client of the same host, with a changed configuration.
    pub fn client_with(&self, change: impl FnOnce(&mut HostConfig)) -> HostClient {
        let mut config = self.config();
        change(&mut config);
        HostClient::new(config).expect("valid configuration")
    }

    pub fn config(&self) -> HostConfig {
        HostConfig::new(
            self.host.base_url(),
            ServerSecret::new(self.host.server_secret()),
        )
    }

    pub async fn new_app(&self, name: &str) -> App {
        self.client
            .create_app(name, Some(true))
            .await
            .expect("the app is created")
    }

    /// Makes the next `count` requests to `/api/*` fail as `fault` says.
    pub async fn inject(&self, fault: Value) {
        let answer = self
            .http
            .post(format!("{}/emulator/faults", self.host.base_url()))
            .header("server-secret", self.host.server_secret())
            .json(&fault)
            .send()
            .await
            .expect("the emulator answers");
        assert!(answer.status().is_success(), "fault {fault} accepted");
    }

    pub async fn clear_faults(&self) {
        self.http
            .delete(format!("{}/emulator/faults", self.host.base_url()))
            .header("server-secret", self.host.server_secret())
            .send()
            .await
            .expect("the emulator answers");
    }

    /// What the host would have e-mailed to `handle`.
    pub async fn mailbox(&self, app_id: &str, handle: &str) -> Vec<Value> {
        self.http
            .get(format!("{}/emulator/mailbox", self.host.base_url()))
            .header("server-secret", self.host.server_secret())
            .query(&[("appId", app_id), ("handle", handle)])
            .send()
            .await
            .expect("the emulator answers")
            .json()
            .await
            .expect("the mailbox is JSON")
    }

    /// An end user's login; `Ok(())` when it succeeds, else the host's error code.
    pub async fn login(&self, app: &App, handle: &str, password: &str) -> Result<(), i64> {
        let body: Value = self
            .http
            .post(format!("{}/api/appuser/login", self.host.base_url()))
            .header(
                "app-token",
                app.app_token.as_deref().expect("apps have a token"),
            )
            .json(&json!({ "handle": handle, "password": md5_hex(password) }))
            .send()
            .await
            .expect("the emulator answers")
            .json()
            .await
            .expect("login answers JSON");
        if body.get("access-token").is_some() {
            Ok(())
        } else {
            Err(body["code"].as_i64().unwrap_or(-1))
        }
    }

    /// The raw JSON of a GET on the admin API, bypassing the client.
    pub async fn raw_get(&self, path: &str, query: &[(&str, &str)]) -> Value {
        self.http
            .get(format!("{}{path}", self.host.base_url()))
            .header("server-secret", self.host.server_secret())
            .query(query)
            .send()
            .await
            .expect("the emulator answers")
            .json()
            .await
            .expect("JSON")
    }
}

/// A client whose silence limit is short, so a latency fault is quick to test.
pub fn quick(config: &mut HostConfig) {
    config.silence_limit = Duration::from_millis(400);
}

/// Reads tried once, so a single injected fault shows as the error it causes.
pub fn no_retry(config: &mut HostConfig) {
    config.read_attempts = 1;
}

pub fn code(result: Result<impl std::fmt::Debug, ClientError>) -> &'static str {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(err) => err.code(),
    }
}
