//! Any W3C WebDriver client drives the window, not only the one the other tests use: a
//! plain client that opens a connection per command and closes it (`Connection: close`,
//! as Python's urllib does), asks for its session the moment the driver listens, and
//! drives a launch of the app after another. Screen readers' and automation's tools
//! take the same paths.

use cosync_emulator::{Config, SeedOptions};
use gatehouse_e2e::{PATIENCE, capabilities, descendants, start_driver, stop_driver};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One WebDriver session, each command on a connection of its own.
struct PlainClient {
    http: reqwest::Client,
    base: String,
    session: String,
}

impl PlainClient {
    /// Asks for a session once, as a plain client does: a refused or dropped request fails.
    async fn start(port: u16) -> PlainClient {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + PATIENCE;
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "the driver never listened");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let mut client = PlainClient {
            http,
            base,
            session: String::new(),
        };
        let body = json!({ "capabilities": { "alwaysMatch": capabilities() } });
        let answer = client.call("POST", "/session", Some(body)).await;
        client.session = answer["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        client
    }

    /// One command; every command must get an answer, and a success.
    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let request = match method {
            "GET" => self.http.get(&url),
            "DELETE" => self.http.delete(&url),
            _ => self
                .http
                .post(&url)
                .json(&body.unwrap_or_else(|| json!({}))),
        };
        let answer = request
            .header(reqwest::header::CONNECTION, "close")
            .send()
            .await
            .unwrap_or_else(|error| panic!("{method} {path} got no answer: {error:?}"));
        let status = answer.status();
        let value: Value = answer.json().await.expect("a JSON answer");
        assert!(status.is_success(), "{method} {path}: {status} {value}");
        value["value"].clone()
    }

    fn at(&self, path: &str) -> String {
        format!("/session/{}{path}", self.session)
    }

    async fn elements(&self, using: &str, value: &str) -> Vec<String> {
        let found = self
            .call(
                "POST",
                &self.at("/elements"),
                Some(json!({ "using": using, "value": value })),
            )
            .await;
        found
            .as_array()
            .expect("a list of elements")
            .iter()
            .map(|element| element[ELEMENT].as_str().unwrap().to_owned())
            .collect()
    }

    /// Polls for an element as the plain client does: a command every tenth of a second.
    async fn wait_for(&self, using: &str, value: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(first) = self.elements(using, value).await.into_iter().next() {
                return first;
            }
            assert!(Instant::now() < deadline, "nothing matches {value}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test]
async fn a_plain_webdriver_client_keeps_its_session_launch_after_launch() {
    let host = cosync_emulator::start(Config::in_memory())
        .await
        .expect("the emulator starts");
    host.seed(SeedOptions::new("Acme", 2000))
        .await
        .expect("seeding Acme");
    let env = [
        ("GATEHOUSE_HOST_URL", host.base_url()),
        ("GATEHOUSE_SERVER_SECRET", host.server_secret()),
        ("GATEHOUSE_APP", "Acme"),
    ];
    for launch in 1..=3 {
        let data_dir = tempfile::tempdir().unwrap();
        let (mut driver, port) = start_driver(data_dir.path(), &env);
        let client = PlainClient::start(port).await;
        client.wait_for("css selector", "[role='tab']").await;
        // While the app syncs and paints: the busiest moment of its web process.
        let add = client
            .wait_for("xpath", "//button[normalize-space(.)='Add user']")
            .await;
        client
            .call("POST", &client.at(&format!("/element/{add}/click")), None)
            .await;
        client
            .wait_for("css selector", "[role='dialog'] input")
            .await;
        let fields = client
            .elements("css selector", "[role='dialog'] input")
            .await;
        for field in fields.iter().take(2) {
            client
                .call(
                    "POST",
                    &client.at(&format!("/element/{field}/value")),
                    Some(json!({ "text": "someone@example.com" })),
                )
                .await;
        }
        let typed = client
            .call(
                "GET",
                &client.at(&format!("/element/{}/property/value", fields[0])),
                None,
            )
            .await;
        assert_eq!(typed, "someone@example.com", "launch {launch}");
        let started = descendants(driver.id().expect("the driver runs"));
        // A client that goes away without ending its session (launch 2) leaves the app
        // to the driver's stop.
        if launch != 2 {
            client.call("DELETE", &client.at(""), None).await;
        }
        stop_driver(&mut driver).await;
        // Nothing the driver started outlives it: an app left running would hold its
        // data folder's single-instance lock, and the next start there would not open.
        let deadline = Instant::now() + Duration::from_secs(5);
        while started.iter().any(|pid| is_running(*pid)) {
            assert!(
                Instant::now() < deadline,
                "launch {launch}: processes left running: {started:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    host.shutdown().await;
}

/// Whether `pid` is a live process (a zombie waiting for its parent is not).
fn is_running(pid: u32) -> bool {
    gatehouse_e2e::stat_field(pid, 3).is_some_and(|state| state != "Z")
}
