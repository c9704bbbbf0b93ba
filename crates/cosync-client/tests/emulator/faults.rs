//! Every fault the emulator can inject ends in the right typed error; reads are
//! retried, changes never.

use std::time::Instant;

use serde_json::json;

use crate::support::{Fixture, code, no_retry, quick};

#[tokio::test]
async fn silence_beyond_the_limit_is_a_timeout() {
    let fx = Fixture::start().await;
    let client = fx.client_with(|c| {
        quick(c);
        no_retry(c);
    });
    fx.inject(json!({"latencyMs": 3000})).await;
    let started = Instant::now();
    let err = client.all_apps().await.unwrap_err();
    assert_eq!(err.code(), "timeout", "{err}");
    assert!(err.is_unreachable(), "silence counts as host unreachable");
    assert!(
        started.elapsed().as_millis() < 2000,
        "the limit, not the latency, decides"
    );

    // Latency below the limit is just a slow answer.
    fx.inject(json!({"latencyMs": 100})).await;
    client.all_apps().await.unwrap();
}

#[tokio::test]
async fn a_server_error_is_an_http_status() {
    let fx = Fixture::start().await;
    let client = fx.client_with(no_retry);
    fx.inject(json!({"status": 503})).await;
    assert_eq!(
        client.all_apps().await.unwrap_err(),
        cosync_client::ClientError::HttpStatus(503)
    );
    fx.inject(json!({"status": 500})).await;
    assert_eq!(code(client.test_connection().await), "http_status");
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error() {
    let fx = Fixture::start().await;
    let client = fx.client_with(no_retry);
    fx.inject(json!({"body": "malformed"})).await;
    assert_eq!(code(client.all_apps().await), "decode");
    fx.inject(json!({"body": "malformed"})).await;
    assert_eq!(code(client.create_app("X", None).await), "decode");
}

#[tokio::test]
async fn a_wrong_shaped_body_is_never_success() {
    let fx = Fixture::start().await;
    let app = fx.new_app("Shape").await;
    fx.inject(json!({"body": "wrongShape", "count": 100})).await;
    // Lists, records and the bare `true` all refuse "Service Not found".
    assert_eq!(code(fx.client.all_apps().await), "wrong_shape");
    assert_eq!(code(fx.client.app(&app.app_id).await), "wrong_shape");
    assert_eq!(code(fx.client.test_connection().await), "wrong_shape");
    assert_eq!(
        code(fx.client.add_user(&app.app_id, "a@example.com", "pw").await),
        "wrong_shape"
    );
    assert_eq!(code(fx.client.delete_app(&app.app_id).await), "wrong_shape");
    assert_eq!(
        code(fx.client.users_page(&app.app_id, 0, 25, false).await),
        "wrong_shape"
    );
    fx.clear_faults().await;
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_interrupted() {
    let fx = Fixture::start().await;
    fx.new_app("Dropped").await;
    let client = fx.client_with(no_retry);
    fx.inject(json!({"dropAfterBytes": 10})).await;
    let err = client.all_apps().await.unwrap_err();
    assert_eq!(err.code(), "interrupted", "{err}");
    assert!(err.is_unreachable());
}

#[tokio::test]
async fn reads_are_retried_and_changes_are_not() {
    let fx = Fixture::start().await;
    fx.new_app("Retry").await;

    fx.inject(json!({"status": 503})).await;
    let apps = fx
        .client
        .all_apps()
        .await
        .expect("the read succeeds on its retry");
    assert_eq!(apps.len(), 1);

    fx.inject(json!({"dropAfterBytes": 5})).await;
    fx.client
        .all_apps()
        .await
        .expect("a dropped read is retried too");

    fx.inject(json!({"status": 503})).await;
    let err = fx.client.create_app("Once", None).await.unwrap_err();
    assert_eq!(err, cosync_client::ClientError::HttpStatus(503));
    let apps = fx.client.all_apps().await.unwrap();
    assert!(
        apps.iter().all(|a| a.name != "Once"),
        "a retried POST would have created the app after the one failure"
    );

    // Retries are bounded: a host failing every time ends in the error.
    fx.inject(json!({"status": 502, "count": 10})).await;
    assert_eq!(code(fx.client.all_apps().await), "http_status");
    fx.clear_faults().await;
}
