//! The app starts, renders, and shows what its backend reports.

use gatehouse_e2e::Desktop;

#[tokio::test]
async fn the_about_panel_shows_the_backend_version_and_data_folder() {
    let desktop = Desktop::launch(&[]).await;

    let version = desktop
        .wait_for_text("[aria-labelledby='about-version']", |text| !text.is_empty())
        .await;
    assert_eq!(
        version,
        env!("CARGO_PKG_VERSION"),
        "the version comes from the backend command"
    );

    let data_dir = desktop
        .find("[aria-labelledby='about-data']")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        data_dir,
        desktop.data_dir.path().display().to_string(),
        "the app must use GATEHOUSE_DATA_DIR from its environment"
    );

    let keyring = desktop
        .find("[aria-labelledby='about-keyring']")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        keyring, "available",
        "the test session runs an unlocked gnome-keyring"
    );

    desktop.close().await;
}
