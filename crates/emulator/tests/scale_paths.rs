//! The paths that keep large apps fast, over HTTP: deep pages that seek from kept
//! anchors (of users, invitations and signups), search over kept names, and all of it
//! staying right after records change.

mod common;

use common::{Enc, Host};
use serde_json::json;

async fn page(h: &Host, id: &str, hide: bool, offset: u64, limit: u64) -> Vec<String> {
    let (offset, limit) = (offset.to_string(), limit.to_string());
    let hide = if hide { "true" } else { "false" };
    let (status, body) = h
        .admin_get(
            "/api/app/stat",
            &[
                ("appId", id),
                ("target", "users"),
                ("hideAnonUser", hide),
                ("offset", &offset),
                ("limit", &limit),
            ],
        )
        .await;
    assert_eq!(status, 200, "stat: {body}");
    body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["handle"].as_str().unwrap().to_owned())
        .collect()
}

/// The rows of every page `read` gives, from the first until one comes back empty.
async fn every_page<Pages: Future<Output = Vec<String>>>(
    read: impl Fn(u64) -> Pages,
) -> Vec<String> {
    let mut paged = Vec::new();
    for offset in 0.. {
        let rows = read(offset).await;
        if rows.is_empty() {
            break;
        }
        paged.extend(rows);
    }
    paged
}

/// Every page of `limit` rows, in order, against one unpaged read.
async fn assert_pages_match(h: &Host, id: &str, hide: bool, limit: u64) {
    let all = page(h, id, hide, 0, 5_000).await;
    let paged = every_page(|offset| page(h, id, hide, offset, limit)).await;
    assert_eq!(paged.len(), all.len(), "hide={hide} limit={limit}");
    assert!(paged == all, "hide={hide} limit={limit}: the same order");
}

async fn search(h: &Host, id: &str, value: &str) -> Vec<String> {
    let (status, body) = h
        .admin_get("/api/app/searchUser", &[("appId", id), ("value", value)])
        .await;
    assert_eq!(status, 200, "search: {body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|u| u["handle"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn deep_pages_and_search_stay_right_as_users_change() {
    let h = Host::start().await;
    let report = h.seed("Deep", 1_200, 0, 0).await;
    let id = report.app_id;
    for (hide, limit) in [(false, 25), (false, 333), (true, 40)] {
        assert_pages_match(&h, &id, hide, limit).await;
    }
    let beyond = page(&h, &id, false, 10_000, 25).await;
    assert!(beyond.is_empty(), "past the end");

    // A new user is the newest: every later page shifts by one.
    let before = page(&h, &id, false, 20, 25).await;
    h.add_user(&id, "zz.newcomer@example.com", "pw").await;
    let after = page(&h, &id, false, 20, 25).await;
    assert_eq!(after.get(1), before.first(), "shifted by the new user");
    assert_eq!(
        search(&h, &id, "newcomer").await,
        ["zz.newcomer@example.com"]
    );

    let (status, _) = h
        .admin_post(
            "/api/app/removeUser",
            Enc::Json,
            json!({"appId": id, "handle": "zz.newcomer@example.com"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(page(&h, &id, false, 20, 25).await, before, "back as it was");
    assert!(search(&h, &id, "newcomer").await.is_empty());
    assert_pages_match(&h, &id, true, 40).await;

    // Search answers by handle ascending, over handles and user names.
    let hits = search(&h, &id, "_").await;
    let mut sorted = hits.clone();
    sorted.sort();
    assert_eq!(hits, sorted);
    assert!(
        hits.iter().any(|h| !h.contains('_')),
        "user names match too"
    );
    let everyone = search(&h, &id, "^").await;
    assert_eq!(
        everyone.len() as u64,
        report.users,
        "a pattern that matches \"\" matches all"
    );
}

/// The ids of one page of `target` (`invites` or `signups`).
async fn list_page(h: &Host, id: &str, target: &str, offset: u64, limit: u64) -> Vec<String> {
    list_answer(h, id, target, offset, limit).await.0
}

/// The ids of one page of `target`, and the total the host gives beside them.
async fn list_answer(
    h: &Host,
    id: &str,
    target: &str,
    offset: u64,
    limit: u64,
) -> (Vec<String>, u64) {
    let (offset, limit) = (offset.to_string(), limit.to_string());
    let (status, body) = h
        .admin_get(
            "/api/app/stat",
            &[
                ("appId", id),
                ("target", target),
                ("offset", &offset),
                ("limit", &limit),
            ],
        )
        .await;
    assert_eq!(status, 200, "stat: {body}");
    let total = match target {
        "invites" => &body["totalInvite"],
        _ => &body["totalSignup"],
    };
    let ids = body[target]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["_id"].as_str().unwrap().to_owned())
        .collect();
    (ids, total.as_u64().expect("a total"))
}

async fn assert_list_pages_match(h: &Host, id: &str, target: &str, limit: u64) {
    let (all, total) = list_answer(h, id, target, 0, 5_000).await;
    assert_eq!(
        total,
        all.len() as u64,
        "{target}: the total counts every record"
    );
    let paged = every_page(|offset| list_page(h, id, target, offset, limit)).await;
    assert_eq!(paged.len(), all.len(), "{target} limit={limit}");
    assert!(paged == all, "{target} limit={limit}: the same order");
}

#[tokio::test]
async fn deep_pages_of_invitations_and_signups_stay_right_as_they_change() {
    let h = Host::start().await;
    let id = h.seed("Lists", 700, 600, 700).await.app_id;
    for target in ["invites", "signups"] {
        for limit in [25, 333] {
            assert_list_pages_match(&h, &id, target, limit).await;
        }
    }

    // A new invitation is the newest: every later page shifts by one, and revoking it
    // puts them back.
    let before = list_page(&h, &id, "invites", 12, 25).await;
    let (status, body) = h
        .admin_post(
            "/api/app/createAppInvite",
            Enc::Json,
            json!({"appId": id, "handle": "zz.invitee@example.com"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let after = list_page(&h, &id, "invites", 12, 25).await;
    assert_eq!(
        after.get(1),
        before.first(),
        "shifted by the new invitation"
    );
    assert_list_pages_match(&h, &id, "invites", 25).await;
    let (status, body) = h
        .admin_post(
            "/api/app/removeAppInvite",
            Enc::Json,
            json!({"appId": id, "handle": "zz.invitee@example.com"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(list_page(&h, &id, "invites", 12, 25).await, before);

    // Removing the newest signup moves every deep page up by one.
    let (status, body) = h
        .admin_get(
            "/api/app/stat",
            &[
                ("appId", &id),
                ("target", "signups"),
                ("offset", "0"),
                ("limit", "25"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let newest = &body["signups"][0];
    let before = list_page(&h, &id, "signups", 12, 25).await;
    let (status, body) = h
        .admin_post(
            "/api/app/removeAppSignup",
            Enc::Json,
            json!({"appId": id, "handle": newest["handle"], "_id": newest["_id"]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let after = list_page(&h, &id, "signups", 12, 25).await;
    assert_eq!(
        after.first(),
        before.get(1),
        "moved up by the removed signup"
    );
    assert_list_pages_match(&h, &id, "signups", 25).await;
}
