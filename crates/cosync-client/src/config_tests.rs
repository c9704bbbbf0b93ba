//! Unit tests of building a client: URL policy, secret handling, CA files, and the
//! `Send` futures core needs to spawn.

use std::path::PathBuf;

use crate::{ClientError, HostClient, HostConfig, ServerSecret};

fn config(url: &str) -> HostConfig {
    HostConfig::new(url, ServerSecret::new("top-secret-token"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn the_url_policy_applies_when_building() {
    let err = HostClient::new(config("http://rest.cosync.net")).unwrap_err();
    assert_eq!(err.code(), "insecure_url");
    assert!(
        HostClient::new(HostConfig {
            allow_http: true,
            ..config("http://rest.cosync.net")
        })
        .is_ok()
    );
    let client = HostClient::new(config("HTTPS://Rest.Cosync.net:443/")).unwrap();
    assert_eq!(client.base_url(), "https://rest.cosync.net");
}

#[test]
fn the_secret_is_never_printed() {
    let config = config("https://rest.cosync.net");
    assert!(!format!("{config:?}").contains("top-secret-token"));
    let client = HostClient::new(config).unwrap();
    assert!(!format!("{client:?}").contains("top-secret-token"));
}

#[test]
fn an_unusable_secret_is_refused_before_sending() {
    let empty = HostConfig::new("https://x.io", ServerSecret::new("  \n"));
    assert_eq!(HostClient::new(empty).unwrap_err().code(), "invalid_input");
    let control = HostConfig::new("https://x.io", ServerSecret::new("a\u{1}b"));
    let err = HostClient::new(control).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(!err.to_string().contains("a\u{1}b"));
}

#[test]
fn a_ca_file_is_loaded_or_refused_clearly() {
    let ok = HostConfig {
        ca_file: Some(fixture("test-ca.pem")),
        ..config("https://self-hosted.example")
    };
    assert!(HostClient::new(ok).is_ok());

    let missing = HostConfig {
        ca_file: Some(fixture("no-such.pem")),
        ..config("https://self-hosted.example")
    };
    assert!(matches!(
        HostClient::new(missing),
        Err(ClientError::Tls { .. })
    ));

    let not_pem = HostConfig {
        ca_file: Some(PathBuf::from(file!())),
        ..config("https://self-hosted.example")
    };
    let err = HostClient::new(not_pem).unwrap_err();
    assert_eq!(err.code(), "tls", "{err}");
}

#[test]
fn client_futures_can_be_spawned() {
    fn assert_send<T: Send>(_: &T) {}
    let client = HostClient::new(config("https://x.io")).unwrap();
    let cancel = crate::CancellationToken::new();
    assert_send(&client.fetch_all::<crate::User>("a", |_| {}, &cancel));
    assert_send(&client.fetch_all::<crate::Invite>("a", |_| {}, &cancel));
    assert_send(&client.fetch_all::<crate::Signup>("a", |_| {}, &cancel));
    let mut sink = |_: Vec<crate::User>| -> crate::Taken { Box::pin(std::future::ready(())) };
    assert_send(&client.stream("a", &|_| {}, &cancel, &mut sink));
    assert_send(&client.create_invites("a", &["x@y.z"], None));
    assert_send(&client.add_user("a", "h", "p"));
    assert_send(&client.logs("a", &crate::LogQuery::default()));
}
