//! The server secret through the window: typed once into the host form, kept out of
//! every file and of the environment of the app's processes, and never sent to an
//! address it was not given for.

use cosync_emulator::{Config, RunningHost, SeedOptions};
use fantoccini::Locator;
use gatehouse_e2e::{Desktop, PATIENCE};
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const USERS: u64 = 30;

async fn seeded_host() -> RunningHost {
    let host = cosync_emulator::start(Config::in_memory())
        .await
        .expect("the emulator starts");
    host.seed(SeedOptions::new("Vault", USERS))
        .await
        .expect("seeding Vault");
    host
}

/// Every file under `dir`, recursively, with its bytes.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            files.push((path.display().to_string(), bytes));
        }
    }
    files
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// The app's process (started with `GATEHOUSE_DATA_DIR=data_dir`) and every process
/// below it (WebKit's web and network processes): their pids.
fn app_processes(data_dir: &Path) -> Vec<u32> {
    let app = gatehouse_e2e::app_binary();
    let marker = format!("GATEHOUSE_DATA_DIR={}", data_dir.display());
    let mut parents = Vec::new();
    let mut all = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let ppid = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                let after = stat.rsplit_once(')')?.1.to_owned();
                after.split_whitespace().nth(1)?.parse::<u32>().ok()
            });
        all.push((pid, ppid));
        let is_app = std::fs::read_link(format!("/proc/{pid}/exe"))
            .is_ok_and(|exe| exe.file_name() == app.file_name())
            && std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| holds(&env, marker.as_bytes()));
        if is_app {
            parents.push(pid);
        }
    }
    let mut found = parents.clone();
    while let Some(parent) = parents.pop() {
        for &(pid, ppid) in &all {
            if ppid == Some(parent) && !found.contains(&pid) {
                found.push(pid);
                parents.push(pid);
            }
        }
    }
    found
}

/// A stand-in host that keeps every byte it is sent and answers 503.
fn recording_host() -> (String, Arc<Mutex<Vec<u8>>>, Arc<AtomicUsize>) {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heard = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(AtomicUsize::new(0));
    let (log, count) = (Arc::clone(&heard), Arc::clone(&connections));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            count.fetch_add(1, Ordering::Relaxed);
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 8192];
            if let Ok(n) = stream.read(&mut buf) {
                log.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    (url, heard, connections)
}

async fn click(desktop: &Desktop, css: &str) {
    if let Err(error) = desktop.find(css).await.click().await {
        desktop.screenshot("failure").await;
        panic!("{css} cannot be clicked: {error}");
    }
}

async fn click_button(desktop: &Desktop, scope: &str, label: &str) {
    let xpath = format!("{scope}//button[normalize-space()='{label}']");
    let button = desktop
        .client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|error| panic!("no button {label}: {error}"));
    button
        .click()
        .await
        .unwrap_or_else(|error| panic!("{label} cannot be clicked: {error}"));
}

async fn vault_id(host: &RunningHost) -> String {
    cosync_client::HostClient::new(cosync_client::HostConfig::new(
        host.base_url(),
        cosync_client::ServerSecret::new(host.server_secret()),
    ))
    .unwrap()
    .all_apps()
    .await
    .unwrap()
    .into_iter()
    .find(|app| app.name == "Vault")
    .expect("Vault exists")
    .app_id
}

const FORM: &str = "//section[@role='dialog'][contains(@class,'host-form')]";

#[tokio::test]
async fn a_typed_secret_stays_in_the_keyring_and_goes_to_its_own_url_only() {
    let host = seeded_host().await;
    let secret = host.server_secret().to_owned();
    let desktop = Desktop::launch(&[]).await;

    // First launch: add the host through the form, typing its secret.
    click_button(&desktop, "", "Add a host").await;
    add_host_in_form(&desktop, "Vault host", host.base_url(), &secret).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == format!("{USERS} users synced")
        })
        .await;

    // Edit the host: another port. The saved secret is not sent there.
    let (elsewhere, heard, connections) = recording_host();
    click(&desktop, "button[aria-label='Edit host']").await;
    desktop
        .type_into("input[aria-label='URL']", &elsewhere)
        .await;
    click_button(&desktop, FORM, "Test connection").await;
    let said = desktop
        .wait_for_text(".host-form [role='status']", |text| !text.is_empty())
        .await;
    assert!(
        said.contains("enter the server secret for that address"),
        "the form asks for the secret again: {said}"
    );
    click_button(&desktop, FORM, "Save host").await;
    desktop
        .wait_for_text(".host-form [role='status']", |text| {
            text.contains("enter the server secret for that address")
        })
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        connections.load(Ordering::Relaxed),
        0,
        "nothing was sent to {elsewhere}"
    );
    assert!(!holds(&heard.lock().unwrap(), secret.as_bytes()));
    click_button(&desktop, FORM, "Cancel").await;

    // Nothing the app wrote holds the secret: the data folder (host list, caches, UI
    // settings) and the web view's own folders under the test's XDG folders.
    let data_dir = desktop.data_dir.path().to_owned();
    let files = files_under(&data_dir);
    assert!(
        files.iter().any(|(path, _)| path.ends_with("hosts.json")),
        "the host was saved"
    );
    for (path, bytes) in &files {
        assert!(
            !holds(bytes, secret.as_bytes()),
            "{path} holds the server secret"
        );
    }

    // Forget local data asks first, then deletes the host's offline copy.
    // (The window may open a new, empty cache at once: what must be gone is the users.)
    let cache_dir = data_dir.join("cache");
    let some_handle = cosync_client::HostClient::new(cosync_client::HostConfig::new(
        host.base_url(),
        cosync_client::ServerSecret::new(host.server_secret()),
    ))
    .unwrap()
    .users_page(&vault_id(&host).await, 0, 25, false)
    .await
    .unwrap()
    .users
    .into_iter()
    .next()
    .expect("Vault has users")
    .handle;
    let cached = |dir: &Path| {
        files_under(dir)
            .iter()
            .any(|(_, bytes)| holds(bytes, some_handle.as_bytes()))
    };
    assert!(cached(&cache_dir), "the sync wrote an offline copy");
    click(&desktop, "button[aria-label='Edit host']").await;
    click_button(&desktop, FORM, "Forget local data").await;
    desktop
        .wait_for_text("[role='alertdialog'] h2", |text| {
            text == "Forget the local data of Vault host?"
        })
        .await;
    click_button(&desktop, "//*[@role='alertdialog']", "Confirm").await;
    desktop
        .wait_for_text(".host-form [role='status']", |text| {
            text.starts_with("Local data deleted")
        })
        .await;
    assert!(!cached(&cache_dir), "the offline copy is gone");
    click_button(&desktop, FORM, "Cancel").await;

    // Remove host asks first, names the host, and then removes it.
    click(&desktop, "button[aria-label='Edit host']").await;
    click_button(&desktop, FORM, "Remove host").await;
    desktop
        .wait_for_text("[role='alertdialog'] h2", |text| {
            text == "Remove the host Vault host?"
        })
        .await;
    click_button(&desktop, "//*[@role='alertdialog']", "Confirm").await;
    desktop
        .wait_for_text("#welcome-title", |text| text == "Welcome to Gatehouse")
        .await;
    desktop.close().await;
}

#[tokio::test]
async fn the_scripted_secret_is_not_in_the_environment_of_the_app_or_webkit() {
    let host = seeded_host().await;
    let secret = host.server_secret().to_owned();
    let exports = tempfile::tempdir().unwrap();
    let export = exports.path().join("users.csv");
    let desktop = Desktop::launch(&[
        ("GATEHOUSE_HOST_URL", host.base_url()),
        ("GATEHOUSE_SERVER_SECRET", &secret),
        ("GATEHOUSE_APP", "Vault"),
        ("GATEHOUSE_EXPORT_PATH", &export.display().to_string()),
    ])
    .await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == format!("{USERS} users synced")
        })
        .await;
    // An export too, then every file is searched.
    click(&desktop, "details.export summary").await;
    click_button(&desktop, "//details[contains(@class,'export')]", "CSV…").await;
    let deadline = Instant::now() + PATIENCE;
    while !export.exists() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let csv = std::fs::read(&export).expect("the export was written where the variable says");
    assert!(
        csv.iter().filter(|&&b| b == b'\n').count() > USERS as usize,
        "a header and every user"
    );
    assert!(
        !holds(&csv, secret.as_bytes()),
        "the export holds the server secret"
    );

    // The app and WebKit's processes below it; WebKit starts its network process
    // lazily, so the scan waits for the web process at least.
    let data_dir = desktop.data_dir.path().to_owned();
    let deadline = Instant::now() + PATIENCE;
    let processes = loop {
        let found = app_processes(&data_dir);
        if found.len() >= 2 || Instant::now() > deadline {
            break found;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        processes.len() >= 2,
        "the app and its web process were found: {processes:?}"
    );
    for pid in &processes {
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        assert!(
            !holds(&environ, secret.as_bytes()),
            "process {pid} has the server secret in its environment"
        );
    }
    for (path, bytes) in files_under(&data_dir) {
        assert!(
            !holds(&bytes, secret.as_bytes()),
            "{path} holds the server secret"
        );
    }
    desktop.close().await;
}

#[tokio::test]
async fn save_host_tests_first_and_a_refused_secret_is_saved_only_when_asked() {
    let host = seeded_host().await;
    let desktop = Desktop::launch(&[]).await;
    click_button(&desktop, "", "Add a host").await;
    add_host_in_form(&desktop, "Typo host", host.base_url(), "not-the-secret").await;
    let said = desktop
        .wait_for_text(".host-form [role='status']", |text| !text.is_empty())
        .await;
    assert!(
        said.starts_with("Not saved: The host refused the server secret"),
        "the form says what is wrong: {said}"
    );
    assert!(
        !desktop.data_dir.path().join("hosts.json").exists(),
        "nothing was stored"
    );

    // The user insists: the host is stored as typed, and the window says the host
    // refuses the secret where the apps were expected, with Edit host at hand.
    click_button(&desktop, FORM, "Save anyway").await;
    let said = desktop
        .wait_for_text(".first-contact p", |text| !text.is_empty())
        .await;
    assert!(said.contains("refused the server secret"), "{said}");
    click_button(
        &desktop,
        "//section[contains(@class,'first-contact')]",
        "Edit host",
    )
    .await;
    desktop.find(".host-form").await;
    desktop.close().await;
}

#[tokio::test]
async fn a_host_that_does_not_answer_is_said_in_words_and_retried() {
    // A port nothing listens on, and no offline copy yet.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let desktop = Desktop::launch(&[
        ("GATEHOUSE_HOST_URL", &url),
        ("GATEHOUSE_SERVER_SECRET", "any-secret"),
    ])
    .await;
    let said = desktop
        .wait_for_text(".first-contact p", |text| !text.is_empty())
        .await;
    assert!(
        said.starts_with(&format!("The host at {url} cannot be reached.")),
        "{said}"
    );
    assert!(
        !said.contains("os error") && !said.contains("tcp connect"),
        "no error chain in the message: {said}"
    );
    desktop
        .wait_for_text(".offline[role='status'] strong", |text| text == "Offline")
        .await;
    // The technical cause is behind Details; Retry and Edit host are offered.
    desktop.find(".first-contact details summary").await;
    click_button(
        &desktop,
        "//section[contains(@class,'first-contact')]",
        "Retry",
    )
    .await;
    desktop
        .wait_for_text(".first-contact p", |text| {
            text.contains("cannot be reached")
        })
        .await;
    let page = desktop.client.source().await.unwrap_or_default();
    assert!(
        !page.contains("Loading the host's apps"),
        "no endless loading line"
    );
    desktop.close().await;
}

/// Fills the open host form (name, URL, typed secret) and chooses `Save host`.
async fn add_host_in_form(desktop: &Desktop, name: &str, url: &str, secret: &str) {
    desktop.type_into("input[aria-label='Name']", name).await;
    desktop.type_into("input[aria-label='URL']", url).await;
    desktop
        .type_into("input[aria-label='Server secret']", secret)
        .await;
    click_button(desktop, FORM, "Save host").await;
}

/// Chooses `label` in the select named `name` (`Host`, `App`).
async fn choose(desktop: &Desktop, name: &str, label: &str) {
    let select = desktop.find(&format!("select[aria-label='{name}']")).await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        match select.clone().select_by_label(label).await {
            Ok(_) => return,
            Err(error) if Instant::now() > deadline => panic!("no {label} in {name}: {error}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

#[tokio::test]
async fn two_hosts_each_reopen_the_app_last_opened_on_them() {
    let start = |apps: [&'static str; 2]| async move {
        let host = cosync_emulator::start(Config::in_memory())
            .await
            .expect("the emulator starts");
        for app in apps {
            host.seed(SeedOptions::new(app, 6)).await.expect("seeding");
        }
        host
    };
    let (first, second) = tokio::join!(
        start(["Alpha One", "Alpha Two"]),
        start(["Beta One", "Beta Two"])
    );
    let desktop = Desktop::launch(&[]).await;
    let app_shown = "select[aria-label='App'] option:checked";

    click_button(&desktop, "", "Add a host").await;
    add_host_in_form(&desktop, "First", first.base_url(), first.server_secret()).await;
    choose(&desktop, "App", "Alpha Two").await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "6 users synced"
        })
        .await;

    click(&desktop, "button[aria-label='Add a host']").await;
    add_host_in_form(
        &desktop,
        "Second",
        second.base_url(),
        second.server_secret(),
    )
    .await;
    choose(&desktop, "App", "Beta One").await;
    desktop
        .wait_for_text(app_shown, |text| text == "Beta One")
        .await;

    // Switching hosts opens the app last opened on each.
    choose(&desktop, "Host", "First").await;
    desktop
        .wait_for_text(app_shown, |text| text == "Alpha Two")
        .await;
    choose(&desktop, "Host", "Second").await;
    desktop
        .wait_for_text(app_shown, |text| text == "Beta One")
        .await;
    desktop.close().await;
}
