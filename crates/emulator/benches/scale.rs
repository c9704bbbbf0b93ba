//! Scale benchmark of issue 3 §7: seed 1,000,000 users, then time `stat` pages and
//! `searchUser` over HTTP against a host serving that data folder.
//!
//! `cargo bench -p cosync-emulator --bench scale` (set `SCALE_USERS` for a smaller run).

use std::time::{Duration, Instant};

use cosync_emulator::{Config, SeedOptions, Storage};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn time_get(
    http: &reqwest::Client,
    url: &str,
    secret: &str,
    runs: usize,
) -> (Duration, Duration, serde_json::Value) {
    let mut times = Vec::new();
    let mut last = serde_json::Value::Null;
    for _ in 0..runs {
        let started = Instant::now();
        let resp = http
            .get(url)
            .header("server-secret", secret)
            .send()
            .await
            .expect("request");
        last = resp.json().await.expect("JSON");
        times.push(started.elapsed());
    }
    let worst = *times.iter().max().expect("runs");
    (median(times), worst, last)
}

#[tokio::main]
async fn main() {
    let users: u64 = std::env::var("SCALE_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = SeedOptions {
        app: "Scale".into(),
        users,
        invites: 10_000,
        signups: 10_000,
        seed: 1,
    };
    let started = Instant::now();
    let report = cosync_emulator::seed_dir(dir.path(), &opts).expect("seed");
    let seed_time = started.elapsed();
    println!(
        "seed: {} users, {} invites, {} signups in {:.2} s",
        report.users,
        report.invites,
        report.signups,
        seed_time.as_secs_f64()
    );

    let started = Instant::now();
    let host = cosync_emulator::start(Config {
        port: 0,
        storage: Storage::Dir(dir.path().into()),
        demo: false,
    })
    .await
    .expect("start");
    println!("start on the seeded folder: {}", ms(started.elapsed()));
    let http = reqwest::Client::new();
    let secret = host.server_secret().to_owned();
    let base = host.base_url().to_owned();
    let id = report.app_id.clone();
    let pages = report.users.div_ceil(1000);
    for page in [0, pages / 2, pages.saturating_sub(1)] {
        let url = format!("{base}/api/app/stat?appId={id}&target=users&offset={page}&limit=1000");
        let (med, worst, body) = time_get(&http, &url, &secret, 9).await;
        let rows = body["users"].as_array().map_or(0, Vec::len);
        println!(
            "stat users page {page} (1000 rows, got {rows}): median {}, worst {}",
            ms(med),
            ms(worst)
        );
    }
    for value in [r"anna\.smith12345", "^zoe", "garcia9999"] {
        let url = format!(
            "{base}/api/app/searchUser?appId={id}&value={}",
            urlencode(value)
        );
        let (med, worst, body) = time_get(&http, &url, &secret, 5).await;
        let hits = body.as_array().map_or(0, Vec::len);
        println!(
            "searchUser {value:?} ({hits} hits): median {}, worst {}",
            ms(med),
            ms(worst)
        );
    }
    // Adding a user makes the kept anchors and names stale: the next deep page and the
    // next search rebuild them.
    let added = http
        .post(format!("{base}/api/app/addUser"))
        .header("server-secret", &secret)
        .json(
            &serde_json::json!({"appId": id, "handle": "late@example.com",
            "password": cosync_emulator::md5_hex("pw")}),
        )
        .send()
        .await
        .expect("addUser");
    assert!(added.status().is_success());
    let url = format!(
        "{base}/api/app/stat?appId={id}&target=users&offset={}&limit=1000",
        pages / 2
    );
    let (first, _, _) = time_get(&http, &url, &secret, 1).await;
    println!(
        "stat users page {} right after addUser: {}",
        pages / 2,
        ms(first)
    );
    let url = format!("{base}/api/app/searchUser?appId={id}&value=late");
    let (first, _, _) = time_get(&http, &url, &secret, 1).await;
    println!("searchUser \"late\" right after addUser: {}", ms(first));
    host.shutdown().await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
