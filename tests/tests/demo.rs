//! A newcomer's first launch: no host yet, one click on the demo host, a populated table.

use gatehouse_e2e::Desktop;

#[tokio::test]
async fn the_demo_host_fills_the_table_on_first_launch() {
    let desktop = Desktop::launch(&[]).await;
    // The window starts hidden and is shown once its page has loaded.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let state = desktop
            .client
            .execute("return document.visibilityState", vec![])
            .await
            .unwrap();
        if state == "visible" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the window was not shown: the page is {state}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let offer = desktop.find("main .welcome button.primary").await;
    assert_eq!(offer.text().await.unwrap(), "Try the local demo host");
    offer.click().await.unwrap();

    let counts = desktop
        .wait_for_text(".toolbar .counts", |text| {
            text.ends_with(" users") && text != "0 users"
        })
        .await;
    assert_eq!(
        counts, "5,000 users",
        "the demo app holds about five thousand users"
    );
    let hosts = desktop.texts("select[aria-label='Host'] option").await;
    assert_eq!(
        hosts,
        ["Demo host"],
        "the demo host is saved under its own name"
    );
    let apps = desktop.texts("select[aria-label='App'] option").await;
    assert!(
        apps.len() >= 3,
        "a placeholder and the two demo apps: {apps:?}"
    );
    desktop.close().await;
}
