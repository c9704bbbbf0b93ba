//! Whole-list fetches: every record exactly once, progress, cancellation, faults.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cosync_client::{CancellationToken, ClientError, Progress};
use cosync_emulator::SeedOptions;
use serde_json::json;

use crate::support::{Fixture, no_retry};

fn small_pages(config: &mut cosync_client::HostConfig) {
    config.page_size = 100;
    config.pages_in_flight = 4;
}

#[tokio::test]
async fn every_user_invite_and_signup_arrives_exactly_once() {
    let fx = Fixture::start().await;
    let report = fx
        .host
        .seed(SeedOptions {
            app: "Big".into(),
            users: 1234,
            invites: 321,
            signups: 210,
            seed: 7,
        })
        .await
        .unwrap();
    let id = report.app_id.as_str();
    let client = fx.client_with(small_pages);
    let cancel = CancellationToken::new();

    let reports = Mutex::new(Vec::<Progress>::new());
    let users = client
        .fetch_all::<cosync_client::User>(id, |p| reports.lock().unwrap().push(p), &cancel)
        .await
        .unwrap();
    let total = client
        .users_page(id, 0, 25, false)
        .await
        .unwrap()
        .total_user;
    assert_eq!(users.len() as u64, total);
    let ids: HashSet<&str> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids.len(), users.len(), "no user twice");
    let reports = reports.into_inner().unwrap();
    assert_eq!(
        reports.len(),
        14,
        "one progress report per page of 100, and one for the count read at the end"
    );
    assert_eq!(
        reports.last(),
        Some(&Progress {
            fetched: total,
            total
        })
    );
    // Newest first across pages, as the host orders them.
    assert!(users.windows(2).all(|w| w[0].created_at >= w[1].created_at));

    let invites = client
        .fetch_all::<cosync_client::Invite>(id, |_| {}, &cancel)
        .await
        .unwrap();
    let page = client.invites_page(id, 0, 25).await.unwrap();
    assert_eq!(invites.len() as u64, page.total_invite);
    assert_eq!(
        invites.iter().map(|i| &i.id).collect::<HashSet<_>>().len(),
        invites.len()
    );

    let signups = client
        .fetch_all::<cosync_client::Signup>(id, |_| {}, &cancel)
        .await
        .unwrap();
    let page = client.signups_page(id, 0, 25).await.unwrap();
    assert_eq!(signups.len() as u64, page.total_signup);
    assert_eq!(
        signups.iter().map(|s| &s.id).collect::<HashSet<_>>().len(),
        signups.len()
    );
}

#[tokio::test]
async fn anonymous_users_are_included() {
    let fx = Fixture::start().await;
    let report = fx.host.seed(SeedOptions::new("Anon", 40)).await.unwrap();
    let client = fx.client_with(small_pages);
    let users = client
        .fetch_all::<cosync_client::User>(&report.app_id, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let page = client
        .users_page(&report.app_id, 0, 25, false)
        .await
        .unwrap();
    assert_eq!(users.len() as u64, page.total_user);
    let anonymous = users.iter().filter(|u| u.is_anonymous()).count() as u64;
    assert_eq!(anonymous, page.total_anon_user);
}

#[tokio::test]
async fn cancel_ends_a_fetch_promptly() {
    let fx = Fixture::start().await;
    let report = fx.host.seed(SeedOptions::new("Slow", 300)).await.unwrap();
    let client = fx.client_with(small_pages);

    let cancelled = CancellationToken::new();
    cancelled.cancel();
    let err = client
        .fetch_all::<cosync_client::User>(&report.app_id, |_| {}, &cancelled)
        .await
        .unwrap_err();
    assert_eq!(err, ClientError::Cancelled);

    fx.inject(json!({"latencyMs": 5000, "count": 100})).await;
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let err = client
        .fetch_all::<cosync_client::User>(&report.app_id, |_| {}, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err, ClientError::Cancelled);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "not after the slow pages"
    );
    fx.clear_faults().await;
}

#[tokio::test]
async fn a_fault_fails_the_whole_fetch() {
    let fx = Fixture::start().await;
    let report = fx.host.seed(SeedOptions::new("Faulty", 500)).await.unwrap();
    let client = fx.client_with(|c| {
        small_pages(c);
        no_retry(c);
    });
    let cancel = CancellationToken::new();
    for (fault, expected) in [
        (json!({"dropAfterBytes": 40}), "interrupted"),
        (json!({"body": "malformed"}), "decode"),
        (json!({"body": "wrongShape"}), "wrong_shape"),
        (json!({"status": 503}), "unavailable"),
    ] {
        fx.inject(fault.clone()).await;
        let err = client
            .fetch_all::<cosync_client::User>(&report.app_id, |_| {}, &cancel)
            .await
            .unwrap_err();
        assert_eq!(err.code(), expected, "{fault}: {err}");
    }
    // With the default retries a single transport fault does not fail a fetch.
    let retrying = fx.client_with(small_pages);
    fx.inject(json!({"dropAfterBytes": 40})).await;
    let users = retrying
        .fetch_all::<cosync_client::User>(&report.app_id, |_| {}, &cancel)
        .await
        .unwrap();
    assert!(!users.is_empty());
}
