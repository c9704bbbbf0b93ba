//! A bulk suspend of many users against the emulator on loopback, through
//! `Connection::bulk` (the path of the window's `Suspend selected` and every item's audit
//! line and journal write).
//!
//! `cargo bench -p gatehouse-core --bench bulk`; `GATEHOUSE_BENCH_USERS=N` selects how
//! many users the app has and are suspended (10,000 by default).

use std::time::Instant;

use cosync_emulator::{Config, SeedOptions, Storage};
use gatehouse_core::{BulkAction, BulkOutcome, CancellationToken, Gatehouse, Sensitive, UserQuery};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TARGET_SECS: f64 = 30.0;

#[tokio::main]
async fn main() {
    let users: u64 = std::env::var("GATEHOUSE_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let host = cosync_emulator::start(Config {
        port: 0,
        storage: Storage::Memory,
        demo: false,
    })
    .await
    .expect("the emulator starts");
    let seeded = host
        .seed(SeedOptions {
            app: "Bench".into(),
            users,
            invites: 0,
            signups: 0,
            seed: 1,
        })
        .await
        .expect("seeding works");
    let data = tempfile::tempdir().expect("a temporary folder");
    let core = Gatehouse::new(data.path());
    let entry = core
        .upsert_demo_host(
            host.base_url(),
            Sensitive::new(host.server_secret().to_owned()),
        )
        .expect("the host is saved");
    let conn = core.connect(&entry.id).await.expect("connected");
    let app = seeded.app_id.as_str();
    conn.sync(app, |_| {}, &CancellationToken::new())
        .await
        .expect("the sync succeeds");
    let ids = conn
        .matching_user_ids(app, UserQuery::default())
        .await
        .expect("the ids");
    let active = ids.len();

    let started = Instant::now();
    let items = conn
        .bulk(
            app,
            BulkAction::Suspend,
            &ids,
            |_| {},
            &CancellationToken::new(),
        )
        .await
        .expect("the bulk action runs");
    let took = started.elapsed().as_secs_f64();
    let done = items
        .iter()
        .filter(|i| i.outcome == BulkOutcome::Done)
        .count();
    let entries = core.audit_log().entries().expect("the audit log").len();
    println!(
        "bulk suspend of {active} selected users (the app's whole list): {took:.1} s; {done} suspended, the rest already were; {entries} audit entries"
    );
    println!(
        "  {:.2} ms per user, {} at a time",
        took * 1000.0 / active.max(1) as f64,
        gatehouse_core::BULK_IN_FLIGHT
    );
    let verdict = if took <= TARGET_SECS { "met" } else { "MISSED" };
    println!("target ≤ {TARGET_SECS} s for 10,000: {verdict}");
}
