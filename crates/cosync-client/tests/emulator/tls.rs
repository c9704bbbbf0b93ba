//! `https://` to something that does not speak TLS fails as a TLS error, not as
//! success or a hang.

use cosync_client::{HostClient, HostConfig, ServerSecret};
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn a_plain_http_server_behind_https_is_a_tls_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\ntrue")
                .await;
        }
    });
    let client = HostClient::new(HostConfig::new(
        format!("https://127.0.0.1:{port}"),
        ServerSecret::new("x"),
    ))
    .unwrap();
    let err = client.test_connection().await.unwrap_err();
    assert_eq!(err.code(), "tls", "{err:?}");
}
