//! Base-URL normalisation and the plain-`http` policy.
//!
//! Core derives a host's identity from the normalised URL, so two spellings of one
//! origin (`HTTPS://Example.com:443/`, `https://example.com`) must normalise equally.

use std::net::IpAddr;

use reqwest::Url;

use crate::ClientError;

/// Normalises a host's base URL: lower-case scheme and host, no default port, no
/// trailing slash. A path prefix (a host behind a reverse proxy) is kept.
///
/// Refuses what cannot be a host origin: another scheme, credentials in the URL, a
/// query or a fragment.
pub fn normalize_base_url(input: &str) -> Result<String, ClientError> {
    let url = parse(input)?;
    let host = url.host_str().unwrap_or_default();
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    Ok(format!("{}://{host}{port}{path}", url.scheme()))
}

/// Normalises `input` and applies the policy: plain `http://` only for a loopback host,
/// unless `allow_http` says the user accepted an unencrypted connection.
pub(crate) fn checked_base_url(input: &str, allow_http: bool) -> Result<String, ClientError> {
    let url = parse(input)?;
    if url.scheme() == "http" && !allow_http && !is_loopback(&url) {
        return Err(ClientError::InsecureUrl {
            host: url.host_str().unwrap_or_default().to_owned(),
        });
    }
    normalize_base_url(input)
}

fn parse(input: &str) -> Result<Url, ClientError> {
    let invalid = |why: &str| ClientError::InvalidInput(format!("host URL {why}"));
    let url = Url::parse(input.trim()).map_err(|e| invalid(&format!("is not valid ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("must start with https:// or http://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("has no host name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not contain a query or fragment"));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_origin_normalise_equally() {
        for input in [
            "https://sandbox.cosync.net",
            "HTTPS://Sandbox.Cosync.NET/",
            "https://sandbox.cosync.net:443",
            " https://sandbox.cosync.net// ",
        ] {
            assert_eq!(
                normalize_base_url(input).unwrap(),
                "https://sandbox.cosync.net",
                "{input}"
            );
        }
        assert_eq!(
            normalize_base_url("http://127.0.0.1:80/").unwrap(),
            "http://127.0.0.1"
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalize_base_url("http://[::1]:9000").unwrap(),
            "http://[::1]:9000"
        );
        // A reverse-proxy prefix is part of the origin the client talks to.
        assert_eq!(
            normalize_base_url("https://Example.com/cosync/").unwrap(),
            "https://example.com/cosync"
        );
    }

    #[test]
    fn non_origins_are_refused() {
        for input in [
            "ftp://example.com",
            "example.com",
            "https://user:pw@example.com",
            "https://example.com/?a=1",
            "https://example.com/#x",
            "",
        ] {
            let err = normalize_base_url(input).unwrap_err();
            assert_eq!(err.code(), "invalid_input", "{input}");
        }
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        for ok in [
            "http://127.0.0.1:4000",
            "http://127.8.9.10",
            "http://localhost:4000",
            "http://[::1]:4000",
            "https://rest.cosync.net",
        ] {
            assert!(checked_base_url(ok, false).is_ok(), "{ok}");
        }
        for insecure in [
            "http://rest.cosync.net",
            "http://192.168.1.5:4000",
            "http://10.0.0.1",
        ] {
            let err = checked_base_url(insecure, false).unwrap_err();
            assert_eq!(err.code(), "insecure_url", "{insecure}");
            assert!(checked_base_url(insecure, true).is_ok(), "{insecure}");
        }
    }
}
