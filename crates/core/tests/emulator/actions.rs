//! Actions take effect on the host (proved through the end-user API) and in the cache.

use gatehouse_core::{
    BulkAction, BulkOutcome, CancellationToken, Onboarding, Sensitive, UserQuery,
};
use serde_json::json;

use crate::support::{Fixture, SEEDED_PASSWORD};

async fn first_email_user(fx: &Fixture) -> gatehouse_core::UserRow {
    let query = UserQuery {
        text: "@".into(),
        limit: 1,
        ..UserQuery::default()
    };
    let window = fx.conn.query_users(&fx.app_id, query).await.unwrap();
    window
        .rows
        .into_iter()
        .next()
        .expect("seeded users have e-mail handles")
}

#[tokio::test]
async fn suspend_activate_and_reset_password_take_effect() {
    let fx = Fixture::start(30).await;
    fx.sync().await.unwrap();
    let row = first_email_user(&fx).await;
    let handle = row.user.handle.clone();
    assert_eq!(fx.login(&handle, SEEDED_PASSWORD).await, Ok(()));

    let user = fx
        .conn
        .set_user_status_by_handle(&fx.app_id, &handle.to_uppercase(), false)
        .await
        .unwrap();
    assert_eq!(
        user.id, row.user.id,
        "the handle is resolved on the host, whatever its case"
    );
    assert_eq!(
        fx.login(&handle, SEEDED_PASSWORD).await,
        Err(404),
        "suspended users cannot log in"
    );
    let cached = fx
        .conn
        .cached_user(&fx.app_id, &row.user.id)
        .await
        .unwrap()
        .unwrap();
    assert!(!cached.user.is_active(), "the cached row follows the host");

    fx.conn
        .set_user_status(&fx.app_id, &row.user.id, true)
        .await
        .unwrap();
    assert_eq!(fx.login(&handle, SEEDED_PASSWORD).await, Ok(()));

    let generated = fx
        .conn
        .reset_password(&fx.app_id, &row.user.id, None)
        .await
        .unwrap();
    assert!(generated.expose().len() >= 16);
    assert_eq!(
        fx.login(&handle, generated.expose()).await,
        Ok(()),
        "the new password logs in"
    );
    assert_eq!(fx.login(&handle, SEEDED_PASSWORD).await, Err(600));
    let chosen = Sensitive::new("Chosen-passw0rd".to_owned());
    let answered = fx
        .conn
        .reset_password_by_handle(&fx.app_id, &handle, Some(chosen))
        .await
        .unwrap();
    assert_eq!(fx.login(&handle, answered.expose()).await, Ok(()));
}

#[tokio::test]
async fn add_update_and_delete_a_user() {
    let fx = Fixture::start(25).await;
    fx.sync().await.unwrap();
    let pw = Sensitive::new("first-Passw0rd".to_owned());
    let meta = json!({"name": "Ada", "profile": {"team": "core"}});
    let user = fx
        .conn
        .add_user(
            &fx.app_id,
            "Ada@Example.com",
            &pw,
            meta.as_object().cloned(),
        )
        .await
        .unwrap();
    assert_eq!(user.handle, "ada@example.com");
    assert_eq!(fx.login("ada@example.com", "first-Passw0rd").await, Ok(()));
    let cached = fx
        .conn
        .cached_user(&fx.app_id, &user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        cached.onboarding,
        Onboarding::Admin,
        "an added user came in by an admin"
    );
    assert_eq!(cached.user.meta_data, meta);
    let found = fx
        .conn
        .find_user(&fx.app_id, "ada@example.com")
        .await
        .unwrap();
    assert_eq!(found.meta_data, meta, "the host took the metadata");

    let dup = fx
        .conn
        .add_user(&fx.app_id, "ada@example.com", &pw, None)
        .await
        .unwrap_err();
    assert!(dup.is_refused_by_host(), "{dup}");

    let new_meta = json!({"name": "Ada L."});
    fx.conn
        .update_metadata(
            &fx.app_id,
            "ada@example.com",
            new_meta.as_object().cloned().unwrap(),
        )
        .await
        .unwrap();
    let cached = fx
        .conn
        .cached_user(&fx.app_id, &user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cached.user.meta_data["name"], "Ada L.");

    fx.conn
        .delete_user(&fx.app_id, "ada@example.com")
        .await
        .unwrap();
    assert_eq!(
        fx.conn
            .find_user(&fx.app_id, "ada@example.com")
            .await
            .unwrap_err()
            .code(),
        "user_not_found"
    );
    assert!(
        fx.conn
            .cached_user(&fx.app_id, &user.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        fx.login("ada@example.com", "first-Passw0rd").await,
        Err(600)
    );
}

#[tokio::test]
async fn invitations_and_signups() {
    let fx = Fixture::start(25).await;
    fx.sync().await.unwrap();
    let existing = first_email_user(&fx).await.user.handle;
    let handles = vec!["new1@example.com".to_owned(), existing.clone()];
    let report = fx
        .conn
        .create_invites(&fx.app_id, &handles, None)
        .await
        .unwrap();
    assert_eq!(report.invited, ["new1@example.com"]);
    assert_eq!(
        report.skipped,
        [existing],
        "an existing user is skipped, and said so"
    );
    let invites = fx
        .conn
        .query_invites(
            &fx.app_id,
            gatehouse_core::InviteQuery {
                text: "new1@".into(),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        invites.rows.len(),
        1,
        "the new invitation is cached at once"
    );
    fx.conn
        .resend_invite(&fx.app_id, "new1@example.com")
        .await
        .unwrap();
    fx.conn
        .revoke_invite(&fx.app_id, "new1@example.com")
        .await
        .unwrap();
    let err = fx
        .conn
        .revoke_invite(&fx.app_id, "new1@example.com")
        .await
        .unwrap_err();
    assert!(err.is_refused_by_host(), "{err}");

    let signups = fx
        .conn
        .query_signups(
            &fx.app_id,
            gatehouse_core::SignupQuery {
                status: Some(gatehouse_core::SignupStatus::Pending),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let pending = signups
        .rows
        .first()
        .expect("seeding leaves pending signups")
        .clone();
    fx.conn
        .remove_signup(&fx.app_id, &pending.handle, None)
        .await
        .unwrap();
    let after = fx
        .conn
        .query_signups(
            &fx.app_id,
            gatehouse_core::SignupQuery {
                text: pending.handle.clone(),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(after.rows.iter().all(|s| s.handle != pending.handle));
}

#[tokio::test]
async fn bulk_reports_each_item() {
    let fx = Fixture::start(30).await;
    fx.sync().await.unwrap();
    let ids = fx
        .conn
        .matching_user_ids(
            &fx.app_id,
            UserQuery {
                text: "@".into(),
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    let picked: Vec<String> = ids.iter().take(3).cloned().collect();
    fx.conn
        .set_user_status(&fx.app_id, &picked[0], false)
        .await
        .unwrap();
    let mut list = picked.clone();
    list.push("ffffffffffffffffffffffff".into());
    let progress = std::sync::Mutex::new(0);
    let items = fx
        .conn
        .bulk(
            &fx.app_id,
            BulkAction::Suspend,
            &list,
            |p| *progress.lock().unwrap() = p.processed,
            &CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(*progress.lock().unwrap(), 4);
    assert!(
        matches!(&items[0].outcome, BulkOutcome::Skipped { reason } if reason.contains("already"))
    );
    assert_eq!(items[1].outcome, BulkOutcome::Done);
    assert_eq!(items[2].outcome, BulkOutcome::Done);
    assert!(
        matches!(items[3].outcome, BulkOutcome::Skipped { .. }),
        "an unknown id is skipped with a reason"
    );
    for row in &items[..3] {
        let handle = row.handle.as_deref().unwrap();
        assert_eq!(fx.login(handle, SEEDED_PASSWORD).await, Err(404));
    }
    let items = fx
        .conn
        .bulk(
            &fx.app_id,
            BulkAction::Delete,
            &picked[..1],
            |_| {},
            &CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(items[0].outcome, BulkOutcome::Done);
    let cancel = CancellationToken::new();
    cancel.cancel();
    let items = fx
        .conn
        .bulk(
            &fx.app_id,
            BulkAction::Activate,
            &picked[1..],
            |_| {},
            &cancel,
        )
        .await
        .unwrap();
    assert!(
        items
            .iter()
            .all(|i| matches!(i.outcome, BulkOutcome::Skipped { .. }))
    );
}

#[tokio::test]
async fn an_accepted_invitation_reads_active_after_the_next_sync() {
    let fx = Fixture::start(5).await;
    fx.sync().await.unwrap();
    let invitee = "invitee+core@example.com";
    fx.conn
        .create_invites(&fx.app_id, &[invitee.to_owned()], None)
        .await
        .unwrap();
    let code = fx.mailbox_code(invitee).await;
    fx.register(invitee, "Welcome-123", code).await;
    fx.sync().await.unwrap();
    let invites = fx
        .conn
        .query_invites(
            &fx.app_id,
            gatehouse_core::InviteQuery {
                text: invitee.into(),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let statuses: Vec<_> = invites.rows.iter().map(|i| i.status.as_str()).collect();
    assert_eq!(
        statuses,
        ["verified"],
        "the sync after registering brings the accepted invitation"
    );
}

/// The cached status of `handle`.
async fn cached_status(fx: &Fixture, conn: &gatehouse_core::Connection, handle: &str) -> String {
    let query = UserQuery {
        text: handle.to_owned(),
        limit: 10,
        ..UserQuery::default()
    };
    let window = conn.query_users(&fx.app_id, query).await.unwrap();
    window
        .rows
        .into_iter()
        .find(|row| row.user.handle == handle)
        .map(|row| row.user.status)
        .expect("the user is cached")
}

#[tokio::test]
async fn a_change_whose_answer_is_lost_is_said_unknown_sent_once_and_read_again() {
    let fx = Fixture::start(30).await;
    fx.sync().await.unwrap();
    let row = first_email_user(&fx).await;
    let handle = row.user.handle.clone();
    // The host applies the suspension, then the connection is cut mid-answer.
    fx.inject(json!({"dropAfterBytes": 2, "path": "/api/app/user", "count": 1}))
        .await;
    let err = fx
        .conn
        .set_user_status(&fx.app_id, &row.user.id, false)
        .await
        .expect_err("no answer came");
    fx.clear_faults().await;
    assert_eq!(err.code(), "outcome_unknown", "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&format!("suspending {handle}"))
            && text.contains("may or may not have happened"),
        "{text}"
    );
    assert_eq!(
        fx.login(&handle, SEEDED_PASSWORD).await,
        Err(404),
        "applied once"
    );
    assert_eq!(
        cached_status(&fx, &fx.conn, &handle).await,
        "suspend",
        "read again from the host at once"
    );
    // The line stays until a later read settles it (the host could still be applying a
    // slow change); a sync settles it.
    assert_eq!(
        fx.conn.unsettled_changes(&fx.app_id).await.unwrap(),
        std::slice::from_ref(&handle)
    );
    fx.sync().await.unwrap();
    assert!(
        fx.conn
            .unsettled_changes(&fx.app_id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_change_answered_too_late_is_repaired_at_the_next_start() {
    let fx = Fixture::start(30).await;
    fx.sync().await.unwrap();
    let row = first_email_user(&fx).await;
    let handle = row.user.handle.clone();
    // The host takes longer than the client waits (1 s here): the client gives up, then
    // the host applies the change.
    fx.inject(json!({"latencyMs": 2000, "path": "/api/app/user", "count": 1}))
        .await;
    let err = fx
        .conn
        .set_user_status(&fx.app_id, &row.user.id, false)
        .await
        .expect_err("the answer came too late");
    assert_eq!(err.code(), "outcome_unknown", "{err}");
    fx.clear_faults().await;
    // The host finishes the work it was slow to answer (the emulator drops a request
    // whose client left, so the test applies it the way the host would have).
    let applied = reqwest::Client::new()
        .post(format!("{}/api/app/user", fx.host.base_url()))
        .header("server-secret", fx.host.server_secret())
        .json(&json!({"appId": fx.app_id, "userId": row.user.id, "status": "suspend"}))
        .send()
        .await
        .unwrap();
    assert!(applied.status().is_success());
    assert_eq!(fx.login(&handle, SEEDED_PASSWORD).await, Err(404));
    assert_eq!(
        cached_status(&fx, &fx.conn, &handle).await,
        "active",
        "the re-read right after the time-out came before the host applied it"
    );

    // The next start: another core on the same data folder, with its own cache handle.
    let later = fx.reopen().await;
    assert_eq!(
        later.unsettled_changes(&fx.app_id).await.unwrap(),
        std::slice::from_ref(&handle)
    );
    assert_eq!(later.recheck_sent(&fx.app_id).await.unwrap(), 1);
    assert_eq!(cached_status(&fx, &later, &handle).await, "suspend");
    assert!(
        later
            .unsettled_changes(&fx.app_id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn every_fault_on_an_action_is_said_in_words_and_the_cache_agrees_with_the_host() {
    let fx = Fixture::start(30).await;
    fx.sync().await.unwrap();
    let row = first_email_user(&fx).await;
    let handle = row.user.handle.clone();
    // (fault, words of the message, whether the host may have applied it)
    let faults = [
        (json!({"status": 500}), "the host answered HTTP 500", false),
        (json!({"status": 503}), "host unreachable", false),
        (
            json!({"body": "internalError"}),
            "the host had an internal error",
            false,
        ),
        (
            json!({"body": "wrongShape"}),
            "is this a Cosync JWT host",
            false,
        ),
        (
            json!({"body": "malformed"}),
            "may or may not have happened",
            true,
        ),
        (
            json!({"latencyMs": 2500}),
            "may or may not have happened",
            true,
        ),
        (
            json!({"dropAfterBytes": 2}),
            "may or may not have happened",
            true,
        ),
    ];
    for (fault, words, unknown) in faults {
        let before = cached_status(&fx, &fx.conn, &handle).await;
        let mut armed = fault.clone();
        armed["path"] = json!("/api/app/user");
        armed["count"] = json!(1);
        fx.inject(armed).await;
        let suspend = before == "active";
        let err = fx
            .conn
            .set_user_status(&fx.app_id, &row.user.id, !suspend)
            .await
            .expect_err("the fault fails the action");
        fx.clear_faults().await;
        assert!(err.to_string().contains(words), "{fault}: {err}");
        assert_eq!(err.code() == "outcome_unknown", unknown, "{fault}: {err}");
        let on_host = match fx.login(&handle, SEEDED_PASSWORD).await {
            Ok(()) => "active",
            Err(404) => "suspend",
            Err(code) => panic!("unexpected login answer {code}"),
        };
        assert_eq!(
            cached_status(&fx, &fx.conn, &handle).await,
            on_host,
            "{fault}: the cache agrees with the host"
        );
        if !unknown {
            assert_eq!(on_host, before, "{fault}: nothing was applied");
        }
    }
}

/// The ids of twelve active users with an e-mail handle in the synced copy.
async fn twelve_active_email_users(fx: &Fixture) -> Vec<String> {
    let ids = fx
        .conn
        .matching_user_ids(
            &fx.app_id,
            UserQuery {
                text: "@".into(),
                status: Some(gatehouse_core::StatusFilter::Active),
                ..UserQuery::default()
            },
        )
        .await
        .unwrap();
    let picked: Vec<String> = ids.into_iter().take(12).collect();
    assert_eq!(picked.len(), 12, "the seed has 12 active e-mail users");
    picked
}

#[tokio::test]
async fn a_bulk_action_of_many_users_sends_four_at_once_and_answers_in_the_order_asked() {
    let fx = Fixture::start(30).await;
    fx.sync().await.unwrap();
    let picked = twelve_active_email_users(&fx).await;
    // Each change is held for 300 ms (well inside the client's patience), so requests
    // sent together are seen together by the host.
    fx.inject(json!({"latencyMs": 300, "path": "/api/app/user", "count": 12}))
        .await;
    fx.host.reset_peak_in_flight();
    let seen = std::sync::Mutex::new(Vec::new());
    let items = fx
        .conn
        .bulk(
            &fx.app_id,
            BulkAction::Suspend,
            &picked,
            |p| seen.lock().unwrap().push(p.processed),
            &CancellationToken::new(),
        )
        .await
        .unwrap();
    let order: Vec<&String> = items.iter().map(|i| &i.user_id).collect();
    assert_eq!(order, picked.iter().collect::<Vec<_>>(), "the order asked");
    assert!(items.iter().all(|i| i.outcome == BulkOutcome::Done));
    assert_eq!(*seen.lock().unwrap(), (1..=12).collect::<Vec<_>>());
    assert_eq!(
        fx.host.peak_in_flight(),
        gatehouse_core::BULK_IN_FLIGHT,
        "the host saw as many requests at once as the client sends together"
    );
    for item in &items {
        let handle = item.handle.as_deref().unwrap();
        assert_eq!(
            fx.login(handle, SEEDED_PASSWORD).await,
            Err(404),
            "{handle}"
        );
    }
}
