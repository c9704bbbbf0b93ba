//! End-user routes over HTTP: tokens, signup, invites, anonymous login, errors.

mod common;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::{BOTH, Enc, Host, assert_code, md5};
use reqwest::Method;
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use serde_json::{Value, json};
use sha2::Sha256;

fn claims(token: &str) -> Value {
    serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap()
}

/// Checks an RS256 signature against the app's published key.
fn signed_by(token: &str, public_b64: &str) -> bool {
    let pem = String::from_utf8(STANDARD.decode(public_b64).unwrap()).unwrap();
    let key = VerifyingKey::<Sha256>::new(RsaPublicKey::from_public_key_pem(&pem).unwrap());
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(sig).unwrap().as_slice()).unwrap();
    key.verify(input.as_bytes(), &sig).is_ok()
}

#[tokio::test]
async fn login_tokens_follow_the_spec() {
    let h = Host::start().await;
    let (id, token) = h.app("Tokens").await;
    h.setting(&id, "realmAppId", "realmAppId", json!("realm-x"))
        .await;
    h.add_user(&id, "tia@example.com", "pw").await;
    let (status, tokens) = h.login(&token, " TIA@example.com", "pw", Enc::Form).await;
    assert_eq!(status, 200, "{tokens}");
    let jwt = tokens["jwt"].as_str().unwrap();
    let c = claims(jwt);
    assert_eq!(
        (c["aud"].as_str(), c["sub"].as_str(), c["email"].as_str()),
        (
            Some("realm-x"),
            Some("tia@example.com"),
            Some("tia@example.com")
        )
    );
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
        24 * 3600
    );
    let (_, app) = h.admin_get(&format!("/api/app/appId/{id}"), &[]).await;
    assert!(
        signed_by(jwt, app["appPublicKey"].as_str().unwrap()),
        "the jwt is signed with the app's key"
    );
    let access = tokens["access-token"].as_str().unwrap();
    let a = claims(access);
    assert_eq!(
        (
            a["handle"].as_str(),
            a["appId"].as_str(),
            a["scope"].as_str()
        ),
        (Some("tia@example.com"), Some(id.as_str()), Some("user"))
    );
    let (status, me) = h
        .send(
            Method::GET,
            "/api/appuser/getUser",
            &[("access-token", access)],
            Enc::Json,
            None,
        )
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["handle"], "tia@example.com");
    assert!(me["lastLogin"].is_string(), "login stamps lastLogin");
    for f in ["googleSecretKey", "phoneCode", "twoFactorCode", "password"] {
        assert!(me.get(f).is_none(), "getUser must not return {f}");
    }
    let (status, public) = h
        .send(
            Method::GET,
            "/api/appuser/getApplication",
            &[("app-token", &token)],
            Enc::Json,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(public["appId"], id.as_str());
    assert!(public.get("appToken").is_none() && public.get("appPublicKey").is_none());
}

#[tokio::test]
async fn credential_errors_follow_header_precedence() {
    let h = Host::start().await;
    let (id, token) = h.app("Creds").await;
    h.add_user(&id, "u@example.com", "pw").await;
    let body = json!({"handle": "u@example.com", "password": md5("pw")});
    let post = |headers: Vec<(&'static str, String)>| {
        let body = body.clone();
        let h = &h;
        async move {
            let hs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            h.send(
                Method::POST,
                "/api/appuser/login",
                &hs,
                Enc::Json,
                Some(body),
            )
            .await
        }
    };
    assert_code(
        &post(vec![("app-token", "garbage".into())]).await,
        400,
        "bad app token",
    );
    assert_code(&post(vec![]).await, 400, "no app token");
    assert_code(
        &post(vec![
            ("server-secret", "bad".into()),
            ("app-token", token.clone()),
        ])
        .await,
        500,
        "server-secret is checked first",
    );
    assert_code(
        &post(vec![
            ("app-token", "bad".into()),
            ("access-token", "whatever".into()),
        ])
        .await,
        400,
        "app-token before access-token",
    );
    assert_eq!(
        post(vec![
            ("app-token", token.clone()),
            ("access-token", "bad".into())
        ])
        .await
        .0,
        200,
        "the app token decides"
    );
    let get_user = |t: &'static str, v: String| {
        let h = &h;
        async move {
            h.send(
                Method::GET,
                "/api/appuser/getUser",
                &[(t, v.as_str())],
                Enc::Json,
                None,
            )
            .await
        }
    };
    assert_code(
        &get_user("access-token", "bad".into()).await,
        405,
        "bad access token",
    );
    assert_code(
        &get_user("app-token", token.clone()).await,
        405,
        "an app token is no access token",
    );
    let other = Host::start().await;
    let (_, foreign) = other.app("Creds").await;
    assert_code(
        &post(vec![("app-token", foreign)]).await,
        400,
        "another host's app token",
    );
    h.setting(&id, "status", "status", json!("inactive")).await;
    assert_code(
        &post(vec![("app-token", token.clone())]).await,
        402,
        "inactive app",
    );
    let secret = h.secret();
    h.send(
        Method::DELETE,
        &format!("/api/app/{id}"),
        &[("server-secret", &secret)],
        Enc::Json,
        None,
    )
    .await;
    assert_code(&post(vec![("app-token", token)]).await, 401, "deleted app");
}

#[tokio::test]
async fn signup_with_code_then_complete() {
    let h = Host::start().await;
    let (id, token) = h.app("Signup").await;
    let defs = json!([{"id": "n", "path": "name", "fieldName": "Name", "required": true, "canEdit": true}]);
    h.admin_post(
        "/api/app/updateAppMetaData",
        Enc::Json,
        json!({"appId": id, "metaData": defs}),
    )
    .await;
    for (i, enc) in BOTH.into_iter().enumerate() {
        let handle = format!("new{i}@example.com");
        let body = json!({"handle": handle, "password": md5("pw"), "metaData": json!({"name": "Zoë"}).to_string(), "locale": "en"});
        assert_eq!(
            h.app_post(&token, "/api/appuser/signup", enc, body.clone())
                .await,
            (200, json!(true))
        );
        assert_code(
            &h.login(&token, &handle, "pw", enc).await,
            608,
            "pending signup",
        );
        let mail = h.mailbox(&id, &handle).await;
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0]["kind"], "signup");
        let code = mail[0]["code"].as_i64().unwrap();
        let wrong = if code == 999_999 { 100_000 } else { code + 1 };
        assert_code(
            &h.app_post(
                &token,
                "/api/appuser/completeSignup",
                enc,
                json!({"handle": handle, "code": wrong}),
            )
            .await,
            602,
            "wrong code",
        );
        let (status, tokens) = h
            .app_post(
                &token,
                "/api/appuser/completeSignup",
                enc,
                json!({"handle": handle, "code": code.to_string()}),
            )
            .await;
        assert_eq!(status, 200, "{tokens}");
        assert_eq!(claims(tokens["jwt"].as_str().unwrap())["name"], "Zoë");
        assert_eq!(h.login(&token, &handle, "pw", enc).await.0, 200);
        assert_code(
            &h.app_post(&token, "/api/appuser/signup", enc, body).await,
            601,
            "already registered",
        );
    }
    let (_, signups) = h
        .admin_get("/api/app/stat", &[("appId", &id), ("target", "signups")])
        .await;
    assert!(
        signups["signups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "verified" && s["code"].as_i64().unwrap() > 0)
    );
    let s = |body: Value| h.app_post(&token, "/api/appuser/signup", Enc::Json, body);
    assert_code(
        &s(json!({"handle": "x@example.com", "password": md5("pw")})).await,
        604,
        "required metadata missing",
    );
    assert_code(
        &s(json!({"handle": "x@example.com", "password": md5("pw"), "metaData": "[1,2]"})).await,
        604,
        "metadata not an object",
    );
    assert_code(
        &s(json!({"handle": "x@example.com", "password": "plain", "metaData": {"name": "X"}}))
            .await,
        602,
        "password not MD5",
    );
    assert_code(
        &s(json!({"handle": "x@example.com"})).await,
        403,
        "missing password",
    );
    assert_code(&s(json!({"handle": "x@example.com", "password": md5("pw"), "metaData": {"name": "X"}, "userName": "xx"})).await, 606, "user names disabled");
    h.setting(&id, "signup", "signupEnabled", json!(false))
        .await;
    assert_code(
        &s(json!({"handle": "x@example.com", "password": md5("pw")})).await,
        407,
        "signup disabled",
    );
}

#[tokio::test]
async fn signup_flow_none_creates_the_user_at_once() {
    let h = Host::start().await;
    let (id, token) = h.app("Flow").await;
    h.setting(&id, "signupFlow", "signupFlow", json!("none"))
        .await;
    let body = json!({"handle": "now@example.com", "password": md5("pw")});
    assert_eq!(
        h.app_post(&token, "/api/appuser/signup", Enc::Form, body)
            .await,
        (200, json!(true))
    );
    assert_eq!(
        h.login(&token, "now@example.com", "pw", Enc::Form).await.0,
        200
    );
    let (_, signups) = h
        .admin_get("/api/app/stat", &[("appId", &id), ("target", "signups")])
        .await;
    assert_eq!(signups["signups"][0]["status"], "active");
}

#[tokio::test]
async fn expired_signup_code_is_411() {
    let h = Host::start().await;
    let report = h.seed("Old", 5, 0, 3).await;
    let (_, signups) = h
        .admin_get(
            "/api/app/stat",
            &[("appId", &report.app_id), ("target", "signups")],
        )
        .await;
    let pending = signups["signups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "pending")
        .expect("a pending seeded signup")
        .clone();
    let body = json!({"handle": pending["handle"], "code": pending["code"]});
    assert_code(
        &h.app_post(
            &report.app_token,
            "/api/appuser/completeSignup",
            Enc::Json,
            body,
        )
        .await,
        411,
        "seeded codes are older than 48 h",
    );
}

#[tokio::test]
async fn user_invite_then_register() {
    let h = Host::start().await;
    let (id, token) = h.app("Inv").await;
    h.add_user(&id, "host@example.com", "pw").await;
    let (_, tokens) = h.login(&token, "host@example.com", "pw", Enc::Json).await;
    let access = tokens["access-token"].as_str().unwrap().to_owned();
    let invite = |enc: Enc, body: Value| {
        let access = access.clone();
        let h = &h;
        async move {
            h.send(
                Method::POST,
                "/api/appuser/invite",
                &[("access-token", access.as_str())],
                enc,
                Some(body),
            )
            .await
        }
    };
    for (i, enc) in BOTH.into_iter().enumerate() {
        let guest = format!("guest{i}@example.com");
        let body = json!({"handle": guest, "senderUserId": "u-1", "metaData": json!({"team": "Red"}).to_string()});
        assert_eq!(invite(enc, body).await, (200, json!(true)));
        let code = h.mailbox(&id, &guest).await[0]["code"].as_i64().unwrap();
        let reg = json!({"handle": guest, "password": md5("pw2"), "code": code});
        assert_code(
            &h.app_post(
                &token,
                "/api/appuser/register",
                enc,
                json!({"handle": guest, "password": md5("pw2"), "code": 1}),
            )
            .await,
            602,
            "wrong code",
        );
        let (status, t) = h
            .app_post(&token, "/api/appuser/register", enc, reg.clone())
            .await;
        assert_eq!(status, 200, "{t}");
        assert_eq!(
            claims(t["jwt"].as_str().unwrap())["team"],
            "Red",
            "invite metadata carried over"
        );
        assert_code(
            &h.app_post(&token, "/api/appuser/register", enc, reg).await,
            601,
            "registered twice",
        );
    }
    let (_, invites) = h
        .admin_get("/api/app/stat", &[("appId", &id), ("target", "invites")])
        .await;
    for i in invites["invites"].as_array().unwrap() {
        assert_eq!(
            (
                i["status"].as_str(),
                i["senderHandle"].as_str(),
                i["senderUserId"].as_str()
            ),
            (Some("verified"), Some("host@example.com"), Some("u-1"))
        );
    }
    assert_code(
        &invite(
            Enc::Json,
            json!({"handle": "host@example.com", "senderUserId": "u-1"}),
        )
        .await,
        601,
        "inviting a user",
    );
    assert_code(
        &invite(Enc::Json, json!({"handle": "z@example.com"})).await,
        403,
        "no sender",
    );
    h.setting(&id, "invite", "invitationEnabled", json!(false))
        .await;
    assert_code(
        &invite(
            Enc::Json,
            json!({"handle": "z@example.com", "senderUserId": "u"}),
        )
        .await,
        406,
        "invitations disabled",
    );
    assert_code(
        &h.app_post(
            &token,
            "/api/appuser/register",
            Enc::Json,
            json!({"handle": "z@example.com", "password": md5("p"), "code": 1}),
        )
        .await,
        406,
        "register disabled too",
    );
}

#[tokio::test]
async fn anonymous_login_creates_the_user_once() {
    let h = Host::start().await;
    let (id, token) = h.app("Anon").await;
    let handle = "ANON_3f2c9a1e-0000-4000-8000-000000000001";
    let anon = |enc: Enc, handle: &str| {
        h.app_post(
            &token,
            "/api/appuser/loginAnonymous",
            enc,
            json!({"handle": handle}),
        )
    };
    assert_code(
        &anon(Enc::Json, handle).await,
        414,
        "anonymous login disabled",
    );
    h.setting(&id, "anonLogin", "anonymousLoginEnabled", json!(true))
        .await;
    for enc in BOTH {
        let (status, t) = anon(enc, handle).await;
        assert_eq!(status, 200, "{t}");
        assert_eq!(claims(t["jwt"].as_str().unwrap())["sub"], handle);
    }
    let (_, page) = h
        .admin_get("/api/app/stat", &[("appId", &id), ("target", "users")])
        .await;
    assert_eq!(
        (page["totalUser"].as_u64(), page["totalAnonUser"].as_u64()),
        (Some(1), Some(1))
    );
    assert_code(
        &anon(Enc::Form, "someone@example.com").await,
        602,
        "not an ANON_ handle",
    );
}
