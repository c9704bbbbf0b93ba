//! A host that stops answering: reads fall back to the cache and say how old it is.

use gatehouse_core::{Reachability, Source, UserQuery};

use crate::support::Fixture;

#[tokio::test]
async fn an_unreachable_host_falls_back_to_saved_data() {
    let fx = Fixture::start(30).await;
    let apps = fx.conn.apps().await.unwrap();
    assert_eq!(apps.source, Source::Host);
    fx.sync().await.unwrap();
    // Shut the host down, keep the data folder.
    let Fixture {
        host,
        conn,
        app_id,
        dir: _dir,
        ..
    } = fx;
    host.shutdown().await;

    let apps = conn.apps().await.expect("the saved list answers");
    assert!(matches!(
        apps.source,
        Source::Saved {
            saved_at: Some(_),
            ..
        }
    ));
    assert!(apps.value.iter().any(|a| a.app_id == app_id));
    assert!(matches!(conn.reachability(), Reachability::Offline { .. }));
    let window = conn
        .query_users(&app_id, UserQuery::default())
        .await
        .unwrap();
    assert_eq!(window.total, 30, "the cache still answers");
    let err = conn
        .set_user_status(&app_id, &window.rows[0].user.id, false)
        .await
        .unwrap_err();
    assert!(err.is_unreachable(), "{err}");
    assert_eq!(
        conn.sync(&app_id, |_| {}, &Default::default())
            .await
            .unwrap_err()
            .code(),
        "unreachable"
    );
}

#[tokio::test]
async fn connecting_twice_at_once_shares_one_connection() {
    let fx = Fixture::start(5).await;
    // A second core on the same folder: the host is saved, its secret is not in this
    // session, so each connect waits on the keyring — where two callers could race.
    let core = gatehouse_core::Gatehouse::new(fx.dir.path());
    let host_id = fx.conn.host().id.clone();
    let (a, b) = tokio::join!(core.connect(&host_id), core.connect(&host_id));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(
        std::sync::Arc::ptr_eq(&a, &b),
        "one connection, so one open cache per app"
    );
}
