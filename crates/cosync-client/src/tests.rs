//! Unit tests of decoding: answers classified, records typed, secret fields dropped.

use reqwest::StatusCode;
use serde_json::json;

use crate::client::{expect_true, interpret, interpret_page, typed};
use crate::{App, ClientError, InviteStatus, Signup, User, UserStatus, UsersPage};

fn user_json() -> serde_json::Value {
    json!({
        "_id": "65f0c0ffee0000000000000a",
        "handle": "bob+tag@example.com",
        "userName": "bob",
        "status": "suspend",
        "loginProvider": "",
        "metaData": {"profile": {"team": "blue"}},
        "createdAt": "2024-03-01T10:00:00.000Z",
        "updatedAt": "not a date",
        "password": "$2b$10$abcdefghijklmnopqrstuv",
        "googleSecretKey": "JBSWY3DPEHPK3PXP",
        "phoneCode": "123456",
        "twoFactorCode": "654321"
    })
}

#[test]
fn secret_fields_are_dropped_on_receipt() {
    let user: User = typed(user_json()).unwrap();
    let printed = format!("{user:?}");
    for secret in ["$2b$10$", "JBSWY3DPEHPK3PXP", "123456", "654321"] {
        assert!(!printed.contains(secret), "{secret} survived in {printed}");
    }
    assert_eq!(user.handle, "bob+tag@example.com");
    assert_eq!(user.status, UserStatus::Suspend);
    assert_eq!(user.meta_data["profile"]["team"], "blue");
}

#[test]
fn a_malformed_date_does_not_fail_the_page() {
    let page: UsersPage = typed(json!({
        "users": [user_json(), {"_id": "b", "handle": "x", "lastLogin": 17}],
        "totalUser": 2,
        "totalAnonUser": "0"
    }))
    .unwrap();
    let user = &page.users[0];
    assert_eq!(user.created_at.map(|d| d.year()), Some(2024));
    assert_eq!(user.updated_at, None, "a bad date reads as absent");
    assert_eq!(user.last_login, None);
    assert_eq!(
        page.users[1].last_login.map(|d| d.unix_timestamp()),
        Some(0)
    );
    assert_eq!((page.total_user, page.total_anon_user), (2, 0));
}

#[test]
fn a_record_without_identity_is_the_wrong_shape() {
    let err = typed::<User>(json!({"handle": "no id"})).unwrap_err();
    assert_eq!(err.code(), "wrong_shape");
    let err = typed::<Vec<User>>(json!("Service Not found")).unwrap_err();
    assert_eq!(err.code(), "wrong_shape");
}

#[test]
fn form_encoded_values_are_understood() {
    let signup: Signup = typed(json!({
        "_id": "c", "handle": "h", "code": "0", "status": "active",
        "metaData": "{\"a\":1}"
    }))
    .unwrap();
    assert!(signup.is_admin_created());
    assert_eq!(signup.meta_data["a"], 1);

    let app: App = typed(json!({
        "appId": "0123456789abcdef0123456789abcdef",
        "name": "Demo",
        "status": "active",
        "jwtEnabled": "true",
        "userJWTExpiration": "24",
        "metaData": [{"id": 1, "path": "profile.team", "fieldName": "Team", "required": false, "canEdit": true}, "junk"],
        "locales": ["EN", 3],
        "appPrivateKey": "never kept"
    }))
    .unwrap();
    assert_eq!(app.jwt_enabled, Some(true));
    assert_eq!(app.user_jwt_expiration, Some(24));
    assert_eq!(app.meta_data.len(), 1);
    assert_eq!(app.meta_data[0].id, "1");
    assert_eq!(app.locales, vec!["EN".to_owned()]);
    assert!(!format!("{app:?}").contains("never kept"));
}

#[test]
fn unknown_enum_values_are_kept() {
    let invite: crate::Invite =
        typed(json!({"_id": "i", "handle": "h", "status": "revoked"})).unwrap();
    assert_eq!(invite.status, InviteStatus::Other("revoked".into()));
}

#[test]
fn answers_are_classified() {
    let ok = StatusCode::OK;
    let bad = StatusCode::BAD_REQUEST;
    assert_eq!(interpret(ok, b"true").unwrap(), json!(true));
    assert_eq!(
        interpret(bad, br#"{"code":402,"message":"app suspended"}"#).unwrap_err(),
        ClientError::Host {
            code: 402,
            message: "app suspended".into()
        }
    );
    assert_eq!(
        interpret(
            StatusCode::FORBIDDEN,
            br#"{"status":"Fails","message":"app not active"}"#
        )
        .unwrap_err()
        .code(),
        "refused"
    );
    // Code 500 is told apart later, by the connection test (`HostClient::send`).
    assert_eq!(
        interpret(bad, br#"{"code":500,"message":"internal server error"}"#).unwrap_err(),
        ClientError::Host {
            code: 500,
            message: "internal server error".into()
        }
    );
    // An error body wins even under HTTP 200.
    assert_eq!(
        interpret(ok, br#"{"status":"Fails"}"#).unwrap_err().code(),
        "refused"
    );
    // A gateway's failure is the host being unreachable, not a refusal.
    for status in [
        StatusCode::BAD_GATEWAY,
        StatusCode::SERVICE_UNAVAILABLE,
        StatusCode::GATEWAY_TIMEOUT,
    ] {
        let err = interpret(status, b"<html>down</html>").unwrap_err();
        assert_eq!(
            err,
            ClientError::Unavailable {
                status: status.as_u16()
            }
        );
        assert!(err.is_unreachable(), "{err}");
        assert!(err.to_string().starts_with("host unreachable"), "{err}");
    }
    assert_eq!(
        interpret(StatusCode::NOT_IMPLEMENTED, b"<html>").unwrap_err(),
        ClientError::HttpStatus(501)
    );
    assert_eq!(
        interpret(ok, br#"{"users":[{"_id"#).unwrap_err().code(),
        "decode"
    );
    assert_eq!(interpret(ok, b"").unwrap_err().code(), "decode");
}

#[test]
fn only_the_literal_true_is_success() {
    assert!(expect_true(json!(true)).is_ok());
    for other in [
        json!(false),
        json!("Service Not found"),
        json!({}),
        json!(null),
        json!(1),
    ] {
        assert_eq!(expect_true(other).unwrap_err().code(), "wrong_shape");
    }
}

#[test]
fn an_unreadable_record_is_set_aside_and_the_page_kept() {
    let page: UsersPage = typed(json!({
        "users": [
            user_json(),
            {"_id": 12345, "handle": "number-id@example.com"},
            {"_id": "65f0c0ffee0000000000000c", "handle": null},
            {"handle": "no-id@example.com"},
        ],
        "totalUser": 4,
    }))
    .unwrap();
    assert_eq!(page.users.len(), 1, "the readable record is kept");
    let ids: Vec<&str> = page
        .users
        .unreadable
        .iter()
        .map(|u| u.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["12345", "65f0c0ffee0000000000000c", "record 3 of its page"]
    );
    assert!(page.users.unreadable.iter().all(|u| !u.detail.is_empty()));
}

#[test]
fn a_page_read_from_its_bytes_is_the_page_read_through_a_tree() {
    let body = json!({
        "users": [
            user_json(),
            {"_id": 12345, "handle": "number-id@example.com"},
            {"handle": "no-id@example.com"},
        ],
        "totalUser": 3,
    });
    let direct: UsersPage = interpret_page(StatusCode::OK, body.to_string().as_bytes()).unwrap();
    let through_a_tree: UsersPage = typed(body).unwrap();
    assert_eq!(direct.users.records, through_a_tree.users.records);
    assert_eq!(direct.total_user, 3);
    let ids = |page: &UsersPage| -> Vec<String> {
        page.users.unreadable.iter().map(|u| u.id.clone()).collect()
    };
    assert_eq!(ids(&direct), ["12345", "record 2 of its page"]);
    assert_eq!(ids(&direct), ids(&through_a_tree));
}

#[test]
fn a_page_request_answered_with_an_error_body_is_that_error() {
    let read = |status, body: &[u8]| interpret_page::<UsersPage>(status, body).unwrap_err();
    assert_eq!(
        read(StatusCode::OK, br#"{"code":402,"message":"app suspended"}"#),
        ClientError::Host {
            code: 402,
            message: "app suspended".into()
        }
    );
    assert_eq!(
        read(StatusCode::OK, br#"{"status":"Fails"}"#).code(),
        "refused"
    );
    assert_eq!(
        read(StatusCode::BAD_GATEWAY, br#"{"users":[],"totalUser":0}"#),
        ClientError::Unavailable { status: 502 }
    );
    assert_eq!(read(StatusCode::OK, br#"{"users":[{"_id"#).code(), "decode");
    assert_eq!(
        read(StatusCode::OK, br#"{"users":7}"#).code(),
        "wrong_shape"
    );
}
