//! The change feed: what a committed sync records of the changes since the one before.

mod common;

use common::{invite, signup, user};
use gatehouse_cache::{Cache, ChangeKind, ChangeQuery, Invite, Retention, Signup, User, UserQuery};
use serde_json::json;

fn sync(
    cache: &Cache,
    users: &[User],
    invites: &[Invite],
    signups: &[Signup],
) -> gatehouse_cache::SyncSummary {
    let mut staging = cache.begin_sync().unwrap();
    staging.add(users, invites, signups).unwrap();
    staging.commit().unwrap()
}

fn all(cache: &Cache, run: Option<i64>) -> Vec<(ChangeKind, String)> {
    let query = ChangeQuery {
        run,
        limit: usize::MAX,
        ..ChangeQuery::default()
    };
    let mut found: Vec<_> = cache
        .changes(&query)
        .unwrap()
        .rows
        .into_iter()
        .map(|c| (c.kind, c.handle))
        .collect();
    found.sort();
    found
}

fn open() -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    (dir, cache)
}

#[test]
fn the_first_sync_records_a_run_without_changes() {
    let (_dir, cache) = open();
    let summary = sync(&cache, &[user(1, "a@x.io")], &[], &[]);
    let history = summary.history.unwrap();
    assert!(history.first);
    assert!(history.counts.is_empty());
    let runs = cache.sync_runs().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!((runs[0].users, runs[0].first), (1, true));
    assert!(all(&cache, None).is_empty());
}

#[test]
fn a_second_sync_records_each_kind_of_change_once() {
    let (_dir, cache) = open();
    let mut logged = user(4, "d@x.io");
    logged.last_login = Some(10);
    sync(
        &cache,
        &[
            user(1, "a@x.io"),
            user(2, "b@x.io"),
            user(3, "c@x.io"),
            logged.clone(),
            user(5, "e@x.io"),
        ],
        &[
            invite(1, "p@x.io", "pending"),
            invite(2, "q@x.io", "pending"),
            invite(3, "r@x.io", "verified"),
        ],
        &[
            signup(1, "s@x.io", 0),
            signup(2, "t@x.io", 42),
            pending(3, "u@x.io"),
        ],
    );

    let mut renamed = user(1, "a@x.io");
    renamed.user_name = "Ann".into();
    let mut suspended = user(2, "b@x.io");
    suspended.status = "suspend".into();
    let mut edited = user(3, "c@x.io");
    edited.meta_data = json!({"n": 3, "team": "red"});
    logged.last_login = Some(20);
    let mut first_login = user(5, "e@x.io");
    first_login.last_login = Some(30);
    let mut completed = pending(3, "u@x.io");
    completed.status = "verified".into();
    let summary = sync(
        &cache,
        &[
            renamed,
            suspended,
            edited,
            logged,
            first_login,
            user(6, "f@x.io"),
        ],
        &[
            invite(1, "p@x.io", "verified"),
            invite(4, "n@x.io", "pending"),
        ],
        &[
            signup(1, "s@x.io", 0),
            completed,
            pending(4, "v@x.io"),
            signup(5, "w@x.io", 0),
        ],
    );
    let history = summary.history.unwrap();
    assert!(!history.first);
    let kinds = |k| {
        history
            .counts
            .iter()
            .find(|(kind, _)| *kind == k)
            .map(|(_, n)| *n)
    };
    assert_eq!(kinds(ChangeKind::UserAdded), Some(1));
    assert_eq!(history.counts.iter().map(|(_, n)| n).sum::<usize>(), 13);

    let want = |pairs: &[(ChangeKind, &str)]| {
        let mut v: Vec<(ChangeKind, String)> =
            pairs.iter().map(|(k, h)| (*k, (*h).to_owned())).collect();
        v.sort();
        v
    };
    assert_eq!(
        all(&cache, Some(history.run)),
        want(&[
            (ChangeKind::Renamed, "a@x.io"),
            (ChangeKind::Suspended, "b@x.io"),
            (ChangeKind::MetadataChanged, "c@x.io"),
            (ChangeKind::LoggedIn, "d@x.io"),
            (ChangeKind::FirstLogin, "e@x.io"),
            (ChangeKind::UserAdded, "f@x.io"),
            (ChangeKind::InviteAccepted, "p@x.io"),
            (ChangeKind::InviteRevoked, "q@x.io"),
            (ChangeKind::InviteRemoved, "r@x.io"),
            (ChangeKind::InviteCreated, "n@x.io"),
            (ChangeKind::SignupRemoved, "t@x.io"),
            (ChangeKind::SignupCompleted, "u@x.io"),
            (ChangeKind::SignupStarted, "v@x.io"),
        ])
    );
    let metadata = cache
        .changes(&ChangeQuery {
            kinds: vec![ChangeKind::MetadataChanged],
            limit: 10,
            ..ChangeQuery::default()
        })
        .unwrap();
    assert_eq!(metadata.matching, 1);
    assert_eq!(
        metadata.rows[0].detail,
        Some(json!({"keys": {"team": [null, "red"]}}))
    );
    let renamed = cache
        .changes(&ChangeQuery {
            text: "A@X".into(),
            limit: 10,
            ..ChangeQuery::default()
        })
        .unwrap();
    assert_eq!(
        renamed.rows[0].detail,
        Some(json!({"before": "Name 1", "after": "Ann"}))
    );

    // The Users filter keeps the users that are new or changed, not the gone ones.
    let changed = cache
        .query_users(&UserQuery {
            changed_since_last_sync: true,
            ..UserQuery::default()
        })
        .unwrap();
    let mut handles: Vec<String> = changed.rows.into_iter().map(|r| r.user.handle).collect();
    handles.sort();
    assert_eq!(
        handles,
        ["a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io", "f@x.io"]
    );
    assert_eq!(changed.matching, 6);

    // A third sync with nothing new: no changes, and the filter is empty.
    let again = sync(
        &cache,
        &cache_users(&cache),
        &[
            invite(1, "p@x.io", "verified"),
            invite(4, "n@x.io", "pending"),
        ],
        &[
            signup(1, "s@x.io", 0),
            {
                let mut c = pending(3, "u@x.io");
                c.status = "verified".into();
                c
            },
            pending(4, "v@x.io"),
            signup(5, "w@x.io", 0),
        ],
    );
    assert!(again.history.unwrap().counts.is_empty());
    let none = cache
        .query_users(&UserQuery {
            changed_since_last_sync: true,
            ..UserQuery::default()
        })
        .unwrap();
    assert_eq!(none.matching, 0);
    assert_eq!(cache.sync_runs().unwrap().len(), 3);
}

#[test]
fn retention_by_runs_prunes_older_runs_and_their_changes() {
    let (_dir, cache) = open();
    cache
        .set_history_retention(Retention {
            days: None,
            runs: Some(2),
        })
        .unwrap();
    for n in 1..=4u32 {
        let users: Vec<User> = (1..=n).map(|i| user(i, &format!("u{i}@x.io"))).collect();
        sync(&cache, &users, &[], &[]);
    }
    let runs = cache.sync_runs().unwrap();
    assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [4, 3]);
    assert_eq!(
        all(&cache, None),
        [
            (ChangeKind::UserAdded, "u3@x.io".to_owned()),
            (ChangeKind::UserAdded, "u4@x.io".to_owned()),
        ]
    );
    assert_eq!(cache.history_retention().unwrap().runs, Some(2));
}

fn pending(n: u32, handle: &str) -> Signup {
    let mut s = signup(n, handle, 100 + i64::from(n));
    s.status = "pending".into();
    s
}

fn cache_users(cache: &Cache) -> Vec<User> {
    cache
        .query_users(&UserQuery {
            limit: usize::MAX,
            ..UserQuery::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.user)
        .collect()
}

#[test]
fn a_feed_that_cannot_be_written_is_said_and_the_sync_still_commits() {
    let (dir, cache) = open();
    sync(&cache, &[user(1, "a@x.io")], &[], &[]);
    // Another program broke the feed's table.
    let conn = rusqlite::Connection::open(dir.path().join("app.sqlite")).unwrap();
    conn.execute_batch("DROP TABLE changes").unwrap();
    drop(conn);
    let summary = sync(&cache, &[user(1, "a@x.io"), user(2, "b@x.io")], &[], &[]);
    let reason = summary.history.expect_err("the feed could not be written");
    assert!(reason.contains("changes"), "{reason}");
    assert_eq!(summary.users, 2, "the sync committed all the same");
    let users = cache_users(&cache);
    assert_eq!(users.len(), 2);
    // The run was rolled back with its changes: none is half-written.
    assert_eq!(cache.sync_runs().unwrap().len(), 1);
}

#[test]
fn a_user_gone_is_recorded_whether_or_not_the_count_moved() {
    let (_dir, cache) = open();
    // What a sync of `users` records.
    let changes = |users: &[User]| {
        let run = sync(&cache, users, &[], &[]).history.unwrap().run;
        all(&cache, Some(run))
    };
    changes(&[user(1, "a@x.io"), user(2, "b@x.io"), user(3, "c@x.io")]);
    let d = user(4, "d@x.io");
    // As many users as before: one gone, one new.
    assert_eq!(
        changes(&[user(1, "a@x.io"), user(2, "b@x.io"), d.clone()]),
        vec![
            (ChangeKind::UserAdded, "d@x.io".to_owned()),
            (ChangeKind::UserRemoved, "c@x.io".to_owned()),
        ]
    );
    // Fewer users, none new.
    assert_eq!(
        changes(std::slice::from_ref(&d)),
        vec![
            (ChangeKind::UserRemoved, "a@x.io".to_owned()),
            (ChangeKind::UserRemoved, "b@x.io".to_owned()),
        ]
    );
    // The same users again: nothing.
    assert!(changes(&[d]).is_empty());
}
