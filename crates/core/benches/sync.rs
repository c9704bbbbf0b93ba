//! Full sync of one app from the emulator on loopback, through `Connection::sync`.
//!
//! `cargo bench -p gatehouse-core --bench sync`; `GATEHOUSE_BENCH_USERS=N` for another
//! size, `GATEHOUSE_BENCH_RUNS=N` for more or fewer syncs.
//!
//! The first sync fills an empty cache; the later ones re-sync over the snapshot it left.
//! Each sync is split at its last progress report: before it, the three lists are paged
//! in, decoded, and staged as they arrive; after it, the last pages are staged, swapped
//! in and indexed. Two
//! fetch-only passes then divide the first part: the client alone (paging + JSON
//! decoding) and the same pages read as raw bytes (the host and the transfer).

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cosync_client::{HostClient, HostConfig, ServerSecret};
use cosync_emulator::{Config, RunningHost, SeedOptions, Storage};
use gatehouse_core::{CancellationToken, Gatehouse, Sensitive};

// The allocator the app and the command line use (see their `main`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The full sync's target: 5 s at 100,000 users (this bench's first), 20 s at a million (issue 15).
fn target(users: u64) -> Duration {
    Duration::from_secs(if users >= 1_000_000 { 20 } else { 5 })
}
const PAGE: u64 = 1000;
const IN_FLIGHT: u64 = 4;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// min / median / max.
fn spread(mut times: Vec<Duration>) -> String {
    times.sort_unstable();
    format!(
        "{} / {} / {}",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    )
}

#[cfg(target_os = "linux")]
fn status_mb(field: &str) -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse::<u64>()
        .ok()
        .map(|kb| kb / 1024)
}

#[cfg(not(target_os = "linux"))]
fn status_mb(_field: &str) -> Option<u64> {
    None
}

fn memory(label: &str) {
    match (status_mb("VmHWM:"), status_mb("VmRSS:")) {
        (Some(peak), Some(now)) => println!("{label}: peak RSS (VmHWM) {peak} MB, RSS {now} MB"),
        _ => println!("{label}: RSS not available on this system"),
    }
}

/// The database with its WAL and shared-memory files.
fn cache_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Every page of the three lists as bytes, `IN_FLIGHT` at a time per list, as the
/// client pages them: what the host and loopback cost without any decoding.
async fn raw_fetch(
    host: &RunningHost,
    app_id: &str,
    counts: &[(&'static str, u64)],
    in_flight: u64,
) -> (Duration, u64) {
    let http = reqwest::Client::new();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for &(target, count) in counts {
        let pages = count.div_ceil(PAGE).max(1);
        for lane in 0..in_flight {
            let http = http.clone();
            let url = format!("{}/api/app/stat", host.base_url());
            let secret = host.server_secret().to_owned();
            let app_id = app_id.to_owned();
            tasks.push(tokio::spawn(async move {
                let mut bytes = 0u64;
                for page in (lane..pages).step_by(in_flight as usize) {
                    let body = raw_page(&http, &url, &secret, &app_id, target, page).await;
                    bytes += body.as_ref().len() as u64;
                }
                bytes
            }));
        }
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.expect("the task finishes");
    }
    (started.elapsed(), total)
}

/// One page of a list as the host sends it, undecoded.
async fn raw_page(
    http: &reqwest::Client,
    url: &str,
    secret: &str,
    app_id: &str,
    target: &str,
    page: u64,
) -> impl AsRef<[u8]> + use<> {
    http.get(url)
        .header("server-secret", secret)
        .query(&[
            ("appId", app_id),
            ("target", target),
            ("offset", &page.to_string()),
            ("limit", &PAGE.to_string()),
            ("hideAnonUser", "false"),
        ])
        .send()
        .await
        .expect("the emulator answers")
        .bytes()
        .await
        .expect("a whole answer")
}

/// The users' pages read as bytes, then decoded the way the client decodes an answer.
async fn decode_users(host: &RunningHost, app_id: &str, users: u64) -> (Duration, usize) {
    let http = reqwest::Client::new();
    let mut bodies = Vec::new();
    let url = format!("{}/api/app/stat", host.base_url());
    for page in 0..users.div_ceil(PAGE) {
        let body = raw_page(&http, &url, host.server_secret(), app_id, "users", page).await;
        bodies.push(body);
    }
    let started = Instant::now();
    let mut records = 0;
    for body in &bodies {
        let value: serde_json::Value = serde_json::from_slice(body.as_ref()).expect("JSON");
        let page: cosync_client::UsersPage = serde_json::from_value(value).expect("a users page");
        records += page.users.len();
    }
    (started.elapsed(), records)
}

#[tokio::main]
async fn main() {
    let users = env_u64("GATEHOUSE_BENCH_USERS", 100_000);
    let runs = env_u64("GATEHOUSE_BENCH_RUNS", 5).max(1);
    let (invites, signups) = (10_000, 10_000);

    let host = cosync_emulator::start(Config {
        port: 0,
        storage: Storage::Memory,
        demo: false,
    })
    .await
    .expect("the emulator starts");
    let started = Instant::now();
    let seeded = host
        .seed(SeedOptions {
            app: "Bench".into(),
            users,
            invites,
            signups,
            seed: 1,
        })
        .await
        .expect("seeding works");
    println!(
        "seeded {users} users, {invites} invites, {signups} signups in {}",
        ms(started.elapsed())
    );
    memory("after seeding");

    let data = tempfile::tempdir().expect("a temporary folder");
    let core = Gatehouse::new(data.path());
    let entry = core
        .upsert_demo_host(
            host.base_url(),
            Sensitive::new(host.server_secret().to_owned()),
        )
        .expect("the host is saved");
    let cache_dir = core.cache_dir(&entry.id);
    let conn = core.connect(&entry.id).await.expect("connected");
    let app_id = seeded.app_id.as_str();

    // The host keeps a signup record for each user an admin created, so its signup
    // list is longer than the seeded signups.
    let mut lists = (0, 0, 0);
    let mut totals = Vec::new();
    let mut fetches = Vec::new();
    let mut stores = Vec::new();
    let mut feeds = Vec::new();
    for run in 0..runs {
        let last_report = Mutex::new(None);
        let started = Instant::now();
        let report = conn
            .sync(
                app_id,
                |_| *last_report.lock().unwrap() = Some(Instant::now()),
                &CancellationToken::new(),
            )
            .await
            .expect("the sync succeeds");
        let total = started.elapsed();
        let fetched = last_report
            .into_inner()
            .unwrap()
            .map_or(total, |at| at - started);
        assert_eq!(report.users, users as usize, "every user arrived");
        lists = (report.users, report.invites, report.signups);
        let kind = if run == 0 {
            "into an empty cache"
        } else {
            "re-sync"
        };
        println!(
            "sync {} ({kind}): {} (to the last page {}, after it {})",
            run + 1,
            ms(total),
            ms(fetched),
            ms(total - fetched)
        );
        memory("  after it");
        if run > 0 {
            let history = report
                .history
                .as_ref()
                .expect("the change feed is recorded");
            feeds.push(history.took);
        }
        totals.push(total);
        fetches.push(fetched);
        stores.push(total - fetched);
    }
    println!(
        "lists synced: {} users, {} invites, {} signups (host's counts)",
        lists.0, lists.1, lists.2
    );
    memory("after the syncs");
    let size = cache_bytes(&cache_dir);
    println!(
        "cache on disk (file + WAL + shm): {:.1} MB",
        size as f64 / 1e6
    );

    let client = HostClient::new(HostConfig::new(
        host.base_url(),
        ServerSecret::new(host.server_secret()),
    ))
    .expect("a client");
    let cancel = CancellationToken::new();
    let mut client_only = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let (u, i, s) = tokio::try_join!(
            client.fetch_all::<cosync_client::User>(app_id, |_| {}, &cancel),
            client.fetch_all::<cosync_client::Invite>(app_id, |_| {}, &cancel),
            client.fetch_all::<cosync_client::Signup>(app_id, |_| {}, &cancel),
        )
        .expect("the lists arrive");
        client_only.push(started.elapsed());
        assert_eq!((u.len(), i.len(), s.len()), lists);
    }
    let counts = [
        ("users", lists.0 as u64),
        ("invites", lists.1 as u64),
        ("signups", lists.2 as u64),
    ];
    let mut raw = Vec::new();
    let mut raw_bytes = 0;
    for _ in 0..runs {
        let (took, bytes) = raw_fetch(&host, app_id, &counts, IN_FLIGHT).await;
        raw.push(took);
        raw_bytes = bytes;
    }

    println!();
    println!("min / median / max over {runs} runs:");
    println!(
        "  full sync:                               {}",
        spread(totals.clone())
    );
    println!(
        "  first sync (empty cache):                {}",
        ms(totals[0])
    );
    if totals.len() > 1 {
        println!(
            "  re-syncs:                                {}",
            spread(totals[1..].to_vec())
        );
    }
    println!(
        "  in the sync, to the last page:           {}",
        spread(fetches)
    );
    println!(
        "  in the sync, after the last page:        {}",
        spread(stores)
    );
    if !feeds.is_empty() {
        println!(
            "  change feed in a re-sync (compare, record): {}",
            spread(feeds)
        );
    }
    println!(
        "  client fetch alone (paging + decoding):  {}",
        spread(client_only)
    );
    println!(
        "  raw pages alone (host + loopback, {:.1} MB): {}",
        raw_bytes as f64 / 1e6,
        spread(raw)
    );
    println!("  raw pages, one list and one page at a time:");
    for list in counts {
        let (took, bytes) = raw_fetch(&host, app_id, &[list], 1).await;
        let pages = list.1.div_ceil(PAGE).max(1);
        println!(
            "    {:8} {} for {pages} pages ({:.1} ms a page, {:.1} MB)",
            list.0,
            ms(took),
            took.as_secs_f64() * 1000.0 / pages as f64,
            bytes as f64 / 1e6
        );
    }
    let (decode, records) = decode_users(&host, app_id, lists.0 as u64).await;
    println!(
        "  decoding the {records} users' pages as the client does (JSON value, then typed), one thread: {}",
        ms(decode)
    );
    memory("at the end");
    let mut sorted = totals;
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    let target = target(users);
    println!(
        "target ≤ {}: {}",
        ms(target),
        if median <= target {
            "met (median)"
        } else {
            "MISSED (median)"
        }
    );
    host.shutdown().await;
}
