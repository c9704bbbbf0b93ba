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
        (json!({"count": 50, "status": 500}), "http_status"),
        (json!({"count": 50, "status": 503}), "unavailable"),
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

/// Every handle the cache holds, sorted.
async fn cached_handles(fx: &Fixture) -> Vec<String> {
    let mut handles = fx.handles("").await;
    handles.sort();
    handles
}

#[tokio::test]
async fn a_fault_in_the_middle_of_a_list_fails_the_sync_in_words_and_keeps_the_cache() {
    let fx = Fixture::start(140).await;
    fx.sync().await.unwrap();
    let pw = Sensitive::new("another-password".to_owned());
    fx.conn
        .add_user(&fx.app_id, "late@example.com", &pw, None)
        .await
        .unwrap();
    // Two pages of 40 go through, then the host fails the rest of the list.
    let faults = [
        (json!({"status": 503}), "host unreachable"),
        (json!({"status": 500}), "HTTP 500"),
        (json!({"body": "malformed"}), "could not be read"),
        (json!({"body": "wrongShape"}), "is this a Cosync JWT host"),
        (json!({"latencyMs": 2500}), "no answer for 1 s"),
        (
            json!({"dropAfterBytes": 40}),
            "lost before the answer was complete",
        ),
    ];
    for (fault, words) in faults {
        let before = fx.snapshot().await;
        let mut armed = fault.clone();
        armed["after"] = json!(2);
        armed["count"] = json!(100);
        armed["path"] = json!("/api/app/stat");
        armed["query"] = json!("target=users");
        fx.inject(armed).await;
        let err = fx
            .sync()
            .await
            .expect_err("a fault mid-list fails the sync");
        fx.clear_faults().await;
        assert!(err.to_string().contains(words), "{fault}: {err}");
        assert_eq!(
            fx.snapshot().await,
            before,
            "{fault} left the cache as it was"
        );
    }
    let report = fx.sync().await.expect("the host is well again");
    assert_eq!(report.users, 141);
}

#[tokio::test]
async fn a_host_that_caps_its_pages_still_yields_every_record() {
    let fx = Fixture::start(130).await;
    // Asked for 40 a page, the host (or a proxy) answers at most 30.
    fx.inject(json!({"pageCap": 30, "count": 10_000, "path": "/api/app/stat"}))
        .await;
    let capped = fx.sync().await.expect("a capped host is paged at its size");
    fx.clear_faults().await;
    let through_cap = cached_handles(&fx).await;
    let full = fx.sync().await.unwrap();
    assert_eq!(
        (capped.users, capped.invites, capped.signups),
        (full.users, full.invites, full.signups)
    );
    assert_eq!(capped.users, 130);
    assert_eq!(through_cap, cached_handles(&fx).await, "the same users");
}

#[tokio::test]
async fn a_host_that_changes_during_a_sync_is_read_again_until_the_copy_is_whole() {
    let fx = Fixture::start(120).await;
    fx.sync().await.unwrap();
    // While the third page of users is asked for, another admin deletes the 5 newest
    // users (read already) and adds 5 (in front of what was read): the first read
    // cannot be whole.
    fx.inject(json!({
        "after": 2, "count": 1, "path": "/api/app/stat", "query": "target=users",
        "churn": {"add": 5, "remove": 5}
    }))
    .await;
    let report = fx.sync().await.expect("the second read is whole");
    fx.clear_faults().await;
    assert_eq!(report.users, 120);
    let after_churn = cached_handles(&fx).await;
    assert_eq!(
        after_churn
            .iter()
            .filter(|h| h.starts_with("churn-"))
            .count(),
        5,
        "the users added meanwhile are in"
    );
    // A plain sync now must find exactly what the committed copy holds.
    fx.sync().await.unwrap();
    assert_eq!(
        after_churn,
        cached_handles(&fx).await,
        "the copy equals the host"
    );
}

#[tokio::test]
async fn a_host_that_keeps_changing_fails_the_sync_and_says_so() {
    let fx = Fixture::start(120).await;
    fx.sync().await.unwrap();
    let before = fx.snapshot().await;
    // Every second page of users, one user comes and one goes: no read is ever whole.
    fx.inject(json!({
        "after": 1, "count": 10_000, "path": "/api/app/stat", "query": "target=users",
        "churn": {"add": 1, "remove": 1}
    }))
    .await;
    let err = fx.sync().await.expect_err("never consistent");
    fx.clear_faults().await;
    assert_eq!(err.code(), "incomplete", "{err}");
    // Users come and go, and so do their signup records: either list may say it.
    assert!(
        err.to_string()
            .contains("kept changing while they were read"),
        "{err}"
    );
    assert_eq!(fx.snapshot().await, before, "nothing was committed");
}

#[tokio::test]
async fn an_unreadable_record_is_left_out_named_and_does_not_block_the_sync() {
    // Fewer users than a page: the one page of users carries the broken record.
    let fx = Fixture::start(20).await;
    fx.inject(json!({
        "count": 1, "path": "/api/app/stat", "query": "target=users",
        "body": "unreadableRecord"
    }))
    .await;
    let report = fx.sync().await.expect("the rest of the list is kept");
    fx.clear_faults().await;
    assert_eq!(report.users, 19);
    assert_eq!(report.unreadable.len(), 1, "{:?}", report.unreadable);
    assert_eq!(report.unreadable[0].list, "users");
    assert!(!report.unreadable[0].detail.is_empty());
    assert_eq!(fx.sync().await.unwrap().users, 20, "the next sync reads it");
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
    let exported = tempfile::tempdir().unwrap();
    let path = exported.path().join("users.json");
    fx.conn
        .export_users(
            &fx.app_id,
            UserQuery::default(),
            gatehouse_core::ExportFormat::Json,
            path.clone(),
        )
        .await
        .unwrap();
    let export = std::fs::read(&path).unwrap();
    let nowhere = exported.path().join("no-such-folder").join("users.csv");
    let error = (fx.conn)
        .export_users(
            &fx.app_id,
            UserQuery::default(),
            gatehouse_core::ExportFormat::Csv,
            nowhere.clone(),
        )
        .await
        .expect_err("a folder that is not there cannot take the file");
    assert!(
        error.to_string().contains(&nowhere.display().to_string()),
        "the failure names the file: {error}"
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_syncing_one_app_at_once_leave_a_whole_copy() {
    let fx = Fixture::start(150).await;
    // The window's core and the CLI's, each with its own handle on the cache file, which
    // neither has opened yet: they create it at once, too.
    let other = fx.reopen().await;
    let cancel = CancellationToken::new();
    let (mine, theirs) = tokio::join!(
        fx.conn.sync(&fx.app_id, |_| {}, &cancel),
        other.sync(&fx.app_id, |_| {}, &cancel),
    );
    assert_eq!(mine.expect("the window's sync").users, 150);
    assert_eq!(theirs.expect("the CLI's sync").users, 150);
    // Whichever swapped in last, each handle sees one whole copy once it refreshes.
    let writes = fx.conn.refresh(&fx.app_id).await.unwrap();
    assert_eq!(other.refresh(&fx.app_id).await.unwrap(), writes, "one file");
    let handles = cached_handles(&fx).await;
    assert_eq!(handles.len(), 150);
    let window = other
        .query_users(
            &fx.app_id,
            UserQuery {
                limit: usize::MAX,
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    let mut theirs: Vec<String> = window.rows.into_iter().map(|r| r.user.handle).collect();
    theirs.sort();
    assert_eq!(handles, theirs);
}
