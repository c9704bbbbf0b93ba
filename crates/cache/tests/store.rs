//! Opening, recovery, file mode, what the file holds, and single-row changes.

mod common;

use common::{invite, signup, user};
use gatehouse_cache::{
    Cache, InviteQuery, InviteStatus, Signup, SignupColumn, SignupQuery, SignupStatus,
    StatusFilter, UserQuery,
};
use serde_json::json;

#[test]
fn garbage_file_is_moved_aside_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.sqlite");
    std::fs::write(
        &path,
        b"this is not a database, not even close....................",
    )
    .unwrap();
    let (cache, report) = Cache::open(&path).unwrap();
    let recovery = report.recovered.expect("the damage is reported");
    assert!(
        recovery.moved_to.exists(),
        "the old file is kept for inspection"
    );
    assert!(recovery.moved_to.to_string_lossy().contains(".corrupt-"));
    assert_eq!(cache.query_users(&UserQuery::default()).unwrap().total, 0);
    let mut s = cache.begin_sync().unwrap();
    s.add_users(&[user(1, "a@x.io")]).unwrap();
    s.commit().unwrap();
    assert_eq!(cache.query_users(&UserQuery::default()).unwrap().total, 1);
}

#[test]
fn damaged_pages_are_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.sqlite");
    {
        let (cache, _) = Cache::open(&path).unwrap();
        let mut s = cache.begin_sync().unwrap();
        let users: Vec<_> = (0..2000).map(|i| user(i, &format!("u{i}@x.io"))).collect();
        s.add_users(&users).unwrap();
        s.commit().unwrap();
    }
    // Fold the WAL in first so the damage lands in the pages the users live in.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&path).unwrap();
    let len = bytes.len();
    for b in &mut bytes[4096..len] {
        *b = 0xA5;
    }
    std::fs::write(&path, bytes).unwrap();
    let (cache, report) = Cache::open(&path).unwrap();
    assert!(
        report.recovered.is_some(),
        "corruption is detected while indexing"
    );
    assert_eq!(cache.query_users(&UserQuery::default()).unwrap().total, 0);
}

#[test]
fn newer_schema_is_set_aside_not_guessed_at() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let (_cache, report) = Cache::open(&path).unwrap();
    assert!(report.recovered.unwrap().reason.contains("newer"));
}

#[cfg(unix)]
#[test]
fn file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.sqlite");
    std::fs::write(&path, b"").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (cache, _) = Cache::open(&path).unwrap();
    cache.upsert_user(&user(1, "a@x.io")).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let f = dir.path().join(format!("app.sqlite{suffix}"));
        if f.exists() {
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode,
                0o600,
                "{} must be readable by its owner only",
                f.display()
            );
        }
    }
}

#[test]
fn file_holds_the_records_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.sqlite");
    let (cache, _) = Cache::open(&path).unwrap();
    let mut u = user(1, "a@x.io");
    u.meta_data = json!({"profile": {"team": "Ünïcode", "size": 12.5}, "tags": ["x", null]});
    cache.upsert_user(&u).unwrap();
    let got = cache.user_by_id(&u.id).unwrap().unwrap().user;
    assert_eq!(got, u, "a user round-trips exactly, metadata included");

    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut columns = Vec::new();
    for table in [
        "users",
        "invites",
        "signups",
        "sync_times",
        "writes",
        "identity",
    ] {
        let mut stmt = conn
            .prepare(&format!("PRAGMA table_info({table})"))
            .unwrap();
        let names = stmt.query_map([], |r| r.get::<_, String>(1)).unwrap();
        columns.extend(names.map(|n| format!("{table}.{}", n.unwrap())));
    }
    let expected = [
        "users.id",
        "users.handle",
        "users.user_name",
        "users.status",
        "users.locale",
        "users.login_provider",
        "users.meta_data",
        "users.created_at",
        "users.updated_at",
        "users.last_login",
        "invites.id",
        "invites.handle",
        "invites.sender_handle",
        "invites.sender_user_id",
        "invites.status",
        "invites.code",
        "invites.meta_data",
        "invites.created_at",
        "invites.search",
        "signups.id",
        "signups.handle",
        "signups.code",
        "signups.status",
        "signups.meta_data",
        "signups.created_at",
        "signups.search",
        "sync_times.list",
        "sync_times.at",
        "writes.n",
        // A random identity of the file, which its index image is keyed to.
        "identity.id",
    ];
    assert_eq!(
        columns, expected,
        "no column beyond the records' own fields"
    );
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|n| n.unwrap())
        .collect();
    // The change feed's tables hold ids, handles, kinds and the before and after of the
    // records' own fields above.
    assert_eq!(
        tables,
        [
            "changes",
            "history_retention",
            "identity",
            "invites",
            "signups",
            "sqlite_sequence",
            "sync_runs",
            "sync_times",
            "users",
            "writes"
        ]
    );
    drop(conn);
    // The index image (written in the background after the open) is read too, whole.
    cache.save_index().unwrap();
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for secret in ["secret", "password", "phonecode", "twofactorcode", "token"] {
            assert!(!text.contains(secret), "{secret} must never reach the disk");
        }
    }
}

#[test]
fn single_row_changes_show_in_queries() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    let mut s = cache.begin_sync().unwrap();
    s.add_users(&[
        user(1, "bob+tag@x.io"),
        user(2, "bob@x.io"),
        user(3, "ann@x.io"),
    ])
    .unwrap();
    s.commit().unwrap();
    let search = |text: &str| UserQuery {
        text: text.into(),
        ..UserQuery::default()
    };
    let w = cache.query_users(&search("BOB+TAG@")).unwrap();
    assert_eq!(
        w.matching, 1,
        "a literal search finds that user and no other"
    );
    assert_eq!(w.rows[0].user.handle, "bob+tag@x.io");

    let bob = user(2, "bob@x.io");
    cache.set_user_status(&bob.id, "suspend").unwrap();
    let suspended = UserQuery {
        status: Some(StatusFilter::Suspended),
        ..UserQuery::default()
    };
    assert_eq!(
        cache.query_users(&suspended).unwrap().rows[0].user.id,
        bob.id
    );

    cache
        .set_user_metadata(&bob.id, &json!({"city": "Gdańsk", "zip": 80001}))
        .unwrap();
    assert_eq!(cache.query_users(&search("GDAŃ")).unwrap().matching, 1);
    assert_eq!(cache.query_users(&search("8000")).unwrap().matching, 1);
    assert_eq!(
        cache.query_users(&suspended).unwrap().matching,
        1,
        "status kept"
    );

    cache.remove_user(&bob.id).unwrap();
    let w = cache.query_users(&UserQuery::default()).unwrap();
    assert_eq!((w.total, w.matching), (2, 2));
    assert_eq!(cache.matching_user_ids(&search("x.io")).len(), 2);
}

#[test]
fn invites_and_signups_answer_windows() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    cache
        .upsert_invites(&[
            invite(1, "a@x.io", "pending"),
            invite(2, "b@x.io", "verified"),
            invite(3, "c@y.io", "pending"),
        ])
        .unwrap();
    let q = InviteQuery {
        text: "X.IO".into(),
        status: Some(InviteStatus::Pending),
        limit: 10,
        ..InviteQuery::default()
    };
    let w = cache.query_invites(&q).unwrap();
    assert_eq!((w.total, w.matching, w.rows.len()), (3, 1, 1));
    assert_eq!(w.rows[0].handle, "a@x.io");
    let by_sender = InviteQuery {
        text: "boss@".into(),
        limit: 2,
        offset: 1,
        ..InviteQuery::default()
    };
    let w = cache.query_invites(&by_sender).unwrap();
    assert_eq!(w.matching, 3);
    assert_eq!(
        w.rows.iter().map(|i| &i.handle[..]).collect::<Vec<_>>(),
        ["b@x.io", "c@y.io"]
    );

    cache
        .upsert_signups(&[signup(1, "a%@x.io", 0), signup(2, "ab@x.io", 5)])
        .unwrap();
    let q = SignupQuery {
        text: "a%".into(),
        sort: SignupColumn::Handle,
        descending: true,
        limit: 10,
        ..SignupQuery::default()
    };
    let w = cache.query_signups(&q).unwrap();
    assert_eq!(w.matching, 1, "% is literal, not a wildcard");
    cache.remove_signup(&signup(1, "", 0).id).unwrap();
    assert_eq!(cache.query_signups(&q).unwrap().total, 1);
}

#[test]
fn a_window_without_a_filter_or_without_rows_gives_the_same_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    cache
        .upsert_signups(&[
            signup(1, "a@x.io", 1),
            signup(2, "b@x.io", 0),
            signup(3, "c@y.io", 1),
        ])
        .unwrap();
    let counts = |text: &str, limit| {
        let w = cache
            .query_signups(&SignupQuery {
                text: text.into(),
                limit,
                ..SignupQuery::default()
            })
            .unwrap();
        (w.total, w.matching, w.rows.len())
    };
    assert_eq!(counts("", 10), (3, 3, 3));
    assert_eq!(counts("", 0), (3, 3, 0), "counts alone");
    assert_eq!(counts("x.io", 10), (3, 2, 2));
    assert_eq!(counts("x.io", 0), (3, 2, 0), "counts alone, filtered");
    cache.remove_signup(&signup(2, "", 0).id).unwrap();
    assert_eq!(counts("", 0), (2, 2, 0), "a removed row leaves both counts");
    let before = cache
        .query_signups(&SignupQuery {
            created_before: Some(0),
            limit: 10,
            ..SignupQuery::default()
        })
        .unwrap();
    assert_eq!(
        (before.total, before.matching),
        (2, 0),
        "a time filter counts"
    );
}

#[test]
fn signups_filter_pending_completed_and_added_by_an_admin() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    let with_status = |n, handle: &str, code, status: &str| Signup {
        status: status.into(),
        ..signup(n, handle, code)
    };
    cache
        .upsert_signups(&[
            with_status(1, "waiting@x.io", 1, "pending"),
            with_status(2, "done@x.io", 1, "verified"),
            with_status(3, "social@x.io", 1, "active"),
            with_status(4, "admin-made@x.io", 0, "active"),
        ])
        .unwrap();
    let handles = |status| {
        let q = SignupQuery {
            status: Some(status),
            limit: 10,
            ..SignupQuery::default()
        };
        let mut handles: Vec<String> = cache
            .query_signups(&q)
            .unwrap()
            .rows
            .into_iter()
            .map(|s| s.handle)
            .collect();
        handles.sort();
        handles
    };
    assert_eq!(handles(SignupStatus::Pending), ["waiting@x.io"]);
    assert_eq!(
        handles(SignupStatus::Completed),
        ["done@x.io", "social@x.io"]
    );
    assert_eq!(handles(SignupStatus::AddedByAdmin), ["admin-made@x.io"]);
}

#[test]
fn many_single_row_changes_fold_into_a_rebuilt_index() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    // More rewritten rows than the overlay holds, so the index is rebuilt on the way.
    for i in 0..4200 {
        cache
            .upsert_user(&user(i, &format!("u{i:05}@x.io")))
            .unwrap();
    }
    cache.set_user_status(&user(7, "").id, "suspend").unwrap();
    let w = cache.query_users(&UserQuery::default()).unwrap();
    assert_eq!((w.total, w.matching), (4200, 4200));
    assert_eq!(w.rows[0].user.handle, "u00000@x.io");
    let suspended = UserQuery {
        status: Some(StatusFilter::Suspended),
        ..UserQuery::default()
    };
    let w = cache.query_users(&suspended).unwrap();
    assert_eq!(w.rows.len(), 1);
    assert_eq!(w.rows[0].user.handle, "u00007@x.io");
    let q = UserQuery {
        text: "u0419".into(),
        ..UserQuery::default()
    };
    assert_eq!(cache.query_users(&q).unwrap().matching, 10);
}

#[test]
fn two_first_opens_of_a_new_file_at_once_create_it_once() {
    // The window and the CLI opening an app's cache for the first time together: the
    // second must not take the first one's tables for a damaged file and set it aside.
    for _ in 0..30 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.sqlite");
        let opens: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || Cache::open(path).map(|(_, report)| report))
            })
            .collect();
        for open in opens {
            let report = open.join().unwrap().expect("both open");
            assert!(report.recovered.is_none(), "nothing was set aside");
        }
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("corrupt")
            })
            .count();
        assert_eq!(leftovers, 0);
    }
}
