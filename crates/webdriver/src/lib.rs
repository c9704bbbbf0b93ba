//! The WebDriver intermediary: takes W3C WebDriver commands on one port and forwards them
//! to the platform's native driver (WebKitWebDriver on Linux), turning the Tauri capability
//! `tauri:options` into the native driver's own on the way.
//!
//! Why not tauri-driver itself (2.1.0; 3.0.0-alpha.1 forwards the same way): it passes each
//! request's headers on as they came, `Connection: close` included, which Python's urllib
//! and many plain clients send on every request. WebKitWebDriver's HTTP server (libsoup 3)
//! then closes the connection after its answer without saying so in the answer, so
//! tauri-driver's pooled client keeps the connection as idle and, when the next command
//! comes before it has noticed the close, writes that command to a dead socket. The
//! command fails with "connection reset by peer" and the client's connection is dropped
//! without an answer: a lost session to the client, in about one launch in four of
//! `webdriver-smoke.py` on a 2-core machine. tauri-driver also listens before its native
//! driver does, so a client that asks for a session at once is refused.
//!
//! So here: hop-by-hop headers stay on their hop (RFC 9110 §7.6.1); every command goes out
//! on a connection of its own, because a loopback connect costs a fraction of a
//! millisecond and a reused connection the server already closed costs the command; a
//! refused connect (nothing sent yet) is tried again while the native driver starts; and a
//! failure is answered as a WebDriver error rather than a dropped connection. A command
//! that was sent is never sent again: WebDriver commands are not idempotent.

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

/// How long a refused connection to the native driver is tried again: its start, on a
/// busy machine, before it listens.
pub const NATIVE_START: Duration = Duration::from_secs(30);

/// The capability a Tauri app's WebDriver client sends: the app binary and its arguments.
pub const TAURI_OPTIONS: &str = "tauri:options";

/// Serves WebDriver clients on `listener`, forwarding to the native driver at `native`,
/// until the listener fails.
pub async fn serve(listener: TcpListener, native: SocketAddr) -> io::Result<()> {
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| async move {
                Ok::<_, std::convert::Infallible>(forward(request, native).await)
            });
            // A client that goes away mid-request is its own business; nothing to report.
            let _ = hyper::server::conn::http1::Builder::new()
                .title_case_headers(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Waits until the native driver at `native` accepts connections, up to `patience`.
pub async fn wait_until_listening(native: SocketAddr, patience: Duration) -> io::Result<()> {
    connect(native, Instant::now() + patience).await.map(drop)
}

/// One command, there and back; every failure becomes a WebDriver error answer.
async fn forward(request: Request<Incoming>, native: SocketAddr) -> Response<Full<Bytes>> {
    match try_forward(request, native).await {
        Ok(response) => response,
        Err(failure) => failure.into_response(),
    }
}

async fn try_forward(
    request: Request<Incoming>,
    native: SocketAddr,
) -> Result<Response<Full<Bytes>>, Failure> {
    let (mut parts, body) = request.into_parts();
    let mut body = body
        .collect()
        .await
        .map_err(|error| Failure::BadRequest(format!("could not read the request: {error}")))?
        .to_bytes();
    if parts.method == Method::POST && parts.uri.path() == "/session" {
        let mut session: Value = serde_json::from_slice(&body).map_err(|error| {
            Failure::BadRequest(format!("the new session's body is not JSON: {error}"))
        })?;
        to_native_capabilities(&mut session).map_err(Failure::BadRequest)?;
        body = Bytes::from(session.to_string());
    }
    strip_hop_by_hop(&mut parts.headers);
    parts.headers.insert(
        header::HOST,
        HeaderValue::from_str(&native.to_string()).expect("a socket address is a valid header"),
    );
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    parts.uri = parts
        .uri
        .path_and_query()
        .map_or("/", |path| path.as_str())
        .parse()
        .expect("a path taken from a valid URI is a valid URI");

    let stream = connect(native, Instant::now() + NATIVE_START)
        .await
        .map_err(|error| Failure::Unreachable(native, error))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| Failure::Sent(error.to_string()))?;
    tokio::spawn(connection);
    let response = sender
        .send_request(Request::from_parts(parts, Full::new(body)))
        .await
        .map_err(|error| Failure::Sent(error.to_string()))?;
    let (mut parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|error| Failure::Sent(format!("the answer broke off: {error}")))?
        .to_bytes();
    strip_hop_by_hop(&mut parts.headers);
    Ok(Response::from_parts(parts, Full::new(body)))
}

/// Connects to `native`, trying again while it refuses (not listening yet) until `deadline`.
async fn connect(native: SocketAddr, deadline: Instant) -> io::Result<TcpStream> {
    loop {
        match TcpStream::connect(native).await {
            Ok(stream) => {
                stream.set_nodelay(true)?;
                return Ok(stream);
            }
            Err(error)
                if error.kind() == io::ErrorKind::ConnectionRefused
                    && Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Removes the headers that describe one connection rather than the message (RFC 9110
/// §7.6.1): `Connection`, the headers it names, and the fixed hop-by-hop set.
pub fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named {
        headers.remove(name);
    }
    for name in [
        header::CONNECTION,
        HeaderName::from_static("keep-alive"),
        HeaderName::from_static("proxy-connection"),
        header::PROXY_AUTHENTICATE,
        header::PROXY_AUTHORIZATION,
        header::TE,
        header::TRAILER,
        header::TRANSFER_ENCODING,
        header::UPGRADE,
    ] {
        headers.remove(name);
    }
}

/// Rewrites a new-session request so the native driver starts the Tauri app:
/// `tauri:options` becomes the native driver's browser options, in `alwaysMatch`, in each
/// `firstMatch` and in the legacy `desiredCapabilities`.
pub fn to_native_capabilities(session: &mut Value) -> Result<(), String> {
    let Some(session) = session.as_object_mut() else {
        return Err("a new session's body must be a JSON object".into());
    };
    let mut sets: Vec<&mut Map<String, Value>> = Vec::new();
    for (key, value) in session.iter_mut() {
        match (key.as_str(), value) {
            ("capabilities", Value::Object(capabilities)) => {
                for (key, value) in capabilities.iter_mut() {
                    match (key.as_str(), value) {
                        ("alwaysMatch", Value::Object(set)) => sets.push(set),
                        ("firstMatch", Value::Array(list)) => {
                            sets.extend(list.iter_mut().filter_map(Value::as_object_mut))
                        }
                        _ => {}
                    }
                }
            }
            ("desiredCapabilities", Value::Object(set)) => sets.push(set),
            _ => {}
        }
    }
    for set in sets {
        if let Some(options) = set.remove(TAURI_OPTIONS) {
            set.extend(native_options(&options)?);
        }
    }
    Ok(())
}

/// The native driver's capabilities for `tauri:options`.
fn native_options(options: &Value) -> Result<Map<String, Value>, String> {
    let application = options
        .get("application")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            format!("`{TAURI_OPTIONS}` needs `application`, the path of the app's binary")
        })?;
    let args = match options.get("args") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(args)) if args.iter().all(Value::is_string) => args.clone(),
        Some(_) => return Err(format!("`{TAURI_OPTIONS}.args` must be a list of strings")),
    };
    let mut native = Map::new();
    if cfg!(windows) {
        let binary = std::path::Path::new(application).with_extension("exe");
        native.insert("browserName".into(), json!("webview2"));
        native.insert("ms:edgeChromium".into(), json!(true));
        native.insert(
            "ms:edgeOptions".into(),
            json!({ "binary": binary, "args": args }),
        );
    } else {
        native.insert(
            "webkitgtk:browserOptions".into(),
            json!({ "binary": application, "args": args }),
        );
    }
    Ok(native)
}

/// Why a command got no answer from the native driver.
enum Failure {
    BadRequest(String),
    /// Nothing was sent: the native driver did not accept a connection.
    Unreachable(SocketAddr, io::Error),
    /// The command went out; what the native driver made of it is unknown.
    Sent(String),
}

impl Failure {
    /// The W3C error answer: the client sees what happened instead of a closed connection.
    fn into_response(self) -> Response<Full<Bytes>> {
        let (status, error, message) = match self {
            Failure::BadRequest(message) => (StatusCode::BAD_REQUEST, "invalid argument", message),
            Failure::Unreachable(native, error) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "unknown error",
                format!("the native WebDriver server at {native} is not reachable: {error}"),
            ),
            Failure::Sent(error) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "unknown error",
                format!(
                    "the native WebDriver server did not answer this command ({error}); \
                     whether it ran is unknown"
                ),
            ),
        };
        let body = json!({ "value": { "error": error, "message": message, "stacktrace": "" } });
        let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
        *response.status_mut() = status;
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_headers_and_those_connection_names_are_dropped() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONNECTION,
            HeaderValue::from_static("close, x-trace"),
        );
        headers.insert("x-trace", HeaderValue::from_static("1"));
        headers.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        strip_hop_by_hop(&mut headers);
        let left: Vec<&str> = headers.keys().map(HeaderName::as_str).collect();
        assert_eq!(left, ["content-type"]);
    }

    #[test]
    fn tauri_options_become_the_native_drivers_in_every_set() {
        let mut session = json!({
            "capabilities": {
                "alwaysMatch": { "browserName": "wry", "tauri:options": { "application": "/bin/app" } },
                "firstMatch": [ { "tauri:options": { "application": "/bin/app", "args": ["-v"] } } ],
            },
            "desiredCapabilities": { "tauri:options": { "application": "/bin/app" } },
        });
        to_native_capabilities(&mut session).unwrap();
        let text = session.to_string();
        assert!(!text.contains(TAURI_OPTIONS), "{text}");
        if cfg!(target_os = "linux") {
            let always = &session["capabilities"]["alwaysMatch"];
            assert_eq!(always["webkitgtk:browserOptions"]["binary"], "/bin/app");
            assert_eq!(always["browserName"], "wry");
            let first = &session["capabilities"]["firstMatch"][0];
            assert_eq!(first["webkitgtk:browserOptions"]["args"], json!(["-v"]));
            let desired = &session["desiredCapabilities"];
            assert_eq!(desired["webkitgtk:browserOptions"]["args"], json!([]));
        }
    }

    #[test]
    fn tauri_options_without_an_application_are_refused_with_the_reason() {
        let mut session = json!({ "capabilities": { "alwaysMatch": { "tauri:options": {} } } });
        let error = to_native_capabilities(&mut session).unwrap_err();
        assert!(error.contains("needs `application`"), "{error}");
        let mut session = json!({ "capabilities": { "alwaysMatch": {
            "tauri:options": { "application": "/bin/app", "args": [1] } } } });
        let error = to_native_capabilities(&mut session).unwrap_err();
        assert!(error.contains("list of strings"), "{error}");
    }
}
