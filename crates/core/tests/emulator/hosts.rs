//! Testing a saved host's edited settings before they are saved.

use gatehouse_core::HostInput;

use crate::support::Fixture;

#[tokio::test]
async fn an_edited_host_is_tested_as_typed_with_its_saved_secret() {
    let fx = Fixture::start(5).await;
    let id = fx.conn.host().id.clone();
    let edited = |url: String| HostInput {
        name: "Edited".to_owned(),
        url,
        ca_file: None,
        allow_http: false,
    };
    fx.core
        .test_edited_host(&id, &edited(fx.host.base_url().to_owned()))
        .await
        .expect("the same URL with the saved secret connects");

    // A port nothing listens on: the typed URL is the one tried, not the saved one.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let error = fx
        .core
        .test_edited_host(&id, &edited(nowhere))
        .await
        .expect_err("a URL where no host answers fails the test");
    assert!(error.is_unreachable(), "{error}");

    let error = fx
        .core
        .test_edited_host("0123456789abcdef", &edited(fx.host.base_url().to_owned()))
        .await
        .expect_err("a host without a secret cannot be tested without one");
    assert!(
        matches!(error, gatehouse_core::Error::NoSecret { .. }),
        "{error}"
    );
}
