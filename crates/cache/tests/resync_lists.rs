//! A second sync replaces invitations and signups as seen by the same open cache: a
//! long-lived cache (the desktop app's) must never answer from the first snapshot.

use gatehouse_cache::{Cache, Invite, InviteQuery};
use serde_json::json;

fn invite(status: &str) -> Invite {
    Invite {
        id: "6b0d5ed10006617cc4129330".into(),
        handle: "invitee+e2e@example.com".into(),
        sender_handle: "superuser".into(),
        sender_user_id: "superuser".into(),
        status: status.into(),
        code: String::new(),
        meta_data: json!({}),
        created_at: 1,
    }
}

#[test]
fn an_accepted_invitation_reads_verified_after_the_next_sync() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();

    let staging = cache.begin_sync().unwrap();
    staging.commit().unwrap();
    // The invitation is created from the app: a single-row change outside any sync.
    cache.upsert_invites(&[invite("pending")]).unwrap();
    let query = InviteQuery {
        text: "invitee".into(),
        limit: 10,
        ..Default::default()
    };
    let first = cache.query_invites(&query).unwrap();
    assert_eq!(first.rows[0].status, "pending");

    let mut staging = cache.begin_sync().unwrap();
    staging.add_invites(&[invite("verified")]).unwrap();
    staging.commit().unwrap();
    let second = cache.query_invites(&query).unwrap();
    assert_eq!(
        second.rows[0].status, "verified",
        "the open cache sees the new snapshot"
    );
}

#[test]
fn an_invitation_created_during_a_sync_is_replaced_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = Cache::open(dir.path().join("app.sqlite")).unwrap();

    let staging = cache.begin_sync().unwrap();
    cache.upsert_invites(&[invite("pending")]).unwrap();
    staging.commit().unwrap();
    let query = InviteQuery {
        text: "invitee".into(),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(
        cache.query_invites(&query).unwrap().rows[0].status,
        "pending",
        "the journal kept it"
    );

    let mut staging = cache.begin_sync().unwrap();
    staging.add_invites(&[invite("verified")]).unwrap();
    staging.commit().unwrap();
    let rows = cache.query_invites(&query).unwrap().rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].status, "verified",
        "an earlier sync's journal is not replayed again"
    );
}
