//! The intermediary between WebDriver clients and a native WebDriver server: against a
//! scripted native server that misbehaves as WebKitWebDriver's does under load, and as the
//! real binary in front of the real WebKitWebDriver.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Sends one raw HTTP/1.1 request on a connection of its own, as Python's urllib does
/// (`Connection: close`), and answers the raw answer.
async fn exchange(to: SocketAddr, method: &str, path: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(to).await.expect("the driver accepts");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .await
        .expect("an answer, not a reset connection");
    answer
}

/// Reads one request's head and body from `stream`.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&seen).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if seen.len() >= end + 4 + length {
                return Some(text);
            }
        }
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        seen.extend_from_slice(&buffer[..read]);
    }
}

/// What a scripted native server does with a connection once it has read a request.
#[derive(Clone, Copy)]
enum Native {
    /// Answers, then closes the connection a moment later without having said so: what
    /// libsoup does after a request that asked for `Connection: close`, late when busy.
    AnswersThenClosesLate,
    /// Closes without answering: a native server that died mid-command.
    ClosesWithoutAnswer,
}

/// Starts a scripted native server; answers its address and every request it read.
async fn native(behaviour: Native) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let log = log.clone();
            tokio::spawn(async move {
                let Some(request) = read_request(&mut stream).await else {
                    return;
                };
                let path = request.split_whitespace().nth(1).unwrap_or("").to_owned();
                log.lock().unwrap().push(request);
                if let Native::AnswersThenClosesLate = behaviour {
                    let body = format!("{{\"value\":\"{path}\"}}");
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                         Content-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                    // A second request sent on this connection in the meantime is never
                    // read: closing over it resets the connection.
                    tokio::time::sleep(Duration::from_millis(30)).await;
                }
            });
        }
    });
    (address, seen)
}

async fn proxy_to(native: SocketAddr) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(gatehouse_webdriver::serve(listener, native));
    address
}

#[tokio::test]
async fn every_command_is_answered_when_the_native_server_closes_connections_late() {
    let (native, seen) = native(Native::AnswersThenClosesLate).await;
    let proxy = proxy_to(native).await;
    for n in 0..150 {
        let path = format!("/session/s/element/{n}/text");
        let answer = exchange(proxy, "GET", &path, "").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "command {n}: {answer}");
        assert!(
            answer.contains(&path),
            "command {n} got another's answer: {answer}"
        );
    }
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.len(),
        150,
        "each command reached the native server once"
    );
    for request in seen.iter() {
        let head = request.to_ascii_lowercase();
        assert!(
            !head.contains("\r\nconnection:"),
            "a hop-by-hop header went on: {request}"
        );
    }
}

#[tokio::test]
async fn a_command_the_native_server_dropped_is_answered_as_an_unknown_outcome() {
    let (native, seen) = native(Native::ClosesWithoutAnswer).await;
    let proxy = proxy_to(native).await;
    let answer = exchange(proxy, "POST", "/session/s/element/e/click", "{}").await;
    assert!(answer.starts_with("HTTP/1.1 500"), "{answer}");
    assert!(answer.contains("\"error\":\"unknown error\""), "{answer}");
    assert!(answer.contains("whether it ran is unknown"), "{answer}");
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "the click was not sent again"
    );
}

#[tokio::test]
async fn a_new_session_asks_the_native_server_for_the_tauri_app() {
    let (native, seen) = native(Native::AnswersThenClosesLate).await;
    let proxy = proxy_to(native).await;
    let session = r#"{"capabilities":{"alwaysMatch":{"browserName":"wry","tauri:options":{"application":"/opt/app"}}}}"#;
    let answer = exchange(proxy, "POST", "/session", session).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let request = seen.lock().unwrap()[0].clone();
    let (head, body) = request.split_once("\r\n\r\n").unwrap();
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("content-length: {}", body.len())),
        "the length follows the rewritten body: {request}"
    );
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    let always = &body["capabilities"]["alwaysMatch"];
    assert!(always.get("tauri:options").is_none(), "{body}");
    assert_eq!(always["webkitgtk:browserOptions"]["binary"], "/opt/app");

    let answer = exchange(
        proxy,
        "POST",
        "/session",
        r#"{"capabilities":{"alwaysMatch":{"tauri:options":{}}}}"#,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("needs `application`"), "{answer}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap()
}

/// The binary in front of the real WebKitWebDriver, as a client that connects the moment
/// the port opens sees it.
#[tokio::test]
async fn the_driver_listens_once_webkitwebdriver_does_and_stops_it_when_stopped() {
    let (port, native_port) = (free_port(), free_port());
    let mut driver = tokio::process::Command::new(env!("CARGO_BIN_EXE_tauri-driver"))
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .kill_on_drop(true)
        .spawn()
        .expect("the driver starts");
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(address).await.is_err() {
        assert!(Instant::now() < deadline, "the driver never listened");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let status = exchange(address, "GET", "/status", "").await;
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert!(status.contains("\"ready\""), "{status}");

    let pid = driver.id().unwrap().to_string();
    let stopped = tokio::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .unwrap();
    assert!(stopped.success());
    let exit = tokio::time::timeout(Duration::from_secs(10), driver.wait())
        .await
        .expect("the driver stops when asked")
        .unwrap();
    assert!(exit.success(), "{exit}");
    let native = SocketAddr::from(([127, 0, 0, 1], native_port));
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(native).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "WebKitWebDriver kept running after the driver stopped"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
