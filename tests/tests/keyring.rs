//! Secrets in a real Secret Service: `cargo xtask test` runs this inside
//! `dbus-run-session` with a throw-away, unlocked gnome-keyring.

use gatehouse_core::{Sensitive, secrets::Keyring};

#[test]
fn a_secret_is_stored_read_back_and_deleted() {
    let keyring = Keyring::new(format!("gatehouse-test-{}", std::process::id()));
    let account = "host:e2e";
    keyring
        .probe()
        .expect("the test session must provide an unlocked Secret Service");

    assert!(
        keyring.retrieve(account).unwrap().is_none(),
        "a fresh service has no entry"
    );

    keyring
        .persist(account, &Sensitive::new("s3cret-token".to_owned()))
        .unwrap();
    let read = keyring
        .retrieve(account)
        .unwrap()
        .expect("the entry just stored");
    assert_eq!(read.expose(), "s3cret-token");

    keyring
        .persist(account, &Sensitive::new("rotated".to_owned()))
        .unwrap();
    assert_eq!(
        keyring.retrieve(account).unwrap().unwrap().expose(),
        "rotated",
        "persist overwrites"
    );

    keyring.delete(account).unwrap();
    assert!(
        keyring.retrieve(account).unwrap().is_none(),
        "delete removes the entry"
    );
    keyring
        .delete(account)
        .expect("deleting a missing entry is not an error");
}
