//! `https://`: the per-host CA file is trusted, an unknown issuer is a TLS error, and
//! a server that does not speak TLS is one too.

use std::path::PathBuf;
use std::sync::Arc;

use cosync_client::{HostClient, HostConfig, ServerSecret};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

const ANSWER: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4\r\nconnection: close\r\n\r\ntrue";

/// A host on loopback that answers `true` over TLS with the fixture certificate.
async fn tls_host() -> u16 {
    let certs = CertificateDer::pem_file_iter(fixture("test-server.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(fixture("test-server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = tls.write_all(ANSWER).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

fn client(port: u16, ca_file: Option<PathBuf>) -> HostClient {
    HostClient::new(HostConfig {
        ca_file,
        ..HostConfig::new(format!("https://127.0.0.1:{port}"), ServerSecret::new("x"))
    })
    .unwrap()
}

#[tokio::test]
async fn the_host_ca_file_is_trusted() {
    let port = tls_host().await;
    client(port, Some(fixture("test-ca.pem")))
        .test_connection()
        .await
        .expect("a certificate from the configured CA is trusted");
}

#[tokio::test]
async fn an_unknown_issuer_is_a_tls_error() {
    let port = tls_host().await;
    let err = client(port, None).test_connection().await.unwrap_err();
    assert_eq!(err.code(), "tls", "{err:?}");
    // Which certificate problem it is, and where to fix it, in words.
    let text = err.to_string();
    assert!(
        text.contains("signed by an authority this computer does not trust")
            && text.contains("CA certificate field"),
        "{text}"
    );
    assert!(
        err.detail().is_some(),
        "the TLS layer's own words go to Details"
    );
}

#[tokio::test]
async fn a_missing_ca_file_is_named() {
    let missing = std::env::temp_dir().join("gatehouse-no-such-ca.pem");
    let config = HostConfig {
        ca_file: Some(missing.clone()),
        ..HostConfig::new("https://127.0.0.1:9", ServerSecret::new("s"))
    };
    let err = HostClient::new(config).unwrap_err();
    assert_eq!(err.code(), "tls");
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );
}

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
    let err = client(port, None).test_connection().await.unwrap_err();
    assert_eq!(err.code(), "tls", "{err:?}");
}
