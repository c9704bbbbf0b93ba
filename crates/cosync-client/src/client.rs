//! The HTTP machinery: configuration, the `reqwest` client, one request with its
//! silence limit, reading and classifying the answer, and retries of reads.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::error_from_body;
use crate::{ClientError, ServerSecret};

/// The route that tests a host and its server secret, and nothing else.
pub(crate) const CONNECTION_PATH: &str = "/api/app/connection";

/// The largest answer taken from a host. A page of 1,000 users with rich metadata is a
/// few MB and the app list less; anything far bigger is not a Cosync answer, and is
/// refused before it is held in memory (several pages are in flight at once).
pub const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// How to reach one host.
///
/// Build it with [`HostConfig::new`] and change fields with struct update syntax:
/// `HostConfig { allow_http: true, ..HostConfig::new(url, secret) }`.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// The host's origin, e.g. `https://rest.cosync.net`.
    pub base_url: String,
    /// The host's server secret.
    pub secret: ServerSecret,
    /// A PEM file of extra CA certificates to trust for this host (a self-hosted host
    /// with a private CA), on top of the operating system's.
    pub ca_file: Option<PathBuf>,
    /// Permit plain `http://` to a host that is not on this machine.
    pub allow_http: bool,
    /// How long the host may stay silent (connecting, before answering, or between two
    /// pieces of an answer) before it counts as unreachable. 10 s by default.
    pub silence_limit: Duration,
    /// How many times a read is tried in all (at least 1). 3 by default.
    pub read_attempts: u32,
    /// Records per page when fetching whole lists. 1000 by default; never below 25.
    pub page_size: u32,
    /// Pages requested at once when fetching whole lists. 4 by default.
    pub pages_in_flight: usize,
    /// How long one request may take in all, from sending to the last byte of the
    /// answer: a host that drip-feeds an answer never stays silent long enough for
    /// `silence_limit`. 60 s by default.
    pub answer_deadline: Duration,
}

impl HostConfig {
    /// A configuration with the defaults described on each field.
    pub fn new(base_url: impl Into<String>, secret: ServerSecret) -> Self {
        Self {
            base_url: base_url.into(),
            secret,
            ca_file: None,
            allow_http: false,
            silence_limit: Duration::from_secs(10),
            read_attempts: 3,
            page_size: 1000,
            pages_in_flight: 4,
            answer_deadline: Duration::from_secs(60),
        }
    }
}

/// A client of one host's admin API. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct HostClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    silence_limit: Duration,
    answer_deadline: Duration,
    read_attempts: u32,
    pub(crate) page_size: u32,
    pub(crate) pages_in_flight: usize,
}

impl fmt::Debug for HostClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostClient")
            .field("base_url", &self.inner.base_url)
            .finish_non_exhaustive()
    }
}

impl HostClient {
    /// Checks the URL policy, loads the optional CA file and builds the client.
    /// Nothing is sent yet; [`HostClient::test_connection`] does that.
    pub fn new(config: HostConfig) -> Result<Self, ClientError> {
        let base_url = crate::url::checked_base_url(&config.base_url, config.allow_http)?;
        if config.secret.is_empty() {
            return Err(ClientError::InvalidInput(
                "the server secret is empty".into(),
            ));
        }
        let mut secret = HeaderValue::from_str(config.secret.expose()).map_err(|_| {
            ClientError::InvalidInput("the server secret contains invalid characters".into())
        })?;
        // Keeps the value out of any debug output of the headers.
        secret.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert("server-secret", secret);

        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_webpki_certs(false)
            .tls_built_in_native_certs(true)
            .default_headers(headers)
            .connect_timeout(config.silence_limit)
            // A redirect would carry the secret header to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!(
                "gatehouse-cosync-client/",
                env!("CARGO_PKG_VERSION")
            ));
        if let Some(path) = &config.ca_file {
            for cert in load_ca_file(path)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder.build().map_err(|e| ClientError::Tls {
            detail: error_chain(&e),
        })?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base_url,
                silence_limit: config.silence_limit,
                answer_deadline: config.answer_deadline.max(config.silence_limit),
                read_attempts: config.read_attempts.max(1),
                page_size: config.page_size.max(25),
                pages_in_flight: config.pages_in_flight.max(1),
            }),
        })
    }

    /// The normalised base URL this client talks to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn page_size(&self) -> u32 {
        self.inner.page_size
    }

    pub(crate) fn pages_in_flight(&self) -> usize {
        self.inner.pages_in_flight
    }

    /// A read: retried with backoff on transient failures.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ClientError> {
        self.read(path, query, |status, bytes| {
            interpret(status, bytes).and_then(typed)
        })
        .await
    }

    /// A read of one page of a list, decoded from the bytes as [`interpret_page`] says.
    pub(crate) async fn get_page<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ClientError> {
        self.read(path, query, interpret_page).await
    }

    async fn read<T>(
        &self,
        path: &str,
        query: &[(&str, String)],
        decode: impl Fn(StatusCode, &[u8]) -> Result<T, ClientError>,
    ) -> Result<T, ClientError> {
        let mut delay = Duration::from_millis(200);
        let mut attempt = 1;
        loop {
            match self.send(Method::GET, path, query, None, &decode).await {
                Err(err) if err.is_transient() && attempt < self.inner.read_attempts => {
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// A change: sent once. Retrying could apply it twice (a second invitation e-mail,
    /// a second password reset) when the first attempt reached the host.
    pub(crate) async fn change<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<T, ClientError> {
        self.send(method, path, &[], body, interpret)
            .await
            .and_then(typed)
    }

    /// A read or change whose answer is the bare literal `true`.
    pub(crate) async fn change_expecting_true(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(), ClientError> {
        expect_true(self.send(method, path, &[], body, interpret).await?)
    }

    pub(crate) async fn get_expecting_true(&self, path: &str) -> Result<(), ClientError> {
        expect_true(self.get::<Value>(path, &[]).await?)
    }

    async fn send<T>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
        decode: impl Fn(StatusCode, &[u8]) -> Result<T, ClientError>,
    ) -> Result<T, ClientError> {
        let deadline = self.inner.answer_deadline;
        let answer = tokio::time::timeout(deadline, self.send_within(method, path, query, body))
            .await
            .unwrap_or(Err(ClientError::Timeout {
                seconds: deadline.as_secs().max(1),
            }))
            .and_then(|(status, bytes)| decode(status, &bytes));
        match answer {
            Err(ClientError::Host { code: 500, message }) => {
                Err(self.secret_or_internal(path, message).await)
            }
            other => other,
        }
    }

    /// Code 500 is both a bad server secret and an internal error on a Cosync host. The
    /// connection test needs nothing but the secret: when it passes, the 500 was the
    /// host's own failure.
    async fn secret_or_internal(&self, path: &str, message: String) -> ClientError {
        if path == CONNECTION_PATH {
            return ClientError::Unauthorized;
        }
        let test = Box::pin(self.send(Method::GET, CONNECTION_PATH, &[], None, interpret)).await;
        match test.and_then(expect_true) {
            Ok(()) => ClientError::Internal { message },
            Err(ClientError::Unauthorized) => ClientError::Unauthorized,
            Err(other) => other,
        }
    }

    async fn send_within(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
    ) -> Result<(StatusCode, Vec<u8>), ClientError> {
        let url = format!("{}{path}", self.inner.base_url);
        let mut request = self.inner.http.request(method, url);
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let silence = self.inner.silence_limit;
        let timeout = || ClientError::Timeout {
            seconds: silence.as_secs().max(1),
        };
        let mut response = tokio::time::timeout(silence, request.send())
            .await
            .map_err(|_| timeout())?
            .map_err(|e| from_reqwest(&e, silence))?;
        let status = response.status();
        let too_large = || ClientError::TooLarge {
            limit_mb: MAX_ANSWER_BYTES / (1024 * 1024),
        };
        if response
            .content_length()
            .is_some_and(|length| length > MAX_ANSWER_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        loop {
            let chunk = tokio::time::timeout(silence, response.chunk())
                .await
                .map_err(|_| timeout())?
                .map_err(|e| ClientError::Interrupted {
                    detail: error_chain(&e),
                })?;
            let Some(chunk) = chunk else { break };
            if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((status, bytes))
    }
}

/// Classifies an answer: an error body of either shape wins whatever the status, then
/// a non-success status, then the body must be JSON.
pub(crate) fn interpret(status: StatusCode, bytes: &[u8]) -> Result<Value, ClientError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(body) => {
            if let Some(err) = error_from_body(&body) {
                Err(err)
            } else if status.is_success() {
                Ok(body)
            } else if is_gateway_failure(status) {
                Err(ClientError::Unavailable {
                    status: status.as_u16(),
                })
            } else {
                Err(ClientError::HttpStatus(status.as_u16()))
            }
        }
        Err(_) if is_gateway_failure(status) => Err(ClientError::Unavailable {
            status: status.as_u16(),
        }),
        Err(_) if !status.is_success() => Err(ClientError::HttpStatus(status.as_u16())),
        Err(e) => Err(ClientError::Decode {
            detail: e.to_string(),
        }),
    }
}

/// A page of a list: a success whose body reads as the page straight from the bytes is
/// the page; anything else is classified as [`interpret`] does. Reading a page through a
/// JSON tree first was half the cost of decoding a million users. An error body of either
/// shape does not read as a page (every page type requires its list field), and the host
/// sends errors with 400 or 403: the one body read otherwise than by `interpret`, a page
/// under a success status that also carries an error's `code` and `message`, is the page.
pub(crate) fn interpret_page<T: DeserializeOwned>(
    status: StatusCode,
    bytes: &[u8],
) -> Result<T, ClientError> {
    if status.is_success()
        && let Ok(page) = serde_json::from_slice(bytes)
    {
        return Ok(page);
    }
    interpret(status, bytes).and_then(typed)
}

/// 502, 503 and 504 without a Cosync error body: the host, or a proxy in front of it,
/// is down or restarting — the host cannot be reached, as with a refused connection.
fn is_gateway_failure(status: StatusCode) -> bool {
    matches!(status.as_u16(), 502..=504)
}

pub(crate) fn typed<T: DeserializeOwned>(body: Value) -> Result<T, ClientError> {
    serde_json::from_value(body).map_err(|e| ClientError::WrongShape {
        detail: e.to_string(),
    })
}

pub(crate) fn expect_true(body: Value) -> Result<(), ClientError> {
    match body {
        Value::Bool(true) => Ok(()),
        other => Err(ClientError::WrongShape {
            detail: format!("expected true, got {}", short_kind(&other)),
        }),
    }
}

fn short_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn from_reqwest(err: &reqwest::Error, silence: Duration) -> ClientError {
    let detail = error_chain(err);
    if is_tls_failure(err) {
        ClientError::Tls { detail }
    } else if err.is_timeout() {
        ClientError::Timeout {
            seconds: silence.as_secs().max(1),
        }
    } else if err.is_connect() {
        ClientError::Unreachable { detail }
    } else {
        // Sent, then the connection broke before a complete answer.
        ClientError::Interrupted { detail }
    }
}

/// rustls' error sits inside `io::Error`s (nested) deep in reqwest's source chain, and
/// an `io::Error`'s `source()` skips the error it wraps, so both paths are followed.
fn is_tls_failure(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut pending = vec![err];
    // Bounded in case a source chain ever loops.
    for _ in 0..64 {
        let Some(cause) = pending.pop() else { break };
        if cause.is::<rustls::Error>() {
            return true;
        }
        if let Some(inner) = cause
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            pending.push(inner);
        }
        pending.extend(cause.source());
    }
    false
}

/// The innermost useful causes, joined: reqwest's own text repeats the URL.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut source = err.source();
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(err.to_string());
    }
    parts.dedup();
    parts.join(": ")
}

/// A CA bundle larger than this is not one: refused rather than read whole.
const MAX_CA_FILE_BYTES: u64 = 4 * 1024 * 1024;

fn load_ca_file(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, ClientError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| ClientError::Tls {
        detail: format!(
            "cannot read the CA certificate file {}: {e}",
            path.display()
        ),
    };
    let mut pem = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_CA_FILE_BYTES + 1).read_to_end(&mut pem))
        .map_err(unreadable)?;
    if pem.len() as u64 > MAX_CA_FILE_BYTES {
        return Err(ClientError::Tls {
            detail: format!(
                "the CA certificate file {} is larger than {} MB: not a certificate bundle",
                path.display(),
                MAX_CA_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|_| ClientError::Tls {
        detail: format!("the CA file {} is not PEM", path.display()),
    })?;
    if certs.is_empty() {
        return Err(ClientError::Tls {
            detail: format!("the CA file {} holds no certificate", path.display()),
        });
    }
    Ok(certs)
}
