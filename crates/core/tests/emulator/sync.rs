//! Sync: counts, search, faults, cancel, and what reaches the disk.

use gatehouse_core::{CancellationToken, Sensitive, UserQuery};
use serde_json::json;

use crate::support::{Fixture, all_bytes, contains};

#[tokio::test]
async fn sync_then_query_answers_every_list_with_progress() {
    let fx = Fixture::start(120).await;
    let seen = std::sync::Mutex::new(Vec::new());
    let report = fx
        .conn
        .sync(
            &fx.app_id,
            |p| seen.lock().unwrap().push(p),
            &CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(report.users, 120, "every seeded user arrives once");
    assert_eq!(report.invites, 10);
    let last = *seen.lock().unwrap().last().expect("progress was reported");
    // Seeding gives every user who did not sign up or accept an invite an admin signup.
    assert_eq!(report.signups as u64, last.signups.total);
    assert!(report.signups > 10);
    assert_eq!((last.users.fetched, last.users.total), (120, 120));
    let window = fx
        .conn
        .query_users(
            &fx.app_id,
            UserQuery {
                limit: 25,
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (window.total, window.matching, window.rows.len()),
        (120, 120, 25)
    );
    let times = fx.conn.sync_times(&fx.app_id).await.unwrap();
    assert!(
        times.oldest().is_some(),
        "each list's sync time is recorded"
    );
}

#[tokio::test]
async fn a_search_for_bob_plus_tag_is_literal() {
    let fx = Fixture::start(30).await;
    let pw = Sensitive::new("a-Str0ng-password".to_owned());
    // On the host `bob+tag@` is a regex matching the two look-alikes too.
    for handle in [
        "bob+tag@example.com",
        "bobtag@example.com",
        "bobbtag@example.com",
    ] {
        fx.conn
            .add_user(&fx.app_id, handle, &pw, None)
            .await
            .unwrap();
    }
    fx.sync().await.unwrap();
    assert_eq!(fx.handles("bob+tag@").await, ["bob+tag@example.com"]);
    assert_eq!(
        fx.handles("BOB+TAG@").await,
        ["bob+tag@example.com"],
        "case-insensitive"
    );
}

#[tokio::test]
async fn every_fault_during_a_sync_is_typed_and_leaves_the_cache_as_it_was() {
    let fx = Fixture::start(60).await;
    fx.sync().await.unwrap();
    // A change on the host that a successful sync would bring in.
    let pw = Sensitive::new("another-password".to_owned());
    let before = fx.snapshot().await;
    let faults = [
        (json!({"count": 50, "status": 503}), "http_status"),
        (json!({"count": 50, "body": "malformed"}), "decode"),
        (json!({"count": 50, "body": "wrongShape"}), "wrong_shape"),
        (json!({"count": 50, "latencyMs": 2500}), "timeout"),
        (json!({"count": 50, "dropAfterBytes": 40}), "interrupted"),
    ];
    let mut added = false;
    for (fault, code) in faults {
        if !added {
            fx.conn
                .add_user(&fx.app_id, "newcomer@example.com", &pw, None)
                .await
                .unwrap();
            // The add updated the cache; that is the state a failed sync must keep.
            added = true;
        }
        let before = fx.snapshot().await;
        fx.inject(fault.clone()).await;
        let err = fx.sync().await.expect_err("a faulty host fails the sync");
        fx.clear_faults().await;
        assert_eq!(err.code(), code, "{fault}: {err}");
        assert_eq!(
            fx.snapshot().await,
            before,
            "{fault} left the cache untouched"
        );
        // The message is for a person and never carries the secret.
        assert!(!err.to_string().contains(fx.host.server_secret()));
    }
    assert_ne!(
        before,
        fx.snapshot().await,
        "the add itself did change the cache"
    );
    fx.sync()
        .await
        .expect("the next sync after the faults works");
}

#[tokio::test]
async fn a_cancelled_sync_changes_nothing() {
    let fx = Fixture::start(40).await;
    fx.sync().await.unwrap();
    let before = fx.snapshot().await;
    let cancel = CancellationToken::new();
    cancel.cancel();
    let err = fx.conn.sync(&fx.app_id, |_| {}, &cancel).await.unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert_eq!(fx.snapshot().await, before);
    fx.sync()
        .await
        .expect("a cancelled sync does not block the next");
}

#[tokio::test]
async fn no_secret_reaches_the_data_folder() {
    let fx = Fixture::start(80).await;
    fx.sync().await.unwrap();
    let mut export = Vec::new();
    fx.conn
        .export_users(
            &fx.app_id,
            UserQuery::default(),
            gatehouse_core::ExportFormat::Json,
            &mut export,
        )
        .await
        .unwrap();
    let hosts = fx.core.hosts().unwrap();
    assert_eq!(
        hosts.len(),
        1,
        "the scripted host is listed for later starts"
    );
    let mut files = all_bytes(fx.dir.path());
    assert!(files.iter().any(|(p, _)| p.ends_with("hosts.json")));
    assert!(
        files.iter().any(|(p, _)| p.ends_with(".sqlite")),
        "the cache was written"
    );
    files.push(("export".into(), export));
    let secret = fx.host.server_secret().as_bytes();
    for (path, bytes) in &files {
        assert!(!contains(bytes, secret), "{path} holds the server secret");
        for field in ["googleSecretKey", "phoneCode", "twoFactorCode"] {
            assert!(!contains(bytes, field.as_bytes()), "{path} holds {field}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn first_uses_of_a_new_cache_at_once_do_not_race() {
    let fx = Fixture::start(30).await;
    let query = || gatehouse_core::UserQuery {
        limit: 10,
        ..Default::default()
    };
    // The window's first moments: rows, counts, sync times and a sync, all at once.
    let (rows, counts, times, synced) = tokio::join!(
        fx.conn.query_users(&fx.app_id, query()),
        fx.conn.query_users(
            &fx.app_id,
            gatehouse_core::UserQuery {
                limit: 0,
                ..Default::default()
            }
        ),
        fx.conn.sync_times(&fx.app_id),
        fx.sync(),
    );
    rows.expect("rows while the cache is first opened");
    counts.expect("counts while the cache is first opened");
    times.expect("sync times while the cache is first opened");
    assert_eq!(synced.expect("the first sync").users, 30);
}
