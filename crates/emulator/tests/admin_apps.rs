//! Admin routes about apps, over HTTP: auth, settings, paging, search, logs, quirks.

mod common;

use common::{BOTH, Enc, Host, assert_code, assert_fails};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn auth_precedence_and_unknown_routes() {
    let h = Host::start().await;
    assert_eq!(
        h.admin_get("/api/app/connection", &[]).await,
        (200, json!(true))
    );
    let none = h
        .send(Method::GET, "/api/app/connection", &[], Enc::Json, None)
        .await;
    assert_code(&none, 500, "no secret answers like a bad one");
    let bad = h
        .send(
            Method::GET,
            "/api/app/connection",
            &[("server-secret", "x.y.z")],
            Enc::Json,
            None,
        )
        .await;
    assert_code(&bad, 500, "bad secret");
    let (_, token) = h.app("A").await;
    let app_only = h
        .send(
            Method::GET,
            "/api/app/allApps",
            &[("app-token", &token)],
            Enc::Json,
            None,
        )
        .await;
    assert_code(&app_only, 500, "an app token is no admin credential");
    let other = Host::start().await;
    let foreign = h
        .send(
            Method::GET,
            "/api/app/connection",
            &[("server-secret", &other.secret())],
            Enc::Json,
            None,
        )
        .await;
    assert_code(&foreign, 500, "another host's secret");
    let unknown = h
        .send(Method::GET, "/api/app/noSuchThing", &[], Enc::Json, None)
        .await;
    assert_eq!(unknown, (200, json!("Service Not found")));
    let wrong_method = h
        .send(Method::GET, "/api/app/addUser", &[], Enc::Json, None)
        .await;
    assert_eq!(wrong_method, (200, json!("Service Not found")));
    let resp = h.http.get(h.host.base_url()).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("Welcome"));
}

#[tokio::test]
async fn create_list_get_delete_apps() {
    let h = Host::start().await;
    for (i, enc) in BOTH.into_iter().enumerate() {
        let name = format!("App {i}");
        let (status, app) = h
            .admin_post("/api/app", enc, json!({"name": name, "jwtEnabled": false}))
            .await;
        assert_eq!(status, 200, "{app}");
        assert_eq!(app["jwtEnabled"], false, "{enc:?}");
        assert_eq!(app["status"], "active");
        assert_eq!(app["locales"], json!(["EN"]));
        assert_eq!(app["invitationEnabled"], true);
        assert_eq!(app["signupEnabled"], true);
        assert_eq!(app["signupFlow"], "code");
        assert_eq!(app["twoFactorVerification"], "none");
        assert_eq!(app["userJWTExpiration"], 24);
        let id = app["appId"].as_str().unwrap();
        assert!(
            id.len() == 32
                && id
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert!(app["appToken"].is_string() && app["appPublicKey"].is_string());
        let dup = h.admin_post("/api/app", enc, json!({"name": name})).await;
        assert_fails(&dup, 400, "duplicate name");
    }
    assert_code(
        &h.admin_post("/api/app", Enc::Form, json!({})).await,
        403,
        "missing name",
    );
    let (_, all) = h.admin_get("/api/app/allApps", &[]).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    let id = all[0]["appId"].as_str().unwrap().to_owned();
    let (status, one) = h.admin_get(&format!("/api/app/appId/{id}"), &[]).await;
    assert_eq!((status, one["name"].clone()), (200, json!("App 0")));
    let (app_id, _) = (id.clone(), ());
    h.add_user(&app_id, "gone@example.com", "pw").await;
    let secret = h.secret();
    let del = h
        .send(
            Method::DELETE,
            &format!("/api/app/{id}"),
            &[("server-secret", &secret)],
            Enc::Json,
            None,
        )
        .await;
    assert_eq!(del, (200, json!(true)));
    assert_code(
        &h.admin_get(&format!("/api/app/appId/{id}"), &[]).await,
        401,
        "deleted app",
    );
    assert_code(
        &h.admin_get("/api/app/stat", &[("appId", &id), ("target", "users")])
            .await,
        401,
        "stat of deleted app",
    );
    let again = h
        .send(
            Method::DELETE,
            &format!("/api/app/{id}"),
            &[("server-secret", &secret)],
            Enc::Json,
            None,
        )
        .await;
    assert_code(&again, 401, "deleting twice");
}

#[tokio::test]
async fn settings_change_once_and_reject_the_rest() {
    let h = Host::start().await;
    let (id, _) = h.app("S").await;
    let cases = [
        ("status", "status", json!("inactive")),
        ("jwtEnabled", "jwtEnabled", json!(false)),
        ("invite", "invitationEnabled", json!(false)),
        ("signup", "signupEnabled", json!(false)),
        ("signupFlow", "signupFlow", json!("link")),
        ("anonLogin", "anonymousLoginEnabled", json!(true)),
        ("userNamesEnabled", "userNamesEnabled", json!(true)),
        ("userJWTExpiration", "userJWTExpiration", json!(48)),
        ("realmAppId", "realmAppId", json!("realm-1")),
    ];
    for (i, (setting, field, value)) in cases.into_iter().enumerate() {
        let enc = BOTH[i % 2];
        let body = json!({"appId": id, "setting": setting, field: value});
        let (status, app) = h
            .admin_post("/api/app/updateAppSetting", enc, body.clone())
            .await;
        assert_eq!(status, 200, "{setting} via {enc:?}: {app}");
        assert_eq!(app[field], value, "{setting} changes {field}");
        let same = h.admin_post("/api/app/updateAppSetting", enc, body).await;
        assert_fails(&same, 400, "an unchanged value fails");
    }
    let unknown = h
        .admin_post(
            "/api/app/updateAppSetting",
            Enc::Json,
            json!({"appId": id, "setting": "colour", "colour": "red"}),
        )
        .await;
    assert_fails(&unknown, 400, "unknown setting");
    let invalid = h
        .admin_post(
            "/api/app/updateAppSetting",
            Enc::Json,
            json!({"appId": id, "setting": "signupFlow", "signupFlow": "pigeon"}),
        )
        .await;
    assert_code(&invalid, 602, "invalid value");
    let missing = h
        .admin_post(
            "/api/app/updateAppSetting",
            Enc::Form,
            json!({"appId": id, "setting": "status"}),
        )
        .await;
    assert_code(&missing, 403, "value missing");
    let nowhere = h
        .admin_post(
            "/api/app/updateAppSetting",
            Enc::Form,
            json!({"appId": "0".repeat(32), "setting": "status", "status": "active"}),
        )
        .await;
    assert_code(&nowhere, 401, "unknown app");
    let stat = h
        .admin_get("/api/app/stat", &[("appId", &id), ("target", "users")])
        .await;
    assert_fails(&stat, 403, "stat of an inactive app");
}

#[tokio::test]
async fn metadata_definitions_replace_the_array() {
    let h = Host::start().await;
    let (id, _) = h.app("M").await;
    let defs = json!([{"id": "t", "path": "profile.team", "fieldName": "Team", "required": true, "canEdit": true}]);
    for enc in BOTH {
        let (status, app) = h
            .admin_post(
                "/api/app/updateAppMetaData",
                enc,
                json!({"appId": id, "metaData": defs}),
            )
            .await;
        assert_eq!(status, 200, "{app}");
        assert_eq!(app["metaData"], defs, "{enc:?}");
    }
    let bad = h
        .admin_post(
            "/api/app/updateAppMetaData",
            Enc::Form,
            json!({"appId": id, "metaData": "not json"}),
        )
        .await;
    assert_code(&bad, 604, "metadata that is not JSON");
    let no_path = h
        .admin_post(
            "/api/app/updateAppMetaData",
            Enc::Json,
            json!({"appId": id, "metaData": [{"fieldName": "x"}]}),
        )
        .await;
    assert_code(&no_path, 604, "a definition without a path");
}

fn ids(page: &Value, key: &str) -> Vec<String> {
    page[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn paging_returns_every_user_once_newest_first() {
    let h = Host::start().await;
    let report = h.seed("Paged", 260, 40, 30).await;
    let id = report.app_id;
    let (_, first) = h
        .admin_get(
            "/api/app/stat",
            &[("appId", &id), ("target", "users"), ("limit", "10")],
        )
        .await;
    assert_eq!(
        first["users"].as_array().unwrap().len(),
        25,
        "limit below 25 is raised to 25"
    );
    let total = first["totalUser"].as_u64().unwrap();
    assert_eq!(total, report.users);
    let mut seen: Vec<(String, String)> = Vec::new();
    for page in 0.. {
        let p = page.to_string();
        let (status, body) = h
            .admin_get(
                "/api/app/stat",
                &[
                    ("appId", &id),
                    ("target", "users"),
                    ("offset", &p),
                    ("limit", "30"),
                ],
            )
            .await;
        assert_eq!(status, 200);
        let users = body["users"].as_array().unwrap();
        if users.is_empty() {
            break;
        }
        for u in users {
            seen.push((
                u["createdAt"].as_str().unwrap().into(),
                u["_id"].as_str().unwrap().into(),
            ));
        }
    }
    assert_eq!(seen.len() as u64, total, "every user exactly once");
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(
        seen, sorted,
        "newest createdAt first, ties by _id descending"
    );
    let mut unique: Vec<_> = seen.iter().map(|s| &s.1).collect();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
    let (_, hidden) = h
        .admin_get(
            "/api/app/stat",
            &[
                ("appId", &id),
                ("target", "users"),
                ("hideAnonUser", "true"),
                ("limit", "1000"),
            ],
        )
        .await;
    let anon = hidden["totalAnonUser"].as_u64().unwrap();
    assert!(anon > 0, "the seed makes a few anonymous users");
    assert_eq!(hidden["totalUser"].as_u64().unwrap(), total - anon);
    assert!(
        hidden["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| !u["handle"].as_str().unwrap().starts_with("ANON_"))
    );
    let (_, inv) = h
        .admin_get(
            "/api/app/stat",
            &[("appId", &id), ("target", "invites"), ("limit", "100")],
        )
        .await;
    assert_eq!(inv["totalInvite"], 40);
    assert_eq!(ids(&inv, "invites").len(), 40);
    let (_, sig) = h
        .admin_get(
            "/api/app/stat",
            &[
                ("appId", &id),
                ("target", "signups"),
                ("offset", "1"),
                ("limit", "25"),
            ],
        )
        .await;
    assert!(sig["totalSignup"].as_u64().unwrap() >= 30);
    assert_eq!(ids(&sig, "signups").len(), 25);
    assert_fails(
        &h.admin_get("/api/app/stat", &[("appId", &id), ("target", "pets")])
            .await,
        400,
        "unknown target",
    );
    assert_code(
        &h.admin_get("/api/app/stat", &[("appId", &id)]).await,
        403,
        "missing target",
    );
}

#[tokio::test]
async fn search_is_a_case_sensitive_regex_and_safe() {
    let h = Host::start().await;
    let (id, _) = h.app("Search").await;
    for handle in [
        "ann.lee@example.com",
        "anna+x@example.com",
        "bob@example.org",
    ] {
        h.add_user(&id, handle, "pw").await;
    }
    let handles = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|u| u["handle"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, found) = h
        .admin_get("/api/app/searchUser", &[("appId", &id), ("value", "ann")])
        .await;
    assert_eq!(
        handles(&found),
        ["ann.lee@example.com", "anna+x@example.com"],
        "handle ascending"
    );
    let (_, plus) = h
        .admin_get("/api/app/searchUser", &[("appId", &id), ("value", "a+x")])
        .await;
    assert_eq!(
        handles(&plus),
        Vec::<String>::new(),
        "`+` is a regex quantifier, not a literal"
    );
    let (_, escaped) = h
        .admin_get("/api/app/searchUser", &[("appId", &id), ("value", r"a\+x")])
        .await;
    assert_eq!(handles(&escaped), ["anna+x@example.com"]);
    let (_, upper) = h
        .admin_get("/api/app/searchUser", &[("appId", &id), ("value", "ANN")])
        .await;
    assert!(handles(&upper).is_empty(), "case-sensitive");
    let (_, anchored) = h
        .admin_get("/api/app/searchUser", &[("appId", &id), ("value", "org$")])
        .await;
    assert_eq!(handles(&anchored), ["bob@example.org"]);
    let evil = h
        .admin_get(
            "/api/app/searchUser",
            &[("appId", &id), ("value", "(a+)+$")],
        )
        .await;
    assert_eq!(
        evil.0, 200,
        "a catastrophic-backtracking pattern runs in linear time"
    );
    assert_fails(
        &h.admin_get("/api/app/searchUser", &[("appId", &id), ("value", "(")])
            .await,
        400,
        "invalid regex",
    );
    assert_fails(
        &h.admin_get(
            "/api/app/searchUser",
            &[("appId", &id), ("value", &"a".repeat(5000))],
        )
        .await,
        400,
        "oversized pattern",
    );
    let report = h.seed("Search", 0, 6, 6).await;
    assert_eq!(report.app_id, id, "seeding fills the existing app");
    let (_, inv) = h
        .admin_get(
            "/api/app/searchInvite",
            &[("appId", &id), ("value", "invitee")],
        )
        .await;
    assert!(!inv.as_array().unwrap().is_empty());
    let (_, sig) = h
        .admin_get(
            "/api/app/searchSingUp",
            &[("appId", &id), ("value", "^pending")],
        )
        .await;
    assert!(
        !sig.as_array().unwrap().is_empty()
            && handles(&sig).iter().all(|s| s.starts_with("pending"))
    );
}

#[tokio::test]
async fn admin_changes_are_logged_and_filterable() {
    let h = Host::start().await;
    let (id, token) = h.app("Logs").await;
    h.add_user(&id, "a@example.com", "pw").await;
    h.setting(&id, "anonLogin", "anonymousLoginEnabled", json!(true))
        .await;
    let bad = h.login(&token, "a@example.com", "wrong", Enc::Json).await;
    assert_code(&bad, 600, "wrong password");
    let (_, all) = h
        .admin_get(
            "/api/app/logs",
            &[("appId", &id), ("type", "all"), ("status", "all")],
        )
        .await;
    let actions: Vec<&str> = all["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["login", "updateAppSetting", "addUser", "createApp"],
        "newest first"
    );
    assert_eq!(all["totalLog"], 4);
    let (_, errors) = h
        .admin_get("/api/app/logs", &[("appId", &id), ("status", "error")])
        .await;
    assert_eq!(errors["totalLog"], 1);
    let (_, apps_only) = h
        .admin_get("/api/app/logs", &[("appId", &id), ("type", "app")])
        .await;
    assert_eq!(apps_only["totalLog"], 2);
    let (_, add) = h
        .admin_get(
            "/api/app/logs",
            &[("appId", &id), ("filterAction", "addUser")],
        )
        .await;
    assert_eq!(add["logs"][0]["handle"], "a@example.com");
    let (_, future) = h
        .admin_get(
            "/api/app/logs",
            &[("appId", &id), ("fromDate", "2999-01-01")],
        )
        .await;
    assert_eq!(future["totalLog"], 0);
    assert_code(
        &h.admin_get("/api/app/logs", &[("appId", &id), ("fromDate", "someday")])
            .await,
        602,
        "bad date",
    );
}
