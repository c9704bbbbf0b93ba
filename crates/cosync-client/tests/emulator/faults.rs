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
async fn a_server_error_is_an_http_status_and_a_gateway_error_unreachable() {
    let fx = Fixture::start().await;
    let client = fx.client_with(no_retry);
    for status in [502, 503, 504] {
        fx.inject(json!({ "status": status })).await;
        let err = client.all_apps().await.unwrap_err();
        assert_eq!(err, cosync_client::ClientError::Unavailable { status });
        assert!(err.is_unreachable(), "{err}");
    }
    fx.inject(json!({"status": 500})).await;
    assert_eq!(code(client.test_connection().await), "http_status");
}

/// A stand-in host on loopback that answers every request with `answer` (the status
/// line and headers included), written in `pieces` with `pause` between them; answers
/// how many bytes it managed to write in all.
fn raw_host(
    answer: Vec<u8>,
    pieces: usize,
    pause: std::time::Duration,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    use std::sync::atomic::Ordering;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&written);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let size = answer.len().div_ceil(pieces.max(1));
            for piece in answer.chunks(size.max(1)) {
                if stream.write_all(piece).is_err() {
                    break;
                }
                counter.fetch_add(piece.len(), Ordering::Relaxed);
                std::thread::sleep(pause);
            }
        }
    });
    (url, written)
}

#[tokio::test]
async fn an_answer_larger_than_any_page_is_refused_unread() {
    use std::sync::atomic::Ordering;
    // 200 MB of JSON announced, then streamed: the client stops at its limit.
    let body_len = 200 * 1024 * 1024;
    let mut answer =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..(body_len / chunk.len()) {
        answer.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        answer.extend_from_slice(&chunk);
        answer.extend_from_slice(b"\r\n");
    }
    answer.extend_from_slice(b"0\r\n\r\n");
    let (url, written) = raw_host(answer, 400, std::time::Duration::ZERO);
    let client = cosync_client::HostClient::new(cosync_client::HostConfig {
        read_attempts: 1,
        ..cosync_client::HostConfig::new(url, cosync_client::ServerSecret::new("s"))
    })
    .unwrap();
    let err = client.all_apps().await.unwrap_err();
    assert_eq!(err.code(), "too_large", "{err}");
    assert!(err.to_string().contains("too large"), "{err}");
    // What the stand-in got onto the wire before the client hung up: the limit and
    // what the socket buffers hold, not the 200 MB.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let sent = written.load(Ordering::Relaxed);
    assert!(sent < 100 * 1024 * 1024, "read {sent} bytes");

    // Announced up front, it is refused before its body is read at all.
    let announced = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {body_len}\r\n\r\n["
    );
    let (url, _) = raw_host(announced.into_bytes(), 1, std::time::Duration::ZERO);
    let client = cosync_client::HostClient::new(cosync_client::HostConfig {
        read_attempts: 1,
        ..cosync_client::HostConfig::new(url, cosync_client::ServerSecret::new("s"))
    })
    .unwrap();
    assert_eq!(code(client.all_apps().await), "too_large");
}

#[tokio::test]
async fn a_host_that_drip_feeds_its_answer_meets_the_deadline() {
    // A byte every 200 ms never trips the silence limit; the deadline ends it.
    let answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n[                                     ]".to_vec();
    let pieces = answer.len();
    let (url, _) = raw_host(answer, pieces, std::time::Duration::from_millis(200));
    let client = cosync_client::HostClient::new(cosync_client::HostConfig {
        read_attempts: 1,
        silence_limit: std::time::Duration::from_secs(1),
        answer_deadline: std::time::Duration::from_secs(2),
        ..cosync_client::HostConfig::new(url, cosync_client::ServerSecret::new("s"))
    })
    .unwrap();
    let started = Instant::now();
    let err = client.all_apps().await.unwrap_err();
    assert_eq!(err.code(), "timeout", "{err}");
    assert!(err.is_unreachable());
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(5),
        "ended by the deadline, after {took:?}"
    );
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
    assert_eq!(err, cosync_client::ClientError::Unavailable { status: 503 });
    let apps = fx.client.all_apps().await.unwrap();
    assert!(
        apps.iter().all(|a| a.name != "Once"),
        "a retried POST would have created the app after the one failure"
    );

    // Retries are bounded: a host failing every time ends in the error.
    fx.inject(json!({"status": 502, "count": 10})).await;
    assert_eq!(code(fx.client.all_apps().await), "unavailable");
    fx.clear_faults().await;
}
