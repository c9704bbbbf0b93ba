//! The client's typed error, and the mapping of the host's two error shapes onto it.
//!
//! Every variant has a stable short code (for the IPC error and the CLI) and a
//! `Display` text meant for a person. Neither ever contains the server secret: the
//! secret only travels in a request header, and no header is ever formatted.

use serde_json::Value;

/// Everything that can go wrong when calling a host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The host could not be reached: connection refused, name not resolved, no route.
    #[error(
        "host unreachable: nothing answers at its address (it may not be running, the port may be wrong, or there is no network)"
    )]
    Unreachable {
        /// What the network layer said, e.g. "Connection refused (os error 111)".
        detail: String,
    },
    /// The host stayed silent longer than the silence limit (10 s by default).
    #[error("host unreachable: no answer for {seconds} s")]
    Timeout {
        /// The silence limit that was exceeded, in whole seconds.
        seconds: u64,
    },
    /// The connection broke before the whole answer arrived.
    #[error("the connection to the host was lost before the answer was complete")]
    Interrupted {
        /// What the network layer said.
        detail: String,
    },
    /// The host refused the server secret (a bad or missing `server-secret`).
    #[error("the host refused the server secret; check that it matches this host")]
    Unauthorized,
    /// The host answered code 500 although it accepts the server secret (its
    /// connection test passes): an error inside the host.
    #[error(
        "the host had an internal error ({message}); it accepts the server secret, so try again later or ask the host's operator"
    )]
    Internal {
        /// The host's own text.
        message: String,
    },
    /// The host answered with the `{code, message}` error shape.
    #[error("{} (host error {code})", host_code_text(*code).unwrap_or(message.as_str()))]
    Host {
        /// The numeric code of the spec's error table, e.g. 402.
        code: i64,
        /// The host's own text, kept for logs.
        message: String,
    },
    /// The host answered with the `{status: "Fails", message}` error shape.
    #[error("the host refused the request: {message}")]
    Refused {
        /// The host's text, e.g. "User already registerred.".
        message: String,
    },
    /// HTTP 502, 503 or 504 without a Cosync error body: the host or a proxy in front of
    /// it is down or restarting.
    #[error(
        "host unreachable: it answered HTTP {status} ({}); it may be down or restarting",
        gateway_text(*status)
    )]
    Unavailable {
        /// 502, 503 or 504.
        status: u16,
    },
    /// The answer was larger than any answer of a Cosync host, and was refused.
    #[error(
        "the host's answer was too large (over {limit_mb} MB, far more than any Cosync page); it was not read"
    )]
    TooLarge {
        /// The limit, in MB.
        limit_mb: usize,
    },
    /// An HTTP status that is not success and came without a known error body.
    #[error("the host answered HTTP {0}")]
    HttpStatus(u16),
    /// The body was not valid JSON (for instance cut short).
    #[error("the host's answer could not be read: it was cut short or is not JSON")]
    Decode {
        /// The parser's explanation.
        detail: String,
    },
    /// Valid JSON of the wrong shape, such as the string "Service Not found" that the
    /// host sends for a route it does not know.
    #[error("the host answered something unexpected; is this a Cosync JWT host?")]
    WrongShape {
        /// What did not match.
        detail: String,
    },
    /// A plain `http://` URL to a host that is not on this machine.
    #[error("refusing plain http:// to {host}: the server secret would travel unencrypted")]
    InsecureUrl {
        /// The host part of the URL.
        host: String,
    },
    /// TLS failed: an untrusted certificate, or an unreadable CA file.
    #[error("secure connection failed: {}", tls_text(detail))]
    Tls {
        /// What went wrong.
        detail: String,
    },
    /// A whole list was paged through, but the records received do not add up to the
    /// host's count: records were added or deleted while it was read, or the host cut
    /// pages short.
    #[error(
        "the host's {list} kept changing while they were read ({received} received, the host counts {total}); nothing was saved, try again"
    )]
    Incomplete {
        /// Which list: "users", "invitations" or "signups".
        list: &'static str,
        /// Distinct records received.
        received: u64,
        /// The host's count at the end.
        total: u64,
    },
    /// The operation was cancelled by the caller.
    #[error("cancelled")]
    Cancelled,
    /// An argument was refused before anything was sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

impl ClientError {
    /// A stable short code for this kind of error, for programs to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreachable { .. } => "unreachable",
            Self::Timeout { .. } => "timeout",
            Self::Interrupted { .. } => "interrupted",
            Self::Unauthorized => "unauthorized",
            Self::Internal { .. } => "internal",
            Self::Host { .. } => "host",
            Self::Refused { .. } => "refused",
            Self::Unavailable { .. } => "unavailable",
            Self::TooLarge { .. } => "too_large",
            Self::HttpStatus(_) => "http_status",
            Self::Decode { .. } => "decode",
            Self::WrongShape { .. } => "wrong_shape",
            Self::InsecureUrl { .. } => "insecure_url",
            Self::Tls { .. } => "tls",
            Self::Incomplete { .. } => "incomplete",
            Self::Cancelled => "cancelled",
            Self::InvalidInput(_) => "invalid_input",
        }
    }

    /// Whether the host could not be talked to at all (the CLI's exit code 3): refused
    /// connection, silence, or a connection that broke mid-answer.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            Self::Unreachable { .. }
                | Self::Timeout { .. }
                | Self::Interrupted { .. }
                | Self::Unavailable { .. }
        )
    }

    /// Whether a change that met this error may have been applied all the same: the
    /// request went out and no readable answer came back (silence, a connection cut
    /// mid-answer, an answer cut short, a gateway that gave up waiting for the host). A
    /// refused connection or a refusal by the host means it was not.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Self::Timeout { .. }
                | Self::Interrupted { .. }
                | Self::Decode { .. }
                | Self::Unavailable { status: 502 | 504 }
        )
    }

    /// The technical cause, when there is one worth showing behind a `Details`
    /// disclosure: what the network, TLS or JSON layer said.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Self::Unreachable { detail }
            | Self::Interrupted { detail }
            | Self::Decode { detail }
            | Self::WrongShape { detail }
            | Self::Tls { detail } => Some(detail),
            Self::Host { message, .. } | Self::Internal { message } => Some(message),
            _ => None,
        }
    }

    /// The host's numeric error code, when it sent one.
    pub fn host_code(&self) -> Option<i64> {
        match self {
            Self::Host { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether repeating the same read may succeed. Silence is excluded on purpose:
    /// retrying it would multiply a 10-second wait.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } | Self::Interrupted { .. } | Self::Unavailable { .. } => true,
            Self::HttpStatus(status) => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// Which certificate problem a TLS failure is, in words, from what rustls said. A CA
/// file problem is our own text already and names the file.
fn tls_text(detail: &str) -> String {
    let fix = "check the CA certificate field of the host";
    if detail.contains("CA certificate file") {
        detail.to_owned()
    } else if detail.contains("UnknownIssuer") || detail.contains("unknown issuer") {
        format!(
            "the host's certificate is signed by an authority this computer does not trust; if the host uses a private CA, {fix}"
        )
    } else if detail.contains("NotValidForName") || detail.contains("not valid for name") {
        "the host's certificate is not valid for this host name; check the URL".to_owned()
    } else if detail.contains("Expired") || detail.contains("expired") {
        "the host's certificate has expired".to_owned()
    } else if detail.contains("NotValidYet") {
        "the host's certificate is not valid yet; check this computer's clock".to_owned()
    } else if detail.contains("BadSignature") || detail.contains("BadEncoding") {
        format!("the host's certificate is damaged or forged; {fix}")
    } else {
        format!("the host's certificate was not accepted; {fix}")
    }
}

fn gateway_text(status: u16) -> &'static str {
    match status {
        502 => "bad gateway",
        503 => "service unavailable",
        _ => "gateway timeout",
    }
}

/// The plain-language meaning of a code of the spec's error table (§3).
pub fn host_code_text(code: i64) -> Option<&'static str> {
    Some(match code {
        400 => "the app token is invalid",
        401 => "this app no longer exists on the host",
        402 => "this app is suspended on the host",
        403 => "a required value is missing",
        404 => "this account is suspended",
        405 => "the access token is invalid",
        406 => "this app does not accept invitations",
        407 => "this app does not accept signups",
        408 => "this app does not support Google two-factor verification",
        409 => "this app does not support phone two-factor verification",
        410 => "this user has no verified phone number",
        411 => "the signup code has expired",
        412 => "this phone number is already in use",
        413 => "this app has been migrated",
        414 => "this app does not allow anonymous login",
        415 => "this app does not support Apple login",
        416 => "this app does not support Google login",
        500 => "the host had an internal error",
        501 => "the access token has expired",
        600 => "invalid login credentials",
        601 => "this handle is already registered",
        602 => "the host rejected the data as invalid",
        603 => "this account does not exist",
        604 => "the metadata is invalid",
        605 => "this user name is already taken",
        606 => "this app does not support user names",
        607 => "this user name does not exist",
        608 => "this account has not been verified yet (signup pending)",
        609 => "this locale is not supported",
        610 => "an account with this e-mail already exists",
        611 => "an account with this Apple ID already exists",
        612 => "an account with this Google account already exists",
        613 => "the token is invalid",
        _ => return None,
    })
}

/// Recognises either of the host's error bodies, whatever the HTTP status.
///
/// Code 500 is both how the host answers a bad server secret and its internal error. It
/// stays `Host { code: 500 }` here; the client tells the two apart before answering
/// (`HostClient::send`): [`ClientError::Unauthorized`] or [`ClientError::Internal`].
pub(crate) fn error_from_body(body: &Value) -> Option<ClientError> {
    let object = body.as_object()?;
    let message = object
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if object.get("status").and_then(Value::as_str) == Some("Fails") {
        return Some(ClientError::Refused { message });
    }
    // Records carry an `_id`; an invite's numeric `code` must not look like an error.
    if object.contains_key("_id") || !object.get("message").is_some_and(Value::is_string) {
        return None;
    }
    let code = object.get("code").and_then(Value::as_i64)?;
    Some(ClientError::Host { code, message })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_error_shapes_are_recognised() {
        assert_eq!(
            error_from_body(&json!({"code": 402, "message": "app is suspended"})),
            Some(ClientError::Host {
                code: 402,
                message: "app is suspended".into()
            })
        );
        assert_eq!(
            error_from_body(&json!({"status": "Fails", "message": "User already registerred."})),
            Some(ClientError::Refused {
                message: "User already registerred.".into()
            })
        );
        assert_eq!(
            error_from_body(&json!({"status": "Fails"})),
            Some(ClientError::Refused {
                message: String::new()
            })
        );
    }

    #[test]
    fn code_500_is_kept_for_the_client_to_tell_apart() {
        let err = error_from_body(&json!({"code": 500, "message": "internal server error"}));
        assert_eq!(
            err,
            Some(ClientError::Host {
                code: 500,
                message: "internal server error".into()
            })
        );
        assert!(
            ClientError::Unauthorized
                .to_string()
                .contains("server secret")
        );
    }

    #[test]
    fn records_are_not_errors() {
        // A user's status and an invite's numeric code must not trip the detector.
        assert_eq!(
            error_from_body(&json!({"_id": "a", "status": "active"})),
            None
        );
        assert_eq!(
            error_from_body(&json!({"_id": "a", "code": 123456, "message": "x"})),
            None
        );
        assert_eq!(error_from_body(&json!({"code": 123456})), None);
        assert_eq!(error_from_body(&json!(true)), None);
        assert_eq!(error_from_body(&json!("Service Not found")), None);
    }

    #[test]
    fn messages_are_plain_language() {
        let suspended_app = ClientError::Host {
            code: 402,
            message: "x".into(),
        };
        assert_eq!(
            suspended_app.to_string(),
            "this app is suspended on the host (host error 402)"
        );
        let suspended_user = ClientError::Host {
            code: 404,
            message: "x".into(),
        };
        assert!(
            suspended_user
                .to_string()
                .starts_with("this account is suspended")
        );
        let unknown = ClientError::Host {
            code: 999,
            message: "odd".into(),
        };
        assert_eq!(unknown.to_string(), "odd (host error 999)");
    }

    #[test]
    fn codes_are_stable_and_classified() {
        assert_eq!(ClientError::Cancelled.code(), "cancelled");
        assert_eq!(ClientError::Timeout { seconds: 10 }.code(), "timeout");
        assert!(ClientError::Timeout { seconds: 10 }.is_unreachable());
        assert!(!ClientError::Timeout { seconds: 10 }.is_transient());
        assert!(ClientError::HttpStatus(503).is_transient());
        assert!(!ClientError::HttpStatus(404).is_transient());
        assert!(
            !ClientError::WrongShape {
                detail: String::new()
            }
            .is_transient()
        );
    }
}
