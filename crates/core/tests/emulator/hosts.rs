//! Testing a saved host's edited settings before they are saved: its secret is only
//! ever sent to the URL it was saved with.

use gatehouse_core::HostInput;

use crate::support::Fixture;

#[tokio::test]
async fn an_edited_host_keeps_its_secret_to_its_own_url() {
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

    // Another address: the saved secret is bound to the saved URL and is not sent there;
    // the secret must be typed again.
    let elsewhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let other = format!("http://{}", elsewhere.local_addr().unwrap());
    let error = fx
        .core
        .test_edited_host(&id, &edited(other.clone()))
        .await
        .expect_err("a new URL needs its secret");
    assert_eq!(error.code(), "secret_needed", "{error}");
    assert!(error.to_string().contains(&other), "{error}");
    assert!(
        matches!(elsewhere.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "nothing connected to the new address"
    );

    // Saving the new URL without a secret is refused the same way, and changes nothing.
    let saved = fx.core.hosts().unwrap();
    let error = fx
        .core
        .edit_host(&id, edited(other.clone()), None)
        .await
        .expect_err("a new URL needs its secret");
    assert_eq!(error.code(), "secret_needed", "{error}");
    assert_eq!(fx.core.hosts().unwrap(), saved);

    let error = fx
        .core
        .test_edited_host("0123456789abcdef", &edited(fx.host.base_url().to_owned()))
        .await
        .expect_err("an unknown host cannot be tested as edited");
    assert_eq!(error.code(), "unknown_host", "{error}");
}

#[tokio::test]
async fn a_missing_ca_file_keeps_the_offline_copy_readable_and_is_named() {
    let fx = Fixture::start(12).await;
    fx.sync().await.unwrap();
    let entry = fx.conn.host().clone();
    let missing = fx.dir.path().join("gone-ca.pem");
    fx.core
        .edit_host(
            &entry.id,
            HostInput {
                name: entry.name.clone(),
                url: entry.url.clone(),
                ca_file: Some(missing.clone()),
                allow_http: false,
            },
            None,
        )
        .await
        .expect("the same URL needs no new secret");
    let later = fx.reopen().await;
    let cached = later
        .query_users(&fx.app_id, gatehouse_core::UserQuery::default())
        .await
        .expect("the offline copy still answers");
    assert_eq!(cached.total, 12);
    let err = later
        .sync(
            &fx.app_id,
            |_| {},
            &gatehouse_core::CancellationToken::new(),
        )
        .await;
    let text = err.expect_err("no client without its CA file").to_string();
    assert!(text.contains(&missing.display().to_string()), "{text}");
}

#[tokio::test]
async fn saving_a_host_tests_it_first_unless_told_not_to() {
    let fx = Fixture::start(3).await;
    let dir = tempfile::tempdir().unwrap();
    let core = gatehouse_core::Gatehouse::new(dir.path()).with_keyring(
        gatehouse_core::secrets::Keyring::new(format!("gatehouse-test-{}", std::process::id())),
    );
    let input = || HostInput {
        name: "Typo".to_owned(),
        url: fx.host.base_url().to_owned(),
        ca_file: None,
        allow_http: false,
    };
    let wrong = || Some(gatehouse_core::Sensitive::new("not-the-secret".to_owned()));
    let err = core
        .save_host(None, input(), wrong(), false)
        .await
        .expect_err("the test fails");
    assert_eq!(err.code(), "unauthorized", "{err}");
    assert!(core.hosts().unwrap().is_empty(), "nothing was stored");

    let (saved, _) = core
        .save_host(None, input(), wrong(), true)
        .await
        .expect("saved anyway, untested");
    assert_eq!(core.hosts().unwrap(), vec![saved.clone()]);
    // Leaves no entry behind in a keyring the test may have reached.
    let _ = core.remove_host(&saved.id).await;
}
