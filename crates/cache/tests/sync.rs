//! Sync: staging, swap, abort and the action journal.

mod common;

use common::{invite, signup, user};
use gatehouse_cache::{Cache, Error, ListKind, Onboarding, UserQuery};

fn handles(cache: &Cache) -> Vec<String> {
    let w = cache.query_users(&UserQuery::default()).unwrap();
    w.rows.into_iter().map(|r| r.user.handle).collect()
}

fn seeded() -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().unwrap();
    let (cache, report) = Cache::open(dir.path().join("host/app.sqlite")).unwrap();
    assert_eq!(report.recovered, None, "a new file needs no recovery");
    let mut s = cache.begin_sync().unwrap();
    s.add_users(&[user(1, "a@x.io"), user(2, "b@x.io")])
        .unwrap();
    // Lists mixed in one write, as a sync stages what arrived meanwhile.
    s.add(
        &[user(3, "c@x.io")],
        &[invite(1, "a@x.io", "verified")],
        &[signup(1, "b@x.io", 0)],
    )
    .unwrap();
    s.add_signups(&[signup(2, "c@x.io", 123456)]).unwrap();
    let summary = s.commit().unwrap();
    assert_eq!((summary.users, summary.invites, summary.signups), (3, 1, 2));
    (dir, cache)
}

#[test]
fn commit_swaps_in_and_records_sync_times() {
    let (_dir, cache) = seeded();
    assert_eq!(handles(&cache), ["a@x.io", "b@x.io", "c@x.io"]);
    for list in ListKind::ALL {
        assert!(
            cache.last_synced(list).unwrap().is_some(),
            "{list:?} synced"
        );
    }
    let onboarding: Vec<Onboarding> = cache
        .query_users(&UserQuery::default())
        .unwrap()
        .rows
        .iter()
        .map(|r| r.onboarding)
        .collect();
    assert_eq!(
        onboarding,
        [Onboarding::Invite, Onboarding::Admin, Onboarding::Signup]
    );
}

#[test]
fn dropped_or_aborted_staging_leaves_the_snapshot() {
    let (_dir, cache) = seeded();
    let before = cache.last_synced(ListKind::Users).unwrap();
    let mut s = cache.begin_sync().unwrap();
    s.add_users(&[user(9, "z@x.io")]).unwrap();
    drop(s);
    assert_eq!(handles(&cache), ["a@x.io", "b@x.io", "c@x.io"]);
    let s = cache.begin_sync().unwrap();
    s.abort();
    assert_eq!(handles(&cache), ["a@x.io", "b@x.io", "c@x.io"]);
    assert_eq!(cache.last_synced(ListKind::Users).unwrap(), before);
    // Reopening must not find the abandoned staging either.
    let (again, _) = Cache::open(cache.path()).unwrap();
    assert_eq!(handles(&again), ["a@x.io", "b@x.io", "c@x.io"]);
}

#[test]
fn one_sync_at_a_time() {
    let (_dir, cache) = seeded();
    let s = cache.begin_sync().unwrap();
    assert!(matches!(cache.begin_sync(), Err(Error::SyncInProgress)));
    drop(s);
    cache.begin_sync().unwrap();
}

#[test]
fn partial_sync_keeps_other_lists() {
    let (_dir, cache) = seeded();
    let mut s = cache.begin_sync_of(&[ListKind::Invites]).unwrap();
    assert!(matches!(s.add_users(&[]), Err(Error::NotStaged(_))));
    let mixed = s.add(&[user(9, "z@x.io")], &[invite(9, "z@x.io", "pending")], &[]);
    assert!(matches!(mixed, Err(Error::NotStaged(ListKind::Users))));
    s.add_invites(&[]).unwrap();
    s.commit().unwrap();
    assert_eq!(handles(&cache).len(), 3);
    let a = cache.user_by_handle("a@x.io").unwrap().unwrap();
    assert_eq!(a.onboarding, Onboarding::Other, "its invite is gone");
}

#[test]
fn actions_during_a_sync_survive_the_swap() {
    let (_dir, cache) = seeded();
    let mut s = cache.begin_sync().unwrap();
    // The host sent its pages before the actions below happened.
    s.add_users(&[user(1, "a@x.io"), user(2, "b@x.io"), user(3, "c@x.io")])
        .unwrap();
    s.add_invites(&[invite(1, "a@x.io", "verified")]).unwrap();
    s.add_signups(&[signup(1, "b@x.io", 0)]).unwrap();

    let b = cache.user_by_handle("b@x.io").unwrap().unwrap().user;
    cache.set_user_status(&b.id, "suspend").unwrap();
    let c = cache.user_by_handle("c@x.io").unwrap().unwrap().user;
    cache.remove_user(&c.id).unwrap();
    let mut d = user(4, "d@x.io");
    d.meta_data = serde_json::json!({"team": "Blue"});
    cache.upsert_user(&d).unwrap();
    cache.remove_invite(&invite(1, "", "").id).unwrap();
    // Applied to the live snapshot at once …
    assert_eq!(handles(&cache), ["a@x.io", "b@x.io", "d@x.io"]);
    assert_eq!(
        cache.user_by_id(&b.id).unwrap().unwrap().user.status,
        "suspend"
    );

    s.commit().unwrap();
    // … and replayed onto the staged copy before the swap.
    assert_eq!(handles(&cache), ["a@x.io", "b@x.io", "d@x.io"]);
    assert_eq!(
        cache.user_by_id(&b.id).unwrap().unwrap().user.status,
        "suspend"
    );
    let a = cache.user_by_handle("a@x.io").unwrap().unwrap();
    assert_eq!(
        a.onboarding,
        Onboarding::Other,
        "the invite removal replayed"
    );
    let q = UserQuery {
        text: "blue".into(),
        ..UserQuery::default()
    };
    assert_eq!(cache.query_users(&q).unwrap().matching, 1);
}

#[test]
fn the_journal_ends_with_the_sync() {
    let (_dir, cache) = seeded();
    let s = cache.begin_sync().unwrap();
    drop(s);
    // An action after an abandoned sync must not leak into the next one.
    let a = cache.user_by_handle("a@x.io").unwrap().unwrap().user;
    cache.set_user_status(&a.id, "suspend").unwrap();
    let mut s = cache.begin_sync().unwrap();
    s.add_users(&[user(1, "a@x.io")]).unwrap();
    s.commit().unwrap();
    let a = cache.user_by_handle("a@x.io").unwrap().unwrap().user;
    assert_eq!(
        a.status, "active",
        "the host's copy wins for changes before the sync"
    );
}

#[test]
fn sync_runs_on_another_thread_while_queries_continue() {
    let (_dir, cache) = seeded();
    let syncing = cache.clone();
    let worker = std::thread::spawn(move || {
        let mut s = syncing.begin_sync().unwrap();
        for page in 0..20u32 {
            let users: Vec<_> = (0..50)
                .map(|i| user(100 + page * 50 + i, &format!("u{page}-{i}@x.io")))
                .collect();
            s.add_users(&users).unwrap();
        }
        s.commit().unwrap()
    });
    while !worker.is_finished() {
        let w = cache.query_users(&UserQuery::default()).unwrap();
        assert!(
            w.total == 3 || w.total == 1000,
            "old or new snapshot, never a mix"
        );
    }
    assert_eq!(worker.join().unwrap().users, 1000);
    assert_eq!(
        cache.query_users(&UserQuery::default()).unwrap().total,
        1000
    );
}

#[test]
fn handles_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Cache>();
    send::<gatehouse_cache::Staging>();
}

#[test]
fn reload_picks_up_another_handles_sync() {
    let (_dir, cache) = seeded();
    let (other, _) = Cache::open(cache.path()).unwrap();
    let mut s = other.begin_sync().unwrap();
    s.add_users(&[user(5, "e@x.io")]).unwrap();
    s.commit().unwrap();
    cache.reload().unwrap();
    assert_eq!(handles(&cache), ["e@x.io"]);
}

#[test]
fn refresh_sees_what_another_handle_wrote_and_only_that() {
    let (_dir, cache) = seeded();
    assert!(!cache.refresh().unwrap(), "nothing changed yet");
    let (other, _) = Cache::open(cache.path()).unwrap();
    let before = cache.writes();

    // This handle's own change needs no reload.
    cache.upsert_user(&user(20, "mine@x.io")).unwrap();
    assert!(!cache.refresh().unwrap());

    // Another handle's change (as the CLI's would be) and another's sync.
    other.set_user_status(&user(20, "").id, "suspend").unwrap();
    assert!(cache.refresh().unwrap(), "another handle wrote");
    let suspended = gatehouse_cache::UserQuery {
        status: Some(gatehouse_cache::StatusFilter::Suspended),
        ..gatehouse_cache::UserQuery::default()
    };
    let rows = cache.query_users(&suspended).unwrap().rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].user.handle, "mine@x.io");
    assert!(!cache.refresh().unwrap(), "seen now");

    let mut s = other.begin_sync().unwrap();
    s.add_users(&[user(5, "e@x.io")]).unwrap();
    s.commit().unwrap();
    assert!(cache.refresh().unwrap());
    assert_eq!(handles(&cache), ["e@x.io"]);
    assert!(cache.writes() > before, "every write is counted");
}

#[test]
fn syncs_of_one_file_from_two_handles_do_not_clobber_each_other() {
    let (_dir, cache) = seeded();
    let mut first = cache.begin_sync().unwrap();
    first.add_users(&[user(7, "first@x.io")]).unwrap();
    // Another handle on the file, as another process would have.
    let (other, _) = Cache::open(cache.path()).unwrap();
    let mut second = other.begin_sync().unwrap();
    second.add_users(&[user(8, "second@x.io")]).unwrap();
    second.commit().unwrap();
    assert_eq!(handles(&other), ["second@x.io"]);
    first.commit().unwrap();
    assert_eq!(
        handles(&cache),
        ["first@x.io"],
        "the last commit wins, whole"
    );
}

#[test]
fn after_two_handles_commit_both_see_the_last_whole_copy() {
    let (_dir, cache) = seeded();
    let (other, _) = Cache::open(cache.path()).unwrap();
    let mut first = cache.begin_sync().unwrap();
    let mut second = other.begin_sync().unwrap();
    first.add_users(&[user(7, "first@x.io")]).unwrap();
    second.add_users(&[user(8, "second@x.io")]).unwrap();
    first.commit().unwrap();
    second.commit().unwrap();
    cache.refresh().unwrap();
    other.refresh().unwrap();
    assert_eq!(handles(&other), ["second@x.io"]);
    assert_eq!(
        handles(&cache),
        ["second@x.io"],
        "the first handle sees the swap"
    );
    assert_eq!(cache.writes(), other.writes());
}

#[test]
fn compacting_after_a_resync_gives_the_old_copys_pages_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.sqlite");
    let (cache, _) = Cache::open(&path).unwrap();
    let users: Vec<_> = (0..3000).map(|i| user(i, &format!("u{i}@x.io"))).collect();
    for _ in 0..2 {
        let mut staging = cache.begin_sync().unwrap();
        staging.add_users(&users).unwrap();
        staging.commit().unwrap();
    }
    let free = |path: &std::path::Path| -> i64 {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("PRAGMA freelist_count", [], |r| r.get(0))
            .unwrap()
    };
    assert!(
        free(&path) > 0,
        "the old snapshot's pages are free in the file"
    );
    let given = cache.compact().unwrap();
    assert!(given > 0);
    assert_eq!(free(&path), 0, "every free page went back");
    assert_eq!(cache.compact().unwrap(), 0, "nothing left to give");
    assert_eq!(
        cache.query_users(&UserQuery::default()).unwrap().total,
        3000,
        "the copy is whole"
    );
}

#[test]
fn a_new_file_has_large_pages_and_an_older_file_keeps_its_own() {
    let page_size = |path: &std::path::Path| -> i64 {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.sqlite");
    drop(Cache::open(&new).unwrap());
    assert_eq!(page_size(&new), 16 * 1024);

    // As an earlier release made it: SQLite's default pages, already in WAL mode.
    let older = dir.path().join("older.sqlite");
    {
        let conn = rusqlite::Connection::open(&older).unwrap();
        conn.pragma_update(None, "page_size", 4096).unwrap();
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")
            .unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
    let (cache, _) = Cache::open(&older).unwrap();
    let users: Vec<_> = (0..500).map(|i| user(i, &format!("u{i}@x.io"))).collect();
    for _ in 0..2 {
        let mut staging = cache.begin_sync().unwrap();
        staging.add_users(&users).unwrap();
        staging.commit().unwrap();
    }
    assert!(cache.compact().unwrap() > 0, "its freed pages go back too");
    assert_eq!(page_size(&older), 4096);
    assert_eq!(cache.query_users(&UserQuery::default()).unwrap().total, 500);
}

fn onboardings(cache: &Cache) -> Vec<(String, Onboarding)> {
    let rows = cache.query_users(&UserQuery::default()).unwrap().rows;
    rows.into_iter()
        .map(|r| (r.user.handle, r.onboarding))
        .collect()
}

#[test]
fn onboarding_gathered_while_staging_is_what_the_tables_say_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    let handles = ["a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io", "f@x.io"];
    let users: Vec<_> = (0u32..).zip(handles).map(|(i, h)| user(i, h)).collect();
    let mut s = cache.begin_sync().unwrap();
    s.add_users(&users).unwrap();
    // Each list in two writes, so that a handle's records arrive apart.
    s.add_signups(&[signup(1, "a@x.io", 5), signup(2, "b@x.io", 0)])
        .unwrap();
    s.add_invites(&[
        invite(1, "c@x.io", "verified"),
        invite(2, "d@x.io", "pending"),
    ])
    .unwrap();
    s.add_signups(&[
        signup(3, "a@x.io", 0),
        signup(4, "b@x.io", 9),
        signup(5, "c@x.io", 0),
        signup(6, "e@x.io", 3),
        signup(7, "e@x.io", 4),
    ])
    .unwrap();
    s.commit().unwrap();
    let expected = [
        ("a@x.io", Onboarding::Admin),
        ("b@x.io", Onboarding::Admin),
        ("c@x.io", Onboarding::Invite),
        ("d@x.io", Onboarding::Other),
        ("e@x.io", Onboarding::Signup),
        ("f@x.io", Onboarding::Other),
    ]
    .map(|(h, o)| (h.to_owned(), o));
    assert_eq!(onboardings(&cache), expected);
    cache.reload().unwrap();
    assert_eq!(
        onboardings(&cache),
        expected,
        "as read back from the tables"
    );
}

#[test]
fn a_replaced_invitation_or_signup_no_longer_counts_for_onboarding() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    let mut s = cache.begin_sync().unwrap();
    s.add_users(&[user(1, "a@x.io"), user(2, "b@x.io")])
        .unwrap();
    s.add_invites(&[invite(1, "a@x.io", "verified")]).unwrap();
    s.add_signups(&[signup(1, "b@x.io", 0)]).unwrap();
    // The same ids again, as a host that moved records while it was paged may send them.
    s.add_invites(&[invite(1, "a@x.io", "pending")]).unwrap();
    s.add_signups(&[signup(1, "b@x.io", 77)]).unwrap();
    s.commit().unwrap();
    assert_eq!(
        onboardings(&cache),
        [
            ("a@x.io".to_owned(), Onboarding::Other),
            ("b@x.io".to_owned(), Onboarding::Signup)
        ]
    );
}
