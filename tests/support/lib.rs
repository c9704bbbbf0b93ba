//! What every end-to-end test needs: a `tauri-driver` on a free port, the real desktop
//! binary launched through it in a throw-away data folder, and a WebDriver session.

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// How long a test waits for something to appear before failing.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The desktop app, running in its window under `tauri-driver`.
pub struct Desktop {
    pub client: Client,
    driver: Child,
    pub data_dir: tempfile::TempDir,
}

impl Desktop {
    /// Launches the app with `GATEHOUSE_DATA_DIR` set to a fresh folder, plus `env`.
    pub async fn launch(env: &[(&str, &str)]) -> Desktop {
        let data_dir = tempfile::tempdir().expect("temporary data folder");
        let port = free_port();
        let mut command = Command::new(tool("tauri-driver"));
        command
            .args(["--port", &port.to_string()])
            .env("GATEHOUSE_DATA_DIR", data_dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        for (name, value) in env {
            command.env(name, value);
        }
        let driver = command
            .spawn()
            .expect("tauri-driver must be installed: run `cargo xtask test`, which installs it");
        let client = connect(port).await;
        Desktop {
            client,
            driver,
            data_dir,
        }
    }

    /// Waits until an element matching `css` exists and returns it.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|error| {
                panic!("no element matches `{css}` within {PATIENCE:?}: {error}")
            })
    }

    /// Waits until the element matching `css` has text satisfying `accept`, and returns
    /// that text; fails with the last text seen.
    pub async fn wait_for_text(&self, css: &str, accept: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.text().await.unwrap_or_default();
                if accept(&last) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let page = self.client.source().await.unwrap_or_default();
        panic!("`{css}` never showed the expected text; last seen: {last:?}\npage: {page}");
    }

    pub async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill().await;
    }
}

async fn connect(port: u16) -> Client {
    let capabilities = serde_json::json!({
        "browserName": "wry",
        "tauri:options": { "application": app_binary() },
    });
    let capabilities = match capabilities {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    };
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + PATIENCE;
    loop {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return client,
            Err(error) if Instant::now() >= deadline => {
                panic!("no WebDriver session on {url}: {error}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// The debug desktop binary `cargo test --workspace` builds beside the tests.
pub fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("GATEHOUSE_APP_BINARY") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let binary = target
        .join("debug")
        .join(format!("gatehouse{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: `cargo xtask test` builds it before the end-to-end tests",
        binary.display()
    );
    binary
}

/// A tool `cargo xtask` installed: on PATH, or in cargo's bin folder.
fn tool(name: &str) -> PathBuf {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin").join(name));
    match cargo_bin {
        Some(path) if path.exists() => path,
        _ => PathBuf::from(name),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}
