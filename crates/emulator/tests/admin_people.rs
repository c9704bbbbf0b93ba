//! Admin routes about people, checked through their effect on end-user routes.

mod common;

use common::{BOTH, Enc, Host, assert_code, assert_fails, md5};
use serde_json::{Value, json};

async fn stat(h: &Host, id: &str, target: &str) -> Value {
    let (status, body) = h
        .admin_get(
            "/api/app/stat",
            &[("appId", id), ("target", target), ("limit", "100")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn add_user_writes_an_admin_signup_and_checks_its_input() {
    let h = Host::start().await;
    let (id, token) = h.app("Add").await;
    for (i, enc) in BOTH.into_iter().enumerate() {
        let handle = format!("  New{i}@Example.COM ");
        let body = json!({"appId": id, "handle": handle, "password": md5("pw")});
        let (status, user) = h.admin_post("/api/app/addUser", enc, body.clone()).await;
        assert_eq!(status, 200, "{user}");
        let expected = format!("new{i}@example.com");
        assert_eq!(
            user["handle"],
            expected.as_str(),
            "handles are trimmed and lower-cased"
        );
        assert_eq!(user["_id"].as_str().unwrap().len(), 24);
        assert!(user.get("lastLogin").is_none(), "no login yet");
        assert!(
            user.get("googleSecretKey").is_some(),
            "admin answers keep the secret fields"
        );
        let dup = h.admin_post("/api/app/addUser", enc, body).await;
        assert_fails(&dup, 400, "already registered");
        assert_eq!(dup.1["message"], "User already registerred.");
        assert_eq!(h.login(&token, &expected, "pw", enc).await.0, 200);
    }
    let signups = stat(&h, &id, "signups").await;
    let records = signups["signups"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert!(
        records
            .iter()
            .all(|s| s["code"] == 0 && s["status"] == "active"),
        "{signups}"
    );
    assert_code(
        &h.admin_post(
            "/api/app/addUser",
            Enc::Form,
            json!({"appId": id, "handle": "x@example.com", "password": "clear"}),
        )
        .await,
        602,
        "password not MD5 hex",
    );
    assert_code(
        &h.admin_post(
            "/api/app/addUser",
            Enc::Form,
            json!({"appId": id, "handle": "x@example.com"}),
        )
        .await,
        403,
        "no password",
    );
    assert_code(
        &h.admin_post(
            "/api/app/addUser",
            Enc::Json,
            json!({"appId": "f".repeat(32), "handle": "x@example.com", "password": md5("p")}),
        )
        .await,
        401,
        "unknown app",
    );
    h.setting(&id, "status", "status", json!("inactive")).await;
    assert_code(
        &h.admin_post(
            "/api/app/addUser",
            Enc::Json,
            json!({"appId": id, "handle": "x@example.com", "password": md5("p")}),
        )
        .await,
        402,
        "inactive app",
    );
}

#[tokio::test]
async fn suspended_user_cannot_log_in_until_activated() {
    let h = Host::start().await;
    let (id, token) = h.app("Suspend").await;
    let user = h.add_user(&id, "sam@example.com", "pw").await;
    let user_id = user["_id"].as_str().unwrap();
    for enc in BOTH {
        let (status, reply) = h
            .admin_post(
                "/api/app/user",
                enc,
                json!({"appId": id, "userId": user_id, "status": "suspend"}),
            )
            .await;
        assert_eq!((status, reply), (200, json!(true)));
        assert_code(
            &h.login(&token, "sam@example.com", "pw", enc).await,
            404,
            "suspended login",
        );
        assert_code(
            &h.login(&token, "sam@example.com", "nope", enc).await,
            600,
            "bad password still 600",
        );
        let (status, _) = h
            .admin_post(
                "/api/app/user",
                enc,
                json!({"appId": id, "userId": user_id, "status": "active"}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, tokens) = h.login(&token, "sam@example.com", "pw", enc).await;
        assert_eq!(status, 200, "{tokens}");
        assert!(tokens["jwt"].is_string() && tokens["access-token"].is_string());
    }
    assert_code(
        &h.admin_post(
            "/api/app/user",
            Enc::Json,
            json!({"appId": id, "userId": user_id, "status": "frozen"}),
        )
        .await,
        602,
        "unknown status",
    );
    assert_fails(
        &h.admin_post(
            "/api/app/user",
            Enc::Json,
            json!({"appId": id, "userId": "0".repeat(24), "status": "active"}),
        )
        .await,
        400,
        "unknown user",
    );
}

#[tokio::test]
async fn password_reset_mails_the_new_password() {
    let h = Host::start().await;
    let (id, token) = h.app("Reset").await;
    let user = h.add_user(&id, "rita@example.com", "old-pw").await;
    for (i, enc) in BOTH.into_iter().enumerate() {
        let new = format!("new-pw-{i}");
        let body =
            json!({"appId": id, "userId": user["_id"], "rawValue": new, "hashValue": md5(&new)});
        assert_eq!(
            h.admin_post("/api/app/resetUserPassword", enc, body).await,
            (200, json!(true))
        );
        let old = if i == 0 {
            "old-pw".to_owned()
        } else {
            format!("new-pw-{}", i - 1)
        };
        assert_code(
            &h.login(&token, "rita@example.com", &old, enc).await,
            600,
            "old password fails",
        );
        assert_eq!(
            h.login(&token, "rita@example.com", &new, enc).await.0,
            200,
            "new password works"
        );
    }
    let mail = h.mailbox(&id, "rita@example.com").await;
    let sent: Vec<&str> = mail
        .iter()
        .map(|m| m["password"].as_str().unwrap())
        .collect();
    assert_eq!(sent, ["new-pw-0", "new-pw-1"], "oldest first");
    assert!(
        mail.iter()
            .all(|m| m["kind"] == "adminPasswordReset" && m["createdAt"].is_string())
    );
    assert_code(
        &h.admin_post(
            "/api/app/resetUserPassword",
            Enc::Json,
            json!({"appId": id, "userId": user["_id"], "rawValue": "x", "hashValue": "x"}),
        )
        .await,
        602,
        "hash not MD5 hex",
    );
}

#[tokio::test]
async fn remove_user_removes_their_records() {
    let h = Host::start().await;
    let (id, token) = h.app("Remove").await;
    h.add_user(&id, "ron@example.com", "pw").await;
    let (status, gone) = h
        .admin_post(
            "/api/app/removeUser",
            Enc::Form,
            json!({"appId": id, "handle": "RON@example.com"}),
        )
        .await;
    assert_eq!(
        (status, gone["handle"].clone()),
        (200, json!("ron@example.com"))
    );
    assert_eq!(
        stat(&h, &id, "signups").await["totalSignup"],
        0,
        "the admin signup went too"
    );
    assert_eq!(stat(&h, &id, "users").await["totalUser"], 0);
    assert_code(
        &h.login(&token, "ron@example.com", "pw", Enc::Json).await,
        600,
        "deleted user",
    );
    assert_fails(
        &h.admin_post(
            "/api/app/removeUser",
            Enc::Json,
            json!({"appId": id, "handle": "ron@example.com"}),
        )
        .await,
        400,
        "twice",
    );
}

#[tokio::test]
async fn user_metadata_updates_show_in_the_user_jwt() {
    let h = Host::start().await;
    let (id, token) = h.app("Meta").await;
    h.add_user(&id, "mia@example.com", "pw").await;
    for enc in BOTH {
        let body = json!({"appId": id, "handle": "mia@example.com", "metaData": {"name": "Mía"}, "addedMetadata": [{"path": "profile.team", "value": "Blue"}]});
        assert_eq!(
            h.admin_post("/api/app/updateAppUserMetaData", enc, body)
                .await,
            (200, json!(true))
        );
    }
    let (_, users) = h
        .admin_get("/api/app/searchUser", &[("appId", &id), ("value", "mia")])
        .await;
    assert_eq!(
        users[0]["metaData"],
        json!({"name": "Mía", "profile": {"team": "Blue"}})
    );
    let (_, tokens) = h.login(&token, "mia@example.com", "pw", Enc::Json).await;
    let claims = common_jwt::claims(tokens["jwt"].as_str().unwrap());
    assert_eq!(claims["name"], "Mía", "metadata keys become claims");
    assert_eq!(claims["profile"]["team"], "Blue");
    assert_code(
        &h.admin_post(
            "/api/app/updateAppUserMetaData",
            Enc::Json,
            json!({"appId": id, "handle": "mia@example.com", "metaData": [1]}),
        )
        .await,
        604,
        "metadata not an object",
    );
    assert_code(
        &h.admin_post(
            "/api/app/updateAppUserMetaData",
            Enc::Form,
            json!({"appId": id, "handle": "mia@example.com", "metaData": "{oops"}),
        )
        .await,
        604,
        "metadata not JSON",
    );
    assert_fails(
        &h.admin_post(
            "/api/app/updateAppUserMetaData",
            Enc::Json,
            json!({"appId": id, "handle": "nobody@example.com", "metaData": {}}),
        )
        .await,
        400,
        "unknown user",
    );
}

#[tokio::test]
async fn portal_invites_resend_and_revoke() {
    let h = Host::start().await;
    let (id, _) = h.app("Invite").await;
    h.add_user(&id, "member@example.com", "pw").await;
    let body = json!({"appId": id, "handle": "a@example.com, B@example.com,member@example.com"});
    let (status, out) = h
        .admin_post("/api/app/createAppInvite", Enc::Form, body.clone())
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["exists"], json!(["member@example.com"]));
    let invites = out["invites"].as_array().unwrap();
    assert_eq!(invites.len(), 2);
    for i in invites {
        assert_eq!(
            (
                i["status"].as_str(),
                i["senderHandle"].as_str(),
                i["senderUserId"].as_str()
            ),
            (Some("pending"), Some("superuser"), Some("superuser"))
        );
        let code = i["code"].as_i64().unwrap();
        assert!((100_000..1_000_000).contains(&code));
    }
    let (_, again) = h
        .admin_post("/api/app/createAppInvite", Enc::Json, body)
        .await;
    assert_eq!(
        again["exists"].as_array().unwrap().len(),
        3,
        "existing invites are skipped"
    );
    assert_eq!(
        h.admin_post(
            "/api/app/resendAppInvite",
            Enc::Json,
            json!({"appId": id, "handle": "b@example.com"})
        )
        .await,
        (200, json!(true))
    );
    let mail = h.mailbox(&id, "b@example.com").await;
    assert_eq!(mail.len(), 2, "sent, then resent");
    assert_eq!(mail[0]["code"], mail[1]["code"]);
    assert_eq!(mail[0]["kind"], "invite");
    let (status, removed) = h
        .admin_post(
            "/api/app/removeAppInvite",
            Enc::Form,
            json!({"appId": id, "handle": "a@example.com"}),
        )
        .await;
    assert_eq!(
        (status, removed["handle"].clone()),
        (200, json!("a@example.com"))
    );
    assert_fails(
        &h.admin_post(
            "/api/app/removeAppInvite",
            Enc::Json,
            json!({"appId": id, "handle": "a@example.com"}),
        )
        .await,
        400,
        "gone",
    );
    assert_fails(
        &h.admin_post(
            "/api/app/resendAppInvite",
            Enc::Json,
            json!({"appId": id, "handle": "a@example.com"}),
        )
        .await,
        400,
        "gone",
    );
    assert_code(
        &h.admin_post("/api/app/createAppInvite", Enc::Json, json!({"appId": id}))
            .await,
        403,
        "no handle",
    );
}

#[tokio::test]
async fn remove_signup_needs_handle_and_id() {
    let h = Host::start().await;
    let (id, _) = h.app("Signups").await;
    h.add_user(&id, "sue@example.com", "pw").await;
    let signups = stat(&h, &id, "signups").await;
    let sid = signups["signups"][0]["_id"].as_str().unwrap().to_owned();
    assert_fails(
        &h.admin_post(
            "/api/app/removeAppSignup",
            Enc::Json,
            json!({"appId": id, "handle": "other@example.com", "_id": sid}),
        )
        .await,
        400,
        "wrong handle",
    );
    let (status, gone) = h
        .admin_post(
            "/api/app/removeAppSignup",
            Enc::Form,
            json!({"appId": id, "handle": "sue@example.com", "_id": sid}),
        )
        .await;
    assert_eq!((status, gone["_id"].as_str()), (200, Some(sid.as_str())));
    assert_eq!(stat(&h, &id, "signups").await["totalSignup"], 0);
}

mod common_jwt {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::Value;

    pub fn claims(token: &str) -> Value {
        let body = token.split('.').nth(1).expect("three parts");
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).expect("base64url"))
            .expect("JSON claims")
    }
}
