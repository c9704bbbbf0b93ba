//! The emulator's own interface: faults, mailbox guard, persistence, seeding.

mod common;

use std::io::Read;
use std::net::TcpStream;

use common::{Enc, Host, assert_code};
use cosync_emulator::{Config, SeedOptions, Storage};
use reqwest::Method;
use serde_json::json;

async fn fault(h: &Host, body: serde_json::Value) {
    assert_eq!(
        h.admin_post("/emulator/faults", Enc::Json, body).await,
        (200, json!(true))
    );
}

#[tokio::test]
async fn status_faults_fail_exactly_the_requested_requests() {
    let h = Host::start().await;
    fault(&h, json!({"count": 2, "status": 500})).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(h.admin_get("/api/app/connection", &[]).await);
    }
    assert_eq!(
        statuses,
        [
            (500, serde_json::Value::Null),
            (500, serde_json::Value::Null),
            (200, json!(true)),
            (200, json!(true))
        ]
    );
    fault(&h, json!({})).await;
    assert_eq!(
        h.admin_get("/api/app/connection", &[]).await.0,
        503,
        "default status"
    );
    assert_eq!(
        h.admin_get("/api/app/connection", &[]).await.0,
        200,
        "default count is one"
    );
    h.admin_post(
        "/emulator/faults",
        Enc::Form,
        json!({"count": "5", "status": "502"}),
    )
    .await;
    assert_eq!(
        h.mailbox("x", "y").await.len(),
        0,
        "emulator routes are not faulted"
    );
    assert_eq!(h.admin_get("/api/app/connection", &[]).await.0, 502);
    let secret = h.secret();
    assert_eq!(
        h.send(
            Method::DELETE,
            "/emulator/faults",
            &[("server-secret", &secret)],
            Enc::Json,
            None
        )
        .await,
        (200, json!(true))
    );
    assert_eq!(
        h.admin_get("/api/app/connection", &[]).await.0,
        200,
        "cleared"
    );
}

#[tokio::test]
async fn body_faults_break_the_shape() {
    let h = Host::start().await;
    fault(&h, json!({"body": "malformed"})).await;
    let url = format!("{}/api/app/allApps", h.host.base_url());
    let resp = h
        .http
        .get(&url)
        .header("server-secret", h.secret())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "truncated JSON: {text}"
    );
    fault(&h, json!({"body": "wrongShape"})).await;
    assert_eq!(
        h.admin_get("/api/app/allApps", &[]).await,
        (200, json!("Service Not found"))
    );
    fault(&h, json!({"latencyMs": 300})).await;
    let started = std::time::Instant::now();
    assert_eq!(
        h.admin_get("/api/app/connection", &[]).await,
        (200, json!(true))
    );
    assert!(started.elapsed().as_millis() >= 300, "delayed");
    assert_code(
        &h.admin_post("/emulator/faults", Enc::Json, json!({"body": "weird"}))
            .await,
        602,
        "unknown body fault",
    );
}

#[tokio::test]
async fn drop_after_bytes_cuts_the_connection() {
    let h = Host::start().await;
    h.app("Dropped").await;
    fault(&h, json!({"dropAfterBytes": 5})).await;
    let addr = h.host.base_url().trim_start_matches("http://").to_owned();
    let secret = h.secret();
    let raw = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        use std::io::Write;
        write!(
            s,
            "GET /api/app/allApps HTTP/1.1\r\nHost: x\r\nserver-secret: {secret}\r\n\r\n"
        )
        .unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
    .await
    .unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("headers were sent");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("content-length");
    assert_eq!(
        body.len(),
        5,
        "exactly N body bytes, then the connection closed"
    );
    assert!(length > 5, "the announced body was longer");
    assert!(
        h.http.get(h.host.base_url()).send().await.is_ok(),
        "the host still serves"
    );
}

#[tokio::test]
async fn emulator_routes_need_the_secret() {
    let h = Host::start().await;
    let r = h
        .send(
            Method::GET,
            "/emulator/mailbox?appId=a&handle=b",
            &[],
            Enc::Json,
            None,
        )
        .await;
    assert_code(&r, 500, "mailbox without secret");
    let r = h
        .send(
            Method::POST,
            "/emulator/faults",
            &[],
            Enc::Json,
            Some(json!({})),
        )
        .await;
    assert_code(&r, 500, "faults without secret");
    assert_eq!(
        h.admin_get("/api/app/connection", &[]).await.0,
        200,
        "the refused fault was not armed"
    );
}

#[tokio::test]
async fn data_dir_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        port: 0,
        storage: Storage::Dir(dir.path().into()),
        demo: false,
    };
    let h = Host::with(config.clone()).await;
    let (id, token) = h.app("Kept").await;
    h.add_user(&id, "kept@example.com", "pw").await;
    let secret = h.secret();
    let Host { host, .. } = h;
    host.shutdown().await;
    let h = Host::with(config).await;
    assert_eq!(h.secret(), secret, "the same secret stays valid");
    assert_eq!(
        h.login(&token, "kept@example.com", "pw", Enc::Json).await.0,
        200,
        "users and app tokens survive"
    );
}

/// Paths with their permission bits.
#[cfg(unix)]
type Modes = Vec<(String, u32)>;

/// Every folder under `dir` (and `dir`) with its mode, then every file with its mode.
#[cfg(unix)]
fn modes(dir: &std::path::Path) -> (Modes, Modes) {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let mut folders = vec![(dir.display().to_string(), mode(dir))];
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let (f, g) = modes(&path);
            folders.extend(f);
            files.extend(g);
        } else {
            files.push((path.display().to_string(), mode(&path)));
        }
    }
    (folders, files)
}

#[cfg(unix)]
#[tokio::test]
async fn a_data_folder_and_its_database_are_the_owners_only() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("nested").join("demo-host");
    let seeded = std::process::Command::new(env!("CARGO_BIN_EXE_cosync-emulator"))
        .args(["seed", "--data"])
        .arg(&dir)
        .args(["--app", "Private", "--users", "20"])
        .output()
        .expect("the emulator runs");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    // Served from the same folder, with writes in flight: the WAL and shared memory
    // files exist while the host runs.
    let h = Host::with(Config {
        port: 0,
        storage: Storage::Dir(dir.clone()),
        demo: false,
    })
    .await;
    let (id, _) = h.app("Another").await;
    h.add_user(&id, "someone@example.com", "pw").await;
    let (folders, files) = modes(&dir);
    assert!(
        files.iter().any(|(name, _)| name.ends_with("-wal")),
        "{files:?}"
    );
    for (name, mode) in &folders {
        assert_eq!(*mode, 0o700, "{name}");
    }
    for (name, mode) in &files {
        assert_eq!(*mode, 0o600, "{name}");
    }
    let Host { host, .. } = h;
    host.shutdown().await;
}

#[tokio::test]
async fn seeding_is_deterministic_and_complete() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let opts = SeedOptions {
        app: "Seeded".into(),
        users: 300,
        invites: 40,
        signups: 30,
        seed: 99,
    };
    let ra = cosync_emulator::seed_dir(a.path(), &opts).unwrap();
    let rb = cosync_emulator::seed_dir(b.path(), &opts).unwrap();
    assert_eq!((ra.users, ra.invites, ra.signups), (300, 40, 30));
    let mut handles = Vec::new();
    for dir in [&a, &b] {
        let h = Host::with(Config {
            port: 0,
            storage: Storage::Dir(dir.path().into()),
            demo: false,
        })
        .await;
        let report = if handles.is_empty() { &ra } else { &rb };
        let id = &report.app_id;
        let (_, page) = h
            .admin_get(
                "/api/app/stat",
                &[("appId", id), ("target", "users"), ("limit", "300")],
            )
            .await;
        let users = page["users"].as_array().unwrap();
        let list: Vec<(String, String, Option<String>)> = users
            .iter()
            .map(|u| {
                (
                    u["handle"].as_str().unwrap().into(),
                    u["createdAt"].as_str().unwrap().into(),
                    u["lastLogin"].as_str().map(String::from),
                )
            })
            .collect();
        assert!(
            users.iter().any(|u| u["status"] == "suspend"),
            "some suspended"
        );
        assert!(
            users.iter().any(|u| u.get("lastLogin").is_none()),
            "some never logged in"
        );
        assert!(
            users
                .iter()
                .any(|u| u["handle"].as_str().unwrap().contains('+')),
            "plus-addressed"
        );
        assert!(
            users
                .iter()
                .any(|u| !u["metaData"]["name"].as_str().unwrap_or("a").is_ascii()),
            "non-ASCII names"
        );
        let (_, anyone) = h
            .admin_get("/api/app/searchUser", &[("appId", id), ("value", "@")])
            .await;
        let first = anyone[0]["handle"].as_str().unwrap().to_owned();
        let mut login = h
            .login(&report.app_token, &first, "demo-password", Enc::Json)
            .await;
        if anyone[0]["status"] == "suspend" {
            login.0 = 200;
        }
        assert_eq!(login.0, 200, "seeded password is demo-password");
        let (_, inv) = h
            .admin_get(
                "/api/app/stat",
                &[("appId", id), ("target", "invites"), ("limit", "100")],
            )
            .await;
        let accepted = inv["invites"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["status"] == "verified")
            .count();
        assert_eq!(accepted, 20, "half the invites accepted");
        let (_, sig) = h
            .admin_get(
                "/api/app/stat",
                &[("appId", id), ("target", "signups"), ("limit", "1000")],
            )
            .await;
        let signups = sig["signups"].as_array().unwrap();
        assert_eq!(
            signups.iter().filter(|s| s["status"] == "verified").count(),
            20,
            "two thirds verified"
        );
        assert_eq!(
            signups.iter().filter(|s| s["status"] == "pending").count(),
            10
        );
        assert!(
            signups.iter().filter(|s| s["code"] == 0).count() > 150,
            "the rest are admin records"
        );
        handles.push(list);
    }
    assert_eq!(handles[0], handles[1], "same seed, same data");
}

#[tokio::test]
async fn demo_creates_two_apps() {
    let h = Host::with(Config {
        port: 0,
        storage: Storage::Memory,
        demo: true,
    })
    .await;
    let (_, apps) = h.admin_get("/api/app/allApps", &[]).await;
    let apps = apps.as_array().unwrap();
    assert_eq!(apps.len(), 2);
    let jwt: Vec<bool> = apps
        .iter()
        .map(|a| a["jwtEnabled"].as_bool().unwrap())
        .collect();
    assert_eq!(jwt, [true, false]);
    assert!(!apps[0]["metaData"].as_array().unwrap().is_empty());
    let id = apps[0]["appId"].as_str().unwrap();
    let (_, page) = h
        .admin_get("/api/app/stat", &[("appId", id), ("target", "users")])
        .await;
    assert_eq!(page["totalUser"], 5000);
}
