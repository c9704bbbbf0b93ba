//! User routes: add, search, exact lookup, suspend, reset, metadata, remove; and the
//! secret fields that must never reach a typed result.

use cosync_client::{AddedMetadata, UserStatus};
use serde_json::{Map, Value, json};

use crate::support::{Fixture, code};

#[tokio::test]
async fn an_added_user_logs_in_with_the_md5_of_the_password() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Add").await;
    let user = fx
        .client
        .add_user(&app.app_id, "  Ann@Example.com ", "s3cret-Pass")
        .await
        .unwrap();
    assert_eq!(user.handle, "ann@example.com");
    assert_eq!(user.status, UserStatus::Active);
    assert_eq!(user.id.len(), 24);
    fx.login(&app, "ann@example.com", "s3cret-Pass")
        .await
        .expect("the host stored the MD5 the client sent");
    assert_eq!(fx.login(&app, "ann@example.com", "wrong").await, Err(600));

    let again = fx
        .client
        .add_user(&app.app_id, "ann@example.com", "x")
        .await;
    assert_eq!(
        code(again),
        "refused",
        "a second addUser of one handle fails"
    );

    // addUser also writes an admin signup (code 0).
    let signup = fx
        .client
        .find_signup(&app.app_id, "ann@example.com")
        .await
        .unwrap()
        .expect("a signup record exists");
    assert!(signup.is_admin_created());
}

#[tokio::test]
async fn a_search_means_a_literal_substring() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Search").await;
    for handle in [
        "bob+tag@example.com",
        "bobtag@example.com",
        "bobbtag@example.com",
        "bob+tagg@example.com",
        "alice@example.com",
    ] {
        fx.client.add_user(&app.app_id, handle, "pw").await.unwrap();
    }
    // As a regex, "bob+tag@" would match "bobtag@" and "bobbtag@" too.
    let found = fx
        .client
        .search_users(&app.app_id, "bob+tag@", false)
        .await
        .unwrap();
    let handles: Vec<&str> = found.iter().map(|u| u.handle.as_str()).collect();
    assert_eq!(handles, ["bob+tag@example.com"]);

    let dots = fx
        .client
        .search_users(&app.app_id, "ex.mple", false)
        .await
        .unwrap();
    assert!(dots.is_empty(), "a dot is a dot, not any character");

    let exact = fx
        .client
        .find_user(&app.app_id, "BOB+TAG@example.com")
        .await
        .unwrap()
        .expect("the exact handle resolves");
    assert_eq!(exact.handle, "bob+tag@example.com");
    assert!(
        fx.client
            .find_user(&app.app_id, "bob+tag@example")
            .await
            .unwrap()
            .is_none(),
        "a lookup is anchored: a prefix is not a match"
    );
}

#[tokio::test]
async fn suspend_activate_and_reset_password_take_effect() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Status").await;
    let user = fx
        .client
        .add_user(&app.app_id, "sam@example.com", "first-pass")
        .await
        .unwrap();

    fx.client
        .set_user_status(&app.app_id, &user.id, &UserStatus::Suspend)
        .await
        .unwrap();
    assert_eq!(
        fx.login(&app, "sam@example.com", "first-pass").await,
        Err(404),
        "a suspended user cannot log in"
    );
    let found = fx
        .client
        .find_user(&app.app_id, "sam@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.status, UserStatus::Suspend);
    fx.client
        .set_user_status(&app.app_id, &user.id, &UserStatus::Active)
        .await
        .unwrap();
    fx.login(&app, "sam@example.com", "first-pass")
        .await
        .unwrap();

    fx.client
        .reset_user_password(&app.app_id, &user.id, "second-Pass-9")
        .await
        .unwrap();
    fx.login(&app, "sam@example.com", "second-Pass-9")
        .await
        .expect("the new password works");
    assert_eq!(
        fx.login(&app, "sam@example.com", "first-pass").await,
        Err(600)
    );
    let mail = fx.mailbox(&app.app_id, "sam@example.com").await;
    assert!(
        mail.iter()
            .any(|m| m["kind"] == "adminPasswordReset" && m["password"] == "second-Pass-9"),
        "the host mails the clear password: {mail:?}"
    );

    let bad = fx
        .client
        .set_user_status(&app.app_id, &user.id, &UserStatus::Other("x".into()))
        .await;
    assert_eq!(code(bad), "invalid_input");
}

#[tokio::test]
async fn metadata_is_set_and_users_are_removed() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Remove").await;
    fx.client
        .add_user(&app.app_id, "meta@example.com", "pw")
        .await
        .unwrap();
    let mut meta = Map::new();
    meta.insert("name".into(), json!("Meta Person"));
    fx.client
        .update_user_metadata(
            &app.app_id,
            "meta@example.com",
            &meta,
            &[AddedMetadata {
                path: "profile.team".into(),
                value: json!("blue"),
            }],
        )
        .await
        .unwrap();
    let user = fx
        .client
        .find_user(&app.app_id, "meta@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.meta_data["name"], "Meta Person");
    assert_eq!(user.meta_data["profile"]["team"], "blue");

    let removed = fx
        .client
        .remove_user(&app.app_id, "meta@example.com")
        .await
        .unwrap();
    assert_eq!(removed.handle, "meta@example.com");
    assert!(
        fx.client
            .find_user(&app.app_id, "meta@example.com")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        fx.client
            .find_signup(&app.app_id, "meta@example.com")
            .await
            .unwrap()
            .is_none(),
        "removing a user removes its signup"
    );
}

#[tokio::test]
async fn secret_fields_never_reach_typed_results() {
    let fx = Fixture::start().await;
    let report = fx
        .host
        .seed(cosync_emulator::SeedOptions::new("Secrets", 60))
        .await
        .unwrap();
    let app_id = report.app_id.as_str();

    // The host does send them (so this test means something)...
    let raw = fx
        .raw_get(
            "/api/app/stat",
            &[
                ("appId", app_id),
                ("target", "users"),
                ("offset", "0"),
                ("limit", "100"),
                ("hideAnonUser", "false"),
            ],
        )
        .await;
    let mut present = 0;
    let mut secrets = Vec::new();
    for user in raw["users"].as_array().unwrap() {
        for field in ["googleSecretKey", "phoneCode", "twoFactorCode", "password"] {
            if let Some(value) = user.get(field) {
                present += 1;
                if let Value::String(s) = value {
                    // Short values (six-digit codes) could match digits of a date.
                    if s.len() >= 8 {
                        secrets.push(s.clone());
                    }
                }
            }
        }
    }
    assert!(present > 0, "the emulator returns secret fields");

    // ...and no typed result carries them, by value or by name.
    let page = fx.client.users_page(app_id, 0, 100, false).await.unwrap();
    let searched = fx.client.search_users(app_id, "@", false).await.unwrap();
    let printed = format!("{page:?}{searched:?}").to_lowercase();
    for secret in &secrets {
        assert!(!printed.contains(&secret.to_lowercase()), "{secret} leaked");
    }
    for name in ["secret", "phone_code", "two_factor_code", "password"] {
        assert!(!printed.contains(name), "a field named {name} exists");
    }
}
