//! Host-level routes: connection, and creating, reading, changing and deleting apps.

use cosync_client::{
    AppSetting, AppStatus, ClientError, HostClient, HostConfig, MetaDataField, ServerSecret,
    SignupFlow,
};

use crate::support::{Fixture, code};

#[tokio::test]
async fn connection_test_accepts_the_right_secret_only() {
    let fx = Fixture::start().await;
    fx.client
        .test_connection()
        .await
        .expect("the secret is accepted");

    let wrong = HostClient::new(HostConfig::new(
        fx.host.base_url(),
        ServerSecret::new("not-the-secret"),
    ))
    .unwrap();
    let err = wrong.test_connection().await.unwrap_err();
    assert_eq!(err, ClientError::Unauthorized);
    assert!(
        !err.to_string().contains(fx.host.server_secret()),
        "errors never carry the secret"
    );
    assert_eq!(code(wrong.all_apps().await), "unauthorized");

    // The same code 500 with a good secret is the host's own failure, said as such.
    fx.inject(serde_json::json!({"body": "internalError", "path": "/api/app/allApps"}))
        .await;
    let err = fx.client.all_apps().await.unwrap_err();
    assert_eq!(
        err,
        ClientError::Internal {
            message: "internal server error (injected)".into()
        }
    );
    assert!(
        err.to_string()
            .starts_with("the host had an internal error"),
        "{err}"
    );
}

#[tokio::test]
async fn an_unreachable_host_is_reported_as_such() {
    // A port that was free a moment ago and has nothing listening now.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = HostClient::new(HostConfig::new(
        format!("http://127.0.0.1:{port}"),
        ServerSecret::new("x"),
    ))
    .unwrap();
    let err = client.test_connection().await.unwrap_err();
    assert_eq!(err.code(), "unreachable", "{err}");
    assert!(err.is_unreachable());
}

#[tokio::test]
async fn an_app_is_created_read_listed_and_deleted() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Orchard").await;
    assert_eq!(app.app_id.len(), 32);
    assert_eq!(app.name, "Orchard");
    assert_eq!(app.status, AppStatus::Active);
    assert_eq!(app.locales, vec!["EN".to_owned()]);
    assert_eq!(app.invitation_enabled, Some(true));
    assert_eq!(app.signup_enabled, Some(true));
    assert_eq!(app.signup_flow, SignupFlow::Code);
    assert_eq!(app.user_jwt_expiration, Some(24));
    assert!(app.app_token.as_deref().is_some_and(|t| !t.is_empty()));

    let duplicate = fx.client.create_app("Orchard", None).await;
    assert!(
        matches!(code(duplicate), "refused" | "host"),
        "a duplicate name fails with one of the host's error shapes"
    );

    let listed = fx.client.all_apps().await.unwrap();
    assert!(listed.iter().any(|a| a.app_id == app.app_id));
    let one = fx.client.app(&app.app_id).await.unwrap();
    assert_eq!(one.name, "Orchard");

    fx.client.delete_app(&app.app_id).await.unwrap();
    let listed = fx.client.all_apps().await.unwrap();
    assert!(listed.iter().all(|a| a.app_id != app.app_id));
    assert!(
        fx.client.app(&app.app_id).await.is_err(),
        "a deleted app is gone"
    );
}

#[tokio::test]
async fn every_setting_can_be_changed() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Settings").await;
    let id = &app.app_id;
    let set = |s: AppSetting| {
        let client = fx.client.clone();
        let id = id.clone();
        async move { client.update_app_setting(&id, &s).await }
    };

    let changed = set(AppSetting::Status(AppStatus::Inactive)).await.unwrap();
    assert_eq!(changed.status, AppStatus::Inactive);
    // The host refuses a value that is already the current one.
    assert_eq!(
        code(set(AppSetting::Status(AppStatus::Inactive)).await),
        "refused"
    );
    // A page of an app that is not active: HTTP 403 with {status:"Fails"}.
    assert_eq!(
        code(fx.client.users_page(id, 0, 25, false).await),
        "refused"
    );
    set(AppSetting::Status(AppStatus::Active)).await.unwrap();

    let a = set(AppSetting::JwtEnabled(false)).await.unwrap();
    assert_eq!(a.jwt_enabled, Some(false));
    let a = set(AppSetting::Invite(false)).await.unwrap();
    assert_eq!(a.invitation_enabled, Some(false));
    let a = set(AppSetting::Signup(false)).await.unwrap();
    assert_eq!(a.signup_enabled, Some(false));
    let a = set(AppSetting::SignupFlow(SignupFlow::Link)).await.unwrap();
    assert_eq!(a.signup_flow, SignupFlow::Link);
    let a = set(AppSetting::AnonLogin(true)).await.unwrap();
    assert_eq!(a.anonymous_login_enabled, Some(true));
    let a = set(AppSetting::UserNamesEnabled(true)).await.unwrap();
    assert_eq!(a.user_names_enabled, Some(true));
    let a = set(AppSetting::UserJwtExpiration(48)).await.unwrap();
    assert_eq!(a.user_jwt_expiration, Some(48));
    let a = set(AppSetting::RealmAppId("realm-1".into())).await.unwrap();
    assert_eq!(a.realm_app_id.as_deref(), Some("realm-1"));

    let reread = fx.client.app(id).await.unwrap();
    assert_eq!(reread.user_jwt_expiration, Some(48));
}

#[tokio::test]
async fn metadata_definitions_are_replaced_whole() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Meta").await;
    let fields = vec![
        MetaDataField {
            id: "team".into(),
            path: "profile.team".into(),
            field_name: "Team".into(),
            required: false,
            can_edit: true,
        },
        MetaDataField {
            id: "age".into(),
            path: "age".into(),
            field_name: "Age".into(),
            required: true,
            can_edit: false,
        },
    ];
    let changed = fx
        .client
        .update_app_metadata(&app.app_id, &fields)
        .await
        .unwrap();
    assert_eq!(changed.meta_data, fields);
    let changed = fx
        .client
        .update_app_metadata(&app.app_id, &fields[..1])
        .await
        .unwrap();
    assert_eq!(changed.meta_data, fields[..1]);
}

#[tokio::test]
async fn the_log_records_changes() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Logged").await;
    fx.client
        .add_user(&app.app_id, "logged@example.com", "pw-123456")
        .await
        .unwrap();
    let page = fx
        .client
        .logs(&app.app_id, &cosync_client::LogQuery::default())
        .await
        .unwrap();
    assert!(page.total_log >= 1);
    assert!(
        page.logs.iter().any(|l| l.action == "addUser"),
        "{:?}",
        page.logs
    );
    let only_errors = fx
        .client
        .logs(
            &app.app_id,
            &cosync_client::LogQuery {
                status: cosync_client::LogStatus::Error,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(only_errors.logs.iter().all(|l| l.status == "error"));
}
