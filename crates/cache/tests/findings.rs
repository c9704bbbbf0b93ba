//! The findings a query narrows to: near-duplicate handles, users missing required
//! metadata, and invitations and signups older than a time.

mod common;

use common::{invite, signup, user};
use gatehouse_cache::{
    Cache, InviteQuery, InviteStatus, SignupQuery, SignupStatus, UserQuery, UserSet,
};
use serde_json::json;

fn handles(cache: &Cache, query: &UserQuery) -> Vec<String> {
    let mut handles: Vec<String> = cache
        .query_users(query)
        .unwrap()
        .rows
        .into_iter()
        .map(|row| row.user.handle)
        .collect();
    handles.sort();
    handles
}

#[test]
fn near_duplicates_are_grouped_and_filtered_and_follow_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    let mut stage = cache.begin_sync().unwrap();
    stage
        .add_users(&[
            user(1, "ann@example.com"),
            user(2, "Ann+shop@example.com"),
            user(3, "b.o.b@gmail.com"),
            user(4, "bob@googlemail.com"),
            user(5, "carl@example.com"),
            // Cyrillic а.
            user(6, "d\u{430}n@example.com"),
            user(7, "dan@example.com"),
            user(8, "dan@example.org"),
        ])
        .unwrap();
    stage.commit().unwrap();

    let found = cache.near_duplicate_handles(2).unwrap();
    assert_eq!((found.total_groups, found.users), (3, 6));
    assert_eq!(found.groups.len(), 2, "the first two are listed");
    let groups: Vec<Vec<String>> = cache
        .near_duplicate_handles(10)
        .unwrap()
        .groups
        .into_iter()
        .map(|g| g.into_iter().map(|(_, h)| h).collect())
        .collect();
    assert_eq!(groups.len(), 3, "{groups:?}");
    assert!(groups.contains(&vec![
        "Ann+shop@example.com".to_owned(),
        "ann@example.com".to_owned()
    ]));

    let query = UserQuery {
        set: Some(UserSet::NearDuplicateHandles),
        ..UserQuery::default()
    };
    // In handle order, which is also the groups' key order.
    let grouped = [
        "Ann+shop@example.com",
        "ann@example.com",
        "b.o.b@gmail.com",
        "bob@googlemail.com",
        "dan@example.com",
        "d\u{430}n@example.com",
    ];
    assert_eq!(handles(&cache, &query), grouped);
    // The table lists each group together, in key order, whatever the sort.
    let by_created = UserQuery {
        set: Some(UserSet::NearDuplicateHandles),
        sort: gatehouse_cache::UserColumn::CreatedAt,
        descending: true,
        ..UserQuery::default()
    };
    let listed: Vec<String> = cache
        .query_users(&by_created)
        .unwrap()
        .rows
        .into_iter()
        .map(|row| row.user.handle)
        .collect();
    assert_eq!(listed, grouped);
    let second_page = cache
        .query_users(&UserQuery {
            offset: 2,
            limit: 2,
            ..by_created.clone()
        })
        .unwrap();
    assert_eq!(second_page.matching, 6);
    assert_eq!(
        second_page
            .rows
            .iter()
            .map(|r| r.user.handle.as_str())
            .collect::<Vec<_>>(),
        ["b.o.b@gmail.com", "bob@googlemail.com"]
    );
    // "Select all" of the finding is exactly its users too.
    assert_eq!(cache.matching_user_ids(&query).len(), 6);

    // A removed user leaves its group; a group of one is no finding.
    cache.remove_user(&user(7, "").id).unwrap();
    assert_eq!(cache.query_users(&query).unwrap().matching, 4);
}

#[test]
fn users_missing_a_required_field_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    let with = |n: u32, handle: &str, meta: serde_json::Value| {
        let mut u = user(n, handle);
        u.meta_data = meta;
        u
    };
    let mut stage = cache.begin_sync().unwrap();
    stage
        .add_users(&[
            with(
                1,
                "full@x.io",
                json!({"profile": {"team": "red"}, "code": 7}),
            ),
            with(2, "empty@x.io", json!({"profile": {"team": ""}, "code": 7})),
            with(
                3,
                "null@x.io",
                json!({"profile": {"team": null}, "code": 0}),
            ),
            with(4, "absent@x.io", json!({"code": 1})),
            with(5, "nocode@x.io", json!({"profile": {"team": "blue"}})),
            with(6, "nothing@x.io", json!(null)),
        ])
        .unwrap();
    stage.commit().unwrap();
    let missing = |paths: &[&str]| {
        handles(
            &cache,
            &UserQuery {
                set: Some(UserSet::MissingMetadata(
                    paths.iter().map(|p| (*p).to_owned()).collect(),
                )),
                ..UserQuery::default()
            },
        )
    };
    assert_eq!(
        missing(&["profile.team"]),
        ["absent@x.io", "empty@x.io", "nothing@x.io", "null@x.io"]
    );
    // 0 is a value, not a missing one.
    assert_eq!(missing(&["code"]), ["nocode@x.io", "nothing@x.io"]);
    assert_eq!(missing(&["profile.team", "code"]).len(), 5);
    assert!(
        missing(&[]).is_empty(),
        "no required field, nobody misses one"
    );

    // Filling the field in takes the user out of the finding.
    cache
        .set_user_metadata(
            &user(4, "").id,
            &json!({"code": 1, "profile": {"team": "x"}}),
        )
        .unwrap();
    assert_eq!(missing(&["profile.team"]).len(), 3);
}

#[test]
fn invitations_and_signups_older_than_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();
    let at = |mut i: gatehouse_cache::Invite, t: i64| {
        i.created_at = t;
        i
    };
    cache
        .upsert_invites(&[
            at(invite(1, "old@x.io", "pending"), 1_000),
            at(invite(2, "new@x.io", "pending"), 5_000),
            at(invite(3, "done@x.io", "verified"), 1_000),
        ])
        .unwrap();
    let stale = cache
        .query_invites(&InviteQuery {
            status: Some(InviteStatus::Pending),
            created_before: Some(2_000),
            limit: 10,
            ..InviteQuery::default()
        })
        .unwrap();
    assert_eq!((stale.total, stale.matching), (3, 1));
    assert_eq!(stale.rows[0].handle, "old@x.io");

    let started = |mut s: gatehouse_cache::Signup, t: i64, status: &str| {
        s.created_at = t;
        s.status = status.to_owned();
        s
    };
    cache
        .upsert_signups(&[
            started(signup(1, "late@x.io", 123), 1_000, "pending"),
            started(signup(2, "fresh@x.io", 456), 9_000, "pending"),
            started(signup(3, "done@x.io", 789), 1_000, "verified"),
        ])
        .unwrap();
    let expired = cache
        .query_signups(&SignupQuery {
            status: Some(SignupStatus::Pending),
            created_before: Some(5_000),
            limit: 10,
            ..SignupQuery::default()
        })
        .unwrap();
    assert_eq!(expired.matching, 1);
    assert_eq!(expired.rows[0].handle, "late@x.io");
}
