//! The app starts, renders, and shows what its backend reports.

use gatehouse_e2e::Desktop;
use gatehouse_e2e::keys::{ESCAPE, F1};

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
    let license = desktop
        .find("[aria-labelledby='about-license']")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(license, "MIT OR Apache-2.0");
    desktop
        .find("details.licenses summary")
        .await
        .click()
        .await
        .unwrap();
    let listed = desktop
        .wait_for_text("pre[aria-label='Third-party licenses']", |text| {
            !text.is_empty()
        })
        .await;
    for component in ["tauri ", "leptos ", "wry ", "rusqlite ", "keyring "] {
        assert!(
            listed.lines().any(|line| line.starts_with(component)),
            "{component}is listed with its license"
        );
    }
    assert!(
        listed.lines().all(|line| line.contains(" — ")),
        "every line names a license"
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

    let log_dir = desktop
        .find("[aria-labelledby='about-log']")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        log_dir,
        desktop.data_dir.path().join("logs").display().to_string(),
        "with GATEHOUSE_DATA_DIR the log is in the data folder"
    );
    let backend = desktop
        .find("[aria-labelledby='about-backend']")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(backend, "Secret Service (gnome-keyring or KWallet)");
    let buttons = desktop.texts("footer button").await;
    assert!(
        buttons.iter().any(|b| b == "Open log folder"),
        "{buttons:?}"
    );
    let log = gatehouse_e2e::log_text(desktop.data_dir.path(), "command load_app_info took").await;
    assert!(
        log.lines()
            .any(|line| line.contains("command load_app_info took") && line.ends_with(": ok")),
        "{log}"
    );
    desktop.close().await;
}

async fn sheet_rows(desktop: &Desktop) -> Vec<String> {
    desktop
        .wait_for_texts(
            "[role='dialog'][aria-labelledby='shortcuts-title'] tbody tr",
            |rows| !rows.is_empty(),
        )
        .await
}

async fn sheet_closes(desktop: &Desktop) {
    desktop
        .wait_for_texts("[aria-labelledby='shortcuts-title']", |found| {
            found.is_empty()
        })
        .await;
}

#[tokio::test]
async fn the_keyboard_shortcuts_sheet_opens_on_question_mark_f1_and_its_button() {
    let desktop = Desktop::launch(&[]).await;
    desktop
        .wait_for_text("[aria-labelledby='about-version']", |text| !text.is_empty())
        .await;
    desktop.press("?").await;
    let heading = desktop
        .wait_for_text("[role='dialog'] #shortcuts-title", |t| !t.is_empty())
        .await;
    assert_eq!(heading, "Keyboard shortcuts");
    let rows = sheet_rows(&desktop).await;
    for keys in ["Ctrl/Cmd + F", "Ctrl/Cmd + R", "Delete", "Esc", "? or F1"] {
        assert!(
            rows.iter().any(|row| row.starts_with(keys)),
            "{keys} is listed: {rows:?}"
        );
    }
    desktop.press(ESCAPE).await;
    sheet_closes(&desktop).await;

    desktop.press(F1).await;
    assert!(!sheet_rows(&desktop).await.is_empty(), "F1 opens it too");
    desktop.press(ESCAPE).await;
    sheet_closes(&desktop).await;

    let buttons = desktop.find_all("footer button").await;
    let mut opened = false;
    for button in buttons {
        if button.text().await.unwrap_or_default().trim() == "Keyboard shortcuts" {
            button.click().await.expect("the button can be clicked");
            opened = true;
            break;
        }
    }
    assert!(opened, "the About panel has a Keyboard shortcuts button");
    assert!(!sheet_rows(&desktop).await.is_empty());
    desktop.close().await;
}

async fn theme_attribute(desktop: &Desktop) -> serde_json::Value {
    desktop
        .execute(
            "return document.documentElement.getAttribute('data-theme');",
            vec![],
        )
        .await
}

async fn background(desktop: &Desktop) -> String {
    desktop
        .execute(
            "return getComputedStyle(document.body).backgroundColor;",
            vec![],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_chosen_theme_is_applied_and_remembered_across_a_restart() {
    let desktop = Desktop::launch(&[]).await;
    desktop
        .wait_for_text("[aria-labelledby='about-version']", |text| !text.is_empty())
        .await;
    let theme = desktop.find("select[aria-label='Theme']").await;
    theme
        .select_by_value("Light")
        .await
        .expect("Light is offered");
    let light = background(&desktop).await;
    assert_eq!(light, "rgb(247, 247, 245)", "the light background");
    theme
        .select_by_value("Dark")
        .await
        .expect("Dark is offered");
    assert_eq!(theme_attribute(&desktop).await, "dark");
    assert_eq!(
        background(&desktop).await,
        "rgb(21, 25, 30)",
        "the dark background"
    );

    // Remembered: a restart on the same data folder opens dark.
    let data_dir = desktop.quit().await;
    let desktop = Desktop::launch_in(data_dir, &[]).await;
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    while theme_attribute(&desktop).await != "dark" {
        assert!(
            std::time::Instant::now() < deadline,
            "the dark theme comes back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let shown = desktop
        .find("select[aria-label='Theme']")
        .await
        .prop("value")
        .await
        .ok()
        .flatten();
    assert_eq!(shown.as_deref(), Some("Dark"));
    desktop.close().await;
}

#[tokio::test]
async fn a_second_start_on_the_same_data_folder_leaves_the_first_window_alone() {
    let desktop = Desktop::launch(&[]).await;
    desktop
        .wait_for_text("[aria-labelledby='about-version']", |text| !text.is_empty())
        .await;
    let dir = desktop.data_dir.path().to_owned();
    let second = tokio::process::Command::new(gatehouse_e2e::app_binary())
        .env("GATEHOUSE_DATA_DIR", &dir)
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("XDG_CACHE_HOME", dir.join("xdg-cache"))
        .kill_on_drop(true)
        .status();
    let status = tokio::time::timeout(gatehouse_e2e::PATIENCE, second)
        .await
        .expect("the second start ends by itself, handing over to the first")
        .expect("the binary runs");
    assert!(status.success(), "{status}");
    // The first window still answers.
    let version = desktop
        .wait_for_text("[aria-labelledby='about-version']", |text| !text.is_empty())
        .await;
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    desktop.close().await;
}

#[test]
fn the_binary_prints_its_version_without_opening_a_window() {
    let out = std::process::Command::new(gatehouse_e2e::app_binary())
        .arg("--version")
        .env_remove("DISPLAY")
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("gatehouse {}", env!("CARGO_PKG_VERSION"))
    );
}
