//! Invitation and signup routes, and the single pages of `stat`.

use cosync_client::{InviteStatus, SignupStatus};

use crate::support::Fixture;

#[tokio::test]
async fn invitations_are_created_resent_found_and_revoked() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Invites").await;
    let id = app.app_id.as_str();
    fx.client
        .add_user(id, "member@example.com", "pw")
        .await
        .unwrap();

    let created = fx
        .client
        .create_invites(id, &["Carol@Example.com", "member@example.com"], Some("EN"))
        .await
        .unwrap();
    assert_eq!(
        created.exists,
        ["member@example.com"],
        "an existing user is skipped"
    );
    assert_eq!(created.invites.len(), 1);
    let invite = &created.invites[0];
    assert_eq!(invite.handle, "carol@example.com");
    assert_eq!(invite.status, InviteStatus::Pending);
    assert_eq!(invite.sender_user_id.as_deref(), Some("superuser"));
    assert_eq!(invite.sender_handle.as_deref(), Some("superuser"));

    fx.client
        .resend_invite(id, "carol@example.com")
        .await
        .unwrap();
    let mail = fx.mailbox(id, "carol@example.com").await;
    let invitations = mail.iter().filter(|m| m["kind"] == "invite").count();
    assert_eq!(
        invitations, 2,
        "the invitation was sent, then sent again: {mail:?}"
    );

    let searched = fx.client.search_invites(id, "carol@").await.unwrap();
    assert_eq!(searched.len(), 1);
    let found = fx
        .client
        .find_invite(id, "carol@example.com")
        .await
        .unwrap();
    assert_eq!(found.map(|i| i.id), Some(invite.id.clone()));

    let page = fx.client.invites_page(id, 0, 25).await.unwrap();
    assert_eq!(page.total_invite, 1);
    assert_eq!(page.invites[0].handle, "carol@example.com");

    let removed = fx
        .client
        .remove_invite(id, "carol@example.com")
        .await
        .unwrap();
    assert_eq!(removed.id, invite.id);
    assert!(
        fx.client
            .find_invite(id, "carol@example.com")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn signups_are_listed_found_and_removed() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Signups").await;
    let id = app.app_id.as_str();
    fx.client
        .add_user(id, "one@example.com", "pw")
        .await
        .unwrap();
    fx.client
        .add_user(id, "two@example.com", "pw")
        .await
        .unwrap();

    let page = fx.client.signups_page(id, 0, 25).await.unwrap();
    assert_eq!(page.total_signup, 2);
    assert!(
        page.signups
            .iter()
            .all(|s| s.status == SignupStatus::Active)
    );
    assert!(page.signups.iter().all(|s| s.is_admin_created()));
    // Newest first.
    assert_eq!(page.signups[0].handle, "two@example.com");

    let searched = fx.client.search_signups(id, "one@").await.unwrap();
    assert_eq!(searched.len(), 1);
    let signup = fx
        .client
        .find_signup(id, "one@example.com")
        .await
        .unwrap()
        .unwrap();
    let removed = fx
        .client
        .remove_signup(id, "one@example.com", &signup.id)
        .await
        .unwrap();
    assert_eq!(removed.id, signup.id);
    assert!(
        fx.client
            .find_signup(id, "one@example.com")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_users_page_counts_and_hides_anonymous_users() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Pages").await;
    let id = app.app_id.as_str();
    for n in 0..30 {
        fx.client
            .add_user(id, &format!("user{n:02}@example.com"), "pw")
            .await
            .unwrap();
    }
    let first = fx.client.users_page(id, 0, 25, true).await.unwrap();
    assert_eq!(first.total_user, 30);
    assert_eq!(first.users.len(), 25);
    assert_eq!(first.users[0].handle, "user29@example.com", "newest first");
    // The offset is a page index: page 1 holds the remaining 5.
    let second = fx.client.users_page(id, 1, 25, true).await.unwrap();
    assert_eq!(second.users.len(), 5);
    // A limit below 25 is raised to 25 by the host.
    let small = fx.client.users_page(id, 0, 10, true).await.unwrap();
    assert_eq!(small.users.len(), 25);
}
