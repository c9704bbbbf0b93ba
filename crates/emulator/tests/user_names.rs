//! User names over HTTP: asked for at signup or register, kept on the user, unique
//! per app (code 605), and usable to log in.

mod common;

use common::{BOTH, Enc, Host, assert_code, md5};
use serde_json::{Value, json};

async fn signup_code(h: &Host, id: &str, token: &str, enc: Enc, body: Value) -> i64 {
    let handle = body["handle"].as_str().unwrap().to_owned();
    let reply = h.app_post(token, "/api/appuser/signup", enc, body).await;
    assert_eq!(reply, (200, json!(true)));
    h.mailbox(id, &handle).await[0]["code"].as_i64().unwrap()
}

async fn user_name_of(h: &Host, id: &str, name: &str) -> Vec<String> {
    let (_, found) = h
        .admin_get("/api/app/searchUser", &[("appId", id), ("value", name)])
        .await;
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn signup_keeps_the_user_name_and_refuses_a_taken_one() {
    let h = Host::start().await;
    let (id, token) = h.app("Names").await;
    h.setting(&id, "userNamesEnabled", "userNamesEnabled", json!(true))
        .await;
    for (i, enc) in BOTH.into_iter().enumerate() {
        let (handle, name) = (format!("first{i}@example.com"), format!("first_{i}"));
        let body = json!({"handle": handle, "password": md5("pw"), "userName": name});
        let code = signup_code(&h, &id, &token, enc, body).await;
        let done = json!({"handle": handle, "code": code});
        let (status, _) = h
            .app_post(&token, "/api/appuser/completeSignup", enc, done)
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            user_name_of(&h, &id, &format!("^{name}$")).await,
            vec![name.clone()]
        );
        assert_eq!(
            h.login(&token, &name, "pw", enc).await.0,
            200,
            "log in by user name"
        );
        let again = json!({"handle": format!("second{i}@example.com"), "password": md5("pw"), "userName": name});
        assert_code(
            &h.app_post(&token, "/api/appuser/signup", enc, again).await,
            605,
            "user name taken at signup",
        );
    }

    // Two pending signups ask for one name: the second to complete finds it taken.
    let ask = |handle: &str| json!({"handle": handle, "password": md5("pw"), "userName": "shared"});
    let a = signup_code(&h, &id, &token, Enc::Json, ask("a@example.com")).await;
    let b = signup_code(&h, &id, &token, Enc::Json, ask("b@example.com")).await;
    let complete = |handle: &str, code: i64| {
        h.app_post(
            &token,
            "/api/appuser/completeSignup",
            Enc::Form,
            json!({"handle": handle, "code": code}),
        )
    };
    assert_eq!(complete("a@example.com", a).await.0, 200);
    assert_code(
        &complete("b@example.com", b).await,
        605,
        "taken while pending",
    );
}

#[tokio::test]
async fn register_keeps_the_user_name_and_refuses_a_taken_one() {
    let h = Host::start().await;
    let (id, token) = h.app("Invited").await;
    h.setting(&id, "userNamesEnabled", "userNamesEnabled", json!(true))
        .await;
    h.admin_post(
        "/api/app/createAppInvite",
        Enc::Json,
        json!({"appId": id, "handle": "x@example.com,y@example.com"}),
    )
    .await;
    let code = |handle: &'static str| {
        let h = &h;
        let id = id.clone();
        async move { h.mailbox(&id, handle).await[0]["code"].as_i64().unwrap() }
    };
    let reg = |handle: &str, code: i64| json!({"handle": handle, "password": md5("pw"), "code": code, "userName": "xavier"});
    let (status, _) = h
        .app_post(
            &token,
            "/api/appuser/register",
            Enc::Form,
            reg("x@example.com", code("x@example.com").await),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(user_name_of(&h, &id, "^xavier$").await, ["xavier"]);
    assert_code(
        &h.app_post(
            &token,
            "/api/appuser/register",
            Enc::Json,
            reg("y@example.com", code("y@example.com").await),
        )
        .await,
        605,
        "user name taken at register",
    );
    h.setting(&id, "userNamesEnabled", "userNamesEnabled", json!(false))
        .await;
    assert_code(
        &h.app_post(
            &token,
            "/api/appuser/register",
            Enc::Json,
            reg("y@example.com", code("y@example.com").await),
        )
        .await,
        606,
        "user names disabled",
    );
}
