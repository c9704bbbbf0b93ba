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
        Self::launch_in(data_dir, env).await
    }

    /// Launches the app on an existing data folder: a restart.
    pub async fn launch_in(data_dir: tempfile::TempDir, env: &[(&str, &str)]) -> Desktop {
        let (driver, port) = start_driver(data_dir.path(), env);
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
        self.screenshot("failure").await;
        let page = self.client.source().await.unwrap_or_default();
        panic!("`{css}` never showed the expected text; last seen: {last:?}\npage: {page}");
    }

    /// Every element matching `css`, once at least one exists.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.find(css).await;
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
    }

    /// The text content of every element matching `css` right now. (WebDriver's
    /// rendered text is empty for rows inside a transformed, scrolled body in WebKit.)
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
        {
            let text = element
                .prop("textContent")
                .await
                .ok()
                .flatten()
                .unwrap_or_default();
            texts.push(text.trim().to_owned());
        }
        texts
    }

    /// Waits until the texts of the elements matching `css` satisfy `accept`.
    pub async fn wait_for_texts(
        &self,
        css: &str,
        accept: impl Fn(&[String]) -> bool,
    ) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        let mut last = Vec::new();
        while Instant::now() < deadline {
            last = self.texts(css).await;
            if accept(&last) {
                return last;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.screenshot("failure").await;
        panic!("`{css}` never showed the expected texts; last seen: {last:?}");
    }

    /// Replaces the text of the input matching `css` as a user would, so that the page
    /// sees input events (WebDriver's clear alone fires none).
    pub async fn type_into(&self, css: &str, text: &str) {
        const BACKSPACE: &str = "\u{E003}";
        let input = self.find(css).await;
        input.clear().await.expect("the input can be cleared");
        input
            .send_keys(&format!("x{BACKSPACE}{text}"))
            .await
            .expect("the input takes keys");
    }

    /// Presses `key` in whatever has the focus, as the keyboard would.
    pub async fn press(&self, key: &str) {
        let focused = self
            .client
            .active_element()
            .await
            .expect("something has the focus");
        focused.send_keys(key).await.expect("the page takes keys");
    }

    /// Runs `script` in the page with `arguments` set to `args`, and answers what it
    /// returns.
    pub async fn execute(&self, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|error| panic!("the page could not run a script: {error}"))
    }

    /// Runs `script` in the page and answers the value it passes to its last argument,
    /// the WebDriver callback.
    pub async fn execute_async(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> serde_json::Value {
        self.client
            .execute_async(script, args)
            .await
            .unwrap_or_else(|error| panic!("the page could not run a script: {error}"))
    }

    /// The process id of this app's `tauri-driver`: the app and its WebKit processes
    /// run below it, so their memory and start times can be read from `/proc`.
    pub fn driver_pid(&self) -> Option<u32> {
        self.driver.id()
    }

    /// Saves a PNG of the window under `GATEHOUSE_E2E_SCREENSHOTS`, when set.
    pub async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("GATEHOUSE_E2E_SCREENSHOTS") else {
            return;
        };
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), png);
        }
    }

    pub async fn close(self) {
        self.quit().await;
    }

    /// Closes the app and gives back its data folder for a restart.
    pub async fn quit(mut self) -> tempfile::TempDir {
        let _ = self.client.close().await;
        stop_driver(&mut self.driver).await;
        self.data_dir
    }
}

/// Starts the WebDriver intermediary on a free port, with the app's data in `data_dir`
/// and `env` for the app; answers it and its port. The app starts with the first session.
pub fn start_driver(data_dir: &std::path::Path, env: &[(&str, &str)]) -> (Child, u16) {
    let port = free_port();
    // Each driver needs its own WebKitWebDriver port too, or tests running side by side
    // would talk to each other's app.
    let native_port = free_port();
    let mut command = Command::new(driver_binary());
    command
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("GATEHOUSE_DATA_DIR", data_dir)
        // WebKit keeps its own state under the XDG folders: each app gets its own, so
        // tests running side by side do not share a web view profile.
        .env("XDG_DATA_HOME", data_dir.join("xdg-data"))
        .env("XDG_CACHE_HOME", data_dir.join("xdg-cache"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    for (name, value) in env {
        command.env(name, value);
    }
    let driver = command.spawn().expect("the WebDriver intermediary starts");
    (driver, port)
}

/// The capabilities that ask the driver for a session of the app under test.
pub fn capabilities() -> serde_json::Map<String, serde_json::Value> {
    let capabilities = serde_json::json!({
        "browserName": "wry",
        "tauri:options": { "application": app_binary() },
    });
    match capabilities {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// Asks `driver` to stop, which stops its WebKitWebDriver and the app too; killed
/// outright it would leave WebKitWebDriver running, and runs of the suite pile them up.
pub async fn stop_driver(driver: &mut Child) {
    if let Some(pid) = driver.id() {
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .await;
        let _ = tokio::time::timeout(Duration::from_secs(3), driver.wait()).await;
    }
    let _ = driver.kill().await;
    let _ = driver.wait().await;
}

async fn connect(port: u16) -> Client {
    let capabilities = capabilities();
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
    workspace_binary("gatehouse")
}

/// The WebDriver intermediary of `crates/webdriver`, which `cargo test --workspace` builds
/// beside the tests.
pub fn driver_binary() -> PathBuf {
    workspace_binary("tauri-driver")
}

fn workspace_binary(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let binary = target
        .join(profile)
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: `cargo xtask test` builds it before the end-to-end tests",
        binary.display()
    );
    binary
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

/// Everything the app logged in the data folder `dir` (`<dir>/logs`), once it holds
/// `expected`: the log is written by a background thread, a moment after the fact.
pub async fn log_text(dir: &std::path::Path, expected: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let mut text = String::new();
        if let Ok(entries) = std::fs::read_dir(dir.join("logs")) {
            for entry in entries.flatten() {
                text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
        if text.contains(expected) || Instant::now() >= deadline {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// WebDriver's codes for the keys the tests press.
pub mod keys {
    pub const ARROW_DOWN: &str = "\u{E015}";
    pub const CONTROL: &str = "\u{E009}";
    pub const DELETE: &str = "\u{E017}";
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const F1: &str = "\u{E031}";
}

/// Every process below `root`, parents before children.
pub fn descendants(root: u32) -> Vec<u32> {
    let mut children: std::collections::HashMap<u32, Vec<u32>> = std::collections::HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some(parent) = stat_field(pid, 4).and_then(|f| f.parse().ok()) {
            children.entry(parent).or_default().push(pid);
        }
    }
    let mut found = Vec::new();
    let mut next = vec![root];
    while let Some(pid) = next.pop() {
        for &child in children.get(&pid).map(Vec::as_slice).unwrap_or_default() {
            found.push(child);
            next.push(child);
        }
    }
    found
}

/// Field `n` (1-based, as in proc(5)) of `/proc/<pid>/stat`. The command name, field 2,
/// may hold spaces and parentheses, so fields are counted after its closing one.
pub fn stat_field(pid: u32, n: usize) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(n - 3).map(str::to_owned)
}
