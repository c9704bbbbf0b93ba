//! Faults that pick their requests (`after`, `path`, `query`) and the ones that land
//! inside a sync: capped pages, an unreadable record, users changing between pages.

mod common;

use common::{Enc, Host, assert_code};
use serde_json::{Value, json};

async fn fault(h: &Host, body: Value) {
    assert_eq!(
        h.admin_post("/emulator/faults", Enc::Json, body).await,
        (200, json!(true))
    );
}

async fn users_page(h: &Host, app_id: &str, offset: u64, limit: u64) -> (u16, Value) {
    let (offset, limit) = (offset.to_string(), limit.to_string());
    h.admin_get(
        "/api/app/stat",
        &[
            ("appId", app_id),
            ("target", "users"),
            ("offset", &offset),
            ("limit", &limit),
        ],
    )
    .await
}

fn ids(page: &Value) -> Vec<String> {
    page["users"]
        .as_array()
        .expect("a users page")
        .iter()
        .map(|u| u["_id"].as_str().expect("an _id").to_owned())
        .collect()
}

async fn total(h: &Host, app_id: &str) -> u64 {
    let (_, page) = users_page(h, app_id, 0, 25).await;
    page["totalUser"].as_u64().expect("totalUser")
}

async fn has_user(h: &Host, app_id: &str, handle: &str) -> bool {
    let pattern = format!("^{}$", handle.replace('.', "\\.").replace('+', "\\+"));
    let (_, found) = h
        .admin_get(
            "/api/app/searchUser",
            &[("appId", app_id), ("value", &pattern)],
        )
        .await;
    !found.as_array().expect("search answers a list").is_empty()
}

#[tokio::test]
async fn after_lets_matching_requests_through_and_others_do_not_count() {
    let h = Host::start().await;
    let report = h.seed("After", 30, 0, 0).await;
    let id = report.app_id.as_str();
    fault(
        &h,
        json!({"after": 2, "count": 1, "status": 503, "path": "/api/app/stat"}),
    )
    .await;
    let mut seen = Vec::new();
    seen.push(users_page(&h, id, 0, 25).await.0);
    seen.push(h.admin_get("/api/app/connection", &[]).await.0);
    seen.push(users_page(&h, id, 0, 25).await.0);
    seen.push(h.admin_get("/api/app/connection", &[]).await.0);
    seen.push(users_page(&h, id, 0, 25).await.0);
    seen.push(users_page(&h, id, 0, 25).await.0);
    assert_eq!(
        seen,
        [200, 200, 200, 200, 503, 200],
        "two stat pages pass, other paths neither fail nor count, the third stat fails once"
    );
}

async fn list_status(h: &Host, app_id: &str, target: &str) -> u16 {
    h.admin_get("/api/app/stat", &[("appId", app_id), ("target", target)])
        .await
        .0
}

#[tokio::test]
async fn query_narrows_the_match_to_one_list() {
    let h = Host::start().await;
    let report = h.seed("Query", 30, 10, 10).await;
    let id = report.app_id.as_str();
    fault(
        &h,
        json!({"count": 2, "status": 500, "path": "/api/app/stat", "query": "target=invites"}),
    )
    .await;
    let seen = [
        list_status(&h, id, "users").await,
        list_status(&h, id, "invites").await,
        list_status(&h, id, "signups").await,
        list_status(&h, id, "invites").await,
        list_status(&h, id, "invites").await,
    ];
    assert_eq!(seen, [200, 500, 200, 500, 200]);
}

#[tokio::test]
async fn page_cap_shrinks_pages_and_steps_the_offset_by_the_cap() {
    let h = Host::start().await;
    let report = h.seed("Capped", 100, 0, 0).await;
    let id = report.app_id.as_str();
    let (_, all) = users_page(&h, id, 0, 100).await;
    let all = ids(&all);
    assert_eq!(all.len(), 100);
    fault(
        &h,
        json!({"pageCap": 30, "count": 2, "path": "/api/app/stat"}),
    )
    .await;
    let (status, first) = users_page(&h, id, 0, 50).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&first), all[..30], "page 0 holds the capped size");
    assert_eq!(first["totalUser"], 100, "totals do not change");
    let (_, second) = users_page(&h, id, 1, 50).await;
    assert_eq!(ids(&second), all[30..60], "page 1 starts at the cap");
    let (_, uncapped) = users_page(&h, id, 1, 50).await;
    assert_eq!(ids(&uncapped), all[50..], "the cap ran out after count");
    fault(&h, json!({"pageCap": 30})).await;
    let (_, small) = users_page(&h, id, 1, 25).await;
    assert_eq!(ids(&small), all[25..50], "a limit under the cap is kept");
    assert_code(
        &h.admin_post("/emulator/faults", Enc::Json, json!({"pageCap": 10}))
            .await,
        602,
        "a cap under the host's smallest page",
    );
}

#[tokio::test]
async fn unreadable_record_spoils_only_the_first_record() {
    let h = Host::start().await;
    let report = h.seed("Spoiled", 30, 0, 0).await;
    let id = report.app_id.as_str();
    let (_, clean) = users_page(&h, id, 0, 25).await;
    fault(&h, json!({"body": "unreadableRecord", "count": 2})).await;
    let (status, spoiled) = users_page(&h, id, 0, 25).await;
    assert_eq!(status, 200);
    let mut expected = clean.clone();
    expected["users"][0]["_id"] = json!(12345);
    expected["users"][0]["handle"] = Value::Null;
    assert_ne!(spoiled, clean);
    assert_eq!(spoiled, expected, "everything else unchanged");
    let (_, found) = h
        .admin_get("/api/app/searchUser", &[("appId", id), ("value", "@")])
        .await;
    assert_eq!(found[0]["_id"], 12345, "a bare list of records too");
    assert!(found[0]["handle"].is_null());
    assert!(found[1]["handle"].is_string());
    assert_eq!(users_page(&h, id, 0, 25).await.1, clean, "count ran out");
}

#[tokio::test]
async fn churn_changes_the_app_before_the_request_runs() {
    let h = Host::start().await;
    let report = h.seed("Churned", 60, 0, 0).await;
    let id = report.app_id.as_str();
    let (_, before) = users_page(&h, id, 0, 25).await;
    let newest: Vec<String> = before["users"].as_array().unwrap()[..5]
        .iter()
        .map(|u| u["handle"].as_str().unwrap().to_owned())
        .collect();
    fault(
        &h,
        json!({"churn": {"add": 3, "remove": 5}, "after": 1, "path": "/api/app/stat"}),
    )
    .await;
    let (_, untouched) = users_page(&h, id, 0, 25).await;
    assert_eq!(
        untouched["totalUser"], 60,
        "after:1 lets the first page through"
    );
    let (status, churned) = users_page(&h, id, 1, 25).await;
    assert_eq!(status, 200, "the request itself runs normally");
    assert_eq!(
        churned["totalUser"], 58,
        "its answer already sees 60 + 3 - 5"
    );
    for handle in &newest {
        assert!(!has_user(&h, id, handle).await, "{handle} was removed");
    }
    for k in 1..=3 {
        assert!(has_user(&h, id, &format!("churn-{k}@example.com")).await);
    }
    let (_, after) = users_page(&h, id, 0, 25).await;
    let top: Vec<&str> = after["users"].as_array().unwrap()[..3]
        .iter()
        .map(|u| u["handle"].as_str().unwrap())
        .collect();
    assert!(
        top.iter().all(|h| h.starts_with("churn-")),
        "new users list first: {top:?}"
    );

    // Through a form-encoded POST: the appId comes from the body, which the route
    // still reads whole, and the handle counter goes on.
    h.admin_post(
        "/emulator/faults",
        Enc::Form,
        json!({"churn": "{\"add\":2}", "path": "/api/app/addUser"}),
    )
    .await;
    let body = json!({"appId": id, "handle": "posted@example.com", "password": common::md5("pw")});
    let (status, added) = h.admin_post("/api/app/addUser", Enc::Form, body).await;
    assert_eq!(
        (status, &added["handle"]),
        (200, &json!("posted@example.com"))
    );
    assert_eq!(total(&h, id).await, 61, "58 + 2 churned + 1 added");
    assert!(has_user(&h, id, "churn-4@example.com").await);
    assert!(has_user(&h, id, "churn-5@example.com").await);
    let (_, logs) = h
        .admin_get(
            "/api/app/logs",
            &[
                ("appId", id),
                ("type", "all"),
                ("status", "all"),
                ("limit", "100"),
            ],
        )
        .await;
    let churn_logs = logs["logs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| {
            l["action"] == "removeUser"
                || l["value"].as_str().is_some_and(|v| v.starts_with("churn-"))
        })
        .count();
    assert_eq!(
        churn_logs, 10,
        "each change is logged as the admin routes log it"
    );
}

#[tokio::test]
async fn append_arms_faults_side_by_side_and_a_plain_post_replaces_them() {
    let h = Host::start().await;
    let report = h.seed("Both", 60, 0, 0).await;
    let id = report.app_id.as_str();
    fault(
        &h,
        json!({"pageCap": 30, "count": 10, "path": "/api/app/stat"}),
    )
    .await;
    fault(
        &h,
        json!({"append": true, "status": 502, "path": "/api/app/connection"}),
    )
    .await;
    assert_eq!(h.admin_get("/api/app/connection", &[]).await.0, 502);
    let (_, page) = users_page(&h, id, 0, 50).await;
    assert_eq!(ids(&page).len(), 30, "the first fault is still armed");
    fault(
        &h,
        json!({"append": true, "body": "unreadableRecord", "path": "/api/app/stat"}),
    )
    .await;
    let (_, page) = users_page(&h, id, 0, 50).await;
    assert_eq!(
        (
            page["users"].as_array().unwrap().len(),
            &page["users"][0]["_id"]
        ),
        (30, &json!(12345)),
        "both apply to one request"
    );
    fault(&h, json!({"status": 500, "path": "/api/app/allApps"})).await;
    let (_, page) = users_page(&h, id, 0, 50).await;
    assert_eq!(ids(&page).len(), 50, "a plain POST replaced the cap");
}

#[tokio::test]
async fn bad_fault_fields_are_invalid_data() {
    let h = Host::start().await;
    for body in [
        json!({"after": -1}),
        json!({"after": "soon"}),
        json!({"path": {"a": 1}}),
        json!({"pageCap": -30}),
        json!({"churn": "many"}),
        json!({"churn": {"add": -1}}),
        json!({"churn": {"remove": "x"}}),
        json!({"append": "yes"}),
    ] {
        assert_code(
            &h.admin_post("/emulator/faults", Enc::Json, body.clone())
                .await,
            602,
            &body.to_string(),
        );
    }
    assert_eq!(
        h.admin_get("/api/app/connection", &[]).await.0,
        200,
        "nothing refused was armed"
    );
}
