//! A running emulator with a seeded app, core over a throw-away data folder, and the
//! emulator-only calls that prove effects (end-user login, fault injection).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use cosync_emulator::{Config, RunningHost, SeedOptions, Storage};
use gatehouse_core::{
    Connection, Gatehouse, HostTiming, InviteQuery, ScriptedStart, SignupQuery, UserQuery,
};
use serde_json::{Value, json};

pub const APP: &str = "Test App";
pub const SEEDED_PASSWORD: &str = "demo-password";

pub struct Fixture {
    pub host: RunningHost,
    pub core: Gatehouse,
    pub conn: Arc<Connection>,
    pub app_id: String,
    pub app_token: String,
    pub dir: tempfile::TempDir,
    http: reqwest::Client,
}

impl Fixture {
    /// An emulator with `users` users (plus 10 invitations and 10 signups) in one app,
    /// and core connected to it through the scripted start (no keyring).
    pub async fn start(users: u64) -> Self {
        let host = cosync_emulator::start(Config {
            port: 0,
            storage: Storage::Memory,
            demo: false,
        })
        .await
        .expect("the emulator starts");
        let report = host
            .seed(SeedOptions {
                invites: 10,
                signups: 10,
                ..SeedOptions::new(APP, users)
            })
            .await
            .expect("seeding works");
        let dir = tempfile::tempdir().unwrap();
        let (core, conn) = connect(&host, dir.path()).await;
        Fixture {
            host,
            core,
            conn,
            app_id: report.app_id,
            app_token: report.app_token,
            dir,
            http: reqwest::Client::new(),
        }
    }

    /// A connection as the next start would make it: another core on the same data
    /// folder, with its own handle on the caches.
    pub async fn reopen(&self) -> Arc<Connection> {
        connect(&self.host, self.dir.path()).await.1
    }

    /// Makes the next requests to `/api/*` fail as `fault` says.
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

    /// An end user's login: `Ok` or the host's error code.
    pub async fn login(&self, handle: &str, password: &str) -> Result<(), i64> {
        let body: Value = self
            .http
            .post(format!("{}/api/appuser/login", self.host.base_url()))
            .header("app-token", &self.app_token)
            .json(&json!({ "handle": handle, "password": cosync_client::md5_hex(password) }))
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

    /// The code the host "mailed" to `handle` with its invitation.
    pub async fn mailbox_code(&self, handle: &str) -> Value {
        let mail: Vec<Value> = self
            .http
            .get(format!("{}/emulator/mailbox", self.host.base_url()))
            .query(&[("appId", self.app_id.as_str()), ("handle", handle)])
            .header("server-secret", self.host.server_secret())
            .send()
            .await
            .expect("the mailbox answers")
            .json()
            .await
            .expect("the mailbox answers JSON");
        mail.iter()
            .find(|item| item["kind"] == "invite")
            .map(|item| item["code"].clone())
            .expect("an invitation was mailed")
    }

    /// The invitee accepts: the end-user `register` route.
    pub async fn register(&self, handle: &str, password: &str, code: Value) {
        let body: Value = self
            .http
            .post(format!("{}/api/appuser/register", self.host.base_url()))
            .header("app-token", &self.app_token)
            .json(&json!({ "handle": handle, "password": cosync_client::md5_hex(password), "code": code }))
            .send()
            .await
            .expect("the emulator answers")
            .json()
            .await
            .expect("register answers JSON");
        assert!(
            body.get("access-token").is_some(),
            "register failed: {body}"
        );
    }

    pub async fn sync(&self) -> gatehouse_core::Result<gatehouse_core::SyncReport> {
        self.conn
            .sync(
                &self.app_id,
                |_| {},
                &gatehouse_core::CancellationToken::new(),
            )
            .await
    }

    /// Everything the cache answers, as text: the comparison of "before" and "after".
    pub async fn snapshot(&self) -> String {
        let all = usize::MAX;
        let users = self
            .conn
            .query_users(
                &self.app_id,
                UserQuery {
                    limit: all,
                    ..UserQuery::default()
                },
            )
            .await
            .unwrap();
        let invites = self
            .conn
            .query_invites(
                &self.app_id,
                InviteQuery {
                    limit: all,
                    ..InviteQuery::default()
                },
            )
            .await
            .unwrap();
        let signups = self
            .conn
            .query_signups(
                &self.app_id,
                SignupQuery {
                    limit: all,
                    ..SignupQuery::default()
                },
            )
            .await
            .unwrap();
        let times = self.conn.sync_times(&self.app_id).await.unwrap();
        format!("{users:?}\n{invites:?}\n{signups:?}\n{times:?}")
    }

    pub async fn handles(&self, text: &str) -> Vec<String> {
        let query = UserQuery {
            text: text.to_owned(),
            limit: usize::MAX,
            ..UserQuery::default()
        };
        let window = self.conn.query_users(&self.app_id, query).await.unwrap();
        window.rows.into_iter().map(|r| r.user.handle).collect()
    }
}

/// Core over `dir`, connected to `host` through the scripted start (no keyring).
async fn connect(host: &RunningHost, dir: &Path) -> (Gatehouse, Arc<Connection>) {
    // Short limits so that latency faults are quick; one attempt so that one injected
    // failure is one failed read; small pages, so that a fault can land in the middle of
    // a list.
    let core = Gatehouse::new(dir).with_timing(HostTiming {
        silence_limit: Duration::from_secs(1),
        read_attempts: 1,
        page_size: 40,
    });
    let start = ScriptedStart::for_host(host.base_url(), host.server_secret());
    let entry = core.apply_scripted(&start).unwrap().expect("a host");
    let conn = core.connect_entry(entry).await.unwrap();
    (core, conn)
}

/// Every byte of every file under `dir` (recursively).
pub fn all_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_bytes(&path));
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
